/*
 * tags.c: campaign tag matching and hashtag extraction.
 *
 * Both run on the normalized text (normalize.h) in one left-to-right scan.
 * A `#` may start a hashtag unless it follows an ASCII letter, digit, `/`
 * or `&` (URL fragments, leftover entities); a `#` that directly follows a
 * hashtag always may (`#AI#科普` is two tags on Douyin).  At each such
 * `#` the anchored PCRE2 patterns below are tried, JIT-compiled once:
 *
 *   campaign  #T, then optionally [话题], and then no character that could
 *             continue a tag (letter, digit, mark, `_`): `#千万IP创科普活动`
 *             is another tag.  Checked first, so a configured tag with
 *             punctuation (`C++科普`) is one token.
 *   xhs       #tag[话题]#          (Xiaohongshu)
 *   pair      #tag#                (Weibo; no line break, no # inside,
 *                                  no space at either end, 1..64 chars)
 *   single    #tag                 (Douyin, Bilibili, Kuaishou, ...: letters,
 *                                  digits, marks and `_`, 1..64 chars)
 *
 * Where a text mixes conventions the platform decides: Weibo reads pairs
 * first, the single-hash platforms read single tags only, and with no
 * platform a pair is taken when the character after its closing `#`
 * cannot continue a tag (`#a#，` is a pair, `#a#b` two single tags).
 * Each step either consumes text or advances one character, and every
 * pattern is bounded to 64 characters, so the scan is linear in the text.
 */
#include "tags.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/utf8.h"
#include "normalize.h"
#include "regex.h"

enum { RE_CAMPAIGN, RE_XHS, RE_PAIR, RE_SINGLE, RE_CONT, RE_LETTER, RE_PAIR_BODY, RE_N };

/* A character that may continue a single-hash tag. */
#define CONT "[\\p{L}\\p{N}\\p{M}_]"

static const char *const fixed_re[RE_N] = {
	[RE_XHS] = "#(?=\\S)([^#\\n\\[\\]]{1,64}?)(?<=\\S)\\[话题\\]#?",
	[RE_PAIR] = "#(?=\\S)([^#\\n]{1,64})(?<=\\S)#",
	[RE_SINGLE] = "#(" CONT "{1,64})(?!" CONT ")",
	[RE_CONT] = CONT,
	[RE_LETTER] = "\\p{L}",
	[RE_PAIR_BODY] = "(?=\\S)[^#\\n]{1,64}(?<=\\S)$", /* what a #pair# may hold */
};

struct tags {
	pcre2_code *re[RE_N];
	char *campaign[TAGS_MAX_CAMPAIGN]; /* owned canonical names */
	char *normalized[TAGS_MAX_CAMPAIGN]; /* owned: the same, normalized */
	size_t ncampaign;
};

struct tags_scratch {
	pcre2_match_data *md;
	struct kbuf norm;
};

enum pref { PREF_AUTO, PREF_WEIBO, PREF_SINGLE };

static enum pref platform_pref(const char *platform)
{
	if (!platform || !*platform || !strcmp(platform, "other"))
		return PREF_AUTO;
	return strcmp(platform, "weibo") ? PREF_SINGLE : PREF_WEIBO;
}

/* `#(?:(T1)|(T2)...)(?:\[话题\])?(?!CONT)` with every tag taken literally. */
static int campaign_pattern(struct tags *t, struct kbuf *re, struct kerr *e)
{
	if (kbuf_adds(re, "#(?:", e) < 0)
		return -1;
	for (size_t i = 0; i < t->ncampaign; i++) {
		if (kbuf_adds(re, i ? "|(" : "(", e) < 0 || regex_add_literal(re, t->normalized[i], e) < 0 ||
		    kbuf_addc(re, ')', e) < 0)
			return -1;
	}
	return kbuf_adds(re, ")(?:\\[话题\\])?(?!" CONT ")", e);
}

