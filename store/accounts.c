/*
 * accounts.c: the registry of official accounts kept in the database
 * (store.h): what districts register in the web workspace, beside the
 * config's `accounts`.  A row is never deleted: removing one marks it
 * with who and when, so the registry's history stays readable.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

int store_account_add(struct store *s, const struct store_account *a, int64_t *id, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO accounts (platform, author_id, author_name, unit_code, note, added_by, added_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot register the account");
	store_bind_text(st, 1, a->platform);
	store_bind_text(st, 2, a->author_id);
	store_bind_text(st, 3, a->author_name);
	store_bind_text(st, 4, a->unit_code);
	store_bind_text(st, 5, a->note);
	store_bind_text(st, 6, a->added_by);
	sqlite3_bind_int64(st, 7, a->added_at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot register the account");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_account_remove(struct store *s, int64_t id, const char *by, int64_t now, struct kerr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE accounts SET removed_by = ?2, removed_at = ?3 WHERE id = ?1 AND removed_at IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot remove the account");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, by);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "cannot remove the account");
	if (!sqlite3_changes(s->db))
		return kerr_set(e, KERR_USAGE, "no registered account #%lld", (long long)id);
	return 0;
}

int store_account_foreach(struct store *s, int64_t id, store_account_cb cb, void *ctx, struct kerr *e)
{
	enum { C_ID, C_PLATFORM, C_AUTHOR_ID, C_AUTHOR_NAME, C_UNIT, C_NOTE, C_BY, C_AT };
	sqlite3_stmt *st;
	struct store_account a;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, platform, author_id, author_name, unit_code, note, added_by, added_at"
			       " FROM accounts WHERE removed_at IS NULL AND (?1 = 0 OR id = ?1) ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cannot read the registered accounts");
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(st, C_ID);
		a.platform = (const char *)sqlite3_column_text(st, C_PLATFORM);
		a.author_id = (const char *)sqlite3_column_text(st, C_AUTHOR_ID);
		a.author_name = (const char *)sqlite3_column_text(st, C_AUTHOR_NAME);
		a.unit_code = (const char *)sqlite3_column_text(st, C_UNIT);
		a.note = (const char *)sqlite3_column_text(st, C_NOTE);
		a.added_by = (const char *)sqlite3_column_text(st, C_BY);
		a.added_at = sqlite3_column_int64(st, C_AT);
		if (cb(ctx, &a, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cannot read the registered accounts");
}
