/*
 * cmd_collect.c: `kepu collect`, the job cron runs: one collection per
 * database at a time, quiet on success unless standard error is a
 * terminal, one line per error, exit 1 when any source failed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../collector/collector.h"
#include "options.h"

int cmd_collect(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {{"backfill", no_argument, NULL, 'b'},
					     {"source", required_argument, NULL, 's'},
					     {"verbose", no_argument, NULL, 'v'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const struct cli_command *cmd = cli_find("collect");
	struct collect_opts o = {0, 0, 0, NULL};
	struct ingest ing = {NULL, NULL, 0, NULL};
	struct flags_rules fr;
	struct flags *flags = NULL;
	struct tags *tags = NULL;
	struct gazetteer *gaz = NULL;
	struct store *st = NULL;
	struct run_counts total;
	struct kerr e;
	int ch, lock = -1, status = EXIT_OK, failed;
	int64_t run_id = 0;

	while ((ch = cli_getopt(cmd, argc, argv, ":bs:vh", opts)) != -1) {
		switch (ch) {
		case 'b': o.backfill = 1; break;
		case 's': o.only = optarg; break;
		case 'v': o.verbose = 1; break;
		case 'h':
			fputs(cmd->usage, stdout);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	o.progress = isatty(STDERR_FILENO) && !o.verbose;
	kerr_clear(&e);
	memset(&total, 0, sizeof(total));
	if (cli_load(c, &e) < 0)
		return cli_fail(&e);
	config_flag_rules(&c->cfg, &fr);
	if (!c->cfg.nsources) {
		kerr_set(&e, KERR_USAGE, "%s: no sources to collect from (add \"sources\" to the config; see README)",
			 c->cfg.path ? c->cfg.path : "built-in defaults");
		return cli_fail(&e);
	}
	if (cli_lock_store(c, "kepu collect", &lock, &st, &e) < 0 ||
	    tags_new(&tags, (const char *const *)c->cfg.tags, c->cfg.ntags, &e) < 0 ||
	    district_new(&gaz, &c->cfg.districts, c->cfg.accounts, c->cfg.naccounts, &e) < 0 ||
	    flags_new(&flags, &fr, &e) < 0 ||
	    store_run_begin(st, "collect", o.only, (int64_t)time(NULL), &run_id, &e) < 0) {
		status = cli_fail(&e);
		goto out;
	}
	ing.tags = tags;
	ing.gazetteer = gaz;
	ing.flags = flags;
	failed = collect_run(&c->cfg, c->db_path, &ing, run_id, &o, cli_diag, NULL, &total, &e);
	if (failed < 0) {
		status = cli_fail(&e);
		total.errors++;
	} else if (failed > 0)
		status = EXIT_PARTIAL;
	{
		struct kerr e2;
		char msg[64];
		kerr_clear(&e2);
		snprintf(msg, sizeof(msg), "%d source%s failed", failed, failed == 1 ? "" : "s");
		if (store_run_finish(st, run_id, &total, status == EXIT_OK ? "ok" : "failed",
				     status == EXIT_OK ? NULL : failed > 0 ? msg : e.msg, &e2) < 0)
			status = cli_fail(&e2);
	}
	if (isatty(STDOUT_FILENO) || o.verbose)
		fprintf(stderr, "kepu collect: %ld posts fetched, %ld with the campaign tag: %ld new, %ld updated, "
			"%ld unchanged; %ld errors\n",
			total.read, total.kept, total.added, total.updated, total.unchanged, total.errors);
out:
	tags_free(tags);
	flags_free(flags);
	district_free(gaz);
	store_close(st);
	store_unlock(lock);
	return status;
}
