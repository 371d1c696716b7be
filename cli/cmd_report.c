/* cmd_report.c: `kepu report`: the analysts' summary, five formats. */
#include <stdio.h>
#include <string.h>

#include "../reports/report.h"
#include "../util/afile.h"
#include "../util/timefmt.h"
#include "cli.h"

enum { O_FORMAT, O_SINCE, O_UNTIL, O_AS_OF, O_DISTRICT, O_SCOPE, O_INCLUDE_DELETED, O_OUTPUT };
enum { F_MD, F_HTML, F_CSV, F_JSON, F_XLSX };
static const struct cli_opt report_opts[] = {
	[O_FORMAT] = {"format", 0, OPT_CHOICE, "F",
		      "md (default), html (one self-contained file), csv (one file per\n"
		      "table into the directory -o DIR), json (the whole model), xlsx (an\n"
		      "Excel workbook, a sheet per table, into the file -o FILE)",
		      "md|html|csv|json|xlsx"},
	[O_SINCE] = {"since", 0, OPT_DATE, "DATE", "first day (YYYY-MM-DD, Beijing time; default: campaign start)"},
	[O_UNTIL] = {"until", 0, OPT_DATE, "DATE", "last day, inclusive (default: campaign end)"},
	[O_AS_OF] = {"as-of", 0, OPT_TEXT, "TIME",
		     "engagement as it was then (the latest snapshot at or before it);\n"
		     "a date means the end of that day; default: the latest counts"},
	[O_DISTRICT] = {"district", 0, OPT_TEXT, "UNIT", "one unit's page: its works, authors, trend and platforms"},
	[O_SCOPE] = {"scope", 0, OPT_CHOICE, "S", "chongqing (default: posts in Chongqing) or all", "chongqing|all"},
	[O_INCLUDE_DELETED] = {"include-deleted", 0, OPT_FLAG, NULL,
			       "keep posts a platform says are gone (left out by default,\n"
			       "counted in data quality)"},
	[O_OUTPUT] = {"output", 'o', OPT_TEXT, "PATH",
		      "the file (or directory for csv); default standard output (not\n"
		      "for csv or xlsx)"},
	{NULL},
};

static int check_report(struct cli *c, struct cli_args *a)
{
	int64_t t;
	int status;

	if (a->choice[O_FORMAT] == F_CSV && !a->set[O_OUTPUT])
		return cli_usage_error(&cli_report, "--format csv writes one file per table: give the directory with -o DIR");
	if (a->choice[O_FORMAT] == F_XLSX && (status = cli_binary_output(&cli_report, a->text[O_OUTPUT])) != 0)
		return status;
	if ((status = cli_as_of(&cli_report, a->text[O_AS_OF], &t)) != EXIT_OK)
		return status;
	return cli_window(&cli_report, c, a, O_SINCE, O_UNTIL);
}

static int render(const struct report *r, int format, const char *path, struct kerr *e)
{
	FILE *out = stdout;
	struct afile af;
	int rc;

	if (format == F_CSV)
		return report_render_csv(r, path, e) < 0 ? cli_fail(e) : EXIT_OK;
	if (format == F_XLSX)
		return report_render_xlsx(r, path, e) < 0 ? cli_fail(e) : EXIT_OK;
	if (cli_output_begin(path, &af, &out, e) < 0)
		return cli_fail(e);
	rc = format == F_HTML ? report_render_html(r, out, e)
	     : format == F_JSON ? report_render_json(r, out, e)
				: report_render_md(r, out, e);
	return cli_output_end(path, &af, out, rc < 0 ? cli_fail(e) : EXIT_OK);
}

static int cmd_report(struct cli *c, struct cli_args *a)
{
	struct report_opts o;
	struct report_scoring sc;
	struct report r;
	struct kerr e;
	int status;

	memset(&o, 0, sizeof(o));
	o.include_deleted = a->set[O_INCLUDE_DELETED];
	o.district = a->text[O_DISTRICT];
	o.scope_all = a->choice[O_SCOPE] == 1;
	o.since = a->from;
	o.until = a->to;
	cli_as_of(&cli_report, a->text[O_AS_OF], &o.as_of); /* checked */
	cli_scoring(c, &sc);
	o.scoring = &sc;
	report_opts_config(&o, &c->cfg);
	/* the works' titles with phone and ID numbers masked, as in the
	 * shortlist: a report is printed and passed around */
	o.mask = c->mask;
	kerr_clear(&e);
	if (report_build(&r, c->st, c->gaz, &o, &e) < 0)
		return cli_fail(&e);
	status = render(&r, a->choice[O_FORMAT], a->text[O_OUTPUT], &e);
	report_release(&r);
	return status;
}

const struct cli_command cli_report = {
	.name = "report",
	.summary = "the analysts' report per district, platform and day",
	.opts = report_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_report,
	.run = cmd_report,
};
