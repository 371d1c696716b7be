/*
 * cmd_review.c: `kepu review`: content review before a work is promoted.
 *
 *   approve|reject|feature|unfeature PLATFORM:POST_ID... --by NAME [--note TEXT] [--approve] [--title TEXT]
 *   log [PLATFORM:POST_ID]     the decisions, oldest first
 *   list [--status S] [--flagged] [--district UNIT] [--limit N]   the queue
 *   recheck                    re-run the flag rules over stored posts
 *   verify                     check the audit log's hash chain and guards
 *
 * The rules (which transitions are allowed, all or nothing) are
 * rules/review.c's, shared with the web workspace; this file parses and
 * prints, states and refusals in Chinese with the English ids beside.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../matchers/flags.h"
#include "../reports/report.h"
#include "../rules/rules.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "cli.h"

#define REVIEW_LIST_LIMIT 100 /* review list: works shown unless --limit */

/* Print one refusal: `kepu review: weibo:123: 无法驳回：… (cannot reject: …)`. */
static void refuse(const char *post, const struct rules_refusal *why)
{
	fprintf(stderr, "kepu review: %s: %s (%s)\n", post, why->zh, why->en);
}

/* A PLATFORM:POST_ID operand; 0, or the usage error's status. */
static int check_target(const struct cli_command *cmd, const char *arg)
{
	struct rules_target t;

	memset(&t, 0, sizeof(t));
	t.post = arg;
	if (rules_target_parse(&t) < 0)
		return cli_usage_error(cmd, "%s", t.why.en);
	return 0;
}

/* `review log`: tab-separated, a header first. */
static int print_entry(void *ctx, const struct review_entry *r, struct kerr *e)
{
	char at[32];

	(void)ctx;
	(void)e;
	ktime_format_cst(r->at, at);
	printf("%" PRId64 "\t%s\t%s:%s\t%s -> %s\t%s\t", r->id, at, r->platform, r->post_id, review_state_names[r->from],
	       review_state_names[r->to], r->by ? r->by : "-");
	if (r->note && *r->note)
		for (const char *s = r->note; *s; s++)
			putchar(*s == '\n' || *s == '\t' ? ' ' : *s);
	else
		putchar('-');
	printf("\t%s\n", r->title ? r->title : "-"); /* a title is one line (rules_check_title) */
	return 0;
}

static int check_log(struct cli *c, struct cli_args *a)
{
	(void)c;
	return a->argc ? check_target(a->cmd, a->argv[0]) : EXIT_OK;
}

