/*
 * html_cells.h (private to reports/): the pieces of the report's HTML
 * tables: numbers with thousands separators, cells whose data-v holds the
 * exact value the leaderboard's sort script reads, links to posts, the
 * leaderboard's sparklines.  Text from outside is escaped (out_html).
 */
#ifndef KEPU_REPORTS_HTML_CELLS_H
#define KEPU_REPORTS_HTML_CELLS_H

#include <stdint.h>

#include "out.h"
#include "sections.h"

/* 1,234,567 and 1,234.5 (util/human.h) */
void out_int(struct out *p, int64_t v);
void out_real(struct out *p, double v);

/* Table cells.  A text cell shows a grey "—" for NULL or "". */
void out_td_text(struct out *p, const char *s);
void out_td_int(struct out *p, int64_t v);
void out_td_real(struct out *p, double v);
/* A count, "100,000+" when the platform gave only a lower bound. */
void out_td_count(struct out *p, int64_t v, int lower);
/* A count the platform does not report: "—", never 0. */
void out_td_unknown(struct out *p);
/* A percentage with a bar behind it, bar percent of the cell wide. */
void out_td_share(struct out *p, double pct, double bar);
/* The cell of a column of kind as its type says. */
void out_td_cell(struct out *p, enum cell_kind kind, const struct cell *c);
/* A unit's posts per day as a small area chart in a cell. */
void out_td_sparkline(struct out *p, const long *v, size_t n);

/* A post's title as a link when its URL is http(s), else as plain text. */
void out_work_link(struct out *p, const char *title, const char *url);

#endif
