/* count.c: parse platform-printed counts exactly, in integer arithmetic. */
#include "count.h"

#include <string.h>

enum kcount_result kcount_parse(const char *s, size_t n, int64_t *value, int *lower_bound,
				const char **why)
{
	const char *p = s, *end = s + n;
	int64_t whole = 0, frac = 0, fscale = 1, unit = 1;
	int ndig = 0, nfrac = 0, seen_comma = 0, group = 0;

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
	/* unit suffix */
	if (end - p >= 3 && !memcmp(end - 3, "\xe4\xb8\x87", 3)) { /* 万 */
		unit = 10000;
		end -= 3;
	} else if (end - p >= 3 && !memcmp(end - 3, "\xe4\xba\xbf", 3)) { /* 亿 */
		unit = 100000000;
		end -= 3;
	} else if (end - p >= 3 && !memcmp(end - 3, "\xe5\x8d\x83", 3)) { /* 千 */
		unit = 1000;
		end -= 3;
	} else if (end > p && (end[-1] == 'w' || end[-1] == 'W')) {
		unit = 10000;
		end--;
	} else if (end > p && (end[-1] == 'k' || end[-1] == 'K')) {
		unit = 1000;
		end--;
	}
	for (; p < end && *p != '.'; p++) {
		if (*p == ',') {
			/* thousands separators: only between digits, groups of 3 */
			/* the first group has 1 to 3 digits, the others exactly 3 */
			if (!ndig || (seen_comma ? group != 3 : group > 3)) {
				*why = "misplaced thousands separator";
				return KCOUNT_BAD;
			}
			seen_comma = 1;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9') {
			*why = "not a count (expected digits, `1,234`, `1.2万` or `10万+`)";
			return KCOUNT_BAD;
		}
		if (whole > KCOUNT_MAX / 10) {
			*why = "count too large";
			return KCOUNT_BAD;
		}
		whole = whole * 10 + (*p - '0');
		ndig++;
		group++;
	}
	if (!ndig || (seen_comma && group != 3)) {
		*why = ndig ? "misplaced thousands separator" : "not a count (expected digits, `1,234`, `1.2万` or `10万+`)";
		return KCOUNT_BAD;
	}
	if (p < end) {
		p++; /* '.' */
		if (unit == 1 || p == end) {
			*why = unit == 1 ? "a count must be a whole number" : "not a count";
			return KCOUNT_BAD;
		}
		for (; p < end; p++) {
			if (*p < '0' || *p > '9') {
				*why = "not a count";
				return KCOUNT_BAD;
			}
			if (nfrac < 8) {
				frac = frac * 10 + (*p - '0');
				fscale *= 10;
				nfrac++;
			}
		}
	}
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
