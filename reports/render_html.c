/*
 * render_html.c: the report as one self-contained HTML5 page: inline CSS,
 * inline SVG charts and one small inline script that sorts the
 * leaderboard.  The page loads nothing from anywhere (offices and these
 * machines reach no network), prints to a summary PDF (@media print), and
 * has the same sections and labels as the Markdown report (render_md.c).
 *
 * Every string that comes from a post or the gazetteer goes through
 * esc_html(); a link is written only through esc_url() and only when
 * esc_url_ok().  A Content-Security-Policy allows no loads at all and only the
 * one script below (by its hash), so even a missed escape could neither
 * run code nor call home.
 *
 * Not for: computing figures (report.c does; this only formats them).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/timefmt.h"
#include "escape.h"
#include "out.h"
#include "report.h"

/* A post's title as a link when its URL is http(s), else as plain text. */
static void work_link(struct out *p, const char *title, const char *url)
{
	const char *t = title && *title ? title : "（无标题）";

	if (esc_url_ok(url)) {
		out_put(p, "<a href=\"");
		if (!p->failed && esc_url(&p->b, url, p->e) < 0)
			p->failed = 1;
		out_put(p, "\" rel=\"noopener noreferrer\" target=\"_blank\" title=\"");
		out_html(p, t);
		out_put(p, "\">");
		out_html(p, t);
		out_put(p, "</a>");
	} else {
		out_put(p, "<span title=\"");
		out_html(p, t);
		out_put(p, "\">");
		out_html(p, t);
		out_put(p, "</span>");
	}
}

/* "1234567.8" -> "1,234,567.8": commas in the leading run of digits. */
static void group(char *out, size_t size, const char *num)
{
	size_t digits = 0, o = 0;
	const char *s = num;

	if (*s == '-' || *s == '+')
		s++;
	while (s[digits] >= '0' && s[digits] <= '9')
		digits++;
	for (const char *q = num; *q && o + 1 < size; q++) {
		*out++ = *q, o++;
		if (q >= s && q < s + digits - 1 && (s + digits - 1 - q) % 3 == 0 && o + 1 < size)
			*out++ = ',', o++;
	}
	*out = '\0';
}

static void put_int(struct out *p, int64_t v)
{
	char raw[32], g[48];

	snprintf(raw, sizeof(raw), "%" PRId64, v);
	group(g, sizeof(g), raw);
	out_put(p, g);
}

static void put_real(struct out *p, double v)
{
	char raw[48], g[64];

	snprintf(raw, sizeof(raw), "%.1f", v);
	group(g, sizeof(g), raw);
	out_put(p, g);
}

/* Big figures for the overview cards: 4155万 reads faster than 41552849. */
static void put_compact(struct out *p, double v)
{
	if (v >= 1e8)
		out_putf(p, "%.2f<small>亿</small>", v / 1e8);
	else if (v >= 1e7)
		out_putf(p, "%.0f<small>万</small>", v / 1e4);
	else if (v >= 1e5)
		out_putf(p, "%.1f<small>万</small>", v / 1e4);
	else if (v == floor(v))
		put_int(p, (int64_t)v);
	else
		put_real(p, v);
}

/* Table cells.  data-v holds the exact value the sort script reads. */
static void td_long(struct out *p, long v)
{
	out_putf(p, "<td class=\"n\" data-v=\"%ld\">", v);
	put_int(p, v);
	out_put(p, "</td>");
}

static void td_real(struct out *p, double v)
{
	out_putf(p, "<td class=\"n\" data-v=\"%.3f\">", v);
	put_real(p, v);
	out_put(p, "</td>");
}

/* A count: "—" when the platform does not report it (never 0), "100,000+"
 * when the platform gave only a lower bound. */
static void td_count(struct out *p, int64_t v, unsigned known, unsigned lower, int k)
{
	if (!(known & (1u << k))) {
		out_put(p, "<td class=\"n na\" data-v=\"\" title=\"平台不提供该项数据\">—</td>");
		return;
	}
	out_putf(p, "<td class=\"n\" data-v=\"%" PRId64 "\"%s>", v, lower & (1u << k) ? " title=\"平台只给出下限\"" : "");
	put_int(p, v);
	if (lower & (1u << k))
		out_put(p, "+");
	out_put(p, "</td>");
}

static void td_text(struct out *p, const char *s)
{
	out_put(p, "<td data-v=\"");
	out_html(p, s ? s : "");
	out_put(p, "\">");
	if (s && *s)
		out_html(p, s);
	else
		out_put(p, "<span class=\"na\">—</span>");
	out_put(p, "</td>");
}

/* A percentage cell with a bar behind it, width the share of max. */
static void td_share(struct out *p, double pct, double of_max)
{
	out_putf(p, "<td class=\"n bar\" style=\"--w:%.1f%%\" data-v=\"%.3f\">%.1f%%</td>", of_max, pct, pct);
}

static void when(int64_t t, char out[32])
{
	if (!t) {
		snprintf(out, 32, "—");
		return;
	}
	ktime_format_cst(t, out);
	out[16] = '\0';
	out[10] = ' ';
}

/* The change against the previous period, coloured by direction. */
static void change(struct out *p, double now, double before, int comparable)
{
	if (!comparable) {
		out_put(p, "<span class=\"chg\">—</span>");
		return;
	}
	if (before <= 0) {
		out_put(p, now > 0 ? "<span class=\"chg new\">新增</span>" : "<span class=\"chg\">—</span>");
		return;
	}
	double pct = 100.0 * (now - before) / before;
	if (pct >= 0.05)
		out_putf(p, "<span class=\"chg up\">▲ %.1f%%</span>", pct);
	else if (pct <= -0.05)
		out_putf(p, "<span class=\"chg down\">▼ %.1f%%</span>", -pct);
	else
		out_put(p, "<span class=\"chg\">持平</span>");
}

static double pct_of(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

/* The smallest step of 1, 2, 2.5 or 5 times a power of ten that covers
 * max in at most maxticks steps: axes that end just above the data. */
static double axis_step(double max, int maxticks, int integer)
{
	static const double m[] = {1, 2, 2.5, 5};
	double mag;

	if (max <= 0 || maxticks < 1)
		return 1;
	mag = pow(10, floor(log10(max / maxticks)) - 1);
	for (int guard = 0; guard < 40; guard++, mag *= 10)
		for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
			double step = m[i] * mag;
			if (integer && (step < 1 || step != floor(step)))
				continue;
			if (ceil(max / step - 1e-9) <= maxticks)
				return step;
		}
	return max;
}

/* ------------------------------------------------------------------ */
/* The page's fixed parts: style and script                            */

