/*
 * xlsx.h (private to reports/): an Excel workbook being written with
 * libxlsxwriter, for the report, the shortlist and the export.
 *
 * One way to write a cell for all three, so every workbook kepu makes
 * reads the same: a header row in bold, frozen, with a filter; numbers
 * are numbers (#,##0; the index #,##0.0; shares 0.0%); ids, codes and
 * other text are text cells (a 19-digit Douyin id stays exact); links are
 * hyperlinks; times are date-time cells in Beijing time (+08:00, which
 * Excel cannot store: the headers and notes say so); an unknown value is
 * an empty cell, never 0; a lower bound ("10万+") is its number, shown
 * with a "+" (#,##0"+") and a cell comment saying it is a lower bound.
 * Column widths are fitted to what was written.
 *
 * The file appears whole or not at all: libxlsxwriter writes a temporary
 * file made by afile_open() beside the target (util/afile.h), which is
 * renamed over the target when everything went well and removed when
 * not.  Errors are sticky, as in out.h: after the first failure every
 * call is a no-op and xlsx_close() reports it.
 *
 * Not for: what a table holds (sections.h, featured.c, export.c).
 */
#ifndef KEPU_REPORTS_XLSX_H
#define KEPU_REPORTS_XLSX_H

#include <stdint.h>
#include <xlsxwriter.h>

#include "../util/afile.h"
#include "sections.h"

#define XLSX_MAX_COLS 64

enum xlsx_format {
	XF_HEAD,       /* the header row */
	XF_TEXT,       /* text, kept as text when edited (@) */
	XF_TEXT_RIGHT, /* text in a column of numbers ("新增", "12 / 41") */
	XF_INT,        /* #,##0 */
	XF_RANK,       /* 0 */
	XF_REAL,       /* #,##0.0 */
	XF_PCT,        /* 0.0% */
	XF_CHANGE,     /* +0.0% */
	XF_LOWER,      /* #,##0"+": a lower bound */
	XF_TIME,       /* yyyy-mm-dd hh:mm */
	XF_DATE,       /* yyyy-mm-dd */
	XF_NOTE,       /* the notes under a table */
	XF_N
};

struct xlsx_book {
	lxw_workbook *wb;
	struct afile af;
	lxw_format *fmt[XF_N];
	char *cut; /* a text cut to Excel's 32,767 characters (owned) */
	struct kerr *e;
	int failed;
};

struct xlsx_sheet {
	struct xlsx_book *b;
	lxw_worksheet *ws;
	lxw_row_t row; /* the row being written, then the last one (0: the header) */
	lxw_col_t ncols;
	double width[XLSX_MAX_COLS];
	unsigned nurls; /* hyperlinks so far (Excel's limit is 65,530 a sheet) */
};

/* The document properties (NULL fields are left out). */
struct xlsx_props {
	const char *title, *subject, *keywords, *comments;
	const char *campaign, *since, *until; /* also as custom properties 活动, 统计时段起, 统计时段止 */
	int64_t created;                      /* unix seconds */
};

/* Start the workbook for path (its temporary file).  big: rows are
 * written out as they come (libxlsxwriter's constant_memory), for the
 * export of every post; each row must then be written whole, in order. */
int xlsx_open(struct xlsx_book *b, const char *path, int big, struct kerr *e);
void xlsx_properties(struct xlsx_book *b, const struct xlsx_props *p);
/* Write the workbook and rename it over the target; or, after a failure,
 * remove it.  Frees everything either way. */
int xlsx_close(struct xlsx_book *b);

/* A new sheet named name (checked against Excel's rules). */
void xlsx_sheet_begin(struct xlsx_book *b, struct xlsx_sheet *s, const char *name);
/* The header row's cell col. */
void xlsx_header(struct xlsx_sheet *s, lxw_col_t col, const char *text);
/* Row s->row's cell col: c as its type says, in a column of kind. */
void xlsx_cell(struct xlsx_sheet *s, lxw_col_t col, enum cell_kind kind, const struct cell *c);
/* The cells of a count: unknown (empty), a number, or a lower bound. */
void xlsx_count(struct xlsx_sheet *s, lxw_col_t col, int64_t v, int known, int lower);
/* Text, a link (a hyperlink when it is a web address Excel takes) and a
 * moment (unix seconds; 0 leaves the cell empty). */
void xlsx_text(struct xlsx_sheet *s, lxw_col_t col, const char *text);
void xlsx_link(struct xlsx_sheet *s, lxw_col_t col, const char *url);
void xlsx_time(struct xlsx_sheet *s, lxw_col_t col, int64_t t);
/* Freeze the header row, filter and fit the columns, set up printing.
 * Call after the table's last row, s->row. */
void xlsx_sheet_end(struct xlsx_sheet *s);
/* A line of notes under the table at row (not counted in the widths). */
void xlsx_note(struct xlsx_sheet *s, lxw_row_t row, const char *text);

#endif
