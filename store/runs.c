/*
 * runs.c: what imports and collections did: runs and each source's part
 * of them, the sources' cursors (marks, passes, gaps, backfills), and
 * their state for `kepu runs` and the report.
 */
#include "store.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"

/* ---- runs ---- */

static const struct store_sql q_run_begin = {ST_RUN_BEGIN,
					     "INSERT INTO runs (kind, source, started_at) VALUES (?1,?2,?3)"};
static const struct store_sql q_run_finish = {ST_RUN_FINISH,
					      "UPDATE runs SET finished_at = ?2, status = ?3, read = ?4, kept = ?5,"
					      " skipped = ?6, added = ?7, updated = ?8, unchanged = ?9, errors = ?10,"
					      " message = ?11 WHERE id = ?1"};
static const struct store_sql q_run_progress = {
	ST_RUN_PROGRESS, "UPDATE runs SET read = ?2, kept = ?3, skipped = ?4, added = ?5, updated = ?6,"
			 " unchanged = ?7, errors = ?8 WHERE id = ?1"};

int store_run_begin(struct store *s, const char *kind, const char *source, int64_t started, int64_t *run_id,
		    struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_run_begin, "cannot record run", e);

	if (!st)
		return -1;
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, source);
	sqlite3_bind_int64(st, 3, started);
	if (store_step_done(s, st, e, "cannot record run") < 0)
		return -1;
	*run_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Bind c to ?first .. ?first+6 (read, kept, skipped, added, updated,
 * unchanged, errors). */
static void bind_run_counts(sqlite3_stmt *st, int first, const struct run_counts *c)
{
	sqlite3_bind_int64(st, first, c->read);
	sqlite3_bind_int64(st, first + 1, c->kept);
	sqlite3_bind_int64(st, first + 2, c->skipped);
	sqlite3_bind_int64(st, first + 3, c->added);
	sqlite3_bind_int64(st, first + 4, c->updated);
	sqlite3_bind_int64(st, first + 5, c->unchanged);
	sqlite3_bind_int64(st, first + 6, c->errors);
}

int store_run_finish(struct store *s, int64_t run_id, const struct run_counts *c, const char *status,
		     const char *message, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_run_finish, "cannot record run", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, kclock_now());
	store_bind_text(st, 3, status);
	bind_run_counts(st, 4, c);
	store_bind_text(st, 11, message);
	return store_step_done(s, st, e, "cannot record run");
}

int store_run_progress(struct store *s, int64_t run_id, const struct run_counts *c, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_run_progress, "cannot record run", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	bind_run_counts(st, 2, c);
	return store_step_done(s, st, e, "cannot record run");
}

/* ---- cursors ---- */

/* The cursor columns, in the order cursor_read() takes them: CUR_* from
 * the first of them. */
#define CURSOR_COLS                                                                                                    \
	"high_water, pass_active, pass_mode, pass_next, pass_floor, pass_max_seen, pass_min_seen,"                     \
	" gap_lo, gap_hi, gap_next, gap_capped, gap_since, backfill_at, backfill_since, backfill_until,"               \
	" bf_next, bf_since, bf_until"
enum {
	CUR_HIGH_WATER,
	CUR_PASS_ACTIVE,
	CUR_PASS_MODE,
	CUR_PASS_NEXT,
	CUR_PASS_FLOOR,
	CUR_PASS_MAX_SEEN,
	CUR_PASS_MIN_SEEN,
	CUR_GAP_LO,
	CUR_GAP_HI,
	CUR_GAP_NEXT,
	CUR_GAP_CAPPED,
	CUR_GAP_SINCE,
	CUR_BACKFILL_AT,
	CUR_BACKFILL_SINCE,
	CUR_BACKFILL_UNTIL,
	CUR_BF_NEXT,
	CUR_BF_SINCE,
	CUR_BF_UNTIL
};

static const struct store_sql q_cursor_get = {ST_CURSOR_GET, "SELECT " CURSOR_COLS " FROM cursors WHERE source = ?1"};
static const struct store_sql q_cursor_put = {
	ST_CURSOR_PUT, "INSERT OR REPLACE INTO cursors (source, high_water, pass_active, pass_mode,"
		       " pass_next, pass_floor, pass_max_seen, updated_at, pass_min_seen, gap_lo, gap_hi,"
		       " gap_next, gap_capped, gap_since, backfill_at, backfill_since, backfill_until, bf_next,"
		       " bf_since, bf_until) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
		       "?18,?19,?20)"};

/* Copy column col of st, text or NULL, into out[cap] ("" for NULL). */
static void col_copy(sqlite3_stmt *st, int col, char *out, size_t cap)
{
	const char *v = store_col_text(st, col);

	snprintf(out, cap, "%s", v ? v : "");
}

