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
 * Statements come from the connection's cache (internal.h); the one call
 * on the ingest path, store_set_flags(), runs a single SELECT unless
 * something changed.
 */
#include "store.h"
#include "internal.h"

#include <inttypes.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only for the migration step review_chain_existing(), which runs once:
 * everything else goes through the statement cache (internal.h). */
static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, const char *what, struct kerr *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_db_error(s, e, what);
	}
	return 0;
}

/* ---- flags ---- */

/* One statement: whether the post has a title and a text, and its flags
 * (one row with NULL flags for a post without any). */
enum { FP_HAS_TITLE, FP_HAS_TEXT, FP_RULE, FP_MATCH };
static const struct store_sql q_flags_of_post = {
	ST_FLAGS_OF_POST, "SELECT p.title IS NOT NULL, p.text IS NOT NULL, f.rule, f.match FROM posts p"
			  " LEFT JOIN post_flags f ON f.platform = p.platform AND f.post_id = p.post_id"
			  " WHERE p.platform = ?1 AND p.post_id = ?2"};
static const struct store_sql q_flag_delete = {
	ST_FLAG_DELETE, "DELETE FROM post_flags WHERE platform = ?1 AND post_id = ?2 AND rule = ?3 AND match = ?4"};
/* OR IGNORE: the same flag twice in f is one row */
static const struct store_sql q_flag_insert = {
	ST_FLAG_INSERT, "INSERT OR IGNORE INTO post_flags (platform, post_id, rule, reason, match, set_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};

/* Is the flag (rule, match) among f's? */
static int flag_in(const struct post_flags *f, const char *rule, const char *match)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (!strcmp(f->v[i].rule, rule) && !strcmp(f->v[i].match, match))
			return 1;
	return 0;
}

/* The stored flags against the found ones. */
struct flag_diff {
	char **gone; /* stored, not found: rule, match, rule, match, ... (copies) */
	size_t ngone, agone;
	size_t nkept;    /* stored and found */
	int keep_stored; /* the rules saw less than is stored: change nothing */
};

static void flag_diff_release(struct flag_diff *d)
{
	for (size_t i = 0; i < d->ngone; i++)
		free(d->gone[i]);
	free(d->gone);
}

static int keep_gone(struct flag_diff *d, const char *rule, const char *match)
{
	if (d->ngone + 2 > d->agone) {
		size_t na = d->agone ? d->agone * 2 : 8;
		char **ng = realloc(d->gone, na * sizeof(*d->gone));
		if (!ng)
			return -1;
		d->gone = ng;
		d->agone = na;
	}
	if (!(d->gone[d->ngone] = strdup(rule)))
		return -1;
	d->ngone++;
	if (!(d->gone[d->ngone] = strdup(match)))
		return -1;
	d->ngone++;
	return 0;
}

static int diff_flags(struct store *s, const char *platform, const char *post_id, const struct post_flags *f,
		      struct flag_diff *d, struct kerr *e)
{
	sqlite3_stmt *sel = store_stmt(s, &q_flags_of_post, "cannot read flags", e);
	int rc, ret = -1;

	if (!sel)
		return -1;
	store_bind_text(sel, 1, platform);
	store_bind_text(sel, 2, post_id);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *rule = store_col_text(sel, FP_RULE);
		const char *match = store_col_text(sel, FP_MATCH);

		if (f && (((f->without & POST_FLAGS_NO_TITLE) && sqlite3_column_int(sel, FP_HAS_TITLE)) ||
			  ((f->without & POST_FLAGS_NO_TEXT) && sqlite3_column_int(sel, FP_HAS_TEXT)))) {
			d->keep_stored = 1;
			ret = 0;
			goto out;
		}
		if (!rule || !match)
			continue; /* the post without flags */
		if (flag_in(f, rule, match))
			d->nkept++;
		else if (keep_gone(d, rule, match) < 0) {
			kerr_set(e, KERR_NOMEM, "out of memory");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "cannot read flags");
		goto out;
	}
	ret = 0;
