/*
 * main.c: the `kepu` program: global options, the command table, help and
 * version, and turning errors into exit statuses.
 */
#include "cli.h"
#include "../util/afile.h"

#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

static int cmd_help(int argc, char **argv, struct cli *c);
static int cmd_version(int argc, char **argv, struct cli *c);

const struct cli_command cli_commands[] = {
	{"init", cmd_init, "create or upgrade the database",
	 "usage: kepu init\n\n"
	 "Create the database (or upgrade its schema to this version of kepu).\n"},
	{"import", cmd_import, "load posts from NDJSON or CSV files",
	 "usage: kepu import [--format ndjson|csv] [--all] [--quiet] FILE...\n\n"
	 "Load posts from files ('-' reads standard input). The format follows the\n"
	 "file name (.csv is CSV, anything else NDJSON) unless --format says.\n\n"
	 "  --format F   ndjson or csv for every file\n"
	 "  --all        keep posts without the campaign tag (curated submissions)\n"
	 "  -q, --quiet  no summary line\n\n"
	 "Bad records are reported as FILE:LINE: and skipped; the rest is kept and the\n"
	 "exit status is 1. Importing the same file twice changes nothing.\n"},
	{"collect", cmd_collect, "collect posts from the platforms in the config (run by cron)",
	 "usage: kepu collect [--backfill [--since DATE] [--until DATE] | --refresh]\n"
	 "                    [--source NAME] [--alert-after N] [--verbose]\n\n"
	 "Collect new posts and fresh engagement from every enabled source of the config.\n"
	 "Quiet on success unless standard error is a terminal; one line per error;\n"
	 "exit 1 when a source failed (the others still ran), 75 when another\n"
	 "collection holds the database.\n\n"
	 "  --backfill     page through the whole campaign window (or --since DATE to\n"
	 "                 --until DATE of it, Beijing dates, inclusive)\n"
	 "  --refresh      re-read the counts of stored posts from their detail pages\n"
	 "                 (refresh_budget requests per source; the most engaged hourly,\n"
	 "                 every post daily); a post the platform says is gone is\n"
	 "                 marked deleted\n"
	 "  --source NAME  this source only (even if it is disabled)\n"
	 "  --alert-after N  a source failing only transiently (network, 5xx, 429) is\n"
	 "                 quiet and exits 0 until it has failed N runs in a row; then\n"
	 "                 its errors and since when; a refusal (blocked) and an open\n"
	 "                 gap speak at once\n"
	 "                 (default 1: every failure)\n"
	 "  -v, --verbose  a line per page on standard error\n"},
	{"runs", cmd_runs, "list recent imports and collections",
	 "usage: kepu runs [--limit N]\n\n"
	 "The newest runs (10 unless --limit), each with what every source fetched, matched,\n"
	 "added and updated, its errors and how long it took.\n"},
	{"export", cmd_export, "write every stored post to standard output",
	 "usage: kepu export [--format ndjson|csv] [--since DATE] [--until DATE] [-o FILE]\n\n"
	 "  --format F     ndjson (default) or csv (UTF-8 with BOM, for Excel and WPS)\n"
	 "  --since DATE   posts created on or after DATE (YYYY-MM-DD, Beijing time)\n"
	 "  --until DATE   posts created on or before DATE\n"
	 "  -o FILE        write to FILE instead of standard output\n"},
	{"report", cmd_report, "the analysts' report per district, platform and day",
	 "usage: kepu report [--format html|md|csv|json] [--since DATE] [--until DATE]\n"
	 "                   [--as-of TIME] [--district UNIT] [--scope chongqing|all]\n"
	 "                   [--include-deleted] [-o PATH]\n\n"
	 "  --format F      md (default), html (one self-contained file), csv (one file per\n"
	 "                  table into the directory -o DIR), json (the whole model)\n"
	 "  --since DATE    first day (YYYY-MM-DD, Beijing time; default: campaign start)\n"
	 "  --until DATE    last day, inclusive (default: campaign end)\n"
	 "  --as-of TIME    engagement as it was then (the latest snapshot at or before it);\n"
	 "                  a date means the end of that day; default: the latest counts\n"
	 "  --district UNIT one unit's page: its works, authors, trend and platforms\n"
	 "  --scope S       chongqing (default: posts in Chongqing) or all\n"
	 "  --include-deleted  keep posts a platform says are gone (left out by default,\n"
	 "                  counted in data quality)\n"
	 "  -o PATH         the file (or directory for csv); default standard output\n"},
	{"match", cmd_match, "find campaign tags and hashtags in posts (JSON Lines filter)",
	 "usage: kepu match [--config FILE] < posts.jsonl\n\n"
	 "Reads one post per line: {\"id\": ..., \"text\": \"...\", \"title\": \"...\",\n"
	 "\"topics\": [...], \"platform\": \"weibo\"} (all but text optional), and writes one\n"
	 "line per input, in order: {\"id\": ..., \"matched\": [campaign tags],\n"
	 "\"hashtags\": [every hashtag, in order, once]}. A bad line gives\n"
	 "{\"line\": N, \"error\": \"...\"} and the exit status 1; the other lines go on.\n"},
	{"attribute", cmd_attribute, "attribute posts to Chongqing's units (JSON Lines filter)",
	 "usage: kepu attribute [--config FILE] < posts.jsonl\n\n"
	 "Reads one post per line: {\"id\", \"platform\", \"text\", \"title\", \"topics\",\n"
	 "\"author_id\", \"author_name\", \"author_location\", \"ip_location\", \"province_code\",\n"
	 "\"city_code\"} (all optional), and writes one line per input, in order:\n"
	 "{\"id\", \"district\", \"district_code\", \"in_chongqing\", \"method\", \"confidence\",\n"
	 "\"evidence\"}. A bad line gives {\"line\": N, \"error\": \"...\"} and the exit status 1.\n"},
	{"district", cmd_district, "correct, explain or re-run the attribution of stored posts",
	 "usage: kepu district set PLATFORM POST_ID UNIT [--note TEXT]\n"
	 "       kepu district explain PLATFORM POST_ID\n"
	 "       kepu district reattribute\n\n"
	 "  set          record a manual correction (UNIT: name or code); re-collection and\n"
	 "               reattribute never overwrite it\n"
	 "  explain      the stored attribution and every piece of evidence considered\n"
	 "  reattribute  re-run attribution over every stored post after the gazetteer or\n"
	 "               the account registry changed (manual corrections are kept) and\n"
	 "               print how many posts moved\n"},
	{"featured", cmd_featured, "the ranked shortlist of works for the showcase",
	 "usage: kepu featured [--district UNIT] [--platform P] [--since DATE] [--until DATE]\n"
	 "                     [--top N] [--per-unit K] [--format md|csv|json|html] [-o FILE]\n\n"
	 "Ranks the works posted in Chongqing with a unit by the engagement index (README\n"
	 "\"Engagement index\"; the config's scoring). Rejected works never appear; a work with\n"
	 "an open content flag appears only once a person approved it.\n\n"
	 "  --district UNIT  one unit's works (name or code)\n"
	 "  --platform P     one platform's works (weibo, bilibili, douyin, ...)\n"
	 "  --since DATE     first day (YYYY-MM-DD, Beijing time; default: campaign start)\n"
	 "  --until DATE     last day, inclusive (default: campaign end)\n"
	 "  --top N          how many works (default 20)\n"
	 "  --per-unit K     fairness: at most K works of a unit until every unit with works\n"
	 "                   had its turn; places left are filled with the best of the rest\n"
	 "                   in rank order (default 2; 0: rank only)\n"
	 "  --format F       md (default), csv, json or html\n"
	 "  -o FILE          write to FILE instead of standard output\n"},
	{"review", cmd_review, "content review: decisions with an audit trail, the queue, flags",
	 "usage: kepu review approve|reject|feature|unfeature PLATFORM:POST_ID... --by NAME\n"
	 "                   [--note TEXT] [--approve]\n"
	 "       kepu review log [PLATFORM:POST_ID]\n"
	 "       kepu review list [--status S] [--flagged] [--district UNIT] [--limit N]\n"
	 "       kepu review recheck\n"
	 "       kepu review verify\n\n"
	 "States: pending (until a decision), approved, rejected, featured. Every decision is\n"
	 "appended to an audit log that is never edited; the state is the last decision.\n\n"
	 "  approve      pending or rejected -> approved (overturning a rejection needs --note)\n"
	 "  reject       pending or approved -> rejected (--note is required: why)\n"
	 "  feature      approved -> featured; with --approve a pending or rejected work is\n"
	 "               approved and featured in one step (two decisions)\n"
	 "  unfeature    featured -> approved (it leaves the showcase)\n"
	 "  --by NAME    who decides (required for every decision)\n"
	 "  --note TEXT  why; the note of a feature decision is the showcase caption\n"
	 "  log          the decisions, oldest first: all, or one post's\n"
	 "  list         the queue, best first: --status pending (default), approved, rejected,\n"
	 "               featured or all; --flagged: flagged works only; --district UNIT;\n"
	 "               --limit N: the best N (default 100; 0: all)\n"
	 "  recheck      re-run the flag rules over stored posts (after the config's\n"
	 "               review patterns or word list changed); prints how many posts\n"
	 "               gained or lost flags; decisions are untouched\n"
	 "  verify       check that the audit log was not rewritten from outside kepu: each\n"
	 "               decision's hash chains to the one before, and the triggers that keep\n"
	 "               the log append-only are there; prints the head hash (keep it: a log\n"
	 "               cut short keeps a valid chain); exit 1 names the first broken #ID\n\n"
	 "A command naming several posts is checked whole first: if any is refused (an\n"
	 "unknown post, a transition not allowed, a missing note) nothing is recorded and\n"
	 "the exit status is 2.\n"},
	{"showcase", cmd_showcase, "write the showcase page of the featured works",
	 "usage: kepu showcase -o DIR\n\n"
	 "Writes DIR/index.html, one self-contained page of every featured work grouped by\n"
	 "unit (title, author, platform, link, engagement, the reviewer's note as caption),\n"
	 "and DIR/showcase.csv with the same rows (UTF-8 with BOM) for the media team.\n"
	 "A work that was unfeatured is left out.\n\n"
	 "  -o DIR  the directory (created if missing)\n"},
	{"help", cmd_help, "show help for kepu or a command", "usage: kepu help [COMMAND]\n"},
	{"version", cmd_version, "show the version of kepu and its libraries", "usage: kepu version\n"},
	{NULL, NULL, NULL, NULL},
};

