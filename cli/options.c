/*
 * options.c: a command's options, from its declaration (cli.h): parsing
 * argv into struct cli_args with kepu's error messages, and the --help
 * text.  GNU style: options and operands in any order, `--name=value`,
 * `-o value` or `-ovalue`, `--` ends the options.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timefmt.h"

const char *cli_name(const struct cli_command *cmd, char *buf, size_t size)
{
	if (cmd->parent)
		snprintf(buf, size, "%s %s", cmd->parent->name, cmd->name);
	else
		snprintf(buf, size, "%s", cmd->name);
	return buf;
}

/* The canonical choices of an OPT_CHOICE, one after another: choice k of
 * "a|b=a|c" is a (0), then c (1); an alias maps to its canonical one. */
static int choice_find(const char *choices, const char *v)
{
	size_t vn = strlen(v);
	int k = 0;

	for (const char *p = choices; *p;) {
		size_t n = strcspn(p, "|");
		const char *eq = memchr(p, '=', n);
		size_t name = eq ? (size_t)(eq - p) : n;

		if (name == vn && !memcmp(p, v, vn)) {
			if (!eq)
				return k;
			/* an alias: the index of its target */
			char target[32];
			snprintf(target, sizeof(target), "%.*s", (int)(n - name - 1), eq + 1);
			return choice_find(choices, target);
		}
		k += !eq;
		p += n + (p[n] == '|');
	}
	return -1;
}

/* "md, html or json": the canonical choices, for messages; "md|html|json"
 * for the synopsis. */
static void choice_list(const char *choices, int prose, char *out, size_t size)
{
	size_t o = 0, count = 0, k = 0;

	for (const char *p = choices; *p;) {
		size_t n = strcspn(p, "|");
		count += !memchr(p, '=', n);
		p += n + (p[n] == '|');
	}
	out[0] = '\0';
	for (const char *p = choices; *p && o < size;) {
		size_t n = strcspn(p, "|");
		if (!memchr(p, '=', n)) {
			const char *sep = !k ? "" : !prose ? "|" : k + 1 == count ? " or " : ", ";
			o += (size_t)snprintf(out + o, size - o, "%s%.*s", sep, (int)n, p);
			k++;
		}
		p += n + (p[n] == '|');
	}
}

static const struct cli_opt *find_long(const struct cli_opt *opts, const char *name, size_t n)
{
	for (const struct cli_opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == n && !memcmp(o->name, name, n))
			return o;
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, char letter)
{
	for (const struct cli_opt *o = opts; o && o->name; o++)
		if (o->letter && o->letter == letter)
			return o;
	return NULL;
}

/* Check and keep one option's value; 0 or EXIT_USAGE. */
static int take(const struct cli_command *cmd, const struct cli_opt *o, const char *v, struct cli_args *a)
{
	size_t i = (size_t)(o - cmd->opts);
	char list[128];

	a->set[i] = 1;
	a->text[i] = v;
	switch (o->kind) {
	case OPT_FLAG:
	case OPT_TEXT:
		return 0;
	case OPT_DATE:
		if (ktime_parse_date(v, &a->date[i]) < 0)
			return cli_usage_error(cmd, "--%s: expected a date YYYY-MM-DD, got '%s'", o->name, v);
		return 0;
	case OPT_NUM: {
		char *end;
		errno = 0;
		a->num[i] = strtol(v, &end, 10);
		if (errno || end == v || *end || a->num[i] < o->lo || a->num[i] > o->hi)
			return cli_usage_error(cmd, "--%s: expected a whole number from %ld to %ld, got '%s'", o->name,
					       o->lo, o->hi, v);
		return 0;
	}
	case OPT_CHOICE:
		if ((a->choice[i] = choice_find(o->choices, v)) < 0) {
			choice_list(o->choices, 1, list, sizeof(list));
			return cli_usage_error(cmd, "--%s: expected %s, got '%s'", o->name, list, v);
		}
		return 0;
	}
	return 0;
}

