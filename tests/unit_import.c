/*
 * unit_import.c: collector/ import: import_parse_json() on good and bad
 * NDJSON records (each error names its field), its own scanner against
 * jansson on thousands of records, and import_files() end to
 * end on scratch files through a real store, with the real matchers:
 * statistics, diagnostics with FILE:LINE, CSV quoting, long lines,
 * missing and empty files, and re-importing.
 */
#include "testutil.h"

#include <inttypes.h>

#include "../collector/collector.h"
#include "../config/config.h"

/* ---- import_parse_json ---- */

static void test_parse_full_record(void **state)
{
	static const char line[] =
		"{\"platform\":\"douyin\",\"post_id\":7412345678901234567,"
		"\"url\":null,\"author_id\":\"88\",\"author_name\":\"渝北融媒\","
		"\"ip_location\":\"IP属地：重庆\",\"created_at\":\"2025-09-02T10:15:00+08:00\","
		"\"title\":\"火箭\",\"text\":\"#千万IP创科普# 看火箭\","
		"\"topics\":[\"千万IP创科普\",\"航天科普\"],"
		"\"views\":250000,\"likes\":\"1.2万\",\"comments\":null,\"shares\":\"10万+\","
		"\"favorites\":\" 1,234 \"}";
	struct arena a;
	struct post p;
	struct kerr e;

	(void)state;
	arena_init(&a);
	if (import_parse_json(line, sizeof(line) - 1, &p, &a, &e) < 0)
		fail_msg("import_parse_json: %s", e.msg);
	assert_string_equal(p.platform, "douyin");
	assert_string_equal(p.post_id, "7412345678901234567");
	assert_null(p.url);
	assert_string_equal(p.author_id, "88");
	assert_string_equal(p.author_name, "渝北融媒");
	assert_string_equal(p.ip_location, "IP属地：重庆");
	assert_null(p.author_location);
	assert_int_equal(p.created_at, 1756779300);
	assert_string_equal(p.title, "火箭");
	assert_string_equal(p.text, "#千万IP创科普# 看火箭");
	assert_int_equal(p.ntopics, 2);
	assert_string_equal(p.topics[0], "千万IP创科普");
	assert_string_equal(p.topics[1], "航天科普");
	assert_int_equal(p.counts[PC_VIEWS], 250000);
	assert_int_equal(p.counts[PC_LIKES], 12000);
	assert_int_equal(p.counts[PC_SHARES], 100000);
	assert_int_equal(p.counts[PC_FAVORITES], 1234);
	assert_int_equal(p.known, (1u << PC_VIEWS) | (1u << PC_LIKES) | (1u << PC_SHARES) |
					  (1u << PC_FAVORITES));
	assert_int_equal(p.lower, 1u << PC_SHARES);
	assert_int_equal(p.in_chongqing, -1);
	assert_int_equal(p.first_seen, 0);
	arena_release(&a);
}

/* Platform aliases, integer times, trimmed ids, and the fields export
 * writes (accepted, then recomputed by ingest). */
static void test_parse_variants(void **state)
{
	static const struct {
		const char *line;
		const char *platform, *post_id;
		int64_t created_at, first_seen;
	} rows[] = {
		{"{\"platform\":\"微博\",\"post_id\":\"1\",\"created_at\":1756779300}", "weibo", "1",
		 1756779300, 0},
		{"{\"platform\":\"Weibo\",\"post_id\":\" 2 \",\"created_at\":1756779300000}", "weibo", "2",
		 1756779300, 0},
		{"{\"platform\":\"B站\",\"post_id\":\"BV1xK4y1a7Zq\",\"created_at\":\"Tue Sep 02 10:15:00 +0800 2025\"}",
		 "bilibili", "BV1xK4y1a7Zq", 1756779300, 0},
		{"{\"platform\":\"视频号\",\"post_id\":0,\"created_at\":\"2025-09-02 10:15\"}",
		 "wechat_channels", "0", 1756779300, 0},
		{"{\"platform\":\"other\",\"post_id\":\"x\",\"created_at\":\"2025-09-02\","
		 "\"hashtags\":[\"a\"],\"campaign_tags\":[],\"district\":\"江津区\",\"district_code\":\"500116\","
		 "\"in_chongqing\":true,\"attribution_method\":\"text\","
		 "\"first_seen\":\"2025-09-03T00:00:00+08:00\",\"last_seen\":null}",
		 "other", "x", 1756742400, 1756828800},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		struct arena a;
		struct post p;
		struct kerr e;
		int rc;

		arena_init(&a);
		rc = import_parse_json(rows[i].line, strlen(rows[i].line), &p, &a, &e);
		row_check(&bad,
			  rc == 0 && !strcmp(p.platform, rows[i].platform) &&
				  !strcmp(p.post_id, rows[i].post_id) && p.created_at == rows[i].created_at &&
				  p.first_seen == rows[i].first_seen && !p.district && p.in_chongqing == -1,
			  "%s -> %s", rows[i].line, rc ? e.msg : "wrong fields");
		arena_release(&a);
	}
	assert_int_equal(bad, 0);
}

#define BASE "\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":\"2025-09-02\""

/* Each bad record: -1, KERR_DATA, and the message holds the fragment
 * (the field name first where there is one). */
