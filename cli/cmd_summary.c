/* cmd_summary.c: `kepu summary -o DIR`: the summaries the campaign office
 * hands in, one per unit and the city's, as Word files and PDFs
 * (reports/summary.h, README "Summaries"). */
#include <stdio.h>
#include <string.h>

#include "../reports/summary.h"
#include "../util/timefmt.h"
#include "cli.h"

enum { O_DISTRICT, O_FORMAT, O_SINCE, O_UNTIL, O_AS_OF, O_DATE, O_OUTPUT };
enum { F_ALL, F_DOCX, F_PDF };
static const struct cli_opt summary_opts[] = {
	[O_DISTRICT] = {"district", 0, OPT_TEXT, "UNIT", "one unit's summary (name or code); default: every unit's and the city's"},
	[O_FORMAT] = {"format", 0, OPT_CHOICE, "F", "all (default: the Word file and the PDF), docx or pdf", "all|docx|pdf"},
	[O_SINCE] = {"since", 0, OPT_DATE, "DATE", "first day (YYYY-MM-DD, Beijing time; default: campaign start)"},
	[O_UNTIL] = {"until", 0, OPT_DATE, "DATE", "last day, inclusive (default: campaign end)"},
	[O_AS_OF] = {"as-of", 0, OPT_TEXT, "TIME",
		     "engagement as it was then; a date means the end of that day;\n"
		     "default: the latest counts"},
	[O_DATE] = {"date", 0, OPT_DATE, "DATE",
		    "the date written at the end (default: the template's `date`, else today)"},
	[O_OUTPUT] = {"output", 'o', OPT_TEXT, "DIR", "the directory (created if missing)", .required = 1},
	{NULL},
};

static int check_summary(struct cli *c, struct cli_args *a)
{
	int64_t t;
	int status;

	if (!*a->text[O_OUTPUT])
		return cli_usage_error(&cli_summary, "where to? give the directory with -o DIR");
	if ((status = cli_as_of(&cli_summary, a->text[O_AS_OF], &t)) != EXIT_OK)
		return status;
	return cli_window(&cli_summary, c, a, O_SINCE, O_UNTIL);
}

static int build(struct cli *c, struct cli_args *a, const char *district, struct report *r, struct kerr *e)
{
	struct report_scoring sc;
	struct report_opts o;

	memset(&o, 0, sizeof(o));
	o.district = district;
	o.since = a->from;
	o.until = a->to;
	cli_as_of(&cli_summary, a->text[O_AS_OF], &o.as_of); /* checked */
	cli_scoring(c, &sc);
	o.scoring = &sc;
	/* as the report: the campaign's start (its halves compared, not a
	 * month before it), the attention thresholds, the targets */
	report_opts_config(&o, &c->cfg);
	o.mask = c->mask; /* phone and ID numbers in titles masked: documents are passed around */
	o.top_only = 1;
	return report_build(r, c->st, c->gaz, &o, e);
}

/* One unit's summary; EXIT_OK, or the status after printing why not. */
static int one(struct cli *c, struct cli_args *a, const char *unit, const struct report *city,
	       const struct summary_opts *so, int verbose)
{
	struct summary_result res;
	struct report r;
	struct kerr e;
	int rc;

	kerr_clear(&e);
	if (build(c, a, unit, &r, &e) < 0)
		return cli_fail(&e);
	rc = summary_write(&r, city, so, a->text[O_OUTPUT], &res, &e);
	report_release(&r);
	if (rc < 0)
		return cli_fail(&e);
	if (verbose && (so->formats & SUMMARY_DOCX))
		printf("%s/%s.docx\n", a->text[O_OUTPUT], res.stem);
	if (verbose && (so->formats & SUMMARY_PDF))
		printf("%s/%s.pdf (%zu page%s)\n", a->text[O_OUTPUT], res.stem, res.pages, res.pages == 1 ? "" : "s");
	return EXIT_OK;
}

static int cmd_summary(struct cli *c, struct cli_args *a)
{
	static const unsigned formats[] = {[F_ALL] = SUMMARY_DOCX | SUMMARY_PDF, [F_DOCX] = SUMMARY_DOCX,
					   [F_PDF] = SUMMARY_PDF};
	struct summary_opts so = {&c->cfg.summary, c->cfg.ntags ? c->cfg.tags[0] : CONFIG_DEFAULT_TAG, 0,
				  formats[a->choice[O_FORMAT]]};
	struct report city;
	struct kerr e;
	int status = EXIT_OK, st;
	size_t done = 0;

	kerr_clear(&e);
	if (build(c, a, NULL, &city, &e) < 0)
		return cli_fail(&e);
	so.issued = a->set[O_DATE] ? a->date[O_DATE] + 12 * 3600
		    : c->cfg.summary.date[0] && ktime_parse_date(c->cfg.summary.date, &so.issued) == 0
			    ? so.issued + 12 * 3600
			    : city.generated_at;
	if (a->text[O_DISTRICT]) {
		status = one(c, a, a->text[O_DISTRICT], &city, &so, 1);
		report_release(&city);
		return status;
	}
	for (size_t i = 0; i < city.nunits; i++)
		if ((st = one(c, a, city.units[i].unit->code, &city, &so, 0)) == EXIT_OK)
			done++;
		else
			status = st; /* the next unit's summary is still written */
	if ((st = summary_write(&city, &city, &so, a->text[O_OUTPUT], NULL, &e)) < 0)
		status = cli_fail(&e);
	else
		done++;
	printf("summary: %zu of %zu summaries written to %s\n", done, city.nunits + 1, a->text[O_OUTPUT]);
	report_release(&city);
	return status;
}

const struct cli_command cli_summary = {
	.name = "summary",
	.summary = "write the units' and the city's summaries (Word and PDF)",
	.about = "Writes the summary (活动总结材料) of every unit and of the city, or of one unit\n"
		 "with --district, into DIR as {code}-{name}.docx and .pdf (500116-江津区.docx,\n"
		 "500000-重庆市.pdf): title, 一、活动开展情况 and 四、下一步打算 left for the unit to\n"
		 "write, 二、传播成效 with the figures, the rank among the units, the platforms and\n"
		 "the daily trend, 三、典型作品, the issuing unit and the date.  The wording comes\n"
		 "from the template (config key summary.template; README \"Summaries\").\n",
	.opts = summary_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_summary,
	.run = cmd_summary,
};
