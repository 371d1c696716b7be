/*
 * unit_adapters.c: each platform adapter without a server.  A page of the
 * shape the platform is published or captured to answer goes in
 * (tests/data/adapter_cases.jsonl, one case a line, each with the source
 * it follows), and the posts, skipped items, refusals and the next
 * position come out and are compared with what the case expects.  Also
 * Weibo's displayed times, and Bilibili's WBI signature against the
 * worked example of bilibili-API-collect's docs/misc/sign/wbi.md.
 */
#include "testutil.h"

#include <jansson.h>

#include "../collector/adapter.h"
#include "../util/timefmt.h"

static int64_t iso(const char *s)
{
	int64_t t = 0;
	const char *why;

	if (ktime_parse(s, strlen(s), &t, &why) < 0)
		fail_msg("bad time in the case file: %s (%s)", s, why);
	return t;
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Compare one post with the expected object; print what differs. */
static int post_matches(const struct post *p, json_t *want, int line)
{
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
#define F(k) {#k, offsetof(struct post, k)}
		F(post_id), F(url), F(author_id), F(author_name), F(ip_location), F(title), F(text), F(cover_url), F(media),
#undef F
	};
	const char *key;
	json_t *v;
	int ok = 1;

	json_object_foreach(want, key, v)
	{
		int found = 0;
		for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
			const char *got;
			if (strcmp(key, strs[i].key))
				continue;
			found = 1;
			got = *(const char *const *)(const void *)((const char *)p + strs[i].off);
			if (json_is_null(v) ? got != NULL : !got || strcmp(got, json_string_value(v))) {
				print_error("adapter_cases.jsonl:%d: %s: got \"%s\", want \"%s\"\n", line, key, got ? got : "(null)",
					    json_is_null(v) ? "(null)" : json_string_value(v));
				ok = 0;
			}
		}
		for (int k = 0; k < PC_N; k++) {
			int known = (p->known >> k) & 1;
			if (strcmp(key, post_count_names[k]))
				continue;
			found = 1;
			if (json_is_null(v) ? known : !known || p->counts[k] != json_integer_value(v)) {
				print_error("adapter_cases.jsonl:%d: %s: got %s%lld, want %s\n", line, key, known ? "" : "unknown ",
					    (long long)p->counts[k], json_is_null(v) ? "unknown" : "a count");
				ok = 0;
			}
		}
		if (!strcmp(key, "created_at")) {
			found = 1;
			if (p->created_at != iso(json_string_value(v))) {
				char got[32];
				ktime_format_cst(p->created_at, got);
				print_error("adapter_cases.jsonl:%d: created_at: got %s, want %s\n", line, got,
					    json_string_value(v));
				ok = 0;
			}
		}
		if (!found)
			fail_msg("adapter_cases.jsonl:%d: unknown expected field '%s'", line, key);
	}
	return ok;
}