static const struct {
	const char *line;
	const char *want;
} bad_lines[] = {
	{"{" BASE ",", "invalid JSON at column"},
	{"not json", "invalid JSON at column"},
	{"", "invalid JSON"},
	{"[1,2]", "expected a JSON object, found an array"},
	{"{\"post_id\":\"1\",\"created_at\":\"2025-09-02\"}", "platform: missing"},
	{"{\"platform\":\"weibo\",\"created_at\":\"2025-09-02\"}", "post_id: missing"},
	{"{\"platform\":\"weibo\",\"post_id\":\"1\"}", "created_at: missing"},
	{"{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":null}", "created_at: missing"},
	{"{\"platform\":\"myspace\",\"post_id\":\"1\",\"created_at\":\"2025-09-02\"}",
	 "platform: unknown platform 'myspace'"},
	{"{\"platform\":5,\"post_id\":\"1\",\"created_at\":\"2025-09-02\"}", "platform: expected a string"},
	{"{" BASE ",\"title\":5}", "title: expected a string, found an integer"},
	{"{" BASE ",\"text\":[\"a\"]}", "text: expected a string, found an array"},
	{"{" BASE ",\"topics\":\"a\"}", "topics: expected an array of strings, found a string"},
	{"{" BASE ",\"topics\":[\"a\",1]}", "topics[1]: expected a string, found an integer"},
	{"{" BASE ",\"likes\":true}", "likes: expected a string or an integer, found a boolean"},
	{"{" BASE ",\"likes\":1.5}", "likes: expected a whole number"},
	{"{" BASE ",\"views\":-5}", "views: negative count"},
	{"{" BASE ",\"comments\":\"-5\"}", "comments: negative count"},
	{"{" BASE ",\"shares\":\"abc\"}", "shares: not a count"},
	{"{" BASE ",\"favorites\":\"12.5\"}", "favorites: a count must be a whole number"},
	{"{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":\"2025-02-30\"}", "created_at: no such date"},
	{"{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":\"1999-12-31\"}", "created_at: year outside"},
	{"{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":\"yesterday\"}", "created_at: not a time"},
	{"{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":true}", "created_at: expected a string or an integer"},
	{"{" BASE ",\"first_seen\":\"soon\"}", "first_seen:"},
	{"{\"platform\":\"weibo\",\"post_id\":\"  \",\"created_at\":\"2025-09-02\"}", "post_id: empty"},
	{"{\"platform\":\"weibo\",\"post_id\":-1,\"created_at\":\"2025-09-02\"}", "post_id: negative"},
	{"{\"platform\":\"weibo\",\"post_id\":1.5,\"created_at\":\"2025-09-02\"}", "post_id: expected a whole number"},
	{"{" BASE ",\"in_chongqing\":\"yes\"}", "in_chongqing: expected true, false or null"},
	{"{" BASE ",\"hashtags\":\"a\"}", "hashtags: expected an array"},
	{"{" BASE ",\"colour\":\"red\"}", "unknown field 'colour'"},
	{"{" BASE ",\"Text\":\"a\"}", "unknown field 'Text'"},
	{"{" BASE ",\"text\":\"a\\u0000b\"}", "\\u0000"},
	{"{" BASE ",\"title\":\"a\",\"title\":\"b\"}", "duplicate"},
};

static void test_parse_bad(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad_lines); i++) {
		struct arena a;
		struct post p;
		struct kerr e;
		int rc;

		arena_init(&a);
		kerr_clear(&e);
		rc = import_parse_json(bad_lines[i].line, strlen(bad_lines[i].line), &p, &a, &e);
		row_check(&bad, rc == -1 && e.code == KERR_DATA && strstr(e.msg, bad_lines[i].want),
			  "%s -> rc %d, code %d, \"%s\"; want \"%s\"", bad_lines[i].line, rc, (int)e.code,
			  rc ? e.msg : "", bad_lines[i].want);
		arena_release(&a);
	}
	assert_int_equal(bad, 0);
}

/* Bytes that are not text: where they are, counted from 1. */
static void test_parse_bad_bytes(void **state)
{
	static const char bad_utf8[] = "{" BASE ",\"title\":\"科\xff\"}";
	static const char overlong[] = "{" BASE ",\"title\":\"\xc0\xaf\"}";
	static const char nul[] = "{" BASE ",\"title\":\"a\0b\"}";
	size_t at_ff = (size_t)(strchr(bad_utf8, '\xff') - bad_utf8) + 1;
	size_t at_c0 = (size_t)(strchr(overlong, '\xc0') - overlong) + 1;
	size_t at_nul = strlen(nul) + 1;
	struct arena a;
	struct post p;
	struct kerr e;
	char want[64];

	(void)state;
	arena_init(&a);
	assert_int_equal(import_parse_json(bad_utf8, sizeof(bad_utf8) - 1, &p, &a, &e), -1);
	assert_int_equal(e.code, KERR_DATA);
	snprintf(want, sizeof(want), "invalid UTF-8 at byte %zu", at_ff);
	assert_string_equal(e.msg, want);

	assert_int_equal(import_parse_json(overlong, sizeof(overlong) - 1, &p, &a, &e), -1);
	snprintf(want, sizeof(want), "invalid UTF-8 at byte %zu", at_c0);
	assert_string_equal(e.msg, want);

	assert_int_equal(import_parse_json(nul, sizeof(nul) - 1, &p, &a, &e), -1);
	assert_int_equal(e.code, KERR_DATA);
	snprintf(want, sizeof(want), "NUL byte at column %zu", at_nul);
	assert_string_equal(e.msg, want);
	arena_release(&a);
}

/* Only len bytes are parsed: what follows in the buffer is not read. */
static void test_parse_uses_len(void **state)
{
	static const char buf[] = "{" BASE "}garbage";
	struct arena a;
	struct post p;
	struct kerr e;

	(void)state;
	arena_init(&a);
	if (import_parse_json(buf, strlen(buf) - strlen("garbage"), &p, &a, &e) < 0)
		fail_msg("import_parse_json: %s", e.msg);
	assert_string_equal(p.post_id, "1");
	arena_release(&a);
}

