/*
 * sections.c: the analysts' report's sections, in the order every format
 * shows them (sections.h), and what the renderers share to walk them: the
 * view derived from the model once, the text of a cell, the instances of
 * a column.
 *
 * Not for: the tables' columns (tables.c) or a format's own markup
 * (render_*.c).
 */
#include "sections.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/human.h"
#include "../util/timefmt.h"

int report_city_page(const struct report *r)
{
	return r->district == NULL;
}

int report_unit_page(const struct report *r)
{
	return r->district != NULL;
}

double report_pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

#define TABLES(...) ((const struct report_table *const[]){__VA_ARGS__, NULL})

/*
 * The report, in the order every format shows it.  Each section: {id,
 * heading, the page it is on (NULL: both), its tables, Markdown after the
 * tables, the HTML body, the JSON keys, the JSON keys after every other
 * section's}.  A unit's page shows its authors where the city's shows the
 * leaderboard; the JSON, which is the whole model, has both (README
 * "Report JSON" lists a unit's authors last).
 */
const struct report_section report_sections[] = {
	{"overview", "总览", NULL, TABLES(&report_table_overview), NULL, report_html_overview, report_json_overview, 0},
	{"leaderboard", "区县排行", report_city_page, TABLES(&report_table_leaderboard), report_md_leaderboard,
	 report_html_leaderboard, report_json_leaderboard, 0},
	{"authors", "作者", report_unit_page, TABLES(&report_table_authors), NULL, report_html_authors,
	 report_json_authors, 1},
	{"platforms", "平台", NULL, TABLES(&report_table_platforms, &report_table_matrix), NULL, report_html_platforms,
	 report_json_platforms, 0},
	{"trend", "趋势", NULL, TABLES(&report_table_daily), report_md_trend, report_html_trend, report_json_trend, 0},
	{"top-works", "热门作品", NULL, TABLES(&report_table_top_works, &report_table_unit_top_works), NULL,
	 report_html_top_works, report_json_top_works, 0},
	{"hashtags", "话题", NULL, TABLES(&report_table_hashtags), NULL, report_html_hashtags, report_json_hashtags, 0},
	{"data-quality", "数据质量", NULL, TABLES(&report_table_attribution, &report_table_sources), NULL,
	 report_html_quality, report_json_quality, 0},
};
const size_t report_nsections = sizeof(report_sections) / sizeof(report_sections[0]);

int report_section_shown(const struct report_section *s, const struct report *r)
{
	return !s->shown || s->shown(r);
}

int report_table_shown(const struct report_table *t, const struct report *r)
{
	return !t->shown || t->shown(r);
}

const char *report_table_title(const struct report_table *t, const struct report *r)
{
	return r->district && t->unit_title ? t->unit_title : t->title;
}

/* ---- the view ---- */

/* Units by index, then posts: insertion sort (41 rows, stable). */
static void rank_units(const struct report *r, size_t *order)
{
	for (size_t i = 0; i < r->nunits; i++)
		order[i] = i;
	for (size_t i = 1; i < r->nunits; i++) {
		size_t x = order[i], j = i;
		const struct report_totals *a = &r->units[x].t;
		while (j > 0) {
			const struct report_totals *b = &r->units[order[j - 1]].t;
			if (!(b->index_sum < a->index_sum || (b->index_sum == a->index_sum && b->posts < a->posts)))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
}

int report_view_init(struct report_view *v, const struct report *r, struct kerr *e)
{
	memset(v, 0, sizeof(*v));
	if (!(v->order = malloc((r->nunits ? r->nunits : 1) * sizeof(*v->order))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	rank_units(r, v->order);
	for (size_t i = 0; i < r->nunits; i++) {
		double s = report_pct(r->units[i].t.index_sum, r->total.index_sum);
		if (s > v->top_share)
			v->top_share = s;
		for (size_t k = 0; k < nplatforms; k++)
			if (r->units[i].platform_posts[k] > v->top_cell)
				v->top_cell = r->units[i].platform_posts[k];
	}
	for (size_t k = 0; k < nplatforms; k++)
		if (r->platforms[k].posts > v->top_platform)
			v->top_platform = r->platforms[k].posts;
	for (size_t i = 0; i < r->nhashtags; i++)
		if (r->hashtags[i].posts > v->top_tag)
			v->top_tag = r->hashtags[i].posts;
	return 0;
}

void report_view_release(struct report_view *v)
{
	free(v->order);
	memset(v, 0, sizeof(*v));
}

/* ---- cells and columns ---- */

void report_minute(int64_t t, char out[32])
{
	ktime_format_cst(t, out);
	out[16] = '\0';
	out[10] = ' ';
}

/* "+12.3%", or 新增 / — without a base. */
static const char *change_text(const struct cell *c, char buf[64])
{
	if (c->y <= 0)
		return c->x > 0 ? "新增" : "—";
	snprintf(buf, 64, "%+.1f%%", 100.0 * (c->x - c->y) / c->y);
	return buf;
}

const char *report_cell_text(const struct cell *c, char buf[64])
{
	switch (c->type) {
	case CV_NONE: return NULL;
	case CV_TEXT: return c->s;
	case CV_INT:
	case CV_RANK: snprintf(buf, 64, "%" PRId64, c->i); return buf;
	case CV_REAL: snprintf(buf, 64, "%.1f", c->x); return buf;
	case CV_SHARE: snprintf(buf, 64, "%.1f%%", c->x); return buf;
	case CV_COUNT: snprintf(buf, 64, "%" PRId64 "%s", c->i, c->lower ? "+" : ""); return buf;
	case CV_TIME:
		if (!c->i)
			return NULL;
		ktime_format_cst(c->i, buf);
		return buf;
	case CV_DATE: ktime_format_date(c->i, buf); return buf;
	case CV_CHANGE: return change_text(c, buf);
	}
	return NULL;
}

const char *report_cell_human(const struct cell *c, char buf[64])
{
	switch (c->type) {
	case CV_INT: return human_int(c->i, buf);
	case CV_REAL: return human_index(c->x, buf);
	case CV_COUNT:
		human_int(c->i, buf);
		if (c->lower) /* a lower bound: 100,000+ */
			memcpy(buf + strlen(buf), "+", 2);
		return buf;
	case CV_TIME: return c->i ? human_datetime(c->i, buf) : NULL;
	case CV_DATE: return human_date_short(c->i, buf);
	default: return report_cell_text(c, buf);
	}
}

int report_col_in(const struct report_column *c, enum col_in fmt)
{
	return c->in == IN_ALL || c->in == fmt;
}

int report_col_next(const struct report_column *c, const struct report *r, int k)
{
	switch (c->each) {
	case EACH_ONCE: return -1;
	case EACH_COUNT: return k + 1 < PC_N ? k + 1 : -1;
	case EACH_PLATFORM:
		for (size_t i = (size_t)k + 1; i < nplatforms; i++)
			if (r->platforms[i].posts)
				return (int)i;
		return -1;
	}
	return -1;
}

int report_col_first(const struct report_column *c, const struct report *r)
{
	return c->each == EACH_PLATFORM ? report_col_next(c, r, -1) : 0;
}

const char *report_col_header(const struct report_column *c, int k, int html)
{
	switch (c->each) {
	case EACH_COUNT: return report_count_labels[k];
	case EACH_PLATFORM: return platforms[k].label;
	case EACH_ONCE: break;
	}
	return html && c->html_header ? c->html_header : c->header;
}
