/*
 * store.h: kepu's SQLite database, the only code that speaks SQL.
 *
 * What it keeps: posts (unique on platform + post id, ids always text),
 * their hashtags and campaign tags, engagement snapshots (a row only when
 * a count changed), and runs (what each import or collection did).  The
 * schema version lives in PRAGMA user_version and upgrades forward on
 * open.  The database is in WAL mode, so reports read while a collection
 * writes.
 *
 * Not for: HTTP, parsing input files, rendering.
 *
 * Threads: one struct store belongs to one thread at a time.
 */
#ifndef KEPU_STORE_STORE_H
#define KEPU_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

#include "../model/post.h"
#include "../model/user.h"
#include "../util/passwd.h"

struct store;

/* Open (creating if needed) and upgrade the database at path.  The caller
 * frees *out with store_close(). */
int store_open(struct store **out, const char *path, struct kerr *e);
void store_close(struct store *s);
/* The schema version this build writes. */
int store_schema_version(void);

/* Tune for a long run of writes, or back (STORE_BULK_OFF: also
 * checkpoints what the run left in the WAL).  STORE_BULK_PAGES: many small
 * transactions (collection, a page each): checkpoints every 20,000 pages
 * rather than every 1,000.  STORE_BULK_LOAD: a few large ones (import,
 * tens of thousands of posts each): a page cache of 64 MiB (from 16) that
 * holds a transaction's pages and the indexes they go into.  Neither
 * changes what a commit guarantees. */
enum store_bulk_mode { STORE_BULK_OFF = 0, STORE_BULK_PAGES = 1, STORE_BULK_LOAD = 2 };
int store_bulk(struct store *s, int mode, struct kerr *e);
int store_begin(struct store *s, struct kerr *e);
int store_commit(struct store *s, struct kerr *e);
void store_rollback(struct store *s);

enum store_put_result { STORE_NEW, STORE_UPDATED, STORE_UNCHANGED };

/*
 * Insert or update one post inside the current transaction.  A NULL
 * string or an unknown count keeps what is stored.  A known count raises
 * the stored one, or replaces an unknown one; it lowers it only when
 * p->source is the source that last raised it (a platform's own
 * correction; counts stored before sources were recorded, and posts of
 * no source, may be lowered by any).  A lower bound ("10万+") never
 * lowers a count.  When the stored counts change, a snapshot row holds
 * them (one per post and second: the state at the end of that second);
 * a source's values that were not taken are kept in a snapshot row of
 * their own, keyed by the source, so sources never overwrite each
 * other's history.  `now` is the observation time used where the post
 * says 0.
 */
int store_put_post(struct store *s, const struct post *p, int64_t now,
		   enum store_put_result *result, struct kerr *e);

/*
 * Refresh (collect --refresh): re-read the counts of stored posts through
 * each platform's detail endpoint.  store_put_counts() merges p's counts
 * (p->platform, p->post_id, p->source, counts, known, lower) by the rule
 * of store_put_post() and notes the refresh; no other field is touched.
 * *result is STORE_UNCHANGED also for a post not stored.
 */
int store_put_counts(struct store *s, const struct post *p, int64_t now, enum store_put_result *result,
		     struct kerr *e);
/* The platform said (platform, post_id) is gone: deleted_at = at, unless
 * already set. */
int store_mark_deleted(struct store *s, const char *platform, const char *post_id, int64_t at, struct kerr *e);
/* The posts a refresh may read: of platform (NULL: any) whose counts
 * source `source` raised (NULL: any), created in [since, until), not
 * deleted; when each was last read (refreshed, or its counts last
 * changed).  Borrowed strings. */
struct store_refresh_row {
	const char *platform, *post_id;
	int64_t created_at, last_read;
	int64_t counts[PC_N];
	unsigned known;
};
typedef int (*store_refresh_cb)(void *ctx, const struct store_refresh_row *r, struct kerr *e);
int store_refresh_candidates(struct store *s, const char *platform, const char *source, int64_t since,
			     int64_t until, store_refresh_cb cb, void *ctx, struct kerr *e);