/* ---- the fast path and jansson read every record alike ----
 *
 * import_parse_json() reads most records with a scanner of its own and
 * hands the rest to jansson (import_parse_json_jansson()).  Over the test
 * files, hand-picked edge cases and thousands of mutations of them, both
 * must accept the same records, read them to the same post and refuse the
 * others with the same message. */

static void dump_str(char **o, const char *end, const char *name, const char *v)
{
	int n = v ? snprintf(*o, (size_t)(end - *o), "%s=[%s]\n", name, v) : snprintf(*o, (size_t)(end - *o), "%s=NULL\n", name);

	if (n > 0 && *o + n < end)
		*o += n;
}

static void dump_post(const struct post *p, char *buf, size_t cap)
{
	char *o = buf, *end = buf + cap;

	*o = '\0';
	dump_str(&o, end, "platform", p->platform);
	dump_str(&o, end, "post_id", p->post_id);
	dump_str(&o, end, "url", p->url);
	dump_str(&o, end, "author_id", p->author_id);
	dump_str(&o, end, "author_name", p->author_name);
	dump_str(&o, end, "author_location", p->author_location);
	dump_str(&o, end, "ip_location", p->ip_location);
	dump_str(&o, end, "title", p->title);
	dump_str(&o, end, "text", p->text);
	dump_str(&o, end, "cover_url", p->cover_url);
	dump_str(&o, end, "media", p->media);
	dump_str(&o, end, "district", p->district);
	dump_str(&o, end, "district_code", p->district_code);
	dump_str(&o, end, "method", p->attribution_method);
	for (size_t i = 0; i < p->ntopics; i++)
		dump_str(&o, end, "topic", p->topics[i]);
	o += snprintf(o, (size_t)(end - o), "ntopics=%zu topics=%s times=%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
		      " known=%u lower=%u in_cq=%d",
		      p->ntopics, p->topics ? "list" : "NULL", p->created_at, p->first_seen, p->last_seen, p->deleted_at,
		      p->known, p->lower, p->in_chongqing);
	for (int k = 0; k < PC_N && o < end; k++)
		o += snprintf(o, (size_t)(end - o), " %" PRId64, p->counts[k]);
}

/* 1 when both readers agree on line (a message for the first that does
 * not in why). */
static int parsers_agree(const char *line, size_t len, char *why, size_t cap)
{
	static char d1[1 << 16], d2[1 << 16];
	struct arena a1, a2;
	struct post p1, p2;
	struct kerr e1, e2;
	int r1, r2, same;

	arena_init(&a1);
	arena_init(&a2);
	kerr_clear(&e1);
	kerr_clear(&e2);
	r1 = import_parse_json(line, len, &p1, &a1, &e1);
	r2 = import_parse_json_jansson(line, len, &p2, &a2, &e2);
	if (r1 != r2)
		snprintf(why, cap, "fast %d (%s), jansson %d (%s)", r1, e1.msg, r2, e2.msg);
	else if (r1 < 0 && strcmp(e1.msg, e2.msg))
		snprintf(why, cap, "fast \"%s\", jansson \"%s\"", e1.msg, e2.msg);
	else if (r1 == 0) {
		dump_post(&p1, d1, sizeof(d1));
		dump_post(&p2, d2, sizeof(d2));
		if (strcmp(d1, d2))
			snprintf(why, cap, "fast:\n%.1900s\njansson:\n%.1900s", d1, d2);
	}
	same = r1 == r2 && (r1 < 0 ? !strcmp(e1.msg, e2.msg) : !strcmp(d1, d2));
	arena_release(&a1);
	arena_release(&a2);
	return same;
}

/* Lines chosen for the scanner's edges: escapes, numbers, literals,
 * arrays, white space, keys. */
