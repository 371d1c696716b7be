/*
 * flags.c: the flag rules of content review (flags.h).
 *
 * Every rule is a PCRE2 pattern compiled once (JIT) and run over one
 * normalized copy of the post: title, a line break, text.  The resident
 * ID pattern only finds candidates; the check character and birth date
 * decide.  Word lists become alternations of literals, longest words
 * first, a few hundred words per pattern so no compiled pattern outgrows
 * PCRE2's size limit.  A configured pattern that hits PCRE2's match limit
 * on some text raises a flag rather than passing the text unseen.
 */
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/buf.h"
#include "../util/timefmt.h"
#include "normalize.h"
#include "regex.h"

#define WORDS_PER_PATTERN 256
#define MATCH_LIMIT 1000000

static const char mobile_re[] = "(?<![0-9])1[3-9][0-9]{9}(?![0-9])";
static const char resident_id_re[] = "(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])";

struct rule {
	pcre2_code *re;
	char *name;   /* owned */
	char *reason; /* owned */
};

struct flags {
	pcre2_code *mobile, *resident_id;
	struct rule pat[FLAGS_MAX_PATTERNS];
	size_t npat;
	pcre2_code **words; /* owned, nwords patterns */
	size_t nwords;
	pcre2_match_context *mctx;
	long today; /* YYYYMMDD, Beijing time, when compiled */
};

struct flags_scratch {
	pcre2_match_data *md;
	struct kbuf norm;
};

static const char rule_mobile[] = "mobile", reason_mobile[] = "a mainland mobile number (privacy)";
static const char rule_id[] = "resident_id", reason_id[] = "a resident ID number (privacy)";
static const char rule_word[] = "word", reason_word[] = "a word of the review word list";

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int flags_resident_id_ok(const char *s, long today_ymd)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long sum = 0, y = 0, m = 0, d = 0;
	char last;

	for (int i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * weight[i];
	}
	last = s[17] == 'x' ? 'X' : s[17];
	if (last != check[sum % 11])
		return 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	if (d > mdays[m - 1] + (m == 2 && is_leap(y)))
		return 0;
	return y * 10000 + m * 100 + d <= today_ymd;
}

static long today_beijing(void)
{
	time_t t = time(NULL) + KTIME_CST_OFFSET;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return 99991231;
	return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int flags_pattern_check(const char *pattern, struct kerr *e)
{
	pcre2_code *c = regex_compile(pattern, 0, "not a valid PCRE2", e);

	if (!c)
		return -1;
	pcre2_code_free(c);
	return 0;
}

static int by_length_desc(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	if (la != lb)
		return la < lb ? 1 : -1;
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The word list as alternations of WORDS_PER_PATTERN normalized literals. */
static int compile_words(struct flags *f, const char *const *words, size_t n, struct kerr *e)
{
	char **norm = calloc(n ? n : 1, sizeof(*norm));
	size_t nn = 0;
	struct kbuf b, re;
	int rc = -1;

	kbuf_init(&b, 64 * 1024);
	kbuf_init(&re, 4 * 1024 * 1024);
	if (!norm || !(f->words = calloc(n / WORDS_PER_PATTERN + 1, sizeof(*f->words)))) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		kbuf_reset(&b);
		const char *w = words[i];
		size_t wl = strlen(w);

		/* surrounding blanks are no part of a word; a blank word is none */
		while (wl && (*w == ' ' || *w == '\t'))
			w++, wl--;
		while (wl && (w[wl - 1] == ' ' || w[wl - 1] == '\t'))
			wl--;
		if (!wl)
			continue;
		if (text_normalize(w, wl, &b, e) < 0)
			goto out;
		if (!b.len)
			continue;
		if (!(norm[nn] = kbuf_detach(&b))) {
			kerr_set(e, KERR_NOMEM, "out of memory");
			goto out;
		}
		nn++;
	}
	qsort(norm, nn, sizeof(*norm), by_length_desc);
	for (size_t i = 0; i < nn; i += WORDS_PER_PATTERN) {
		kbuf_reset(&re);
		if (kbuf_adds(&re, "(?:", e) < 0)
			goto out;
		for (size_t k = i; k < nn && k < i + WORDS_PER_PATTERN; k++)
			if ((k > i && kbuf_addc(&re, '|', e) < 0) || regex_add_literal(&re, norm[k], e) < 0)
				goto out;
		if (kbuf_addc(&re, ')', e) < 0)
			goto out;
		if (!(f->words[f->nwords] = regex_compile(re.data, PCRE2_CASELESS, "word list", e)))
			goto out;
		f->nwords++;
	}
	rc = 0;
out:
	for (size_t i = 0; norm && i < nn; i++)
		free(norm[i]);
	free(norm);
	kbuf_release(&b);
	kbuf_release(&re);
	return rc;
}

int flags_new(struct flags **out, const struct flags_rules *r, struct kerr *e)
{
	struct flags *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	f->today = today_beijing();
	if (!(f->mctx = pcre2_match_context_create(NULL))) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto fail;
	}
	pcre2_set_match_limit(f->mctx, MATCH_LIMIT);
	if (!(f->mobile = regex_compile(mobile_re, 0, "mobile", e)) ||
	    !(f->resident_id = regex_compile(resident_id_re, 0, "resident id", e)))
		goto fail;
	if (r && r->npatterns > FLAGS_MAX_PATTERNS) {
		kerr_set(e, KERR_USAGE, "at most %d flag patterns", FLAGS_MAX_PATTERNS);
		goto fail;
	}
	if (r && r->nwords > FLAGS_MAX_WORDS) {
		kerr_set(e, KERR_USAGE, "at most %d words in the word list", FLAGS_MAX_WORDS);
		goto fail;
	}
	for (size_t i = 0; r && i < r->npatterns; i++) {
		struct rule *p = &f->pat[i];
		size_t len = strlen(r->patterns[i].pattern) + sizeof("pattern:");

		f->npat++;
		if (!(p->name = malloc(len)) ||
		    !(p->reason = strdup(r->patterns[i].reason ? r->patterns[i].reason : "a configured pattern"))) {
			kerr_set(e, KERR_NOMEM, "out of memory");
			goto fail;
		}
		snprintf(p->name, len, "pattern:%s", r->patterns[i].pattern);
		if (!(p->re = regex_compile(r->patterns[i].pattern, 0, "flag", e))) {
			kerr_prefix(e, "flag pattern %zu", i + 1);
			goto fail;
		}
	}
	if (r && r->nwords && compile_words(f, r->words, r->nwords, e) < 0)
		goto fail;
	*out = f;
	return 0;
fail:
	flags_free(f);
	return -1;
}

