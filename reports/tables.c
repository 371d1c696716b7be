/*
 * tables.c: the report's tables (sections.h): for each, its columns
 * {header, kind, getter}, where it goes (CSV file, caption) and its rows.
 * A getter turns a row of the model into a cell; the figures are the
 * model's, this only picks them (and a share or an average).  A column
 * one format shows its own way has an HTML cell writer beside its getter,
 * or is marked for Markdown and CSV (IN_TEXT) or HTML (IN_HTML) alone.
 *
 * Not for: a format's page around the tables (render_*.c).
 */
#include "sections.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../util/human.h"
#include "html_cells.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
/* A column's header, kind and getter; the other fields by name after it. */
#define COLUMN(h, k, g) .header = (h), .kind = (k), .get = (g)

static struct report_row row_of(const struct report *r, const struct report_view *v)
{
	struct report_row w;

	memset(&w, 0, sizeof(w));
	w.r = r;
	w.v = v;
	return w;
}

/* ---- setting cells ---- */

static void text(struct cell *c, const char *s)
{
	c->type = CV_TEXT;
	c->s = s;
}

static void integer(struct cell *c, int64_t i)
{
	c->type = CV_INT;
	c->i = i;
}

static void rank(struct cell *c, size_t i)
{
	c->type = CV_RANK;
	c->i = (int64_t)i;
}

static void real(struct cell *c, double x)
{
	c->type = CV_REAL;
	c->x = x;
}

static void share(struct cell *c, double x, double bar)
{
	c->type = CV_SHARE;
	c->x = x;
	c->y = bar;
}

/* A count: unknown (CV_NONE) when the platform does not report it. */
static void count(struct cell *c, int64_t v, unsigned known, unsigned lower, int k)
{
	if (!(known & (1u << k)))
		return;
	c->type = CV_COUNT;
	c->i = v;
	c->lower = !!(lower & (1u << k));
}

/* A moment, unknown when 0. */
static void moment(struct cell *c, int64_t t)
{
	if (!t)
		return;
	c->type = CV_TIME;
	c->i = t;
}

/* A getter of one statement, which may use w, k and c. */
#define GET(name, ...)                                                                                                 \
	static void name(const struct report_row *w, int k, struct cell *c)                                            \
	{                                                                                                              \
		(void)w, (void)k;                                                                                      \
		__VA_ARGS__;                                                                                           \
	}

GET(get_rank, rank(c, w->rank))

/* ---- figures of a report_totals (a unit, a platform, the unknown unit) ---- */

GET(fig_posts, integer(c, w->t->posts))
GET(fig_authors, integer(c, w->t->authors))
GET(fig_count, count(c, w->t->counts[k], w->t->known, 0, k))
GET(fig_index, real(c, w->t->index_sum))
GET(fig_avg, real(c, w->t->posts ? w->t->index_sum / (double)w->t->posts : 0.0))
GET(fig_views, count(c, w->t->counts[PC_VIEWS], w->t->known, 0, PC_VIEWS))

/* 互动量: unknown when none of its counts is reported. */
static void fig_interactions(const struct report_row *w, int k, struct cell *c)
{
	int64_t n = report_interactions(w->t);

	(void)k;
	if (n >= 0)
		integer(c, n);
}

/* ---- 总览 ---- */

static void overview_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	w.metric = METRIC_POSTS;
	fn(ctx, &w);
	w.metric = METRIC_AUTHORS;
	fn(ctx, &w);
	w.metric = METRIC_COUNT;
	for (w.count = 0; w.count < PC_N; w.count++)
		fn(ctx, &w);
	w.count = 0;
	w.metric = METRIC_INDEX;
	fn(ctx, &w);
	w.metric = METRIC_UNITS;
	fn(ctx, &w);
}

void report_overview_label(const struct report_row *w, int k, struct cell *c)
{
	static const char *const labels[] = {"作品", "作者", NULL, "互动指数", "覆盖区县"};

	(void)k;
	text(c, w->metric == METRIC_COUNT ? report_count_labels[w->count] : labels[w->metric]);
}

/* A figure of the period t. */
static void period_figure(const struct report_row *w, const struct report_totals *t, struct cell *c)
{
	switch (w->metric) {
	case METRIC_POSTS: integer(c, t->posts); break;
	case METRIC_AUTHORS: integer(c, t->authors); break;
	case METRIC_COUNT: count(c, t->counts[w->count], t->known, 0, w->count); break;
	case METRIC_INDEX: real(c, t->index_sum); break;
	case METRIC_UNITS: break;
	}
}

void report_overview_now(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->metric != METRIC_UNITS) {
		period_figure(w, &w->r->total, c);
		return;
	}
	snprintf(c->buf, sizeof(c->buf), "%ld / %zu", w->r->units_covered, w->r->nunits);
	text(c, c->buf);
}

void report_overview_before(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	period_figure(w, &w->r->previous, c);
}

void report_overview_first_half(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	period_figure(w, &w->r->first_half, c);
}

void report_overview_second_half(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	period_figure(w, &w->r->second_half, c);
}

/* The figure now against the base: the window against the previous
 * period, or the second half against the first. */
void report_overview_change(const struct report_row *w, int k, struct cell *c)
{
	int halves = w->r->compare == REPORT_COMPARE_HALVES;
	const struct report_totals *now = halves ? &w->r->second_half : &w->r->total;
	const struct report_totals *before = halves ? &w->r->first_half : &w->r->previous;

	(void)k;
	c->type = CV_CHANGE;
	switch (w->metric) {
	case METRIC_POSTS: c->x = (double)now->posts, c->y = (double)before->posts; break;
	case METRIC_AUTHORS: c->x = (double)now->authors, c->y = (double)before->authors; break;
	case METRIC_COUNT:
		/* no change of a count nobody reports */
		if (!(w->r->total.known & (1u << w->count)))
			c->type = CV_NONE;
		c->x = (double)now->counts[w->count], c->y = (double)before->counts[w->count];
		break;
	case METRIC_INDEX: c->x = now->index_sum, c->y = before->index_sum; break;
	case METRIC_UNITS: c->type = CV_NONE; break;
	}
}

static int by_previous(const struct report *r)
{
	return r->compare == REPORT_COMPARE_PREVIOUS;
}

