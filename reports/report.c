/*
 * report.c: building the report model in one pass over the window's posts.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/strset.h"
#include "../util/timefmt.h"

/* Interaction weights; views are left out because only some platforms
 * report them and their scale is not comparable. */
const char *const report_methods[REPORT_METHODS] = {"account", "author",  "text", "profile",
						    "manual",  "ip",      "none"};

static const double weights[PC_N] = {0.0, 0.3, 0.3, 0.2, 0.2};

double report_engagement_index(const struct post *p)
{
	double sum = 0, wsum = 0;

	for (int k = 0; k < PC_N; k++) {
		if (!(p->known & (1u << k)) || weights[k] == 0)
			continue;
		sum += weights[k] * log1p((double)p->counts[k]);
		wsum += weights[k];
	}
	return wsum > 0 ? 10.0 * sum / wsum : 0.0;
}

struct build {
	struct report *r;
	const struct gazetteer *g;
	struct kstrset authors; /* "scope\x1fplatform\x1fauthor" */
};

static void add_counts(struct report_totals *t, const struct post *p)
{
	t->posts++;
	for (int k = 0; k < PC_N; k++)
		if (p->known & (1u << k)) {
			t->counts[k] += p->counts[k];
			t->known |= 1u << k;
		}
}

static int add_author(struct build *b, struct report_totals *t, const char *scope,
		      const struct post *p, struct kerr *e)
{
	char key[1024];
	const char *who = p->author_id ? p->author_id : p->author_name;
	int n, rc;

	if (!who)
		return 0;
	n = snprintf(key, sizeof(key), "%s\x1f%s\x1f%s%s", scope, p->platform,
		     p->author_id ? "id:" : "name:", who);
	if (n < 0 || (size_t)n >= sizeof(key))
		n = sizeof(key) - 1;
	rc = kstrset_add(&b->authors, key, (size_t)n);
	if (rc < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	t->authors += rc;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void work_release(struct report_work *w)
{
	free(w->platform);
	free(w->post_id);
	free(w->title);
	free(w->author_name);
	free(w->district);
	free(w->url);
	memset(w, 0, sizeof(*w));
}

/* Better work first: index, then likes, then the earlier post. */
static int work_better(double idx, const struct post *p, const struct report_work *w)
{
	if (idx != w->index)
		return idx > w->index;
	if (p->counts[PC_LIKES] != w->counts[PC_LIKES])
		return p->counts[PC_LIKES] > w->counts[PC_LIKES];
	return p->created_at < w->created_at;
}

static int consider_top(struct report *r, const struct post *p, struct kerr *e)
{
	double idx = report_engagement_index(p);
	size_t pos = r->ntop;
	struct report_work w;

	while (pos > 0 && work_better(idx, p, &r->top[pos - 1]))
		pos--;
	if (pos >= REPORT_TOP)
		return 0;
	memset(&w, 0, sizeof(w));
	w.platform = dup_or_null(p->platform);
	w.post_id = dup_or_null(p->post_id);
	w.title = dup_or_null(p->title && *p->title ? p->title : p->text);
	w.author_name = dup_or_null(p->author_name);
	w.district = dup_or_null(p->district);
	w.url = dup_or_null(p->url);
	w.created_at = p->created_at;
	memcpy(w.counts, p->counts, sizeof(w.counts));
	w.known = p->known;
	w.lower = p->lower;
	w.index = idx;
	if (!w.platform || !w.post_id) {
		work_release(&w);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	if (r->ntop == REPORT_TOP)
		work_release(&r->top[--r->ntop]);
	memmove(&r->top[pos + 1], &r->top[pos], (r->ntop - pos) * sizeof(r->top[0]));
	r->top[pos] = w;
	r->ntop++;
	return 0;
}

static int on_post(void *ctx, const struct post *p, struct kerr *e)
{
	struct build *b = ctx;
	struct report *r = b->r;
	struct report_totals *scope;
	const struct district_unit *u = p->district_code ? district_lookup(b->g, p->district_code) : NULL;
	char name[32];

	add_counts(&r->total, p);
	for (int i = 0; i < REPORT_METHODS; i++)
		if (p->attribution_method && !strcmp(p->attribution_method, report_methods[i])) {
			r->by_method[i]++;
			break;
		}
	if (add_author(b, &r->total, "all", p, e) < 0)
		return -1;
	if (u) {
		scope = &r->units[u - r->unit_list];
		snprintf(name, sizeof(name), "u:%s", u->code);
	} else if (p->in_chongqing == 1) {
		scope = &r->unknown_unit;
		snprintf(name, sizeof(name), "cq");
	} else if (p->in_chongqing == 0) {
		scope = &r->outside;
		snprintf(name, sizeof(name), "out");
	} else {
		scope = &r->no_location;
		snprintf(name, sizeof(name), "none");
	}
	add_counts(scope, p);
	if (add_author(b, scope, name, p, e) < 0)
		return -1;
	for (size_t i = 0; i < store_nplatforms; i++)
		if (!strcmp(p->platform, store_platforms[i])) {
			add_counts(&r->platforms[i], p);
			snprintf(name, sizeof(name), "p:%zu", i);
			if (add_author(b, &r->platforms[i], name, p, e) < 0)
				return -1;
		}
	return consider_top(r, p, e);
}

int report_build(struct report *r, struct store *st, const struct gazetteer *g,
		 const struct report_opts *o, struct kerr *e)
{
	struct build b;
	struct store_filter f = {o->since, o->until};
	int rc;

	memset(r, 0, sizeof(*r));
	r->generated_at = (int64_t)time(NULL);
	ktime_format_date(o->since, r->since);
	ktime_format_date(o->until - 1, r->until);
	r->unit_list = district_units(g, &r->nunits);
	r->platforms = calloc(store_nplatforms, sizeof(*r->platforms));
	r->units = calloc(r->nunits, sizeof(*r->units));
	if (!r->platforms || !r->units) {
		report_release(r);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	b.r = r;
	b.g = g;
	kstrset_init(&b.authors);
	rc = store_foreach_post(st, &f, on_post, &b, e);
	kstrset_release(&b.authors);
	if (rc < 0)
		report_release(r);
	return rc;
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->ntop; i++)
		work_release(&r->top[i]);
	free(r->platforms);
	free(r->units);
	memset(r, 0, sizeof(*r));
}
