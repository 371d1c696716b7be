/*
 * unit_flags.c: the content-review flag rules (matchers/flags.h): the
 * built-in privacy rules against the labelled cases in
 * tests/data/flag_cases.jsonl (name, title, text, and the expected flags
 * as "rule=masked match", in order), the resident ID check character and
 * birth date on their own, configured patterns and words, and the edges:
 * empty matches, the match limit, the cap on hits, bad patterns.
 */
#include <jansson.h>

#include "../matchers/flags.h"
#include "testutil.h"

struct fx {
	struct flags *f;
	struct flags_scratch *s;
	struct arena a;
	struct flags_result r;
};

static void fx_open(struct fx *x, const struct flags_rules *rules)
{
	struct kerr e;

	memset(x, 0, sizeof(*x));
	if (flags_new(&x->f, rules, &e) < 0)
		fail_msg("flags_new: %s", e.msg);
	assert_non_null(x->s = flags_scratch_new(x->f));
	arena_init(&x->a);
}

static void fx_close(struct fx *x)
{
	flags_scratch_free(x->s);
	flags_free(x->f);
	arena_release(&x->a);
}

static void scan(struct fx *x, const char *title, const char *text)
{
	struct kerr e;

	arena_reset(&x->a);
	if (flags_scan(x->f, x->s, title, text, &x->a, &x->r, &e) < 0)
		fail_msg("flags_scan: %s", e.msg);
}

/* "rule=match;rule=match" of the result. */
static void result_text(const struct flags_result *r, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s=%s", i ? ";" : "", r->hit[i].rule,
					r->hit[i].match);
}

static void test_table(void **state)
{
	FILE *in = fopen("tests/data/flag_cases.jsonl", "r");
	char line[4096], got[1024], want[1024];
	int bad = 0, n = 0, positive = 0, negative = 0;
	struct fx x;

	(void)state;
	assert_non_null(in);
	fx_open(&x, NULL);
	while (fgets(line, sizeof(line), in)) {
		json_error_t jerr;
		json_t *c = json_loads(line, 0, &jerr), *w;
		size_t i, len = 0;

		if (!c)
			fail_msg("flag_cases.jsonl:%d: %s", n + 1, jerr.text);
		n++;
		want[0] = '\0';
		json_array_foreach(json_object_get(c, "flags"), i, w)
			len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s", i ? ";" : "",
						json_string_value(w));
		if (want[0])
			positive++;
		else
			negative++;
		scan(&x, json_string_value(json_object_get(c, "title")),
		     json_string_value(json_object_get(c, "text")));
		result_text(&x.r, got, sizeof(got));
		row_check(&bad, !strcmp(got, want), "%s: got [%s], want [%s]",
			  json_string_value(json_object_get(c, "name")), got, want);
		json_decref(c);
	}
	fclose(in);
	fx_close(&x);
	assert_int_equal(bad, 0);
	/* the table covers both sides of every rule */
	assert_true(n >= 30);
	assert_true(positive >= 10 && negative >= 15);
}