static const char main_usage[] =
	"usage: kepu [--config FILE] [--db FILE] COMMAND [OPTIONS]\n";

static void print_help(FILE *out)
{
	fputs(main_usage, out);
	fputs("\nCollects and reports the #千万IP创科普# campaign for Chongqing's districts.\n\n"
	      "Options:\n"
	      "  --config FILE  read settings from FILE (default: built-in defaults)\n"
	      "  --db FILE      the database (default: $KEPU_DB, the config, or kepu.db)\n"
	      "  -h, --help     this help\n"
	      "  --version      the version\n\n"
	      "Commands:\n",
	      out);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fputs("\nRun 'kepu COMMAND --help' for a command's options.\n", out);
}

const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cli_load(struct cli *c, struct kerr *e)
{
	const char *env;

	if (!c->cfg_loaded) {
		if (config_load(&c->cfg, c->config_path, e) < 0)
			return -1;
		c->cfg_loaded = 1;
	}
	env = getenv("KEPU_DB");
	c->db_path = c->db_flag ? c->db_flag : env && *env ? env : c->cfg.database;
	return 0;
}

int cli_open_store(struct cli *c, struct store **st, struct kerr *e)
{
	if (cli_load(c, e) < 0)
		return -1;
	return store_open(st, c->db_path, e);
}

