/*
 * render_json.c: the whole report model as JSON, with stable keys that
 * README "Report JSON" documents: the window, each section's keys
 * (report_sections[], sections.h), the scoring.  Counts a platform does
 * not report are null, never 0.
 */
#include <jansson.h>
#include <stdlib.h>

#include "../util/timefmt.h"
#include "json_fields.h"
#include "report.h"
#include "sections.h"

static void put_counts(json_t *o, const int64_t *counts, unsigned known)
{
	for (int k = 0; k < PC_N; k++)
		json_object_set_new(o, post_count_names[k], known & (1u << k) ? json_integer(counts[k]) : json_null());
}

static json_t *totals(const struct report_totals *t, double all_index)
{
	json_t *o = json_object();

	json_object_set_new(o, "posts", json_integer(t->posts));
	json_object_set_new(o, "authors", json_integer(t->authors));
	put_counts(o, t->counts, t->known);
	json_object_set_new(o, "index", jf_num2(t->index_sum));
	json_object_set_new(o, "index_per_post", jf_num2(t->posts ? t->index_sum / t->posts : 0));
	json_object_set_new(o, "share", jf_num2(all_index > 0 ? 100.0 * t->index_sum / all_index : 0));
	json_object_set_new(o, "interactions",
			    report_interactions(t) >= 0 ? json_integer(report_interactions(t)) : json_null());
	return o;
}

static json_t *work(const struct report_work *w, size_t rank)
{
	json_t *o = json_object();

	jf_work(o, rank, w->platform, w->post_id, w->url, w->title, w->author_name, w->district, w->district_code,
		w->created_at, w->counts, w->known, w->lower, w->index);
	return o;
}

static json_t *window(const struct report *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "since", json_string(r->since));
	json_object_set_new(o, "until", json_string(r->until));
	json_object_set_new(o, "days", json_integer((json_int_t)r->ndays));
	json_object_set_new(o, "as_of", jf_time(r->as_of));
	json_object_set_new(o, "as_of_given", json_boolean(r->as_of_given));
	json_object_set_new(o, "scope", json_string(r->scope_all ? "all" : "chongqing"));
	json_object_set_new(o, "district", r->district ? json_string(r->district->name) : json_null());
	json_object_set_new(o, "district_code", r->district ? json_string(r->district->code) : json_null());
	json_object_set_new(o, "campaign", json_string(r->campaign));
	json_object_set_new(o, "generated_at", jf_time(r->generated_at));
	return o;
}

static json_t *scoring(const struct report *r)
{
	json_t *o = json_object();

	for (int k = 0; k < PC_N; k++) {
		json_t *x = json_object();
		json_object_set_new(x, "weight", json_real(r->scoring.weight[k]));
		json_object_set_new(x, "reference", json_real(r->scoring.reference[k]));
		json_object_set_new(o, post_count_names[k], x);
	}
	return o;
}

/* What the report compares: the mode, and the two periods compared
 * (Beijing dates, inclusive); null periods for none. */
static json_t *comparison(const struct report *r)
{
	static const char *const modes[] = {"previous", "halves", "none"};
	json_t *o = json_object();
	char d[16];
	int64_t lo = r->since_t, hi = r->until_t, blo = r->since_t - (r->until_t - r->since_t), bhi = r->since_t;

	if (r->compare == REPORT_COMPARE_HALVES) {
		lo = r->second_since;
		blo = r->since_t;
		bhi = r->first_until;
	}
	json_object_set_new(o, "mode", json_string(modes[r->compare]));
	if (r->compare == REPORT_COMPARE_NONE) {
		json_object_set_new(o, "since", json_null());
		json_object_set_new(o, "until", json_null());
		json_object_set_new(o, "base_since", json_null());
		json_object_set_new(o, "base_until", json_null());
		return o;
	}
	ktime_format_date(lo, d);
	json_object_set_new(o, "since", json_string(d));
	ktime_format_date(hi - 1, d);
	json_object_set_new(o, "until", json_string(d));
	ktime_format_date(blo, d);
	json_object_set_new(o, "base_since", json_string(d));
	ktime_format_date(bhi - 1, d);
	json_object_set_new(o, "base_until", json_string(d));
	return o;
}

