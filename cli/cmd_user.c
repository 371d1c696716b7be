/*
 * cmd_user.c: `kepu user add|list|disable|passwd`: the accounts of the
 * web workspace (kepu serve), kept in the database.
 *
 *   add NAME --role ROLE [--unit UNIT]   the password from standard input
 *   list                                 name, role, unit, disabled, created
 *   disable NAME                         and end its sessions
 *   passwd NAME                          a new password; ends its sessions
 *
 * The password is read from the terminal twice with echo off, or as one
 * line from standard input when it is not a terminal (a script, a
 * secrets manager).  It is hashed here (util/passwd.h, argon2id) and only
 * the hash reaches the store; no output and no message shows it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../matchers/district.h"
#include "../model/user.h"
#include "../util/passwd.h"
#include "../util/timefmt.h"
#include "cli.h"

/* Room for a password, its newline and one byte more to see it is too long. */
#define PW_BUF (PASSWD_MAX_BYTES + 2)

/* ---- reading the password ---- */

/* The terminal's settings while echo is off, for a signal to restore. */
static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;

static void restore_tty(void)
{
	if (tty_changed) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
		tty_changed = 0;
	}
}

/* A signal while echo is off: echo back on, then die of the signal. */
static void on_signal(int sig)
{
	restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};

/* One line from standard input, without its newline, into buf (PW_BUF
 * bytes); read a byte at a time so that no copy stays in a stdio buffer.
 * Its length, or -1 with e set. */
static long read_line(char *buf, struct kerr *e)
{
	size_t n = 0;

	for (;;) {
		char ch;
		ssize_t r = read(STDIN_FILENO, &ch, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kerr_set(e, KERR_IO, "cannot read the password: %s", strerror(errno));
		if (r == 0 || ch == '\n')
			break;
		if (n == PW_BUF - 1) {
			/* too long: read to the end of the line, keep nothing */
			while ((r = read(STDIN_FILENO, &ch, 1)) > 0 && ch != '\n')
				;
			passwd_wipe(buf, PW_BUF);
			return kerr_set(e, KERR_USAGE, "the password is longer than %d bytes", PASSWD_MAX_BYTES);
		}
		buf[n++] = ch;
	}
	buf[n] = '\0';
	if (n > PASSWD_MAX_BYTES) {
		passwd_wipe(buf, PW_BUF);
		return kerr_set(e, KERR_USAGE, "the password is longer than %d bytes", PASSWD_MAX_BYTES);
	}
	return (long)n;
}

/* Prompt on the terminal and read a line with echo off. */
static long read_hidden(const char *prompt, char *buf, struct kerr *e)
{
	struct termios quiet;
	struct sigaction sa, old[sizeof(tty_signals) / sizeof(tty_signals[0])];
	long n;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &saved_tty) < 0)
		return kerr_set(e, KERR_IO, "cannot read the terminal's settings: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(tty_signals) / sizeof(tty_signals[0]); i++)
		sigaction(tty_signals[i], &sa, &old[i]);
	quiet = saved_tty;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tty_changed = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) < 0) {
		tty_changed = 0;
		n = kerr_set(e, KERR_IO, "cannot turn the terminal's echo off: %s", strerror(errno));
	} else
		n = read_line(buf, e);
	restore_tty();
	for (size_t i = 0; i < sizeof(tty_signals) / sizeof(tty_signals[0]); i++)
		sigaction(tty_signals[i], &old[i], NULL);
	return n;
}

/* The new password of `name` into pw (PW_BUF bytes), checked against the
 * rule (passwd_check); its length, or -1 with e set.  On a terminal it is
 * asked twice and both must match. */
static long read_password(const char *name, char *pw, struct kerr *e)
{
	long n;

	if (!isatty(STDIN_FILENO)) {
		if ((n = read_line(pw, e)) < 0)
			return -1;
	} else {
		char again[PW_BUF], prompt[USER_NAME_MAX_BYTES + 32];
		long m;

		snprintf(prompt, sizeof(prompt), "New password for %s: ", name);
		if ((n = read_hidden(prompt, pw, e)) < 0)
			return -1;
		if ((m = read_hidden("Again: ", again, e)) < 0) {
			passwd_wipe(pw, PW_BUF);
			return -1;
		}
		if (m != n || !passwd_equal(pw, again)) {
			passwd_wipe(pw, PW_BUF);
			passwd_wipe(again, sizeof(again));
			return kerr_set(e, KERR_USAGE, "the two passwords do not match");
		}
		passwd_wipe(again, sizeof(again));
	}
	if (passwd_check(pw, (size_t)n, e) < 0) {
		passwd_wipe(pw, PW_BUF);
		return -1;
	}
	return n;
}

