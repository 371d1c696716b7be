/*
 * users.c: accounts, sessions and failed logins of the web workspace
 * (store.h, "Accounts and sessions").  Its statements run on every request
 * of the workspace, so each is prepared once per connection like the rest
 * of the store's (internal.h, store_stmt()).
 *
 * A session id is 32 random bytes as hex (util/passwd.h); the table keeps
 * the SHA-256 of it, so the database file alone never lets anyone in.
 * Writes that go together (a disabling and the end of its sessions) run
 * under a savepoint: one transaction on their own, a part of the caller's
 * inside one.
 *
 * Not for: deciding what a role may do (the fronts), reading passwords.
 */
#include "store.h"
#include "internal.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "../util/passwd.h"

/* The SHA-256 of a session id, as hex: the sessions table's key. */
static void id_key(const char *id, char out[2 * crypto_hash_sha256_BYTES + 1])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, (const unsigned char *)id, strlen(id));
	sodium_bin2hex(out, 2 * crypto_hash_sha256_BYTES + 1, md, sizeof(md));
}

/* A key of login_failures cut to its first USER_NAME_MAX_BYTES bytes. */
static void bind_key(sqlite3_stmt *st, int i, const char *v)
{
	size_t n = strlen(v);

	sqlite3_bind_text(st, i, v, (int)(n > USER_NAME_MAX_BYTES ? USER_NAME_MAX_BYTES : n), SQLITE_STATIC);
}

static const struct store_sql q_savepoint = {ST_USERS_SAVEPOINT, "SAVEPOINT users"};
static const struct store_sql q_release = {ST_USERS_RELEASE, "RELEASE users"};
static const struct store_sql q_rollback_to = {ST_USERS_ROLLBACK_TO, "ROLLBACK TO users"};

/* Step a savepoint statement (store_exec_once(): "<db path>: <SQLite's message>"). */
static int savepoint_step(struct store *s, const struct store_sql *q, struct kerr *e)
{
	return store_exec_once(s, q, "cannot prepare a savepoint", e);
}

static int savepoint(struct store *s, struct kerr *e)
{
	return savepoint_step(s, &q_savepoint, e);
}

/* Release the savepoint when rc is 0 (committing when it was the
 * transaction), else undo everything since it; rc, or -1 when the
 * release failed. */
static int savepoint_end(struct store *s, int rc, struct kerr *e)
{
	struct kerr ignored;

	if (rc == 0 && savepoint_step(s, &q_release, e) == 0)
		return 0;
	/* e already says what failed; the release only after the rollback,
	 * as "ROLLBACK TO users; RELEASE users" would stop at a failure */
	if (savepoint_step(s, &q_rollback_to, &ignored) == 0)
		savepoint_step(s, &q_release, &ignored);
	return -1;
}

static int user_missing(struct kerr *e, const char *name)
{
	return kerr_set(e, KERR_USAGE, "no user '%s'", name);
}

/* ---- accounts ---- */

static const struct store_sql q_user_add = {
	ST_USER_ADD, "INSERT INTO users (name, role, unit_code, pwhash, disabled, created_at, updated_at)"
		     " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)"};
/* The columns of both SELECTs of users below, as read_user() reads them. */
enum { U_COL_NAME, U_COL_ROLE, U_COL_UNIT, U_COL_PWHASH, U_COL_DISABLED, U_COL_CREATED, U_COL_UPDATED };
static const struct store_sql q_user_get = {ST_USER_GET,
					    "SELECT name, role, unit_code, pwhash, disabled, created_at, updated_at"
					    " FROM users WHERE name = ?1"};
/* '' for the hash: a list never reads one */
static const struct store_sql q_user_list = {
	ST_USER_LIST, "SELECT name, role, unit_code, '', disabled, created_at, updated_at FROM users ORDER BY name"};