/* The cursor in st's row, its columns from col on (copied: c outlives the row). */
static void cursor_read(sqlite3_stmt *st, int col, struct store_cursor *c)
{
	memset(c, 0, sizeof(*c));
	c->high_water = sqlite3_column_int64(st, col + CUR_HIGH_WATER);
	c->pass_active = sqlite3_column_int(st, col + CUR_PASS_ACTIVE);
	col_copy(st, col + CUR_PASS_MODE, c->pass_mode, sizeof(c->pass_mode));
	col_copy(st, col + CUR_PASS_NEXT, c->pass_next, sizeof(c->pass_next));
	c->pass_floor = sqlite3_column_int64(st, col + CUR_PASS_FLOOR);
	c->pass_max_seen = sqlite3_column_int64(st, col + CUR_PASS_MAX_SEEN);
	c->pass_min_seen = sqlite3_column_int64(st, col + CUR_PASS_MIN_SEEN);
	c->gap_lo = sqlite3_column_int64(st, col + CUR_GAP_LO);
	c->gap_hi = sqlite3_column_int64(st, col + CUR_GAP_HI);
	col_copy(st, col + CUR_GAP_NEXT, c->gap_next, sizeof(c->gap_next));
	c->gap_capped = sqlite3_column_int(st, col + CUR_GAP_CAPPED);
	c->gap_since = sqlite3_column_int64(st, col + CUR_GAP_SINCE);
	c->backfill_at = sqlite3_column_int64(st, col + CUR_BACKFILL_AT);
	c->backfill_since = sqlite3_column_int64(st, col + CUR_BACKFILL_SINCE);
	c->backfill_until = sqlite3_column_int64(st, col + CUR_BACKFILL_UNTIL);
	col_copy(st, col + CUR_BF_NEXT, c->bf_next, sizeof(c->bf_next));
	c->bf_since = sqlite3_column_int64(st, col + CUR_BF_SINCE);
	c->bf_until = sqlite3_column_int64(st, col + CUR_BF_UNTIL);
}

int store_cursor_get(struct store *s, const char *source, struct store_cursor *c, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_cursor_get, "cannot read the cursor", e);
	int rc;

	memset(c, 0, sizeof(*c));
	if (!st)
		return -1;
	store_bind_text(st, 1, source);
	if ((rc = store_step_row(s, st, e, "cannot read the cursor")) <= 0)
		return rc;
	cursor_read(st, 0, c);
	store_stmt_done(st);
	return 0;
}

int store_cursor_put(struct store *s, const char *source, const struct store_cursor *c, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_cursor_put, "cannot store the cursor", e);

	if (!st)
		return -1;
	store_bind_text(st, 1, source);
	sqlite3_bind_int64(st, 2, c->high_water);
	sqlite3_bind_int(st, 3, c->pass_active);
	store_bind_text(st, 4, c->pass_mode);
	store_bind_text(st, 5, c->pass_next);
	sqlite3_bind_int64(st, 6, c->pass_floor);
	sqlite3_bind_int64(st, 7, c->pass_max_seen);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, c->pass_min_seen);
	sqlite3_bind_int64(st, 10, c->gap_lo);
	sqlite3_bind_int64(st, 11, c->gap_hi);
	store_bind_text(st, 12, c->gap_next);
	sqlite3_bind_int(st, 13, c->gap_capped);
	sqlite3_bind_int64(st, 14, c->gap_since);
	sqlite3_bind_int64(st, 15, c->backfill_at);
	sqlite3_bind_int64(st, 16, c->backfill_since);
	sqlite3_bind_int64(st, 17, c->backfill_until);
	store_bind_text(st, 18, c->bf_next);
	sqlite3_bind_int64(st, 19, c->bf_since);
	sqlite3_bind_int64(st, 20, c->bf_until);
	return store_step_done(s, st, e, "cannot store the cursor");
}

/* ---- each source's part of a run ---- */

static const struct store_sql q_run_source_put = {
	ST_RUN_SOURCE_PUT, "INSERT OR REPLACE INTO run_sources (run, source, started_at, finished_at,"
			   " status, pages, fetched, matched, added, updated, unchanged, errors,"
			   " message, warnings, deleted) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"};

