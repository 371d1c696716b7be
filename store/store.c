/*
 * store.c: the connection: the schema and its migrations, the statements
 * prepared once, transactions, and the helpers the other files of store/
 * share (internal.h).  The rest by concern: posts.c (the upsert, counts
 * from several sources, refresh, deletions, attribution), read.c (reading
 * posts back, for exports and reports), runs.c (runs, cursors, the
 * sources' state), review.c (content review), lock.c (the collection
 * lock).
 *
 * Every statement run more than once is prepared once per connection, on
 * first use, and finalized by store_close() (internal.h, store_stmt()).
 * Writes happen inside transactions the caller opens (a batch of lines, a
 * page of results), so a killed run leaves the database as it was after
 * the last commit.
 */
#include "store.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "../util/clock.h"
#include "../util/buf.h"
#include "../util/jsonw.h"
#include "../util/timefmt.h"



/*
 * Migrations: migrations[i] takes the schema from version i to i + 1: its
 * SQL, then (when a step must compute something SQL cannot) its C step,
 * then the rest of its SQL, all in one transaction.  Never edit a
 * released step; add a new one.
 */
struct migration {
	const char *sql;
	int (*step)(struct store *s, struct kerr *e);
	const char *sql_after;
};

static const struct migration migrations[] = {
	/* 0 -> 1 */
	{"CREATE TABLE posts ("
	"  id INTEGER PRIMARY KEY,"
	"  platform TEXT NOT NULL, post_id TEXT NOT NULL,"
	"  url TEXT, author_id TEXT, author_name TEXT, author_location TEXT, ip_location TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  title TEXT, text TEXT, topics TEXT,"
	"  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,"
	"  lower_bounds INTEGER NOT NULL DEFAULT 0,"
	"  district TEXT, district_code TEXT, in_chongqing INTEGER,"
	"  attribution_method TEXT NOT NULL DEFAULT 'none', attribution_confidence REAL,"
	"  attribution_evidence TEXT,"
	"  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	"  UNIQUE (platform, post_id));"
	"CREATE INDEX posts_by_created ON posts(created_at);"
	"CREATE TABLE post_tags (post INTEGER NOT NULL, kind INTEGER NOT NULL,"
	"  pos INTEGER NOT NULL, tag TEXT NOT NULL,"
	"  PRIMARY KEY (post, kind, pos)) WITHOUT ROWID;"
	"CREATE TABLE snapshots (post INTEGER NOT NULL, observed_at INTEGER NOT NULL,"
	"  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,"
	"  lower_bounds INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (post, observed_at)) WITHOUT ROWID;"
	"CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, source TEXT,"
	"  started_at INTEGER NOT NULL, finished_at INTEGER, status TEXT NOT NULL DEFAULT 'running',"
	"  read INTEGER NOT NULL DEFAULT 0, kept INTEGER NOT NULL DEFAULT 0,"
	"  skipped INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0, message TEXT);", NULL, NULL},
	/* 1 -> 2: manual district corrections, which re-collection and
	 * re-attribution never overwrite */
	{"CREATE TABLE district_overrides (platform TEXT NOT NULL, post_id TEXT NOT NULL,"
	"  district_code TEXT NOT NULL, district TEXT NOT NULL, note TEXT,"
	"  set_at INTEGER NOT NULL, PRIMARY KEY (platform, post_id)) WITHOUT ROWID;", NULL, NULL},
	/* 2 -> 3: collection from platforms: each source's position, and what
	 * each run did per source */
	{"CREATE TABLE cursors (source TEXT PRIMARY KEY, high_water INTEGER NOT NULL DEFAULT 0,"
	"  pass_active INTEGER NOT NULL DEFAULT 0, pass_mode TEXT, pass_next TEXT,"
	"  pass_floor INTEGER NOT NULL DEFAULT 0, pass_max_seen INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE run_sources (run INTEGER NOT NULL, source TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL, finished_at INTEGER, status TEXT NOT NULL DEFAULT 'running',"
	"  pages INTEGER NOT NULL DEFAULT 0, fetched INTEGER NOT NULL DEFAULT 0,"
	"  matched INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,"
	"  updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0, message TEXT, PRIMARY KEY (run, source));"
	"CREATE INDEX runs_by_start ON runs(started_at);", NULL, NULL},
	/* 3 -> 4: a unit's report page reads its posts without a full scan */
	{"CREATE INDEX posts_by_district ON posts(district_code, created_at);", NULL, NULL},
	/* 4 -> 5: content review (store/review.c): an append-only log of
	 * decisions, whose last row per post is its state, and the flags the
	 * flag rules found in each post */
	{"CREATE TABLE review_log (id INTEGER PRIMARY KEY, platform TEXT NOT NULL,"
	"  post_id TEXT NOT NULL, at INTEGER NOT NULL, \"by\" TEXT NOT NULL,"
	"  from_state TEXT NOT NULL, to_state TEXT NOT NULL, note TEXT);"
	"CREATE INDEX review_log_by_post ON review_log(platform, post_id, id);"
	"CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log"
	"  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never edited'); END;"
	"CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log"
	"  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never deleted'); END;"
	"CREATE TABLE post_flags (platform TEXT NOT NULL, post_id TEXT NOT NULL,"
	"  rule TEXT NOT NULL, reason TEXT, match TEXT NOT NULL, set_at INTEGER NOT NULL,"
	"  PRIMARY KEY (platform, post_id, rule, match)) WITHOUT ROWID;", NULL, NULL},
	/* 5 -> 6: the review log's guards against rewriting from outside kepu.
	 * REPLACE (or INSERT OR REPLACE) deletes the row it conflicts with
	 * without firing DELETE triggers, so an insert may neither reuse an
	 * existing id nor land below the newest one.  And a hash chain: each
	 * row carries the previous row's hash and its own over its content
	 * (store_review_verify), so an edit by someone who drops the triggers
	 * is detected.  The C step chains the rows already there. */
	{"ALTER TABLE review_log ADD COLUMN prev_hash TEXT;"
	 "ALTER TABLE review_log ADD COLUMN hash TEXT;"
	 "DROP TRIGGER review_log_no_update;",
	 review_chain_existing,
	 "CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log"
	 "  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never edited'); END;"
	 /* NEW.id is -1 in a BEFORE INSERT trigger when the id is not given */
	 "CREATE TRIGGER review_log_no_replace BEFORE INSERT ON review_log"
	 "  WHEN NEW.id <> -1 AND EXISTS (SELECT 1 FROM review_log WHERE id = NEW.id)"
	 "  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision is never replaced'); END;"
	 "CREATE TRIGGER review_log_ids_grow AFTER INSERT ON review_log"
	 "  WHEN NEW.id < 1 OR EXISTS (SELECT 1 FROM review_log WHERE id > NEW.id)"
	 "  BEGIN SELECT RAISE(ABORT, 'review_log is append-only: a decision id is never reused'); END;"},
	/* 6 -> 7: what the adapters see of a work beyond its text (its
	 * picture, its kind), and the items a run kept with a warning */
	{"ALTER TABLE posts ADD COLUMN cover_url TEXT;"
	 "ALTER TABLE posts ADD COLUMN media TEXT;"
	 "ALTER TABLE run_sources ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;",
	 NULL, NULL},
	/* 7 -> 8: Bilibili's coins, a sixth count; and whose counts they are.
	 * posts.count_src holds, per count, the id (in `sources`) of the
	 * source that last raised it (10 bits per count, 0: not known, as for
	 * every count stored before); only that source may lower it.
	 * Snapshots gain the source of the observation and a key that keeps
	 * sources apart: refused = 0 is the post's stored state at the end of
	 * that second, refused = a source's id is that source's values that
	 * were not taken.  The table is rebuilt for its new key. */
	{"ALTER TABLE posts ADD COLUMN coins INTEGER;"
	 "ALTER TABLE posts ADD COLUMN count_src INTEGER NOT NULL DEFAULT 0;"
	 "CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
	 "CREATE TABLE snapshots8 (post INTEGER NOT NULL, observed_at INTEGER NOT NULL,"
	 "  refused INTEGER NOT NULL DEFAULT 0,"
	 "  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,"
	 "  coins INTEGER, lower_bounds INTEGER NOT NULL DEFAULT 0, source INTEGER NOT NULL DEFAULT 0,"
	 "  PRIMARY KEY (post, observed_at, refused)) WITHOUT ROWID;"
	 "INSERT INTO snapshots8 (post, observed_at, views, likes, comments, shares, favorites, lower_bounds)"
	 "  SELECT post, observed_at, views, likes, comments, shares, favorites, lower_bounds FROM snapshots;"
	 "DROP TABLE snapshots;"
	 "ALTER TABLE snapshots8 RENAME TO snapshots;",
	 NULL, NULL},
	/* 8 -> 9: a pass is complete only at its floor: what a pass cut short
	 * left unread (the gap), and the last complete backfill */
	{"ALTER TABLE cursors ADD COLUMN pass_min_seen INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN gap_lo INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN gap_hi INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN gap_next TEXT;"
	 "ALTER TABLE cursors ADD COLUMN gap_capped INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN gap_since INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN backfill_at INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN backfill_since INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN backfill_until INTEGER NOT NULL DEFAULT 0;",
	 NULL, NULL},
	/* 9 -> 10: refresh: when a post's counts were last re-read from its
	 * detail page, and when the platform said it is gone */
	{"ALTER TABLE posts ADD COLUMN refreshed_at INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE posts ADD COLUMN deleted_at INTEGER;"
	 "ALTER TABLE run_sources ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;",
	 NULL, NULL},
	/* 10 -> 11: a backfill longer than max_pages survives the normal runs
	 * between its own */
	{"ALTER TABLE cursors ADD COLUMN bf_next TEXT;"
	 "ALTER TABLE cursors ADD COLUMN bf_since INTEGER NOT NULL DEFAULT 0;"
	 "ALTER TABLE cursors ADD COLUMN bf_until INTEGER NOT NULL DEFAULT 0;",
	 NULL, NULL},
	/* 11 -> 12: accounts and sessions of the web workspace (users.c).
	 * A session's key is the SHA-256 of its id, never the id. */
	{"CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, unit_code TEXT,"
	 "  pwhash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
	 "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	 "  CHECK ((role = 'district') = (unit_code IS NOT NULL))) WITHOUT ROWID;"
	 "CREATE TABLE sessions (id_hash TEXT PRIMARY KEY,"
	 "  user TEXT NOT NULL REFERENCES users(name), csrf TEXT NOT NULL,"
	 "  created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID;"
	 "CREATE INDEX sessions_by_user ON sessions(user);"
	 "CREATE INDEX sessions_by_last_seen ON sessions(last_seen);"
	 "CREATE TABLE login_failures (user TEXT NOT NULL, address TEXT NOT NULL, at INTEGER NOT NULL);"
	 "CREATE INDEX login_failures_by_key ON login_failures(user, address, at);"
	 "CREATE INDEX login_failures_by_at ON login_failures(at);",
	 NULL, NULL},
	/* 12 -> 13: who corrected an attribution, kept like the review log:
	 * every manual correction and district claim is a row never edited,
	 * deleted or replaced (district_overrides keeps the current one).
	 * The corrections made before start the log, by nobody known. */
	{"CREATE TABLE corrections (id INTEGER PRIMARY KEY, platform TEXT NOT NULL,"
	 "  post_id TEXT NOT NULL, at INTEGER NOT NULL, by TEXT, from_code TEXT,"
	 "  to_code TEXT NOT NULL, to_name TEXT NOT NULL, note TEXT);"
	 "CREATE INDEX corrections_by_post ON corrections(platform, post_id);"
	 "INSERT INTO corrections (platform, post_id, at, by, from_code, to_code, to_name, note)"
	 "  SELECT platform, post_id, set_at, NULL, NULL, district_code, district, note"
	 "  FROM district_overrides ORDER BY set_at;"
	 "CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections"
	 "  BEGIN SELECT RAISE(ABORT, 'corrections are append-only: a correction is never edited'); END;"
	 "CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections"
	 "  BEGIN SELECT RAISE(ABORT, 'corrections are append-only: a correction is never deleted'); END;"
	 "CREATE TRIGGER corrections_no_replace BEFORE INSERT ON corrections"
	 "  WHEN NEW.id <> -1 AND EXISTS (SELECT 1 FROM corrections WHERE id = NEW.id)"
	 "  BEGIN SELECT RAISE(ABORT, 'corrections are append-only: a correction is never replaced'); END;",
	 NULL, NULL},
	/* 13 -> 14: the registry of official accounts that districts keep in
	 * the web workspace (accounts.c), beside the config's; a removed one
	 * keeps its row, marked */
	{"CREATE TABLE accounts (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, author_id TEXT,"
	 "  author_name TEXT, unit_code TEXT NOT NULL, note TEXT, added_by TEXT, added_at INTEGER NOT NULL,"
	 "  removed_by TEXT, removed_at INTEGER,"
	 "  CHECK ((author_id IS NULL) <> (author_name IS NULL)));",
	 NULL, NULL},
	/* 14 -> 15: an editor's title for the showcase, given with a feature
	 * decision (review.c hashes a row with a title as "v2") */
	{"ALTER TABLE review_log ADD COLUMN title TEXT;", NULL, NULL},
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return SCHEMA_VERSION;
}