static const struct store_sql q_user_disable = {
	ST_USER_DISABLE, "UPDATE users SET disabled = 1, updated_at = CASE WHEN disabled THEN updated_at ELSE ?2 END"
			 " WHERE name = ?1"};
static const struct store_sql q_user_set_password = {ST_USER_SET_PASSWORD,
						     "UPDATE users SET pwhash = ?2, updated_at = ?3 WHERE name = ?1"};

int store_user_add(struct store *s, const char *name, enum role role, const char *unit_code, const char *pwhash,
		   int64_t now, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (user_name_check(name, e) < 0)
		return -1;
	if ((unsigned)role >= ROLE_N)
		return kerr_set(e, KERR_USAGE, "user '%s': no such role", name);
	if ((role == ROLE_DISTRICT) != (unit_code && *unit_code))
		return kerr_set(e, KERR_USAGE, "user '%s': %s", name,
				role == ROLE_DISTRICT ? "a district account needs its unit"
						      : "only a district account has a unit");
	if (unit_code && strlen(unit_code) >= STORE_UNIT_CODE_MAX)
		return kerr_set(e, KERR_USAGE, "user '%s': unit code longer than %d bytes", name,
				STORE_UNIT_CODE_MAX - 1);
	if (!pwhash || !*pwhash || strlen(pwhash) >= PASSWD_HASH_SIZE)
		return kerr_set(e, KERR_USAGE, "user '%s': no password hash", name);
	if (!(st = store_stmt(s, &q_user_add, "cannot add user", e)))
		return -1;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, role_name(role));
	store_bind_text(st, 3, role == ROLE_DISTRICT ? unit_code : NULL);
	store_bind_text(st, 4, pwhash);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	/* the message before the reset, which may replace it */
	if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT_PRIMARYKEY)
		store_db_error(s, e, "cannot add user");
	store_stmt_done(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return kerr_set(e, KERR_USAGE, "user '%s' already exists", name);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The users row st is on (U_COL_*) into *u, copied: u outlives the row. */
static int read_user(struct store *s, sqlite3_stmt *st, struct store_user *u, struct kerr *e)
{
	const char *name = store_col_text(st, U_COL_NAME);
	const char *role = store_col_text(st, U_COL_ROLE);
	const char *unit = store_col_text(st, U_COL_UNIT);
	const char *hash = store_col_text(st, U_COL_PWHASH);
	int r = role_parse(role);

	memset(u, 0, sizeof(*u));
	if (r < 0)
		return kerr_set(e, KERR_DB, "%s: user '%s' has an unknown role '%s'", s->path, name ? name : "",
				role ? role : "");
	snprintf(u->name, sizeof(u->name), "%s", name ? name : "");
	u->role = (enum role)r;
	snprintf(u->unit_code, sizeof(u->unit_code), "%s", unit ? unit : "");
	snprintf(u->pwhash, sizeof(u->pwhash), "%s", hash ? hash : "");
	u->disabled = sqlite3_column_int(st, U_COL_DISABLED) != 0;
	u->created_at = sqlite3_column_int64(st, U_COL_CREATED);
	u->updated_at = sqlite3_column_int64(st, U_COL_UPDATED);
	return 0;
}

int store_user_get(struct store *s, const char *name, struct store_user *u, int *found, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, ret;

	if (found)
		*found = 0;
	if (!(st = store_stmt(s, &q_user_get, "cannot read user", e)))
		return -1;
	store_bind_text(st, 1, name);
	if ((rc = store_step_row(s, st, e, "cannot read user")) < 0)
		return -1;
	if (rc == 0)
		return found ? 0 : user_missing(e, name);
	ret = read_user(s, st, u, e);
	store_stmt_done(st);
	if (found && ret == 0)
		*found = 1;
	return ret;
}

int store_user_foreach(struct store *s, store_user_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_user_list, "cannot list users", e);
	struct store_user u;
	int rc, ret = 0;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((ret = read_user(s, st, &u, e)) < 0 || (ret = cb(ctx, &u, e)) < 0)
			break;
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_db_error(s, e, "cannot list users");
	store_stmt_done(st);
	return ret;
}

