/*
 * review.c: the SQL of content review: the append-only decision log and
 * the flags the flag rules found (store.h, section "Content review and
 * flags").
 *
 * The log is only ever INSERTed into; the schema's triggers make UPDATE
 * and DELETE on review_log fail, so even a bug here could not rewrite a
 * decision.  State is derived: the to_state of a post's newest row.
 *
 * The chain: each row stores prev_hash (the previous row's hash; 64 zeros
 * for the first) and hash = SHA-256 over its id, content and prev_hash
 * (entry_hash).  The triggers stop REPLACE and UPDATE from outside; the
 * chain makes an edit by someone who dropped them visible to
 * store_review_verify().  It is not a signature: who can write the file
 * can rebuild a chain, so the head hash is worth keeping elsewhere.
 *
 * Not for: deciding which transitions are allowed (cli/cmd_review.c),
 * finding flags (matchers/flags.c).
 *
 * Statements are prepared per call: struct store's prepared statements
 * are private to store.c, and a statement left prepared would keep its
 * connection from closing.  The one call on the ingest path,
 * store_set_flags(), prepares a single SELECT unless something changed.
 */
#include "store.h"
#include "internal.h"

#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, const char *what,
		   struct kerr *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_db_error(s, e, what);
	}
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* ---- flags ---- */

/* Is the flag (rule, match) among f's? */
static int flag_in(const struct post_flags *f, const char *rule, const char *match)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (!strcmp(f->v[i].rule, rule) && !strcmp(f->v[i].match, match))
			return 1;
	return 0;
}

