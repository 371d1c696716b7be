/*
 * summary.c: a unit's or the city's summary (summary.h) as a list of
 * blocks (summary_doc.h): the template's sentences with the figures of the
 * report model filled in, the tables, the chart's data; then the Word file
 * and the PDF written from those blocks.
 *
 * Every number a person reads is formatted by util/human.h: 万 and 亿 in
 * the prose, thousands separators in the tables, the index with one
 * decimal.  The rank among the units is the leaderboard's (by index, then
 * posts); units without posts share the last place.
 *
 * Not for: wording (config/summary.zh.json) or layout (summary_docx.c,
 * summary_pdf.c).
 */
#include "summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../util/afile.h"
#include "../util/human.h"
#include "../util/timefmt.h"
#include "escape.h"
#include "sections.h"
#include "summary_doc.h"

/* The counts a summary names, in enum post_count's order (not coins). */
#define SUMMARY_COUNTS (PC_FAVORITES + 1)

/* A placeholder's value. */
struct sv {
	const char *name, *value;
};

/* What the blocks are built from. */
struct sb {
	struct sd_doc *d;
	const struct report *r, *city;
	const struct summary_opts *o;
	const char *unit;  /* the unit's name, or 重庆市 */
	int h1, h2;        /* headings so far, for 一、 and （一） */
	int tables, figures;
	size_t works;      /* top works to list */
	struct kbuf tmp;
};

static const char *const cn_digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

/* The figures campaign.targets may set, each with the report's metric
 * (sections.h report_target_goal(): the report counts what is done, so
 * the summary says what the report shows), the words the sentence names
 * it with and its measure word. */
static const struct {
	int metric;
	const char *figure, *measure;
} target_figures[] = {{0, "作品数", "件"}, {1, "播放量", "次"}, {2, "互动量", "次"}};
#define NTARGETS (sizeof(target_figures) / sizeof(target_figures[0]))

/* ---- text ---- */

/* Key k of the template with its placeholders filled in from v (ending
 * with a NULL name); the placeholder's name was checked when the config
 * was loaded. */
static const char *fill(struct sb *b, enum config_summary_key k, const struct sv *v)
{
	const char *s = b->o->text->text[k];
	struct kerr e;
	int rc = 0;

	kbuf_reset(&b->tmp);
	while (*s && rc == 0) {
		const char *open = strchr(s, '{'), *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			rc = kbuf_adds(&b->tmp, s, &e);
			break;
		}
		rc = kbuf_add(&b->tmp, s, (size_t)(open - s), &e);
		for (const struct sv *x = v; x && x->name && rc == 0; x++)
			if (strlen(x->name) == (size_t)(close - open - 1) && !memcmp(x->name, open + 1, strlen(x->name)))
				rc = kbuf_adds(&b->tmp, x->value, &e);
		s = close + 1;
	}
	if (rc < 0)
		b->d->failed = 1;
	return summary_clean(b->d, b->tmp.data ? b->tmp.data : "", 0);
}

static const char *fill0(struct sb *b, enum config_summary_key k)
{
	return fill(b, k, NULL);
}

static const char *wan(struct sb *b, int64_t n)
{
	char s[HUMAN_SIZE];
	return summary_fmt(b->d, "%s", human_wan(n, s));
}

static const char *thousands(struct sb *b, int64_t n)
{
	char s[HUMAN_SIZE];
	return summary_fmt(b->d, "%s", human_int(n, s));
}

static const char *idx(struct sb *b, double x)
{
	char s[HUMAN_SIZE];
	return summary_fmt(b->d, "%s", human_index(x, s));
}

static const char *pct(struct sb *b, double x)
{
	return summary_fmt(b->d, "%.1f%%", x);
}

static const char *date_long(struct sb *b, int64_t t)
{
	char s[HUMAN_SIZE];
	return summary_fmt(b->d, "%s", human_date_long(t, s));
}

/* "2025年9月1日" and "9月30日" (the year once when both are in it). */
static void period(struct sb *b, int64_t since, int64_t until_incl, const char **a, const char **z)
{
	char s1[HUMAN_SIZE], s2[HUMAN_SIZE];

	human_date_long(since, s1);
	human_date_long(until_incl, s2);
	*a = summary_fmt(b->d, "%s", s1);
	*z = !strncmp(s1, s2, strlen("2025年")) ? summary_fmt(b->d, "%s", human_date_short(until_incl, s2))
						 : summary_fmt(b->d, "%s", s2);
}

static int64_t date_t(const char *ymd)
{
	int64_t t = 0;
	ktime_parse_date(ymd, &t);
	return t;
}

static void add_text(struct sb *b, enum sd_kind kind, const char *text)
{
	struct sd_block *x = summary_doc_add(b->d, kind);
	if (x)
		x->text = text;
}

static void heading1(struct sb *b, enum config_summary_key k)
{
	b->h2 = 0;
	add_text(b, SD_H1, summary_fmt(b->d, "%s、%s", cn_digits[b->h1++ % 10], fill0(b, k)));
}