int store_user_disable(struct store *s, const char *name, int64_t now, int *ended, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (ended)
		*ended = 0;
	if (savepoint(s, e) < 0)
		return -1;
	if ((st = store_stmt(s, &q_user_disable, "cannot disable user", e))) {
		store_bind_text(st, 1, name);
		sqlite3_bind_int64(st, 2, now);
		rc = store_step_done(s, st, e, "cannot disable user");
	}
	if (rc == 0 && !sqlite3_changes(s->db))
		rc = user_missing(e, name);
	if (rc == 0)
		rc = store_session_delete_user(s, name, ended, e);
	return savepoint_end(s, rc, e);
}

int store_user_set_password(struct store *s, const char *name, const char *pwhash, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st;

	if (!pwhash || !*pwhash || strlen(pwhash) >= PASSWD_HASH_SIZE)
		return kerr_set(e, KERR_USAGE, "user '%s': no password hash", name);
	if (!(st = store_stmt(s, &q_user_set_password, "cannot set password", e)))
		return -1;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, pwhash);
	sqlite3_bind_int64(st, 3, now);
	if (store_step_done(s, st, e, "cannot set password") < 0)
		return -1;
	return sqlite3_changes(s->db) ? 0 : user_missing(e, name);
}

/* ---- sessions ---- */

static const struct store_sql q_session_create = {
	ST_SESSION_CREATE, "INSERT INTO sessions (id_hash, user, csrf, created_at, last_seen)"
			   " SELECT ?1, name, ?3, ?4, ?4 FROM users WHERE name = ?2 AND NOT disabled"};
enum { SS_COL_USER, SS_COL_ROLE, SS_COL_UNIT, SS_COL_CSRF, SS_COL_CREATED, SS_COL_LAST_SEEN, SS_COL_DISABLED };
static const struct store_sql q_session_get = {
	ST_SESSION_GET, "SELECT s.user, u.role, u.unit_code, s.csrf, s.created_at, s.last_seen, u.disabled"
			" FROM sessions s JOIN users u ON u.name = s.user WHERE s.id_hash = ?1"};
static const struct store_sql q_session_delete = {ST_SESSION_DELETE, "DELETE FROM sessions WHERE id_hash = ?1"};
static const struct store_sql q_session_touch = {ST_SESSION_TOUCH,
						 "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1"};
static const struct store_sql q_session_delete_user = {ST_SESSION_DELETE_USER, "DELETE FROM sessions WHERE user = ?1"};
static const struct store_sql q_session_prune = {ST_SESSION_PRUNE, "DELETE FROM sessions WHERE last_seen <= ?1"};

int store_session_create(struct store *s, const char *user, int64_t now, char id[PASSWD_TOKEN_SIZE],
			 char csrf[PASSWD_TOKEN_SIZE], struct kerr *e)
{
	char key[2 * crypto_hash_sha256_BYTES + 1];
	sqlite3_stmt *st;
	int rc;

	if (passwd_token(id, e) < 0 || passwd_token(csrf, e) < 0)
		return -1;
	id_key(id, key);
	if (!(st = store_stmt(s, &q_session_create, "cannot open session", e)))
		goto fail;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, user);
	store_bind_text(st, 3, csrf);
	sqlite3_bind_int64(st, 4, now);
	rc = store_step_done(s, st, e, "cannot open session");
	passwd_wipe(key, sizeof(key));
	if (rc < 0)
		goto fail;
	if (!sqlite3_changes(s->db)) {
		kerr_set(e, KERR_USAGE, "no user '%s', or the account is disabled", user);
		goto fail;
	}
	return 0;
fail:
	/* nothing half-made reaches the caller */
	passwd_wipe(id, PASSWD_TOKEN_SIZE);
	passwd_wipe(csrf, PASSWD_TOKEN_SIZE);
	return -1;
}

