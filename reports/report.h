/*
 * report.h: the report model built from the store, its renderers, and the
 * export of every stored post.
 *
 * One model is built by report_build() through store/'s query API; the
 * renderers only format it (no SQL).  Every text that comes from a post is
 * escaped for the format it lands in.
 *
 * Not for: SQL text, collection.
 */
#ifndef KEPU_REPORTS_REPORT_H
#define KEPU_REPORTS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "../matchers/district.h"
#include "../store/store.h"
#include "../util/err.h"

#define REPORT_TOP 10

/* Attribution methods, in the order the report lists them. */
#define REPORT_METHODS 7
extern const char *const report_methods[REPORT_METHODS];

/* Engagement index of one post: see README "Engagement index". */
double report_engagement_index(const struct post *p);

struct report_totals {
	long posts;
	long authors;
	int64_t counts[PC_N];
	unsigned known;      /* bit i: some post reported count i */
};

struct report_work {
	char *platform, *post_id, *title, *author_name, *district, *url; /* owned */
	int64_t created_at;
	int64_t counts[PC_N];
	unsigned known, lower;
	double index;
};

struct report {
	char since[16], until[16];             /* the window, Asia/Shanghai dates, inclusive */
	int64_t generated_at;
	struct report_totals total;
	const struct district_unit *unit_list;  /* borrowed from the gazetteer */
	size_t nunits;
	struct report_totals *units;            /* parallel to unit_list */
	struct report_totals unknown_unit;      /* in Chongqing, unit unknown */
	struct report_totals outside;           /* outside Chongqing */
	struct report_totals no_location;       /* nothing known about the place */
	struct report_totals *platforms;        /* parallel to store_platforms */
	long by_method[REPORT_METHODS];         /* posts per attribution method */
	struct report_work top[REPORT_TOP];
	size_t ntop;
};

struct report_opts {
	int64_t since, until; /* UTC [since, until) */
};

/* Build; the caller frees with report_release(). */
int report_build(struct report *r, struct store *st, const struct gazetteer *g,
		 const struct report_opts *o, struct kerr *e);
void report_release(struct report *r);

int report_render_md(const struct report *r, FILE *out, struct kerr *e);

/* Export every post created in [since, until) with its latest counts. */
enum export_format { EXPORT_NDJSON, EXPORT_CSV };
int export_write(struct store *st, const struct store_filter *f, enum export_format fmt,
		 FILE *out, struct kerr *e);

#endif
