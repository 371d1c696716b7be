/*
 * cmd_collect.c: `kepu collect`, the job cron runs: one collection per
 * database at a time, quiet on success unless standard error is a
 * terminal, one line per error, exit 1 when any source failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../collector/collector.h"
#include "../util/clock.h"
#include "../util/timefmt.h"
#include "cli.h"

/*
 * --alert-after N: the diagnostics of each source are held until the run
 * is over; a source that failed only transiently, fewer than N runs in a
 * row, stays quiet (its failure is in kepu runs), so cron mails only what
 * needs a person.  A refusal (blocked) always speaks.
 */
struct held {
	char **line;
	char **source; /* the source a line is about; NULL for the run's own */
	size_t n, alloc;
};

static void hold(void *ctx, const char *msg)
{
	struct held *h = ctx;
	const char *q;
	char *line, *src = NULL;

	if (h->n == h->alloc) {
		size_t na = h->alloc ? h->alloc * 2 : 64;
		char **nl = realloc(h->line, na * sizeof(*nl)), **ns;
		if (!nl) {
			cli_diag(NULL, msg);
			return;
		}
		h->line = nl;
		if (!(ns = realloc(h->source, na * sizeof(*ns)))) {
			cli_diag(NULL, msg);
			return;
		}
		h->source = ns;
		h->alloc = na;
	}
	if (!strncmp(msg, "source '", 8) && (q = strchr(msg + 8, '\'')))
		src = strndup(msg + 8, (size_t)(q - msg - 8));
	if (!(line = strdup(msg))) {
		free(src);
		cli_diag(NULL, msg);
		return;
	}
	h->line[h->n] = line;
	h->source[h->n++] = src;
}

static void held_print(const struct held *h, const char *source)
{
	for (size_t i = 0; i < h->n; i++)
		if (source ? h->source[i] && !strcmp(h->source[i], source) : !h->source[i])
			cli_diag(NULL, h->line[i]);
}

/* Every held line, when the outcomes could not be had (out of memory). */
static void held_print_all(const struct held *h)
{
	for (size_t i = 0; i < h->n; i++)
		cli_diag(NULL, h->line[i]);
}

static void held_release(struct held *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->line[i]);
		free(h->source[i]);
	}
	free(h->line);
	free(h->source);
}

/*
 * The live progress line on a terminal: the collector reports each
 * source's figures after every page (collector.h, progress_fn) and its
 * messages through live_diag, which clears the line first.  Both are
 * called under the collector's lock.
 */
struct live {
	int shown;        /* a progress line is on the screen */
	diag_fn inner;    /* where messages go: cli_diag, or hold() */
	void *inner_ctx;
};

static void live_diag(void *ctx, const char *msg)
{
	struct live *l = ctx;

	if (l->shown) {
		fputs("\r\033[K", stderr);
		l->shown = 0;
	}
	l->inner(l->inner_ctx, msg);
}

static void live_progress(void *ctx, const struct collect_progress *v, size_t n)
{
	struct live *l = ctx;
	char line[1024];
	size_t o = 0;

	for (size_t i = 0; i < n && o < sizeof(line) - 80; i++)
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s: %ld pages, %ld posts, %ld new, %ld updated%s",
				      i ? " | " : "", v[i].source, v[i].pages, v[i].fetched, v[i].added, v[i].updated,
				      v[i].failed ? " (failed)" : "");
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	l->shown = 1;
}

/* With --alert-after: print what needs a person (collector.h decides
 * what does) and return the exit status. */
static int speak(const struct held *h, const struct collect_outcome *oc, size_t n)
{
	int status = EXIT_OK;

	held_print(h, NULL);
	for (size_t i = 0; i < n; i++) {
		char when[32];

		if (strcmp(oc[i].status, "failed") || oc[i].alert)
			held_print(h, oc[i].source);
		if (!oc[i].alert)
			continue;
		status = EXIT_PARTIAL;
		if (!strcmp(oc[i].status, "failed")) {
			ktime_format_cst(oc[i].since, when);
			fprintf(stderr, "kepu collect: source '%s' has failed %ld runs in a row, since %s\n", oc[i].source,
				oc[i].streak, when);
		}
	}
	return status;
}

enum { O_BACKFILL, O_REFRESH, O_SINCE, O_UNTIL, O_SOURCE, O_ALERT_AFTER, O_VERBOSE };
static const struct cli_opt collect_opts[] = {
	[O_BACKFILL] = {"backfill", 0, OPT_FLAG, NULL,
			"page through the whole campaign window (or --since DATE to\n"
			"--until DATE of it, Beijing dates, inclusive)"},
	[O_REFRESH] = {"refresh", 0, OPT_FLAG, NULL,
		       "re-read the counts of stored posts from their detail pages\n"
		       "(refresh_budget requests per source; the most engaged hourly,\n"
		       "every post daily); a post the platform says is gone is\n"
		       "marked deleted"},
	[O_SINCE] = {"since", 0, OPT_DATE, "DATE", "with --backfill: the first day"},
	[O_UNTIL] = {"until", 0, OPT_DATE, "DATE", "with --backfill: the last day, inclusive"},
	[O_SOURCE] = {"source", 0, OPT_TEXT, "NAME", "this source only (even if it is disabled)"},
	[O_ALERT_AFTER] = {"alert-after", 0, OPT_NUM, "N",
			   "a source failing only transiently (network, 5xx, 429) is\n"
			   "quiet and exits 0 until it has failed N runs in a row; then\n"
			   "its errors and since when; a refusal (blocked) and an open\n"
			   "gap speak at once (default 1: every failure)",
			   NULL, 1, 10000},
	[O_VERBOSE] = {"verbose", 'v', OPT_FLAG, NULL, "a line per page on standard error"},
	{NULL},
};