static void test_resident_id_check(void **state)
{
	static const struct {
		const char *id;
		int ok;
	} cases[] = {
		{"11010519491231002X", 1}, {"11010519491231002x", 1}, {"50010119900101123X", 1},
		{"500235200002294563", 1}, {"500101190001010017", 1}, {"440304199912315676", 1},
		{"500101202509150016", 1}, /* born today */
		{"500101202509160011", 0}, /* born tomorrow */
		{"110105194912310021", 0}, /* check character 1, should be X */
		{"110105194912310029", 0}, {"11010519491231002Y", 0}, {"1101051949123100AX", 0},
		{"500101209901011231", 0}, /* 2099 */
		{"500101199002301239", 0}, /* 02-30 */
		{"500101189912311234", 0}, /* 1899 */
		{"500101198513121235", 0}, /* month 13 */
		{"50010120010229123X", 0}, /* 2001 is no leap year */
		{"500101190002291236", 0}, /* nor is 1900 */
		{"500101198804311231", 0}, /* 04-31 */
		{"500101198800001236", 0}, /* month 0, day 0 */
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		row_check(&bad, flags_resident_id_ok(cases[i].id, 20250915) == cases[i].ok, "%s: want %d",
			  cases[i].id, cases[i].ok);
	assert_int_equal(bad, 0);
}

/* Every single-character change of a valid number breaks its check. */
static void test_resident_id_one_digit_off(void **state)
{
	char id[19] = "11010519491231002X";

	(void)state;
	for (int pos = 0; pos < 17; pos++) {
		char keep = id[pos];
		for (char d = '0'; d <= '9'; d++) {
			if (d == keep)
				continue;
			id[pos] = d;
			if (flags_resident_id_ok(id, 20250915))
				fail_msg("%s still passes", id);
		}
		id[pos] = keep;
	}
	assert_true(flags_resident_id_ok(id, 20250915));
}

static void test_configured(void **state)
{
	static const struct flags_pattern pats[] = {
		{"加微信|[vV][xX][:：]\\s*\\w+", "引流广告"},
		{"(?i)free\\s+money", "诈骗"},
	};
	static const char *const words[] = {"伪科学", "Scam", "  ", "量子 ", "量子波动速读"};
	struct flags_rules rules = {pats, ARRAY_LEN(pats), words, ARRAY_LEN(words)};
	char got[1024];
	struct fx x;

	(void)state;
	fx_open(&x, &rules);
	scan(&x, "课程", "请加微信领取资料，或 VX：kepu2025");
	result_text(&x.r, got, sizeof(got));
	assert_string_equal(got, "pattern:加微信|[vV][xX][:：]\\s*\\w+=加微信;pattern:加微信|[vV][xX][:：]\\s*\\w+=VX:kepu2025");
	assert_string_equal(x.r.hit[0].reason, "引流广告");

	scan(&x, NULL, "FREE   money!");
	result_text(&x.r, got, sizeof(got));
	assert_string_equal(got, "pattern:(?i)free\\s+money=FREE   money");

	/* words: caseless for Latin, trimmed, blank ones dropped, the longest
	 * word at a place wins, shown as found */
	scan(&x, "SCAM 警告", "这是伪科学，量子波动速读不可信，量子  纠缠");
	result_text(&x.r, got, sizeof(got));
	assert_string_equal(got, "word=SCAM;word=伪科学;word=量子波动速读;word=量子");
	assert_string_equal(x.r.hit[0].reason, "a word of the review word list");

	/* the built-in rules still run, first */
	scan(&x, NULL, "伪科学 13812345678");
	result_text(&x.r, got, sizeof(got));
	assert_string_equal(got, "mobile=138****5678;word=伪科学");

	scan(&x, "科普", "光的折射");
	assert_int_equal(x.r.n, 0);
	fx_close(&x);
}

/* A configured match is shown on one line and cut to FLAGS_MAX_MATCH characters. */
static void test_configured_match_shown(void **state)
{
	static const struct flags_pattern pats[] = {{"广告[\\s\\S]*", "广告"}};
	struct flags_rules rules = {pats, 1, NULL, 0};
	char text[1024];
	struct fx x;

	(void)state;
	fx_open(&x, &rules);
	size_t len = (size_t)snprintf(text, sizeof(text), "广告\n第二行");
	for (int i = 0; i < 100; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "长");
	scan(&x, NULL, text);
	assert_int_equal(x.r.n, 1);
	assert_prefix(x.r.hit[0].match, "广告 第二行长");
	/* 64 characters of 3 bytes, except the space */
	assert_int_equal(strlen(x.r.hit[0].match), 63 * 3 + 1);
	fx_close(&x);
}

static void test_empty_matches_and_limits(void **state)
{
	static const struct flags_pattern pats[] = {
		{"x*", "empty matches"},
		{"(a+)+$", "catastrophic"},
	};
	struct flags_rules rules = {pats, ARRAY_LEN(pats), NULL, 0};
	char got[1024], text[512];
	struct fx x;

	(void)state;
	fx_open(&x, &rules);
	scan(&x, NULL, "abc");
	assert_int_equal(x.r.n, 0);
	scan(&x, NULL, "axxb");
	result_text(&x.r, got, sizeof(got));
	assert_string_equal(got, "pattern:x*=xx");
	/* the match limit raises a flag: the text is not passed unseen */
	memset(text, 'a', 40);
	memcpy(text + 40, "b", 2);
	scan(&x, NULL, text);
	assert_int_equal(x.r.n, 1);
	assert_string_equal(x.r.hit[0].rule, "pattern:(a+)+$");
	assert_contains(x.r.hit[0].match, "match limit");
	fx_close(&x);
}

static void test_hits_capped(void **state)
{
	char text[2048];
	size_t len = 0;
	struct fx x;

	(void)state;
	for (int i = 0; i < 30; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "1381234%04d ", i);
	fx_open(&x, NULL);
	scan(&x, NULL, text);
	assert_int_equal(x.r.n, FLAGS_MAX_HITS);
	assert_string_equal(x.r.hit[0].match, "138****0000");
	fx_close(&x);
}

static void test_bad_pattern(void **state)
{
	static const struct flags_pattern pats[] = {{"(unclosed", "x"}};
	struct flags_rules rules = {pats, 1, NULL, 0};
	struct flags *f = NULL;
	struct kerr e;

	(void)state;
	assert_int_equal(flags_pattern_check("a(b", &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_contains(e.msg, "not a valid PCRE2 pattern");
	assert_contains(e.msg, "missing closing parenthesis");
	assert_contains(e.msg, "offset 3");
	assert_int_equal(flags_pattern_check("加微信|vx", &e), 0);
	assert_int_equal(flags_new(&f, &rules, &e), -1);
	assert_null(f);
	assert_contains(e.msg, "flag pattern 1");
}

/* Many words compile into several patterns and all of them are found. */
static void test_long_word_list(void **state)
{
	static char buf[3000][24];
	const char *words[3000];
	struct flags_rules rules = {NULL, 0, words, 3000};
	char got[256];
	struct fx x;

	(void)state;
	for (int i = 0; i < 3000; i++) {
		snprintf(buf[i], sizeof(buf[i]), "词%04d语", i);
		words[i] = buf[i];
	}
	fx_open(&x, &rules);
	scan(&x, NULL, "开头 词0007语 中间 词2999语 词1500语");
	result_text(&x.r, got, sizeof(got));
	assert_int_equal(x.r.n, 3);
	assert_contains(got, "word=词0007语");
	assert_contains(got, "word=词2999语");
	assert_contains(got, "word=词1500语");
	fx_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_resident_id_check),
		cmocka_unit_test(test_resident_id_one_digit_off),
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_configured_match_shown),
		cmocka_unit_test(test_empty_matches_and_limits),
		cmocka_unit_test(test_hits_capped),
		cmocka_unit_test(test_bad_pattern),
		cmocka_unit_test(test_long_word_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
