/*
 * featured.c: featured works (report.h, section "Featured works"): the
 * publicity staff's ranked shortlist, the review queue, the showcase, and
 * their renderers (Markdown, CSV, JSON, HTML, an Excel workbook, the
 * queue's text, the showcase's page and CSV).
 *
 * The model reads through store/'s API: the newest review decision and
 * the flags of every post that has any (few: they are held in a hash
 * map), then the posts of the window, one light row at a time.  Works are
 * ranked exactly as the report ranks its top works: the engagement index
 * (report_index() with the config's scoring), then likes, then the
 * earlier post, then platform and id.
 *
 * The shortlist's fairness rule (README "Featured works and review"):
 * take works in rank order, skipping a work whose unit already has
 * per_unit works in the list, until there are top; if fewer, fill the
 * remaining places with the best skipped works in rank order.  Neither
 * step can pick a unit's (top+1)-th best work, so the scan keeps only
 * each unit's best `top` candidates: memory does not grow with the posts.
 *
 * Every string from a post is escaped for the format it lands in
 * (escape.h); links are written only for http(s) URLs.
 *
 * Not for: SQL text, deciding review transitions (cli/cmd_review.c).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../matchers/flags.h"
#include "../util/buf.h"
#include "../util/hash.h"
#include "../util/human.h"
#include "../util/timefmt.h"
#include "escape.h"
#include "json_fields.h"
#include "out.h"
#include "report.h"
#include "sections.h"
#include "xlsx.h"

/* ---- review states and flags of the posts that have any ---- */

struct rev {
	char *platform, *post_id; /* owned; platform NULL: an empty slot */
	int decided;              /* has a review entry */
	enum review_state state;
	char *by, *note, *title;
	int64_t at;
	struct featured_flag *flags;
	size_t nflags, aflags;
};

struct revmap {
	struct rev *slot;
	size_t cap, n; /* cap: a power of two */
};

static uint64_t rev_hash(const char *platform, const char *post_id)
{
	uint64_t h = khash(KHASH_SEED, platform, strlen(platform) + 1); /* with the NUL: a separator */
	return khash(h, post_id, strlen(post_id));
}

static struct rev *rev_find(const struct revmap *m, const char *platform, const char *post_id)
{
	size_t i;

	if (!m->cap || !platform || !post_id)
		return NULL;
	for (i = (size_t)rev_hash(platform, post_id) & (m->cap - 1); m->slot[i].platform; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->slot[i].platform, platform) && !strcmp(m->slot[i].post_id, post_id))
			return &m->slot[i];
	return NULL;
}

static int rev_grow(struct revmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 256;
	struct rev *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t k = 0; k < m->cap; k++) {
		struct rev *r = &m->slot[k];
		size_t i;
		if (!r->platform)
			continue;
		for (i = (size_t)rev_hash(r->platform, r->post_id) & (ncap - 1); ns[i].platform; i = (i + 1) & (ncap - 1))
			;
		ns[i] = *r;
	}
	free(m->slot);
	m->slot = ns;
	m->cap = ncap;
	return 0;
}

/* The entry of (platform, post_id), added when missing. */
static struct rev *rev_get(struct revmap *m, const char *platform, const char *post_id, struct kerr *e)
{
	struct rev *r = rev_find(m, platform, post_id);
	size_t i;

	if (r)
		return r;
	if ((m->n + 1) * 2 > m->cap && rev_grow(m) < 0)
		goto nomem;
	for (i = (size_t)rev_hash(platform, post_id) & (m->cap - 1); m->slot[i].platform; i = (i + 1) & (m->cap - 1))
		;
	r = &m->slot[i];
	if (!(r->post_id = strdup(post_id)))
		goto nomem;
	if (!(r->platform = strdup(platform))) {
		free(r->post_id);
		r->post_id = NULL;
		goto nomem;
	}
	m->n++;
	return r;
nomem:
	kerr_set(e, KERR_NOMEM, "out of memory");
	return NULL;
}

static void flag_release(struct featured_flag *f)
{
	free(f->rule);
	free(f->reason);
	free(f->match);
}

