/*
 * summary.h: the summaries the campaign office hands in (活动总结材料):
 * one per unit and the city's, each as a Word file and a PDF, in the
 * order and wording of a 工作总结 (README "Summaries").
 *
 * The figures come from the report model (report.h): the unit's page for
 * its own figures, the city's report for its rank, its share and the city's
 * average; the wording from the template (config.h "struct
 * config_summary").  This header sits beside report.h rather than in it
 * so that the documents can change without touching the report's header.
 *
 * Not for: figures of their own (there are none: every number is the
 * model's, formatted by util/human.h).
 */
#ifndef KEPU_REPORTS_SUMMARY_H
#define KEPU_REPORTS_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "../config/config.h"
#include "../util/err.h"
#include "report.h"

#define SUMMARY_MAX_PAGES 3 /* a unit's PDF: the top works are cut until it fits */

enum summary_format { SUMMARY_DOCX = 1 << 0, SUMMARY_PDF = 1 << 1 };

struct summary_opts {
	const struct config_summary *text; /* the template (borrowed) */
	const char *tag;                   /* the campaign tag, written without '#' */
	int64_t issued;                    /* a moment of the day written at the end */
	unsigned formats;                  /* enum summary_format bits */
};

/* What summary_write() wrote. */
struct summary_result {
	char stem[160];   /* "500116-江津区", "500000-重庆市" */
	size_t pages;     /* the PDF's (0 when none was written) */
	size_t works;     /* the top works listed */
};

/* The file name of r's summary without extension into out: the unit's
 * code and name ("500116-江津区", "cq-wansheng-万盛经开区"), for the city
 * "500000-重庆市". */
void summary_stem(const struct report *r, char *out, size_t size);

/*
 * Write the summary of r (a unit's page, or the city's report when
 * r->district is NULL) into the directory dir (created if missing) as
 * DIR/{stem}.docx and DIR/{stem}.pdf, as o->formats says, each written
 * whole to a temporary file beside it and renamed.  city is the city's
 * report of the same window and as-of (r itself for the city's summary).
 * A unit's PDF has at most SUMMARY_MAX_PAGES pages.  res may be NULL.
 */
int summary_write(const struct report *r, const struct report *city, const struct summary_opts *o,
		  const char *dir, struct summary_result *res, struct kerr *e);

#endif
