/*
 * testutil.h: what the cmocka unit tests (tests/unit_*.c) share: the
 * cmocka preamble, a scratch directory under /tmp, file writing, and
 * checks that say which table row failed.
 *
 * Every helper is `static inline` so a test file that does not use one
 * still builds under -Werror.  Not for: anything the kepu sources use.
 */
#ifndef KEPU_TESTS_TESTUTIL_H
#define KEPU_TESTS_TESTUTIL_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Fail the test unless needle occurs in haystack, showing both. */
#define assert_contains(haystack, needle)                                                        \
	do {                                                                                     \
		const char *h_ = (haystack), *n_ = (needle);                                     \
		if (!h_ || !strstr(h_, n_))                                                      \
			fail_msg("expected \"%s\" in \"%s\"", n_, h_ ? h_ : "(null)");           \
	} while (0)

/* Fail the test unless s starts with prefix. */
#define assert_prefix(s, prefix)                                                                 \
	do {                                                                                     \
		const char *s_ = (s), *p_ = (prefix);                                            \
		if (!s_ || strncmp(s_, p_, strlen(p_)))                                          \
			fail_msg("expected \"%s\" to start with \"%s\"", s_ ? s_ : "(null)", p_); \
	} while (0)

/*
 * Table rows: check every row, print each one that is wrong, and fail at
 * the end, so one run shows all the wrong rows and not just the first.
 *   int bad = 0;
 *   for (...) row_check(&bad, cond, "input '%s'", in);
 *   assert_int_equal(bad, 0);
 */
#define row_check(badp, cond, ...)                                                               \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			print_error("%s:%d: row failed: ", __FILE__, __LINE__);                  \
			print_error(__VA_ARGS__);                                                \
			print_error("\n");                                                       \
			(*(badp))++;                                                             \
		}                                                                                \
	} while (0)

/* A scratch directory under /tmp, removed with everything in it. */
struct tmpdir {
	char path[64];
};

static inline void tmpdir_make(struct tmpdir *d)
{
	snprintf(d->path, sizeof(d->path), "/tmp/kepu-unit-XXXXXX");
	if (!mkdtemp(d->path))
		fail_msg("mkdtemp: %s", strerror(errno));
}

/* out = "<dir>/<name>" */
static inline void tmpdir_file(const struct tmpdir *d, const char *name, char *out, size_t n)
{
	if ((size_t)snprintf(out, n, "%s/%s", d->path, name) >= n)
		fail_msg("path too long: %s/%s", d->path, name);
}

/* Remove the files in d (one level: the tests make no subdirectories)
 * and d itself. */
static inline void tmpdir_remove(struct tmpdir *d)
{
	DIR *dir;
	struct dirent *de;
	char p[512];

	if (!d->path[0] || !(dir = opendir(d->path)))
		return;
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(p, sizeof(p), "%s/%s", d->path, de->d_name);
			unlink(p);
		}
	closedir(dir);
	rmdir(d->path);
	d->path[0] = '\0';
}

static inline void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	if (n && fwrite(data, 1, n, f) != n) {
		fclose(f);
		fail_msg("cannot write %s", path);
	}
	if (fclose(f) != 0)
		fail_msg("cannot write %s", path);
}

static inline void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* ---- reading posts back from a store ---- */

#include "../store/store.h"

/* One post as store_foreach_post handed it over, copied (its strings are
 * borrowed for the callback only).  Lists are joined with '|'. */
struct row {
	char platform[32], post_id[64], url[128], title[128], text[512], author_name[64];
	int has_author_name;
	int64_t created_at, first_seen, last_seen;
	int64_t counts[PC_N];
	unsigned known, lower;
	char district[64], district_code[32], attribution_method[16];
	int in_chongqing;
	char hashtags[512], campaign[256], topics[512];
};

struct rows {
	struct row r[16];
	size_t n;
};

static inline void join_list(char *out, size_t cap, const char *const *v, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "|" : "", v[i]);
}

static inline void copy_str(char *out, size_t cap, const char *s)
{
	snprintf(out, cap, "%s", s ? s : "");
}

static inline int collect_row(void *ctx, const struct post *p, struct kerr *e)
{
	struct rows *rs = ctx;
	struct row *r;

	if (rs->n == ARRAY_LEN(rs->r))
		return kerr_set(e, KERR_NOMEM, "more than %zu posts", ARRAY_LEN(rs->r));
	r = &rs->r[rs->n++];
	copy_str(r->platform, sizeof(r->platform), p->platform);
	copy_str(r->post_id, sizeof(r->post_id), p->post_id);
	copy_str(r->url, sizeof(r->url), p->url);
	copy_str(r->title, sizeof(r->title), p->title);
	copy_str(r->text, sizeof(r->text), p->text);
	copy_str(r->author_name, sizeof(r->author_name), p->author_name);
	r->has_author_name = p->author_name != NULL;
	r->created_at = p->created_at;
	r->first_seen = p->first_seen;
	r->last_seen = p->last_seen;
	memcpy(r->counts, p->counts, sizeof(r->counts));
	r->known = p->known;
	r->lower = p->lower;
	copy_str(r->district, sizeof(r->district), p->district);
	copy_str(r->district_code, sizeof(r->district_code), p->district_code);
	copy_str(r->attribution_method, sizeof(r->attribution_method), p->attribution_method);
	r->in_chongqing = p->in_chongqing;
	join_list(r->hashtags, sizeof(r->hashtags), p->hashtags, p->nhashtags);
	join_list(r->campaign, sizeof(r->campaign), p->campaign_tags, p->ncampaign_tags);
	join_list(r->topics, sizeof(r->topics), p->topics, p->ntopics);
	return 0;
}

/* Every post created in [since, until), oldest first, into *rs. */
static inline void read_posts(struct store *st, int64_t since, int64_t until, struct rows *rs)
{
	struct store_filter flt = {since, until};
	struct kerr e;

	memset(rs, 0, sizeof(*rs));
	if (store_foreach_post(st, &flt, collect_row, rs, &e) < 0)
		fail_msg("store_foreach_post: %s", e.msg);
}

#endif
