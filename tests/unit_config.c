/*
 * unit_config.c: config_load(): the built-in defaults, a valid kepu.json,
 * and every kind of error, each of which must be KERR_USAGE and name the
 * file and the key path.  Files are written into a scratch directory.
 */
#include "testutil.h"

#include "../config/config.h"

struct fixture {
	struct tmpdir dir;
	char path[128]; /* <dir>/kepu.json */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	tmpdir_make(&f->dir);
	tmpdir_file(&f->dir, "kepu.json", f->path, sizeof(f->path));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tmpdir_remove(&f->dir);
	free(f);
	return 0;
}

static void test_defaults(void **state)
{
	struct config c;
	struct kerr e;

	(void)state;
	kerr_clear(&e);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_null(c.path);
	assert_string_equal(c.database, "kepu.db");
	assert_int_equal(c.ntags, 1);
	assert_string_equal(c.tags[0], "千万IP创科普");
	assert_string_equal(c.start_date, "2025-09-01");
	assert_string_equal(c.end_date, "2025-09-30");
	assert_int_equal(c.window_start, 1756656000); /* 2025-09-01T00:00+08:00 */
	assert_int_equal(c.window_end, 1759248000);   /* 2025-10-01T00:00+08:00 */
	config_release(&c);
	assert_null(c.tags);
	assert_null(c.database);
}

/* A complete file: every key set, two campaign tags. */
static void test_valid_file(void **state)
{
	struct fixture *f = *state;
	struct config c;
	struct kerr e;

	write_text(f->path, "{\n"
			    "  \"database\": \"/var/lib/kepu/kepu.db\",\n"
			    "  \"campaign\": {\n"
			    "    \"name\": \"重庆科普月\",\n"
			    "    \"tags\": [\"重庆科普\", \"KePu2025\"],\n"
			    "    \"start\": \"2025-10-01\",\n"
			    "    \"end\": \"2025-10-07\"\n"
			    "  }\n"
			    "}\n");
	kerr_clear(&e);
	if (config_load(&c, f->path, &e) < 0)
		fail_msg("config_load: %s", e.msg);
	assert_string_equal(c.path, f->path);
	assert_string_equal(c.database, "/var/lib/kepu/kepu.db");
	assert_string_equal(c.campaign_name, "重庆科普月");
	assert_int_equal(c.ntags, 2);
	assert_string_equal(c.tags[0], "重庆科普");
	assert_string_equal(c.tags[1], "KePu2025");
	assert_string_equal(c.start_date, "2025-10-01");
	assert_string_equal(c.end_date, "2025-10-07");
	assert_int_equal(c.window_start, 1759248000);
	assert_int_equal(c.window_end, 1759248000 + 7 * 86400);
	config_release(&c);
}

/* A file may set only some keys; the rest stay at their defaults. */
static void test_partial_file(void **state)
{
	struct fixture *f = *state;
	struct config c;
	struct kerr e;

	write_text(f->path, "{\"campaign\": {\"end\": \"2025-09-01\"}}");
	if (config_load(&c, f->path, &e) < 0)
		fail_msg("config_load: %s", e.msg);
	assert_string_equal(c.database, "kepu.db");
	assert_int_equal(c.ntags, 1);
	assert_string_equal(c.tags[0], "千万IP创科普");
	assert_int_equal(c.window_start, 1756656000);
	assert_int_equal(c.window_end, 1756656000 + 86400); /* a one-day window */
	config_release(&c);
}

/*
 * The documented campaign tag itself, written in the file.  Its first
 * character 千 is E5 8D 83 in UTF-8; the '#' check must not refuse it.
 */
static void test_file_with_campaign_tag(void **state)
{
	struct fixture *f = *state;
	struct config c;
	struct kerr e;

	write_text(f->path, "{\"campaign\": {\"tags\": [\"千万IP创科普\", \"重庆科普\"]}}");
	kerr_clear(&e);
	if (config_load(&c, f->path, &e) < 0)
		fail_msg("config_load refused the default tag: %s", e.msg);
	assert_int_equal(c.ntags, 2);
	assert_string_equal(c.tags[0], "千万IP创科普");
	assert_string_equal(c.tags[1], "重庆科普");
	config_release(&c);
}

/* Other tags whose UTF-8 holds EF, BC or 83 but no '#', '＃' or space. */
static void test_tags_with_hash_like_bytes(void **state)
{
	static const char *const tags[] = {
		"开学第一课",   /* 开 U+5F00 = E5 BC 80 */
		"科普２０２５", /* ２ U+FF12 = EF BC 92 */
		"百千万",       /* 千 U+5343 = E5 8D 83 */
	};
	struct fixture *f = *state;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(tags); i++) {
		char json[256];
		struct config c;
		struct kerr e;

		snprintf(json, sizeof(json), "{\"campaign\": {\"tags\": [\"%s\"]}}", tags[i]);
		write_text(f->path, json);
		kerr_clear(&e);
		if (config_load(&c, f->path, &e) < 0) {
			row_check(&bad, 0, "tag '%s' refused: %s", tags[i], e.msg);
			continue;
		}
		row_check(&bad, c.ntags == 1 && !strcmp(c.tags[0], tags[i]), "tag '%s' not read back",
			  tags[i]);
		config_release(&c);
	}
	assert_int_equal(bad, 0);
}

/* Each bad file: the error is KERR_USAGE, starts with the file path and
 * holds every listed fragment (the key path first). */
