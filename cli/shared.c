/*
 * shared.c: what the commands share besides the table: printing errors
 * and diagnostics (the one place they are printed), the atomic -o writer,
 * the --since/--until window and the scoring of the config.
 */
#include "cli.h"

#include <string.h>

#include "../reports/report.h"
#include "../util/afile.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

int cli_output_begin(const char *path, struct afile *a, FILE **out, struct kerr *e)
{
	*out = stdout;
	if (!path || !strcmp(path, "-"))
		return 0;
	if (afile_open(a, path, e) < 0)
		return -1;
	*out = a->f;
	return 0;
}

int cli_output_end(const char *path, struct afile *a, FILE *out, int status)
{
	struct kerr e;

	(void)path;
	if (out == stdout) {
		if (fflush(stdout) != 0 && status == EXIT_OK) {
			kerr_set(&e, KERR_IO, "cannot write to standard output");
			return cli_fail(&e);
		}
		return status;
	}
	if (status != EXIT_OK) {
		afile_abort(a);
		return status;
	}
	kerr_clear(&e);
	if (afile_commit(a, &e) < 0)
		return cli_fail(&e);
	return status;
}

int cli_binary_output(const struct cli_command *cmd, const char *path)
{
	if (!path || !strcmp(path, "-"))
		return cli_usage_error(cmd, "--format xlsx writes an Excel workbook, not text for a terminal: "
					    "give the file with -o FILE");
	return 0;
}

int cli_fail(const struct kerr *e)
{
	char line[4096];

	/* one line whatever the message quotes */
	fprintf(stderr, "kepu: %s\n", utf8_quote(line, sizeof(line), e->msg, strlen(e->msg), 0));
	switch (e->code) {
	case KERR_USAGE:
		return EXIT_USAGE;
	case KERR_LOCKED:
		return EXIT_LOCKED;
	default:
		return EXIT_PARTIAL;
	}
}

void cli_diag(void *ctx, const char *msg)
{
	char line[4096];

	(void)ctx;
	fprintf(stderr, "%s\n", utf8_quote(line, sizeof(line), msg, strlen(msg), 0));
}

int cli_as_of(const struct cli_command *cmd, const char *text, int64_t *out)
{
	const char *why;

	*out = 0;
	if (!text)
		return EXIT_OK;
	if (ktime_parse(text, strlen(text), out, &why) < 0)
		return cli_usage_error(cmd, "--as-of: %s: '%s' (e.g. 2025-09-15 or '2025-09-15 18:00')", why, text);
	if (strlen(text) == 10)
		*out += 86400 - 1; /* a date: the end of that day */
	return EXIT_OK;
}

int cli_window(const struct cli_command *cmd, const struct cli *c, struct cli_args *a, int since, int until)
{
	a->from = a->set[since] ? a->date[since] : c->cfg.window_start;
	a->to = a->set[until] ? a->date[until] + 86400 /* inclusive */ : c->cfg.window_end;
	if (a->to <= a->from)
		return cli_usage_error(cmd, "--until is before --since");
	return 0;
}

void cli_scoring(const struct cli *c, struct report_scoring *sc)
{
	report_scoring_default(sc);
	for (int k = 0; k < PC_N; k++) {
		if (c->cfg.scoring_weight_set & (1u << k))
			sc->weight[k] = c->cfg.scoring_weight[k];
		if (c->cfg.scoring_reference_set & (1u << k))
			sc->reference[k] = c->cfg.scoring_reference[k];
	}
}
