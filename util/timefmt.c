/*
 * timefmt.c: hand-written time parsing, because strptime() depends on the
 * locale and timegm() is not C11; neither is needed for fixed formats.
 */
#include "timefmt.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int64_t ktime_from_civil(int y, int mo, int d, int h, int mi, int sec)
{
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Read exactly k digits at *p (bounded by end); advance. */
static int digits(const char **p, const char *end, int k, int *out)
{
	int v = 0;

	if (end - *p < k)
		return -1;
	for (int i = 0; i < k; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += k;
	*out = v;
	return 0;
}

static int check_fields(int y, int mo, int d, int h, int mi, int s, const char **why)
{
	if (y < 2000 || y > 2099) {
		*why = "year outside 2000..2099";
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
		*why = "no such date";
		return -1;
	}
	if (h > 23 || mi > 59 || s > 60) { /* 60: a leap second, read as 59+1 */
		*why = "no such time of day";
		return -1;
	}
	return 0;
}

/* `+08:00`, `+0800`, `+08`, `Z`, `GMT`, `UTC`: offset in seconds east. */
static int parse_offset(const char **p, const char *end, int *off)
{
	int sign, hh, mm = 0;

	if (*p < end && (**p == 'Z' || **p == 'z')) {
		(*p)++;
		*off = 0;
		return 0;
	}
	if (end - *p >= 3 && (!memcmp(*p, "GMT", 3) || !memcmp(*p, "UTC", 3))) {
		*p += 3;
		*off = 0;
		return 0;
	}
	if (*p >= end || (**p != '+' && **p != '-'))
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (digits(p, end, 2, &hh) < 0)
		return -1;
	if (*p < end && **p == ':')
		(*p)++;
	if (*p < end && **p >= '0' && **p <= '9' && digits(p, end, 2, &mm) < 0)
		return -1;
	if (hh > 14 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

static int month_index(const char *p, const char *end)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (end - p < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, names + 3 * i, 3))
			return i + 1;
	return 0;
}

static int parse_iso(const char *p, const char *end, int64_t *out, const char **why)
{
	int y, mo, d, h = 0, mi = 0, s = 0, off = KTIME_CST_OFFSET;

	*why = "not a time kepu reads (ISO 8601, `YYYY-MM-DD HH:MM[:SS]` or unix seconds)";
	if (digits(&p, end, 4, &y) < 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &mo) < 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &d) < 0)
		return -1;
	if (p < end) {
		if (*p != 'T' && *p != ' ' && *p != 't')
			return -1;
		p++;
		if (digits(&p, end, 2, &h) < 0 || p >= end || *p++ != ':' ||
		    digits(&p, end, 2, &mi) < 0)
			return -1;
		if (p < end && *p == ':') {
			p++;
			if (digits(&p, end, 2, &s) < 0)
				return -1;
			if (p < end && (*p == '.' || *p == ',')) {
				p++;
				if (p >= end || *p < '0' || *p > '9')
					return -1;
				while (p < end && *p >= '0' && *p <= '9')
					p++;
			}
		}
		while (p < end && *p == ' ')
			p++;
		if (p < end && parse_offset(&p, end, &off) < 0)
			return -1;
		if (p != end)
			return -1;
	}
	if (check_fields(y, mo, d, h, mi, s, why) < 0)
		return -1;
	*out = ktime_from_civil(y, mo, d, h, mi, s) - off;
	return 0;
}

