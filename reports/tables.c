/*
 * tables.c: the report model as tables (see tables.h).  The figures are
 * the model's; this only formats numbers.  A table is built column by
 * column, then cell by cell: each row ends with row_end(), which checks
 * that it filled every column; any failure marks the table bad, and
 * report_tables() reports it once at the end.
 */
#include "tables.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timefmt.h"

static struct table *table_new(struct tables *ts, const char *file, const char *section, const char *title)
{
	struct table *nt = realloc(ts->t, (ts->n + 1) * sizeof(*nt)), *t;

	if (!nt) {
		ts->nomem = 1;
		return NULL;
	}
	ts->t = nt;
	t = &nt[ts->n++];
	memset(t, 0, sizeof(*t));
	t->file = file;
	t->section = section;
	t->title = title;
	return t;
}

/* Add a column; only before the first cell. */
static void col(struct table *t, const char *head, enum cell_kind kind)
{
	const char **h;
	enum cell_kind *k;

	if (t->bad)
		return;
	if (t->ncells) {
		t->bad = 1;
		return;
	}
	h = realloc(t->heads, (t->ncols + 1) * sizeof(*h));
	if (h)
		t->heads = h;
	k = h ? realloc(t->kinds, (t->ncols + 1) * sizeof(*k)) : NULL;
	if (!k) {
		t->bad = 1;
		return;
	}
	t->kinds = k;
	t->heads[t->ncols] = head;
	t->kinds[t->ncols++] = kind;
}

/* Append one cell: s copied (NULL: an unknown value). */
static void put(struct table *t, const char *s)
{
	char *c = NULL;

	if (t->bad)
		return;
	if (t->ncells == t->acells) {
		size_t na = t->acells ? t->acells * 2 : 256;
		char **nc = realloc(t->cells, na * sizeof(*nc));
		if (!nc) {
			t->bad = 1;
			return;
		}
		t->cells = nc;
		t->acells = na;
	}
	if (s && !(c = strdup(s))) {
		t->bad = 1;
		return;
	}
	t->cells[t->ncells++] = c;
}

static void putf(struct table *t, const char *f, ...) KEPU_PRINTF(2, 3);
static void putf(struct table *t, const char *f, ...)
{
	char b[128];
	va_list ap;

	va_start(ap, f);
	vsnprintf(b, sizeof(b), f, ap);
	va_end(ap);
	put(t, b);
}

static void row_end(struct table *t)
{
	if (!t->bad && t->ncells != (t->nrows + 1) * t->ncols)
		t->bad = 1;
	else
		t->nrows++;
}

/* The count columns, in enum post_count's order, and their cells. */
static void count_cols(struct table *t)
{
	for (int k = 0; k < PC_N; k++)
		col(t, report_count_labels[k], CELL_NUM);
}

/* One count: "1234", "100000+" for a lower bound, unknown when !known. */
static void count_cell(struct table *t, int64_t v, int known, int lower)
{
	if (known)
		putf(t, "%" PRId64 "%s", v, lower ? "+" : "");
	else
		put(t, NULL);
}

static void count_cells(struct table *t, const int64_t *counts, unsigned known, unsigned lower)
{
	for (int k = 0; k < PC_N; k++)
		count_cell(t, counts[k], !!(known & (1u << k)), !!(lower & (1u << k)));
}

static void change(struct table *t, double now, double before)
{
	if (before <= 0)
		put(t, now > 0 ? "新增" : "—");
	else
		putf(t, "%+.1f%%", 100.0 * (now - before) / before);
}

