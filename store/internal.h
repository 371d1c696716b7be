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

/* The schema step 5 -> 6 (review.c): chain the review log's rows that
 * exist, oldest first, inside the migration's transaction. */
int review_chain_existing(struct store *s, struct kerr *e);

#endif
