/*
 * unit_store.c: store/ on a scratch database file: schema creation and
 * reopening, the upsert (new, unchanged, updated, snapshots, merging of
 * unknown counts and missing strings), ids as exact text, tags in order,
 * reading back with a filter, runs, and the collection lock.
 *
 * SQLite is opened directly only to look at what store/ does not expose
 * (PRAGMA user_version, journal mode, a newer-schema file).
 */
#include "testutil.h"

#include <sqlite3.h>

#include "../store/store.h"
#include "../model/platform.h"

struct fixture {
	struct tmpdir dir;
	char db[128];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct kerr e;

	if (!f)
		return -1;
	*state = f;
	tmpdir_make(&f->dir);
	tmpdir_file(&f->dir, "kepu.db", f->db, sizeof(f->db));
	if (store_open(&f->st, f->db, &e) < 0) {
		print_error("store_open: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	tmpdir_remove(&f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static struct post new_post(const char *id, int64_t created, const char *text)
{
	struct post p;

	memset(&p, 0, sizeof(p));
	p.platform = "weibo";
	p.post_id = id;
	p.created_at = created;
	p.text = text;
	p.in_chongqing = -1;
	p.attribution_method = "none";
	return p;
}

static void set_count(struct post *p, enum post_count k, int64_t v, int lower)
{
	p->counts[k] = v;
	p->known |= 1u << k;
	if (lower)
		p->lower |= 1u << k;
	else
		p->lower &= ~(1u << k);
}

/* store_put_post in its own transaction; fails the test on error. */
static enum store_put_result put(struct store *st, const struct post *p, int64_t now)
{
	enum store_put_result r = STORE_UNCHANGED;
	struct kerr e;

	if (store_begin(st, &e) < 0)
		fail_msg("store_begin: %s", e.msg);
	if (store_put_post(st, p, now, &r, &e) < 0)
		fail_msg("store_put_post(%s): %s", p->post_id, e.msg);
	if (store_commit(st, &e) < 0)
		fail_msg("store_commit: %s", e.msg);
	return r;
}

static int64_t count(struct store *st, const char *what)
{
	int64_t n = -1;
	struct kerr e;

	if (store_count(st, what, &n, &e) < 0)
		fail_msg("store_count(%s): %s", what, e.msg);
	return n;
}

/* The one post in the store. */
static void read_one(struct store *st, struct row *out)
{
	static struct rows rs;

	read_posts(st, INT64_MIN, INT64_MAX, &rs);
	assert_int_equal(rs.n, 1);
	*out = rs.r[0];
}

/* PRAGMA user_version read by SQLite itself. */
/* What store_corrections() gave. */
struct correction_seen {
	int n;
	char by[64], to[16];
};

static int on_correction(void *ctx, const struct store_correction *c, struct kerr *e)
{
	struct correction_seen *x = ctx;

	(void)e;
	x->n++;
	snprintf(x->by, sizeof(x->by), "%s", c->by ? c->by : "");
	snprintf(x->to, sizeof(x->to), "%s", c->to_code);
	return 0;
}

/* SQL on the file from another connection, as someone outside kepu. */
static int exec_on(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 5000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static int file_user_version(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static const int64_t T0 = 1756779300; /* 2025-09-02T10:15:00+08:00 */

/* ---- schema ---- */

static void test_open_creates_schema(void **state)
{
	struct fixture *f = *state;
	static const char *const tables[] = {"posts", "snapshots", "runs", "post_tags"};

	assert_true(store_schema_version() >= 1);
	assert_int_equal(file_user_version(f->db), store_schema_version());
	for (size_t i = 0; i < ARRAY_LEN(tables); i++)
		assert_int_equal(count(f->st, tables[i]), 0);
}

static void test_reopen(void **state)
{
	struct fixture *f = *state;
	struct post p = new_post("100", T0, "#千万IP创科普# 第一条");
	struct kerr e;

	set_count(&p, PC_LIKES, 5, 0);
	assert_int_equal(put(f->st, &p, T0 + 60), STORE_NEW);
	store_close(f->st);
	f->st = NULL;
	if (store_open(&f->st, f->db, &e) < 0)
		fail_msg("reopen: %s", e.msg);
	assert_int_equal(file_user_version(f->db), store_schema_version());
	assert_int_equal(count(f->st, "posts"), 1);
	assert_int_equal(count(f->st, "snapshots"), 1);
	assert_int_equal(put(f->st, &p, T0 + 120), STORE_UNCHANGED);
	/* a second handle on the same file at the same time also opens */
	{
		struct store *other = NULL;
		if (store_open(&other, f->db, &e) < 0)
			fail_msg("second handle: %s", e.msg);
		assert_int_equal(count(other, "posts"), 1);
		store_close(other);
	}
}

static void test_open_not_a_database(void **state)
{
	struct fixture *f = *state;
	char path[160], junk[4096];
	struct store *st = (struct store *)1;
	struct kerr e;

	tmpdir_file(&f->dir, "junk.db", path, sizeof(path));
	memset(junk, 'x', sizeof(junk));
	write_file(path, junk, sizeof(junk));
	kerr_clear(&e);
	assert_int_equal(store_open(&st, path, &e), -1);
	assert_null(st);
	assert_int_equal(e.code, KERR_DB);
	assert_contains(e.msg, path);
}

static void test_open_newer_schema(void **state)
{
	struct fixture *f = *state;
	char path[160];
	sqlite3 *db;
	struct store *st = NULL;
	struct kerr e;

	tmpdir_file(&f->dir, "future.db", path, sizeof(path));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	kerr_clear(&e);
	assert_int_equal(store_open(&st, path, &e), -1);
	assert_null(st);
	assert_int_equal(e.code, KERR_DB);
	assert_contains(e.msg, "999");
	assert_contains(e.msg, "newer");
	/* and the file was left alone */
	assert_int_equal(file_user_version(path), 999);
}

/* A database written by schema version 1 (before district corrections)
 * upgrades forward on open and keeps its posts. */
static void test_upgrade_from_v1(void **state)
{
	static const char v1[] =
		"CREATE TABLE posts (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, post_id TEXT NOT NULL,"
		" url TEXT, author_id TEXT, author_name TEXT, author_location TEXT, ip_location TEXT,"
		" created_at INTEGER NOT NULL, title TEXT, text TEXT, topics TEXT, views INTEGER,"
		" likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,"
		" lower_bounds INTEGER NOT NULL DEFAULT 0, district TEXT, district_code TEXT,"
		" in_chongqing INTEGER, attribution_method TEXT NOT NULL DEFAULT 'none',"
		" attribution_confidence REAL, attribution_evidence TEXT, first_seen INTEGER NOT NULL,"
		" last_seen INTEGER NOT NULL, UNIQUE (platform, post_id));"
		"CREATE INDEX posts_by_created ON posts(created_at);"
		"CREATE TABLE post_tags (post INTEGER NOT NULL, kind INTEGER NOT NULL, pos INTEGER NOT NULL,"
		" tag TEXT NOT NULL, PRIMARY KEY (post, kind, pos)) WITHOUT ROWID;"
		"CREATE TABLE snapshots (post INTEGER NOT NULL, observed_at INTEGER NOT NULL, views INTEGER,"
		" likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,"
		" lower_bounds INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (post, observed_at)) WITHOUT ROWID;"
		"CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, source TEXT,"
		" started_at INTEGER NOT NULL, finished_at INTEGER, status TEXT NOT NULL DEFAULT 'running',"
		" read INTEGER NOT NULL DEFAULT 0, kept INTEGER NOT NULL DEFAULT 0,"
		" skipped INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,"
		" updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,"
		" errors INTEGER NOT NULL DEFAULT 0, message TEXT);"
		"INSERT INTO posts (platform, post_id, created_at, text, likes, first_seen, last_seen)"
		" VALUES ('weibo', '42', 1756779300, 'old', 90, 1, 1);"
		"INSERT INTO snapshots (post, observed_at, likes) VALUES (1, 1, 90);"
		"PRAGMA user_version = 1;";
	struct fixture *f = *state;
	char path[160];
	sqlite3 *db;
	struct store *st = NULL;
	struct post p;
	struct kerr e;
	int64_t n;

	tmpdir_file(&f->dir, "v1.db", path, sizeof(path));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&st, path, &e), 0);
	assert_int_equal(file_user_version(path), store_schema_version());
	assert_int_equal(store_count(st, "posts", &n, &e), 0);
	assert_int_equal(n, 1);
	/* the new table works: a manual correction is recorded */
	memset(&p, 0, sizeof(p));
	p.platform = "weibo";
	p.post_id = "42";
	p.district = "江津区";
	p.district_code = "500116";
	p.in_chongqing = 1;
	p.attribution_method = "manual";
	p.attribution_confidence = 1;
	assert_int_equal(store_set_district(st, &p, "张三", "note", 5, &e), 0);
	/* ... and in the corrections log (schema 13), with who and from what */
	{
		struct correction_seen c = {0, "", ""};
		assert_int_equal(store_corrections(st, "weibo", "42", on_correction, &c, &e), 0);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.by, "张三");
		assert_string_equal(c.to, "500116");
		/* append-only, even from outside kepu */
		assert_int_not_equal(exec_on(path, "DELETE FROM corrections"), 0);
		assert_int_not_equal(exec_on(path, "UPDATE corrections SET by = 'x'"), 0);
	}
	/* the snapshot survived the rebuild of its table (schema 8), and a
	 * count stored before sources were recorded may be lowered by any */
	assert_int_equal(store_count(st, "snapshots", &n, &e), 0);
	assert_int_equal(n, 1);
	memset(&p, 0, sizeof(p));
	p.platform = "weibo";
	p.post_id = "42";
	p.created_at = 1756779300;
	p.source = "weibo-search";
	p.in_chongqing = -1;
	p.counts[PC_LIKES] = 80;
	p.known = 1u << PC_LIKES;
	{
		enum store_put_result r;
		assert_int_equal(store_begin(st, &e), 0);
		assert_int_equal(store_put_post(st, &p, 10, &r, &e), 0);
		assert_int_equal(store_commit(st, &e), 0);
		assert_int_equal(r, STORE_UPDATED);
	}
	store_close(st);
}

/* ---- the upsert ---- */

static void test_put_new_unchanged_updated(void **state)
{
	struct fixture *f = *state;
	struct post p = new_post("5206412345678901", T0, "#千万IP创科普# 看星空");
	struct row r;

	set_count(&p, PC_LIKES, 12000, 0);
	set_count(&p, PC_COMMENTS, 1234, 0);
	assert_int_equal(put(f->st, &p, T0 + 100), STORE_NEW);
	assert_int_equal(count(f->st, "posts"), 1);
	assert_int_equal(count(f->st, "snapshots"), 1);

	/* the same record again, later: nothing to write */
	assert_int_equal(put(f->st, &p, T0 + 200), STORE_UNCHANGED);
	assert_int_equal(count(f->st, "posts"), 1);
	assert_int_equal(count(f->st, "snapshots"), 1);

	/* a count changed: updated, one more snapshot */
	set_count(&p, PC_LIKES, 12500, 0);
	assert_int_equal(put(f->st, &p, T0 + 300), STORE_UPDATED);
	assert_int_equal(count(f->st, "snapshots"), 2);

	/* only the text changed: updated, no snapshot */
	p.text = "#千万IP创科普# 看星空（修订）";
	assert_int_equal(put(f->st, &p, T0 + 400), STORE_UPDATED);
	assert_int_equal(count(f->st, "snapshots"), 2);
	assert_int_equal(count(f->st, "posts"), 1);

	read_one(f->st, &r);
	assert_string_equal(r.text, "#千万IP创科普# 看星空（修订）");
	assert_int_equal(r.counts[PC_LIKES], 12500);
	assert_int_equal(r.counts[PC_COMMENTS], 1234);
	assert_int_equal(r.known, (1u << PC_LIKES) | (1u << PC_COMMENTS));
	assert_int_equal(r.created_at, T0);
	assert_int_equal(r.first_seen, T0 + 100);
	assert_int_equal(r.last_seen, T0 + 400);
	assert_string_equal(r.attribution_method, "none");
	assert_int_equal(r.in_chongqing, -1);
}

/* A post with no known counts gets no snapshot at all. */
static void test_put_without_counts_no_snapshot(void **state)
{
	struct fixture *f = *state;
	struct post p = new_post("1", T0, "x");

	assert_int_equal(put(f->st, &p, T0), STORE_NEW);
	assert_int_equal(count(f->st, "snapshots"), 0);
	/* the first count seen is a change */
	set_count(&p, PC_VIEWS, 10, 0);
	assert_int_equal(put(f->st, &p, T0 + 1), STORE_UPDATED);
	assert_int_equal(count(f->st, "snapshots"), 1);
}

static void test_unknown_count_keeps_stored(void **state)
{
	struct fixture *f = *state;
	struct post p = new_post("42", T0, "#千万IP创科普#");
	struct post later = new_post("42", T0, "#千万IP创科普#");
	struct row r;

	p.author_name = "江津科协";
	set_count(&p, PC_VIEWS, 35000, 0);
	set_count(&p, PC_LIKES, 100, 0);
	assert_int_equal(put(f->st, &p, T0 + 10), STORE_NEW);

	/* the later record knows only likes, and not the author name */
	set_count(&later, PC_LIKES, 101, 0);
	assert_int_equal(put(f->st, &later, T0 + 20), STORE_UPDATED);
	read_one(f->st, &r);
	assert_int_equal(r.known, (1u << PC_VIEWS) | (1u << PC_LIKES));
	assert_int_equal(r.counts[PC_VIEWS], 35000);
	assert_int_equal(r.counts[PC_LIKES], 101);
	assert_true(r.has_author_name);
	assert_string_equal(r.author_name, "江津科协");
	assert_int_equal(count(f->st, "snapshots"), 2);

	/* nothing new in it at all: unchanged */
	assert_int_equal(put(f->st, &later, T0 + 30), STORE_UNCHANGED);
	assert_int_equal(count(f->st, "snapshots"), 2);
}

static void test_lower_bound(void **state)
{
	struct fixture *f = *state;
	struct post p = new_post("7", T0, "t");
	struct row r;

	set_count(&p, PC_SHARES, 100000, 1); /* 10万+ */
	assert_int_equal(put(f->st, &p, T0 + 1), STORE_NEW);
	read_one(f->st, &r);
	assert_int_equal(r.counts[PC_SHARES], 100000);
	assert_int_equal(r.lower & (1u << PC_SHARES), 1u << PC_SHARES);

	/* the same number, now exact: a change of the count */
	set_count(&p, PC_SHARES, 100000, 0);
	assert_int_equal(put(f->st, &p, T0 + 2), STORE_UPDATED);
	assert_int_equal(count(f->st, "snapshots"), 2);
	read_one(f->st, &r);
	assert_int_equal(r.lower, 0);
}

/* The rows of snapshots for the one post, oldest first, as text
 * "observed_at refused source likes views|" (SQLite read directly). */
static void snapshot_rows(const char *db, char *out, size_t cap)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	size_t o = 0;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT s.observed_at, s.refused, coalesce(x.name, '-'), coalesce(s.likes, -1),"
					    " coalesce(s.views, -1) FROM snapshots s LEFT JOIN sources x ON x.id = s.source"
					    " ORDER BY s.observed_at, s.refused",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && o < cap)
		o += (size_t)snprintf(out + o, cap - o, "%lld %s %s %lld %lld|", (long long)sqlite3_column_int64(st, 0),
				      sqlite3_column_int(st, 1) ? "refused" : "state",
				      (const char *)sqlite3_column_text(st, 2), (long long)sqlite3_column_int64(st, 3),
				      (long long)sqlite3_column_int64(st, 4));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

/*
 * Two sources list the same post: a search with fresh counts and a feed
 * a day behind.  A count is lowered only by the source that last raised
 * it; the feed's lower values are kept in their own snapshot rows; a
 * source's own correction is taken; rows of the two sources in the same
 * second do not overwrite each other.
 */
static void test_sources_own_their_counts(void **state)
{
	struct fixture *f = *state;
	struct post search = new_post("77", T0, "#千万IP创科普#");
	struct post feed = new_post("77", T0, "#千万IP创科普#");
	struct row r;
	char rows[1024];

	search.source = "douyin-search";
	feed.source = "vendor-feed";
	set_count(&search, PC_LIKES, 500, 0);
	assert_int_equal(put(f->st, &search, T0 + 100), STORE_NEW);

	/* the feed's day-old 300 likes do not replace the search's 500, but
	 * its views (which the search does not know) are taken */
	set_count(&feed, PC_LIKES, 300, 0);
	set_count(&feed, PC_VIEWS, 9000, 0);
	assert_int_equal(put(f->st, &feed, T0 + 100), STORE_UPDATED);
	read_one(f->st, &r);
	assert_int_equal(r.counts[PC_LIKES], 500);
	assert_int_equal(r.counts[PC_VIEWS], 9000);
	snapshot_rows(f->db, rows, sizeof(rows));
	/* one state row per second (the state at its end); the feed's 300
	 * in a row of its own */
	assert_string_equal(rows, "1756779400 state vendor-feed 500 9000|"
				  "1756779400 refused vendor-feed 300 -1|");

	/* the feed again, same values: nothing changes, nothing is added
	 * (its refused values are the same as last time) */
	assert_int_equal(put(f->st, &feed, T0 + 200), STORE_UNCHANGED);
	read_one(f->st, &r);
	assert_int_equal(r.counts[PC_LIKES], 500);

	/* the feed catches up past the search: it raised likes, so now it
	 * owns them, and the search's lagging 550 cannot pull them back */
	set_count(&feed, PC_LIKES, 600, 0);
	assert_int_equal(put(f->st, &feed, T0 + 300), STORE_UPDATED);
	set_count(&search, PC_LIKES, 550, 0);
	assert_int_equal(put(f->st, &search, T0 + 400), STORE_UNCHANGED);
	read_one(f->st, &r);
	assert_int_equal(r.counts[PC_LIKES], 600);

	/* the owner corrects its own count down (a platform's correction) */
	set_count(&feed, PC_LIKES, 590, 0);
	assert_int_equal(put(f->st, &feed, T0 + 500), STORE_UPDATED);
	read_one(f->st, &r);
	assert_int_equal(r.counts[PC_LIKES], 590);

	/* a lower bound never lowers a count, even from its owner */
	set_count(&feed, PC_LIKES, 100, 1);
	assert_int_equal(put(f->st, &feed, T0 + 600), STORE_UNCHANGED);
	read_one(f->st, &r);
	assert_int_equal(r.counts[PC_LIKES], 590);
	assert_int_equal(r.lower, 0);

	/* no count of the post ever went down except by its owner */
	snapshot_rows(f->db, rows, sizeof(rows));
	assert_string_equal(rows, "1756779400 state vendor-feed 500 9000|"
				  "1756779400 refused vendor-feed 300 -1|"
				  "1756779600 state vendor-feed 600 9000|"
				  "1756779700 refused douyin-search 550 -1|"
				  "1756779800 state vendor-feed 590 9000|");
}

/* A report as of a time reads the state rows only: the feed's refused
 * lower value never shows. */
static int as_of_likes(void *ctx, const struct store_report_row *r, struct kerr *e)
{
	(void)e;
	*(int64_t *)ctx = (r->known & (1u << PC_LIKES)) ? r->counts[PC_LIKES] : -1;
	return 0;
}

static void test_as_of_reads_state(void **state)
{
	struct fixture *f = *state;
	struct post a = new_post("88", T0, "x"), b = new_post("88", T0, "x");
	struct store_report_filter flt = {INT64_MIN, INT64_MAX, 0, NULL};
	int64_t likes = -2;
	struct kerr e;

	a.source = "a";
	b.source = "b";
	set_count(&a, PC_LIKES, 500, 0);
	put(f->st, &a, T0 + 100);
	set_count(&b, PC_LIKES, 300, 0);
	put(f->st, &b, T0 + 200);
	set_count(&a, PC_LIKES, 700, 0);
	put(f->st, &a, T0 + 300);
	flt.as_of = T0 + 250;
	assert_int_equal(store_foreach_report_row(f->st, &flt, as_of_likes, &likes, &e), 0);
	assert_int_equal(likes, 500);
	flt.as_of = T0 + 300;
	assert_int_equal(store_foreach_report_row(f->st, &flt, as_of_likes, &likes, &e), 0);
	assert_int_equal(likes, 700);
}

static void test_ids_stay_exact_text(void **state)
{
	static const char *const ids[] = {
		"9007199254740993",     /* 2^53 + 1: not a double */
		"9007199254740992",
		"7412345678901234567",
		"18446744073709551617", /* past uint64 */
		"007",
		"7",
		"BV1xK4y1a7Zq",
	};
	struct fixture *f = *state;
	struct rows rs;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		struct post p = new_post(ids[i], T0 + (int64_t)i, "t");
		assert_int_equal(put(f->st, &p, T0), STORE_NEW);
	}
	assert_int_equal(count(f->st, "posts"), ARRAY_LEN(ids));
	read_posts(f->st, INT64_MIN, INT64_MAX, &rs);
	assert_int_equal(rs.n, ARRAY_LEN(ids));
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) /* created_at orders them */
		row_check(&bad, !strcmp(rs.r[i].post_id, ids[i]), "id '%s' came back as '%s'", ids[i],
			  rs.r[i].post_id);
	assert_int_equal(bad, 0);
}