static void revmap_release(struct revmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		struct rev *r = &m->slot[i];
		if (!r->platform)
			continue;
		free(r->platform);
		free(r->post_id);
		free(r->by);
		free(r->note);
		free(r->title);
		for (size_t k = 0; k < r->nflags; k++)
			flag_release(&r->flags[k]);
		free(r->flags);
	}
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int on_current(void *ctx, const struct review_entry *x, struct kerr *e)
{
	struct rev *r = rev_get(ctx, x->platform, x->post_id, e);

	if (!r)
		return -1;
	r->decided = 1;
	r->state = x->to;
	r->at = x->at;
	free(r->by);
	free(r->note);
	free(r->title);
	r->by = dup_or_null(x->by);
	r->note = dup_or_null(x->note);
	r->title = dup_or_null(x->title);
	if ((x->by && !r->by) || (x->note && !r->note) || (x->title && !r->title))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

static int on_flag(void *ctx, const char *platform, const char *post_id, const struct post_flag *f,
		   struct kerr *e)
{
	struct rev *r = rev_get(ctx, platform, post_id, e);
	struct featured_flag *ff;

	if (!r)
		return -1;
	if (r->nflags == r->aflags) {
		size_t na = r->aflags ? r->aflags * 2 : 4;
		struct featured_flag *nf = realloc(r->flags, na * sizeof(*nf));
		if (!nf)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		r->flags = nf;
		r->aflags = na;
	}
	ff = &r->flags[r->nflags];
	ff->rule = dup_or_null(f->rule);
	ff->reason = dup_or_null(f->reason);
	ff->match = dup_or_null(f->match);
	r->nflags++;
	if (!ff->rule || (f->reason && !ff->reason) || !ff->match)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

/* A flag is open until a person approved (or featured) the work. */
static int open_flags(const struct rev *r)
{
	return r && r->nflags && r->state != REVIEW_APPROVED && r->state != REVIEW_FEATURED;
}

/* ---- works ---- */

static void work_release(struct featured_work *w)
{
	free(w->platform);
	free(w->post_id);
	free(w->url);
	free(w->title);
	free(w->author_name);
	free(w->district);
	free(w->district_code);
	free(w->reviewer);
	free(w->note);
	free(w->editor_title);
	for (size_t i = 0; i < w->nflags; i++)
		flag_release(&w->flags[i]);
	free(w->flags);
	memset(w, 0, sizeof(*w));
}

/* Is a ranked before b?  The order of every list of works (work.c). */
static int better(const struct featured_work *a, const struct featured_work *b)
{
	struct work_key ka = {a->index, a->counts[PC_LIKES], a->created_at, a->platform, a->post_id};
	struct work_key kb = {b->index, b->counts[PC_LIKES], b->created_at, b->platform, b->post_id};
	return work_before(&ka, &kb);
}

static int by_rank(const void *x, const void *y)
{
	const struct featured_work *a = x, *b = y;

	return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* A list of works: growable, or kept sorted and capped (a unit's best). */
struct worklist {
	struct featured_work *v;
	size_t n, cap;
};

struct build {
	struct featured *f;
	const struct featured_opts *o;
	const struct gazetteer *g;
	const struct district_unit *units; /* the gazetteer's, in its order */
	size_t nunits;
	struct revmap revs;
	struct worklist *per_unit;         /* shortlist: nunits capped lists */
	struct worklist all;               /* queue and showcase */
};

/* Fill w's own copies from the row (review fields come later). */
static int work_from_row(struct featured_work *w, const struct store_report_row *p, double idx,
			 const struct district_unit *u)
{
	memset(w, 0, sizeof(*w));
	w->id = p->id;
	w->platform = dup_or_null(p->platform);
	w->post_id = dup_or_null(p->post_id);
	w->author_name = dup_or_null(p->author_name);
	w->district = dup_or_null(u ? u->name : p->district);
	w->district_code = dup_or_null(u ? u->code : p->district_code);
	w->created_at = p->created_at;
	w->deleted_at = p->deleted_at;
	memcpy(w->counts, p->counts, sizeof(w->counts));
	w->known = p->known;
	w->lower = p->lower;
	w->index = idx;
	w->unit = u;
	if (!w->platform || !w->post_id || (p->author_name && !w->author_name) ||
	    ((u || p->district) && !w->district)) {
		work_release(w);
		return -1;
	}
	return 0;
}

static int list_push(struct worklist *l, struct featured_work *w)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct featured_work *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = *w;
	return 0;
}

/* Keep the row in the sorted list l of at most cap works. */
static int list_consider(struct worklist *l, size_t cap, const struct store_report_row *p, double idx,
			 const struct district_unit *u, struct kerr *e)
{
	struct featured_work probe, w;
	size_t pos;

	if (!l->v && !(l->v = calloc(cap, sizeof(*l->v))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	/* compare first, copy only what is kept: the probe borrows the row */
	memset(&probe, 0, sizeof(probe));
	probe.platform = (char *)p->platform;
	probe.post_id = (char *)p->post_id;
	probe.created_at = p->created_at;
	memcpy(probe.counts, p->counts, sizeof(probe.counts));
	probe.index = idx;
	for (pos = l->n; pos > 0 && better(&probe, &l->v[pos - 1]); pos--)
		;
	if (pos >= cap)
		return 0;
	if (work_from_row(&w, p, idx, u) < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (l->n == cap)
		work_release(&l->v[--l->n]);
	memmove(&l->v[pos + 1], &l->v[pos], (l->n - pos) * sizeof(*l->v));
	l->v[pos] = w;
	l->n++;
	return 0;
}

static const struct district_unit *unit_of(const struct build *b, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < b->nunits; i++)
		if (!strcmp(b->units[i].code, code))
			return &b->units[i];
	return NULL;
}

static int on_row(void *ctx, const struct store_report_row *p, struct kerr *e)
{
	struct build *b = ctx;
	struct featured *f = b->f;
	const struct featured_opts *o = b->o;
	const struct district_unit *u = unit_of(b, p->district_code);
	const struct rev *r = rev_find(&b->revs, p->platform, p->post_id);
	enum review_state state = r && r->decided ? r->state : REVIEW_PENDING;
	double idx;
	struct featured_work w;

	if (o->platform && strcmp(o->platform, p->platform))
		return 0;
	switch (o->kind) {
	case FEATURED_SHORTLIST:
		/* the showcase is per unit: works in Chongqing with a unit */
		if (p->in_chongqing != 1 || !u)
			return 0;
		if (p->deleted_at) {
			f->left_deleted++;
			return 0;
		}
		if (state == REVIEW_REJECTED) {
			f->left_rejected++;
			return 0;
		}
		if (open_flags(r)) {
			f->left_flagged++;
			return 0;
		}
		f->candidates++;
		idx = report_index(&f->scoring, p->counts, p->known);
		return list_consider(&b->per_unit[u - b->units], o->top, p, idx, u, e);
	case FEATURED_QUEUE:
		if (o->status >= 0 && (int)state != o->status)
			return 0;
		if (o->flagged_only && !(r && r->nflags))
			return 0;
		break;
	case FEATURED_SHOWCASE:
		if (state != REVIEW_FEATURED)
			return 0;
		if (p->deleted_at) { /* gone from its platform: no link to show */
			f->left_deleted++;
			return 0;
		}
		break;
	}
	f->candidates++;
	idx = report_index(&f->scoring, p->counts, p->known);
	if (o->kind == FEATURED_QUEUE && o->top) /* the best `top` only: memory stays small */
		return list_consider(&b->all, o->top, p, idx, u, e);
	if (work_from_row(&w, p, idx, u) < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (list_push(&b->all, &w) < 0) {
		work_release(&w);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

/* The shortlist from each unit's best: the fairness rule, then the fill. */
static int select_shortlist(struct build *b, struct kerr *e)
{
	struct featured *f = b->f;
	struct worklist merged = {0};
	size_t *count = calloc(b->nunits ? b->nunits : 1, sizeof(*count));
	unsigned char *taken = NULL;
	size_t n = 0;
	int rc = -1;

	if (!count)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t u = 0; u < b->nunits; u++)
		n += b->per_unit[u].n;
	if (!(merged.v = calloc(n ? n : 1, sizeof(*merged.v))) || !(taken = calloc(n ? n : 1, 1)) ||
	    !(f->works = calloc(f->top, sizeof(*f->works)))) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t u = 0; u < b->nunits; u++) {
		if (!b->per_unit[u].n)
			continue;
		memcpy(merged.v + merged.n, b->per_unit[u].v, b->per_unit[u].n * sizeof(*merged.v));
		merged.n += b->per_unit[u].n;
		b->per_unit[u].n = 0; /* moved */
	}
	qsort(merged.v, merged.n, sizeof(*merged.v), by_rank);
	/* in rank order, at most per_unit of a unit ... */
	for (size_t i = 0; i < merged.n && f->n < f->top; i++) {
		size_t u = (size_t)(merged.v[i].unit - b->units);
		if (f->per_unit && count[u] >= f->per_unit)
			continue;
		count[u]++;
		taken[i] = 1;
		f->works[f->n++] = merged.v[i];
	}
	/* ... then the best of the rest for the places left */
	for (size_t i = 0; i < merged.n && f->n < f->top; i++)
		if (!taken[i]) {
			taken[i] = 1;
			merged.v[i].over_cap = 1;
			f->works[f->n++] = merged.v[i];
		}
	rc = 0;
out:
	for (size_t i = 0; i < merged.n; i++)
		if (!taken || !taken[i])
			work_release(&merged.v[i]);
	free(merged.v);
	free(taken);
	free(count);
	return rc;
}

/* Showcase order: units in gazetteer order (works without one last), then rank. */
static int by_unit_then_rank(const void *x, const void *y)
{
	const struct featured_work *a = x, *b = y;
	uintptr_t ua = a->unit ? (uintptr_t)a->unit : UINTPTR_MAX, ub = b->unit ? (uintptr_t)b->unit : UINTPTR_MAX;

	if (ua != ub)
		return ua < ub ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Titles, links and review fields of the works kept. */
static int finish_works(struct build *b, struct store *st, struct kerr *e)
{
	struct featured *f = b->f;
	struct flags_scratch *fs = NULL;
	int rc = -1;

	if (b->o->mask && !(fs = flags_scratch_new(b->o->mask)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < f->n; i++) {
		struct featured_work *w = &f->works[i];
		const struct rev *r = rev_find(&b->revs, w->platform, w->post_id);
		w->rank = i + 1;
		if (work_texts(st, w->id, b->o->mask, fs, &w->title, &w->url, e) < 0 ||
		    work_mask(&w->author_name, b->o->mask, fs, e) < 0)
			goto out;
		if (!r)
			continue;
		w->state = r->decided ? r->state : REVIEW_PENDING;
		w->decided_at = r->decided ? r->at : 0;
		w->reviewer = dup_or_null(r->by);
		w->note = dup_or_null(r->note);
		w->editor_title = dup_or_null(r->title);
		if (work_mask(&w->note, b->o->mask, fs, e) < 0 || work_mask(&w->editor_title, b->o->mask, fs, e) < 0)
			goto out;
		w->flags_open = open_flags(r);
		if (r->nflags && !(w->flags = calloc(r->nflags, sizeof(*w->flags))))
			goto nomem;
		for (size_t k = 0; k < r->nflags; k++) {
			w->flags[k].rule = dup_or_null(r->flags[k].rule);
			w->flags[k].reason = dup_or_null(r->flags[k].reason);
			w->flags[k].match = dup_or_null(r->flags[k].match);
			w->nflags++;
			if (!w->flags[k].rule || !w->flags[k].match)
				goto nomem;
		}
		if ((r->by && !w->reviewer) || (r->note && !w->note) || (r->title && !w->editor_title))
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	kerr_set(e, KERR_NOMEM, "out of memory");
out:
	flags_scratch_free(fs);
	return rc;
}

/* What was asked, checked.  Nothing allocated yet. */
static int featured_start(struct featured *f, const struct gazetteer *g, const struct featured_opts *o,
			  struct kerr *e)
{
	char why[512];

	f->kind = o->kind;
	f->generated_at = (int64_t)time(NULL);
	if (o->scoring)
		f->scoring = *o->scoring;
	else
		report_scoring_default(&f->scoring);
	snprintf(f->campaign, sizeof(f->campaign), "%s", o->campaign ? o->campaign : "千万IP创科普");
	if (o->since != INT64_MIN)
		ktime_format_date(o->since, f->since);
	if (o->until != INT64_MAX)
		ktime_format_date(o->until - 1, f->until);
	f->top = o->top;
	f->per_unit = o->per_unit;
	if (o->kind == FEATURED_SHORTLIST && (f->top < 1 || f->top > FEATURED_MAX_TOP))
		return kerr_set(e, KERR_USAGE, "--top: expected 1 to %d", FEATURED_MAX_TOP);
	if (o->district && district_resolve(g, o->district, &f->district, why, sizeof(why)) < 0)
		return kerr_set(e, KERR_USAGE, "--district: %s", why);
	if (o->platform) {
		if (!platform_find(o->platform))
			return kerr_set(e, KERR_USAGE, "--platform: unknown platform '%s'", o->platform);
		snprintf(f->platform, sizeof(f->platform), "%s", o->platform);
	}
	return 0;
}

/* The review states and flags, then the window's posts. */
static int scan(struct build *b, struct store *st, struct kerr *e)
{
	struct store_report_filter flt;

	if (store_review_current(st, on_current, &b->revs, e) < 0 || store_foreach_flag(st, on_flag, &b->revs, e) < 0)
		return -1;
	memset(&flt, 0, sizeof(flt));
	flt.since = b->o->since;
	flt.until = b->o->until;
	flt.district_code = b->f->district ? b->f->district->code : NULL;
	return store_foreach_report_row(st, &flt, on_row, b, e);
}

/* The works kept, into f in rank order: the shortlist's selection, or
 * every work found. */
static int take_works(struct build *b, struct kerr *e)
{
	struct featured *f = b->f;

	if (b->o->kind == FEATURED_SHORTLIST)
		return select_shortlist(b, e);
	if (b->all.n)
		qsort(b->all.v, b->all.n, sizeof(*b->all.v), by_rank);
	f->works = b->all.v;
	f->n = b->all.n;
	b->all.v = NULL;
	b->all.n = 0;
	return 0;
}

static void build_release(struct build *b)
{
	for (size_t u = 0; b->per_unit && u < b->nunits; u++) {
		for (size_t i = 0; i < b->per_unit[u].n; i++)
			work_release(&b->per_unit[u].v[i]);
		free(b->per_unit[u].v);
	}
	free(b->per_unit);
	for (size_t i = 0; i < b->all.n; i++)
		work_release(&b->all.v[i]);
	free(b->all.v);
	revmap_release(&b->revs);
}

int featured_build(struct featured *f, struct store *st, const struct gazetteer *g,
		   const struct featured_opts *o, struct kerr *e)
{
	struct build b;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	memset(&b, 0, sizeof(b));
	if (featured_start(f, g, o, e) < 0)
		return -1;
	b.f = f;
	b.o = o;
	b.g = g;
	b.units = district_units(g, &b.nunits);
	if (o->kind == FEATURED_SHORTLIST && !(b.per_unit = calloc(b.nunits ? b.nunits : 1, sizeof(*b.per_unit)))) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	if (scan(&b, st, e) < 0 || take_works(&b, e) < 0 || finish_works(&b, st, e) < 0)
		goto out;
	if (o->kind == FEATURED_SHOWCASE && f->n)
		qsort(f->works, f->n, sizeof(*f->works), by_unit_then_rank);
	rc = 0;
out:
	build_release(&b);
	if (rc < 0)
		featured_release(f);
	return rc;
}

void featured_release(struct featured *f)
{
	for (size_t i = 0; i < f->n; i++)
		work_release(&f->works[i]);
	free(f->works);
	f->works = NULL;
	f->n = 0;
}

/* ==== rendering ==== */

/*
 * Output is built with a sticky error: after the first failure every put
 * is a no-op and the failure is checked once at the end.
 */
/* A count as export writes it: "1234", "100000+" (a lower bound), or
 * NULL when the platform does not report it. */
static const char *count_text(const struct featured_work *w, int k, char buf[32])
{
	if (!(w->known & (1u << k)))
		return NULL;
	snprintf(buf, 32, "%" PRId64 "%s", w->counts[k], (w->lower & (1u << k)) ? "+" : "");
	return buf;
}

/* A count as people read it: "1,234", "100,000+"; "—" when the
 * platform does not report it. */
static const char *count_human(const struct featured_work *w, int k, char buf[HUMAN_SIZE])
{
	if (!(w->known & (1u << k)))
		return "—";
	human_int(w->counts[k], buf);
	if (w->lower & (1u << k))
		memcpy(buf + strlen(buf), "+", 2);
	return buf;
}

/* "mobile 138****5678; word 伪科学" */
static int flags_text(const struct featured_work *w, struct kbuf *b, struct kerr *e)
{
	kbuf_reset(b);
	for (size_t i = 0; i < w->nflags; i++)
		if ((i && kbuf_adds(b, "; ", e) < 0) || kbuf_adds(b, w->flags[i].rule, e) < 0 ||
		    kbuf_addc(b, ' ', e) < 0 || kbuf_adds(b, w->flags[i].match, e) < 0)
			return -1;
	return 0;
}

static const char *state_label(enum review_state s)
{
	static const char *const labels[REVIEW_NSTATES] = {"待审核", "已通过", "未通过", "已入选"};
	return (unsigned)s < REVIEW_NSTATES ? labels[s] : "?";
}

/* The window for people: 2025年9月1日 至 2025年9月30日. */
static const char *window_text(const struct featured *f, char *buf, size_t cap)
{
	char lo[HUMAN_SIZE] = "", hi[HUMAN_SIZE] = "";
	int64_t t;

	if (f->since[0] && ktime_parse_date(f->since, &t) == 0)
		human_date_long(t, lo);
	if (f->until[0] && ktime_parse_date(f->until, &t) == 0)
		human_date_long(t, hi);
	if (lo[0] && hi[0])
		snprintf(buf, cap, "%s 至 %s", lo, hi);
	else if (lo[0])
		snprintf(buf, cap, "%s 起", lo);
	else if (hi[0])
		snprintf(buf, cap, "至 %s", hi);
	else
		snprintf(buf, cap, "全部");
	return buf;
}

/* ---- Markdown ---- */

/* The title, and what was asked and left out. */
static void md_head(struct out *o, const struct featured *f)
{
	char gen[HUMAN_SIZE], win[128];

	human_datetime(f->generated_at, gen);
	out_put(o, "# ");
	out_md(o, f->campaign, 0);
	out_put(o, " 科普之光候选作品\n\n");
	out_putf(o, "- 时段：%s（北京时间，按发布时间）\n", window_text(f, win, sizeof(win)));
	out_put(o, "- 范围：属地为重庆、已归属区县的作品");
	if (f->district) {
		out_put(o, "，");
		out_md(o, f->district->name, 0);
	}
	if (f->platform[0]) {
		out_put(o, "，");
		out_put(o, platform_label(f->platform));
	}
	out_put(o, "\n");
	if (f->per_unit)
		out_putf(o, "- 前 %zu 名，每个区县先取至多 %zu 件，不足再按排名补足（补足的作品标 *）\n", f->top, f->per_unit);
	else
		out_putf(o, "- 前 %zu 名，按互动指数排名\n", f->top);
	out_putf(o, "- 候选 %ld 件；未列入：未通过审核 %ld 件，有待人工审核的标记 %ld 件，平台已删除 %ld 件\n", f->candidates,
		 f->left_rejected, f->left_flagged, f->left_deleted);
	out_putf(o, "- 生成时间：%s\n\n", gen);
	out_put(o, "| 排名 | 作品 | 作者 | 区县 | 平台 | 链接 |");
	for (int k = 0; k < PC_N; k++)
		out_putf(o, " %s |", report_count_labels[k]);
	out_put(o, " 互动指数 | 审核 | 标记 |\n|---:|---|---|---|---|---|");
	for (int k = 0; k < PC_N; k++)
		out_put(o, "---:|");
	out_put(o, "---:|---|---|\n");
}

/* One work's row; fl is scratch for its flags. */
static void md_work(struct out *o, const struct featured_work *w, struct kbuf *fl)
{
	char num[HUMAN_SIZE];

	out_putf(o, "| %zu%s | ", w->rank, w->over_cap ? "*" : "");
	out_md(o, w->title, 40);
	out_put(o, " | ");
	out_md(o, w->author_name, 20);
	out_put(o, " | ");
	out_md(o, w->district, 0);
	out_putf(o, " | %s | ", platform_label(w->platform));
	if (esc_url_ok(w->url)) {
		out_put(o, "[链接](");
		out_url(o, w->url);
		out_put(o, ")");
	} else
		out_put(o, "—");
	out_put(o, " |");
	for (int k = 0; k < PC_N; k++)
		out_putf(o, " %s |", count_human(w, k, num));
	out_putf(o, " %s | %s | ", human_index(w->index, num), state_label(w->state));
	if (!o->failed && flags_text(w, fl, o->e) < 0)
		o->failed = 1;
	out_md(o, w->nflags ? fl->data : NULL, 0);
	out_put(o, " |\n");
}

int featured_render_md(const struct featured *f, FILE *out, struct kerr *e)
{
	struct out o;
	struct kbuf fl;
	int rc;

	out_init(&o, e);
	kbuf_init(&fl, 64 * 1024);
	md_head(&o, f);
	for (size_t i = 0; i < f->n; i++)
		md_work(&o, &f->works[i], &fl);
	if (!f->n)
		out_put(&o, "\n没有符合条件的作品。\n");
	out_put(&o, "\n互动指数：各项数据取对数后与参考值相比的加权平均乘以 100，各项都达到参考值的作品为 100；"
		    "“—”表示平台不提供该项数据，不是 0。\n");
	rc = out_flush(&o, out, "the shortlist");
	kbuf_release(&fl);
	return rc;
}

/* ---- CSV ---- */

/* A CSV header: the columns before the counts, the counts (enum
 * post_count's order), the columns after; NULL ends each list. */
static void csv_head(struct out *o, const char *const *before, const char *const *after)
{
	out_put(o, "\xef\xbb\xbf");
	for (size_t c = 0; before[c]; c++)
		out_putf(o, "%s,", before[c]);
	for (int k = 0; k < PC_N; k++)
		out_putf(o, "%s,", post_count_names[k]);
	for (size_t c = 0; after[c]; c++)
		out_putf(o, "%s%s", c ? "," : "", after[c]);
	out_put(o, "\r\n");
}

static const char *const csv_before[] = {
	"rank", "platform", "post_id", "url", "title", "author_name", "district", "district_code", "created_at", NULL,
};
static const char *const csv_after[] = {"index", "review_status", "flags", NULL};

int featured_render_csv(const struct featured *f, FILE *out, struct kerr *e)
{
	struct out o;
	struct kbuf fl;
	int rc;

	out_init(&o, e);
	kbuf_init(&fl, 64 * 1024);
	csv_head(&o, csv_before, csv_after);
	for (size_t i = 0; i < f->n; i++) {
		const struct featured_work *w = &f->works[i];
		char created[32], num[32];

		ktime_format_cst(w->created_at, created);
		out_putf(&o, "%zu,", w->rank);
		out_csv(&o, w->platform);
		out_put(&o, ",");
		out_csv(&o, w->post_id);
		out_put(&o, ",");
		out_csv(&o, w->url);
		out_put(&o, ",");
		out_csv(&o, w->title);
		out_put(&o, ",");
		out_csv(&o, w->author_name);
		out_put(&o, ",");
		out_csv(&o, w->district);
		out_put(&o, ",");
		out_csv(&o, w->district_code);
		out_putf(&o, ",%s", created);
		for (int k = 0; k < PC_N; k++) {
			const char *c = count_text(w, k, num);
			out_putf(&o, ",%s", c ? c : "");
		}
		out_putf(&o, ",%.2f,%s,", w->index, review_state_names[w->state]);
		if (!o.failed && flags_text(w, &fl, e) < 0)
			o.failed = 1;
		out_csv(&o, w->nflags ? fl.data : NULL);
		out_put(&o, "\r\n");
	}
	rc = out_flush(&o, out, "the shortlist");
	kbuf_release(&fl);
	return rc;
}

/* ---- JSON ---- */

json_t *jf_featured_work(const struct featured_work *w)
{
	json_t *o = json_object(), *fl = json_array();

	/* the fields of every JSON list of works, lower bounds as the report
	 * writes them (json_fields.h) */
	jf_work(o, w->rank, w->platform, w->post_id, w->url, w->title, w->author_name, w->district, w->district_code,
		w->created_at, w->counts, w->known, w->lower, w->index);
	json_object_set_new(o, "review_status", json_string(review_state_names[w->state]));
	for (size_t i = 0; i < w->nflags; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "rule", json_string(w->flags[i].rule));
		json_object_set_new(x, "reason", jf_str(w->flags[i].reason));
		json_object_set_new(x, "match", json_string(w->flags[i].match));
		json_array_append_new(fl, x);
	}
	json_object_set_new(o, "flags", fl);
	json_object_set_new(o, "flags_open", json_boolean(w->flags_open));
	json_object_set_new(o, "reviewed_by", jf_str(w->reviewer));
	json_object_set_new(o, "reviewed_at", jf_time(w->decided_at));
	json_object_set_new(o, "review_note", jf_str(w->note));
	json_object_set_new(o, "over_per_unit", json_boolean(w->over_cap));
	return o;
}

int featured_render_json(const struct featured *f, FILE *out, struct kerr *e)
{
	json_t *root = json_object(), *works = json_array();
	char gen[32];

	ktime_format_cst(f->generated_at, gen);
	json_object_set_new(root, "campaign", json_string(f->campaign));
	json_object_set_new(root, "since", f->since[0] ? json_string(f->since) : json_null());
	json_object_set_new(root, "until", f->until[0] ? json_string(f->until) : json_null());
	json_object_set_new(root, "district", f->district ? json_string(f->district->name) : json_null());
	json_object_set_new(root, "platform", f->platform[0] ? json_string(f->platform) : json_null());
	json_object_set_new(root, "top", json_integer((json_int_t)f->top));
	json_object_set_new(root, "per_unit", json_integer((json_int_t)f->per_unit));
	json_object_set_new(root, "candidates", json_integer(f->candidates));
	json_object_set_new(root, "left_out_rejected", json_integer(f->left_rejected));
	json_object_set_new(root, "left_out_flagged", json_integer(f->left_flagged));
	json_object_set_new(root, "left_out_deleted", json_integer(f->left_deleted));
	json_object_set_new(root, "generated_at", json_string(gen));
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(works, jf_featured_work(&f->works[i]));
	json_object_set_new(root, "works", works);
	return jf_write(root, out, "the shortlist", e);
}

/* ---- Excel ---- */

/* A column of the shortlist's sheet: its header (NULL: a column per
 * count, with the count's label) and the cell of a work (k: the count;
 * fl: scratch for the flags). */
struct fx_column {
	const char *header;
	enum cell_kind kind;
	void (*get)(const struct featured_work *w, int k, struct kbuf *fl, struct cell *c);
};

static void fx_str(struct cell *c, const char *s)
{
	c->type = CV_TEXT;
	c->s = s;
}

/* A getter of one statement, which may use w, k, fl and c. */
#define FX(name, ...)                                                                                                  \
	static void name(const struct featured_work *w, int k, struct kbuf *fl, struct cell *c)                        \
	{                                                                                                              \
		(void)w, (void)k, (void)fl;                                                                            \
		__VA_ARGS__;                                                                                           \
	}

FX(fx_rank, c->type = CV_RANK, c->i = (int64_t)w->rank)
FX(fx_title, fx_str(c, w->title))
FX(fx_author, fx_str(c, w->author_name))
FX(fx_district, fx_str(c, w->district))
FX(fx_code, fx_str(c, w->district_code))
FX(fx_platform, fx_str(c, platform_label(w->platform)))
FX(fx_post_id, fx_str(c, w->post_id))
FX(fx_url, fx_str(c, w->url))
FX(fx_created, c->type = CV_TIME, c->i = w->created_at)
FX(fx_index, c->type = CV_REAL, c->x = w->index)
FX(fx_state, fx_str(c, state_label(w->state)))
FX(fx_flags, if (w->nflags && flags_text(w, fl, NULL) == 0) fx_str(c, fl->data))
FX(fx_fill, fx_str(c, w->over_cap ? "区县名额外，按排名补足" : NULL))

static void fx_count(const struct featured_work *w, int k, struct kbuf *fl, struct cell *c)
{
	(void)fl;
	if (!(w->known & (1u << k)))
		return;
	c->type = CV_COUNT;
	c->i = w->counts[k];
	c->lower = !!(w->lower & (1u << k));
}

/* clang-format off */
static const struct fx_column fx_columns[] = {
	{"排名", CELL_NUM, fx_rank},         {"作品", CELL_TEXT, fx_title},      {"作者", CELL_TEXT, fx_author},
	{"区县", CELL_TEXT, fx_district},    {"区县代码", CELL_TEXT, fx_code},   {"平台", CELL_TEXT, fx_platform},
	{"作品编号", CELL_TEXT, fx_post_id}, {"链接", CELL_URL, fx_url},         {"发布时间", CELL_TEXT, fx_created},
	{NULL, CELL_NUM, fx_count},          {"互动指数", CELL_NUM, fx_index},   {"审核", CELL_TEXT, fx_state},
	{"标记", CELL_TEXT, fx_flags},       {"备注", CELL_TEXT, fx_fill},
};
/* clang-format on */

static void fx_row(struct xlsx_sheet *s, const struct featured_work *w, struct kbuf *fl)
{
	lxw_col_t col = 0;

	s->row++;
	for (size_t i = 0; i < sizeof(fx_columns) / sizeof(fx_columns[0]); i++)
		for (int k = 0; k < (fx_columns[i].header ? 1 : PC_N); k++) {
			struct cell c;

			memset(&c, 0, sizeof(c));
			fx_columns[i].get(w, k, fl, &c);
			xlsx_cell(s, col++, fx_columns[i].kind, &c);
		}
}

/* What was asked and left out, under the table (as the Markdown's head). */
static void fx_notes(struct xlsx_sheet *s, const struct featured *f)
{
	char line[512], win[64], gen[32];
	lxw_row_t row = s->row + 2;

	report_minute(f->generated_at, gen);
	snprintf(line, sizeof(line), "%s 科普之光候选作品", f->campaign);
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "时段：%s（北京时间，按发布时间）", window_text(f, win, sizeof(win)));
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "范围：属地为重庆、已归属区县的作品%s%s%s%s", f->district ? "，" : "",
		 f->district ? f->district->name : "", f->platform[0] ? "，" : "",
		 f->platform[0] ? platform_label(f->platform) : "");
	xlsx_note(s, row++, line);
	if (f->per_unit)
		snprintf(line, sizeof(line), "前 %zu 名，每个区县先取至多 %zu 件，不足再按排名补足（见“备注”）", f->top,
			 f->per_unit);
	else
		snprintf(line, sizeof(line), "前 %zu 名，按互动指数排名", f->top);
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "候选 %ld 件；未列入：未通过审核 %ld 件，有待人工审核的标记 %ld 件，平台已删除 %ld 件",
		 f->candidates, f->left_rejected, f->left_flagged, f->left_deleted);
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "生成时间：%s", gen);
	xlsx_note(s, row++, line);
	xlsx_note(s, row,
		  "读表：时间为北京时间；空白表示平台不提供该项数据，不是 0；带“+”的数是下限（平台只显示到“10万+”这一级），"
		  "单元格批注有说明；互动指数的公式见 README 的 “Engagement index”。");
}

int featured_render_xlsx(const struct featured *f, const char *path, struct kerr *e)
{
	char title[256], subject[128], win[64];
	struct xlsx_props p;
	struct xlsx_book b;
	struct xlsx_sheet s;
	struct kbuf fl;
	lxw_col_t col = 0;

	if (xlsx_open(&b, path, 0, e) < 0)
		return -1;
	snprintf(title, sizeof(title), "%s 科普之光候选作品", f->campaign);
	snprintf(subject, sizeof(subject), "时段 %s（北京时间）", window_text(f, win, sizeof(win)));
	memset(&p, 0, sizeof(p));
	p.title = title;
	p.subject = subject;
	p.keywords = p.campaign = f->campaign;
	p.since = f->since;
	p.until = f->until;
	p.created = f->generated_at;
	xlsx_properties(&b, &p);
	xlsx_sheet_begin(&b, &s, "候选作品");
	for (size_t i = 0; i < sizeof(fx_columns) / sizeof(fx_columns[0]); i++)
		for (int k = 0; k < (fx_columns[i].header ? 1 : PC_N); k++)
			xlsx_header(&s, col++, fx_columns[i].header ? fx_columns[i].header : report_count_labels[k]);
	kbuf_init(&fl, 64 * 1024);
	for (size_t i = 0; i < f->n; i++)
		fx_row(&s, &f->works[i], &fl);
	kbuf_release(&fl);
	xlsx_sheet_end(&s);
	fx_notes(&s, f);
	return xlsx_close(&b);
}

/* ---- the review queue ---- */

/* A cell of the queue: tabs and line breaks become spaces. */
static void tsv(struct out *p, const char *s)
{
	if (!s || !*s) {
		out_put(p, "-");
		return;
	}
	for (; *s && !p->failed; s++)
		if (kbuf_addc(&p->b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, p->e) < 0)
			p->failed = 1;
}

int featured_render_queue(const struct featured *f, FILE *out, struct kerr *e)
{
	struct out o;
	struct kbuf fl;
	int rc;

	out_init(&o, e);
	kbuf_init(&fl, 64 * 1024);
	out_put(&o, "post\tstatus\tunit\tindex\tflags\ttitle\n");
	for (size_t i = 0; i < f->n; i++) {
		const struct featured_work *w = &f->works[i];

		tsv(&o, w->platform);
		out_put(&o, ":");
		tsv(&o, w->post_id);
		out_putf(&o, "\t%s\t", review_state_names[w->state]);
		tsv(&o, w->district);
		out_putf(&o, "\t%.1f\t", w->index);
		if (w->deleted_at) {
			/* a reviewer must know before featuring it, or see why a
			 * featured work left the showcase */
			char when[HUMAN_SIZE];
			out_putf(&o, "deleted on its platform %s%s", human_date_short(w->deleted_at, when),
				 w->nflags ? "; " : "");
		}
		if (w->nflags) {
			if (!o.failed && flags_text(w, &fl, e) < 0)
				o.failed = 1;
			out_put(&o, w->flags_open ? "open: " : "seen: ");
			tsv(&o, fl.data);
		} else if (!w->deleted_at)
			out_put(&o, "-");
		out_put(&o, "\t");
		tsv(&o, w->title);
		out_put(&o, "\n");
	}
	rc = out_flush(&o, out, "the review queue");
	kbuf_release(&fl);
	return rc;
}

/* ---- HTML ---- */

static const char *const CSS[] = {
	"*{box-sizing:border-box}body{margin:0;font:15px/1.6 -apple-system,'PingFang SC','Microsoft YaHei',"
	"'Noto Sans CJK SC',sans-serif;color:#1d2733;background:#f5f7fa}\n",
	".wrap{max-width:1180px;margin:0 auto;padding:0 20px}header{background:#0b4f8a;color:#fff;padding:24px 0 18px}\n",
	"header h1{margin:0 0 6px;font-size:24px}header p{margin:2px 0;opacity:.9}\n",
	"main{padding:20px 0 40px}h2{font-size:19px;margin:28px 0 12px;padding-left:10px;border-left:4px solid #0b4f8a}\n",
	"table{width:100%;border-collapse:collapse;background:#fff;font-size:14px}th,td{padding:6px 8px;"
	"border-bottom:1px solid #e3e8ee;text-align:left;vertical-align:top}\n",
	"th{background:#eef2f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n",
	"a{color:#0b63b6;text-decoration:none}a:hover{text-decoration:underline}\n",
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}\n",
	".card{background:#fff;border:1px solid #e3e8ee;border-radius:8px;padding:14px 16px;margin:0}\n",
	".card h3{margin:0 0 6px;font-size:16px;line-height:1.45;word-break:break-word}\n",
	".meta{color:#5b6875;font-size:13px;margin:0 0 6px}.stats{font-size:13px;color:#33414e;margin:0}\n",
	".card figcaption{margin-top:8px;padding:6px 10px;background:#f3f7fb;border-left:3px solid #6aa0d6;font-size:14px}\n",
	".tag{display:inline-block;padding:0 6px;border-radius:3px;background:#eef2f6;font-size:12px}\n",
	".fill{color:#9a6700}footer{color:#77838f;font-size:12px;padding:20px 0}\n",
	"@media print{header{background:#fff;color:#000}.card{break-inside:avoid}}\n",
};

static void html_head(struct out *o, const char *title_suffix, const struct featured *f)
{
	out_put(o, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
	       "img-src data:; base-uri 'none'; form-action 'none'\">\n"
	       "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"kepu\">\n<title>");
	out_html(o, f->campaign);
	out_put(o, title_suffix);
	out_put(o, "</title>\n<style>\n");
	for (size_t i = 0; i < sizeof(CSS) / sizeof(CSS[0]); i++)
		out_put(o, CSS[i]);
	out_put(o, "</style>\n</head>\n<body>\n");
}

/* A work's title, a link when its URL is http(s). */
static void html_title_link(struct out *o, const struct featured_work *w)
{
	const char *t = w->title && *w->title ? w->title : "（无标题）";

	if (esc_url_ok(w->url)) {
		out_put(o, "<a href=\"");
		out_url(o, w->url);
		out_put(o, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
		out_html(o, t);
		out_put(o, "</a>");
	} else
		out_html(o, t);
}

static void html_count(struct out *o, const struct featured_work *w, int k)
{
	char num[HUMAN_SIZE];

	out_put(o, count_human(w, k, num));
}

/* The banner: what was asked and left out; then the table's head. */
static void html_banner(struct out *o, const struct featured *f)
{
	char gen[HUMAN_SIZE], win[128];

	human_datetime(f->generated_at, gen);
	out_put(o, "<header><div class=\"wrap\"><h1>");
	out_html(o, f->campaign);
	out_put(o, " 科普之光候选作品</h1>\n");
	out_putf(o, "<p>时段：%s（北京时间，按发布时间）", window_text(f, win, sizeof(win)));
	if (f->district) {
		out_put(o, " · 区县：");
		out_html(o, f->district->name);
	}
	if (f->platform[0]) {
		out_put(o, " · 平台：");
		out_put(o, platform_label(f->platform));
	}
	out_put(o, "</p>\n");
	if (f->per_unit)
		out_putf(o, "<p>前 %zu 名，每个区县先取至多 %zu 件，不足再按排名补足</p>\n", f->top, f->per_unit);
	else
		out_putf(o, "<p>前 %zu 名，按互动指数排名</p>\n", f->top);
	out_putf(o, "<p>候选 %ld 件；未列入：未通过审核 %ld 件，有待人工审核的标记 %ld 件，平台已删除 %ld 件 · 生成于 %s</p>\n",
		 f->candidates, f->left_rejected, f->left_flagged, f->left_deleted, gen);
	out_put(o, "</div></header>\n<main class=\"wrap\">\n<table>\n<thead><tr><th class=\"n\">排名</th><th>作品</th>"
		   "<th>作者</th><th>区县</th><th>平台</th>");
	for (int k = 0; k < PC_N; k++)
		out_putf(o, "<th class=\"n\">%s</th>", report_count_labels[k]);
	out_put(o, "<th class=\"n\">互动指数</th><th>审核</th><th>标记</th></tr></thead>\n<tbody>\n");
}

/* One work's row; fl is scratch for its flags. */
static void html_work(struct out *o, const struct featured_work *w, struct kbuf *fl)
{
	out_putf(o, "<tr><td class=\"n\">%zu%s</td><td>", w->rank,
		 w->over_cap ? "<span class=\"fill\" title=\"按排名补足\">*</span>" : "");
	html_title_link(o, w);
	out_put(o, "</td><td>");
	out_html(o, w->author_name ? w->author_name : "—");
	out_put(o, "</td><td>");
	out_html(o, w->district);
	out_put(o, "</td><td>");
	out_put(o, platform_label(w->platform));
	out_put(o, "</td>");
	for (int k = 0; k < PC_N; k++) {
		out_put(o, "<td class=\"n\">");
		html_count(o, w, k);
		out_put(o, "</td>");
	}
	{
		char x[HUMAN_SIZE];
		out_putf(o, "<td class=\"n\">%s</td><td>%s</td><td>", human_index(w->index, x), state_label(w->state));
	}
	if (w->nflags) {
		if (!o->failed && flags_text(w, fl, o->e) < 0)
			o->failed = 1;
		out_html(o, fl->data);
	}
	out_put(o, "</td></tr>\n");
}

int featured_render_html(const struct featured *f, FILE *out, struct kerr *e)
{
	struct out o;
	struct kbuf fl;
	int rc;

	out_init(&o, e);
	kbuf_init(&fl, 64 * 1024);
	html_head(&o, " 科普之光候选作品", f);
	html_banner(&o, f);
	for (size_t i = 0; i < f->n; i++)
		html_work(&o, &f->works[i], &fl);
	if (!f->n)
		out_put(&o, "<tr><td colspan=\"13\">没有符合条件的作品。</td></tr>\n");
	out_put(&o, "</tbody>\n</table>\n</main>\n<footer class=\"wrap\">由 kepu 生成 · 互动指数：各项数据取对数后与参考值相比的"
		    "加权平均乘以 100 · “—”表示平台不提供该项数据 · * 为按排名补足的作品</footer>\n</body>\n</html>\n");
	rc = out_flush(&o, out, "the shortlist");
	kbuf_release(&fl);
	return rc;
}
