/*
 * strset.h: a set of byte strings (open addressing, FNV-1a), for counting
 * distinct things such as authors.  Keys are copied; kstrset_release()
 * frees them.
 */
#ifndef KEPU_UTIL_STRSET_H
#define KEPU_UTIL_STRSET_H

#include <stddef.h>

struct kstrset {
	char **slot;   /* owned; NULL = empty */
	size_t *lens;
	size_t cap, n;
};

void kstrset_init(struct kstrset *s);
/* 1 when added, 0 when already there, -1 on ENOMEM. */
int kstrset_add(struct kstrset *s, const char *key, size_t len);
void kstrset_release(struct kstrset *s);

#endif
