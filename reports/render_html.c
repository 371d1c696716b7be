/*
 * render_html.c: the report as one self-contained HTML5 page: inline CSS,
 * inline SVG charts and one small inline script that sorts the
 * leaderboard.  The page loads nothing from anywhere (offices and these
 * machines reach no network), prints to a summary PDF (@media print), and
 * has the sections and labels of the Markdown report: both walk
 * report_sections[] (sections.h), and the tables' cells come from the
 * same columns (tables.c).  The sections' hooks here write what only the
 * page has: cards, charts, notes.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/human.h"
#include "html_cells.h"
#include "out.h"
#include "report.h"
#include "sections.h"

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
	"td.mv.up,td.chg.up{color:var(--up)}td.mv.down,td.chg.down{color:var(--down)}td.mv.new,td.chg.new{color:var(--accent)}"
	"td.chg{font-size:13px;margin:0}\n"
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
	".goals{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px 24px;margin:14px 0 0}\n"
	".goal .k{font-weight:600}.goal .n{font-size:13px;color:var(--muted)}\n"
	".goal .track{height:12px;border-radius:6px;background:var(--accent-soft);overflow:hidden;margin:4px 0}\n"
	".goal .track i{display:block;height:100%;background:var(--accent)}.goal.met .track i{background:var(--up)}\n"
	"dl.notes{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0;font-size:13.5px}\n"
	"dl.notes dt{font-weight:600;color:#33475b}dl.notes dd{margin:0}\n"
	,
	/* printed: portrait A4 with page numbers; the sections flow one after
	 * the other (the overview and the leaderboard on the first pages); the
	 * columns a page has no room for are hidden per table (html_table) */
	"@page{size:A4 portrait;margin:14mm 11mm 16mm;"
	"@bottom-center{content:\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\";font-size:8.5pt;color:#444}}\n"
	"@media print{\n"
	"body{background:#fff;color:#000;font-size:9.5pt;line-height:1.4}\n"
	".wrap{max-width:none;padding:0}\n"
	"nav.toc,details summary{display:none}\n"
	"header.top{background:none;color:#000;padding:0 0 6px;border-bottom:2px solid #000}\n"
	"header.top h1{font-size:17pt;margin:0 0 6px}\n"
	"header.top dl{opacity:1;font-size:8.5pt;gap:2px 16px}\n"
	"main{padding:8px 0 0}\n"
	"section{box-shadow:none;border-radius:0;padding:0;margin:0 0 14px;break-before:auto}\n"
	"h2{border-left:none;padding-left:0;border-bottom:1px solid #000;padding-bottom:3px;font-size:13pt;margin:0 0 8px}\n"
	"h3{margin:10px 0 6px;font-size:10.5pt}\n"
	"h2,h3{break-after:avoid}\n"
	"p.lead{font-size:10pt;margin:0 0 8px}\n"
	".card{background:none;border-color:#999;padding:6px 8px}\n"
	".scroll{max-height:none;overflow:visible;border:none}\n"
	"thead{display:table-header-group}\n"
	/* the 区县未知 row once at the end, not at the foot of every page */
	"tfoot{display:table-row-group}\n"
	".cards{grid-template-columns:repeat(5,minmax(0,1fr));gap:6px}\n"
	".card .v{font-size:14pt}\n"
	"table{font-size:8pt;width:100%}\n"
	"thead th{position:static;background:none;border-bottom:1px solid #000;color:#000;white-space:normal}\n"
	"tr,.card,.chart-box,.goal{break-inside:avoid}\n"
	"tbody tr:nth-child(even) td,tr.zero td,tfoot td{background:none!important}\n"
	"td.bar{background-image:none}\n"
	"#matrix-table td{background:none!important;color:#000!important}\n"
	"a{color:#000;text-decoration:none}a[href]::after{content:none!important}\n"
	"th.sort::after{content:none}\n"
	"span.chg.up,span.chg.down,span.chg.new,.badge{color:#000;background:none;border:1px solid #999}\n"
	"td.mv,td.chg{color:#000!important}\n"
	"th,td{padding:2px 4px}\n"
	"td.title>a,td.title>span{max-width:52mm}\n"
	"#leaderboard-table td.title>a,#leaderboard-table td.title>span{max-width:40mm}\n"
	".grid2{grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}\n"
	"svg.chart text{font-size:14px}\n"
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
/* Tables: the columns of tables.c as HTML                             */

struct html_rows {
	struct out *p;
	const struct report_table *t;
	size_t from, to; /* the rows to write, by their place */
	size_t n;        /* rows seen */
	size_t written;
	int foot;        /* a row went into <tfoot> */
};