/* Pieces, because ISO C promises string literals of only 4095 bytes. */
static const char *const CSS[] = {
	":root{--fg:#1f2933;--muted:#66788a;--line:#e3e8ee;--bg:#f4f6f9;--card:#fff;--accent:#1d5fd1;"
	"--accent-soft:#e4edfb;--orange:#e8710a;--up:#188038;--down:#c5221f;--warn:#b06000;--warn-bg:#fff4e0}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font-family:\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;font-size:14px;line-height:1.55}\n"
	"a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}\n"
	"header.top{background:linear-gradient(135deg,#123a7a,#1d5fd1);color:#fff;padding:28px 0 22px}\n"
	".wrap{max-width:1360px;margin:0 auto;padding:0 24px}\n"
	"header.top h1{margin:0 0 10px;font-size:26px;font-weight:600;letter-spacing:.5px}\n"
	"header.top dl{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0;font-size:13px;opacity:.92}\n"
	"header.top dt{display:inline;opacity:.75}header.top dd{display:inline;margin:0 0 0 6px}\n"
	"nav.toc{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line);"
	"backdrop-filter:blur(6px)}\n"
	"nav.toc .wrap{display:flex;gap:4px;overflow-x:auto}\n"
	"nav.toc a{padding:10px 12px;color:var(--fg);white-space:nowrap;font-size:14px;border-bottom:2px solid transparent}\n"
	"nav.toc a:hover{color:var(--accent);border-bottom-color:var(--accent);text-decoration:none}\n"
	"main{padding:20px 0 40px}\n"
	"section{background:var(--card);border-radius:10px;box-shadow:0 1px 3px rgba(16,24,40,.08);"
	"padding:20px 24px 24px;margin:0 0 20px;scroll-margin-top:52px}\n"
	"h2{margin:0 0 14px;font-size:20px;font-weight:600;padding-left:10px;border-left:4px solid var(--accent)}\n"
	"h3{margin:22px 0 10px;font-size:15px;font-weight:600;color:#33475b}\n"
	".card .p .chg{display:block;margin:1px 0 0}\n"
	"p.note{color:var(--muted);font-size:12.5px;margin:10px 0 0}\n"
	"p.lead{font-size:15px;margin:0 0 16px}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(118px,1fr));gap:12px}\n"
	".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfe}\n"
	".card .k{color:var(--muted);font-size:13px}\n"
	".card .v{font-size:26px;font-weight:600;line-height:1.3;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	".card .v small{font-size:15px;font-weight:500;margin-left:2px}\n"
	".card .p{font-size:12px;color:var(--muted)}\n"
	".chg{font-size:12px;color:var(--muted);margin-left:4px}.chg.up{color:var(--up)}.chg.down{color:var(--down)}"
	".chg.new{color:var(--accent)}\n"
	".scroll{overflow:auto;max-height:82vh;border:1px solid var(--line);border-radius:8px}\n"
	".scroll.free{max-height:none}\n"
	"table{border-collapse:separate;border-spacing:0;width:100%;font-size:13px;font-variant-numeric:tabular-nums}\n"
	"th,td{padding:7px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle;white-space:nowrap}\n"
	,
	"thead th{position:sticky;top:0;z-index:2;background:#f0f3f7;color:#33475b;font-weight:600;"
	"border-bottom:1px solid #cfd8e3}\n"
	"tbody tr:nth-child(even) td{background:#fafbfd}\n"
	"tbody tr:hover td{background:#eef4fd}\n"
	"tfoot td{background:#f6f7f9;color:#46566a;font-style:italic;border-top:2px solid #cfd8e3}\n"
	"td.n,th.n{text-align:right}\n"
	"td.rank{color:var(--muted);text-align:right;width:3em}\n"
	"#leaderboard-table td.title>a,#leaderboard-table td.title>span{max-width:220px}\n"
	".na{color:#a0aab6}\n"
	/* a cell's max-width does not bind in table layout: the block inside does */
	"td.title>a,td.title>span{display:block;max-width:300px;overflow:hidden;text-overflow:ellipsis}\n"
	"td.bar{background-image:linear-gradient(90deg,var(--accent-soft) var(--w),transparent var(--w));"
	"background-repeat:no-repeat}\n"
	"th.sort{cursor:pointer;user-select:none}\n"
	"th.sort:hover{background:#e4eaf2}\n"
	"th.sort::after{content:\"\\2195\";opacity:.3;margin-left:4px;font-size:11px}\n"
	"th[aria-sort=ascending]::after{content:\"\\25B2\";opacity:.9;color:var(--accent)}\n"
	"th[aria-sort=descending]::after{content:\"\\25BC\";opacity:.9;color:var(--accent)}\n"
	"tr.zero td{background:var(--warn-bg)!important}\n"
	".badge{display:inline-block;font-size:11px;line-height:1.5;padding:0 6px;border-radius:9px;margin-left:6px;"
	"font-style:normal;vertical-align:1px}\n"
	".badge.warn{background:#fde3b8;color:var(--warn)}.badge.ok{background:#dcf1e2;color:var(--up)}"
	".badge.bad{background:#fbdcdb;color:var(--down)}\n"
	"svg.spark{display:block}\n"
	".chart-box{border:1px solid var(--line);border-radius:8px;padding:10px 8px 4px}\n"
	"svg.chart{display:block;width:100%;height:auto}\n"
	"svg.chart text{font-size:12px;fill:#66788a}\n"
	"svg.chart .grid{stroke:#e8ecf1}\nsvg.chart .axis{stroke:#9aa7b5}\n"
	"svg.chart rect.b{fill:#7fa7e8}svg.chart rect.b:hover{fill:var(--accent)}\n"
	"svg.chart .ln{fill:none;stroke:var(--orange);stroke-width:2.2}\n"
	"svg.chart circle{fill:#fff;stroke:var(--orange);stroke-width:1.6}\n"
	".legend{display:flex;gap:18px;font-size:12.5px;color:var(--muted);margin:0 0 6px 6px}\n"
	".legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}\n"
	".legend i.l{height:3px;vertical-align:3px}\n"
	".grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:24px;align-items:start}\n"
	"@media (max-width:1000px){.grid2{grid-template-columns:minmax(0,1fr)}}\n"
	"td.hbar{width:45%}\n"
	"tbody.loc tr:first-child td{border-top:2px solid #cfd8e3}\n"
	"#unit-top-table tbody tr td{background:#fff}\n"
	"#unit-top-table tr.g td{border-top:2px solid #cfd8e3}\n"
	"#unit-top-table td.unit{white-space:normal;min-width:6em;max-width:8em;vertical-align:top}\n"
	"#unit-top-table td.title>a,#unit-top-table td.title>span{max-width:250px}\n"
	".hb{height:10px;border-radius:5px;background:#7fa7e8;min-width:2px}\n"
	"details summary{cursor:pointer;color:var(--accent);margin:12px 0 8px;font-size:13px}\n"
	"footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 30px}\n"
	,
	"@page{size:A4 landscape;margin:12mm}\n"
	"@media print{\n"
	"body{background:#fff;color:#000;font-size:10.5pt}\n"
	"nav.toc,details summary{display:none}\n"
	"header.top{background:none;color:#000;padding:0 0 8px;border-bottom:2px solid #000}\n"
	"header.top dl{opacity:1}\n"
	"section{box-shadow:none;border-radius:0;padding:0;margin:0;break-before:page}\n"
	"section#overview{break-before:auto;margin-top:14px}\n"
	"h2{border-left:none;padding-left:0;border-bottom:1px solid #000;padding-bottom:4px}\n"
	"h2,h3{break-after:avoid}\n"
	".card{background:none;border-color:#999}\n"
	".scroll{max-height:none;overflow:visible;border:none}\n"
	"thead{display:table-header-group}\n"
	/* the 区县未知 row once at the end, not at the foot of every page */
	"tfoot{display:table-row-group}\n"
	".cards{grid-template-columns:repeat(5,minmax(0,1fr));gap:8px}\n"
	".card .v{font-size:17pt}\n"
	"thead th{position:static;background:none;border-bottom:1px solid #000;color:#000}\n"
	"tr,.card,.chart-box{break-inside:avoid}\n"
	"tbody tr:nth-child(even) td,tr.zero td,tfoot td{background:none!important}\n"
	"td.bar{background-image:none}\n"
	"#matrix-table td{background:none!important;color:#000!important}\n"
	"a{color:#000;text-decoration:none}a[href]::after{content:none!important}\n"
	"th.sort::after{content:none}\n"
	".chg.up,.chg.down,.chg.new,.badge{color:#000;background:none;border:1px solid #999}\n"
	"th,td{padding:3px 6px}\n"
	"td.title>a,td.title>span{max-width:240px}\n"
	"}\n"};

