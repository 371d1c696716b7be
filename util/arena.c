/* arena.c: block chain allocator; see arena.h. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->spare = NULL;
	a->used = 0;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t need = (n + 15) & ~(size_t)15;

	if (n > ((size_t)-1) / 2)
		return NULL;
	if (!a->head || a->head->size - a->used < need) {
		size_t sz = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		if (sz == ARENA_BLOCK && a->spare) {
			b = a->spare;
			a->spare = b->next;
		} else {
			b = malloc(sizeof(*b) + sz);
			if (!b)
				return NULL;
			b->size = sz;
		}
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	a->used += need;
	a->total += need;
	return a->head->data + a->used - need;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;
		if (b->size == ARENA_BLOCK) {
			b->next = a->spare;
			a->spare = b;
		} else
			free(b); /* oversized blocks are not worth keeping */
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void arena_release(struct arena *a)
{
	arena_reset(a);
	while (a->spare) {
		struct arena_block *next = a->spare->next;
		free(a->spare);
		a->spare = next;
	}
	arena_init(a);
}
