/*
 * store.c: schema, migrations, the upsert with engagement snapshots, runs,
 * the read-back iterator and the collection lock.
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


/* Tag kinds in post_tags. */
enum { TAG_HASHTAG = 0, TAG_CAMPAIGN = 1 };

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
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return SCHEMA_VERSION;
}



/* The count columns, in enum post_count's order. */
#define COUNT_COLS "views, likes, comments, shares, favorites, coins"
_Static_assert(PC_N == 6, "COUNT_COLS names every count");

/* The parameters of ST_INSERT and ST_UPDATE, by number (the SQL below
 * spells the same numbers). */
enum {
	P_PLATFORM = 1, P_POST_ID, P_URL, P_AUTHOR_ID, P_AUTHOR_NAME, P_AUTHOR_LOCATION,
	P_IP_LOCATION, P_CREATED_AT, P_TITLE, P_TEXT, P_TOPICS,
	P_COUNTS, /* PC_N of them */
	P_LOWER = P_COUNTS + PC_N, P_ATTRIBUTION /* 6: bind_attribution() */,
	P_FIRST_SEEN = P_ATTRIBUTION + 6, P_LAST_SEEN, P_COVER_URL, P_MEDIA, P_COUNT_SRC
};
_Static_assert(P_COUNT_SRC == 29, "the SQL of ST_INSERT and ST_UPDATE numbers its parameters so");

/* The columns of ST_SELECT, by position. */
enum {
	S_ID, S_URL, S_AUTHOR_ID, S_AUTHOR_NAME, S_AUTHOR_LOCATION, S_IP_LOCATION, S_CREATED_AT,
	S_TITLE, S_TEXT, S_TOPICS, S_COUNTS, S_LOWER = S_COUNTS + PC_N, S_DISTRICT, S_DISTRICT_CODE,
	S_IN_CHONGQING, S_METHOD, S_CONFIDENCE, S_EVIDENCE, S_COVER_URL, S_MEDIA, S_COUNT_SRC
};

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
			   " gap_next, gap_capped, gap_since, backfill_at, backfill_since, backfill_until)"
			   " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"),
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

static int exec(struct store *s, const char *sql, struct kerr *e)
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

		if (exec(s, "BEGIN IMMEDIATE", e) < 0)
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
			return exec(s, "COMMIT", e);
		if (exec(s, migrations[v].sql, e) < 0 || (migrations[v].step && migrations[v].step(s, e) < 0) ||
		    (migrations[v].sql_after && exec(s, migrations[v].sql_after, e) < 0)) {
			kerr_prefix(e, "migration to schema version %d", v + 1);
			goto fail;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (exec(s, sql, e) < 0 || exec(s, "COMMIT", e) < 0)
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

	if (exec(s, "PRAGMA cache_size = -16384", e) < 0 || user_version(s, &v, e) < 0) {
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
		if (exec(s, "PRAGMA cache_size = -16384", e) < 0 || user_version(s, &v, e) < 0)
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
	} else if (exec(s, "PRAGMA journal_mode = WAL", e) < 0 ||
	    exec(s, "PRAGMA synchronous = NORMAL", e) < 0 ||
	    exec(s, "PRAGMA foreign_keys = ON", e) < 0 ||
	    exec(s, "PRAGMA cache_size = -16384", e) < 0 || migrate(s, e) < 0)
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
		return exec(s, "PRAGMA wal_autocheckpoint = 20000", e);
	if (exec(s, "PRAGMA wal_autocheckpoint = 1000", e) < 0)
		return -1;
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 0;
}

int store_begin(struct store *s, struct kerr *e)
{
	return exec(s, "BEGIN IMMEDIATE", e);
}

int store_commit(struct store *s, struct kerr *e)
{
	return exec(s, "COMMIT", e);
}

void store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->source[0] = '\0';
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int topics_json(struct store *s, const struct post *p, struct kerr *e)
{
	kbuf_reset(&s->scratch);
	if (kbuf_addc(&s->scratch, '[', e) < 0)
		return -1;
	for (size_t i = 0; i < p->ntopics; i++)
		if ((i && kbuf_addc(&s->scratch, ',', e) < 0) ||
		    jsonw_str(&s->scratch, p->topics[i], e) < 0)
			return -1;
	return kbuf_addc(&s->scratch, ']', e);
}