/*
 * Sorts #leaderboard-table when a header is clicked (again: the other
 * way), by each cell's data-v: numbers by value with unknown ("") last,
 * text in Chinese order.  The 重庆（区县未知） row sits in <tfoot> so it
 * never moves.  `#sort=posts` (keys comma-separated) clicks those headers
 * on load: a link to a sorted view, and how tests/html_test.sh proves the
 * script runs.  It sets data-js="ok" on <html> once it has run through.
 *
 * The CSP below allows this script by its SHA-256: after changing it,
 * update SORT_JS_HASH (Chromium's console names the new hash, and
 * tests/html_test.sh fails until it matches).
 */
static const char SORT_JS[] =
	"(function(){'use strict';"
	"var t=document.getElementById('leaderboard-table');"
	"if(t&&t.tHead&&t.tBodies.length){"
	"var body=t.tBodies[0],hs=t.tHead.rows[0].cells;"
	"var num=function(i){return hs[i].getAttribute('data-type')==='num';};"
	"var val=function(r,i){var c=r.cells[i],v=c?c.getAttribute('data-v'):null;"
	"if(!num(i))return v===null?'':v;var x=parseFloat(v);return isNaN(x)?null:x;};"
	"var sortBy=function(i,dir){var rows=Array.prototype.slice.call(body.rows),n=num(i);"
	"rows.sort(function(a,b){var x=val(a,i),y=val(b,i);"
	"if(n){if(x===null||y===null)return x===y?0:(x===null?1:-1);return dir*(x-y);}"
	"return dir*String(x).localeCompare(String(y),'zh-CN');});"
	"rows.forEach(function(r){body.appendChild(r);});"
	"for(var k=0;k<hs.length;k++)hs[k].removeAttribute('aria-sort');"
	"hs[i].setAttribute('aria-sort',dir>0?'ascending':'descending');"
	"t.setAttribute('data-sorted',hs[i].getAttribute('data-key')+(dir>0?' asc':' desc'));};"
	"var click=function(i){var s=hs[i].getAttribute('aria-sort');"
	"sortBy(i,s?(s==='ascending'?-1:1):(hs[i].getAttribute('data-dir')==='asc'?1:-1));};"
	"Array.prototype.forEach.call(hs,function(h,i){"
	"h.addEventListener('click',function(){click(i);});"
	"h.addEventListener('keydown',function(ev){if(ev.key==='Enter'||ev.key===' '){ev.preventDefault();click(i);}});});"
	"var m=/(?:^#|[#&])sort=([\\w,-]+)/.exec(location.hash);"
	"if(m)m[1].split(',').forEach(function(key){"
	"for(var i=0;i<hs.length;i++)if(hs[i].getAttribute('data-key')===key)click(i);});}"
	"document.documentElement.setAttribute('data-js','ok');})();";
static const char SORT_JS_HASH[] = "sha256-T35/Xm7MEIta7xbPKMWmvU0opu5ReS8k51MgLSp21s8=";

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static void section_open(struct out *p, const char *id, const char *h2)
{
	out_putf(p, "<section id=\"%s\">\n<h2>%s</h2>\n", id, h2);
}

/* One overview card: label, big value (exact in the tooltip), then the
 * previous period and the change. */
static void card(struct out *p, const char *label, double now, int known_now, double before,
		 int known_before, int real)
{
	out_putf(p, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\" title=\"", label);
	if (known_now) {
		if (real)
			out_putf(p, "%.1f", now);
		else
			out_putf(p, "%.0f", now);
		out_put(p, "\">");
		put_compact(p, real ? floor(now * 10 + 0.5) / 10 : now);
	} else
		out_put(p, "平台不提供该项数据\"><span class=\"na\">—</span>");
	out_put(p, "</div><div class=\"p\">上期 ");
	if (known_before) {
		if (real)
			put_real(p, before);
		else
			put_int(p, (int64_t)before);
	} else
		out_put(p, "—");
	change(p, now, known_before ? before : 0, known_now);
	out_put(p, "</div></div>\n");
}

