/*
 * import.c: `kepu import`: NDJSON and CSV files into the store.
 *
 * A reader thread splits the files into records, a worker per core
 * parses and annotates them (JSON or CSV cells, tags, attribution, flags)
 * in numbered batches, and the calling thread writes the batches to
 * SQLite in their numbers' order: so messages keep the files' order and
 * the last of two records of a post wins, as with one thread, while the
 * parsing runs on every core.  Batches come from a small fixed pool, so
 * memory is bounded whatever the file size.
 *
 * The writer is what limits on two cores; what it costs is SQLite's
 * (store/posts.c), so the rest keeps out of its way: records are read
 * by a scanner of our own where they are plain (jansson reads the rest),
 * and the transactions are large (write_post()).
 *
 * Errors are per record: the record is reported as `FILE:LINE: ...` and
 * dropped, the rest goes on.
 */
#include "collector.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../model/platform.h"
#include "../util/clock.h"
#include "../util/buf.h"
#include "../util/count.h"
#include "../util/csvguard.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

#define MAX_LINE (1024 * 1024)      /* a record longer than this is refused */
#define READ_BUF (4 * 1024 * 1024)
#define BATCH_ITEMS 512
#define MAX_WORKERS 8
#define POOL (2 * MAX_WORKERS + 2)
#define COMMIT_EVERY 32768          /* records per transaction: see write_post() */

/* ---- the fields of the import format ---- */

/* Whose counts an imported post's are (store.h): one source for every
 * file, named so no config source can be (sources.c allows no '('). */
#define IMPORT_SOURCE "(import)"

enum field {
	F_PLATFORM, F_POST_ID, F_URL, F_AUTHOR_ID, F_AUTHOR_NAME, F_AUTHOR_LOCATION,
	F_IP_LOCATION, F_CREATED_AT, F_TITLE, F_TEXT, F_TOPICS,
	F_VIEWS, F_LIKES, F_COMMENTS, F_SHARES, F_FAVORITES, F_COINS, /* enum post_count's order */
	F_COVER_URL, F_MEDIA,
	/* written by export; read back for first/last seen, the rest is
	 * recomputed by ingest */
	F_HASHTAGS, F_CAMPAIGN_TAGS, F_DISTRICT, F_DISTRICT_CODE, F_IN_CHONGQING,
	F_ATTRIBUTION_METHOD, F_FIRST_SEEN, F_LAST_SEEN, F_DELETED_AT,
	F_N
};

_Static_assert(F_COINS - F_VIEWS == PC_COINS && F_FAVORITES - F_VIEWS == PC_FAVORITES, "counts in order");

static const char *const field_names[F_N] = {
	"platform", "post_id", "url", "author_id", "author_name", "author_location",
	"ip_location", "created_at", "title", "text", "topics",
	"views", "likes", "comments", "shares", "favorites", "coins",
	"cover_url", "media",
	"hashtags", "campaign_tags", "district", "district_code", "in_chongqing",
	"attribution_method", "first_seen", "last_seen", "deleted_at",
};

static int field_index(const char *name, size_t n)
{
	for (int i = 0; i < F_N; i++)
		if (strlen(field_names[i]) == n && !memcmp(field_names[i], name, n))
			return i;
	return -1;
}

/* The platform as staff write it: 微博, B站, Weibo (model/platform.c). */
static int set_platform(struct post *p, const char *s, size_t n, struct kerr *e)
{
	const struct platform *pl = platform_parse(s, n);
	char known[512], q[200];
	size_t o = 0;

	if (pl) {
		p->platform = pl->name;
		return 0;
	}
	for (size_t i = 0; i < nplatforms && o < sizeof(known); i++)
		o += (size_t)snprintf(known + o, sizeof(known) - o, "%s%s",
				      i ? (i + 1 == nplatforms ? " or " : ", ") : "", platforms[i].name);
	return kerr_set(e, KERR_DATA, "platform: unknown platform '%s' (expected %s)", utf8_quote(q, sizeof(q), s, n, 40),
			known);
}

/* created_at, first_seen, last_seen, deleted_at (empty: not deleted). */
static int set_time(struct post *p, int f, const char *s, size_t n, struct kerr *e)
{
	const char *why = NULL;
	char q[200];
	int64_t t;

	if (f == F_DELETED_AT && !n)
		return 0;
	if (ktime_parse(s, n, &t, &why) < 0)
		return kerr_set(e, KERR_DATA, "%s: %s: '%s'", field_names[f], why, utf8_quote(q, sizeof(q), s, n, 40));
	if (f == F_CREATED_AT)
		p->created_at = t;
	else if (f == F_FIRST_SEEN)
		p->first_seen = t;
	else if (f == F_DELETED_AT)
		p->deleted_at = t;
	else
		p->last_seen = t;
	return 0;
}

/* A count as platforms print them (1.2万, 10万+, 1,234); empty: unknown. */
static int set_count(struct post *p, int f, const char *s, size_t n, struct kerr *e)
{
	const char *why = NULL;
	int k = f - F_VIEWS, lb;
	char q[200];

	switch (kcount_parse(s, n, &p->counts[k], &lb, &why)) {
	case KCOUNT_EMPTY:
		return 0;
	case KCOUNT_BAD:
		return kerr_set(e, KERR_DATA, "%s: %s: '%s'", field_names[f], why, utf8_quote(q, sizeof(q), s, n, 40));
	case KCOUNT_OK:
		p->known |= 1u << k;
		if (lb)
			p->lower |= 1u << k;
		return 0;
	}
	return 0;
}