static int cmd_log(struct cli *c, struct cli_args *a)
{
	struct rules_target t;
	struct kerr e;

	memset(&t, 0, sizeof(t));
	if (a->argc) {
		t.post = a->argv[0];
		rules_target_parse(&t); /* checked */
	}
	kerr_clear(&e);
	printf("id\tat\tpost\tdecision\tby\tnote\ttitle\n");
	if (store_review_log(c->st, a->argc ? t.platform : NULL, t.post_id, print_entry, NULL, &e) < 0) {
		if (e.code != KERR_USAGE)
			return cli_fail(&e);
		fprintf(stderr, "kepu review: %s: 数据库中没有这条作品 (no such post in %s)\n", t.post, c->db_path);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

enum { O_STATUS, O_FLAGGED, O_DISTRICT, O_LIMIT };
static const struct cli_opt list_opts[] = {
	[O_STATUS] = {"status", 0, OPT_CHOICE, "S", "pending (default), approved, rejected, featured or all",
		      "pending|approved|rejected|featured|all"},
	[O_FLAGGED] = {"flagged", 0, OPT_FLAG, NULL, "flagged works only"},
	[O_DISTRICT] = {"district", 0, OPT_TEXT, "UNIT", "one unit's works (name or code)"},
	[O_LIMIT] = {"limit", 0, OPT_NUM, "N", "the best N (default 100; 0: all)", NULL, 0, 1000000},
	{NULL},
};

static int cmd_list(struct cli *c, struct cli_args *a)
{
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	struct kerr e;
	int status = EXIT_OK;

	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_QUEUE;
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.status = !a->set[O_STATUS] ? (int)REVIEW_PENDING
		   : !strcmp(a->text[O_STATUS], "all") ? -1 : (int)review_state_parse(a->text[O_STATUS]);
	o.flagged_only = a->set[O_FLAGGED];
	o.district = a->text[O_DISTRICT];
	o.top = a->set[O_LIMIT] ? (size_t)a->num[O_LIMIT] : REVIEW_LIST_LIMIT;
	o.campaign = c->cfg.campaign_name;
	/* ranked like the shortlist: the config's scoring */
	cli_scoring(c, &sc);
	o.scoring = &sc;
	/* the queue shows titles with phone and ID numbers masked, like the flags */
	o.mask = c->mask;
	kerr_clear(&e);
	if (featured_build(&f, c->st, c->gaz, &o, &e) < 0)
		return cli_fail(&e);
	if (featured_render_queue(&f, stdout, &e) < 0)
		status = cli_fail(&e);
	else if ((size_t)f.candidates > f.n)
		fprintf(stderr, "kepu review: the best %zu of %ld works listed (--limit 0 lists all)\n", f.n, f.candidates);
	featured_release(&f);
	return status;
}

static int cmd_recheck(struct cli *c, struct cli_args *a)
{
	struct rules_recheck r;
	struct kerr e;

	(void)a;
	kerr_clear(&e);
	if (rules_recheck(c->st, c->flags, (int64_t)time(NULL), &r, &e) < 0)
		return cli_fail(&e);
	printf("rechecked %ld posts: %ld gained flags, %ld lost flags; %ld flagged now (review decisions "
	       "untouched)\n",
	       r.posts, r.gained, r.lost, r.flagged);
	return EXIT_OK;
}

/* `review verify`: 0 when the chain and its guards hold, 1 when not. */
static int cmd_verify(struct cli *c, struct cli_args *a)
{
	struct review_verdict v;
	struct kerr e;

	(void)a;
	kerr_clear(&e);
	if (store_review_verify(c->st, &v, &e) < 0)
		return cli_fail(&e);
	if (v.broken_id > 0) {
		fprintf(stderr, "kepu review: the audit log was tampered with: decision #%" PRId64 ": %s\n", v.broken_id,
			v.why);
		return EXIT_PARTIAL;
	}
	if (v.broken_id < 0) {
		fprintf(stderr, "kepu review: the audit log is unprotected: %s\n", v.why);
		return EXIT_PARTIAL;
	}
	printf("review log intact: %" PRId64 " decision%s, head %s\n", v.rows, v.rows == 1 ? "" : "s", v.head);
	return EXIT_OK;
}

/* ---- the decisions ---- */

enum { O_BY, O_NOTE, O_APPROVE, O_TITLE };
#define DECISION_OPTS                                                                                   \
	[O_BY] = {"by", 0, OPT_TEXT, "NAME", "who decides: every decision says who took it", .required = 1},          \
	[O_NOTE] = {"note", 0, OPT_TEXT, "TEXT", "why; the note of a feature decision is the showcase caption"}
static const struct cli_opt decision_opts[] = {DECISION_OPTS, {NULL}};
static const struct cli_opt feature_opts[] = {
	DECISION_OPTS,
	[O_APPROVE] = {"approve", 0, OPT_FLAG, NULL,
		       "approve a pending or rejected work and feature it in one step\n(two decisions)"},
	[O_TITLE] = {"title", 0, OPT_TEXT, "TEXT",
		     "the title the showcase shows instead of the post's own\n(one line, at most 40 characters)"},
	{NULL},
};

/* The decision's --by and --note and its posts, checked before the
 * store is opened. */
static int check_decision(struct cli *c, struct cli_args *a)
{
	struct rules_refusal why;

	(void)c;
	if (rules_check_by(a->text[O_BY], "--by", &why) < 0 ||
	    (a->text[O_NOTE] && rules_check_note(a->text[O_NOTE], "--note", &why) < 0) ||
	    (a->cmd->opts == feature_opts && a->text[O_TITLE] && rules_check_title(a->text[O_TITLE], "--title", &why) < 0))
		return cli_usage_error(a->cmd, "%s", why.en);
	for (int i = 0; i < a->argc; i++)
		if (check_target(a->cmd, a->argv[i]) != 0)
			return EXIT_USAGE;
	return EXIT_OK;
}

static int run_decision(struct cli *c, struct cli_args *a, enum rules_action act)
{
	struct rules_decision d;
	struct kerr e;
	size_t refused;
	int rc;

	memset(&d, 0, sizeof(d));
	d.action = act;
	d.by = a->text[O_BY];
	while (*d.by == ' ')
		d.by++;
	d.note = a->text[O_NOTE];
	d.approve_too = act == ACTION_FEATURE && a->set[O_APPROVE];
	d.title = act == ACTION_FEATURE ? a->text[O_TITLE] : NULL;
	d.now = (int64_t)time(NULL);
	d.n = (size_t)a->argc;
	if (!(d.t = calloc(d.n, sizeof(*d.t)))) {
		fprintf(stderr, "kepu review: out of memory\n");
		return EXIT_PARTIAL;
	}
	for (size_t i = 0; i < d.n; i++)
		d.t[i].post = a->argv[i];
	kerr_clear(&e);
	if ((rc = rules_decide(c->st, &d, &refused, &e)) < 0)
		rc = cli_fail(&e);
	else if (rc > 0) {
		for (size_t i = 0; i < d.n; i++)
			if (!d.t[i].nsteps)
				refuse(d.t[i].post, &d.t[i].why);
		fprintf(stderr, "kepu review: 未记录任何决定 (nothing was recorded: %zu of %zu post%s refused)\n", refused,
			d.n, d.n == 1 ? "" : "s");
		rc = EXIT_USAGE;
	} else
		for (size_t i = 0; i < d.n; i++)
			for (int s = 1; s < d.t[i].nsteps; s++)
				printf("%s: %s -> %s (%s -> %s, by %s)\n", d.t[i].post,
				       review_state_labels[d.t[i].steps[s - 1]], review_state_labels[d.t[i].steps[s]],
				       review_state_names[d.t[i].steps[s - 1]], review_state_names[d.t[i].steps[s]], d.by);
	free(d.t);
	return rc;
}

static int cmd_approve(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACTION_APPROVE); }
static int cmd_reject(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACTION_REJECT); }
static int cmd_feature(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACTION_FEATURE); }
static int cmd_unfeature(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACTION_UNFEATURE); }

