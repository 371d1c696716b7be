/*
 * cmd_district.c: `kepu district set|apply|explain|reattribute`: what
 * analysts do with attributions: correct one by hand (kept forever), or
 * many from a file of claims, see why a post went where it went, and
 * re-run attribution after the gazetteer or the account registry changed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

#include "../matchers/district.h"
#include "../model/platform.h"
#include "../rules/rules.h"
#include "../util/arena.h"
#include "../util/csvguard.h"
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

/* ---- apply: a file of claims ---- */

#define APPLY_MAX_BYTES (64L * 1024 * 1024)
#define APPLY_MAX_ROWS 100000
#define APPLY_MAX_CELLS 64

/* A claims file being read: its text, the place, the cells of a record. */
struct claims_file {
	const char *path;
	char *text;
	size_t len, pos, line; /* line: of the next record's start */
	char *cell[APPLY_MAX_CELLS];
	size_t ncells;
	struct kbuf cells;    /* the cells, unquoted, NUL-terminated */
	int col[4];           /* platform, post_id, unit, note: the column, -1 none */
	size_t ncols;
	int errors;
};

/* Report a bad row as FILE:LINE: what. */
static void bad_row(struct claims_file *f, size_t line, const char *fmt, ...) KEPU_PRINTF(3, 4);
static void bad_row(struct claims_file *f, size_t line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kepu district apply: %s:%zu: ", f->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	f->errors++;
}

/* One RFC 4180 record into f->cell; 0 at the end of the file, 1 with a
 * record, -1 on a broken one (reported; the rest of the file is unreadable). */
static int next_record(struct claims_file *f, struct kerr *e)
{
	size_t start = f->line, offs[APPLY_MAX_CELLS];
	int quoted = 0;

	if (f->pos >= f->len)
		return 0;
	kbuf_reset(&f->cells);
	f->ncells = 0;
	offs[f->ncells++] = 0;
	for (; f->pos < f->len; f->pos++) {
		char ch = f->text[f->pos];
		if (quoted && ch == '"' && f->pos + 1 < f->len && f->text[f->pos + 1] == '"')
			f->pos++;
		else if (ch == '"') {
			quoted = !quoted;
			continue;
		} else if (!quoted && ch == ',') {
			if (f->ncells == APPLY_MAX_CELLS || kbuf_addc(&f->cells, '\0', e) < 0)
				goto broken;
			offs[f->ncells++] = f->cells.len;
			continue;
		} else if (!quoted && (ch == '\n' || ch == '\r')) {
			if (ch == '\r' && f->pos + 1 < f->len && f->text[f->pos + 1] == '\n')
				f->pos++;
			f->pos++;
			f->line++;
			break;
		}
		if (ch == '\n')
			f->line++;
		if (kbuf_addc(&f->cells, ch, e) < 0)
			goto broken;
	}
	if (quoted || kbuf_addc(&f->cells, '\0', e) < 0)
		goto broken;
	for (size_t i = 0; i < f->ncells; i++) {
		f->cell[i] = f->cells.data + offs[i];
		if (csv_guard_present(f->cell[i]))
			f->cell[i]++;
	}
	return 1;
broken:
	bad_row(f, start, "%s", quoted ? "a quoted cell is not closed" : "a record too long or of too many cells");
	return -1;
}

/* The header: where platform, post_id, unit and note are. */
static int read_header(struct claims_file *f)
{
	static const char *const names[4] = {"platform", "post_id", "unit", "note"};

	for (int k = 0; k < 4; k++)
		f->col[k] = -1;
	for (size_t i = 0; i < f->ncells; i++)
		for (int k = 0; k < 4; k++)
			if (!strcmp(f->cell[i], names[k])) {
				if (f->col[k] >= 0)
					bad_row(f, 1, "column '%s' twice", names[k]);
				f->col[k] = (int)i;
			}
	for (int k = 0; k < 3; k++)
		if (f->col[k] < 0)
			bad_row(f, 1, "no column '%s' (the header needs platform, post_id and unit; note is optional)",
				names[k]);
	f->ncols = f->ncells;
	return f->errors ? -1 : 0;
}

struct claims {
	struct rules_claim *v;
	size_t *line;
	size_t n, skipped;
	struct arena a;
};