static int run_case(json_t *c, int line)
{
	static const struct {
		const char *name;
		enum source_kind kind;
	} kinds[] = {{"weibo", SOURCE_WEIBO}, {"bilibili", SOURCE_BILIBILI}, {"douyin", SOURCE_DOUYIN}, {"generic", SOURCE_GENERIC}};
	struct source s;
	struct adapter_run r;
	struct arena a;
	struct page pg;
	struct kerr e;
	json_t *want = json_object_get(c, "expect"), *body = json_object_get(c, "body"), *v;
	const char *platform = str_of(c, "platform"), *err;
	char *text;
	int rc, ok = 1;

	memset(&s, 0, sizeof(s));
	s.name = (char *)"t";
	s.base_url = (char *)"http://127.0.0.1:1";
	s.query = (char *)"#千万IP创科普#";
	s.overlap_hours = 48;
	s.kind = SOURCE_GENERIC;
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if (!strcmp(platform, kinds[i].name))
			s.kind = kinds[i].kind;
	if (s.kind == SOURCE_GENERIC) {
		s.items = (char *)"/data/list";
		s.fields[SF_POST_ID] = (char *)"/item_id";
		s.fields[SF_CREATED_AT] = (char *)"/publish_time";
		s.fields[SF_TEXT] = (char *)"/content";
		s.time_format = ST_LOCAL;
		s.paging = SP_PAGE;
		s.page_start = 1;
	}
	adapter_run_init(&r, &s, iso("2025-09-01T00:00:00+08:00"), iso("2025-10-01T00:00:00+08:00"),
			 iso(str_of(c, "now") ? str_of(c, "now") : "2025-09-10T12:00:00+08:00"));
	text = json_is_string(body) ? strdup(json_string_value(body)) : json_dumps(body, JSON_COMPACT);
	assert_non_null(text);
	arena_init(&a);
	kerr_clear(&e);
	rc = adapter_parse(&r, text, strlen(text), "application/json", &a, &pg, &e);
	if ((err = str_of(want, "error"))) {
		if (rc == 0 || !strstr(e.msg, err)) {
			print_error("adapter_cases.jsonl:%d: want a refused page with \"%s\", got rc %d \"%s\"\n", line, err, rc,
				    e.msg);
			ok = 0;
		}
		if ((v = json_object_get(want, "blocked")) && json_is_true(v) != !!pg.blocked) {
			print_error("adapter_cases.jsonl:%d: blocked: got %d\n", line, pg.blocked);
			ok = 0;
		}
		goto out;
	}
	if (rc < 0) {
		print_error("adapter_cases.jsonl:%d: page refused: %s\n", line, e.msg);
		ok = 0;
		goto out;
	}
	if ((v = json_object_get(want, "posts"))) {
		size_t i;
		json_t *p;
		if (json_array_size(v) != pg.nposts) {
			print_error("adapter_cases.jsonl:%d: %zu posts, want %zu\n", line, pg.nposts, json_array_size(v));
			ok = 0;
		} else
			json_array_foreach(v, i, p) ok &= post_matches(&pg.posts[i], p, line);
	}
	if ((v = json_object_get(want, "bad"))) {
		size_t i;
		json_t *b;
		if (json_array_size(v) != pg.nbad) {
			print_error("adapter_cases.jsonl:%d: %zu bad items, want %zu\n", line, pg.nbad, json_array_size(v));
			for (i = 0; i < pg.nbad; i++)
				print_error("    item %ld: %s\n", pg.bad[i].index, pg.bad[i].msg);
			ok = 0;
		} else
			json_array_foreach(v, i, b)
			{
				char at[700];
				snprintf(at, sizeof(at), "item %ld: %s", pg.bad[i].index, pg.bad[i].msg);
				if (!strstr(at, json_string_value(b))) {
					print_error("adapter_cases.jsonl:%d: bad item \"%s\", want \"%s\"\n", line, at,
						    json_string_value(b));
					ok = 0;
				}
			}
	} else if (pg.nbad) {
		print_error("adapter_cases.jsonl:%d: unexpected bad item: %s\n", line, pg.bad[0].msg);
		ok = 0;
	}
	if ((v = json_object_get(want, "more")) && json_is_true(v) != !!pg.more) {
		print_error("adapter_cases.jsonl:%d: more: got %d\n", line, pg.more);
		ok = 0;
	}
	if ((v = json_object_get(want, "next"))) {
		struct page_pos first, next;
		char got[PAGE_POS_TEXT];
		int more;
		r.ad->first(&r, &first);
		more = r.ad->next(&r, &first, &pg, 0, &next);
		if (more == PASS_MORE)
			page_pos_format(&next, got, sizeof(got));
		else
			snprintf(got, sizeof(got), "%s", more == PASS_CAPPED ? "capped" : "end");
		if (strcmp(got, json_string_value(v))) {
			print_error("adapter_cases.jsonl:%d: next position %s, want %s\n", line, got, json_string_value(v));
			ok = 0;
		}
	}
out:
	free(text);
	arena_release(&a);
	return ok;
}

