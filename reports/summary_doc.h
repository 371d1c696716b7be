/*
 * summary_doc.h (private to reports/): a summary as a list of blocks
 * (title, headings, paragraphs, blanks to fill in, tables, the chart, the
 * signature), built once from the report models and the template
 * (summary.c) and written two ways: WordprocessingML (summary_docx.c) and
 * PDF laid out with pango on cairo (summary_pdf.c).  Both read the same
 * blocks, so the Word file and the PDF always say the same thing.
 *
 * Every string is in the document's arena, already cleaned for both
 * formats (summary_clean(): no control characters, nothing XML 1.0
 * forbids, no bidirectional overrides); the writers still escape for
 * their format.
 *
 * Not for: figures (the report model has them) or wording (the template).
 */
#ifndef KEPU_REPORTS_SUMMARY_DOC_H
#define KEPU_REPORTS_SUMMARY_DOC_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/err.h"

enum sd_kind {
	SD_TITLE,    /* the document's title: 小标宋, centred */
	SD_PERIOD,   /* the line under the title: 楷体, centred */
	SD_H1,       /* 一、…: 黑体 */
	SD_H2,       /* （一）…: 楷体 */
	SD_PARA,     /* body text, 仿宋, first line indented two characters; runs may be links */
	SD_BLANK,    /* a framed blank for the unit to write in, with its prompt */
	SD_CAPTION,  /* a table's caption (above it) or the chart's (below it) */
	SD_TABLE,
	SD_CHART,    /* the daily trend */
	SD_ISSUER,   /* the signature: the issuing unit, */
	SD_DATE,     /* and the date */
};

/* A line break the template asked for in a title ({br}): U+2028, which
 * pango breaks at and the Word writer turns into <w:br/>. */
#define SD_BREAK "\xe2\x80\xa8"

/* A piece of a paragraph: text, a link when url is set. */
struct sd_run {
	const char *text, *url;
};

enum sd_align { SA_LEFT, SA_CENTER, SA_RIGHT };

struct sd_cell {
	const char *text;
	const char *url;  /* the text links there (http(s) only), or NULL */
	unsigned span;    /* the columns it covers; 0: covered by a cell to its left */
	enum sd_align align;
};

struct sd_table {
	size_t ncols, nrows, nhead;  /* nhead: the header rows, repeated on each page */
	const double *width;         /* per column, mm; they add up to at most SD_TEXT_MM */
	struct sd_cell *cells;       /* nrows * ncols */
};

/* The daily trend: posts per day as bars, the engagement index as a line. */
struct sd_chart {
	size_t n;
	const char **day;    /* "9月1日" */
	const double *posts, *index;
};

struct sd_block {
	enum sd_kind kind;
	const char *text;          /* every kind but tables, charts and paragraphs of runs */
	const struct sd_run *runs; /* SD_PARA with links */
	size_t nruns;
	const struct sd_table *table;
	const struct sd_chart *chart;
};

/* The page (GB/T 9704-2012): A4, the type area 156 x 225 mm. */
#define SD_PAGE_W_MM 210.0
#define SD_PAGE_H_MM 297.0
#define SD_TOP_MM 37.0
#define SD_LEFT_MM 28.0
#define SD_TEXT_MM 156.0
#define SD_TEXT_H_MM 225.0
#define SD_CHART_H_MM 44.0
#define SD_BODY_PT 16.0 /* 三号 */

struct sd_doc {
	struct arena a;        /* every string and array of the blocks */
	struct sd_block *b;    /* owned (malloc) */
	size_t n, cap;
	const char *title, *issuer; /* the title without SD_BREAK (document properties) */
	int64_t created;       /* the report's generation time (document properties) */
	int failed;            /* out of memory while building */
};

void summary_doc_init(struct sd_doc *d);
void summary_doc_release(struct sd_doc *d);
/* A new block at the end, zeroed but for kind; NULL (d->failed) on ENOMEM. */
struct sd_block *summary_doc_add(struct sd_doc *d, enum sd_kind kind);
/* s cleaned for a document (see above), cut to max characters (0: no
 * cut) with "…", in d's arena; "" for NULL. */
const char *summary_clean(struct sd_doc *d, const char *s, size_t max);
/* printf into d's arena (the result is not cleaned: for the code's own text). */
const char *summary_fmt(struct sd_doc *d, const char *fmt, ...) KEPU_PRINTF(2, 3);

/* The writers: the whole file into out. */
int summary_docx(const struct sd_doc *d, struct kbuf *out, struct kerr *e);
/* The PDF into out, and the number of its pages. */
int summary_pdf(const struct sd_doc *d, struct kbuf *out, size_t *pages, struct kerr *e);
/* The chart drawn in the rectangle (0, 0, w, h) of cr (points); vector in a
 * PDF, pixels in a PNG. */
void summary_chart_draw(cairo_t *cr, const struct sd_chart *c, double w, double h);
/* A pango layout for cr at 72 dpi, so that font sizes are in the page's
 * points.  The caller unrefs it (g_object_unref). */
typedef struct _PangoLayout PangoLayout;
PangoLayout *summary_layout(cairo_t *cr);
/* The chart as a PNG of w x h mm at 200 dpi into out. */
int summary_chart_png(const struct sd_chart *c, double w_mm, double h_mm, struct kbuf *out, struct kerr *e);

#endif
