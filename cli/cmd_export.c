/* cmd_export.c: `kepu export`: every stored post, for other tools. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../reports/report.h"
#include "../util/afile.h"
#include "options.h"

int cmd_export(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"since", required_argument, NULL, 's'},
					     {"until", required_argument, NULL, 'u'},
					     {"output", required_argument, NULL, 'o'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("export");
	struct store_filter f = {INT64_MIN, INT64_MAX};
	enum export_format fmt = EXPORT_NDJSON;
	const char *path = NULL;
	struct store *st = NULL;
	FILE *out = stdout;
	struct afile af;
	struct kerr e;
	int ch, status = EXIT_OK;

	while ((ch = cli_getopt(cmd, argc, argv, ":f:s:u:o:h", opts)) != -1) {
		switch (ch) {
		case 'f':
			if (!strcmp(optarg, "ndjson") || !strcmp(optarg, "jsonl"))
				fmt = EXPORT_NDJSON;
			else if (!strcmp(optarg, "csv"))
				fmt = EXPORT_CSV;
			else
				return cli_usage_error(cmd, "--format: expected ndjson or csv, got '%s'", optarg);
			break;
		case 's':
			if (cli_date(cmd, "--since", optarg, &f.since) < 0)
				return EXIT_USAGE;
			break;
		case 'u':
			if (cli_date(cmd, "--until", optarg, &f.until) < 0)
				return EXIT_USAGE;
			f.until += 86400;
			break;
		case 'o':
			path = optarg;
			break;
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
	if (cli_open_store(c, &st, &e) < 0)
		return cli_fail(&e);
	if (cli_output_begin(path, &af, &out, &e) < 0) {
		store_close(st);
		return cli_fail(&e);
	}
	if (export_write(st, &f, fmt, out, &e) < 0)
		status = cli_fail(&e);
	status = cli_output_end(path, &af, out, status);
	store_close(st);
	return status;
}