static void heading2(struct sb *b, enum config_summary_key k)
{
	add_text(b, SD_H2, summary_fmt(b->d, "（%s）%s", cn_digits[b->h2++ % 10], fill0(b, k)));
}

static void caption(struct sb *b, int table, enum config_summary_key k)
{
	const char *n = summary_fmt(b->d, "%d", table ? ++b->tables : ++b->figures);
	struct sv v[] = {{"n", n}, {"caption", fill0(b, k)}, {NULL, NULL}};
	add_text(b, SD_CAPTION, fill(b, table ? CS_TABLE_CAPTION : CS_FIGURE_CAPTION, v));
}

/* ---- figures ---- */

static int64_t interactions(const int64_t *counts, unsigned known)
{
	int64_t n = 0;
	for (int k = PC_LIKES; k <= PC_FAVORITES; k++)
		if (known & (1u << k))
			n += counts[k];
	return n;
}

static double per_post(const struct report_totals *t)
{
	return t->posts ? t->index_sum / (double)t->posts : 0;
}

/* The unit's row in the city's report, NULL for the city. */
static const struct report_unit *city_row(const struct sb *b)
{
	for (size_t i = 0; b->r->district && i < b->city->nunits; i++)
		if (!strcmp(b->city->units[i].unit->code, b->r->district->code))
			return &b->city->units[i];
	return NULL;
}

/* Its place on the leaderboard: by index, then posts; every unit without
 * posts after every unit with. */
static size_t unit_rank(const struct report *city, const struct report_totals *u)
{
	size_t rank = 1;

	for (size_t i = 0; i < city->nunits; i++) {
		const struct report_totals *a = &city->units[i].t;
		if (!u->posts)
			rank += a->posts > 0;
		else
			rank += a->index_sum > u->index_sum || (a->index_sum == u->index_sum && a->posts > u->posts);
	}
	return rank;
}

/* "增长12.5%", "下降3.0%", "持平". */
static const char *change_words(struct sb *b, double now, double before)
{
	double x = before > 0 ? 100.0 * (now - before) / before : 0;
	struct sv v[] = {{"pct", before > 0 ? pct(b, x < 0 ? -x : x) : ""}, {NULL, NULL}};

	if (before <= 0)
		return now > 0 ? fill(b, CS_UP, v) : fill0(b, CS_SAME);
	if (x >= 0.05 || x <= -0.05)
		return fill(b, x > 0 ? CS_UP : CS_DOWN, v);
	return fill0(b, CS_SAME);
}

/* A table's 变化 cell: "+12.5%", "-3.0%", "新增", "—". */
static const char *change_cell(struct sb *b, double now, double before)
{
	if (before <= 0)
		return now > 0 ? "新增" : "—";
	return summary_fmt(b->d, "%+.1f%%", 100.0 * (now - before) / before);
}

/* ---- tables ---- */

static struct sd_table *table_new(struct sb *b, size_t ncols, size_t nrows, const double *width)
{
	struct sd_table *t = arena_alloc(&b->d->a, sizeof(*t));
	struct sd_cell *c = arena_alloc(&b->d->a, ncols * (nrows ? nrows : 1) * sizeof(*c));
	struct sd_block *x;

	if (!t || !c) {
		b->d->failed = 1;
		return NULL;
	}
	memset(c, 0, ncols * (nrows ? nrows : 1) * sizeof(*c));
	for (size_t i = 0; i < ncols * nrows; i++) {
		c[i].text = "";
		c[i].span = 1;
	}
	t->ncols = ncols;
	t->nrows = nrows;
	t->nhead = 1;
	t->width = width;
	t->cells = c;
	if ((x = summary_doc_add(b->d, SD_TABLE)))
		x->table = t;
	return t;
}

static struct sd_cell *cell(struct sd_table *t, size_t row, size_t col, const char *text, enum sd_align al)
{
	struct sd_cell *c = &t->cells[row * t->ncols + col];

	c->text = text;
	c->align = al;
	return c;
}

/* The header row, centred. */
static void header(struct sd_table *t, const char *const *h)
{
	for (size_t i = 0; i < t->ncols; i++)
		cell(t, 0, i, h[i], SA_CENTER);
}

/* Cell (row, col) over the rest of the row. */
static void span_rest(struct sd_table *t, size_t row, size_t col, const char *text)
{
	cell(t, row, col, text, SA_LEFT)->span = (unsigned)(t->ncols - col);
	for (size_t i = col + 1; i < t->ncols; i++)
		t->cells[row * t->ncols + i].span = 0;
}

static const char *count_cell(struct sb *b, const int64_t *counts, unsigned known, unsigned lower, int k)
{
	if (!(known & (1u << k)))
		return "—";
	return lower & (1u << k) ? summary_fmt(b->d, "%s+", thousands(b, counts[k])) : thousands(b, counts[k]);
}

/* One line of the main figures: now, the previous period, the change;
 * with the targets' columns, the target of metric (-1: none) and how
 * much of it is done. */
