/*
 * cmd_district.c: `kepu district set|explain|reattribute`: what analysts
 * do with attributions: correct one by hand (kept forever), see why a post
 * went where it went, and re-run attribution after the gazetteer or the
 * account registry changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

#include "../matchers/district.h"
#include "../rules/rules.h"
#include "cli.h"

/* Characters in a UTF-8 string (for padding names in columns). */
static int chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int cmd_explain(struct cli *c, struct cli_args *a)
{
	struct kbuf out;
	struct kerr e;
	int status = EXIT_OK;

	kerr_clear(&e);
	kbuf_init(&out, 4 * 1024 * 1024);
	if (rules_explain(c->st, c->gaz, a->argv[0], a->argv[1], &out, &e) < 0)
		status = cli_fail(&e);
	else
		fputs(out.data ? out.data : "", stdout);
	kbuf_release(&out);
	return status;
}

enum { O_NOTE, O_BY };
static const struct cli_opt set_opts[] = {
	[O_NOTE] = {"note", 0, OPT_TEXT, "TEXT", "why (kept with the correction)"},
	[O_BY] = {"by", 0, OPT_TEXT, "NAME", "who corrects (default: the login name)"},
	{NULL},
};

/* Who corrects: --by, else the system's name for the user running kepu. */
static const char *corrector(const struct cli_args *a)
{
	const struct passwd *pw = getpwuid(getuid());

	if (a->set[O_BY])
		return a->text[O_BY];
	return pw && pw->pw_name ? pw->pw_name : NULL;
}

static int cmd_set(struct cli *c, struct cli_args *a)
{
	const struct district_unit *u;
	struct rules_refusal why;
	struct kerr e;
	char msg[512];

	kerr_clear(&e);
	if (district_resolve(c->gaz, a->argv[2], &u, msg, sizeof(msg)) < 0) {
		kerr_set(&e, KERR_USAGE, "%s", msg);
		return cli_fail(&e);
	}
	if (a->set[O_BY] && rules_check_by(a->text[O_BY], "--by", &why) < 0)
		return cli_usage_error(a->cmd, "%s", why.en);
	if (rules_set_unit(c->st, a->argv[0], a->argv[1], u, NULL, corrector(a), a->text[O_NOTE], (int64_t)time(NULL),
			   &why, &e) < 0)
		return cli_fail(&e);
	printf("%s:%s: %s (%s), a manual correction\n", a->argv[0], a->argv[1], u->name, u->code);
	return EXIT_OK;
}

/* What reattribute changed, in all and per unit. */
static void print_moves(const struct gazetteer *g, const struct rules_moves *m)
{
	size_t n;
	const struct district_unit *u = district_units(g, &n);
	int header = 0;

	printf("reattributed %ld posts: %ld gained a unit, %ld moved to another unit, %ld lost their unit, "
	       "%ld changed method or evidence, %ld manual corrections kept\n",
	       m->seen, m->gained, m->moved, m->lost, m->changed, m->manual);
	for (size_t i = 0; i < n; i++) {
		long *x = m->per_unit[i];
		if (!x[0] && !x[1] && !x[2] && !x[3])
			continue;
		if (!header++)
			printf("%-24s %8s %8s %9s %6s\n", "unit", "gained", "moved in", "moved out", "lost");
		/* names are CJK: pad by display width, two columns a character */
		printf("%s%*s %8ld %8ld %9ld %6ld\n", u[i].name, 24 - 2 * chars(u[i].name), "", x[0], x[1], x[2],
		       x[3]);
	}
}

static int cmd_reattribute(struct cli *c, struct cli_args *a)
{
	struct rules_moves m;
	struct kerr e;
	int status = EXIT_OK;

	(void)a;
	kerr_clear(&e);
	if (rules_reattribute(c->st, c->gaz, (int64_t)time(NULL), &m, &e) < 0)
		status = cli_fail(&e);
	else
		print_moves(c->gaz, &m);
	rules_moves_release(&m);
	return status;
}

static const struct cli_command district_set = {
	.name = "set",
	.summary = "record a manual correction",
	.about = "Gives the post to UNIT (its name or code) for good: re-collection and\n"
		 "reattribute never overwrite a manual correction.\n",
	.operands = "PLATFORM POST_ID UNIT",
	.min_args = 3,
	.max_args = 3,
	.opts = set_opts,
	.needs = NEED_STORE | NEED_GAZETTEER,
	.run = cmd_set,
	.parent = &cli_district,
};

static const struct cli_command district_explain = {
	.name = "explain",
	.summary = "why a post went where it went",
	.about = "The stored attribution, the attribution the gazetteer gives now, and every\n"
		 "piece of evidence considered.\n",
	.operands = "PLATFORM POST_ID",
	.min_args = 2,
	.max_args = 2,
	.needs = NEED_STORE | NEED_GAZETTEER,
	.run = cmd_explain,
	.parent = &cli_district,
};

static const struct cli_command district_reattribute = {
	.name = "reattribute",
	.summary = "re-run attribution over every stored post",
	.about = "After the gazetteer or the account registry changed: attributes every stored\n"
		 "post again (manual corrections are kept) and prints how many posts moved,\n"
		 "in all and per unit.\n",
	.needs = NEED_LOCK | NEED_GAZETTEER,
	.run = cmd_reattribute,
	.parent = &cli_district,
};

static const struct cli_command *const district_subs[] = {&district_set, &district_explain,
							  &district_reattribute, NULL};

const struct cli_command cli_district = {
	.name = "district",
	.summary = "correct, explain or re-run the attribution of stored posts",
	.subs = district_subs,
};