static void when(struct table *t, int64_t at)
{
	char s[32];

	if (!at) {
		put(t, NULL);
		return;
	}
	ktime_format_cst(at, s);
	s[16] = '\0';
	s[10] = ' ';
	put(t, s);
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

static void overview(struct tables *ts, const struct report *r)
{
	struct table *t = table_new(ts, "overview.csv", "总览", NULL);

	if (!t)
		return;
	col(t, "指标", CELL_TEXT);
	col(t, "本期", CELL_NUM);
	col(t, "上期", CELL_NUM);
	col(t, "变化", CELL_NUM);
	put(t, "作品");
	putf(t, "%ld", r->total.posts);
	putf(t, "%ld", r->previous.posts);
	change(t, (double)r->total.posts, (double)r->previous.posts);
	row_end(t);
	put(t, "作者");
	putf(t, "%ld", r->total.authors);
	putf(t, "%ld", r->previous.authors);
	change(t, (double)r->total.authors, (double)r->previous.authors);
	row_end(t);
	for (int k = 0; k < PC_N; k++) {
		unsigned bit = 1u << k;
		put(t, report_count_labels[k]);
		count_cell(t, r->total.counts[k], !!(r->total.known & bit), 0);
		count_cell(t, r->previous.counts[k], !!(r->previous.known & bit), 0);
		if (r->total.known & bit)
			change(t, (double)r->total.counts[k], (double)r->previous.counts[k]);
		else
			put(t, NULL);
		row_end(t);
	}
	put(t, "互动指数");
	putf(t, "%.1f", r->total.index_sum);
	putf(t, "%.1f", r->previous.index_sum);
	change(t, r->total.index_sum, r->previous.index_sum);
	row_end(t);
	put(t, "覆盖区县");
	putf(t, "%ld / %zu", r->units_covered, r->nunits);
	put(t, NULL);
	put(t, NULL);
	row_end(t);
}

/* One leaderboard row's figures, from 作品 to 占比. */
static void unit_figures(struct table *t, const struct report *r, const struct report_totals *x)
{
	putf(t, "%ld", x->posts);
	putf(t, "%ld", x->authors);
	count_cells(t, x->counts, x->known, 0);
	putf(t, "%.1f", x->index_sum);
	putf(t, "%.1f", x->posts ? x->index_sum / (double)x->posts : 0.0);
	putf(t, "%.1f%%", pct(x->index_sum, r->total.index_sum));
}

static void leaderboard(struct tables *ts, const struct report *r, const size_t *order)
{
	struct table *t = table_new(ts, "districts.csv", "区县排行", NULL);

	if (!t)
		return;
	col(t, "排名", CELL_NUM);
	col(t, "区县", CELL_TEXT);
	col(t, "代码", CELL_TEXT);
	col(t, "作品", CELL_NUM);
	col(t, "作者", CELL_NUM);
	count_cols(t);
	col(t, "互动指数", CELL_NUM);
	col(t, "篇均指数", CELL_NUM);
	col(t, "占比", CELL_NUM);
	col(t, "最佳作品", CELL_TEXT);
	col(t, "状态", CELL_TEXT);
	for (size_t i = 0; i < r->nunits; i++) {
		const struct report_unit *u = &r->units[order[i]];
		putf(t, "%zu", i + 1);
		put(t, u->unit->name);
		put(t, u->unit->code);
		unit_figures(t, r, &u->t);
		put(t, u->nbest ? u->best[0].title : NULL);
		put(t, u->t.posts ? "" : "需关注：本期无作品");
		row_end(t);
	}
	put(t, "");
	put(t, "重庆（区县未知）");
	put(t, "");
	unit_figures(t, r, &r->unknown_unit);
	put(t, NULL);
	put(t, "");
	row_end(t);
}

static void unit_authors(struct tables *ts, const struct report *r)
{
	struct table *t = table_new(ts, "authors.csv", "作者", NULL);

	if (!t)
		return;
	col(t, "排名", CELL_NUM);
	col(t, "作者", CELL_TEXT);
	col(t, "平台", CELL_TEXT);
	col(t, "作品", CELL_NUM);
	col(t, "点赞", CELL_NUM);
	col(t, "评论", CELL_NUM);
	col(t, "互动指数", CELL_NUM);
	for (size_t i = 0; i < r->nauthors && i < REPORT_TOP_AUTHORS; i++) {
		const struct report_author *a = &r->authors[i];
		putf(t, "%zu", i + 1);
		put(t, a->author_name);
		put(t, platform_label(a->platform));
		putf(t, "%ld", a->posts);
		putf(t, "%" PRId64, a->counts[PC_LIKES]);
		putf(t, "%" PRId64, a->counts[PC_COMMENTS]);
		putf(t, "%.1f", a->index_sum);
		row_end(t);
	}
}

static void platforms_section(struct tables *ts, const struct report *r)
{
	struct table *t = table_new(ts, "platforms.csv", "平台", NULL);

	if (!t)
		return;
	col(t, "平台", CELL_TEXT);
	col(t, "标识", CELL_TEXT);
	col(t, "作品", CELL_NUM);
	col(t, "作者", CELL_NUM);
	count_cols(t);
	col(t, "互动指数", CELL_NUM);
	for (size_t i = 0; i < nplatforms; i++) {
		const struct report_totals *x = &r->platforms[i];
		if (!x->posts)
			continue;
		put(t, platforms[i].label);
		put(t, platforms[i].name);
		putf(t, "%ld", x->posts);
		putf(t, "%ld", x->authors);
		count_cells(t, x->counts, x->known, 0);
		putf(t, "%.1f", x->index_sum);
		row_end(t);
	}
	if (r->district)
		return;
	/* unit x platform: the columns are the platforms with posts */
	if (!(t = table_new(ts, "district_platforms.csv", "平台", "区县 × 平台（作品数）")))
		return;
	col(t, "区县", CELL_TEXT);
	for (size_t i = 0; i < nplatforms; i++)
		if (r->platforms[i].posts)
			col(t, platforms[i].label, CELL_NUM);
	col(t, "合计", CELL_NUM);
	for (size_t i = 0; i < r->nunits; i++) {
		const struct report_unit *u = &r->units[i];
		put(t, u->unit->name);
		for (size_t p = 0; p < nplatforms; p++)
			if (r->platforms[p].posts)
				putf(t, "%ld", u->platform_posts[p]);
		putf(t, "%ld", u->t.posts);
		row_end(t);
	}
}

static void daily(struct tables *ts, const struct report *r)
{
	struct table *t = table_new(ts, "daily.csv", "趋势", NULL);

	if (!t)
		return;
	col(t, "日期", CELL_TEXT);
	col(t, "作品", CELL_NUM);
	count_cols(t);
	col(t, "互动指数", CELL_NUM);
	for (size_t i = 0; i < r->ndays; i++) {
		const struct report_day *d = &r->days[i];
		put(t, d->date);
		putf(t, "%ld", d->posts);
		/* a day has no `known` of its own: the window's says which counts exist */
		count_cells(t, d->counts, r->total.known, 0);
		putf(t, "%.1f", d->index_sum);
		row_end(t);
	}
}

/* A list of works; unit: the leading unit column of the per-unit list. */
static void works(struct tables *ts, const char *file, const char *title, int per_unit, const struct report *r)
{
	struct table *t = table_new(ts, file, "热门作品", title);

	if (!t)
		return;
	if (per_unit)
		col(t, "区县", CELL_TEXT);
	col(t, "排名", CELL_NUM);
	col(t, "作品", CELL_TEXT);
	col(t, "作者", CELL_TEXT);
	if (!per_unit)
		col(t, "区县", CELL_TEXT);
	col(t, "平台", CELL_TEXT);
	col(t, "发布时间", CELL_TEXT);
	count_cols(t);
	col(t, "互动指数", CELL_NUM);
	col(t, "链接", CELL_URL);
	col(t, "作品编号", CELL_TEXT);
	for (size_t u = 0; u < (per_unit ? r->nunits : 1); u++) {
		const struct report_work *w = per_unit ? r->units[u].best : r->top;
		size_t n = per_unit ? r->units[u].nbest : r->ntop;

		for (size_t i = 0; i < n; i++) {
			if (per_unit)
				put(t, r->units[u].unit->name);
			putf(t, "%zu", i + 1);
			put(t, w[i].title);
			put(t, w[i].author_name);
			if (!per_unit)
				put(t, w[i].district);
			put(t, platform_label(w[i].platform));
			when(t, w[i].created_at);
			count_cells(t, w[i].counts, w[i].known, w[i].lower);
			putf(t, "%.1f", w[i].index);
			put(t, w[i].url);
			put(t, w[i].post_id);
			row_end(t);
		}
	}
}

static void hashtags(struct tables *ts, const struct report *r)
{
	struct table *t = table_new(ts, "hashtags.csv", "话题", NULL);

	if (!t)
		return;
	col(t, "排名", CELL_NUM);
	col(t, "话题", CELL_TEXT);
	col(t, "作品", CELL_NUM);
	for (size_t i = 0; i < r->nhashtags; i++) {
		putf(t, "%zu", i + 1);
		put(t, r->hashtags[i].tag);
		putf(t, "%ld", r->hashtags[i].posts);
		row_end(t);
	}
}

static void quality_row(struct table *t, const char *label, const char *key, long n, long all)
{
	put(t, label);
	put(t, key);
	putf(t, "%ld", n);
	putf(t, "%.1f%%", pct((double)n, (double)all));
	row_end(t);
}

static void quality(struct tables *ts, const struct report *r)
{
	struct table *t = table_new(ts, "attribution.csv", "数据质量", "区县归属依据");

	if (!t)
		return;
	col(t, "归属依据", CELL_TEXT);
	col(t, "标识", CELL_TEXT);
	col(t, "作品", CELL_NUM);
	col(t, "占比", CELL_NUM);
	for (int i = 0; i < REPORT_METHODS; i++)
		quality_row(t, report_method_labels[i], report_methods[i], r->by_method[i], r->all_posts);
	quality_row(t, "在重庆但区县未知", "in_chongqing_unit_unknown", r->in_cq_no_unit, r->all_posts);
	quality_row(t, "重庆以外", "outside_chongqing", r->outside, r->all_posts);
	quality_row(t, "地点未知", "location_unknown", r->no_location, r->all_posts);
	quality_row(t, r->include_deleted ? "平台已删除（已计入）" : "平台已删除（未计入）", "deleted", r->deleted,
		    r->all_posts + (r->include_deleted ? 0 : r->deleted));

	if (!(t = table_new(ts, "sources.csv", "数据质量", "采集状态")))
		return;
	col(t, "数据源", CELL_TEXT);
	col(t, "最近一次成功采集", CELL_TEXT);
	col(t, "最近一次错误时间", CELL_TEXT);
	col(t, "最近一次错误", CELL_TEXT);
	col(t, "未读时段起", CELL_TEXT);
	col(t, "未读时段止", CELL_TEXT);
	col(t, "未读原因", CELL_TEXT);
	col(t, "最近一次完整回补", CELL_TEXT);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct report_source *x = &r->sources[i];
		put(t, x->name);
		if (x->last_ok)
			when(t, x->last_ok);
		else
			put(t, "从未成功");
		when(t, x->last_error_at);
		put(t, x->last_error);
		when(t, x->gap_hi ? x->gap_lo : 0);
		when(t, x->gap_hi);
		put(t, !x->gap_hi ? NULL : x->gap_capped ? "平台不再列出更早的结果，可能缺失" : "后续采集将补读");
		when(t, x->backfill_at);
		row_end(t);
	}
}

