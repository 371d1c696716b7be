/*
 * render_md.c: the report as Markdown: a header, then the tables of
 * tables.c under the seven section headings, plus a sparkline of daily
 * posts per unit.  Post text is escaped (escape.h) so that it can neither
 * break a table nor inject HTML or links into a Markdown viewer.
 */
#include <inttypes.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/timefmt.h"
#include "escape.h"
#include "report.h"
#include "tables.h"

static int md_table(struct kbuf *b, const struct table *t, struct kerr *e)
{
	if (t->title && kbuf_addf(b, e, "**%s**\n\n", t->title) < 0)
		return -1;
	if (kbuf_adds(b, "|", e) < 0)
		return -1;
	for (size_t c = 0; c < t->ncols; c++)
		if (kbuf_addf(b, e, " %s |", t->heads[c]) < 0)
			return -1;
	if (kbuf_adds(b, "\n|", e) < 0)
		return -1;
	for (size_t c = 0; c < t->ncols; c++)
		if (kbuf_adds(b, t->kinds[c] == CELL_NUM ? "---:|" : "---|", e) < 0)
			return -1;
	if (kbuf_addc(b, '\n', e) < 0)
		return -1;
	for (size_t r = 0; r < t->nrows; r++) {
		if (kbuf_adds(b, "|", e) < 0)
			return -1;
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];
			if (kbuf_addc(b, ' ', e) < 0)
				return -1;
			if (t->kinds[c] == CELL_URL && esc_url_ok(v)) {
				if (kbuf_adds(b, "[链接](", e) < 0 || esc_url(b, v, e) < 0 || kbuf_addc(b, ')', e) < 0)
					return -1;
			} else if (esc_md(b, v, t->kinds[c] == CELL_TEXT ? 40 : 0, e) < 0)
				return -1;
			if (kbuf_adds(b, " |", e) < 0)
				return -1;
		}
		if (kbuf_addc(b, '\n', e) < 0)
			return -1;
	}
	return kbuf_addc(b, '\n', e);
}

/* ▁▂▃▅▇ for a unit's daily posts: a trend at a glance in plain text. */
static int sparkline(struct kbuf *b, const long *v, size_t n, struct kerr *e)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	long max = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (size_t i = 0; i < n; i++)
		if (kbuf_adds(b, max ? bars[v[i] * 7 / max] : bars[0], e) < 0)
			return -1;
	return 0;
}

int report_render_md(const struct report *r, FILE *out, struct kerr *e)
{
	static const char *const sections[] = {"总览", "区县排行", "作者", "平台", "趋势", "热门作品", "话题", "数据质量"};
	struct tables ts;
	struct kbuf b;
	char gen[32], asof[32];
	int rc = -1;

	if (report_tables(r, &ts, e) < 0)
		return -1;
	kbuf_init(&b, 256 * 1024 * 1024);
	ktime_format_cst(r->generated_at, gen);
	ktime_format_cst(r->as_of, asof);
	if (kbuf_adds(&b, "# ", e) < 0 || esc_md(&b, r->campaign, 0, e) < 0 ||
	    kbuf_addf(&b, e, " 传播数据报告%s%s\n\n", r->district ? "：" : "", r->district ? r->district->name : "") < 0 ||
	    kbuf_addf(&b, e,
		      "- 统计时段：%s 至 %s（北京时间，按发布时间）\n"
		      "- 互动数据截至：%s%s\n"
		      "- 范围：%s\n"
		      "- 对比时段：%s 至 %s\n"
		      "- 生成时间：%s\n\n",
		      r->since, r->until, asof, r->as_of_given ? "" : "（最新）",
		      r->scope_all ? "全部作品" : "属地为重庆的作品", r->previous_since, r->previous_until, gen) < 0)
		goto out;
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		int any = 0;
		for (size_t i = 0; i < ts.n; i++) {
			if (strcmp(ts.t[i].section, sections[s]))
				continue;
			if (!any && kbuf_addf(&b, e, "## %s\n\n", sections[s]) < 0)
				goto out;
			any = 1;
			if (md_table(&b, &ts.t[i], e) < 0)
				goto out;
		}
		if (any && !strcmp(sections[s], "区县排行") &&
		    kbuf_adds(&b, "互动指数为各作品指数之和，篇均为其平均，占比为占全市指数之比；"
				  "公式见 README 的 “Engagement index”。“—”表示平台不提供该项数据。\n\n", e) < 0)
			goto out;
		if (!strcmp(sections[s], "趋势") && !r->district) {
			if (kbuf_adds(&b, "**各区县每日作品**\n\n| 区县 | 每日作品 | 合计 |\n|---|---|---:|\n", e) < 0)
				goto out;
			for (size_t i = 0; i < r->nunits; i++)
				if (kbuf_addf(&b, e, "| %s | ", r->units[i].unit->name) < 0 ||
				    sparkline(&b, r->units[i].daily, r->ndays, e) < 0 ||
				    kbuf_addf(&b, e, " | %ld |\n", r->units[i].t.posts) < 0)
					goto out;
			if (kbuf_addc(&b, '\n', e) < 0)
				goto out;
		}
	}
	if (fwrite(b.data, 1, b.len, out) != b.len || fflush(out) != 0) {
		kerr_set(e, KERR_IO, "cannot write the report");
		goto out;
	}
	rc = 0;
out:
	kbuf_release(&b);
	report_tables_release(&ts);
	return rc;
}