void flags_free(struct flags *f)
{
	if (!f)
		return;
	pcre2_code_free(f->mobile);
	pcre2_code_free(f->resident_id);
	for (size_t i = 0; i < f->npat; i++) {
		pcre2_code_free(f->pat[i].re);
		free(f->pat[i].name);
		free(f->pat[i].reason);
	}
	for (size_t i = 0; i < f->nwords; i++)
		pcre2_code_free(f->words[i]);
	free(f->words);
	pcre2_match_context_free(f->mctx);
	free(f);
}

struct flags_scratch *flags_scratch_new(const struct flags *f)
{
	struct flags_scratch *s = calloc(1, sizeof(*s));

	(void)f;
	if (!s)
		return NULL;
	/* only the whole match is read, whatever groups a pattern has */
	if (!(s->md = pcre2_match_data_create(1, NULL))) {
		free(s);
		return NULL;
	}
	kbuf_init(&s->norm, 16 * 1024 * 1024);
	return s;
}

void flags_scratch_free(struct flags_scratch *s)
{
	if (s) {
		pcre2_match_data_free(s->md);
		kbuf_release(&s->norm);
		free(s);
	}
}

/* Add a hit unless (rule, match) is there already or the list is full. */
static int add_hit(struct flags_result *r, const char *rule, const char *reason, const char *m, size_t n,
		   struct arena *a, struct kerr *e)
{
	char *copy;

