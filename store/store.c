/*
 * store.c: the connection: the schema and its migrations, the statements
 * prepared once, transactions, and the helpers the other files of store/
 * share (internal.h).  The rest by concern: posts.c (the upsert, counts
 * from several sources, refresh, deletions, attribution), read.c (reading
 * posts back, for exports and reports), runs.c (runs, cursors, the
 * sources' state), review.c (content review), lock.c (the collection
 * lock).
 *
 * The statements of the upsert and the per-page writes are prepared once
 * per connection (internal.h, stmt_sql); the rest, run a few times a
 * command, are prepared where they run.  Writes happen inside
 * transactions the caller opens (a batch of lines, a page of results), so
 * a killed run leaves the database as it was after the last commit.
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
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return SCHEMA_VERSION;
}



static const char *const stmt_sql[ST_N] = {
	[ST_INSERT] = ("INSERT INTO posts (platform, post_id, url, author_id, author_name,"
		      " author_location, ip_location, created_at, title, text, topics, " COUNT_COLS ","
		      " lower_bounds, district, district_code, in_chongqing, attribution_method,"
		      " attribution_confidence, attribution_evidence, first_seen, last_seen, cover_url, media,"
		      " count_src)"
		      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
		      "?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29)"
		      " ON CONFLICT (platform, post_id) DO NOTHING"),
	[ST_SELECT] = ("SELECT id, url, author_id, author_name, author_location, ip_location,"
		      " created_at, title, text, topics, " COUNT_COLS ","
		      " lower_bounds, district, district_code, in_chongqing, attribution_method,"
		      " attribution_confidence, attribution_evidence, cover_url, media, count_src"
		      " FROM posts WHERE platform = ?1 AND post_id = ?2"),
	[ST_UPDATE] = ("UPDATE posts SET url = ?3, author_id = ?4, author_name = ?5,"
		      " author_location = ?6, ip_location = ?7, created_at = ?8, title = ?9,"
		      " text = ?10, topics = ?11, views = ?12, likes = ?13, comments = ?14,"
		      " shares = ?15, favorites = ?16, coins = ?17, lower_bounds = ?18, district = ?19,"
		      " district_code = ?20, in_chongqing = ?21, attribution_method = ?22,"
		      " attribution_confidence = ?23, attribution_evidence = ?24, last_seen = ?26,"
		      " cover_url = ?27, media = ?28, count_src = ?29"
		      " WHERE platform = ?1 AND post_id = ?2"),
	[ST_TAG_INSERT] = ("INSERT INTO post_tags (post, kind, pos, tag) VALUES (?1, ?2, ?3, ?4)"),
	[ST_TAG_SELECT] = ("SELECT kind, tag FROM post_tags WHERE post = ?1 ORDER BY kind, pos"),
	[ST_TAG_DELETE] = ("DELETE FROM post_tags WHERE post = ?1"),
	[ST_SNAPSHOT] = ("INSERT OR REPLACE INTO snapshots (post, observed_at, refused, " COUNT_COLS ","
			" lower_bounds, source) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"),
	[ST_CURSOR_PUT] = ("INSERT OR REPLACE INTO cursors (source, high_water, pass_active, pass_mode,"
			   " pass_next, pass_floor, pass_max_seen, updated_at, pass_min_seen, gap_lo, gap_hi,"
			   " gap_next, gap_capped, gap_since, backfill_at, backfill_since, backfill_until, bf_next,"
			   " bf_since, bf_until) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
			   "?18,?19,?20)"),
	[ST_RUN_SOURCE_PUT] = ("INSERT OR REPLACE INTO run_sources (run, source, started_at, finished_at,"
			       " status, pages, fetched, matched, added, updated, unchanged, errors,"
			       " message, warnings, deleted) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)"),
	[ST_TEXTS] = ("SELECT title, substr(text, 1, 60), url FROM posts WHERE id = ?1"),
	[ST_SOURCE_ID] = ("SELECT id FROM sources WHERE name = ?1"),
	[ST_SOURCE_ADD] = ("INSERT INTO sources (name) VALUES (?1)"),
	[ST_MARK_DELETED] = ("UPDATE posts SET deleted_at = ?3 WHERE platform = ?1 AND post_id = ?2"
			     " AND deleted_at IS NULL"),
	[ST_PUT_COUNTS] = ("UPDATE posts SET views = ?2, likes = ?3, comments = ?4, shares = ?5, favorites = ?6,"
			   " coins = ?7, lower_bounds = ?8, count_src = ?9, refreshed_at = ?10,"
			   " last_seen = CASE WHEN ?11 THEN ?10 ELSE last_seen END WHERE id = ?1"),
	[ST_REFUSED_LAST] = ("SELECT " COUNT_COLS ", lower_bounds FROM snapshots WHERE post = ?1 AND refused = ?2"
			     " ORDER BY observed_at DESC LIMIT 1"),
};



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

static int user_version(struct store *s, int *v, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read schema version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_db_error(s, e, "cannot read schema version");
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
	for (int i = 0; i < ST_N; i++)
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
				       NULL) != SQLITE_OK) {
			store_db_error(s, e, "cannot prepare statement");
			goto fail;
		}
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
	for (int i = 0; i < ST_N; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	kbuf_release(&s->scratch);
	free(s->path);
	free(s);
}

int store_bulk(struct store *s, int on, struct kerr *e)
{
	/* Many small transactions (a page each) rewrite the same index pages;
	 * checkpointing less often copies each of them back once, not once
	 * per commit.  Off again: checkpoint now so the WAL does not linger. */
	if (on)
		return store_exec(s, "PRAGMA wal_autocheckpoint = 20000", e);
	if (store_exec(s, "PRAGMA wal_autocheckpoint = 1000", e) < 0)
		return -1;
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 0;
}

int store_begin(struct store *s, struct kerr *e)
{
	return store_exec(s, "BEGIN IMMEDIATE", e);
}

int store_commit(struct store *s, struct kerr *e)
{
	return store_exec(s, "COMMIT", e);
}

void store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->source[0] = '\0';
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

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, what);
	return 0;
}
