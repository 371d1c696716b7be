/* cmd_featured.c: `kepu featured`: the publicity staff's ranked shortlist. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../matchers/flags.h"
#include "../reports/report.h"
#include "../util/afile.h"
#include "options.h"

/* A whole number from lo to hi, or -1 after printing the usage error. */
static int parse_size(const struct cli_command *cmd, const char *opt, const char *arg, long lo, long hi,
		      size_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < lo || v > hi) {
		cli_usage_error(cmd, "%s: expected a whole number from %ld to %ld, got '%s'", opt, lo, hi, arg);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

int cmd_featured(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"district", required_argument, NULL, 'd'},
					     {"platform", required_argument, NULL, 'p'},
					     {"since", required_argument, NULL, 's'},
					     {"until", required_argument, NULL, 'u'},
					     {"top", required_argument, NULL, 'n'},
					     {"per-unit", required_argument, NULL, 'k'},
					     {"format", required_argument, NULL, 'f'},
					     {"output", required_argument, NULL, 'o'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("featured");
	const char *since = NULL, *until = NULL, *format = "md", *path = NULL;
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	struct store *st = NULL;
	struct gazetteer *g = NULL;
	struct flags *mask = NULL;
	FILE *out = stdout;
	struct afile af;
	struct kerr e;
	int ch, rc, status = EXIT_OK;

	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_SHORTLIST;
	o.top = FEATURED_TOP;
	o.per_unit = FEATURED_PER_UNIT;
	while ((ch = cli_getopt(cmd, argc, argv, ":d:p:s:u:n:k:f:o:h", opts)) != -1) {
		switch (ch) {
		case 'd': o.district = optarg; break;
		case 'p': o.platform = optarg; break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'n':
			if (parse_size(cmd, "--top", optarg, 1, FEATURED_MAX_TOP, &o.top) < 0)
				return EXIT_USAGE;
			break;
		case 'k':
			if (parse_size(cmd, "--per-unit", optarg, 0, FEATURED_MAX_TOP, &o.per_unit) < 0)
				return EXIT_USAGE;
			break;
		case 'f': format = optarg; break;
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
		return cli_usage_error(cmd, "--format: expected md, csv, json or html, got '%s'", format);
	if (o.platform && !platform_find(o.platform))
		return cli_usage_error(cmd, "--platform: unknown platform '%s'", o.platform);
	kerr_clear(&e);
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	if (cli_window(cmd, c, since, until, &o.since, &o.until) < 0)
		return EXIT_USAGE;
	cli_scoring(c, &sc);
	o.scoring = &sc;
	o.campaign = c->cfg.campaign_name;
	/* a shortlist is a review tool: phone and ID numbers in titles are masked */
	if (flags_new(&mask, NULL, &e) < 0 ||
	    district_new(&g, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	o.mask = mask;
	if (store_open(&st, c->db_path, &e) < 0 || featured_build(&f, st, g, &o, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (cli_output_begin(path, &af, &out, &e) < 0) {
		status = cli_fail(&e);
	} else {
		rc = !strcmp(format, "html")  ? featured_render_html(&f, out, &e)
		     : !strcmp(format, "json") ? featured_render_json(&f, out, &e)
		     : !strcmp(format, "csv")  ? featured_render_csv(&f, out, &e)
					       : featured_render_md(&f, out, &e);
		if (rc < 0)
			status = cli_fail(&e);
		status = cli_output_end(path, &af, out, status);
	}
	featured_release(&f);
out:
	store_close(st);
	district_free(g);
	flags_free(mask);
	return status;
}
