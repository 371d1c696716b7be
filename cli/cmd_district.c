/*
 * cmd_district.c: `kepu district set|explain|reattribute`: what analysts
 * do with attributions: correct one by hand (kept forever), see why a post
 * went where it went, and re-run attribution after the gazetteer or the
 * account registry changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../matchers/district.h"
#include "cli.h"

struct dctx {
	const struct gazetteer *g;
	struct district_scratch *ds;
	struct arena arena;
	struct store *st;
	struct kbuf trace;
	long seen, moved, changed, manual;
	long gained, lost;                   /* posts that got a unit, or lost theirs */
	long (*per_unit)[4];                 /* per unit: gained, moved in, moved out, lost */
	int64_t now;
};

/* Characters in a UTF-8 string (for padding names in columns). */
static int chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The index of the unit with this code, or -1. */
static int unit_no(const struct gazetteer *g, const char *code)
{
	size_t n;
	const struct district_unit *base = district_units(g, &n);
	const struct district_unit *u = code ? district_lookup(g, code) : NULL;
	return u ? (int)(u - base) : -1;
}

static int attribute_stored(struct dctx *d, const struct post *p, struct district_result *r,
			    struct kbuf *trace, struct kerr *e)
{
	struct district_input in;

	memset(&in, 0, sizeof(in));
	in.platform = p->platform;
	in.title = p->title;
	in.text = p->text;
	in.hashtags = p->hashtags;
	in.nhashtags = p->nhashtags;
	in.author_id = p->author_id;
	in.author_name = p->author_name;
	in.author_location = p->author_location;
	in.ip_location = p->ip_location;
	arena_reset(&d->arena);
	return district_attribute(d->g, d->ds, &in, &d->arena, r, trace, e);
}

