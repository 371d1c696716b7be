/* html_cells.c: see html_cells.h. */
#include "html_cells.h"

#include <inttypes.h>
#include <stdio.h>

#include "../util/human.h"
#include "../util/timefmt.h"
#include "escape.h"

void out_int(struct out *p, int64_t v)
{
	char b[HUMAN_SIZE];

	out_put(p, human_int(v, b));
}

void out_real(struct out *p, double v)
{
	char b[HUMAN_SIZE];

	out_put(p, human_index(v, b));
}

void out_td_text(struct out *p, const char *s)
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

void out_td_int(struct out *p, int64_t v)
{
	out_putf(p, "<td class=\"n\" data-v=\"%" PRId64 "\">", v);
	out_int(p, v);
	out_put(p, "</td>");
}

void out_td_real(struct out *p, double v)
{
	out_putf(p, "<td class=\"n\" data-v=\"%.3f\">", v);
	out_real(p, v);
	out_put(p, "</td>");
}

void out_td_count(struct out *p, int64_t v, int lower)
{
	out_putf(p, "<td class=\"n\" data-v=\"%" PRId64 "\"%s>", v, lower ? " title=\"平台只给出下限\"" : "");
	out_int(p, v);
	if (lower)
		out_put(p, "+");
	out_put(p, "</td>");
}

void out_td_unknown(struct out *p)
{
	out_put(p, "<td class=\"n na\" data-v=\"\" title=\"平台不提供该项数据\">—</td>");
}

void out_td_share(struct out *p, double pct, double bar)
{
	out_putf(p, "<td class=\"n bar\" style=\"--w:%.1f%%\" data-v=\"%.3f\">%.1f%%</td>", bar, pct, pct);
}

void out_td_cell(struct out *p, enum cell_kind kind, const struct cell *c)
{
	char t[64];

	switch (c->type) {
	case CV_NONE:
		if (kind == CELL_NUM)
			out_td_unknown(p);
		else
			out_td_text(p, NULL);
		break;
	case CV_TEXT: out_td_text(p, c->s); break;
	case CV_INT: out_td_int(p, c->i); break;
	case CV_RANK: out_putf(p, "<td class=\"rank\">%" PRId64 "</td>", c->i); break;
	case CV_REAL: out_td_real(p, c->x); break;
	case CV_SHARE: out_td_share(p, c->x, c->y); break;
	case CV_COUNT: out_td_count(p, c->i, c->lower); break;
	case CV_TIME:
		if (c->i)
			human_datetime(c->i, t);
		out_td_text(p, c->i ? t : "—");
		break;
	case CV_DATE: {
		char iso[16];
		ktime_format_date(c->i, iso);
		out_putf(p, "<td data-v=\"%s\">%s</td>", iso, human_date_short(c->i, t));
		break;
	}
	case CV_CHANGE: out_td_text(p, report_cell_text(c, t)); break;
	case CV_MOVE: out_td_text(p, report_cell_human(c, t)); break;
	}
}

void out_td_sparkline(struct out *p, const long *v, size_t n)
{
	const double w = 120, h = 26;
	long max = 0, sum = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i] > max)
			max = v[i];
		sum += v[i];
	}
	out_putf(p,
		 "<td data-v=\"%ld\"><svg class=\"spark\" width=\"120\" height=\"26\" viewBox=\"0 0 120 26\" "
		 "role=\"img\">"
		 "<title>每日作品：共 %ld 件，单日最多 %ld 件</title>",
		 sum, sum, max);
	if (n == 0 || max == 0) {
		out_putf(p,
			 "<line x1=\"0\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c9d2dc\" stroke-width=\"1.5\"/>",
			 h - 1, w, h - 1);
	} else {
		double step = n > 1 ? w / (double)(n - 1) : 0;
		out_put(p, "<path fill=\"#dbe6fa\" stroke=\"none\" d=\"M0,25");
		for (size_t i = 0; i < n; i++)
			out_putf(p, " L%.1f,%.1f", n > 1 ? step * (double)i : w / 2,
				 h - 1 - (h - 3) * (double)v[i] / (double)max);
		out_putf(p, " L%.1f,25 Z\"/><polyline fill=\"none\" stroke=\"#1d5fd1\" stroke-width=\"1.4\" points=\"",
			 n > 1 ? w : w / 2);
		for (size_t i = 0; i < n; i++)
			out_putf(p, "%s%.1f,%.1f", i ? " " : "", n > 1 ? step * (double)i : w / 2,
				 h - 1 - (h - 3) * (double)v[i] / (double)max);
		out_put(p, "\"/>");
	}
	out_put(p, "</svg></td>");
}

void out_work_link(struct out *p, const char *title, const char *url)
{
	const char *t = title && *title ? title : "（无标题）";

	if (esc_url_ok(url)) {
		out_put(p, "<a href=\"");
		out_url(p, url);
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
