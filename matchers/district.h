/*
 * district.h: attributing a post to one of Chongqing's reporting units
 * (38 district-level divisions and 3 functional zones), with the evidence.
 *
 * The gazetteer is data (config/districts.json, compiled in as the default
 * and replaceable from the config), loaded by config/ into a
 * `struct district_data` and compiled here into one PCRE2 alternation of
 * every name, so each field is scanned once.  A compiled `struct gazetteer`
 * is read-only and shared by all threads; each thread brings its own
 * `struct district_scratch`.
 *
 * Evidence, strongest first: the account registry (config `accounts`), the
 * author name naming a unit as an institution, names in the title, text and
 * hashtags, the profile location (or Weibo's province/city codes), and the
 * IP location, which only says whether the post is in Chongqing.
 *
 * Not for: I/O, storage, parsing JSON.
 */
#ifndef KEPU_MATCHERS_DISTRICT_H
#define KEPU_MATCHERS_DISTRICT_H

#include <stddef.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/err.h"

/* One reporting unit.  All strings are owned by the struct district_data
 * (or the gazetteer's copy of it). */
struct district_unit {
	char *code;         /* GB/T 2260 code, or `cq-...` for a functional zone */
	char *name;         /* the official name */
	char *kind;         /* district, county, autonomous_county, zone */
	char **names;       /* former names and long forms: always the unit */
	size_t nnames;
	char **shorts;      /* short names: count only with context */
	size_t nshorts;
	char **ambiguous;   /* short names that are also words or other places */
	size_t nambiguous;
};

struct district_city_code {
	int city;           /* Weibo city code under province 50 */
	char *code;         /* unit code */
};

/* A place inside a unit that people name (config/places.json): a town or
 * street (乡、镇、街道, from the statistical division codes) or a landmark.
 * An ambiguous one (a name shared with places elsewhere or with words)
 * counts only when the post is otherwise about Chongqing. */
struct district_place {
	char *name;
	int unit;           /* index into units; -1: it spans units (names Chongqing only) */
	char *kind;         /* town, street, landmark */
	int ambiguous;
	int no_short;       /* its name without 镇/乡/街道 is a word or another place */
};

/* A regional group of units (config/districts.json `groups`): the
 * report ranks the units of each group among themselves.  A group may
 * belong to a larger region (中心城区 and 主城新区 to 主城都市区). */
struct district_group {
	char *id;           /* a short key: central, new, ... */
	char *name;         /* 中心城区 */
	char *region;       /* 主城都市区, or NULL */
	size_t *units;      /* indexes into the units, in gazetteer order */
	size_t nunits;
};

/* The gazetteer as data; config/ fills it, district_data_release() frees. */
struct district_data {
	struct district_unit *units;
	size_t nunits;
	struct district_group *groups; /* a unit is in at most one */
	size_t ngroups;
	struct district_city_code *city_codes;
	size_t ncity_codes;
	struct district_place *places;
	size_t nplaces;
};
void district_data_release(struct district_data *d);

/* An official account (config `accounts`): platform plus author id or
 * author name.  Strings are borrowed for district_new() only. */
struct district_account {
	const char *platform;
	const char *author_id;   /* NULL: match by name */
	const char *author_name; /* NULL: match by id */
	const char *unit;        /* code or name of a unit */
};

struct gazetteer;
struct district_scratch;

/* Compile the gazetteer from d (copied; d may be released afterwards).
 * An account naming an unknown unit is an error (KERR_USAGE). */
int district_new(struct gazetteer **out, const struct district_data *d,
		 const struct district_account *acc, size_t nacc, struct kerr *e);
void district_free(struct gazetteer *g);
struct district_scratch *district_scratch_new(const struct gazetteer *g);
void district_scratch_free(struct district_scratch *s);

/* The units in gazetteer order; borrowed from g. */
const struct district_unit *district_units(const struct gazetteer *g, size_t *n);
/* The regional groups in gazetteer order; borrowed from g. */
const struct district_group *district_groups(const struct gazetteer *g, size_t *n);
/* The unit with this code, official name or other name; NULL if none. */
const struct district_unit *district_lookup(const struct gazetteer *g, const char *code_or_name);
/*
 * The unit a person means by s, as the command line and the claims file
 * take it: its code, name or other name; else the one unit with s as a
 * short name (江津), or the one whose name begins with s.  0 with *out
 * set; -1 with why (for people, in English with the names) saying there
 * is no such unit, suggesting the unit one character away ("no unit
 * '江律' (did you mean 江津区?)"), or naming the units s could mean.
 */
int district_resolve(const struct gazetteer *g, const char *s, const struct district_unit **out, char *why,
		     size_t size);

struct district_input {
	const char *platform;
	const char *title, *text;
	const char *const *hashtags; /* from the tag matcher, topics included */
	size_t nhashtags;
	const char *author_id, *author_name, *author_location, *ip_location;
	int province_code, city_code; /* Weibo profile codes; 0 when unknown */
};

struct district_result {
	const struct district_unit *unit; /* NULL: no unit (borrowed from g) */
	int in_chongqing;                 /* -1 unknown, 0, 1 */
	const char *method;               /* account author text profile ip none (static) */
	double confidence;                /* 0..1 */
	const char *evidence;             /* in the arena; NULL for none */
};

/* Attribute one post.  When trace is not NULL, every piece of evidence
 * considered is appended to it, one line each (for `kepu district
 * explain`).  -1 only on ENOMEM or a PCRE2 failure. */
int district_attribute(const struct gazetteer *g, struct district_scratch *s,
		       const struct district_input *in, struct arena *a,
		       struct district_result *r, struct kbuf *trace, struct kerr *e);

#endif
