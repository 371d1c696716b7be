/* hashset.c: see hashset.h. */
#include "hashset.h"

#include <stdlib.h>
#include <string.h>

void khashset_init(struct khashset *s)
{
	memset(s, 0, sizeof(*s));
}

uint64_t khash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Spread the bits (FNV's low bits are weak for table indexes). */
static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static int grow(struct khashset *s)
{
	/* start big: calloc'd pages cost nothing until touched, and regrowing
	 * a large table is what costs */
	size_t ncap = s->cap ? s->cap * 2 : (size_t)1 << 20;
	uint64_t *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;
		if (!s->slot[i])
			continue;
		for (j = mix(s->slot[i]) & (ncap - 1); ns[j]; j = (j + 1) & (ncap - 1))
			;
		ns[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = ns;
	s->cap = ncap;
	return 0;
}

int khashset_add(struct khashset *s, uint64_t key)
{
	size_t j;

	if (!key)
		key = 1;
	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	for (j = mix(key) & (s->cap - 1); s->slot[j]; j = (j + 1) & (s->cap - 1))
		if (s->slot[j] == key)
			return 0;
	s->slot[j] = key;
	s->n++;
	return 1;
}

void khashset_release(struct khashset *s)
{
	free(s->slot);
	khashset_init(s);
}
