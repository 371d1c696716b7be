/*
 * main.c: the `kepu` program: global options, the command table, finding
 * the command (and subcommand), providing what it declares it needs,
 * running it and releasing everything; help, the man page and version.
 */
#include "cli.h"

#include <curl/curl.h>
#include <jansson.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../matchers/district.h"
#include "../matchers/flags.h"
#include "../matchers/tags.h"
#include "../rules/rules.h"

extern const struct cli_command cli_help, cli_version;

const struct cli_command *const cli_commands[] = {
	&cli_init,     &cli_import,   &cli_collect,  &cli_runs,   &cli_export,   &cli_report, &cli_match,
	&cli_attribute, &cli_district, &cli_featured, &cli_review, &cli_showcase, &cli_summary, &cli_serve, &cli_user,
	&cli_help,      &cli_version,  NULL,
};

static const char main_usage[] = "usage: kepu [--config FILE] [--db FILE] COMMAND [OPTIONS]\n";

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
	for (size_t i = 0; cli_commands[i]; i++)
		fprintf(out, "  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fputs("\nRun 'kepu COMMAND --help' for a command's options.\n", out);
}

static const struct cli_command *find(const struct cli_command *const *table, const char *name)
{
	for (size_t i = 0; table[i]; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

/* "set, explain or reattribute" */
static void sub_names(const struct cli_command *cmd, char *buf, size_t size)
{
	size_t o = 0, n = 0;

	while (cmd->subs[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", !i ? "" : i + 1 == n ? " or " : ", ",
				      cmd->subs[i]->name);
}

/* The config, then the database path: --db, KEPU_DB, the config's. */
static int load(struct cli *c, struct kerr *e)
{
	const char *env;

	if (config_load(&c->cfg, c->config_path, e) < 0)
		return -1;
	c->cfg_loaded = 1;
	env = getenv("KEPU_DB");
	c->db_path = c->db_flag ? c->db_flag : env && *env ? env : c->cfg.database;
	return 0;
}

/* The matchers, then the lock, then the store, then the attribution (it
 * reads the registry of accounts in the store), as cmd->needs says. */
static int provide(struct cli *c, const struct cli_command *cmd, struct kerr *e)
{
	unsigned need = cmd->needs;
	struct flags_rules fr;
	char name[64], what[80];

	if ((need & NEED_TAGS) && tags_new(&c->tags, (const char *const *)c->cfg.tags, c->cfg.ntags, e) < 0)
		return -1;
	if (need & NEED_FLAGS) {
		config_flag_rules(&c->cfg, &fr);
		if (flags_new(&c->flags, &fr, e) < 0)
			return -1;
	}
	if ((need & NEED_MASK) && flags_new(&c->mask, NULL, e) < 0)
		return -1;
	if (need & NEED_LOCK) {
		snprintf(what, sizeof(what), "kepu %s", cli_name(cmd, name, sizeof(name)));
		if (store_lock(c->db_path, what, &c->lock, e) < 0 || store_open(&c->st, c->db_path, e) < 0 ||
		    store_runs_interrupted(c->st, e) < 0)
			return -1;
	} else if ((need & NEED_STORE) && store_open(&c->st, c->db_path, e) < 0)
		return -1;
	if ((need & NEED_GAZETTEER) && rules_gazetteer(c->st, &c->cfg, &c->gaz, e) < 0)
		return -1;
	c->ing.tags = c->tags;
	c->ing.gazetteer = c->gaz;
	c->ing.flags = c->flags;
	return 0;
}

static void release(struct cli *c)
{
	store_close(c->st);
	store_unlock(c->lock);
	tags_free(c->tags);
	district_free(c->gaz);
	flags_free(c->flags);
	flags_free(c->mask);
	if (c->cfg_loaded)
		config_release(&c->cfg);
}

/* Parse, provide, check, run: the exit status. */
static int run(struct cli *c, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct kerr e;
	int rc;

	if ((rc = cli_parse(cmd, argc, argv, &a)) != 0)
		return rc == CLI_DONE ? EXIT_OK : rc;
	kerr_clear(&e);
	if (cmd->needs && load(c, &e) < 0)
		return cli_fail(&e);
	if (cmd->check && (rc = cmd->check(c, &a)) != EXIT_OK)
		return rc == CLI_DONE ? EXIT_OK : rc;
	if (provide(c, cmd, &e) < 0)
		return cli_fail(&e);
	return cmd->run(c, &a);
}

/* ---- help, man, version ---- */

/* A line of help as mdoc text: a leading dot or quote escaped. */
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

/* One command's --help as a literal display. */
static void man_help(const struct cli_command *cmd)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return;
	cli_print_help(cmd, f);
	fclose(f);
	puts(".Bd -literal");
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		man_text(p, n);
		p += n + (p[n] == '\n');
	}
	puts(".Ed");
	free(text);
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
	for (size_t i = 0; cli_commands[i]; i++) {
		const struct cli_command *cmd = cli_commands[i];

		printf(".Ss %s\n%s.\n", cmd->name, cmd->summary);
		man_help(cmd);
		for (size_t k = 0; cmd->subs && cmd->subs[k]; k++)
			man_help(cmd->subs[k]);
	}
	puts(".Sh ENVIRONMENT\n.Bl -tag -width KEPU_NOW\n.It Ev KEPU_DB\nthe database, unless --db or the config names one\n"
	     ".It Ev KEPU_NOW\nfor tests only: the time collection takes for now (unix seconds)\n.El\n"
	     ".Sh EXIT STATUS\n0 all done; 1 done with failures (a source, page or line failed, the rest was kept;\n"
	     "an open gap); 2 usage or configuration error; 75 another collection holds the database.\n"
	     ".Sh FILES\n.Bl -tag -width share/kepu/\n.It Pa share/kepu/kepu.example.json\na complete config\n"
	     ".It Pa share/kepu/systemd/\nthe collection service and its timer\n.El\n"
	     ".Sh SEE ALSO\nThe README of the kepu sources, which documents every format and rule.");
}

enum { HELP_MAN };
static const struct cli_opt help_opts[] = {
	[HELP_MAN] = {"man", 0, OPT_FLAG, NULL, "the manual page kepu(1), in mdoc (make install writes it)"},
	{NULL},
};

static int help_run(struct cli *c, struct cli_args *a)
{
	const struct cli_command *cmd;

	(void)c;
	if (a->set[HELP_MAN]) {
		print_man();
		return EXIT_OK;
	}
	if (!a->argc) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!(cmd = find(cli_commands, a->argv[0]))) {
		fprintf(stderr, "kepu help: unknown command '%s'\n", a->argv[0]);
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (a->argc > 1 && cmd->subs) {
		const struct cli_command *sub = find(cmd->subs, a->argv[1]);
		if (!sub) {
			char list[128];
			sub_names(cmd, list, sizeof(list));
			return cli_usage_error(cmd, "unknown subcommand '%s' (%s)", a->argv[1], list);
		}
		cmd = sub;
	}
	cli_print_help(cmd, stdout);
	return EXIT_OK;
}

const struct cli_command cli_help = {
	.name = "help",
	.summary = "show help for kepu or a command",
	.operands = "[COMMAND [SUBCOMMAND]]",
	.max_args = 2,
	.opts = help_opts,
	.run = help_run,
};

static int version_run(struct cli *c, struct cli_args *a)
{
	char pcre[64] = "";

	(void)c;
	(void)a;
	pcre2_config_8(PCRE2_CONFIG_VERSION, pcre);
	printf("kepu %s (sqlite %s, jansson %s, pcre2 %s, %s)\n", KEPU_VERSION, sqlite3_libversion(),
	       jansson_version_str(), pcre, curl_version());
	return EXIT_OK;
}

const struct cli_command cli_version = {
	.name = "version",
	.summary = "show the version of kepu and its libraries",
	.run = version_run,
};

/* ---- main ---- */

/* The global options before the command; the index of the command, or
 * -1 with *status set. */
static int globals(struct cli *c, int argc, char **argv, int *status)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--config") || !strcmp(a, "--db")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kepu: %s needs a value\n%s", a, main_usage);
				*status = EXIT_USAGE;
				return -1;
			}
			if (!strcmp(a, "--config"))
				c->config_path = argv[++i];
			else
				c->db_flag = argv[++i];
		} else if (!strncmp(a, "--config=", 9))
			c->config_path = a + 9;
		else if (!strncmp(a, "--db=", 5))
			c->db_flag = a + 5;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			*status = EXIT_OK;
			return -1;
		} else if (!strcmp(a, "--version")) {
			*status = version_run(c, NULL);
			return -1;
		} else {
			fprintf(stderr, "kepu: unknown option '%s'\n%sRun 'kepu help' for more.\n", a, main_usage);
			*status = EXIT_USAGE;
			return -1;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "%sRun 'kepu help' for the commands.\n", main_usage);
		*status = EXIT_USAGE;
		return -1;
	}
	return i;
}

