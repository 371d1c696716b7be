/*
 * unit_util.c: the shared helpers in util/: counts, times, UTF-8, the
 * capped buffer, the arena, JSON string writing and the string set.
 *
 * Expected epoch values were computed independently of kepu (Python's
 * datetime), e.g. 2025-09-02T10:15:00+08:00 = 1756779300.
 */
#include "testutil.h"

#include <inttypes.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/count.h"
#include "../util/human.h"
#include "../util/jsonw.h"
#include "../util/hash.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

/* ---- kcount_parse ---- */

static const struct {
	const char *in;
	int64_t value;
	int lower;
} count_ok[] = {
	{"1234", 1234, 0},
	{" 1,234 ", 1234, 0},
	{"\t1,234,567\t", 1234567, 0},
	{"0", 0, 0},
	{"1.2万", 12000, 0},
	{"1.25万", 12500, 0},
	{"1.23456万", 12346, 0}, /* rounded half up */
	{"3亿", 300000000, 0},
	{"1.5亿", 150000000, 0},
	{"1.5w", 15000, 0},
	{"2W", 20000, 0},
	{"10万+", 100000, 1},
	{"100万+", 1000000, 1},
	{"999+", 999, 1},
	{"1000000000000000", KCOUNT_MAX, 0},
};

static void test_kcount_ok(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(count_ok); i++) {
		int64_t v = -1;
		int lb = -1;
		const char *why = NULL;
		enum kcount_result r = kcount_parse(count_ok[i].in, strlen(count_ok[i].in), &v, &lb, &why);

		row_check(&bad, r == KCOUNT_OK && v == count_ok[i].value && lb == count_ok[i].lower,
			  "kcount_parse('%s') = %d, value %" PRId64 ", lower %d; want OK, %" PRId64 ", %d",
			  count_ok[i].in, (int)r, v, lb, count_ok[i].value, count_ok[i].lower);
	}
	assert_int_equal(bad, 0);
}

static void test_kcount_empty(void **state)
{
	static const char *const in[] = {"", " ", "   ", "\t \t"};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(in); i++) {
		int64_t v = 77;
		int lb = 0;
		const char *why = NULL;
		enum kcount_result r = kcount_parse(in[i], strlen(in[i]), &v, &lb, &why);

		/* unknown is not zero: the value is left alone */
		row_check(&bad, r == KCOUNT_EMPTY && v == 77, "kcount_parse('%s') = %d, value %" PRId64,
			  in[i], (int)r, v);
	}
	assert_int_equal(bad, 0);
}

static const char *const count_bad[] = {
	"-5",
	"1,23",
	"12.5",
	"abc",
	"99999999999999999999",
	"1000000000000001", /* KCOUNT_MAX + 1 */
	"1000000000亿",
	"万",
	"1.万",
	",123",
	"1,,234",
	"12 34",
	"1.2.3万",
	"12a",
	"+",
	"1万万",
};

static void test_kcount_bad(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(count_bad); i++) {
		int64_t v = 77;
		int lb = 0;
		const char *why = NULL;
		enum kcount_result r = kcount_parse(count_bad[i], strlen(count_bad[i]), &v, &lb, &why);

		row_check(&bad, r == KCOUNT_BAD && why && *why,
			  "kcount_parse('%s') = %d (value %" PRId64 "), want KCOUNT_BAD with a reason",
			  count_bad[i], (int)r, v);
	}
	assert_int_equal(bad, 0);
}

/* Only n bytes are read: a count followed by more text in the same buffer. */
static void test_kcount_reads_only_n_bytes(void **state)
{
	const char *s = "1.2万,9999";
	int64_t v = 0;
	int lb = 1;
	const char *why = NULL;

	(void)state;
	assert_int_equal(kcount_parse(s, strlen("1.2万"), &v, &lb, &why), KCOUNT_OK);
	assert_int_equal(v, 12000);
	assert_int_equal(lb, 0);
}

/* Thousands separators come in groups of three: the first group has 1..3
 * digits too (count.c says "groups of 3"). */
static void test_kcount_rejects_long_first_group(void **state)
{
	int64_t v = 0;
	int lb = 0;
	const char *why = NULL;
	enum kcount_result r = kcount_parse("1234,567", 8, &v, &lb, &why);

	(void)state;
	if (r != KCOUNT_BAD)
		fail_msg("kcount_parse('1234,567') = %d with value %" PRId64 "; want KCOUNT_BAD", (int)r, v);
}

