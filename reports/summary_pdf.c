/*
 * summary_pdf.c: a summary's blocks (summary_doc.h) laid out as a PDF
 * with pango on cairo, after GB/T 9704-2012: A4 portrait, the type area
 * 156 x 225 mm from 37 mm at the top and 28 mm at the left, 22 lines of
 * 三号 (16 pt) body text a page, page numbers "— N —" centred 7 mm below
 * the type area; title, headings and body in the faces of the official
 * style as far as the installed fonts go (README "Summaries": Noto Serif
 * CJK SC for 小标宋 and 仿宋, Noto Sans CJK SC for 黑体).
 *
 * Laid out here rather than printed from HTML by a browser: nothing to
 * install or start at run time, the same bytes in the same layout every
 * time, fonts embedded (as subsets) by cairo, the chart as vector paths,
 * and the page count known at once, which is how a unit's summary is kept
 * to its three pages.
 *
 * Text is set line by line, so a paragraph or table can run on to the
 * next page; a heading is kept with what follows it, a table's header
 * row is repeated on each page it runs on to, the chart with its caption.
 */
#include "summary_doc.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PT(mm) ((mm) * 72.0 / 25.4)

enum font { F_TITLE, F_PERIOD, F_H1, F_H2, F_BODY, F_CAPTION, F_CELL, F_HEAD, F_PROMPT, F_PAGENO, F_N };

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"
/* Latin letters and digits, as Word sets them in Times New Roman beside
 * 仿宋: narrower figures, so that the tables' numbers fit their columns.
 * Without these fonts fontconfig picks another, and the layout stays
 * right (only wider). */
#define SERIF_LATIN "Liberation Serif"
#define SANS_LATIN "Liberation Sans"
#define PITCH (SD_BODY_PT * 28 / 16) /* 三号 at 28 pt (GB/T 9704: 22 lines to 225 mm; offices set 固定值 28 磅) */

/* Each face: the family fontconfig finds, bold or not, the size and the
 * line pitch in points. */
static const struct {
	const char *family;
	int bold;
	double size, pitch;
} faces[F_N] = {
	[F_TITLE] = {SERIF, 1, 22, 36},          /* 二号 方正小标宋 */
	[F_PERIOD] = {SERIF, 0, 12, 20},         /* 楷体 */
	[F_H1] = {SANS, 1, SD_BODY_PT, PITCH},   /* 黑体 */
	[F_H2] = {SERIF, 1, SD_BODY_PT, PITCH},  /* 楷体 */
	[F_BODY] = {SERIF, 0, SD_BODY_PT, PITCH}, /* 仿宋 */
	[F_CAPTION] = {SANS, 1, 12, 20},         /* 小四 黑体 */
	[F_CELL] = {SERIF, 0, 10, 14},           /* 五号, a little smaller */
	[F_HEAD] = {SANS, 1, 10, 14},
	[F_PROMPT] = {SERIF, 0, 12, 20},         /* a blank's prompt */
	[F_PAGENO] = {SERIF, 0, 14, 20},         /* 四号 */
};

#define CELL_PAD 2.0 /* points around a cell's text */

struct pdf {
	cairo_surface_t *s;
	cairo_t *cr;
	PangoLayout *l, *pn; /* pn: the page numbers' (new_page() runs while l is being set) */
	PangoFontDescription *f[F_N];
	double x0, y0, w, bottom; /* the type area, points */
	double y;                 /* where the next line goes */
	size_t page;              /* 1-based */
	int h1;                   /* the outline entry of the last 一、 heading */
	double title_x;           /* set_lines(): the layout's offset from the left of the type area */
	struct kbuf *out;
	int write_failed;
};