static const char *const edge_lines[] = {
	"{" BASE "}",
	" \t{ " BASE " } \r",
	"{" BASE ",\"title\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\"}",
	"{" BASE ",\"title\":\"\\u0041\\u00e9\\u4e2d\\uD83D\\uDE00\"}",
	"{" BASE ",\"title\":\"\\ud83d\"}",
	"{" BASE ",\"title\":\"\\ude00x\"}",
	"{" BASE ",\"title\":\"\\ud83d\\u0041\"}",
	"{" BASE ",\"title\":\"\\u00\"}",
	"{" BASE ",\"title\":\"\\u00zz\"}",
	"{" BASE ",\"title\":\"\\x41\"}",
	"{" BASE ",\"title\":\"a\tb\"}",
	"{" BASE ",\"title\":\"a\\u0000\"}",
	"{" BASE ",\"ti\\u0074le\":\"a\"}",
	"{" BASE ",\"views\":0,\"likes\":00}",
	"{" BASE ",\"views\":123456789012345678}",
	"{" BASE ",\"views\":1234567890123456789}",
	"{" BASE ",\"views\":12345678901234567890123}",
	"{" BASE ",\"views\":1e3}",
	"{" BASE ",\"views\":1.0}",
	"{" BASE ",\"views\":-0}",
	"{" BASE ",\"views\":12a}",
	"{" BASE ",\"views\":\"12万\",\"shares\":\"10万+\"}",
	"{\"platform\":\"weibo\",\"post_id\":12,\"created_at\":1756779300}",
	"{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":1756779300000,\"deleted_at\":\"\"}",
	"{" BASE ",\"in_chongqing\":true,\"hashtags\":[],\"campaign_tags\":[\"a\",\"b\"]}",
	"{" BASE ",\"in_chongqing\":false}",
	"{" BASE ",\"in_chongqing\":null,\"title\":null,\"views\":null,\"topics\":null}",
	"{" BASE ",\"in_chongqing\":nul}",
	"{" BASE ",\"title\":nullx}",
	"{" BASE ",\"title\":true}",
	"{" BASE ",\"hashtags\":[1,{\"a\":[]}]}",
	"{" BASE ",\"hashtags\":[\"a\" , \"b\" ]}",
	"{" BASE ",\"topics\":[]}",
	"{" BASE ",\"topics\":[ ]}",
	"{" BASE ",\"topics\":[\"a\",]}",
	"{" BASE ",\"topics\":[\"a\" \"b\"]}",
	"{" BASE ",\"topics\":[\"a\\n\",\"\\u4e2d\"]}",
	"{" BASE ",\"title\":{}}",
	"{" BASE ",}",
	"{" BASE "}}",
	"{" BASE "} x",
	"{" BASE ",\"title\":\"a\",}",
	"{" BASE " \"title\":\"a\"}",
	"{" BASE ",\"title\" \"a\"}",
	"{" BASE ",\"title\":\"a\"",
	"{" BASE ",\"title\":\"a",
	"{" BASE ",\"title\":\"a\\",
	"{}",
	"{ }",
	"[]",
	"\"a\"",
	"12",
	"\xef\xbb\xbf{" BASE "}",
	"{" BASE ",\"media\":\"video\",\"cover_url\":\"https://x/y.jpg\"}",
	"{" BASE ",\"media\":\"film\"}",
	"{" BASE ",\"attribution_method\":\"manual\",\"district_code\":\"500116\",\"district\":\"江津区\"}",
	"{\"platform\":\"B站\",\"post_id\":\" BV1 \",\"created_at\":\"Tue Sep 02 10:15:00 +0800 2025\"}",
	"{\"platform\":\"weibo\",\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":\"2025-09-02\"}",
};

static uint64_t rng_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A mutation of base into out: a byte replaced, a snippet inserted or a
 * span cut. */
static size_t mutate(const char *base, size_t n, char *out, size_t cap, uint64_t *rng)
{
	static const char bytes[] = "\"\\{}[],:01-.eEnftu \t\x01\x7f";
	static const char *const snippets[] = {
		"\\u0041", "\\ud83d\\ude00", "\\ud83d", "\\u0000", "\\n", "\\/", "\\\"", "\\x", "null", "true",
		"[]", "[\"a\"]", "{}", "0", "00", "1e5", "-1", "12345678901234567890", ",\"title\":\"t\"",
		",\"text\":null", ",\"views\":7", ",\"topics\":[\"x\",\"y\"]", " ", "\\", "\"", "\xe4\xb8\xad",
	};
	size_t at = n ? (size_t)(rng_next(rng) % (n + 1)) : 0, k;

	switch (rng_next(rng) % 3) {
	case 0:
		if (!n)
			break;
		memcpy(out, base, n);
		out[at < n ? at : n - 1] = bytes[rng_next(rng) % (sizeof(bytes) - 1)];
		return n;
	case 1: {
		const char *sn = snippets[rng_next(rng) % ARRAY_LEN(snippets)];
		size_t sl = strlen(sn);

		if (n + sl > cap)
			break;
		memcpy(out, base, at);
		memcpy(out + at, sn, sl);
		memcpy(out + at + sl, base + at, n - at);
		return n + sl;
	}
	default:
		k = (size_t)(rng_next(rng) % 8) + 1;
		if (at + k > n)
			k = n - at;
		memcpy(out, base, at);
		memcpy(out + at, base + at + k, n - at - k);
		return n - k;
	}
	memcpy(out, base, n);
	return n;
}

static void check_agree(int *bad, const char *line, size_t len)
{
	char why[1 << 12];

	why[0] = '\0';
	row_check(bad, parsers_agree(line, len, why, sizeof(why)), "%.*s\n%s", (int)len, line, why);
}

static void test_fast_path_agrees_with_jansson(void **state)
{
	static const char *const files[] = {"tests/data/good.ndjson", "tests/data/bad.ndjson",
					    "tests/data/featured.ndjson", "tests/data/good.expected.ndjson"};
	static char lines[256][4096], buf[8192];
	size_t nlines = 0, lens[256];
	uint64_t rng = 0x9e3779b97f4a7c15u;
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(edge_lines) && nlines < 256; i++, nlines++) {
		snprintf(lines[nlines], sizeof(lines[0]), "%s", edge_lines[i]);
		lens[nlines] = strlen(lines[nlines]);
	}
	for (size_t i = 0; i < ARRAY_LEN(bad_lines) && nlines < 256; i++, nlines++) {
		snprintf(lines[nlines], sizeof(lines[0]), "%s", bad_lines[i].line);
		lens[nlines] = strlen(lines[nlines]);
	}
	for (size_t f = 0; f < ARRAY_LEN(files); f++) {
		FILE *in = fopen(files[f], "r");

		if (!in)
			fail_msg("cannot open %s (run from the top directory)", files[f]);
		while (nlines < 256 && fgets(lines[nlines], sizeof(lines[0]), in)) {
			lens[nlines] = strcspn(lines[nlines], "\n");
			nlines++;
		}
		fclose(in);
	}
	for (size_t i = 0; i < nlines; i++) {
		check_agree(&bad, lines[i], lens[i]);
		for (int m = 0; m < 300; m++) {
			size_t n = mutate(lines[i], lens[i], buf, sizeof(buf), &rng);
			/* and a second mutation on top of the first, half the time */
			if (rng_next(&rng) & 1) {
				static char twice[8192];
				n = mutate(buf, n, twice, sizeof(twice), &rng);
				memcpy(buf, twice, n);
			}
			check_agree(&bad, buf, n);
		}
	}
	assert_int_equal(bad, 0);
}

