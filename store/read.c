/*
 * read.c: reading posts back: every field for exports and corrections,
 * light rows for reports (with the counts as of a time), the texts of the
 * few works a report lists, and counts for tests.
 */
#include "store.h"
#include "internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

/* ---- every field of a post ---- */

enum {
	RD_ID,
	RD_PLATFORM,
	RD_POST_ID,
	RD_URL,
	RD_AUTHOR_ID,
	RD_AUTHOR_NAME,
	RD_AUTHOR_LOCATION,
	RD_IP_LOCATION,
	RD_CREATED_AT,
	RD_TITLE,
	RD_TEXT,
	RD_TOPICS,
	RD_COUNTS,
	RD_LOWER = RD_COUNTS + PC_N,
	RD_DISTRICT,
	RD_DISTRICT_CODE,
	RD_IN_CHONGQING,
	RD_METHOD,
	RD_CONFIDENCE,
	RD_EVIDENCE,
	RD_FIRST_SEEN,
	RD_LAST_SEEN,
	RD_COVER_URL,
	RD_MEDIA,
	RD_DELETED_AT
};
#define POST_COLS                                                                                                      \
	"SELECT id, platform, post_id, url, author_id, author_name, author_location,"                                  \
	" ip_location, created_at, title, text, topics, " COUNT_COLS ","                                               \
	" lower_bounds, district, district_code, in_chongqing,"                                                        \
	" attribution_method, attribution_confidence, attribution_evidence, first_seen,"                               \
	" last_seen, cover_url, media, deleted_at FROM posts"
static const struct store_sql q_posts_range = {
	ST_POSTS_RANGE, POST_COLS " WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at, platform, post_id"};
static const struct store_sql q_post_one = {ST_POST_ONE, POST_COLS " WHERE platform = ?1 AND post_id = ?2"};

static const struct store_sql q_tag_select = {ST_TAG_SELECT, SQL_TAG_SELECT};

/* What a row's post points to beyond the row: its topics (in the parsed
 * JSON) and its tags (copies: the tag statement steps on). */
struct row_strings {
	const char **topics;
	size_t ntopics, atopics;
	const char **tags[2];
	size_t ntags[2], atags[2];
	json_t *topics_json;
};

static int push(const char ***v, size_t *n, size_t *a, const char *s)
{
	if (*n == *a) {
		size_t na = *a ? *a * 2 : 16;
		const char **nv = realloc(*v, na * sizeof(**v));
		if (!nv)
			return -1;
		*v = nv;
		*a = na;
	}
	(*v)[(*n)++] = s;
	return 0;
}

static void free_tags(struct row_strings *r)
{
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < r->ntags[k]; i++)
			free((char *)r->tags[k][i]);
		r->ntags[k] = 0;
	}
}

static void row_strings_release(struct row_strings *r)
{
	free_tags(r);
	for (int k = 0; k < 2; k++)
		free(r->tags[k]);
	free(r->topics);
	json_decref(r->topics_json);
}