static int check_collect(struct cli *c, struct cli_args *a)
{
	struct kerr e;

	if (a->set[O_REFRESH] && a->set[O_BACKFILL])
		return cli_usage_error(&cli_collect, "--refresh and --backfill are two different runs: give one");
	if ((a->set[O_SINCE] || a->set[O_UNTIL]) && !a->set[O_BACKFILL])
		return cli_usage_error(&cli_collect,
				       "--since and --until go with --backfill (a normal run reads from the newest posts)");
	if ((a->set[O_SINCE] || a->set[O_UNTIL]) && cli_window(&cli_collect, c, a, O_SINCE, O_UNTIL) != 0)
		return EXIT_USAGE;
	if (a->set[O_REFRESH] && kclock_now() >= c->cfg.report_until) {
		/* the final report is out: its counts stay as they were */
		if (isatty(STDERR_FILENO) || a->set[O_VERBOSE])
			fprintf(stderr, "kepu collect: nothing to refresh: the campaign's final report date "
				"(campaign.report_until, %s) has passed, and the counts stay as the report gave them\n",
				c->cfg.report_until_date);
		return CLI_DONE;
	}
	if (!c->cfg.nsources) {
		kerr_set(&e, KERR_USAGE, "%s: no sources to collect from (add \"sources\" to the config; see README)",
			 c->cfg.path ? c->cfg.path : "built-in defaults");
		return cli_fail(&e);
	}
	return EXIT_OK;
}

/* The run's row, and the exit status with --alert-after. */
static int finish(struct cli *c, int64_t run_id, const struct run_counts *total, int failed, int status,
		  const char *why)
{
	struct kerr e;
	char msg[64];

	kerr_clear(&e);
	snprintf(msg, sizeof(msg), "%d source%s failed", failed, failed == 1 ? "" : "s");
	if (store_run_finish(c->st, run_id, total, status == EXIT_OK ? "ok" : "failed",
			     status == EXIT_OK ? NULL : failed > 0 ? msg : why, &e) < 0)
		return cli_fail(&e);
	return status;
}

static int cmd_collect(struct cli *c, struct cli_args *a)
{
	struct collect_opts o;
	struct run_counts total;
	struct kerr e;
	int status = EXIT_OK, failed;
	int64_t run_id = 0;
	long alert_after = a->set[O_ALERT_AFTER] ? a->num[O_ALERT_AFTER] : 1;
	struct held held = {NULL, NULL, 0, 0};
	struct live live = {0, NULL, NULL};
	struct collect_outcome *outcomes = NULL;
	size_t noutcomes = 0;

	memset(&o, 0, sizeof(o));
	memset(&total, 0, sizeof(total));
	o.backfill = a->set[O_BACKFILL];
	o.refresh = a->set[O_REFRESH];
	o.only = a->text[O_SOURCE];
	o.verbose = a->set[O_VERBOSE];
	if (a->set[O_SINCE] || a->set[O_UNTIL]) {
		o.since = a->from;
		o.until = a->to;
	}
	o.progress = isatty(STDERR_FILENO) && !o.verbose;
	o.alert_after = alert_after;
	kerr_clear(&e);
	if (store_run_begin(c->st, o.refresh ? "refresh" : "collect", o.only, kclock_now(), &run_id, &e) < 0)
		return cli_fail(&e);
	live.inner = alert_after > 1 ? hold : cli_diag;
	live.inner_ctx = &held;
	if (o.progress) {
		o.on_progress = live_progress;
		o.progress_ctx = &live;
	}
	failed = collect_run(&c->cfg, c->db_path, &c->ing, run_id, &o, live_diag, &live, &total, &outcomes,
			     &noutcomes, &e);
	if (live.shown)
		fputc('\n', stderr);
	if (failed < 0) {
		held_print(&held, NULL);
		status = cli_fail(&e);
		total.errors++;
	} else if (failed > 0)
		status = EXIT_PARTIAL;
	status = finish(c, run_id, &total, failed, status, e.msg);
	if (alert_after > 1 && failed >= 0 && outcomes)
		/* the run is recorded as it was; the exit status says whether a
		 * person is needed */
		status = speak(&held, outcomes, noutcomes);
	else if (alert_after > 1 && failed >= 0)
		held_print_all(&held);
	if (isatty(STDOUT_FILENO) || o.verbose)
		fprintf(stderr, "kepu collect: %ld posts fetched, %ld with the campaign tag: %ld new, %ld updated, "
			"%ld unchanged; %ld errors\n",
			total.read, total.kept, total.added, total.updated, total.unchanged, total.errors);
	held_release(&held);
	free(outcomes);
	return status;
}

const struct cli_command cli_collect = {
	.name = "collect",
	.summary = "collect posts from the platforms in the config (run by cron)",
	.about = "Collect new posts and fresh engagement from every enabled source of the config.\n"
		 "Quiet on success unless standard error is a terminal; one line per error;\n"
		 "exit 1 when a source failed (the others still ran), 75 when another\n"
		 "collection holds the database.\n",
	.opts = collect_opts,
	.needs = NEED_INGEST | NEED_LOCK,
	.check = check_collect,
	.run = cmd_collect,
};