int cli_lock_store(struct cli *c, const char *what, int *lock, struct store **st, struct kerr *e)
{
	*st = NULL;
	if (cli_load(c, e) < 0 || store_lock(c->db_path, what, lock, e) < 0)
		return -1;
	if (store_open(st, c->db_path, e) < 0 || store_runs_interrupted(*st, e) < 0)
		return -1;
	return 0;
}

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

	if (out == stdout) {
		if (fflush(stdout) != 0 && status == EXIT_OK) {
			kerr_set(&e, KERR_IO, "cannot write to standard output");
			return cli_fail(&e);
		}
		return status;
	}
	(void)path;
	if (status != EXIT_OK) {
		afile_abort(a);
		return status;
	}
	kerr_clear(&e);
	if (afile_commit(a, &e) < 0)
		return cli_fail(&e);
	return status;
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

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	const char *nl;

	fprintf(stderr, "kepu %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	nl = strchr(cmd->usage, '\n');
	fprintf(stderr, "\n%.*s\nRun 'kepu %s --help' for more.\n",
		(int)(nl ? nl - cmd->usage : (long)strlen(cmd->usage)), cmd->usage, cmd->name);
	return EXIT_USAGE;
}

void cli_diag(void *ctx, const char *msg)
{
	char line[4096];

	(void)ctx;
	fprintf(stderr, "%s\n", utf8_quote(line, sizeof(line), msg, strlen(msg), 0));
}

int cli_date(const struct cli_command *cmd, const char *opt, const char *arg, int64_t *out)
{
	if (ktime_parse_date(arg, out) < 0) {
		cli_usage_error(cmd, "%s: expected a date YYYY-MM-DD, got '%s'", opt, arg);
		return -1;
	}
	return 0;
}

int cli_window(const struct cli_command *cmd, const struct cli *c, const char *since,
	       const char *until, int64_t *from, int64_t *to)
{
	*from = c->cfg.window_start;
	*to = c->cfg.window_end;
	if (since && cli_date(cmd, "--since", since, from) < 0)
		return -1;
	if (until) {
		if (cli_date(cmd, "--until", until, to) < 0)
			return -1;
		*to += 86400; /* inclusive */
	}
	if (*to <= *from) {
		cli_usage_error(cmd, "--until is before --since");
		return -1;
	}
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

/* A line of a command's help as mdoc text: a leading dot or backslash
 * escaped. */
static void man_text(const char *s, size_t n)
{
	if (n && (*s == '.' || *s == '\''))
		fputs("\\&", stdout);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\e", stdout);
		else
			fputc(s[i], stdout);
	}
	fputc('\n', stdout);
}

