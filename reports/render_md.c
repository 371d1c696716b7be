/*
 * render_md.c: the report as Markdown tables.
 *
 * Post text is escaped so that it can neither break a table (`|`, line
 * breaks) nor inject HTML or links into a Markdown viewer (`<`, `>`, `&`,
 * `[`, `]`, backticks, emphasis characters).
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

static const char *const platform_labels[] = {"微博", "哔哩哔哩", "抖音", "小红书", "快手",
					      "微信视频号", "今日头条", "知乎", "其他"};

/* Escape s for a Markdown table cell, cut to at most max characters. */
static int md_text(struct kbuf *b, const char *s, size_t max, struct kerr *e)
{
	size_t chars = 0;

	if (!s || !*s)
		return kbuf_adds(b, "—", e);
	while (*s) {
		unsigned char c = (unsigned char)*s;
		int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		int rc;

		if (chars == max)
			return kbuf_adds(b, "…", e);
		switch (c) {
		case '<': rc = kbuf_adds(b, "&lt;", e); break;
		case '>': rc = kbuf_adds(b, "&gt;", e); break;
		case '&': rc = kbuf_adds(b, "&amp;", e); break;
		case '|': case '\\': case '`': case '*': case '_': case '[': case ']':
		case '#': case '~':
			rc = kbuf_addc(b, '\\', e) < 0 ? -1 : kbuf_addc(b, (char)c, e);
			break;
		case '\n': case '\r': case '\t': rc = kbuf_addc(b, ' ', e); break;
		default:
			if (c < 0x20) {
				rc = 0;
				break;
			}
			rc = kbuf_add(b, s, (size_t)len, e);
		}
		if (rc < 0)
			return -1;
		s += len;
		chars++;
	}
	return 0;
}

/* A link only for http(s) URLs, with the characters that end a Markdown
 * link target percent-encoded. */
static int md_link(struct kbuf *b, const char *label, const char *url, struct kerr *e)
{
	if (!url || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)))
		return md_text(b, label, 40, e);
	if (kbuf_addc(b, '[', e) < 0 || md_text(b, label, 40, e) < 0 || kbuf_adds(b, "](", e) < 0)
		return -1;
	for (const char *p = url; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '|' || c == '"' ||
		    c == '\\' || c == '`' || c >= 0x7F) {
			if (kbuf_addf(b, e, "%%%02X", c) < 0)
				return -1;
		} else if (kbuf_addc(b, (char)c, e) < 0)
			return -1;
	}
	return kbuf_addc(b, ')', e);
}

static int md_count(struct kbuf *b, const struct report_totals *t, int k, struct kerr *e)
{
	if (!(t->known & (1u << k)))
		return kbuf_adds(b, " — |", e);
	return kbuf_addf(b, e, " %" PRId64 " |", t->counts[k]);
}

static int md_totals_row(struct kbuf *b, const char *label, const char *code,
			 const struct report_totals *t, struct kerr *e)
{
	if (kbuf_addf(b, e, "| %s | %s | %ld | %ld |", label, code, t->posts, t->authors) < 0)
		return -1;
	for (int k = 0; k < PC_N; k++)
		if (md_count(b, t, k, e) < 0)
			return -1;
	return kbuf_addc(b, '\n', e);
}

static const char counts_header[] = " 播放 | 点赞 | 评论 | 转发 | 收藏 |";
static const char counts_rule[] = "---:|---:|---:|---:|---:|";

