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

/* Read-back: one row of posts, its tags from a second statement. */
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

/* Run a SELECT of the post columns (bound by bind) and call cb per row. */
static int foreach_rows(struct store *s, const char *where, int64_t a, int64_t b, const char *ta,
			const char *tb, store_post_cb cb, void *ctx, struct kerr *e)
{
	char sql[1024];
	sqlite3_stmt *st = NULL, *tags = s->st[ST_TAG_SELECT];
	struct row_strings r = {0};
	int rc, ret = -1;

	snprintf(sql, sizeof(sql),
		 "SELECT id, platform, post_id, url, author_id, author_name, author_location,"
		 " ip_location, created_at, title, text, topics, " COUNT_COLS ","
		 " lower_bounds, district, district_code, in_chongqing,"
		 " attribution_method, attribution_confidence, attribution_evidence, first_seen,"
		 " last_seen, cover_url, media, deleted_at FROM posts WHERE %s",
		 where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read posts");
	if (ta) {
		store_bind_text(st, 1, ta);
		store_bind_text(st, 2, tb);
	} else {
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct post p;
		int64_t id = sqlite3_column_int64(st, 0);
		const char *tj = (const char *)sqlite3_column_text(st, 11);
		json_error_t jerr;
		size_t i;
		json_t *t;

		memset(&p, 0, sizeof(p));
#define COL(n) ((const char *)sqlite3_column_text(st, (n)))
		p.platform = COL(1);
		p.post_id = COL(2);
		p.url = COL(3);
		p.author_id = COL(4);
		p.author_name = COL(5);
		p.author_location = COL(6);
		p.ip_location = COL(7);
		p.created_at = sqlite3_column_int64(st, 8);
		p.title = COL(9);
		p.text = COL(10);
		for (int k = 0; k < PC_N; k++)
			if (sqlite3_column_type(st, 12 + k) != SQLITE_NULL) {
				p.counts[k] = sqlite3_column_int64(st, 12 + k);
				p.known |= 1u << k;
			}
		p.lower = (unsigned)sqlite3_column_int(st, 12 + PC_N);
		p.district = COL(13 + PC_N);
		p.district_code = COL(14 + PC_N);
		p.in_chongqing = sqlite3_column_type(st, 15 + PC_N) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 15 + PC_N);
		p.attribution_method = COL(16 + PC_N);
		p.attribution_confidence = sqlite3_column_double(st, 17 + PC_N);
		p.attribution_evidence = COL(18 + PC_N);
		p.first_seen = sqlite3_column_int64(st, 19 + PC_N);
		p.last_seen = sqlite3_column_int64(st, 20 + PC_N);
		p.cover_url = COL(21 + PC_N);
		p.media = COL(22 + PC_N);
		p.deleted_at = sqlite3_column_int64(st, 23 + PC_N);
#undef COL
		r.ntopics = 0;
		json_decref(r.topics_json);
		r.topics_json = tj ? json_loads(tj, 0, &jerr) : NULL;
		json_array_foreach(r.topics_json, i, t)
		{
			if (json_is_string(t) && push(&r.topics, &r.ntopics, &r.atopics, json_string_value(t)) < 0) {
				kerr_set(e, KERR_NOMEM, "out of memory");
				goto out;
			}
		}
		p.topics = r.topics;
		p.ntopics = r.ntopics;

		/* Tags: the strings stay valid until the next step on `tags`, so
		 * collect them into the row's own copies first. */
		r.ntags[0] = r.ntags[1] = 0;
		sqlite3_bind_int64(tags, 1, id);
		while ((rc = sqlite3_step(tags)) == SQLITE_ROW) {
			int kind = sqlite3_column_int(tags, 0);
			char *tag = strdup((const char *)sqlite3_column_text(tags, 1));

			if (kind < 0 || kind > 1) {
				free(tag);
				continue;
			}
			if (!tag || push(&r.tags[kind], &r.ntags[kind], &r.atags[kind], tag) < 0) {
				free(tag);
				sqlite3_reset(tags);
				kerr_set(e, KERR_NOMEM, "out of memory");
				goto out;
			}
		}
		sqlite3_reset(tags);
		sqlite3_clear_bindings(tags);
		if (rc != SQLITE_DONE) {
			store_db_error(s, e, "cannot read tags");
			goto out;
		}
		p.hashtags = r.tags[0];
		p.nhashtags = r.ntags[0];
		p.campaign_tags = r.tags[1];
		p.ncampaign_tags = r.ntags[1];
		rc = cb(ctx, &p, e);
		for (int k = 0; k < 2; k++)
			for (i = 0; i < r.ntags[k]; i++)
				free((char *)r.tags[k][i]);
		r.ntags[0] = r.ntags[1] = 0;
		if (rc < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read posts");
		goto out;
	}
	ret = 0;
out:
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < r.ntags[k]; i++)
			free((char *)r.tags[k][i]);
		free(r.tags[k]);
	}
	free(r.topics);
	json_decref(r.topics_json);
	sqlite3_finalize(st);
	return ret;
}