static void overview(struct out *p, const struct report *r, const size_t *order)
{
	const struct report_totals *t = &r->total, *v = &r->previous;
	long zero = 0;

	section_open(p, "overview", "总览");
	out_put(p, "<p class=\"lead\">");
	if (r->district) {
		out_html(p, r->district->name);
		out_put(p, " ");
	}
	out_putf(p, "%s 至 %s 共有作品 <b>", r->since, r->until);
	put_int(p, t->posts);
	out_put(p, "</b> 件（较上期");
	change(p, (double)t->posts, (double)v->posts, 1);
	out_put(p, "），作者 <b>");
	put_int(p, t->authors);
	out_put(p, "</b> 位，互动指数合计 <b>");
	put_real(p, t->index_sum);
	out_put(p, "</b>");
	if (!r->district) {
		for (size_t i = 0; i < r->nunits; i++)
			zero += r->units[i].t.posts == 0;
		out_putf(p, "；覆盖区县 <b>%ld / %zu</b>", r->units_covered, r->nunits);
		if (r->nunits && r->units[order[0]].t.posts > 0) {
			out_put(p, "，互动指数最高的是 <b>");
			out_html(p, r->units[order[0]].unit->name);
			out_put(p, "</b>");
		}
		if (zero)
			out_putf(p, "；<span class=\"badge warn\">需关注</span> %ld 个区县本期无作品", zero);
	}
	out_put(p, "。</p>\n<div class=\"cards\">\n");
	card(p, "作品", (double)t->posts, 1, (double)v->posts, 1, 0);
	card(p, "作者", (double)t->authors, 1, (double)v->authors, 1, 0);
	for (int k = 0; k < PC_N; k++)
		card(p, report_count_labels[k], (double)t->counts[k], !!(t->known & (1u << k)), (double)v->counts[k],
		     !!(v->known & (1u << k)), 0);
	card(p, "互动指数", t->index_sum, 1, v->index_sum, 1, 1);
	if (!r->district) {
		out_putf(p, "<div class=\"card\"><div class=\"k\">覆盖区县</div><div class=\"v\">%ld<small> / %zu</small></div>"
			"<div class=\"p\">有作品的区县</div></div>\n", r->units_covered, r->nunits);
	} else {
		out_put(p, "<div class=\"card\"><div class=\"k\">区县</div><div class=\"v\" style=\"font-size:20px\">");
		out_html(p, r->district->name);
		out_put(p, "</div><div class=\"p\">代码 ");
		out_html(p, r->district->code);
		out_put(p, "</div></div>\n");
	}
	out_put(p, "</div>\n<p class=\"note\">上期为 ");
	out_putf(p, "%s 至 %s（同样长度的前一时段）。", r->previous_since, r->previous_until);
	out_put(p, "“—”表示平台不提供该项数据（例如微博不提供播放量），不计为 0。</p>\n</section>\n");
}

/* A unit's posts per day as a small area chart; the peak in the tooltip. */
static void sparkline(struct out *p, const long *v, size_t n)
{
	const double w = 120, h = 26;
	long max = 0, sum = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i] > max)
			max = v[i];
		sum += v[i];
	}
	out_putf(p, "<td data-v=\"%ld\"><svg class=\"spark\" width=\"120\" height=\"26\" viewBox=\"0 0 120 26\" role=\"img\">"
		"<title>每日作品：共 %ld 件，单日最多 %ld 件</title>", sum, sum, max);
	if (n == 0 || max == 0) {
		out_putf(p, "<line x1=\"0\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c9d2dc\" stroke-width=\"1.5\"/>", h - 1,
		     w, h - 1);
	} else {
		double step = n > 1 ? w / (double)(n - 1) : 0;
		out_put(p, "<path fill=\"#dbe6fa\" stroke=\"none\" d=\"M0,25");
		for (size_t i = 0; i < n; i++)
			out_putf(p, " L%.1f,%.1f", n > 1 ? step * (double)i : w / 2, h - 1 - (h - 3) * (double)v[i] / (double)max);
		out_putf(p, " L%.1f,25 Z\"/><polyline fill=\"none\" stroke=\"#1d5fd1\" stroke-width=\"1.4\" points=\"",
		     n > 1 ? w : w / 2);
		for (size_t i = 0; i < n; i++)
			out_putf(p, "%s%.1f,%.1f", i ? " " : "", n > 1 ? step * (double)i : w / 2,
			     h - 1 - (h - 3) * (double)v[i] / (double)max);
		out_put(p, "\"/>");
	}
	out_put(p, "</svg></td>");
}

static void leaderboard(struct out *p, const struct report *r, const size_t *order)
{
	/* the columns before, between (the counts, in enum post_count's order)
	 * and after */
	struct col {
		const char *key, *label;
		int num, asc;
	};
	static const struct col head[] = {
		{"rank", "排名", 1, 1}, {"name", "区县", 0, 1}, {"code", "代码", 0, 1},
		{"posts", "作品", 1, 0}, {"authors", "作者", 1, 0},
	};
	static const struct col tail[] = {
		{"index", "互动指数", 1, 0}, {"avg", "篇均", 1, 0}, {"share", "占比", 1, 0},
		{"daily", "每日作品", 1, 0}, {"best", "最佳作品", 0, 1},
	};
	struct col cols[sizeof(head) / sizeof(head[0]) + PC_N + sizeof(tail) / sizeof(tail[0])];
	size_t ncols = 0;

	for (size_t c = 0; c < sizeof(head) / sizeof(head[0]); c++)
		cols[ncols++] = head[c];
	for (int k = 0; k < PC_N; k++)
		cols[ncols++] = (struct col){post_count_names[k], report_count_labels[k], 1, 0};
	for (size_t c = 0; c < sizeof(tail) / sizeof(tail[0]); c++)
		cols[ncols++] = tail[c];
	double top_share = 0;

	for (size_t i = 0; i < r->nunits; i++) {
		double s = pct_of(r->units[i].t.index_sum, r->total.index_sum);
		if (s > top_share)
			top_share = s;
	}
	section_open(p, "leaderboard", "区县排行");
	out_put(p, "<div class=\"scroll\"><table id=\"leaderboard-table\">\n<thead><tr>");
	for (size_t c = 0; c < ncols; c++)
		out_putf(p, "<th class=\"sort%s\" tabindex=\"0\" data-key=\"%s\" data-type=\"%s\"%s%s>%s</th>",
		     cols[c].num && strcmp(cols[c].key, "daily") ? " n" : "", cols[c].key, cols[c].num ? "num" : "text",
		     cols[c].asc ? " data-dir=\"asc\"" : "",
		     !strcmp(cols[c].key, "index") ? " aria-sort=\"descending\"" : "", cols[c].label);
	out_put(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nunits; i++) {
		const struct report_unit *u = &r->units[order[i]];
		const struct report_totals *x = &u->t;
		double share = pct_of(x->index_sum, r->total.index_sum);

		out_put(p, x->posts ? "<tr data-code=\"" : "<tr class=\"zero\" data-code=\"");
		out_html(p, u->unit->code);
		out_putf(p, "\"><td class=\"rank\" data-v=\"%zu\">%zu</td><td data-v=\"", i + 1, i + 1);
		out_html(p, u->unit->name);
		out_put(p, "\"><b>");
		out_html(p, u->unit->name);
		out_put(p, "</b>");
		if (!x->posts)
			out_put(p, "<span class=\"badge warn\" title=\"本期无作品\">需关注</span>");
		out_put(p, "</td>");
		td_text(p, u->unit->code);
		td_long(p, x->posts);
		td_long(p, x->authors);
		for (int k = 0; k < PC_N; k++)
			td_count(p, x->counts[k], x->known, 0, k);
		td_real(p, x->index_sum);
		td_real(p, x->posts ? x->index_sum / (double)x->posts : 0.0);
		td_share(p, share, top_share > 0 ? 100.0 * share / top_share : 0);
		sparkline(p, u->daily, r->ndays);
		if (u->nbest) {
			out_put(p, "<td class=\"title\" data-v=\"");
			out_html(p, u->best[0].title ? u->best[0].title : "");
			out_put(p, "\">");
			work_link(p, u->best[0].title, u->best[0].url);
			out_put(p, "</td>");
		} else
			out_put(p, "<td data-v=\"\"><span class=\"na\">—</span></td>");
		out_put(p, "</tr>\n");
	}
	{
		const struct report_totals *x = &r->unknown_unit;
		out_put(p, "</tbody>\n<tfoot><tr data-code=\"\"><td class=\"rank\"></td><td>重庆（区县未知）</td><td></td>");
		td_long(p, x->posts);
		td_long(p, x->authors);
		for (int k = 0; k < PC_N; k++)
			td_count(p, x->counts[k], x->known, 0, k);
		td_real(p, x->index_sum);
		td_real(p, x->posts ? x->index_sum / (double)x->posts : 0.0);
		td_share(p, pct_of(x->index_sum, r->total.index_sum), 0);
		out_put(p, "<td><span class=\"na\">—</span></td><td><span class=\"na\">—</span></td></tr></tfoot>\n");
	}
	out_put(p, "</table></div>\n<p class=\"note\">按互动指数排序；点击任一列标题可按该列排序，再次点击反向。"
	       "互动指数为各作品指数之和，篇均为其平均，占比为占全市指数之比；公式见 README 的 “Engagement index”。"
	       "“—”表示平台不提供该项数据。<span class=\"badge warn\">需关注</span> 本期无作品。</p>\n</section>\n");
}

