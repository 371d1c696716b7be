/*
 * review.c (config/): the `review` key: the configured flag rules of
 * content review, checked as strictly as the rest of kepu.json.
 *
 *   "review": {
 *     "flag_patterns": [{"pattern": "加微信|vx[:：]", "reason": "引流广告"}],
 *     "word_list": "review-words.txt"
 *   }
 *
 * Every pattern is compiled here once, so a pattern PCRE2 refuses stops
 * kepu at load with PCRE2's message and the key path.  The word list
 * (UTF-8, one word a line, blank lines and lines starting with '#'
 * skipped, surrounding spaces trimmed) is read here too, so every command
 * sees the same words and a bad line names FILE:LINE.
 */
#include "config.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/buf.h"
#include "../util/utf8.h"

#define WORD_LIST_MAX_BYTES (4 * 1024 * 1024)
#define WORD_MAX_CHARS 64
#define PATTERN_MAX_BYTES 1024

static const char *const review_keys[] = {"flag_patterns", "word_list", NULL};
static const char *const pattern_keys[] = {"pattern", "reason", NULL};

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static int load_patterns(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	size_t i, n;
	json_t *p;

	if (!json_is_array(v))
		return kerr_set(e, KERR_USAGE, "%s: review.flag_patterns: expected an array of objects", file);
	n = json_array_size(v);
	if (n > FLAGS_MAX_PATTERNS)
		return kerr_set(e, KERR_USAGE, "%s: review.flag_patterns: at most %d patterns", file,
				FLAGS_MAX_PATTERNS);
	if (n && !(c->flag_patterns = calloc(n, sizeof(*c->flag_patterns))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_array_foreach(v, i, p)
	{
		char where[64];
		char *pattern = NULL, *reason = NULL;

		snprintf(where, sizeof(where), "review.flag_patterns[%zu]", i);
		if (!json_is_object(p))
			return kerr_set(e, KERR_USAGE, "%s: %s: expected an object {\"pattern\", \"reason\"}", file,
					where);
		if (config_check_keys(p, pattern_keys, file, where, e) < 0)
			return -1;
		snprintf(where, sizeof(where), "review.flag_patterns[%zu].pattern", i);
		if (config_get_string(json_object_get(p, "pattern"), file, where, &pattern, e) < 0)
			return -1;
		c->flag_patterns[i].pattern = pattern;
		c->nflag_patterns++;
		if (strlen(pattern) > PATTERN_MAX_BYTES)
			return kerr_set(e, KERR_USAGE, "%s: %s: longer than %d bytes", file, where, PATTERN_MAX_BYTES);
		if (utf8_invalid_at(pattern, strlen(pattern)) >= 0)
			return kerr_set(e, KERR_USAGE, "%s: %s: not valid UTF-8", file, where);
		if (flags_pattern_check(pattern, e) < 0)
			return kerr_prefix(e, "%s: %s", file, where);
		snprintf(where, sizeof(where), "review.flag_patterns[%zu].reason", i);
		if (config_get_string(json_object_get(p, "reason"), file, where, &reason, e) < 0)
			return -1;
		c->flag_patterns[i].reason = reason;
	}
	return 0;
}

static int add_word(struct config *c, const char *w, size_t n, size_t *cap, struct kerr *e)
{
	if (c->nflag_words == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		char **nw = realloc(c->flag_words, nc * sizeof(*nw));
		if (!nw)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		c->flag_words = nw;
		*cap = nc;
	}
	if (!(c->flag_words[c->nflag_words] = strndup(w, n)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	c->nflag_words++;
	return 0;
}

/* Read the word list at c->word_list; where names it in messages. */
static int load_words(struct config *c, const char *file, struct kerr *e)
{
	const char *path = c->word_list;
	FILE *f;
	struct stat st;
	struct kbuf b;
	char chunk[65536];
	size_t n, cap = 0, lineno = 0;
	const char *s, *end;
	int rc = -1;

	/* fopen() opens a directory and fread() then fails: say what it is */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return kerr_set(e, KERR_USAGE, "%s: review.word_list: %s: is a directory", file, path);
	if (!(f = fopen(path, "rb")))
		return kerr_set(e, KERR_USAGE, "%s: review.word_list: cannot open %s: %s", file, path, strerror(errno));
	kbuf_init(&b, WORD_LIST_MAX_BYTES);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (kbuf_add(&b, chunk, n, e) < 0) {
			fclose(f);
			kbuf_release(&b);
			return kerr_set(e, KERR_USAGE, "%s: review.word_list: %s is larger than %d MiB", file, path,
					WORD_LIST_MAX_BYTES / (1024 * 1024));
		}
	if (ferror(f)) {
		fclose(f);
		kbuf_release(&b);
		return kerr_set(e, KERR_USAGE, "%s: review.word_list: cannot read %s", file, path);
	}
	fclose(f);
	s = b.data ? b.data : "";
	end = s + b.len;
	if (b.len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *a = s, *z = nl ? nl : end;

		lineno++;
		s = nl ? nl + 1 : end;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
			z--;
		if (a == z || *a == '#')
			continue;
		if (utf8_invalid_at(a, (size_t)(z - a)) >= 0) {
			kerr_set(e, KERR_USAGE, "%s: review.word_list: %s:%zu: not valid UTF-8", file, path, lineno);
			goto out;
		}
		if (utf8_chars(a, (size_t)(z - a)) > WORD_MAX_CHARS) {
			kerr_set(e, KERR_USAGE, "%s: review.word_list: %s:%zu: longer than %d characters", file, path,
				 lineno, WORD_MAX_CHARS);
			goto out;
		}
		if (c->nflag_words == FLAGS_MAX_WORDS) {
			kerr_set(e, KERR_USAGE, "%s: review.word_list: %s: more than %d words", file, path,
				 FLAGS_MAX_WORDS);
			goto out;
		}
		if (add_word(c, a, (size_t)(z - a), &cap, e) < 0)
			goto out;
	}
	rc = 0;
out:
	kbuf_release(&b);
	return rc;
}

int config_load_review(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	json_t *x;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: review: expected an object", file);
	if (config_check_keys(v, review_keys, file, "review", e) < 0)
		return -1;
	if ((x = json_object_get(v, "flag_patterns")) && load_patterns(c, x, file, e) < 0)
		return -1;
	if ((x = json_object_get(v, "word_list"))) {
		if (config_get_string(x, file, "review.word_list", &c->word_list, e) < 0)
			return -1;
		if (load_words(c, file, e) < 0)
			return -1;
	}
	return 0;
}

void config_release_review(struct config *c)
{
	for (size_t i = 0; i < c->nflag_patterns; i++) {
		free((char *)c->flag_patterns[i].pattern);
		free((char *)c->flag_patterns[i].reason);
	}
	free(c->flag_patterns);
	c->flag_patterns = NULL;
	c->nflag_patterns = 0;
	for (size_t i = 0; i < c->nflag_words; i++)
		free(c->flag_words[i]);
	free(c->flag_words);
	c->flag_words = NULL;
	c->nflag_words = 0;
	free(c->word_list);
	c->word_list = NULL;
}

void config_flag_rules(const struct config *c, struct flags_rules *r)
{
	r->patterns = c->flag_patterns;
	r->npatterns = c->nflag_patterns;
	r->words = (const char *const *)c->flag_words;
	r->nwords = c->nflag_words;
}
