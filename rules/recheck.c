/* recheck.c: the flag rules run again over every stored post (rules.h). */
#include "rules.h"

#include <string.h>

#include "../util/arena.h"

struct recheck {
	const struct flags *flags;
	struct flags_scratch *scratch;
	struct arena arena;
	struct store *st;
	int64_t now;
	struct rules_recheck *out;
};

static int recheck_one(void *ctx, const struct post *p, struct kerr *e)
{
	struct recheck *r = ctx;
	struct flags_result fr;
	struct post_flag v[FLAGS_MAX_HITS];
	struct post_flags pf = {v, 0, 0};
	int gained, lost;

	r->out->posts++;
	arena_reset(&r->arena);
	if (flags_scan(r->flags, r->scratch, p->title, p->text, &r->arena, &fr, e) < 0)
		return -1;
	for (size_t i = 0; i < fr.n; i++) {
		v[i].rule = fr.hit[i].rule;
		v[i].reason = fr.hit[i].reason;
		v[i].match = fr.hit[i].match;
		v[i].set_at = 0;
	}
	pf.n = fr.n;
	if (store_set_flags(r->st, p->platform, p->post_id, &pf, r->now, &gained, &lost, e) < 0)
		return -1;
	r->out->gained += gained > 0;
	r->out->lost += lost > 0;
	r->out->flagged += fr.n > 0;
	return 0;
}

int rules_recheck(struct store *st, const struct flags *flags, int64_t now, struct rules_recheck *out,
		  struct kerr *e)
{
	struct store_filter all = {INT64_MIN, INT64_MAX};
	struct recheck r;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.flags = flags;
	r.st = st;
	r.now = now;
	r.out = out;
	arena_init(&r.arena);
	if (!(r.scratch = flags_scratch_new(flags)))
		kerr_set(e, KERR_NOMEM, "out of memory");
	else if (store_begin(st, e) == 0) {
		if (store_foreach_post(st, &all, recheck_one, &r, e) < 0 || store_commit(st, e) < 0)
			store_rollback(st);
		else
			rc = 0;
	}
	flags_scratch_free(r.scratch);
	arena_release(&r.arena);
	return rc;
}
