/*
 * accounts.c: the registry of official accounts kept in the database
 * (store.h): what districts register in the web workspace, beside the
 * config's `accounts`.  A row is never deleted: removing one marks it
 * with who and when, so the registry's history stays readable.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static const struct store_sql q_add = {
	ST_ACCOUNT_ADD, "INSERT INTO accounts (platform, author_id, author_name, unit_code, note, added_by, added_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
static const struct store_sql q_remove = {
	ST_ACCOUNT_REMOVE, "UPDATE accounts SET removed_by = ?2, removed_at = ?3 WHERE id = ?1 AND removed_at IS NULL"};
enum { C_ID, C_PLATFORM, C_AUTHOR_ID, C_AUTHOR_NAME, C_UNIT, C_NOTE, C_BY, C_AT };
static const struct store_sql q_list = {
	ST_ACCOUNT_LIST, "SELECT id, platform, author_id, author_name, unit_code, note, added_by, added_at"
			 " FROM accounts WHERE removed_at IS NULL AND (?1 = 0 OR id = ?1) ORDER BY id"};

int store_account_add(struct store *s, const struct store_account *a, int64_t *id, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_add, "cannot register the account", e);

	if (!st)
		return -1;
	store_bind_text(st, 1, a->platform);
	store_bind_text(st, 2, a->author_id);
	store_bind_text(st, 3, a->author_name);
	store_bind_text(st, 4, a->unit_code);
	store_bind_text(st, 5, a->note);
	store_bind_text(st, 6, a->added_by);
	sqlite3_bind_int64(st, 7, a->added_at);
	if (store_step_done(s, st, e, "cannot register the account") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_account_remove(struct store *s, int64_t id, const char *by, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_remove, "cannot remove the account", e);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, by);
	sqlite3_bind_int64(st, 3, now);
	if (store_step_done(s, st, e, "cannot remove the account") < 0)
		return -1;
	if (!sqlite3_changes(s->db))
		return kerr_set(e, KERR_USAGE, "no registered account #%lld", (long long)id);
	return 0;
}

int store_account_foreach(struct store *s, int64_t id, store_account_cb cb, void *ctx, struct kerr *e)
{
	sqlite3_stmt *st = store_stmt(s, &q_list, "cannot read the registered accounts", e);
	struct store_account a;
	int rc, ret = -1;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(st, C_ID);
		a.platform = store_col_text(st, C_PLATFORM);
		a.author_id = store_col_text(st, C_AUTHOR_ID);
		a.author_name = store_col_text(st, C_AUTHOR_NAME);
		a.unit_code = store_col_text(st, C_UNIT);
		a.note = store_col_text(st, C_NOTE);
		a.added_by = store_col_text(st, C_BY);
		a.added_at = sqlite3_column_int64(st, C_AT);
		if (cb(ctx, &a, e) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the registered accounts");
out:
	store_stmt_done(st);
	return ret;
}