static int by_halves(const struct report *r)
{
	return r->compare == REPORT_COMPARE_HALVES;
}

static int compared(const struct report *r)
{
	return r->compare != REPORT_COMPARE_NONE;
}

/* clang-format off */
static const struct report_column overview_cols[] = {
	{COLUMN("指标", CELL_TEXT, report_overview_label)},
	{COLUMN("本期", CELL_NUM, report_overview_now)},
	{COLUMN("上期", CELL_NUM, report_overview_before), .shown = by_previous},
	{COLUMN("前半程", CELL_NUM, report_overview_first_half), .shown = by_halves},
	{COLUMN("后半程", CELL_NUM, report_overview_second_half), .shown = by_halves},
	{COLUMN("变化", CELL_NUM, report_overview_change), .shown = compared},
};
/* clang-format on */

const struct report_table report_table_overview = {
	.file = "overview.csv",
	.sheet = "总览",
	.cols = overview_cols,
	.ncols = NCOLS(overview_cols),
	.rows = overview_rows,
};

/* ---- 区县排行: the units by index, and the 重庆（区县未知） row at the foot ---- */

static void leaderboard_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nunits; i++) {
		w.unit = &r->units[v->order[i]];
		w.t = &w.unit->t;
		w.rank = w.unit->rank;
		fn(ctx, &w);
	}
	w.unit = NULL;
	w.t = &r->unknown_unit;
	w.rank = 0;
	w.foot = 1;
	fn(ctx, &w);
}

static void lb_tr(struct out *p, const struct report_row *w)
{
	if (w->foot) {
		out_put(p, "<tr data-code=\"\">");
		return;
	}
	out_put(p, w->unit->attention ? "<tr class=\"zero\" data-code=\"" : "<tr data-code=\"");
	out_html(p, w->unit->unit->code);
	out_put(p, "\">");
}

static void lb_rank(const struct report_row *w, int k, struct cell *c)
{
	if (w->foot)
		text(c, "");
	else
		get_rank(w, k, c);
}

static void lb_rank_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	if (w->foot)
		out_put(p, "<td class=\"rank\"></td>");
	else
		out_putf(p, "<td class=\"rank\" data-v=\"%zu\">%zu</td>", w->rank, w->rank);
}

GET(lb_name, text(c, w->foot ? "重庆（区县未知）" : w->unit->unit->name))

static void lb_name_html(struct out *p, const struct report_row *w, int k)
{
	char why[256];

	(void)k;
	if (w->foot) {
		out_put(p, "<td>重庆（区县未知）</td>");
		return;
	}
	out_put(p, "<td data-v=\"");
	out_html(p, w->unit->unit->name);
	out_put(p, "\"><b>");
	out_html(p, w->unit->unit->name);
	out_put(p, "</b>");
	if (w->unit->attention) {
		out_put(p, "<span class=\"badge warn\" title=\"");
		out_html(p, report_attention_text(w->r, w->unit, why, sizeof(why)));
		out_put(p, "\">需关注</span>");
	}
	out_put(p, "</td>");
}

/* Places up since the previous period; new without a place then. */
static void lb_move(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->foot || !w->t->posts)
		return;
	c->type = CV_MOVE;
	c->lower = w->unit->prev.posts == 0;
	c->i = (int64_t)w->unit->prev_rank - (int64_t)w->unit->rank;
}

static void lb_move_html(struct out *p, const struct report_row *w, int k)
{
	struct cell c;
	char buf[64];

	memset(&c, 0, sizeof(c));
	lb_move(w, k, &c);
	if (c.type == CV_NONE) {
		out_put(p, "<td class=\"n na\" data-v=\"\">—</td>");
		return;
	}
	out_putf(p, "<td class=\"n mv%s\" data-v=\"%" PRId64 "\">%s</td>",
		 c.lower ? " new" : c.i > 0 ? " up" : c.i < 0 ? " down" : "", c.lower ? (int64_t)w->r->nunits : c.i,
		 report_cell_human(&c, buf));
}

GET(lb_code, text(c, w->foot ? "" : w->unit->unit->code))


/* The index against the previous period's. */
static void lb_index_change(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->foot)
		return;
	c->type = CV_CHANGE;
	c->x = w->t->index_sum;
	c->y = w->unit->prev.index_sum;
}

static void lb_index_change_html(struct out *p, const struct report_row *w, int k)
{
	struct cell c;
	char buf[64];
	double pct;

	memset(&c, 0, sizeof(c));
	lb_index_change(w, k, &c);
	if (c.type == CV_NONE || (c.y <= 0 && c.x <= 0)) {
		out_put(p, "<td class=\"n na\" data-v=\"\">—</td>");
		return;
	}
	pct = c.y > 0 ? 100.0 * (c.x - c.y) / c.y : 1e9;
	out_putf(p, "<td class=\"n chg%s\" data-v=\"%.3f\">%s</td>", c.y <= 0 ? " new" : pct >= 0.05 ? " up" : pct <= -0.05 ? " down" : "",
		 pct, report_cell_human(&c, buf));
}

static void lb_prev_rank(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (!w->foot && w->unit->prev.posts)
		rank(c, w->unit->prev_rank);
}

static void lb_prev_index(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (!w->foot)
		real(c, w->unit->prev.index_sum);
}

/* The share of the city's index; the bar is scaled to the largest unit. */
static void lb_share(const struct report_row *w, int k, struct cell *c)
{
	double x = report_pct(w->t->index_sum, w->r->total.index_sum);

	(void)k;
	share(c, x, w->foot || w->v->top_share <= 0 ? 0 : 100.0 * x / w->v->top_share);
}

static void lb_daily_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	if (w->foot)
		out_put(p, "<td><span class=\"na\">—</span></td>");
	else
		out_td_sparkline(p, w->unit->daily, w->r->ndays);
}

static void lb_best(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (!w->foot && w->unit->nbest)
		text(c, w->unit->best[0].title);
}

static void lb_best_html(struct out *p, const struct report_row *w, int k)
{
	const struct report_work *b;

	(void)k;
	if (w->foot) {
		out_put(p, "<td><span class=\"na\">—</span></td>");
		return;
	}
	if (!w->unit->nbest) {
		out_put(p, "<td data-v=\"\"><span class=\"na\">—</span></td>");
		return;
	}
	b = &w->unit->best[0];
	out_put(p, "<td class=\"title\" data-v=\"");
	out_html(p, b->title ? b->title : "");
	out_put(p, "\">");
	out_work_link(p, b->title, b->url);
	out_put(p, "</td>");
}

