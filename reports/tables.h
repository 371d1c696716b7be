/*
 * tables.h (private to reports/): the report's tables as rows of cells,
 * built once from the model and rendered as Markdown and as CSV files, so
 * both formats always carry the same figures.
 */
#ifndef KEPU_REPORTS_TABLES_H
#define KEPU_REPORTS_TABLES_H

#include "report.h"

enum cell_kind { CELL_TEXT, CELL_NUM, CELL_URL };

struct table {
	const char *file;    /* CSV file name, e.g. "districts.csv" */
	const char *section; /* the report section it belongs to (Markdown heading) */
	const char *title;   /* its caption */
	size_t ncols;
	const char **heads;  /* ncols column names (static strings), owned array */
	enum cell_kind *kinds; /* owned */
	char **cells;        /* nrows * ncols, owned; NULL: unknown (a platform's missing count) */
	size_t nrows;
	size_t ncells, acells; /* while building: cells so far, and room */
	int bad;             /* while building: out of memory, or a row of the wrong width */
};

struct tables {
	struct table *t;
	size_t n;
	int nomem; /* while building: a table could not be added */
};

int report_tables(const struct report *r, struct tables *out, struct kerr *e);
void report_tables_release(struct tables *t);

#endif