/* Runs: one row per import or collection run. */
struct run_counts {
	long read;       /* lines or items read */
	long kept;       /* stored (new + updated + unchanged) */
	long skipped;    /* valid but without a campaign tag */
	long added;      /* new posts */
	long updated;
	long unchanged;
	long errors;
};
int store_run_begin(struct store *s, const char *kind, const char *source, int64_t started,
		    int64_t *run_id, struct kerr *e);
int store_run_finish(struct store *s, int64_t run_id, const struct run_counts *c,
		     const char *status, const char *message, struct kerr *e);
/* The counts so far of a run still going, inside the caller's transaction
 * (so a killed run's row says what it had committed). */
int store_run_progress(struct store *s, int64_t run_id, const struct run_counts *c, struct kerr *e);

/* Reading posts back: all posts created in [since, until), oldest first,
 * with their latest counts and tags.  The post passed to cb and all its
 * strings are borrowed for the duration of the call.  cb returns 0 to go
 * on, negative to stop with its error. */
struct store_filter {
	int64_t since; /* INT64_MIN: no lower bound */
	int64_t until; /* INT64_MAX: no upper bound */
};
typedef int (*store_post_cb)(void *ctx, const struct post *p, struct kerr *e);
int store_foreach_post(struct store *s, const struct store_filter *f, store_post_cb cb, void *ctx,
		       struct kerr *e);

/* The one post (platform, post_id): cb is called once; KERR_USAGE "no
 * post ..." when there is none. */
int store_get_post(struct store *s, const char *platform, const char *post_id, store_post_cb cb,
		   void *ctx, struct kerr *e);

/* Replace a post's attribution (district, district_code, in_chongqing,
 * attribution_*) with p's.  With attribution_method "manual" the correction
 * is also recorded: in district_overrides (the current one, with the note;
 * store_put_post() keeps a manual attribution whatever ingest finds
 * later) and as a row of the append-only corrections log, with who made
 * it (by; NULL when not known) and the unit the post had before. */
int store_set_district(struct store *s, const struct post *p, const char *by, const char *note, int64_t now,
		       struct kerr *e);

/* One row of the corrections log; strings borrowed for the callback. */
struct store_correction {
	int64_t id, at;
	const char *by, *from_code, *to_code, *to_name, *note; /* by, from_code, note may be NULL */
};
typedef int (*store_correction_cb)(void *ctx, const struct store_correction *c, struct kerr *e);
/* The corrections of one post, oldest first. */
int store_corrections(struct store *s, const char *platform, const char *post_id, store_correction_cb cb,
		      void *ctx, struct kerr *e);

/*
 * Collection cursors: per source, the high-water mark of the last complete
 * pass, and the position of a pass in progress.  A pass's position is
 * committed with each page, so a killed run resumes where it stopped and
 * the mark advances only when a pass is complete.
 */
struct store_cursor {
	int64_t high_water;    /* everything from the campaign's start to here was read (but the gap) */
	int pass_active;
	char pass_mode[16];    /* "normal", "gap" or "backfill" */
	char pass_next[640];   /* the next page: a typed position (collector/adapter.h), as JSON */
	int64_t pass_floor;    /* the pass is complete when it reached this */
	int64_t pass_max_seen; /* newest created_at seen in this pass */
	int64_t pass_min_seen; /* oldest created_at seen in this pass (0: none yet) */
	/* The gap: created_at in [gap_lo, gap_hi] not read yet (gap_hi 0:
	 * none).  A pass cut short (max_pages, a failure) leaves one, which
	 * later runs read from gap_next down; one the platform will not list
	 * (its page cap) is gap_capped: only a backfill may close it. */
	int64_t gap_lo, gap_hi;
	char gap_next[640];
	int gap_capped;
	int64_t gap_since;     /* when it opened */
	/* The last backfill that completed, and the range it read. */
	int64_t backfill_at, backfill_since, backfill_until;
	/* A backfill that normal runs interrupted: where it was, for the next
	 * backfill of the same range to go on from (bf_next "" : none). */
	char bf_next[640];
	int64_t bf_since, bf_until;
};
int store_cursor_get(struct store *s, const char *source, struct store_cursor *c, struct kerr *e);
int store_cursor_put(struct store *s, const char *source, const struct store_cursor *c, int64_t now,
		     struct kerr *e);

