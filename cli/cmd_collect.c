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
#include "options.h"

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

int cmd_collect(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"backfill", no_argument, NULL, 'b'},
					     {"refresh", no_argument, NULL, 'r'},
					     {"alert-after", required_argument, NULL, 'a'},
					     {"since", required_argument, NULL, 'S'},
					     {"until", required_argument, NULL, 'U'},
					     {"source", required_argument, NULL, 's'},
					     {"verbose", no_argument, NULL, 'v'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("collect");
	struct collect_opts o;
	struct ingest ing = {NULL, NULL, 0, NULL};
	struct flags_rules fr;
	struct flags *flags = NULL;
	struct tags *tags = NULL;
	struct gazetteer *gaz = NULL;
	struct store *st = NULL;
	struct run_counts total;
	struct kerr e;
	int ch, lock = -1, status = EXIT_OK, failed;
	int64_t run_id = 0;
	long alert_after = 1;
	const char *since = NULL, *until = NULL;
	struct held held = {NULL, NULL, 0, 0};
	struct live live = {0, NULL, NULL};
	struct collect_outcome *outcomes = NULL;
	size_t noutcomes = 0;

	memset(&o, 0, sizeof(o));
	o.alert_after = 1;
	while ((ch = cli_getopt(cmd, argc, argv, ":bra:s:S:U:vh", opts)) != -1) {
		switch (ch) {
		case 'b': o.backfill = 1; break;
		case 'r': o.refresh = 1; break;
		case 'S': since = optarg; break;
		case 'U': until = optarg; break;
		case 'a': {
			char *end;
			alert_after = strtol(optarg, &end, 10);
			if (end == optarg || *end || alert_after < 1 || alert_after > 10000)
				return cli_usage_error(cmd, "--alert-after: expected a number of runs from 1 to 10000, got '%s'",
						       optarg);
			break;
		}
		case 's': o.only = optarg; break;
		case 'v': o.verbose = 1; break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (o.refresh && o.backfill)
		return cli_usage_error(cmd, "--refresh and --backfill are two different runs: give one");
	if ((since || until) && !o.backfill)
		return cli_usage_error(cmd, "--since and --until go with --backfill (a normal run reads from the newest posts)");
	o.progress = isatty(STDERR_FILENO) && !o.verbose;
	kerr_clear(&e);
	memset(&total, 0, sizeof(total));
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	if ((since || until) && cli_window(cmd, c, since, until, &o.since, &o.until) < 0)
		return EXIT_USAGE;
	config_flag_rules(&c->cfg, &fr);
	if (o.refresh && kclock_now() >= c->cfg.report_until) {
		/* the final report is out: its counts stay as they were */
		if (isatty(STDERR_FILENO) || o.verbose)
			fprintf(stderr, "kepu collect: nothing to refresh: the campaign's final report date "
				"(campaign.report_until, %s) has passed, and the counts stay as the report gave them\n",
				c->cfg.report_until_date);
		return EXIT_OK;
	}
	if (!c->cfg.nsources) {
		kerr_set(&e, KERR_USAGE, "%s: no sources to collect from (add \"sources\" to the config; see README)",
			 c->cfg.path ? c->cfg.path : "built-in defaults");
		return cli_fail(&e);
	}
	if (cli_lock_store(c, "kepu collect", &lock, &st, &e) < 0 ||
	    tags_new(&tags, (const char *const *)c->cfg.tags, c->cfg.ntags, &e) < 0 ||
	    district_new(&gaz, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0 ||
	    flags_new(&flags, &fr, &e) < 0 ||
	    store_run_begin(st, o.refresh ? "refresh" : "collect", o.only, kclock_now(), &run_id, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	ing.tags = tags;
	ing.gazetteer = gaz;
	ing.flags = flags;
	o.alert_after = alert_after;
	live.inner = alert_after > 1 ? hold : cli_diag;
	live.inner_ctx = &held;
	if (o.progress) {
		o.on_progress = live_progress;
		o.progress_ctx = &live;
	}
	failed = collect_run(&c->cfg, c->db_path, &ing, run_id, &o, live_diag, &live, &total, &outcomes, &noutcomes,
			     &e);
	if (live.shown)
		fputc('\n', stderr);
	if (failed < 0) {
		held_print(&held, NULL);
		status = cli_fail(&e);
		total.errors++;
	} else if (failed > 0)
		status = EXIT_PARTIAL;
	{
		struct kerr e2;
		char msg[64];
		kerr_clear(&e2);
		snprintf(msg, sizeof(msg), "%d source%s failed", failed, failed == 1 ? "" : "s");
		if (store_run_finish(st, run_id, &total, status == EXIT_OK ? "ok" : "failed",
				     status == EXIT_OK ? NULL : failed > 0 ? msg : e.msg, &e2) < 0)
			status = cli_fail(&e2);
	}
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
out:
	held_release(&held);
	free(outcomes);
	tags_free(tags);
	flags_free(flags);
	district_free(gaz);
	store_close(st);
	store_unlock(lock);
	return status;
}
