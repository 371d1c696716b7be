/* cmd_export.c: `kepu export`: every stored post, for other tools. */
#include <stdint.h>
#include <stdio.h>

#include "../reports/report.h"
#include "../util/afile.h"
#include "cli.h"

enum { O_FORMAT, O_SINCE, O_UNTIL, O_OUTPUT };
enum { F_NDJSON, F_CSV, F_XLSX };
static const struct cli_opt export_opts[] = {
	[O_FORMAT] = {"format", 0, OPT_CHOICE, "F",
		      "ndjson (default), csv (UTF-8 with BOM, for Excel and WPS; import\n"
		      "reads it back) or xlsx (an Excel workbook for people: needs -o)",
		      "ndjson|csv|xlsx|jsonl=ndjson"},
	[O_SINCE] = {"since", 0, OPT_DATE, "DATE", "posts created on or after DATE (YYYY-MM-DD, Beijing time)"},
	[O_UNTIL] = {"until", 0, OPT_DATE, "DATE", "posts created on or before DATE"},
	[O_OUTPUT] = {"output", 'o', OPT_TEXT, "FILE", "write to FILE instead of standard output"},
	{NULL},
};

static int check_export(struct cli *c, struct cli_args *a)
{
	(void)c;
	return a->choice[O_FORMAT] == F_XLSX ? cli_binary_output(&cli_export, a->text[O_OUTPUT]) : EXIT_OK;
}

static int cmd_export(struct cli *c, struct cli_args *a)
{
	struct store_filter f = {INT64_MIN, INT64_MAX};
	const char *path = a->text[O_OUTPUT];
	FILE *out = stdout;
	struct afile af;
	struct kerr e;
	int status = EXIT_OK;

	if (a->set[O_SINCE])
		f.since = a->date[O_SINCE];
	if (a->set[O_UNTIL])
		f.until = a->date[O_UNTIL] + 86400;
	kerr_clear(&e);
	if (a->choice[O_FORMAT] == F_XLSX)
		return export_write_xlsx(c->st, &f, c->cfg.campaign_name, path, &e) < 0 ? cli_fail(&e) : EXIT_OK;
	if (cli_output_begin(path, &af, &out, &e) < 0)
		return cli_fail(&e);
	if (export_write(c->st, &f, a->choice[O_FORMAT] == F_CSV ? EXPORT_CSV : EXPORT_NDJSON, out, &e) < 0)
		status = cli_fail(&e);
	return cli_output_end(path, &af, out, status);
}

const struct cli_command cli_export = {
	.name = "export",
	.summary = "write every stored post (NDJSON, CSV or an Excel workbook)",
	.opts = export_opts,
	.needs = NEED_STORE,
	.check = check_export,
	.run = cmd_export,
};
