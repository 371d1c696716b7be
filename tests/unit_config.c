/*
 * unit_config.c: config_load(): the built-in defaults, a valid kepu.json,
 * and every kind of error, each of which must be KERR_USAGE and name the
 * file and the key path.  Files are written into a scratch directory.
 */
#include "testutil.h"

#include <jansson.h>

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
	assert_string_equal(c.report_until_date, "2025-10-31");
	assert_int_equal(c.report_until, 1761926400); /* 2025-11-01T00:00+08:00 */
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
	/* the final report 31 days after the end, unless the file says */
	assert_string_equal(c.report_until_date, "2025-10-02");
	config_release(&c);
	write_text(f->path, "{\"campaign\": {\"report_until\": \"2025-11-15\"}}");
	if (config_load(&c, f->path, &e) < 0)
		fail_msg("config_load: %s", e.msg);
	assert_string_equal(c.report_until_date, "2025-11-15");
	assert_int_equal(c.report_until, 1763136000 + 86400); /* the end of 2025-11-15, +08:00 */
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
	{"{\"campaign\": {\"report_until\": \"2025-09-29\"}}", {": campaign.report_until: before campaign.end (2025-09-30)"}},
	{"{\"campaign\": {\"report_until\": \"31/10/2025\"}}", {": campaign.report_until"}},
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

/* config_load(path); on success release and return 0, else -1 with *e. */
static int try_load(const char *path, struct kerr *e)
{
	struct config c;

	kerr_clear(e);
	if (config_load(&c, path, e) < 0)
		return -1;
	config_release(&c);
	return 0;
}

/* Refused as KERR_USAGE with a message that starts with "<file>: <want>"
 * (want begins with the key path). */
static int refused_with(int rc, const struct kerr *e, const char *file, const char *want)
{
	size_t n = strlen(file);

	return rc == -1 && e->code == KERR_USAGE && !strncmp(e->msg, file, n) &&
	       !strncmp(e->msg + n, ": ", 2) && !strncmp(e->msg + n + 2, want, strlen(want));
}

/*
 * The rows of tests/data/config_sources.jsonl in group: the row's "set"
 * merged into base (one source), written as {"sources": [...]} and
 * loaded.  "error" null: it must load; else the message must start with
 * "<file>: <error>", and "absent" (a secret) must not be in it.
 */
static void run_source_rows(struct fixture *f, const char *group, const char *base)
{
	FILE *in = fopen("tests/data/config_sources.jsonl", "r");
	char line[4096];
	int bad = 0, rows = 0, lineno = 0;

	if (!in)
		fail_msg("cannot open tests/data/config_sources.jsonl (run from the top directory)");
	while (fgets(line, sizeof(line), in)) {
		json_error_t jerr;
		json_t *row, *src = NULL, *cfg = NULL;
		const char *g, *why, *error, *absent;
		struct kerr e;
		int rc;

		lineno++;
		if (!(row = json_loads(line, 0, &jerr)))
			fail_msg("config_sources.jsonl:%d: %s", lineno, jerr.text);
		g = json_string_value(json_object_get(row, "group"));
		if (!g || strcmp(g, group)) {
			json_decref(row);
			continue;
		}
		rows++;
		why = json_string_value(json_object_get(row, "why"));
		error = json_string_value(json_object_get(row, "error"));
		absent = json_string_value(json_object_get(row, "absent"));
		if (!(src = json_loads(base, 0, &jerr)) || json_object_update(src, json_object_get(row, "set")) < 0 ||
		    !(cfg = json_pack("{s:[o]}", "sources", src)) || json_dump_file(cfg, f->path, 0) < 0)
			fail_msg("config_sources.jsonl:%d: cannot build the config", lineno);
		json_decref(cfg);
		rc = try_load(f->path, &e);
		if (!error)
			row_check(&bad, rc == 0, "config_sources.jsonl:%d (%s): refused: %s", lineno, why, e.msg);
		else
			row_check(&bad, refused_with(rc, &e, f->path, error) && (!absent || !strstr(e.msg, absent)),
				  "config_sources.jsonl:%d (%s): rc %d, code %d, \"%s\"; want \"%s\"%s%s", lineno,
				  why, rc, (int)e.code, rc ? e.msg : "", error, absent ? " without " : "",
				  absent ? absent : "");
		json_decref(row);
	}
	fclose(in);
	if (!rows)
		fail_msg("no rows of group '%s' in tests/data/config_sources.jsonl", group);
	assert_int_equal(bad, 0);
}