static void figure_row(struct sb *b, struct sd_table *t, size_t row, const char *label, const char *now,
		       const char *before, double x, double y, int metric)
{
	int64_t goal = metric >= 0 ? report_target_goal(&b->r->target, metric) : 0;

	cell(t, row, 0, label, SA_LEFT);
	cell(t, row, 1, now, SA_RIGHT);
	cell(t, row, 2, before, SA_RIGHT);
	cell(t, row, 3, change_cell(b, x, y), SA_RIGHT);
	if (t->ncols > 4 && goal) {
		cell(t, row, 4, thousands(b, goal), SA_RIGHT);
		cell(t, row, 5, pct(b, report_progress(report_target_done(&b->r->total, metric), goal)), SA_RIGHT);
	}
}

/* What 表1 compares: the previous period's totals and the change from
 * them to the window's; or, when the report compares the campaign's
 * halves, the first half's and the change from it to the second's; NULL
 * (shown "—") for a window of one day at the campaign's start. */
static const struct report_totals *compared(const struct report *r, const struct report_totals **changed)
{
	*changed = &r->total;
	if (r->compare == REPORT_COMPARE_HALVES) {
		*changed = &r->second_half;
		return &r->first_half;
	}
	return r->compare == REPORT_COMPARE_NONE ? NULL : &r->previous;
}

static void figure_rows(struct sb *b, struct sd_table *t)
{
	static const char *const units[SUMMARY_COUNTS] = {"（次）", "（次）", "（次）", "（次）", "（次）"};
	static const struct report_totals none;
	const struct report_totals *n = &b->r->total, *c, *p = compared(b->r, &c);
	const char *dash = "—";
	int64_t in = interactions(n->counts, n->known), ic, ip;
	size_t row = 1;
	int have = p != NULL;

	if (!p)
		p = &none;
	ic = interactions(c->counts, c->known);
	ip = interactions(p->counts, p->known);
	figure_row(b, t, row++, "作品数（件）", thousands(b, n->posts), have ? thousands(b, p->posts) : dash,
		   have ? (double)c->posts : 0, (double)p->posts, target_figures[0].metric);
	figure_row(b, t, row++, "作者数（人）", thousands(b, n->authors), have ? thousands(b, p->authors) : dash,
		   have ? (double)c->authors : 0, (double)p->authors, -1);
	for (int k = 0; k < SUMMARY_COUNTS; k++)
		figure_row(b, t, row++, summary_fmt(b->d, "%s%s", report_count_labels[k], units[k]),
			   count_cell(b, n->counts, n->known, 0, k), have ? count_cell(b, p->counts, p->known, 0, k) : dash,
			   have ? (double)c->counts[k] : 0, (double)p->counts[k],
			   k == PC_VIEWS ? target_figures[1].metric : -1);
	figure_row(b, t, row++, "互动量（次）", thousands(b, in), have ? thousands(b, ip) : dash, have ? (double)ic : 0,
		   (double)ip, target_figures[2].metric);
	figure_row(b, t, row++, "互动指数", idx(b, n->index_sum), have ? idx(b, p->index_sum) : dash,
		   have ? c->index_sum : 0, p->index_sum, -1);
	figure_row(b, t, row, "篇均指数", idx(b, per_post(n)), have ? idx(b, per_post(p)) : dash,
		   have ? per_post(c) : 0, per_post(p), -1);
}

/* The unit's index per post against the city's average, in percent of it. */
static double versus(double u, double a)
{
	return a > 0 ? 100.0 * (u - a) / a : 0;
}

static const char *versus_cell(struct sb *b, double u, double a)
{
	double x = versus(u, a);

	if (x < 0.05 && x > -0.05)
		return summary_fmt(b->d, "篇均指数 %s，与全市平均 %s 持平", idx(b, u), idx(b, a));
	return summary_fmt(b->d, "篇均指数 %s，比全市平均 %s %s %s", idx(b, u), idx(b, a), x > 0 ? "高" : "低",
			   pct(b, x > 0 ? x : -x));
}

/* 表1: the main figures, and the unit's standing in the city; with
 * targets (campaign.targets), each one's and how much of it is done. */
static void overall_table(struct sb *b, const char *rank)
{
	static const double w[] = {46, 40, 40, 30}, wt[] = {32, 28, 28, 20, 28, 20};
	static const char *const h[] = {"指标", "本期", "上一时段", "变化", "目标", "完成率"};
	static const char *const hh[] = {"指标", "本期", "前半程", "后半程较前半程", "目标", "完成率"};
	const struct report_totals *n = &b->r->total, *c = &b->city->total;
	size_t rows = 1 + 2 + SUMMARY_COUNTS + 3 + (b->r->district ? 2 : 1);
	int targets = report_targets_shown(b->r);
	struct sd_table *t;
	double u = per_post(n), a = per_post(c);

	caption(b, 1, CS_T_OVERALL);
	if (!(t = table_new(b, targets ? 6 : 4, rows, targets ? wt : w)))
		return;
	header(t, b->r->compare == REPORT_COMPARE_HALVES ? hh : h);
	figure_rows(b, t);
	if (!b->r->district) {
		cell(t, rows - 1, 0, "有作品的单位", SA_LEFT);
		span_rest(t, rows - 1, 1, summary_fmt(b->d, "%ld 个（共 %zu 个）", b->city->units_covered, b->city->nunits));
		return;
	}
	cell(t, rows - 2, 0, "全市排名", SA_LEFT);
	span_rest(t, rows - 2, 1, summary_fmt(b->d, "%s（共 %zu 个单位，按互动指数）", rank, b->city->nunits));
	cell(t, rows - 1, 0, "与全市比较", SA_LEFT);
	span_rest(t, rows - 1, 1,
		  !n->posts ? "本期无作品"
			    : summary_fmt(b->d, "互动指数占全市 %s；%s",
			      pct(b, c->index_sum > 0 ? 100.0 * n->index_sum / c->index_sum : 0), versus_cell(b, u, a)));
}