/* ---- import_files ---- */

struct diags {
	char *msg[64];
	size_t n;
};

static void on_diag(void *ctx, const char *msg)
{
	struct diags *d = ctx;

	if (d->n < ARRAY_LEN(d->msg))
		d->msg[d->n] = strdup(msg);
	d->n++;
}

struct fixture {
	struct config cfg;
	struct tmpdir dir;
	char db[128];
	struct store *st;
	struct tags *tags;
	struct gazetteer *gaz;
	struct ingest ing;
	struct diags diags;
	struct import_stats stats;
};

static int setup(void **state)
{
	static const char *const campaign[] = {CONFIG_DEFAULT_TAG};
	struct fixture *f = calloc(1, sizeof(*f));
	struct kerr e;

	if (!f)
		return -1;
	*state = f;
	tmpdir_make(&f->dir);
	tmpdir_file(&f->dir, "kepu.db", f->db, sizeof(f->db));
	if (config_load(&f->cfg, NULL, &e) < 0 || store_open(&f->st, f->db, &e) < 0 ||
	    tags_new(&f->tags, campaign, 1, &e) < 0 ||
	    district_new(&f->gaz, &f->cfg.districts, NULL, 0, &e) < 0) {
		print_error("setup: %s\n", e.msg);
		return -1;
	}
	f->ing.tags = f->tags;
	f->ing.gazetteer = f->gaz;
	f->ing.keep_all = 0;
	return 0;
}

static void diags_clear(struct diags *d)
{
	for (size_t i = 0; i < d->n && i < ARRAY_LEN(d->msg); i++)
		free(d->msg[i]);
	d->n = 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	diags_clear(&f->diags);
	store_close(f->st);
	tags_free(f->tags);
	district_free(f->gaz);
	config_release(&f->cfg);
	tmpdir_remove(&f->dir);
	free(f);
	return 0;
}

/* Import files (diagnostics and stats into f); the call itself must work. */
static void import(struct fixture *f, const char *const *files, size_t n, enum import_format fmt)
{
	struct kerr e;

	diags_clear(&f->diags);
	kerr_clear(&e);
	if (import_files(f->st, &f->ing, files, n, fmt, 0, on_diag, &f->diags, &f->stats, &e) < 0)
		fail_msg("import_files: %s", e.msg);
}

static void import1(struct fixture *f, const char *path)
{
	import(f, &path, 1, IMPORT_AUTO);
}

static int64_t count(struct store *st, const char *what)
{
	int64_t n = -1;
	struct kerr e;

	if (store_count(st, what, &n, &e) < 0)
		fail_msg("store_count(%s): %s", what, e.msg);
	return n;
}

/* Diagnostic i is about path at line (0: the file as a whole) and holds
 * the fragment. */
static void assert_diag(const struct fixture *f, size_t i, const char *path, long line,
			const char *fragment)
{
	char want[256];

	if (i >= f->diags.n)
		fail_msg("diagnostic %zu missing (%zu in all)", i, f->diags.n);
	if (line > 0)
		snprintf(want, sizeof(want), "%s:%ld: ", path, line);
	else
		snprintf(want, sizeof(want), "%s: ", path);
	assert_prefix(f->diags.msg[i], want);
	assert_contains(f->diags.msg[i], fragment);
}

#define STATS(f, lines_, kept_, skipped_, added_, updated_, unchanged_, errors_)                     \
	do {                                                                                     \
		const struct import_stats *s_ = &(f)->stats;                                     \
		if (s_->lines != (lines_) || s_->kept != (kept_) || s_->skipped != (skipped_) || \
		    s_->added != (added_) || s_->updated != (updated_) ||                        \
		    s_->unchanged != (unchanged_) || s_->errors != (errors_))                    \
			fail_msg("stats lines %ld kept %ld skipped %ld added %ld updated %ld "   \
				 "unchanged %ld errors %ld; want %d %d %d %d %d %d %d",          \
				 s_->lines, s_->kept, s_->skipped, s_->added, s_->updated,       \
				 s_->unchanged, s_->errors, lines_, kept_, skipped_, added_,     \
				 updated_, unchanged_, errors_);                                 \
	} while (0)

/* One good NDJSON record with the campaign tag. */
static int good_line(char *out, size_t cap, const char *id, const char *extra)
{
	return snprintf(out, cap,
			"{\"platform\":\"weibo\",\"post_id\":\"%s\",\"created_at\":\"2025-09-02T10:15:00+08:00\","
			"\"text\":\"#千万IP创科普# 第%s条\",\"likes\":\"1.2万\"%s}",
			id, id, extra ? extra : "");
}