static void lb_state(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->foot || !w->unit->attention)
		text(c, "");
	else {
		memcpy(c->buf, "需关注：", sizeof("需关注："));
		report_attention_text(w->r, w->unit, c->buf + strlen(c->buf), sizeof(c->buf) - strlen(c->buf));
		text(c, c->buf);
	}
}

/* clang-format off */
static const struct report_column leaderboard_cols[] = {
	{COLUMN("排名", CELL_NUM, lb_rank), .html = lb_rank_html, .key = "rank", .asc = 1},
	{COLUMN("区县", CELL_TEXT, lb_name), .html = lb_name_html, .key = "name", .asc = 1},
	{COLUMN("排名变化", CELL_NUM, lb_move), .html = lb_move_html, .html_header = "升降", .key = "move",
	 .shown = by_previous},
	{COLUMN("代码", CELL_TEXT, lb_code), .in = IN_DATA},
	{COLUMN("作品", CELL_NUM, fig_posts), .key = "posts"},
	{COLUMN("作者", CELL_NUM, fig_authors), .key = "authors"},
	{COLUMN(NULL, CELL_NUM, fig_count), .each = EACH_COUNT, .no_print = ~(1u << PC_VIEWS)},
	{COLUMN("互动量", CELL_NUM, fig_interactions), .key = "interactions"},
	{COLUMN("互动指数", CELL_NUM, fig_index), .key = "index"},
	{COLUMN("指数变化", CELL_NUM, lb_index_change), .html = lb_index_change_html, .key = "index_change",
	 .shown = by_previous},
	{COLUMN("上期排名", CELL_NUM, lb_prev_rank), .in = IN_DATA, .shown = by_previous},
	{COLUMN("上期互动指数", CELL_NUM, lb_prev_index), .in = IN_DATA, .shown = by_previous},
	{COLUMN("篇均指数", CELL_NUM, fig_avg), .html_header = "篇均", .key = "avg"},
	{COLUMN("占比", CELL_NUM, lb_share), .key = "share"},
	{COLUMN("每日作品", CELL_CHART, NULL), .in = IN_HTML, .html = lb_daily_html, .key = "daily", .no_print = 1},
	{COLUMN("最佳作品", CELL_TEXT, lb_best), .html = lb_best_html, .key = "best", .asc = 1, .no_print = 1},
	{COLUMN("状态", CELL_TEXT, lb_state), .in = IN_TEXT},
};
/* clang-format on */

const struct report_table report_table_leaderboard = {
	.file = "districts.csv",
	.sheet = "区县排行",
	.cols = leaderboard_cols,
	.ncols = NCOLS(leaderboard_cols),
	.rows = leaderboard_rows,
	.html_wrap = "scroll",
	.html_attrs = "id=\"leaderboard-table\"",
	.html_tr = lb_tr,
	.html_sorted = "index",
};

/* ---- 目标进度: campaign.targets, the city's (or the unit's) and each unit's ---- */

static void unit_name(const struct report_row *w, int k, struct cell *c);

enum { TARGET_POSTS, TARGET_VIEWS, TARGET_INTERACTIONS, TARGET_N };
static const char *const target_labels[TARGET_N] = {"作品", "播放", "互动量"};

int64_t report_target_done(const struct report_totals *t, int m)
{
	switch (m) {
	case TARGET_POSTS: return t->posts;
	case TARGET_VIEWS: return t->counts[PC_VIEWS];
	default: return report_interactions(t) > 0 ? report_interactions(t) : 0;
	}
}

int64_t report_target_goal(const struct config_target *t, int m)
{
	return m == TARGET_POSTS ? t->posts : m == TARGET_VIEWS ? t->views : t->interactions;
}

const char *report_target_label(int m)
{
	return target_labels[m];
}

static void targets_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	w.t = &r->total;
	for (w.count = 0; w.count < TARGET_N; w.count++)
		if (report_target_goal(&r->target, w.count))
			fn(ctx, &w);
}

GET(tg_label, text(c, target_labels[w->count]))
GET(tg_done, integer(c, report_target_done(w->t, w->count)))
GET(tg_goal, integer(c, report_target_goal(&w->r->target, w->count)))

/* done against the goal; the bar full at 100% */
static void progress(struct cell *c, int64_t done, int64_t goal)
{
	double x = report_progress(done, goal);

	if (goal)
		share(c, x, x > 100 ? 100 : x);
}

GET(tg_progress, progress(c, report_target_done(w->t, w->count), report_target_goal(&w->r->target, w->count)))

/* ▓▓▓▓░░░░░░: the progress as a bar of text for Markdown */
static void tg_bar(const struct report_row *w, int k, struct cell *c)
{
	double x = report_progress(report_target_done(w->t, w->count), report_target_goal(&w->r->target, w->count));
	int full = x >= 100 ? 10 : (int)(x / 10);
	size_t n = 0;

	(void)k;
	for (int i = 0; i < 10; i++) {
		const char *b = i < full ? "▓" : "░";
		memcpy(c->buf + n, b, strlen(b));
		n += strlen(b);
	}
	c->buf[n] = '\0';
	text(c, c->buf);
}

/* clang-format off */
static const struct report_column targets_cols[] = {
	{COLUMN("指标", CELL_TEXT, tg_label)},
	{COLUMN("完成", CELL_NUM, tg_done)},
	{COLUMN("目标", CELL_NUM, tg_goal)},
	{COLUMN("进度", CELL_NUM, tg_progress)},
	{COLUMN("", CELL_TEXT, tg_bar), .in = IN_MD},
};
/* clang-format on */

const struct report_table report_table_targets = {
	.file = "targets.csv",
	.sheet = "目标",
	.title = "全市目标",
	.unit_title = "本区县目标",
	.shown = report_targets_shown,
	.cols = targets_cols,
	.ncols = NCOLS(targets_cols),
	.rows = targets_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"targets-table\"",
};

int report_targets_shown(const struct report *r)
{
	return r->target.posts || r->target.views || r->target.interactions;
}

