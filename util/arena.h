/*
 * arena.h: a bump allocator in fixed blocks whose memory never moves.
 *
 * Used for the strings of a batch of posts: pointers handed out stay
 * valid until arena_reset(), which keeps the first block for reuse, so a
 * steady import allocates nothing per line.
 */
#ifndef KEPU_UTIL_ARENA_H
#define KEPU_UTIL_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;  /* owned chain in use, newest first */
	struct arena_block *spare; /* owned standard blocks kept by reset */
	size_t used;              /* bytes used in head */
	size_t total;             /* bytes handed out since the last reset */
};

void arena_init(struct arena *a);
/* n bytes aligned for any type; NULL on ENOMEM. */
void *arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Forget everything handed out; keep the standard-sized blocks. */
void arena_reset(struct arena *a);
void arena_release(struct arena *a);

#endif