int store_run_source_put(struct store *s, int64_t run_id, const char *source, const struct run_source *r,
			 struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_run_source_put, "cannot record the source's run", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	store_bind_text(st, 2, source);
	sqlite3_bind_int64(st, 3, r->started_at);
	if (r->finished_at)
		sqlite3_bind_int64(st, 4, r->finished_at);
	else
		sqlite3_bind_null(st, 4);
	store_bind_text(st, 5, r->status);
	sqlite3_bind_int64(st, 6, r->pages);
	sqlite3_bind_int64(st, 7, r->fetched);
	sqlite3_bind_int64(st, 8, r->matched);
	sqlite3_bind_int64(st, 9, r->added);
	sqlite3_bind_int64(st, 10, r->updated);
	sqlite3_bind_int64(st, 11, r->unchanged);
	sqlite3_bind_int64(st, 12, r->errors);
	store_bind_text(st, 13, r->message[0] ? r->message : NULL);
	sqlite3_bind_int64(st, 14, r->warnings);
	sqlite3_bind_int64(st, 15, r->deleted);
	return store_step_done(s, st, e, "cannot record the source's run");
}

enum { STREAK_STATUS, STREAK_STARTED_AT };
static const struct store_sql q_source_streak = {
	ST_SOURCE_STREAK, "SELECT x.status, x.started_at FROM run_sources x JOIN runs r ON r.id = x.run"
			  " WHERE x.source = ?1 AND x.status <> 'interrupted' AND (?2 IS NULL OR r.kind = ?2)"
			  " ORDER BY x.started_at DESC, x.run DESC LIMIT 10000"};

int store_source_streak(struct store *s, const char *source, const char *kind, long *failed, int64_t *since,
			struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_source_streak, "cannot read runs", e);
	int rc;

	*failed = 0;
	*since = 0;
	if (!st)
		return -1;
	store_bind_text(st, 1, source);
	store_bind_text(st, 2, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = store_col_text(st, STREAK_STATUS);
		if (!status || strcmp(status, "failed"))
			break;
		(*failed)++;
		*since = sqlite3_column_int64(st, STREAK_STARTED_AT);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_db_error(s, e, "cannot read runs");
	store_stmt_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_runs_interrupted(struct store *s, struct kerr *e)
{
	/* a collection writes its totals only at the end, its sources with
	 * every page: after a kill, the sources are what was committed */
	return store_exec(s,
			  "BEGIN IMMEDIATE;"
			  "UPDATE runs SET"
			  "  read = (SELECT coalesce(sum(fetched), 0) FROM run_sources WHERE run = runs.id),"
			  "  kept = (SELECT coalesce(sum(matched), 0) FROM run_sources WHERE run = runs.id),"
			  "  added = (SELECT coalesce(sum(added), 0) FROM run_sources WHERE run = runs.id),"
			  "  updated = (SELECT coalesce(sum(updated), 0) FROM run_sources WHERE run = runs.id),"
			  "  unchanged = (SELECT coalesce(sum(unchanged), 0) FROM run_sources WHERE run = runs.id),"
			  "  errors = (SELECT coalesce(sum(errors), 0) FROM run_sources WHERE run = runs.id)"
			  "  WHERE status = 'running' AND kind = 'collect';"
			  "UPDATE runs SET skipped = read - kept WHERE status = 'running' AND kind = 'collect';"
			  "UPDATE runs SET status = 'interrupted' WHERE status = 'running';"
			  "UPDATE run_sources SET status = 'interrupted' WHERE status = 'running';"
			  "COMMIT",
			  e);
}

/* ---- listing runs ---- */

enum {
	RUN_ID,
	RUN_KIND,
	RUN_SOURCE,
	RUN_STARTED_AT,
	RUN_FINISHED_AT,
	RUN_STATUS,
	RUN_READ,
	RUN_KEPT,
	RUN_SKIPPED,
	RUN_ADDED,
	RUN_UPDATED,
	RUN_UNCHANGED,
	RUN_ERRORS,
	RUN_MESSAGE
};
static const struct store_sql q_runs = {ST_RUNS, "SELECT id, kind, source, started_at, finished_at, status, read, kept,"
						 " skipped, added, updated, unchanged, errors, message FROM runs"
						 " ORDER BY started_at DESC, id DESC LIMIT ?1"};

enum {
	RS_SOURCE,
	RS_STARTED_AT,
	RS_FINISHED_AT,
	RS_STATUS,
	RS_PAGES,
	RS_FETCHED,
	RS_MATCHED,
	RS_ADDED,
	RS_UPDATED,
	RS_UNCHANGED,
	RS_ERRORS,
	RS_MESSAGE,
	RS_WARNINGS,
	RS_DELETED
};
static const struct store_sql q_run_sources = {
	ST_RUN_SOURCES, "SELECT source, started_at, finished_at, status, pages, fetched, matched,"
			" added, updated, unchanged, errors, message, warnings, deleted FROM run_sources"
			" WHERE run = ?1 ORDER BY source"};

/* The run in st's row (strings borrowed from the row). */
static void run_read(sqlite3_stmt *st, struct run_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, RUN_ID);
	r->kind = store_col_text(st, RUN_KIND);
	r->source = store_col_text(st, RUN_SOURCE);
	r->started_at = sqlite3_column_int64(st, RUN_STARTED_AT);
	r->finished_at = sqlite3_column_int64(st, RUN_FINISHED_AT);
	r->status = store_col_text(st, RUN_STATUS);
	r->counts.read = sqlite3_column_int64(st, RUN_READ);
	r->counts.kept = sqlite3_column_int64(st, RUN_KEPT);
	r->counts.skipped = sqlite3_column_int64(st, RUN_SKIPPED);
	r->counts.added = sqlite3_column_int64(st, RUN_ADDED);
	r->counts.updated = sqlite3_column_int64(st, RUN_UPDATED);
	r->counts.unchanged = sqlite3_column_int64(st, RUN_UNCHANGED);
	r->counts.errors = sqlite3_column_int64(st, RUN_ERRORS);
	r->message = store_col_text(st, RUN_MESSAGE);
}

