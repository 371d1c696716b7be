/*
 * fields.h (private to collector/): reading the items of a platform's
 * page into normalized posts, the same way for every adapter.
 *
 * Field types vary in the wild, so every reader accepts what platforms
 * are seen to send: ids as strings or numbers (kept as text, never as a
 * double), counts as numbers or as "1.2万" / "100万+" / "345万次播放"
 * strings, HTML in titles and texts (stored as plain text).  An item that
 * cannot be a post (no id, a time that is no time) is reported with its
 * position on the page and the real problem, and skipped.
 */
#ifndef KEPU_COLLECTOR_FIELDS_H
#define KEPU_COLLECTOR_FIELDS_H

#include <jansson.h>

#include "adapter.h"
#include "jsontaint.h"

/* One page being parsed. */
struct parse {
	struct arena *a;
	struct page *pg;
	size_t cap;
	long index;                        /* the item being read, 1-based */
	const struct json_taints *taints;  /* duplicate keys and NULs in the page */
	int64_t now;                       /* the fetch's time, for relative times */
};

/* Where the operator puts a browser's cookie, for refusal messages:
 * "$WEIBO_COOKIE (cookie_env)", or how to set one up. */
const char *fields_cookie_where(const struct source *s);

/* A string, or an integer kept exactly as text; NULL for anything else
 * and for "". */
const char *fields_text_of(json_t *v, struct arena *a);
/* HTML to plain text (an <img alt="[赞]"> becomes its alt text). */
const char *fields_plain_of(json_t *v, struct arena *a);
/* Count k of p from v: an integer, or a string the way platforms print it
 * ("1.2万", "10万+", "345万次播放").  Absent or null: unknown.  -1 with *why. */
int fields_count_of(struct post *p, int k, json_t *v, const char **why);
/* A time: unix seconds (or ms), or a string kepu reads (ktime_parse). */
int fields_time_of(json_t *v, int64_t *t, const char **why);
/* A post id: a non-empty string of at most 256 bytes, or an integer. */
const char *fields_id_of(json_t *v, struct arena *a, const char **why);
/* "an object", "an array", ... for messages. */
const char *fields_type_name(json_t *v);

const char **fields_topics_alloc(struct arena *a, size_t n);
/* s percent-encoded for a URL query (RFC 3986: only A-Z a-z 0-9 - _ . ~
 * kept, %XX upper case, as libcurl escapes) appended to b. */
int fields_add_escaped(struct kbuf *b, const char *s, struct kerr *e);
/* The post's page from a printf format with one %s for the id (escaped). */
int fields_make_url(struct post *p, struct arena *a, const char *fmt);

/* A new post on the page (not yet kept: fields_finish() keeps it). */
struct post *fields_new_post(struct parse *ps, const char *platform);
/* Keep the post just filled in, or drop it: "FIELD: WHY" as a bad item. */
int fields_finish(struct parse *ps, struct post *p, const char *why_field, const char *why);
/* Report item ps->index as skipped, or (warn) kept with a warning. */
int fields_bad_item(struct parse *ps, const char *fmt, const char *a1, const char *a2);
int fields_warn_item(struct page *pg, struct arena *a, long index, const char *msg);
/* Is the item at the JSON Pointer fmt (formatted with i, k) odd: a
 * duplicate key or a NUL inside it, or at or above `container`?  Then it
 * is reported and skipped: 1.  0 when fine, -1 out of memory. */
int fields_item_tainted(struct parse *ps, const char *container, const char *fmt, size_t i, size_t k);

#endif