	for (size_t i = 0; i < r->n; i++)
		if (r->hit[i].rule == rule && strlen(r->hit[i].match) == n && !memcmp(r->hit[i].match, m, n))
			return 0;
	if (r->n == FLAGS_MAX_HITS)
		return 0;
	if (!(copy = arena_strndup(a, m, n)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	r->hit[r->n].rule = rule;
	r->hit[r->n].reason = reason;
	r->hit[r->n].match = copy;
	r->n++;
	return 0;
}

/* The next match of re in txt at or after *off: 1 with [*m0, *m1), 0 at the
 * end, 2 when the match limit was hit, -1 on a PCRE2 error.  An empty
 * match is stepped over. */
static int next_match(const struct flags *f, struct flags_scratch *s, pcre2_code *re, const char *txt,
		      size_t len, size_t *off, size_t *m0, size_t *m1, struct kerr *e)
{
	while (*off <= len) {
		int rc = pcre2_match(re, (PCRE2_SPTR)txt, len, *off, PCRE2_NO_UTF_CHECK, s->md, f->mctx);
		PCRE2_SIZE *ov;

		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
			return 2;
		if (rc < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(rc, msg, sizeof(msg));
			return kerr_set(e, KERR_DATA, "flag rules: %s", (char *)msg);
		}
		ov = pcre2_get_ovector_pointer(s->md);
		*m0 = ov[0];
		*m1 = ov[1];
		if (*m1 > *m0) {
			*off = *m1;
			return 1;
		}
		/* empty: go on from the next character */
		*off = *m0 + 1;
		while (*off < len && ((unsigned char)txt[*off] & 0xC0) == 0x80)
			(*off)++;
	}
	return 0;
}

/* A configured match as people see it: line breaks as spaces, at most
 * FLAGS_MAX_MATCH characters. */
static int add_plain(struct flags_result *r, const char *rule, const char *reason, const char *m, size_t n,
		     struct arena *a, struct kerr *e)
{
	char buf[FLAGS_MAX_MATCH * 4 + 4];
	size_t o = 0, chars = 0;

	for (size_t i = 0; i < n && chars < FLAGS_MAX_MATCH;) {
		unsigned char c = (unsigned char)m[i];
		size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

		if (i + l > n)
			break;
		if (c < 0x20) {
			buf[o++] = ' ';
		} else {
			memcpy(buf + o, m + i, l);
			o += l;
		}
		i += l;
		chars++;
	}
	return add_hit(r, rule, reason, buf, o, a, e);
}

/* The masked forms: 138****5678 (11 bytes), 5001**********123X (18). */
static void mask_mobile(const char *m, char out[11])
{
	memcpy(out, m, 3);
	memcpy(out + 3, "****", 4);
	memcpy(out + 7, m + 7, 4);
}

static void mask_id(const char *m, char out[18])
{
	memcpy(out, m, 4);
	memset(out + 4, '*', 10);
	memcpy(out + 14, m + 14, 4);
	if (out[17] == 'x')
		out[17] = 'X';
}

int flags_mask_privacy(const struct flags *f, struct flags_scratch *s, const char *text, struct kbuf *out,
		       struct kerr *e)
{
	/* the matches of both rules, in order; they cannot overlap (each is
	 * bounded by non-digits) */
	size_t at[2 * FLAGS_MAX_HITS], end[2 * FLAGS_MAX_HITS], n = 0, off, m0, m1, last = 0;
	int kind[2 * FLAGS_MAX_HITS], rc;
	const char *txt;
	size_t len;

	if (!text)
		return 0;
	kbuf_reset(&s->norm);
	if (text_normalize(text, strlen(text), &s->norm, e) < 0)
		return -1;
	if (!s->norm.data)
		return 0;
	txt = s->norm.data;
	len = s->norm.len;
	for (int r = 0; r < 2; r++) {
		pcre2_code *re = r ? f->resident_id : f->mobile;
		for (off = 0; n < 2 * FLAGS_MAX_HITS && (rc = next_match(f, s, re, txt, len, &off, &m0, &m1, e)) == 1;) {
			if (r && !flags_resident_id_ok(txt + m0, f->today))
				continue;
			at[n] = m0;
			end[n] = m1;
			kind[n] = r;
			n++;
		}
		if (rc < 0)
			return -1;
	}
	if (!n)
		return 0;
	/* in text order: a few items, insertion sort */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && at[k] < at[k - 1]; k--) {
			size_t ta = at[k], te = end[k];
			int tk = kind[k];
			at[k] = at[k - 1], end[k] = end[k - 1], kind[k] = kind[k - 1];
			at[k - 1] = ta, end[k - 1] = te, kind[k - 1] = tk;
		}
	for (size_t i = 0; i < n; i++) {
		char m[18];
		if (kbuf_add(out, txt + last, at[i] - last, e) < 0)
			return -1;
		if (kind[i])
			mask_id(txt + at[i], m);
		else
			mask_mobile(txt + at[i], m);
		if (kbuf_add(out, m, kind[i] ? 18 : 11, e) < 0)
			return -1;
		last = end[i];
	}
	if (kbuf_add(out, txt + last, len - last, e) < 0)
		return -1;
	return 1;
}

int flags_scan(const struct flags *f, struct flags_scratch *s, const char *title, const char *text,
	       struct arena *a, struct flags_result *r, struct kerr *e)
{
	const char *txt;
	size_t len, off, m0, m1;
	int rc;

	r->n = 0;
	kbuf_reset(&s->norm);
	if ((title && text_normalize(title, strlen(title), &s->norm, e) < 0) || kbuf_addc(&s->norm, '\n', e) < 0 ||
	    (text && text_normalize(text, strlen(text), &s->norm, e) < 0))
		return -1;
	txt = s->norm.data;
	len = s->norm.len;

	for (off = 0; (rc = next_match(f, s, f->mobile, txt, len, &off, &m0, &m1, e)) == 1;) {
		char m[11];
		mask_mobile(txt + m0, m);
		if (add_hit(r, rule_mobile, reason_mobile, m, 11, a, e) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	for (off = 0; (rc = next_match(f, s, f->resident_id, txt, len, &off, &m0, &m1, e)) == 1;) {
		char m[18];
		if (!flags_resident_id_ok(txt + m0, f->today))
			continue;
		mask_id(txt + m0, m);
		if (add_hit(r, rule_id, reason_id, m, 18, a, e) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < f->npat; i++) {
		const struct rule *p = &f->pat[i];
		for (off = 0; (rc = next_match(f, s, p->re, txt, len, &off, &m0, &m1, e)) == 1;)
			if (add_plain(r, p->name, p->reason, txt + m0, m1 - m0, a, e) < 0)
				return -1;
		if (rc == 2) {
			static const char limit[] = "(the pattern's match limit was reached on this text)";
			if (add_hit(r, p->name, p->reason, limit, sizeof(limit) - 1, a, e) < 0)
				return -1;
		} else if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < f->nwords; i++) {
		for (off = 0; (rc = next_match(f, s, f->words[i], txt, len, &off, &m0, &m1, e)) == 1;)
			if (add_plain(r, rule_word, reason_word, txt + m0, m1 - m0, a, e) < 0)
				return -1;
		if (rc < 0)
			return -1;
	}
	return 0;
}
