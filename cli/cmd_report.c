/* cmd_report.c: `kepu report`: the analysts' summary. */
#include <stdio.h>
#include <string.h>

#include "../reports/report.h"
#include "options.h"

int cmd_report(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"since", required_argument, NULL, 's'},
					     {"until", required_argument, NULL, 'u'},
					     {"output", required_argument, NULL, 'o'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("report");
	const char *since = NULL, *until = NULL, *path = NULL;
	struct report_opts o;
	struct report r;
	struct store *st = NULL;
	struct gazetteer *g = NULL;
	FILE *out = stdout;
	struct kerr e;
	int ch, status = EXIT_OK;

	while ((ch = cli_getopt(cmd, argc, argv, ":s:u:o:h", opts)) != -1) {
		switch (ch) {
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
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
	kerr_clear(&e);
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	o.since = c->cfg.window_start;
	o.until = c->cfg.window_end;
	if (since && cli_date(cmd, "--since", since, &o.since) < 0)
		return EXIT_USAGE;
	if (until) {
		if (cli_date(cmd, "--until", until, &o.until) < 0)
			return EXIT_USAGE;
		o.until += 86400;
	}
	if (o.until <= o.since)
		return cli_usage_error(cmd, "--until is before --since");
	if (district_new(&g, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0)
		return cli_fail(&e);
	if (store_open(&st, c->db_path, &e) < 0) {
		district_free(g);
		return cli_fail(&e);
	}
	if (report_build(&r, st, g, &o, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (path && !(out = fopen(path, "wb"))) {
		kerr_set(&e, KERR_IO, "cannot write %s", path);
		status = cli_fail(&e);
	} else if (report_render_md(&r, out, &e) < 0)
		status = cli_fail(&e);
	if (out && out != stdout && fclose(out) != 0 && status == EXIT_OK) {
		kerr_set(&e, KERR_IO, "cannot write %s", path);
		status = cli_fail(&e);
	}
	report_release(&r);
out:
	store_close(st);
	district_free(g);
	return status;
}
