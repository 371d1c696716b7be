/*
 * users.c: accounts, sessions and failed logins of the web workspace
 * (store.h, "Accounts and sessions").  The statements run a few times a
 * request or a command, so each is prepared where it runs.
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

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct kerr *e, const char *what)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_db_error(s, e, what);
	}
	return 0;
}

/* Run a prepared statement that returns no rows and finalize it; the
 * number of rows it changed in *changed (may be NULL). */
static int run_done(struct store *s, sqlite3_stmt *st, int *changed, struct kerr *e, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, what);
	if (changed)
		*changed = sqlite3_changes(s->db);
	return 0;
}

/* A key of login_failures cut to its first USER_NAME_MAX_BYTES bytes. */
static void bind_key(sqlite3_stmt *st, int i, const char *v)
{
	size_t n = strlen(v);

	sqlite3_bind_text(st, i, v, (int)(n > USER_NAME_MAX_BYTES ? USER_NAME_MAX_BYTES : n), SQLITE_STATIC);
}

static int savepoint(struct store *s, struct kerr *e)
{
	return store_exec(s, "SAVEPOINT users", e);
}

/* Release the savepoint when rc is 0 (committing when it was the
 * transaction), else undo everything since it; rc, or -1 when the
 * release failed. */
static int savepoint_end(struct store *s, int rc, struct kerr *e)
{
	if (rc == 0 && store_exec(s, "RELEASE users", e) == 0)
		return 0;
	sqlite3_exec(s->db, "ROLLBACK TO users; RELEASE users", NULL, NULL, NULL);
	return -1;
}

static int user_missing(struct kerr *e, const char *name)
{
	return kerr_set(e, KERR_USAGE, "no user '%s'", name);
}

/* ---- accounts ---- */

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
	if (prepare(s,
		    "INSERT INTO users (name, role, unit_code, pwhash, disabled, created_at, updated_at)"
		    " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)",
		    &st, e, "cannot add user") < 0)
		return -1;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, role_name(role));
	store_bind_text(st, 3, role == ROLE_DISTRICT ? unit_code : NULL);
	store_bind_text(st, 4, pwhash);
	sqlite3_bind_int64(st, 5, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return kerr_set(e, KERR_USAGE, "user '%s' already exists", name);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot add user");
	return 0;
}

/* A users row (name, role, unit_code, pwhash, disabled, created_at,
 * updated_at) into *u. */
static int read_user(struct store *s, sqlite3_stmt *st, struct store_user *u, struct kerr *e)
{
	const char *name = (const char *)sqlite3_column_text(st, 0);
	const char *role = (const char *)sqlite3_column_text(st, 1);
	const char *unit = (const char *)sqlite3_column_text(st, 2);
	const char *hash = (const char *)sqlite3_column_text(st, 3);
	int r = role_parse(role);

	memset(u, 0, sizeof(*u));
	if (r < 0)
		return kerr_set(e, KERR_DB, "%s: user '%s' has an unknown role '%s'", s->path, name ? name : "",
				role ? role : "");
	snprintf(u->name, sizeof(u->name), "%s", name ? name : "");
	u->role = (enum role)r;
	snprintf(u->unit_code, sizeof(u->unit_code), "%s", unit ? unit : "");
	snprintf(u->pwhash, sizeof(u->pwhash), "%s", hash ? hash : "");
	u->disabled = sqlite3_column_int(st, 4) != 0;
	u->created_at = sqlite3_column_int64(st, 5);
	u->updated_at = sqlite3_column_int64(st, 6);
	return 0;
}

int store_user_get(struct store *s, const char *name, struct store_user *u, int *found, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (found)
		*found = 0;
	if (prepare(s,
		    "SELECT name, role, unit_code, pwhash, disabled, created_at, updated_at"
		    " FROM users WHERE name = ?1",
		    &st, e, "cannot read user") < 0)
		return -1;
	store_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ret = read_user(s, st, u, e);
		if (found && ret == 0)
			*found = 1;
	} else if (rc != SQLITE_DONE)
		ret = store_db_error(s, e, "cannot read user");
	else if (!found)
		ret = user_missing(e, name);
	sqlite3_finalize(st);
	return ret;
}