int report_render_md(const struct report *r, FILE *out, struct kerr *e)
{
	struct kbuf b;
	const struct district_unit *units = r->unit_list;
	char when[32];
	int rc = -1;
	long covered = 0;

	kbuf_init(&b, 64 * 1024 * 1024);
	for (size_t i = 0; i < r->nunits; i++)
		covered += r->units[i].posts > 0;
	ktime_format_cst(r->generated_at, when);
	if (kbuf_addf(&b, e,
		      "# 千万IP创科普 传播数据报告\n\n"
		      "- 统计时段：%s 至 %s（北京时间，按发布时间）\n"
		      "- 生成时间：%s\n"
		      "- 覆盖区县：%ld / %zu\n\n"
		      "## 总览\n\n"
		      "| 作品 | 作者 |%s\n|---:|---:|%s\n| %ld | %ld |",
		      r->since, r->until, when, covered, r->nunits, counts_header, counts_rule,
		      r->total.posts, r->total.authors) < 0)
		goto out;
	for (int k = 0; k < PC_N; k++)
		if (md_count(&b, &r->total, k, e) < 0)
			goto out;
	if (kbuf_addf(&b, e,
		      "\n\n“—”表示平台不提供该项数据（例如微博不提供播放量）。\n\n"
		      "## 区县\n\n"
		      "| 区县 | 代码 | 作品 | 作者 |%s\n|---|---|---:|---:|%s\n",
		      counts_header, counts_rule) < 0)
		goto out;
	for (size_t i = 0; i < r->nunits; i++)
		if (md_totals_row(&b, units[i].name, units[i].code, &r->units[i], e) < 0)
			goto out;
	if (md_totals_row(&b, "重庆（区县未知）", "—", &r->unknown_unit, e) < 0 ||
	    md_totals_row(&b, "重庆以外", "—", &r->outside, e) < 0 ||
	    md_totals_row(&b, "地点未知", "—", &r->no_location, e) < 0)
		goto out;
	{
		static const char *const labels[REPORT_METHODS] = {
			"官方账号登记", "作者名称（机构）", "标题、正文与话题", "个人资料所在地",
			"人工校正", "仅 IP 属地（不定区县）", "无地点信息"};
		if (kbuf_adds(&b, "\n## 归属方式\n\n| 依据 | 标识 | 作品 | 占比 |\n|---|---|---:|---:|\n", e) < 0)
			goto out;
		for (int i = 0; i < REPORT_METHODS; i++)
			if (kbuf_addf(&b, e, "| %s | %s | %ld | %.1f%% |\n", labels[i], report_methods[i],
				      r->by_method[i],
				      r->total.posts ? 100.0 * r->by_method[i] / r->total.posts : 0.0) < 0)
				goto out;
		if (kbuf_addf(&b, e,
			      "\n在重庆但区县未知：%ld 件；重庆以外：%ld 件；地点未知：%ld 件。\n",
			      r->unknown_unit.posts, r->outside.posts, r->no_location.posts) < 0)
			goto out;
	}
	if (kbuf_addf(&b, e, "\n## 平台\n\n| 平台 | 标识 | 作品 | 作者 |%s\n|---|---|---:|---:|%s\n",
		      counts_header, counts_rule) < 0)
		goto out;
	for (size_t i = 0; i < store_nplatforms; i++)
		if (r->platforms[i].posts &&
		    md_totals_row(&b, platform_labels[i], store_platforms[i], &r->platforms[i], e) < 0)
			goto out;
	if (kbuf_addf(&b, e,
		      "\n## 热门作品 Top %d\n\n按互动指数排序（公式见 README 的 “Engagement index”）。\n\n"
		      "| # | 作品 | 作者 | 区县 | 平台 | 发布时间 | 指数 |%s\n|---:|---|---|---|---|---|---:|%s\n",
		      REPORT_TOP, counts_header, counts_rule) < 0)
		goto out;
	for (size_t i = 0; i < r->ntop; i++) {
		const struct report_work *w = &r->top[i];
		struct report_totals t = {0};

		ktime_format_cst(w->created_at, when);
		when[16] = '\0';
		when[10] = ' ';
		if (kbuf_addf(&b, e, "| %zu | ", i + 1) < 0 || md_link(&b, w->title, w->url, e) < 0 ||
		    kbuf_adds(&b, " | ", e) < 0 || md_text(&b, w->author_name, 24, e) < 0 ||
		    kbuf_addf(&b, e, " | %s | %s | %s | %.1f |", w->district ? w->district : "—",
			      w->platform, when, w->index) < 0)
			goto out;
		memcpy(t.counts, w->counts, sizeof(t.counts));
		t.known = w->known;
		for (int k = 0; k < PC_N; k++) {
			if ((w->lower & w->known & (1u << k)) &&
			    kbuf_addf(&b, e, " %" PRId64 "+ |", w->counts[k]) < 0)
				goto out;
			if (!(w->lower & w->known & (1u << k)) && md_count(&b, &t, k, e) < 0)
				goto out;
		}
		if (kbuf_addc(&b, '\n', e) < 0)
			goto out;
	}
	if (!r->ntop && kbuf_adds(&b, "\n（时段内没有作品）\n", e) < 0)
		goto out;
	if (fwrite(b.data, 1, b.len, out) != b.len || fflush(out) != 0) {
		kerr_set(e, KERR_IO, "cannot write the report");
		goto out;
	}
	rc = 0;
out:
	kbuf_release(&b);
	return rc;
}