out:
	store_stmt_done(sel);
	return ret;
}

static int delete_flags(struct store *s, const char *platform, const char *post_id, const struct flag_diff *d,
			struct kerr *e)
{
	sqlite3_stmt *del = store_stmt(s, &q_flag_delete, "cannot replace flags", e);

	if (!del)
		return -1;
	for (size_t i = 0; i < d->ngone; i += 2) {
		store_bind_text(del, 1, platform);
		store_bind_text(del, 2, post_id);
		store_bind_text(del, 3, d->gone[i]);
		store_bind_text(del, 4, d->gone[i + 1]);
		if (store_step_done(s, del, e, "cannot replace flags") < 0)
			return -1;
	}
	return 0;
}

/* Insert f's flags; *ngained: how many were new (a kept one is already
 * there: INSERT OR IGNORE leaves it, and changes() tells what was new). */
static int insert_flags(struct store *s, const char *platform, const char *post_id, const struct post_flags *f,
			int64_t now, int *ngained, struct kerr *e)
{
	sqlite3_stmt *ins = store_stmt(s, &q_flag_insert, "cannot store flags", e);

	*ngained = 0;
	if (!ins)
		return -1;
	for (size_t i = 0; i < f->n; i++) {
		store_bind_text(ins, 1, platform);
		store_bind_text(ins, 2, post_id);
		store_bind_text(ins, 3, f->v[i].rule);
		store_bind_text(ins, 4, f->v[i].reason);
		store_bind_text(ins, 5, f->v[i].match);
		sqlite3_bind_int64(ins, 6, now);
		if (store_step_done(s, ins, e, "cannot store flags") < 0)
			return -1;
		*ngained += sqlite3_changes(s->db);
	}
	return 0;
}

int store_set_flags(struct store *s, const char *platform, const char *post_id, const struct post_flags *f, int64_t now,
		    int *gained, int *lost, struct kerr *e)
{
	struct flag_diff d = {0};
	int ret = -1, nlost, ngained;

	if (gained)
		*gained = 0;
	if (lost)
		*lost = 0;
	if (diff_flags(s, platform, post_id, f, &d, e) < 0)
		goto out;
	nlost = (int)(d.ngone / 2);
	ngained = (int)((f ? f->n : 0) - d.nkept);
	if (d.keep_stored || (!nlost && !ngained)) {
		ret = 0;
		goto out;
	}
	if ((nlost && delete_flags(s, platform, post_id, &d, e) < 0) ||
	    (ngained && insert_flags(s, platform, post_id, f, now, &ngained, e) < 0))
		goto out;
	if (gained)
		*gained = ngained;
	if (lost)
		*lost = nlost;
	ret = 0;
out:
	flag_diff_release(&d);
	return ret;
}

enum { FA_PLATFORM, FA_POST_ID, FA_RULE, FA_REASON, FA_MATCH, FA_SET_AT };
static const struct store_sql q_flags_all = {ST_FLAGS_ALL,
					     "SELECT platform, post_id, rule, reason, match, set_at FROM post_flags"
					     " ORDER BY platform, post_id, rule, match"};

