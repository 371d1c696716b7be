/*
 * sections.h (private to reports/): the analysts' report as one list of
 * sections (report_sections[], sections.c), walked by every renderer:
 * Markdown, CSV, HTML, JSON and the Excel workbook.
 *
 * A section has an id (the HTML anchor), a heading, the page it is on (the
 * whole city, a unit's page, both), its tables, and hooks where a format
 * needs more than the tables: Markdown's sparklines, the HTML cards,
 * charts and notes, and the JSON keys.  A table (tables.c) is a list of
 * columns {header, kind, getter}: the getter turns a row of the model into
 * a cell, and each format writes the cell its own way, so Markdown, CSV
 * and HTML always carry the same figures.  Adding a column is one entry in
 * its table's list; adding a section, one entry in report_sections[].
 *
 * Not for: computing figures (report.c does); the featured works.
 */
#ifndef KEPU_REPORTS_SECTIONS_H
#define KEPU_REPORTS_SECTIONS_H

#include <jansson.h>

#include "out.h"
#include "report.h"

/* What the renderers derive from the model once: orders and maxima. */
struct report_view {
	size_t *order;     /* the leaderboard: units by index, then posts (owned) */
	double top_share;  /* the largest unit's share of the city's index, percent */
	long top_platform; /* the most posts of one platform */
	long top_cell;     /* the most posts of one unit on one platform */
	long top_tag;      /* the most posts of one hashtag */
};
int report_view_init(struct report_view *v, const struct report *r, struct kerr *e);
void report_view_release(struct report_view *v);

/* The pages: the whole city's, a unit's (--district). */
int report_city_page(const struct report *r);
int report_unit_page(const struct report *r);
/* part as a percentage of whole (0 when whole is 0). */
double report_pct(double part, double whole);

/* ---- cells ---- */

enum cell_type {
	CV_NONE,   /* unknown, such as a count the platform does not report */
	CV_TEXT,   /* s */
	CV_INT,    /* i */
	CV_RANK,   /* i: a place in a list */
	CV_REAL,   /* x, shown to one decimal */
	CV_SHARE,  /* x percent; y the width of its bar in HTML (percent of the cell) */
	CV_COUNT,  /* i; a lower bound when lower ("100000+") */
	CV_TIME,   /* i: unix seconds, shown in Beijing time to the minute (0: unknown) */
	CV_DATE,   /* i: a day's first second: 2025-09-01 in data, 9月1日 for people */
	CV_CHANGE, /* x against y, the previous period's */
	CV_MOVE,   /* i places up (negative: down) since the previous period; lower: new (no place then) */
};

/* One value of a table.  s is borrowed from the model, a literal or buf. */
struct cell {
	enum cell_type type;
	const char *s;
	int64_t i;
	double x, y;
	int lower;
	char buf[64];
};

/* The cell as data files (CSV) hold it: plain numbers, ISO 8601 times
 * (buf holds it when needed); NULL for unknown. */
const char *report_cell_text(const struct cell *c, char buf[64]);
/* The cell as people read it (Markdown; util/human.h): 1,234,567, the
 * index with one decimal, 9月4日 10:54; NULL for unknown. */
const char *report_cell_human(const struct cell *c, char buf[64]);
/* Why unit u needs attention, for people ("本期无作品", "作品少于 3 件；
 * 指数占比低于 1.0%") into buf; "" when it does not. */
const char *report_attention_text(const struct report *r, const struct report_unit *u, char *buf, size_t size);
/* 指标说明: each term the report uses and what it means, in Chinese, for
 * people (the thresholds and references as configured), through fn. */
void report_notes(const struct report *r, void (*fn)(void *ctx, const char *term, const char *text), void *ctx);
/* What the report compares with, for people, into buf (report.h's enum
 * report_compare): "上期 2025年8月2日 至 2025年8月31日（...）". */
const char *report_comparison_text(const struct report *r, char *buf, size_t size);
/* "2025-09-02 10:15" (Beijing time) into out. */
void report_minute(int64_t t, char out[32]);

/* ---- rows: one thing of the model a table shows in a row ---- */

/* The overview's figures, in its order. */
enum report_metric { METRIC_POSTS, METRIC_AUTHORS, METRIC_COUNT, METRIC_INDEX, METRIC_UNITS };

