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

/* A page with targets: its own, or (the city's) some unit's. */
static int with_targets(const struct report *r)
{
	return report_targets_shown(r) || (!r->district && r->unit_targets);
}

/* The city's page of a gazetteer with regional groups. */
static int city_with_groups(const struct report *r)
{
	return !r->district && r->ngroups > 0;
}

#define TABLES(...) ((const struct report_table *const[]){__VA_ARGS__, NULL})
#define NO_TABLES ((const struct report_table *const[]){NULL})

/*
 * The report, in the order every format shows it.  Each section: {id,
 * heading, the page it is on (NULL: both), its tables, Markdown after the
 * tables, the HTML body, the JSON keys, the JSON keys after every other
 * section's}.  The overview and the leaderboard come first, so that they
 * are on the first printed pages (the overview shows the targets' bars;
 * their tables come after the rankings).  A unit's page shows its authors
 * where the city's shows the leaderboard; the JSON, which is the whole model, has both (README
 * "Report JSON" lists a unit's authors last).
 */
const struct report_section report_sections[] = {
	{"overview", "总览", NULL, TABLES(&report_table_overview), NULL, report_html_overview, report_json_overview, 0},
	{"leaderboard", "区县排行", report_city_page, TABLES(&report_table_leaderboard), report_md_leaderboard,
	 report_html_leaderboard, report_json_leaderboard, 0},
	{"groups", "分区域排行", city_with_groups, TABLES(&report_table_groups, &report_table_group_ranks), NULL,
	 report_html_groups, report_json_groups, 0},
	{"targets", "目标进度", with_targets, TABLES(&report_table_targets, &report_table_unit_targets), NULL,
	 report_html_targets, report_json_targets, 0},
	{"authors", "作者", report_unit_page, TABLES(&report_table_authors), NULL, report_html_authors,
	 report_json_authors, 1},
	{"platforms", "平台", NULL, TABLES(&report_table_platforms, &report_table_matrix), NULL, report_html_platforms,
	 report_json_platforms, 0},
	{"trend", "趋势", NULL, TABLES(&report_table_daily), report_md_trend, report_html_trend, report_json_trend, 0},
	{"top-works", "热门作品", NULL,
	 TABLES(&report_table_top_works, &report_table_unit_works, &report_table_unit_top_works, &report_table_unplaced),
	 report_md_top_works, report_html_top_works, report_json_top_works, 0},
	{"hashtags", "话题", NULL, TABLES(&report_table_hashtags), NULL, report_html_hashtags, report_json_hashtags, 0},
	{"data-quality", "数据质量", NULL, TABLES(&report_table_attribution, &report_table_sources), NULL,
	 report_html_quality, report_json_quality, 0},
	{"notes", "指标说明", NULL, NO_TABLES, report_md_notes, report_html_notes, NULL, 0},
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

int report_view_init(struct report_view *v, const struct report *r, struct kerr *e)
{
	memset(v, 0, sizeof(*v));
	if (!(v->order = malloc((r->nunits ? r->nunits : 1) * sizeof(*v->order))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	report_rank_order(r, v->order, 0);
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

const char *report_attention_text(const struct report *r, const struct report_unit *u, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (u->attention & REPORT_ATTN_NO_POSTS)
		n += (size_t)snprintf(buf + n, size - n, "本期无作品");
	if ((u->attention & REPORT_ATTN_FEW_POSTS) && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s作品少于 %ld 件", n ? "；" : "", r->attention_min_posts);
	if ((u->attention & REPORT_ATTN_LOW_SHARE) && n < size)
		snprintf(buf + n, size - n, "%s指数占比低于 %.1f%%", n ? "；" : "", r->attention_min_share);
	return buf;
}

/* The references of the counts that weigh: "播放 100,000、点赞 10,000、..." */
static void references_text(const struct report *r, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = 0; k < PC_N && n < size; k++) {
		char num[HUMAN_SIZE];
		if (r->scoring.weight[k] <= 0)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s %s", n ? "、" : "", report_count_labels[k],
				      human_int((int64_t)r->scoring.reference[k], num));
	}
}

/* The comparison's note: which columns compare with what. */
static void change_note(const struct report *r, char *buf, size_t size)
{
	char cmp[256];

	if (r->compare == REPORT_COMPARE_PREVIOUS)
		snprintf(buf, size,
			 "与同样长度的上一时段相比：↑3 为排名上升 3 位，↓ 为下降，“新”为上期无作品；指数变化为互动指数的增减百分比。%s。",
			 report_comparison_text(r, cmp, sizeof(cmp)));
	else if (r->compare == REPORT_COMPARE_HALVES)
		snprintf(buf, size, "对比：%s；因此总览比较统计时段的后半程与前半程，排行不显示排名变化。",
			 report_comparison_text(r, cmp, sizeof(cmp)));
	else
		snprintf(buf, size, "对比：%s；因此不显示变化。", report_comparison_text(r, cmp, sizeof(cmp)));
}

void report_notes(const struct report *r, void (*fn)(void *ctx, const char *term, const char *text), void *ctx)
{
	char buf[1024], refs[256], more[128] = "";

	fn(ctx, "作品", r->scope_all ? "统计时段内发布、带活动话题的全部作品（按发布时间，北京时间）；平台已删除的作品不计。"
				      : "统计时段内发布、带活动话题、属地为重庆的作品（按发布时间，北京时间）；平台已删除的作品不计。");
	fn(ctx, "作者", "不同作者的人数，按平台与账号区分。");
	fn(ctx, "互动量", "点赞、评论、转发、收藏之和，只计平台提供的项；不含播放。");
	references_text(r, refs, sizeof(refs));
	snprintf(buf, sizeof(buf),
		 "衡量一件作品受关注的程度：各项数据取对数后与参考值（%s）相比，加权平均后乘以 100。"
		 "一件作品各项都达到参考值时为 100；取对数使一条爆款不会淹没其他作品；平台不提供的项不计入，"
		 "不同平台因此可以比较。区县、平台、每日的互动指数是其作品指数之和，篇均为平均每件作品的指数，"
		 "占比为占全市互动指数的百分比。",
		 refs);
	fn(ctx, "互动指数", buf);
	fn(ctx, "排名", "按互动指数从高到低，相同时作品多者在前；本期无作品的区县并列最后一名。");
	change_note(r, buf, sizeof(buf));
	fn(ctx, "变化", buf);
	if (r->attention_min_posts > 1)
		snprintf(more, sizeof(more), "、作品少于 %ld 件", r->attention_min_posts);
	if (r->attention_min_share > 0)
		snprintf(more + strlen(more), sizeof(more) - strlen(more), "或互动指数占比低于 %.1f%%",
			 r->attention_min_share);
	snprintf(buf, sizeof(buf), "本期无作品%s的区县（阈值由配置 report.attention 设定）。", more);
	fn(ctx, "需关注", buf);
	fn(ctx, "—", "平台不提供该项数据（例如微博不提供播放量，B 站不提供转发数），不是 0；"
		     "“100,000+”表示平台只给出了下限。");
	fn(ctx, "区县归属", "依次依据官方账号登记、作者名称、标题与正文中的区县名、地名、个人资料所在地判断；"
			   "只知 IP 属地在重庆的作品计入“重庆（区县未知）”，区县可在工作台认领。");
}

const char *report_comparison_text(const struct report *r, char *buf, size_t size)
{
	char a[HUMAN_SIZE], b[HUMAN_SIZE], c[HUMAN_SIZE], d[HUMAN_SIZE];
	int64_t len = r->until_t - r->since_t;

	switch (r->compare) {
	case REPORT_COMPARE_PREVIOUS:
		snprintf(buf, size, "上期 %s 至 %s（同样长度的前一时段）", human_date_long(r->since_t - len, a),
			 human_date_long(r->since_t - 1, b));
		break;
	case REPORT_COMPARE_HALVES:
		snprintf(buf, size, "后半程 %s—%s 对比前半程 %s—%s（上一时段早于活动开始，无可比数据）",
			 human_date_short(r->second_since, a), human_date_short(r->until_t - 1, b),
			 human_date_short(r->since_t, c), human_date_short(r->first_until - 1, d));
		break;
	case REPORT_COMPARE_NONE: snprintf(buf, size, "无（上一时段早于活动开始，统计时段只有一天）"); break;
	}
	return buf;
}

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
	case CV_MOVE:
		if (c->lower)
			return NULL;
		snprintf(buf, 64, "%" PRId64, c->i);
		return buf;
	}
	return NULL;
}

/* ↑3, ↓2, 持平, 新 (no place in the previous period) */
static const char *move_text(const struct cell *c, char buf[64])
{
	if (c->lower)
		return "新";
	if (!c->i)
		return "持平";
	snprintf(buf, 64, "%s%" PRId64, c->i > 0 ? "↑" : "↓", c->i > 0 ? c->i : -c->i);
	return buf;
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
	case CV_MOVE: return move_text(c, buf);
	default: return report_cell_text(c, buf);
	}
}

int report_col_in(const struct report_column *c, enum col_in fmt)
{
	switch (c->in) {
	case IN_ALL: return 1;
	case IN_TEXT: return fmt == IN_TEXT || fmt == IN_MD;
	case IN_HTML: return fmt == IN_HTML;
	case IN_DATA: return fmt == IN_TEXT;
	case IN_MD: return fmt == IN_MD;
	}
	return 0;
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
	if (c->shown && !c->shown(r))
		return -1;
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