static cairo_status_t sink(void *ctx, const unsigned char *data, unsigned int len)
{
	struct pdf *p = ctx;
	struct kerr e;

	if (kbuf_add(p->out, data, len, &e) < 0) {
		p->write_failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* "— N —" under the type area. */
static void page_number(struct pdf *p)
{
	char s[32];
	int w;

	snprintf(s, sizeof(s), "— %zu —", p->page);
	pango_layout_set_font_description(p->pn, p->f[F_PAGENO]);
	pango_layout_set_text(p->pn, s, -1);
	pango_layout_get_size(p->pn, &w, NULL);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_move_to(p->cr, PT(SD_PAGE_W_MM) / 2 - (double)w / PANGO_SCALE / 2, p->bottom + PT(7));
	pango_cairo_show_layout(p->cr, p->pn);
}

static void new_page(struct pdf *p)
{
	page_number(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = p->y0;
}

/* Go to the next page unless h points fit on this one (or it is empty). */
static void need(struct pdf *p, double h)
{
	if (p->y + h > p->bottom && p->y > p->y0)
		new_page(p);
}

/* For text in face f: its runs of ASCII in the face's Latin font.  The
 * caller unrefs the list. */
static PangoAttrList *latin(enum font f, const char *text)
{
	PangoAttrList *l = pango_attr_list_new();
	const char *family = !strcmp(faces[f].family, SANS) ? SANS_LATIN : SERIF_LATIN;

	for (const char *s = text; *s;) {
		const char *e = s;
		while (*e && (unsigned char)*e < 0x80)
			e++;
		if (e > s) {
			PangoAttribute *a = pango_attr_family_new(family);
			a->start_index = (guint)(s - text);
			a->end_index = (guint)(e - text);
			pango_attr_list_insert(l, a);
		}
		for (s = e; *s && (unsigned char)*s >= 0x80; s++)
			;
	}
	return l;
}

/* Text in p->l with its Latin runs, and extra attributes (NULL: none). */
static void set_attrs(struct pdf *p, enum font f, const char *text, PangoAttrList *extra)
{
	PangoAttrList *l = latin(f, text);

	if (extra)
		pango_attr_list_splice(l, extra, 0, 0);
	pango_layout_set_text(p->l, text, -1);
	pango_layout_set_attributes(p->l, l);
	pango_attr_list_unref(l);
}

/* The layout set up for text of face f, width w points (-1: no wrap). */
static void set_text(struct pdf *p, enum font f, const char *text, double w, PangoAlignment al, double indent)
{
	pango_layout_set_font_description(p->l, p->f[f]);
	pango_layout_set_width(p->l, w < 0 ? -1 : (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(p->l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->l, al);
	pango_layout_set_justify(p->l, FALSE);
	pango_layout_set_indent(p->l, (int)(indent * PANGO_SCALE));
	set_attrs(p, f, text, NULL);
}

/* A link over the rectangle, to url (http or https, cleaned). */
static void link_rect(struct pdf *p, double x, double y, double w, double h, const char *url)
{
	char attrs[4096];
	size_t o;

	o = (size_t)snprintf(attrs, sizeof(attrs), "rect=[%.2f %.2f %.2f %.2f] uri='", x, y, w, h);
	for (const char *c = url; *c && o + 4 < sizeof(attrs); c++) {
		if (*c == '\'' || *c == '\\')
			attrs[o++] = '\\';
		attrs[o++] = *c;
	}
	if (o + 2 >= sizeof(attrs))
		return; /* too long to link: the address is printed anyway */
	attrs[o++] = '\'';
	attrs[o] = '\0';
	cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attrs);
	cairo_tag_end(p->cr, CAIRO_TAG_LINK);
}

/* Links over the part of line that is bytes [a, b) of the layout. */
static void line_links(struct pdf *p, PangoLayoutLine *line, int a, int b, double x, double top, double h,
		       const char *url)
{
	int lo = line->start_index, hi = line->start_index + line->length, *r = NULL, n = 0;

	if (b <= lo || a >= hi)
		return;
	pango_layout_line_get_x_ranges(line, a > lo ? a : lo, b < hi ? b : hi, &r, &n);
	for (int i = 0; i < n; i++)
		link_rect(p, x + (double)r[2 * i] / PANGO_SCALE, top, (double)(r[2 * i + 1] - r[2 * i]) / PANGO_SCALE,
			  h, url);
	g_free(r);
}

/* The layout's lines from p->y on, pitch apart, breaking pages between
 * lines; the runs' links over their text. */
static void set_lines(struct pdf *p, double pitch, const struct sd_run *runs, size_t nruns)
{
	PangoLayoutIter *it = pango_layout_get_iter(p->l);

	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle lg;
		double base, h;
		int off = 0;

		pango_layout_iter_get_line_extents(it, NULL, &lg);
		h = (double)lg.height / PANGO_SCALE;
		need(p, pitch > h ? pitch : h);
		base = p->y + ((pitch > h ? pitch : h) - h) / 2 + (double)(pango_layout_iter_get_baseline(it) - lg.y) / PANGO_SCALE;
		cairo_move_to(p->cr, p->x0 + p->title_x + (double)lg.x / PANGO_SCALE, base);
		pango_cairo_show_layout_line(p->cr, line);
		for (size_t i = 0; i < nruns; i++) {
			int len = (int)strlen(runs[i].text);
			if (runs[i].url)
				line_links(p, line, off, off + len, p->x0, p->y, pitch > h ? pitch : h, runs[i].url);
			off += len;
		}
		p->y += pitch > h ? pitch : h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* Runs as one text in face f, the links blue and underlined. */
static void runs_text(struct pdf *p, enum font f, const struct sd_block *b, struct kbuf *t)
{
	PangoAttrList *al = pango_attr_list_new();
	struct kerr e;
	int rc = 0;

	kbuf_reset(t);
	for (size_t i = 0; i < b->nruns && rc == 0; i++) {
		size_t start = t->len;
		rc = kbuf_adds(t, b->runs[i].text, &e);
		if (b->runs[i].url) {
			PangoAttribute *c = pango_attr_foreground_new(0x0000, 0x4000, 0xa000),
				       *u = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
			c->start_index = u->start_index = (guint)start;
			c->end_index = u->end_index = (guint)t->len;
			pango_attr_list_insert(al, c);
			pango_attr_list_insert(al, u);
		}
	}
	set_attrs(p, f, rc == 0 && t->data ? t->data : "", al);
	pango_attr_list_unref(al);
}

/* A heading in the PDF's outline (bookmarks). */
static void outline(struct pdf *p, const struct sd_block *b)
{
	char dest[96];
	int id;

	snprintf(dest, sizeof(dest), "page=%zu pos=[%.1f %.1f]", p->page, p->x0, p->y);
	id = cairo_pdf_surface_add_outline(p->s, b->kind == SD_H1 ? CAIRO_PDF_OUTLINE_ROOT : p->h1, b->text, dest,
					   (cairo_pdf_outline_flags_t)0);
	if (b->kind == SD_H1)
		p->h1 = id;
}

/* The title with breaks allowed only after 年, around quotes and at its
 * own line breaks, as titles are broken by hand ("重庆高新区2025年" and
 * "全国科普月“千万IP创科普”", not "…全国科" and "普月…"): a word joiner
 * (U+2060) between every other two characters. */
static void title_joined(const char *text, struct kbuf *out)
{
	struct kerr e;
	const char *prev = NULL;

	kbuf_reset(out);
	for (const char *s = text; *s;) {
		const char *next = s + 1;
		while (*next && ((unsigned char)*next & 0xc0) == 0x80)
			next++;
		if (prev && strncmp(prev, "年", strlen("年")) && strncmp(prev, "”", strlen("”")) &&
		    strncmp(s, "“", strlen("“")) && strncmp(s, SD_BREAK, strlen(SD_BREAK)) &&
		    strncmp(prev, SD_BREAK, strlen(SD_BREAK)))
			kbuf_adds(out, "\xe2\x81\xa0", &e);
		kbuf_add(out, s, (size_t)(next - s), &e);
		prev = s;
		s = next;
	}
}

/* The widest line of p->l, points. */
static double widest(struct pdf *p)
{
	PangoRectangle r;

	pango_layout_get_extents(p->l, NULL, &r);
	return (double)r.width / PANGO_SCALE;
}

/* The title in lines of even length (GB/T 9704's 梯形 or 菱形), not a
 * full line and a stub: the narrowest width that needs no more lines than
 * the whole type area; broken where titles are (title_joined()) when that
 * fits. */
static void title_layout(struct pdf *p, const char *text, struct kbuf *t)
{
	double lo = p->w * 0.4, hi = p->w;
	int n;

	title_joined(text, t);
	set_text(p, F_TITLE, t->data ? t->data : text, hi, PANGO_ALIGN_CENTER, 0);
	if (widest(p) > p->w + 0.5)
		set_text(p, F_TITLE, text, hi, PANGO_ALIGN_CENTER, 0);
	n = pango_layout_get_line_count(p->l);
	for (int i = 0; i < 12; i++) {
		double mid = (lo + hi) / 2;
		pango_layout_set_width(p->l, (int)(mid * PANGO_SCALE));
		if (pango_layout_get_line_count(p->l) <= n && widest(p) <= mid + 0.5)
			hi = mid;
		else
			lo = mid;
	}
	pango_layout_set_width(p->l, (int)(hi * PANGO_SCALE));
	p->title_x = (p->w - hi) / 2; /* centred in the type area */
}

/* Title, period, headings, paragraphs, captions. */
static void text_block(struct pdf *p, const struct sd_block *b, struct kbuf *t)
{
	double em = SD_BODY_PT;

	switch (b->kind) {
	case SD_TITLE:
		title_layout(p, b->text, t);
		set_lines(p, faces[F_TITLE].pitch, NULL, 0);
		p->title_x = 0;
		break;
	case SD_PERIOD:
		set_text(p, F_PERIOD, b->text, p->w, PANGO_ALIGN_CENTER, 0);
		set_lines(p, faces[F_PERIOD].pitch, NULL, 0);
		p->y += faces[F_BODY].pitch / 2;
		break;
	case SD_H1:
	case SD_H2:
		outline(p, b);
		set_text(p, b->kind == SD_H1 ? F_H1 : F_H2, b->text, p->w, PANGO_ALIGN_LEFT, 2 * em);
		set_lines(p, faces[F_BODY].pitch, NULL, 0);
		break;
	case SD_CAPTION:
		set_text(p, F_CAPTION, b->text, p->w, PANGO_ALIGN_CENTER, 0);
		set_lines(p, faces[F_CAPTION].pitch, NULL, 0);
		break;
	default:
		/* left, not justified: pango would stretch only the spaces */
		set_text(p, F_BODY, b->nruns ? "" : b->text, p->w, PANGO_ALIGN_LEFT, 2 * em);
		if (b->nruns)
			runs_text(p, F_BODY, b, t);
		set_lines(p, faces[F_BODY].pitch, b->runs, b->nruns);
	}
}

/* A blank's frame: its prompt laid out in p->l; the frame's height. */
static double blank_height(struct pdf *p, const struct sd_block *b)
{
	int lh;

	set_text(p, F_PROMPT, b->text, p->w - 12, PANGO_ALIGN_LEFT, 2 * faces[F_PROMPT].size);
	pango_layout_get_size(p->l, NULL, &lh);
	return (double)lh / PANGO_SCALE + 12 + faces[F_BODY].pitch / 2;
}

/* A framed blank with its prompt in grey and room to write. */
static void blank_block(struct pdf *p, const struct sd_block *b)
{
	double pitch = faces[F_BODY].pitch, h = blank_height(p, b), top;

	need(p, h);
	blank_height(p, b); /* need() may have drawn a page number */
	top = p->y;
	cairo_save(p->cr);
	cairo_rectangle(p->cr, p->x0, top, p->w, h);
	cairo_set_source_rgb(p->cr, 0.98, 0.97, 0.90);
	cairo_fill_preserve(p->cr);
	cairo_set_source_rgb(p->cr, 0.45, 0.45, 0.45);
	cairo_set_line_width(p->cr, 0.6);
	cairo_set_dash(p->cr, (const double[]){3, 2}, 2, 0);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	cairo_move_to(p->cr, p->x0 + 6, top + 6);
	pango_cairo_show_layout(p->cr, p->l);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	p->y = top + h + pitch / 3;
}

/* ---- tables ---- */

/* The columns' left edges (and the right edge last), points, the table
 * centred in the type area. */
static void columns(const struct pdf *p, const struct sd_table *t, double *x)
{
	double total = 0;

	for (size_t i = 0; i < t->ncols; i++)
		total += PT(t->width[i]);
	x[0] = p->x0 + (p->w - total) / 2;
	for (size_t i = 0; i < t->ncols; i++)
		x[i + 1] = x[i] + PT(t->width[i]);
}

/* Cell c's text laid out w points wide: its height. */
static double cell_layout(struct pdf *p, const struct sd_cell *c, int head, double w)
{
	static const PangoAlignment al[] = {[SA_LEFT] = PANGO_ALIGN_LEFT, [SA_CENTER] = PANGO_ALIGN_CENTER,
					    [SA_RIGHT] = PANGO_ALIGN_RIGHT};
	int h;

	set_text(p, head ? F_HEAD : F_CELL, c->text, w, al[c->align], 0);
	if (c->url) {
		PangoAttrList *l = pango_attr_list_new();
		pango_attr_list_insert(l, pango_attr_foreground_new(0x0000, 0x4000, 0xa000));
		set_attrs(p, head ? F_HEAD : F_CELL, c->text, l);
		pango_attr_list_unref(l);
	}
	pango_layout_get_size(p->l, NULL, &h);
	return (double)h / PANGO_SCALE;
}

static double row_height(struct pdf *p, const struct sd_table *t, size_t r, const double *x)
{
	double h = 0;

	for (size_t i = 0; i < t->ncols; i++) {
		const struct sd_cell *c = &t->cells[r * t->ncols + i];
		double w, ch;
		if (!c->span)
			continue;
		w = x[i + c->span] - x[i] - 2 * CELL_PAD;
		ch = cell_layout(p, c, r < t->nhead, w);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD;
}

static void draw_cell(struct pdf *p, const struct sd_cell *c, int head, double x, double w, double h)
{
	cairo_rectangle(p->cr, x, p->y, w, h);
	if (head) {
		cairo_set_source_rgb(p->cr, 0.92, 0.92, 0.92);
		cairo_fill_preserve(p->cr);
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.5);
	cairo_stroke(p->cr);
	cell_layout(p, c, head, w - 2 * CELL_PAD);
	cairo_move_to(p->cr, x + CELL_PAD, p->y + CELL_PAD);
	pango_cairo_show_layout(p->cr, p->l);
	if (c->url)
		link_rect(p, x, p->y, w, h, c->url);
}

static void draw_row(struct pdf *p, const struct sd_table *t, size_t r, const double *x, double h)
{
	for (size_t i = 0; i < t->ncols; i++) {
		const struct sd_cell *c = &t->cells[r * t->ncols + i];
		if (c->span)
			draw_cell(p, c, r < t->nhead, x[i], x[i + c->span] - x[i], h);
	}
	p->y += h;
}

/* The header rows and the first row after them: what must start a page. */
static double table_lead(struct pdf *p, const struct sd_table *t)
{
	double x[65], h = 0;

	if (t->ncols > 64)
		return 0;
	columns(p, t, x);
	for (size_t r = 0; r < t->nrows && r <= t->nhead; r++)
		h += row_height(p, t, r, x);
	return h;
}

/* Row by row; on a new page the header rows again. */
static void table_block(struct pdf *p, const struct sd_table *t)
{
	double x[65];

	if (t->ncols > 64)
		return;
	columns(p, t, x);
	for (size_t r = 0; r < t->nrows; r++) {
		double h = row_height(p, t, r, x);
		if (p->y + h > p->bottom && p->y > p->y0) {
			new_page(p);
			for (size_t k = 0; r >= t->nhead && k < t->nhead; k++)
				draw_row(p, t, k, x, row_height(p, t, k, x));
		}
		draw_row(p, t, r, x, h);
	}
	p->y += faces[F_BODY].pitch / 2;
}

/* ---- the chart, the signature ---- */

/* The chart with the caption that follows it, on one page. */
static void chart_block(struct pdf *p, const struct sd_chart *c)
{
	double h = PT(SD_CHART_H_MM);

	need(p, h + faces[F_CAPTION].pitch);
	cairo_save(p->cr);
	cairo_translate(p->cr, p->x0, p->y);
	summary_chart_draw(p->cr, c, p->w, h);
	cairo_restore(p->cr);
	p->y += h + 4;
}

/* A line of body text at x, vertically centred in the pitch. */
static void put_line(struct pdf *p, const char *text, double x)
{
	int h;

	set_text(p, F_BODY, text, -1, PANGO_ALIGN_LEFT, 0);
	pango_layout_get_size(p->l, NULL, &h);
	cairo_move_to(p->cr, x, p->y + (faces[F_BODY].pitch - (double)h / PANGO_SCALE) / 2);
	pango_cairo_show_layout(p->cr, p->l);
	p->y += faces[F_BODY].pitch;
}

static double text_width(struct pdf *p, const char *text)
{
	int w;

	set_text(p, F_BODY, text, -1, PANGO_ALIGN_LEFT, 0);
	pango_layout_get_size(p->l, &w, NULL);
	return (double)w / PANGO_SCALE;
}

/* GB/T 9704 7.3.5.2: the date four characters from the right, the
 * issuing unit centred over it, a blank line above. */
static void signature(struct pdf *p, const char *issuer, const char *date)
{
	double pitch = faces[F_BODY].pitch, right = p->x0 + p->w - 4 * SD_BODY_PT;
	double dw = text_width(p, date), iw = text_width(p, issuer), x = right - dw / 2 - iw / 2;

	need(p, pitch * 3);
	if (p->y > p->y0)
		p->y += pitch;
	if (x + iw > p->x0 + p->w)
		x = p->x0 + p->w - iw;
	put_line(p, issuer, x < p->x0 ? p->x0 : x);
	put_line(p, date, right - dw);
}

/* ---- the document ---- */

/* The faces must be the ones asked for: a fallback font without Chinese
 * would print boxes. */
static int check_fonts(struct pdf *p, struct kerr *e)
{
	static const char *const families[] = {SERIF, SANS};

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		PangoFontDescription *want = pango_font_description_from_string(families[i]), *got = NULL;
		PangoFont *f = pango_context_load_font(pango_layout_get_context(p->l), want);
		int ok;
		if (f)
			got = pango_font_describe(f);
		ok = got && pango_font_description_get_family(got) &&
		     !strcmp(pango_font_description_get_family(got), families[i]);
		if (got)
			pango_font_description_free(got);
		if (f)
			g_object_unref(f);
		pango_font_description_free(want);
		if (!ok)
			return kerr_set(e, KERR_IO, "the font '%s' is not installed (Debian: apt-get install fonts-noto-cjk)",
					families[i]);
	}
	return 0;
}

static void metadata(struct pdf *p, const struct sd_doc *d)
{
	time_t t = (time_t)(d->created + 8 * 3600);
	struct tm tm;
	char when[96];

	gmtime_r(&t, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_TITLE, d->title ? d->title : "");
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_AUTHOR, d->issuer ? d->issuer : "");
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATOR, "kepu");
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATE_DATE, when);
}

/* The least of block i that must follow a heading on its page. */
static double lead_height(struct pdf *p, const struct sd_doc *d, size_t i)
{
	if (i >= d->n)
		return 0;
	switch (d->b[i].kind) {
	case SD_BLANK: return blank_height(p, &d->b[i]);
	case SD_H2: return faces[F_BODY].pitch + lead_height(p, d, i + 1);
	case SD_CAPTION: return faces[F_CAPTION].pitch + (i + 1 < d->n && d->b[i + 1].kind == SD_TABLE ? table_lead(p, d->b[i + 1].table) : 0);
	case SD_TABLE: return table_lead(p, d->b[i].table);
	case SD_CHART: return PT(SD_CHART_H_MM) + faces[F_CAPTION].pitch;
	default: return 2 * faces[F_BODY].pitch;
	}
}

static void blocks(struct pdf *p, const struct sd_doc *d, struct kbuf *t)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sd_block *b = &d->b[i];
		if (b->kind == SD_H1 || b->kind == SD_H2)
			need(p, faces[F_BODY].pitch + lead_height(p, d, i + 1));
		switch (b->kind) {
		case SD_TABLE: table_block(p, b->table); break;
		case SD_CHART: chart_block(p, b->chart); break;
		case SD_BLANK: blank_block(p, b); break;
		case SD_ISSUER:
			signature(p, b->text, i + 1 < d->n && d->b[i + 1].kind == SD_DATE ? d->b[++i].text : "");
			break;
		case SD_DATE: put_line(p, b->text, p->x0 + p->w - 4 * SD_BODY_PT - text_width(p, b->text)); break;
		case SD_CAPTION:
			/* a table's caption stays with the table's first rows */
			if (i + 1 < d->n && d->b[i + 1].kind == SD_TABLE)
				need(p, faces[F_CAPTION].pitch + table_lead(p, d->b[i + 1].table));
			text_block(p, b, t);
			break;
		default: text_block(p, b, t);
		}
	}
}

