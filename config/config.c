/*
 * config.c: reading kepu.json with jansson and checking every key against
 * the list of keys kepu knows.
 */
#include "config.h"
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/buf.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

static const char *const top_keys[] = {"database", "campaign", "gazetteer", "places", "accounts", "sources",
				       "scoring",  "review",   "showcase",  "report",  "summary", NULL};
static const char *const report_keys[] = {"attention", NULL};
static const char *const attention_keys[] = {"min_posts", "min_share", NULL};
static const char *const scoring_keys[] = {"weights", "references", NULL};
static const char *const showcase_keys[] = {"dir", "title", "intro", "organizer", "footer", "base_url", NULL};
static const char *const count_keys[] = {"views", "likes", "comments", "shares", "favorites", "coins", NULL};
_Static_assert(sizeof(count_keys) / sizeof(count_keys[0]) == CONFIG_NCOUNTS + 1, "a key per count");
static const char *const account_keys[] = {"platform", "author_id", "author_name", "unit", NULL};
static const char *const campaign_keys[] = {"name", "tags", "start", "end", "report_until", "targets", NULL};
static const char *const targets_keys[] = {"posts", "views", "interactions", "per_unit", "units", NULL};
static const char *const target_keys[] = {"posts", "views", "interactions", NULL};

#define CAMPAIGN_NAME_MAX_CHARS 200 /* a report title, not a paragraph */