static void test_adapter_cases(void **state)
{
	FILE *in = fopen("tests/data/adapter_cases.jsonl", "r");
	char line[65536];
	int n = 0, bad = 0, cases = 0;

	(void)state;
	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		json_error_t jerr;
		json_t *c;

		n++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (!(c = json_loads(line, 0, &jerr)))
			fail_msg("adapter_cases.jsonl:%d: %s", n, jerr.text);
		cases++;
		if (!run_case(c, n)) {
			print_error("    (why: %s)\n", str_of(c, "why") ? str_of(c, "why") : "?");
			bad++;
		}
		json_decref(c);
	}
	fclose(in);
	assert_true(cases >= 20);
	assert_int_equal(bad, 0);
}

static void test_weibo_times(void **state)
{
	static const struct {
		const char *shown, *now, *want;
	} rows[] = {
		{"刚刚", "2025-09-10T12:00:00+08:00", "2025-09-10T12:00:00+08:00"},
		{"5分钟前", "2025-09-10T12:00:00+08:00", "2025-09-10T11:55:00+08:00"},
		{"2小时前", "2025-09-10T12:00:00+08:00", "2025-09-10T10:00:00+08:00"},
		{"今天 10:15", "2025-09-10T12:00:00+08:00", "2025-09-10T10:15:00+08:00"},
		{"今天10:15", "2025-09-10T12:00:00+08:00", "2025-09-10T10:15:00+08:00"},
		{"昨天 10:15", "2025-09-10T12:00:00+08:00", "2025-09-09T10:15:00+08:00"},
		/* just after midnight in Beijing, still the day before in UTC */
		{"昨天 23:50", "2025-09-10T00:10:00+08:00", "2025-09-09T23:50:00+08:00"},
		{"09-02", "2025-09-10T12:00:00+08:00", "2025-09-02T00:00:00+08:00"},
		/* a month-day still to come this year is last year's */
		{"11-28", "2025-09-10T12:00:00+08:00", "2024-11-28T00:00:00+08:00"},
		{"2025-09-02", "2025-09-10T12:00:00+08:00", "2025-09-02T00:00:00+08:00"},
		{"Tue Sep 02 10:15:00 +0800 2025", "2025-09-10T12:00:00+08:00", "2025-09-02T10:15:00+08:00"},
	};
	static const char *const refused[] = {"明天 10:15", "今天 25:00", "13-40", "5个月前", "", "昨天"};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		int64_t got = 0;
		const char *why = NULL;
		int rc = weibo_time(rows[i].shown, strlen(rows[i].shown), iso(rows[i].now), &got, &why);
		row_check(&bad, rc == 0 && got == iso(rows[i].want), "'%s' at %s: rc %d, got %lld want %lld (%s)", rows[i].shown,
			  rows[i].now, rc, (long long)got, (long long)iso(rows[i].want), why ? why : "");
	}
	for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
		int64_t got = 0;
		const char *why = NULL;
		row_check(&bad, weibo_time(refused[i], strlen(refused[i]), iso("2025-09-10T12:00:00+08:00"), &got, &why) < 0 && why,
			  "'%s' should be refused", refused[i]);
	}
	assert_int_equal(bad, 0);
}

/* bilibili-API-collect, docs/misc/sign/wbi.md: img_key 7cd084941338484aae1ad9425b84077c
 * and sub_key 4932caff0ff746eab6f01bf08b70ac45 give the mixin key
 * ea1db124af3c7062474693fa704f4ff8; {foo: 114, bar: 514, zab: 1919810}
 * with wts 1702204169 signs to w_rid 8f6f2b5b3d485fe1886cec6a0be8c5d4; a
 * space is %20 and 五一四 %E4%BA%94%E4%B8%80%E5%9B%9B. */