/* KCOUNT_MAX is "the largest count kepu accepts"; a fraction must not
 * push a count with a unit past it. */
static void test_kcount_max_holds_with_fraction(void **state)
{
	const char *s = "100000000000.9万"; /* 1000000000009000 */
	int64_t v = 0;
	int lb = 0;
	const char *why = NULL;
	enum kcount_result r = kcount_parse(s, strlen(s), &v, &lb, &why);

	(void)state;
	if (r == KCOUNT_OK && v > KCOUNT_MAX)
		fail_msg("kcount_parse('%s') = OK with %" PRId64 " > KCOUNT_MAX", s, v);
}

/* ---- ktime_parse and formatting ---- */

static const struct {
	const char *in;
	int64_t want;
} time_ok[] = {
	{"2025-09-02T10:15:00+08:00", 1756779300},
	{"2025-09-02t10:15:00+08:00", 1756779300},
	{"2025-09-02T02:15:00Z", 1756779300},
	{"2025-09-02T10:15:00+0800", 1756779300},
	{"2025-09-02T10:15:00+08", 1756779300},
	{"2025-09-02T10:15:00", 1756779300},          /* no offset: +08:00 */
	{"2025-09-02T10:15:00-05:00", 1756826100},
	{"2025-09-02T10:15:00+00:00", 1756808100},
	{"2025-09-02T10:15:30.5+08:00", 1756779330},  /* fraction dropped */
	{"2025-09-02 10:15", 1756779300},
	{"2025-09-02 10:15:00 +08:00", 1756779300},
	{"2025-09-02", 1756742400},                   /* midnight +08:00 */
	{"2024-02-29", 1709136000},
	{"  2025-09-02T10:15:00+08:00  ", 1756779300},
	{"1756779300", 1756779300},
	{"1756779300000", 1756779300},                /* milliseconds */
	{"1756779300999", 1756779300},
	{"Tue Sep 02 10:15:00 +0800 2025", 1756779300},
	{"Tue, 02 Sep 2025 10:15:00 +0800", 1756779300},
	{"Tue, 2 Sep 2025 10:15:00 +0800", 1756779300},
	{"Tue, 02 Sep 2025 02:15:00 GMT", 1756779300},
	{"2000-01-01T00:00:00Z", 946684800},
	{"2099-12-31T23:59:59Z", 4102444799},
};

static void test_ktime_parse_ok(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(time_ok); i++) {
		int64_t t = -1;
		const char *why = NULL;
		int rc = ktime_parse(time_ok[i].in, strlen(time_ok[i].in), &t, &why);

		row_check(&bad, rc == 0 && t == time_ok[i].want,
			  "ktime_parse('%s') = %d, %" PRId64 " (%s); want %" PRId64, time_ok[i].in, rc, t,
			  rc ? why : "", time_ok[i].want);
	}
	assert_int_equal(bad, 0);
}

static const char *const time_bad[] = {
	"",
	"   ",
	"garbage",
	"25:00",
	"2025-02-30",
	"2023-02-29",
	"2025-13-01",
	"2025-00-10",
	"1999-01-01",
	"2100-01-01",
	"2025-9-2",
	"2025-09-02 25:00",
	"2025-09-02T10:60",
	"2025-09-02T10:15:00+08:00x",
	"2025-09-02T10:15:00+15:00",
	"2025-09-02T",
	"2025-09-02T10:15:00.",
	"123",             /* 1970 */
	"4102444800",      /* 2100-01-01 */
	"1234567890123456", /* 16 digits */
	"Tue Sep 02 10:15:00 +0800",
	"Tue Sep 31 10:15:00 +0800 2025",
	"Tue, 02 Sek 2025 10:15:00 +0800",
	"Tue, 02 Sep 2025 10:15:00",
};

static void test_ktime_parse_bad(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(time_bad); i++) {
		int64_t t = 42;
		const char *why = NULL;
		int rc = ktime_parse(time_bad[i], strlen(time_bad[i]), &t, &why);

		row_check(&bad, rc == -1 && why && *why,
			  "ktime_parse('%s') = %d, %" PRId64 "; want -1 with a reason", time_bad[i], rc, t);
	}
	assert_int_equal(bad, 0);
}