int store_db_error(struct store *s, struct kerr *e, const char *what)
{
	return kerr_set(e, KERR_DB, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int store_exec(struct store *s, const char *sql, struct kerr *e)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kerr_set(e, KERR_DB, "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static const struct store_sql q_user_version = {ST_USER_VERSION, "PRAGMA user_version"};
enum { UV_COL_VERSION };

static int user_version(struct store *s, int *v, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_user_version, "cannot read schema version", e);
	int rc;

	*v = 0;
	if (!st)
		return -1;
	if ((rc = store_step_row(s, st, e, "cannot read schema version")) < 0)
		return -1;
	if (rc == 0)
		return kerr_set(e, KERR_DB, "%s: cannot read schema version", s->path);
	*v = sqlite3_column_int(st, UV_COL_VERSION);
	store_stmt_done(st);
	return 0;
}

/* Finalize every cached statement (before the connection closes). */
static void finalize_all(struct store *s)
{
	for (int i = 0; i < ST_N; i++) {
		sqlite3_finalize(s->st[i]);
		s->st[i] = NULL;
	}
}

/* Bring the schema to SCHEMA_VERSION, one step per transaction.  BEGIN
 * IMMEDIATE so two processes opening a new file do not both migrate. */
static int migrate(struct store *s, struct kerr *e)
{
	int v = 0;

	for (;;) {
		char sql[64];

		if (store_exec(s, "BEGIN IMMEDIATE", e) < 0)
			return -1;
		if (user_version(s, &v, e) < 0)
			goto fail;
		if (v > SCHEMA_VERSION) {
			kerr_set(e, KERR_DB,
				 "%s: schema version %d is newer than this kepu understands (%d); "
				 "use a newer kepu",
				 s->path, v, SCHEMA_VERSION);
			goto fail;
		}
		if (v == SCHEMA_VERSION)
			return store_exec(s, "COMMIT", e);
		if (store_exec(s, migrations[v].sql, e) < 0 || (migrations[v].step && migrations[v].step(s, e) < 0) ||
		    (migrations[v].sql_after && store_exec(s, migrations[v].sql_after, e) < 0)) {
			kerr_prefix(e, "migration to schema version %d", v + 1);
			goto fail;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_exec(s, sql, e) < 0 || store_exec(s, "COMMIT", e) < 0)
			goto fail;
	}
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* A read-only database (the file or its directory not writable: an
 * analyst's copy): no journal mode change, no migration.  A WAL database
 * needs its -shm file, which nobody may be able to create here: then it
 * is opened immutable (SQLite then reads the main file alone, which is
 * the whole database once kepu closed it cleanly). */
static int open_readonly(struct store *s, struct kerr *e)
{
	char uri[PATH_MAX * 3 + 32];
	size_t o;
	int v = 0;

	if (store_exec(s, "PRAGMA cache_size = -16384", e) < 0 || user_version(s, &v, e) < 0) {
		int rc = sqlite3_extended_errcode(s->db);
		if (rc != SQLITE_CANTOPEN && (rc & 0xff) != SQLITE_READONLY && (rc & 0xff) != SQLITE_CANTOPEN)
			return -1;
		finalize_all(s);
		sqlite3_close(s->db);
		s->db = NULL;
		o = (size_t)snprintf(uri, sizeof(uri), "file:");
		for (const unsigned char *p = (const unsigned char *)s->path; *p && o + 4 < sizeof(uri); p++)
			o += (size_t)(strchr("%?#", *p) || *p < 0x21 ? snprintf(uri + o, sizeof(uri) - o, "%%%02X", *p)
								   : snprintf(uri + o, sizeof(uri) - o, "%c", *p));
		snprintf(uri + o, sizeof(uri) - o, "?immutable=1");
		kerr_clear(e);
		if (sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK)
			return kerr_set(e, KERR_DB, "cannot open database %s: %s", s->path,
					s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_extended_result_codes(s->db, 1);
		if (store_exec(s, "PRAGMA cache_size = -16384", e) < 0 || user_version(s, &v, e) < 0)
			return -1;
	}
	if (v > SCHEMA_VERSION)
		return kerr_set(e, KERR_DB, "%s: schema version %d is newer than this kepu understands (%d); use a newer kepu",
				s->path, v, SCHEMA_VERSION);
	if (v < SCHEMA_VERSION)
		return kerr_set(e, KERR_DB,
				"%s: schema version %d is older than this kepu's (%d) and the database is read-only here; "
				"run 'kepu init' once with write access to upgrade it",
				s->path, v, SCHEMA_VERSION);
	return 0;
}

int store_open(struct store **out, const char *path, struct kerr *e)
{
	struct store *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	s->path = strdup(path);
	kbuf_init(&s->scratch, 64 * 1024 * 1024);
	kbuf_init(&s->row, 64 * 1024 * 1024);
	if (!s->path) {
		free(s);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	if (sqlite3_open_v2(path, &s->db,
			    /* one thread at a time per struct store (store.h): no per-call mutexes */
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		kerr_set(e, KERR_DB, "cannot open database %s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		if (open_readonly(s, e) < 0)
			goto fail;
		sqlite3_busy_timeout(s->db, 10000);
	} else if (store_exec(s, "PRAGMA journal_mode = WAL", e) < 0 ||
	    store_exec(s, "PRAGMA synchronous = NORMAL", e) < 0 ||
	    store_exec(s, "PRAGMA foreign_keys = ON", e) < 0 ||
	    store_exec(s, "PRAGMA cache_size = -16384", e) < 0 || migrate(s, e) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	finalize_all(s);
	sqlite3_close(s->db);
	kbuf_release(&s->scratch);
	kbuf_release(&s->row);
	free(s->path);
	free(s);
}

int store_bulk(struct store *s, int mode, struct kerr *e)
{
	/* Many small transactions (a page each) rewrite the same index pages;
	 * checkpointing less often copies each of them back once, not once
	 * per commit.  A large transaction (an import's) dirties more pages
	 * than the usual cache holds: spilled to the WAL before the commit,
	 * they are written twice, and the random index pages they go into
	 * are read back again and again.  Its checkpoints stay as they are:
	 * one after each commit, when the pages are fresh, and the WAL starts
	 * over rather than growing.  Off again: checkpoint now so the WAL
	 * does not linger. */
	if (mode == STORE_BULK_PAGES)
		return store_exec(s, "PRAGMA wal_autocheckpoint = 20000", e);
	if (mode == STORE_BULK_LOAD)
		return store_exec(s, "PRAGMA cache_size = -65536", e);
	if (store_exec(s, "PRAGMA wal_autocheckpoint = 1000; PRAGMA cache_size = -16384", e) < 0)
		return -1;
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 0;
}

static const struct store_sql q_begin = {ST_BEGIN, "BEGIN IMMEDIATE"};
static const struct store_sql q_commit = {ST_COMMIT, "COMMIT"};
static const struct store_sql q_rollback = {ST_ROLLBACK, "ROLLBACK"};

int store_exec_once(struct store *s, const struct store_sql *q, const char *prepare_msg, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, q, prepare_msg, e);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		kerr_set(e, KERR_DB, "%s: %s", s->path, sqlite3_errmsg(s->db));
	store_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_begin(struct store *s, struct kerr *e)
{
	return store_exec_once(s, &q_begin, "cannot prepare a transaction statement", e);
}

int store_commit(struct store *s, struct kerr *e)
{
	return store_exec_once(s, &q_commit, "cannot prepare a transaction statement", e);
}

void store_rollback(struct store *s)
{
	struct kerr ignored;

	/* nothing to roll back (a failed BEGIN, an automatic rollback) is fine */
	if (!sqlite3_get_autocommit(s->db))
		store_exec_once(s, &q_rollback, "cannot prepare a transaction statement", &ignored);
	s->source[0] = '\0';
}

/* ---- statements ---- */

sqlite3_stmt *store_stmt_text(struct store *s, enum stmt_id id, const char *text, const char *what,
			      struct kerr *e)
{
	sqlite3_stmt **st = &s->st[id];

	if (!*st) {
		if (sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
			*st = NULL;
			store_db_error(s, e, what);
			return NULL;
		}
	} else if (sqlite3_stmt_busy(*st)) {
		kerr_set(e, KERR_DB, "%s: %s: a statement is used again before its last use ended", s->path, what);
		return NULL;
	}
	return *st;
}

sqlite3_stmt *store_stmt(struct store *s, const struct store_sql *q, const char *what, struct kerr *e)
{
	return store_stmt_text(s, q->id, q->text, what, e);
}

void store_stmt_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

unsigned store_col_counts(sqlite3_stmt *st, int first, int64_t *c)
{
	unsigned known = 0;

	for (int i = 0; i < PC_N; i++) {
		c[i] = sqlite3_column_int64(st, first + i);
		if (sqlite3_column_type(st, first + i) != SQLITE_NULL)
			known |= 1u << i;
	}
	return known;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int store_step_done(struct store *s, sqlite3_stmt *st, struct kerr *e, const char *what)
{
	int rc = sqlite3_step(st);

	/* the message before the reset, which may replace it */
	if (rc != SQLITE_DONE)
		store_db_error(s, e, what);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_step_row(struct store *s, sqlite3_stmt *st, struct kerr *e, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		store_db_error(s, e, what);
	store_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