/* Run q, of no rows, bound to a text and, when given, a time; the rows it
 * changed in *changed (may be NULL). */
static int exec_text(struct store *s, const struct store_sql *q, const char *text, const int64_t *t, int *changed,
		     struct kerr *e, const char *what)
{
	sqlite3_stmt *st = store_stmt(s, q, what, e);

	if (!st)
		return -1;
	store_bind_text(st, 1, text);
	if (t)
		sqlite3_bind_int64(st, 2, *t);
	if (store_step_done(s, st, e, what) < 0)
		return -1;
	if (changed)
		*changed = sqlite3_changes(s->db);
	return 0;
}

int store_session_get(struct store *s, const char *id, int64_t now, struct store_session *out, int *found,
		      struct kerr *e)
{
	char key[2 * crypto_hash_sha256_BYTES + 1];
	sqlite3_stmt *st;
	int rc, role = -1, disabled = 0, ret = 0;
	int64_t last_seen = 0;

	*found = 0;
	if (!passwd_token_valid(id))
		return 0;
	id_key(id, key);
	if (!(st = store_stmt(s, &q_session_get, "cannot read session", e)))
		return -1;
	store_bind_text(st, 1, key);
	if ((rc = store_step_row(s, st, e, "cannot read session")) <= 0) {
		ret = rc;
		goto out;
	}
	{
		/* copied before the reset: out outlives the row */
		const char *user = store_col_text(st, SS_COL_USER);
		const char *unit = store_col_text(st, SS_COL_UNIT);
		const char *csrf = store_col_text(st, SS_COL_CSRF);

		memset(out, 0, sizeof(*out));
		snprintf(out->user, sizeof(out->user), "%s", user ? user : "");
		role = role_parse(store_col_text(st, SS_COL_ROLE));
		snprintf(out->unit_code, sizeof(out->unit_code), "%s", unit ? unit : "");
		snprintf(out->csrf, sizeof(out->csrf), "%s", csrf ? csrf : "");
		out->created_at = sqlite3_column_int64(st, SS_COL_CREATED);
		last_seen = out->last_seen = sqlite3_column_int64(st, SS_COL_LAST_SEEN);
		disabled = sqlite3_column_int(st, SS_COL_DISABLED) != 0;
	}
	store_stmt_done(st);
	if (role < 0) {
		ret = kerr_set(e, KERR_DB, "%s: user '%s' has an unknown role", s->path, out->user);
		goto out;
	}
	out->role = (enum role)role;
	if (disabled) {
		ret = store_session_delete_user(s, out->user, NULL, e);
		goto out;
	}
	if (now - last_seen >= STORE_SESSION_IDLE) {
		ret = exec_text(s, &q_session_delete, key, NULL, NULL, e, "cannot end session");
		goto out;
	}
	if (now - last_seen >= STORE_SESSION_TOUCH) {
		ret = exec_text(s, &q_session_touch, key, &now, NULL, e, "cannot note session use");
		if (ret < 0)
			goto out;
		out->last_seen = now;
	}
	*found = 1;
out:
	if (!*found)
		passwd_wipe(out->csrf, sizeof(out->csrf));
	passwd_wipe(key, sizeof(key));
	return ret;
}

int store_session_delete(struct store *s, const char *id, struct kerr *e)
{
	char key[2 * crypto_hash_sha256_BYTES + 1];
	int rc;

	if (!passwd_token_valid(id))
		return 0;
	id_key(id, key);
	rc = exec_text(s, &q_session_delete, key, NULL, NULL, e, "cannot end session");
	passwd_wipe(key, sizeof(key));
	return rc;
}

int store_session_delete_user(struct store *s, const char *user, int *ended, struct kerr *e)
{
	int changed = 0;

	if (exec_text(s, &q_session_delete_user, user, NULL, &changed, e, "cannot end sessions") < 0)
		return -1;
	if (ended)
		*ended = changed;
	return 0;
}