/* A heading cell; a sortable table's tell the script its key and type. */
static void html_th(struct out *p, const struct report_table *t, const struct report_column *c, int k)
{
	if (t->html_sorted) {
		const char *key = c->each == EACH_COUNT ? post_count_names[k] : c->key;
		out_putf(p, "<th class=\"sort%s\" tabindex=\"0\" data-key=\"%s\" data-type=\"%s\"%s%s>",
			 c->kind == CELL_NUM ? " n" : "", key, c->kind == CELL_NUM || c->kind == CELL_CHART ? "num" : "text",
			 c->asc ? " data-dir=\"asc\"" : "", !strcmp(key, t->html_sorted) ? " aria-sort=\"descending\"" : "");
	} else
		out_put(p, c->kind == CELL_NUM ? "<th class=\"n\">" : "<th>");
	out_html(p, report_col_header(c, k, 1));
	out_put(p, "</th>");
}

static void html_row(void *ctx, const struct report_row *w)
{
	struct html_rows *h = ctx;
	struct out *p = h->p;
	size_t place = h->n++;

	if (place < h->from || place >= h->to)
		return;
	h->written++;
	if (w->foot) {
		out_put(p, "</tbody>\n<tfoot>");
		h->foot = 1;
	}
	if (h->t->html_tr)
		h->t->html_tr(p, w);
	else
		out_put(p, "<tr>");
	for (size_t i = 0; i < h->t->ncols; i++) {
		const struct report_column *c = &h->t->cols[i];
		if (!report_col_in(c, IN_HTML))
			continue;
		for (int k = report_col_first(c, w->r); k >= 0; k = report_col_next(c, w->r, k)) {
			struct cell v;
			if (c->html) {
				c->html(p, w, k);
				continue;
			}
			memset(&v, 0, sizeof(v));
			c->get(w, k, &v);
			out_td_cell(p, c->kind, &v);
		}
	}
	out_put(p, w->foot ? "</tr></tfoot>\n" : "</tr>\n");
}

/* The instances of t's columns in HTML, and whether instance (c, k) is
 * left out of print (report_column.no_print). */
static int html_ncols(const struct report_table *t, const struct report *r)
{
	int n = 0;

	for (size_t i = 0; i < t->ncols; i++)
		for (int k = report_col_first(&t->cols[i], r); k >= 0 && report_col_in(&t->cols[i], IN_HTML);
		     k = report_col_next(&t->cols[i], r, k))
			n++;
	return n;
}

static int no_print(const struct report_column *c, int k)
{
	return c->each == EACH_COUNT ? (c->no_print >> k) & 1 : c->each == EACH_ONCE && c->no_print;
}

/*
 * A printed page is narrower than a screen: the columns marked no_print
 * are hidden by a print rule for this table (its id from html_attrs),
 * counted from the row's end, where a group's rowspan cell does not
 * shift them.
 */
static void html_print_rule(struct out *p, const struct report_table *t, const struct report *r)
{
	const char *id = t->html_attrs && !strncmp(t->html_attrs, "id=\"", 4) ? t->html_attrs + 4 : NULL;
	int n = html_ncols(t, r), pos = 0, any = 0;

	if (!id)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		for (int k = report_col_first(&t->cols[i], r); k >= 0 && report_col_in(&t->cols[i], IN_HTML);
		     k = report_col_next(&t->cols[i], r, k)) {
			pos++;
			if (!no_print(&t->cols[i], k))
				continue;
			out_putf(p, "%s#%.*s tr>:nth-last-child(%d)", any ? "," : "<style>@media print{",
				 (int)strcspn(id, "\""), id, n - pos + 1);
			any = 1;
		}
	if (any)
		out_put(p, "{display:none}}</style>\n");
}

/* <div class=wrap><table ...>: the heading, then rows from..to of t. */
static void html_table(struct out *p, const struct report_table *t, const struct report *r,
		       const struct report_view *v, size_t from, size_t to)
{
	struct html_rows h = {p, t, from, to, 0, 0, 0};
	int ncols = 0;

	html_print_rule(p, t, r);
	out_putf(p, "<div class=\"%s\"><table %s>\n<thead><tr>", t->html_wrap, t->html_attrs);
	for (size_t i = 0; i < t->ncols; i++)
		for (int k = report_col_first(&t->cols[i], r); k >= 0 && report_col_in(&t->cols[i], IN_HTML);
		     k = report_col_next(&t->cols[i], r, k), ncols++)
			html_th(p, t, &t->cols[i], k);
	out_put(p, "</tr></thead>\n<tbody>\n");
	t->rows(r, v, html_row, &h);
	if (!h.written && t->html_empty)
		out_putf(p, "<tr><td colspan=\"%d\" class=\"na\">%s</td></tr>\n", t->html_empty_span ? t->html_empty_span : ncols,
			 t->html_empty);
	out_put(p, h.foot ? "</table></div>" : "</tbody></table></div>");
}

