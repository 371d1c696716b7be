/*
 * tables.c: the report model as tables (see tables.h).  The figures are
 * the model's; this only formats numbers.
 */
#include "tables.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timefmt.h"

static struct table *add_table(struct tables *ts, const char *file, const char *section,
			       const char *title, size_t ncols, const char *const *heads,
			       const enum cell_kind *kinds)
{
	struct table *nt = realloc(ts->t, (ts->n + 1) * sizeof(*nt)), *t;

	if (!nt)
		return NULL;
	ts->t = nt;
	t = &nt[ts->n++];
	memset(t, 0, sizeof(*t));
	t->file = file;
	t->section = section;
	t->title = title;
	t->ncols = ncols;
	t->heads = (const char **)heads;
	t->kinds = (enum cell_kind *)kinds;
	return t;
}

/* Append a row; the variadic cells are strings (NULL allowed), copied. */
static int row(struct table *t, ...)
{
	va_list ap;

	if (t->nrows == t->arows) {
		size_t na = t->arows ? t->arows * 2 : 64;
		char **nc = realloc(t->cells, na * t->ncols * sizeof(*nc));
		if (!nc)
			return -1;
		t->cells = nc;
		t->arows = na;
	}
	va_start(ap, t);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = va_arg(ap, const char *);
		char **cell = &t->cells[t->nrows * t->ncols + c];
		*cell = s ? strdup(s) : NULL;
	}
	va_end(ap);
	t->nrows++;
	return 0;
}

/* Small formatting buffers: a ring, so one row() call may use several. */
static char *fmt(const char *f, ...) KEPU_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
	static _Thread_local char ring[32][64];
	static _Thread_local unsigned next;
	char *b = ring[next++ % 32];
	va_list ap;

	va_start(ap, f);
	vsnprintf(b, 64, f, ap);
	va_end(ap);
	return b;
}

static const char *count(const struct report_totals *t, int k)
{
	return t->known & (1u << k) ? fmt("%" PRId64, t->counts[k]) : NULL;
}

static const char *work_count(const struct report_work *w, int k)
{
	if (!(w->known & (1u << k)))
		return NULL;
	return fmt("%" PRId64 "%s", w->counts[k], w->lower & (1u << k) ? "+" : "");
}

static const char *change(double now, double before)
{
	if (before <= 0)
		return now > 0 ? "新增" : "—";
	return fmt("%+.1f%%", 100.0 * (now - before) / before);
}

static const char *when(int64_t t)
{
	char s[32];

	if (!t)
		return NULL;
	ktime_format_cst(t, s);
	s[16] = '\0';
	s[10] = ' ';
	return fmt("%s", s);
}

static int works_rows(struct table *t, const struct report_work *w, size_t n, const char *unit)
{
	for (size_t i = 0; i < n; i++)
		if (row(t, unit ? unit : fmt("%zu", i + 1), unit ? fmt("%zu", i + 1) : w[i].title,
			unit ? w[i].title : w[i].author_name, unit ? w[i].author_name : w[i].district,
			report_platform_label(w[i].platform), when(w[i].created_at), work_count(&w[i], PC_VIEWS),
			work_count(&w[i], PC_LIKES), work_count(&w[i], PC_COMMENTS), work_count(&w[i], PC_SHARES),
			work_count(&w[i], PC_FAVORITES), fmt("%.1f", w[i].index), w[i].url, w[i].post_id) < 0)
			return -1;
	return 0;
}

