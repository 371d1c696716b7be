/*
 * unit_users.c: store/users.c on a scratch database: accounts (duplicates,
 * the unit rule, lists without hashes), sessions (the id never stored,
 * idle expiry, the once-a-minute touch, disabled users, logout), failed
 * logins counted in their window, and store_login's rules (the same
 * answer for an unknown name, a disabled account and a wrong password;
 * the limit; rehashing).
 *
 * SQLite is opened directly only to look at what store/ does not expose
 * (the rows of sessions, a row changed behind the store's back), and the
 * files' bytes are read to look for secrets.
 */
#include "testutil.h"

#include <sodium.h>
#include <sqlite3.h>
#include <time.h>

#include "../store/store.h"

#define T0 1756684800 /* 2025-09-01T08:00:00+08:00 */

static const char pw[] = "correct horse battery";

struct fixture {
	struct tmpdir dir;
	char db[128];
	struct store *st;
	char hash[PASSWD_HASH_SIZE]; /* of pw */
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
	if (store_open(&f->st, f->db, &e) < 0 || passwd_hash(pw, strlen(pw), f->hash, &e) < 0) {
		print_error("setup: %s\n", e.msg);
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

static void add(struct fixture *f, const char *name, enum role role, const char *unit)
{
	struct kerr e;

	if (store_user_add(f->st, name, role, unit, f->hash, T0, &e) < 0)
		fail_msg("store_user_add %s: %s", name, e.msg);
}

static void session(struct fixture *f, const char *user, int64_t now, char id[PASSWD_TOKEN_SIZE],
		    char csrf[PASSWD_TOKEN_SIZE])
{
	struct kerr e;

	if (store_session_create(f->st, user, now, id, csrf, &e) < 0)
		fail_msg("store_session_create %s: %s", user, e.msg);
}

/* store_session_get; fails the test on a database error. */
static int lookup(struct fixture *f, const char *id, int64_t now, struct store_session *s)
{
	struct kerr e;
	int found = -1;

	if (store_session_get(f->st, id, now, s, &found, &e) < 0)
		fail_msg("store_session_get: %s", e.msg);
	return found;
}

/* One number from SQL run on the database file directly. */
static int64_t sql_count(struct fixture *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void sql_exec(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* 1 when needle occurs in the bytes of the file at path (absent: 0). */
static int file_has(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	static char buf[8 << 20];
	size_t n;

	if (!fp)
		return 0;
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	return memmem(buf, n, needle, strlen(needle)) != NULL;
}

/* ---- accounts ---- */

static void test_add_and_get(void **state)
{
	struct fixture *f = *state;
	struct store_user u;
	struct kerr e;
	int found = -1;

	add(f, "alice", ROLE_ADMIN, NULL);
	add(f, "江津宣传", ROLE_DISTRICT, "500116");
	assert_int_equal(store_user_get(f->st, "alice", &u, &found, &e), 0);
	assert_int_equal(found, 1);
	assert_string_equal(u.name, "alice");
	assert_int_equal(u.role, ROLE_ADMIN);
	assert_string_equal(u.unit_code, "");
	assert_string_equal(u.pwhash, f->hash);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(u.created_at, T0);
	assert_int_equal(u.updated_at, T0);
	assert_int_equal(store_user_get(f->st, "江津宣传", &u, &found, &e), 0);
	assert_int_equal(u.role, ROLE_DISTRICT);
	assert_string_equal(u.unit_code, "500116");
	/* names are exact: another letter case is another (unknown) name */
	assert_int_equal(store_user_get(f->st, "Alice", &u, &found, &e), 0);
	assert_int_equal(found, 0);
	assert_int_equal(store_user_get(f->st, "nobody", &u, NULL, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_string_equal(e.msg, "no user 'nobody'");
}

static void test_duplicate_refused(void **state)
{
	struct fixture *f = *state;
	struct store_user u;
	struct kerr e;

	add(f, "alice", ROLE_VIEWER, NULL);
	assert_int_equal(store_user_add(f->st, "alice", ROLE_ADMIN, NULL, f->hash, T0 + 5, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_string_equal(e.msg, "user 'alice' already exists");
	/* the first account is as it was */
	assert_int_equal(store_user_get(f->st, "alice", &u, NULL, &e), 0);
	assert_int_equal(u.role, ROLE_VIEWER);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM users"), 1);
}

static void test_add_refusals(void **state)
{
	struct fixture *f = *state;
	struct kerr e;

	assert_int_equal(store_user_add(f->st, "d", ROLE_DISTRICT, NULL, f->hash, T0, &e), -1);
	assert_contains(e.msg, "needs its unit");
	assert_int_equal(store_user_add(f->st, "d", ROLE_DISTRICT, "", f->hash, T0, &e), -1);
	assert_int_equal(store_user_add(f->st, "v", ROLE_VIEWER, "500116", f->hash, T0, &e), -1);
	assert_contains(e.msg, "only a district account has a unit");
	assert_int_equal(store_user_add(f->st, "a b", ROLE_VIEWER, NULL, f->hash, T0, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_int_equal(store_user_add(f->st, "a:b", ROLE_VIEWER, NULL, f->hash, T0, &e), -1);
	assert_int_equal(store_user_add(f->st, "v", ROLE_VIEWER, NULL, "", T0, &e), -1);
	assert_int_equal(store_user_add(f->st, "v", ROLE_N, NULL, f->hash, T0, &e), -1);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM users"), 0);
	/* the schema keeps the rule too, against writers other than kepu */
	assert_int_equal(sql_count(f, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"
				      " AND sql LIKE '%CHECK%unit_code IS NOT NULL%'"),
			 1);
}

struct names {
	char v[8][400];
	int n, hashes;
};

static int collect_user(void *ctx, const struct store_user *u, struct kerr *e)
{
	struct names *ns = ctx;

	(void)e;
	if (ns->n < 8)
		snprintf(ns->v[ns->n++], sizeof(ns->v[0]), "%s:%s:%s:%d", u->name, role_name(u->role), u->unit_code,
			 u->disabled);
	ns->hashes += u->pwhash[0] != '\0';
	return 0;
}

static void test_list_without_hashes(void **state)
{
	struct fixture *f = *state;
	struct names ns;
	struct kerr e;

	add(f, "carol", ROLE_REVIEWER, NULL);
	add(f, "alice", ROLE_ADMIN, NULL);
	add(f, "bob", ROLE_DISTRICT, "500116");
	assert_int_equal(store_user_disable(f->st, "carol", T0 + 1, NULL, &e), 0);
	memset(&ns, 0, sizeof(ns));
	assert_int_equal(store_user_foreach(f->st, collect_user, &ns, &e), 0);
	assert_int_equal(ns.n, 3);
	assert_string_equal(ns.v[0], "alice:admin::0");
	assert_string_equal(ns.v[1], "bob:district:500116:0");
	assert_string_equal(ns.v[2], "carol:reviewer::1");
	assert_int_equal(ns.hashes, 0);
}

static void test_set_password(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE], h2[PASSWD_HASH_SIZE];
	struct store_session s;
	struct store_user u;
	struct kerr e;
	int ended = -1;

	add(f, "alice", ROLE_ADMIN, NULL);
	session(f, "alice", T0, id, csrf);
	assert_int_equal(passwd_hash("another password", 16, h2, &e), 0);
	assert_int_equal(store_user_set_password(f->st, "alice", h2, T0 + 10, &e), 0);
	assert_int_equal(store_user_get(f->st, "alice", &u, NULL, &e), 0);
	assert_string_equal(u.pwhash, h2);
	assert_int_equal(u.updated_at, T0 + 10);
	assert_int_equal(u.created_at, T0);
	/* sessions are the caller's to end (kepu user passwd does) */
	assert_int_equal(lookup(f, id, T0 + 20, &s), 1);
	assert_int_equal(store_session_delete_user(f->st, "alice", &ended, &e), 0);
	assert_int_equal(ended, 1);
	assert_int_equal(lookup(f, id, T0 + 20, &s), 0);
	assert_int_equal(store_user_set_password(f->st, "nobody", h2, T0, &e), -1);
	assert_string_equal(e.msg, "no user 'nobody'");
}

/* ---- sessions ---- */

static void test_session_id_never_stored(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE], key[65], path[160];
	unsigned char md[crypto_hash_sha256_BYTES];
	sqlite3 *db;
	sqlite3_stmt *st;
	int rows = 0;

	add(f, "alice", ROLE_ADMIN, NULL);
	session(f, "alice", T0, id, csrf);
	assert_true(passwd_token_valid(id));
	assert_true(passwd_token_valid(csrf));
	assert_string_not_equal(id, csrf);
	/* every column of every row: the id is in none, its SHA-256 is the key */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM sessions", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			if (v && strstr(v, id))
				fail_msg("column %s holds the session id", sqlite3_column_name(st, c));
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(rows, 1);
	crypto_hash_sha256(md, (const unsigned char *)id, strlen(id));
	sodium_bin2hex(key, sizeof(key), md, sizeof(md));
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE id_hash = '%s'", key);
		assert_int_equal(sql_count(f, sql), 1);
	}
	/* nor in the files' bytes (the database and its write-ahead log) */
	store_close(f->st);
	f->st = NULL;
	assert_false(file_has(f->db, id));
	snprintf(path, sizeof(path), "%s-wal", f->db);
	assert_false(file_has(path, id));
	assert_true(file_has(f->db, key) || file_has(path, key)); /* the search can find what is there */
}

static void test_session_get(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	struct store_session s;

	add(f, "bob", ROLE_DISTRICT, "500116");
	session(f, "bob", T0, id, csrf);
	assert_int_equal(lookup(f, id, T0 + 1, &s), 1);
	assert_string_equal(s.user, "bob");
	assert_int_equal(s.role, ROLE_DISTRICT);
	assert_string_equal(s.unit_code, "500116");
	assert_string_equal(s.csrf, csrf);
	assert_int_equal(s.created_at, T0);
	/* ids not shaped like one, and unknown ones: no session, no error */
	assert_int_equal(lookup(f, "", T0, &s), 0);
	assert_int_equal(lookup(f, "abc", T0, &s), 0);
	assert_int_equal(lookup(f, csrf, T0, &s), 0); /* the CSRF token is not a session id */
	{
		char upper[PASSWD_TOKEN_SIZE];
		for (int i = 0; i < PASSWD_TOKEN_SIZE; i++)
			upper[i] = (char)(id[i] >= 'a' && id[i] <= 'f' ? id[i] - 32 : id[i]);
		assert_int_equal(lookup(f, upper, T0, &s), strcmp(upper, id) == 0);
	}
	/* a role changed behind the session applies at once */
	sql_exec(f, "UPDATE users SET role = 'viewer', unit_code = NULL WHERE name = 'bob'");
	assert_int_equal(lookup(f, id, T0 + 2, &s), 1);
	assert_int_equal(s.role, ROLE_VIEWER);
	assert_string_equal(s.unit_code, "");
}

static void test_session_idle_expiry(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE], id2[PASSWD_TOKEN_SIZE];
	struct store_session s;
	int64_t t;

	add(f, "alice", ROLE_ADMIN, NULL);
	session(f, "alice", T0, id, csrf);
	session(f, "alice", T0, id2, csrf);
	/* used 30 s later: not written (at most once a minute) */
	assert_int_equal(lookup(f, id, T0 + 30, &s), 1);
	assert_int_equal(s.last_seen, T0);
	/* a minute later: last_seen moves */
	assert_int_equal(lookup(f, id, T0 + 60, &s), 1);
	assert_int_equal(s.last_seen, T0 + 60);
	/* idle for 8 h less a second from the last touch: alive, and touched */
	t = T0 + 60 + STORE_SESSION_IDLE - 1;
	assert_int_equal(lookup(f, id, t, &s), 1);
	assert_int_equal(s.last_seen, t);
	/* idle for exactly 8 h: gone, and its row deleted */
	assert_int_equal(lookup(f, id, t + STORE_SESSION_IDLE, &s), 0);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(lookup(f, id, t, &s), 0); /* no coming back with an earlier clock */
	/* the other session was never used after T0: long expired, pruned */
	assert_int_equal(store_session_prune(f->st, T0 + STORE_SESSION_IDLE, NULL), 0);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM sessions"), 0);
}

static void test_session_prune_keeps_live(void **state)
{
	struct fixture *f = *state;
	char a[PASSWD_TOKEN_SIZE], b[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	struct store_session s;
	struct kerr e;

	add(f, "alice", ROLE_ADMIN, NULL);
	session(f, "alice", T0, a, csrf);
	session(f, "alice", T0 + 3600, b, csrf);
	assert_int_equal(store_session_prune(f->st, T0 + STORE_SESSION_IDLE + 10, &e), 0);
	assert_int_equal(lookup(f, a, T0 + STORE_SESSION_IDLE + 10, &s), 0);
	assert_int_equal(lookup(f, b, T0 + STORE_SESSION_IDLE + 10, &s), 1);
}

static void test_disabled_user(void **state)
{
	struct fixture *f = *state;
	char a[PASSWD_TOKEN_SIZE], b[PASSWD_TOKEN_SIZE], c[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	struct store_session s;
	struct store_user u;
	struct kerr e;
	int ended = -1;

	add(f, "alice", ROLE_ADMIN, NULL);
	add(f, "carol", ROLE_REVIEWER, NULL);
	session(f, "alice", T0, a, csrf);
	session(f, "alice", T0, b, csrf);
	session(f, "carol", T0, c, csrf);
	/* disabling ends the user's sessions, and only theirs */
	assert_int_equal(store_user_disable(f->st, "alice", T0 + 5, &ended, &e), 0);
	assert_int_equal(ended, 2);
	assert_int_equal(lookup(f, a, T0 + 6, &s), 0);
	assert_int_equal(lookup(f, c, T0 + 6, &s), 1);
	assert_int_equal(store_user_get(f->st, "alice", &u, NULL, &e), 0);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(u.updated_at, T0 + 5);
	/* again: no error, nothing more to end, the time of disabling kept */
	assert_int_equal(store_user_disable(f->st, "alice", T0 + 9, &ended, &e), 0);
	assert_int_equal(ended, 0);
	assert_int_equal(store_user_get(f->st, "alice", &u, NULL, &e), 0);
	assert_int_equal(u.updated_at, T0 + 5);
	/* a disabled user gets no new session */
	assert_int_equal(store_session_create(f->st, "alice", T0 + 10, a, csrf, &e), -1);
	assert_int_equal(e.code, KERR_USAGE);
	assert_int_equal(store_session_create(f->st, "nobody", T0 + 10, a, csrf, &e), -1);
	assert_int_equal(store_user_disable(f->st, "nobody", T0, NULL, &e), -1);
	assert_string_equal(e.msg, "no user 'nobody'");
	/* a user disabled behind the store's back: the lookup refuses the
	 * session and deletes all of that user's */
	session(f, "carol", T0, a, csrf);
	sql_exec(f, "UPDATE users SET disabled = 1 WHERE name = 'carol'");
	assert_int_equal(lookup(f, c, T0 + 20, &s), 0);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM sessions WHERE user = 'carol'"), 0);
}

static void test_logout(void **state)
{
	struct fixture *f = *state;
	char a[PASSWD_TOKEN_SIZE], b[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	struct store_session s;
	struct kerr e;

	add(f, "alice", ROLE_ADMIN, NULL);
	session(f, "alice", T0, a, csrf);
	session(f, "alice", T0, b, csrf);
	assert_int_equal(store_session_delete(f->st, a, &e), 0);
	assert_int_equal(lookup(f, a, T0 + 1, &s), 0);
	assert_int_equal(lookup(f, b, T0 + 1, &s), 1);
	assert_int_equal(store_session_delete(f->st, a, &e), 0); /* twice: no error */
	assert_int_equal(store_session_delete(f->st, "junk", &e), 0);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM sessions"), 1);
}

/* ---- failed logins ---- */

static int64_t failures(struct fixture *f, const char *user, const char *addr, int64_t since)
{
	int64_t n = -1;
	struct kerr e;

	if (store_login_failures(f->st, user, addr, since, &n, &e) < 0)
		fail_msg("store_login_failures: %s", e.msg);
	return n;
}

static void test_failure_window(void **state)
{
	struct fixture *f = *state;
	static char long_name[4096];
	struct kerr e;

	assert_int_equal(store_login_failure_add(f->st, "alice", "10.0.0.1", T0, &e), 0);
	assert_int_equal(store_login_failure_add(f->st, "alice", "10.0.0.1", T0 + 100, &e), 0);
	assert_int_equal(store_login_failure_add(f->st, "alice", "10.0.0.1", T0 + 700, &e), 0);
	assert_int_equal(store_login_failure_add(f->st, "alice", "10.0.0.2", T0 + 700, &e), 0);
	assert_int_equal(store_login_failure_add(f->st, "bob", "10.0.0.1", T0 + 700, &e), 0);
	assert_int_equal(failures(f, "alice", "10.0.0.1", T0), 3);
	assert_int_equal(failures(f, "alice", "10.0.0.1", T0 + 100), 2); /* since is inclusive */
	assert_int_equal(failures(f, "alice", "10.0.0.1", T0 + 101), 1);
	assert_int_equal(failures(f, "alice", "10.0.0.2", T0), 1);
	assert_int_equal(failures(f, "bob", "10.0.0.1", T0), 1);
	assert_int_equal(failures(f, "carol", "10.0.0.1", T0), 0);
	assert_int_equal(failures(f, "Alice", "10.0.0.1", T0), 0);
	assert_int_equal(store_login_failures_prune(f->st, T0 + 101, &e), 0);
	assert_int_equal(failures(f, "alice", "10.0.0.1", 0), 1);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM login_failures"), 3);
	/* a long name typed is a key cut to its first bytes, not a failure to record */
	memset(long_name, 'x', sizeof(long_name) - 1);
	assert_int_equal(store_login_failure_add(f->st, long_name, "10.0.0.1", T0 + 800, &e), 0);
	assert_int_equal(failures(f, long_name, "10.0.0.1", T0), 1);
	assert_int_equal(sql_count(f, "SELECT max(length(user)) FROM login_failures"), USER_NAME_MAX_BYTES);
}

/* ---- login ---- */

static enum store_login_result login(struct fixture *f, const char *user, const char *pass, const char *addr,
				     int64_t now, char id[PASSWD_TOKEN_SIZE], char csrf[PASSWD_TOKEN_SIZE])
{
	int none = -1; /* store_login must set the result */
	enum store_login_result r = (enum store_login_result)none;
	struct kerr e;

	if (store_login(f->st, user, pass, strlen(pass), addr, now, &r, id, csrf, &e) < 0)
		fail_msg("store_login: %s", e.msg);
	return r;
}

static void test_login(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	struct store_session s;
	struct store_user u;
	struct kerr e;

	add(f, "alice", ROLE_ADMIN, NULL);
	add(f, "dora", ROLE_VIEWER, NULL);
	assert_int_equal(store_user_disable(f->st, "dora", T0, NULL, &e), 0);
	assert_int_equal(login(f, "alice", pw, "10.0.0.1", T0, id, csrf), STORE_LOGIN_OK);
	assert_int_equal(lookup(f, id, T0 + 1, &s), 1);
	assert_string_equal(s.user, "alice");
	assert_string_equal(s.csrf, csrf);
	/* unknown, disabled and wrong: one answer, each a recorded failure */
	assert_int_equal(login(f, "mallory", pw, "10.0.0.1", T0, id, csrf), STORE_LOGIN_REFUSED);
	assert_int_equal(login(f, "dora", pw, "10.0.0.1", T0, id, csrf), STORE_LOGIN_REFUSED);
	assert_int_equal(login(f, "alice", "wrong password!", "10.0.0.1", T0, id, csrf), STORE_LOGIN_REFUSED);
	assert_int_equal(failures(f, "mallory", "10.0.0.1", 0), 1);
	assert_int_equal(failures(f, "dora", "10.0.0.1", 0), 1);
	assert_int_equal(failures(f, "alice", "10.0.0.1", 0), 1);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM sessions"), 1);
	/* a hash made with the current limits is kept as it is */
	assert_int_equal(store_user_get(f->st, "alice", &u, NULL, &e), 0);
	assert_string_equal(u.pwhash, f->hash);
}

static void test_login_limit(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	int64_t t = T0;

	add(f, "alice", ROLE_ADMIN, NULL);
	for (int i = 0; i < STORE_LOGIN_MAX_FAILURES; i++, t += 60)
		assert_int_equal(login(f, "alice", "wrong password!", "10.0.0.1", t, id, csrf), STORE_LOGIN_REFUSED);
	/* the sixth try within 10 minutes is limited, the right password too */
	assert_int_equal(login(f, "alice", pw, "10.0.0.1", t, id, csrf), STORE_LOGIN_LIMITED);
	assert_int_equal(failures(f, "alice", "10.0.0.1", 0), STORE_LOGIN_MAX_FAILURES);
	/* another address, or another name from this address, is not */
	assert_int_equal(login(f, "alice", pw, "10.0.0.2", t, id, csrf), STORE_LOGIN_OK);
	assert_int_equal(login(f, "bob", pw, "10.0.0.1", t, id, csrf), STORE_LOGIN_REFUSED);
	/* 10 minutes after the first failure it has left the window */
	assert_int_equal(login(f, "alice", pw, "10.0.0.1", T0 + STORE_LOGIN_WINDOW - 1, id, csrf), STORE_LOGIN_LIMITED);
	assert_int_equal(login(f, "alice", pw, "10.0.0.1", T0 + STORE_LOGIN_WINDOW, id, csrf), STORE_LOGIN_OK);
	/* an unknown name is limited the same way */
	for (int i = 0; i < STORE_LOGIN_MAX_FAILURES; i++)
		assert_int_equal(login(f, "ghost", pw, "10.0.0.3", T0, id, csrf), STORE_LOGIN_REFUSED);
	assert_int_equal(login(f, "ghost", pw, "10.0.0.3", T0, id, csrf), STORE_LOGIN_LIMITED);
}

static void test_login_rehash(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE], old[crypto_pwhash_STRBYTES];
	struct store_user u;
	struct kerr e;

	assert_true(sodium_init() >= 0);
	assert_int_equal(crypto_pwhash_str(old, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN),
			 0);
	assert_int_equal(store_user_add(f->st, "alice", ROLE_ADMIN, NULL, old, T0, &e), 0);
	assert_int_equal(login(f, "alice", pw, "10.0.0.1", T0 + 50, id, csrf), STORE_LOGIN_OK);
	assert_int_equal(store_user_get(f->st, "alice", &u, NULL, &e), 0);
	assert_string_not_equal(u.pwhash, old);
	assert_int_equal(passwd_needs_rehash(u.pwhash), 0);
	assert_int_equal(passwd_verify(u.pwhash, pw, strlen(pw)), 1);
	assert_int_equal(u.updated_at, T0 + 50);
}

/* An unknown name costs what a wrong password costs: one argon2id
 * verification each (counted, not timed: tests never time), and a
 * disabled account the same. */
static void test_login_same_work(void **state)
{
	struct fixture *f = *state;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	long w0, w1, w2, w3;
	struct kerr e;

	add(f, "alice", ROLE_ADMIN, NULL);
	add(f, "bob", ROLE_VIEWER, NULL);
	assert_int_equal(store_user_disable(f->st, "bob", T0, NULL, &e), 0);
	w0 = passwd_work();
	assert_int_equal(login(f, "alice", "wrong password!", "10.0.0.1", T0, id, csrf), STORE_LOGIN_REFUSED);
	w1 = passwd_work();
	assert_int_equal(login(f, "nobody", "wrong password!", "10.0.0.1", T0, id, csrf), STORE_LOGIN_REFUSED);
	w2 = passwd_work();
	assert_int_equal(login(f, "bob", pw, "10.0.0.1", T0, id, csrf), STORE_LOGIN_REFUSED);
	w3 = passwd_work();
	assert_int_equal(w1 - w0, 1);
	assert_int_equal(w2 - w1, 1);
	assert_int_equal(w3 - w2, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_and_get),
		T(test_duplicate_refused),
		T(test_add_refusals),
		T(test_list_without_hashes),
		T(test_set_password),
		T(test_session_id_never_stored),
		T(test_session_get),
		T(test_session_idle_expiry),
		T(test_session_prune_keeps_live),
		T(test_disabled_user),
		T(test_logout),
		T(test_failure_window),
		T(test_login),
		T(test_login_limit),
		T(test_login_rehash),
		T(test_login_same_work),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
