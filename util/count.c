/* count.c: parse platform-printed counts exactly, in integer arithmetic. */
#include "count.h"

#include <string.h>

#define NOT_A_COUNT "not a count (expected digits, `1,234`, `1.2万` or `10万+`)"

/* The unit that ends [p, *end) (万 亿 千 w W k K): its multiplier, with
 * *end moved back before it; 1 when there is none. */
static int64_t unit_suffix(const char *p, const char **end)
{
	const char *e = *end;

	if (e - p >= 3 && !memcmp(e - 3, "\xe4\xb8\x87", 3)) { /* 万 */
		*end -= 3;
		return 10000;
	}
	if (e - p >= 3 && !memcmp(e - 3, "\xe4\xba\xbf", 3)) { /* 亿 */
		*end -= 3;
		return 100000000;
	}
	if (e - p >= 3 && !memcmp(e - 3, "\xe5\x8d\x83", 3)) { /* 千 */
		*end -= 3;
		return 1000;
	}
	if (e > p && (e[-1] == 'w' || e[-1] == 'W')) {
		*end -= 1;
		return 10000;
	}
	if (e > p && (e[-1] == 'k' || e[-1] == 'K')) {
		*end -= 1;
		return 1000;
	}
	return 1;
}

/* The whole part at *p, up to a '.' or end: digits, perhaps with
 * thousands separators.  0 with *whole and *p after it, or -1 with *why. */
static int whole_part(const char **p, const char *end, int64_t *whole, const char **why)
{
	const char *q = *p;
	int ndig = 0, seen_comma = 0, group = 0;

	*whole = 0;
	for (; q < end && *q != '.'; q++) {
		if (*q == ',') {
			/* thousands separators: only between digits, groups of 3 */
			/* the first group has 1 to 3 digits, the others exactly 3 */
			if (!ndig || (seen_comma ? group != 3 : group > 3)) {
				*why = "misplaced thousands separator";
				return -1;
			}
			seen_comma = 1;
			group = 0;
			continue;
		}
		if (*q < '0' || *q > '9') {
			*why = NOT_A_COUNT;
			return -1;
		}
		if (*whole > KCOUNT_MAX / 10) {
			*why = "count too large";
			return -1;
		}
		*whole = *whole * 10 + (*q - '0');
		ndig++;
		group++;
	}
	if (!ndig || (seen_comma && group != 3)) {
		*why = ndig ? "misplaced thousands separator" : NOT_A_COUNT;
		return -1;
	}
	*p = q;
	return 0;
}

/* The digits after the '.' at p (only before a unit: `1.2万`), the first
 * 8 of them: *frac / *fscale.  0, or -1 with *why. */
static int fraction_part(const char *p, const char *end, int64_t unit, int64_t *frac, int64_t *fscale,
			 const char **why)
{
	int nfrac = 0;

	p++; /* '.' */
	if (unit == 1 || p == end) {
		*why = unit == 1 ? "a count must be a whole number" : "not a count";
		return -1;
	}
	for (; p < end; p++) {
		if (*p < '0' || *p > '9') {
			*why = "not a count";
			return -1;
		}
		if (nfrac < 8) {
			*frac = *frac * 10 + (*p - '0');
			*fscale *= 10;
			nfrac++;
		}
	}
	return 0;
}

enum kcount_result kcount_parse(const char *s, size_t n, int64_t *value, int *lower_bound,
				const char **why)
{
	const char *p = s, *end = s + n;
	int64_t whole = 0, frac = 0, fscale = 1, unit;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return KCOUNT_EMPTY;
	*lower_bound = 0;
	if (*p == '-') {
		*why = "negative count";
		return KCOUNT_BAD;
	}
	if (*p == '+')
		p++;
	if (end > p && end[-1] == '+') {
		*lower_bound = 1;
		end--;
	}
	unit = unit_suffix(p, &end);
	if (whole_part(&p, end, &whole, why) < 0 || (p < end && fraction_part(p, end, unit, &frac, &fscale, why) < 0))
		return KCOUNT_BAD;
	if (whole > KCOUNT_MAX / unit) {
		*why = "count too large";
		return KCOUNT_BAD;
	}
	/* round half up: 1.23456万 -> 12346 */
	*value = whole * unit + (frac * unit * 2 + fscale) / (2 * fscale);
	if (*value > KCOUNT_MAX) {
		*why = "count too large";
		return KCOUNT_BAD;
	}
	return KCOUNT_OK;
}