void report_json_overview(json_t *root, const struct report *r)
{
	json_t *o = totals(&r->total, r->total.index_sum);

	json_object_set_new(o, "units_covered", json_integer(r->units_covered));
	json_object_set_new(o, "units", json_integer((json_int_t)r->nunits));
	json_object_set_new(root, "totals", o);
	o = totals(&r->previous, r->previous.index_sum);
	json_object_set_new(o, "since", json_string(r->previous_since));
	json_object_set_new(o, "until", json_string(r->previous_until));
	json_object_set_new(root, "previous", o);
	json_object_set_new(root, "comparison", comparison(r));
	json_object_set_new(root, "first_half", r->compare == REPORT_COMPARE_HALVES
							 ? totals(&r->first_half, r->first_half.index_sum)
							 : json_null());
	json_object_set_new(root, "second_half", r->compare == REPORT_COMPARE_HALVES
							  ? totals(&r->second_half, r->second_half.index_sum)
							  : json_null());
}

/* Targets: per metric null, or {target, done, progress}. */
static json_t *targets(const struct config_target *ct, const struct report_totals *t)
{
	static const char *const names[] = {"posts", "views", "interactions"};
	json_t *o = json_object();

	for (int m = 0; m < 3; m++) {
		int64_t goal = report_target_goal(ct, m), done = report_target_done(t, m);
		json_t *x;
		if (!goal) {
			json_object_set_new(o, names[m], json_null());
			continue;
		}
		x = json_object();
		json_object_set_new(x, "target", json_integer(goal));
		json_object_set_new(x, "done", json_integer(done));
		json_object_set_new(x, "progress", jf_num2(report_progress(done, goal)));
		json_object_set_new(o, names[m], x);
	}
	return o;
}

/* Why a unit needs attention: "no_posts", "few_posts", "low_share". */
static json_t *attention(unsigned bits)
{
	json_t *a = json_array();

	if (bits & REPORT_ATTN_NO_POSTS)
		json_array_append_new(a, json_string("no_posts"));
	if (bits & REPORT_ATTN_FEW_POSTS)
		json_array_append_new(a, json_string("few_posts"));
	if (bits & REPORT_ATTN_LOW_SHARE)
		json_array_append_new(a, json_string("low_share"));
	return a;
}

static json_t *district(const struct report *r, const struct report_unit *u)
{
	json_t *d = totals(&u->t, r->total.index_sum), *daily = json_array(), *pl = json_object(), *best = json_array();

	json_object_set_new(d, "district", json_string(u->unit->name));
	json_object_set_new(d, "district_code", json_string(u->unit->code));
	json_object_set_new(d, "needs_attention", json_boolean(u->attention != 0));
	json_object_set_new(d, "attention", attention(u->attention));
	json_object_set_new(d, "rank", json_integer((json_int_t)u->rank));
	json_object_set_new(d, "previous_rank", u->prev.posts ? json_integer((json_int_t)u->prev_rank) : json_null());
	json_object_set_new(d, "rank_change", u->prev.posts && u->t.posts
						      ? json_integer((json_int_t)u->prev_rank - (json_int_t)u->rank)
						      : json_null());
	json_object_set_new(d, "previous_posts", json_integer(u->prev.posts));
	json_object_set_new(d, "previous_index", jf_num2(u->prev.index_sum));
	json_object_set_new(d, "targets", targets(&u->target, &u->t));
	for (size_t k = 0; k < r->ndays; k++)
		json_array_append_new(daily, json_integer(u->daily[k]));
	json_object_set_new(d, "daily_posts", daily);
	for (size_t k = 0; k < nplatforms; k++)
		if (u->platform_posts[k])
			json_object_set_new(pl, platforms[k].name, json_integer(u->platform_posts[k]));
	json_object_set_new(d, "platform_posts", pl);
	for (size_t k = 0; k < u->nbest; k++)
		json_array_append_new(best, work(&u->best[k], k + 1));
	json_object_set_new(d, "top_works", best);
	return d;
}

