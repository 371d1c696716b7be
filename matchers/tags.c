/*
 * tags.c: campaign tag matching and hashtag extraction with PCRE2.
 *
 * A hashtag starts at `#` or `＃` that does not follow an ASCII letter,
 * digit, `/` or `&` (so URL fragments and HTML entities are not tags).
 * It runs until white space, a hash, or punctuation, and may carry the
 * Xiaohongshu marker `[话题]` and a closing hash (Weibo `#tag#`).  The
 * campaign tag must end there: `#千万IP创科普活动` is another tag.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "tags.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct tags {
	pcre2_code *hashtag;
	char *campaign[TAGS_MAX_CAMPAIGN]; /* owned canonical names */
	size_t ncampaign;
};

struct tags_scratch {
	pcre2_match_data *md;
};

/* Characters that end a tag: white space, hashes, brackets and the
 * punctuation Chinese and English posts put after one. */
#define STOP "\\s#\\x{FF03}\\[\\]<>，。！？、；：（）【】《》「」『』“”‘’…,.!?;:()\"'{}|\\\\@"

/* A character that may continue a tag. */
#define TAGCH "[^" STOP "\\p{So}\\p{Sk}\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\p{Z}]"

static const char hashtag_re[] =
	"(?<![A-Za-z0-9/&])[#\\x{FF03}]"
	"(" TAGCH "{1,64})"
	"(?:\\[话题\\])?"
	"(?!" TAGCH ")"
	"[#\\x{FF03}]?"; /* the closing hash of Weibo's #tag# */

int tags_new(struct tags **out, const char *const *campaign, size_t n, struct kerr *e)
{
	struct tags *t = calloc(1, sizeof(*t));
	int errcode;
	PCRE2_SIZE erroff;

	*out = NULL;
	if (!t)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (n > TAGS_MAX_CAMPAIGN) {
		tags_free(t);
		return kerr_set(e, KERR_USAGE, "at most %d campaign tags", TAGS_MAX_CAMPAIGN);
	}
	for (size_t i = 0; i < n; i++) {
		t->campaign[i] = strdup(campaign[i]);
		if (!t->campaign[i]) {
			tags_free(t);
			return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		t->ncampaign++;
	}
	t->hashtag = pcre2_compile((PCRE2_SPTR)hashtag_re, PCRE2_ZERO_TERMINATED,
				   PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &errcode, &erroff,
				   NULL);
	if (!t->hashtag) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		tags_free(t);
		return kerr_set(e, KERR_USAGE, "hashtag pattern: %s at %zu", (char *)msg,
				(size_t)erroff);
	}
	pcre2_jit_compile(t->hashtag, PCRE2_JIT_COMPLETE); /* without JIT it still works */
	*out = t;
	return 0;
}

void tags_free(struct tags *t)
{
	if (!t)
		return;
	pcre2_code_free(t->hashtag);
	for (size_t i = 0; i < t->ncampaign; i++)
		free(t->campaign[i]);
	free(t);
}

struct tags_scratch *tags_scratch_new(const struct tags *t)
{
	struct tags_scratch *s = calloc(1, sizeof(*s));

	if (s && !(s->md = pcre2_match_data_create_from_pattern(t->hashtag, NULL))) {
		free(s);
		s = NULL;
	}
	return s;
}

void tags_scratch_free(struct tags_scratch *s)
{
	if (s) {
		pcre2_match_data_free(s->md);
		free(s);
	}
}

/* ASCII case-insensitive equality of a[0..an) and b (NUL-terminated). */
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

/* Does s[0..n) hold at least one letter (any script)?  Letters other
 * than ASCII are all multi-byte in UTF-8, and every multi-byte character
 * kepu lets through the stop set is taken as one: digits-only tags like
 * `#2025` are what this rule is for. */
static int has_letter(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80)
			return 1;
	}
	return 0;
}

static void add_campaign(const struct tags *t, struct tags_result *r, const char *s, size_t n)
{
	for (size_t i = 0; i < t->ncampaign; i++) {
		if (!eq_nocase(s, n, t->campaign[i]))
			continue;
		for (size_t k = 0; k < r->ncampaign; k++)
			if (r->campaign[k] == t->campaign[i])
				return;
		r->campaign[r->ncampaign++] = t->campaign[i];
		return;
	}
}

static int scan_text(const struct tags *t, struct tags_scratch *s, const char *text,
		     struct arena *a, struct tags_result *r, struct kerr *e)
{
	size_t len = strlen(text), off = 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);

	while (off <= len) {
		int rc = pcre2_match(t->hashtag, (PCRE2_SPTR)text, len, off, PCRE2_NO_UTF_CHECK, s->md,
				     NULL);
		const char *tag;
		size_t tl, k;

		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return kerr_set(e, KERR_DATA, "hashtag match failed (%d)", rc);
		tag = text + ov[2];
		tl = ov[3] - ov[2];
		off = ov[1] > off ? ov[1] : off + 1;
		if (!has_letter(tag, tl))
			continue;
		add_campaign(t, r, tag, tl);
		for (k = 0; k < r->nhashtags; k++)
			if (eq_nocase(tag, tl, r->hashtags[k]))
				break;
		if (k < r->nhashtags || r->nhashtags == TAGS_MAX_HASHTAGS)
			continue;
		if (!(r->hashtags[r->nhashtags] = arena_strndup(a, tag, tl)))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		r->nhashtags++;
	}
	return 0;
}

/* A topic from the platform's list: strip `#`, `＃` and `[话题]` around it. */
static void check_topic(const struct tags *t, struct tags_result *r, const char *s)
{
	size_t n = strlen(s);
	static const char marker[] = "[话题]";
	size_t ml = sizeof(marker) - 1;

	for (;;) {
		if (n && (s[0] == '#' || s[0] == ' ')) {
			s++;
			n--;
		} else if (n >= 3 && !memcmp(s, "\xef\xbc\x83", 3)) {
			s += 3;
			n -= 3;
		} else
			break;
	}
	for (;;) {
		if (n && (s[n - 1] == '#' || s[n - 1] == ' '))
			n--;
		else if (n >= 3 && !memcmp(s + n - 3, "\xef\xbc\x83", 3))
			n -= 3;
		else if (n >= ml && !memcmp(s + n - ml, marker, ml))
			n -= ml;
		else
			break;
	}
	add_campaign(t, r, s, n);
}

int tags_scan(const struct tags *t, struct tags_scratch *s, const struct tags_input *in,
	      struct arena *a, struct tags_result *r, struct kerr *e)
{
	r->nhashtags = 0;
	r->ncampaign = 0;
	if (in->title && scan_text(t, s, in->title, a, r, e) < 0)
		return -1;
	if (in->text && scan_text(t, s, in->text, a, r, e) < 0)
		return -1;
	for (size_t i = 0; i < in->ntopics; i++)
		check_topic(t, r, in->topics[i]);
	return 0;
}