struct report_row {
	const struct report *r;
	const struct report_view *v;
	size_t rank;                   /* 1-based place in its list (0: none) */
	int foot;                      /* the leaderboard's 重庆（区县未知） row */
	size_t group;                  /* > 0: the first row of a group of this many */
	const struct report_totals *t; /* a unit's, a platform's or the unknown unit's */
	const struct report_unit *unit;
	const struct report_group *group_of; /* a regional group */
	size_t platform; /* platforms[] index */
	const struct report_work *work;
	const struct report_day *day;
	const struct report_author *author;
	const struct report_hashtag *tag;
	const struct report_source *source;
	enum report_metric metric; /* the overview: which figure, */
	int count;                 /* and which count for METRIC_COUNT */
	const char *label, *key;   /* data quality: a line of the attribution table */
	long n, all;
};

typedef void (*report_row_fn)(void *ctx, const struct report_row *w);

/* ---- columns and tables ---- */

enum cell_kind {
	CELL_TEXT,  /* left-aligned; Markdown cuts it to 40 characters */
	CELL_NUM,   /* right-aligned */
	CELL_URL,   /* a link in Markdown */
	CELL_CHART, /* HTML only: a small picture of numbers (left-aligned, sorts as a number) */
};

/*
 * Where a column is.  A renderer asks with its format: Markdown with
 * IN_MD, CSV (and any data file such as xlsx) with IN_TEXT, HTML with
 * IN_HTML.  IN_TEXT columns are in Markdown and the data files; IN_DATA
 * columns (a unit's code, exact previous figures) only in the data files.
 */
enum col_in { IN_ALL, IN_TEXT /* Markdown and CSV */, IN_HTML /* HTML only */, IN_DATA /* CSV, xlsx */, IN_MD };
/* A column written once, once per count (its header the count's label),
 * or once per platform with posts in the window (its label). */
enum col_each { EACH_ONCE, EACH_COUNT, EACH_PLATFORM };

/* The cell of row w; k: which count or platform of an EACH_ column. */
typedef void (*cell_get)(const struct report_row *w, int k, struct cell *c);
/* An HTML cell written the column's own way (<td>...</td>). */
typedef void (*cell_html)(struct out *p, const struct report_row *w, int k);

struct report_column {
	const char *header;
	enum cell_kind kind;
	cell_get get;
	enum col_in in;
	enum col_each each;
	cell_html html;          /* NULL: the cell as its type says (html_cells.h) */
	const char *html_header; /* NULL: header */
	const char *key;         /* a sortable HTML table's data-key (EACH_COUNT: the count's name) */
	int asc;                 /* sortable: ascending on the first click */
	int (*shown)(const struct report *r); /* NULL: always; else the column is there when true
					       * (report_col_first() gives no instance) */
	unsigned no_print; /* HTML hides it in print, where an A4 page has no room: 1 (EACH_COUNT: bit k
			    * for count k) */
};

struct report_table {
	const char *file;                     /* the CSV file */
	const char *sheet;                    /* the workbook's sheet (valid for Excel: at most 31
						 characters, none of []:*?/\) */
	const char *title;                    /* caption, NULL for none */
	const char *unit_title;               /* the caption on a unit's page (NULL: title) */
	int (*shown)(const struct report *r); /* NULL: on every page its section is on */
	size_t people_rows;                   /* Markdown and HTML show the first this many (0: all);
					       * the data files (CSV, xlsx) every row */
	const struct report_column *cols;
	size_t ncols;
	/* every row, in order, through fn */
	void (*rows)(const struct report *r, const struct report_view *v, report_row_fn fn, void *ctx);
	/* HTML */
	const char *html_wrap;                                      /* the class of the <div> around the table */
	const char *html_attrs;                                     /* of <table> */
	void (*html_tr)(struct out *p, const struct report_row *w); /* NULL: <tr> */
	const char *html_empty;                                     /* the row when there are none (NULL: nothing) */
	int html_empty_span;                                        /* its colspan; 0: every column */
	const char *html_sorted; /* a sortable table (th data-key ...): the key sorted on load */
};

/* Is column c in the format asking (IN_MD, IN_TEXT for data files, IN_HTML)? */
int report_col_in(const struct report_column *c, enum col_in fmt);
/* The instances of c, k = first, next, ... until -1 (EACH_ONCE: just 0). */
int report_col_first(const struct report_column *c, const struct report *r);
int report_col_next(const struct report_column *c, const struct report *r, int k);
const char *report_col_header(const struct report_column *c, int k, int html);
const char *report_table_title(const struct report_table *t, const struct report *r);
int report_table_shown(const struct report_table *t, const struct report *r);