static void html_all(struct out *p, const struct report_table *t, const struct report *r, const struct report_view *v)
{
	html_table(p, t, r, v, 0, SIZE_MAX);
}

/* ------------------------------------------------------------------ */
/* 总览: a sentence and a card per figure                               */

/* A figure in prose and on cards (util/human.h): 4155.3万 reads faster
 * than 41552849; the index always with one decimal. */
static void put_wan(struct out *p, double v, int index)
{
	char b[HUMAN_SIZE];

	out_put(p, index ? human_index(v, b) : human_wan((int64_t)llround(v), b));
}

/* The same on a card: the unit smaller. */
static void put_compact(struct out *p, double v, int index)
{
	char b[HUMAN_SIZE];
	size_t n;

	if (index) {
		out_put(p, human_index(v, b));
		return;
	}
	human_wan((int64_t)llround(v), b);
	n = strlen(b);
	if (n > 3 && (!strcmp(b + n - 3, "万") || !strcmp(b + n - 3, "亿"))) {
		out_putf(p, "%.*s<small>%s</small>", (int)(n - 3), b, b + n - 3);
		return;
	}
	out_put(p, b);
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

static double cell_value(const struct cell *c)
{
	return c->type == CV_REAL ? c->x : (double)c->i;
}

/* A figure of a card's comparison line: "—" when not reported. */
static void put_figure(struct out *p, const struct cell *c)
{
	if (c->type == CV_NONE)
		out_put(p, "—");
	else
		put_wan(p, cell_value(c), c->type == CV_REAL);
}

/* A card's comparison: "上期 X ▲y%", "前半 X · 后半 Y ▲z%", or nothing
 * when there is nothing to compare with (report.h). */
static void card_comparison(struct out *p, const struct report_row *w)
{
	struct cell base, later, chg;

	memset(&base, 0, sizeof(base));
	memset(&later, 0, sizeof(later));
	memset(&chg, 0, sizeof(chg));
	report_overview_change(w, 0, &chg);
	if (w->r->compare == REPORT_COMPARE_NONE) {
		out_put(p, "<div class=\"p\">本期</div>");
		return;
	}
	if (w->r->compare == REPORT_COMPARE_HALVES) {
		report_overview_first_half(w, 0, &base);
		report_overview_second_half(w, 0, &later);
		out_put(p, "<div class=\"p\">前半 ");
		put_figure(p, &base);
		out_put(p, " · 后半 ");
		put_figure(p, &later);
	} else {
		report_overview_before(w, 0, &base);
		out_put(p, "<div class=\"p\">上期 ");
		put_figure(p, &base);
	}
	change(p, chg.x, base.type == CV_NONE ? 0 : chg.y, chg.type != CV_NONE);
	out_put(p, "</div>");
}

/* One overview card: label, big value (exact in the tooltip), then what
 * it is compared with and the change.  A figure the platforms do not
 * report is "—". */
static void card(struct out *p, const struct report_row *w)
{
	struct cell label, now;
	int real;

	memset(&label, 0, sizeof(label));
	memset(&now, 0, sizeof(now));
	report_overview_label(w, 0, &label);
	report_overview_now(w, 0, &now);
	real = now.type == CV_REAL;
	out_putf(p, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\" title=\"", label.s);
	if (now.type != CV_NONE) {
		char exact[HUMAN_SIZE];
		out_put(p, real ? human_index(now.x, exact) : human_int(now.i, exact));
		out_put(p, "\">");
		put_compact(p, cell_value(&now), real);
	} else
		out_put(p, "平台不提供该项数据\"><span class=\"na\">—</span>");
	out_put(p, "</div>");
	card_comparison(p, w);
	out_put(p, "</div>\n");
}

/* The last card: the units covered (the city), or the unit. */
static void unit_card(struct out *p, const struct report *r)
{
	if (!r->district) {
		out_putf(p, "<div class=\"card\"><div class=\"k\">覆盖区县</div><div class=\"v\">%ld<small> / %zu</small></div>"
			    "<div class=\"p\">有作品的区县</div></div>\n",
			 r->units_covered, r->nunits);
		return;
	}
	out_put(p, "<div class=\"card\"><div class=\"k\">区县</div><div class=\"v\" style=\"font-size:20px\">");
	out_html(p, r->district->name);
	out_put(p, "</div><div class=\"p\">代码 ");
	out_html(p, r->district->code);
	out_put(p, "</div></div>\n");
}

/* A card per row of the overview's table. */
static void overview_card(void *ctx, const struct report_row *w)
{
	if (w->metric == METRIC_UNITS)
		unit_card(ctx, w->r);
	else
		card(ctx, w);
}

/* The city's page names the units covered, the best and those needing
 * attention. */
static void overview_units(struct out *p, const struct report *r, const struct report_view *v)
{
	long zero = 0, attention = 0;

	for (size_t i = 0; i < r->nunits; i++) {
		zero += r->units[i].t.posts == 0;
		attention += r->units[i].attention != 0;
	}
	out_putf(p, "；覆盖区县 <b>%ld / %zu</b>", r->units_covered, r->nunits);
	if (r->nunits && r->units[v->order[0]].t.posts > 0) {
		out_put(p, "，互动指数最高的是 <b>");
		out_html(p, r->units[v->order[0]].unit->name);
		out_put(p, "</b>");
	}
	if (attention)
		out_putf(p, "；<span class=\"badge warn\">需关注</span> %ld 个区县（其中 %ld 个本期无作品）", attention, zero);
}

/* The lead's targets: "；目标完成：作品 73.0%、播放 86.7%". */
static void lead_targets(struct out *p, const struct report *r)
{
	int any = 0;

	for (int m = 0; m < 3; m++) {
		int64_t goal = report_target_goal(&r->target, m);
		if (!goal)
			continue;
		out_putf(p, "%s%s <b>%.1f%%</b>", any ? "、" : "；目标完成：", report_target_label(m),
			 report_progress(report_target_done(&r->total, m), goal));
		any = 1;
	}
}

/* The lead's comparison of the works: "（较上期 ▲x%）". */
static void lead_change(struct out *p, const struct report *r)
{
	if (r->compare == REPORT_COMPARE_PREVIOUS) {
		out_put(p, "（较上期");
		change(p, (double)r->total.posts, (double)r->previous.posts, 1);
		out_put(p, "）");
	} else if (r->compare == REPORT_COMPARE_HALVES) {
		out_put(p, "（后半程较前半程");
		change(p, (double)r->second_half.posts, (double)r->first_half.posts, 1);
		out_put(p, "）");
	}
}

/* A progress bar per target of the page: 作品 2,189 / 5,000 (43.8%);
 * the overview shows them. */
static void goal_bars(struct out *p, const struct report *r)
{
	if (report_targets_shown(r)) {
		out_put(p, "<div class=\"goals\">\n");
		for (int m = 0; m < 3; m++) {
			int64_t goal = report_target_goal(&r->target, m), done = report_target_done(&r->total, m);
			double x = report_progress(done, goal);
			if (!goal)
				continue;
			out_putf(p, "<div class=\"goal%s\"><div class=\"k\">%s</div>", x >= 100 ? " met" : "",
				 report_target_label(m));
			out_putf(p, "<div class=\"track\"><i style=\"width:%.1f%%\"></i></div><div class=\"n\">", x > 100 ? 100 : x);
			put_wan(p, (double)done, 0);
			out_put(p, " / ");
			put_wan(p, (double)goal, 0);
			out_putf(p, " · <b>%.1f%%</b></div></div>\n", x);
		}
		out_put(p, "</div>\n");
	}
}

void report_html_overview(struct out *p, const struct report *r, const struct report_view *v)
{
	const struct report_totals *t = &r->total;
	char since[HUMAN_SIZE], until[HUMAN_SIZE], cmp[256];

	out_put(p, "<p class=\"lead\">");
	if (r->district) {
		out_html(p, r->district->name);
		out_put(p, " ");
	}
	out_putf(p, "%s 至 ", human_date_long(r->since_t, since));
	out_putf(p, "%s 共有作品 <b>", human_date_long(r->until_t - 1, until));
	put_wan(p, (double)t->posts, 0);
	out_put(p, "</b> 件");
	lead_change(p, r);
	out_put(p, "，作者 <b>");
	put_wan(p, (double)t->authors, 0);
	out_put(p, "</b> 位，互动指数合计 <b>");
	put_wan(p, t->index_sum, 1);
	out_put(p, "</b>");
	if (!r->district)
		overview_units(p, r, v);
	lead_targets(p, r);
	out_put(p, "。</p>\n<div class=\"cards\">\n");
	report_table_overview.rows(r, v, overview_card, p);
	out_put(p, "</div>\n");
	goal_bars(p, r);
	out_putf(p, "<p class=\"note\">对比：%s。", report_comparison_text(r, cmp, sizeof(cmp)));
	out_put(p, "“—”表示平台不提供该项数据（例如微博不提供播放量），不计为 0。</p>\n");
}

/* ------------------------------------------------------------------ */
/* The other sections: their tables, with the page's notes            */

/* When a unit needs attention: 本期无作品、作品少于 N 件或指数占比低于 X% */
static void attention_rule(struct out *p, const struct report *r)
{
	out_put(p, "本期无作品");
	if (r->attention_min_posts > 1)
		out_putf(p, "、作品少于 %ld 件", r->attention_min_posts);
	if (r->attention_min_share > 0)
		out_putf(p, "或指数占比低于 %.1f%%", r->attention_min_share);
}

void report_html_leaderboard(struct out *p, const struct report *r, const struct report_view *v)
{
	char cmp[256];

	html_all(p, &report_table_leaderboard, r, v);
	out_put(p, "\n<p class=\"note\">按互动指数排名，本期无作品的区县并列最后一名；点击任一列标题可按该列排序，再次点击反向。");
	if (r->compare == REPORT_COMPARE_PREVIOUS)
		out_put(p, "升降与指数变化对比上期（“新”为上期无作品）。");
	else
		out_putf(p, "不显示升降（%s）。", report_comparison_text(r, cmp, sizeof(cmp)));
	out_put(p, "<span class=\"badge warn\">需关注</span> ");
	attention_rule(p, r);
	out_put(p, "。各项含义见<a href=\"#notes\">指标说明</a>。</p>\n");
}

/* A table of the section after its caption, if it has one. */
static void html_captioned(struct out *p, const struct report_table *t, const struct report *r,
			   const struct report_view *v)
{
	const char *title = report_table_title(t, r);

	if (!report_table_shown(t, r))
		return;
	if (title)
		out_putf(p, "<h3>%s</h3>\n", title);
	html_all(p, t, r, v);
	out_put(p, "\n");
}

/* The targets' tables: the page's, and (the city's) every unit's. */
void report_html_targets(struct out *p, const struct report *r, const struct report_view *v)
{
	html_captioned(p, &report_table_targets, r, v);
	html_captioned(p, &report_table_unit_targets, r, v);
	out_put(p, "<p class=\"note\">目标由配置 campaign.targets 设定；互动量为点赞、评论、转发、收藏之和。</p>\n");
}

void report_html_groups(struct out *p, const struct report *r, const struct report_view *v)
{
	html_captioned(p, &report_table_groups, r, v);
	html_captioned(p, &report_table_group_ranks, r, v);
	out_put(p, "<p class=\"note\">区域按重庆市的区域划分（主城都市区的中心城区与主城新区、渝东北三峡库区城镇群、"
		   "渝东南武陵山区城镇群），两江新区、重庆高新区计入中心城区，万盛经开区计入主城新区。"
		   "组内按互动指数排名，本期无作品的区县并列最后；组内占比为占本区域互动指数的百分比。</p>\n");
}

void report_html_authors(struct out *p, const struct report *r, const struct report_view *v)
{
	html_all(p, &report_table_authors, r, v);
	out_putf(p, "\n<p class=\"note\">本区县互动指数最高的 %d 位作者（按平台与作者名区分）。</p>\n", REPORT_TOP_AUTHORS);
}

void report_html_platforms(struct out *p, const struct report *r, const struct report_view *v)
{
	html_captioned(p, &report_table_platforms, r, v);
	html_captioned(p, &report_table_matrix, r, v);
	out_put(p, "<p class=\"note\">作品数按平台统计；“—”表示该平台不提供该项数据。</p>\n");
}

/* A unit's works: the first 20, the rest folded away. */
static void html_unit_works(struct out *p, const struct report *r, const struct report_view *v)
{
	const struct report_table *t = &report_table_unit_works;
	char n[HUMAN_SIZE];

	if (!report_table_shown(t, r))
		return;
	out_putf(p, "<h3>%s（%s 件）</h3>\n", t->title, human_int((int64_t)r->nworks, n));
	html_table(p, t, r, v, 0, REPORT_PEOPLE_WORKS);
	out_put(p, "\n");
	if (r->nworks > REPORT_PEOPLE_WORKS) {
		out_putf(p, "<details class=\"more\"><summary>其余 %s 件</summary>\n",
			 human_int((int64_t)(r->nworks - REPORT_PEOPLE_WORKS), n));
		html_table(p, t, r, v, REPORT_PEOPLE_WORKS, SIZE_MAX);
		out_put(p, "\n</details>\n");
	}
}

/* The works in Chongqing without a unit: the best 50, for districts to claim. */
static void html_unplaced(struct out *p, const struct report *r, const struct report_view *v)
{
	const struct report_table *t = &report_table_unplaced;
	char n[HUMAN_SIZE];

	if (!report_table_shown(t, r))
		return;
	out_putf(p, "<h3 id=\"unplaced\">%s</h3>\n", t->title);
	html_table(p, t, r, v, 0, t->people_rows);
	out_putf(p, "\n<p class=\"note\">属地为重庆但未能确定区县的作品共 %s 件，", human_int(r->unplaced_total, n));
	if ((size_t)r->unplaced_total > t->people_rows)
		out_putf(p, "此处列出互动指数最高的 %zu 件，全部见 CSV 的 unplaced_works.csv；", t->people_rows);
	out_put(p, "区县可在工作台认领，或在 CSV 的 unit 列填写区县后用 <code>kepu district apply</code> 批量认领。</p>\n");
}

void report_html_top_works(struct out *p, const struct report *r, const struct report_view *v)
{
	html_captioned(p, &report_table_top_works, r, v);
	html_unit_works(p, r, v);
	html_captioned(p, &report_table_unit_top_works, r, v);
	out_put(p, "<p class=\"note\">按互动指数排序（见<a href=\"#notes\">指标说明</a>）。"
		   "“100,000+”为平台只给出的下限；“—”表示平台不提供该项数据。</p>\n");
	html_unplaced(p, r, v);
}

/* Two tables side by side when there are more than ten. */
void report_html_hashtags(struct out *p, const struct report *r, const struct report_view *v)
{
	size_t half = r->nhashtags > 10 ? (r->nhashtags + 1) / 2 : r->nhashtags;

	out_put(p, "<p class=\"note\" style=\"margin:0 0 10px\">与 #");
	out_html(p, r->campaign);
	out_putf(p, "# 一同使用最多的 %d 个话题（按作品数）。</p>\n<div class=\"grid2\">\n", REPORT_TOP_HASHTAGS);
	html_table(p, &report_table_hashtags, r, v, 0, half);
	out_put(p, "\n");
	if (half < r->nhashtags) {
		html_table(p, &report_table_hashtags, r, v, half, r->nhashtags);
		out_put(p, "\n");
	}
	out_put(p, "</div>\n");
}

void report_html_quality(struct out *p, const struct report *r, const struct report_view *v)
{
	out_put(p, "<p class=\"note\" style=\"margin:0 0 6px\">统计时段内全部作品 <b>");
	out_int(p, r->all_posts);
	out_put(p, "</b> 件（不限范围），按区县归属依据与属地分列。</p>\n<div class=\"grid2\">\n");
	out_putf(p, "<div><h3>%s</h3>", report_table_attribution.title);
	html_all(p, &report_table_attribution, r, v);
	out_putf(p, "</div>\n<div><h3>%s</h3>", report_table_sources.title);
	html_all(p, &report_table_sources, r, v);
	out_put(p, "</div>\n</div>\n");
}

/* ------------------------------------------------------------------ */
/* 趋势: posts per day as bars (left axis), the day's engagement index  */
/* as a line (right axis); every figure also in the table below it.    */

struct chart {
	double W, H, ml, mr, mt, mb; /* the picture and its margins */
	double pw, ph;               /* the plot */
	size_t n, every;             /* days; a date under every `every` */
	int pticks;                  /* ticks on both axes */
	double pstep, istep, ptop, itop, slot, bw;
};

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

static void chart_scale(struct chart *c, const struct report *r)
{
	long maxp = 0;
	double maxi = 0;

	*c = (struct chart){.W = 1200, .H = 320, .ml = 56, .mr = 64, .mt = 30, .mb = 44, .n = r->ndays};
	c->pw = c->W - c->ml - c->mr;
	c->ph = c->H - c->mt - c->mb;
	for (size_t i = 0; i < c->n; i++) {
		if (r->days[i].posts > maxp)
			maxp = r->days[i].posts;
		if (r->days[i].index_sum > maxi)
			maxi = r->days[i].index_sum;
	}
	c->pstep = axis_step((double)maxp, 5, 1);
	c->pticks = maxp > 0 ? (int)ceil((double)maxp / c->pstep - 1e-9) : 4;
	if (c->pticks < 2) { /* one tick looks like a broken chart */
		c->pticks = 2;
		c->pstep = maxp > 1 ? axis_step((double)maxp, 2, 1) : 1;
	}
	c->ptop = c->pstep * c->pticks;
	/* the index axis gets the same number of ticks, so both share the grid */
	c->istep = axis_step(maxi, c->pticks, 0);
	c->itop = c->istep * c->pticks;
	c->slot = c->n ? c->pw / (double)c->n : c->pw;
	c->bw = c->slot * 0.66 > 48 ? 48 : c->slot * 0.66; /* a few days: bars, not walls */
	c->every = c->n > 16 ? (c->n + 15) / 16 : 1;
}

/* The grid, and the ticks of both axes. */
static void chart_axes(struct out *p, const struct chart *c)
{
	for (int k = 0; k <= c->pticks; k++) {
		double y = c->mt + c->ph - c->ph * k / c->pticks;
		out_putf(p, "<line class=\"%s\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>", k ? "grid" : "axis", c->ml,
			 c->W - c->mr, y, y);
		out_putf(p, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>", c->ml - 8, y + 4, c->pstep * k);
		out_putf(p, "<text x=\"%.0f\" y=\"%.1f\">", c->W - c->mr + 8, y + 4);
		if (c->istep >= 1)
			out_int(p, (int64_t)(c->istep * k + 0.5));
		else
			out_putf(p, "%.1f", c->istep * k);
		out_put(p, "</text>\n");
	}
	out_putf(p, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">作品</text>", c->ml - 8, c->mt - 14);
	out_putf(p, "<text x=\"%.0f\" y=\"%.0f\">互动指数</text>\n", c->W - c->mr + 8, c->mt - 14);
}

static void chart_bars(struct out *p, const struct chart *c, const struct report *r)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct report_day *d = &r->days[i];
		double h = c->ptop > 0 ? c->ph * (double)d->posts / c->ptop : 0;
		out_putf(p, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
			 c->ml + c->slot * (double)i + (c->slot - c->bw) / 2, c->mt + c->ph - h, c->bw, h);
		char day[HUMAN_SIZE], n[HUMAN_SIZE], x[HUMAN_SIZE];

		out_putf(p, "%s：作品 %s 件，互动指数 %s</title></rect>\n", human_date_short(d->t, day), human_int(d->posts, n),
			 human_index(d->index_sum, x));
	}
}