static int unit_targets_shown(const struct report *r)
{
	return !r->district && r->unit_targets;
}

/* Every unit, in leaderboard order. */
static void unit_targets_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nunits; i++) {
		w.unit = &r->units[v->order[i]];
		w.t = &w.unit->t;
		w.rank = w.unit->rank;
		fn(ctx, &w);
	}
}

/* Is there a unit with a target of metric m? */
static int any_unit_target(const struct report *r, int m)
{
	for (size_t i = 0; i < r->nunits; i++)
		if (report_target_goal(&r->units[i].target, m))
			return 1;
	return 0;
}

static int ut_posts_shown(const struct report *r)
{
	return any_unit_target(r, TARGET_POSTS);
}

static int ut_views_shown(const struct report *r)
{
	return any_unit_target(r, TARGET_VIEWS);
}

static int ut_interactions_shown(const struct report *r)
{
	return any_unit_target(r, TARGET_INTERACTIONS);
}

/* The unit's goal of metric m, unknown when it has none. */
static void ut_goal(const struct report_row *w, int m, struct cell *c)
{
	if (report_target_goal(&w->unit->target, m))
		integer(c, report_target_goal(&w->unit->target, m));
}

GET(ut_posts, integer(c, w->t->posts))
GET(ut_posts_goal, ut_goal(w, TARGET_POSTS, c))
GET(ut_posts_progress, progress(c, w->t->posts, w->unit->target.posts))
GET(ut_views, integer(c, report_target_done(w->t, TARGET_VIEWS)))
GET(ut_views_goal, ut_goal(w, TARGET_VIEWS, c))
GET(ut_views_progress, progress(c, report_target_done(w->t, TARGET_VIEWS), w->unit->target.views))
GET(ut_inter, integer(c, report_target_done(w->t, TARGET_INTERACTIONS)))
GET(ut_inter_goal, ut_goal(w, TARGET_INTERACTIONS, c))
GET(ut_inter_progress, progress(c, report_target_done(w->t, TARGET_INTERACTIONS), w->unit->target.interactions))

/* clang-format off */
static const struct report_column unit_targets_cols[] = {
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("区县", CELL_TEXT, unit_name)},
	{COLUMN("代码", CELL_TEXT, lb_code), .in = IN_DATA},
	{COLUMN("作品", CELL_NUM, ut_posts), .shown = ut_posts_shown},
	{COLUMN("作品目标", CELL_NUM, ut_posts_goal), .shown = ut_posts_shown},
	{COLUMN("作品完成率", CELL_NUM, ut_posts_progress), .shown = ut_posts_shown},
	{COLUMN("播放", CELL_NUM, ut_views), .shown = ut_views_shown},
	{COLUMN("播放目标", CELL_NUM, ut_views_goal), .shown = ut_views_shown},
	{COLUMN("播放完成率", CELL_NUM, ut_views_progress), .shown = ut_views_shown},
	{COLUMN("互动量", CELL_NUM, ut_inter), .shown = ut_interactions_shown},
	{COLUMN("互动量目标", CELL_NUM, ut_inter_goal), .shown = ut_interactions_shown},
	{COLUMN("互动量完成率", CELL_NUM, ut_inter_progress), .shown = ut_interactions_shown},
};
/* clang-format on */

const struct report_table report_table_unit_targets = {
	.file = "district_targets.csv",
	.sheet = "各区县目标",
	.title = "各区县目标",
	.shown = unit_targets_shown,
	.cols = unit_targets_cols,
	.ncols = NCOLS(unit_targets_cols),
	.rows = unit_targets_rows,
	.html_wrap = "scroll",
	.html_attrs = "id=\"unit-targets-table\"",
};

/* ---- 分区域排行: the regional groups, and each group's own ranking ---- */

static void group_tr(struct out *p, const struct report_row *w);

static void groups_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->ngroups; i++) {
		w.group_of = &r->groups[i];
		w.t = &r->groups[i].t;
		fn(ctx, &w);
	}
}

/* 主城都市区·中心城区 */
static const char *group_label(const struct report_group *g, char buf[64])
{
	if (!g->group->region)
		return g->group->name;
	snprintf(buf, 64, "%s·%s", g->group->region, g->group->name);
	return buf;
}

GET(gr_name, text(c, group_label(w->group_of, c->buf)))
GET(gr_units, integer(c, (int64_t)w->group_of->group->nunits))
GET(gr_covered, integer(c, w->group_of->units_covered))

static void gr_share(const struct report_row *w, int k, struct cell *c)
{
	double x = report_pct(w->t->index_sum, w->r->total.index_sum);

	(void)k;
	share(c, x, x);
}

/* clang-format off */
static const struct report_column groups_cols[] = {
	{COLUMN("区域", CELL_TEXT, gr_name)},
	{COLUMN("区县数", CELL_NUM, gr_units)},
	{COLUMN("有作品区县", CELL_NUM, gr_covered)},
	{COLUMN("作品", CELL_NUM, fig_posts)},
	{COLUMN("作者", CELL_NUM, fig_authors)},
	{COLUMN("播放", CELL_NUM, fig_views)},
	{COLUMN("互动量", CELL_NUM, fig_interactions)},
	{COLUMN("互动指数", CELL_NUM, fig_index)},
	{COLUMN("篇均指数", CELL_NUM, fig_avg), .html_header = "篇均"},
	{COLUMN("占比", CELL_NUM, gr_share)},
};
/* clang-format on */

const struct report_table report_table_groups = {
	.file = "groups.csv",
	.sheet = "区域概况",
	.title = "各区域概况",
	.cols = groups_cols,
	.ncols = NCOLS(groups_cols),
	.rows = groups_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"groups-table\"",
};

/* Each group's units, best first; a group of rows per group. */
static void group_rank_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->ngroups; i++) {
		w.group_of = &r->groups[i];
		for (size_t k = 0; k < w.group_of->norder; k++) {
			w.unit = &r->units[w.group_of->order[k]];
			w.t = &w.unit->t;
			w.rank = w.unit->group_rank;
			w.group = k ? 0 : w.group_of->norder;
			fn(ctx, &w);
		}
	}
}

