/* cmd_import.c: `kepu import`: load posts from files. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../collector/collector.h"
#include "options.h"

int cmd_import(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"all", no_argument, NULL, 'a'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("import");
	enum import_format format = IMPORT_AUTO;
	struct ingest ing = {NULL, NULL, 0, NULL};
	struct flags_rules fr;
	struct flags *flags = NULL;
	struct tags *tags = NULL;
	struct gazetteer *gaz = NULL;
	struct store *st = NULL;
	struct import_stats s;
	struct run_counts rc;
	struct kerr e;
	int ch, quiet = 0, lock = -1, status;
	int64_t run_id = 0;
	char source[256];

	while ((ch = cli_getopt(cmd, argc, argv, ":f:aqh", opts)) != -1) {
		switch (ch) {
		case 'f':
			if (!strcmp(optarg, "ndjson") || !strcmp(optarg, "jsonl"))
				format = IMPORT_NDJSON;
			else if (!strcmp(optarg, "csv"))
				format = IMPORT_CSV;
			else
				return cli_usage_error(cmd, "--format: expected ndjson or csv, got '%s'", optarg);
			break;
		case 'a':
			ing.keep_all = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "no files to import ('-' reads standard input)");
	kerr_clear(&e);
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	config_flag_rules(&c->cfg, &fr);
	if (cli_lock_store(c, "kepu import", &lock, &st, &e) < 0 ||
	    tags_new(&tags, (const char *const *)c->cfg.tags, c->cfg.ntags, &e) < 0 ||
	    district_new(&gaz, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0 ||
	    flags_new(&flags, &fr, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	ing.tags = tags;
	ing.gazetteer = gaz;
	ing.flags = flags;
	snprintf(source, sizeof(source), "%s%s", argv[optind], argc - optind > 1 ? " ..." : "");
	if (store_run_begin(st, "import", source, (int64_t)time(NULL), &run_id, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	if (import_files(st, &ing, (const char *const *)argv + optind, (size_t)(argc - optind), format,
			 run_id, cli_diag, NULL, &s, &e) < 0) {
		status = cli_fail(&e);
		s.errors++;
	} else
		status = s.errors ? EXIT_PARTIAL : EXIT_OK;
	memset(&rc, 0, sizeof(rc));
	rc.read = s.lines;
	rc.kept = s.kept;
	rc.skipped = s.skipped;
	rc.added = s.added;
	rc.updated = s.updated;
	rc.unchanged = s.unchanged;
	rc.errors = s.errors;
	{
		struct kerr e2;
		kerr_clear(&e2);
		if (store_run_finish(st, run_id, &rc, s.errors ? "partial" : "ok",
				     status == EXIT_OK ? NULL : e.msg[0] ? e.msg : "some records failed",
				     &e2) < 0)
			status = cli_fail(&e2);
	}
	if (!quiet)
		fprintf(stderr,
			"kepu import: %ld records in %ld file%s: %ld new, %ld updated, %ld unchanged, "
			"%ld skipped (no campaign tag), %ld errors\n",
			s.lines, s.files, s.files == 1 ? "" : "s", s.added, s.updated, s.unchanged, s.skipped,
			s.errors);
out:
	tags_free(tags);
	flags_free(flags);
	district_free(gaz);
	store_close(st);
	store_unlock(lock);
	return status;
}