static void test_ktime_parse_date(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(ktime_parse_date("2025-09-01", &t), 0);
	assert_int_equal(t, 1756656000);
	assert_int_equal(ktime_parse_date("2025-10-01", &t), 0);
	assert_int_equal(t, 1759248000);
	assert_int_equal(ktime_parse_date("2025-9-1", &t), -1);
	assert_int_equal(ktime_parse_date("2025-09-01 ", &t), -1);
	assert_int_equal(ktime_parse_date("2025-09-31", &t), -1);
	assert_int_equal(ktime_parse_date("", &t), -1);
}

static void test_ktime_from_civil(void **state)
{
	(void)state;
	assert_int_equal(ktime_from_civil(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(ktime_from_civil(2025, 9, 2, 2, 15, 0), 1756779300);
	assert_int_equal(ktime_from_civil(2000, 3, 1, 0, 0, 0), 951868800);
}

static void test_ktime_format(void **state)
{
	static const struct {
		int64_t t;
		const char *cst, *date;
	} rows[] = {
		{1756779300, "2025-09-02T10:15:00+08:00", "2025-09-02"},
		{1756742399, "2025-09-01T23:59:59+08:00", "2025-09-01"},
		{1756742400, "2025-09-02T00:00:00+08:00", "2025-09-02"},
		{1756713600, "2025-09-01T16:00:00+08:00", "2025-09-01"}, /* 08:00Z */
		{1709222399, "2024-02-29T23:59:59+08:00", "2024-02-29"},
		{946684800, "2000-01-01T08:00:00+08:00", "2000-01-01"},
		{4102444799, "2100-01-01T07:59:59+08:00", "2100-01-01"},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		char cst[32], date[16];

		ktime_format_cst(rows[i].t, cst);
		ktime_format_date(rows[i].t, date);
		row_check(&bad, !strcmp(cst, rows[i].cst) && !strcmp(date, rows[i].date),
			  "%" PRId64 ": '%s' '%s', want '%s' '%s'", rows[i].t, cst, date, rows[i].cst,
			  rows[i].date);
	}
	assert_int_equal(bad, 0);
}

/* Format then parse gives the same second, over four years of hours
 * (leap day included) and the edges of the accepted range. */
static void test_ktime_round_trip(void **state)
{
	int bad = 0;

	(void)state;
	for (int64_t t = 1704067200; t < 1704067200 + 4LL * 366 * 86400; t += 3607) {
		char cst[32], date[16];
		int64_t back = 0, day = 0;
		const char *why = NULL;

		ktime_format_cst(t, cst);
		ktime_format_date(t, date);
		row_check(&bad, ktime_parse(cst, strlen(cst), &back, &why) == 0 && back == t,
			  "%" PRId64 " -> '%s' -> %" PRId64, t, cst, back);
		row_check(&bad, ktime_parse_date(date, &day) == 0 && day <= t && t < day + 86400,
			  "%" PRId64 " -> date '%s' -> %" PRId64, t, date, day);
		if (bad > 5)
			break;
	}
	assert_int_equal(bad, 0);
}

/* ---- UTF-8 ---- */

static void test_utf8_invalid_at(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		long want;
		const char *what;
	} rows[] = {
		{"", 0, -1, "empty"},
		{"plain ascii", 11, -1, "ascii"},
		{"千万IP创科普", 17, -1, "valid CJK"},
		{"\xF0\x9F\x94\xAC 科学", 11, -1, "4-byte emoji"},
		{"\xF4\x8F\xBF\xBF", 4, -1, "U+10FFFF"},
		{"\xEF\xBB\xBF", 3, -1, "BOM"},
		{"ab\xC0\x80", 4, 2, "overlong C0 80"},
		{"\xC1\xBF", 2, 0, "overlong C1"},
		{"\xE0\x80\xAF", 3, 0, "overlong E0 80 AF"},
		{"\xF0\x80\x80\xAF", 4, 0, "overlong F0 80"},
		{"a\xED\xA0\x80", 4, 1, "surrogate ED A0 80"},
		{"\xED\xBF\xBF", 3, 0, "surrogate ED BF BF"},
		{"\xED\x9F\xBF", 3, -1, "U+D7FF just below surrogates"},
		{"科\xE6\x99", 5, 3, "truncated sequence at the end"},
		{"\xE6\x99" "abc", 5, 0, "truncated sequence mid-string"},
		{"\xE6\x99\xC0", 3, 0, "bad continuation"},
		{"ab\0cd", 5, 2, "NUL"},
		{"\xF5\x80\x80\x80", 4, 0, "F5"},
		{"\xFF", 1, 0, "FF"},
		{"\xF4\x90\x80\x80", 4, 0, "past U+10FFFF"},
		{"x\x80", 2, 1, "lone continuation"},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		long at = utf8_invalid_at(rows[i].s, rows[i].n);
		row_check(&bad, at == rows[i].want, "%s: utf8_invalid_at = %ld, want %ld", rows[i].what,
			  at, rows[i].want);
	}
	assert_int_equal(bad, 0);
}

static void test_utf8_encode_decode(void **state)
{
	static const struct {
		uint32_t cp;
		const char *bytes;
	} rows[] = {
		{0x41, "A"},
		{0xE9, "\xC3\xA9"},
		{0x5343, "\xE5\x8D\x83"}, /* 千 */
		{0xFF03, "\xEF\xBC\x83"}, /* ＃ */
		{0x1F52C, "\xF0\x9F\x94\xAC"},
		{0x10FFFF, "\xF4\x8F\xBF\xBF"},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		char out[4];
		uint32_t cp = 0;
		int n = utf8_encode(rows[i].cp, out);
		size_t want = strlen(rows[i].bytes);

		row_check(&bad, n == (int)want && !memcmp(out, rows[i].bytes, want),
			  "utf8_encode(U+%04X) wrong", (unsigned)rows[i].cp);
		row_check(&bad,
			  utf8_decode((const unsigned char *)rows[i].bytes, &cp) == (int)want &&
				  cp == rows[i].cp,
			  "utf8_decode of U+%04X gave U+%04X", (unsigned)rows[i].cp, (unsigned)cp);
	}
	assert_int_equal(bad, 0);
}

/* ---- kbuf ---- */

static void test_kbuf_cap(void **state)
{
	struct kbuf b;
	struct kerr e;

	(void)state;
	kbuf_init(&b, 8);
	kerr_clear(&e);
	assert_null(b.data);
	assert_int_equal(kbuf_adds(&b, "12345", &e), 0);
	assert_int_equal(kbuf_add(&b, "678", 3, &e), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");

	/* one byte past the cap: refused, contents intact */
	assert_int_equal(kbuf_addc(&b, '9', &e), -1);
	assert_int_equal(e.code, KERR_NOMEM);
	assert_contains(e.msg, "8 bytes");
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(kbuf_addf(&b, &e, "%d", 1), -1);
	assert_int_equal(b.len, 8);

	/* sizes that would overflow len + n are refused, not wrapped */
	assert_int_equal(kbuf_grow(&b, SIZE_MAX, &e), -1);
	assert_int_equal(kbuf_grow(&b, SIZE_MAX - 4, &e), -1);

	/* reset keeps the cap: exactly 8 fit again */
	kbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(kbuf_addf(&b, &e, "x=%d;%s", 42, "ab"), 0);
	assert_string_equal(b.data, "x=42;ab");
	assert_int_equal(kbuf_addf(&b, &e, "%s", "yz"), -1);
	assert_string_equal(b.data, "x=42;ab");
	kbuf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 8);
}

static void test_kbuf_grow_and_detach(void **state)
{
	struct kbuf b;
	struct kerr e;
	char *s;

	(void)state;
	kbuf_init(&b, 1 << 20);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(kbuf_addf(&b, &e, "%04d", i % 10000), 0);
	assert_int_equal(b.len, 40000);
	assert_memory_equal(b.data, "000000010002", 12);
	assert_memory_equal(b.data + 39996, "9999", 5); /* with the NUL */
	s = kbuf_detach(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(strlen(s), 40000);
	free(s);

	/* detach of an empty buffer is an empty string the caller frees */
	s = kbuf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

/* ---- arena ---- */

static void test_arena_pointers_stay_valid(void **state)
{
	enum { N = 20000 };
	struct arena a;
	char **p = calloc(N, sizeof(*p));
	int bad = 0;

	(void)state;
	assert_non_null(p);
	arena_init(&a);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			char tmp[64];
			/* mostly small strings, now and then one bigger than a block */
			size_t n = (size_t)snprintf(tmp, sizeof(tmp), "s%d-%d", round, i);
			if (i % 5000 == 4999) {
				size_t big = 100 * 1024;
				p[i] = arena_alloc(&a, big);
				assert_non_null(p[i]);
				memset(p[i], 'x', big - 1);
				p[i][big - 1] = '\0';
				continue;
			}
			p[i] = arena_strndup(&a, tmp, n);
			assert_non_null(p[i]);
			row_check(&bad, ((uintptr_t)p[i] & 15) == 0, "allocation %d not 16-aligned", i);
		}
		for (int i = 0; i < N; i++) {
			char tmp[64];
			if (i % 5000 == 4999) {
				row_check(&bad, strlen(p[i]) == 100 * 1024 - 1 && p[i][0] == 'x',
					  "big allocation %d overwritten", i);
				continue;
			}
			snprintf(tmp, sizeof(tmp), "s%d-%d", round, i);
			row_check(&bad, !strcmp(p[i], tmp), "round %d string %d is '%.20s', want '%s'", round,
				  i, p[i], tmp);
			if (bad > 5)
				break;
		}
		assert_int_equal(bad, 0);
		assert_true(a.total >= (size_t)N * 16);
		arena_reset(&a);
		assert_int_equal(a.total, 0);
		assert_null(a.head);
	}
	/* an allocation too large to satisfy is NULL, not a wrapped size */
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 8));
	arena_release(&a);
	assert_null(a.head);
	assert_null(a.spare);
	free(p);
}