/* A generic feed's url template: placeholders known and closed, {env:NAME}
 * a variable name, the rest an http(s) URL libcurl takes. */
static void test_url_template_checked(void **state)
{
	run_source_rows(*state, "url",
			"{\"name\": \"feed\", \"platform\": \"generic\", \"base_url\": \"http://feed.example.cn\","
			" \"items\": \"/data/list\", \"fields\": {\"post_id\": \"/id\", \"created_at\": \"/t\"}}");
}

/* base_url parsed by libcurl: a host, a port 1..65535, no query, fragment
 * or credentials, no spaces. */
static void test_base_url_parsed(void **state)
{
	run_source_rows(*state, "base_url",
			"{\"name\": \"weibo\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\"}");
}

/* user_agent, header names, values and prefixes: nothing that would end
 * the header line. */
static void test_header_text_checked(void **state)
{
	run_source_rows(*state, "headers",
			"{\"name\": \"weibo\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\"}");
}

/* n copies of unit, NUL-terminated, into out (cap bytes). */
static const char *repeat(char *out, size_t cap, const char *unit, size_t n)
{
	size_t len = 0, ul = strlen(unit);

	for (size_t i = 0; i < n; i++) {
		if (len + ul >= cap)
			fail_msg("repeat: %zu x '%s' does not fit", n, unit);
		memcpy(out + len, unit, ul);
		len += ul;
	}
	out[len] = '\0';
	return out;
}

/* Absurd lengths, each at its limit (loads) and one past it (refused with
 * the key path). */
static void test_lengths_capped(void **state)
{
	static const struct {
		const char *what;  /* printf format of the config: %s is the repeated text */
		const char *unit;  /* repeated */
		size_t limit;      /* the most copies allowed */
		const char *error; /* the message one copy more gives, after "<file>: " */
	} cases[] = {
		{"{\"sources\": [{\"name\": \"%s\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\"}]}",
		 "a", 63, "sources[0].name: longer than 63 bytes"},
		{"{\"campaign\": {\"name\": \"%s\"}}", "科", 200, "campaign.name: longer than 200 characters"},
		{"{\"sources\": [{\"name\": \"w\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\","
		 " \"query\": \"%s\"}]}",
		 "q", 256, "sources[0].query: longer than 256 bytes"},
		{"{\"sources\": [{\"name\": \"w\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\","
		 " \"user_agent\": \"%s\"}]}",
		 "u", 512, "sources[0].user_agent: longer than 512 bytes"},
		{"{\"sources\": [{\"name\": \"w\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\","
		 " \"headers\": {\"X-Long\": \"%s\"}}]}",
		 "v", 8192, "sources[0].headers.X-Long: longer than 8192 bytes"},
		{"{\"sources\": [{\"name\": \"w\", \"platform\": \"weibo\", \"base_url\": \"https://m.weibo.cn\","
		 " \"headers\": {\"Authorization\": {\"env\": \"TOKEN\", \"prefix\": \"%s\"}}}]}",
		 "p", 8192, "sources[0].headers.Authorization.prefix: longer than 8192 bytes"},
	};
	struct fixture *f = *state;
	static char text[32 * 1024], json[40 * 1024];
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		for (size_t extra = 0; extra <= 1; extra++) {
			struct kerr e;
			int rc;

			repeat(text, sizeof(text), cases[i].unit, cases[i].limit + extra);
			snprintf(json, sizeof(json), cases[i].what, text);
			write_text(f->path, json);
			rc = try_load(f->path, &e);
			if (!extra)
				row_check(&bad, rc == 0, "%zu x '%s' (the limit) refused: %s", cases[i].limit,
					  cases[i].unit, e.msg);
			else
				row_check(&bad, refused_with(rc, &e, f->path, cases[i].error),
					  "%zu x '%s': rc %d, \"%s\"; want \"%s\"", cases[i].limit + 1, cases[i].unit, rc,
					  rc ? e.msg : "", cases[i].error);
		}

	/* 30 headers are sent; a 31st would be dropped without a word */
	for (int n = 30; n <= 31; n++) {
		size_t len = (size_t)snprintf(json, sizeof(json), "{\"sources\": [{\"name\": \"w\", \"platform\": "
								  "\"weibo\", \"base_url\": \"https://m.weibo.cn\", \"headers\": {");
		struct kerr e;
		int rc;

		for (int k = 0; k < n; k++)
			len += (size_t)snprintf(json + len, sizeof(json) - len, "%s\"X-H%d\": \"v\"", k ? ", " : "", k);
		snprintf(json + len, sizeof(json) - len, "}}]}");
		write_text(f->path, json);
		rc = try_load(f->path, &e);
		if (n == 30)
			row_check(&bad, rc == 0, "30 headers refused: %s", e.msg);
		else
			row_check(&bad, refused_with(rc, &e, f->path, "sources[0].headers: at most 30 headers"),
				  "31 headers: rc %d, \"%s\"", rc, rc ? e.msg : "");
	}
	assert_int_equal(bad, 0);
}