/* The platforms with posts, most posts first; their number. */
static size_t platform_order(const struct report *r, size_t *order)
{
	size_t n = 0;

	for (size_t i = 0; i < nplatforms; i++) {
		size_t j = n++;
		if (!r->platforms[i].posts) {
			n--;
			continue;
		}
		for (; j > 0 && r->platforms[order[j - 1]].posts < r->platforms[i].posts; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	return n;
}

/* 表: per platform: posts, their share, views, interactions, index. */
static void platform_table(struct sb *b, const size_t *order, size_t n)
{
	static const double w[] = {26, 20, 22, 32, 30, 26};
	static const char *const h[] = {"平台", "作品", "作品占比", "播放", "互动量", "互动指数"};
	struct sd_table *t;

	caption(b, 1, CS_T_PLATFORMS);
	if (!(t = table_new(b, 6, n + 1, w)))
		return;
	header(t, h);
	for (size_t i = 0; i < n; i++) {
		const struct report_totals *p = &b->r->platforms[order[i]];
		cell(t, i + 1, 0, platforms[order[i]].label, SA_LEFT);
		cell(t, i + 1, 1, thousands(b, p->posts), SA_RIGHT);
		cell(t, i + 1, 2, pct(b, 100.0 * (double)p->posts / (double)b->r->total.posts), SA_RIGHT);
		cell(t, i + 1, 3, count_cell(b, p->counts, p->known, 0, PC_VIEWS), SA_RIGHT);
		cell(t, i + 1, 4, thousands(b, interactions(p->counts, p->known)), SA_RIGHT);
		cell(t, i + 1, 5, idx(b, p->index_sum), SA_RIGHT);
	}
}

/* The units in leaderboard order (by index, then posts, gazetteer order
 * on ties) into order. */
static void unit_order(const struct report *city, size_t *order)
{
	for (size_t i = 0; i < city->nunits; i++) {
		size_t j = i;
		const struct report_totals *a = &city->units[i].t;
		for (; j > 0; j--) {
			const struct report_totals *p = &city->units[order[j - 1]].t;
			if (!(p->index_sum < a->index_sum || (p->index_sum == a->index_sum && p->posts < a->posts)))
				break;
			order[j] = order[j - 1];
		}
		order[j] = i;
	}
}

/* 表: every unit, ranked (the city's summary). */
static void unit_table(struct sb *b, const size_t *order)
{
	static const double w[] = {11, 31, 16, 16, 28, 22, 16, 16};
	static const char *const h[] = {"排名", "单位", "作品", "作者", "互动量", "互动指数", "占全市", "篇均指数"};
	const struct report *c = b->city;
	struct sd_table *t;

	caption(b, 1, CS_T_UNITS);
	if (!(t = table_new(b, 8, c->nunits + 1, w)))
		return;
	header(t, h);
	for (size_t i = 0; i < c->nunits; i++) {
		const struct report_totals *u = &c->units[order[i]].t;
		cell(t, i + 1, 0, summary_fmt(b->d, "%zu", unit_rank(c, u)), SA_CENTER);
		cell(t, i + 1, 1, c->units[order[i]].unit->name, SA_LEFT);
		cell(t, i + 1, 2, thousands(b, u->posts), SA_RIGHT);
		cell(t, i + 1, 3, thousands(b, u->authors), SA_RIGHT);
		cell(t, i + 1, 4, thousands(b, interactions(u->counts, u->known)), SA_RIGHT);
		cell(t, i + 1, 5, idx(b, u->index_sum), SA_RIGHT);
		cell(t, i + 1, 6, pct(b, c->total.index_sum > 0 ? 100.0 * u->index_sum / c->total.index_sum : 0),
		     SA_RIGHT);
		cell(t, i + 1, 7, idx(b, per_post(u)), SA_RIGHT);
	}
}

/* 表: the top works; the city's name each work's unit. */
static void works_table(struct sb *b, size_t n)
{
	static const double wu[] = {9, 59, 20, 16, 20, 18, 14}, wc[] = {9, 52, 18, 20, 16, 25, 16};
	static const char *const hu[] = {"序号", "作品", "作者", "平台", "播放", "互动量", "互动指数"},
				 *const hc[] = {"序号", "作品", "单位", "作者", "平台", "互动量", "互动指数"};
	int city = !b->r->district;
	struct sd_table *t;

	caption(b, 1, CS_T_WORKS);
	if (!(t = table_new(b, 7, n + 1, city ? wc : wu)))
		return;
	header(t, city ? hc : hu);
	for (size_t i = 0; i < n; i++) {
		const struct report_work *w = &b->r->top[i];
		size_t col = 2;
		struct sd_cell *c;
		cell(t, i + 1, 0, summary_fmt(b->d, "%zu", i + 1), SA_CENTER);
		c = cell(t, i + 1, 1, w->title && *w->title ? summary_clean(b->d, w->title, 24) : "（无标题）", SA_LEFT);
		if (w->url && esc_url_ok(w->url))
			c->url = summary_clean(b->d, w->url, 0);
		if (city)
			cell(t, i + 1, col++, w->district ? summary_clean(b->d, w->district, 12) : "—", SA_LEFT);
		cell(t, i + 1, col++, w->author_name ? summary_clean(b->d, w->author_name, 16) : "—", SA_LEFT);
		cell(t, i + 1, col++, platform_label(w->platform), SA_LEFT);
		if (!city)
			cell(t, i + 1, col++, count_cell(b, w->counts, w->known, w->lower, PC_VIEWS), SA_RIGHT);
		cell(t, i + 1, col++, thousands(b, interactions(w->counts, w->known)), SA_RIGHT);
		cell(t, i + 1, col, idx(b, w->index), SA_RIGHT);
	}
}

/* ---- sections ---- */

/* Two digits of a date "2025-09-01" as a number. */
static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "播放4155.3万次、点赞12.3万次、…": the counts the unit's posts report. */
static const char *counts_words(struct sb *b, const struct report_totals *t)
{
	const char *s = "";

	for (int k = 0; k < SUMMARY_COUNTS; k++)
		if (t->known & (1u << k))
			s = summary_fmt(b->d, "%s%s%s%s次", s, *s ? "、" : "", report_count_labels[k], wan(b, t->counts[k]));
	return s;
}

/* "2025年10月31日 18:00" */
static const char *moment(struct sb *b, int64_t t)
{
	time_t s = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&s, &tm);
	return summary_fmt(b->d, "%s %02d:%02d", date_long(b, t), tm.tm_hour, tm.tm_min);
}

/* The title (its line breaks; the document's properties without them),
 * the period under it, the opening sentence. */
static void title(struct sb *b)
{
	const struct report *r = b->r;
	const char *since, *until, *year = summary_fmt(b->d, "%.4s", r->since);
	struct sv v[] = {{"br", SD_BREAK}, {"unit", b->unit}, {"year", year}, {"campaign", r->campaign},
			 {"tag", b->o->tag}, {"since", NULL}, {"until", NULL}, {"as_of", moment(b, r->as_of)},
			 {NULL, NULL}};

	period(b, r->since_t, r->until_t - 1, &since, &until);
	v[5].value = since;
	v[6].value = until;
	add_text(b, SD_TITLE, fill(b, CS_TITLE, v));
	b->d->title = fill(b, CS_TITLE, v + 1); /* without {br} */
	add_text(b, SD_PERIOD, fill(b, CS_PERIOD, v));
	add_text(b, SD_PARA, fill(b, CS_INTRO, v));
}

/* "对照活动目标，作品数完成85.0%（目标200件），…": the page's targets (the
 * unit's, or the city's) in words; "" without any. */
static const char *targets_words(struct sb *b)
{
	const char *list = "";

	if (!report_targets_shown(b->r))
		return "";
	for (size_t i = 0; i < NTARGETS; i++) {
		int m = target_figures[i].metric;
		int64_t goal = report_target_goal(&b->r->target, m), done = report_target_done(&b->r->total, m);
		const char *measure = target_figures[i].measure;
		struct sv v[] = {{"figure", target_figures[i].figure},
				 {"progress", pct(b, report_progress(done, goal))},
				 {"target", summary_fmt(b->d, "%s%s", wan(b, goal), measure)},
				 {"done", summary_fmt(b->d, "%s%s", wan(b, done), measure)},
				 {NULL, NULL}};
		if (goal)
			list = summary_fmt(b->d, "%s%s%s", list, *list ? "，" : "", fill(b, CS_TARGET_ITEM, v));
	}
	return fill(b, CS_TARGETS, (struct sv[]){{"unit", b->unit}, {"list", list}, {NULL, NULL}});
}

/* The figures of （一）总体情况 as placeholders. */
struct overall_words {
	const char *since, *until, *ps, *pu, *rank;
};

/* The sentence of the change: against the previous period (key, with
 * v's placeholders), or the campaign's second half against its first
 * (report.h: when the period before would begin before the campaign), or
 * nothing for a one-day window at its start. */
static const char *comparison_words(struct sb *b, enum config_summary_key key, struct sv *v)
{
	const struct report *r = b->r;
	const char *fs, *fu, *ss, *su;

	if (r->compare == REPORT_COMPARE_NONE)
		return "";
	if (r->compare == REPORT_COMPARE_PREVIOUS)
		return fill(b, key, v);
	period(b, r->since_t, r->first_until - 1, &fs, &fu);
	period(b, r->second_since, r->until_t - 1, &ss, &su);
	return fill(b, CS_HALVES,
		    (struct sv[]){{"first_since", fs},
				  {"first_until", fu},
				  {"second_since", ss},
				  {"second_until", su},
				  {"posts_change", change_words(b, (double)r->second_half.posts, (double)r->first_half.posts)},
				  {"index_change", change_words(b, r->second_half.index_sum, r->first_half.index_sum)},
				  {NULL, NULL}});
}

static void overall_prose(struct sb *b, const struct overall_words *w)
{
	const struct report *r = b->r;
	const struct report_totals *t = &r->total, *p = &r->previous, *c = &b->city->total;
	double x = versus(per_post(t), per_post(c));
	struct sv vs[] = {{"city_per_post", idx(b, per_post(c))}, {"diff", pct(b, x < 0 ? -x : x)}, {NULL, NULL}};
	const char *versus_words = fill(b, x >= 0.05 ? CS_ABOVE : x <= -0.05 ? CS_BELOW : CS_LEVEL, vs);
	struct sv v[] = {
		{"since", w->since}, {"until", w->until}, {"prev_since", w->ps}, {"prev_until", w->pu},
		{"unit", b->unit}, {"tag", b->o->tag}, {"rank", w->rank}, {"versus", versus_words},
		{"posts", wan(b, t->posts)}, {"authors", wan(b, t->authors)}, {"counts", counts_words(b, t)},
		{"interactions", wan(b, interactions(t->counts, t->known))}, {"index", idx(b, t->index_sum)},
		{"share", pct(b, c->index_sum > 0 ? 100.0 * t->index_sum / c->index_sum : 0)},
		{"per_post", idx(b, per_post(t))}, {"units", summary_fmt(b->d, "%zu", b->city->nunits)},
		{"covered", summary_fmt(b->d, "%ld", b->city->units_covered)},
		{"posts_change", change_words(b, (double)t->posts, (double)p->posts)},
		{"index_change", change_words(b, t->index_sum, p->index_sum)}, {NULL, NULL}};
	const char *standing = "";

	add_text(b, SD_PARA, fill(b, t->posts ? CS_OVERALL : CS_OVERALL_NONE, v));
	if (t->posts)
		standing = fill(b, r->district ? CS_STANDING : CS_CITY_STANDING, v);
	/* the targets in the same paragraph: a unit's summary keeps to three
	 * pages, and a paragraph more would cost it a work or two */
	add_text(b, SD_PARA, summary_fmt(b->d, "%s%s%s", standing, comparison_words(b, p->posts ? CS_PREVIOUS : CS_PREVIOUS_NONE, v),
					 targets_words(b)));
}

/* （一）总体情况: the figures in words, the standing, the change, the
 * targets, 表1. */
static void overall(struct sb *b)
{
	const struct report *r = b->r;
	const struct report_unit *row = city_row(b);
	struct overall_words w = {0};
	size_t rank = unit_rank(b->city, row ? &row->t : &r->total);
	struct sv v[] = {{"rank", summary_fmt(b->d, "%zu", rank)}, {"units", summary_fmt(b->d, "%zu", b->city->nunits)},
			 {NULL, NULL}};

	period(b, r->since_t, r->until_t - 1, &w.since, &w.until);
	period(b, date_t(r->previous_since), date_t(r->previous_until), &w.ps, &w.pu);
	w.rank = fill(b, CS_RANK, v);
	heading2(b, CS_H_OVERALL);
	overall_prose(b, &w);
	overall_table(b, w.rank);
}

/* （二）分平台情况 */
static void platforms_section(struct sb *b)
{
	size_t order[64], n = platform_order(b->r, order), table = (size_t)b->tables + 1;
	const char *list = "";

	if (nplatforms > 64 || !n)
		return;
	for (size_t i = 0; i < n && i < 3; i++) { /* the table has them all */
		const struct report_totals *p = &b->r->platforms[order[i]];
		struct sv v[] = {{"platform", platforms[order[i]].label}, {"posts", wan(b, p->posts)},
				 {"share", pct(b, 100.0 * (double)p->posts / (double)b->r->total.posts)}, {NULL, NULL}};
		list = summary_fmt(b->d, "%s%s%s", list, i ? "、" : "", fill(b, CS_PLATFORM_ITEM, v));
	}
	heading2(b, CS_H_PLATFORMS);
	add_text(b, SD_PARA, fill(b, CS_PLATFORMS, (struct sv[]){{"list", list},
								 {"table", summary_fmt(b->d, "%zu", table)},
								 {NULL, NULL}}));
	platform_table(b, order, n);
}

/* （三）传播走势: the busiest day, and the chart of every day. */
static void trend_section(struct sb *b)
{
	const struct report *r = b->r;
	struct sd_chart *c = arena_alloc(&b->d->a, sizeof(*c));
	const char **day = arena_alloc(&b->d->a, (r->ndays + 1) * sizeof(*day));
	double *posts = arena_alloc(&b->d->a, (r->ndays + 1) * sizeof(*posts)),
	       *index = arena_alloc(&b->d->a, (r->ndays + 1) * sizeof(*index));
	size_t peak = 0;
	struct sd_block *x;

	if (!c || !day || !posts || !index || !r->ndays) {
		b->d->failed |= r->ndays > 0;
		return;
	}
	for (size_t i = 0; i < r->ndays; i++) {
		posts[i] = (double)r->days[i].posts;
		index[i] = r->days[i].index_sum;
		day[i] = summary_fmt(b->d, "%d月%d日", two_digits(r->days[i].date + 5), two_digits(r->days[i].date + 8));
		if (r->days[i].posts > r->days[peak].posts)
			peak = i;
	}
	c->n = r->ndays;
	c->day = day;
	c->posts = posts;
	c->index = index;
	heading2(b, CS_H_TREND);
	add_text(b, SD_PARA, fill(b, CS_TREND, (struct sv[]){{"peak_date", day[peak]},
							     {"peak_posts", wan(b, r->days[peak].posts)},
							     {"figure", summary_fmt(b->d, "%d", b->figures + 1)},
							     {NULL, NULL}}));
	if ((x = summary_doc_add(b->d, SD_CHART)))
		x->chart = c;
	caption(b, 0, CS_F_TREND);
}

/* The city's: of the units with a target of each figure (their own, or
 * campaign.targets.per_unit), how many reached it, in words and as a
 * table; nothing when no unit has a target. */
static void unit_targets(struct sb *b)
{
	static const double w[] = {36, 44, 44, 32};
	static const char *const h[] = {"指标", "设定目标的单位（个）", "已完成的单位（个）", "完成比例"};
	const struct report *c = b->city;
	size_t set[NTARGETS] = {0}, met[NTARGETS] = {0}, rows = 1, row = 1;
	const char *list = "";
	struct sd_table *t;

	if (!c->unit_targets)
		return;
	for (size_t i = 0; i < NTARGETS; i++) {
		int m = target_figures[i].metric;
		for (size_t k = 0; k < c->nunits; k++) {
			int64_t goal = report_target_goal(&c->units[k].target, m);
			set[i] += goal > 0;
			met[i] += goal > 0 && report_target_done(&c->units[k].t, m) >= goal;
		}
		if (set[i]) {
			struct sv v[] = {{"figure", target_figures[i].figure},
					 {"set", summary_fmt(b->d, "%zu", set[i])},
					 {"met", summary_fmt(b->d, "%zu", met[i])},
					 {NULL, NULL}};
			list = summary_fmt(b->d, "%s%s%s", list, *list ? "，" : "", fill(b, CS_TARGET_UNITS_ITEM, v));
			rows++;
		}
	}
	add_text(b, SD_PARA, fill(b, CS_TARGETS_UNITS, (struct sv[]){{"list", list},
								     {"table", summary_fmt(b->d, "%d", b->tables + 1)},
								     {"units", summary_fmt(b->d, "%zu", c->nunits)},
								     {NULL, NULL}}));
	caption(b, 1, CS_T_UNIT_TARGETS);
	if (!(t = table_new(b, 4, rows, w)))
		return;
	header(t, h);
	for (size_t i = 0; i < NTARGETS; i++) {
		if (!set[i])
			continue;
		cell(t, row, 0, target_figures[i].figure, SA_LEFT);
		cell(t, row, 1, thousands(b, (int64_t)set[i]), SA_RIGHT);
		cell(t, row, 2, thousands(b, (int64_t)met[i]), SA_RIGHT);
		cell(t, row++, 3, pct(b, 100.0 * (double)met[i] / (double)set[i]), SA_RIGHT);
	}
}

/* The city's （二）各单位情况: the first five, and every unit ranked. */
static void units_section(struct sb *b)
{
	size_t *order = arena_alloc(&b->d->a, (b->city->nunits + 1) * sizeof(*order));
	const char *top = "";

	if (!order) {
		b->d->failed = 1;
		return;
	}
	unit_order(b->city, order);
	for (size_t i = 0; i < b->city->nunits && i < 5 && b->city->units[order[i]].t.posts; i++)
		top = summary_fmt(b->d, "%s%s%s", top, i ? "、" : "", b->city->units[order[i]].unit->name);
	heading2(b, CS_H_UNITS);
	add_text(b, SD_PARA, fill(b, CS_UNITS, (struct sv[]){{"top", *top ? top : "—"},
							     {"table", summary_fmt(b->d, "%d", b->tables + 1)},
							     {NULL, NULL}}));
	unit_table(b, order);
	unit_targets(b);
}

/* The city's （五）需关注单位: the units without posts. */
static void attention_section(struct sb *b)
{
	const struct report *c = b->city;
	const char *list = "";
	size_t n = 0;

	for (size_t i = 0; i < c->nunits; i++)
		if (!c->units[i].t.posts)
			list = summary_fmt(b->d, "%s%s%s", list, n++ ? "、" : "", c->units[i].unit->name);
	heading2(b, CS_H_ATTENTION);
	if (n)
		add_text(b, SD_PARA, fill(b, CS_ATTENTION, (struct sv[]){{"count", summary_fmt(b->d, "%zu", n)},
									 {"list", list},
									 {NULL, NULL}}));
	else
		add_text(b, SD_PARA, fill(b, CS_ATTENTION_NONE, (struct sv[]){{"units", summary_fmt(b->d, "%zu", c->nunits)},
									      {NULL, NULL}}));
}

/* 三、典型作品 */
static void works_section(struct sb *b)
{
	size_t n = b->works < b->r->ntop ? b->works : b->r->ntop;

	heading1(b, CS_H_WORKS);
	if (!n) {
		add_text(b, SD_PARA, fill0(b, CS_WORKS_NONE));
		return;
	}
	add_text(b, SD_PARA, fill(b, CS_WORKS, (struct sv[]){{"unit", b->unit},
							     {"count", summary_fmt(b->d, "%zu", n)},
							     {"table", summary_fmt(b->d, "%d", b->tables + 1)},
							     {NULL, NULL}}));
	works_table(b, n);
}

static void blank(struct sb *b, enum config_summary_key k)
{
	add_text(b, SD_BLANK, fill(b, k, (struct sv[]){{"unit", b->unit}, {NULL, NULL}}));
}

/* The whole summary, in the order of a 工作总结. */
static void build(struct sb *b)
{
	int city = !b->r->district;

	title(b);
	heading1(b, CS_H_ACTIVITIES);
	blank(b, CS_BLANK_ACTIVITIES);
	heading1(b, CS_H_RESULTS);
	overall(b);
	if (city)
		units_section(b);
	if (b->r->total.posts) {
		platforms_section(b);
		trend_section(b);
	}
	if (city)
		attention_section(b);
	works_section(b);
	heading1(b, CS_H_PLANS);
	blank(b, CS_BLANK_PLANS);
	b->d->issuer = fill(b, CS_ISSUER, (struct sv[]){{"unit", b->unit}, {NULL, NULL}});
	add_text(b, SD_ISSUER, b->d->issuer);
	add_text(b, SD_DATE, date_long(b, b->o->issued));
	b->d->created = b->r->generated_at;
}

/* ---- files ---- */

void summary_stem(const struct report *r, char *out, size_t size)
{
	if (r->district)
		snprintf(out, size, "%s-%s", r->district->code, r->district->name);
	else
		snprintf(out, size, "500000-重庆市");
}

static int write_doc(struct sd_doc *d, const char *dir, const char *stem, const char *ext,
		     int (*fn)(const struct sd_doc *, struct kbuf *, struct kerr *), struct kbuf *out, struct kerr *e)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", dir, stem, ext) >= sizeof(path))
		return kerr_set(e, KERR_USAGE, "%s: the path is too long", dir);
	if (fn && fn(d, out, e) < 0)
		return kerr_prefix(e, "%s", path);
	return afile_write(path, out->data, out->len, e);
}