int store_foreach_post(struct store *s, const struct store_filter *f, store_post_cb cb, void *ctx,
		       struct kerr *e)
{
	return foreach_rows(s, "created_at >= ?1 AND created_at < ?2 ORDER BY created_at, platform, post_id",
			    f->since, f->until, NULL, NULL, cb, ctx, e);
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

int store_get_post(struct store *s, const char *platform, const char *post_id, store_post_cb cb,
		   void *ctx, struct kerr *e)
{
	struct found f = {cb, ctx, 0};

	if (foreach_rows(s, "platform = ?1 AND post_id = ?2", 0, 0, platform, post_id, count_found, &f, e) < 0)
		return -1;
	if (!f.n)
		return kerr_set(e, KERR_USAGE, "no post %s:%s in %s", platform, post_id, s->path);
	return 0;
}

/* The WHERE clause shared by the report queries (p is posts). */
static void report_where(const struct store_report_filter *f, char *out, size_t cap)
{
	snprintf(out, cap, "p.created_at >= ?1 AND p.created_at < ?2%s%s",
		 f->as_of ? " AND p.first_seen <= ?3" : "", f->district_code ? " AND p.district_code = ?4" : "");
}

static void report_bind(sqlite3_stmt *st, const struct store_report_filter *f)
{
	sqlite3_bind_int64(st, 1, f->since);
	sqlite3_bind_int64(st, 2, f->until);
	if (f->as_of)
		sqlite3_bind_int64(st, 3, f->as_of);
	if (f->district_code)
		sqlite3_bind_text(st, 4, f->district_code, -1, SQLITE_STATIC);
}

/* How many posts the filter selects, from the index alone. */
static int64_t report_estimate(struct store *s, const struct store_report_filter *f, int64_t *all)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	*all = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*), (SELECT max(id) FROM posts) FROM posts"
				      " WHERE created_at >= ?1 AND created_at < ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, f->since);
	sqlite3_bind_int64(st, 2, f->until);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int64(st, 0);
		*all = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return n;
}