/* The same id on two platforms is two posts. */
static void test_unique_per_platform(void **state)
{
	struct fixture *f = *state;
	struct post a = new_post("123", T0, "a");
	struct post b = new_post("123", T0, "b");

	b.platform = "douyin";
	assert_int_equal(put(f->st, &a, T0), STORE_NEW);
	assert_int_equal(put(f->st, &b, T0), STORE_NEW);
	assert_int_equal(count(f->st, "posts"), 2);
}

static void test_tags_and_topics_in_order(void **state)
{
	static const char *hashtags[] = {"科普之光", "航天科普", "千万IP创科普"};
	static const char *reordered[] = {"千万IP创科普", "科普之光", "航天科普"};
	static const char *campaign[] = {"千万IP创科普"};
	static const char *topics[] = {"千万IP创科普", "b\"q", "航天"};
	struct fixture *f = *state;
	struct post p = new_post("9", T0, "text");
	struct row r;

	p.hashtags = hashtags;
	p.nhashtags = 3;
	p.campaign_tags = campaign;
	p.ncampaign_tags = 1;
	p.topics = topics;
	p.ntopics = 3;
	assert_int_equal(put(f->st, &p, T0), STORE_NEW);
	assert_int_equal(count(f->st, "post_tags"), 4);
	read_one(f->st, &r);
	assert_string_equal(r.hashtags, "科普之光|航天科普|千万IP创科普");
	assert_string_equal(r.campaign, "千万IP创科普");
	assert_string_equal(r.topics, "千万IP创科普|b\"q|航天");

	assert_int_equal(put(f->st, &p, T0 + 1), STORE_UNCHANGED);

	/* the same tags in another order are a change, and replace the old */
	p.hashtags = reordered;
	assert_int_equal(put(f->st, &p, T0 + 2), STORE_UPDATED);
	assert_int_equal(count(f->st, "post_tags"), 4);
	read_one(f->st, &r);
	assert_string_equal(r.hashtags, "千万IP创科普|科普之光|航天科普");

	/* one tag fewer */
	p.nhashtags = 2;
	assert_int_equal(put(f->st, &p, T0 + 3), STORE_UPDATED);
	assert_int_equal(count(f->st, "post_tags"), 3);
	read_one(f->st, &r);
	assert_string_equal(r.hashtags, "千万IP创科普|科普之光");

	/* one topic fewer */
	p.ntopics = 2;
	assert_int_equal(put(f->st, &p, T0 + 4), STORE_UPDATED);
	read_one(f->st, &r);
	assert_string_equal(r.topics, "千万IP创科普|b\"q");
}