int store_foreach_flag(struct store *s, store_flag_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_flags_all, "cannot read flags", e);
	int rc, ret = -1;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct post_flag f;

		f.rule = store_col_text(st, FA_RULE);
		f.reason = store_col_text(st, FA_REASON);
		f.match = store_col_text(st, FA_MATCH);
		f.set_at = sqlite3_column_int64(st, FA_SET_AT);
		if (cb(ctx, store_col_text(st, FA_PLATFORM), store_col_text(st, FA_POST_ID), &f, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read flags");
out:
	store_stmt_done(st);
	return ret;
}

/* ---- the review log ---- */

#define LOG_COLUMNS "id, platform, post_id, at, \"by\", from_state, to_state, note, title"
/* LOG_COLUMNS, then (where read) prev_hash and hash */
enum { LOG_ID, LOG_PLATFORM, LOG_POST_ID, LOG_AT, LOG_BY, LOG_FROM, LOG_TO, LOG_NOTE, LOG_TITLE, LOG_PREV_HASH, LOG_HASH };

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

/* The hash of one row (states as stored text), in hex.  A row without a
 * title hashes as the log always did ("v1"), so chains written before
 * titles existed still verify; a row with one is "v2" and its title is
 * hashed after the note. */
static void entry_hash(int64_t id, const char *platform, const char *post_id, int64_t at, const char *by,
		       const char *from, const char *to, const char *note, const char *title, const char *prev,
		       char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)(title ? "kepu review_log v2\n" : "kepu review_log v1\n"),
				  19);
	hash_int(&h, id);
	hash_text(&h, platform);
	hash_text(&h, post_id);
	hash_int(&h, at);
	hash_text(&h, by);
	hash_text(&h, from);
	hash_text(&h, to);
	hash_text(&h, note);
	if (title)
		hash_text(&h, title);
	hash_text(&h, prev);
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, 65, md, sizeof(md));
}

/* The hash of the row st is on (columns: LOG_COLUMNS, prev_hash). */
static void row_hash(sqlite3_stmt *st, const char *prev, char out[65])
{
	entry_hash(sqlite3_column_int64(st, LOG_ID), store_col_text(st, LOG_PLATFORM), store_col_text(st, LOG_POST_ID),
		   sqlite3_column_int64(st, LOG_AT), store_col_text(st, LOG_BY), store_col_text(st, LOG_FROM),
		   store_col_text(st, LOG_TO), store_col_text(st, LOG_NOTE), store_col_text(st, LOG_TITLE), prev, out);
}

int review_chain_existing(struct store *s, struct kerr *e)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char prev[65], h[65];
	int rc, ret = -1;

	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	memcpy(prev, genesis, sizeof(prev));
	/* this step runs before the title column exists: no row has one */
	if (prepare(s, "SELECT id, platform, post_id, at, \"by\", from_state, to_state, note, NULL FROM review_log"
		       " ORDER BY id", &sel, "cannot chain the review log", e) <
		    0 ||
	    prepare(s, "UPDATE review_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1", &upd,
		    "cannot chain the review log", e) < 0)
		goto out;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		row_hash(sel, prev, h);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, LOG_ID));
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

static const struct store_sql q_review_verify = {ST_REVIEW_VERIFY,
						 "SELECT " LOG_COLUMNS ", prev_hash, hash FROM review_log ORDER BY id"};
static const struct store_sql q_trigger_exists = {
	ST_TRIGGER_EXISTS,
	"SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'review_log' AND name = ?1"};

/* Walk the chain from the first row; v->broken_id and v->why name the
 * first row that breaks it, v->head is the last good hash. */