/* Edit distance, to suggest the key a typo meant. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1,
			       sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			cur[j] = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

int config_check_keys(json_t *obj, const char *const *known, const char *file, const char *where,
		      struct kerr *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		size_t i, best = 0, bd = 99;
		char list[256] = "";
		size_t len = 0;

		for (i = 0; known[i]; i++) {
			size_t d;
			if (!strcmp(key, known[i]))
				break;
			d = distance(key, known[i]);
			if (d < bd) {
				bd = d;
				best = i;
			}
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
						known[i]);
			if (len >= sizeof(list))
				len = sizeof(list) - 1;
		}
		if (known[i])
			continue;
		if (bd <= 2)
			return kerr_set(e, KERR_USAGE, "%s: %s%s%s: unknown key (did you mean '%s'?)",
					file, where, *where ? "." : "", key, known[best]);
		return kerr_set(e, KERR_USAGE, "%s: %s%s%s: unknown key (known keys: %s)", file, where,
				*where ? "." : "", key, list);
	}
	return 0;
}

int config_get_string(json_t *v, const char *file, const char *where, char **out, struct kerr *e)
{
	const char *s;

	if (!json_is_string(v) || !*(s = json_string_value(v)))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected a non-empty string", file, where);
	if (strlen(s) != json_string_length(v))
		return kerr_set(e, KERR_USAGE, "%s: %s: NUL character in string", file, where);
	free(*out);
	*out = strdup(s);
	return *out ? 0 : kerr_set(e, KERR_NOMEM, "out of memory");
}

static int get_date(json_t *v, const char *file, const char *where, char out[11], struct kerr *e)
{
	int64_t t;

	if (!json_is_string(v) || ktime_parse_date(json_string_value(v), &t) < 0)
		return kerr_set(e, KERR_USAGE, "%s: %s: expected a date YYYY-MM-DD", file, where);
	memcpy(out, json_string_value(v), 11);
	return 0;
}

static int set_tags(struct config *c, const char *const *tags, size_t n, struct kerr *e)
{
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	c->ntags = 0;
	c->tags = calloc(n ? n : 1, sizeof(*c->tags));
	if (!c->tags)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (!(c->tags[i] = strdup(tags[i])))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		c->ntags++;
	}
	return 0;
}

static int load_campaign(struct config *c, json_t *cam, const char *file, struct kerr *e)
{
	json_t *v;
	char where[64];

	if (!json_is_object(cam))
		return kerr_set(e, KERR_USAGE, "%s: campaign: expected an object", file);
	if (config_check_keys(cam, campaign_keys, file, "campaign", e) < 0)
		return -1;
	if ((v = json_object_get(cam, "name"))) {
		size_t chars = 0;
		if (config_get_string(v, file, "campaign.name", &c->campaign_name, e) < 0)
			return -1;
		for (const char *p = c->campaign_name; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		if (chars > CAMPAIGN_NAME_MAX_CHARS)
			return kerr_set(e, KERR_USAGE, "%s: campaign.name: longer than %d characters", file,
					CAMPAIGN_NAME_MAX_CHARS);
	}
	if ((v = json_object_get(cam, "tags"))) {
		const char *tags[16];
		size_t i, n;
		json_t *t;

		if (!json_is_array(v) || !(n = json_array_size(v)))
			return kerr_set(e, KERR_USAGE, "%s: campaign.tags: expected a non-empty array of strings", file);
		if (n > 16)
			return kerr_set(e, KERR_USAGE, "%s: campaign.tags: at most 16 tags", file);
		json_array_foreach(v, i, t)
		{
			const char *s = json_string_value(t);
			snprintf(where, sizeof(where), "campaign.tags[%zu]", i);
			if (!json_is_string(t) || !*s)
				return kerr_set(e, KERR_USAGE, "%s: %s: expected a non-empty string", file, where);
			if (strlen(s) != json_string_length(t) || strpbrk(s, "# \t\r\n") ||
			    strstr(s, "\xef\xbc\x83") || strstr(s, "\xe3\x80\x80"))
				return kerr_set(e, KERR_USAGE,
						"%s: %s: a tag is written without '#' and without spaces",
						file, where);
			if (strlen(s) > 192)
				return kerr_set(e, KERR_USAGE, "%s: %s: longer than 64 characters", file, where);
			tags[i] = s;
		}
		if (set_tags(c, tags, n, e) < 0)
			return -1;
	}
	if ((v = json_object_get(cam, "start")) && get_date(v, file, "campaign.start", c->start_date, e) < 0)
		return -1;
	if ((v = json_object_get(cam, "end")) && get_date(v, file, "campaign.end", c->end_date, e) < 0)
		return -1;
	if ((v = json_object_get(cam, "report_until")) &&
	    get_date(v, file, "campaign.report_until", c->report_until_date, e) < 0)
		return -1;
	return 0;
}

/* fopen() opens a directory and fread() then fails with EISDIR: say so. */
static int is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int read_file(const char *path, char **out, size_t *len, struct kerr *e)
{
	FILE *f;
	struct kbuf b;
	char chunk[65536];
	size_t n;

	if (is_directory(path))
		return kerr_set(e, KERR_USAGE, "%s: is a directory", path);
	if (!(f = fopen(path, "rb")))
		return kerr_set(e, KERR_USAGE, "%s: cannot open: %s", path, strerror(errno));
	kbuf_init(&b, 64 * 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (kbuf_add(&b, chunk, n, e) < 0) {
			fclose(f);
			kbuf_release(&b);
			return kerr_prefix(e, "%s", path);
		}
	if (ferror(f)) {
		int err = errno;
		fclose(f);
		kbuf_release(&b);
		return kerr_set(e, KERR_USAGE, "%s: cannot read: %s", path, strerror(err));
	}
	fclose(f);
	*len = b.len;
	*out = kbuf_detach(&b);
	return 0;
}

/* The places of the units: the built-in list, or the config's `places`
 * file ("" for none, with a gazetteer of other units). */
static int load_places(struct config *c, struct kerr *e)
{
	char *text;
	size_t len;
	int rc;

	if (!c->places_path)
		return places_parse(&c->districts, config_places_json, config_places_json_len, "built-in places.json",
				    !c->gazetteer_path, e);
	if (!*c->places_path)
		return 0;
	if (read_file(c->places_path, &text, &len, e) < 0)
		return kerr_prefix(e, "%s: places", c->path);
	rc = places_parse(&c->districts, text, len, c->places_path, 1, e);
	free(text);
	return rc < 0 ? kerr_prefix(e, "%s: places", c->path) : 0;
}

static int load_gazetteer(struct config *c, struct kerr *e)
{
	char *text;
	size_t len;
	int rc;

	if (!c->gazetteer_path)
		return gazetteer_parse(&c->districts, config_districts_json, config_districts_json_len,
				       "built-in districts.json", e) < 0 ? -1 : load_places(c, e);
	/* every error names the key that pointed there:
	 * "kepu.json: gazetteer: /x/g.json:3:5: ..." */
	if (read_file(c->gazetteer_path, &text, &len, e) < 0)
		return kerr_prefix(e, "%s: gazetteer", c->path);
	rc = gazetteer_parse(&c->districts, text, len, c->gazetteer_path, e);
	free(text);
	if (rc < 0)
		return kerr_prefix(e, "%s: gazetteer", c->path);
	return load_places(c, e);
}

/* The code of the unit named s (code, name or other name), or NULL. */
static const char *unit_code(const struct district_data *d, const char *s)
{
	for (size_t i = 0; i < d->nunits; i++) {
		if (!strcmp(d->units[i].code, s) || !strcmp(d->units[i].name, s))
			return d->units[i].code;
		for (size_t k = 0; k < d->units[i].nnames; k++)
			if (!strcmp(d->units[i].names[k], s))
				return d->units[i].code;
	}
	return NULL;
}

static int load_accounts(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	size_t i;
	json_t *a;

	if (!json_is_array(v))
		return kerr_set(e, KERR_USAGE, "%s: accounts: expected an array of objects", file);
	if (json_array_size(v) && !(c->accounts = calloc(json_array_size(v), sizeof(*c->accounts))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_array_foreach(v, i, a)
	{
		char where[64];
		char *platform = NULL, *id = NULL, *name = NULL, *unit = NULL;
		json_t *f;

		snprintf(where, sizeof(where), "accounts[%zu]", i);
		if (!json_is_object(a))
			return kerr_set(e, KERR_USAGE, "%s: %s: expected an object", file, where);
		if (config_check_keys(a, account_keys, file, where, e) < 0)
			return -1;
		snprintf(where, sizeof(where), "accounts[%zu].platform", i);
		if (config_get_string(json_object_get(a, "platform"), file, where, &platform, e) < 0)
			return -1;
		c->accounts[i].platform = platform;
		c->naccounts++;
		snprintf(where, sizeof(where), "accounts[%zu].unit", i);
		if (config_get_string(json_object_get(a, "unit"), file, where, &unit, e) < 0)
			return -1;
		c->accounts[i].unit = unit;
		if (!unit_code(&c->districts, unit))
			return kerr_set(e, KERR_USAGE, "%s: %s: no unit '%s' in the gazetteer", file, where, unit);
		if ((f = json_object_get(a, "author_id"))) {
			snprintf(where, sizeof(where), "accounts[%zu].author_id", i);
			if (json_is_integer(f)) {
				char num[32];
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(f));
				id = strdup(num);
			} else if (config_get_string(f, file, where, &id, e) < 0)
				return -1;
			c->accounts[i].author_id = id;
		}
		if ((f = json_object_get(a, "author_name"))) {
			snprintf(where, sizeof(where), "accounts[%zu].author_name", i);
			if (config_get_string(f, file, where, &name, e) < 0)
				return -1;
			c->accounts[i].author_name = name;
		}
		if (!c->accounts[i].author_id && !c->accounts[i].author_name)
			return kerr_set(e, KERR_USAGE, "%s: accounts[%zu]: needs author_id or author_name", file, i);
	}
	return 0;
}

static int load_scoring_part(json_t *v, const char *file, const char *where, double *out,
			     unsigned *set, int positive, struct kerr *e)
{
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object of count -> number", file, where);
	if (config_check_keys(v, count_keys, file, where, e) < 0)
		return -1;
	json_object_foreach(v, key, x)
	{
		int k;
		double d = json_is_number(x) ? json_number_value(x) : -1;
		for (k = 0; strcmp(count_keys[k], key); k++)
			;
		if (!json_is_number(x) || d < 0 || d > 1e12 || (positive && d <= 0))
			return kerr_set(e, KERR_USAGE, "%s: %s.%s: expected a %s number", file, where, key,
					positive ? "positive" : "non-negative");
		out[k] = d;
		*set |= 1u << k;
	}
	return 0;
}

/* A text of the showcase page at where: no control characters (the
 * intro may break lines), at most max characters. */
static int showcase_text(json_t *v, const char *file, const char *where, int lines, size_t max, char **out,
			 struct kerr *e)
{
	size_t chars = 0;

	if (config_get_string(v, file, where, out, e) < 0)
		return -1;
	for (const unsigned char *p = (const unsigned char *)*out; *p; p++) {
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) || *p == 0x7F)
			return kerr_set(e, KERR_USAGE, "%s: %s: control character at byte %zu%s", file, where,
					(size_t)(p - (const unsigned char *)*out), lines ? "" : " (one line only)");
		chars += (*p & 0xC0) != 0x80;
	}
	if (chars > max)
		return kerr_set(e, KERR_USAGE, "%s: %s: %zu characters, at most %zu", file, where, chars, max);
	return 0;
}

