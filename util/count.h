/*
 * count.h: engagement counts the way platforms print them.
 *
 * `1234`, `1,234`, `1.2万` (12000), `3亿`, `1.5w`, `10万+` (100000, a lower
 * bound).  Empty means unknown, which is not zero.
 */
#ifndef KEPU_UTIL_COUNT_H
#define KEPU_UTIL_COUNT_H

#include <stddef.h>
#include <stdint.h>

/* The largest count kepu accepts; anything larger is a bug upstream. */
#define KCOUNT_MAX 1000000000000000LL

enum kcount_result { KCOUNT_OK = 0, KCOUNT_EMPTY = 1, KCOUNT_BAD = -1 };

/* Parse s[0..n).  On KCOUNT_OK *value is set and *lower_bound says whether
 * the text ended in `+`.  On KCOUNT_BAD *why names the problem (static). */
enum kcount_result kcount_parse(const char *s, size_t n, int64_t *value, int *lower_bound,
				const char **why);

#endif