/* Check one record and keep its claim; a bad one is reported. */
static void read_claim(struct cli *c, struct claims_file *f, struct claims *cl, size_t line)
{
	const char *platform = f->cell[f->col[0]], *post_id = f->cell[f->col[1]], *unit = f->cell[f->col[2]];
	const char *note = f->col[3] >= 0 && *f->cell[f->col[3]] ? f->cell[f->col[3]] : NULL;
	struct rules_claim *x = &cl->v[cl->n];
	struct rules_refusal why;
	char msg[512];

	if (!platform_find(platform)) {
		bad_row(f, line, "unknown platform '%s'", platform);
		return;
	}
	if (!*post_id) {
		bad_row(f, line, "no post_id");
		return;
	}
	if (!*unit) {
		cl->skipped++; /* not claimed: the unplaced works' CSV lists every work */
		return;
	}
	if (district_resolve(c->gaz, unit, &x->unit, msg, sizeof(msg)) < 0) {
		bad_row(f, line, "%s", msg);
		return;
	}
	if (note && rules_check_note(note, "note", &why) < 0) {
		bad_row(f, line, "%s", why.en);
		return;
	}
	for (size_t i = 0; i < cl->n; i++)
		if (!strcmp(cl->v[i].platform, platform) && !strcmp(cl->v[i].post_id, post_id)) {
			bad_row(f, line, "%s:%s is claimed on line %zu too", platform, post_id, cl->line[i]);
			return;
		}
	x->platform = arena_strndup(&cl->a, platform, strlen(platform));
	x->post_id = arena_strndup(&cl->a, post_id, strlen(post_id));
	x->note = note ? arena_strndup(&cl->a, note, strlen(note)) : NULL;
	if (!x->platform || !x->post_id || (note && !x->note)) {
		bad_row(f, line, "out of memory");
		return;
	}
	cl->line[cl->n++] = line;
}

/* Every record of the file after the header: each claim checked, every
 * bad one reported.  -1 when the file cannot be read to its end. */
static int read_claims(struct cli *c, struct claims_file *f, struct claims *cl, struct kerr *e)
{
	int rc;

	if ((rc = next_record(f, e)) <= 0) {
		if (rc == 0)
			bad_row(f, 1, "no header (platform,post_id,unit,note)");
		return -1;
	}
	if (read_header(f) < 0)
		return -1;
	for (;;) {
		size_t line = f->line;
		if ((rc = next_record(f, e)) <= 0)
			return rc;
		if (f->ncells == 1 && !*f->cell[0])
			continue; /* a blank line */
		if (f->ncells != f->ncols) {
			bad_row(f, line, "expected %zu cells as in the header, found %zu", f->ncols, f->ncells);
			continue;
		}
		if (cl->n == APPLY_MAX_ROWS) {
			bad_row(f, line, "more than %d claims in one file", APPLY_MAX_ROWS);
			return -1;
		}
		read_claim(c, f, cl, line);
	}
}

