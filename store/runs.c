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

int store_run_begin(struct store *s, const char *kind, const char *source, int64_t started,
		    int64_t *run_id, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "INSERT INTO runs (kind, source, started_at) VALUES (?1,?2,?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record run");
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, source);
	sqlite3_bind_int64(st, 3, started);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot record run");
	*run_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_run_finish(struct store *s, int64_t run_id, const struct run_counts *c,
		     const char *status, const char *message, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE runs SET finished_at = ?2, status = ?3, read = ?4, kept = ?5,"
			       " skipped = ?6, added = ?7, updated = ?8, unchanged = ?9, errors = ?10,"
			       " message = ?11 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record run");
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, kclock_now());
	store_bind_text(st, 3, status);
	sqlite3_bind_int64(st, 4, c->read);
	sqlite3_bind_int64(st, 5, c->kept);
	sqlite3_bind_int64(st, 6, c->skipped);
	sqlite3_bind_int64(st, 7, c->added);
	sqlite3_bind_int64(st, 8, c->updated);
	sqlite3_bind_int64(st, 9, c->unchanged);
	sqlite3_bind_int64(st, 10, c->errors);
	store_bind_text(st, 11, message);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot record run");
}

int store_run_progress(struct store *s, int64_t run_id, const struct run_counts *c, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE runs SET read = ?2, kept = ?3, skipped = ?4, added = ?5, updated = ?6,"
			       " unchanged = ?7, errors = ?8 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record run");
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, c->read);
	sqlite3_bind_int64(st, 3, c->kept);
	sqlite3_bind_int64(st, 4, c->skipped);
	sqlite3_bind_int64(st, 5, c->added);
	sqlite3_bind_int64(st, 6, c->updated);
	sqlite3_bind_int64(st, 7, c->unchanged);
	sqlite3_bind_int64(st, 8, c->errors);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot record run");
}

/* The cursor columns, in the order cursor_read() takes them. */
#define CURSOR_COLS                                                                                    \
	"high_water, pass_active, pass_mode, pass_next, pass_floor, pass_max_seen, pass_min_seen,"    \
	" gap_lo, gap_hi, gap_next, gap_capped, gap_since, backfill_at, backfill_since, backfill_until,"         \
	" bf_next, bf_since, bf_until"

static void cursor_read(sqlite3_stmt *st, int col, struct store_cursor *c)
{
	const char *mode = (const char *)sqlite3_column_text(st, col + 2);
	const char *next = (const char *)sqlite3_column_text(st, col + 3);
	const char *gap_next = (const char *)sqlite3_column_text(st, col + 9);

	memset(c, 0, sizeof(*c));
	c->high_water = sqlite3_column_int64(st, col);
	c->pass_active = sqlite3_column_int(st, col + 1);
	snprintf(c->pass_mode, sizeof(c->pass_mode), "%s", mode ? mode : "");
	snprintf(c->pass_next, sizeof(c->pass_next), "%s", next ? next : "");
	c->pass_floor = sqlite3_column_int64(st, col + 4);
	c->pass_max_seen = sqlite3_column_int64(st, col + 5);
	c->pass_min_seen = sqlite3_column_int64(st, col + 6);
	c->gap_lo = sqlite3_column_int64(st, col + 7);
	c->gap_hi = sqlite3_column_int64(st, col + 8);
	snprintf(c->gap_next, sizeof(c->gap_next), "%s", gap_next ? gap_next : "");
	c->gap_capped = sqlite3_column_int(st, col + 10);
	c->gap_since = sqlite3_column_int64(st, col + 11);
	c->backfill_at = sqlite3_column_int64(st, col + 12);
	c->backfill_since = sqlite3_column_int64(st, col + 13);
	c->backfill_until = sqlite3_column_int64(st, col + 14);
	{
		const char *bf = (const char *)sqlite3_column_text(st, col + 15);
		snprintf(c->bf_next, sizeof(c->bf_next), "%s", bf ? bf : "");
	}
	c->bf_since = sqlite3_column_int64(st, col + 16);
	c->bf_until = sqlite3_column_int64(st, col + 17);
}

