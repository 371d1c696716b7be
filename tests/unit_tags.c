/*
 * unit_tags.c: the campaign-tag matcher and hashtag extractor against the
 * labelled cases in tests/data/match_cases.jsonl (one JSON object per line:
 * why, platform, title, text, topics, and the expected matched and
 * hashtags), plus configured tags with metacharacters and pathological
 * input.
 */
#include <jansson.h>

#include "../matchers/tags.h"
#include "testutil.h"

static const char *str_or_null(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Do the result strings equal the JSON array, in order? */
static int same_list(const char *const *got, size_t n, json_t *want)
{
	size_t i;
	json_t *w;

	if (json_array_size(want) != n)
		return 0;
	json_array_foreach(want, i, w) if (strcmp(got[i], json_string_value(w))) return 0;
	return 1;
}

static void print_list(const char *label, const char *const *v, size_t n)
{
	print_error("    %s [", label);
	for (size_t i = 0; i < n; i++)
		print_error("%s\"%s\"", i ? ", " : "", v[i]);
	print_error("]\n");
}

static void test_table(void **state)
{
	static const char *const deftag[] = {"千万IP创科普"};
	struct tags *t;
	struct tags_scratch *s;
	struct arena a;
	struct kerr e;
	FILE *f = fopen("tests/data/match_cases.jsonl", "r");
	char line[8192];
	int bad = 0, n = 0;

	(void)state;
	assert_non_null(f);
	assert_int_equal(tags_new(&t, deftag, 1, &e), 0);
	assert_non_null(s = tags_scratch_new(t));
	arena_init(&a);
	while (fgets(line, sizeof(line), f)) {
		json_error_t jerr;
		json_t *c = json_loads(line, 0, &jerr), *tv;
		const char *topics[16];
		struct tags_input in = {0};
		struct tags_result r;
		size_t i;

		n++;
		assert_non_null(c);
		in.platform = str_or_null(c, "platform");
		in.title = str_or_null(c, "title");
		in.text = str_or_null(c, "text");
		json_array_foreach(json_object_get(c, "topics"), i, tv) topics[i] = json_string_value(tv);
		in.topics = topics;
		in.ntopics = json_array_size(json_object_get(c, "topics"));
		assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
		if (!same_list(r.campaign, r.ncampaign, json_object_get(c, "matched")) ||
		    !same_list(r.hashtags, r.nhashtags, json_object_get(c, "hashtags"))) {
			char *want = json_dumps(c, JSON_COMPACT);
			print_error("match_cases.jsonl:%d: %s\n    case %s\n", n, str_or_null(c, "why"), want);
			print_list("matched", r.campaign, r.ncampaign);
			print_list("hashtags", (const char *const *)r.hashtags, r.nhashtags);
			free(want);
			bad++;
		}
		json_decref(c);
		arena_reset(&a);
	}
	fclose(f);
	print_message("%d labelled cases\n", n);
	assert_true(n >= 80);
	assert_int_equal(bad, 0);
	arena_release(&a);
	tags_scratch_free(s);
	tags_free(t);
}

/* Several configured tags, one with regex metacharacters. */
static void test_configured_tags(void **state)
{
	static const char *const cfg[] = {"千万IP创科普", "C++科普", "a.b*(c)?"};
	struct tags *t;
	struct tags_scratch *s;
	struct arena a;
	struct kerr e;
	struct tags_result r;
	struct tags_input in = {0};

	(void)state;
	assert_int_equal(tags_new(&t, cfg, 3, &e), 0);
	assert_non_null(s = tags_scratch_new(t));
	arena_init(&a);

	in.text = "学编程 #C++科普 #千万IP创科普#";
	in.platform = "douyin";
	assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
	assert_int_equal(r.ncampaign, 2);
	assert_string_equal(r.campaign[0], "C++科普");
	assert_string_equal(r.campaign[1], "千万IP创科普");
	assert_string_equal(r.hashtags[0], "C++科普");

	/* metacharacters are literal: `aXb` must not match `a.b` */
	in.text = "#aXbbb(c) #a.b*(c)?";
	assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
	assert_int_equal(r.ncampaign, 1);
	assert_string_equal(r.campaign[0], "a.b*(c)?");

	/* C++科普 followed by a CJK character is another tag */
	in.text = "#C++科普课";
	assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
	assert_int_equal(r.ncampaign, 0);

	arena_release(&a);
	tags_scratch_free(s);
	tags_free(t);
}

static void test_bad_config(void **state)
{
	static const char *const empty[] = {""};
	struct tags *t = NULL;
	struct kerr e;

	(void)state;
	assert_int_equal(tags_new(&t, empty, 1, &e), -1);
	assert_null(t);
	assert_int_equal(tags_new(&t, NULL, 0, &e), -1);
}

/* Pathological texts must finish (linear scan); the results are checked,
 * the time is not (benchmarks measure speed). */
static void test_pathological(void **state)
{
	static const char *const deftag[] = {"千万IP创科普"};
	struct tags *t;
	struct tags_scratch *s;
	struct arena a;
	struct kerr e;
	struct tags_result r;
	struct tags_input in = {0};
	size_t n = 50000;
	char *text = malloc(n * 4 + 64);

	(void)state;
	assert_non_null(text);
	assert_int_equal(tags_new(&t, deftag, 1, &e), 0);
	assert_non_null(s = tags_scratch_new(t));
	arena_init(&a);

	memset(text, '#', n);
	text[n] = '\0';
	in.text = text;
	assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
	assert_int_equal(r.nhashtags, 0);

	/* "#a" repeated: 25,000 tags, only 64 kept, one distinct */
	for (size_t i = 0; i < n; i += 2) {
		text[i] = '#';
		text[i + 1] = 'a';
	}
	text[n] = '\0';
	assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
	assert_int_equal(r.nhashtags, 1);

	/* 100 KiB of "#科 " with T at the very end */
	{
		size_t len = 0;
		while (len + 8 < 100 * 1024) {
			memcpy(text + len, "#\xe7\xa7\x91 ", 5);
			len += 5;
		}
		memcpy(text + len, "#\xe5\x8d\x83\xe4\xb8\x87IP\xe5\x88\x9b\xe7\xa7\x91\xe6\x99\xae", 19);
		text[len + 19] = '\0';
		assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
		assert_int_equal(r.ncampaign, 1);
	}

	/* invalid UTF-8 never matches by accident and never crashes */
	memcpy(text, "#\xe5\x8d\xff\xe4\xb8\x87IP\xe5\x88\x9b\xe7\xa7\x91\xe6\x99\xae", 19);
	text[19] = '\0';
	assert_int_equal(tags_scan(t, s, &in, &a, &r, &e), 0);
	assert_int_equal(r.ncampaign, 0);

	free(text);
	arena_release(&a);
	tags_scratch_free(s);
	tags_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_configured_tags),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_pathological),
	};
	return cmocka_run_group_tests_name("tags", tests, NULL, NULL);
}
