/*
 * hashset.h: a set of 64-bit keys (open addressing), for counting
 * distinct things by a hash of their name: a million authors cost 16 MiB
 * instead of a million strings.  Two different names with the same 64-bit
 * hash would count once: at a million names the odds are below 1e-7.
 */
#ifndef KEPU_UTIL_HASHSET_H
#define KEPU_UTIL_HASHSET_H

#include <stddef.h>
#include <stdint.h>

struct khashset {
	uint64_t *slot; /* 0 = empty; key 0 is stored as 1 */
	size_t cap, n;
};

void khashset_init(struct khashset *s);
/* 1 when added, 0 when already there, -1 on ENOMEM. */
int khashset_add(struct khashset *s, uint64_t key);
void khashset_release(struct khashset *s);

/* FNV-1a over bytes, chained: h = khash(h, p, n), start with KHASH_SEED. */
#define KHASH_SEED 1469598103934665603ULL
uint64_t khash(uint64_t h, const void *p, size_t n);

#endif