/* The tables (tables.c). */
/* campaign.targets (tables.c): metric m (0 works, 1 views, 2 互动量) done
 * by t, its goal in ct (0: none), its label. */
int64_t report_target_done(const struct report_totals *t, int m);
int64_t report_target_goal(const struct config_target *ct, int m);
const char *report_target_label(int m);
/* The page has targets of its own (the city's, or the unit's). */
int report_targets_shown(const struct report *r);

extern const struct report_table report_table_targets, report_table_unit_targets;
extern const struct report_table report_table_overview, report_table_leaderboard, report_table_groups,
	report_table_group_ranks, report_table_authors,
	report_table_platforms, report_table_matrix, report_table_daily, report_table_top_works,
	report_table_unit_works, report_table_unplaced, report_table_unit_top_works, report_table_hashtags, report_table_attribution, report_table_sources;
/* The overview's columns, for the HTML cards: the figure's label, now,
 * the previous period's, the window's halves (REPORT_COMPARE_HALVES),
 * and the change against what the report compares with. */
void report_overview_label(const struct report_row *w, int k, struct cell *c);
void report_overview_now(const struct report_row *w, int k, struct cell *c);
void report_overview_before(const struct report_row *w, int k, struct cell *c);
void report_overview_first_half(const struct report_row *w, int k, struct cell *c);
void report_overview_second_half(const struct report_row *w, int k, struct cell *c);
void report_overview_change(const struct report_row *w, int k, struct cell *c);

/* ---- sections ---- */

typedef void (*section_out)(struct out *p, const struct report *r, const struct report_view *v);

struct report_section {
	const char *id;                           /* the HTML anchor */
	const char *heading;                      /* Markdown ##, HTML h2 and its table of contents */
	int (*shown)(const struct report *r);     /* NULL: every page */
	const struct report_table *const *tables; /* NULL-terminated */
	section_out md;                           /* Markdown after the tables (NULL: none) */
	section_out html;                         /* the HTML section's body, inside <section> */
	/* the section's keys of the JSON, which is the whole model: called
	 * on every page, whatever shown says */
	void (*json)(json_t *root, const struct report *r);
	int json_last; /* its keys after every other section's */
};

extern const struct report_section report_sections[];
extern const size_t report_nsections;
int report_section_shown(const struct report_section *s, const struct report *r);

/* The hooks (render_md.c, render_html.c, render_json.c). */
void report_md_leaderboard(struct out *p, const struct report *r, const struct report_view *v);
void report_md_trend(struct out *p, const struct report *r, const struct report_view *v);
void report_md_notes(struct out *p, const struct report *r, const struct report_view *v);
void report_md_top_works(struct out *p, const struct report *r, const struct report_view *v);
void report_html_notes(struct out *p, const struct report *r, const struct report_view *v);
void report_html_overview(struct out *p, const struct report *r, const struct report_view *v);
void report_html_leaderboard(struct out *p, const struct report *r, const struct report_view *v);
void report_html_groups(struct out *p, const struct report *r, const struct report_view *v);
void report_html_targets(struct out *p, const struct report *r, const struct report_view *v);
void report_json_targets(json_t *root, const struct report *r);
void report_json_groups(json_t *root, const struct report *r);
void report_html_authors(struct out *p, const struct report *r, const struct report_view *v);
void report_html_platforms(struct out *p, const struct report *r, const struct report_view *v);
void report_html_trend(struct out *p, const struct report *r, const struct report_view *v);
void report_html_top_works(struct out *p, const struct report *r, const struct report_view *v);
void report_html_hashtags(struct out *p, const struct report *r, const struct report_view *v);
void report_html_quality(struct out *p, const struct report *r, const struct report_view *v);
void report_json_overview(json_t *root, const struct report *r);
void report_json_leaderboard(json_t *root, const struct report *r);
void report_json_authors(json_t *root, const struct report *r);
void report_json_platforms(json_t *root, const struct report *r);
void report_json_trend(json_t *root, const struct report *r);
void report_json_top_works(json_t *root, const struct report *r);
void report_json_hashtags(json_t *root, const struct report *r);
void report_json_quality(json_t *root, const struct report *r);

#endif
