/*
 * collector.h: getting posts into kepu: the one ingest path, and import of
 * files that staff collect by hand (NDJSON or CSV).
 *
 * Every producer of posts (file import, platform collection) builds
 * a normalized `struct post` and hands it to ingest: ingest_annotate()
 * runs the matchers (campaign tags, hashtags, district) and ingest_store()
 * writes it through store/.  The collector never writes SQL itself.
 *
 * Diagnostics about input (a bad line, a missing file) go to the caller's
 * diag callback as one line each, `FILE:LINE: what was wrong`; the work
 * goes on.  Only a failure of the database stops an import.
 */
#ifndef KEPU_COLLECTOR_COLLECTOR_H
#define KEPU_COLLECTOR_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "../config/config.h"
#include "../matchers/district.h"
#include "../matchers/flags.h"
#include "../matchers/tags.h"
#include "../store/store.h"
#include "../util/arena.h"
#include "../util/err.h"

/* What ingest needs; read-only, shared by threads. */
struct ingest {
	const struct tags *tags;
	const struct gazetteer *gazetteer;
	int keep_all; /* keep posts without a campaign tag (import --all) */
	const struct flags *flags; /* content-review flag rules; NULL: flags are not checked */
};

/* Per-thread matcher state. */
struct ingest_scratch {
	struct tags_scratch *tags;
	struct district_scratch *district;
	struct flags_scratch *flags; /* NULL when ing->flags is */
};
int ingest_scratch_init(struct ingest_scratch *s, const struct ingest *ing, struct kerr *e);
void ingest_scratch_release(struct ingest_scratch *s);

/* Fill p's hashtags, campaign tags, attribution and (with ing->flags) its
 * review flags (strings in a).  Returns 1 when the post is to be kept, 0
 * when it carries no campaign tag (and keep_all is off), -1 on error. */
int ingest_annotate(const struct ingest *ing, struct ingest_scratch *s, struct post *p,
		    struct arena *a, struct kerr *e);
/* Store p, and its flags when p->flags is set, in the caller's
 * transaction.  Review decisions are never touched: re-collection keeps
 * a post's review state. */
int ingest_store(struct store *st, const struct post *p, int64_t now,
		 enum store_put_result *result, struct kerr *e);

/* Called once per diagnostic line (no trailing newline). */
typedef void (*diag_fn)(void *ctx, const char *msg);

enum import_format { IMPORT_AUTO, IMPORT_NDJSON, IMPORT_CSV };

struct import_stats {
	long files;
	long lines;     /* records read (blank lines not counted) */
	long kept;
	long skipped;   /* no campaign tag */
	long added;
	long updated;
	long unchanged;
	long errors;    /* bad records and unreadable files */
};

/*
 * Import files ("-" is standard input) in order.  Parsing and matching run
 * on a thread per core while this one writes to the store, in the files'
 * order, in transactions of tens of thousands of records, each also
 * recording the counts so far in the run run_id (0: none), so a killed
 * import's run says what it committed.
 * Returns 0 when the store took everything
 * that was valid (stats->errors may still be > 0), -1 when the database
 * failed (e says why; what was committed before stays).
 */
int import_files(struct store *st, const struct ingest *ing, const char *const *files,
		 size_t nfiles, enum import_format format, int64_t run_id, diag_fn diag, void *dctx,
		 struct import_stats *stats, struct kerr *e);

/* Parse one NDJSON record into p (strings in a).  0, or -1 with e set to a
 * message that names the field.  Exposed for tests and fuzzing. */
int import_parse_json(const char *line, size_t len, struct post *p, struct arena *a,
		      struct kerr *e);
/* The same read by jansson alone.  import_parse_json() reads the records
 * it can with a scanner of its own and hands the rest to jansson; this is
 * for the tests and the fuzz target that check both read every record
 * alike. */
int import_parse_json_jansson(const char *line, size_t len, struct post *p, struct arena *a,
			      struct kerr *e);

/*
 * Collection from platform APIs.  Every enabled source of the config runs
 * on its own thread with its own HTTP handle; the threads take turns on
 * one database connection, which commits each page; pages within a
 * source go in order.  Each page is ingested and committed
 * in one transaction with the source's cursor and its run counters, so a
 * run killed at any moment loses nothing and the next run continues.
 * The caller holds the collection lock and has recorded the run.
 */
/* Each source's figures so far, for a live display (cli/ draws it; the
 * library never prints). */
struct collect_progress {
	const char *source;
	long pages, fetched, added, updated;
	int failed;
};
typedef void (*progress_fn)(void *ctx, const struct collect_progress *v, size_t n);

struct collect_opts {
	int backfill;      /* page the whole campaign window, or [since, until) of it */
	int refresh;       /* re-read stored posts' counts from their detail pages instead */
	int64_t since, until; /* a backfill's range, UTC; 0: the campaign's ends */
	int verbose;       /* one diagnostic line per page */
	int progress;      /* a person watches (standard error is a terminal): say more */
	progress_fn on_progress; /* called after every page (may be NULL) */
	void *progress_ctx;
	const char *only;  /* collect this source only (NULL: every enabled one) */
	long alert_after;  /* a source failing only transiently needs a person after this
			    * many failed runs in a row (1, and 0: every failure) */
};

/* What one source's run came to, and whether a person is needed: a
 * refusal (blocked) always; a failure once the source has failed
 * alert_after runs in a row (transient troubles pass by themselves). */
struct collect_outcome {
	char source[64];
	char status[16];   /* ok empty blocked failed */
	int alert;
	long streak;       /* failed runs in a row, this one included */
	int64_t since;     /* when the first of them started */
};

/* Returns the number of sources that failed (0 when all went well), or -1
 * when nothing could start (e says why).  *out (the caller frees it)
 * holds one outcome per source that ran, *nout of them. */
int collect_run(const struct config *cfg, const char *db_path, const struct ingest *ing,
		int64_t run_id, const struct collect_opts *o, diag_fn diag, void *dctx,
		struct run_counts *total, struct collect_outcome **out, size_t *nout, struct kerr *e);

#endif