/* Bind a post's attribution to ?first .. ?first+5: district, district_code,
 * in_chongqing, attribution_method, _confidence, _evidence. */
static void bind_attribution(sqlite3_stmt *st, int first, const struct post *p)
{
	bind_text(st, first, p->district);
	bind_text(st, first + 1, p->district_code);
	if (p->in_chongqing < 0)
		sqlite3_bind_null(st, first + 2);
	else
		sqlite3_bind_int(st, first + 2, p->in_chongqing);
	bind_text(st, first + 3, p->attribution_method ? p->attribution_method : "none");
	sqlite3_bind_double(st, first + 4, p->attribution_confidence);
	bind_text(st, first + 5, p->attribution_evidence);
}

/* Bind ST_INSERT's / ST_UPDATE's parameters from p (counts from c, known,
 * lower; whose they are from src). */
static void bind_post(struct store *s, sqlite3_stmt *st, const struct post *p, const int64_t *c,
		      unsigned known, unsigned lower, int64_t src, int64_t now)
{
	bind_text(st, P_PLATFORM, p->platform);
	bind_text(st, P_POST_ID, p->post_id);
	bind_text(st, P_URL, p->url);
	bind_text(st, P_AUTHOR_ID, p->author_id);
	bind_text(st, P_AUTHOR_NAME, p->author_name);
	bind_text(st, P_AUTHOR_LOCATION, p->author_location);
	bind_text(st, P_IP_LOCATION, p->ip_location);
	sqlite3_bind_int64(st, P_CREATED_AT, p->created_at);
	bind_text(st, P_TITLE, p->title);
	bind_text(st, P_TEXT, p->text);
	sqlite3_bind_text(st, P_TOPICS, s->scratch.data, (int)s->scratch.len, SQLITE_STATIC);
	for (int i = 0; i < PC_N; i++) {
		if (known & (1u << i))
			sqlite3_bind_int64(st, P_COUNTS + i, c[i]);
		else
			sqlite3_bind_null(st, P_COUNTS + i);
	}
	sqlite3_bind_int(st, P_LOWER, (int)lower);
	bind_attribution(st, P_ATTRIBUTION, p);
	sqlite3_bind_int64(st, P_FIRST_SEEN, p->first_seen ? p->first_seen : now);
	sqlite3_bind_int64(st, P_LAST_SEEN, p->last_seen ? p->last_seen : now);
	bind_text(st, P_COVER_URL, p->cover_url);
	bind_text(st, P_MEDIA, p->media);
	sqlite3_bind_int64(st, P_COUNT_SRC, src);
}

/* posts.count_src: per count, 10 bits naming the source that last raised it. */
#define SRC_BITS 10
#define SRC_MAX ((1 << SRC_BITS) - 1)
static int src_of(int64_t packed, int k)
{
	return (int)((uint64_t)packed >> (SRC_BITS * k)) & SRC_MAX;
}
static int64_t src_set(int64_t packed, int k, int id)
{
	uint64_t m = (uint64_t)SRC_MAX << (SRC_BITS * k);
	return (int64_t)(((uint64_t)packed & ~m) | ((uint64_t)id << (SRC_BITS * k)));
}

/* The id in `sources` of p->source (0 for none), added when new. */
static int source_id(struct store *s, const char *name, int *id, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (!name || !*name)
		return 0;
	if (!strcmp(s->source, name)) {
		*id = s->source_id;
		return 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		st = s->st[pass ? ST_SOURCE_ADD : ST_SOURCE_ID];
		bind_text(st, 1, name);
		rc = sqlite3_step(st);
		if (!pass && rc == SQLITE_ROW)
			*id = sqlite3_column_int(st, 0);
		else if (pass && rc == SQLITE_DONE)
			*id = (int)sqlite3_last_insert_rowid(s->db);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_error(s, e, "cannot record the source");
		if (*id)
			break;
	}
	if (*id < 1 || *id > SRC_MAX)
		return kerr_set(e, KERR_DB, "%s: source '%s': the store keeps at most %d sources' names",
				s->path, name, SRC_MAX);
	snprintf(s->source, sizeof(s->source), "%s", name);
	s->source_id = *id;
	return 0;
}

