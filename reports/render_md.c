/*
 * render_md.c: the report as Markdown: a header, then each section of
 * report_sections[] (sections.h) under its heading with its tables, plus
 * a sparkline of daily posts per unit.  Post text is escaped (escape.h) so
 * that it can neither break a table nor inject HTML or links into a
 * Markdown viewer.
 */
#include <string.h>

#include "../util/human.h"
#include "escape.h"
#include "report.h"
#include "sections.h"

struct md_rows {
	struct out *p;
	const struct report_table *t;
	size_t n; /* rows written */
};

/* One row: each column's cell, escaped; text cut to 40 characters. */
static void md_row(void *ctx, const struct report_row *w)
{
	struct md_rows *m = ctx;
	struct out *p = m->p;

	if (m->t->people_rows && m->n >= m->t->people_rows)
		return;
	m->n++;
	out_put(p, "|");
	for (size_t i = 0; i < m->t->ncols; i++) {
		const struct report_column *c = &m->t->cols[i];
		if (!report_col_in(c, IN_MD))
			continue;
		for (int k = report_col_first(c, w->r); k >= 0; k = report_col_next(c, w->r, k)) {
			struct cell v;
			char buf[64];
			const char *s;

			memset(&v, 0, sizeof(v));
			c->get(w, k, &v);
			s = report_cell_human(&v, buf);
			out_put(p, " ");
			if (c->kind == CELL_URL && esc_url_ok(s)) {
				out_put(p, "[链接](");
				out_url(p, s);
				out_put(p, ")");
			} else
				out_md(p, s, c->kind == CELL_TEXT ? 40 : 0);
			out_put(p, " |");
		}
	}
	out_put(p, "\n");
}

static void md_table(struct out *p, const struct report_table *t, const struct report *r, const struct report_view *v)
{
	struct md_rows m = {p, t, 0};
	const char *title = report_table_title(t, r);

	if (title)
		out_putf(p, "**%s**\n\n", title);
	out_put(p, "|");
	for (size_t i = 0; i < t->ncols; i++)
		for (int k = report_col_first(&t->cols[i], r); k >= 0 && report_col_in(&t->cols[i], IN_MD);
		     k = report_col_next(&t->cols[i], r, k))
			out_putf(p, " %s |", report_col_header(&t->cols[i], k, 0));
	out_put(p, "\n|");
	for (size_t i = 0; i < t->ncols; i++)
		for (int k = report_col_first(&t->cols[i], r); k >= 0 && report_col_in(&t->cols[i], IN_MD);
		     k = report_col_next(&t->cols[i], r, k))
			out_put(p, t->cols[i].kind == CELL_NUM ? "---:|" : "---|");
	out_put(p, "\n");
	t->rows(r, v, md_row, &m);
	out_put(p, "\n");
}

/* ▁▂▃▅▇ for a unit's daily posts: a trend at a glance in plain text. */
static void sparkline(struct out *p, const long *v, size_t n)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	long max = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (size_t i = 0; i < n; i++)
		out_put(p, max ? bars[v[i] * 7 / max] : bars[0]);
}

void report_md_leaderboard(struct out *p, const struct report *r, const struct report_view *v)
{
	char cmp[256];

	(void)v;
	out_put(p, "按互动指数排名，本期无作品的区县并列最后一名；");
	if (r->compare == REPORT_COMPARE_PREVIOUS)
		out_put(p, "排名变化与指数变化对比上期（↑ 上升，↓ 下降，“新”为上期无作品）；");
	else
		out_putf(p, "不显示排名变化（%s）；", report_comparison_text(r, cmp, sizeof(cmp)));
	out_put(p, "各项含义见“指标说明”。\n\n");
}

/* The city's page: each unit's daily posts as a sparkline. */
void report_md_trend(struct out *p, const struct report *r, const struct report_view *v)
{
	char n[HUMAN_SIZE];

	(void)v;
	if (r->district)
		return;
	out_put(p, "**各区县每日作品**\n\n| 区县 | 每日作品 | 合计 |\n|---|---|---:|\n");
	for (size_t i = 0; i < r->nunits; i++) {
		out_putf(p, "| %s | ", r->units[i].unit->name);
		sparkline(p, r->units[i].daily, r->ndays);
		out_putf(p, " | %s |\n", human_int(r->units[i].t.posts, n));
	}
	out_put(p, "\n");
}

/* After the works: how many works in Chongqing have no unit, and how a
 * district claims them. */
void report_md_top_works(struct out *p, const struct report *r, const struct report_view *v)
{
	char n[HUMAN_SIZE];

	(void)v;
	if (r->district)
		return;
	out_putf(p, "属地为重庆但未能确定区县的作品共 %s 件", human_int(r->unplaced_total, n));
	if ((size_t)r->unplaced_total > REPORT_PEOPLE_UNPLACED)
		out_putf(p, "，上表为互动指数最高的 %d 件，全部见 CSV 的 unplaced_works.csv", REPORT_PEOPLE_UNPLACED);
	out_put(p, "；区县可在工作台认领，或在该 CSV 的 unit 列填写区县后用 `kepu district apply` 批量认领。\n\n");
}

static void md_note(void *ctx, const char *term, const char *text)
{
	out_putf(ctx, "- **%s**：", term);
	out_put(ctx, text);
	out_put(ctx, "\n");
}

void report_md_notes(struct out *p, const struct report *r, const struct report_view *v)
{
	(void)v;
	report_notes(r, md_note, p);
	out_put(p, "\n");
}

static void md_header(struct out *p, const struct report *r)
{
	char gen[HUMAN_SIZE], asof[HUMAN_SIZE], since[HUMAN_SIZE], until[HUMAN_SIZE], cmp[256];

	out_put(p, "# ");
	out_md(p, r->campaign, 0);
	out_putf(p, " 传播数据报告%s%s\n\n", r->district ? "：" : "", r->district ? r->district->name : "");
	out_putf(p,
		 "- 统计时段：%s 至 %s（北京时间，按发布时间）\n"
		 "- 互动数据截至：%s%s\n"
		 "- 范围：%s\n"
		 "- 对比：%s\n"
		 "- 生成时间：%s\n\n",
		 human_date_long(r->since_t, since), human_date_long(r->until_t - 1, until), human_datetime(r->as_of, asof),
		 r->as_of_given ? "" : "（最新）", r->scope_all ? "全部作品" : "属地为重庆的作品",
		 report_comparison_text(r, cmp, sizeof(cmp)), human_datetime(r->generated_at, gen));
}

int report_render_md(const struct report *r, FILE *out, struct kerr *e)
{
	struct report_view v;
	struct out p;
	int rc;

	if (report_view_init(&v, r, e) < 0)
		return -1;
	out_init(&p, e);
	md_header(&p, r);
	for (size_t s = 0; s < report_nsections; s++) {
		const struct report_section *sec = &report_sections[s];
		if (!report_section_shown(sec, r))
			continue;
		out_putf(&p, "## %s\n\n", sec->heading);
		for (const struct report_table *const *t = sec->tables; *t; t++)
			if (report_table_shown(*t, r))
				md_table(&p, *t, r, &v);
		if (sec->md)
			sec->md(&p, r, &v);
	}
	rc = out_flush(&p, out, "the report");
	report_view_release(&v);
	return rc;
}