int store_user_foreach(struct store *s, store_user_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st;
	struct store_user u;
	int rc, ret = 0;

	/* '' for the hash: a list never reads one */
	if (prepare(s, "SELECT name, role, unit_code, '', disabled, created_at, updated_at FROM users ORDER BY name",
		    &st, e, "cannot list users") < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((ret = read_user(s, st, &u, e)) < 0 || (ret = cb(ctx, &u, e)) < 0)
			break;
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_db_error(s, e, "cannot list users");
	sqlite3_finalize(st);
	return ret;
}

int store_user_disable(struct store *s, const char *name, int64_t now, int *ended, struct kerr *e)
{
	sqlite3_stmt *st;
	int changed = 0, rc;

	if (ended)
		*ended = 0;
	if (savepoint(s, e) < 0)
		return -1;
	rc = prepare(s,
		     "UPDATE users SET disabled = 1, updated_at = CASE WHEN disabled THEN updated_at ELSE ?2 END"
		     " WHERE name = ?1",
		     &st, e, "cannot disable user");
	if (rc == 0) {
		store_bind_text(st, 1, name);
		sqlite3_bind_int64(st, 2, now);
		rc = run_done(s, st, &changed, e, "cannot disable user");
	}
	if (rc == 0 && !changed)
		rc = user_missing(e, name);
	if (rc == 0)
		rc = store_session_delete_user(s, name, ended, e);
	return savepoint_end(s, rc, e);
}

int store_user_set_password(struct store *s, const char *name, const char *pwhash, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st;
	int changed = 0;

	if (!pwhash || !*pwhash || strlen(pwhash) >= PASSWD_HASH_SIZE)
		return kerr_set(e, KERR_USAGE, "user '%s': no password hash", name);
	if (prepare(s, "UPDATE users SET pwhash = ?2, updated_at = ?3 WHERE name = ?1", &st, e, "cannot set password") <
	    0)
		return -1;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, pwhash);
	sqlite3_bind_int64(st, 3, now);
	if (run_done(s, st, &changed, e, "cannot set password") < 0)
		return -1;
	return changed ? 0 : user_missing(e, name);
}

/* ---- sessions ---- */

