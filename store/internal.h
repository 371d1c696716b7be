/*
 * internal.h (private to store/): what store.c and review.c share: the
 * connection and its prepared statements, and the error helper.
 */
#ifndef KEPU_STORE_INTERNAL_H
#define KEPU_STORE_INTERNAL_H

#include <sqlite3.h>

#include "../util/buf.h"
#include "store.h"

enum stmt_id {
	ST_INSERT,
	ST_SELECT,
	ST_UPDATE,
	ST_TAG_INSERT,
	ST_TAG_SELECT,
	ST_TAG_DELETE,
	ST_SNAPSHOT,
	ST_CURSOR_PUT,
	ST_RUN_SOURCE_PUT,
	ST_TEXTS,
	ST_SOURCE_ID,
	ST_SOURCE_ADD,
	ST_REFUSED_LAST,
	ST_MARK_DELETED,
	ST_PUT_COUNTS,
	ST_N
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST_N];
	struct kbuf scratch; /* topics JSON */
	/* The source of the posts being stored and its id in `sources` (one
	 * source at a time: a collection's source, an import); forgotten on
	 * rollback, which may have undone the id's row. */
	char source[72];
	int source_id;
};

/* Fill e with "<db path>: <what>: <SQLite's message>"; returns -1. */
int store_db_error(struct store *s, struct kerr *e, const char *what);
/* Run sql (no rows); -1 with e set. */
int store_exec(struct store *s, const char *sql, struct kerr *e);
/* Bind v, or NULL, as text (SQLite does not copy it: it must outlive the step). */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Step a statement that returns no rows, reset it and its bindings on
 * every path; -1 with "<what>: <SQLite's message>". */
int store_step_done(struct store *s, sqlite3_stmt *st, struct kerr *e, const char *what);

/* Tag kinds in post_tags. */
enum { TAG_HASHTAG = 0, TAG_CAMPAIGN = 1 };

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


/* The schema step 5 -> 6 (review.c): chain the review log's rows that
 * exist, oldest first, inside the migration's transaction. */
int review_chain_existing(struct store *s, struct kerr *e);

#endif