static int docx_fn(const struct sd_doc *d, struct kbuf *out, struct kerr *e)
{
	kbuf_reset(out);
	return summary_docx(d, out, e);
}

/* The blocks of r's summary with n top works, and its PDF in pdf. */
static int lay_out(struct sb *b, struct sd_doc *d, size_t n, struct kbuf *pdf, size_t *pages, struct kerr *e)
{
	summary_doc_init(d);
	b->d = d;
	b->h1 = b->h2 = b->tables = b->figures = 0;
	b->works = n;
	build(b);
	if (d->failed)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	kbuf_reset(pdf);
	return summary_pdf(d, pdf, pages, e);
}

int summary_write(const struct report *r, const struct report *city, const struct summary_opts *o,
		  const char *dir, struct summary_result *res, struct kerr *e)
{
	struct sb b = {.r = r, .city = city, .o = o, .unit = r->district ? r->district->name : "重庆市"};
	struct summary_result rs = {{0}, 0, 0};
	struct sd_doc d;
	struct kbuf pdf;
	size_t n = (size_t)(r->district ? o->text->works_unit : o->text->works_city);
	int rc;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kerr_set(e, KERR_IO, "cannot create %s: %s", dir, strerror(errno));
	summary_stem(r, rs.stem, sizeof(rs.stem));
	kbuf_init(&b.tmp, 1024 * 1024);
	kbuf_init(&pdf, 256 * 1024 * 1024);
	/* a unit's summary fits on SUMMARY_MAX_PAGES: fewer works until it does
	 * (the Word file lists the same works as the PDF) */
	while ((rc = lay_out(&b, &d, n, &pdf, &rs.pages, e)) == 0 && r->district && rs.pages > SUMMARY_MAX_PAGES && n > 1) {
		summary_doc_release(&d);
		n--;
	}
	rs.works = n < r->ntop ? n : r->ntop;
	if (rc == 0 && (o->formats & SUMMARY_PDF))
		rc = write_doc(&d, dir, rs.stem, "pdf", NULL, &pdf, e);
	kbuf_release(&pdf);
	if (rc == 0 && (o->formats & SUMMARY_DOCX))
		rc = write_doc(&d, dir, rs.stem, "docx", docx_fn, &pdf, e);
	summary_doc_release(&d);
	kbuf_release(&pdf);
	kbuf_release(&b.tmp);
	if (!(o->formats & SUMMARY_PDF))
		rs.pages = 0;
	if (res)
		*res = rs;
	return rc;
}
