/* cmd_report.c: `kepu report`: the analysts' summary, four formats. */
#include <stdio.h>
#include <string.h>

#include "../matchers/flags.h"
#include "../reports/report.h"
#include "../util/afile.h"
#include "../util/timefmt.h"
#include "options.h"

int cmd_report(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"since", required_argument, NULL, 's'},
					     {"until", required_argument, NULL, 'u'},
					     {"as-of", required_argument, NULL, 'a'},
					     {"district", required_argument, NULL, 'd'},
					     {"scope", required_argument, NULL, 'S'},
					     {"include-deleted", no_argument, NULL, 'D'},
					     {"output", required_argument, NULL, 'o'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("report");
	const char *since = NULL, *until = NULL, *path = NULL, *format = "md", *asof = NULL;
	struct report_opts o;
	struct report_scoring sc;
	struct report r;
	struct store *st = NULL;
	struct gazetteer *g = NULL;
	struct flags *mask = NULL;
	FILE *out = stdout;
	struct afile af;
	struct kerr e;
	int ch, status = EXIT_OK;

	memset(&o, 0, sizeof(o));
	while ((ch = cli_getopt(cmd, argc, argv, ":f:s:u:a:d:S:Do:h", opts)) != -1) {
		switch (ch) {
		case 'D': o.include_deleted = 1; break;
		case 'f': format = optarg; break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'a': asof = optarg; break;
		case 'd': o.district = optarg; break;
		case 'S':
			if (strcmp(optarg, "chongqing") && strcmp(optarg, "all"))
				return cli_usage_error(cmd, "--scope: expected chongqing or all, got '%s'", optarg);
			o.scope_all = !strcmp(optarg, "all");
			break;
		case 'o': path = optarg; break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "csv") && strcmp(format, "json"))
		return cli_usage_error(cmd, "--format: expected html, md, csv or json, got '%s'", format);
	if (!strcmp(format, "csv") && !path)
		return cli_usage_error(cmd, "--format csv writes one file per table: give the directory with -o DIR");
	kerr_clear(&e);
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	if (cli_window(cmd, c, since, until, &o.since, &o.until) < 0)
		return EXIT_USAGE;
	if (asof) {
		const char *why;
		if (ktime_parse(asof, strlen(asof), &o.as_of, &why) < 0)
			return cli_usage_error(cmd, "--as-of: %s: '%s' (e.g. 2025-09-15 or '2025-09-15 18:00')", why, asof);
		if (strlen(asof) == 10)
			o.as_of += 86400 - 1; /* a date: the end of that day */
	}
	cli_scoring(c, &sc);
	o.scoring = &sc;
	o.campaign = c->cfg.campaign_name;
	/* the works' titles with phone and ID numbers masked, as in the
	 * shortlist: a report is printed and passed around */
	if (flags_new(&mask, NULL, &e) < 0)
		return cli_fail(&e);
	o.mask = mask;
	if (district_new(&g, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0) {
		flags_free(mask);
		return cli_fail(&e);
	}
	if (store_open(&st, c->db_path, &e) < 0 || report_build(&r, st, g, &o, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (!strcmp(format, "csv")) {
		if (report_render_csv(&r, path, &e) < 0)
			status = cli_fail(&e);
	} else if (cli_output_begin(path, &af, &out, &e) < 0) {
		status = cli_fail(&e);
	} else {
		int rc = !strcmp(format, "html") ? report_render_html(&r, out, &e)
			 : !strcmp(format, "json") ? report_render_json(&r, out, &e)
						   : report_render_md(&r, out, &e);
		if (rc < 0)
			status = cli_fail(&e);
		status = cli_output_end(path, &af, out, status);
	}
	report_release(&r);
out:
	store_close(st);
	district_free(g);
	flags_free(mask);
	return status;
}