/* A post's tags, copied out of the tag statement's rows. */
struct row_tags {
	struct kbuf text;     /* the strings, NUL-separated */
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

int store_foreach_report_row(struct store *s, const struct store_report_filter *f,
			     store_report_cb cb, void *ctx, struct kerr *e)
{
	char where[256], sql[2048];
	sqlite3_stmt *st = NULL, *tags = NULL;
	struct row_tags rt;
	int64_t all, n, tag_post = -1;
	int rc, ret = -1, scan, tag_rc = SQLITE_DONE;

	kbuf_init(&rt.text, 1024 * 1024);
	/* Most of the posts (a campaign report): read the table in rowid order
	 * and the tags alongside in the same order, both sequentially.  A few
	 * (a short window, a unit): the indexes, and the tags post by post. */
	n = report_estimate(s, f, &all);
	scan = !f->district_code && n * 4 > all;
	report_where(f, where, sizeof(where));
	snprintf(sql, sizeof(sql),
		 "SELECT p.platform, p.post_id, NULL, p.author_id, p.author_name, p.district,"
		 " p.district_code, p.attribution_method, NULL, NULL, p.created_at,"
		 " p.in_chongqing, %s, p.id, p.deleted_at FROM posts p %s %s WHERE %s%s",
		 f->as_of ? "s.views, s.likes, s.comments, s.shares, s.favorites, s.coins, coalesce(s.lower_bounds, 0)"
			  : "p.views, p.likes, p.comments, p.shares, p.favorites, p.coins, p.lower_bounds",
		 scan ? "NOT INDEXED" : "",
		 /* the latest snapshot at or before as_of: one seek on its primary key */
		 f->as_of ? "LEFT JOIN snapshots s ON s.post = p.id AND s.refused = 0 AND s.observed_at ="
			    " (SELECT max(observed_at) FROM snapshots WHERE post = p.id AND refused = 0"
			    " AND observed_at <= ?3)"
			  : "",
		 where, scan ? " ORDER BY p.id" : "");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	report_bind(st, f);
	if (scan) {
		if (sqlite3_prepare_v2(s->db, "SELECT post, kind, tag FROM post_tags ORDER BY post, kind, pos", -1,
				       &tags, NULL) != SQLITE_OK)
			goto dberr;
		tag_rc = sqlite3_step(tags);
		tag_post = tag_rc == SQLITE_ROW ? sqlite3_column_int64(tags, 0) : INT64_MAX;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_report_row r;
		int64_t id = sqlite3_column_int64(st, 13 + PC_N);

		kbuf_reset(&rt.text);
		rt.n[0] = rt.n[1] = 0;
		if (scan) {
			while (tag_rc == SQLITE_ROW && tag_post < id) {
				tag_rc = sqlite3_step(tags);
				tag_post = tag_rc == SQLITE_ROW ? sqlite3_column_int64(tags, 0) : INT64_MAX;
			}
			while (tag_rc == SQLITE_ROW && tag_post == id) {
				if (tag_keep(&rt, sqlite3_column_int(tags, 1), (const char *)sqlite3_column_text(tags, 2),
					     e) < 0)
					goto out;
				tag_rc = sqlite3_step(tags);
				tag_post = tag_rc == SQLITE_ROW ? sqlite3_column_int64(tags, 0) : INT64_MAX;
			}
			if (tag_rc != SQLITE_ROW && tag_rc != SQLITE_DONE)
				goto dberr;
		} else {
			sqlite3_stmt *one = s->st[ST_TAG_SELECT];
			sqlite3_bind_int64(one, 1, id);
			while ((tag_rc = sqlite3_step(one)) == SQLITE_ROW)
				if (tag_keep(&rt, sqlite3_column_int(one, 0), (const char *)sqlite3_column_text(one, 1), e) < 0) {
					sqlite3_reset(one);
					goto out;
				}
			sqlite3_reset(one);
			if (tag_rc != SQLITE_DONE)
				goto dberr;
		}
#define COL(n) ((const char *)sqlite3_column_text(st, (n)))
		r.platform = COL(0);
		r.post_id = COL(1);
		r.author_id = COL(3);
		r.author_name = COL(4);
		r.district = COL(5);
		r.district_code = COL(6);
		r.method = COL(7);
#undef COL
		r.created_at = sqlite3_column_int64(st, 10);
		r.in_chongqing = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 11);
		r.known = 0;
		for (int k = 0; k < PC_N; k++) {
			r.counts[k] = sqlite3_column_int64(st, 12 + k);
			if (sqlite3_column_type(st, 12 + k) != SQLITE_NULL)
				r.known |= 1u << k;
		}
		r.lower = (unsigned)sqlite3_column_int(st, 12 + PC_N) & r.known;
		r.deleted_at = sqlite3_column_int64(st, 14 + PC_N);
		if (f->as_of && r.deleted_at > f->as_of)
			r.deleted_at = 0; /* not yet, as of then */
		r.id = id;
		tag_pointers(&rt, &r);
		if (cb(ctx, &r, e) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE)
		goto dberr;
	ret = 0;
	goto out;
dberr:
	store_db_error(s, e, "cannot read posts for the report");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(tags);
	kbuf_release(&rt.text);
	return ret;
}

int store_report_texts(struct store *s, int64_t id, char **title, char **text_head, char **url,
		       struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_TEXTS];
	int rc;

	*title = *text_head = *url = NULL;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *x = (const char *)sqlite3_column_text(st, 1);
		const char *u = (const char *)sqlite3_column_text(st, 2);
		if ((t && !(*title = strdup(t))) || (x && !(*text_head = strdup(x))) || (u && !(*url = strdup(u)))) {
			sqlite3_reset(st);
			free(*title);
			free(*text_head);
			free(*url);
			*title = *text_head = *url = NULL;
			return kerr_set(e, KERR_NOMEM, "out of memory");
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read a post");
}

int store_count(struct store *s, const char *what, int64_t *out, struct kerr *e)
{
	char sql[96];
	sqlite3_stmt *st;
	int rc;

	if (strcmp(what, "posts") && strcmp(what, "snapshots") && strcmp(what, "runs") && strcmp(what, "run_sources") &&
	    strcmp(what, "post_tags"))
		return kerr_set(e, KERR_USAGE, "cannot count '%s'", what);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", what);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot count");
	rc = sqlite3_step(st);
	*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_db_error(s, e, "cannot count");
}
