/*
 * attribution.c: what staff do with attributions (rules.h): correct one by
 * hand or claim it for a district (kept forever), re-run attribution over
 * every post after the gazetteer or the account registry changed, and
 * explain why a post went where it went.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/config.h"
#include "../util/arena.h"
#include "../util/timefmt.h"

struct attr {
	const struct gazetteer *g;
	struct district_scratch *ds;
	struct arena arena;
	struct store *st;
	struct kbuf *trace;
	struct rules_moves *m;
	const struct district_account *only; /* reattribute: this account's posts only, or NULL */
	int64_t now;
};

static int attr_init(struct attr *a, struct store *st, const struct gazetteer *g, int64_t now, struct kerr *e)
{
	memset(a, 0, sizeof(*a));
	arena_init(&a->arena);
	a->g = g;
	a->st = st;
	a->now = now;
	if (!(a->ds = district_scratch_new(g)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

static void attr_release(struct attr *a)
{
	district_scratch_free(a->ds);
	arena_release(&a->arena);
}

/* Attribute a stored post as ingest would now. */
static int attribute_stored(struct attr *a, const struct post *p, struct district_result *r, struct kbuf *trace,
			    struct kerr *e)
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
	arena_reset(&a->arena);
	return district_attribute(a->g, a->ds, &in, &a->arena, r, trace, e);
}

/* The index of the unit with this code, or -1. */
static int unit_no(const struct gazetteer *g, const char *code)
{
	size_t n;
	const struct district_unit *base = district_units(g, &n);
	const struct district_unit *u = code ? district_lookup(g, code) : NULL;
	return u ? (int)(u - base) : -1;
}

static int same(const char *a, const char *b)
{
	return a ? b && !strcmp(a, b) : !b;
}

/* Count a post that changed unit (the old unit may not be in this
 * gazetteer: then no row of its own). */
static void count_move(struct rules_moves *m, const struct gazetteer *g, const char *from_code, const char *to_code)
{
	int to = unit_no(g, to_code), from = unit_no(g, from_code);

	if (!from_code) {
		m->gained++;
		if (to >= 0)
			m->per_unit[to][0]++;
	} else if (!to_code) {
		m->lost++;
		if (from >= 0)
			m->per_unit[from][3]++;
	} else {
		m->moved++;
		if (to >= 0)
			m->per_unit[to][1]++;
		if (from >= 0)
			m->per_unit[from][2]++;
	}
}

static int reattribute_one(void *ctx, const struct post *p, struct kerr *e)
{
	struct attr *a = ctx;
	struct district_result r;
	struct post q;
	const char *code;

	if (a->only && (strcmp(a->only->platform, p->platform) ||
			(a->only->author_id ? !p->author_id || strcmp(a->only->author_id, p->author_id)
					    : !p->author_name || strcmp(a->only->author_name, p->author_name))))
		return 0;
	a->m->seen++;
	if (!strcmp(p->attribution_method, "manual")) {
		a->m->manual++;
		return 0;
	}
	if (attribute_stored(a, p, &r, NULL, e) < 0)
		return -1;
	code = r.unit ? r.unit->code : NULL;
	if (same(code, p->district_code) && r.in_chongqing == p->in_chongqing &&
	    !strcmp(r.method, p->attribution_method) && r.confidence == p->attribution_confidence &&
	    same(r.evidence, p->attribution_evidence))
		return 0;
	if (!same(code, p->district_code))
		count_move(a->m, a->g, p->district_code, code);
	else
		a->m->changed++;
	q = *p;
	q.district = r.unit ? r.unit->name : NULL;
	q.district_code = code;
	q.in_chongqing = r.in_chongqing;
	q.attribution_method = r.method;
	q.attribution_confidence = r.confidence;
	q.attribution_evidence = r.evidence;
	return store_set_district(a->st, &q, NULL, NULL, a->now, e);
}

int rules_reattribute(struct store *st, const struct gazetteer *g, int64_t now, struct rules_moves *out,
		      struct kerr *e)
{
	return rules_reattribute_account(st, g, NULL, now, out, e);
}

int rules_reattribute_account(struct store *st, const struct gazetteer *g, const struct district_account *only,
			      int64_t now, struct rules_moves *out, struct kerr *e)
{
	struct store_filter all = {INT64_MIN, INT64_MAX};
	struct attr a;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	district_units(g, &out->nunits);
	if (!(out->per_unit = calloc(out->nunits + 1, sizeof(*out->per_unit))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (attr_init(&a, st, g, now, e) == 0) {
		a.m = out;
		a.only = only;
		if (store_begin(st, e) == 0) {
			if (store_foreach_post(st, &all, reattribute_one, &a, e) < 0 || store_commit(st, e) < 0)
				store_rollback(st);
			else
				rc = 0;
		}
	}
	attr_release(&a);
	return rc;
}

void rules_moves_release(struct rules_moves *m)
{
	free(m->per_unit);
	m->per_unit = NULL;
}

/* ---- the gazetteer with the registry ---- */

struct registry {
	struct district_account *v;
	size_t n;
};

static int keep_account(void *ctx, const struct store_account *a, struct kerr *e)
{
	struct registry *r = ctx;
	struct district_account *n = realloc(r->v, (r->n + 1) * sizeof(*n));

	if (!n)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	r->v = n;
	n = &r->v[r->n];
	memset(n, 0, sizeof(*n));
	n->platform = strdup(a->platform);
	n->unit = strdup(a->unit_code);
	n->author_id = a->author_id ? strdup(a->author_id) : NULL;
	n->author_name = a->author_name ? strdup(a->author_name) : NULL;
	r->n++;
	if (!n->platform || !n->unit || (a->author_id && !n->author_id) || (a->author_name && !n->author_name))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

int rules_gazetteer(struct store *st, const struct config *cfg, struct gazetteer **out, struct kerr *e)
{
	struct registry reg = {NULL, 0};
	int rc = -1;

	*out = NULL;
	if (!st)
		return district_new(out, &cfg->districts, cfg->accounts, cfg->naccounts, e);
	/* the config's accounts first, then the registry's (district_new
	 * copies what it keeps) */
	for (size_t i = 0; i < cfg->naccounts; i++) {
		const struct district_account *c = &cfg->accounts[i];
		struct store_account a = {0, c->platform, c->author_id, c->author_name, c->unit, NULL, NULL, 0};
		if (keep_account(&reg, &a, e) < 0)
			goto out;
	}
	if (store_account_foreach(st, 0, keep_account, &reg, e) == 0)
		rc = district_new(out, &cfg->districts, reg.v, reg.n, e);
out:
	for (size_t i = 0; i < reg.n; i++) {
		free((char *)reg.v[i].platform);
		free((char *)reg.v[i].unit);
		free((char *)reg.v[i].author_id);
		free((char *)reg.v[i].author_name);
	}
	free(reg.v);
	return rc;
}

/* ---- one post ---- */

struct current {
	char code[32];
	int has_unit;
};

static int get_current(void *ctx, const struct post *p, struct kerr *e)
{
	struct current *c = ctx;

	(void)e;
	c->has_unit = p->district_code != NULL;
	snprintf(c->code, sizeof(c->code), "%s", p->district_code ? p->district_code : "");
	return 0;
}

/* The manual correction itself, inside the caller's transaction: what
 * rules_set_unit() and rules_set_units() both write. */
static int record_unit(struct store *st, const char *platform, const char *post_id, const struct district_unit *unit,
		       const char *by, const char *note, int64_t now, struct kerr *e)
{
	struct post p;

	memset(&p, 0, sizeof(p));
	p.platform = platform;
	p.post_id = post_id;
	p.district = unit->name;
	p.district_code = unit->code;
	p.in_chongqing = 1;
	p.attribution_method = "manual";
	p.attribution_confidence = 1.0;
	p.attribution_evidence = "manual correction";
	return store_set_district(st, &p, by, note, now, e);
}

int rules_set_unit(struct store *st, const char *platform, const char *post_id,
		   const struct district_unit *unit, const struct district_unit *only_unit, const char *by,
		   const char *note, int64_t now, struct rules_refusal *why, struct kerr *e)
{
	struct current cur;

	if (store_begin(st, e) < 0)
		return -1;
	if (only_unit) {
		if (store_get_post(st, platform, post_id, get_current, &cur, e) < 0) {
			store_rollback(st);
			return -1;
		}
		if (unit != only_unit || (cur.has_unit && strcmp(cur.code, only_unit->code))) {
			store_rollback(st);
			snprintf(why->zh, sizeof(why->zh), "只能认领尚无归属或已属于%s的作品", only_unit->name);
			snprintf(why->en, sizeof(why->en), "a district may claim only posts without a unit or its own (%s)",
				 only_unit->code);
			return 1;
		}
	}
	if (record_unit(st, platform, post_id, unit, by, note, now, e) < 0 || store_commit(st, e) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

static int exists(void *ctx, const struct post *p, struct kerr *e)
{
	(void)ctx, (void)p, (void)e;
	return 0;
}

/* Does the post exist?  1, 0, or -1 on an error other than "no post". */
static int post_exists(struct store *st, const char *platform, const char *post_id, struct kerr *e)
{
	if (store_get_post(st, platform, post_id, exists, NULL, e) == 0)
		return 1;
	if (e->code != KERR_USAGE)
		return -1;
	kerr_clear(e);
	return 0;
}

int rules_check_claims(struct store *st, struct rules_claim *c, size_t n, size_t *missing, struct kerr *e)
{
	*missing = 0;
	for (size_t i = 0; i < n; i++) {
		int x = post_exists(st, c[i].platform, c[i].post_id, e);
		if (x < 0)
			return -1;
		c[i].missing = !x;
		*missing += !x;
	}
	return 0;
}

int rules_set_units(struct store *st, struct rules_claim *c, size_t n, const char *by, int64_t now, size_t *missing,
		    struct kerr *e)
{
	if (store_begin(st, e) < 0)
		return -1;
	if (rules_check_claims(st, c, n, missing, e) < 0)
		goto fail;
	if (*missing) {
		store_rollback(st);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		if (record_unit(st, c[i].platform, c[i].post_id, c[i].unit, by, c[i].note, now, e) < 0)
			goto fail;
	if (store_commit(st, e) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

struct explain {
	struct attr a;
	struct kbuf *out;
};

/* One row of the post's corrections log. */
static int explain_correction(void *ctx, const struct store_correction *c, struct kerr *e)
{
	struct explain *x = ctx;
	char at[32];

	ktime_format_cst(c->at, at);
	return kbuf_addf(x->out, e, "    %.16s %s: %s -> %s (%s)%s%s\n", at, c->by ? c->by : "(unknown)",
			 c->from_code ? c->from_code : "no unit", c->to_name, c->to_code, c->note ? ": " : "",
			 c->note ? c->note : "");
}

static int explain_one(void *ctx, const struct post *p, struct kerr *e)
{
	struct explain *x = ctx;
	struct district_result r;
	struct kbuf trace;
	int rc;

	if (kbuf_addf(x->out, e, "%s:%s\n", p->platform, p->post_id) < 0 ||
	    kbuf_addf(x->out, e, "  stored:  %s (%s), in Chongqing: %s, method %s, confidence %.2f\n",
		      p->district ? p->district : "no unit", p->district_code ? p->district_code : "-",
		      p->in_chongqing < 0 ? "unknown" : p->in_chongqing ? "yes" : "no", p->attribution_method,
		      p->attribution_confidence) < 0 ||
	    kbuf_addf(x->out, e, "  evidence: %s\n", p->attribution_evidence ? p->attribution_evidence : "none") < 0)
		return -1;
	if (!strcmp(p->attribution_method, "manual") &&
	    (kbuf_adds(x->out, "  a manual correction: re-collection and reattribute keep it; the corrections:\n", e) < 0 ||
	     store_corrections(x->a.st, p->platform, p->post_id, explain_correction, x, e) < 0))
		return -1;
	kbuf_init(&trace, 1024 * 1024);
	rc = attribute_stored(&x->a, p, &r, &trace, e);
	if (rc == 0)
		rc = kbuf_addf(x->out, e, "  attribution now: %s, method %s, confidence %.2f, evidence %s\n",
			       r.unit ? r.unit->name : "no unit", r.method, r.confidence, r.evidence ? r.evidence : "none");
	if (rc == 0)
		rc = kbuf_adds(x->out, "  what was considered:\n", e);
	if (rc == 0 && !trace.len)
		rc = kbuf_adds(x->out, "    nothing names a place\n", e);
	for (char *line = trace.data; rc == 0 && line && *line;) {
		char *nl = strchr(line, '\n');
		rc = kbuf_addf(x->out, e, "    %.*s\n", (int)(nl ? nl - line : (long)strlen(line)), line);
		line = nl ? nl + 1 : NULL;
	}
	kbuf_release(&trace);
	return rc;
}

int rules_explain(struct store *st, const struct gazetteer *g, const char *platform, const char *post_id,
		  struct kbuf *out, struct kerr *e)
{
	struct explain x;
	int rc = -1;

	x.out = out;
	if (attr_init(&x.a, st, g, 0, e) == 0)
		rc = store_get_post(st, platform, post_id, explain_one, &x, e);
	attr_release(&x.a);
	return rc;
}
