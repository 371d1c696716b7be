/* cmd_showcase.c: `kepu showcase -o DIR`: the publishable page of the
 * featured works (DIR/index.html), the same rows as DIR/showcase.csv, and
 * the works' cover pictures, downloaded once into DIR/covers/
 * (collector/covers.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collector/covers.h"
#include "../reports/report.h"
#include "../util/utf8.h"
#include "cli.h"

enum { O_OUTPUT, O_NO_COVERS };
static const struct cli_opt showcase_opts[] = {
	[O_OUTPUT] = {"output", 'o', OPT_TEXT, "DIR", "the directory (created if missing)", .required = 1},
	[O_NO_COVERS] = {"no-covers", 0, OPT_FLAG, NULL, "download no cover pictures and show none"},
	{NULL},
};

static int check_showcase(struct cli *c, struct cli_args *a)
{
	(void)c;
	if (!*a->text[O_OUTPUT])
		return cli_usage_error(&cli_showcase, "where to? give the directory with -o DIR");
	return EXIT_OK;
}

/* A work's cover_url, copied out of the store's row (NULL: none). */
static int read_cover_url(void *ctx, const struct post *p, struct kerr *e)
{
	char **url = ctx;

	if (p->cover_url && !(*url = strdup(p->cover_url)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

static void warn(const char *msg)
{
	char line[4096];

	fprintf(stderr, "kepu: warning: %s\n", utf8_quote(line, sizeof(line), msg, strlen(msg), 0));
}

struct cover_counts {
	size_t shown, fetched, failed;
};

/*
 * Each featured work's cover into DIR/covers/, its file name into
 * names[i] (parallel to f->works; NULL for a work without one).  A work
 * whose cover cannot be had is one warning and no cover: never a failure
 * of the run.  The directory is made only once a work has a cover URL.
 * Only a database error is returned (-1 with e set).
 */
static int fetch_covers(struct cli *c, const struct featured *f, const char *dir, char **names,
			struct cover_counts *n, struct kerr *e)
{
	struct covers *cv = NULL;
	char cover_dir[4096], name[COVERS_NAME_MAX];
	int dir_failed = 0, rc = 0;

	snprintf(cover_dir, sizeof(cover_dir), "%s/covers", dir);
	for (size_t i = 0; i < f->n && !rc; i++) {
		const struct featured_work *w = &f->works[i];
		char *url = NULL;
		struct kerr we;
		int got;

		if (covers_find(cover_dir, w->platform, w->post_id, name)) {
			got = 1;
		} else {
			if (store_get_post(c->st, w->platform, w->post_id, read_cover_url, &url, e) < 0) {
				rc = -1;
				break;
			}
			got = 0;
			if (covers_url_usable(url) && !cv && !dir_failed) {
				kerr_clear(&we);
				if (!(cv = covers_new(&c->cfg, cover_dir, &we))) {
					warn(we.msg); /* once: no cover can be written */
					dir_failed = 1;
				}
			}
			kerr_clear(&we);
			if (cv && (got = covers_get(cv, w->platform, w->post_id, url, name, &we)) < 0) {
				warn(we.msg);
				n->failed++;
			} else if (got > 0)
				n->fetched++;
			free(url);
		}
		if (got > 0) {
			if (!(names[i] = strdup(name))) {
				rc = kerr_set(e, KERR_NOMEM, "out of memory");
				break;
			}
			n->shown++;
		}
	}
	covers_free(cv);
	return rc;
}

static int cmd_showcase(struct cli *c, struct cli_args *a)
{
	const char *dir = a->text[O_OUTPUT];
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	struct cover_counts covered = {0, 0, 0};
	char **cover_names = NULL; /* parallel to f.works: a file in DIR/covers/, or NULL */
	struct kerr e;
	int status = EXIT_OK;
	size_t units = 0;

	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_SHOWCASE;
	/* every featured work, whenever it was posted: featuring is a decision */
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.status = REVIEW_FEATURED;
	cli_scoring(c, &sc);
	o.scoring = &sc;
	o.campaign = c->cfg.campaign_name;
	/* the page is public: phone and ID numbers in titles, authors and
	 * captions are masked as the flags show them */
	o.mask = c->mask;
	kerr_clear(&e);
	if (featured_build(&f, c->st, c->gaz, &o, &e) < 0)
		return cli_fail(&e);
	if (f.n && !(cover_names = calloc(f.n, sizeof(*cover_names)))) {
		kerr_set(&e, KERR_NOMEM, "out of memory");
		status = cli_fail(&e);
		goto out;
	}
	if (f.n && !a->set[O_NO_COVERS] && fetch_covers(c, &f, dir, cover_names, &covered, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	/*
	 * ---- the covers go to the page here ----
	 * showcase_write() is changing (on main) to take cover_names, the
	 * file names in DIR/covers/ parallel to f.works (NULL: no cover):
	 * pass it here once that lands; until then the page is written as
	 * before and the covers are only downloaded.
	 */
	if (showcase_write(&f, dir, &e) < 0)
		status = cli_fail(&e);
	else {
		for (size_t i = 0; i < f.n; i++)
			units += !i || f.works[i].unit != f.works[i - 1].unit;
		printf("showcase: %zu featured work%s in %zu group%s: %s/index.html, %s/showcase.csv\n", f.n,
		       f.n == 1 ? "" : "s", units, units == 1 ? "" : "s", dir, dir);
		if (covered.shown || covered.failed)
			printf("covers: %zu of %zu works in %s/covers/ (%zu downloaded now, %zu failed)\n", covered.shown,
			       f.n, dir, covered.fetched, covered.failed);
	}
out:
	for (size_t i = 0; cover_names && i < f.n; i++)
		free(cover_names[i]);
	free(cover_names);
	featured_release(&f);
	return status;
}

const struct cli_command cli_showcase = {
	.name = "showcase",
	.summary = "write the showcase page of the featured works",
	.about = "Writes DIR/index.html, one self-contained page of every featured work grouped by\n"
		 "unit (title, author, platform, link, engagement, the reviewer's note as caption),\n"
		 "and DIR/showcase.csv with the same rows (UTF-8 with BOM) for the media team.\n"
		 "A work that was unfeatured is left out. Each work's cover picture is downloaded\n"
		 "once into DIR/covers/ (PLATFORM-ID.jpg, .png, .webp or .gif) and kept for the\n"
		 "next run; a cover that cannot be had is a warning, never a failure.\n",
	.opts = showcase_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_showcase,
	.run = cmd_showcase,
};