int tags_new(struct tags **out, const char *const *campaign, size_t n, struct kerr *e)
{
	struct tags *t = calloc(1, sizeof(*t));
	struct kbuf re;

	*out = NULL;
	if (!t)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (!n || n > TAGS_MAX_CAMPAIGN) {
		free(t);
		return kerr_set(e, KERR_USAGE, "between 1 and %d campaign tags", TAGS_MAX_CAMPAIGN);
	}
	kbuf_init(&re, 64 * 1024);
	for (size_t i = 0; i < n; i++) {
		if (!campaign[i][0]) {
			tags_free(t);
			return kerr_set(e, KERR_USAGE, "campaign tag %zu is empty", i + 1);
		}
		kbuf_reset(&re);
		if (!(t->campaign[i] = strdup(campaign[i])) ||
		    text_normalize(campaign[i], strlen(campaign[i]), &re, e) < 0 ||
		    !(t->normalized[i] = kbuf_detach(&re))) {
			t->ncampaign = i + 1;
			kbuf_release(&re);
			tags_free(t);
			return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		t->ncampaign++;
	}
	if (campaign_pattern(t, &re, e) < 0 ||
	    !(t->re[RE_CAMPAIGN] = regex_compile(re.data, PCRE2_CASELESS | PCRE2_ANCHORED, "tag", e))) {
		kbuf_release(&re);
		tags_free(t);
		return -1;
	}
	kbuf_release(&re);
	for (int i = RE_XHS; i < RE_N; i++)
		if (!(t->re[i] = regex_compile(fixed_re[i], i == RE_LETTER ? 0 : PCRE2_ANCHORED, "tag", e))) {
			tags_free(t);
			return -1;
		}
	*out = t;
	return 0;
}

void tags_free(struct tags *t)
{
	if (!t)
		return;
	for (int i = 0; i < RE_N; i++)
		pcre2_code_free(t->re[i]);
	for (size_t i = 0; i < t->ncampaign; i++) {
		free(t->campaign[i]);
		free(t->normalized[i]);
	}
	free(t);
}

struct tags_scratch *tags_scratch_new(const struct tags *t)
{
	struct tags_scratch *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	/* room for the campaign pattern's groups, the largest of all */
	s->md = pcre2_match_data_create(TAGS_MAX_CAMPAIGN + 2, NULL);
	kbuf_init(&s->norm, 16 * 1024 * 1024);
	if (!s->md) {
		free(s);
		return NULL;
	}
	(void)t;
	return s;
}

void tags_scratch_free(struct tags_scratch *s)
{
	if (s) {
		pcre2_match_data_free(s->md);
		kbuf_release(&s->norm);
		free(s);
	}
}

/* ASCII-caseless equality of a[0..an) and the NUL-terminated b. */
static int eq_nocase(const char *a, size_t an, const char *b)
{
	size_t i;

	for (i = 0; i < an && b[i]; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return 0;
	}
	return i == an && !b[i];
}

/* Match re anchored at off; on success *m0,*m1 is the whole match. */
static int at(const struct tags *t, struct tags_scratch *s, int re, const char *txt, size_t len,
	      size_t off)
{
	int rc = pcre2_match(t->re[re], (PCRE2_SPTR)txt, len, off, PCRE2_NO_UTF_CHECK, s->md, NULL);
	return rc > 0 ? rc : 0;
}

/* Can the character at txt[off] continue a single-hash tag? */
static int continues(const struct tags *t, struct tags_scratch *s, const char *txt, size_t len,
		     size_t off)
{
	return off < len && at(t, s, RE_CONT, txt, len, off);
}

/* A tag needs a letter of some script: `#2025` is not one. */
static int letter_in(const struct tags *t, struct tags_scratch *s, const char *p, size_t n)
{
	return pcre2_match(t->re[RE_LETTER], (PCRE2_SPTR)p, n, 0, PCRE2_NO_UTF_CHECK, s->md, NULL) > 0;
}

static int add_hashtag(const struct tags *t, struct tags_scratch *s, struct tags_result *r,
		       const char *p, size_t n, struct arena *a, struct kerr *e)
{
	if (!letter_in(t, s, p, n))
		return 0;
	for (size_t k = 0; k < r->nhashtags; k++)
		if (eq_nocase(p, n, r->hashtags[k]))
			return 0;
	if (r->nhashtags == TAGS_MAX_HASHTAGS)
		return 0;
	if (!(r->hashtags[r->nhashtags] = arena_strndup(a, p, n)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	r->nhashtags++;
	return 0;
}

static void add_campaign(struct tags_result *r, const char *canonical)
{
	for (size_t k = 0; k < r->ncampaign; k++)
		if (r->campaign[k] == canonical)
			return;
	r->campaign[r->ncampaign++] = canonical;
}

/* After a single-style token ending at end: is the `#` there its closing
 * hash (Weibo `#tag#`) rather than the start of the next tag? */
static int closing_hash(const struct tags *t, struct tags_scratch *s, enum pref pref,
			const char *txt, size_t len, size_t end)
{
	if (end >= len || txt[end] != '#')
		return 0;
	if (pref == PREF_WEIBO)
		return 1;
	if (pref == PREF_SINGLE)
		return 0;
	return !continues(t, s, txt, len, end + 1);
}

static int scan(const struct tags *t, struct tags_scratch *s, enum pref pref, const char *txt,
		size_t len, struct arena *a, struct tags_result *r, struct kerr *e)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	size_t i = 0, token_end = (size_t)-1;

	while (i < len) {
		const char *hash = memchr(txt + i, '#', len - i);
		size_t p, tb, te, end;
		int rc;

		if (!hash)
			break;
		p = (size_t)(hash - txt);
		/* rule 4: not after an ASCII letter, digit, `/` or `&`, unless the
		 * `#` directly follows a tag we just read */
		if (p > 0 && p != token_end) {
			unsigned char c = (unsigned char)txt[p - 1];
			if (((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
			    c == '&') {
				i = p + 1;
				continue;
			}
		}
		if ((rc = at(t, s, RE_CAMPAIGN, txt, len, p))) {
			int g = 1;
			while (g < rc && ov[2 * g] == PCRE2_UNSET)
				g++;
			add_campaign(r, t->campaign[g - 1]);
			tb = ov[2 * g];
			te = ov[2 * g + 1];
			end = ov[1];
			if (closing_hash(t, s, pref, txt, len, end))
				end++;
		} else if (at(t, s, RE_XHS, txt, len, p)) {
			tb = ov[2];
			te = ov[3];
			end = ov[1];
		} else if ((pref == PREF_WEIBO || pref == PREF_AUTO) && at(t, s, RE_PAIR, txt, len, p) &&
			   (pref == PREF_WEIBO || !continues(t, s, txt, len, ov[1]))) {
			tb = ov[2];
			te = ov[3];
			end = ov[1];
		} else if (at(t, s, RE_SINGLE, txt, len, p)) {
			tb = ov[2];
			te = ov[3];
			end = ov[1];
			if (closing_hash(t, s, pref, txt, len, end))
				end++;
		} else {
			i = p + 1;
			continue;
		}
		if (add_hashtag(t, s, r, txt + tb, te - tb, a, e) < 0)
			return -1;
		/* A closing hash that also starts the campaign tag (`#科普#千万IP创科普`
		 * on Weibo) is read as both: rule 2 holds at every `#`. */
		if (end > p + 1 && txt[end - 1] == '#' && at(t, s, RE_CAMPAIGN, txt, len, end - 1))
			end--;
		i = end;
		token_end = end;
	}
	return 0;
}

/* A platform topic: strip `#` and `[话题]` around it, then compare. */
static int check_topic(const struct tags *t, struct tags_scratch *s, struct tags_result *r,
		       const char *topic, struct arena *a, struct kerr *e)
{
	static const char marker[] = "[话题]";
	const size_t ml = sizeof(marker) - 1;
	const char *p;
	size_t n;

	kbuf_reset(&s->norm);
	if (text_normalize(topic, strlen(topic), &s->norm, e) < 0)
		return -1;
	p = s->norm.data ? s->norm.data : "";
	n = s->norm.len;
	for (;;) {
		if (n && (*p == '#' || *p == ' ' || *p == '\n')) {
			p++;
			n--;
		} else if (n && (p[n - 1] == '#' || p[n - 1] == ' ' || p[n - 1] == '\n'))
			n--;
		else if (n >= ml && !memcmp(p + n - ml, marker, ml))
			n -= ml;
		else
			break;
	}
	if (!n)
		return 0;
	for (size_t i = 0; i < t->ncampaign; i++)
		if (eq_nocase(p, n, t->normalized[i]))
			add_campaign(r, t->campaign[i]);
	/* A topic is a hashtag only if it could be written as one. */
	if (memchr(p, '\n', n) || memchr(p, '#', n) || !at(t, s, RE_PAIR_BODY, p, n, 0))
		return 0;
	return add_hashtag(t, s, r, p, n, a, e);
}

static int scan_field(const struct tags *t, struct tags_scratch *s, enum pref pref, const char *v,
		      struct arena *a, struct tags_result *r, struct kerr *e)
{
	if (!v || !*v)
		return 0;
	kbuf_reset(&s->norm);
	if (text_normalize(v, strlen(v), &s->norm, e) < 0)
		return -1;
	return s->norm.len ? scan(t, s, pref, s->norm.data, s->norm.len, a, r, e) : 0;
}

int tags_scan(const struct tags *t, struct tags_scratch *s, const struct tags_input *in,
	      struct arena *a, struct tags_result *r, struct kerr *e)
{
	enum pref pref = platform_pref(in->platform);

	r->nhashtags = 0;
	r->ncampaign = 0;
	if (scan_field(t, s, pref, in->title, a, r, e) < 0 ||
	    scan_field(t, s, pref, in->text, a, r, e) < 0)
		return -1;
	for (size_t i = 0; i < in->ntopics; i++)
		if (check_topic(t, s, r, in->topics[i], a, e) < 0)
			return -1;
	return 0;
}