/* What one run did for one source. */
struct run_source {
	char source[64];
	int64_t started_at, finished_at;
	char status[16];       /* running ok empty (0 results) gap blocked failed interrupted */
	long pages, fetched, matched, added, updated, unchanged, errors;
	long warnings;         /* items kept with a warning (a long text not fetched) */
	long deleted;          /* a refresh: posts the platform says are gone */
	char message[512];     /* the last error, empty when none */
};
int store_run_source_put(struct store *s, int64_t run_id, const char *source,
			 const struct run_source *r, struct kerr *e);
/* How many of the source's newest runs of this kind ("collect",
 * "refresh"; NULL: any) in a row ended `failed` (a run that was not a
 * failure ends the streak; interrupted runs are passed over), and when
 * the first of them started (0 when none). */
int store_source_streak(struct store *s, const char *source, const char *kind, long *failed, int64_t *since,
			struct kerr *e);

/* Mark runs left 'running' by a killed process as 'interrupted', a
 * collection's totals made the sum of what its sources had committed
 * (call with the collection lock held). */
int store_runs_interrupted(struct store *s, struct kerr *e);

/* The newest `limit` runs, newest first: cb(ctx, run, NULL) for each run,
 * then cb(ctx, run, source) for each of its sources.  Borrowed strings. */
struct run_row {
	int64_t id;
	const char *kind, *source, *status, *message;
	int64_t started_at, finished_at;
	struct run_counts counts;
};
typedef int (*store_run_cb)(void *ctx, const struct run_row *r, const struct run_source *s,
			    struct kerr *e);
int store_foreach_run(struct store *s, int limit, store_run_cb cb, void *ctx, struct kerr *e);

/*
 * Reading for reports: one light row per post created in [since, until)
 * (no topics or texts; its tags), with the
 * latest counts, or with the counts of the latest snapshot at or before
 * as_of (posts first seen after as_of are left out).  Borrowed strings.
 */
struct store_report_filter {
	int64_t since, until;
	int64_t as_of;             /* 0: the latest counts */
	const char *district_code; /* NULL: every post */
};
struct store_report_row {
	int64_t id;                /* for store_report_texts() */
	const char *platform, *post_id, *author_id, *author_name;
	const char *district, *district_code, *method;
	int64_t created_at;
	int in_chongqing;          /* -1 unknown */
	int64_t deleted_at;        /* 0: not deleted (as of the filter's as_of) */
	int64_t counts[PC_N];
	unsigned known, lower;
	const char *const *hashtags;      /* in order */
	size_t nhashtags;
	const char *const *campaign_tags;
	size_t ncampaign_tags;
};
typedef int (*store_report_cb)(void *ctx, const struct store_report_row *r, struct kerr *e);
int store_foreach_report_row(struct store *s, const struct store_report_filter *f,
			     store_report_cb cb, void *ctx, struct kerr *e);

/* The texts a report shows of a post (the title, the text's first 60
 * characters, the URL), read only for the few posts a report lists; the
 * caller frees the three strings (NULL when the post has none). */
int store_report_texts(struct store *s, int64_t id, char **title, char **text_head, char **url,
		       struct kerr *e);

/* Per source ever collected: the end of its last successful run, its
 * last error (time 0 / NULL when none) and its cursor (an open gap, the
 * last complete backfill).  Borrowed strings. */
struct store_source_state {
	const char *source;
	int64_t last_ok;
	int64_t last_error_at;
	const char *last_error;
	struct store_cursor cursor;
};
typedef int (*store_source_cb)(void *ctx, const struct store_source_state *s, struct kerr *e);
int store_source_status(struct store *s, store_source_cb cb, void *ctx, struct kerr *e);

/* Counting for tests and reports. */
int store_count(struct store *s, const char *what, int64_t *out, struct kerr *e);