/* The index's line, with a point per day when there are few. */
static void chart_line(struct out *p, const struct chart *c, const struct report *r)
{
#define X(i) (c->ml + c->slot * ((double)(i) + 0.5))
#define Y(i) (c->mt + c->ph - (c->itop > 0 ? c->ph * r->days[i].index_sum / c->itop : 0))
	if (!c->n)
		return;
	out_put(p, "<polyline class=\"ln\" points=\"");
	for (size_t i = 0; i < c->n; i++)
		out_putf(p, "%s%.1f,%.1f", i ? " " : "", X(i), Y(i));
	out_put(p, "\"/>\n");
	for (size_t i = 0; i < c->n && c->n <= 62; i++) {
		out_putf(p, "<circle r=\"3\" cx=\"%.1f\" cy=\"%.1f\"><title>", X(i), Y(i));
		char day[HUMAN_SIZE], x[HUMAN_SIZE];

		out_putf(p, "%s：互动指数 %s</title></circle>", human_date_short(r->days[i].t, day),
			 human_index(r->days[i].index_sum, x));
	}
#undef X
#undef Y
}

/* 9月1日 under the bars, and the first and last day with their year. */
static void chart_dates(struct out *p, const struct chart *c, const struct report *r)
{
	for (size_t i = 0; i < c->n; i += c->every) {
		double x = c->ml + c->slot * ((double)i + 0.5);
		out_putf(p, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>", x, x, c->mt + c->ph,
			 c->mt + c->ph + 4);
		out_putf(p, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, c->mt + c->ph + 18);
		char day[HUMAN_SIZE];

		out_put(p, human_date_short(r->days[i].t, day));
		out_put(p, "</text>\n");
	}
	if (c->n > 2) { /* the year, which the MM-DD ticks leave out */
		out_putf(p, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"start\">", c->ml, c->H - 4);
		char day[HUMAN_SIZE];

		out_put(p, human_date_long(r->days[0].t, day));
		out_putf(p, "</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", c->W - c->mr, c->H - 4);
		out_put(p, human_date_long(r->days[c->n - 1].t, day));
		out_put(p, "</text>\n");
	}
}