/* The source's part in st's row (copied). */
static void run_source_read(sqlite3_stmt *st, struct run_source *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->started_at = sqlite3_column_int64(st, RS_STARTED_AT);
	rs->finished_at = sqlite3_column_int64(st, RS_FINISHED_AT);
	col_copy(st, RS_STATUS, rs->status, sizeof(rs->status));
	rs->pages = sqlite3_column_int64(st, RS_PAGES);
	rs->fetched = sqlite3_column_int64(st, RS_FETCHED);
	rs->matched = sqlite3_column_int64(st, RS_MATCHED);
	rs->added = sqlite3_column_int64(st, RS_ADDED);
	rs->updated = sqlite3_column_int64(st, RS_UPDATED);
	rs->unchanged = sqlite3_column_int64(st, RS_UNCHANGED);
	rs->errors = sqlite3_column_int64(st, RS_ERRORS);
	rs->warnings = sqlite3_column_int64(st, RS_WARNINGS);
	rs->deleted = sqlite3_column_int64(st, RS_DELETED);
	col_copy(st, RS_MESSAGE, rs->message, sizeof(rs->message));
	col_copy(st, RS_SOURCE, rs->source, sizeof(rs->source));
}

/* cb for each source of run r. */
static int each_run_source(struct store *s, const struct run_row *r, store_run_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *src = store_stmt(s, &q_run_sources, "cannot read runs", e);
	int rc, ret = -1;

	if (!src)
		return -1;
	sqlite3_bind_int64(src, 1, r->id);
	while ((rc = sqlite3_step(src)) == SQLITE_ROW) {
		struct run_source rs;

		run_source_read(src, &rs);
		if (cb(ctx, r, &rs, e) < 0)
			goto out;
	}
	/* as before: a failed step here ends the list of this run's sources */
	ret = 0;
out:
	store_stmt_done(src);
	return ret;
}

int store_foreach_run(struct store *s, int limit, store_run_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_runs, "cannot read runs", e);
	int rc, ret = -1;

	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_row r;

		run_read(st, &r);
		if (cb(ctx, &r, NULL, e) < 0 || each_run_source(s, &r, cb, ctx, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read runs");
out:
	store_stmt_done(st);
	return ret;
}

/* ---- the sources' state ---- */

enum { SST_SOURCE, SST_LAST_OK, SST_LAST_ERROR_AT, SST_LAST_ERROR, SST_CURSOR /* CUR_* from here */ };
static const struct store_sql q_source_status = {
	ST_SOURCE_STATUS,
	"SELECT r.source,"
	" (SELECT max(finished_at) FROM run_sources WHERE source = r.source AND status IN ('ok', 'empty', 'gap')),"
	" (SELECT finished_at FROM run_sources WHERE source = r.source AND message IS NOT NULL"
	"  ORDER BY started_at DESC LIMIT 1),"
	" (SELECT message FROM run_sources WHERE source = r.source AND message IS NOT NULL"
	"  ORDER BY started_at DESC LIMIT 1), " CURSOR_COLS
	" FROM (SELECT DISTINCT source FROM run_sources) r LEFT JOIN cursors c ON c.source = r.source"
	" ORDER BY r.source"};

int store_source_status(struct store *s, store_source_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_source_status, "cannot read the sources' status", e);
	int rc, ret = -1;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_source_state x;

		cursor_read(st, SST_CURSOR, &x.cursor);
		x.source = store_col_text(st, SST_SOURCE);
		x.last_ok = sqlite3_column_int64(st, SST_LAST_OK);
		x.last_error_at = sqlite3_column_int64(st, SST_LAST_ERROR_AT);
		x.last_error = store_col_text(st, SST_LAST_ERROR);
		if (cb(ctx, &x, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the sources' status");
out:
	store_stmt_done(st);
	return ret;
}
