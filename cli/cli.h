/*
 * cli.h: the command table of the `kepu` program, in the manner of git's.
 *
 * Each command is declared once, in its own cmd_*.c: its name, a line of
 * summary, its operands and options (struct cli_opt), what it needs, and
 * the function that does the work.  main.c parses the options from that
 * declaration, prints --help and the man page from it, and provides what
 * the command needs (the config, the store read-only or under the
 * collection lock, the matchers of the ingest) before calling it, and
 * releases all of it after.  Commands print; the library never does.
 *
 * Exit status (ARCHITECTURE.md): 0 all done; 1 done with failures (some
 * file, line or source failed, the rest was kept); 2 usage or
 * configuration error; 75 another collection holds the lock.
 */
#ifndef KEPU_CLI_CLI_H
#define KEPU_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "../collector/collector.h"
#include "../config/config.h"
#include "../store/store.h"
#include "../util/err.h"

#define KEPU_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_LOCKED = 75 };

/* A command's check() returns this to end the run early with status 0. */
#define CLI_DONE 256

/* An option, declared once: the parser and the help are made from it. */
enum cli_opt_kind {
	OPT_FLAG,   /* no value */
	OPT_TEXT,   /* any value, kept as given */
	OPT_DATE,   /* YYYY-MM-DD, Beijing time: its midnight in args.date */
	OPT_NUM,    /* a whole number from lo to hi, in args.num */
	OPT_CHOICE, /* one of `choices` ("md|html"; "jsonl=ndjson" is an alias), in args.choice */
};

struct cli_opt {
	const char *name;    /* the long name, without "--" */
	char letter;         /* the short form, or 0 */
	enum cli_opt_kind kind;
	const char *arg;     /* the value's name in the help ("FILE") */
	const char *help;    /* a '\n' starts a continuation line */
	const char *choices; /* OPT_CHOICE */
	long lo, hi;         /* OPT_NUM */
	int required;        /* the command cannot go without it */
};

#define CLI_MAX_OPTS 12

/* What main parsed for a command: option i of its table in slot i. */
struct cli_args {
	const struct cli_command *cmd; /* the command (or subcommand) parsed */
	int set[CLI_MAX_OPTS]; /* given (the last one counts) */
	const char *text[CLI_MAX_OPTS];
	long num[CLI_MAX_OPTS];
	int64_t date[CLI_MAX_OPTS];
	int choice[CLI_MAX_OPTS]; /* index in choices, aliases resolved */
	int argc;                 /* the operands */
	char **argv;
	int64_t from, to; /* the window of --since/--until when the command has them */
};

/* What a command needs; main provides it in this order. */
enum cli_need {
	NEED_CONFIG = 1 << 0,    /* the config loaded, the database path resolved */
	NEED_TAGS = 1 << 1,      /* the campaign-tag matcher */
	NEED_GAZETTEER = 1 << 2, /* the district attribution */
	NEED_FLAGS = 1 << 3,     /* the content-review flag rules of the config */
	NEED_MASK = 1 << 4,      /* flags with no rules: masks phone and ID numbers */
	NEED_LOCK = 1 << 5,      /* the collection lock, taken before the store opens; runs a
				    killed job left running are marked interrupted */
	NEED_STORE = 1 << 6,     /* the store open */
	NEED_INGEST = NEED_TAGS | NEED_GAZETTEER | NEED_FLAGS,
};

struct cli {
	const char *config_path; /* --config */
	const char *db_flag;     /* --db */
	const char *db_path;     /* resolved: --db, KEPU_DB, config, default */
	struct config cfg;
	int cfg_loaded;
	/* provided by main as the command's needs say */
	struct store *st;
	int lock; /* -1 when not held */
	struct ingest ing; /* .tags, .gazetteer and .flags point at the below */
	struct tags *tags;
	struct gazetteer *gaz;
	struct flags *flags;
	struct flags *mask;
};

struct cli_command {
	const char *name;
	const char *summary;  /* a line, for `kepu help` */
	const char *operands; /* for the synopsis: "FILE...", "[COMMAND]" */
	int min_args, max_args; /* operands; max -1: any number */
	const char *about;    /* what it does, before the options in --help */
	const struct cli_opt *opts; /* ends with {NULL} */
	const char *after;    /* after the options in --help, or NULL */
	unsigned needs;       /* enum cli_need */
	/* Optional: after the config is loaded, before anything else is
	 * provided; EXIT_OK to go on, CLI_DONE to stop with 0, else the
	 * status to stop with. */
	int (*check)(struct cli *c, struct cli_args *a);
	int (*run)(struct cli *c, struct cli_args *a);
	const struct cli_command *const *subs; /* subcommands (NULL-terminated), or NULL */
	const struct cli_command *parent;     /* set for a subcommand */
};

/* The commands, in the order of `kepu help`. */
extern const struct cli_command *const cli_commands[];

/* Print `kepu: <msg>` on stderr; return the exit status for e's code. */
int cli_fail(const struct kerr *e);
/* Print a usage error for cmd and return 2. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) KEPU_PRINTF(2, 3);
/* Print a diagnostic line on stderr. */
void cli_diag(void *ctx, const char *msg);

/* Parse a command's options and operands into a; 0, or an exit status
 * after printing the usage error; CLI_DONE after printing --help. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a);
/* The command's --help. */
void cli_print_help(const struct cli_command *cmd, FILE *out);
/* The command's full name ("review list") in buf. */
const char *cli_name(const struct cli_command *cmd, char *buf, size_t size);

/* Fill a->from and a->to from --since/--until (options since and until of
 * the command's table; absent: the campaign's ends); 0, or the exit
 * status after printing the usage error. */
int cli_window(const struct cli_command *cmd, const struct cli *c, struct cli_args *a, int since,
	       int until);

/* --as-of TEXT (a date: the end of that day; a date and time) into *out,
 * 0 when text is NULL; 0, or the exit status after printing the usage
 * error. */
int cli_as_of(const struct cli_command *cmd, const char *text, int64_t *out);

/* Where a command writes: standard output when path is NULL, else a new
 * file renamed over path when done (util/afile.h).  cli_output_end()
 * commits when ok and the status is EXIT_OK, else discards; it returns
 * the status (EXIT_PARTIAL after printing when the file cannot be
 * written). */
struct afile;
int cli_output_begin(const char *path, struct afile *a, FILE **out, struct kerr *e);
int cli_output_end(const char *path, struct afile *a, FILE *out, int status);
/* A binary format (xlsx) is written to the file named with -o, never to
 * standard output: 0 when path names a file, else the status after the
 * usage error. */
int cli_binary_output(const struct cli_command *cmd, const char *path);

/* The engagement index's weights and references: the reports' defaults
 * with the config's `scoring` over them. */
struct report_scoring;
void cli_scoring(const struct cli *c, struct report_scoring *sc);

/* The commands (cmd_*.c). */
extern const struct cli_command cli_init, cli_import, cli_collect, cli_runs, cli_export, cli_report,
	cli_match, cli_attribute, cli_district, cli_featured, cli_review, cli_showcase, cli_summary, cli_serve, cli_user;

#endif