/*
 * The collection lock: one writer job (import or collect) per database.
 * Held through an flock() on the database file itself, so every path to
 * it (a symlink, ./, a hard link, a bind mount) meets the same lock, and
 * a lock left by a dead process is released by the kernel.  Who holds it
 * is noted in "<resolved db path>.lock" for people.  When another live
 * process holds it: -1 with KERR_LOCKED and a message naming its pid and
 * start time (from the note, or from /proc/locks).  *fd_out is closed by
 * store_unlock(), which must come after store_close() of every
 * connection: closing a descriptor of the database file drops the
 * process's POSIX locks on it, SQLite's included.
 */
int store_lock(const char *db_path, const char *what, int *fd_out, struct kerr *e);
void store_unlock(int fd);

/* ==================================================================
 * Content review and flags (store/review.c; the states and flags are the
 * model's: model/post.h)
 *
 * A review decision is a new row of review_log, never an edit: the schema's
 * triggers make UPDATE and DELETE on it fail, and no code here issues
 * either.  A post's current state is the to_state of its newest row; a
 * post without one is pending.  Flags are what the flag rules
 * (matchers/flags.h) found in a post's title and text, one row per rule
 * and matched text; the text of a privacy rule is stored masked.
 * ================================================================== */

/*
 * Make the stored flags of (platform, post_id) equal to f, inside the
 * caller's transaction: a flag no longer found is deleted, a new one is
 * inserted with set_at = now, one found again keeps its row.  Nothing is
 * written when nothing changed, nor when the rules did not see a title or
 * text (f->without) that the stored post has: a record that omits a field
 * keeps the stored one (store_put_post), and so keeps its flags.  *gained
 * and *lost (each may be NULL) say how many flags came and went.
 */
int store_set_flags(struct store *s, const char *platform, const char *post_id,
		    const struct post_flags *f, int64_t now, int *gained, int *lost, struct kerr *e);

/* Every stored flag, ordered by platform, post id, rule, match.  The
 * strings are borrowed for the call. */
typedef int (*store_flag_cb)(void *ctx, const char *platform, const char *post_id,
			     const struct post_flag *f, struct kerr *e);
int store_foreach_flag(struct store *s, store_flag_cb cb, void *ctx, struct kerr *e);

struct review_entry {
	int64_t id;              /* the row; set by the store */
	const char *platform, *post_id;
	int64_t at;              /* UTC seconds */
	const char *by;
	enum review_state from, to;
	const char *note;        /* NULL when none */
	const char *title;       /* an editor's title for the showcase (a feature decision); NULL when none */
};
typedef int (*store_review_cb)(void *ctx, const struct review_entry *r, struct kerr *e);

/* The current state of (platform, post_id); KERR_USAGE "no post ..." when
 * the store has no such post. */
int store_review_state(struct store *s, const char *platform, const char *post_id,
		       enum review_state *state, struct kerr *e);

/* Append one decision (r->id is ignored) inside the caller's write
 * transaction (store_begin), chained to the newest row by its hash. */
int store_review_append(struct store *s, const struct review_entry *r, struct kerr *e);

/*
 * Check the review log against tampering from outside kepu: every row's
 * hash over its content and the previous row's hash (a chain from the
 * first decision), and the triggers that keep the log append-only.
 * v->broken_id is the first row that fails (0 when the chain holds; -1
 * when only a guard is missing), v->why says how.  v->head is the newest
 * row's hash: kept somewhere else, it also shows a log cut short.
 */
struct review_verdict {
	int64_t rows;
	int64_t broken_id;
	char why[256];
	char head[65];
};
int store_review_verify(struct store *s, struct review_verdict *v, struct kerr *e);

/* The log, oldest first: one post's (platform and post_id given; KERR_USAGE
 * when there is no such post) or all of it (both NULL).  Borrowed strings. */
int store_review_log(struct store *s, const char *platform, const char *post_id,
		     store_review_cb cb, void *ctx, struct kerr *e);

/* The newest entry of every post that has one (its `to` is the post's
 * state), ordered by platform and post id.  Borrowed strings. */