int store_cursor_get(struct store *s, const char *source, struct store_cursor *c, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	if (sqlite3_prepare_v2(s->db, "SELECT " CURSOR_COLS " FROM cursors WHERE source = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return store_db_error(s, e, "cannot read the cursor");
	store_bind_text(st, 1, source);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cursor_read(st, 0, c);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the cursor");
}

int store_cursor_put(struct store *s, const char *source, const struct store_cursor *c, int64_t now,
		     struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_CURSOR_PUT];

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

int store_run_source_put(struct store *s, int64_t run_id, const char *source,
			 const struct run_source *r, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_RUN_SOURCE_PUT];

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

int store_source_streak(struct store *s, const char *source, const char *kind, long *failed, int64_t *since,
			struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	*failed = 0;
	*since = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT x.status, x.started_at FROM run_sources x JOIN runs r ON r.id = x.run"
			       " WHERE x.source = ?1 AND x.status <> 'interrupted' AND (?2 IS NULL OR r.kind = ?2)"
			       " ORDER BY x.started_at DESC, x.run DESC LIMIT 10000",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read runs");
	store_bind_text(st, 1, source);
	store_bind_text(st, 2, kind);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		if (!status || strcmp(status, "failed"))
			break;
		(*failed)++;
		*since = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read runs");
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

int store_foreach_run(struct store *s, int limit, store_run_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st, *src;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, kind, source, started_at, finished_at, status, read, kept,"
			       " skipped, added, updated, unchanged, errors, message FROM runs"
			       " ORDER BY started_at DESC, id DESC LIMIT ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read runs");
	if (sqlite3_prepare_v2(s->db,
			       "SELECT source, started_at, finished_at, status, pages, fetched, matched,"
			       " added, updated, unchanged, errors, message, warnings, deleted FROM run_sources"
			       " WHERE run = ?1 ORDER BY source",
			       -1, &src, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_db_error(s, e, "cannot read runs");
	}
	sqlite3_bind_int(st, 1, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_row r;
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.kind = (const char *)sqlite3_column_text(st, 1);
		r.source = (const char *)sqlite3_column_text(st, 2);
		r.started_at = sqlite3_column_int64(st, 3);
		r.finished_at = sqlite3_column_int64(st, 4);
		r.status = (const char *)sqlite3_column_text(st, 5);
		r.counts.read = sqlite3_column_int64(st, 6);
		r.counts.kept = sqlite3_column_int64(st, 7);
		r.counts.skipped = sqlite3_column_int64(st, 8);
		r.counts.added = sqlite3_column_int64(st, 9);
		r.counts.updated = sqlite3_column_int64(st, 10);
		r.counts.unchanged = sqlite3_column_int64(st, 11);
		r.counts.errors = sqlite3_column_int64(st, 12);
		r.message = (const char *)sqlite3_column_text(st, 13);
		if (cb(ctx, &r, NULL, e) < 0)
			goto out;
		sqlite3_bind_int64(src, 1, r.id);
		while ((rc = sqlite3_step(src)) == SQLITE_ROW) {
			struct run_source rs;
			const char *name = (const char *)sqlite3_column_text(src, 0);
			const char *status = (const char *)sqlite3_column_text(src, 3);
			const char *msg = (const char *)sqlite3_column_text(src, 11);
			memset(&rs, 0, sizeof(rs));
			rs.started_at = sqlite3_column_int64(src, 1);
			rs.finished_at = sqlite3_column_int64(src, 2);
			snprintf(rs.status, sizeof(rs.status), "%s", status ? status : "");
			rs.pages = sqlite3_column_int64(src, 4);
			rs.fetched = sqlite3_column_int64(src, 5);
			rs.matched = sqlite3_column_int64(src, 6);
			rs.added = sqlite3_column_int64(src, 7);
			rs.updated = sqlite3_column_int64(src, 8);
			rs.unchanged = sqlite3_column_int64(src, 9);
			rs.errors = sqlite3_column_int64(src, 10);
			rs.warnings = sqlite3_column_int64(src, 12);
			rs.deleted = sqlite3_column_int64(src, 13);
			snprintf(rs.message, sizeof(rs.message), "%s", msg ? msg : "");
			snprintf(rs.source, sizeof(rs.source), "%s", name ? name : "");
			if (cb(ctx, &r, &rs, e) < 0) {
				sqlite3_reset(src);
				goto out;
			}
		}
		sqlite3_reset(src);
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read runs");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(src);
	return ret;
}

int store_source_status(struct store *s, store_source_cb cb, void *ctx, struct kerr *e)
{
	static const char sql[] =
		"SELECT r.source,"
		" (SELECT max(finished_at) FROM run_sources WHERE source = r.source AND status IN ('ok', 'empty', 'gap')),"
		" (SELECT finished_at FROM run_sources WHERE source = r.source AND message IS NOT NULL"
		"  ORDER BY started_at DESC LIMIT 1),"
		" (SELECT message FROM run_sources WHERE source = r.source AND message IS NOT NULL"
		"  ORDER BY started_at DESC LIMIT 1), " CURSOR_COLS
		" FROM (SELECT DISTINCT source FROM run_sources) r LEFT JOIN cursors c ON c.source = r.source"
		" ORDER BY r.source";
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read the sources' status");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_source_state x;

		cursor_read(st, 4, &x.cursor);
		x.source = (const char *)sqlite3_column_text(st, 0);
		x.last_ok = sqlite3_column_int64(st, 1);
		x.last_error_at = sqlite3_column_int64(st, 2);
		x.last_error = (const char *)sqlite3_column_text(st, 3);
		if (cb(ctx, &x, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the sources' status");
out:
	sqlite3_finalize(st);
	return ret;
}