/* The topics of a row, from their JSON text tj (NULL: none). */
static int read_topics(struct row_strings *r, const char *tj, struct post *p, struct kerr *e)
{
	json_error_t jerr;
	size_t i;
	json_t *t;

	r->ntopics = 0;
	json_decref(r->topics_json);
	r->topics_json = tj ? json_loads(tj, 0, &jerr) : NULL;
	json_array_foreach(r->topics_json, i, t)
	{
		if (json_is_string(t) && push(&r->topics, &r->ntopics, &r->atopics, json_string_value(t)) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	p->topics = r->topics;
	p->ntopics = r->ntopics;
	return 0;
}

/* The tags of post id, copied into r. */
static int read_tags(struct store *s, int64_t id, struct row_strings *r, struct post *p, struct kerr *e)
{
	sqlite3_stmt *tags = store_stmt(s, &q_tag_select, "cannot read tags", e);
	int rc, ret = -1;

	free_tags(r);
	if (!tags)
		return -1;
	sqlite3_bind_int64(tags, 1, id);
	while ((rc = sqlite3_step(tags)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(tags, TAG_COL_KIND);
		char *tag;

		if (kind < 0 || kind > 1)
			continue;
		tag = strdup(store_col_text(tags, TAG_COL_TAG));
		if (!tag || push(&r->tags[kind], &r->ntags[kind], &r->atags[kind], tag) < 0) {
			free(tag);
			kerr_set(e, KERR_NOMEM, "out of memory");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read tags");
		goto out;
	}
	p->hashtags = r->tags[TAG_HASHTAG];
	p->nhashtags = r->ntags[TAG_HASHTAG];
	p->campaign_tags = r->tags[TAG_CAMPAIGN];
	p->ncampaign_tags = r->ntags[TAG_CAMPAIGN];
	ret = 0;
out:
	store_stmt_done(tags);
	return ret;
}

/* The post of st's row (strings borrowed from the row). */
static void row_post(sqlite3_stmt *st, struct post *p)
{
	memset(p, 0, sizeof(*p));
	p->platform = store_col_text(st, RD_PLATFORM);
	p->post_id = store_col_text(st, RD_POST_ID);
	p->url = store_col_text(st, RD_URL);
	p->author_id = store_col_text(st, RD_AUTHOR_ID);
	p->author_name = store_col_text(st, RD_AUTHOR_NAME);
	p->author_location = store_col_text(st, RD_AUTHOR_LOCATION);
	p->ip_location = store_col_text(st, RD_IP_LOCATION);
	p->created_at = sqlite3_column_int64(st, RD_CREATED_AT);
	p->title = store_col_text(st, RD_TITLE);
	p->text = store_col_text(st, RD_TEXT);
	p->known = store_col_counts(st, RD_COUNTS, p->counts);
	p->lower = (unsigned)sqlite3_column_int(st, RD_LOWER);
	p->district = store_col_text(st, RD_DISTRICT);
	p->district_code = store_col_text(st, RD_DISTRICT_CODE);
	p->in_chongqing =
		sqlite3_column_type(st, RD_IN_CHONGQING) == SQLITE_NULL ? -1 : sqlite3_column_int(st, RD_IN_CHONGQING);
	p->attribution_method = store_col_text(st, RD_METHOD);
	p->attribution_confidence = sqlite3_column_double(st, RD_CONFIDENCE);
	p->attribution_evidence = store_col_text(st, RD_EVIDENCE);
	p->first_seen = sqlite3_column_int64(st, RD_FIRST_SEEN);
	p->last_seen = sqlite3_column_int64(st, RD_LAST_SEEN);
	p->cover_url = store_col_text(st, RD_COVER_URL);
	p->media = store_col_text(st, RD_MEDIA);
	p->deleted_at = sqlite3_column_int64(st, RD_DELETED_AT);
}

/* Call cb with every row of st (q_posts_range or q_post_one, bound), with
 * its topics and tags. */
static int foreach_rows(struct store *s, sqlite3_stmt *st, store_post_cb cb, void *ctx, struct kerr *e)
{
	struct row_strings r = {0};
	int rc, ret = -1;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct post p;

		row_post(st, &p);
		if (read_topics(&r, store_col_text(st, RD_TOPICS), &p, e) < 0 ||
		    read_tags(s, sqlite3_column_int64(st, RD_ID), &r, &p, e) < 0 || cb(ctx, &p, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read posts");
		goto out;
	}
	ret = 0;
out:
	store_stmt_done(st);
	row_strings_release(&r);
	return ret;
}

int store_foreach_post(struct store *s, const struct store_filter *f, store_post_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_posts_range, "cannot read posts", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->since);
	sqlite3_bind_int64(st, 2, f->until);
	return foreach_rows(s, st, cb, ctx, e);
}

struct found {
	store_post_cb cb;
	void *ctx;
	int n;
};

static int count_found(void *ctx, const struct post *p, struct kerr *e)
{
	struct found *f = ctx;
	f->n++;
	return f->cb(f->ctx, p, e);
}

int store_get_post(struct store *s, const char *platform, const char *post_id, store_post_cb cb, void *ctx,
		   struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_post_one, "cannot read posts", e);
	struct found f = {cb, ctx, 0};

	if (!st)
		return -1;
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	if (foreach_rows(s, st, count_found, &f, e) < 0)
		return -1;
	if (!f.n)
		return kerr_set(e, KERR_USAGE, "no post %s:%s in %s", platform, post_id, s->path);
	return 0;
}

/* ---- light rows for reports ---- */

/* How many posts the filter selects, from the index alone. */
enum { EST_SELECTED, EST_MAX_ID };
static const struct store_sql q_report_estimate = {ST_REPORT_ESTIMATE,
						   "SELECT count(*), (SELECT max(id) FROM posts) FROM posts"
						   " WHERE created_at >= ?1 AND created_at < ?2"};

/* Every tag, in the order of a scan of the posts (by id). */
enum { RT_POST, RT_KIND, RT_TAG };
static const struct store_sql q_report_tags = {ST_REPORT_TAGS,
					       "SELECT post, kind, tag FROM post_tags ORDER BY post, kind, pos"};

/* The report's rows: the SQL is built from the filter (report_statement()),
 * one cached statement per variant. */
enum {
	RR_PLATFORM,
	RR_POST_ID,
	RR_AUTHOR_ID,
	RR_AUTHOR_NAME,
	RR_DISTRICT,
	RR_DISTRICT_CODE,
	RR_METHOD,
	RR_CREATED_AT,
	RR_IN_CHONGQING,
	RR_COUNTS,
	RR_LOWER = RR_COUNTS + PC_N,
	RR_ID,
	RR_DELETED_AT
};
enum { RV_AS_OF = 1, RV_DISTRICT = 2, RV_SCAN = 4 }; /* the variants: ST_REPORT_ROWS + these bits */
_Static_assert(ST_REPORT_ROWS + (RV_AS_OF | RV_DISTRICT | RV_SCAN) < ST_REPORT_TAGS, "internal.h keeps a slot per variant");

/* (an estimate: 0 when it cannot be had; the report then reads by index) */
static int64_t report_estimate(struct store *s, const struct store_report_filter *f, int64_t *all)
{
	struct kerr ignored;
	sqlite3_stmt *st = store_stmt(s, &q_report_estimate, "cannot estimate", &ignored);
	int64_t n = 0;

	*all = 0;
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, f->since);
	sqlite3_bind_int64(st, 2, f->until);
	if (store_step_row(s, st, &ignored, "cannot estimate") == 1) {
		n = sqlite3_column_int64(st, EST_SELECTED);
		*all = sqlite3_column_int64(st, EST_MAX_ID);
		store_stmt_done(st);
	}
	return n;
}

/* The statement of the report's rows for f, bound; scan: read the table
 * in rowid order rather than through an index. */
static sqlite3_stmt *report_statement(struct store *s, const struct store_report_filter *f, int scan, struct kerr *e)
{
	char sql[2048];
	int variant = (f->as_of ? RV_AS_OF : 0) | (f->district_code ? RV_DISTRICT : 0) | (scan ? RV_SCAN : 0);
	sqlite3_stmt *st;

	snprintf(sql, sizeof(sql),
		 "SELECT p.platform, p.post_id, p.author_id, p.author_name, p.district,"
		 " p.district_code, p.attribution_method, p.created_at,"
		 " p.in_chongqing, %s, p.id, p.deleted_at FROM posts p %s %s"
		 " WHERE p.created_at >= ?1 AND p.created_at < ?2%s%s%s",
		 f->as_of ? "s.views, s.likes, s.comments, s.shares, s.favorites, s.coins, coalesce(s.lower_bounds, 0)"
			  : "p.views, p.likes, p.comments, p.shares, p.favorites, p.coins, p.lower_bounds",
		 scan ? "NOT INDEXED" : "",
		 /* the latest snapshot at or before as_of: one seek on its primary key */
		 f->as_of ? "LEFT JOIN snapshots s ON s.post = p.id AND s.refused = 0 AND s.observed_at ="
			    " (SELECT max(observed_at) FROM snapshots WHERE post = p.id AND refused = 0"
			    " AND observed_at <= ?3)"
			  : "",
		 f->as_of ? " AND p.first_seen <= ?3" : "", f->district_code ? " AND p.district_code = ?4" : "",
		 scan ? " ORDER BY p.id" : "");
	if (!(st = store_stmt_text(s, ST_REPORT_ROWS + variant, sql, "cannot read posts for the report", e)))
		return NULL;
	sqlite3_bind_int64(st, 1, f->since);
	sqlite3_bind_int64(st, 2, f->until);
	if (f->as_of)
		sqlite3_bind_int64(st, 3, f->as_of);
	if (f->district_code)
		sqlite3_bind_text(st, 4, f->district_code, -1, SQLITE_STATIC);
	return st;
}

/* A post's tags, copied out of the tag statement's rows. */
struct row_tags {
	struct kbuf text; /* the strings, NUL-separated */
	size_t off[2][64];
	size_t n[2];
	const char *ptr[2][64];
};

static int tag_keep(struct row_tags *t, int kind, const char *tag, struct kerr *e)
{
	if (kind < 0 || kind > 1 || t->n[kind] == 64 || !tag)
		return 0;
	t->off[kind][t->n[kind]++] = t->text.len;
	return kbuf_add(&t->text, tag, strlen(tag) + 1, e);
}

static void tag_pointers(struct row_tags *t, struct store_report_row *r)
{
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < t->n[k]; i++)
			t->ptr[k][i] = t->text.data + t->off[k][i];
	r->hashtags = t->ptr[0];
	r->nhashtags = t->n[0];
	r->campaign_tags = t->ptr[1];
	r->ncampaign_tags = t->n[1];
}

/* The scan's tags: q_report_tags stepped alongside the posts, both in id order. */
struct tag_cursor {
	sqlite3_stmt *st;
	int rc;       /* of its last step */
	int64_t post; /* the post of its row; INT64_MAX at the end */
};

static void tag_cursor_step(struct tag_cursor *c)
{
	c->rc = sqlite3_step(c->st);
	c->post = c->rc == SQLITE_ROW ? sqlite3_column_int64(c->st, RT_POST) : INT64_MAX;
}

/* Post id's tags from the scan's cursor into t; -1 with e set. */
static int tags_from_cursor(struct store *s, struct tag_cursor *c, int64_t id, struct row_tags *t, struct kerr *e)
{
	while (c->rc == SQLITE_ROW && c->post < id)
		tag_cursor_step(c);
	while (c->rc == SQLITE_ROW && c->post == id) {
		if (tag_keep(t, sqlite3_column_int(c->st, RT_KIND), store_col_text(c->st, RT_TAG), e) < 0)
			return -1;
		tag_cursor_step(c);
	}
	if (c->rc != SQLITE_ROW && c->rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read posts for the report");
	return 0;
}

/* Post id's tags through the index into t; -1 with e set. */
static int tags_of_post(struct store *s, int64_t id, struct row_tags *t, struct kerr *e)
{
	sqlite3_stmt *one = store_stmt(s, &q_tag_select, "cannot read posts for the report", e);
	int rc, ret = 0;

	if (!one)
		return -1;
	sqlite3_bind_int64(one, 1, id);
	while ((rc = sqlite3_step(one)) == SQLITE_ROW)
		if ((ret = tag_keep(t, sqlite3_column_int(one, TAG_COL_KIND), store_col_text(one, TAG_COL_TAG), e)) < 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = store_db_error(s, e, "cannot read posts for the report");
	store_stmt_done(one);
	return ret;
}

/* The report row of st's row (strings borrowed from the row). */
static void report_row(sqlite3_stmt *st, const struct store_report_filter *f, struct store_report_row *r)
{
	r->id = sqlite3_column_int64(st, RR_ID);
	r->platform = store_col_text(st, RR_PLATFORM);
	r->post_id = store_col_text(st, RR_POST_ID);
	r->author_id = store_col_text(st, RR_AUTHOR_ID);
	r->author_name = store_col_text(st, RR_AUTHOR_NAME);
	r->district = store_col_text(st, RR_DISTRICT);
	r->district_code = store_col_text(st, RR_DISTRICT_CODE);
	r->method = store_col_text(st, RR_METHOD);
	r->created_at = sqlite3_column_int64(st, RR_CREATED_AT);
	r->in_chongqing =
		sqlite3_column_type(st, RR_IN_CHONGQING) == SQLITE_NULL ? -1 : sqlite3_column_int(st, RR_IN_CHONGQING);
	r->known = store_col_counts(st, RR_COUNTS, r->counts);
	r->lower = (unsigned)sqlite3_column_int(st, RR_LOWER) & r->known;
	r->deleted_at = sqlite3_column_int64(st, RR_DELETED_AT);
	if (f->as_of && r->deleted_at > f->as_of)
		r->deleted_at = 0; /* not yet, as of then */
}

int store_foreach_report_row(struct store *s, const struct store_report_filter *f, store_report_cb cb, void *ctx,
			     struct kerr *e)
{
	struct tag_cursor tags = {NULL, SQLITE_DONE, INT64_MAX};
	sqlite3_stmt *st;
	struct row_tags rt;
	int64_t all, n;
	int rc, ret = -1, scan;

	/* Most of the posts (a campaign report): read the table in rowid order
	 * and the tags alongside in the same order, both sequentially.  A few
	 * (a short window, a unit): the indexes, and the tags post by post. */
	n = report_estimate(s, f, &all);
	scan = !f->district_code && n * 4 > all;
	if (!(st = report_statement(s, f, scan, e)))
		return -1;
	kbuf_init(&rt.text, 1024 * 1024);
	if (scan) {
		if (!(tags.st = store_stmt(s, &q_report_tags, "cannot read posts for the report", e)))
			goto out;
		tag_cursor_step(&tags);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_report_row r;

		report_row(st, f, &r);
		kbuf_reset(&rt.text);
		rt.n[0] = rt.n[1] = 0;
		if ((scan ? tags_from_cursor(s, &tags, r.id, &rt, e) : tags_of_post(s, r.id, &rt, e)) < 0)
			goto out;
		tag_pointers(&rt, &r);
		if (cb(ctx, &r, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read posts for the report");
		goto out;
	}
	ret = 0;
out:
	store_stmt_done(st);
	store_stmt_done(tags.st);
	kbuf_release(&rt.text);
	return ret;
}

/* ---- the texts of a few works ---- */

enum { TX_TITLE, TX_TEXT_HEAD, TX_URL };
static const struct store_sql q_texts = {ST_TEXTS, "SELECT title, substr(text, 1, 60), url FROM posts WHERE id = ?1"};

static int dup_col(sqlite3_stmt *st, int col, char **out)
{
	const char *v = store_col_text(st, col);

	*out = v ? strdup(v) : NULL;
	return v && !*out ? -1 : 0;
}

int store_report_texts(struct store *s, int64_t id, char **title, char **text_head, char **url, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_texts, "cannot read a post", e);
	int rc;

	*title = *text_head = *url = NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step_row(s, st, e, "cannot read a post")) <= 0)
		return rc;
	rc = dup_col(st, TX_TITLE, title) | dup_col(st, TX_TEXT_HEAD, text_head) | dup_col(st, TX_URL, url);
	store_stmt_done(st);
	if (rc < 0) {
		free(*title);
		free(*text_head);
		free(*url);
		*title = *text_head = *url = NULL;
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

/* ---- counts ---- */

enum { COUNT_N };

int store_count(struct store *s, const char *what, int64_t *out, struct kerr *e)
{
	static const char *const tables[] = {"posts", "snapshots", "runs", "run_sources", "post_tags"};
	char sql[96];
	sqlite3_stmt *st;
	size_t t = 0;
	int rc;

	_Static_assert(sizeof(tables) / sizeof(tables[0]) == ST_RUN_BEGIN - ST_COUNT, "a slot per table");
	*out = 0;
	while (t < sizeof(tables) / sizeof(tables[0]) && strcmp(what, tables[t]))
		t++;
	if (t == sizeof(tables) / sizeof(tables[0]))
		return kerr_set(e, KERR_USAGE, "cannot count '%s'", what);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[t]);
	if (!(st = store_stmt_text(s, (enum stmt_id)(ST_COUNT + t), sql, "cannot count", e)))
		return -1;
	if ((rc = store_step_row(s, st, e, "cannot count")) <= 0)
		return rc < 0 ? -1 : kerr_set(e, KERR_DB, "%s: cannot count", s->path);
	*out = sqlite3_column_int64(st, COUNT_N);
	store_stmt_done(st);
	return 0;
}
