/* cmd_runs.c: `kepu runs`: what the recent imports and collections did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/human.h"
#include "cli.h"

/* A moment for people: 9月4日 10:54 (util/human.h), "-" for none. */
static void when(int64_t t, char out[HUMAN_SIZE])
{
	if (!t) {
		snprintf(out, HUMAN_SIZE, "-");
		return;
	}
	human_datetime(t, out);
}

static int print_run(void *ctx, const struct run_row *r, const struct run_source *s, struct kerr *e)
{
	char start[HUMAN_SIZE];

	(void)ctx;
	(void)e;
	if (!s) {
		when(r->started_at, start);
		printf("#%lld %-7s %s  %-11s %4llds  read %ld, new %ld, updated %ld, unchanged %ld, "
		       "skipped %ld, errors %ld%s%s%s\n",
		       (long long)r->id, r->kind, start, r->status,
		       (long long)(r->finished_at ? r->finished_at - r->started_at : 0), r->counts.read,
		       r->counts.added, r->counts.updated, r->counts.unchanged, r->counts.skipped,
		       r->counts.errors, r->source ? "  (" : "", r->source ? r->source : "",
		       r->source ? ")" : "");
		if (r->message && strcmp(r->kind, "collect") && strcmp(r->kind, "refresh"))
			printf("    %s\n", r->message);
		return 0;
	}
	printf("    %-16s %-11s %4llds  pages %ld, fetched %ld, matched %ld, new %ld, updated %ld, errors %ld%s\n",
	       s->source, !strcmp(s->status, "empty") ? "0 results" : s->status,
	       (long long)(s->finished_at ? s->finished_at - s->started_at : 0), s->pages, s->fetched, s->matched,
	       s->added, s->updated, s->errors, "");
	if (s->warnings)
		printf("      warnings: %ld (items kept with something missing; see the run's messages)\n", s->warnings);
	if (s->deleted)
		printf("      deleted: %ld (the platform says these posts are gone)\n", s->deleted);
	if (s->message[0])
		printf("      last error: %s\n", s->message);
	return 0;
}

/* After the runs: each source's open gap and last complete backfill. */
static int print_source(void *ctx, const struct store_source_state *x, struct kerr *e)
{
	int *header = ctx;
	char lo[HUMAN_SIZE], hi[HUMAN_SIZE], at[HUMAN_SIZE];

	(void)e;
	if (!x->cursor.gap_hi && !x->cursor.backfill_at)
		return 0;
	if (!*header) {
		printf("sources:\n");
		*header = 1;
	}
	if (x->cursor.gap_hi) {
		when(x->cursor.gap_lo, lo);
		when(x->cursor.gap_hi, hi);
		when(x->cursor.gap_since, at);
		printf("    %-16s open gap: posts from %s to %s %s (since %s)\n", x->source, lo, hi,
		       x->cursor.gap_capped ? "may be missing (the platform lists no more pages)" : "not read yet", at);
	}
	if (x->cursor.backfill_at) {
		when(x->cursor.backfill_at, at);
		human_date_short(x->cursor.backfill_since, lo);
		human_date_short(x->cursor.backfill_until, hi);
		printf("    %-16s last complete backfill: %s (posts from %s to before %s)\n", x->source, at, lo, hi);
	}
	return 0;
}

enum { O_LIMIT };
static const struct cli_opt runs_opts[] = {
	[O_LIMIT] = {"limit", 'n', OPT_NUM, "N", "how many runs, newest first (default 10)", NULL, 1, 10000},
	{NULL},
};

static int cmd_runs(struct cli *c, struct cli_args *a)
{
	struct kerr e;
	int header = 0;

	kerr_clear(&e);
	if (store_foreach_run(c->st, a->set[O_LIMIT] ? (int)a->num[O_LIMIT] : 10, print_run, NULL, &e) < 0 ||
	    store_source_status(c->st, print_source, &header, &e) < 0)
		return cli_fail(&e);
	return EXIT_OK;
}

const struct cli_command cli_runs = {
	.name = "runs",
	.summary = "list recent imports and collections",
	.about = "The newest runs, each with what every source fetched, matched, added and updated,\n"
		 "its errors and how long it took; then each source's open gap and last complete\n"
		 "backfill.\n",
	.opts = runs_opts,
	.needs = NEED_STORE,
	.run = cmd_runs,
};
