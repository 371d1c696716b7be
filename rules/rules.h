/*
 * rules.h: what staff may do to stored posts, in one place for every
 * front (the CLI and the web workspace call the same functions):
 *
 *   - review decisions: the state machine pending / approved / rejected /
 *     featured, checked whole before anything is written;
 *   - the flag rules run again over stored posts (recheck);
 *   - attribution: a manual correction or a district's claim, a re-run
 *     over every post (reattribute), and the explanation of one post.
 *
 * Refusals are for people: each says why in Chinese and in English; the
 * fronts choose.  Nothing here prints.
 */
#ifndef KEPU_RULES_RULES_H
#define KEPU_RULES_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "../matchers/district.h"
#include "../matchers/flags.h"
#include "../model/post.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/err.h"

/* ---- review decisions ---- */

enum rules_action { ACTION_APPROVE, ACTION_REJECT, ACTION_FEATURE, ACTION_UNFEATURE, ACTION_N };
/* "approve", "reject", "feature", "unfeature" */
extern const char *const rules_action_names[ACTION_N];
/* 通过, 驳回, 入选, 取消入选 */
extern const char *const rules_action_labels[ACTION_N];
/* The action named s, or -1. */
int rules_action_parse(const char *s);

#define RULES_BY_MAX_CHARS 64
#define RULES_NOTE_MAX_CHARS 1000
#define RULES_TITLE_MAX_CHARS 40   /* an editor's showcase title: one line on a phone card */
#define RULES_TARGETS_MAX 1000

struct rules_refusal {
	char zh[256];
	char en[256];
};

/* One post of a decision.  Set post; rules_decide() fills the rest. */
struct rules_target {
	const char *post;            /* PLATFORM:POST_ID, as given */
	char platform[32];
	const char *post_id;         /* inside post */
	enum review_state steps[3];  /* the states it goes through, steps[0] the current one */
	int nsteps;                  /* 0: refused */
	struct rules_refusal why;    /* when refused */
};

struct rules_decision {
	enum rules_action action;
	const char *by;   /* who decides: the CLI's --by, the web's logged-in user */
	const char *note; /* why; a feature decision's note is the showcase caption */
	const char *title; /* feature: the editor's title for the showcase; NULL: the post's own */
	int approve_too;  /* feature: approve a pending or rejected work first */
	int64_t now;
	struct rules_target *t;
	size_t n;
};

/* Split t->post into platform and post id; 0, or -1 with why set (a
 * usage error: not PLATFORM:POST_ID, or an unknown platform). */
int rules_target_parse(struct rules_target *t);

/* Check a decider's name and a note (valid UTF-8, no control characters,
 * a note may hold line breaks and tabs; at most the maxima above); 0, or
 * -1 with why set.  what: "--by" / "--note" or the web's field name. */
int rules_check_by(const char *by, const char *what, struct rules_refusal *why);
int rules_check_note(const char *note, const char *what, struct rules_refusal *why);
/* An editor's title: one line, not blank, at most RULES_TITLE_MAX_CHARS. */
int rules_check_title(const char *title, const char *what, struct rules_refusal *why);

/*
 * Decide: every target is checked first (its current state, the
 * transition, the note a transition needs; a post named twice sees its
 * first change) and, when none is refused, every step is appended to the
 * review log in one transaction.  Returns 0 when recorded, 1 when refused
 * (nothing recorded; each refused target's why says why), -1 on error.
 */
int rules_decide(struct store *st, struct rules_decision *d, size_t *refused, struct kerr *e);

/* ---- flags ---- */

struct rules_recheck {
	long posts, gained, lost, flagged;
};
/* Run the flag rules over every stored post in one transaction;
 * decisions are untouched. */
int rules_recheck(struct store *st, const struct flags *flags, int64_t now, struct rules_recheck *out,
		  struct kerr *e);

/* ---- attribution ---- */

struct config;
/* The attribution as every command and the workspace use it: the
 * config's gazetteer and accounts, and the registry of accounts in the
 * store (st may be NULL: the config's only). */
int rules_gazetteer(struct store *st, const struct config *cfg, struct gazetteer **out, struct kerr *e);

struct rules_moves {
	long seen, moved, changed, manual;
	long gained, lost;      /* posts that got a unit, or lost theirs */
	long (*per_unit)[4];    /* per unit of the gazetteer: gained, moved in, moved out, lost; owned */
	size_t nunits;
};
/* Attribute every stored post again (manual corrections are kept), in one
 * transaction; release out with rules_moves_release(). */
int rules_reattribute(struct store *st, const struct gazetteer *g, int64_t now, struct rules_moves *out,
		      struct kerr *e);
/* The same for the posts of one account only (after it was registered or
 * removed). */
int rules_reattribute_account(struct store *st, const struct gazetteer *g, const struct district_account *only,
			      int64_t now, struct rules_moves *out, struct kerr *e);
void rules_moves_release(struct rules_moves *m);

/*
 * A manual correction: give (platform, post_id) to unit for good
 * (re-collection and reattribute keep it), recorded with who made it (by)
 * in the corrections log.  With only_unit set (a
 * district's claim) the post must have no unit or be only_unit's already,
 * and unit must be only_unit: else 1 with why set, nothing written.
 * 0 when recorded, -1 on error (KERR_USAGE: no such post).
 */
int rules_set_unit(struct store *st, const char *platform, const char *post_id,
		   const struct district_unit *unit, const struct district_unit *only_unit, const char *by,
		   const char *note, int64_t now, struct rules_refusal *why, struct kerr *e);

/* One claim of a batch (`kepu district apply`): give the post to unit. */
struct rules_claim {
	const char *platform, *post_id;
	const struct district_unit *unit;
	const char *note;   /* NULL: none */
	int missing;        /* set by rules_set_units(): no such post */
};

/*
 * Many manual corrections at once, as rules_set_unit() records one (the
 * same row of the corrections log, with by): every post is checked first
 * and, when all exist, all are written in one transaction.  0 when
 * recorded; 1 when some post does not exist (each such claim's missing
 * set, nothing written); -1 on error.
 */
int rules_set_units(struct store *st, struct rules_claim *c, size_t n, const char *by, int64_t now, size_t *missing,
		    struct kerr *e);
/* The check alone, writing nothing: each claim's missing, their number. */
int rules_check_claims(struct store *st, struct rules_claim *c, size_t n, size_t *missing, struct kerr *e);

/* One post's stored attribution and the evidence the gazetteer weighs
 * now, as lines of text in out. */
int rules_explain(struct store *st, const struct gazetteer *g, const char *platform, const char *post_id,
		  struct kbuf *out, struct kerr *e);

#endif