/* A field kept as text, copied into a. */
static int set_string(struct post *p, int f, const char *s, size_t n, struct arena *a, struct kerr *e)
{
	const char *v;

	if (f == F_POST_ID) {
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n)
			return kerr_set(e, KERR_DATA, "post_id: empty");
		if (n > 256)
			return kerr_set(e, KERR_DATA, "post_id: longer than 256 bytes");
	}
	if (!(v = arena_strndup(a, s, n)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	switch (f) {
	case F_POST_ID: p->post_id = v; break;
	case F_URL: p->url = v; break;
	case F_AUTHOR_ID: p->author_id = v; break;
	case F_AUTHOR_NAME: p->author_name = v; break;
	case F_AUTHOR_LOCATION: p->author_location = v; break;
	case F_IP_LOCATION: p->ip_location = v; break;
	case F_TITLE: p->title = v; break;
	case F_TEXT: p->text = v; break;
	case F_COVER_URL: p->cover_url = v; break;
	case F_DISTRICT_CODE: p->district_code = v; break;
	case F_MEDIA:
		if (strcmp(v, "video") && strcmp(v, "image") && strcmp(v, "text"))
			return kerr_set(e, KERR_DATA, "media: expected video, image or text");
		p->media = v;
		break;
	default: break;
	}
	return 0;
}

/* Set one scalar field from text (CSV cells, JSON strings).  s[0..n) is
 * valid UTF-8 without NUL (not NUL-terminated: read n bytes). */
static int set_from_text(struct post *p, int f, const char *s, size_t n, struct arena *a,
			 struct kerr *e)
{
	switch (f) {
	case F_PLATFORM:
		return set_platform(p, s, n, e);
	case F_CREATED_AT:
	case F_FIRST_SEEN:
	case F_LAST_SEEN:
	case F_DELETED_AT:
		return set_time(p, f, s, n, e);
	case F_VIEWS:
	case F_LIKES:
	case F_COMMENTS:
	case F_SHARES:
	case F_FAVORITES:
	case F_COINS:
		return set_count(p, f, s, n, e);
	case F_ATTRIBUTION_METHOD:
		/* A manual district correction travels with the post (export ->
		 * import keeps it); every other method is recomputed. */
		if (n == 6 && !memcmp(s, "manual", 6))
			p->attribution_method = "manual";
		return 0;
	case F_HASHTAGS:
	case F_CAMPAIGN_TAGS:
	case F_DISTRICT:
	case F_IN_CHONGQING:
	case F_TOPICS:
		return 0; /* recomputed by ingest; topics handled by the callers */
	default:
		return set_string(p, f, s, n, a, e);
	}
}

static int check_required(const struct post *p, struct kerr *e)
{
	if (!p->platform)
		return kerr_set(e, KERR_DATA, "platform: missing (a required field)");
	if (!p->post_id)
		return kerr_set(e, KERR_DATA, "post_id: missing (a required field)");
	if (!p->created_at)
		return kerr_set(e, KERR_DATA, "created_at: missing (a required field)");
	return 0;
}

static void post_clear(struct post *p)
{
	memset(p, 0, sizeof(*p));
	p->in_chongqing = -1;
}

/* ---- NDJSON ---- */

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

static int set_from_json(struct post *p, int f, json_t *v, struct arena *a, struct kerr *e)
{
	char num[32];

	if (json_is_null(v))
		return 0;
	switch (f) {
	case F_TOPICS: {
		size_t i, n;
		json_t *t;
		const char **list;

		if (!json_is_array(v))
			return kerr_set(e, KERR_DATA, "topics: expected an array of strings, found %s",
					json_type_name(v));
		n = json_array_size(v);
		if (n > 256)
			return kerr_set(e, KERR_DATA, "topics: more than 256 topics");
		if (!(list = arena_alloc(a, (n + 1) * sizeof(*list))))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		json_array_foreach(v, i, t)
		{
			if (!json_is_string(t))
				return kerr_set(e, KERR_DATA, "topics[%zu]: expected a string, found %s", i,
						json_type_name(t));
			if (!(list[i] = arena_strndup(a, json_string_value(t), json_string_length(t))))
				return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		p->topics = list;
		p->ntopics = n;
		return 0;
	}
	case F_HASHTAGS:
	case F_CAMPAIGN_TAGS:
		if (!json_is_array(v))
			return kerr_set(e, KERR_DATA, "%s: expected an array, found %s", field_names[f],
					json_type_name(v));
		return 0;
	case F_IN_CHONGQING:
		if (!json_is_boolean(v))
			return kerr_set(e, KERR_DATA, "in_chongqing: expected true, false or null, found %s",
					json_type_name(v));
		return 0;
	case F_POST_ID:
	case F_CREATED_AT:
	case F_FIRST_SEEN:
	case F_LAST_SEEN:
	case F_DELETED_AT:
	case F_VIEWS:
	case F_LIKES:
	case F_COMMENTS:
	case F_SHARES:
	case F_FAVORITES:
	case F_COINS:
		if (json_is_integer(v)) {
			json_int_t x = json_integer_value(v);
			if (x < 0)
				return kerr_set(e, KERR_DATA, "%s: negative %s", field_names[f],
						f >= F_VIEWS ? "count" : "value");
			int n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, x);
			return set_from_text(p, f, num, (size_t)n, a, e);
		}
		if (json_is_real(v))
			return kerr_set(e, KERR_DATA, "%s: expected a whole number, found %g", field_names[f],
					json_real_value(v));
		if (!json_is_string(v))
			return kerr_set(e, KERR_DATA, "%s: expected a string or an integer, found %s",
					field_names[f], json_type_name(v));
		break;
	default:
		if (!json_is_string(v))
			return kerr_set(e, KERR_DATA, "%s: expected a string, found %s", field_names[f],
					json_type_name(v));
	}
	return set_from_text(p, f, json_string_value(v), json_string_length(v), a, e);
}

/* ---- NDJSON: the fast path ----
 *
 * jansson builds a tree of each record (a hash table per object, an
 * allocation per value) and reads its strings a byte at a time: on the
 * generator's posts it was a third of an import's CPU time.  Records as
 * kepu exports them and as staff tools write them are flat objects of the
 * known fields, whose values are strings, whole numbers, null, booleans
 * or arrays of strings: this scanner reads those where they are.  It
 * gives up on anything else: a syntax error, an escape it does not
 * decode, a number that is not a small whole one, a nested value, an
 * unknown or a repeated key, a value set_from_text() refuses.  jansson
 * then reads the record from the start and decides.  So a record jansson
 * refuses is refused by jansson, in its words, and what the scanner
 * accepts is what jansson accepts, read to the same post
 * (import_parse_json_jansson(); tests/unit_import.c and
 * fuzz/fuzz_import.c compare the two).
 */

struct jscan {
	const char *p, *end;
	struct arena *a;
};

static void js_space(struct jscan *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int js_hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;

		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

/* Decode the escaped string raw[0..n) (between its quotes) into the arena:
 * jansson's escapes, but \u0000 and an unpaired surrogate give up (-1). */
static int js_unescape(struct jscan *j, const char *raw, size_t n, const char **s, size_t *len)
{
	char *out = arena_alloc(j->a, n + 1), *o = out;
	const char *r = raw, *end = raw + n;

	if (!out)
		return -1;
	while (r < end) {
		unsigned cp, lo;

		if (*r != '\\') {
			*o++ = *r++;
			continue;
		}
		r++; /* the scan made sure an escape has its next byte */
		switch (*r++) {
		case '"': *o++ = '"'; continue;
		case '\\': *o++ = '\\'; continue;
		case '/': *o++ = '/'; continue;
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'u': break;
		default: return -1;
		}
		if (end - r < 4 || js_hex4(r, &cp) < 0 || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
			return -1;
		r += 4;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (end - r < 6 || r[0] != '\\' || r[1] != 'u' || js_hex4(r + 2, &lo) < 0 || lo < 0xDC00 ||
			    lo > 0xDFFF)
				return -1;
			r += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (cp < 0x80)
			*o++ = (char)cp;
		else if (cp < 0x800) {
			*o++ = (char)(0xC0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xE0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xF0 | cp >> 18);
			*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*o = '\0';
	*s = out;
	*len = (size_t)(o - out);
	return 0;
}

/* A string at j->p (its opening quote): *s and *len are its text, in the
 * record when it has no escapes (not NUL-terminated then), else decoded.
 * The record is valid UTF-8 (checked before), as jansson also requires.
 * keys: no escapes at all. */
static int js_string(struct jscan *j, const char **s, size_t *len, int key)
{
	const char *start = ++j->p;
	int escaped = 0;

	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20)
			return -1; /* jansson: a control character in a string */
		if (c == '\\') {
			if (key || j->end - j->p < 2)
				return -1;
			escaped = 1;
			j->p++; /* the escaped byte, even a quote */
		}
		j->p++;
	}
	if (j->p >= j->end)
		return -1;
	*len = (size_t)(j->p - start);
	*s = start;
	j->p++;
	return escaped ? js_unescape(j, start, *len, s, len) : 0;
}

/* After a value: white space, then one of stops. */
static int js_end_value(struct jscan *j, const char *stops)
{
	js_space(j);
	return j->p < j->end && strchr(stops, *j->p) ? 0 : -1;
}

/* A whole number without sign, fraction or exponent, 18 digits at most
 * (jansson reads it as a json_int_t and kepu as its decimal text). */
static int js_digits(struct jscan *j, const char **s, size_t *len)
{
	const char *start = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	*s = start;
	*len = (size_t)(j->p - start);
	if (*len > 18 || (*start == '0' && *len > 1))
		return -1;
	return j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E') ? -1 : 0;
}

/* A literal: 1 for true, 0 for false, 2 for null; -1 for anything else. */
static int js_literal(struct jscan *j)
{
	static const struct {
		const char *word;
		size_t n;
		int v;
	} lit[] = {{"true", 4, 1}, {"false", 5, 0}, {"null", 4, 2}};

	for (size_t i = 0; i < 3; i++)
		if ((size_t)(j->end - j->p) >= lit[i].n && !memcmp(j->p, lit[i].word, lit[i].n)) {
			j->p += lit[i].n;
			return lit[i].v;
		}
	return -1;
}

/* An array of strings (topics; hashtags and campaign_tags, which are
 * only checked): into *list when list is not NULL. */
static int js_strings(struct jscan *j, const char ***list, size_t *n)
{
	const char *v[256];
	size_t k = 0, len;

	j->p++;
	js_space(j);
	if (j->p < j->end && *j->p == ']')
		j->p++;
	else
		for (;;) {
			if (j->p >= j->end || *j->p != '"' || k == 256 || js_string(j, &v[k], &len, 0) < 0)
				return -1;
			if (list && !(v[k] = arena_strndup(j->a, v[k], len)))
				return -1;
			k++;
			if (js_end_value(j, ",]") < 0)
				return -1;
			if (*j->p++ == ']')
				break;
			js_space(j);
		}
	if (list) {
		if (!(*list = arena_alloc(j->a, (k + 1) * sizeof(**list))))
			return -1;
		memcpy(*list, v, k * sizeof(*v));
		*n = k;
	}
	return 0;
}

/* Field f's value at j->p into p, as set_from_json() would; -1 to give up. */
static int js_field(struct jscan *j, int f, struct post *p)
{
	struct kerr e;
	const char *s;
	size_t len;
	int lit;

	switch (*j->p) {
	case '"':
		if (f == F_TOPICS || f == F_HASHTAGS || f == F_CAMPAIGN_TAGS || f == F_IN_CHONGQING ||
		    js_string(j, &s, &len, 0) < 0)
			return -1;
		return set_from_text(p, f, s, len, j->a, &e);
	case '[':
		if (f == F_TOPICS)
			return js_strings(j, &p->topics, &p->ntopics);
		return f == F_HASHTAGS || f == F_CAMPAIGN_TAGS ? js_strings(j, NULL, NULL) : -1;
	case 'n':
	case 't':
	case 'f': lit = js_literal(j); return lit == 2 || (lit >= 0 && f == F_IN_CHONGQING) ? 0 : -1;
	default:
		if (*j->p < '0' || *j->p > '9')
			return -1; /* a sign, an object, anything else */
		if (!(f == F_POST_ID || f == F_CREATED_AT || f == F_FIRST_SEEN || f == F_LAST_SEEN ||
		      f == F_DELETED_AT || (f >= F_VIEWS && f <= F_COINS)) ||
		    js_digits(j, &s, &len) < 0)
			return -1;
		return set_from_text(p, f, s, len, j->a, &e);
	}
}

/* 0 with p read from the record, -1 when jansson must decide. */
static int json_fast(const char *line, size_t len, struct post *p, struct arena *a)
{
	struct jscan j = {line, line + len, a};
	unsigned seen = 0;

	_Static_assert(F_N <= 32, "a bit per field");
	js_space(&j);
	if (j.p >= j.end || *j.p++ != '{')
		return -1;
	js_space(&j);
	if (j.p < j.end && *j.p == '}')
		j.p++;
	else
		for (;;) {
			const char *key;
			size_t klen;
			int f;

			if (j.p >= j.end || *j.p != '"' || js_string(&j, &key, &klen, 1) < 0 ||
			    (f = field_index(key, klen)) < 0 || (seen & (1u << f)))
				return -1;
			seen |= 1u << f;
			js_space(&j);
			if (j.p >= j.end || *j.p++ != ':')
				return -1;
			js_space(&j);
			if (j.p >= j.end || js_field(&j, f, p) < 0 || js_end_value(&j, ",}") < 0)
				return -1;
			if (*j.p++ == '}')
				break;
			js_space(&j);
		}
	js_space(&j);
	if (j.p != j.end)
		return -1;
	{
		struct kerr e;
		return check_required(p, &e);
	}
}

/* ---- NDJSON: jansson ---- */

/* The checks of every record before it is parsed at all. */
static int json_precheck(const char *line, size_t len, struct kerr *e)
{
	long bad;

	if (memchr(line, '\0', len))
		return kerr_set(e, KERR_DATA, "NUL byte at column %zu",
				(size_t)((const char *)memchr(line, '\0', len) - line) + 1);
	if ((bad = utf8_invalid_at(line, len)) >= 0)
		return kerr_set(e, KERR_DATA, "invalid UTF-8 at byte %ld", bad + 1);
	return 0;
}

static int json_jansson(const char *line, size_t len, struct post *p, struct arena *a, struct kerr *e)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *key;
	int ret = -1;

	post_clear(p);
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (strstr(jerr.text, "\\u0000"))
			return kerr_set(e, KERR_DATA, "invalid JSON: \\u0000 (NUL) in a string at column %d",
					jerr.column);
		return kerr_set(e, KERR_DATA, "invalid JSON at column %d: %s", jerr.column, jerr.text);
	}
	if (!json_is_object(root)) {
		kerr_set(e, KERR_DATA, "expected a JSON object, found %s", json_type_name(root));
		goto out;
	}
	json_object_foreach(root, key, v)
	{
		int f = field_index(key, strlen(key));
		if (f < 0) {
			char q[300];
			kerr_set(e, KERR_DATA, "unknown field '%s'", utf8_quote(q, sizeof(q), key, strlen(key), 64));
			goto out;
		}
		if (set_from_json(p, f, v, a, e) < 0)
			goto out;
	}
	ret = check_required(p, e);
out:
	json_decref(root);
	return ret;
}

int import_parse_json(const char *line, size_t len, struct post *p, struct arena *a, struct kerr *e)
{
	post_clear(p);
	if (json_precheck(line, len, e) < 0)
		return -1;
	if (json_fast(line, len, p, a) == 0)
		return 0;
	return json_jansson(line, len, p, a, e);
}

int import_parse_json_jansson(const char *line, size_t len, struct post *p, struct arena *a, struct kerr *e)
{
	post_clear(p);
	if (json_precheck(line, len, e) < 0)
		return -1;
	return json_jansson(line, len, p, a, e);
}

/* ---- CSV (RFC 4180) ---- */

struct csv_header {
	int col_field[F_N + 8]; /* field of each column */
	size_t ncols;
};

/* Split one record into cells (unquoted in place into out).  Cells are
 * NUL-terminated in `out`; starts[i] is cell i's offset. */
static int csv_split(const char *rec, size_t len, struct kbuf *out, size_t *starts, size_t maxcells,
		     size_t *ncells, struct kerr *e)
{
	size_t i = 0, n = 0;

	kbuf_reset(out);
	for (;;) {
		if (n == maxcells)
			return kerr_set(e, KERR_DATA, "more than %zu cells", maxcells);
		starts[n++] = out->len;
		if (i < len && rec[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return kerr_set(e, KERR_DATA, "cell %zu: unterminated quoted cell", n);
				if (rec[i] == '"') {
					if (i + 1 < len && rec[i + 1] == '"') {
						if (kbuf_addc(out, '"', e) < 0)
							return -1;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (kbuf_addc(out, rec[i++], e) < 0)
					return -1;
			}
			if (i < len && rec[i] != ',')
				return kerr_set(e, KERR_DATA, "cell %zu: text after the closing quote", n);
		} else {
			size_t st = i;
			while (i < len && rec[i] != ',') {
				if (rec[i] == '"')
					return kerr_set(e, KERR_DATA, "cell %zu: quote inside an unquoted cell", n);
				i++;
			}
			if (kbuf_add(out, rec + st, i - st, e) < 0)
				return -1;
		}
		if (kbuf_addc(out, '\0', e) < 0)
			return -1;
		if (i >= len)
			break;
		i++; /* ',' */
	}
	*ncells = n;
	return 0;
}

static int csv_header(const char *rec, size_t len, struct csv_header *h, struct kbuf *tmp,
		      struct kerr *e)
{
	size_t starts[F_N + 8], n;
	int seen[F_N] = {0};

	if (csv_split(rec, len, tmp, starts, F_N + 8, &n, e) < 0)
		return kerr_prefix(e, "header");
	for (size_t i = 0; i < n; i++) {
		const char *name = tmp->data + starts[i];
		size_t nl = strlen(name);
		int f;

		while (nl && (name[nl - 1] == ' '))
			nl--;
		while (nl && *name == ' ') {
			name++;
			nl--;
		}
		f = field_index(name, nl);
		if (f < 0) {
			char q[200];
			return kerr_set(e, KERR_DATA,
					"header: unknown column '%s' (columns are the import field names:"
					" platform, post_id, created_at, url, author_id, author_name, ...)",
					utf8_quote(q, sizeof(q), name, nl, 40));
		}
		if (seen[f]++)
			return kerr_set(e, KERR_DATA, "header: column '%s' twice", field_names[f]);
		h->col_field[i] = f;
	}
	h->ncols = n;
	if (!seen[F_PLATFORM] || !seen[F_POST_ID] || !seen[F_CREATED_AT])
		return kerr_set(e, KERR_DATA, "header: missing column '%s' (required: platform, post_id, created_at)",
				!seen[F_PLATFORM] ? "platform" : !seen[F_POST_ID] ? "post_id" : "created_at");
	return 0;
}

/* Split a topics cell on `,` `，` `、` and white space. */
static int csv_topics(struct post *p, const char *s, struct arena *a, struct kerr *e)
{
	const char *list[256];
	size_t n = 0;

	while (*s) {
		size_t sep = 0, len = 0;
		while (s[len]) {
			if (s[len] == ',' || s[len] == ' ' || s[len] == '\t' || s[len] == '\n' || s[len] == '\r')
				sep = 1;
			else if (!memcmp(s + len, "\xef\xbc\x8c", 3) || !memcmp(s + len, "\xe3\x80\x81", 3) ||
				 !memcmp(s + len, "\xe3\x80\x80", 3))
				sep = 3; /* ， 、 U+3000 */
			if (sep)
				break;
			len++;
		}
		if (len) {
			if (n == 256)
				return kerr_set(e, KERR_DATA, "topics: more than 256 topics");
			if (!(list[n++] = arena_strndup(a, s, len)))
				return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		s += len + sep;
	}
	if (!(p->topics = arena_alloc(a, (n + 1) * sizeof(*p->topics))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	memcpy(p->topics, list, n * sizeof(*list));
	p->ntopics = n;
	return 0;
}

static int csv_record(const struct csv_header *h, const char *rec, size_t len, struct post *p,
		      struct kbuf *tmp, struct arena *a, struct kerr *e)
{
	size_t starts[F_N + 8], n;
	long bad;

	post_clear(p);
	if (memchr(rec, '\0', len))
		return kerr_set(e, KERR_DATA, "NUL byte at column %zu",
				(size_t)((const char *)memchr(rec, '\0', len) - rec) + 1);
	if ((bad = utf8_invalid_at(rec, len)) >= 0)
		return kerr_set(e, KERR_DATA, "invalid UTF-8 at byte %ld", bad + 1);
	if (csv_split(rec, len, tmp, starts, F_N + 8, &n, e) < 0)
		return -1;
	if (n != h->ncols)
		return kerr_set(e, KERR_DATA, "expected %zu cells as in the header, found %zu", h->ncols, n);
	for (size_t i = 0; i < n; i++) {
		const char *c = tmp->data + starts[i];
		int f = h->col_field[i];
		size_t cl = strlen(c);

		/* Undo export's formula guard: '=... was written for =... */
		if (csv_guard_present(c)) {
			c++;
			cl--;
		}
		if (!cl)
			continue; /* empty cell: unknown */
		if (f == F_TOPICS) {
			if (csv_topics(p, c, a, e) < 0)
				return -1;
		} else if (f == F_IN_CHONGQING) {
			if (strcmp(c, "true") && strcmp(c, "false"))
				return kerr_set(e, KERR_DATA, "in_chongqing: expected true, false or empty");
		} else if (set_from_text(p, f, c, cl, a, e) < 0)
			return -1;
	}
	return check_required(p, e);
}

/* ---- the line reader ---- */

struct reader {
	FILE *f;
	char *buf;
	size_t start, end;
	long lineno;
	int eof;
	int at_start;
	int cr;         /* the last line ended in CR LF (the CR is not in it) */
};

/* Next line: 1 with line and len set (too_long: the line was over MAX_LINE
 * and skipped), 0 at the end, -1 on a read error. */
static int reader_next(struct reader *r, const char **line, size_t *len, int *too_long)
{
	int skipping = 0;

	*too_long = 0;
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (r->at_start && r->end - r->start >= 3) {
			if (!memcmp(r->buf + r->start, "\xef\xbb\xbf", 3))
				r->start += 3;
			r->at_start = 0;
			continue;
		}
		if (nl || (r->eof && r->start < r->end)) {
			size_t l = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
			*line = r->buf + r->start;
			*len = l;
			r->start += l + (nl ? 1 : 0);
			r->lineno++;
			r->at_start = 0;
			r->cr = 0;
			if (skipping || l > MAX_LINE) {
				*too_long = 1;
				*len = 0;
			} else if (l && (*line)[l - 1] == '\r') {
				(*len)--;
				r->cr = 1;
			}
			return 1;
		}
		if (r->eof) {
			r->at_start = 0;
			if (skipping) {
				/* an over-long last line without a newline */
				r->lineno++;
				*line = r->buf + r->start;
				*len = 0;
				*too_long = 1;
				return 1;
			}
			return 0;
		}
		if (r->end - r->start > MAX_LINE) {
			skipping = 1; /* drop what we have of this line */
			r->start = r->end;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		size_t got = fread(r->buf + r->end, 1, READ_BUF - r->end, r->f);
		r->end += got;
		if (got == 0) {
			if (ferror(r->f))
				return -1;
			r->eof = 1;
		}
	}
}

/* ---- batches between the threads ----
 *
 * The reader thread splits the files into records (CSV cells may span
 * lines) and hands them over in numbered batches of raw text; one worker
 * per core parses and annotates a batch (JSON, CSV cells, tags,
 * attribution, flags: the work that costs); the calling thread writes
 * the batches to the store in their numbers' order, so messages keep the
 * files' order and the last of two records of one post wins, as when
 * read by one thread.
 */

enum item_kind { ITEM_RAW, ITEM_POST, ITEM_SKIP, ITEM_ERROR, ITEM_FILE_ERROR, ITEM_FILE_DONE };

struct item {
	enum item_kind kind;
	const char *file; /* borrowed from the caller's list */
	long line;
	const char *msg; /* in the batch arena */
	const char *raw; /* ITEM_RAW: the record, in the batch arena */
	size_t rawlen;
	const struct csv_header *hdr; /* ITEM_RAW of a CSV file: its header; NULL for NDJSON */
	struct post post;
};

struct batch {
	size_t n;
	struct item items[BATCH_ITEMS];
	struct arena arena;
	unsigned long seq;  /* the order the reader made it in */
	int last;           /* no batches after this one */
};

struct header_list {
	struct csv_header h;
	struct header_list *next;
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *free_list[POOL];
	size_t nfree;
	struct batch *raw[POOL];  /* FIFO: read, not parsed yet */
	size_t raw_head, raw_count;
	struct batch *done[POOL]; /* parsed, by seq % POOL */
	unsigned long next_seq;   /* the reader's next batch number */
	int abort;

	const struct ingest *ing;
	const char *const *files;
	size_t nfiles;
	enum import_format format;
	struct kbuf tmp, rec;      /* the reader's */
	char *readbuf;
	struct header_list *headers; /* every CSV header read, freed at the end */
};

/* A worker's own tools. */
struct worker {
	struct pipeline *pl;
	pthread_t th;
	int started;
	struct ingest_scratch scratch;
	struct kbuf tmp;
};

static struct batch *take_free(struct pipeline *pl)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&pl->mu);
	while (!pl->nfree && !pl->abort)
		pthread_cond_wait(&pl->cv, &pl->mu);
	if (!pl->abort)
		b = pl->free_list[--pl->nfree];
	pthread_mutex_unlock(&pl->mu);
	if (b) {
		b->n = 0;
		b->last = 0;
		arena_reset(&b->arena);
	}
	return b;
}

/* The reader hands a batch to the workers. */
static void put_raw(struct pipeline *pl, struct batch *b)
{
	pthread_mutex_lock(&pl->mu);
	b->seq = pl->next_seq++;
	pl->raw[(pl->raw_head + pl->raw_count++) % POOL] = b;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/* A worker takes the oldest raw batch; NULL when told to stop. */
static struct batch *take_raw(struct pipeline *pl)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&pl->mu);
	while (!pl->raw_count && !pl->abort)
		pthread_cond_wait(&pl->cv, &pl->mu);
	if (pl->raw_count) {
		b = pl->raw[pl->raw_head];
		pl->raw_head = (pl->raw_head + 1) % POOL;
		pl->raw_count--;
	}
	pthread_mutex_unlock(&pl->mu);
	return b;
}

static void put_done(struct pipeline *pl, struct batch *b)
{
	pthread_mutex_lock(&pl->mu);
	pl->done[b->seq % POOL] = b;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/* The writer takes batch number seq once it is parsed. */
static struct batch *take_done(struct pipeline *pl, unsigned long seq)
{
	struct batch *b;

	pthread_mutex_lock(&pl->mu);
	while (!(b = pl->done[seq % POOL]) || b->seq != seq)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pl->done[seq % POOL] = NULL;
	pthread_mutex_unlock(&pl->mu);
	return b;
}

static void put_free(struct pipeline *pl, struct batch *b)
{
	pthread_mutex_lock(&pl->mu);
	pl->free_list[pl->nfree++] = b;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

static void stop_all(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->abort = 1;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

/* The producer's view: add an item, handing the batch over when full. */
struct producer {
	struct pipeline *pl;
	struct batch *b;
	const char *file;
};

static struct item *next_item(struct producer *pr)
{
	if (pr->b && pr->b->n == BATCH_ITEMS) {
		put_raw(pr->pl, pr->b);
		pr->b = NULL;
	}
	if (!pr->b) {
		if (!(pr->b = take_free(pr->pl)))
			return NULL;
	}
	pr->b->items[pr->b->n].file = pr->file;
	return &pr->b->items[pr->b->n++];
}

static void item_error(struct producer *pr, struct item *it, enum item_kind kind, long line,
		       const char *msg)
{
	it->kind = kind;
	it->line = line;
	it->msg = arena_strndup(&pr->b->arena, msg, strlen(msg));
	if (!it->msg)
		it->msg = "out of memory";
}

/* A worker: parse and annotate every raw record of batch b. */
static void parse_batch(struct worker *w, struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];
		struct kerr e;
		int rc, keep;

		if (it->kind != ITEM_RAW)
			continue;
		kerr_clear(&e);
		rc = it->hdr ? csv_record(it->hdr, it->raw, it->rawlen, &it->post, &w->tmp, &b->arena, &e)
			     : import_parse_json(it->raw, it->rawlen, &it->post, &b->arena, &e);
		keep = rc < 0 ? -1 : ingest_annotate(w->pl->ing, &w->scratch, &it->post, &b->arena, &e);
		if (keep < 0) {
			it->kind = ITEM_ERROR;
			if (!(it->msg = arena_strndup(&b->arena, e.msg, strlen(e.msg))))
				it->msg = "out of memory";
		} else
			it->kind = keep ? ITEM_POST : ITEM_SKIP;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch *b;

	while ((b = take_raw(w->pl))) {
		parse_batch(w, b);
		put_done(w->pl, b);
	}
	return NULL;
}

/* The reader's side of a record: its text, copied into the batch. */
static void raw_record(struct producer *pr, struct item *it, long line, const char *rec, size_t len,
		       const struct csv_header *hdr)
{
	char *copy = arena_alloc(&pr->b->arena, len + 1);

	it->line = line;
	if (!copy) {
		item_error(pr, it, ITEM_ERROR, line, "out of memory");
		return;
	}
	memcpy(copy, rec, len);
	copy[len] = '\0';
	it->kind = ITEM_RAW;
	it->raw = copy;
	it->rawlen = len;
	it->hdr = hdr;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int has_csv_name(const char *path)
{
	size_t n = strlen(path);
	return n >= 4 && (!strcmp(path + n - 4, ".csv") || !strcmp(path + n - 4, ".CSV"));
}

/* Quotes in s: an odd count means a quoted cell goes on past the line. */
static size_t count_quotes(const char *s, size_t n)
{
	size_t q = 0;
	for (size_t i = 0; i < n; i++)
		q += s[i] == '"';
	return q;
}

/* Open path ("-": standard input) into r; an item says why it cannot be. */
static int open_input(struct producer *pr, const char *path, struct reader *r)
{
	struct item *it;
	char msg[512];

	r->buf = pr->pl->readbuf;
	r->at_start = 1;
	if (!strcmp(path, "-")) {
		r->f = stdin;
		return 0;
	}
	if ((r->f = fopen(path, "rb")))
		return 0;
	snprintf(msg, sizeof(msg), "cannot open: %s", strerror(errno));
	if ((it = next_item(pr)))
		item_error(pr, it, ITEM_FILE_ERROR, 0, msg);
	return -1;
}

/* What the end of a file says, if anything: a read error (rc < 0), a
 * quoted cell still open, or no records at all. */
static void end_of_file(struct producer *pr, const struct reader *r, int rc, int open_quote, long rec_line,
			long records, int have_header)
{
	struct item *it;

	if (rc < 0 && (it = next_item(pr))) {
		char msg[512];
		snprintf(msg, sizeof(msg), "read error after line %ld: %s", r->lineno, strerror(errno));
		item_error(pr, it, ITEM_FILE_ERROR, 0, msg);
	} else if (open_quote && (it = next_item(pr)))
		item_error(pr, it, ITEM_ERROR, rec_line, "unterminated quoted cell at the end of the file");
	else if (!records && (it = next_item(pr)))
		item_error(pr, it, ITEM_FILE_ERROR, 0,
			   have_header ? "no records after the header" : "empty file: no records");
}

static void produce_file(struct producer *pr, const char *path)
{
	struct pipeline *pl = pr->pl;
	struct reader r = {0};
	struct header_list *hl = NULL;
	struct kerr e;
	struct item *it;
	const char *line;
	size_t len;
	int too_long, rc, csv, have_header = 0;
	long records = 0, rec_line = 0;
	size_t quotes = 0;
	int cr = 0; /* the record's last line so far ended in CR LF */

	csv = pl->format == IMPORT_CSV || (pl->format == IMPORT_AUTO && has_csv_name(path));
	pr->file = path;
	if (open_input(pr, path, &r) < 0)
		return;
	kbuf_reset(&pl->rec);
	while ((rc = reader_next(&r, &line, &len, &too_long)) == 1) {
		if (!(it = next_item(pr)))
			break;
		kerr_clear(&e);
		if (csv && quotes % 2) {
			/* continuation of a quoted cell: join with the line end it
			 * had, so a CR LF inside a cell survives */
			if (too_long || (cr && kbuf_addc(&pl->rec, '\r', &e) < 0) || kbuf_addc(&pl->rec, '\n', &e) < 0 ||
			    kbuf_add(&pl->rec, line, len, &e) < 0) {
				item_error(pr, it, ITEM_ERROR, rec_line, "record longer than 1 MiB");
				quotes = 0;
				kbuf_reset(&pl->rec);
				continue;
			}
			quotes += count_quotes(line, len);
			cr = r.cr;
			if (quotes % 2) {
				pr->b->n--; /* not a record yet */
				continue;
			}
			line = pl->rec.data;
			len = pl->rec.len;
		} else {
			rec_line = r.lineno;
			if (too_long) {
				item_error(pr, it, ITEM_ERROR, rec_line, "line longer than 1 MiB");
				records++;
				continue;
			}
			if (is_blank(line, len)) {
				pr->b->n--;
				continue;
			}
			if (csv && (quotes = count_quotes(line, len)) % 2) {
				cr = r.cr;
				kbuf_reset(&pl->rec);
				if (kbuf_add(&pl->rec, line, len, &e) < 0) {
					item_error(pr, it, ITEM_ERROR, rec_line, "record longer than 1 MiB");
					quotes = 0;
					continue;
				}
				pr->b->n--;
				continue;
			}
		}
		quotes = 0;
		if (csv && !have_header) {
			if (!(hl = calloc(1, sizeof(*hl)))) {
				item_error(pr, it, ITEM_FILE_ERROR, rec_line, "out of memory");
				goto done;
			}
			hl->next = pl->headers;
			pl->headers = hl;
			if (csv_header(line, len, &hl->h, &pl->tmp, &e) < 0) {
				item_error(pr, it, ITEM_FILE_ERROR, rec_line, e.msg);
				goto done; /* a file with a bad header is not read further */
			}
			have_header = 1;
			pr->b->n--;
			continue;
		}
		records++;
		raw_record(pr, it, rec_line, line, len, csv ? &hl->h : NULL);
	}
	end_of_file(pr, &r, rc, csv && quotes % 2, rec_line, records, have_header);
done:
	if ((it = next_item(pr))) {
		it->kind = ITEM_FILE_DONE;
		it->line = 0;
	}
	if (r.f != stdin)
		fclose(r.f);
	else
		clearerr(stdin);
}

static void *producer_main(void *arg)
{
	struct pipeline *pl = arg;
	struct producer pr = {pl, NULL, NULL};

	for (size_t i = 0; i < pl->nfiles && !pl->abort; i++)
		produce_file(&pr, pl->files[i]);
	if (!pr.b)
		pr.b = take_free(pl);
	if (pr.b) {
		pr.b->last = 1;
		put_raw(pl, pr.b);
	}
	return NULL;
}

static void report(diag_fn diag, void *dctx, const char *file, long line, const char *msg)
{
	char out[1400];

	if (line > 0)
		snprintf(out, sizeof(out), "%s:%ld: %s", strcmp(file, "-") ? file : "<stdin>", line, msg);
	else
		snprintf(out, sizeof(out), "%s: %s", strcmp(file, "-") ? file : "<stdin>", msg);
	diag(dctx, out);
}

/* ---- the writer ---- */

struct writer {
	struct store *st;
	int64_t now;    /* first and last seen of what the records do not date */
	int64_t run_id; /* 0: none */
	diag_fn diag;
	void *dctx;
	struct import_stats *stats;
	int in_tx;
	long pending; /* records stored since the last commit */
};

/* Record the counts so far in the run, inside the open transaction. */
static int progress(struct writer *w, struct kerr *e)
{
	const struct import_stats *s = w->stats;
	struct run_counts c = {s->lines, s->kept, s->skipped, s->added, s->updated, s->unchanged, s->errors};

	return w->run_id ? store_run_progress(w->st, w->run_id, &c, e) : 0;
}

/*
 * Store one parsed post, in a transaction of COMMIT_EVERY records.  Large
 * transactions because each commit writes every page it dirtied, and the
 * posts' three indexes are random: 4,096 posts dirtied most of their
 * leaves, written again with every commit (and checkpointed again), three
 * times the posts' own pages.  With 32,768 a transaction's pages still
 * fit the cache store_bulk(STORE_BULK_LOAD) gives, and a killed import
 * has committed all but the last few seconds of it.
 */
static int write_post(struct writer *w, struct item *it, struct kerr *e)
{
	struct import_stats *stats = w->stats;
	enum store_put_result res;

	if (!w->in_tx) {
		if (store_begin(w->st, e) < 0)
			return -1;
		w->in_tx = 1;
	}
	it->post.source = IMPORT_SOURCE;
	if (ingest_store(w->st, &it->post, w->now, &res, e) < 0)
		return kerr_prefix(e, "%s:%ld", it->file, it->line);
	stats->kept++;
	if (res == STORE_NEW)
		stats->added++;
	else if (res == STORE_UPDATED)
		stats->updated++;
	else
		stats->unchanged++;
	if (++w->pending >= COMMIT_EVERY) {
		if (progress(w, e) < 0 || store_commit(w->st, e) < 0)
			return -1;
		w->in_tx = 0;
		w->pending = 0;
	}
	return 0;
}

/* One item of a batch: counted, reported or stored; -1 when the database
 * failed. */
static int write_item(struct writer *w, struct item *it, struct kerr *e)
{
	struct import_stats *stats = w->stats;

	switch (it->kind) {
	case ITEM_FILE_DONE: stats->files++; return 0;
	case ITEM_FILE_ERROR:
		stats->errors++;
		report(w->diag, w->dctx, it->file, it->line, it->msg);
		return 0;
	case ITEM_ERROR:
		stats->lines++;
		stats->errors++;
		report(w->diag, w->dctx, it->file, it->line, it->msg);
		return 0;
	case ITEM_SKIP:
		stats->lines++;
		stats->skipped++;
		return 0;
	case ITEM_RAW: /* never: the workers parsed every one */
	case ITEM_POST: break;
	}
	stats->lines++;
	return write_post(w, it, e);
}

/* Take the parsed batches in the reader's order and write them, until the
 * last; the open transaction committed at the end, rolled back on a
 * failure. */
static int write_batches(struct pipeline *pl, struct writer *w, struct kerr *e)
{
	unsigned long seq = 0;
	int failed = 0;

	for (;;) {
		struct batch *b = take_done(pl, seq++);
		int last = b->last;

		for (size_t i = 0; i < b->n && !failed; i++)
			failed = write_item(w, &b->items[i], e) < 0;
		put_free(pl, b);
		if (last || failed)
			break;
	}
	if (!failed && w->in_tx && (progress(w, e) < 0 || store_commit(w->st, e) < 0))
		failed = 1;
	if (failed && w->in_tx)
		store_rollback(w->st);
	w->in_tx = 0;
	return failed ? -1 : 0;
}

/* ---- the pipeline's threads ---- */

/* Parse workers: one per core the process may use (at most MAX_WORKERS). */
static int worker_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

struct threads {
	struct batch *pool;
	struct worker w[MAX_WORKERS];
	int nw;
	pthread_t reader;
	int reader_started;
};

/* The pool of batches, the workers and the reader; on failure what was
 * started is left for stop_threads(). */
static int start_threads(struct pipeline *pl, struct threads *t, struct kerr *e)
{
	kbuf_init(&pl->tmp, 2 * MAX_LINE);
	kbuf_init(&pl->rec, MAX_LINE);
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv, NULL);
	t->nw = worker_count();
	t->pool = calloc(POOL, sizeof(*t->pool));
	pl->readbuf = malloc(READ_BUF);
	if (!t->pool || !pl->readbuf)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (int i = 0; i < POOL; i++) {
		arena_init(&t->pool[i].arena);
		pl->free_list[pl->nfree++] = &t->pool[i];
	}
	for (int i = 0; i < t->nw; i++) {
		struct worker *w = &t->w[i];

		w->pl = pl;
		kbuf_init(&w->tmp, 2 * MAX_LINE);
		if (ingest_scratch_init(&w->scratch, pl->ing, e) < 0)
			return -1;
		if (!(w->started = pthread_create(&w->th, NULL, worker_main, w) == 0))
			return kerr_set(e, KERR_NOMEM, "cannot start a parsing thread");
	}
	if (pthread_create(&t->reader, NULL, producer_main, pl) != 0)
		return kerr_set(e, KERR_NOMEM, "cannot start the reader thread");
	t->reader_started = 1;
	return 0;
}

static void stop_threads(struct pipeline *pl, struct threads *t)
{
	/* the reader may wait for a free batch, the workers for raw ones */
	stop_all(pl);
	if (t->reader_started)
		pthread_join(t->reader, NULL);
	for (int i = 0; i < t->nw; i++) {
		if (t->w[i].started)
			pthread_join(t->w[i].th, NULL);
		ingest_scratch_release(&t->w[i].scratch);
		kbuf_release(&t->w[i].tmp);
	}
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->cv);
	for (int i = 0; t->pool && i < POOL; i++)
		arena_release(&t->pool[i].arena);
	free(t->pool);
	free(pl->readbuf);
	kbuf_release(&pl->tmp);
	kbuf_release(&pl->rec);
	while (pl->headers) {
		struct header_list *n = pl->headers->next;
		free(pl->headers);
		pl->headers = n;
	}
}

int import_files(struct store *st, const struct ingest *ing, const char *const *files, size_t nfiles,
		 enum import_format format, int64_t run_id, diag_fn diag, void *dctx, struct import_stats *stats,
		 struct kerr *e)
{
	struct pipeline pl;
	struct threads t;
	struct writer w = {st, kclock_now(), run_id, diag, dctx, stats, 0, 0};
	int ret = -1;

	memset(stats, 0, sizeof(*stats));
	memset(&pl, 0, sizeof(pl));
	memset(&t, 0, sizeof(t));
	pl.ing = ing;
	pl.files = files;
	pl.nfiles = nfiles;
	pl.format = format;
	if (store_bulk(st, STORE_BULK_LOAD, e) == 0 && start_threads(&pl, &t, e) == 0)
		ret = write_batches(&pl, &w, e);
	stop_threads(&pl, &t);
	store_bulk(st, STORE_BULK_OFF, NULL);
	return ret;
}