static int step_done(struct store *s, sqlite3_stmt *st, struct kerr *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, what);
	return 0;
}

static int put_tags(struct store *s, int64_t id, const struct post *p, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_TAG_INSERT];

	for (int kind = 0; kind < 2; kind++) {
		const char **v = kind == TAG_HASHTAG ? p->hashtags : p->campaign_tags;
		size_t n = kind == TAG_HASHTAG ? p->nhashtags : p->ncampaign_tags;

		for (size_t i = 0; i < n; i++) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int(st, 2, kind);
			sqlite3_bind_int64(st, 3, (int64_t)i);
			sqlite3_bind_text(st, 4, v[i], -1, SQLITE_STATIC);
			if (step_done(s, st, e, "cannot store tag") < 0)
				return -1;
		}
	}
	return 0;
}

/* A snapshot row: the post's state (refused 0) or the values of source
 * `src` that were not taken (refused = src). */
static int put_snapshot(struct store *s, int64_t id, int64_t at, int refused, int src, const int64_t *c,
			unsigned known, unsigned lower, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_SNAPSHOT];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int(st, 3, refused);
	for (int i = 0; i < PC_N; i++) {
		if (known & (1u << i))
			sqlite3_bind_int64(st, 4 + i, c[i]);
		else
			sqlite3_bind_null(st, 4 + i);
	}
	sqlite3_bind_int(st, 4 + PC_N, (int)lower);
	sqlite3_bind_int(st, 5 + PC_N, src);
	return step_done(s, st, e, "cannot store engagement snapshot");
}

static int same_text(sqlite3_stmt *st, int col, const char *v)
{
	const unsigned char *old = sqlite3_column_text(st, col);

	if (!old || !v)
		return !old && !v;
	return !strcmp((const char *)old, v);
}

/* Do the stored tags equal the post's? (st: ST_TAG_SELECT, ordered.) */
static int same_tags(struct store *s, int64_t id, const struct post *p, int *same, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_TAG_SELECT];
	size_t nh = 0, nc = 0;
	int rc;

	*same = 1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		const char *tag = (const char *)sqlite3_column_text(st, 1);
		const char *want = NULL;

		if (kind == TAG_HASHTAG && nh < p->nhashtags)
			want = p->hashtags[nh++];
		else if (kind == TAG_CAMPAIGN && nc < p->ncampaign_tags)
			want = p->campaign_tags[nc++];
		else
			nh = (size_t)-1;
		if (!want || !tag || strcmp(want, tag)) {
			*same = 0;
			break;
		}
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read tags");
	if (nh != p->nhashtags || nc != p->ncampaign_tags)
		*same = 0;
	return 0;
}

/* Keep source me's values that were not taken (the counts in `refused`),
 * unless its last such row said the same. */
static int put_refused(struct store *s, int64_t id, int64_t at, int me, const struct post *p, unsigned refused,
		       struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_REFUSED_LAST];
	unsigned lower = p->lower & refused;
	int rc, same = 0;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, me);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		same = ((unsigned)sqlite3_column_int(st, PC_N) & refused) == lower;
		for (int i = 0; i < PC_N && same; i++)
			if (refused & (1u << i))
				same = sqlite3_column_type(st, i) != SQLITE_NULL &&
				       sqlite3_column_int64(st, i) == p->counts[i];
			else
				same = sqlite3_column_type(st, i) == SQLITE_NULL;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot read engagement snapshots");
	if (same)
		return 0;
	return put_snapshot(s, id, at, me, me, p->counts, refused, lower, e);
}

/*
 * Merge a post's counts into the stored ones (store.h, store_put_post):
 * c/known/lower/src start as the stored values and end as the values to
 * store.  *changed says whether they changed, *refused which of p's known
 * counts were not taken (another source's lower value).
 */