/* Read, check and hash the new password of name into hash. */
static int new_hash(const char *name, char hash[PASSWD_HASH_SIZE], struct kerr *e)
{
	char pw[PW_BUF];
	long n = read_password(name, pw, e);
	int rc;

	if (n < 0)
		return -1;
	rc = passwd_hash(pw, (size_t)n, hash, e);
	passwd_wipe(pw, sizeof(pw));
	return rc;
}

/* ---- add ---- */

enum { O_ROLE, O_UNIT };
static const struct cli_opt add_opts[] = {
	[O_ROLE] = {"role", 0, OPT_CHOICE, NULL,
		    "viewer: the report and the shortlist; district: one unit's\n"
		    "page, works, claims and corrections; reviewer: the review\n"
		    "queue, decisions and the showcase; admin: everything, and users",
		    "viewer|district|reviewer|admin", 0, 0, 1},
	[O_UNIT] = {"unit", 0, OPT_TEXT, "UNIT", "the district account's unit (its name or code); only for district"},
	{NULL},
};
_Static_assert(ROLE_N == 4, "--role's choices name every role of model/user.h");

static int check_name(const struct cli_args *a)
{
	struct kerr e;

	if (user_name_check(a->argv[0], &e) < 0)
		return cli_usage_error(a->cmd, "%s", e.msg);
	return EXIT_OK;
}

static int check_add(struct cli *c, struct cli_args *a)
{
	int rc;

	(void)c;
	if ((rc = check_name(a)) != EXIT_OK)
		return rc;
	if (role_parse(a->text[O_ROLE]) < 0)
		return cli_usage_error(a->cmd, "--role: unknown role '%s'", a->text[O_ROLE]);
	if (role_parse(a->text[O_ROLE]) == ROLE_DISTRICT && !a->set[O_UNIT])
		return cli_usage_error(a->cmd, "a district account needs --unit UNIT");
	if (role_parse(a->text[O_ROLE]) != ROLE_DISTRICT && a->set[O_UNIT])
		return cli_usage_error(a->cmd, "--unit is only for district accounts, not %s", a->text[O_ROLE]);
	return EXIT_OK;
}

static int cmd_add(struct cli *c, struct cli_args *a)
{
	const char *name = a->argv[0];
	enum role role = (enum role)role_parse(a->text[O_ROLE]);
	const struct district_unit *u = NULL;
	char hash[PASSWD_HASH_SIZE];
	struct store_user old;
	struct kerr e;
	int found = 0, rc;

	kerr_clear(&e);
	if (a->set[O_UNIT] && !(u = district_lookup(c->gaz, a->text[O_UNIT]))) {
		kerr_set(&e, KERR_USAGE, "no unit '%s' in the gazetteer (give its name or code, e.g. 江津区 or 500116)",
			 a->text[O_UNIT]);
		return cli_fail(&e);
	}
	/* a duplicate is said before the password is asked for */
	if (store_user_get(c->st, name, &old, &found, &e) < 0)
		return cli_fail(&e);
	passwd_wipe(old.pwhash, sizeof(old.pwhash));
	if (found) {
		kerr_set(&e, KERR_USAGE, "user '%s' already exists", name);
		return cli_fail(&e);
	}
	if (new_hash(name, hash, &e) < 0)
		return cli_fail(&e);
	rc = store_user_add(c->st, name, role, u ? u->code : NULL, hash, (int64_t)time(NULL), &e);
	passwd_wipe(hash, sizeof(hash));
	if (rc < 0)
		return cli_fail(&e);
	if (u)
		printf("%s: added, %s (%s), unit %s (%s)\n", name, role_label(role), role_name(role), u->name, u->code);
	else
		printf("%s: added, %s (%s)\n", name, role_label(role), role_name(role));
	return EXIT_OK;
}

/* ---- list ---- */

static int list_one(void *ctx, const struct store_user *u, struct kerr *e)
{
	struct cli *c = ctx;
	const struct district_unit *unit = u->unit_code[0] ? district_lookup(c->gaz, u->unit_code) : NULL;
	char created[32];

	(void)e;
	ktime_format_cst(u->created_at, created);
	printf("%s\t%s (%s)\t", u->name, role_label(u->role), role_name(u->role));
	if (unit)
		printf("%s (%s)", unit->name, unit->code);
	else
		printf("%s", u->unit_code[0] ? u->unit_code : "-");
	printf("\t%s\t%s\n", u->disabled ? "yes" : "no", created);
	return 0;
}

