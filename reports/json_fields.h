/*
 * json_fields.h (private to reports/): the JSON values the report and the
 * shortlist both write: times in +08:00, strings that may be absent, and
 * indexes rounded to two decimals.
 */
#ifndef KEPU_REPORTS_JSON_FIELDS_H
#define KEPU_REPORTS_JSON_FIELDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "../model/post.h"

/* null when s is NULL (new references) */
json_t *jf_str(const char *s);
/* `2025-09-02T10:15:00+08:00`, null for 0 */
json_t *jf_time(int64_t t);
/* x rounded to two decimals */
json_t *jf_num2(double x);

/*
 * A work as every JSON list writes it (the report's top works, the
 * shortlist, the showcase): rank, platform, post_id, url, title,
 * author_name, district, district_code, created_at, each count (a number,
 * null when the platform does not show it), index, and lower_bounds: the
 * names of the counts that are lower bounds (a number shown as "10万+").
 * Set into o.
 */
void jf_work(json_t *o, size_t rank, const char *platform, const char *post_id, const char *url, const char *title,
	     const char *author_name, const char *district, const char *district_code, int64_t created_at,
	     const int64_t *counts, unsigned known, unsigned lower, double index);

struct kerr;
/* root (its reference taken) to out as the JSON files are written: one
 * space of indent, 12 significant digits, a final line break; what names
 * the file in an error. */
int jf_write(json_t *root, FILE *out, const char *what, struct kerr *e);

/* A work of the shortlist as `featured --format json` writes it (the
 * fields above, then its review: review_status, flags, flags_open,
 * reviewed_by, reviewed_at, review_note, over_per_unit); the showcase's
 * JSON adds to it. */
struct featured_work;
json_t *jf_featured_work(const struct featured_work *w);

#endif
