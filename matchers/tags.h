/*
 * tags.h: finding the campaign tag in a post and extracting its hashtags.
 *
 * A compiled `struct tags` is read-only after tags_new() and shared by all
 * threads; each thread brings its own `struct tags_scratch` (PCRE2 match
 * data), so matching allocates nothing per post beyond the result strings.
 *
 * Not for: I/O, storage, districts.
 */
#ifndef KEPU_MATCHERS_TAGS_H
#define KEPU_MATCHERS_TAGS_H

#include <stddef.h>

#include "../util/arena.h"
#include "../util/err.h"

#define TAGS_MAX_HASHTAGS 64 /* per post; more are dropped */
#define TAGS_MAX_CAMPAIGN 16 /* configured campaign tags */

struct tags;
struct tags_scratch;

/* Compile the matchers for the configured campaign tags (canonical names,
 * matched case-insensitively, regex metacharacters taken literally).
 * Free with tags_free(). */
int tags_new(struct tags **out, const char *const *campaign, size_t n, struct kerr *e);
void tags_free(struct tags *t);

struct tags_scratch *tags_scratch_new(const struct tags *t);
void tags_scratch_free(struct tags_scratch *s);

struct tags_input {
	const char *title;         /* may be NULL */
	const char *text;          /* may be NULL */
	const char *const *topics; /* the platform's own topic list */
	size_t ntopics;
	const char *platform;      /* may be NULL */
};

struct tags_result {
	/* Every hashtag in order of appearance, each once; strings live in the
	 * arena passed to tags_scan(). */
	const char *hashtags[TAGS_MAX_HASHTAGS];
	size_t nhashtags;
	/* The campaign tags found, as canonical names owned by struct tags. */
	const char *campaign[TAGS_MAX_CAMPAIGN];
	size_t ncampaign;
};

/* Input strings must be valid UTF-8.  -1 only when the arena runs out of
 * memory or PCRE2 fails. */
int tags_scan(const struct tags *t, struct tags_scratch *s, const struct tags_input *in,
	      struct arena *a, struct tags_result *r, struct kerr *e);

#endif