static void test_ndjson_good_and_bad(void **state)
{
	struct fixture *f = *state;
	char path[160], g1[256], g2[256], g3[256], text[1024];
	struct rows rs;

	good_line(g1, sizeof(g1), "1", ",\"author_name\":\"江津科协\"");
	good_line(g2, sizeof(g2), "2", NULL);
	good_line(g3, sizeof(g3), "3", NULL);
	snprintf(text, sizeof(text),
		 "%s\n"
		 "{\"platform\":\"weibo\",\"post_id\":\"x\",\"created_at\":\"2025-02-30\"}\n"
		 "%s\n"
		 "not json\n"
		 "%s\n",
		 g1, g2, g3);
	tmpdir_file(&f->dir, "posts.ndjson", path, sizeof(path));
	write_text(path, text);
	import1(f, path);
	STATS(f, 5, 3, 0, 3, 0, 0, 2);
	assert_int_equal(f->stats.files, 1);
	assert_int_equal(f->diags.n, 2);
	assert_diag(f, 0, path, 2, "created_at: no such date");
	assert_diag(f, 1, path, 4, "invalid JSON");
	assert_int_equal(count(f->st, "posts"), 3);

	/* ingest ran: campaign tag, hashtags and district are stored */
	read_posts(f->st, INT64_MIN, INT64_MAX, &rs);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.r[0].post_id, "1");
	assert_string_equal(rs.r[0].campaign, "千万IP创科普");
	assert_string_equal(rs.r[0].hashtags, "千万IP创科普");
	assert_string_equal(rs.r[0].district, "江津区");
	assert_string_equal(rs.r[0].attribution_method, "author");
	assert_int_equal(rs.r[0].counts[PC_LIKES], 12000);
	assert_string_equal(rs.r[1].district, "");
	assert_string_equal(rs.r[1].attribution_method, "none");
}

/* A byte order mark, CRLF line ends, blank lines (not records, but
 * counted as lines of the file), and a last line without a newline. */
static void test_ndjson_bom_crlf_blank_lines(void **state)
{
	struct fixture *f = *state;
	char path[160], g1[256], g2[256], text[1024];

	good_line(g1, sizeof(g1), "1", NULL);
	good_line(g2, sizeof(g2), "2", NULL);
	snprintf(text, sizeof(text), "\xEF\xBB\xBF%s\r\n\r\n   \r\n{\"oops\":1}\r\n\n%s", g1, g2);
	tmpdir_file(&f->dir, "crlf.ndjson", path, sizeof(path));
	write_text(path, text);
	import1(f, path);
	STATS(f, 3, 2, 0, 2, 0, 0, 1);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, path, 4, "unknown field 'oops'");
}

/* A valid post without the campaign tag is skipped unless keep_all. */
static void test_skip_without_campaign_tag(void **state)
{
	struct fixture *f = *state;
	char path[160];

	tmpdir_file(&f->dir, "other.ndjson", path, sizeof(path));
	write_text(path, "{\"platform\":\"weibo\",\"post_id\":\"1\",\"created_at\":\"2025-09-02\","
			 "\"text\":\"#千万IP创科普活动 #科普\"}\n");
	import1(f, path);
	STATS(f, 1, 0, 1, 0, 0, 0, 0);
	assert_int_equal(count(f->st, "posts"), 0);
	assert_int_equal(f->diags.n, 0);

	f->ing.keep_all = 1;
	import1(f, path);
	STATS(f, 1, 1, 0, 1, 0, 0, 0);
	assert_int_equal(count(f->st, "posts"), 1);
}

static void test_csv(void **state)
{
	struct fixture *f = *state;
	char path[160];
	struct rows rs;

	tmpdir_file(&f->dir, "posts.csv", path, sizeof(path));
	write_text(path, "\xEF\xBB\xBF" "platform,post_id,created_at,title,text,topics,likes\n" /* 1 */
			 "weibo,1001,2025-09-02 10:15,\"标题, 含逗号\",\"第一行\n"                 /* 2 */
			 "第二行 \"\"引号\"\" #千万IP创科普#\",a、b，c d,1.2万\n"                  /* 3 */
			 "B站,BV1,2025-09-03,普通标题,#千万IP创科普 第二条,,\n"                       /* 4 */
			 "weibo,1002,2025-02-30,x,#千万IP创科普#,,\n"                                 /* 5 */
			 "weibo,1003,2025-09-04,x,#千万IP创科普#,\n");                                /* 6 */
	import1(f, path);
	STATS(f, 4, 2, 0, 2, 0, 0, 2);
	assert_int_equal(f->diags.n, 2);
	assert_diag(f, 0, path, 5, "created_at: no such date");
	assert_diag(f, 1, path, 6, "expected 7 cells");

	read_posts(f->st, INT64_MIN, INT64_MAX, &rs);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0].platform, "weibo");
	assert_string_equal(rs.r[0].post_id, "1001");
	assert_int_equal(rs.r[0].created_at, 1756779300);
	assert_string_equal(rs.r[0].title, "标题, 含逗号");
	assert_string_equal(rs.r[0].text, "第一行\n第二行 \"引号\" #千万IP创科普#");
	assert_string_equal(rs.r[0].topics, "a|b|c|d");
	assert_int_equal(rs.r[0].counts[PC_LIKES], 12000);
	assert_string_equal(rs.r[0].campaign, "千万IP创科普");

	assert_string_equal(rs.r[1].platform, "bilibili");
	assert_string_equal(rs.r[1].post_id, "BV1");
	assert_int_equal(rs.r[1].known, 0); /* empty cells: unknown */
	assert_string_equal(rs.r[1].topics, "");
	assert_string_equal(rs.r[1].campaign, "千万IP创科普");
}

static void test_csv_unknown_column(void **state)
{
	struct fixture *f = *state;
	char path[160];

	tmpdir_file(&f->dir, "bad-header.csv", path, sizeof(path));
	write_text(path, "platform,post_id,created_at,colour\n"
			 "weibo,1,2025-09-02,red\n"
			 "weibo,2,2025-09-02,blue\n");
	import1(f, path);
	assert_int_equal(f->stats.errors, 1);
	assert_int_equal(f->stats.kept, 0);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, path, 1, "unknown column 'colour'");
	assert_int_equal(count(f->st, "posts"), 0);
}

