/*
 * render_csv.c: the report's tables (report_sections[], sections.h) as CSV
 * files in one directory, UTF-8 with a BOM so Excel and WPS open them as
 * UTF-8, formula injection neutralized (escape.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/afile.h"
#include "escape.h"
#include "report.h"
#include "sections.h"

struct csv_rows {
	struct out *p;
	const struct report_table *t;
};

static void csv_row(void *ctx, const struct report_row *w)
{
	const struct csv_rows *m = ctx;
	int first = 1;

	for (size_t i = 0; i < m->t->ncols; i++) {
		const struct report_column *c = &m->t->cols[i];
		if (!report_col_in(c, IN_TEXT))
			continue;
		for (int k = report_col_first(c, w->r); k >= 0; k = report_col_next(c, w->r, k)) {
			struct cell v;
			char buf[64];

			memset(&v, 0, sizeof(v));
			c->get(w, k, &v);
			if (!first)
				out_put(m->p, ",");
			out_csv(m->p, report_cell_text(&v, buf));
			first = 0;
		}
	}
	out_put(m->p, "\r\n");
}

static void csv_head(struct out *p, const struct report_table *t, const struct report *r)
{
	int first = 1;

	out_put(p, "\xef\xbb\xbf");
	for (size_t i = 0; i < t->ncols; i++) {
		const struct report_column *c = &t->cols[i];
		if (!report_col_in(c, IN_TEXT))
			continue;
		for (int k = report_col_first(c, r); k >= 0; k = report_col_next(c, r, k)) {
			if (!first)
				out_put(p, ",");
			out_csv(p, report_col_header(c, k, 0));
			first = 0;
		}
	}
	out_put(p, "\r\n");
}

static int write_table(const char *dir, const struct report_table *t, const struct report *r,
		       const struct report_view *v, struct kerr *e)
{
	char path[4096];
	struct csv_rows m;
	struct out p;
	int rc = -1;

	if (snprintf(path, sizeof(path), "%s/%s", dir, t->file) >= (int)sizeof(path))
		return kerr_set(e, KERR_USAGE, "%s: path too long", dir);
	out_init(&p, e);
	m.p = &p;
	m.t = t;
	csv_head(&p, t, r);
	t->rows(r, v, csv_row, &m);
	if (!p.failed)
		rc = afile_write(path, p.b.data, p.b.len, e);
	kbuf_release(&p.b);
	return rc;
}

int report_render_csv(const struct report *r, const char *dir, struct kerr *e)
{
	struct report_view v;
	int rc = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kerr_set(e, KERR_IO, "cannot create %s: %s", dir, strerror(errno));
	if (report_view_init(&v, r, e) < 0)
		return -1;
	for (size_t s = 0; s < report_nsections && rc == 0; s++) {
		if (!report_section_shown(&report_sections[s], r))
			continue;
		for (const struct report_table *const *t = report_sections[s].tables; *t && rc == 0; t++)
			if (report_table_shown(*t, r))
				rc = write_table(dir, *t, r, &v, e);
	}
	report_view_release(&v);
	return rc;
}