void report_html_trend(struct out *p, const struct report *r, const struct report_view *v)
{
	struct chart c;

	chart_scale(&c, r);
	out_put(p, "<div class=\"chart-box\"><div class=\"legend\"><span><i style=\"background:#7fa7e8\"></i>每日作品数（左轴）</span>"
		   "<span><i class=\"l\" style=\"background:#e8710a\"></i>每日互动指数（右轴）</span></div>\n");
	out_putf(p, "<svg class=\"chart\" id=\"trend-chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"每日作品数与互动指数\">\n",
		 c.W, c.H);
	chart_axes(p, &c);
	chart_bars(p, &c, r);
	chart_line(p, &c, r);
	chart_dates(p, &c, r);
	out_put(p, "</svg></div>\n");
	/* the figures behind the chart, folded away on screen */
	out_put(p, "<details><summary>每日数据表</summary>\n");
	html_all(p, &report_table_daily, r, v);
	out_put(p, "</details>\n");
}

/* ------------------------------------------------------------------ */
/* 指标说明                                                            */

static void html_note(void *ctx, const char *term, const char *text)
{
	out_put(ctx, "<dt>");
	out_html(ctx, term);
	out_put(ctx, "</dt><dd>");
	out_html(ctx, text);
	out_put(ctx, "</dd>\n");
}