static void test_foreach_filter_and_order(void **state)
{
	struct fixture *f = *state;
	struct post late = new_post("3", T0 + 7200, "late");
	struct post early = new_post("1", T0, "early");
	struct post mid = new_post("2", T0 + 3600, "mid");
	struct rows rs;

	assert_int_equal(put(f->st, &late, T0), STORE_NEW);
	assert_int_equal(put(f->st, &early, T0), STORE_NEW);
	assert_int_equal(put(f->st, &mid, T0), STORE_NEW);

	read_posts(f->st, INT64_MIN, INT64_MAX, &rs);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.r[0].text, "early");
	assert_string_equal(rs.r[1].text, "mid");
	assert_string_equal(rs.r[2].text, "late");

	/* [since, until): since included, until excluded */
	read_posts(f->st, T0 + 3600, T0 + 7200, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].text, "mid");
	read_posts(f->st, T0 + 7201, INT64_MAX, &rs);
	assert_int_equal(rs.n, 0);
}

/* A callback error stops the walk and comes back to the caller. */
static int stop_at_first(void *ctx, const struct post *p, struct kerr *e)
{
	int *calls = ctx;

	(void)p;
	(*calls)++;
	return kerr_set(e, KERR_IO, "stopped by callback");
}

static void test_foreach_stops_on_callback_error(void **state)
{
	struct fixture *f = *state;
	struct store_filter all = {INT64_MIN, INT64_MAX};
	struct post a = new_post("1", T0, "a"), b = new_post("2", T0 + 1, "b");
	int calls = 0;
	struct kerr e;

	put(f->st, &a, T0);
	put(f->st, &b, T0);
	assert_int_equal(store_foreach_post(f->st, &all, stop_at_first, &calls, &e), -1);
	assert_int_equal(calls, 1);
	assert_int_equal(e.code, KERR_IO);
	assert_string_equal(e.msg, "stopped by callback");
}