int store_review_current(struct store *s, store_review_cb cb, void *ctx, struct kerr *e);

/* ==================================================================
 * Accounts and sessions of the web workspace (store/users.c; the roles
 * and the rule for names are the model's: model/user.h; hashing is
 * util/passwd.h's)
 *
 * users: one row per account, never deleted (disable instead), with its
 * role, its unit (the code; NULL unless the role is district) and its
 * argon2id hash.  sessions: server-side sessions; the key is the SHA-256
 * of the session id, never the id itself, so someone who reads the
 * database file cannot take over a session; a session expires after
 * STORE_SESSION_IDLE seconds without use and ends with its user's
 * disabling.  login_failures: failed logins by the name typed (known or
 * not) and the client's address, for the limit of STORE_LOGIN_MAX_FAILURES
 * per STORE_LOGIN_WINDOW.
 *
 * Every function takes the time as `now` (UTC seconds) from its caller.
 * Each is atomic on its own and may also run inside the caller's
 * transaction (store_begin).  No message here quotes a password, a hash
 * or a session id.
 * ================================================================== */

#define STORE_SESSION_IDLE (8 * 3600) /* seconds without use that end a session */
#define STORE_SESSION_TOUCH 60        /* last_seen is written at most this often */
#define STORE_LOGIN_WINDOW 600        /* seconds over which failed logins count */
#define STORE_LOGIN_MAX_FAILURES 5    /* per user name and address in the window */
#define STORE_UNIT_CODE_MAX 64        /* bytes with the NUL */

struct store_user {
	char name[USER_NAME_MAX_BYTES + 1];
	enum role role;
	char unit_code[STORE_UNIT_CODE_MAX]; /* "" unless role is ROLE_DISTRICT */
	char pwhash[PASSWD_HASH_SIZE];       /* "" when read by store_user_foreach() */
	int disabled;
	int64_t created_at, updated_at;
};

/* Add an account.  name must pass user_name_check(); unit_code is
 * required for ROLE_DISTRICT and refused for the others (the caller checks
 * it against the gazetteer); pwhash is passwd_hash()'s.  KERR_USAGE "user
 * 'NAME' already exists" for a duplicate. */
int store_user_add(struct store *s, const char *name, enum role role, const char *unit_code,
		   const char *pwhash, int64_t now, struct kerr *e);

/* The account named exactly name into *u.  *found is 0 when there is none
 * (u untouched); with found NULL, no such account is KERR_USAGE "no user
 * 'NAME'". */
int store_user_get(struct store *s, const char *name, struct store_user *u, int *found, struct kerr *e);

/* Every account, by name, with pwhash left empty (a list never carries
 * hashes).  u is borrowed for the call; cb returns 0 to go on. */
typedef int (*store_user_cb)(void *ctx, const struct store_user *u, struct kerr *e);
int store_user_foreach(struct store *s, store_user_cb cb, void *ctx, struct kerr *e);

/* Disable the account and end all its sessions (*ended, may be NULL: how
 * many).  Disabling a disabled account changes nothing and is no error.
 * KERR_USAGE "no user 'NAME'". */
int store_user_disable(struct store *s, const char *name, int64_t now, int *ended, struct kerr *e);

/* Replace the account's hash (pwhash from passwd_hash()).  Its sessions
 * stay: a front that sets a new password ends them with
 * store_session_delete_user() in the same transaction (kepu user passwd
 * does); a login that rehashes does not.  KERR_USAGE "no user 'NAME'". */
int store_user_set_password(struct store *s, const char *name, const char *pwhash, int64_t now,
			    struct kerr *e);

/* A session as a request sees it: its user's current role and unit (a
 * change of role applies at once) and the session's CSRF token. */
struct store_session {
	char user[USER_NAME_MAX_BYTES + 1];
	enum role role;
	char unit_code[STORE_UNIT_CODE_MAX];
	char csrf[PASSWD_TOKEN_SIZE];
	int64_t created_at, last_seen;
};

/* Open a session for user (who must exist and not be disabled, else
 * KERR_USAGE): a new random id (the cookie; only its SHA-256 is stored)
 * and CSRF token into id and csrf, for the caller to hand to the client. */