void report_html_notes(struct out *p, const struct report *r, const struct report_view *v)
{
	(void)v;
	out_put(p, "<dl class=\"notes\">\n");
	report_notes(r, html_note, p);
	out_put(p, "</dl>\n");
}

/* ------------------------------------------------------------------ */
/* The page                                                            */

static void page_title(struct out *p, const struct report *r)
{
	out_html(p, r->campaign);
	out_put(p, " 传播数据报告");
	if (r->district) {
		out_put(p, "：");
		out_html(p, r->district->name);
	}
}

static void page_head(struct out *p, const struct report *r)
{
	out_put(p, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
		   "img-src data:; base-uri 'none'; form-action 'none'; script-src '");
	out_put(p, SORT_JS_HASH);
	out_put(p, "'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"kepu\">\n<title>");
	page_title(p, r);
	out_put(p, "</title>\n<style>\n");
	for (size_t i = 0; i < sizeof(CSS) / sizeof(CSS[0]); i++)
		out_put(p, CSS[i]);
	out_put(p, "</style>\n</head>\n<body>\n");
}

/* The banner, and a link to each section on the page. */
static void page_top(struct out *p, const struct report *r)
{
	char gen[HUMAN_SIZE], asof[HUMAN_SIZE], since[HUMAN_SIZE], until[HUMAN_SIZE], cmp[256];

	human_datetime(r->generated_at, gen);
	human_datetime(r->as_of, asof);
	out_put(p, "<header class=\"top\"><div class=\"wrap\">\n<h1>");
	page_title(p, r);
	out_putf(p, "</h1>\n<dl><div><dt>统计时段</dt><dd>%s 至 %s（北京时间，按发布时间）</dd></div>",
		 human_date_long(r->since_t, since), human_date_long(r->until_t - 1, until));
	out_putf(p, "<div><dt>互动数据截至</dt><dd>%s%s</dd></div>", asof, r->as_of_given ? "" : "（最新数据）");
	out_putf(p, "<div><dt>范围</dt><dd>%s</dd></div>", r->scope_all ? "全部作品" : "属地为重庆的作品");
	out_putf(p, "<div><dt>对比</dt><dd>%s</dd></div>", report_comparison_text(r, cmp, sizeof(cmp)));
	out_putf(p, "<div><dt>生成时间</dt><dd>%s</dd></div></dl>\n</div></header>\n", gen);
	out_put(p, "<nav class=\"toc\"><div class=\"wrap\">");
	for (size_t i = 0; i < report_nsections; i++)
		if (report_section_shown(&report_sections[i], r))
			out_putf(p, "<a href=\"#%s\">%s</a>", report_sections[i].id, report_sections[i].heading);
	out_put(p, "</div></nav>\n");
}

int report_render_html(const struct report *r, FILE *out, struct kerr *e)
{
	struct report_view v;
	struct out p;
	int rc;

	if (report_view_init(&v, r, e) < 0)
		return -1;
	out_init(&p, e);
	page_head(&p, r);
	page_top(&p, r);
	out_put(&p, "<main class=\"wrap\">\n");
	for (size_t i = 0; i < report_nsections; i++) {
		const struct report_section *s = &report_sections[i];
		if (!report_section_shown(s, r))
			continue;
		out_putf(&p, "<section id=\"%s\">\n<h2>%s</h2>\n", s->id, s->heading);
		s->html(&p, r, &v);
		out_put(&p, "</section>\n");
	}
	out_put(&p, "</main>\n<footer>由 kepu 生成 · 各项含义见<a href=\"#notes\">指标说明</a></footer>\n<script>");
	out_put(&p, SORT_JS);
	out_put(&p, "</script>\n</body>\n</html>\n");
	rc = out_flush(&p, out, "the report");
	report_view_release(&v);
	return rc;
}
