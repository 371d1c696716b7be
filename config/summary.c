/*
 * summary.c: the wording of the summaries (config.h "struct
 * config_summary"): the registry of the template's keys, and reading a
 * template strictly: an unknown key, a wrong type or a placeholder the
 * key may not use is an error that names the key, so a staff member's
 * edit never prints a stray {unti} in a document sent to the leadership.
 *
 * Not for: filling the placeholders in (reports/summary.c does).
 */
#include "config.h"
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timefmt.h"
#include "../util/utf8.h"

#define TEXT_MAX_BYTES 4000 /* a paragraph, not a chapter */

/* Each text key: its name and the placeholders it may use. */
static const struct {
	const char *key, *vars;
} registry[CS_N] = {
	[CS_TITLE] = {"title", "unit year campaign br"},
	[CS_PERIOD] = {"period", "since until as_of"},
	[CS_INTRO] = {"intro", "unit year campaign tag since until"},
	[CS_H_ACTIVITIES] = {"heading_activities", ""},
	[CS_BLANK_ACTIVITIES] = {"blank_activities", "unit"},
	[CS_H_RESULTS] = {"heading_results", ""},
	[CS_H_OVERALL] = {"heading_overall", ""},
	[CS_OVERALL] = {"overall", "since until unit tag posts authors counts interactions"},
	[CS_OVERALL_NONE] = {"overall_none", "since until unit tag"},
	[CS_STANDING] = {"standing", "unit index rank share per_post versus"},
	[CS_RANK] = {"rank", "rank units"},
	[CS_ABOVE] = {"above", "city_per_post diff"},
	[CS_BELOW] = {"below", "city_per_post diff"},
	[CS_LEVEL] = {"level", "city_per_post"},
	[CS_CITY_STANDING] = {"city_standing", "units covered index per_post"},
	[CS_PREVIOUS] = {"previous", "prev_since prev_until posts_change index_change"},
	[CS_PREVIOUS_NONE] = {"previous_none", "prev_since prev_until"},
	[CS_HALVES] = {"halves", "first_since first_until second_since second_until posts_change index_change"},
	[CS_UP] = {"up", "pct"},
	[CS_DOWN] = {"down", "pct"},
	[CS_SAME] = {"same", ""},
	[CS_H_UNITS] = {"heading_units", ""},
	[CS_UNITS] = {"units", "top table"},
	[CS_H_PLATFORMS] = {"heading_platforms", ""},
	[CS_PLATFORMS] = {"platforms", "list table"},
	[CS_PLATFORM_ITEM] = {"platform_item", "platform posts share"},
	[CS_H_TREND] = {"heading_trend", ""},
	[CS_TREND] = {"trend", "peak_date peak_posts figure"},
	[CS_H_ATTENTION] = {"heading_attention", ""},
	[CS_ATTENTION] = {"attention", "count list"},
	[CS_ATTENTION_NONE] = {"attention_none", "units"},
	[CS_H_WORKS] = {"heading_works", ""},
	[CS_WORKS] = {"works", "unit count table"},
	[CS_WORKS_NONE] = {"works_none", ""},
	[CS_H_PLANS] = {"heading_plans", ""},
	[CS_BLANK_PLANS] = {"blank_plans", "unit"},
	[CS_TABLE_CAPTION] = {"table_caption", "n caption"},
	[CS_FIGURE_CAPTION] = {"figure_caption", "n caption"},
	[CS_T_OVERALL] = {"table_overall", ""},
	[CS_T_UNITS] = {"table_units", ""},
	[CS_T_PLATFORMS] = {"table_platforms", ""},
	[CS_T_WORKS] = {"table_works", ""},
	[CS_F_TREND] = {"figure_trend", ""},
	[CS_ISSUER] = {"issuer", "unit"},
	[CS_TARGETS] = {"targets", "unit list"},
	[CS_TARGET_ITEM] = {"target_item", "figure progress target done"},
	[CS_TARGETS_UNITS] = {"targets_units", "list table units"},
	[CS_TARGET_UNITS_ITEM] = {"target_units_item", "figure set met"},
	[CS_T_UNIT_TARGETS] = {"table_unit_targets", ""},
};

const char *config_summary_key(enum config_summary_key k)
{
	return registry[k].key;
}

const char *config_summary_vars(enum config_summary_key k)
{
	return registry[k].vars;
}

/* Is name[0..n) a word of the space-separated list vars? */
static int var_allowed(const char *vars, const char *name, size_t n)
{
	for (const char *p = vars; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && !memcmp(p, name, n))
			return 1;
		p += len;
		p += *p == ' ';
	}
	return 0;
}

/* Every {name} in s must be one of k's placeholders. */
static int check_text(enum config_summary_key k, const char *s, const char *src, struct kerr *e)
{
	for (const char *p = s; (p = strpbrk(p, "{}"));) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		char shown[64];
		if (!end)
			return kerr_set(e, KERR_USAGE, "%s: %s: unmatched '%c' (write a literal brace as ｛ or ｝)", src,
					registry[k].key, *p);
		if (!var_allowed(registry[k].vars, p + 1, (size_t)(end - p - 1)))
			return kerr_set(e, KERR_USAGE, "%s: %s: unknown placeholder {%s} (this key may use: %s)", src,
					registry[k].key,
					utf8_quote(shown, sizeof(shown), p + 1, (size_t)(end - p - 1), 20),
					*registry[k].vars ? registry[k].vars : "none");
		p = end + 1;
	}
	return 0;
}

static int set_text(struct config_summary *s, enum config_summary_key k, json_t *v, const char *src,
		    struct kerr *e)
{
	const char *t = json_string_value(v);