/* Every unit in gazetteer order, on a unit's page too. */
void report_json_leaderboard(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nunits; i++)
		json_array_append_new(a, district(r, &r->units[i]));
	json_object_set_new(root, "districts", a);
	json_object_set_new(root, "chongqing_unit_unknown", totals(&r->unknown_unit, r->total.index_sum));
	a = json_object();
	json_object_set_new(a, "min_posts", json_integer(r->attention_min_posts));
	json_object_set_new(a, "min_share", json_real(r->attention_min_share));
	json_object_set_new(root, "attention", a);
}

/* The page's targets (the city's, or the unit's). */
void report_json_targets(json_t *root, const struct report *r)
{
	json_object_set_new(root, "targets", targets(&r->target, &r->total));
}

/* Each regional group: its totals, and its units in the group's order. */
void report_json_groups(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ngroups; i++) {
		const struct report_group *g = &r->groups[i];
		json_t *x = totals(&g->t, r->total.index_sum), *units = json_array();
		json_object_set_new(x, "id", json_string(g->group->id));
		json_object_set_new(x, "name", json_string(g->group->name));
		json_object_set_new(x, "region", jf_str(g->group->region));
		json_object_set_new(x, "units", json_integer((json_int_t)g->group->nunits));
		json_object_set_new(x, "units_covered", json_integer(g->units_covered));
		for (size_t k = 0; k < g->norder; k++) {
			const struct report_unit *u = &r->units[g->order[k]];
			json_t *y = json_object();
			json_object_set_new(y, "district", json_string(u->unit->name));
			json_object_set_new(y, "district_code", json_string(u->unit->code));
			json_object_set_new(y, "rank_in_group", json_integer((json_int_t)u->group_rank));
			json_object_set_new(y, "rank", json_integer((json_int_t)u->rank));
			json_object_set_new(y, "share_in_group",
					    jf_num2(g->t.index_sum > 0 ? 100.0 * u->t.index_sum / g->t.index_sum : 0));
			json_array_append_new(units, y);
		}
		json_object_set_new(x, "ranking", units);
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "groups", a);
}

void report_json_authors(json_t *root, const struct report *r)
{
	json_t *a;

	if (!r->district)
		return;
	a = json_array();
	for (size_t i = 0; i < r->nauthors && i < REPORT_TOP_AUTHORS; i++) {
		const struct report_author *au = &r->authors[i];
		json_t *x = json_object();
		json_object_set_new(x, "platform", json_string(au->platform));
		json_object_set_new(x, "author_name", json_string(au->author_name));
		json_object_set_new(x, "posts", json_integer(au->posts));
		put_counts(x, au->counts, r->total.known);
		json_object_set_new(x, "index", jf_num2(au->index_sum));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "authors", a);
}

void report_json_platforms(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < nplatforms; i++) {
		json_t *p;
		if (!r->platforms[i].posts)
			continue;
		p = totals(&r->platforms[i], r->total.index_sum);
		json_object_set_new(p, "platform", json_string(platforms[i].name));
		json_object_set_new(p, "label", json_string(platforms[i].label));
		json_array_append_new(a, p);
	}
	json_object_set_new(root, "platforms", a);
}

void report_json_trend(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ndays; i++) {
		const struct report_day *d = &r->days[i];
		json_t *x = json_object();
		json_object_set_new(x, "date", json_string(d->date));
		json_object_set_new(x, "posts", json_integer(d->posts));
		put_counts(x, d->counts, r->total.known);
		json_object_set_new(x, "index", jf_num2(d->index_sum));
		json_array_append_new(a, x);
	}
	json_object_set_new(root, "daily", a);
}