static int verify_chain(struct store *s, struct review_verdict *v, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_review_verify, "cannot read the review log", e);
	char prev[65], h[65];
	int rc;

	if (!st)
		return -1;
	memcpy(prev, genesis, sizeof(prev));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *stored_prev = store_col_text(st, LOG_PREV_HASH);
		const char *stored = store_col_text(st, LOG_HASH);
		int64_t id = sqlite3_column_int64(st, LOG_ID);

		v->rows++;
		row_hash(st, prev, h);
		if (!stored_prev || strcmp(stored_prev, prev)) {
			v->broken_id = id;
			snprintf(v->why, sizeof(v->why), "%s",
				 v->rows == 1 ? "the first decision does not start the chain (a decision before it was "
						"removed, "
						"or it was inserted from outside kepu)"
					      : "it does not follow the decision before it (a decision between them "
						"was removed, "
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
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_db_error(s, e, "cannot read the review log");
	store_stmt_done(st);
	memcpy(v->head, prev, sizeof(v->head));
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Are the triggers that keep the log append-only there? */
static int verify_guards(struct store *s, struct review_verdict *v, struct kerr *e)
{
	static const char *const guards[] = {"review_log_no_update", "review_log_no_delete", "review_log_no_replace",
					     "review_log_ids_grow"};
	sqlite3_stmt *st = store_stmt(s, &q_trigger_exists, "cannot read the schema", e);

	if (!st)
		return -1;
	for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++) {
		int rc;

		sqlite3_bind_text(st, 1, guards[i], -1, SQLITE_STATIC);
		if ((rc = store_step_row(s, st, e, "cannot read the schema")) < 0)
			return -1;
		if (rc == 0) {
			v->broken_id = -1;
			snprintf(v->why, sizeof(v->why), "the guard %s was dropped: the log can be rewritten",
				 guards[i]);
			break;
		}
		store_stmt_done(st);
	}
	return 0;
}

int store_review_verify(struct store *s, struct review_verdict *v, struct kerr *e)
{
	memset(v, 0, sizeof(*v));
	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	if (verify_chain(s, v, e) < 0)
		return -1;
	return v->broken_id ? 0 : verify_guards(s, v, e);
}

/* An entry from a row of LOG_COLUMNS.  A state the log does not know (a
 * newer kepu wrote it) reads as pending, the safe side: nothing unknown is
 * ever shown as approved. */
static void read_entry(sqlite3_stmt *st, struct review_entry *r)
{
	int from = review_state_parse(store_col_text(st, LOG_FROM));
	int to = review_state_parse(store_col_text(st, LOG_TO));

	r->id = sqlite3_column_int64(st, LOG_ID);
	r->platform = store_col_text(st, LOG_PLATFORM);
	r->post_id = store_col_text(st, LOG_POST_ID);
	r->at = sqlite3_column_int64(st, LOG_AT);
	r->by = store_col_text(st, LOG_BY);
	r->from = from < 0 ? REVIEW_PENDING : (enum review_state)from;
	r->to = to < 0 ? REVIEW_PENDING : (enum review_state)to;
	r->note = store_col_text(st, LOG_NOTE);
	r->title = store_col_text(st, LOG_TITLE);
}

static const struct store_sql q_post_exists = {ST_POST_EXISTS,
					       "SELECT 1 FROM posts WHERE platform = ?1 AND post_id = ?2"};

static int post_exists(struct store *s, const char *platform, const char *post_id, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_post_exists, "cannot read posts", e);
	int rc;

	if (!st)
		return -1;
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	if ((rc = store_step_row(s, st, e, "cannot read posts")) < 0)
		return -1;
	if (rc == 0)
		return kerr_set(e, KERR_USAGE, "no post %s:%s in the database", platform, post_id);
	store_stmt_done(st);
	return 0;
}

enum { RS_TO_STATE };
static const struct store_sql q_review_state = {ST_REVIEW_STATE,
						"SELECT to_state FROM review_log WHERE platform = ?1 AND post_id = ?2"
						" ORDER BY id DESC LIMIT 1"};

int store_review_state(struct store *s, const char *platform, const char *post_id, enum review_state *state,
		       struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, v;

	*state = REVIEW_PENDING;
	if (post_exists(s, platform, post_id, e) < 0 ||
	    !(st = store_stmt(s, &q_review_state, "cannot read the review log", e)))
		return -1;
	store_bind_text(st, 1, platform);
	store_bind_text(st, 2, post_id);
	if ((rc = store_step_row(s, st, e, "cannot read the review log")) <= 0)
		return rc;
	if ((v = review_state_parse(store_col_text(st, RS_TO_STATE))) >= 0)
		*state = (enum review_state)v;
	store_stmt_done(st);
	return 0;
}

enum { RN_ID, RN_HASH };
static const struct store_sql q_review_newest = {ST_REVIEW_NEWEST,
						 "SELECT id, hash FROM review_log ORDER BY id DESC LIMIT 1"};
static const struct store_sql q_review_insert = {
	ST_REVIEW_INSERT, "INSERT INTO review_log (platform, post_id, at, \"by\", from_state, to_state, note, id,"
			  " prev_hash, hash, title) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"};