/* A `--name[=value]` at argv[*i]; 0, EXIT_USAGE or CLI_DONE. */
static int long_opt(const struct cli_command *cmd, int argc, char **argv, int *i, struct cli_args *a)
{
	const char *s = argv[*i] + 2, *eq = strchr(s, '=');
	size_t n = eq ? (size_t)(eq - s) : strlen(s);
	const struct cli_opt *o = find_long(cmd->opts, s, n);

	if (!o && n == 4 && !memcmp(s, "help", 4)) {
		cli_print_help(cmd, stdout);
		return CLI_DONE;
	}
	if (!o)
		return cli_usage_error(cmd, "unknown option '--%.*s'", (int)n, s);
	if (o->kind == OPT_FLAG) {
		if (eq)
			return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
		return take(cmd, o, "", a);
	}
	if (eq)
		return take(cmd, o, eq + 1, a);
	if (*i + 1 >= argc)
		return cli_usage_error(cmd, "option '--%s' needs a value", o->name);
	return take(cmd, o, argv[++*i], a);
}

/* One or more letters `-ab`, `-oFILE` or `-o FILE` at argv[*i]. */
static int short_opts(const struct cli_command *cmd, int argc, char **argv, int *i, struct cli_args *a)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct cli_opt *o = find_short(cmd->opts, *p);
		int rc;

		if (!o && *p == 'h') {
			cli_print_help(cmd, stdout);
			return CLI_DONE;
		}
		if (!o) {
			if ((unsigned char)*p > ' ' && (unsigned char)*p < 127)
				return cli_usage_error(cmd, "unknown option '-%c'", *p);
			return cli_usage_error(cmd, "unknown option '%s'", argv[*i]);
		}
		if (o->kind == OPT_FLAG) {
			if ((rc = take(cmd, o, "", a)) != 0)
				return rc;
			continue;
		}
		if (p[1])
			return take(cmd, o, p + 1, a);
		if (*i + 1 >= argc)
			return cli_usage_error(cmd, "option '-%c' needs a value", *p);
		return take(cmd, o, argv[++*i], a);
	}
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a)
{
	int rc, dashdash = 0;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	/* the operands, in order, are gathered at the front of argv + 1 */
	a->argv = argv + 1;
	for (int i = 1; i < argc; i++) {
		char *s = argv[i];

		if (dashdash || s[0] != '-' || !s[1]) {
			a->argv[a->argc++] = s;
			continue;
		}
		if (!strcmp(s, "--"))
			dashdash = 1;
		else if ((rc = s[1] == '-' ? long_opt(cmd, argc, argv, &i, a) : short_opts(cmd, argc, argv, &i, a)) != 0)
			return rc;
	}
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
		if (o->required && !a->set[o - cmd->opts])
			return cli_usage_error(cmd, "--%s %s is required", o->name, o->arg ? o->arg : "");
	if (cmd->max_args >= 0 && a->argc > cmd->max_args) {
		char name[64];
		if (!cmd->max_args)
			return cli_usage_error(cmd, "unexpected argument '%s'", a->argv[0]);
		return cli_usage_error(cmd, "'%s' takes at most %d argument%s", cli_name(cmd, name, sizeof(name)),
				       cmd->max_args, cmd->max_args == 1 ? "" : "s");
	}
	if (a->argc < cmd->min_args) {
		char name[64];
		return cli_usage_error(cmd, "'%s' needs %s", cli_name(cmd, name, sizeof(name)), cmd->operands);
	}
	return 0;
}

/* ---- help ---- */

/* The synopsis of one command: "kepu export [--format ndjson|csv] ...",
 * wrapped under its name. */