static int show(void *ctx, const struct post *p, struct kerr *e)
{
	struct dctx *d = ctx;
	struct district_result r;

	printf("%s:%s\n", p->platform, p->post_id);
	printf("  stored:  %s (%s), in Chongqing: %s, method %s, confidence %.2f\n",
	       p->district ? p->district : "no unit", p->district_code ? p->district_code : "-",
	       p->in_chongqing < 0 ? "unknown" : p->in_chongqing ? "yes" : "no", p->attribution_method,
	       p->attribution_confidence);
	printf("  evidence: %s\n", p->attribution_evidence ? p->attribution_evidence : "none");
	if (!strcmp(p->attribution_method, "manual"))
		printf("  a manual correction: re-collection and reattribute keep it\n");
	kbuf_reset(&d->trace);
	if (attribute_stored(d, p, &r, &d->trace, e) < 0)
		return -1;
	printf("  attribution now: %s, method %s, confidence %.2f, evidence %s\n",
	       r.unit ? r.unit->name : "no unit", r.method, r.confidence, r.evidence ? r.evidence : "none");
	printf("  what was considered:\n");
	if (!d->trace.len)
		printf("    nothing names a place\n");
	for (char *line = d->trace.data; line && *line;) {
		char *nl = strchr(line, '\n');
		printf("    %.*s\n", (int)(nl ? nl - line : (long)strlen(line)), line);
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int reattribute_one(void *ctx, const struct post *p, struct kerr *e)
{
	struct dctx *d = ctx;
	struct district_result r;
	struct post q;
	const char *code;

	d->seen++;
	if (!strcmp(p->attribution_method, "manual")) {
		d->manual++;
		return 0;
	}
	if (attribute_stored(d, p, &r, NULL, e) < 0)
		return -1;
	code = r.unit ? r.unit->code : NULL;
	if ((code ? p->district_code && !strcmp(code, p->district_code) : !p->district_code) &&
	    r.in_chongqing == p->in_chongqing && !strcmp(r.method, p->attribution_method) &&
	    r.confidence == p->attribution_confidence &&
	    (r.evidence ? p->attribution_evidence && !strcmp(r.evidence, p->attribution_evidence)
			: !p->attribution_evidence))
		return 0;
	if (code ? !p->district_code || strcmp(code, p->district_code) : p->district_code != NULL) {
		/* the old unit may not be in this gazetteer: then no row of its own */
		int to = unit_no(d->g, code), from = unit_no(d->g, p->district_code);
		if (!p->district_code) {
			d->gained++;
			d->per_unit[to][0]++;
		} else if (!code) {
			d->lost++;
			if (from >= 0)
				d->per_unit[from][3]++;
		} else {
			d->moved++;
			if (to >= 0)
				d->per_unit[to][1]++;
			if (from >= 0)
				d->per_unit[from][2]++;
		}
	} else
		d->changed++;
	q = *p;
	q.district = r.unit ? r.unit->name : NULL;
	q.district_code = code;
	q.in_chongqing = r.in_chongqing;
	q.attribution_method = r.method;
	q.attribution_confidence = r.confidence;
	q.attribution_evidence = r.evidence;
	return store_set_district(d->st, &q, NULL, d->now, e);
}

/* The attribution state every subcommand works with. */
static int dctx_init(struct dctx *d, struct cli *c, struct kerr *e)
{
	memset(d, 0, sizeof(*d));
	arena_init(&d->arena);
	kbuf_init(&d->trace, 1024 * 1024);
	d->now = (int64_t)time(NULL);
	d->g = c->gaz;
	d->st = c->st;
	if (!(d->ds = district_scratch_new(d->g)) ||
	    !(d->per_unit = calloc(c->cfg.districts.nunits + 1, sizeof(*d->per_unit))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

static void dctx_release(struct dctx *d)
{
	district_scratch_free(d->ds);
	free(d->per_unit);
	arena_release(&d->arena);
	kbuf_release(&d->trace);
}

static int cmd_explain(struct cli *c, struct cli_args *a)
{
	struct dctx d;
	struct kerr e;
	int status = EXIT_OK;

	kerr_clear(&e);
	if (dctx_init(&d, c, &e) < 0 || store_get_post(d.st, a->argv[0], a->argv[1], show, &d, &e) < 0)
		status = cli_fail(&e);
	dctx_release(&d);
	return status;
}

enum { O_NOTE };
static const struct cli_opt set_opts[] = {
	[O_NOTE] = {"note", 0, OPT_TEXT, "TEXT", "why (kept with the correction)"},
	{NULL},
};

static int cmd_set(struct cli *c, struct cli_args *a)
{
	const struct district_unit *u = district_lookup(c->gaz, a->argv[2]);
	struct post p;
	struct kerr e;

	kerr_clear(&e);
	if (!u) {
		kerr_set(&e, KERR_USAGE, "no unit '%s' in the gazetteer (give its name or code, e.g. 江津区 or 500116)",
			 a->argv[2]);
		return cli_fail(&e);
	}
	memset(&p, 0, sizeof(p));
	p.platform = a->argv[0];
	p.post_id = a->argv[1];
	p.district = u->name;
	p.district_code = u->code;
	p.in_chongqing = 1;
	p.attribution_method = "manual";
	p.attribution_confidence = 1.0;
	p.attribution_evidence = "manual correction";
	if (store_begin(c->st, &e) < 0 || store_set_district(c->st, &p, a->text[O_NOTE], (int64_t)time(NULL), &e) < 0 ||
	    store_commit(c->st, &e) < 0) {
		store_rollback(c->st);
		return cli_fail(&e);
	}
	printf("%s:%s: %s (%s), a manual correction\n", a->argv[0], a->argv[1], u->name, u->code);
	return EXIT_OK;
}

/* What reattribute changed, in all and per unit. */
static void print_moves(const struct dctx *d)
{
	size_t n;
	const struct district_unit *u = district_units(d->g, &n);
	int header = 0;

	printf("reattributed %ld posts: %ld gained a unit, %ld moved to another unit, %ld lost their unit, "
	       "%ld changed method or evidence, %ld manual corrections kept\n",
	       d->seen, d->gained, d->moved, d->lost, d->changed, d->manual);
	for (size_t i = 0; i < n; i++) {
		long *x = d->per_unit[i];
		if (!x[0] && !x[1] && !x[2] && !x[3])
			continue;
		if (!header++)
			printf("%-24s %8s %8s %9s %6s\n", "unit", "gained", "moved in", "moved out", "lost");
		/* names are CJK: pad by display width, two columns a character */
		printf("%s%*s %8ld %8ld %9ld %6ld\n", u[i].name, 24 - 2 * chars(u[i].name), "", x[0], x[1], x[2],
		       x[3]);
	}
}

static int cmd_reattribute(struct cli *c, struct cli_args *a)
{
	struct store_filter f = {INT64_MIN, INT64_MAX};
	struct dctx d;
	struct kerr e;
	int status = EXIT_OK;

	(void)a;
	kerr_clear(&e);
	if (dctx_init(&d, c, &e) < 0 || store_begin(d.st, &e) < 0 ||
	    store_foreach_post(d.st, &f, reattribute_one, &d, &e) < 0 || store_commit(d.st, &e) < 0) {
		store_rollback(d.st);
		status = cli_fail(&e);
	} else
		print_moves(&d);
	dctx_release(&d);
	return status;
}

static const struct cli_command district_set = {
	.name = "set",
	.summary = "record a manual correction",
	.about = "Gives the post to UNIT (its name or code) for good: re-collection and\n"
		 "reattribute never overwrite a manual correction.\n",
	.operands = "PLATFORM POST_ID UNIT",
	.min_args = 3,
	.max_args = 3,
	.opts = set_opts,
	.needs = NEED_STORE | NEED_GAZETTEER,
	.run = cmd_set,
	.parent = &cli_district,
};

static const struct cli_command district_explain = {
	.name = "explain",
	.summary = "why a post went where it went",
	.about = "The stored attribution, the attribution the gazetteer gives now, and every\n"
		 "piece of evidence considered.\n",
	.operands = "PLATFORM POST_ID",
	.min_args = 2,
	.max_args = 2,
	.needs = NEED_STORE | NEED_GAZETTEER,
	.run = cmd_explain,
	.parent = &cli_district,
};

static const struct cli_command district_reattribute = {
	.name = "reattribute",
	.summary = "re-run attribution over every stored post",
	.about = "After the gazetteer or the account registry changed: attributes every stored\n"
		 "post again (manual corrections are kept) and prints how many posts moved,\n"
		 "in all and per unit.\n",
	.needs = NEED_LOCK | NEED_GAZETTEER,
	.run = cmd_reattribute,
	.parent = &cli_district,
};

static const struct cli_command *const district_subs[] = {&district_set, &district_explain,
							  &district_reattribute, NULL};

const struct cli_command cli_district = {
	.name = "district",
	.summary = "correct, explain or re-run the attribution of stored posts",
	.subs = district_subs,
};