/* kepu(1) in mdoc, made from the command table so it never disagrees with
 * --help (make install writes it with `kepu help --man`). */
static void print_man(void)
{
	puts(".Dd December 1, 2026\n.Dt KEPU 1\n.Os\n.Sh NAME\n.Nm kepu\n"
	     ".Nd collect, attribute, review and report the #千万IP创科普# campaign's posts\n"
	     ".Sh SYNOPSIS\n.Nm\n.Op Fl -config Ar file\n.Op Fl -db Ar file\n.Ar command\n.Op Ar options\n"
	     ".Sh DESCRIPTION\n.Nm\ncollects the posts of Chongqing's science popularization campaign from the\n"
	     "platforms (Weibo, Bilibili, Douyin, JSON feeds) and from staff files, finds the campaign tag,\n"
	     "gives each post to one of Chongqing's 41 reporting units, keeps them in an SQLite database,\n"
	     "and writes the analysts' report, the publicity staff's shortlist and the showcase.\n"
	     "Without a config it runs on built-in defaults.\n.Sh COMMANDS");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		const char *p = c->usage;
		printf(".Ss %s\n%s.\n.Bd -literal\n", c->name, c->summary);
		while (*p) {
			size_t n = strcspn(p, "\n");
			man_text(p, n);
			p += n + (p[n] == '\n');
		}
		puts(".Ed");
	}
	puts(".Sh ENVIRONMENT\n.Bl -tag -width KEPU_NOW\n.It Ev KEPU_DB\nthe database, unless --db or the config names one\n"
	     ".It Ev KEPU_NOW\nfor tests only: the time collection takes for now (unix seconds)\n.El\n"
	     ".Sh EXIT STATUS\n0 all done; 1 done with failures (a source, page or line failed, the rest was kept;\n"
	     "an open gap); 2 usage or configuration error; 75 another collection holds the database.\n"
	     ".Sh FILES\n.Bl -tag -width share/kepu/\n.It Pa share/kepu/kepu.example.json\na complete config\n"
	     ".It Pa share/kepu/systemd/\nthe collection service and its timer\n.El\n"
	     ".Sh SEE ALSO\nThe README of the kepu sources, which documents every format and rule.");
}

static int cmd_help(int argc, char **argv, struct cli *c)
{
	const struct cli_command *cmd;

	(void)c;
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		print_man();
		return EXIT_OK;
	}
	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!(cmd = cli_find(argv[1]))) {
		fprintf(stderr, "kepu help: unknown command '%s'\n", argv[1]);
		print_help(stderr);
		return EXIT_USAGE;
	}
	fputs(cmd->usage, stdout);
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv, struct cli *c)
{
	char pcre[64] = "";

	(void)argc;
	(void)argv;
	(void)c;
	pcre2_config_8(PCRE2_CONFIG_VERSION, pcre);
	printf("kepu %s (sqlite %s, jansson %s, pcre2 %s, %s)\n", KEPU_VERSION, sqlite3_libversion(),
	       jansson_version_str(), pcre, curl_version());
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cli c;
	const struct cli_command *cmd;
	int i, rc;

	memset(&c, 0, sizeof(c));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--config") || !strcmp(a, "--db")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kepu: %s needs a value\n%s", a, main_usage);
				return EXIT_USAGE;
			}
			if (!strcmp(a, "--config"))
				c.config_path = argv[++i];
			else
				c.db_flag = argv[++i];
		} else if (!strncmp(a, "--config=", 9))
			c.config_path = a + 9;
		else if (!strncmp(a, "--db=", 5))
			c.db_flag = a + 5;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--version"))
			return cmd_version(0, NULL, &c);
		else {
			fprintf(stderr, "kepu: unknown option '%s'\n%sRun 'kepu help' for more.\n", a,
				main_usage);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(main_usage, stderr);
		fputs("Run 'kepu help' for the commands.\n", stderr);
		return EXIT_USAGE;
	}
	if (!(cmd = cli_find(argv[i]))) {
		fprintf(stderr, "kepu: unknown command '%s'\n%sRun 'kepu help' for the commands.\n",
			argv[i], main_usage);
		return EXIT_USAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "kepu: cannot initialize libcurl\n");
		return EXIT_PARTIAL;
	}
	optind = 0; /* glibc: full reinitialization for each command's getopt */
	rc = cmd->run(argc - i, argv + i, &c);
	if (c.cfg_loaded)
		config_release(&c.cfg);
	curl_global_cleanup();
	return rc;
}