static void merge_counts(const struct post *p, int me, int64_t *c, unsigned *known, unsigned *lower,
			 int64_t *src, int *changed, unsigned *refused)
{
	*changed = 0;
	*refused = 0;
	for (int i = 0; i < PC_N; i++) {
		unsigned bit = 1u << i, lb = p->lower & bit;
		int owner = src_of(*src, i);

		if (!(p->known & bit))
			continue;
		if (*known & bit) {
			int64_t old = c[i];
			int take;

			if (p->counts[i] > old)
				take = 1;
			else if (p->counts[i] == old)
				take = !lb && (*lower & bit); /* an exact count beats a bound */
			else
				/* lower: a bound says nothing new; only the count's own
				 * source (or an unknown one) may correct it */
				take = !lb && (owner == 0 || me == 0 || owner == me);
			if (!take) {
				if (p->counts[i] < old && !lb)
					*refused |= bit;
				continue;
			}
		}
		*changed = 1;
		c[i] = p->counts[i];
		*known |= bit;
		*lower = (*lower & ~bit) | lb;
		*src = src_set(*src, i, me);
	}
}

static int put_post(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		    struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_INSERT], *sel = s->st[ST_SELECT];
	int64_t id, c[PC_N], src = 0, seen = p->last_seen ? p->last_seen : now;
	unsigned known, lower, refused;
	int rc, me, counts_changed = 0, changed = 0, tags_same;

	if (topics_json(s, p, e) < 0)
		return kerr_prefix(e, "topics");
	if (source_id(s, p->source, &me, e) < 0)
		return -1;
	for (int i = 0; i < PC_N; i++)
		if (p->known & (1u << i))
			src = src_set(src, i, me);
	bind_post(s, st, p, p->counts, p->known, p->lower & p->known, src, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot store post");
	if (sqlite3_changes(s->db) == 1) {
		id = sqlite3_last_insert_rowid(s->db);
		if (put_tags(s, id, p, e) < 0)
			return -1;
		if (p->known && put_snapshot(s, id, seen, 0, me, p->counts, p->known, p->lower & p->known, e) < 0)
			return -1;
		if (p->attribution_method && !strcmp(p->attribution_method, "manual") &&
		    store_set_district(s, p, NULL, seen, e) < 0)
			return -1;
		*result = STORE_NEW;
		return 0;
	}

	/* Seen before: merge and compare. */
	bind_text(sel, 1, p->platform);
	bind_text(sel, 2, p->post_id);
	rc = sqlite3_step(sel);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return store_db_error(s, e, "cannot read stored post");
	}
	id = sqlite3_column_int64(sel, S_ID);
	known = 0;
	lower = (unsigned)sqlite3_column_int(sel, S_LOWER);
	src = sqlite3_column_int64(sel, S_COUNT_SRC);
	for (int i = 0; i < PC_N; i++) {
		c[i] = sqlite3_column_int64(sel, S_COUNTS + i);
		if (sqlite3_column_type(sel, S_COUNTS + i) != SQLITE_NULL)
			known |= 1u << i;
	}
	lower &= known;
	merge_counts(p, me, c, &known, &lower, &src, &counts_changed, &refused);
	/* A NULL string in the new record keeps the stored one: a page that
	 * omits a field (Weibo drops user.location) must not erase it. */
	struct post m = *p;
	/* A manual district correction outlives every re-collection. */
	if (same_text(sel, S_METHOD, "manual")) {
		m.district = (const char *)sqlite3_column_text(sel, S_DISTRICT);
		m.district_code = (const char *)sqlite3_column_text(sel, S_DISTRICT_CODE);
		m.in_chongqing = 1;
		m.attribution_method = "manual";
		m.attribution_confidence = sqlite3_column_double(sel, S_CONFIDENCE);
		m.attribution_evidence = (const char *)sqlite3_column_text(sel, S_EVIDENCE);
	}
#define KEEP(field, col)                                                                          \
	if (!m.field)                                                                             \
		m.field = (const char *)sqlite3_column_text(sel, col);                            \
	else if (!same_text(sel, col, m.field))                                                   \
		changed = 1;
	KEEP(url, S_URL)
	KEEP(author_id, S_AUTHOR_ID)
	KEEP(author_name, S_AUTHOR_NAME)
	KEEP(author_location, S_AUTHOR_LOCATION)
	KEEP(ip_location, S_IP_LOCATION)
	KEEP(title, S_TITLE)
	KEEP(text, S_TEXT)
	KEEP(cover_url, S_COVER_URL)
	KEEP(media, S_MEDIA)