int report_tables(const struct report *r, struct tables *ts, struct kerr *e)
{
	static const char *const h_overview[] = {"指标", "本期", "上期", "变化"};
	static const enum cell_kind k_overview[] = {CELL_TEXT, CELL_NUM, CELL_NUM, CELL_NUM};
	static const char *const h_units[] = {"排名", "区县", "代码", "作品", "作者", "播放", "点赞", "评论",
					      "转发", "收藏", "互动指数", "篇均指数", "占比", "最佳作品", "状态"};
	static const enum cell_kind k_units[] = {CELL_NUM, CELL_TEXT, CELL_TEXT, CELL_NUM, CELL_NUM,
						 CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM,
						 CELL_NUM, CELL_NUM, CELL_NUM, CELL_TEXT, CELL_TEXT};
	static const char *const h_platforms[] = {"平台", "标识", "作品", "作者", "播放", "点赞",
						  "评论", "转发", "收藏", "互动指数"};
	static const enum cell_kind k_platforms[] = {CELL_TEXT, CELL_TEXT, CELL_NUM, CELL_NUM, CELL_NUM,
						     CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM};
	static const char *h_matrix[1 + 9 + 1];
	static const enum cell_kind k_matrix[] = {CELL_TEXT, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM,
						  CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM};
	static const char *const h_daily[] = {"日期", "作品", "播放", "点赞", "评论", "转发", "收藏", "互动指数"};
	static const enum cell_kind k_daily[] = {CELL_TEXT, CELL_NUM, CELL_NUM, CELL_NUM,
						 CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM};
	static const char *const h_top[] = {"排名", "作品", "作者", "区县", "平台", "发布时间", "播放", "点赞",
					    "评论", "转发", "收藏", "互动指数", "链接", "作品编号"};
	static const char *const h_unit_top[] = {"区县", "排名", "作品", "作者", "平台", "发布时间", "播放",
						 "点赞", "评论", "转发", "收藏", "互动指数", "链接", "作品编号"};
	static const enum cell_kind k_top[] = {CELL_NUM, CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT,
					       CELL_TEXT, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM,
					       CELL_NUM, CELL_NUM, CELL_URL, CELL_TEXT};
	static const enum cell_kind k_unit_top[] = {CELL_TEXT, CELL_NUM, CELL_TEXT, CELL_TEXT, CELL_TEXT,
						    CELL_TEXT, CELL_NUM, CELL_NUM, CELL_NUM, CELL_NUM,
						    CELL_NUM, CELL_NUM, CELL_URL, CELL_TEXT};
	static const char *const h_tags[] = {"排名", "话题", "作品"};
	static const enum cell_kind k_tags[] = {CELL_NUM, CELL_TEXT, CELL_NUM};
	static const char *const h_attr[] = {"归属依据", "标识", "作品", "占比"};
	static const enum cell_kind k_attr[] = {CELL_TEXT, CELL_TEXT, CELL_NUM, CELL_NUM};
	static const char *const h_src[] = {"数据源", "最近一次成功采集", "最近一次错误时间", "最近一次错误"};
	static const enum cell_kind k_src[] = {CELL_TEXT, CELL_TEXT, CELL_TEXT, CELL_TEXT};
	static const char *const h_authors[] = {"排名", "作者", "平台", "作品", "点赞", "评论", "互动指数"};
	static const enum cell_kind k_authors[] = {CELL_NUM, CELL_TEXT, CELL_TEXT, CELL_NUM,
						   CELL_NUM, CELL_NUM, CELL_NUM};
	struct table *t;
	size_t *order = NULL, nplat = 0;
	int plat_used[16] = {0};

	memset(ts, 0, sizeof(*ts));

	/* 1. overview */
	if (!(t = add_table(ts, "overview.csv", "总览", NULL, 4, h_overview, k_overview)))
		goto nomem;
	if (row(t, "作品", fmt("%ld", r->total.posts), fmt("%ld", r->previous.posts),
		change((double)r->total.posts, (double)r->previous.posts)) < 0 ||
	    row(t, "作者", fmt("%ld", r->total.authors), fmt("%ld", r->previous.authors),
		change((double)r->total.authors, (double)r->previous.authors)) < 0)
		goto nomem;
	for (int k = 0; k < PC_N; k++)
		if (row(t, report_count_labels[k], count(&r->total, k), count(&r->previous, k),
			r->total.known & (1u << k) ? change((double)r->total.counts[k], (double)r->previous.counts[k])
						   : NULL) < 0)
			goto nomem;
	if (row(t, "互动指数", fmt("%.1f", r->total.index_sum), fmt("%.1f", r->previous.index_sum),
		change(r->total.index_sum, r->previous.index_sum)) < 0 ||
	    row(t, "覆盖区县", fmt("%ld / %zu", r->units_covered, r->nunits), NULL, NULL) < 0)
		goto nomem;

	/* 2. leaderboard, by index */
	if (!(order = malloc((r->nunits + 1) * sizeof(*order))))
		goto nomem;
	for (size_t i = 0; i < r->nunits; i++)
		order[i] = i;
	for (size_t i = 1; i < r->nunits; i++) { /* insertion sort: 41 rows, stable */
		size_t x = order[i], j = i;
		while (j > 0 && (r->units[order[j - 1]].t.index_sum < r->units[x].t.index_sum ||
				 (r->units[order[j - 1]].t.index_sum == r->units[x].t.index_sum &&
				  r->units[order[j - 1]].t.posts < r->units[x].t.posts))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	if (!r->district) {
		if (!(t = add_table(ts, "districts.csv", "区县排行", NULL, 15, h_units, k_units)))
			goto nomem;
		for (size_t i = 0; i < r->nunits; i++) {
			const struct report_unit *u = &r->units[order[i]];
			const struct report_totals *x = &u->t;
			if (row(t, fmt("%zu", i + 1), u->unit->name, u->unit->code, fmt("%ld", x->posts),
				fmt("%ld", x->authors), count(x, 0), count(x, 1), count(x, 2), count(x, 3), count(x, 4),
				fmt("%.1f", x->index_sum), fmt("%.1f", x->posts ? x->index_sum / x->posts : 0.0),
				fmt("%.1f%%", r->total.index_sum > 0 ? 100.0 * x->index_sum / r->total.index_sum : 0.0),
				u->nbest ? u->best[0].title : NULL, x->posts ? "" : "需关注：本期无作品") < 0)
				goto nomem;
		}
		{
			const struct report_totals *x = &r->unknown_unit;
			if (row(t, "", "重庆（区县未知）", "", fmt("%ld", x->posts), fmt("%ld", x->authors),
				count(x, 0), count(x, 1), count(x, 2), count(x, 3), count(x, 4),
				fmt("%.1f", x->index_sum), fmt("%.1f", x->posts ? x->index_sum / x->posts : 0.0),
				fmt("%.1f%%", r->total.index_sum > 0 ? 100.0 * x->index_sum / r->total.index_sum : 0.0),
				NULL, "") < 0)
				goto nomem;
		}
	} else {
		if (!(t = add_table(ts, "authors.csv", "作者", NULL, 7, h_authors, k_authors)))
			goto nomem;
		for (size_t i = 0; i < r->nauthors && i < REPORT_TOP_AUTHORS; i++) {
			const struct report_author *a = &r->authors[i];
			if (row(t, fmt("%zu", i + 1), a->author_name, report_platform_label(a->platform),
				fmt("%ld", a->posts), fmt("%" PRId64, a->counts[PC_LIKES]),
				fmt("%" PRId64, a->counts[PC_COMMENTS]), fmt("%.1f", a->index_sum)) < 0)
				goto nomem;
		}
	}

	/* 3. platforms */
	if (!(t = add_table(ts, "platforms.csv", "平台", NULL, 10, h_platforms, k_platforms)))
		goto nomem;
	for (size_t i = 0; i < store_nplatforms && i < 16; i++) {
		const struct report_totals *x = &r->platforms[i];
		if (!x->posts)
			continue;
		plat_used[i] = 1;
		nplat++;
		if (row(t, report_platform_label(store_platforms[i]), store_platforms[i], fmt("%ld", x->posts),
			fmt("%ld", x->authors), count(x, 0), count(x, 1), count(x, 2), count(x, 3), count(x, 4),
			fmt("%.1f", x->index_sum)) < 0)
			goto nomem;
	}
	if (!r->district) {
		/* unit x platform: the columns are the platforms with posts */
		size_t c = 0;
		h_matrix[c++] = "区县";
		for (size_t i = 0; i < store_nplatforms && i < 16; i++)
			if (plat_used[i])
				h_matrix[c++] = report_platform_label(store_platforms[i]);
		h_matrix[c++] = "合计";
		if (!(t = add_table(ts, "district_platforms.csv", "平台", "区县 × 平台（作品数）", c, h_matrix, k_matrix)))
			goto nomem;
		for (size_t i = 0; i < r->nunits; i++) {
			const struct report_unit *u = &r->units[i];
			const char *v[11] = {u->unit->name};
			size_t k = 1;
			for (size_t p = 0; p < store_nplatforms && p < 16; p++)
				if (plat_used[p])
					v[k++] = fmt("%ld", u->platform_posts[p]);
			v[k++] = fmt("%ld", u->t.posts);
			while (k < 11)
				v[k++] = NULL;
			if (row(t, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]) < 0)
				goto nomem;
		}
	}

	/* 4. trend */
	if (!(t = add_table(ts, "daily.csv", "趋势", NULL, 8, h_daily, k_daily)))
		goto nomem;
	for (size_t i = 0; i < r->ndays; i++) {
		const struct report_day *d = &r->days[i];
		struct report_totals x;
		memset(&x, 0, sizeof(x));
		memcpy(x.counts, d->counts, sizeof(x.counts));
		x.known = r->total.known;
		if (row(t, d->date, fmt("%ld", d->posts), count(&x, 0), count(&x, 1), count(&x, 2), count(&x, 3),
			count(&x, 4), fmt("%.1f", d->index_sum)) < 0)
			goto nomem;
	}

	/* 5. top works */
	if (!(t = add_table(ts, "top_works.csv", "热门作品", r->district ? "本区县前 20 件" : "全市前 20 件", 14,
			    h_top, k_top)) ||
	    works_rows(t, r->top, r->ntop, NULL) < 0)
		goto nomem;
	if (!r->district) {
		if (!(t = add_table(ts, "district_top_works.csv", "热门作品", "各区县前 3 件", 14, h_unit_top, k_unit_top)))
			goto nomem;
		for (size_t i = 0; i < r->nunits; i++)
			if (works_rows(t, r->units[i].best, r->units[i].nbest, r->units[i].unit->name) < 0)
				goto nomem;
	}

	/* 6. hashtags */
	if (!(t = add_table(ts, "hashtags.csv", "话题", NULL, 3, h_tags, k_tags)))
		goto nomem;
	for (size_t i = 0; i < r->nhashtags; i++)
		if (row(t, fmt("%zu", i + 1), r->hashtags[i].tag, fmt("%ld", r->hashtags[i].posts)) < 0)
			goto nomem;

	/* 7. data quality */
	if (!(t = add_table(ts, "attribution.csv", "数据质量", "区县归属依据", 4, h_attr, k_attr)))
		goto nomem;
	for (int i = 0; i < REPORT_METHODS; i++)
		if (row(t, report_method_labels[i], report_methods[i], fmt("%ld", r->by_method[i]),
			fmt("%.1f%%", r->all_posts ? 100.0 * r->by_method[i] / r->all_posts : 0.0)) < 0)
			goto nomem;
	if (row(t, "在重庆但区县未知", "in_chongqing_unit_unknown", fmt("%ld", r->in_cq_no_unit),
		fmt("%.1f%%", r->all_posts ? 100.0 * r->in_cq_no_unit / r->all_posts : 0.0)) < 0 ||
	    row(t, "重庆以外", "outside_chongqing", fmt("%ld", r->outside),
		fmt("%.1f%%", r->all_posts ? 100.0 * r->outside / r->all_posts : 0.0)) < 0 ||
	    row(t, "地点未知", "location_unknown", fmt("%ld", r->no_location),
		fmt("%.1f%%", r->all_posts ? 100.0 * r->no_location / r->all_posts : 0.0)) < 0)
		goto nomem;
	if (!(t = add_table(ts, "sources.csv", "数据质量", "采集状态", 4, h_src, k_src)))
		goto nomem;
	for (size_t i = 0; i < r->nsources; i++)
		if (row(t, r->sources[i].name, r->sources[i].last_ok ? when(r->sources[i].last_ok) : "从未成功",
			when(r->sources[i].last_error_at), r->sources[i].last_error) < 0)
			goto nomem;
	free(order);
	return 0;
nomem:
	free(order);
	report_tables_release(ts);
	return kerr_set(e, KERR_NOMEM, "out of memory");
}

void report_tables_release(struct tables *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		struct table *t = &ts->t[i];
		for (size_t c = 0; c < t->nrows * t->ncols; c++)
			free(t->cells[c]);
		free(t->cells);
	}
	free(ts->t);
	memset(ts, 0, sizeof(*ts));
}