static int cmd_list(struct cli *c, struct cli_args *a)
{
	struct kerr e;

	(void)a;
	kerr_clear(&e);
	printf("name\trole\tunit\tdisabled\tcreated\n");
	if (store_user_foreach(c->st, list_one, c, &e) < 0)
		return cli_fail(&e);
	return EXIT_OK;
}

/* ---- disable, passwd ---- */

static int check_one(struct cli *c, struct cli_args *a)
{
	(void)c;
	return check_name(a);
}

static int cmd_disable(struct cli *c, struct cli_args *a)
{
	struct kerr e;
	int ended = 0;

	kerr_clear(&e);
	if (store_user_disable(c->st, a->argv[0], (int64_t)time(NULL), &ended, &e) < 0)
		return cli_fail(&e);
	printf("%s: disabled, %d session%s ended\n", a->argv[0], ended, ended == 1 ? "" : "s");
	return EXIT_OK;
}

static int cmd_passwd(struct cli *c, struct cli_args *a)
{
	const char *name = a->argv[0];
	char hash[PASSWD_HASH_SIZE];
	struct store_user u;
	struct kerr e;
	int ended = 0, rc;

	kerr_clear(&e);
	if (store_user_get(c->st, name, &u, NULL, &e) < 0)
		return cli_fail(&e);
	passwd_wipe(u.pwhash, sizeof(u.pwhash));
	if (new_hash(name, hash, &e) < 0)
		return cli_fail(&e);
	rc = store_begin(c->st, &e);
	if (rc == 0)
		rc = store_user_set_password(c->st, name, hash, (int64_t)time(NULL), &e);
	if (rc == 0)
		rc = store_session_delete_user(c->st, name, &ended, &e);
	if (rc == 0)
		rc = store_commit(c->st, &e);
	passwd_wipe(hash, sizeof(hash));
	if (rc < 0) {
		store_rollback(c->st);
		return cli_fail(&e);
	}
	printf("%s: password changed, %d session%s ended%s\n", name, ended, ended == 1 ? "" : "s",
	       u.disabled ? " (the account stays disabled)" : "");
	return EXIT_OK;
}

/* ---- the table ---- */

static const struct cli_command user_add = {
	.name = "add",
	.summary = "add an account",
	.operands = "NAME",
	.min_args = 1,
	.max_args = 1,
	.about = "Adds the account NAME (1 to 64 characters, no spaces, no ':'). Its password\n"
		 "is read from standard input: on a terminal twice, without echo; otherwise one\n"
		 "line. At least 10 characters; stored only as an argon2id hash.\n",
	.opts = add_opts,
	.needs = NEED_STORE | NEED_GAZETTEER,
	.check = check_add,
	.run = cmd_add,
	.parent = &cli_user,
};

static const struct cli_command user_list = {
	.name = "list",
	.summary = "the accounts",
	.about = "Tab-separated: name, role (label and id), unit, disabled, created.\n",
	.needs = NEED_STORE | NEED_GAZETTEER,
	.run = cmd_list,
	.parent = &cli_user,
};

static const struct cli_command user_disable = {
	.name = "disable",
	.summary = "disable an account and end its sessions",
	.operands = "NAME",
	.min_args = 1,
	.max_args = 1,
	.about = "The account can no longer log in; its open sessions end now. Accounts are\n"
		 "never deleted, only disabled.\n",
	.needs = NEED_STORE,
	.check = check_one,
	.run = cmd_disable,
	.parent = &cli_user,
};

static const struct cli_command user_passwd = {
	.name = "passwd",
	.summary = "set a new password and end the account's sessions",
	.operands = "NAME",
	.min_args = 1,
	.max_args = 1,
	.about = "Reads the new password like 'user add' and ends the account's open sessions.\n",
	.needs = NEED_STORE,
	.check = check_one,
	.run = cmd_passwd,
	.parent = &cli_user,
};

static const struct cli_command *const user_subs[] = {&user_add, &user_list, &user_disable, &user_passwd, NULL};

const struct cli_command cli_user = {
	.name = "user",
	.summary = "accounts of the web workspace: add, list, disable, passwd",
	.about = "Roles: viewer (浏览), district (区县, one unit), reviewer (审核), admin (管理员).\n"
		 "Passwords are stored as argon2id hashes (libsodium), never in clear.\n",
	.subs = user_subs,
};
