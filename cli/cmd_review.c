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
#include "options.h"

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
	struct store *st = NULL;
	struct kerr e;
	int64_t now = (int64_t)time(NULL);
	size_t refused = 0;
	int status = EXIT_OK;

	kerr_clear(&e);
	if (cli_open_store(c, &st, &e) < 0 || store_begin(st, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
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
				status = cli_fail(&e);
				goto out;
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
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (int s = 1; s < t[i].nsteps; s++) {
			struct review_entry r = {0, t[i].platform, t[i].post_id, now, by, t[i].steps[s - 1],
						 t[i].steps[s], note};
			if (store_review_append(st, &r, &e) < 0) {
				store_rollback(st);
				status = cli_fail(&e);
				goto out;
			}
		}
	if (store_commit(st, &e) < 0) {
		store_rollback(st);
		status = cli_fail(&e);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (int s = 1; s < t[i].nsteps; s++)
			printf("%s: %s -> %s (by %s)\n", t[i].arg, review_state_names[t[i].steps[s - 1]],
			       review_state_names[t[i].steps[s]], by);
out:
	store_close(st);
	return status;
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
	struct store *st = NULL;
	struct kerr e;
	int status = EXIT_OK;

	kerr_clear(&e);
	if (cli_open_store(c, &st, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	printf("id\tat\tpost\tdecision\tby\tnote\n");
	if (store_review_log(st, t ? t->platform : NULL, t ? t->post_id : NULL, print_entry, NULL, &e) < 0) {
		if (e.code == KERR_USAGE) {
			refuse(t->arg, "no such post in %s", c->db_path);
			status = EXIT_USAGE;
		} else
			status = cli_fail(&e);
	}
out:
	store_close(st);
	return status;
}

static int show_list(struct cli *c, int status_filter, int flagged, const char *district, size_t limit)
{
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	struct store *st = NULL;
	struct gazetteer *g = NULL;
	struct flags *mask = NULL;
	struct kerr e;
	int status = EXIT_OK;

	kerr_clear(&e);
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_QUEUE;
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.status = status_filter;
	o.flagged_only = flagged;
	o.district = district;
	o.top = limit;
	o.campaign = c->cfg.campaign_name;
	/* ranked like the shortlist: the config's scoring */
	report_scoring_default(&sc);
	for (int k = 0; k < PC_N; k++) {
		if (c->cfg.scoring_weight_set & (1u << k))
			sc.weight[k] = c->cfg.scoring_weight[k];
		if (c->cfg.scoring_reference_set & (1u << k))
			sc.reference[k] = c->cfg.scoring_reference[k];
	}
	o.scoring = &sc;
	/* the queue shows titles with phone and ID numbers masked, like the flags */
	if (flags_new(&mask, NULL, &e) < 0 ||
	    district_new(&g, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	o.mask = mask;
	if (store_open(&st, c->db_path, &e) < 0 || featured_build(&f, st, g, &o, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (featured_render_queue(&f, stdout, &e) < 0)
		status = cli_fail(&e);
	else if ((size_t)f.candidates > f.n)
		fprintf(stderr, "kepu review: the best %zu of %ld works listed (--limit 0 lists all)\n", f.n, f.candidates);
	featured_release(&f);
out:
	store_close(st);
	district_free(g);
	flags_free(mask);
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

static int recheck(struct cli *c)
{
	struct recheck r;
	struct flags_rules rules;
	struct store_filter flt = {INT64_MIN, INT64_MAX};
	struct kerr e;
	int lock = -1, status = EXIT_OK;

	memset(&r, 0, sizeof(r));
	arena_init(&r.arena);
	kerr_clear(&e);
	r.now = (int64_t)time(NULL);
	if (cli_load(c, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	config_flag_rules(&c->cfg, &rules);
	if (flags_new(&r.flags, &rules, &e) < 0 || !(r.scratch = flags_scratch_new(r.flags)) ||
	    cli_lock_store(c, "kepu review recheck", &lock, &r.st, &e) < 0) {
		if (!e.msg[0])
			kerr_set(&e, KERR_NOMEM, "out of memory");
		status = cli_fail(&e);
		goto out;
	}
	if (store_begin(r.st, &e) < 0 || store_foreach_post(r.st, &flt, recheck_one, &r, &e) < 0 ||
	    store_commit(r.st, &e) < 0) {
		store_rollback(r.st);
		status = cli_fail(&e);
		goto out;
	}
	printf("rechecked %ld posts: %ld gained flags, %ld lost flags; %ld flagged now (review decisions untouched)\n",
	       r.posts, r.gained, r.lost, r.flagged);
out:
	store_close(r.st);
	store_unlock(lock);
	flags_scratch_free(r.scratch);
	flags_free(r.flags);
	arena_release(&r.arena);
	return status;
}

/* `review verify`: 0 when the chain and its guards hold, 1 when not. */
static int verify(struct cli *c)
{
	struct review_verdict v;
	struct store *st = NULL;
	struct kerr e;
	int status = EXIT_OK;

	kerr_clear(&e);
	if (cli_open_store(c, &st, &e) < 0 || store_review_verify(st, &v, &e) < 0) {
		store_close(st);
		return cli_fail(&e);
	}
	if (v.broken_id > 0) {
		fprintf(stderr, "kepu review: the audit log was tampered with: decision #%" PRId64 ": %s\n", v.broken_id,
			v.why);
		status = EXIT_PARTIAL;
	} else if (v.broken_id < 0) {
		fprintf(stderr, "kepu review: the audit log is unprotected: %s\n", v.why);
		status = EXIT_PARTIAL;
	} else
		printf("review log intact: %" PRId64 " decision%s, head %s\n", v.rows, v.rows == 1 ? "" : "s", v.head);
	store_close(st);
	return status;
}

int cmd_review(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"by", required_argument, NULL, 'b'},
					     {"note", required_argument, NULL, 'n'},
					     {"approve", no_argument, NULL, 'a'},
					     {"status", required_argument, NULL, 's'},
					     {"flagged", no_argument, NULL, 'F'},
					     {"district", required_argument, NULL, 'd'},
					     {"limit", required_argument, NULL, 'l'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	static const char *const actions[] = {"approve", "reject", "feature", "unfeature"};
	const struct cli_command *cmd = cli_find("review");
	const char *by = NULL, *note = NULL, *status_arg = NULL, *district = NULL, *limit_arg = NULL, *sub;
	int ch, approve_too = 0, flagged = 0, act = -1, rc, status_filter = REVIEW_PENDING;
	struct target *t = NULL;
	size_t n = 0, limit = REVIEW_LIST_LIMIT;

	while ((ch = cli_getopt(cmd, argc, argv, ":b:n:as:Fd:l:h", opts)) != -1) {
		switch (ch) {
		case 'b': by = optarg; break;
		case 'n': note = optarg; break;
		case 'a': approve_too = 1; break;
		case 's': status_arg = optarg; break;
		case 'F': flagged = 1; break;
		case 'd': district = optarg; break;
		case 'l': limit_arg = optarg; break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "which one: approve, reject, feature, unfeature, log, list, recheck or verify?");
	sub = argv[optind++];
	for (int i = 0; i < 4; i++)
		if (!strcmp(sub, actions[i]))
			act = i;
	if (act < 0 && strcmp(sub, "log") && strcmp(sub, "list") && strcmp(sub, "recheck") && strcmp(sub, "verify"))
		return cli_usage_error(cmd,
				       "unknown subcommand '%s' (approve, reject, feature, unfeature, log, list, recheck or verify)",
				       sub);
	if (act < 0 && (by || note))
		return cli_usage_error(cmd, "--by and --note go with a decision (approve, reject, feature, unfeature)");
	if (approve_too && act != ACT_FEATURE)
		return cli_usage_error(cmd, "--approve goes with 'review feature'");
	if ((status_arg || flagged || district || limit_arg) && strcmp(sub, "list"))
		return cli_usage_error(cmd, "--status, --flagged, --district and --limit go with 'review list'");

	if (!strcmp(sub, "verify")) {
		if (optind < argc)
			return cli_usage_error(cmd, "'review verify' takes no arguments");
		return verify(c);
	}
	if (!strcmp(sub, "recheck")) {
		if (optind < argc)
			return cli_usage_error(cmd, "'review recheck' takes no arguments");
		return recheck(c);
	}
	if (!strcmp(sub, "list")) {
		if (optind < argc)
			return cli_usage_error(cmd, "'review list' takes no arguments");
		if (status_arg) {
			status_filter = !strcmp(status_arg, "all") ? -1 : review_state_parse(status_arg);
			if (status_filter < 0 && strcmp(status_arg, "all"))
				return cli_usage_error(cmd, "--status: expected pending, approved, rejected, featured or all, got '%s'",
						       status_arg);
		}
		if (limit_arg) {
			char *end;
			long v = strtol(limit_arg, &end, 10);
			if (end == limit_arg || *end || v < 0 || v > 1000000)
				return cli_usage_error(cmd, "--limit: expected a whole number from 0 to 1000000, got '%s'",
						       limit_arg);
			limit = (size_t)v;
		}
		return show_list(c, status_filter, flagged, district, limit);
	}
	if (!strcmp(sub, "log")) {
		struct target one;
		if (argc - optind > 1)
			return cli_usage_error(cmd, "'review log' takes at most one PLATFORM:POST_ID");
		if (optind == argc)
			return show_log(c, NULL);
		if (parse_target(cmd, argv[optind], &one) < 0) {
			free(one.platform);
			return EXIT_USAGE;
		}
		rc = show_log(c, &one);
		free(one.platform);
		return rc;
	}

	/* a decision */
	if (optind >= argc)
		return cli_usage_error(cmd, "'review %s' needs at least one PLATFORM:POST_ID", sub);
	if (argc - optind > TARGETS_MAX)
		return cli_usage_error(cmd, "at most %d posts at once", TARGETS_MAX);
	if (!by)
		return cli_usage_error(cmd, "--by NAME is required: every decision says who took it");
	while (*by == ' ')
		by++;
	if (!*by)
		return cli_usage_error(cmd, "--by: expected a name");
	if (check_text(cmd, "--by", by, BY_MAX_CHARS, 0) < 0 ||
	    (note && check_text(cmd, "--note", note, NOTE_MAX_CHARS, 1) < 0))
		return EXIT_USAGE;
	if (!(t = calloc((size_t)(argc - optind), sizeof(*t)))) {
		fprintf(stderr, "kepu review: out of memory\n");
		return EXIT_PARTIAL;
	}
	rc = EXIT_OK;
	for (int i = optind; i < argc && rc == EXIT_OK; i++, n++)
		if (parse_target(cmd, argv[i], &t[n]) < 0)
			rc = EXIT_USAGE;
	if (rc == EXIT_OK)
		rc = decide(c, (enum action)act, t, n, by, note, approve_too);
	for (size_t i = 0; i < n; i++)
		free(t[i].platform);
	free(t);
	return rc;
}
