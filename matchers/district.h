/*
 * district.h: attributing a post to one of Chongqing's 41 reporting units
 * (38 district-level divisions and 3 functional zones), with the evidence.
 *
 * A compiled `struct gazetteer` is read-only and shared by all threads;
 * each thread brings its own `struct district_scratch`.
 *
 * Not for: I/O, storage.
 */
#ifndef KEPU_MATCHERS_DISTRICT_H
#define KEPU_MATCHERS_DISTRICT_H

#include <stddef.h>

#include "../util/arena.h"
#include "../util/err.h"

#define DISTRICT_UNITS 41

struct district_unit {
	const char *code;  /* GB/T 2260 code, or `cq-...` for a functional zone */
	const char *name;  /* the official name */
	const char *kind;  /* "district", "county", "autonomous_county", "zone" */
};

/* The 41 units in official order (codes ascending, zones last). */
const struct district_unit *district_units(void);
/* The unit with this code or name, NULL if none. */
const struct district_unit *district_find(const char *code_or_name);

struct gazetteer;
struct district_scratch;

int district_new(struct gazetteer **out, struct kerr *e);
void district_free(struct gazetteer *g);
struct district_scratch *district_scratch_new(const struct gazetteer *g);
void district_scratch_free(struct district_scratch *s);

struct district_input {
	const char *title, *text, *author_name, *author_location, *ip_location;
	const char *const *hashtags;
	size_t nhashtags;
};

struct district_result {
	const struct district_unit *unit; /* NULL: no unit */
	int in_chongqing;                 /* -1 unknown, 0, 1 */
	const char *method;               /* "author" "text" "profile" "ip" "none" */
	double confidence;                /* 0..1 */
	const char *evidence;             /* the text that decided; in the arena; NULL for none */
};

int district_attribute(const struct gazetteer *g, struct district_scratch *s,
		       const struct district_input *in, struct arena *a,
		       struct district_result *r, struct kerr *e);

#endif