#undef KEEP
	if (sqlite3_column_int64(sel, S_CREATED_AT) != p->created_at ||
	    !same_text(sel, S_TOPICS, s->scratch.data) || !same_text(sel, S_DISTRICT, m.district) ||
	    !same_text(sel, S_DISTRICT_CODE, m.district_code) ||
	    !same_text(sel, S_METHOD, m.attribution_method ? m.attribution_method : "none") ||
	    !same_text(sel, S_EVIDENCE, m.attribution_evidence) ||
	    (sqlite3_column_type(sel, S_IN_CHONGQING) == SQLITE_NULL ? -1
								     : sqlite3_column_int(sel, S_IN_CHONGQING)) !=
		    m.in_chongqing ||
	    sqlite3_column_double(sel, S_CONFIDENCE) != m.attribution_confidence)
		changed = 1;
	if (same_tags(s, id, p, &tags_same, e) < 0) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return -1;
	}
	if (refused && put_refused(s, id, seen, me, p, refused, e) < 0) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return -1;
	}
	if (!changed && !counts_changed && tags_same) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		*result = STORE_UNCHANGED;
		return 0;
	}
	/* The kept strings point into sel's row: update before resetting it. */
	bind_post(s, s->st[ST_UPDATE], &m, c, known, lower, src, now);
	sqlite3_bind_int64(s->st[ST_UPDATE], P_LAST_SEEN, seen);
	rc = step_done(s, s->st[ST_UPDATE], e, "cannot update post");
	sqlite3_reset(sel);
	sqlite3_clear_bindings(sel);
	if (rc < 0)
		return -1;
	if (!tags_same) {
		sqlite3_bind_int64(s->st[ST_TAG_DELETE], 1, id);
		if (step_done(s, s->st[ST_TAG_DELETE], e, "cannot replace tags") < 0 ||
		    put_tags(s, id, p, e) < 0)
			return -1;
	}
	if (counts_changed && put_snapshot(s, id, seen, 0, me, c, known, lower, e) < 0)
		return -1;
	*result = STORE_UPDATED;
	return 0;
}

int store_put_post(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		   struct kerr *e)
{
	if (put_post(s, p, now, result, e) < 0)
		return -1;
	/* an export says when a post was gone: an import keeps it */
	return p->deleted_at ? store_mark_deleted(s, p->platform, p->post_id, p->deleted_at, e) : 0;
}

int store_mark_deleted(struct store *s, const char *platform, const char *post_id, int64_t at, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_MARK_DELETED];

	bind_text(st, 1, platform);
	bind_text(st, 2, post_id);
	sqlite3_bind_int64(st, 3, at);
	return step_done(s, st, e, "cannot mark the post deleted");
}

int store_put_counts(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		     struct kerr *e)
{
	sqlite3_stmt *sel = s->st[ST_SELECT], *up = s->st[ST_PUT_COUNTS];
	int64_t id, c[PC_N], src;
	unsigned known = 0, lower, refused;
	int rc, me, changed;

	*result = STORE_UNCHANGED;
	if (source_id(s, p->source, &me, e) < 0)
		return -1;
	bind_text(sel, 1, p->platform);
	bind_text(sel, 2, p->post_id);
	rc = sqlite3_step(sel);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(sel);
		sqlite3_clear_bindings(sel);
		return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read stored post");
	}
	id = sqlite3_column_int64(sel, S_ID);
	lower = (unsigned)sqlite3_column_int(sel, S_LOWER);
	src = sqlite3_column_int64(sel, S_COUNT_SRC);
	for (int i = 0; i < PC_N; i++) {
		c[i] = sqlite3_column_int64(sel, S_COUNTS + i);
		if (sqlite3_column_type(sel, S_COUNTS + i) != SQLITE_NULL)
			known |= 1u << i;
	}
	sqlite3_reset(sel);
	sqlite3_clear_bindings(sel);
	lower &= known;
	merge_counts(p, me, c, &known, &lower, &src, &changed, &refused);
	if (refused && put_refused(s, id, now, me, p, refused, e) < 0)
		return -1;
	sqlite3_bind_int64(up, 1, id);
	for (int i = 0; i < PC_N; i++) {
		if (known & (1u << i))
			sqlite3_bind_int64(up, 2 + i, c[i]);
		else
			sqlite3_bind_null(up, 2 + i);
	}
	sqlite3_bind_int(up, 2 + PC_N, (int)lower);
	sqlite3_bind_int64(up, 3 + PC_N, src);
	sqlite3_bind_int64(up, 4 + PC_N, now);
	sqlite3_bind_int(up, 5 + PC_N, changed);
	if (step_done(s, up, e, "cannot update the counts") < 0)
		return -1;
	if (changed && put_snapshot(s, id, now, 0, me, c, known, lower, e) < 0)
		return -1;
	*result = changed ? STORE_UPDATED : STORE_UNCHANGED;
	return 0;
}

