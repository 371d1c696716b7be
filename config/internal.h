/*
 * internal.h (private to config/): the validation helpers config.c and
 * sources.c share.
 */
#ifndef KEPU_CONFIG_INTERNAL_H
#define KEPU_CONFIG_INTERNAL_H

#include <jansson.h>

#include "config.h"

/* Every key of obj must be in known (NULL-terminated); a typo gets a
 * "did you mean" suggestion.  where is the key path of obj. */
int config_check_keys(json_t *obj, const char *const *known, const char *file, const char *where,
		      struct kerr *e);
/* A non-empty string without NUL into *out (freeing what was there). */
int config_get_string(json_t *v, const char *file, const char *where, char **out, struct kerr *e);

int config_load_sources(struct config *c, json_t *v, const char *file, struct kerr *e);
void config_release_sources(struct config *c);

/* `review` (review.c): flag patterns and the word list, which it reads. */
int config_load_review(struct config *c, json_t *v, const char *file, struct kerr *e);
void config_release_review(struct config *c);

/* `summary` (summary.c): the summaries' wording, the built-in template with
 * the file of summary.template over it; v NULL: the built-in one alone. */
int config_load_summary(struct config *c, json_t *v, const char *file, struct kerr *e);

#endif