static void test_arena_strndup(void **state)
{
	struct arena a;
	char *s;

	(void)state;
	arena_init(&a);
	s = arena_strndup(&a, "科普ABC", 6);
	assert_string_equal(s, "科普");
	s = arena_strndup(&a, "", 0);
	assert_string_equal(s, "");
	arena_release(&a);
}

/* ---- jsonw ---- */

static void test_jsonw_str(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"plain", "\"plain\""},
		{"", "\"\""},
		{"say \"hi\"", "\"say \\\"hi\\\"\""},
		{"a\\b", "\"a\\\\b\""},
		{"line1\nline2", "\"line1\\nline2\""},
		{"\r\t", "\"\\r\\t\""},
		{"\x01", "\"\\u0001\""},
		{"x\x1fy", "\"x\\u001fy\""},
		{"\b\f", "\"\\u0008\\u000c\""},
		{"千万IP创科普", "\"千万IP创科普\""},
		{"/</script>", "\"/</script>\""},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		struct kbuf b;
		struct kerr e;

		kbuf_init(&b, 1024);
		row_check(&bad, jsonw_str(&b, rows[i].in, &e) == 0 && b.data && !strcmp(b.data, rows[i].want),
			  "jsonw_str gave %s, want %s", b.data ? b.data : "(null)", rows[i].want);
		kbuf_release(&b);
	}
	assert_int_equal(bad, 0);
}

