/*
 * render_csv.c: the report's tables as CSV files in one directory, UTF-8
 * with a BOM so Excel and WPS open them as UTF-8, formula injection
 * neutralized (escape.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/afile.h"
#include "../util/buf.h"
#include "escape.h"
#include "report.h"
#include "tables.h"

static int write_table(const char *dir, const struct table *t, struct kerr *e)
{
	char path[4096];
	struct kbuf b;
	int rc = -1;

	if (snprintf(path, sizeof(path), "%s/%s", dir, t->file) >= (int)sizeof(path))
		return kerr_set(e, KERR_USAGE, "%s: path too long", dir);
	kbuf_init(&b, 256 * 1024 * 1024);
	if (kbuf_adds(&b, "\xef\xbb\xbf", e) < 0)
		goto out;
	for (size_t c = 0; c < t->ncols; c++)
		if ((c && kbuf_addc(&b, ',', e) < 0) || esc_csv(&b, t->heads[c], e) < 0)
			goto out;
	if (kbuf_adds(&b, "\r\n", e) < 0)
		goto out;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			if ((c && kbuf_addc(&b, ',', e) < 0) || esc_csv(&b, t->cells[r * t->ncols + c], e) < 0)
				goto out;
		if (kbuf_adds(&b, "\r\n", e) < 0)
			goto out;
	}
	rc = afile_write(path, b.data, b.len, e);
out:
	kbuf_release(&b);
	return rc;
}

int report_render_csv(const struct report *r, const char *dir, struct kerr *e)
{
	struct tables ts;
	int rc = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kerr_set(e, KERR_IO, "cannot create %s: %s", dir, strerror(errno));
	if (report_tables(r, &ts, e) < 0)
		return -1;
	for (size_t i = 0; i < ts.n && rc == 0; i++)
		rc = write_table(dir, &ts.t[i], e);
	report_tables_release(&ts);
	return rc;
}