int store_set_flags(struct store *s, const char *platform, const char *post_id,
		    const struct post_flags *f, int64_t now, int *gained, int *lost, struct kerr *e)
{
	sqlite3_stmt *sel = NULL, *del = NULL, *ins = NULL;
	size_t nkept = 0;
	int rc, ret = -1, nlost = 0, ngained = 0;
	/* the stored flags that are gone: (rule, match) copied out of sel */
	char **gone = NULL;
	size_t ngone = 0, agone = 0;

	if (gained)
		*gained = 0;
	if (lost)
		*lost = 0;
	/* one statement: whether the post has a title and a text, and its flags */
	if (prepare(s,
		    "SELECT p.title IS NOT NULL, p.text IS NOT NULL, f.rule, f.match FROM posts p"
		    " LEFT JOIN post_flags f ON f.platform = p.platform AND f.post_id = p.post_id"
		    " WHERE p.platform = ?1 AND p.post_id = ?2",
		    &sel, "cannot read flags", e) < 0)
		return -1;
	bind_text(sel, 1, platform);
	bind_text(sel, 2, post_id);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *rule = (const char *)sqlite3_column_text(sel, 2);
		const char *match = (const char *)sqlite3_column_text(sel, 3);

		if (f && (((f->without & POST_FLAGS_NO_TITLE) && sqlite3_column_int(sel, 0)) ||
			  ((f->without & POST_FLAGS_NO_TEXT) && sqlite3_column_int(sel, 1)))) {
			/* the rules saw less than is stored: keep what is stored */
			ret = 0;
			goto out;
		}
		if (!rule || !match)
			continue; /* the post without flags */
		if (flag_in(f, rule, match)) {
			nkept++;
			continue;
		}
		if (ngone + 2 > agone) {
			size_t na = agone ? agone * 2 : 8;
			char **ng = realloc(gone, na * sizeof(*gone));
			if (!ng)
				goto nomem;
			gone = ng;
			agone = na;
		}
		if (!(gone[ngone] = strdup(rule)))
			goto nomem;
		ngone++;
		if (!(gone[ngone] = strdup(match)))
			goto nomem;
		ngone++;
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read flags");
		goto out;
	}
	nlost = (int)(ngone / 2);
	ngained = (int)((f ? f->n : 0) - nkept);
	if (!nlost && !ngained) {
		ret = 0;
		goto out;
	}
	if (nlost) {
		if (prepare(s,
			    "DELETE FROM post_flags WHERE platform = ?1 AND post_id = ?2 AND rule = ?3"
			    " AND match = ?4",
			    &del, "cannot replace flags", e) < 0)
			goto out;
		for (size_t i = 0; i < ngone; i += 2) {
			bind_text(del, 1, platform);
			bind_text(del, 2, post_id);
			bind_text(del, 3, gone[i]);
			bind_text(del, 4, gone[i + 1]);
			rc = sqlite3_step(del);
			sqlite3_reset(del);
			if (rc != SQLITE_DONE) {
				store_db_error(s, e, "cannot replace flags");
				goto out;
			}
		}
	}
	if (ngained) {
		/* OR IGNORE: the same flag twice in f is one row */
		if (prepare(s,
			    "INSERT OR IGNORE INTO post_flags (platform, post_id, rule, reason, match, set_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			    &ins, "cannot store flags", e) < 0)
			goto out;
		ngained = 0;
		for (size_t i = 0; i < f->n; i++) {
			int stored;

			/* kept ones are already there: INSERT OR IGNORE leaves them, and
			 * changes() tells what was new */
			bind_text(ins, 1, platform);
			bind_text(ins, 2, post_id);
			bind_text(ins, 3, f->v[i].rule);
			bind_text(ins, 4, f->v[i].reason);
			bind_text(ins, 5, f->v[i].match);
			sqlite3_bind_int64(ins, 6, now);
			rc = sqlite3_step(ins);
			stored = sqlite3_changes(s->db);
			sqlite3_reset(ins);
			if (rc != SQLITE_DONE) {
				store_db_error(s, e, "cannot store flags");
				goto out;
			}
			ngained += stored;
		}
	}
	if (gained)
		*gained = ngained;
	if (lost)
		*lost = nlost;
	ret = 0;
	goto out;
nomem:
	kerr_set(e, KERR_NOMEM, "out of memory");
out:
	for (size_t i = 0; i < ngone; i++)
		free(gone[i]);
	free(gone);
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	return ret;
}

int store_foreach_flag(struct store *s, store_flag_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (prepare(s,
		    "SELECT platform, post_id, rule, reason, match, set_at FROM post_flags"
		    " ORDER BY platform, post_id, rule, match",
		    &st, "cannot read flags", e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct post_flag f;

		f.rule = (const char *)sqlite3_column_text(st, 2);
		f.reason = (const char *)sqlite3_column_text(st, 3);
		f.match = (const char *)sqlite3_column_text(st, 4);
		f.set_at = sqlite3_column_int64(st, 5);
		if (cb(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
		       &f, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read flags");
out:
	sqlite3_finalize(st);
	return ret;
}

/* ---- the review log ---- */

#define LOG_COLUMNS "id, platform, post_id, at, \"by\", from_state, to_state, note"

static const char genesis[65] = "0000000000000000000000000000000000000000000000000000000000000000";

static void hash_text(crypto_hash_sha256_state *h, const char *v)
{
	char len[32];
	int n;

	if (!v) {
		crypto_hash_sha256_update(h, (const unsigned char *)"-\n", 2);
		return;
	}
	/* length-prefixed, so no choice of texts can shift a boundary */
	n = snprintf(len, sizeof(len), "%zu:", strlen(v));
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(h, (const unsigned char *)v, strlen(v));
	crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

static void hash_int(crypto_hash_sha256_state *h, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRId64 "\n", v);
	crypto_hash_sha256_update(h, (const unsigned char *)num, (unsigned long long)n);
}

/* The hash of one row (states as stored text), in hex. */
static void entry_hash(int64_t id, const char *platform, const char *post_id, int64_t at, const char *by,
		       const char *from, const char *to, const char *note, const char *prev, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"kepu review_log v1\n", 19);
	hash_int(&h, id);
	hash_text(&h, platform);
	hash_text(&h, post_id);
	hash_int(&h, at);
	hash_text(&h, by);
	hash_text(&h, from);
	hash_text(&h, to);
	hash_text(&h, note);
	hash_text(&h, prev);
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, 65, md, sizeof(md));
}

/* The hash of the row st is on (columns: LOG_COLUMNS, prev_hash). */
static void row_hash(sqlite3_stmt *st, const char *prev, char out[65])
{
#define T(i) ((const char *)sqlite3_column_text(st, (i)))
	entry_hash(sqlite3_column_int64(st, 0), T(1), T(2), sqlite3_column_int64(st, 3), T(4), T(5), T(6), T(7), prev,
		   out);
#undef T
}

int review_chain_existing(struct store *s, struct kerr *e)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char prev[65], h[65];
	int rc, ret = -1;

	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	memcpy(prev, genesis, sizeof(prev));
	if (prepare(s, "SELECT " LOG_COLUMNS " FROM review_log ORDER BY id", &sel, "cannot chain the review log", e) < 0 ||
	    prepare(s, "UPDATE review_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1", &upd,
		    "cannot chain the review log", e) < 0)
		goto out;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		row_hash(sel, prev, h);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(upd, 2, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(upd, 3, h, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		if (rc != SQLITE_DONE) {
			store_db_error(s, e, "cannot chain the review log");
			goto out;
		}
		memcpy(prev, h, sizeof(prev));
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot chain the review log");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return ret;
}

int store_review_verify(struct store *s, struct review_verdict *v, struct kerr *e)
{
	static const char *const guards[] = {"review_log_no_update", "review_log_no_delete",
					     "review_log_no_replace", "review_log_ids_grow"};
	sqlite3_stmt *st = NULL;
	char prev[65], h[65];
	int rc, ret = -1;

	memset(v, 0, sizeof(*v));
	memcpy(prev, genesis, sizeof(prev));
	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	if (prepare(s, "SELECT " LOG_COLUMNS ", prev_hash, hash FROM review_log ORDER BY id", &st,
		    "cannot read the review log", e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *stored_prev = (const char *)sqlite3_column_text(st, 8);
		const char *stored = (const char *)sqlite3_column_text(st, 9);
		int64_t id = sqlite3_column_int64(st, 0);

		v->rows++;
		row_hash(st, prev, h);
		if (!stored_prev || strcmp(stored_prev, prev)) {
			v->broken_id = id;
			snprintf(v->why, sizeof(v->why), "%s",
				 v->rows == 1 ? "the first decision does not start the chain (a decision before it was removed, "
						"or it was inserted from outside kepu)"
					      : "it does not follow the decision before it (a decision between them was removed, "
						"or it was inserted from outside kepu)");
			break;
		}
		if (!stored || strcmp(stored, h)) {
			v->broken_id = id;
			snprintf(v->why, sizeof(v->why), "%s",
				 stored ? "its content does not match its hash (it was edited or replaced outside kepu)"
					: "it has no hash (it was inserted from outside kepu)");
			break;
		}
		memcpy(prev, h, sizeof(prev));
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read the review log");
		goto out;
	}
	memcpy(v->head, prev, sizeof(v->head));
	sqlite3_finalize(st);
	st = NULL;
	if (v->broken_id) {
		ret = 0;
		goto out;
	}
	if (prepare(s, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'review_log' AND name = ?1", &st,
		    "cannot read the schema", e) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++) {
		sqlite3_bind_text(st, 1, guards[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE) {
			v->broken_id = -1;
			snprintf(v->why, sizeof(v->why), "the guard %s was dropped: the log can be rewritten", guards[i]);
			break;
		}
		if (rc != SQLITE_ROW) {
			store_db_error(s, e, "cannot read the schema");
			goto out;
		}
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

/* An entry from a row of LOG_COLUMNS.  A state the log does not know (a
 * newer kepu wrote it) reads as pending, the safe side: nothing unknown is
 * ever shown as approved. */
static void read_entry(sqlite3_stmt *st, struct review_entry *r)
{
	int from = review_state_parse((const char *)sqlite3_column_text(st, 5));
	int to = review_state_parse((const char *)sqlite3_column_text(st, 6));

	r->id = sqlite3_column_int64(st, 0);
	r->platform = (const char *)sqlite3_column_text(st, 1);
	r->post_id = (const char *)sqlite3_column_text(st, 2);
	r->at = sqlite3_column_int64(st, 3);
	r->by = (const char *)sqlite3_column_text(st, 4);
	r->from = from < 0 ? REVIEW_PENDING : (enum review_state)from;
	r->to = to < 0 ? REVIEW_PENDING : (enum review_state)to;
	r->note = (const char *)sqlite3_column_text(st, 7);
}

static int post_exists(struct store *s, const char *platform, const char *post_id, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(s, "SELECT 1 FROM posts WHERE platform = ?1 AND post_id = ?2", &st, "cannot read posts",
		    e) < 0)
		return -1;
	bind_text(st, 1, platform);
	bind_text(st, 2, post_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read posts");
	return kerr_set(e, KERR_USAGE, "no post %s:%s in the database", platform, post_id);
}

int store_review_state(struct store *s, const char *platform, const char *post_id,
		       enum review_state *state, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, v;

	*state = REVIEW_PENDING;
	if (post_exists(s, platform, post_id, e) < 0)
		return -1;
	if (prepare(s,
		    "SELECT to_state FROM review_log WHERE platform = ?1 AND post_id = ?2"
		    " ORDER BY id DESC LIMIT 1",
		    &st, "cannot read the review log", e) < 0)
		return -1;
	bind_text(st, 1, platform);
	bind_text(st, 2, post_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (v = review_state_parse((const char *)sqlite3_column_text(st, 0))) >= 0)
		*state = (enum review_state)v;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the review log");
}

int store_review_append(struct store *s, const struct review_entry *r, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	const char *note = r->note && *r->note ? r->note : NULL;
	char prev[65], h[65];
	int64_t id = 1;

	if ((unsigned)r->from >= REVIEW_NSTATES || (unsigned)r->to >= REVIEW_NSTATES)
		return kerr_set(e, KERR_USAGE, "%s:%s: no such review state", r->platform, r->post_id);
	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	/* the newest row: this one's id follows it and its hash chains to it */
	memcpy(prev, genesis, sizeof(prev));
	if (prepare(s, "SELECT id, hash FROM review_log ORDER BY id DESC LIMIT 1", &st, "cannot read the review log",
		    e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *last = (const char *)sqlite3_column_text(st, 1);
		id = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", last ? last : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read the review log");
	entry_hash(id, r->platform, r->post_id, r->at, r->by, review_state_names[r->from], review_state_names[r->to],
		   note, prev, h);
	if (prepare(s,
		    "INSERT INTO review_log (platform, post_id, at, \"by\", from_state, to_state, note, id,"
		    " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
		    &st, "cannot record the decision", e) < 0)
		return -1;
	sqlite3_bind_int64(st, 8, id);
	sqlite3_bind_text(st, 9, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, h, -1, SQLITE_TRANSIENT);
	bind_text(st, 1, r->platform);
	bind_text(st, 2, r->post_id);
	sqlite3_bind_int64(st, 3, r->at);
	bind_text(st, 4, r->by);
	bind_text(st, 5, review_state_names[r->from]);
	bind_text(st, 6, review_state_names[r->to]);
	bind_text(st, 7, note);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot record the decision");
}

static int each_entry(struct store *s, sqlite3_stmt *st, store_review_cb cb, void *ctx, struct kerr *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct review_entry r;

		read_entry(st, &r);
		if (cb(ctx, &r, e) < 0)
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the review log");
}

int store_review_log(struct store *s, const char *platform, const char *post_id,
		     store_review_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (platform && post_exists(s, platform, post_id, e) < 0)
		return -1;
	if (prepare(s,
		    platform ? "SELECT " LOG_COLUMNS " FROM review_log WHERE platform = ?1 AND post_id = ?2"
			       " ORDER BY id"
			     : "SELECT " LOG_COLUMNS " FROM review_log ORDER BY id",
		    &st, "cannot read the review log", e) < 0)
		return -1;
	if (platform) {
		bind_text(st, 1, platform);
		bind_text(st, 2, post_id);
	}
	rc = each_entry(s, st, cb, ctx, e);
	sqlite3_finalize(st);
	return rc;
}

int store_review_current(struct store *s, store_review_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	/* the newest row per post: the largest id (ids only grow) */
	if (prepare(s,
		    "SELECT " LOG_COLUMNS " FROM review_log WHERE id IN"
		    " (SELECT max(id) FROM review_log GROUP BY platform, post_id)"
		    " ORDER BY platform, post_id",
		    &st, "cannot read the review log", e) < 0)
		return -1;
	rc = each_entry(s, st, cb, ctx, e);
	sqlite3_finalize(st);
	return rc;
}