int store_session_create(struct store *s, const char *user, int64_t now, char id[PASSWD_TOKEN_SIZE],
			 char csrf[PASSWD_TOKEN_SIZE], struct kerr *e);

/* The session of id at time now into *out, *found 1; *found 0 when there
 * is none: an id not shaped like one, an unknown id, a session idle for
 * STORE_SESSION_IDLE seconds or more (deleted here), or one whose user is
 * disabled (all of that user's sessions are deleted here).  last_seen
 * becomes now when it is STORE_SESSION_TOUCH seconds old or more. */
int store_session_get(struct store *s, const char *id, int64_t now, struct store_session *out, int *found,
		      struct kerr *e);

/* Logout: delete the session of id (none there is no error). */
int store_session_delete(struct store *s, const char *id, struct kerr *e);
/* Delete every session of user; *ended (may be NULL) how many. */
int store_session_delete_user(struct store *s, const char *user, int *ended, struct kerr *e);
/* Delete the sessions idle since before now - STORE_SESSION_IDLE (the
 * ones no request came back for). */
int store_session_prune(struct store *s, int64_t now, struct kerr *e);

/* Failed logins, by the name as typed and the client's address (each cut
 * to its first USER_NAME_MAX_BYTES bytes: a key, not a record). */
int store_login_failure_add(struct store *s, const char *user, const char *address, int64_t at,
			    struct kerr *e);
/* How many failures of (user, address) at or after since. */
int store_login_failures(struct store *s, const char *user, const char *address, int64_t since,
			 int64_t *count, struct kerr *e);
/* Delete the failures before `before`. */
int store_login_failures_prune(struct store *s, int64_t before, struct kerr *e);

/*
 * A login, with the rules of issue 14 in one place: STORE_LOGIN_LIMITED
 * (the front answers 429) when (user, address) failed
 * STORE_LOGIN_MAX_FAILURES times in the last STORE_LOGIN_WINDOW seconds,
 * without looking at the password; else the password is verified
 * (against a dummy hash for an unknown name, so that it takes the same
 * time) and an unknown name, a disabled account and a wrong password are
 * all STORE_LOGIN_REFUSED and a recorded failure; else STORE_LOGIN_OK with
 * a new session's id and CSRF token in id and csrf (the hash is replaced
 * first when passwd_needs_rehash() says so).  -1 only when the database
 * fails.  The password is not kept.  Failures stay until
 * store_login_failures_prune() (a server calls it now and then with
 * now - STORE_LOGIN_WINDOW).
 */
enum store_login_result { STORE_LOGIN_OK, STORE_LOGIN_REFUSED, STORE_LOGIN_LIMITED };
int store_login(struct store *s, const char *user, const char *pw, size_t pwlen, const char *address,
		int64_t now, enum store_login_result *result, char id[PASSWD_TOKEN_SIZE],
		char csrf[PASSWD_TOKEN_SIZE], struct kerr *e);

/* ==================================================================
 * The registry of official accounts kept in the database (accounts.c):
 * what districts register in the web workspace.  Attribution reads it
 * with the config's `accounts` (the strongest evidence).
 * ================================================================== */

struct store_account {
	int64_t id;
	const char *platform;
	const char *author_id, *author_name; /* exactly one of them */
	const char *unit_code;
	const char *note, *added_by;         /* may be NULL */
	int64_t added_at;
};
/* Register a; its id into *id. */
int store_account_add(struct store *s, const struct store_account *a, int64_t *id, struct kerr *e);
/* Remove the account id (its row stays, marked); KERR_USAGE when there is
 * no such account still registered. */
int store_account_remove(struct store *s, int64_t id, const char *by, int64_t now, struct kerr *e);
/* The accounts registered now (id 0), or the one id; strings borrowed for
 * the callback. */
typedef int (*store_account_cb)(void *ctx, const struct store_account *a, struct kerr *e);
int store_account_foreach(struct store *s, int64_t id, store_account_cb cb, void *ctx, struct kerr *e);

#endif