int report_tables(const struct report *r, struct tables *ts, struct kerr *e)
{
	size_t *order;

	memset(ts, 0, sizeof(*ts));
	if (!(order = malloc((r->nunits + 1) * sizeof(*order))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	/* the leaderboard's order: by index, then posts; insertion sort (41
	 * rows, stable) */
	for (size_t i = 0; i < r->nunits; i++)
		order[i] = i;
	for (size_t i = 1; i < r->nunits; i++) {
		size_t x = order[i], j = i;
		while (j > 0 && (r->units[order[j - 1]].t.index_sum < r->units[x].t.index_sum ||
				 (r->units[order[j - 1]].t.index_sum == r->units[x].t.index_sum &&
				  r->units[order[j - 1]].t.posts < r->units[x].t.posts))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	overview(ts, r);
	if (!r->district)
		leaderboard(ts, r, order);
	else
		unit_authors(ts, r);
	platforms_section(ts, r);
	daily(ts, r);
	works(ts, "top_works.csv", r->district ? "本区县前 20 件" : "全市前 20 件", 0, r);
	if (!r->district)
		works(ts, "district_top_works.csv", "各区县前 3 件", 1, r);
	hashtags(ts, r);
	quality(ts, r);
	free(order);
	for (size_t i = 0; i < ts->n && !ts->nomem; i++)
		if (ts->t[i].bad) {
			const struct table *t = &ts->t[i];
			int wide = t->ncols && t->ncells % t->ncols;
			kerr_set(e, wide ? KERR_DATA : KERR_NOMEM, wide ? "report table %s: a row of the wrong width (a bug)" : "out of memory", t->file);
			report_tables_release(ts);
			return -1;
		}
	if (ts->nomem) {
		report_tables_release(ts);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

void report_tables_release(struct tables *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		struct table *t = &ts->t[i];
		for (size_t c = 0; c < t->ncells; c++)
			free(t->cells[c]);
		free(t->cells);
		free(t->heads);
		free(t->kinds);
	}
	free(ts->t);
	memset(ts, 0, sizeof(*ts));
}
