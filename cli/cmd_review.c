/*
 * cmd_review.c: `kepu review`: content review before a work is promoted.
 *
 *   approve|reject|feature|unfeature PLATFORM:POST_ID... --by NAME [--note TEXT] [--approve]
 *   log [PLATFORM:POST_ID]     the decisions, oldest first
 *   list [--status S] [--flagged] [--district UNIT] [--limit N]   the queue
 *   recheck                    re-run the flag rules over stored posts
 *   verify                     check the audit log's hash chain and guards
 *
 * Which transitions are allowed is decided here; the store only appends.
 * A command naming several posts is checked whole before anything is
 * written, inside one transaction: one refused post and nothing of the
 * command is recorded.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../matchers/flags.h"
#include "../reports/report.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "cli.h"

#define BY_MAX_CHARS 64
#define NOTE_MAX_CHARS 1000
#define TARGETS_MAX 1000
#define REVIEW_LIST_LIMIT 100 /* review list: works shown unless --limit */

enum action { ACT_APPROVE, ACT_REJECT, ACT_FEATURE, ACT_UNFEATURE };

struct target {
	const char *arg;  /* as given: PLATFORM:POST_ID */
	char *platform;   /* owned copy of the part before the ':' */
	const char *post_id;
	enum review_state steps[3]; /* the states it goes through, steps[0] the current one */
	int nsteps;
};

/* Print one refusal: `kepu review: weibo:123: cannot ...`. */
static void refuse(const char *post, const char *fmt, ...) KEPU_PRINTF(2, 3);
static void refuse(const char *post, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kepu review: %s: ", post);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Split PLATFORM:POST_ID; 0, or -1 after saying why. */
static int parse_target(const struct cli_command *cmd, const char *arg, struct target *t)
{
	const char *colon = strchr(arg, ':');

	memset(t, 0, sizeof(*t));
	t->arg = arg;
	if (!colon || colon == arg || !colon[1]) {
		cli_usage_error(cmd, "'%s': expected PLATFORM:POST_ID (e.g. weibo:4951234567890123)", arg);
		return -1;
	}
	if (!(t->platform = strndup(arg, (size_t)(colon - arg)))) {
		fprintf(stderr, "kepu review: out of memory\n");
		return -1;
	}
	t->post_id = colon + 1;
	if (!platform_find(t->platform)) {
		cli_usage_error(cmd, "'%s': unknown platform '%s'", arg, t->platform);
		return -1;
	}
	return 0;
}

/* A name or note from the command line: valid UTF-8, no control
 * characters (a note may have line breaks and tabs), at most max characters. */
static int check_text(const struct cli_command *cmd, const char *opt, const char *s, size_t max, int multiline)
{
	size_t chars = 0;

	if (utf8_invalid_at(s, strlen(s)) >= 0) {
		cli_usage_error(cmd, "%s: not valid UTF-8", opt);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t'))) || *p == 0x7F) {
			cli_usage_error(cmd, "%s: control characters are not allowed", opt);
			return -1;
		}
		chars += (*p & 0xC0) != 0x80;
	}
	if (chars > max) {
		cli_usage_error(cmd, "%s: longer than %zu characters", opt, max);
		return -1;
	}
	return 0;
}

/* The one step from `from` to `to`, if allowed; else say why and -1. */
static int step(struct target *t, enum review_state to, const char *verb, const char *note)
{
	enum review_state from = t->steps[t->nsteps - 1];
	const char *name = review_state_names[from];
	int noted = note && *note;

	if (from == to) {
		refuse(t->arg, "cannot %s: already %s", verb, name);
		return -1;
	}
	switch (to) {
	case REVIEW_APPROVED:
		if (from == REVIEW_FEATURED && strcmp(verb, "unfeature")) {
			refuse(t->arg, "cannot %s: it is featured; use unfeature to take it off the showcase", verb);
			return -1;
		}
		if (from == REVIEW_REJECTED && !noted) {
			refuse(t->arg, "cannot %s: it was rejected; overturning a rejection needs a note (--note TEXT)",
			       verb);
			return -1;
		}
		break;
	case REVIEW_REJECTED:
		if (from == REVIEW_FEATURED) {
			refuse(t->arg, "cannot reject: it is featured; unfeature it first");
			return -1;
		}
		if (!noted) {
			refuse(t->arg, "cannot reject: a note is required (--note TEXT: why)");
			return -1;
		}
		break;
	case REVIEW_FEATURED:
		if (from != REVIEW_APPROVED) {
			refuse(t->arg,
			       "cannot feature: not approved (it is %s); use --approve to approve and feature in one step",
			       name);
			return -1;
		}
		break;
	default:
		refuse(t->arg, "cannot %s: no such state", verb);
		return -1;
	}
	t->steps[t->nsteps++] = to;
	return 0;
}