int store_session_create(struct store *s, const char *user, int64_t now, char id[PASSWD_TOKEN_SIZE],
			 char csrf[PASSWD_TOKEN_SIZE], struct kerr *e)
{
	char key[2 * crypto_hash_sha256_BYTES + 1];
	sqlite3_stmt *st;
	int changed = 0, rc;

	if (passwd_token(id, e) < 0 || passwd_token(csrf, e) < 0)
		return -1;
	id_key(id, key);
	if (prepare(s,
		    "INSERT INTO sessions (id_hash, user, csrf, created_at, last_seen)"
		    " SELECT ?1, name, ?3, ?4, ?4 FROM users WHERE name = ?2 AND NOT disabled",
		    &st, e, "cannot open session") < 0)
		goto fail;
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, user);
	store_bind_text(st, 3, csrf);
	sqlite3_bind_int64(st, 4, now);
	rc = run_done(s, st, &changed, e, "cannot open session");
	passwd_wipe(key, sizeof(key));
	if (rc < 0)
		goto fail;
	if (!changed) {
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

/* Run one statement bound to a text and, when given, a time. */
static int exec_text(struct store *s, const char *sql, const char *text, const int64_t *t, int *changed, struct kerr *e,
		     const char *what)
{
	sqlite3_stmt *st;

	if (prepare(s, sql, &st, e, what) < 0)
		return -1;
	store_bind_text(st, 1, text);
	if (t)
		sqlite3_bind_int64(st, 2, *t);
	return run_done(s, st, changed, e, what);
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
	if (prepare(s,
		    "SELECT s.user, u.role, u.unit_code, s.csrf, s.created_at, s.last_seen, u.disabled"
		    " FROM sessions s JOIN users u ON u.name = s.user WHERE s.id_hash = ?1",
		    &st, e, "cannot read session") < 0)
		return -1;
	store_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *user = (const char *)sqlite3_column_text(st, 0);
		const char *unit = (const char *)sqlite3_column_text(st, 2);
		const char *csrf = (const char *)sqlite3_column_text(st, 3);

		memset(out, 0, sizeof(*out));
		snprintf(out->user, sizeof(out->user), "%s", user ? user : "");
		role = role_parse((const char *)sqlite3_column_text(st, 1));
		snprintf(out->unit_code, sizeof(out->unit_code), "%s", unit ? unit : "");
		snprintf(out->csrf, sizeof(out->csrf), "%s", csrf ? csrf : "");
		out->created_at = sqlite3_column_int64(st, 4);
		last_seen = out->last_seen = sqlite3_column_int64(st, 5);
		disabled = sqlite3_column_int(st, 6) != 0;
	} else if (rc != SQLITE_DONE)
		ret = store_db_error(s, e, "cannot read session");
	sqlite3_finalize(st);
	if (ret < 0 || rc != SQLITE_ROW)
		goto out;
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
		ret = exec_text(s, "DELETE FROM sessions WHERE id_hash = ?1", key, NULL, NULL, e, "cannot end session");
		goto out;
	}
	if (now - last_seen >= STORE_SESSION_TOUCH) {
		ret = exec_text(s, "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1", key, &now, NULL, e,
				"cannot note session use");
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
	rc = exec_text(s, "DELETE FROM sessions WHERE id_hash = ?1", key, NULL, NULL, e, "cannot end session");
	passwd_wipe(key, sizeof(key));
	return rc;
}

int store_session_delete_user(struct store *s, const char *user, int *ended, struct kerr *e)
{
	int changed = 0;

	if (exec_text(s, "DELETE FROM sessions WHERE user = ?1", user, NULL, &changed, e, "cannot end sessions") < 0)
		return -1;
	if (ended)
		*ended = changed;
	return 0;
}

int store_session_prune(struct store *s, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st;

	if (prepare(s, "DELETE FROM sessions WHERE last_seen <= ?1", &st, e, "cannot prune sessions") < 0)
		return -1;
	sqlite3_bind_int64(st, 1, now - STORE_SESSION_IDLE);
	return run_done(s, st, NULL, e, "cannot prune sessions");
}

/* ---- failed logins ---- */

int store_login_failure_add(struct store *s, const char *user, const char *address, int64_t at, struct kerr *e)
{
	sqlite3_stmt *st;

	if (prepare(s, "INSERT INTO login_failures (user, address, at) VALUES (?1, ?2, ?3)", &st, e,
		    "cannot record failed login") < 0)
		return -1;
	bind_key(st, 1, user);
	bind_key(st, 2, address);
	sqlite3_bind_int64(st, 3, at);
	return run_done(s, st, NULL, e, "cannot record failed login");
}

int store_login_failures(struct store *s, const char *user, const char *address, int64_t since, int64_t *count,
			 struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	if (prepare(s, "SELECT count(*) FROM login_failures WHERE user = ?1 AND address = ?2 AND at >= ?3", &st, e,
		    "cannot count failed logins") < 0)
		return -1;
	bind_key(st, 1, user);
	bind_key(st, 2, address);
	sqlite3_bind_int64(st, 3, since);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_db_error(s, e, "cannot count failed logins");
}

int store_login_failures_prune(struct store *s, int64_t before, struct kerr *e)
{
	sqlite3_stmt *st;

	if (prepare(s, "DELETE FROM login_failures WHERE at < ?1", &st, e, "cannot prune failed logins") < 0)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	return run_done(s, st, NULL, e, "cannot prune failed logins");
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
