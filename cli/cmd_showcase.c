/* cmd_showcase.c: `kepu showcase -o DIR`: the publishable page of the
 * featured works (DIR/index.html), the same works as DIR/showcase.csv and
 * DIR/showcase.json, and their cover pictures, downloaded once into
 * DIR/covers/ (collector/covers.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collector/covers.h"
#include "../config/config.h"
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

static void warn(const char *msg)
{
	char line[4096];

	fprintf(stderr, "kepu: warning: %s\n", utf8_quote(line, sizeof(line), msg, strlen(msg), 0));
}

struct cover_counts {
	size_t shown, fetched, failed, removed;
};

/*
 * Each featured work's cover into DIR/covers/, its file name into the
 * work's cover (NULL for a work without one).  A work whose cover cannot
 * be had is one warning and no cover: never a failure of the run.  The
 * directory is made only once a work has a cover URL.  Only running out
 * of memory is returned (-1 with e set).
 */
static int fetch_covers(struct cli *c, struct showcase *s, const char *dir, struct cover_counts *n,
			struct kerr *e)
{
	struct covers *cv = NULL;
	char cover_dir[4096], name[COVERS_NAME_MAX];
	int dir_failed = 0, rc = 0;

	snprintf(cover_dir, sizeof(cover_dir), "%s/covers", dir);
	for (size_t i = 0; i < s->f.n && !rc; i++) {
		struct showcase_work *w = &s->works[i];
		struct kerr we;
		int got = covers_find(cover_dir, w->w->platform, w->w->post_id, name);

		if (!got && covers_url_usable(w->cover_url)) {
			if (!cv && !dir_failed) {
				kerr_clear(&we);
				if (!(cv = covers_new(&c->cfg, cover_dir, &we))) {
					warn(we.msg); /* once: no cover can be written */
					dir_failed = 1;
				}
			}
			kerr_clear(&we);
			if (cv && (got = covers_get(cv, w->w->platform, w->w->post_id, w->cover_url, name, &we)) < 0) {
				warn(we.msg);
				n->failed++;
			} else if (got > 0)
				n->fetched++;
		}
		if (got > 0) {
			if (!(w->cover = strdup(name)))
				rc = kerr_set(e, KERR_NOMEM, "out of memory");
			n->shown++;
		}
	}
	covers_free(cv);
	return rc;
}

/* The covers of works no longer featured leave DIR/covers: the directory
 * is published, and a file there stays reachable at a guessable name. */
static void prune_covers(struct showcase *s, const char *dir, struct cover_counts *n)
{
	char cover_dir[4096];
	char **keep = s->f.n ? calloc(s->f.n, sizeof(*keep)) : NULL;
	struct kerr e;

	if (s->f.n && !keep)
		return; /* out of memory: nothing removed, nothing lost */
	for (size_t i = 0; i < s->f.n; i++)
		keep[i] = s->works[i].cover;
	snprintf(cover_dir, sizeof(cover_dir), "%s/covers", dir);
	kerr_clear(&e);
	if (covers_prune(cover_dir, keep, s->f.n, &n->removed, &e) < 0)
		warn(e.msg);
	free(keep);
}

static int cmd_showcase(struct cli *c, struct cli_args *a)
{
	const char *dir = a->text[O_OUTPUT];
	const struct config *cfg = &c->cfg;
	struct showcase_words words = {cfg->showcase_title, cfg->showcase_intro, cfg->showcase_organizer,
				       cfg->showcase_footer, cfg->showcase_base_url};
	struct featured_opts o;
	struct report_scoring sc;
	struct showcase s;
	struct cover_counts covered = {0, 0, 0, 0};
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
	if (showcase_build(&s, c->st, c->gaz, &o, &words, &e) < 0)
		return cli_fail(&e);
	if (!a->set[O_NO_COVERS] && fetch_covers(c, &s, dir, &covered, &e) < 0)
		status = cli_fail(&e);
	else if (showcase_write(&s, dir, &e) < 0)
		status = cli_fail(&e);
	else {
		if (!a->set[O_NO_COVERS])
			prune_covers(&s, dir, &covered);
		for (size_t i = 0; i < s.f.n; i++)
			units += !i || s.f.works[i].unit != s.f.works[i - 1].unit;
		printf("showcase: %zu featured work%s in %zu group%s: %s/index.html, %s/showcase.csv, %s/showcase.json\n",
		       s.f.n, s.f.n == 1 ? "" : "s", units, units == 1 ? "" : "s", dir, dir, dir);
		if (covered.shown || covered.failed || covered.removed)
			printf("covers: %zu of %zu works in %s/covers/ (%zu downloaded now, %zu failed, %zu removed: no "
			       "longer featured)\n",
			       covered.shown, s.f.n, dir, covered.fetched, covered.failed, covered.removed);
	}
	showcase_release(&s);
	return status;
}

const struct cli_command cli_showcase = {
	.name = "showcase",
	.summary = "write the showcase page of the featured works",
	.about = "Writes DIR/index.html, the public page of every featured work grouped by unit\n"
		 "(cover, title, author, platform, date, the counts the platform shows, the feature\n"
		 "note as caption; the config's showcase.title, intro, organizer and footer around\n"
		 "them), DIR/showcase.csv (UTF-8 with BOM) and DIR/showcase.json with the same works.\n"
		 "Each work's cover picture is downloaded once into DIR/covers/ (PLATFORM-ID.jpg,\n"
		 ".png, .webp or .gif) and kept for the next run; a cover that cannot be had is a\n"
		 "warning, never a failure.  A work that was unfeatured or deleted on its platform\n"
		 "is left out.\n",
	.opts = showcase_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_showcase,
	.run = cmd_showcase,
};
