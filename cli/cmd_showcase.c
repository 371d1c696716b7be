/* cmd_showcase.c: `kepu showcase -o DIR`: the publishable page of the
 * featured works (DIR/index.html) and the same rows as DIR/showcase.csv. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../matchers/flags.h"
#include "../reports/report.h"
#include "options.h"

int cmd_showcase(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("showcase");
	const char *dir = NULL;
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	struct store *st = NULL;
	struct gazetteer *g = NULL;
	struct flags *mask = NULL;
	struct kerr e;
	int ch, status = EXIT_OK;
	size_t units = 0;

	while ((ch = cli_getopt(cmd, argc, argv, ":o:h", opts)) != -1) {
		switch (ch) {
		case 'o': dir = optarg; break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!dir || !*dir)
		return cli_usage_error(cmd, "where to? give the directory with -o DIR");
	kerr_clear(&e);
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_SHOWCASE;
	/* every featured work, whenever it was posted: featuring is a decision */
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.status = REVIEW_FEATURED;
	report_scoring_default(&sc);
	for (int k = 0; k < PC_N; k++) {
		if (c->cfg.scoring_weight_set & (1u << k))
			sc.weight[k] = c->cfg.scoring_weight[k];
		if (c->cfg.scoring_reference_set & (1u << k))
			sc.reference[k] = c->cfg.scoring_reference[k];
	}
	o.scoring = &sc;
	o.campaign = c->cfg.campaign_name;
	/* the page is public: phone and ID numbers in titles, authors and
	 * captions are masked as the flags show them */
	if (flags_new(&mask, NULL, &e) < 0)
		return cli_fail(&e);
	o.mask = mask;
	if (district_new(&g, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0) {
		flags_free(mask);
		return cli_fail(&e);
	}
	if (store_open(&st, c->db_path, &e) < 0 || featured_build(&f, st, g, &o, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (showcase_write(&f, dir, &e) < 0)
		status = cli_fail(&e);
	else {
		for (size_t i = 0; i < f.n; i++)
			units += !i || f.works[i].unit != f.works[i - 1].unit;
		printf("showcase: %zu featured work%s in %zu group%s: %s/index.html, %s/showcase.csv\n", f.n,
		       f.n == 1 ? "" : "s", units, units == 1 ? "" : "s", dir, dir);
	}
	featured_release(&f);
out:
	store_close(st);
	district_free(g);
	flags_free(mask);
	return status;
}