/* showcase: where `kepu serve` publishes the showcase (the CLI takes -o),
 * and the words around the works. */
static int load_showcase(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	static const struct {
		const char *key;
		size_t off, max;
		int lines;
	} texts[] = {
		{"title", offsetof(struct config, showcase_title), 60, 0},
		{"intro", offsetof(struct config, showcase_intro), 2000, 1},
		{"organizer", offsetof(struct config, showcase_organizer), 200, 1},
		{"footer", offsetof(struct config, showcase_footer), 500, 1},
	};
	json_t *d;
	char where[32];

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: showcase: expected an object", file);
	if (config_check_keys(v, showcase_keys, file, "showcase", e) < 0)
		return -1;
	if ((d = json_object_get(v, "dir")) && config_get_string(d, file, "showcase.dir", &c->showcase_dir, e) < 0)
		return -1;
	if (c->showcase_dir && !*c->showcase_dir)
		return kerr_set(e, KERR_USAGE, "%s: showcase.dir: expected a directory", file);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		snprintf(where, sizeof(where), "showcase.%s", texts[i].key);
		if ((d = json_object_get(v, texts[i].key)) &&
		    showcase_text(d, file, where, texts[i].lines, texts[i].max, (char **)((char *)c + texts[i].off),
				  e) < 0)
			return -1;
	}
	if ((d = json_object_get(v, "base_url"))) {
		const char *u;
		if (showcase_text(d, file, "showcase.base_url", 0, 500, &c->showcase_base_url, e) < 0)
			return -1;
		u = c->showcase_base_url;
		/* where the page will be published: og:image needs an absolute URL */
		if ((strncmp(u, "https://", 8) && strncmp(u, "http://", 7)) || strpbrk(u, " \"'<>\\?#") ||
		    !u[strncmp(u, "https://", 8) ? 7 : 8] || u[strncmp(u, "https://", 8) ? 7 : 8] == '/')
			return kerr_set(e, KERR_USAGE,
					"%s: showcase.base_url: expected the page's address, http(s)://host/path "
					"(no spaces, quotes, query or fragment)",
					file);
		for (size_t n = strlen(c->showcase_base_url); n && c->showcase_base_url[n - 1] == '/'; n--)
			c->showcase_base_url[n - 1] = '\0';
	}
	return 0;
}

