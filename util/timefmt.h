/*
 * timefmt.h: reading the times platforms and people write, and writing
 * times the way kepu shows them.
 *
 * Every time inside kepu is UTC seconds since the epoch (int64_t).  Times
 * are shown in Asia/Shanghai (+08:00, no daylight saving), which is also
 * the zone a time without an offset is read in.
 */
#ifndef KEPU_UTIL_TIMEFMT_H
#define KEPU_UTIL_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define KTIME_CST_OFFSET (8 * 3600)

/*
 * Parse s[0..n) into UTC seconds.  Accepted:
 *   ISO 8601 `2025-09-02T10:15:00+08:00` (also `Z`, `+0800`, a space for
 *   `T`, fractional seconds, no seconds); without an offset read as +08:00;
 *   a date alone `2025-09-02` (midnight +08:00);
 *   unix seconds `1756779300` (values of 10^12 and more are milliseconds);
 *   Weibo `Tue Sep 02 10:15:00 +0800 2025`;
 *   RFC 2822 `Tue, 02 Sep 2025 10:15:00 +0800` (also `GMT`).
 * Years outside 2000..2099 are refused: such a time is a bug upstream.
 * Returns 0, or -1 with a short reason in *why (static string).
 */
int ktime_parse(const char *s, size_t n, int64_t *out, const char **why);

/* Parse a date `YYYY-MM-DD` (Asia/Shanghai) into the UTC second its day
 * starts at.  -1 if s is not exactly such a date. */
int ktime_parse_date(const char *s, int64_t *out);

/* UTC seconds from a civil date and time given in UTC. */
int64_t ktime_from_civil(int y, int mo, int d, int h, int mi, int sec);

/* Write t as `2025-09-02T10:15:00+08:00` (26 bytes with NUL). */
void ktime_format_cst(int64_t t, char out[32]);
/* Write t's Asia/Shanghai date as `2025-09-02`. */
void ktime_format_date(int64_t t, char out[16]);

#endif