static const struct {
	const char *json;
	const char *want[3];
} bad_files[] = {
	{"{\"databse\": \"x.db\"}", {": databse: unknown key", "did you mean 'database'"}},
	{"{\"Campaign\": {}}", {": Campaign: unknown key", "did you mean 'campaign'"}},
	{"{\"zzzzzzzz\": 1}", {": zzzzzzzz: unknown key", "database, campaign"}},
	{"{\"campaign\": {\"tgas\": [\"a\"]}}", {": campaign.tgas: unknown key", "did you mean 'tags'"}},
	{"{\"campaign\": {\"strat\": \"2025-09-01\"}}", {": campaign.strat: unknown key", "did you mean 'start'"}},
	{"{\"database\": 5}", {": database: expected a non-empty string"}},
	{"{\"database\": \"\"}", {": database: expected a non-empty string"}},
	{"{\"database\": null}", {": database: expected a non-empty string"}},
	{"{\"campaign\": 5}", {": campaign: expected an object"}},
	{"{\"campaign\": {\"name\": []}}", {": campaign.name: expected a non-empty string"}},
	{"{\"campaign\": {\"tags\": \"x\"}}", {": campaign.tags: expected a non-empty array"}},
	{"{\"campaign\": {\"tags\": []}}", {": campaign.tags: expected a non-empty array"}},
	{"{\"campaign\": {\"tags\": [\"a\", 3]}}", {": campaign.tags[1]: expected a non-empty string"}},
	{"{\"campaign\": {\"tags\": [\"a\", \"\"]}}", {": campaign.tags[1]: expected a non-empty string"}},
	{"{\"campaign\": {\"tags\": [\"#科普\"]}}", {": campaign.tags[0]:", "'#'"}},
	{"{\"campaign\": {\"tags\": [\"科普#\"]}}", {": campaign.tags[0]:", "'#'"}},
	{"{\"campaign\": {\"tags\": [\"a\", \"＃科普\"]}}", {": campaign.tags[1]:", "'#'"}},
	{"{\"campaign\": {\"tags\": [\"科 普\"]}}", {": campaign.tags[0]:", "spaces"}},
	{"{\"campaign\": {\"tags\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\","
	 "\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]}}",
	 {": campaign.tags:", "16"}},
	{"{\"campaign\": {\"start\": \"2025-9-1\"}}", {": campaign.start: expected a date YYYY-MM-DD"}},
	{"{\"campaign\": {\"start\": 20250901}}", {": campaign.start: expected a date YYYY-MM-DD"}},
	{"{\"campaign\": {\"end\": \"2025-02-30\"}}", {": campaign.end: expected a date YYYY-MM-DD"}},
	{"{\"campaign\": {\"start\": \"2025-09-10\", \"end\": \"2025-09-01\"}}",
	 {": campaign.end: before campaign.start"}},
	{"{\"campaign\": {\"end\": \"2025-08-31\"}}", {": campaign.end: before campaign.start"}},
	{"[\"database\", \"kepu.db\"]", {": expected a JSON object at the top"}},
	{"{\"database\": \"a.db\", \"database\": \"b.db\"}", {"duplicate"}},
};

static void test_bad_files(void **state)
{
	struct fixture *f = *state;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(bad_files); i++) {
		struct config c;
		struct kerr e;
		int rc, ok;

		write_text(f->path, bad_files[i].json);
		kerr_clear(&e);
		rc = config_load(&c, f->path, &e);
		ok = rc == -1 && e.code == KERR_USAGE && !strncmp(e.msg, f->path, strlen(f->path));
		for (size_t k = 0; ok && k < ARRAY_LEN(bad_files[i].want) && bad_files[i].want[k]; k++)
			ok = strstr(e.msg, bad_files[i].want[k]) != NULL;
		row_check(&bad, ok, "%s -> rc %d, code %d, \"%s\"; want \"%s\"", bad_files[i].json, rc,
			  (int)e.code, rc ? e.msg : "", bad_files[i].want[0]);
		if (rc == 0)
			config_release(&c);
		else
			/* on failure nothing is left to free */
			row_check(&bad, !c.tags && !c.database && !c.path && !c.campaign_name,
				  "%s: struct not emptied after failure", bad_files[i].json);
	}
	assert_int_equal(bad, 0);
}

/* Invalid JSON: the message points at FILE:LINE:COL. */
static void test_invalid_json(void **state)
{
	struct fixture *f = *state;
	struct config c;
	struct kerr e;
	char want[160];
	const char *p;

	write_text(f->path, "{\n  \"database\": \"x.db\",\n  oops\n}\n");
	kerr_clear(&e);
	assert_int_equal(config_load(&c, f->path, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	snprintf(want, sizeof(want), "%s:3:", f->path);
	assert_prefix(e.msg, want);
	/* then a column number and a colon */
	p = e.msg + strlen(want);
	if (!(*p >= '1' && *p <= '9'))
		fail_msg("no column after line in \"%s\"", e.msg);
	while (*p >= '0' && *p <= '9')
		p++;
	assert_int_equal(*p, ':');

	/* an unterminated file: still FILE:LINE:COL */
	write_text(f->path, "{\"database\": \"x.db\"");
	assert_int_equal(config_load(&c, f->path, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	snprintf(want, sizeof(want), "%s:1:", f->path);
	assert_prefix(e.msg, want);
}

static void test_empty_file(void **state)
{
	struct fixture *f = *state;
	struct config c;
	struct kerr e;

	write_text(f->path, "");
	assert_int_equal(config_load(&c, f->path, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_prefix(e.msg, f->path);
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	struct config c;
	struct kerr e;
	char path[160];

	tmpdir_file(&f->dir, "no-such.json", path, sizeof(path));
	kerr_clear(&e);
	assert_int_equal(config_load(&c, path, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_prefix(e.msg, path);
	assert_null(c.path);
	assert_null(c.tags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_valid_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_with_campaign_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tags_with_hash_like_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
