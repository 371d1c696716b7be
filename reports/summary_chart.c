/*
 * summary_chart.c: a summary's daily trend, drawn with cairo: posts per
 * day as bars on the left axis, the engagement index per day as a line on
 * the right, dates under every few days, a legend on top.  The same
 * drawing goes into the PDF (vector paths) and, as a PNG, into the Word
 * file.  Labels in Noto Sans CJK SC; numbers by util/human.h.
 */
#include "summary_doc.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "../util/human.h"

#define GRID 4 /* horizontal divisions */

/* A round top for an axis whose values reach x: GRID steps of 1, 2, 2.5
 * or 5 times a power of ten. */
static double axis_top(double x)
{
	static const double m[] = {1, 2, 2.5, 5, 10};
	double step = x > 0 ? x / GRID : 1, mag = pow(10, floor(log10(step)));

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i] * mag >= step)
			return m[i] * mag * GRID;
	return 10 * mag * GRID;
}

/* text with its left (align 0), centre (1) or right (2) at x, its middle at y. */
static void label(cairo_t *cr, PangoLayout *l, const char *text, double x, double y, int align)
{
	int w, h;

	pango_layout_set_text(l, text, -1);
	pango_layout_get_size(l, &w, &h);
	cairo_move_to(cr, x - align * (double)w / PANGO_SCALE / 2, y - (double)h / PANGO_SCALE / 2);
	pango_cairo_show_layout(cr, l);
}

static double top_of(const double *v, size_t n)
{
	double m = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return axis_top(m);
}

/* The grid and both axes' numbers. */
static void grid(cairo_t *cr, PangoLayout *l, double x0, double y0, double pw, double ph, double pmax, double imax)
{
	char s[HUMAN_SIZE];

	cairo_set_line_width(cr, 0.4);
	for (int i = 0; i <= GRID; i++) {
		double y = y0 + ph - ph * i / GRID;
		cairo_set_source_rgb(cr, 0.82, 0.82, 0.82);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x0 + pw, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
		label(cr, l, human_wan((int64_t)llround(pmax * i / GRID), s), x0 - 4, y, 2);
		label(cr, l, human_wan((int64_t)llround(imax * i / GRID), s), x0 + pw + 4, y, 0);
	}
}

static void legend(cairo_t *cr, PangoLayout *l, double w)
{
	double x = w / 2 - 80;

	cairo_set_source_rgb(cr, 0.27, 0.45, 0.77);
	cairo_rectangle(cr, x, 4, 14, 8);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	label(cr, l, "作品数（件，左轴）", x + 18, 8, 0);
	x += 90;
	cairo_set_source_rgb(cr, 0.80, 0.30, 0.20);
	cairo_set_line_width(cr, 1.6);
	cairo_move_to(cr, x, 8);
	cairo_line_to(cr, x + 14, 8);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	label(cr, l, "互动指数（右轴）", x + 18, 8, 0);
}

void summary_chart_draw(cairo_t *cr, const struct sd_chart *c, double w, double h)
{
	PangoLayout *l = summary_layout(cr);
	PangoFontDescription *f = pango_font_description_from_string("Noto Sans CJK SC 7");
	double x0 = 34, y0 = 22, pw = w - 68, ph = h - 38, pmax = top_of(c->posts, c->n),
	       imax = top_of(c->index, c->n), slot = c->n ? pw / (double)c->n : pw;
	size_t step = c->n > 10 ? (c->n + 9) / 10 : 1;

	pango_layout_set_font_description(l, f);
	legend(cr, l, w);
	grid(cr, l, x0, y0, pw, ph, pmax, imax);
	cairo_set_source_rgb(cr, 0.27, 0.45, 0.77);
	for (size_t i = 0; i < c->n; i++) {
		double bh = ph * c->posts[i] / pmax;
		cairo_rectangle(cr, x0 + slot * ((double)i + 0.2), y0 + ph - bh, slot * 0.6, bh);
	}
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.80, 0.30, 0.20);
	cairo_set_line_width(cr, 1.4);
	for (size_t i = 0; i < c->n; i++)
		(i ? cairo_line_to : cairo_move_to)(cr, x0 + slot * ((double)i + 0.5), y0 + ph - ph * c->index[i] / imax);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	for (size_t i = 0; i < c->n; i += step)
		label(cr, l, c->day[i], x0 + slot * ((double)i + 0.5), y0 + ph + 8, 1);
	pango_font_description_free(f);
	g_object_unref(l);
}

PangoLayout *summary_layout(cairo_t *cr)
{
	PangoLayout *l = pango_cairo_create_layout(cr);

	/* sizes in points on a page measured in points (pango's default is
	 * 96 dpi, which would print 16 pt text at 21 pt) */
	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
	pango_layout_context_changed(l);
	return l;
}

static cairo_status_t png_sink(void *ctx, const unsigned char *data, unsigned int len)
{
	struct kerr e;

	return kbuf_add(ctx, data, len, &e) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int summary_chart_png(const struct sd_chart *c, double w_mm, double h_mm, struct kbuf *out, struct kerr *e)
{
	int pw = (int)(w_mm / 25.4 * 200), ph = (int)(h_mm / 25.4 * 200);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
	cairo_t *cr = cairo_create(s);
	cairo_status_t st;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, 200 / 72.0, 200 / 72.0); /* draw in points, as on the PDF's page */
	summary_chart_draw(cr, c, w_mm * 72 / 25.4, h_mm * 72 / 25.4);
	cairo_destroy(cr);
	st = cairo_surface_write_to_png_stream(s, png_sink, out);
	cairo_surface_destroy(s);
	return st == CAIRO_STATUS_SUCCESS ? 0 : kerr_set(e, KERR_IO, "cannot draw the chart: %s", cairo_status_to_string(st));
}