static void gr_group_html(struct out *p, const struct report_row *w, int k)
{
	char buf[64];

	(void)k;
	if (!w->group)
		return;
	out_putf(p, "<td class=\"unit\" rowspan=\"%zu\"><b>", w->group);
	out_html(p, group_label(w->group_of, buf));
	out_put(p, "</b></td>");
}

static void gr_unit_html(struct out *p, const struct report_row *w, int k)
{
	char why[256];

	(void)k;
	out_put(p, "<td><b>");
	out_html(p, w->unit->unit->name);
	out_put(p, "</b>");
	if (w->unit->attention) {
		out_put(p, "<span class=\"badge warn\" title=\"");
		out_html(p, report_attention_text(w->r, w->unit, why, sizeof(why)));
		out_put(p, "\">需关注</span>");
	}
	out_put(p, "</td>");
}

GET(gr_city_rank, rank(c, w->unit->rank))

static void gr_unit_share(const struct report_row *w, int k, struct cell *c)
{
	double x = report_pct(w->t->index_sum, w->group_of->t.index_sum);

	(void)k;
	share(c, x, x);
}

/* clang-format off */
static const struct report_column group_ranks_cols[] = {
	{COLUMN("区域", CELL_TEXT, gr_name), .html = gr_group_html},
	{COLUMN("组内排名", CELL_NUM, get_rank)},
	{COLUMN("区县", CELL_TEXT, unit_name), .html = gr_unit_html},
	{COLUMN("代码", CELL_TEXT, lb_code), .in = IN_DATA},
	{COLUMN("全市排名", CELL_NUM, gr_city_rank)},
	{COLUMN("作品", CELL_NUM, fig_posts)},
	{COLUMN("互动量", CELL_NUM, fig_interactions)},
	{COLUMN("互动指数", CELL_NUM, fig_index)},
	{COLUMN("篇均指数", CELL_NUM, fig_avg), .html_header = "篇均"},
	{COLUMN("组内占比", CELL_NUM, gr_unit_share)},
};
/* clang-format on */

const struct report_table report_table_group_ranks = {
	.file = "group_rankings.csv",
	.sheet = "区域内排名",
	.title = "各区域内排名",
	.cols = group_ranks_cols,
	.ncols = NCOLS(group_ranks_cols),
	.rows = group_rank_rows,
	.html_wrap = "scroll",
	.html_attrs = "id=\"group-rank-table\"",
	.html_tr = group_tr,
};

/* ---- 作者: a unit's page ---- */

static void authors_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nauthors && i < REPORT_TOP_AUTHORS; i++) {
		w.author = &r->authors[i];
		w.rank = i + 1;
		fn(ctx, &w);
	}
}

GET(au_name, text(c, w->author->author_name))
GET(au_platform, text(c, platform_label(w->author->platform)))
GET(au_posts, integer(c, w->author->posts))

/* report_author has no `known` bits: likes and comments, which every
 * platform reports */
GET(au_likes, integer(c, w->author->counts[PC_LIKES]))
GET(au_comments, integer(c, w->author->counts[PC_COMMENTS]))
GET(au_index, real(c, w->author->index_sum))
GET(au_avg, real(c, w->author->posts ? w->author->index_sum / (double)w->author->posts : 0.0))

/* clang-format off */
static const struct report_column authors_cols[] = {
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("作者", CELL_TEXT, au_name)},
	{COLUMN("平台", CELL_TEXT, au_platform)},
	{COLUMN("作品", CELL_NUM, au_posts)},
	{COLUMN("点赞", CELL_NUM, au_likes)},
	{COLUMN("评论", CELL_NUM, au_comments)},
	{COLUMN("互动指数", CELL_NUM, au_index)},
	{COLUMN("篇均", CELL_NUM, au_avg), .in = IN_HTML},
};
/* clang-format on */

const struct report_table report_table_authors = {
	.file = "authors.csv",
	.sheet = "作者",
	.cols = authors_cols,
	.ncols = NCOLS(authors_cols),
	.rows = authors_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"authors-table\"",
	.html_empty = "本期无作品",
};

/* ---- 平台: the platforms with posts, and unit x platform ---- */

static void platforms_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < nplatforms; i++) {
		if (!r->platforms[i].posts)
			continue;
		w.platform = i;
		w.t = &r->platforms[i];
		fn(ctx, &w);
	}
}

GET(pf_label, text(c, platforms[w->platform].label))

static void pf_label_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	out_put(p, "<td><b>");
	out_html(p, platforms[w->platform].label);
	out_put(p, "</b></td>");
}

GET(pf_name, text(c, platforms[w->platform].name))

/* The share of the posts; the bar is scaled to the largest platform. */
static void pf_share(const struct report_row *w, int k, struct cell *c)
{
	long top = w->v->top_platform;

	(void)k;
	share(c, report_pct((double)w->t->posts, (double)w->r->total.posts),
	      top ? 100.0 * (double)w->t->posts / (double)top : 0);
}

/* clang-format off */
static const struct report_column platforms_cols[] = {
	{COLUMN("平台", CELL_TEXT, pf_label), .html = pf_label_html},
	{COLUMN("标识", CELL_TEXT, pf_name)},
	{COLUMN("作品", CELL_NUM, fig_posts)},
	{COLUMN("占比", CELL_NUM, pf_share), .in = IN_HTML},
	{COLUMN("作者", CELL_NUM, fig_authors)},
	{COLUMN(NULL, CELL_NUM, fig_count), .each = EACH_COUNT},
	{COLUMN("互动指数", CELL_NUM, fig_index)},
	{COLUMN("篇均", CELL_NUM, fig_avg), .in = IN_HTML},
};
/* clang-format on */

const struct report_table report_table_platforms = {
	.file = "platforms.csv",
	.sheet = "平台",
	.cols = platforms_cols,
	.ncols = NCOLS(platforms_cols),
	.rows = platforms_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"platforms-table\"",
	.html_empty = "本期无作品",
	/* one short of the columns since 占比 came: kept so the page does not change */
	.html_empty_span = 6 + PC_N,
};

static void units_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nunits; i++) {
		w.unit = &r->units[i];
		w.t = &w.unit->t;
		fn(ctx, &w);
	}
}

static void zero_tr(struct out *p, const struct report_row *w)
{
	out_put(p, w->t->posts ? "<tr>" : "<tr class=\"zero\">");
}

