/*
 * review.c: the review state machine (rules.h).  Which transitions are
 * allowed is decided here; the store only appends to the log.
 *
 *   pending  -> approved | rejected (reject needs a note)
 *   approved -> rejected (a note) | featured
 *   rejected -> approved (overturning needs a note)
 *   featured -> approved (unfeature only)
 *
 * A decision naming several posts is checked whole before anything is
 * written, inside one transaction: one refused post and nothing of it is
 * recorded.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/platform.h"
#include "../util/utf8.h"

const char *const rules_action_names[ACTION_N] = {"approve", "reject", "feature", "unfeature"};
const char *const rules_action_labels[ACTION_N] = {"通过", "驳回", "入选", "取消入选"};

int rules_action_parse(const char *s)
{
	for (int i = 0; i < ACTION_N; i++)
		if (!strcmp(s, rules_action_names[i]))
			return i;
	return -1;
}

/* Say why, in both languages; returns -1. */
static int refuse(struct rules_refusal *why, const char *zh, const char *en, ...) KEPU_PRINTF(3, 4);
static int refuse(struct rules_refusal *why, const char *zh, const char *en, ...)
{
	va_list ap;

	snprintf(why->zh, sizeof(why->zh), "%s", zh);
	va_start(ap, en);
	vsnprintf(why->en, sizeof(why->en), en, ap);
	va_end(ap);
	return -1;
}

int rules_target_parse(struct rules_target *t)
{
	const char *colon = strchr(t->post, ':');
	size_t n = colon ? (size_t)(colon - t->post) : 0;

	t->nsteps = 0;
	t->post_id = NULL;
	t->platform[0] = '\0';
	if (!colon || !n || !colon[1])
		return refuse(&t->why, "作品编号应为「平台:作品ID」（如 weibo:4951234567890123）",
			      "'%.80s': expected PLATFORM:POST_ID (e.g. weibo:4951234567890123)", t->post);
	if (n >= sizeof(t->platform))
		n = sizeof(t->platform) - 1;
	memcpy(t->platform, t->post, n);
	t->platform[n] = '\0';
	t->post_id = colon + 1;
	if (n != (size_t)(colon - t->post) || !platform_find(t->platform))
		return refuse(&t->why, "未知的平台", "'%.80s': unknown platform '%s'", t->post, t->platform);
	return 0;
}

/* Valid UTF-8, no control characters (multiline: line breaks and tabs
 * allowed), at most max characters. */
static int check_text(const char *s, const char *what, size_t max, int multiline, struct rules_refusal *why)
{
	size_t chars = 0;

	if (utf8_invalid_at(s, strlen(s)) >= 0)
		return refuse(why, "文字编码无效（不是 UTF-8）", "%s: not valid UTF-8", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t'))) || *p == 0x7F)
			return refuse(why, "不能包含控制字符", "%s: control characters are not allowed", what);
		chars += (*p & 0xC0) != 0x80;
	}
	if (chars > max) {
		refuse(why, "", "%s: longer than %zu characters", what, max);
		snprintf(why->zh, sizeof(why->zh), "不能超过 %zu 个字", max);
		return -1;
	}
	return 0;
}

int rules_check_by(const char *by, const char *what, struct rules_refusal *why)
{
	while (*by == ' ')
		by++;
	if (!*by)
		return refuse(why, "需要填写审核人", "%s: expected a name", what);
	return check_text(by, what, RULES_BY_MAX_CHARS, 0, why);
}

int rules_check_note(const char *note, const char *what, struct rules_refusal *why)
{
	return check_text(note, what, RULES_NOTE_MAX_CHARS, 1, why);
}

int rules_check_title(const char *title, const char *what, struct rules_refusal *why)
{
	const char *p = title;

	while (*p == ' ' || !strncmp(p, "\xe3\x80\x80", 3)) /* ' ' or U+3000 */
		p += *p == ' ' ? 1 : 3;
	if (!*p)
		return refuse(why, "标题不能为空", "%s: expected a title", what);
	return check_text(title, what, RULES_TITLE_MAX_CHARS, 0, why);
}