static void test_rollback(void **state)
{
	struct fixture *f = *state;
	struct post p = new_post("1", T0, "x");
	enum store_put_result r;
	struct kerr e;

	set_count(&p, PC_LIKES, 1, 0);
	assert_int_equal(store_begin(f->st, &e), 0);
	assert_int_equal(store_put_post(f->st, &p, T0, &r, &e), 0);
	assert_int_equal(r, STORE_NEW);
	store_rollback(f->st);
	assert_int_equal(count(f->st, "posts"), 0);
	assert_int_equal(count(f->st, "snapshots"), 0);
	assert_int_equal(put(f->st, &p, T0), STORE_NEW);
}

static void test_runs_and_count(void **state)
{
	struct fixture *f = *state;
	struct run_counts c = {5, 3, 0, 3, 0, 0, 2};
	int64_t id1 = 0, id2 = 0, n = 0;
	struct kerr e;

	assert_int_equal(store_run_begin(f->st, "import", "a.ndjson", T0, &id1, &e), 0);
	assert_int_equal(store_run_finish(f->st, id1, &c, "ok", NULL, &e), 0);
	assert_int_equal(store_run_begin(f->st, "import", NULL, T0 + 1, &id2, &e), 0);
	assert_true(id2 > id1);
	assert_int_equal(count(f->st, "runs"), 2);

	kerr_clear(&e);
	assert_int_equal(store_count(f->st, "posts; DROP TABLE posts", &n, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_int_equal(count(f->st, "posts"), 0);
}

static void test_platforms(void **state)
{
	(void)state;
	assert_true(platform_find("weibo"));
	assert_true(platform_find("wechat_channels"));
	assert_true(platform_find("other"));
	assert_false(platform_find("Weibo"));
	assert_false(platform_find("myspace"));
	assert_int_equal(nplatforms, 9);
	assert_string_equal(post_count_names[PC_VIEWS], "views");
	assert_string_equal(post_count_names[PC_FAVORITES], "favorites");
}

/* ---- the lock ---- */

static void test_lock(void **state)
{
	struct fixture *f = *state;
	int fd1 = -1, fd2 = 7, fd3 = -1;
	char want[64];
	struct kerr e;

	kerr_clear(&e);
	if (store_lock(f->db, "import", &fd1, &e) < 0)
		fail_msg("first lock: %s", e.msg);
	assert_true(fd1 >= 0);

	/* a second open file description in the same process is refused */
	assert_int_equal(store_lock(f->db, "collect", &fd2, &e), -1);
	assert_int_equal(fd2, -1);
	assert_int_equal(e.code, KERR_LOCKED);
	snprintf(want, sizeof(want), "pid %ld", (long)getpid());
	assert_contains(e.msg, want);
	assert_contains(e.msg, "import"); /* what the holder is doing */

	store_unlock(fd1);
	kerr_clear(&e);
	if (store_lock(f->db, "collect", &fd3, &e) < 0)
		fail_msg("lock after unlock: %s", e.msg);
	assert_true(fd3 >= 0);
	store_unlock(fd3);
	store_unlock(-1); /* harmless */
}

static void test_lock_bad_directory(void **state)
{
	int fd = 5;
	struct kerr e;

	(void)state;
	kerr_clear(&e);
	assert_int_equal(store_lock("/nonexistent-dir-kepu/kepu.db", "import", &fd, &e), -1);
	assert_int_equal(fd, -1);
	assert_int_equal(e.code, KERR_IO);
	assert_contains(e.msg, "cannot create the database /nonexistent-dir-kepu/kepu.db");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_reopen),
		T(test_open_not_a_database),
		T(test_open_newer_schema),
		T(test_upgrade_from_v1),
		T(test_put_new_unchanged_updated),
		T(test_put_without_counts_no_snapshot),
		T(test_unknown_count_keeps_stored),
		T(test_lower_bound),
		T(test_sources_own_their_counts),
		T(test_as_of_reads_state),
		T(test_ids_stay_exact_text),
		T(test_unique_per_platform),
		T(test_tags_and_topics_in_order),
		T(test_foreach_filter_and_order),
		T(test_foreach_stops_on_callback_error),
		T(test_rollback),
		T(test_runs_and_count),
		T(test_platforms),
		T(test_lock),
		cmocka_unit_test(test_lock_bad_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
