/*
 * platform.h: the platforms kepu knows, one row each: the name kepu stores,
 * the label people read, the names staff write in their sheets, the counts
 * the platform reports, and the page of a post.  Everything that lists
 * platforms (import, the store, the reports, the collector's feeds) reads
 * this table; adding a platform is one row in platform.c.
 *
 * Not for: how to talk to a platform (collector/'s adapters).
 */
#ifndef KEPU_MODEL_PLATFORM_H
#define KEPU_MODEL_PLATFORM_H

#include <stddef.h>

#include "post.h"

struct platform {
	const char *name;            /* what kepu stores: "weibo" */
	const char *label;           /* what people read: "微博" */
	const char *const *aliases;  /* as staff write it (NULL-terminated): "新浪微博" */
	unsigned counts;             /* bits of enum post_count the platform shows */
	const char *url;             /* a post's page, printf with one %s for its id; NULL: none */
	/* The Referer sent when downloading a work's cover from the platform's
	 * image servers, which refuse pictures to other sites (hotlink
	 * protection: platform.c says how each behaves); NULL: none sent. */
	const char *image_referer;
};

/* The platforms, "other" last. */
extern const struct platform platforms[];
extern const size_t nplatforms;

/* The platform named exactly name, or NULL. */
const struct platform *platform_find(const char *name);
/* The platform named s[0..n): its name in any letter case, or an alias. */
const struct platform *platform_parse(const char *s, size_t n);
/* The index of name in platforms[], or that of "other". */
size_t platform_index(const char *name);
/* The label of name, or name itself for one kepu does not know. */
const char *platform_label(const char *name);

#endif