static void authors(struct out *p, const struct report *r)
{
	section_open(p, "authors", "作者");
	out_put(p, "<div class=\"scroll free\"><table id=\"authors-table\">\n<thead><tr><th class=\"n\">排名</th><th>作者</th>"
	       "<th>平台</th><th class=\"n\">作品</th><th class=\"n\">点赞</th><th class=\"n\">评论</th>"
	       "<th class=\"n\">互动指数</th><th class=\"n\">篇均</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nauthors && i < REPORT_TOP_AUTHORS; i++) {
		const struct report_author *a = &r->authors[i];
		out_putf(p, "<tr><td class=\"rank\">%zu</td>", i + 1);
		td_text(p, a->author_name);
		td_text(p, platform_label(a->platform));
		td_long(p, a->posts);
		/* report_author has no `known` bits: likes and comments, which
		 * every platform reports, as the Markdown report shows them */
		td_count(p, a->counts[PC_LIKES], 1u << PC_LIKES, 0, PC_LIKES);
		td_count(p, a->counts[PC_COMMENTS], 1u << PC_COMMENTS, 0, PC_COMMENTS);
		td_real(p, a->index_sum);
		td_real(p, a->posts ? a->index_sum / (double)a->posts : 0.0);
		out_put(p, "</tr>\n");
	}
	if (!r->nauthors)
		out_put(p, "<tr><td colspan=\"8\" class=\"na\">本期无作品</td></tr>\n");
	out_putf(p, "</tbody></table></div>\n<p class=\"note\">本区县互动指数最高的 %d 位作者（按平台与作者名区分）。</p>\n"
		"</section>\n", REPORT_TOP_AUTHORS);
}

static void platforms_section(struct out *p, const struct report *r)
{
	size_t nused = 0;
	long top = 0, cell_max = 0;
#define used(i) (r->platforms[i].posts > 0)

	for (size_t i = 0; i < nplatforms; i++)
		if (r->platforms[i].posts) {
			nused++;
			if (r->platforms[i].posts > top)
				top = r->platforms[i].posts;
		}
	section_open(p, "platforms", "平台");
	out_put(p, "<div class=\"scroll free\"><table id=\"platforms-table\">\n<thead><tr><th>平台</th><th>标识</th>"
	       "<th class=\"n\">作品</th><th class=\"n\">占比</th><th class=\"n\">作者</th>");
	for (int k = 0; k < PC_N; k++)
		out_putf(p, "<th class=\"n\">%s</th>", report_count_labels[k]);
	out_put(p, "<th class=\"n\">互动指数</th><th class=\"n\">篇均</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < nplatforms; i++) {
		const struct report_totals *x = &r->platforms[i];
		double share = pct_of((double)x->posts, (double)r->total.posts);
		if (!used(i))
			continue;
		out_put(p, "<tr><td><b>");
		out_html(p, platforms[i].label);
		out_put(p, "</b></td>");
		td_text(p, platforms[i].name);
		td_long(p, x->posts);
		td_share(p, share, top ? 100.0 * (double)x->posts / (double)top : 0);
		td_long(p, x->authors);
		for (int k = 0; k < PC_N; k++)
			td_count(p, x->counts[k], x->known, 0, k);
		td_real(p, x->index_sum);
		td_real(p, x->posts ? x->index_sum / (double)x->posts : 0.0);
		out_put(p, "</tr>\n");
	}
	if (!nused)
		out_putf(p, "<tr><td colspan=\"%d\" class=\"na\">本期无作品</td></tr>\n", 6 + PC_N);
	out_put(p, "</tbody></table></div>\n");
	if (!r->district) {
		/* unit x platform: the columns are the platforms with posts; the
		 * shade of a cell is its share of the largest cell */
		for (size_t u = 0; u < r->nunits; u++)
			for (size_t i = 0; i < nplatforms; i++)
				if (r->units[u].platform_posts[i] > cell_max)
					cell_max = r->units[u].platform_posts[i];
		out_put(p, "<h3>区县 × 平台（作品数）</h3>\n<div class=\"scroll\"><table id=\"matrix-table\">\n<thead><tr><th>区县</th>");
		for (size_t i = 0; i < nplatforms; i++)
			if (used(i)) {
				out_put(p, "<th class=\"n\">");
				out_html(p, platforms[i].label);
				out_put(p, "</th>");
			}
		out_put(p, "<th class=\"n\">合计</th></tr></thead>\n<tbody>\n");
		for (size_t u = 0; u < r->nunits; u++) {
			const struct report_unit *ru = &r->units[u];
			out_put(p, ru->t.posts ? "<tr><td>" : "<tr class=\"zero\"><td>");
			out_html(p, ru->unit->name);
			out_put(p, "</td>");
			for (size_t i = 0; i < nplatforms; i++) {
				long v = ru->platform_posts[i];
				double a = cell_max ? 0.08 + 0.62 * (double)v / (double)cell_max : 0;
				if (!used(i))
					continue;
				if (v)
					out_putf(p, "<td class=\"n\" data-v=\"%ld\" style=\"background:rgba(29,95,209,%.2f)%s\">%ld</td>", v,
					     a, a > 0.45 ? ";color:#fff" : "", v);
				else
					out_put(p, "<td class=\"n na\" data-v=\"0\">0</td>");
			}
			td_long(p, ru->t.posts);
			out_put(p, "</tr>\n");
		}
		out_put(p, "</tbody></table></div>\n");
	}
	out_put(p, "<p class=\"note\">作品数按平台统计；“—”表示该平台不提供该项数据。</p>\n</section>\n");
#undef used
}

