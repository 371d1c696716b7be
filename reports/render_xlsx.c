/*
 * render_xlsx.c: the report as an Excel workbook: a sheet per table of
 * report_sections[] (sections.h), named by the table's `sheet`, with the
 * columns Markdown and CSV show, each cell as xlsx.h writes its type; the
 * window, the scope and how to read the figures in notes under the
 * overview, and in the document's properties.
 *
 * Not for: the cells' formats (xlsx.c) or what the tables hold (tables.c).
 */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "sections.h"
#include "xlsx.h"

struct xl_rows {
	struct xlsx_sheet *s;
	const struct report_table *t;
};

static void xl_row(void *ctx, const struct report_row *w)
{
	const struct xl_rows *m = ctx;
	lxw_col_t col = 0;

	m->s->row++;
	for (size_t i = 0; i < m->t->ncols; i++) {
		const struct report_column *c = &m->t->cols[i];
		if (!report_col_in(c, IN_TEXT))
			continue;
		for (int k = report_col_first(c, w->r); k >= 0; k = report_col_next(c, w->r, k)) {
			struct cell v;

			memset(&v, 0, sizeof(v));
			c->get(w, k, &v);
			xlsx_cell(m->s, col++, c->kind, &v);
		}
	}
}

/* What the workbook covers and how to read it, under the first table
 * (the overview's). */
static void xl_about(struct xlsx_sheet *s, const struct report *r)
{
	char line[512], asof[32], gen[32];
	lxw_row_t row = s->row + 2;

	report_minute(r->as_of, asof);
	report_minute(r->generated_at, gen);
	snprintf(line, sizeof(line), "%s 传播数据报告%s%s", r->campaign, r->district ? "：" : "",
		 r->district ? r->district->name : "");
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "统计时段：%s 至 %s（北京时间，按发布时间）", r->since, r->until);
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "互动数据截至：%s%s", asof, r->as_of_given ? "" : "（最新）");
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "范围：%s", r->scope_all ? "全部作品" : "属地为重庆的作品");
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "对比时段（上期）：%s 至 %s", r->previous_since, r->previous_until);
	xlsx_note(s, row++, line);
	snprintf(line, sizeof(line), "生成时间：%s", gen);
	xlsx_note(s, row++, line);
	xlsx_note(s, row++, "读表：时间均为北京时间（UTC+8）；空白表示平台不提供该项数据或无从计算，不是 0；");
	xlsx_note(s, row++,
		  "带“+”的数（如 100,000+）是下限：平台只显示到“10万+”这一级，实际不少于此数，单元格批注有说明；");
	xlsx_note(
		s, row,
		"互动指数为各作品指数之和，篇均为其平均，占比为占全市指数之比，公式见 README 的 “Engagement index”。");
}

/* Table t on a sheet of its own; the notes under it when it is the first. */
static void xl_table(struct xlsx_book *b, const struct report_table *t, const struct report *r,
		     const struct report_view *v, int first)
{
	struct xlsx_sheet s;
	struct xl_rows m = {&s, t};
	lxw_col_t col = 0;

	xlsx_sheet_begin(b, &s, t->sheet);
	for (size_t i = 0; i < t->ncols; i++)
		for (int k = report_col_first(&t->cols[i], r); k >= 0 && report_col_in(&t->cols[i], IN_TEXT);
		     k = report_col_next(&t->cols[i], r, k))
			xlsx_header(&s, col++, report_col_header(&t->cols[i], k, 0));
	t->rows(r, v, xl_row, &m);
	xlsx_sheet_end(&s);
	if (first)
		xl_about(&s, r);
}

static void xl_properties(struct xlsx_book *b, const struct report *r)
{
	char title[256], subject[128], comments[256], asof[32], gen[32];
	struct xlsx_props p;

	report_minute(r->as_of, asof);
	report_minute(r->generated_at, gen);
	snprintf(title, sizeof(title), "%s 传播数据报告%s%s", r->campaign, r->district ? "：" : "",
		 r->district ? r->district->name : "");
	snprintf(subject, sizeof(subject), "统计时段 %s 至 %s（北京时间）", r->since, r->until);
	snprintf(comments, sizeof(comments), "互动数据截至 %s；范围：%s；生成于 %s", asof,
		 r->scope_all ? "全部作品" : "属地为重庆的作品", gen);
	memset(&p, 0, sizeof(p));
	p.title = title;
	p.subject = subject;
	p.keywords = r->campaign;
	p.comments = comments;
	p.campaign = r->campaign;
	p.since = r->since;
	p.until = r->until;
	p.created = r->generated_at;
	xlsx_properties(b, &p);
}

int report_render_xlsx(const struct report *r, const char *path, struct kerr *e)
{
	struct report_view v;
	struct xlsx_book b;
	int rc, first = 1;

	if (report_view_init(&v, r, e) < 0)
		return -1;
	if (xlsx_open(&b, path, 0, e) < 0) {
		report_view_release(&v);
		return -1;
	}
	xl_properties(&b, r);
	for (size_t s = 0; s < report_nsections; s++) {
		if (!report_section_shown(&report_sections[s], r))
			continue;
		for (const struct report_table *const *t = report_sections[s].tables; *t; t++)
			if (report_table_shown(*t, r)) {
				xl_table(&b, *t, r, &v, first);
				first = 0;
			}
	}
	rc = xlsx_close(&b);
	report_view_release(&v);
	return rc;
}
