/*
 * flags.h: the content-review flag rules: what in a post's text a person
 * must look at before the work is promoted.
 *
 * Built in, for privacy:
 *   mobile       a mainland mobile number 1[3-9]NNNNNNNNN that is not part
 *                of a longer run of digits;
 *   resident_id  an 18-character resident ID number (17 digits and a digit
 *                or X) not part of a longer run of digits, with a valid
 *                ISO 7064 MOD 11-2 check character and a plausible birth
 *                date (1900-01-01 to today);
 * configured (config `review`):
 *   pattern:<re> each PCRE2 pattern, with the reason the config gives;
 *   word         each word of the word list (caseless for Latin letters).
 * Every rule reads the normalized title and text (normalize.h: HTML
 * removed, full-width digits and letters folded, zero-width characters
 * dropped), so `１３８ ...` or a number split by an invisible character is
 * still found.
 *
 * What fired a privacy rule is reported masked (138****5678,
 * 5001**********123X), so the flag itself does not spread the data.
 *
 * A compiled `struct flags` is read-only after flags_new() and shared by
 * all threads; each thread brings its own `struct flags_scratch`.
 *
 * Not for: I/O (the config reads the word list), storage, review states.
 */
#ifndef KEPU_MATCHERS_FLAGS_H
#define KEPU_MATCHERS_FLAGS_H

#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/err.h"

#define FLAGS_MAX_HITS 16    /* per post; more are dropped */
#define FLAGS_MAX_MATCH 64   /* characters of a configured match that are kept */
#define FLAGS_MAX_PATTERNS 64
#define FLAGS_MAX_WORDS 10000

struct flags;
struct flags_scratch;

struct flags_pattern {
	const char *pattern; /* PCRE2, UTF and UCP on */
	const char *reason;
};

struct flags_rules {
	const struct flags_pattern *patterns;
	size_t npatterns;
	const char *const *words; /* UTF-8, matched literally */
	size_t nwords;
};

/* Compile the built-in rules and r's (r may be NULL: built-in only).  The
 * strings of r are copied.  Free with flags_free(). */
int flags_new(struct flags **out, const struct flags_rules *r, struct kerr *e);
void flags_free(struct flags *f);

struct flags_scratch *flags_scratch_new(const struct flags *f);
void flags_scratch_free(struct flags_scratch *s);

struct flags_hit {
	const char *rule;   /* owned by struct flags */
	const char *reason; /* owned by struct flags */
	const char *match;  /* in the arena passed to flags_scan(); masked for privacy rules */
};

struct flags_result {
	struct flags_hit hit[FLAGS_MAX_HITS]; /* in rule order; each (rule, match) once */
	size_t n;
};

/* Run every rule over title and text (either may be NULL; valid UTF-8).
 * -1 only when the arena runs out of memory or PCRE2 fails. */
int flags_scan(const struct flags *f, struct flags_scratch *s, const char *title, const char *text,
	       struct arena *a, struct flags_result *r, struct kerr *e);

/* Append text to out with every match of the privacy rules masked as in
 * their flags, for showing a post's text in review tools.  Returns 1 when
 * something was masked (out then holds the normalized text), 0 when
 * nothing was (out is left alone), -1 on error. */
int flags_mask_privacy(const struct flags *f, struct flags_scratch *s, const char *text, struct kbuf *out,
		       struct kerr *e);

/* Does pattern compile as a flag rule?  0, or -1 with PCRE2's message and
 * the offset in e (KERR_USAGE); for the config's validation. */
int flags_pattern_check(const char *pattern, struct kerr *e);

/* Is s[0..18) a resident ID number with a valid check character and a
 * birth date from 1900-01-01 to today_ymd (e.g. 20250915)?  For tests. */
int flags_resident_id_ok(const char *s, long today_ymd);

#endif