/* The command named at argv[*i], or its subcommand (then *i moves on). */
static const struct cli_command *command(int argc, char **argv, int *i, int *status)
{
	const struct cli_command *cmd = find(cli_commands, argv[*i]), *sub;
	char list[128];

	*status = EXIT_USAGE;
	if (!cmd) {
		fprintf(stderr, "kepu: unknown command '%s'\n%sRun 'kepu help' for the commands.\n", argv[*i],
			main_usage);
		return NULL;
	}
	if (!cmd->subs)
		return cmd;
	sub_names(cmd, list, sizeof(list));
	if (*i + 1 >= argc) {
		cli_usage_error(cmd, "which one: %s?", list);
		return NULL;
	}
	if (!strcmp(argv[*i + 1], "--help") || !strcmp(argv[*i + 1], "-h")) {
		cli_print_help(cmd, stdout);
		*status = EXIT_OK;
		return NULL;
	}
	if (!(sub = find(cmd->subs, argv[*i + 1]))) {
		cli_usage_error(cmd, "unknown subcommand '%s' (%s)", argv[*i + 1], list);
		return NULL;
	}
	++*i;
	return sub;
}

int main(int argc, char **argv)
{
	struct cli c;
	const struct cli_command *cmd;
	int i, rc;

	memset(&c, 0, sizeof(c));
	c.lock = -1;
	if ((i = globals(&c, argc, argv, &rc)) < 0)
		return rc;
	if (!(cmd = command(argc, argv, &i, &rc)))
		return rc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "kepu: cannot initialize libcurl\n");
		return EXIT_PARTIAL;
	}
	rc = run(&c, cmd, argc - i, argv + i);
	release(&c);
	curl_global_cleanup();
	return rc;
}