int summary_pdf(const struct sd_doc *d, struct kbuf *out, size_t *pages, struct kerr *e)
{
	struct pdf p;
	struct kbuf t;
	cairo_status_t st;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.out = out;
	p.s = cairo_pdf_surface_create_for_stream(sink, &p, PT(SD_PAGE_W_MM), PT(SD_PAGE_H_MM));
	p.cr = cairo_create(p.s);
	p.l = summary_layout(p.cr);
	p.pn = summary_layout(p.cr);
	for (int f = 0; f < F_N; f++) {
		p.f[f] = pango_font_description_new();
		pango_font_description_set_family_static(p.f[f], faces[f].family);
		pango_font_description_set_weight(p.f[f], faces[f].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
		pango_font_description_set_size(p.f[f], (gint)(faces[f].size * PANGO_SCALE));
	}
	p.x0 = PT(SD_LEFT_MM);
	p.y0 = p.y = PT(SD_TOP_MM);
	p.w = PT(SD_TEXT_MM);
	p.bottom = p.y0 + PT(SD_TEXT_H_MM);
	p.page = 1;
	kbuf_init(&t, 1024 * 1024);
	if ((rc = check_fonts(&p, e)) == 0) {
		metadata(&p, d);
		blocks(&p, d, &t);
		page_number(&p);
	}
	*pages = p.page;
	kbuf_release(&t);
	g_object_unref(p.l);
	g_object_unref(p.pn);
	for (int f = 0; f < F_N; f++)
		pango_font_description_free(p.f[f]);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.s);
	st = cairo_surface_status(p.s);
	cairo_surface_destroy(p.s);
	if (rc == 0 && (p.write_failed || st != CAIRO_STATUS_SUCCESS))
		rc = p.write_failed ? kerr_set(e, KERR_NOMEM, "the PDF is larger than 256 MiB")
				    : kerr_set(e, KERR_IO, "cannot lay out the PDF: %s", cairo_status_to_string(st));
	return rc;
}