	if (!json_is_string(v) || !*t)
		return kerr_set(e, KERR_USAGE, "%s: %s: expected a non-empty string", src, registry[k].key);
	if (strlen(t) != json_string_length(v) || json_string_length(v) > TEXT_MAX_BYTES)
		return kerr_set(e, KERR_USAGE, "%s: %s: a NUL character, or longer than %d bytes", src, registry[k].key,
				TEXT_MAX_BYTES);
	if (check_text(k, t, src, e) < 0)
		return -1;
	free(s->text[k]);
	return (s->text[k] = strdup(t)) ? 0 : kerr_set(e, KERR_NOMEM, "out of memory");
}

static int set_works(int *out, json_t *v, const char *src, const char *key, struct kerr *e)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > CONFIG_SUMMARY_MAX_WORKS)
		return kerr_set(e, KERR_USAGE, "%s: %s: expected a whole number from 1 to %d", src, key,
				CONFIG_SUMMARY_MAX_WORKS);
	*out = (int)json_integer_value(v);
	return 0;
}

static int set_date(struct config_summary *s, json_t *v, const char *src, struct kerr *e)
{
	int64_t t;

	if (!json_is_string(v) ||
	    (json_string_length(v) && ktime_parse_date(json_string_value(v), &t) < 0))
		return kerr_set(e, KERR_USAGE, "%s: date: expected \"\" (the day the summary is written) or YYYY-MM-DD",
				src);
	memcpy(s->date, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* One key of the template. */
static int set_key(struct config_summary *s, const char *key, json_t *v, const char *src, struct kerr *e)
{
	if (!strcmp(key, "comment"))
		return 0;
	if (!strcmp(key, "date"))
		return set_date(s, v, src, e);
	if (!strcmp(key, "works_unit"))
		return set_works(&s->works_unit, v, src, key, e);
	if (!strcmp(key, "works_city"))
		return set_works(&s->works_city, v, src, key, e);
	for (int k = 0; k < CS_N; k++)
		if (!strcmp(key, registry[k].key))
			return set_text(s, (enum config_summary_key)k, v, src, e);
	return kerr_set(e, KERR_USAGE, "%s: %s: unknown key", src, key); /* config_check_keys said first */
}

int config_summary_parse(struct config_summary *s, const char *json, size_t len, const char *src,
			 struct kerr *e)
{
	const char *known[CS_N + 5];
	json_error_t jerr;
	json_t *root, *v;
	const char *key;
	int rc = 0;

	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return kerr_set(e, KERR_USAGE, "%s:%d:%d: %s", src, jerr.line, jerr.column, jerr.text);
	for (int k = 0; k < CS_N; k++)
		known[k] = registry[k].key;
	known[CS_N] = "comment";
	known[CS_N + 1] = "date";
	known[CS_N + 2] = "works_unit";
	known[CS_N + 3] = "works_city";
	known[CS_N + 4] = NULL;
	if (!json_is_object(root))
		rc = kerr_set(e, KERR_USAGE, "%s: expected a JSON object at the top", src);
	else if (config_check_keys(root, known, src, "", e) < 0)
		rc = -1;
	else
		json_object_foreach(root, key, v) if ((rc = set_key(s, key, v, src, e)) < 0) break;
	json_decref(root);
	return rc;
}

void config_summary_release(struct config_summary *s)
{
	for (int k = 0; k < CS_N; k++)
		free(s->text[k]);
	memset(s, 0, sizeof(*s));
}

/* The template file's text (at most 1 MiB).  The caller frees it. */
static int read_template(const char *path, char **out, size_t *len, struct kerr *e)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1024 * 1024, n = 0, got;
	char *buf;

	if (!f)
		return kerr_set(e, KERR_USAGE, "%s: cannot open: %s", path, strerror(errno));
	if (!(buf = malloc(cap + 1))) {
		fclose(f);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	while (n <= cap && (got = fread(buf + n, 1, cap + 1 - n, f)) > 0)
		n += got;
	if (ferror(f) || n > cap) {
		int err = ferror(f) ? errno : 0;
		fclose(f);
		free(buf);
		return err ? kerr_set(e, KERR_USAGE, "%s: cannot read: %s", path, strerror(err))
			   : kerr_set(e, KERR_USAGE, "%s: larger than 1 MiB", path);
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

int config_load_summary(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	static const char *const summary_keys[] = {"template", NULL};
	json_t *t;
	char *text = NULL;
	size_t len = 0;
	int rc;

	c->summary.works_unit = 5;
	c->summary.works_city = 10;
	if (config_summary_parse(&c->summary, config_summary_zh_json, config_summary_zh_json_len,
				 "built-in summary.zh.json", e) < 0)
		return -1;
	for (int k = 0; k < CS_N; k++)
		if (!c->summary.text[k])
			return kerr_set(e, KERR_USAGE, "built-in summary.zh.json: %s: missing", registry[k].key);
	if (!v)
		return 0;
	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: summary: expected an object", file);
	if (config_check_keys(v, summary_keys, file, "summary", e) < 0)
		return -1;
	if (!(t = json_object_get(v, "template")))
		return 0;
	if (config_get_string(t, file, "summary.template", &c->summary_template, e) < 0)
		return -1;
	/* "kepu.json: summary.template: /x/t.json: title: ..." */
	if (read_template(c->summary_template, &text, &len, e) < 0)
		return kerr_prefix(e, "%s: summary.template", file);
	rc = config_summary_parse(&c->summary, text, len, c->summary_template, e);
	free(text);
	return rc < 0 ? kerr_prefix(e, "%s: summary.template", file) : 0;
}
