/*
 * cli.h: what the subcommands of the `kepu` program share: the global
 * options, the loaded config, and the one place diagnostics are printed.
 *
 * Exit status (ARCHITECTURE.md): 0 all done; 1 done with failures (some
 * file, line or source failed, the rest was kept); 2 usage or
 * configuration error; 75 another collection holds the lock.
 */
#ifndef KEPU_CLI_CLI_H
#define KEPU_CLI_CLI_H

#include <stdio.h>

#include "../config/config.h"
#include "../store/store.h"
#include "../util/err.h"

#define KEPU_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_LOCKED = 75 };

struct cli {
	const char *config_path; /* --config */
	const char *db_flag;     /* --db */
	const char *db_path;     /* resolved: --db, KEPU_DB, config, default */
	struct config cfg;
	int cfg_loaded;
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *c);
	const char *summary;
	const char *usage; /* full help text */
};

/* Load the config (once) and resolve the database path. */
int cli_load(struct cli *c, struct kerr *e);
/* Load, then open the store. */
int cli_open_store(struct cli *c, struct store **st, struct kerr *e);
/* For a command that writes as a job (import, collect, reattribute,
 * recheck): load, take the collection lock (what: the command, for the
 * message another job sees), open the store, and mark the runs a killed
 * job left running as interrupted.  The caller ends with store_close()
 * and then store_unlock(*lock). */
int cli_lock_store(struct cli *c, const char *what, int *lock, struct store **st, struct kerr *e);

/* Where a command writes: standard output when path is NULL, else a new
 * file renamed over path when done (util/afile.h).  cli_output_end()
 * commits when ok and the status is EXIT_OK, else discards; it returns
 * the status (EXIT_PARTIAL after printing when the file cannot be
 * written). */
struct afile;
int cli_output_begin(const char *path, struct afile *a, FILE **out, struct kerr *e);
int cli_output_end(const char *path, struct afile *a, FILE *out, int status);

/* Print `kepu: <msg>` on stderr; return the exit status for e's code. */
int cli_fail(const struct kerr *e);
/* Print a usage error for cmd and return 2. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) KEPU_PRINTF(2, 3);
/* Print a diagnostic line on stderr. */
void cli_diag(void *ctx, const char *msg);

/* Parse a `YYYY-MM-DD` option; prints the error itself. */
int cli_date(const struct cli_command *cmd, const char *opt, const char *arg, int64_t *out);
/* The window [*from, *to) of --since/--until (NULL: the campaign's ends);
 * 0, or -1 after printing the usage error.  Needs cli_load() first. */
int cli_window(const struct cli_command *cmd, const struct cli *c, const char *since,
	       const char *until, int64_t *from, int64_t *to);
/* The engagement index's weights and references: the reports' defaults
 * with the config's `scoring` over them. */
struct report_scoring;
void cli_scoring(const struct cli *c, struct report_scoring *sc);

int cmd_init(int argc, char **argv, struct cli *c);
int cmd_import(int argc, char **argv, struct cli *c);
int cmd_export(int argc, char **argv, struct cli *c);
int cmd_report(int argc, char **argv, struct cli *c);
int cmd_match(int argc, char **argv, struct cli *c);
int cmd_collect(int argc, char **argv, struct cli *c);
int cmd_runs(int argc, char **argv, struct cli *c);
int cmd_attribute(int argc, char **argv, struct cli *c);
int cmd_district(int argc, char **argv, struct cli *c);
int cmd_featured(int argc, char **argv, struct cli *c);
int cmd_review(int argc, char **argv, struct cli *c);
int cmd_showcase(int argc, char **argv, struct cli *c);

extern const struct cli_command cli_commands[];
const struct cli_command *cli_find(const char *name);

#endif