GET(unit_name, text(c, w->unit->unit->name))

static void unit_name_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	out_put(p, "<td>");
	out_html(p, w->unit->unit->name);
	out_put(p, "</td>");
}

GET(mx_posts, integer(c, w->unit->platform_posts[k]))

/* The shade of a cell is its share of the largest cell. */
static void mx_posts_html(struct out *p, const struct report_row *w, int k)
{
	long v = w->unit->platform_posts[k], max = w->v->top_cell;
	double a = max ? 0.08 + 0.62 * (double)v / (double)max : 0;

	if (v)
		out_putf(p, "<td class=\"n\" data-v=\"%ld\" style=\"background:rgba(29,95,209,%.2f)%s\">%ld</td>", v, a,
			 a > 0.45 ? ";color:#fff" : "", v);
	else
		out_put(p, "<td class=\"n na\" data-v=\"0\">0</td>");
}

/* clang-format off */
static const struct report_column matrix_cols[] = {
	{COLUMN("区县", CELL_TEXT, unit_name), .html = unit_name_html},
	{COLUMN(NULL, CELL_NUM, mx_posts), .each = EACH_PLATFORM, .html = mx_posts_html},
	{COLUMN("合计", CELL_NUM, fig_posts)},
};
/* clang-format on */

const struct report_table report_table_matrix = {
	.file = "district_platforms.csv",
	.sheet = "区县×平台",
	.title = "区县 × 平台（作品数）",
	.shown = report_city_page,
	.cols = matrix_cols,
	.ncols = NCOLS(matrix_cols),
	.rows = units_rows,
	.html_wrap = "scroll",
	.html_attrs = "id=\"matrix-table\"",
	.html_tr = zero_tr,
};

/* ---- 趋势 ---- */

static void daily_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->ndays; i++) {
		w.day = &r->days[i];
		fn(ctx, &w);
	}
}

static void dy_date(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	c->type = CV_DATE;
	c->i = w->day->t;
}
GET(dy_posts, integer(c, w->day->posts))

/* A day has no `known` of its own: the window's says which counts exist. */
GET(dy_count, count(c, w->day->counts[k], w->r->total.known, 0, k))
GET(dy_index, real(c, w->day->index_sum))

/* clang-format off */
static const struct report_column daily_cols[] = {
	{COLUMN("日期", CELL_TEXT, dy_date)},
	{COLUMN("作品", CELL_NUM, dy_posts)},
	{COLUMN(NULL, CELL_NUM, dy_count), .each = EACH_COUNT},
	{COLUMN("互动指数", CELL_NUM, dy_index)},
};
/* clang-format on */

const struct report_table report_table_daily = {
	.file = "daily.csv",
	.sheet = "每日",
	.cols = daily_cols,
	.ncols = NCOLS(daily_cols),
	.rows = daily_rows,
	.html_wrap = "scroll",
	.html_attrs = "id=\"daily-table\"",
};

/* ---- 热门作品: the top works, and each unit's best ---- */

static void top_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->ntop; i++) {
		w.work = &r->top[i];
		w.rank = i + 1;
		fn(ctx, &w);
	}
}

/* Each unit's works, in gazetteer order; a group per unit. */
static void unit_top_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t u = 0; u < r->nunits; u++) {
		w.unit = &r->units[u];
		for (size_t i = 0; i < w.unit->nbest; i++) {
			w.work = &w.unit->best[i];
			w.rank = i + 1;
			w.group = i ? 0 : w.unit->nbest;
			fn(ctx, &w);
		}
	}
}

static void group_tr(struct out *p, const struct report_row *w)
{
	out_put(p, w->group ? "<tr class=\"g\">" : "<tr>");
}

/* The unit once per group, over its rows. */
static void unit_group_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	if (!w->group)
		return;
	out_putf(p, "<td class=\"unit\" rowspan=\"%zu\"><b>", w->group);
	out_html(p, w->unit->unit->name);
	out_put(p, "</b></td>");
}

GET(wk_title, text(c, w->work->title))

static void wk_title_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	out_put(p, "<td class=\"title\">");
	out_work_link(p, w->work->title, w->work->url);
	out_put(p, "</td>");
}

GET(wk_author, text(c, w->work->author_name))
GET(wk_district, text(c, w->work->district))
GET(wk_platform, text(c, platform_label(w->work->platform)))

static void wk_created(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	c->type = CV_TIME;
	c->i = w->work->created_at;
}

GET(wk_count, count(c, w->work->counts[k], w->work->known, w->work->lower, k))
GET(wk_index, real(c, w->work->index))
GET(wk_url, text(c, w->work->url))
GET(wk_post_id, text(c, w->work->post_id))

/* Printed, a list of works keeps views and likes of the counts. */
#define PRINT_FEW_COUNTS (~((1u << PC_VIEWS) | (1u << PC_LIKES)))

/* The columns after the unit in the lists of works. */
/* clang-format off */
#define WORK_COLUMNS_AFTER_UNIT                                                                 \
	{COLUMN("平台", CELL_TEXT, wk_platform)},                                               \
	{COLUMN("发布时间", CELL_TEXT, wk_created)},                                            \
	{COLUMN(NULL, CELL_NUM, wk_count), .each = EACH_COUNT, .no_print = PRINT_FEW_COUNTS},   \
	{COLUMN("互动指数", CELL_NUM, wk_index)},                                               \
	{COLUMN("链接", CELL_URL, wk_url), .in = IN_TEXT},                                      \
	{COLUMN("作品编号", CELL_TEXT, wk_post_id), .in = IN_TEXT}

static const struct report_column top_works_cols[] = {
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("作品", CELL_TEXT, wk_title), .html = wk_title_html},
	{COLUMN("作者", CELL_TEXT, wk_author)},
	{COLUMN("区县", CELL_TEXT, wk_district)},
	WORK_COLUMNS_AFTER_UNIT,
};

static const struct report_column unit_top_works_cols[] = {
	{COLUMN("区县", CELL_TEXT, unit_name), .html = unit_group_html},
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("作品", CELL_TEXT, wk_title), .html = wk_title_html},
	{COLUMN("作者", CELL_TEXT, wk_author)},
	WORK_COLUMNS_AFTER_UNIT,
};
/* clang-format on */