static void test_csv_missing_required_column(void **state)
{
	struct fixture *f = *state;
	char path[160];

	tmpdir_file(&f->dir, "no-date.csv", path, sizeof(path));
	write_text(path, "platform,post_id,text\nweibo,1,#千万IP创科普#\n");
	import1(f, path);
	assert_int_equal(f->stats.errors, 1);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, path, 1, "missing column 'created_at'");
	assert_int_equal(count(f->st, "posts"), 0);
}

static void test_csv_unterminated_quote(void **state)
{
	struct fixture *f = *state;
	char path[160];

	tmpdir_file(&f->dir, "open-quote.csv", path, sizeof(path));
	write_text(path, "platform,post_id,created_at,text\n"
			 "weibo,1,2025-09-02,#千万IP创科普#\n"
			 "weibo,2,2025-09-02,\"#千万IP创科普# never closed\n"
			 "weibo,3,2025-09-02,more\n");
	import1(f, path);
	assert_int_equal(f->stats.added, 1);
	assert_int_equal(f->stats.errors, 1);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, path, 3, "unterminated");
}

static void test_empty_file(void **state)
{
	struct fixture *f = *state;
	char path[160], blank[160];

	tmpdir_file(&f->dir, "empty.ndjson", path, sizeof(path));
	write_text(path, "");
	import1(f, path);
	STATS(f, 0, 0, 0, 0, 0, 0, 1);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, path, 0, "empty file");

	/* blank lines only: no records either */
	tmpdir_file(&f->dir, "blank.ndjson", blank, sizeof(blank));
	write_text(blank, "\n  \n\r\n");
	import1(f, blank);
	STATS(f, 0, 0, 0, 0, 0, 0, 1);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, blank, 0, "empty file");
}

static void test_missing_then_good_file(void **state)
{
	struct fixture *f = *state;
	char missing[160], good[160], line[256];
	const char *files[2];

	tmpdir_file(&f->dir, "missing.ndjson", missing, sizeof(missing));
	tmpdir_file(&f->dir, "good.ndjson", good, sizeof(good));
	good_line(line, sizeof(line), "1", NULL);
	write_text(good, line);
	files[0] = missing;
	files[1] = good;
	import(f, files, 2, IMPORT_AUTO);
	STATS(f, 1, 1, 0, 1, 0, 0, 1);
	assert_int_equal(f->diags.n, 1);
	assert_diag(f, 0, missing, 0, "cannot open");
	assert_int_equal(count(f->st, "posts"), 1);
}

/* A file of: good line, a line of `size` bytes, good line [, bad line]. */
static void write_with_long_line(const char *path, size_t size, int newline_after)
{
	static const char head[] = "{\"platform\":\"weibo\",\"post_id\":\"big\",\"created_at\":\"2025-09-02\",\"text\":\"";
	char g1[256], g2[256];
	size_t n1, n2, len;
	char *buf;

	n1 = (size_t)good_line(g1, sizeof(g1), "1", NULL);
	n2 = (size_t)good_line(g2, sizeof(g2), "2", NULL);
	buf = malloc(n1 + size + n2 + 64);
	assert_non_null(buf);
	memcpy(buf, g1, n1);
	len = n1;
	buf[len++] = '\n';
	memcpy(buf + len, head, sizeof(head) - 1);
	memset(buf + len + sizeof(head) - 1, 'x', size - (sizeof(head) - 1) - 2);
	memcpy(buf + len + size - 2, "\"}", 2);
	len += size;
	if (newline_after) {
		buf[len++] = '\n';
		memcpy(buf + len, g2, n2);
		len += n2;
		buf[len++] = '\n';
		memcpy(buf + len, "{}\n", 3); /* line 4: a bad record */
		len += 3;
	}
	write_file(path, buf, len);
	free(buf);
}

static void test_long_line(void **state)
{
	static const size_t sizes[] = {
		1536 * 1024,     /* 1.5 MiB: inside the read buffer */
		5 * 1024 * 1024, /* 5 MiB: longer than the read buffer */
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
		char path[160];

		tmpdir_file(&f->dir, i ? "long5.ndjson" : "long1.ndjson", path, sizeof(path));
		write_with_long_line(path, sizes[i], 1);
		import1(f, path);
		if (i == 0)
			STATS(f, 4, 2, 0, 2, 0, 0, 2);
		else
			STATS(f, 4, 2, 0, 0, 0, 2, 2); /* the same two posts again */
		assert_int_equal(f->diags.n, 2);
		assert_diag(f, 0, path, 2, "longer than 1 MiB");
		assert_diag(f, 1, path, 4, "platform: missing");
	}
	assert_int_equal(count(f->st, "posts"), 2);
}

/* A line over the cap that is the last of the file, without a newline,
 * is reported like any other long line, not dropped in silence. */
static void test_long_last_line_without_newline(void **state)
{
	struct fixture *f = *state;
	char path[160];

	tmpdir_file(&f->dir, "long-last.ndjson", path, sizeof(path));
	write_with_long_line(path, 1536 * 1024, 0);
	import1(f, path);
	assert_int_equal(f->stats.added, 1);
	if (f->stats.errors != 1 || f->diags.n != 1)
		fail_msg("a 1.5 MiB last line without newline: %ld errors, %zu diagnostics, %ld lines;"
			 " want 1 error at line 2",
			 f->stats.errors, f->diags.n, f->stats.lines);
	assert_diag(f, 0, path, 2, "longer than 1 MiB");
}