#define DECISION(cname, sname, csummary, cabout, copts, crun)                                                   \
	static const struct cli_command cname = {                                                        \
		.name = sname,                                                                            \
		.summary = csummary,                                                                     \
		.operands = "PLATFORM:POST_ID...",                                                       \
		.min_args = 1,                                                                           \
		.max_args = RULES_TARGETS_MAX,                                                                 \
		.about = cabout,                                                                         \
		.opts = copts,                                                                           \
		.needs = NEED_STORE,                                                                     \
		.check = check_decision,                                                                 \
		.run = crun,                                                                             \
		.parent = &cli_review,                                                                   \
	}

DECISION(review_approve, "approve", "pending or rejected -> approved",
	 "Approves the works (overturning a rejection needs --note).\n", decision_opts, cmd_approve);
DECISION(review_reject, "reject", "pending or approved -> rejected",
	 "Rejects the works; --note is required: why.\n", decision_opts, cmd_reject);
DECISION(review_feature, "feature", "approved -> featured",
	 "Features approved works in the showcase; with --approve a pending or rejected\n"
	 "work is approved and featured in one step (two decisions).\n",
	 feature_opts, cmd_feature);
DECISION(review_unfeature, "unfeature", "featured -> approved",
	 "Takes featured works off the showcase (they stay approved).\n", decision_opts, cmd_unfeature);

static const struct cli_command review_log = {
	.name = "log",
	.summary = "the decisions, oldest first: all, or one post's",
	.operands = "[PLATFORM:POST_ID]",
	.max_args = 1,
	.about = "Tab-separated: id, at, post, decision, by, note, title (an editor's showcase title).\n",
	.needs = NEED_STORE,
	.check = check_log,
	.run = cmd_log,
	.parent = &cli_review,
};

static const struct cli_command review_list = {
	.name = "list",
	.summary = "the queue, best first",
	.about = "The works waiting for a decision (or in another state), ranked like the\n"
		 "shortlist, with their flags.\n",
	.opts = list_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.run = cmd_list,
	.parent = &cli_review,
};

static const struct cli_command review_recheck = {
	.name = "recheck",
	.summary = "re-run the flag rules over stored posts",
	.about = "After the config's review patterns or word list changed: prints how many posts\n"
		 "gained or lost flags; decisions are untouched.\n",
	.needs = NEED_FLAGS | NEED_LOCK,
	.run = cmd_recheck,
	.parent = &cli_review,
};

static const struct cli_command review_verify = {
	.name = "verify",
	.summary = "check that the audit log was not rewritten from outside kepu",
	.about = "Each decision's hash chains to the one before, and the triggers that keep the\n"
		 "log append-only are there; prints the head hash (keep it: a log cut short\n"
		 "keeps a valid chain); exit 1 names the first broken #ID.\n",
	.needs = NEED_STORE,
	.run = cmd_verify,
	.parent = &cli_review,
};

static const struct cli_command *const review_subs[] = {
	&review_approve, &review_reject, &review_feature, &review_unfeature, &review_log,
	&review_list,    &review_recheck, &review_verify, NULL,
};

const struct cli_command cli_review = {
	.name = "review",
	.summary = "content review: decisions with an audit trail, the queue, flags",
	.about = "States: pending (until a decision), approved, rejected, featured. Every decision is\n"
		 "appended to an audit log that is never edited; the state is the last decision.\n",
	.after = "A command naming several posts is checked whole first: if any is refused (an\n"
		 "unknown post, a transition not allowed, a missing note) nothing is recorded and\n"
		 "the exit status is 2.\n",
	.subs = review_subs,
};
