/* cmd_featured.c: `kepu featured`: the publicity staff's ranked shortlist. */
#include <stdio.h>
#include <string.h>

#include "../model/platform.h"
#include "../reports/report.h"
#include "../util/afile.h"
#include "cli.h"

enum { O_DISTRICT, O_PLATFORM, O_SINCE, O_UNTIL, O_TOP, O_PER_UNIT, O_FORMAT, O_OUTPUT };
enum { F_MD, F_CSV, F_JSON, F_HTML, F_XLSX };
static const struct cli_opt featured_opts[] = {
	[O_DISTRICT] = {"district", 0, OPT_TEXT, "UNIT", "one unit's works (name or code)"},
	[O_PLATFORM] = {"platform", 0, OPT_TEXT, "P", "one platform's works (weibo, bilibili, douyin, ...)"},
	[O_SINCE] = {"since", 0, OPT_DATE, "DATE", "first day (YYYY-MM-DD, Beijing time; default: campaign start)"},
	[O_UNTIL] = {"until", 0, OPT_DATE, "DATE", "last day, inclusive (default: campaign end)"},
	[O_TOP] = {"top", 0, OPT_NUM, "N", "how many works (default 20)", NULL, 1, FEATURED_MAX_TOP},
	[O_PER_UNIT] = {"per-unit", 0, OPT_NUM, "K",
			"fairness: at most K works of a unit until every unit with works\n"
			"had its turn; places left are filled with the best of the rest\n"
			"in rank order (default 2; 0: rank only)",
			NULL, 0, FEATURED_MAX_TOP},
	[O_FORMAT] = {"format", 0, OPT_CHOICE, "F",
		      "md (default), csv, json, html or xlsx (an Excel workbook: needs -o)", "md|csv|json|html|xlsx"},
	[O_OUTPUT] = {"output", 'o', OPT_TEXT, "FILE", "write to FILE instead of standard output"},
	{NULL},
};

static int check_featured(struct cli *c, struct cli_args *a)
{
	int status;

	if (a->choice[O_FORMAT] == F_XLSX && (status = cli_binary_output(&cli_featured, a->text[O_OUTPUT])) != 0)
		return status;
	if (a->set[O_PLATFORM] && !platform_find(a->text[O_PLATFORM]))
		return cli_usage_error(&cli_featured, "--platform: unknown platform '%s'", a->text[O_PLATFORM]);
	return cli_window(&cli_featured, c, a, O_SINCE, O_UNTIL);
}

static int cmd_featured(struct cli *c, struct cli_args *a)
{
	static int (*const render[])(const struct featured *, FILE *, struct kerr *) = {
		[F_MD] = featured_render_md, [F_CSV] = featured_render_csv, [F_JSON] = featured_render_json,
		[F_HTML] = featured_render_html};
	const char *path = a->text[O_OUTPUT];
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	FILE *out = stdout;
	struct afile af;
	struct kerr e;
	int status = EXIT_OK;

	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_SHORTLIST;
	o.top = a->set[O_TOP] ? (size_t)a->num[O_TOP] : FEATURED_TOP;
	o.per_unit = a->set[O_PER_UNIT] ? (size_t)a->num[O_PER_UNIT] : FEATURED_PER_UNIT;
	o.district = a->text[O_DISTRICT];
	o.platform = a->text[O_PLATFORM];
	o.since = a->from;
	o.until = a->to;
	cli_scoring(c, &sc);
	o.scoring = &sc;
	o.campaign = c->cfg.campaign_name;
	/* a shortlist is a review tool: phone and ID numbers in titles are masked */
	o.mask = c->mask;
	kerr_clear(&e);
	if (featured_build(&f, c->st, c->gaz, &o, &e) < 0)
		return cli_fail(&e);
	if (a->choice[O_FORMAT] == F_XLSX) {
		if (featured_render_xlsx(&f, path, &e) < 0)
			status = cli_fail(&e);
	} else if (cli_output_begin(path, &af, &out, &e) < 0)
		status = cli_fail(&e);
	else {
		if (render[a->choice[O_FORMAT]](&f, out, &e) < 0)
			status = cli_fail(&e);
		status = cli_output_end(path, &af, out, status);
	}
	featured_release(&f);
	return status;
}

const struct cli_command cli_featured = {
	.name = "featured",
	.summary = "the ranked shortlist of works for the showcase",
	.about = "Ranks the works posted in Chongqing with a unit by the engagement index (README\n"
		 "\"Engagement index\"; the config's scoring). Rejected works never appear; a work with\n"
		 "an open content flag appears only once a person approved it.\n",
	.opts = featured_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_featured,
	.run = cmd_featured,
};