/* The same record on a line of exactly the cap is still read. */
static void test_line_at_cap(void **state)
{
	struct fixture *f = *state;
	char path[160];
	static const char head[] = "{\"platform\":\"weibo\",\"post_id\":\"cap\",\"created_at\":\"2025-09-02\",\"text\":\"#千万IP创科普# ";
	size_t size = 1024 * 1024;
	char *buf = malloc(size + 1);

	assert_non_null(buf);
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, 'x', size - (sizeof(head) - 1) - 2);
	memcpy(buf + size - 2, "\"}", 2);
	buf[size] = '\n';
	tmpdir_file(&f->dir, "cap.ndjson", path, sizeof(path));
	write_file(path, buf, size + 1);
	free(buf);
	import1(f, path);
	if (f->stats.added != 1)
		fail_msg("line of exactly 1 MiB: added %ld, errors %ld (%s)", f->stats.added,
			 f->stats.errors, f->diags.n ? f->diags.msg[0] : "");
}

static void test_import_twice(void **state)
{
	struct fixture *f = *state;
	char path[160], g[3][256], text[1024];

	for (int i = 0; i < 3; i++) {
		char id[24];
		snprintf(id, sizeof(id), "%d", i + 1);
		good_line(g[i], sizeof(g[i]), id, ",\"ip_location\":\"IP属地：重庆\",\"topics\":[\"千万IP创科普\"]");
	}
	snprintf(text, sizeof(text), "%s\n%s\n%s\n", g[0], g[1], g[2]);
	tmpdir_file(&f->dir, "twice.ndjson", path, sizeof(path));
	write_text(path, text);
	import1(f, path);
	STATS(f, 3, 3, 0, 3, 0, 0, 0);
	import1(f, path);
	STATS(f, 3, 3, 0, 0, 0, 3, 0);
	assert_int_equal(f->stats.unchanged, f->stats.kept);
	assert_int_equal(count(f->st, "posts"), 3);
	assert_int_equal(count(f->st, "snapshots"), 3);
}

/* The format follows the name (.csv) unless told. */
static void test_format_choice(void **state)
{
	struct fixture *f = *state;
	char path[160];
	const char *files[1];

	tmpdir_file(&f->dir, "posts.txt", path, sizeof(path));
	write_text(path, "platform,post_id,created_at,text\nweibo,1,2025-09-02,#千万IP创科普#\n");
	files[0] = path;
	import(f, files, 1, IMPORT_AUTO); /* read as NDJSON: two bad lines */
	assert_int_equal(f->stats.errors, 2);
	assert_int_equal(f->stats.added, 0);
	import(f, files, 1, IMPORT_CSV);
	assert_int_equal(f->stats.errors, 0);
	assert_int_equal(f->stats.added, 1);
}

/* Errors name the file they are in, also when one batch holds records of
 * two files. */
static void test_errors_name_their_file(void **state)
{
	struct fixture *f = *state;
	char a[160], b[160], g[256], text[1024];
	const char *files[2];

	good_line(g, sizeof(g), "1", NULL);
	tmpdir_file(&f->dir, "a.ndjson", a, sizeof(a));
	tmpdir_file(&f->dir, "b.ndjson", b, sizeof(b));
	snprintf(text, sizeof(text), "%s\n{\"platform\":\"weibo\"}\n", g);
	write_text(a, text);
	write_text(b, "[]\n");
	files[0] = a;
	files[1] = b;
	import(f, files, 2, IMPORT_AUTO);
	STATS(f, 3, 1, 0, 1, 0, 0, 2);
	assert_int_equal(f->stats.files, 2);
	assert_int_equal(f->diags.n, 2);
	assert_diag(f, 0, a, 2, "post_id: missing");
	assert_diag(f, 1, b, 1, "expected a JSON object");
}

/* More records than a batch and than a transaction: every good one is
 * stored, and the bad ones keep their line numbers. */
static void test_many_records(void **state)
{
	enum { N = 6000 };
	static const long bad_at[] = {1, 512, 513, 4097, N};
	struct fixture *f = *state;
	char path[160];
	FILE *out;
	size_t k = 0;

	tmpdir_file(&f->dir, "many.ndjson", path, sizeof(path));
	out = fopen(path, "w");
	assert_non_null(out);
	for (long line = 1; line <= N; line++) {
		char id[24], g[256];
		if (k < ARRAY_LEN(bad_at) && bad_at[k] == line) {
			fprintf(out, "{\"line\":%ld}\n", line);
			k++;
			continue;
		}
		snprintf(id, sizeof(id), "%ld", line);
		good_line(g, sizeof(g), id, NULL);
		fprintf(out, "%s\n", g);
	}
	assert_int_equal(fclose(out), 0);
	import1(f, path);
	STATS(f, N, N - 5, 0, N - 5, 0, 0, 5);
	assert_int_equal(f->diags.n, 5);
	for (size_t i = 0; i < ARRAY_LEN(bad_at); i++)
		assert_diag(f, i, path, bad_at[i], "unknown field 'line'");
	assert_int_equal(count(f->st, "posts"), N - 5);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full_record),
		cmocka_unit_test(test_parse_variants),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_bad_bytes),
		cmocka_unit_test(test_parse_uses_len),
		cmocka_unit_test(test_fast_path_agrees_with_jansson),
		T(test_ndjson_good_and_bad),
		T(test_ndjson_bom_crlf_blank_lines),
		T(test_skip_without_campaign_tag),
		T(test_csv),
		T(test_csv_unknown_column),
		T(test_csv_missing_required_column),
		T(test_csv_unterminated_quote),
		T(test_empty_file),
		T(test_missing_then_good_file),
		T(test_errors_name_their_file),
		T(test_many_records),
		T(test_long_line),
		T(test_long_last_line_without_newline),
		T(test_line_at_cap),
		T(test_import_twice),
		T(test_format_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