const struct report_table report_table_top_works = {
	.file = "top_works.csv",
	.sheet = "热门作品",
	.title = "全市前 20 件",
	.shown = report_city_page,
	.cols = top_works_cols,
	.ncols = NCOLS(top_works_cols),
	.rows = top_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"top-table\"",
	.html_empty = "本期无作品",
};

/* A unit's works, all of them: its page folds away those after the 20th. */
static void unit_works_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nworks; i++) {
		w.work = &r->works[i];
		w.rank = i + 1;
		fn(ctx, &w);
	}
}

/* clang-format off */
static const struct report_column unit_works_cols[] = {
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("作品", CELL_TEXT, wk_title), .html = wk_title_html},
	{COLUMN("作者", CELL_TEXT, wk_author)},
	WORK_COLUMNS_AFTER_UNIT,
};
/* clang-format on */

const struct report_table report_table_unit_works = {
	.file = "works.csv",
	.sheet = "全部作品",
	.title = "本区县全部作品",
	.shown = report_unit_page,
	.cols = unit_works_cols,
	.ncols = NCOLS(unit_works_cols),
	.rows = unit_works_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"works-table\"",
	.html_empty = "本期无作品",
};

/* The works in Chongqing without a unit, best first. */
static void unplaced_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nunplaced; i++) {
		w.work = &r->unplaced[i];
		w.rank = i + 1;
		fn(ctx, &w);
	}
}

GET(wk_platform_name, text(c, w->work->platform))
GET(empty_cell, text(c, ""))

/* The last four columns are `kepu district apply`'s: a district fills in
 * unit (and note) and hands the file back. */
/* clang-format off */
static const struct report_column unplaced_cols[] = {
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("作品", CELL_TEXT, wk_title), .html = wk_title_html},
	{COLUMN("作者", CELL_TEXT, wk_author)},
	WORK_COLUMNS_AFTER_UNIT,
	{COLUMN("platform", CELL_TEXT, wk_platform_name), .in = IN_DATA},
	{COLUMN("post_id", CELL_TEXT, wk_post_id), .in = IN_DATA},
	{COLUMN("unit", CELL_TEXT, empty_cell), .in = IN_DATA},
	{COLUMN("note", CELL_TEXT, empty_cell), .in = IN_DATA},
};
/* clang-format on */

const struct report_table report_table_unplaced = {
	.file = "unplaced_works.csv",
	.sheet = "未归属作品",
	.title = "未归属区县的重庆作品",
	.shown = report_city_page,
	.people_rows = REPORT_PEOPLE_UNPLACED,
	.cols = unplaced_cols,
	.ncols = NCOLS(unplaced_cols),
	.rows = unplaced_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"unplaced-table\"",
	.html_empty = "本期没有未归属区县的重庆作品",
};

const struct report_table report_table_unit_top_works = {
	.file = "district_top_works.csv",
	.sheet = "各区县热门作品",
	.title = "各区县前 3 件",
	.shown = report_city_page,
	.cols = unit_top_works_cols,
	.ncols = NCOLS(unit_top_works_cols),
	.rows = unit_top_rows,
	.html_wrap = "scroll",
	.html_attrs = "id=\"unit-top-table\"",
	.html_tr = group_tr,
};

/* ---- 话题 ---- */

static void hashtags_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nhashtags; i++) {
		w.tag = &r->hashtags[i];
		w.rank = i + 1;
		fn(ctx, &w);
	}
}

GET(hs_tag, text(c, w->tag->tag))

static void hs_tag_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	out_put(p, "<td data-v=\"");
	out_html(p, w->tag->tag);
	out_put(p, "\">#");
	out_html(p, w->tag->tag);
	out_put(p, "#</td>");
}

GET(hs_posts, integer(c, w->tag->posts))

/* A bar scaled to the top tag. */
static void hs_bar_html(struct out *p, const struct report_row *w, int k)
{
	long max = w->v->top_tag;

	(void)k;
	out_putf(p, "<td class=\"hbar\"><div class=\"hb\" style=\"width:%.1f%%\"></div></td>",
		 max ? 100.0 * (double)w->tag->posts / (double)max : 0.0);
}

/* clang-format off */
static const struct report_column hashtags_cols[] = {
	{COLUMN("排名", CELL_NUM, get_rank)},
	{COLUMN("话题", CELL_TEXT, hs_tag), .html = hs_tag_html},
	{COLUMN("作品", CELL_NUM, hs_posts)},
	{COLUMN("", CELL_TEXT, NULL), .in = IN_HTML, .html = hs_bar_html},
};
/* clang-format on */

const struct report_table report_table_hashtags = {
	.file = "hashtags.csv",
	.sheet = "话题",
	.cols = hashtags_cols,
	.ncols = NCOLS(hashtags_cols),
	.rows = hashtags_rows,
	.html_wrap = "scroll free",
	.html_attrs = "class=\"hashtags-table\"",
	.html_empty = "本期无话题",
};

/* ---- 数据质量: how posts were given a unit, and the sources ---- */

static void attribution_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);
	const struct {
		const char *label, *key;
		long n, all;
	} loc[] = {
		{"在重庆但区县未知", "in_chongqing_unit_unknown", r->in_cq_no_unit, r->all_posts},
		{"重庆以外", "outside_chongqing", r->outside, r->all_posts},
		{"地点未知", "location_unknown", r->no_location, r->all_posts},
		/* the deleted are a share of every post of the window */
		{r->include_deleted ? "平台已删除（已计入）" : "平台已删除（未计入）", "deleted", r->deleted,
		 r->all_posts + (r->include_deleted ? 0 : r->deleted)},
	};

	for (int i = 0; i < REPORT_METHODS; i++) {
		w.label = report_method_labels[i];
		w.key = report_methods[i];
		w.n = r->by_method[i];
		w.all = r->all_posts;
		fn(ctx, &w);
	}
	for (size_t i = 0; i < sizeof(loc) / sizeof(loc[0]); i++) {
		w.group = i ? 0 : sizeof(loc) / sizeof(loc[0]); /* where the posts are */
		w.label = loc[i].label;
		w.key = loc[i].key;
		w.n = loc[i].n;
		w.all = loc[i].all;
		fn(ctx, &w);
	}
}