/* Posts per day as bars (left axis), the day's engagement index as a line
 * (right axis); every figure also in the table below it. */
static void trend(struct out *p, const struct report *r)
{
	const double W = 1200, H = 320, ml = 56, mr = 64, mt = 30, mb = 44;
	const double pw = W - ml - mr, ph = H - mt - mb;
	size_t n = r->ndays;
	long maxp = 0;
	double maxi = 0, pstep, istep, ptop, itop, slot, bw;
	int pticks;
	size_t every;

	for (size_t i = 0; i < n; i++) {
		if (r->days[i].posts > maxp)
			maxp = r->days[i].posts;
		if (r->days[i].index_sum > maxi)
			maxi = r->days[i].index_sum;
	}
	pstep = axis_step((double)maxp, 5, 1);
	pticks = maxp > 0 ? (int)ceil((double)maxp / pstep - 1e-9) : 4;
	if (pticks < 2) { /* one tick looks like a broken chart */
		pticks = 2;
		pstep = maxp > 1 ? axis_step((double)maxp, 2, 1) : 1;
	}
	ptop = pstep * pticks;
	/* the index axis gets the same number of ticks, so both share the grid */
	istep = axis_step(maxi, pticks, 0);
	itop = istep * pticks;
	slot = n ? pw / (double)n : pw;
	bw = slot * 0.66 > 48 ? 48 : slot * 0.66; /* a few days: bars, not walls */
	every = n > 16 ? (n + 15) / 16 : 1;

	section_open(p, "trend", "趋势");
	out_put(p, "<div class=\"chart-box\"><div class=\"legend\"><span><i style=\"background:#7fa7e8\"></i>每日作品数（左轴）</span>"
	       "<span><i class=\"l\" style=\"background:#e8710a\"></i>每日互动指数（右轴）</span></div>\n");
	out_putf(p, "<svg class=\"chart\" id=\"trend-chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"每日作品数与互动指数\">\n",
	     W, H);
	for (int k = 0; k <= pticks; k++) {
		double y = mt + ph - ph * k / pticks;
		out_putf(p, "<line class=\"%s\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>", k ? "grid" : "axis", ml, W - mr,
		     y, y);
		out_putf(p, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>", ml - 8, y + 4, pstep * k);
		out_putf(p, "<text x=\"%.0f\" y=\"%.1f\">", W - mr + 8, y + 4);
		if (istep >= 1)
			put_int(p, (int64_t)(istep * k + 0.5));
		else
			out_putf(p, "%.1f", istep * k);
		out_put(p, "</text>\n");
	}
	out_putf(p, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">作品</text>", ml - 8, mt - 14);
	out_putf(p, "<text x=\"%.0f\" y=\"%.0f\">互动指数</text>\n", W - mr + 8, mt - 14);
	for (size_t i = 0; i < n; i++) {
		const struct report_day *d = &r->days[i];
		double h = ptop > 0 ? ph * (double)d->posts / ptop : 0;
		out_putf(p, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", ml + slot * (double)i + (slot - bw) / 2,
		     mt + ph - h, bw, h);
		out_html(p, d->date);
		out_putf(p, "：作品 %ld 件，互动指数 %.1f</title></rect>\n", d->posts, d->index_sum);
	}
	if (n > 0) {
		out_put(p, "<polyline class=\"ln\" points=\"");
		for (size_t i = 0; i < n; i++)
			out_putf(p, "%s%.1f,%.1f", i ? " " : "", ml + slot * ((double)i + 0.5),
			     mt + ph - (itop > 0 ? ph * r->days[i].index_sum / itop : 0));
		out_put(p, "\"/>\n");
		if (n <= 62)
			for (size_t i = 0; i < n; i++) {
				out_putf(p, "<circle r=\"3\" cx=\"%.1f\" cy=\"%.1f\"><title>", ml + slot * ((double)i + 0.5),
				     mt + ph - (itop > 0 ? ph * r->days[i].index_sum / itop : 0));
				out_html(p, r->days[i].date);
				out_putf(p, "：互动指数 %.1f</title></circle>", r->days[i].index_sum);
			}
	}
	for (size_t i = 0; i < n; i += every) {
		double x = ml + slot * ((double)i + 0.5);
		out_putf(p, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", x, x, mt + ph, mt + ph + 4);
		out_putf(p, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, mt + ph + 18);
		out_html(p, r->days[i].date + 5); /* MM-DD */
		out_put(p, "</text>\n");
	}
	if (n > 2) { /* the year, which the MM-DD ticks leave out */
		out_putf(p, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"start\">", ml, H - 4);
		out_html(p, r->days[0].date);
		out_putf(p, "</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", W - mr, H - 4);
		out_html(p, r->days[n - 1].date);
		out_put(p, "</text>\n");
	}
	out_put(p, "</svg></div>\n");

	/* the figures behind the chart, folded away on screen */
	out_put(p, "<details><summary>每日数据表</summary>\n<div class=\"scroll\"><table id=\"daily-table\">\n<thead><tr><th>日期</th>"
	       "<th class=\"n\">作品</th>");
	for (int k = 0; k < PC_N; k++)
		out_putf(p, "<th class=\"n\">%s</th>", report_count_labels[k]);
	out_put(p, "<th class=\"n\">互动指数</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_day *d = &r->days[i];
		out_put(p, "<tr>");
		td_text(p, d->date);
		td_long(p, d->posts);
		/* a day has no `known` of its own: the window's says which counts exist */
		for (int k = 0; k < PC_N; k++)
			td_count(p, d->counts[k], r->total.known, 0, k);
		td_real(p, d->index_sum);
		out_put(p, "</tr>\n");
	}
	out_put(p, "</tbody></table></div></details>\n</section>\n");
}

static void works_head(struct out *p, int unit_first)
{
	out_put(p, "<thead><tr>");
	out_put(p, unit_first ? "<th>区县</th><th class=\"n\">排名</th><th>作品</th><th>作者</th>"
			  : "<th class=\"n\">排名</th><th>作品</th><th>作者</th><th>区县</th>");
	out_put(p, "<th>平台</th><th>发布时间</th>");
	for (int k = 0; k < PC_N; k++)
		out_putf(p, "<th class=\"n\">%s</th>", report_count_labels[k]);
	out_put(p, "<th class=\"n\">互动指数</th></tr></thead>\n<tbody>\n");
}

static void work_row(struct out *p, const struct report_work *w, size_t rank, const char *unit, size_t rowspan)
{
	char t[32];

	out_put(p, unit && rowspan ? "<tr class=\"g\">" : "<tr>");
	if (unit && rowspan) {
		out_putf(p, "<td class=\"unit\" rowspan=\"%zu\"><b>", rowspan);
		out_html(p, unit);
		out_put(p, "</b></td>");
	}
	out_putf(p, "<td class=\"rank\">%zu</td><td class=\"title\">", rank);
	work_link(p, w->title, w->url);
	out_put(p, "</td>");
	td_text(p, w->author_name);
	if (!unit)
		td_text(p, w->district);
	td_text(p, platform_label(w->platform));
	when(w->created_at, t);
	td_text(p, t);
	for (int k = 0; k < PC_N; k++)
		td_count(p, w->counts[k], w->known, w->lower, k);
	td_real(p, w->index);
	out_put(p, "</tr>\n");
}

static void top_works(struct out *p, const struct report *r)
{
	section_open(p, "top-works", "热门作品");
	out_putf(p, "<h3>%s前 %d 件</h3>\n<div class=\"scroll free\"><table id=\"top-table\">\n", r->district ? "本区县" : "全市",
	     REPORT_TOP_WORKS);
	works_head(p, 0);
	for (size_t i = 0; i < r->ntop; i++)
		work_row(p, &r->top[i], i + 1, NULL, 0);
	if (!r->ntop)
		out_putf(p, "<tr><td colspan=\"%d\" class=\"na\">本期无作品</td></tr>\n", 7 + PC_N);
	out_put(p, "</tbody></table></div>\n");
	if (!r->district) {
		out_put(p, "<h3>各区县前 3 件</h3>\n<div class=\"scroll\"><table id=\"unit-top-table\">\n");
		works_head(p, 1);
		for (size_t u = 0; u < r->nunits; u++)
			for (size_t i = 0; i < r->units[u].nbest; i++)
				work_row(p, &r->units[u].best[i], i + 1, r->units[u].unit->name, i ? 0 : r->units[u].nbest);
		out_put(p, "</tbody></table></div>\n");
	}
	out_put(p, "<p class=\"note\">按互动指数排序（公式见 README 的 “Engagement index”）。"
	       "“100,000+”为平台只给出的下限；“—”表示平台不提供该项数据。</p>\n</section>\n");
}

/* Hashtags from..to as a table with bars scaled to the top tag. */
static void hashtag_table(struct out *p, const struct report *r, size_t from, size_t to, long max)
{
	out_put(p, "<div class=\"scroll free\"><table class=\"hashtags-table\">\n<thead><tr>"
	       "<th class=\"n\">排名</th><th>话题</th><th class=\"n\">作品</th><th></th></tr></thead>\n<tbody>\n");
	for (size_t i = from; i < to; i++) {
		out_putf(p, "<tr><td class=\"rank\">%zu</td><td data-v=\"", i + 1);
		out_html(p, r->hashtags[i].tag);
		out_put(p, "\">#");
		out_html(p, r->hashtags[i].tag);
		out_put(p, "#</td>");
		td_long(p, r->hashtags[i].posts);
		out_putf(p, "<td class=\"hbar\"><div class=\"hb\" style=\"width:%.1f%%\"></div></td></tr>\n",
		     max ? 100.0 * (double)r->hashtags[i].posts / (double)max : 0.0);
	}
	if (from == to)
		out_put(p, "<tr><td colspan=\"4\" class=\"na\">本期无话题</td></tr>\n");
	out_put(p, "</tbody></table></div>\n");
}

static void hashtags(struct out *p, const struct report *r)
{
	size_t half = r->nhashtags > 10 ? (r->nhashtags + 1) / 2 : r->nhashtags;
	long max = 0;

	for (size_t i = 0; i < r->nhashtags; i++)
		if (r->hashtags[i].posts > max)
			max = r->hashtags[i].posts;
	section_open(p, "hashtags", "话题");
	out_put(p, "<p class=\"note\" style=\"margin:0 0 10px\">与 #");
	out_html(p, r->campaign);
	out_putf(p, "# 一同使用最多的 %d 个话题（按作品数）。</p>\n<div class=\"grid2\">\n", REPORT_TOP_HASHTAGS);
	hashtag_table(p, r, 0, half, max);
	if (half < r->nhashtags)
		hashtag_table(p, r, half, r->nhashtags, max);
	out_put(p, "</div>\n</section>\n");
}

static void quality_row(struct out *p, const char *label, const char *id, long n, long all)
{
	double pct = pct_of((double)n, (double)all);

	out_put(p, "<tr><td>");
	out_html(p, label);
	out_put(p, "</td>");
	td_text(p, id);
	td_long(p, n);
	td_share(p, pct, pct);
	out_put(p, "</tr>\n");
}

static void data_quality(struct out *p, const struct report *r)
{
	section_open(p, "data-quality", "数据质量");
	out_put(p, "<p class=\"note\" style=\"margin:0 0 6px\">统计时段内全部作品 <b>");
	put_int(p, r->all_posts);
	out_put(p, "</b> 件（不限范围），按区县归属依据与属地分列。</p>\n<div class=\"grid2\">\n<div><h3>区县归属依据</h3>"
	       "<div class=\"scroll free\"><table id=\"attribution-table\">\n<thead><tr><th>归属依据</th><th>标识</th>"
	       "<th class=\"n\">作品</th><th class=\"n\">占比</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < REPORT_METHODS; i++)
		quality_row(p, report_method_labels[i], report_methods[i], r->by_method[i], r->all_posts);
	out_put(p, "</tbody><tbody class=\"loc\">\n");
	quality_row(p, "在重庆但区县未知", "in_chongqing_unit_unknown", r->in_cq_no_unit, r->all_posts);
	quality_row(p, "重庆以外", "outside_chongqing", r->outside, r->all_posts);
	quality_row(p, "地点未知", "location_unknown", r->no_location, r->all_posts);
	quality_row(p, r->include_deleted ? "平台已删除（已计入）" : "平台已删除（未计入）", "deleted", r->deleted,
		    r->all_posts + (r->include_deleted ? 0 : r->deleted));
	out_put(p, "</tbody></table></div></div>\n<div><h3>采集状态</h3><div class=\"scroll free\"><table id=\"sources-table\">\n"
	       "<thead><tr><th>数据源</th><th>状态</th><th>最近一次成功采集</th><th>最近一次错误时间</th>"
	       "<th>最近一次错误</th><th>未读时段</th><th>最近一次完整回补</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nsources; i++) {
		const struct report_source *s = &r->sources[i];
		char ok[32], err[32];
		when(s->last_ok, ok);
		when(s->last_error_at, err);
		out_put(p, "<tr>");
		td_text(p, s->name);
		if (!s->last_ok)
			out_put(p, "<td><span class=\"badge bad\">从未成功</span></td>");
		else if (s->gap_hi)
			out_put(p, "<td><span class=\"badge bad\">有未读时段</span></td>");
		else if (s->last_error_at > s->last_ok)
			out_put(p, "<td><span class=\"badge bad\">最近出错</span></td>");
		else
			out_put(p, "<td><span class=\"badge ok\">正常</span></td>");
		td_text(p, s->last_ok ? ok : "从未成功");
		td_text(p, s->last_error_at ? err : NULL);
		out_put(p, "<td style=\"white-space:normal;min-width:14em\">");
		if (s->last_error)
			out_html(p, s->last_error);
		else
			out_put(p, "<span class=\"na\">—</span>");
		out_put(p, "</td><td class=\"gap\">");
		if (s->gap_hi) {
			char lo[32], hi[32];
			when(s->gap_lo, lo);
			when(s->gap_hi, hi);
			out_putf(p, "%s 至 %s<br><small>%s</small>", lo, hi,
				 s->gap_capped ? "平台不再列出更早的结果，可能缺失；见 README 的 Gaps" : "后续采集将补读");
		} else
			out_put(p, "<span class=\"na\">—</span>");
		out_put(p, "</td>");
		if (s->backfill_at) {
			char at[32], lo[32], hi[32];
			when(s->backfill_at, at);
			when(s->backfill_since, lo);
			when(s->backfill_until - 1, hi);
			out_putf(p, "<td>%s<br><small>%.10s 至 %.10s</small></td>", at, lo, hi);
		} else
			out_put(p, "<td><span class=\"na\">—</span></td>");
		out_put(p, "</tr>\n");
	}
	if (!r->nsources)
		out_put(p, "<tr><td colspan=\"7\" class=\"na\">尚无采集记录（数据来自导入）</td></tr>\n");
	out_put(p, "</tbody></table></div></div>\n</div>\n</section>\n");
}

/* Units by index, then posts: the order of tables.c, stable. */
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

int report_render_html(const struct report *r, FILE *out, struct kerr *e)
{
	static const struct {
		const char *id, *label;
	} toc[] = {{"overview", "总览"},   {"leaderboard", "区县排行"}, {"authors", "作者"},
		   {"platforms", "平台"},  {"trend", "趋势"},           {"top-works", "热门作品"},
		   {"hashtags", "话题"},   {"data-quality", "数据质量"}};
	struct out pg;
	struct out *p = &pg;
	size_t *order;
	char gen[32], asof[32];
	int rc = -1;

	if (!(order = malloc((r->nunits ? r->nunits : 1) * sizeof(*order))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	rank_units(r, order);
	memset(&pg, 0, sizeof(pg));
	out_init(&pg, e);
	when(r->generated_at, gen);
	when(r->as_of, asof);

	out_put(p, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
	       "img-src data:; base-uri 'none'; form-action 'none'; script-src '");
	out_put(p, SORT_JS_HASH);
	out_put(p, "'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"kepu\">\n<title>");
	out_html(p, r->campaign);
	out_put(p, " 传播数据报告");
	if (r->district) {
		out_put(p, "：");
		out_html(p, r->district->name);
	}
	out_put(p, "</title>\n<style>\n");
	for (size_t i = 0; i < sizeof(CSS) / sizeof(CSS[0]); i++)
		out_put(p, CSS[i]);
	out_put(p, "</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\">\n<h1>");
	out_html(p, r->campaign);
	out_put(p, " 传播数据报告");
	if (r->district) {
		out_put(p, "：");
		out_html(p, r->district->name);
	}
	out_putf(p, "</h1>\n<dl><div><dt>统计时段</dt><dd>%s 至 %s（北京时间，按发布时间）</dd></div>", r->since, r->until);
	out_putf(p, "<div><dt>互动数据截至</dt><dd>%s%s</dd></div>", asof, r->as_of_given ? "" : "（最新数据）");
	out_putf(p, "<div><dt>范围</dt><dd>%s</dd></div>", r->scope_all ? "全部作品" : "属地为重庆的作品");
	out_putf(p, "<div><dt>对比时段</dt><dd>%s 至 %s</dd></div>", r->previous_since, r->previous_until);
	out_putf(p, "<div><dt>生成时间</dt><dd>%s</dd></div></dl>\n</div></header>\n", gen);
	out_put(p, "<nav class=\"toc\"><div class=\"wrap\">");
	for (size_t i = 0; i < sizeof(toc) / sizeof(toc[0]); i++) {
		int authors_page = !strcmp(toc[i].id, "authors");
		if (!strcmp(toc[i].id, "leaderboard") ? r->district != NULL : authors_page && !r->district)
			continue;
		out_putf(p, "<a href=\"#%s\">%s</a>", toc[i].id, toc[i].label);
	}
	out_put(p, "</div></nav>\n<main class=\"wrap\">\n");

	overview(p, r, order);
	if (r->district)
		authors(p, r);
	else
		leaderboard(p, r, order);
	platforms_section(p, r);
	trend(p, r);
	top_works(p, r);
	hashtags(p, r);
	data_quality(p, r);

	out_put(p, "</main>\n<footer>由 kepu 生成 · 互动指数公式见 README 的 “Engagement index”</footer>\n<script>");
	out_put(p, SORT_JS);
	out_put(p, "</script>\n</body>\n</html>\n");

	rc = out_flush(&pg, out, "the report");
	free(order);
	return rc;
}