static void synopsis(const struct cli_command *cmd, const char *lead, FILE *out)
{
	char name[64], word[160], list[128];
	size_t indent, col;

	cli_name(cmd, name, sizeof(name));
	fprintf(out, "%skepu %s", lead, name);
	indent = strlen(lead) + 6 + strlen(name);
	col = indent;
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++) {
		const char *arg = o->arg;
		if (o->kind == OPT_CHOICE) {
			choice_list(o->choices, 0, list, sizeof(list));
			arg = list;
		}
		if (o->letter)
			snprintf(word, sizeof(word), "%s-%c%s%s%s", o->required ? "" : "[", o->letter, arg ? " " : "",
				 arg ? arg : "", o->required ? "" : "]");
		else
			snprintf(word, sizeof(word), "%s--%s%s%s%s", o->required ? "" : "[", o->name, arg ? " " : "",
				 arg ? arg : "", o->required ? "" : "]");
		if (col + 1 + strlen(word) > 92) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		}
		fprintf(out, " %s", word);
		col += 1 + strlen(word);
	}
	if (cmd->operands) {
		if (col + 1 + strlen(cmd->operands) > 92)
			fprintf(out, "\n%*s", (int)indent, "");
		fprintf(out, " %s", cmd->operands);
	}
	fputc('\n', out);
}

/* "  -o, --output FILE" */
static int opt_head(const struct cli_opt *o, char *buf, size_t size)
{
	if (o->letter)
		return snprintf(buf, size, "  -%c, --%s%s%s", o->letter, o->name, o->arg ? " " : "",
				o->arg ? o->arg : "");
	return snprintf(buf, size, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

static void options_help(const struct cli_opt *opts, FILE *out)
{
	char head[96];
	int width = 0;

	for (const struct cli_opt *o = opts; o && o->name; o++) {
		int n = opt_head(o, head, sizeof(head));
		if (n > width && n <= 22)
			width = n;
	}
	for (const struct cli_opt *o = opts; o && o->name; o++) {
		const char *p = o->help;
		int n = opt_head(o, head, sizeof(head));

		if (n > width)
			fprintf(out, "%s\n%*s", head, width + 2, "");
		else
			fprintf(out, "%-*s  ", width, head);
		while (*p) {
			size_t k = strcspn(p, "\n");
			fprintf(out, "%.*s\n", (int)k, p);
			p += k;
			if (*p == '\n' && *++p)
				fprintf(out, "%*s", width + 2, "");
		}
	}
}

void cli_print_help(const struct cli_command *cmd, FILE *out)
{
	if (cmd->subs) {
		int width = 0;
		for (size_t i = 0; cmd->subs[i]; i++) {
			synopsis(cmd->subs[i], i ? "       " : "usage: ", out);
			if ((int)strlen(cmd->subs[i]->name) > width)
				width = (int)strlen(cmd->subs[i]->name);
		}
		if (cmd->about)
			fprintf(out, "\n%s", cmd->about);
		fputc('\n', out);
		for (size_t i = 0; cmd->subs[i]; i++)
			fprintf(out, "  %-*s  %s\n", width, cmd->subs[i]->name, cmd->subs[i]->summary);
		if (cmd->after)
			fprintf(out, "\n%s", cmd->after);
		fprintf(out, "\nRun 'kepu %s SUBCOMMAND --help' for a subcommand's options.\n", cmd->name);
		return;
	}
	synopsis(cmd, "usage: ", out);
	if (cmd->about)
		fprintf(out, "\n%s", cmd->about);
	if (cmd->opts && cmd->opts->name) {
		fputc('\n', out);
		options_help(cmd->opts, out);
	}
	if (cmd->after)
		fprintf(out, "\n%s", cmd->after);
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	cli_name(cmd, name, sizeof(name));
	fprintf(stderr, "kepu %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd->subs)
		for (size_t i = 0; cmd->subs[i]; i++)
			synopsis(cmd->subs[i], i ? "       " : "usage: ", stderr);
	else
		synopsis(cmd, "usage: ", stderr);
	fprintf(stderr, "Run 'kepu %s --help' for more.\n", name);
	return EXIT_USAGE;
}