static void test_wbi_signature(void **state)
{
	const char *names[] = {"bar", "foo", "wts", "zab"}, *values[] = {"514", "114", "1702204169", "1919810"};
	const char *n2[] = {"bar", "baz", "foo"}, *v2[] = {"五一四", "1919810", "one one four"};
	const char *n3[] = {"keyword"}, *v3[] = {"(科普)!*'"};
	char mixin[33];
	struct kbuf q;
	struct kerr e;

	(void)state;
	assert_int_equal(bili_mixin_key("7cd084941338484aae1ad9425b84077c", "4932caff0ff746eab6f01bf08b70ac45", mixin), 0);
	assert_string_equal(mixin, "ea1db124af3c7062474693fa704f4ff8");
	kbuf_init(&q, 4096);
	assert_int_equal(bili_sign(names, values, 4, mixin, &q, &e), 0);
	assert_string_equal(q.data, "bar=514&foo=114&wts=1702204169&zab=1919810&w_rid=8f6f2b5b3d485fe1886cec6a0be8c5d4");
	kbuf_reset(&q);
	assert_int_equal(bili_sign(n2, v2, 3, mixin, &q, &e), 0);
	assert_prefix(q.data, "bar=%E4%BA%94%E4%B8%80%E5%9B%9B&baz=1919810&foo=one%20one%20four&w_rid=");
	/* appended to a URL: only the parameters are signed */
	kbuf_reset(&q);
	assert_int_equal(kbuf_adds(&q, "http://x/s?", &e), 0);
	assert_int_equal(bili_sign(names, values, 4, mixin, &q, &e), 0);
	assert_string_equal(q.data, "http://x/s?bar=514&foo=114&wts=1702204169&zab=1919810&w_rid=8f6f2b5b3d485fe1886cec6a0be8c5d4");
	kbuf_reset(&q);
	assert_int_equal(bili_sign(n3, v3, 1, mixin, &q, &e), 0);
	assert_prefix(q.data, "keyword=%E7%A7%91%E6%99%AE&w_rid="); /* !'()* dropped */
	kbuf_release(&q);
	assert_int_equal(bili_mixin_key("short", "keys", mixin), -1);
}

/* Positions survive the store, and the forms before they were typed read. */
static void test_positions(void **state)
{
	struct source s;
	struct adapter_run r;
	struct page_pos p, q;
	char text[PAGE_POS_TEXT];

	(void)state;
	memset(&s, 0, sizeof(s));
	s.kind = SOURCE_DOUYIN;
	s.base_url = (char *)"http://x";
	adapter_run_init(&r, &s, 0, 86400 * 30, 100);
	memset(&p, 0, sizeof(p));
	p.day = -1;
	p.offset = 45;
	snprintf(p.search_id, sizeof(p.search_id), "2025091012000001A2B3C4");
	page_pos_format(&p, text, sizeof(text));
	assert_string_equal(text, "{\"offset\":45,\"search_id\":\"2025091012000001A2B3C4\"}");
	page_pos_parse(&r, text, &q);
	assert_int_equal(q.offset, 45);
	assert_string_equal(q.search_id, p.search_id);
	assert_int_equal(q.day, -1);
	page_pos_parse(&r, "30", &q); /* an offset as kepu stored it before */
	assert_int_equal(q.offset, 30);
	s.kind = SOURCE_BILIBILI;
	adapter_run_init(&r, &s, 0, 86400 * 30, 100);
	page_pos_parse(&r, "day=3;page=7", &q);
	assert_int_equal(q.day, 3);
	assert_int_equal(q.page, 7);
	page_pos_parse(&r, "{\"day\":0,\"page\":2}", &q);
	assert_int_equal(q.day, 0);
	assert_int_equal(q.page, 2);
	page_pos_parse(&r, "", &q);
	assert_int_equal(q.page, 1);
	assert_int_equal(q.day, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adapter_cases),
		cmocka_unit_test(test_weibo_times),
		cmocka_unit_test(test_wbi_signature),
		cmocka_unit_test(test_positions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