/* --config DIR: "DIR: is a directory", not a JSON parse error. */
static void test_config_is_directory(void **state)
{
	struct fixture *f = *state;
	struct kerr e;
	char want[160];

	assert_int_equal(try_load(f->dir.path, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	snprintf(want, sizeof(want), "%s: is a directory", f->dir.path);
	assert_string_equal(e.msg, want);
}

/* A directory where the config names a file to read: the key, the path,
 * "is a directory". */
static void test_path_keys_directory(void **state)
{
	static const struct {
		const char *json; /* %s is the directory */
		const char *key;
	} cases[] = {
		{"{\"gazetteer\": \"%s\"}", "gazetteer"},
		{"{\"review\": {\"word_list\": \"%s\"}}", "review.word_list"},
	};
	struct fixture *f = *state;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char json[256], want[256];
		struct kerr e;
		int rc;

		snprintf(json, sizeof(json), cases[i].json, f->dir.path);
		write_text(f->path, json);
		rc = try_load(f->path, &e);
		snprintf(want, sizeof(want), "%s: is a directory", f->dir.path);
		row_check(&bad, refused_with(rc, &e, f->path, cases[i].key) && strstr(e.msg, want),
			  "%s -> rc %d, \"%s\"; want \"%s: %s: %s\"", json, rc, rc ? e.msg : "", f->path,
			  cases[i].key, want);
	}
	assert_int_equal(bad, 0);
}

/* Every error of a configured gazetteer names the key that pointed there:
 * "<file>: gazetteer: <gazetteer file>..." */
static void test_gazetteer_errors_name_key(void **state)
{
	static const struct {
		const char *gazetteer; /* the file's content; NULL: no file */
		const char *error;     /* after "<file>: gazetteer: <gazetteer file>" */
	} cases[] = {
		{NULL, ": cannot open: "},
		{"{\"units\": [", ":1:"},
		{"{\"units\": [{\"id\": \"500116\", \"name\": \"江津区\"}]}", ": units[0].kind: expected a non-empty string"},
		{"{\"unit\": []}", ": unit: unknown key"},
		{"{\"units\": [{\"id\": \"500116\", \"name\": \"江津区\", \"kind\": \"district\", \"short\": [\"江津\"]}]}",
		 NULL},
	};
	struct fixture *f = *state;
	char gpath[160];
	int bad = 0;

	tmpdir_file(&f->dir, "g.json", gpath, sizeof(gpath));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char json[256], want[256];
		struct kerr e;
		int rc;

		unlink(gpath);
		if (cases[i].gazetteer)
			write_text(gpath, cases[i].gazetteer);
		snprintf(json, sizeof(json), "{\"gazetteer\": \"%s\"}", gpath);
		write_text(f->path, json);
		rc = try_load(f->path, &e);
		if (!cases[i].error) {
			row_check(&bad, rc == 0, "a good gazetteer refused: %s", e.msg);
			continue;
		}
		snprintf(want, sizeof(want), "gazetteer: %s%s", gpath, cases[i].error);
		row_check(&bad, refused_with(rc, &e, f->path, want), "%s -> rc %d, \"%s\"; want \"%s: %s\"",
			  cases[i].gazetteer ? cases[i].gazetteer : "(no file)", rc, rc ? e.msg : "", f->path, want);
	}
	assert_int_equal(bad, 0);
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
		cmocka_unit_test_setup_teardown(test_url_template_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_url_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_text_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lengths_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_is_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_keys_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gazetteer_errors_name_key, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
