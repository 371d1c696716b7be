/*
 * hash.h: FNV-1a, 64-bit, for hashing names into keys (the report counts
 * distinct authors by a hash of their name).
 */
#ifndef KEPU_UTIL_HASH_H
#define KEPU_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define KHASH_SEED 14695981039346656037ULL

/* Chain: h = khash(khash(KHASH_SEED, a, na), b, nb). */
static inline uint64_t khash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
