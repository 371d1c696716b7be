/*
 * internal.h (private to store/): what the files of store/ share: the
 * connection, its statement cache, and the helpers every statement goes
 * through.
 *
 * Statements.  Every statement the store runs more than once is prepared
 * once per connection, on first use, and kept in struct store until
 * store_close() (store_stmt()).  Each file defines its own statements
 * (struct store_sql: an id below and the SQL) with an enum of the columns
 * of each SELECT right beside its text, so no column is read by a bare
 * number.  A use of a statement ends with store_stmt_done() on every path,
 * errors included: it resets the statement (a statement left stepping
 * holds a read transaction open and cannot be used again) and clears its
 * bindings (no pointer bound with SQLITE_STATIC outlives the call that
 * bound it).  Strings read from a row are valid only until that reset:
 * what must outlive it is copied first.
 */
#ifndef KEPU_STORE_INTERNAL_H
#define KEPU_STORE_INTERNAL_H

#include <sqlite3.h>

#include "../util/buf.h"
#include "store.h"

/* Every cached statement, by the file that defines it. */
enum stmt_id {
	/* store.c */
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_USER_VERSION,
	/* posts.c */
	ST_INSERT,
	ST_POST_STATE,
	ST_UPDATE,
	ST_TAG_INSERT,
	ST_TAG_DELETE,
	ST_SNAPSHOT,
	ST_SOURCE_ID,
	ST_SOURCE_ADD,
	ST_REFUSED_LAST,
	ST_MARK_DELETED,
	ST_PUT_COUNTS,
	ST_REFRESH_CANDIDATES,
	ST_SET_DISTRICT,
	ST_OVERRIDE_PUT,
	ST_CORRECTION_LOG,
	ST_CORRECTIONS,
	ST_ACCOUNT_ADD,
	ST_ACCOUNT_REMOVE,
	ST_ACCOUNT_LIST,
	/* posts.c and read.c: a post's tags (SQL_TAG_SELECT below) */
	ST_TAG_SELECT,
	/* read.c */
	ST_POSTS_RANGE,
	ST_POST_ONE,
	ST_REPORT_ESTIMATE,
	ST_REPORT_ROWS, /* 8 of them: read.c, report_statement() */
	ST_REPORT_TAGS = ST_REPORT_ROWS + 8,
	ST_TEXTS,
	ST_COUNT, /* one per table store_count() counts */
	/* runs.c */
	ST_RUN_BEGIN = ST_COUNT + 5,
	ST_RUN_FINISH,
	ST_RUN_PROGRESS,
	ST_CURSOR_GET,
	ST_CURSOR_PUT,
	ST_RUN_SOURCE_PUT,
	ST_SOURCE_STREAK,
	ST_RUNS,
	ST_RUN_SOURCES,
	ST_SOURCE_STATUS,
	/* review.c */
	ST_FLAGS_OF_POST,
	ST_FLAG_DELETE,
	ST_FLAG_INSERT,
	ST_FLAGS_ALL,
	ST_POST_EXISTS,
	ST_REVIEW_STATE,
	ST_REVIEW_NEWEST,
	ST_REVIEW_INSERT,
	ST_REVIEW_LOG_ALL,
	ST_REVIEW_LOG_POST,
	ST_REVIEW_CURRENT,
	ST_REVIEW_VERIFY,
	ST_TRIGGER_EXISTS,
	/* users.c */
	ST_USERS_SAVEPOINT,
	ST_USERS_RELEASE,
	ST_USERS_ROLLBACK_TO,
	ST_USER_ADD,
	ST_USER_GET,
	ST_USER_LIST,
	ST_USER_DISABLE,
	ST_USER_SET_PASSWORD,
	ST_SESSION_CREATE,
	ST_SESSION_GET,
	ST_SESSION_DELETE,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE_USER,
	ST_SESSION_PRUNE,
	ST_LOGIN_FAILURE_ADD,
	ST_LOGIN_FAILURES,
	ST_LOGIN_FAILURES_PRUNE,
	ST_N
};

/* A statement: its slot in the cache and its SQL. */
struct store_sql {
	enum stmt_id id;
	const char *text;
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST_N]; /* prepared on first use (store_stmt), finalized by store_close */
	struct kbuf scratch;    /* topics JSON */
	struct kbuf row;        /* strings copied out of a row (posts.c, the upsert's stored post) */
	/* The source of the posts being stored and its id in `sources` (one
	 * source at a time: a collection's source, an import); forgotten on
	 * rollback, which may have undone the id's row. */
	char source[72];
	int source_id;
};

/* Fill e with "<db path>: <what>: <SQLite's message>"; returns -1. */
int store_db_error(struct store *s, struct kerr *e, const char *what);
/* Run sql (no rows, run once: schema, pragmas); -1 with e set. */
int store_exec(struct store *s, const char *sql, struct kerr *e);

/*
 * The statement q, prepared on its first use on this connection.  NULL
 * with e set ("<what>: ...") when it cannot be prepared, or when it is
 * still stepping: a use that did not end with store_stmt_done(), or a
 * loop over its rows whose callback came back for the same statement.
 */
sqlite3_stmt *store_stmt(struct store *s, const struct store_sql *q, const char *what, struct kerr *e);
/* The same for a statement whose SQL is built at run time: text is read
 * only when slot id is prepared, so one slot per distinct text. */
sqlite3_stmt *store_stmt_text(struct store *s, enum stmt_id id, const char *text, const char *what, struct kerr *e);
/* The end of every use of a statement, on every path: reset it and clear
 * its bindings.  NULL is fine. */
void store_stmt_done(sqlite3_stmt *st);
/* Step a statement that returns no rows, then store_stmt_done(); -1 with
 * "<what>: <SQLite's message>". */
int store_step_done(struct store *s, sqlite3_stmt *st, struct kerr *e, const char *what);
/* Step q, a statement of no rows and no parameters (BEGIN, COMMIT, a
 * savepoint); -1 with "<db path>: <SQLite's message>" (or prepare_msg when
 * it cannot be prepared). */
int store_exec_once(struct store *s, const struct store_sql *q, const char *prepare_msg, struct kerr *e);
/* Step a statement for one row: 1 on a row (read it, then
 * store_stmt_done()), 0 when there is none and -1 on an error (both
 * after store_stmt_done(); -1 with "<what>: ..."). */
int store_step_row(struct store *s, sqlite3_stmt *st, struct kerr *e, const char *what);
/* Bind v, or NULL, as text (SQLite does not copy it: it must outlive the
 * step, and store_stmt_done() unbinds it). */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* The text of column col, NULL for NULL (borrowed: until the statement
 * steps again or is reset). */
static inline const char *store_col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}
/* Counts from columns first .. first+PC_N-1 into c, with which are known. */
unsigned store_col_counts(sqlite3_stmt *st, int first, int64_t *c);

/* Tag kinds in post_tags. */
enum { TAG_HASHTAG = 0, TAG_CAMPAIGN = 1 };

/* A post's tags in order (ST_TAG_SELECT; posts.c and read.c). */
#define SQL_TAG_SELECT "SELECT kind, tag FROM post_tags WHERE post = ?1 ORDER BY kind, pos"
enum { TAG_COL_KIND, TAG_COL_TAG };

/* The count columns, in enum post_count's order. */
#define COUNT_COLS "views, likes, comments, shares, favorites, coins"
_Static_assert(PC_N == 6, "COUNT_COLS names every count");

/* The schema step 5 -> 6 (review.c): chain the review log's rows that
 * exist, oldest first, inside the migration's transaction. */
int review_chain_existing(struct store *s, struct kerr *e);

#endif