/* The file whole into f->text (at most APPLY_MAX_BYTES), its BOM skipped. */
static int load_claims(struct claims_file *f, struct kerr *e)
{
	FILE *in = fopen(f->path, "rb");
	struct kbuf b;
	char chunk[65536];
	size_t n;

	if (!in)
		return kerr_set(e, KERR_USAGE, "%s: cannot open: %s", f->path, strerror(errno));
	kbuf_init(&b, APPLY_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (kbuf_add(&b, chunk, n, e) < 0)
			break;
	if (ferror(in) || e->code) {
		fclose(in);
		kbuf_release(&b);
		return e->code ? kerr_prefix(e, "%s", f->path) : kerr_set(e, KERR_USAGE, "%s: cannot read", f->path);
	}
	fclose(in);
	f->len = b.len;
	f->text = kbuf_detach(&b);
	if (f->len >= 3 && !memcmp(f->text, "\xef\xbb\xbf", 3))
		f->pos = 3;
	f->line = 1;
	return 0;
}

/* The claims that name no stored post, each as FILE:LINE. */
static void report_missing(struct claims_file *f, const struct claims *cl)
{
	for (size_t i = 0; i < cl->n; i++)
		if (cl->v[i].missing)
			bad_row(f, cl->line[i], "no post %s:%s in the database", cl->v[i].platform, cl->v[i].post_id);
}

enum { A_BY };
static const struct cli_opt apply_opts[] = {
	[A_BY] = {"by", 0, OPT_TEXT, "NAME", "who claims (kept with every correction)", .required = 1},
	{NULL},
};

static int apply_claims(struct cli *c, struct claims_file *f, struct claims *cl, const char *by, struct kerr *e)
{
	size_t missing = 0;

	if (f->errors) { /* the posts too, so one run reports every bad row */
		if (rules_check_claims(c->st, cl->v, cl->n, &missing, e) < 0)
			return cli_fail(e);
		report_missing(f, cl);
		fprintf(stderr, "kepu district apply: nothing was recorded: %d bad row%s in %s\n", f->errors,
			f->errors == 1 ? "" : "s", f->path);
		return EXIT_USAGE;
	}
	if (rules_set_units(c->st, cl->v, cl->n, by, (int64_t)time(NULL), &missing, e) < 0)
		return cli_fail(e);
	if (missing) {
		report_missing(f, cl);
		fprintf(stderr, "kepu district apply: nothing was recorded: %zu post%s not in the database\n", missing,
			missing == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < cl->n; i++)
		printf("%s:%s: %s (%s), a manual correction\n", cl->v[i].platform, cl->v[i].post_id, cl->v[i].unit->name,
		       cl->v[i].unit->code);
	printf("applied %zu claim%s from %s by %s; %zu row%s without a unit left as they were\n", cl->n,
	       cl->n == 1 ? "" : "s", f->path, by, cl->skipped, cl->skipped == 1 ? "" : "s");
	return EXIT_OK;
}

static int cmd_apply(struct cli *c, struct cli_args *a)
{
	struct claims_file f;
	struct claims cl;
	struct rules_refusal why;
	struct kerr e;
	int status;

	memset(&f, 0, sizeof(f));
	memset(&cl, 0, sizeof(cl));
	kerr_clear(&e);
	if (rules_check_by(a->text[A_BY], "--by", &why) < 0)
		return cli_usage_error(a->cmd, "%s", why.en);
	f.path = a->argv[0];
	if (load_claims(&f, &e) < 0)
		return cli_fail(&e);
	kbuf_init(&f.cells, 1024 * 1024);
	arena_init(&cl.a);
	cl.v = calloc(APPLY_MAX_ROWS, sizeof(*cl.v));
	cl.line = calloc(APPLY_MAX_ROWS, sizeof(*cl.line));
	if (!cl.v || !cl.line) {
		kerr_set(&e, KERR_NOMEM, "out of memory");
		status = cli_fail(&e);
	} else if (read_claims(c, &f, &cl, &e) < 0 && !f.errors)
		status = cli_fail(&e);
	else
		status = apply_claims(c, &f, &cl, a->text[A_BY], &e);
	free(cl.v);
	free(cl.line);
	arena_release(&cl.a);
	kbuf_release(&f.cells);
	free(f.text);
	return status;
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

static const struct cli_command district_apply = {
	.name = "apply",
	.summary = "record many manual corrections from a CSV file",
	.about = "Claims from FILE, a CSV file with the columns platform, post_id, unit and\n"
		 "(optionally) note, in any order, other columns ignored: the report's\n"
		 "unplaced_works.csv with its unit column filled in is one.  Each row gives its\n"
		 "post to the unit (a name, short name or code) as `district set` does; a row\n"
		 "with an empty unit is left out.  The whole file is checked first: every bad\n"
		 "row, unknown unit or post not in the database is reported as FILE:LINE, and\n"
		 "if there is any, nothing is recorded (exit status 2).  Otherwise every claim\n"
		 "is recorded in one transaction.\n",
	.operands = "FILE",
	.min_args = 1,
	.max_args = 1,
	.opts = apply_opts,
	.needs = NEED_STORE | NEED_GAZETTEER,
	.run = cmd_apply,
	.parent = &cli_district,
};

static const struct cli_command *const district_subs[] = {&district_set, &district_apply, &district_explain,
							  &district_reattribute, NULL};

const struct cli_command cli_district = {
	.name = "district",
	.summary = "correct, explain or re-run the attribution of stored posts",
	.subs = district_subs,
};
