/* cmd_import.c: `kepu import`: load posts from files. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

enum { O_FORMAT, O_ALL, O_QUIET };
static const struct cli_opt import_opts[] = {
	[O_FORMAT] = {"format", 0, OPT_CHOICE, "F", "ndjson or csv for every file", "ndjson|csv|jsonl=ndjson"},
	[O_ALL] = {"all", 0, OPT_FLAG, NULL, "keep posts without the campaign tag (curated submissions)"},
	[O_QUIET] = {"quiet", 'q', OPT_FLAG, NULL, "no summary line"},
	{NULL},
};

static int check_import(struct cli *c, struct cli_args *a)
{
	(void)c;
	if (!a->argc)
		return cli_usage_error(&cli_import, "no files to import ('-' reads standard input)");
	return EXIT_OK;
}

/* The run's row: what the import did, and how it ended. */
static int finish(struct cli *c, int64_t run_id, const struct import_stats *s, int status, const char *why)
{
	struct run_counts rc;
	struct kerr e;

	memset(&rc, 0, sizeof(rc));
	rc.read = s->lines;
	rc.kept = s->kept;
	rc.skipped = s->skipped;
	rc.added = s->added;
	rc.updated = s->updated;
	rc.unchanged = s->unchanged;
	rc.errors = s->errors;
	kerr_clear(&e);
	if (store_run_finish(c->st, run_id, &rc, s->errors ? "partial" : "ok",
			     status == EXIT_OK ? NULL : why[0] ? why : "some records failed", &e) < 0)
		return cli_fail(&e);
	return status;
}

static int cmd_import(struct cli *c, struct cli_args *a)
{
	static const enum import_format formats[] = {IMPORT_NDJSON, IMPORT_CSV};
	struct ingest ing = c->ing;
	struct import_stats s;
	struct kerr e;
	int64_t run_id = 0;
	int status;
	char source[256];

	ing.keep_all = a->set[O_ALL];
	snprintf(source, sizeof(source), "%s%s", a->argv[0], a->argc > 1 ? " ..." : "");
	kerr_clear(&e);
	if (store_run_begin(c->st, "import", source, (int64_t)time(NULL), &run_id, &e) < 0)
		return cli_fail(&e);
	if (import_files(c->st, &ing, (const char *const *)a->argv, (size_t)a->argc,
			 a->set[O_FORMAT] ? formats[a->choice[O_FORMAT]] : IMPORT_AUTO, run_id, cli_diag, NULL, &s,
			 &e) < 0) {
		status = cli_fail(&e);
		s.errors++;
	} else
		status = s.errors ? EXIT_PARTIAL : EXIT_OK;
	status = finish(c, run_id, &s, status, e.msg);
	if (!a->set[O_QUIET])
		fprintf(stderr,
			"kepu import: %ld records in %ld file%s: %ld new, %ld updated, %ld unchanged, "
			"%ld skipped (no campaign tag), %ld errors\n",
			s.lines, s.files, s.files == 1 ? "" : "s", s.added, s.updated, s.unchanged, s.skipped,
			s.errors);
	return status;
}

const struct cli_command cli_import = {
	.name = "import",
	.summary = "load posts from NDJSON or CSV files",
	.operands = "FILE...",
	.max_args = -1,
	.about = "Load posts from files ('-' reads standard input). The format follows the\n"
		 "file name (.csv is CSV, anything else NDJSON) unless --format says.\n",
	.opts = import_opts,
	.after = "Bad records are reported as FILE:LINE: and skipped; the rest is kept and the\n"
		 "exit status is 1. Importing the same file twice changes nothing.\n",
	.needs = NEED_INGEST | NEED_LOCK,
	.check = check_import,
	.run = cmd_import,
};