/* The steps of one action from the current state; 0 or -1 (refused). */
static int plan(struct target *t, enum action a, int approve_too, const char *note)
{
	switch (a) {
	case ACT_APPROVE:
		return step(t, REVIEW_APPROVED, "approve", note);
	case ACT_REJECT:
		return step(t, REVIEW_REJECTED, "reject", note);
	case ACT_FEATURE:
		if (approve_too && (t->steps[0] == REVIEW_PENDING || t->steps[0] == REVIEW_REJECTED) &&
		    step(t, REVIEW_APPROVED, "approve", note) < 0)
			return -1;
		return step(t, REVIEW_FEATURED, "feature", note);
	case ACT_UNFEATURE:
		if (t->steps[0] != REVIEW_FEATURED) {
			refuse(t->arg, "cannot unfeature: it is not featured (it is %s)", review_state_names[t->steps[0]]);
			return -1;
		}
		return step(t, REVIEW_APPROVED, "unfeature", note);
	}
	return -1;
}

static int decide(struct cli *c, enum action a, struct target *t, size_t n, const char *by, const char *note,
		  int approve_too)
{
	struct store *st = c->st;
	struct kerr e;
	int64_t now = (int64_t)time(NULL);
	size_t refused = 0;

	kerr_clear(&e);
	if (store_begin(st, &e) < 0)
		return cli_fail(&e);
	/* check every post first; a post named twice sees its first change */
	for (size_t i = 0; i < n; i++) {
		enum review_state cur = REVIEW_PENDING;
		size_t k;

		for (k = i; k-- > 0;)
			if (!strcmp(t[k].platform, t[i].platform) && !strcmp(t[k].post_id, t[i].post_id))
				break;
		if (k != (size_t)-1 && t[k].nsteps)
			cur = t[k].steps[t[k].nsteps - 1];
		else if (store_review_state(st, t[i].platform, t[i].post_id, &cur, &e) < 0) {
			if (e.code != KERR_USAGE) {
				store_rollback(st);
				return cli_fail(&e);
			}
			refuse(t[i].arg, "no such post in %s", c->db_path);
			kerr_clear(&e);
			refused++;
			continue;
		}
		t[i].steps[0] = cur;
		t[i].nsteps = 1;
		if (plan(&t[i], a, approve_too, note) < 0) {
			t[i].nsteps = 0;
			refused++;
		}
	}
	if (refused) {
		store_rollback(st);
		fprintf(stderr, "kepu review: nothing was recorded (%zu of %zu post%s refused)\n", refused, n,
			n == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < n; i++)
		for (int s = 1; s < t[i].nsteps; s++) {
			struct review_entry r = {0, t[i].platform, t[i].post_id, now, by, t[i].steps[s - 1],
						 t[i].steps[s], note};
			if (store_review_append(st, &r, &e) < 0) {
				store_rollback(st);
				return cli_fail(&e);
			}
		}
	if (store_commit(st, &e) < 0) {
		store_rollback(st);
		return cli_fail(&e);
	}
	for (size_t i = 0; i < n; i++)
		for (int s = 1; s < t[i].nsteps; s++)
			printf("%s: %s -> %s (by %s)\n", t[i].arg, review_state_names[t[i].steps[s - 1]],
			       review_state_names[t[i].steps[s]], by);
	return EXIT_OK;
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
	putchar('\n');
	return 0;
}

static int show_log(struct cli *c, struct target *t)
{
	struct kerr e;

	kerr_clear(&e);
	printf("id\tat\tpost\tdecision\tby\tnote\n");
	if (store_review_log(c->st, t ? t->platform : NULL, t ? t->post_id : NULL, print_entry, NULL, &e) < 0) {
		if (e.code != KERR_USAGE)
			return cli_fail(&e);
		refuse(t->arg, "no such post in %s", c->db_path);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int check_log(struct cli *c, struct cli_args *a)
{
	struct target one;
	int rc = EXIT_OK;

	(void)c;
	if (a->argc && parse_target(a->cmd, a->argv[0], &one) < 0)
		rc = EXIT_USAGE;
	if (a->argc)
		free(one.platform);
	return rc;
}

static int cmd_log(struct cli *c, struct cli_args *a)
{
	struct target one;
	int rc;

	if (!a->argc)
		return show_log(c, NULL);
	if (parse_target(a->cmd, a->argv[0], &one) < 0) {
		free(one.platform);
		return EXIT_USAGE;
	}
	rc = show_log(c, &one);
	free(one.platform);
	return rc;
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

struct recheck {
	struct flags *flags;
	struct flags_scratch *scratch;
	struct arena arena;
	struct store *st;
	int64_t now;
	long posts, gained, lost, flagged;
};

static int recheck_one(void *ctx, const struct post *p, struct kerr *e)
{
	struct recheck *r = ctx;
	struct flags_result fr;
	struct post_flag v[FLAGS_MAX_HITS];
	struct post_flags pf = {v, 0, 0};
	int gained, lost;

	r->posts++;
	arena_reset(&r->arena);
	if (flags_scan(r->flags, r->scratch, p->title, p->text, &r->arena, &fr, e) < 0)
		return -1;
	for (size_t i = 0; i < fr.n; i++) {
		v[i].rule = fr.hit[i].rule;
		v[i].reason = fr.hit[i].reason;
		v[i].match = fr.hit[i].match;
		v[i].set_at = 0;
	}
	pf.n = fr.n;
	if (store_set_flags(r->st, p->platform, p->post_id, &pf, r->now, &gained, &lost, e) < 0)
		return -1;
	r->gained += gained > 0;
	r->lost += lost > 0;
	r->flagged += fr.n > 0;
	return 0;
}

static int cmd_recheck(struct cli *c, struct cli_args *a)
{
	struct recheck r;
	struct store_filter flt = {INT64_MIN, INT64_MAX};
	struct kerr e;
	int status = EXIT_OK;

	(void)a;
	memset(&r, 0, sizeof(r));
	arena_init(&r.arena);
	kerr_clear(&e);
	r.now = (int64_t)time(NULL);
	r.flags = c->flags;
	r.st = c->st;
	if (!(r.scratch = flags_scratch_new(r.flags))) {
		kerr_set(&e, KERR_NOMEM, "out of memory");
		status = cli_fail(&e);
	} else if (store_begin(r.st, &e) < 0 || store_foreach_post(r.st, &flt, recheck_one, &r, &e) < 0 ||
		   store_commit(r.st, &e) < 0) {
		store_rollback(r.st);
		status = cli_fail(&e);
	} else
		printf("rechecked %ld posts: %ld gained flags, %ld lost flags; %ld flagged now (review decisions "
		       "untouched)\n",
		       r.posts, r.gained, r.lost, r.flagged);
	flags_scratch_free(r.scratch);
	arena_release(&r.arena);
	return status;
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

enum { O_BY, O_NOTE, O_APPROVE };
#define DECISION_OPTS                                                                                   \
	[O_BY] = {"by", 0, OPT_TEXT, "NAME", "who decides: every decision says who took it", .required = 1},          \
	[O_NOTE] = {"note", 0, OPT_TEXT, "TEXT", "why; the note of a feature decision is the showcase caption"}
static const struct cli_opt decision_opts[] = {DECISION_OPTS, {NULL}};
static const struct cli_opt feature_opts[] = {
	DECISION_OPTS,
	[O_APPROVE] = {"approve", 0, OPT_FLAG, NULL,
		       "approve a pending or rejected work and feature it in one step\n(two decisions)"},
	{NULL},
};

/* The decision's --by and --note and its posts, checked before the
 * store is opened. */
static int check_decision(struct cli *c, struct cli_args *a)
{
	const char *by = a->text[O_BY];
	struct target t;
	int rc = EXIT_OK;

	(void)c;
	while (*by == ' ')
		by++;
	if (!*by)
		return cli_usage_error(a->cmd, "--by: expected a name");
	if (check_text(a->cmd, "--by", by, BY_MAX_CHARS, 0) < 0 ||
	    (a->text[O_NOTE] && check_text(a->cmd, "--note", a->text[O_NOTE], NOTE_MAX_CHARS, 1) < 0))
		return EXIT_USAGE;
	for (int i = 0; i < a->argc && rc == EXIT_OK; i++) {
		if (parse_target(a->cmd, a->argv[i], &t) < 0)
			rc = EXIT_USAGE;
		free(t.platform);
	}
	return rc;
}

static int run_decision(struct cli *c, struct cli_args *a, enum action act)
{
	const char *by = a->text[O_BY];
	struct target *t;
	size_t n = 0;
	int rc = EXIT_OK;

	while (*by == ' ')
		by++;
	if (!(t = calloc((size_t)a->argc, sizeof(*t)))) {
		fprintf(stderr, "kepu review: out of memory\n");
		return EXIT_PARTIAL;
	}
	for (int i = 0; i < a->argc && rc == EXIT_OK; i++, n++)
		if (parse_target(a->cmd, a->argv[i], &t[n]) < 0)
			rc = EXIT_USAGE;
	if (rc == EXIT_OK)
		rc = decide(c, act, t, n, by, a->text[O_NOTE], act == ACT_FEATURE && a->set[O_APPROVE]);
	for (size_t i = 0; i < n; i++)
		free(t[i].platform);
	free(t);
	return rc;
}

static int cmd_approve(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACT_APPROVE); }
static int cmd_reject(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACT_REJECT); }
static int cmd_feature(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACT_FEATURE); }
static int cmd_unfeature(struct cli *c, struct cli_args *a) { return run_decision(c, a, ACT_UNFEATURE); }

#define DECISION(cname, sname, csummary, cabout, copts, crun)                                                   \
	static const struct cli_command cname = {                                                        \
		.name = sname,                                                                            \
		.summary = csummary,                                                                     \
		.operands = "PLATFORM:POST_ID...",                                                       \
		.min_args = 1,                                                                           \
		.max_args = TARGETS_MAX,                                                                 \
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
	.about = "Tab-separated: id, at, post, decision, by, note.\n",
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