/* The one step to `to`, if allowed; else why and -1. */
static int step(struct rules_target *t, enum review_state to, enum rules_action a, const char *note)
{
	enum review_state from = t->steps[t->nsteps - 1];
	const char *verb = rules_action_names[a], *name = review_state_names[from];
	int noted = note && *note;
	char zh[256];

	if (from == to) {
		snprintf(zh, sizeof(zh), "无法%s：已是「%s」", rules_action_labels[a], review_state_labels[from]);
		return refuse(&t->why, zh, "cannot %s: already %s", verb, name);
	}
	switch (to) {
	case REVIEW_APPROVED:
		if (from == REVIEW_FEATURED && a != ACTION_UNFEATURE)
			return refuse(&t->why, "无法通过：作品已入选；要撤下请用「取消入选」",
				      "cannot %s: it is featured; use unfeature to take it off the showcase", verb);
		if (from == REVIEW_REJECTED && !noted)
			return refuse(&t->why, "无法通过：作品曾被驳回，改判需要填写理由",
				      "cannot %s: it was rejected; overturning a rejection needs a note (--note TEXT)", verb);
		break;
	case REVIEW_REJECTED:
		if (from == REVIEW_FEATURED)
			return refuse(&t->why, "无法驳回：作品已入选，请先取消入选",
				      "cannot reject: it is featured; unfeature it first");
		if (!noted)
			return refuse(&t->why, "无法驳回：必须填写驳回理由",
				      "cannot reject: a note is required (--note TEXT: why)");
		break;
	case REVIEW_FEATURED:
		if (from != REVIEW_APPROVED) {
			snprintf(zh, sizeof(zh), "无法入选：尚未通过审核（当前为「%s」）；可选择「通过并入选」",
				 review_state_labels[from]);
			return refuse(&t->why, zh,
				      "cannot feature: not approved (it is %s); use --approve to approve and feature in one step",
				      name);
		}
		break;
	default:
		return refuse(&t->why, "无此状态", "cannot %s: no such state", verb);
	}
	t->steps[t->nsteps++] = to;
	return 0;
}

/* The steps of the decision for one target from its current state. */
static int plan(struct rules_target *t, const struct rules_decision *d)
{
	switch (d->action) {
	case ACTION_APPROVE:
		return step(t, REVIEW_APPROVED, ACTION_APPROVE, d->note);
	case ACTION_REJECT:
		return step(t, REVIEW_REJECTED, ACTION_REJECT, d->note);
	case ACTION_FEATURE:
		if (d->approve_too && (t->steps[0] == REVIEW_PENDING || t->steps[0] == REVIEW_REJECTED) &&
		    step(t, REVIEW_APPROVED, ACTION_APPROVE, d->note) < 0)
			return -1;
		return step(t, REVIEW_FEATURED, ACTION_FEATURE, d->note);
	case ACTION_UNFEATURE:
		if (t->steps[0] != REVIEW_FEATURED) {
			char zh[256];
			snprintf(zh, sizeof(zh), "无法取消入选：作品未入选（当前为「%s」）", review_state_labels[t->steps[0]]);
			return refuse(&t->why, zh, "cannot unfeature: it is not featured (it is %s)",
				      review_state_names[t->steps[0]]);
		}
		return step(t, REVIEW_APPROVED, ACTION_UNFEATURE, d->note);
	case ACTION_N:
		break;
	}
	return -1;
}

/* The state target i starts from: the store's, or the last change an
 * earlier target of the same post makes.  0, 1 (no such post, why set),
 * -1 on error. */
static int current(struct store *st, struct rules_decision *d, size_t i, struct kerr *e)
{
	struct rules_target *t = &d->t[i];
	enum review_state cur = REVIEW_PENDING;
	size_t k;

	for (k = i; k-- > 0;)
		if (!strcmp(d->t[k].platform, t->platform) && !strcmp(d->t[k].post_id, t->post_id))
			break;
	if (k != (size_t)-1 && d->t[k].nsteps)
		cur = d->t[k].steps[d->t[k].nsteps - 1];
	else if (store_review_state(st, t->platform, t->post_id, &cur, e) < 0) {
		if (e->code != KERR_USAGE)
			return -1;
		kerr_clear(e);
		refuse(&t->why, "数据库中没有这条作品", "no such post");
		return 1;
	}
	t->steps[0] = cur;
	t->nsteps = 1;
	return 0;
}

static int record(struct store *st, const struct rules_decision *d, struct kerr *e)
{
	for (size_t i = 0; i < d->n; i++)
		for (int s = 1; s < d->t[i].nsteps; s++) {
			struct review_entry r = {0, d->t[i].platform, d->t[i].post_id, d->now, d->by,
						 d->t[i].steps[s - 1], d->t[i].steps[s], d->note,
						 d->t[i].steps[s] == REVIEW_FEATURED ? d->title : NULL};
			if (store_review_append(st, &r, e) < 0)
				return -1;
		}
	return 0;
}

int rules_decide(struct store *st, struct rules_decision *d, size_t *refused, struct kerr *e)
{
	int rc;

	*refused = 0;
	for (size_t i = 0; i < d->n; i++)
		if (rules_target_parse(&d->t[i]) < 0) {
			kerr_set(e, KERR_USAGE, "%s", d->t[i].why.en);
			return -1;
		}
	if (store_begin(st, e) < 0)
		return -1;
	for (size_t i = 0; i < d->n; i++) {
		if ((rc = current(st, d, i, e)) < 0) {
			store_rollback(st);
			return -1;
		}
		if (rc > 0 || plan(&d->t[i], d) < 0) {
			d->t[i].nsteps = 0;
			++*refused;
		}
	}
	if (*refused) {
		store_rollback(st);
		return 1;
	}
	if (record(st, d, e) < 0 || store_commit(st, e) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}