static void test_jsonw_key_int_null(void **state)
{
	struct kbuf b;
	struct kerr e;

	(void)state;
	kbuf_init(&b, 1024);
	assert_int_equal(jsonw_key(&b, "k\"", &e), 0);
	assert_int_equal(jsonw_int(&b, INT64_MIN, &e), 0);
	assert_int_equal(kbuf_addc(&b, ',', &e), 0);
	assert_int_equal(jsonw_str(&b, NULL, &e), 0);
	assert_string_equal(b.data, "\"k\\\"\":-9223372036854775808,null");
	kbuf_release(&b);

	/* the cap holds inside an escape too */
	kbuf_init(&b, 5);
	assert_int_equal(jsonw_str(&b, "\x01", &e), -1);
	assert_int_equal(e.code, KERR_NOMEM);
	kbuf_release(&b);
}

/* ---- khash ---- */

static void test_khash(void **state)
{
	(void)state;
	/* FNV-1a 64 test vectors */
	assert_true(khash(KHASH_SEED, "", 0) == 0xcbf29ce484222325ULL);
	assert_true(khash(KHASH_SEED, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(khash(KHASH_SEED, "foobar", 6) == 0x85944171f73967e8ULL);
	/* chaining is hashing the concatenation */
	assert_true(khash(khash(KHASH_SEED, "foo", 3), "bar", 3) == khash(KHASH_SEED, "foobar", 6));
}

/* ---- kerr ---- */

static void test_kerr(void **state)
{
	struct kerr e;
	char big[2000];

	(void)state;
	assert_int_equal(kerr_set(&e, KERR_DATA, "bad %s at %d", "line", 3), -1);
	assert_int_equal(e.code, KERR_DATA);
	assert_string_equal(e.msg, "bad line at 3");
	assert_int_equal(kerr_prefix(&e, "%s:%d", "f.ndjson", 7), -1);
	assert_string_equal(e.msg, "f.ndjson:7: bad line at 3");
	assert_int_equal(e.code, KERR_DATA);
	assert_int_equal(kerr_set(NULL, KERR_IO, "x"), -1);

	/* a prefix too long for the message is cut, and the result still ends */
	memset(big, 'p', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kerr_prefix(&e, "%s", big);
	assert_true(strlen(e.msg) < sizeof(e.msg));
	kerr_clear(&e);
	assert_int_equal(e.code, KERR_OK);
	assert_string_equal(e.msg, "");
}

/* ---- human.h: numbers and dates for people ---- */

static void test_human_numbers(void **state)
{
	char b[HUMAN_SIZE];

	(void)state;
	assert_string_equal(human_int(0, b), "0");
	assert_string_equal(human_int(999, b), "999");
	assert_string_equal(human_int(1000, b), "1,000");
	assert_string_equal(human_int(1234567, b), "1,234,567");
	assert_string_equal(human_int(-1234567, b), "-1,234,567");
	assert_string_equal(human_int(INT64_MIN, b), "-9,223,372,036,854,775,808");
	assert_string_equal(human_wan(9999, b), "9999");
	assert_string_equal(human_wan(10000, b), "1万");
	assert_string_equal(human_wan(41553000, b), "4155.3万");
	assert_string_equal(human_wan(120000, b), "12万");
	assert_string_equal(human_wan(9274636, b), "927.5万");
	assert_string_equal(human_wan(99999999, b), "1亿"); /* not "10000万" */
	assert_string_equal(human_wan(120000000, b), "1.2亿");
	assert_string_equal(human_wan(-25000, b), "-2.5万");
	assert_string_equal(human_index(138, b), "138.0");
	assert_string_equal(human_index(62.25, b), "62.2");
	assert_string_equal(human_index(12345.64, b), "12,345.6");
	assert_string_equal(human_index(999.96, b), "1,000.0");
	assert_string_equal(human_index(-1234567.0, b), "-1,234,567.0");
}

static void test_human_dates(void **state)
{
	char b[HUMAN_SIZE];
	int64_t t = 1756954445; /* 2025-09-04T02:54:05Z = 10:54:05 in Beijing */

	(void)state;
	assert_string_equal(human_datetime(t, b), "9月4日 10:54");
	assert_string_equal(human_date_long(t, b), "2025年9月4日");
	assert_string_equal(human_date_short(t, b), "9月4日");
	/* 16:30 UTC on 31 August is already 1 September in Beijing */
	assert_string_equal(human_date_long(1756657800, b), "2025年9月1日");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kcount_ok),
		cmocka_unit_test(test_kcount_empty),
		cmocka_unit_test(test_kcount_bad),
		cmocka_unit_test(test_kcount_reads_only_n_bytes),
		cmocka_unit_test(test_kcount_rejects_long_first_group),
		cmocka_unit_test(test_kcount_max_holds_with_fraction),
		cmocka_unit_test(test_ktime_parse_ok),
		cmocka_unit_test(test_ktime_parse_bad),
		cmocka_unit_test(test_ktime_parse_date),
		cmocka_unit_test(test_ktime_from_civil),
		cmocka_unit_test(test_ktime_format),
		cmocka_unit_test(test_ktime_round_trip),
		cmocka_unit_test(test_utf8_invalid_at),
		cmocka_unit_test(test_utf8_encode_decode),
		cmocka_unit_test(test_kbuf_cap),
		cmocka_unit_test(test_kbuf_grow_and_detach),
		cmocka_unit_test(test_arena_pointers_stay_valid),
		cmocka_unit_test(test_arena_strndup),
		cmocka_unit_test(test_jsonw_str),
		cmocka_unit_test(test_jsonw_key_int_null),
		cmocka_unit_test(test_khash),
		cmocka_unit_test(test_kerr),
		cmocka_unit_test(test_human_numbers),
		cmocka_unit_test(test_human_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