int store_refresh_candidates(struct store *s, const char *platform, const char *source, int64_t since,
			     int64_t until, store_refresh_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, ret = -1, sid = 0;

	if (source) {
		sqlite3_stmt *q = s->st[ST_SOURCE_ID];
		bind_text(q, 1, source);
		rc = sqlite3_step(q);
		sid = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_error(s, e, "cannot read the sources");
		if (sid < 0)
			return 0; /* it never raised a count: nothing of its own to refresh */
	}
	if (sqlite3_prepare_v2(s->db,
			       "SELECT platform, post_id, created_at, max(refreshed_at, last_seen), count_src, " COUNT_COLS
			       " FROM posts WHERE created_at >= ?1 AND created_at < ?2 AND deleted_at IS NULL"
			       " AND (?3 IS NULL OR platform = ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read the posts to refresh");
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	bind_text(st, 3, platform);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_refresh_row r;
		int64_t packed = sqlite3_column_int64(st, 4);
		int mine = !source;

		for (int k = 0; k < PC_N && !mine; k++)
			mine = src_of(packed, k) == sid;
		if (!mine)
			continue;
		r.platform = (const char *)sqlite3_column_text(st, 0);
		r.post_id = (const char *)sqlite3_column_text(st, 1);
		r.created_at = sqlite3_column_int64(st, 2);
		r.last_read = sqlite3_column_int64(st, 3);
		r.known = 0;
		for (int k = 0; k < PC_N; k++) {
			r.counts[k] = sqlite3_column_int64(st, 5 + k);
			if (sqlite3_column_type(st, 5 + k) != SQLITE_NULL)
				r.known |= 1u << k;
		}
		if (cb(ctx, &r, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the posts to refresh");
out:
	sqlite3_finalize(st);
	return ret;
}

int store_run_begin(struct store *s, const char *kind, const char *source, int64_t started,
		    int64_t *run_id, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "INSERT INTO runs (kind, source, started_at) VALUES (?1,?2,?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record run");
	bind_text(st, 1, kind);
	bind_text(st, 2, source);
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
	bind_text(st, 3, status);
	sqlite3_bind_int64(st, 4, c->read);
	sqlite3_bind_int64(st, 5, c->kept);
	sqlite3_bind_int64(st, 6, c->skipped);
	sqlite3_bind_int64(st, 7, c->added);
	sqlite3_bind_int64(st, 8, c->updated);
	sqlite3_bind_int64(st, 9, c->unchanged);
	sqlite3_bind_int64(st, 10, c->errors);
	bind_text(st, 11, message);
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
		bind_text(st, 1, ta);
		bind_text(st, 2, tb);
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

int store_set_district(struct store *s, const struct post *p, const char *note, int64_t now,
		       struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, manual = p->attribution_method && !strcmp(p->attribution_method, "manual");

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE posts SET district = ?3, district_code = ?4, in_chongqing = ?5,"
			       " attribution_method = ?6, attribution_confidence = ?7,"
			       " attribution_evidence = ?8 WHERE platform = ?1 AND post_id = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot update the district");
	bind_text(st, 1, p->platform);
	bind_text(st, 2, p->post_id);
	bind_attribution(st, 3, p);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot update the district");
	if (!sqlite3_changes(s->db))
		return kerr_set(e, KERR_USAGE, "no post %s:%s in %s", p->platform, p->post_id, s->path);
	if (!manual)
		return 0;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO district_overrides (platform, post_id, district_code,"
			       " district, note, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot record the correction");
	bind_text(st, 1, p->platform);
	bind_text(st, 2, p->post_id);
	bind_text(st, 3, p->district_code);
	bind_text(st, 4, p->district);
	bind_text(st, 5, note);
	sqlite3_bind_int64(st, 6, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot record the correction");
}

/* The cursor columns, in the order cursor_read() takes them. */
#define CURSOR_COLS                                                                                    \
	"high_water, pass_active, pass_mode, pass_next, pass_floor, pass_max_seen, pass_min_seen,"    \
	" gap_lo, gap_hi, gap_next, gap_capped, gap_since, backfill_at, backfill_since, backfill_until"

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
}

int store_cursor_get(struct store *s, const char *source, struct store_cursor *c, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	if (sqlite3_prepare_v2(s->db, "SELECT " CURSOR_COLS " FROM cursors WHERE source = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return store_db_error(s, e, "cannot read the cursor");
	bind_text(st, 1, source);
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

	bind_text(st, 1, source);
	sqlite3_bind_int64(st, 2, c->high_water);
	sqlite3_bind_int(st, 3, c->pass_active);
	bind_text(st, 4, c->pass_mode);
	bind_text(st, 5, c->pass_next);
	sqlite3_bind_int64(st, 6, c->pass_floor);
	sqlite3_bind_int64(st, 7, c->pass_max_seen);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, c->pass_min_seen);
	sqlite3_bind_int64(st, 10, c->gap_lo);
	sqlite3_bind_int64(st, 11, c->gap_hi);
	bind_text(st, 12, c->gap_next);
	sqlite3_bind_int(st, 13, c->gap_capped);
	sqlite3_bind_int64(st, 14, c->gap_since);
	sqlite3_bind_int64(st, 15, c->backfill_at);
	sqlite3_bind_int64(st, 16, c->backfill_since);
	sqlite3_bind_int64(st, 17, c->backfill_until);
	return step_done(s, st, e, "cannot store the cursor");
}

int store_run_source_put(struct store *s, int64_t run_id, const char *source,
			 const struct run_source *r, struct kerr *e)
{
	sqlite3_stmt *st = s->st[ST_RUN_SOURCE_PUT];

	sqlite3_bind_int64(st, 1, run_id);
	bind_text(st, 2, source);
	sqlite3_bind_int64(st, 3, r->started_at);
	if (r->finished_at)
		sqlite3_bind_int64(st, 4, r->finished_at);
	else
		sqlite3_bind_null(st, 4);
	bind_text(st, 5, r->status);
	sqlite3_bind_int64(st, 6, r->pages);
	sqlite3_bind_int64(st, 7, r->fetched);
	sqlite3_bind_int64(st, 8, r->matched);
	sqlite3_bind_int64(st, 9, r->added);
	sqlite3_bind_int64(st, 10, r->updated);
	sqlite3_bind_int64(st, 11, r->unchanged);
	sqlite3_bind_int64(st, 12, r->errors);
	bind_text(st, 13, r->message[0] ? r->message : NULL);
	sqlite3_bind_int64(st, 14, r->warnings);
	sqlite3_bind_int64(st, 15, r->deleted);
	return step_done(s, st, e, "cannot record the source's run");
}

int store_source_streak(struct store *s, const char *source, long *failed, int64_t *since, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	*failed = 0;
	*since = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT status, started_at FROM run_sources WHERE source = ?1 AND status <> 'interrupted'"
			       " ORDER BY started_at DESC, run DESC LIMIT 10000",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read runs");
	bind_text(st, 1, source);
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
	return exec(s,
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

/* The database's path with every symlink and ./ resolved; for a file not
 * there yet, its directory's resolved path and its name. */
static int resolve_db(const char *db_path, char *out, size_t cap, struct kerr *e)
{
	char dir[PATH_MAX], *r;
	const char *slash, *name;

	if ((r = realpath(db_path, NULL))) {
		int n = snprintf(out, cap, "%s", r);
		free(r);
		return n < (int)cap ? 0 : kerr_set(e, KERR_USAGE, "database path too long");
	}
	if (errno != ENOENT)
		return kerr_set(e, KERR_IO, "cannot open the database %s: %s", db_path, strerror(errno));
	slash = strrchr(db_path, '/');
	name = slash ? slash + 1 : db_path;
	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - db_path) + (slash == db_path) : 1,
		     slash ? db_path : ".") >= (int)sizeof(dir))
		return kerr_set(e, KERR_USAGE, "database path too long");
	if (!*name || !(r = realpath(dir, NULL)))
		return kerr_set(e, KERR_IO, "cannot create the database %s: %s", db_path,
				*name ? strerror(errno) : "a directory, not a file");
	if (snprintf(out, cap, "%s/%s", strcmp(r, "/") ? r : "", name) >= (int)cap) {
		free(r);
		return kerr_set(e, KERR_USAGE, "database path too long");
	}
	free(r);
	return 0;
}

/* The pid holding an flock() on the file (dev, ino), from /proc/locks;
 * 0 when it cannot be told. */
static long flock_holder(dev_t dev, ino_t ino)
{
	FILE *f = fopen("/proc/locks", "r");
	char line[256], want[96];
	long pid = 0;

	if (!f)
		return 0;
	/* "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" */
	snprintf(want, sizeof(want), " %02x:%02x:%lu ", major(dev), minor(dev), (unsigned long)ino);
	while (!pid && fgets(line, sizeof(line), f)) {
		char *p;
		if (!strstr(line, "FLOCK") || strstr(line, "->") || !(p = strstr(line, want)))
			continue;
		while (p > line && p[-1] == ' ')
			p--;
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		pid = strtol(p, NULL, 10);
	}
	fclose(f);
	return pid;
}

/* Who holds the lock, for the message: the note the holder left when it
 * is that process's, else what /proc says of the pid. */
static void lock_holder(int fd, const char *note_path, char *out, size_t cap)
{
	char info[256] = "", comm[64] = "", path[64];
	struct stat sb;
	long pid = 0, note_pid = -1;
	int nf;
	ssize_t n;
	FILE *f;

	if (fstat(fd, &sb) == 0)
		pid = flock_holder(sb.st_dev, sb.st_ino);
	if ((nf = open(note_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		n = read(nf, info, sizeof(info) - 1);
		info[n > 0 ? n : 0] = '\0';
		info[strcspn(info, "\n")] = '\0';
		close(nf);
		if (!strncmp(info, "pid ", 4))
			note_pid = strtol(info + 4, NULL, 10);
	}
	if (info[0] && (!pid || note_pid == pid)) {
		snprintf(out, cap, "%s", info);
		return;
	}
	if (!pid) {
		snprintf(out, cap, "holder unknown");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	if ((f = fopen(path, "r"))) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(out, cap, "pid %ld%s%s%s", pid, comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
}

int store_lock(const char *db_path, const char *what, int *fd_out, struct kerr *e)
{
	char real[PATH_MAX], note[PATH_MAX + 8], info[300], when[32];
	int fd, nf;
	ssize_t n;

	*fd_out = -1;
	if (resolve_db(db_path, real, sizeof(real), e) < 0)
		return -1;
	if (snprintf(note, sizeof(note), "%s.lock", real) >= (int)sizeof(note))
		return kerr_set(e, KERR_USAGE, "database path too long");
	/* the database itself: an empty new file is a new database to SQLite */
	fd = open(real, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return kerr_set(e, KERR_IO, "cannot open the database %s: %s", db_path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;

		if (err == EWOULDBLOCK) {
			lock_holder(fd, note, info, sizeof(info));
			close(fd);
			return kerr_set(e, KERR_LOCKED, "another kepu job holds the database %s (%s)", real, info);
		}
		close(fd);
		return kerr_set(e, KERR_IO, "cannot lock %s: %s", real, strerror(err));
	}
	ktime_format_cst((int64_t)time(NULL), when);
	n = snprintf(info, sizeof(info), "pid %ld, %s, started %s\n", (long)getpid(), what, when);
	/* the note is for people only: the lock holds without it */
	if ((nf = open(note, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) >= 0) {
		if (ftruncate(nf, 0) < 0 || write(nf, info, (size_t)n) != n) {
			/* nothing to do: see above */
		}
		close(nf);
	}
	*fd_out = fd;
	return 0;
}

void store_unlock(int fd)
{
	/* the note stays: the next holder overwrites it, and lock_holder()
	 * trusts it only when its pid is the holder's */
	if (fd >= 0)
		close(fd);
}