/* The figures of one target object at where: posts, views, interactions,
 * each a whole number from 1 (others keys as allowed by keys). */
static int load_target(struct config_target *t, json_t *v, const char *const *keys, const char *file,
		       const char *where, struct kerr *e)
{
	static const char *const names[] = {"posts", "views", "interactions"};
	int64_t *field[] = {&t->posts, &t->views, &t->interactions};

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object of posts, views, interactions", file, where);
	if (config_check_keys(v, keys, file, where, e) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		json_t *x = json_object_get(v, names[i]);
		if (!x)
			continue;
		if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 1000000000000LL)
			return kerr_set(e, KERR_USAGE, "%s: %s.%s: expected a whole number from 1", file, where, names[i]);
		*field[i] = json_integer_value(x);
	}
	return 0;
}

/* campaign.targets.units: {UNIT: {posts, views, interactions}}. */
static int load_unit_targets(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: campaign.targets.units: expected an object of unit -> targets", file);
	if (json_object_size(v) && !(c->unit_targets = calloc(json_object_size(v), sizeof(*c->unit_targets))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_object_foreach(v, key, x)
	{
		char where[256];
		const char *code = unit_code(&c->districts, key);
		struct config_unit_target *u = &c->unit_targets[c->nunit_targets];

		snprintf(where, sizeof(where), "campaign.targets.units.%s", key);
		if (!code)
			return kerr_set(e, KERR_USAGE, "%s: %s: no unit '%s' in the gazetteer", file, where, key);
		for (size_t i = 0; i < c->nunit_targets; i++)
			if (!strcmp(c->unit_targets[i].unit, code))
				return kerr_set(e, KERR_USAGE, "%s: %s: the unit's targets are given twice", file, where);
		if (!(u->unit = strdup(code)))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		c->nunit_targets++;
		if (load_target(&u->t, x, target_keys, file, where, e) < 0)
			return -1;
	}
	return 0;
}

/* campaign.targets (read after the gazetteer: units are named). */
static int load_targets(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	json_t *x;

	if (load_target(&c->target, v, targets_keys, file, "campaign.targets", e) < 0)
		return -1;
	if ((x = json_object_get(v, "per_unit")) &&
	    load_target(&c->target_per_unit, x, target_keys, file, "campaign.targets.per_unit", e) < 0)
		return -1;
	if ((x = json_object_get(v, "units")) && load_unit_targets(c, x, file, e) < 0)
		return -1;
	return 0;
}

/* report.attention: when a unit needs attention (README "The report"). */
static int load_attention(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	json_t *x;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: report.attention: expected an object", file);
	if (config_check_keys(v, attention_keys, file, "report.attention", e) < 0)
		return -1;
	if ((x = json_object_get(v, "min_posts"))) {
		if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 1000000)
			return kerr_set(e, KERR_USAGE,
					"%s: report.attention.min_posts: expected a whole number of works from 0 to 1000000",
					file);
		c->attention_min_posts = (long)json_integer_value(x);
	}
	if ((x = json_object_get(v, "min_share"))) {
		if (!json_is_number(x) || json_number_value(x) < 0 || json_number_value(x) > 100)
			return kerr_set(e, KERR_USAGE,
					"%s: report.attention.min_share: expected a percentage from 0 to 100", file);
		c->attention_min_share = json_number_value(x);
	}
	return 0;
}

static int load_report(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	json_t *x;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: report: expected an object", file);
	if (config_check_keys(v, report_keys, file, "report", e) < 0)
		return -1;
	if ((x = json_object_get(v, "attention")) && load_attention(c, x, file, e) < 0)
		return -1;
	return 0;
}

static int load_scoring(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	json_t *x;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: scoring: expected an object", file);
	if (config_check_keys(v, scoring_keys, file, "scoring", e) < 0)
		return -1;
	if ((x = json_object_get(v, "weights")) &&
	    load_scoring_part(x, file, "scoring.weights", c->scoring_weight, &c->scoring_weight_set, 0, e) < 0)
		return -1;
	if ((x = json_object_get(v, "references")) &&
	    load_scoring_part(x, file, "scoring.references", c->scoring_reference, &c->scoring_reference_set, 1,
			      e) < 0)
		return -1;
	return 0;
}

/* The config file at path as JSON: an object at the top, every key a
 * known one.  NULL with e set. */
static json_t *read_config_file(const char *path, struct kerr *e)
{
	json_error_t jerr;
	json_t *root;

	if (is_directory(path)) {
		kerr_set(e, KERR_USAGE, "%s: is a directory", path);
		return NULL;
	}
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line <= 0)
			kerr_set(e, KERR_USAGE, "%s: %s", path, jerr.text);
		else
			kerr_set(e, KERR_USAGE, "%s:%d:%d: %s", path, jerr.line, jerr.column,
				 jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		kerr_set(e, KERR_USAGE, "%s: expected a JSON object at the top", path);
		json_decref(root);
		return NULL;
	}
	if (config_check_keys(root, top_keys, path, "", e) < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* The keys read before the gazetteer is: the database, the campaign, and
 * the gazetteer's and the places' files ("" for places: none). */
static int load_top_settings(struct config *c, json_t *root, const char *path, struct kerr *e)
{
	json_t *v;

	if ((v = json_object_get(root, "database")) &&
	    config_get_string(v, path, "database", &c->database, e) < 0)
		return -1;
	if ((v = json_object_get(root, "campaign")) && load_campaign(c, v, path, e) < 0)
		return -1;
	if ((v = json_object_get(root, "gazetteer")) &&
	    config_get_string(v, path, "gazetteer", &c->gazetteer_path, e) < 0)
		return -1;
	if ((v = json_object_get(root, "places")) && json_is_string(v) && !json_string_length(v)) {
		if (!(c->places_path = strdup("")))
			return kerr_set(e, KERR_NOMEM, "out of memory");
	} else if (v && config_get_string(v, path, "places", &c->places_path, e) < 0)
		return -1;
	return 0;
}

/* The campaign's dates as times: its window [start, end + 1 day) and
 * report_until (a month after the end unless the config says), which
 * may not end before the window does. */
static int campaign_window(struct config *c, const char *path, struct kerr *e)
{
	if (ktime_parse_date(c->start_date, &c->window_start) < 0 ||
	    ktime_parse_date(c->end_date, &c->window_end) < 0)
		return kerr_set(e, KERR_USAGE, "bad campaign window");
	c->window_end += 86400;
	if (c->window_end <= c->window_start)
		return kerr_set(e, KERR_USAGE, "%s: campaign.end: before campaign.start (%s)",
				path ? path : "config", c->start_date);
	if (!c->report_until_date[0]) {
		/* a month after the campaign: for September, 31 October */
		char d[32];
		ktime_format_cst(c->window_end + 30 * 86400, d);
		memcpy(c->report_until_date, d, 10);
		c->report_until_date[10] = '\0';
	}
	if (ktime_parse_date(c->report_until_date, &c->report_until) < 0)
		return kerr_set(e, KERR_USAGE, "bad campaign.report_until");
	c->report_until += 86400;
	if (c->report_until < c->window_end)
		return kerr_set(e, KERR_USAGE,
				"%s: campaign.report_until: before campaign.end (%s): counts must be read at least "
				"until the campaign ends",
				path ? path : "config", c->end_date);
	return 0;
}

int config_load(struct config *c, const char *path, struct kerr *e)
{
	static const char *const deftags[] = {CONFIG_DEFAULT_TAG};
	json_t *root = NULL, *v;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	memcpy(c->start_date, "2025-09-01", 11);
	memcpy(c->end_date, "2025-09-30", 11);
	c->attention_min_posts = 1;
	if (!(c->database = strdup(CONFIG_DEFAULT_DB)) ||
	    !(c->campaign_name = strdup(CONFIG_DEFAULT_TAG)) || set_tags(c, deftags, 1, e) < 0) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	if (path) {
		if (!(c->path = strdup(path))) {
			kerr_set(e, KERR_NOMEM, "out of memory");
			goto out;
		}
		if (!(root = read_config_file(path, e)) || load_top_settings(c, root, path, e) < 0)
			goto out;
	}
	if (load_gazetteer(c, e) < 0)
		goto out;
	if (root && (v = json_object_get(json_object_get(root, "campaign"), "targets")) &&
	    load_targets(c, v, path, e) < 0)
		goto out;
	if (root && (v = json_object_get(root, "accounts")) && load_accounts(c, v, path, e) < 0)
		goto out;
	if (root && (v = json_object_get(root, "sources")) && config_load_sources(c, v, path, e) < 0)
		goto out;
	if (root && (v = json_object_get(root, "scoring")) && load_scoring(c, v, path, e) < 0)
		goto out;
	if (root && (v = json_object_get(root, "review")) && config_load_review(c, v, path, e) < 0)
		goto out;
	if (root && (v = json_object_get(root, "showcase")) && load_showcase(c, v, path, e) < 0)
		goto out;
	if (root && (v = json_object_get(root, "report")) && load_report(c, v, path, e) < 0)
		goto out;
	if (config_load_summary(c, root ? json_object_get(root, "summary") : NULL, path, e) < 0)
		goto out;
	if (campaign_window(c, path, e) < 0)
		goto out;
	ret = 0;
out:
	json_decref(root);
	if (ret < 0)
		config_release(c);
	return ret;
}

void config_release(struct config *c)
{
	for (size_t i = 0; i < c->ntags; i++)
		free(c->tags[i]);
	free(c->tags);
	free(c->path);
	free(c->database);
	free(c->campaign_name);
	free(c->gazetteer_path);
	free(c->places_path);
	free(c->showcase_dir);
	free(c->showcase_title);
	free(c->showcase_intro);
	free(c->showcase_organizer);
	free(c->showcase_footer);
	free(c->showcase_base_url);
	district_data_release(&c->districts);
	for (size_t i = 0; i < c->naccounts; i++) {
		free((char *)c->accounts[i].platform);
		free((char *)c->accounts[i].author_id);
		free((char *)c->accounts[i].author_name);
		free((char *)c->accounts[i].unit);
	}
	free(c->accounts);
	for (size_t i = 0; i < c->nunit_targets; i++)
		free(c->unit_targets[i].unit);
	free(c->unit_targets);
	config_release_sources(c);
	config_release_review(c);
	free(c->summary_template);
	config_summary_release(&c->summary);
	memset(c, 0, sizeof(*c));
}
