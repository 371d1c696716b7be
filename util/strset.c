/* strset.c: open-addressing string set with linear probing. */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void kstrset_init(struct kstrset *s)
{
	memset(s, 0, sizeof(*s));
}

static uint64_t hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int grow(struct kstrset *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 64;
	char **slot = calloc(ncap, sizeof(*slot));
	size_t *lens = calloc(ncap, sizeof(*lens));

	if (!slot || !lens) {
		free(slot);
		free(lens);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++) {
		size_t j;
		if (!s->slot[i])
			continue;
		j = hash(s->slot[i], s->lens[i]) & (ncap - 1);
		while (slot[j])
			j = (j + 1) & (ncap - 1);
		slot[j] = s->slot[i];
		lens[j] = s->lens[i];
	}
	free(s->slot);
	free(s->lens);
	s->slot = slot;
	s->lens = lens;
	s->cap = ncap;
	return 0;
}

int kstrset_add(struct kstrset *s, const char *key, size_t len)
{
	size_t j;
	char *copy;

	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	j = hash(key, len) & (s->cap - 1);
	while (s->slot[j]) {
		if (s->lens[j] == len && !memcmp(s->slot[j], key, len))
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	if (!(copy = malloc(len + 1)))
		return -1;
	memcpy(copy, key, len);
	copy[len] = '\0';
	s->slot[j] = copy;
	s->lens[j] = len;
	s->n++;
	return 1;
}

void kstrset_release(struct kstrset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	free(s->lens);
	kstrset_init(s);
}