static void at_tr(struct out *p, const struct report_row *w)
{
	out_put(p, w->group ? "</tbody><tbody class=\"loc\">\n<tr>" : "<tr>");
}

GET(at_label, text(c, w->label))

static void at_label_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	out_put(p, "<td>");
	out_html(p, w->label);
	out_put(p, "</td>");
}

GET(at_key, text(c, w->key))
GET(at_posts, integer(c, w->n))

static void at_share(const struct report_row *w, int k, struct cell *c)
{
	double x = report_pct((double)w->n, (double)w->all);

	(void)k;
	share(c, x, x);
}

/* clang-format off */
static const struct report_column attribution_cols[] = {
	{COLUMN("归属依据", CELL_TEXT, at_label), .html = at_label_html},
	{COLUMN("标识", CELL_TEXT, at_key)},
	{COLUMN("作品", CELL_NUM, at_posts)},
	{COLUMN("占比", CELL_NUM, at_share)},
};
/* clang-format on */

const struct report_table report_table_attribution = {
	.file = "attribution.csv",
	.sheet = "数据质量",
	.title = "区县归属依据",
	.cols = attribution_cols,
	.ncols = NCOLS(attribution_cols),
	.rows = attribution_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"attribution-table\"",
	.html_tr = at_tr,
};

static void sources_rows(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx)
{
	struct report_row w = row_of(r, v);

	for (size_t i = 0; i < r->nsources; i++) {
		w.source = &r->sources[i];
		fn(ctx, &w);
	}
}

GET(src_name, text(c, w->source->name))

static void src_state_html(struct out *p, const struct report_row *w, int k)
{
	const struct report_source *s = w->source;

	(void)k;
	if (!s->last_ok)
		out_put(p, "<td><span class=\"badge bad\">从未成功</span></td>");
	else if (s->gap_hi)
		out_put(p, "<td><span class=\"badge bad\">有未读时段</span></td>");
	else if (s->last_error_at > s->last_ok)
		out_put(p, "<td><span class=\"badge bad\">最近出错</span></td>");
	else
		out_put(p, "<td><span class=\"badge ok\">正常</span></td>");
}

static void src_ok(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->source->last_ok)
		moment(c, w->source->last_ok);
	else
		text(c, "从未成功");
}

GET(src_error_at, moment(c, w->source->last_error_at))
GET(src_error, text(c, w->source->last_error))

static void src_error_html(struct out *p, const struct report_row *w, int k)
{
	(void)k;
	out_put(p, "<td style=\"white-space:normal;min-width:14em\">");
	if (w->source->last_error)
		out_html(p, w->source->last_error);
	else
		out_put(p, "<span class=\"na\">—</span>");
	out_put(p, "</td>");
}

static void src_gap_from(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->source->gap_hi)
		moment(c, w->source->gap_lo);
}

GET(src_gap_to, moment(c, w->source->gap_hi))

static void src_gap_why(const struct report_row *w, int k, struct cell *c)
{
	(void)k;
	if (w->source->gap_hi)
		text(c, w->source->gap_capped ? "平台不再列出更早的结果，可能缺失" : "后续采集将补读");
}

/* A moment in an HTML cell: 9月4日 10:54, "—" for none. */
static void minute_or_dash(int64_t t, char out[HUMAN_SIZE])
{
	if (t)
		human_datetime(t, out);
	else
		snprintf(out, HUMAN_SIZE, "—");
}

/* The gap as one cell: from, to and why. */
static void src_gap_html(struct out *p, const struct report_row *w, int k)
{
	const struct report_source *s = w->source;
	char lo[HUMAN_SIZE], hi[HUMAN_SIZE];

	(void)k;
	out_put(p, "<td class=\"gap\">");
	if (s->gap_hi) {
		minute_or_dash(s->gap_lo, lo);
		minute_or_dash(s->gap_hi, hi);
		out_putf(p, "%s 至 %s<br><small>%s</small>", lo, hi,
			 s->gap_capped ? "平台不再列出更早的结果，可能缺失；见 README 的 Gaps" : "后续采集将补读");
	} else
		out_put(p, "<span class=\"na\">—</span>");
	out_put(p, "</td>");
}

GET(src_backfill, moment(c, w->source->backfill_at))

/* When, and the days it read. */
static void src_backfill_html(struct out *p, const struct report_row *w, int k)
{
	const struct report_source *s = w->source;
	char at[HUMAN_SIZE], lo[HUMAN_SIZE], hi[HUMAN_SIZE];

	(void)k;
	if (!s->backfill_at) {
		out_put(p, "<td><span class=\"na\">—</span></td>");
		return;
	}
	minute_or_dash(s->backfill_at, at);
	out_putf(p, "<td>%s<br><small>%s 至 %s</small></td>", at, human_date_short(s->backfill_since, lo),
		 human_date_short(s->backfill_until - 1, hi));
}

/* clang-format off */
static const struct report_column sources_cols[] = {
	{COLUMN("数据源", CELL_TEXT, src_name)},
	{COLUMN("状态", CELL_TEXT, NULL), .in = IN_HTML, .html = src_state_html},
	{COLUMN("最近一次成功采集", CELL_TEXT, src_ok)},
	{COLUMN("最近一次错误时间", CELL_TEXT, src_error_at)},
	{COLUMN("最近一次错误", CELL_TEXT, src_error), .html = src_error_html},
	{COLUMN("未读时段起", CELL_TEXT, src_gap_from), .in = IN_TEXT},
	{COLUMN("未读时段止", CELL_TEXT, src_gap_to), .in = IN_TEXT},
	{COLUMN("未读原因", CELL_TEXT, src_gap_why), .in = IN_TEXT},
	{COLUMN("未读时段", CELL_TEXT, NULL), .in = IN_HTML, .html = src_gap_html},
	{COLUMN("最近一次完整回补", CELL_TEXT, src_backfill), .html = src_backfill_html},
};
/* clang-format on */

const struct report_table report_table_sources = {
	.file = "sources.csv",
	.sheet = "采集状态",
	.title = "采集状态",
	.cols = sources_cols,
	.ncols = NCOLS(sources_cols),
	.rows = sources_rows,
	.html_wrap = "scroll free",
	.html_attrs = "id=\"sources-table\"",
	.html_empty = "尚无采集记录（数据来自导入）",
};