int store_session_prune(struct store *s, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_session_prune, "cannot prune sessions", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now - STORE_SESSION_IDLE);
	return store_step_done(s, st, e, "cannot prune sessions");
}

/* ---- failed logins ---- */

static const struct store_sql q_failure_add = {ST_LOGIN_FAILURE_ADD,
					       "INSERT INTO login_failures (user, address, at) VALUES (?1, ?2, ?3)"};
enum { LF_COL_COUNT };
static const struct store_sql q_failures = {
	ST_LOGIN_FAILURES, "SELECT count(*) FROM login_failures WHERE user = ?1 AND address = ?2 AND at >= ?3"};
static const struct store_sql q_failures_prune = {ST_LOGIN_FAILURES_PRUNE, "DELETE FROM login_failures WHERE at < ?1"};

int store_login_failure_add(struct store *s, const char *user, const char *address, int64_t at, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_failure_add, "cannot record failed login", e);

	if (!st)
		return -1;
	bind_key(st, 1, user);
	bind_key(st, 2, address);
	sqlite3_bind_int64(st, 3, at);
	return store_step_done(s, st, e, "cannot record failed login");
}

int store_login_failures(struct store *s, const char *user, const char *address, int64_t since, int64_t *count,
			 struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	if (!(st = store_stmt(s, &q_failures, "cannot count failed logins", e)))
		return -1;
	bind_key(st, 1, user);
	bind_key(st, 2, address);
	sqlite3_bind_int64(st, 3, since);
	if ((rc = store_step_row(s, st, e, "cannot count failed logins")) < 0)
		return -1;
	/* count(*) always has its row */
	if (rc == 0)
		return store_db_error(s, e, "cannot count failed logins");
	*count = sqlite3_column_int64(st, LF_COL_COUNT);
	store_stmt_done(st);
	return 0;
}

int store_login_failures_prune(struct store *s, int64_t before, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_failures_prune, "cannot prune failed logins", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	return store_step_done(s, st, e, "cannot prune failed logins");
}

/* ---- login ---- */

int store_login(struct store *s, const char *user, const char *pw, size_t pwlen, const char *address, int64_t now,
		enum store_login_result *result, char id[PASSWD_TOKEN_SIZE], char csrf[PASSWD_TOKEN_SIZE],
		struct kerr *e)
{
	struct store_user u;
	int64_t failures = 0;
	int found = 0, ok, ret = 0;

	*result = STORE_LOGIN_REFUSED;
	if (store_login_failures(s, user, address, now - STORE_LOGIN_WINDOW + 1, &failures, e) < 0)
		return -1;
	if (failures >= STORE_LOGIN_MAX_FAILURES) {
		*result = STORE_LOGIN_LIMITED;
		return 0;
	}
	/* a name that cannot be a user's is looked up all the same: the
	 * lookup finds nothing, and the answer takes the usual time */
	if (store_user_get(s, user, &u, &found, e) < 0)
		return -1;
	if (found)
		ok = passwd_verify(u.pwhash, pw, pwlen) && !u.disabled;
	else {
		passwd_verify_dummy(pw, pwlen);
		ok = 0;
	}
	if (!ok) {
		ret = store_login_failure_add(s, user, address, now, e);
		goto out;
	}
	if (passwd_needs_rehash(u.pwhash) == 1) {
		char hash[PASSWD_HASH_SIZE];

		ret = passwd_hash(pw, pwlen, hash, e);
		if (ret == 0)
			ret = store_user_set_password(s, u.name, hash, now, e);
		passwd_wipe(hash, sizeof(hash));
		if (ret < 0)
			goto out;
	}
	if ((ret = store_session_create(s, u.name, now, id, csrf, e)) == 0)
		*result = STORE_LOGIN_OK;
out:
	passwd_wipe(u.pwhash, sizeof(u.pwhash));
	return ret;
}