/* The newest row's id and hash (0 and the genesis hash when none). */
static int newest_entry(struct store *s, int64_t *id, char prev[65], struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_review_newest, "cannot read the review log", e);
	int rc;

	*id = 0;
	memcpy(prev, genesis, 65);
	if (!st)
		return -1;
	if ((rc = store_step_row(s, st, e, "cannot read the review log")) <= 0)
		return rc;
	*id = sqlite3_column_int64(st, RN_ID);
	snprintf(prev, 65, "%s", store_col_text(st, RN_HASH) ? store_col_text(st, RN_HASH) : "");
	store_stmt_done(st);
	return 0;
}

int store_review_append(struct store *s, const struct review_entry *r, struct kerr *e)
{
	const char *note = r->note && *r->note ? r->note : NULL;
	const char *title = r->title && *r->title ? r->title : NULL;
	sqlite3_stmt *st;
	char prev[65], h[65];
	int64_t id;

	if ((unsigned)r->from >= REVIEW_NSTATES || (unsigned)r->to >= REVIEW_NSTATES)
		return kerr_set(e, KERR_USAGE, "%s:%s: no such review state", r->platform, r->post_id);
	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	/* the newest row: this one's id follows it and its hash chains to it */
	if (newest_entry(s, &id, prev, e) < 0)
		return -1;
	id++;
	entry_hash(id, r->platform, r->post_id, r->at, r->by, review_state_names[r->from], review_state_names[r->to],
		   note, title, prev, h);
	if (!(st = store_stmt(s, &q_review_insert, "cannot record the decision", e)))
		return -1;
	sqlite3_bind_int64(st, 8, id);
	sqlite3_bind_text(st, 9, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, h, -1, SQLITE_TRANSIENT);
	store_bind_text(st, 1, r->platform);
	store_bind_text(st, 2, r->post_id);
	sqlite3_bind_int64(st, 3, r->at);
	store_bind_text(st, 4, r->by);
	store_bind_text(st, 5, review_state_names[r->from]);
	store_bind_text(st, 6, review_state_names[r->to]);
	store_bind_text(st, 7, note);
	store_bind_text(st, 11, title);
	return store_step_done(s, st, e, "cannot record the decision");
}

/* cb for every row of st (LOG_COLUMNS), then store_stmt_done(st). */
static int each_entry(struct store *s, sqlite3_stmt *st, store_review_cb cb, void *ctx, struct kerr *e)
{
	int rc, ret = -1;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct review_entry r;

		read_entry(st, &r);
		if (cb(ctx, &r, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the review log");
out:
	store_stmt_done(st);
	return ret;
}

static const struct store_sql q_review_log_all = {ST_REVIEW_LOG_ALL,
						  "SELECT " LOG_COLUMNS " FROM review_log ORDER BY id"};
static const struct store_sql q_review_log_post = {
	ST_REVIEW_LOG_POST, "SELECT " LOG_COLUMNS " FROM review_log WHERE platform = ?1 AND post_id = ?2 ORDER BY id"};

int store_review_log(struct store *s, const char *platform, const char *post_id, store_review_cb cb, void *ctx,
		     struct kerr *e)
{
	sqlite3_stmt *st;

	if (platform && post_exists(s, platform, post_id, e) < 0)
		return -1;
	if (!(st = store_stmt(s, platform ? &q_review_log_post : &q_review_log_all, "cannot read the review log", e)))
		return -1;
	if (platform) {
		store_bind_text(st, 1, platform);
		store_bind_text(st, 2, post_id);
	}
	return each_entry(s, st, cb, ctx, e);
}

/* the newest row per post: the largest id (ids only grow) */
static const struct store_sql q_review_current = {ST_REVIEW_CURRENT,
						  "SELECT " LOG_COLUMNS " FROM review_log WHERE id IN"
						  " (SELECT max(id) FROM review_log GROUP BY platform, post_id)"
						  " ORDER BY platform, post_id"};

int store_review_current(struct store *s, store_review_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_review_current, "cannot read the review log", e);

	return st ? each_entry(s, st, cb, ctx, e) : -1;
}
