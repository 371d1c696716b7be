/* cmd_showcase.c: `kepu showcase -o DIR`: the publishable page of the
 * featured works (DIR/index.html), the same works as DIR/showcase.csv and
 * DIR/showcase.json, and their covers in DIR/covers/. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../config/config.h"
#include "../reports/report.h"
#include "cli.h"

enum { O_OUTPUT };
static const struct cli_opt showcase_opts[] = {
	[O_OUTPUT] = {"output", 'o', OPT_TEXT, "DIR", "the directory (created if missing)", .required = 1},
	{NULL},
};

static int check_showcase(struct cli *c, struct cli_args *a)
{
	(void)c;
	if (!*a->text[O_OUTPUT])
		return cli_usage_error(&cli_showcase, "where to? give the directory with -o DIR");
	return EXIT_OK;
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
	if (showcase_write(&s, dir, &e) < 0)
		status = cli_fail(&e);
	else {
		for (size_t i = 0; i < s.f.n; i++)
			units += !i || s.f.works[i].unit != s.f.works[i - 1].unit;
		printf("showcase: %zu featured work%s in %zu group%s: %s/index.html, %s/showcase.csv, %s/showcase.json\n",
		       s.f.n, s.f.n == 1 ? "" : "s", units, units == 1 ? "" : "s", dir, dir, dir);
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
		 "them), DIR/showcase.csv (UTF-8 with BOM) and DIR/showcase.json with the same works,\n"
		 "and each work's cover into DIR/covers/ (kept between runs).  A work that was\n"
		 "unfeatured or deleted on its platform is left out.\n",
	.opts = showcase_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_showcase,
	.run = cmd_showcase,
};