/* The top works; each unit's best are in its "districts" entry; a unit's
 * page has all its works; the city's the best works in Chongqing without
 * a unit (all of them in the CSV). */
void report_json_top_works(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ntop; i++)
		json_array_append_new(a, work(&r->top[i], i + 1));
	json_object_set_new(root, "top_works", a);
	if (r->district) {
		a = json_array();
		for (size_t i = 0; i < r->nworks; i++)
			json_array_append_new(a, work(&r->works[i], i + 1));
		json_object_set_new(root, "works", a);
	}
	a = json_array();
	for (size_t i = 0; i < r->nunplaced && i < REPORT_PEOPLE_UNPLACED; i++)
		json_array_append_new(a, work(&r->unplaced[i], i + 1));
	json_object_set_new(root, "unplaced_works", a);
	json_object_set_new(root, "unplaced_total", json_integer(r->unplaced_total));
}

void report_json_hashtags(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nhashtags; i++) {
		json_t *h = json_object();
		json_object_set_new(h, "tag", json_string(r->hashtags[i].tag));
		json_object_set_new(h, "posts", json_integer(r->hashtags[i].posts));
		json_array_append_new(a, h);
	}
	json_object_set_new(root, "hashtags", a);
}

static json_t *attribution(const struct report *r)
{
	json_t *o = json_object(), *m = json_object();

	for (int i = 0; i < REPORT_METHODS; i++)
		json_object_set_new(m, report_methods[i], json_integer(r->by_method[i]));
	json_object_set_new(o, "by_method", m);
	json_object_set_new(o, "posts", json_integer(r->all_posts));
	json_object_set_new(o, "in_chongqing_unit_unknown", json_integer(r->in_cq_no_unit));
	json_object_set_new(o, "outside_chongqing", json_integer(r->outside));
	json_object_set_new(o, "location_unknown", json_integer(r->no_location));
	json_object_set_new(o, "deleted", json_integer(r->deleted));
	json_object_set_new(o, "deleted_included", json_boolean(r->include_deleted));
	return o;
}

static json_t *source(const struct report_source *s)
{
	json_t *x = json_object();

	json_object_set_new(x, "source", json_string(s->name));
	json_object_set_new(x, "last_success", jf_time(s->last_ok));
	json_object_set_new(x, "last_error_at", jf_time(s->last_error_at));
	json_object_set_new(x, "last_error", jf_str(s->last_error));
	if (s->gap_hi) {
		json_t *g = json_object();
		json_object_set_new(g, "from", jf_time(s->gap_lo));
		json_object_set_new(g, "to", jf_time(s->gap_hi));
		json_object_set_new(g, "capped", json_boolean(s->gap_capped));
		json_object_set_new(x, "gap", g);
	} else
		json_object_set_new(x, "gap", json_null());
	json_object_set_new(x, "last_backfill", jf_time(s->backfill_at));
	return x;
}

void report_json_quality(json_t *root, const struct report *r)
{
	json_t *a = json_array();

	json_object_set_new(root, "attribution", attribution(r));
	for (size_t i = 0; i < r->nsources; i++)
		json_array_append_new(a, source(&r->sources[i]));
	json_object_set_new(root, "sources", a);
}

int report_render_json(const struct report *r, FILE *out, struct kerr *e)
{
	json_t *root = json_object();

	json_object_set_new(root, "window", window(r));
	for (int last = 0; last <= 1; last++)
		for (size_t i = 0; i < report_nsections; i++)
			if (report_sections[i].json && report_sections[i].json_last == last)
				report_sections[i].json(root, r);
	json_object_set_new(root, "scoring", scoring(r));
	return jf_write(root, out, "the report", e);
}
