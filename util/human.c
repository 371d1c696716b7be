/* human.c: see human.h. */
#include "human.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

char *human_int(int64_t n, char out[HUMAN_SIZE])
{
	char digits[32];
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	size_t len, o = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, u);
	len = strlen(digits);
	if (n < 0)
		out[o++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

/* n / unit with one decimal, rounded half up, ".0" dropped. */
static void scaled(uint64_t n, uint64_t unit, const char *word, const char *sign, char out[HUMAN_SIZE])
{
	uint64_t tenths = (n * 10 + unit / 2) / unit;

	if (tenths % 10)
		snprintf(out, HUMAN_SIZE, "%s%" PRIu64 ".%" PRIu64 "%s", sign, tenths / 10, tenths % 10, word);
	else
		snprintf(out, HUMAN_SIZE, "%s%" PRIu64 "%s", sign, tenths / 10, word);
}

char *human_wan(int64_t n, char out[HUMAN_SIZE])
{
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	const char *sign = n < 0 ? "-" : "";

	if (u < 10000)
		snprintf(out, HUMAN_SIZE, "%s%" PRIu64, sign, u);
	else if (u < 100000000 && (u * 10 + 5000) / 10000 < 100000) /* 9999.96万 rounds to 1亿 */
		scaled(u, 10000, "万", sign, out);
	else
		scaled(u, 100000000, "亿", sign, out);
	return out;
}

char *human_index(double x, char out[HUMAN_SIZE])
{
	char raw[HUMAN_SIZE];
	const char *d = raw;
	size_t digits, o = 0;

	/* from 1e24 the separated digits might not fit: as printf writes them */
	if (!(x > -1e24 && x < 1e24)) {
		snprintf(out, HUMAN_SIZE, "%.1f", x);
		return out;
	}
	snprintf(raw, sizeof(raw), "%.1f", x);
	if (*d == '-')
		out[o++] = *d++;
	digits = strspn(d, "0123456789");
	for (size_t i = 0; d[i]; i++) {
		if (i && i < digits && (digits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
	return out;
}

/* Beijing time's broken-down fields. */
static void cst(int64_t t, struct tm *tm)
{
	time_t s = (time_t)(t + 8 * 3600);

	gmtime_r(&s, tm);
}

char *human_datetime(int64_t t, char out[HUMAN_SIZE])
{
	struct tm tm;

	cst(t, &tm);
	snprintf(out, HUMAN_SIZE, "%d月%d日 %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	return out;
}

char *human_date_long(int64_t t, char out[HUMAN_SIZE])
{
	struct tm tm;

	cst(t, &tm);
	snprintf(out, HUMAN_SIZE, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return out;
}

char *human_date_short(int64_t t, char out[HUMAN_SIZE])
{
	struct tm tm;

	cst(t, &tm);
	snprintf(out, HUMAN_SIZE, "%d月%d日", tm.tm_mon + 1, tm.tm_mday);
	return out;
}