/* `Tue Sep 02 10:15:00 +0800 2025` and `Tue, 02 Sep 2025 10:15:00 +0800`. */
static int parse_textual(const char *p, const char *end, int64_t *out, const char **why)
{
	int y, mo, d, h, mi, s, off;

	*why = "not a time kepu reads";
	if (end - p < 4)
		return -1;
	p += 3; /* weekday name: not checked, the date decides */
	if (*p == ',') {
		/* RFC 2822 */
		p++;
		while (p < end && *p == ' ')
			p++;
		if (p + 1 < end && p[1] == ' ') {
			if (digits(&p, end, 1, &d) < 0)
				return -1;
		} else if (digits(&p, end, 2, &d) < 0)
			return -1;
		if (p >= end || *p++ != ' ' || !(mo = month_index(p, end)))
			return -1;
		p += 3;
		if (p >= end || *p++ != ' ' || digits(&p, end, 4, &y) < 0 || p >= end || *p++ != ' ')
			return -1;
		if (digits(&p, end, 2, &h) < 0 || p >= end || *p++ != ':' || digits(&p, end, 2, &mi) < 0 ||
		    p >= end || *p++ != ':' || digits(&p, end, 2, &s) < 0 || p >= end || *p++ != ' ' ||
		    parse_offset(&p, end, &off) < 0 || p != end)
			return -1;
	} else {
		/* Weibo / ctime with offset */
		if (*p++ != ' ' || !(mo = month_index(p, end)))
			return -1;
		p += 3;
		if (p >= end || *p++ != ' ' || digits(&p, end, 2, &d) < 0 || p >= end || *p++ != ' ' ||
		    digits(&p, end, 2, &h) < 0 || p >= end || *p++ != ':' || digits(&p, end, 2, &mi) < 0 ||
		    p >= end || *p++ != ':' || digits(&p, end, 2, &s) < 0 || p >= end || *p++ != ' ' ||
		    parse_offset(&p, end, &off) < 0 || p >= end || *p++ != ' ' ||
		    digits(&p, end, 4, &y) < 0 || p != end)
			return -1;
	}
	if (check_fields(y, mo, d, h, mi, s, why) < 0)
		return -1;
	*out = ktime_from_civil(y, mo, d, h, mi, s) - off;
	return 0;
}

int ktime_parse(const char *s, size_t n, int64_t *out, const char **why)
{
	const char *end = s + n;
	int64_t v = 0;
	size_t i;

	while (s < end && *s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	if (s == end) {
		*why = "empty time";
		return -1;
	}
	for (i = 0; s + i < end && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (s + i == end) {
		if (i > 15) {
			*why = "unix time out of range";
			return -1;
		}
		for (i = 0; s + i < end; i++)
			v = v * 10 + (s[i] - '0');
		if (v >= 1000000000000LL)
			v /= 1000; /* milliseconds */
		/* 2000-01-01 .. 2099-12-31 */
		if (v < 946684800LL || v >= 4102444800LL) {
			*why = "unix time outside 2000..2099";
			return -1;
		}
		*out = v;
		return 0;
	}
	if (i == 4)
		return parse_iso(s, end, out, why);
	if (end - s >= 3 && s[0] >= 'A' && s[0] <= 'Z')
		return parse_textual(s, end, out, why);
	*why = "not a time kepu reads (ISO 8601, `YYYY-MM-DD HH:MM[:SS]` or unix seconds)";
	return -1;
}

int ktime_parse_date(const char *s, int64_t *out)
{
	const char *p = s, *end = s + strlen(s);
	const char *why;
	int y, mo, d;

	if (digits(&p, end, 4, &y) < 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &mo) < 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &d) < 0 || p != end)
		return -1;
	if (check_fields(y, mo, d, 0, 0, 0, &why) < 0)
		return -1;
	*out = ktime_from_civil(y, mo, d, 0, 0, 0) - KTIME_CST_OFFSET;
	return 0;
}

void ktime_format_cst(int64_t t, char out[32])
{
	int64_t l = t + KTIME_CST_OFFSET;
	int64_t days = (l >= 0 ? l : l - 86399) / 86400;
	int64_t rem = l - days * 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, (int)(rem / 3600),
		 (int)(rem / 60 % 60), (int)(rem % 60));
}

void ktime_format_date(int64_t t, char out[16])
{
	int64_t l = t + KTIME_CST_OFFSET;
	int64_t days = (l >= 0 ? l : l - 86399) / 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}
