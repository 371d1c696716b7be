/*
 * gazetteer.c: reading the gazetteer data file (config/districts.json)
 * and the list of places inside the units (config/places.json), both
 * compiled into kepu as the defaults and replaceable in the config, into
 * the matchers' struct district_data, with every error naming its key
 * path.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static int str_list(json_t *v, const char *src, const char *where, char ***out, size_t *n,
		    struct kerr *e)
{
	size_t i;
	json_t *s;

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an array of strings", src, where);
	if (!json_array_size(v))
		return 0;
	if (!(*out = calloc(json_array_size(v), sizeof(**out))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s) || !json_string_length(s))
			return kerr_set(e, KERR_USAGE, "%s: %s[%zu]: expected a non-empty string", src, where, i);
		if (!((*out)[i] = strdup(json_string_value(s))))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		(*n)++;
	}
	return 0;
}

static int get_str(json_t *o, const char *key, const char *src, const char *where, char **out,
		   struct kerr *e)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v) || !json_string_length(v))
		return kerr_set(e, KERR_USAGE, "%s: %s.%s: expected a non-empty string", src, where, key);
	return (*out = strdup(json_string_value(v))) ? 0 : kerr_set(e, KERR_NOMEM, "out of memory");
}

/* The first key of o that is not in known (NULL-terminated), or NULL. */
static const char *unknown_key(json_t *o, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
	{
		size_t k;
		for (k = 0; known[k] && strcmp(known[k], key); k++)
			;
		if (!known[k])
			return key;
	}
	return NULL;
}

static int parse_unit(json_t *u, struct district_unit *d, const char *src, size_t i, struct kerr *e)
{
	static const char *const known[] = {"id", "name", "kind", "names", "short", "ambiguous", NULL};
	char where[64], sub[96];
	const char *key;

	snprintf(where, sizeof(where), "units[%zu]", i);
	if (!json_is_object(u))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object", src, where);
	if ((key = unknown_key(u, known)))
		return kerr_set(e, KERR_USAGE, "%s: %s.%s: unknown key", src, where, key);
	if (get_str(u, "id", src, where, &d->code, e) < 0 || get_str(u, "name", src, where, &d->name, e) < 0 ||
	    get_str(u, "kind", src, where, &d->kind, e) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.names", where);
	if (str_list(json_object_get(u, "names"), src, sub, &d->names, &d->nnames, e) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.short", where);
	if (str_list(json_object_get(u, "short"), src, sub, &d->shorts, &d->nshorts, e) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.ambiguous", where);
	if (str_list(json_object_get(u, "ambiguous"), src, sub, &d->ambiguous, &d->nambiguous, e) < 0)
		return -1;
	for (size_t k = 0; k < d->nambiguous; k++) {
		size_t j;
		for (j = 0; j < d->nshorts && strcmp(d->shorts[j], d->ambiguous[k]); j++)
			;
		if (j == d->nshorts)
			return kerr_set(e, KERR_USAGE, "%s: %s.ambiguous[%zu]: '%s' is not one of its short names",
					src, where, k, d->ambiguous[k]);
	}
	return 0;
}

/*
 * places[i] (p) into the next of d->places.  0; 1 when its unit is not in
 * the gazetteer and !strict (the built-in list with another gazetteer:
 * its own units only), the place dropped; -1 with e set (what was read
 * counted in d->nplaces, for district_data_release()).
 */
static int parse_place(struct district_data *d, json_t *p, size_t i, const char *src, int strict, struct kerr *e)
{
	static const char *const known[] = {"name", "unit", "kind", "ambiguous", "short", "code", "why", NULL};
	struct district_place *x = &d->places[d->nplaces];
	const char *key, *unit;
	char where[64];
	json_t *v;
	size_t k;

	snprintf(where, sizeof(where), "places[%zu]", i);
	if (!json_is_object(p))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object", src, where);
	if ((key = unknown_key(p, known)))
		return kerr_set(e, KERR_USAGE, "%s: %s.%s: unknown key", src, where, key);
	if (get_str(p, "name", src, where, &x->name, e) < 0 || get_str(p, "kind", src, where, &x->kind, e) < 0) {
		free(x->name);
		x->name = NULL;
		return -1;
	}
	d->nplaces++;
	if (strcmp(x->kind, "town") && strcmp(x->kind, "street") && strcmp(x->kind, "landmark"))
		return kerr_set(e, KERR_USAGE, "%s: %s.kind: expected town, street or landmark, got '%s'", src, where,
				x->kind);
	v = json_object_get(p, "unit");
	if (json_is_null(v))
		x->unit = -1; /* spans units: names Chongqing, no unit */
	else if (!json_is_string(v))
		return kerr_set(e, KERR_USAGE,
				"%s: %s.unit: expected a unit's id, or null for a place that spans units", src, where);
	else {
		unit = json_string_value(v);
		for (k = 0; k < d->nunits && strcmp(d->units[k].code, unit) && strcmp(d->units[k].name, unit); k++)
			;
		if (k == d->nunits && !strict) {
			free(x->name);
			free(x->kind);
			memset(x, 0, sizeof(*x));
			d->nplaces--;
			return 1;
		}
		if (k == d->nunits)
			return kerr_set(e, KERR_USAGE, "%s: %s.unit: no unit '%s' in the gazetteer", src, where, unit);
		x->unit = (int)k;
	}
	v = json_object_get(p, "short");
	if (v && !json_is_boolean(v))
		return kerr_set(e, KERR_USAGE, "%s: %s.short: expected true or false", src, where);
	x->no_short = json_is_false(v);
	v = json_object_get(p, "ambiguous");
	if (v && !json_is_boolean(v))
		return kerr_set(e, KERR_USAGE, "%s: %s.ambiguous: expected true or false", src, where);
	x->ambiguous = json_is_true(v);
	return 0;
}

int places_parse(struct district_data *d, const char *json, size_t len, const char *src, int strict,
		 struct kerr *e)
{
	json_error_t jerr;
	json_t *root, *places, *p, *v;
	const char *key;
	size_t i;
	int ret = -1;

	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return kerr_set(e, KERR_USAGE, "%s:%d:%d: %s", src, jerr.line, jerr.column, jerr.text);
	places = json_object_get(root, "places");
	if (!json_is_object(root) || !json_is_array(places) || json_array_size(places) > 100000) {
		kerr_set(e, KERR_USAGE, "%s: expected {\"places\": [{\"name\", \"unit\", \"kind\", \"ambiguous\"}, ...]}", src);
		goto out;
	}
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "comment") && strcmp(key, "places")) {
			kerr_set(e, KERR_USAGE, "%s: %s: unknown key (known keys: comment, places)", src, key);
			goto out;
		}
	}
	if (json_array_size(places) && !(d->places = calloc(json_array_size(places), sizeof(*d->places)))) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(places, i, p)
	{
		if (parse_place(d, p, i, src, strict, e) < 0)
			goto out;
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

/* weibo_city_codes (codes, may be NULL): Weibo's city code -> a unit's
 * id.  0, or -1 with e set. */
static int parse_city_codes(struct district_data *d, json_t *codes, const char *src, struct kerr *e)
{
	const char *key;
	json_t *v;

	if (codes && !json_is_object(codes))
		return kerr_set(e, KERR_USAGE, "%s: weibo_city_codes: expected an object of city code -> unit id", src);
	if (codes && json_object_size(codes) &&
	    !(d->city_codes = calloc(json_object_size(codes), sizeof(*d->city_codes))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_object_foreach(codes, key, v)
	{
		char *end;
		long city = strtol(key, &end, 10);
		size_t k;

		if (*end || city <= 0 || city > 100000 || !json_is_string(v))
			return kerr_set(e, KERR_USAGE, "%s: weibo_city_codes.%s: expected a numeric key and a unit id",
					src, key);
		for (k = 0; k < d->nunits && strcmp(d->units[k].code, json_string_value(v)); k++)
			;
		if (k == d->nunits)
			return kerr_set(e, KERR_USAGE, "%s: weibo_city_codes.%s: no unit '%s'", src, key,
					json_string_value(v));
		d->city_codes[d->ncity_codes].city = (int)city;
		if (!(d->city_codes[d->ncity_codes].code = strdup(json_string_value(v))))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		d->ncity_codes++;
	}
	return 0;
}

/* The unit with this id or name, or -1. */
static long unit_named(const struct district_data *d, const char *s)
{
	for (size_t k = 0; k < d->nunits; k++)
		if (!strcmp(d->units[k].code, s) || !strcmp(d->units[k].name, s))
			return (long)k;
	return -1;
}

/* groups[i] (v) into d->groups[i]; in[k] is the group already holding
 * unit k (-1: none). */
static int parse_group(struct district_data *d, json_t *v, size_t i, long *in, const char *src, struct kerr *e)
{
	static const char *const known[] = {"id", "name", "region", "units", NULL};
	struct district_group *g = &d->groups[d->ngroups++];
	char where[64];
	const char *key;
	json_t *units, *u, *r;
	size_t k;

	snprintf(where, sizeof(where), "groups[%zu]", i);
	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object", src, where);
	if ((key = unknown_key(v, known)))
		return kerr_set(e, KERR_USAGE, "%s: %s.%s: unknown key", src, where, key);
	if (get_str(v, "id", src, where, &g->id, e) < 0 || get_str(v, "name", src, where, &g->name, e) < 0)
		return -1;
	if ((r = json_object_get(v, "region")) && get_str(v, "region", src, where, &g->region, e) < 0)
		return -1;
	units = json_object_get(v, "units");
	if (!json_is_array(units) || !json_array_size(units))
		return kerr_set(e, KERR_USAGE, "%s: %s.units: expected a non-empty array of unit ids", src, where);
	if (!(g->units = calloc(json_array_size(units), sizeof(*g->units))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_array_foreach(units, k, u)
	{
		long x = json_is_string(u) ? unit_named(d, json_string_value(u)) : -1;
		if (x < 0)
			return kerr_set(e, KERR_USAGE, "%s: %s.units[%zu]: no such unit in the gazetteer", src, where, k);
		if (in[x] >= 0)
			return kerr_set(e, KERR_USAGE, "%s: %s.units[%zu]: '%s' is already in groups[%ld]", src, where, k,
					d->units[x].name, in[x]);
		in[x] = (long)i;
		g->units[g->nunits++] = (size_t)x;
	}
	return 0;
}

/* groups (v, may be NULL): the regional groups, each unit in one at most. */
static int parse_groups(struct district_data *d, json_t *v, const char *src, struct kerr *e)
{
	long *in;
	size_t i;
	json_t *g;
	int rc = 0;

	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > 1000)
		return kerr_set(e, KERR_USAGE, "%s: groups: expected an array of {\"id\", \"name\", \"units\"}", src);
	if (!json_array_size(v))
		return 0;
	d->groups = calloc(json_array_size(v), sizeof(*d->groups));
	in = malloc(d->nunits * sizeof(*in));
	if (!d->groups || !in) {
		free(in);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	for (size_t k = 0; k < d->nunits; k++)
		in[k] = -1;
	json_array_foreach(v, i, g)
	{
		if (rc == 0)
			rc = parse_group(d, g, i, in, src, e);
	}
	free(in);
	return rc;
}

int gazetteer_parse(struct district_data *d, const char *json, size_t len, const char *src,
		    struct kerr *e)
{
	json_error_t jerr;
	json_t *root, *units, *v;
	const char *key;
	size_t i;
	int ret = -1;

	memset(d, 0, sizeof(*d));
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return kerr_set(e, KERR_USAGE, "%s:%d:%d: %s", src, jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		kerr_set(e, KERR_USAGE, "%s: expected a JSON object at the top", src);
		goto out;
	}
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "comment") && strcmp(key, "units") && strcmp(key, "groups") &&
		    strcmp(key, "weibo_city_codes")) {
			kerr_set(e, KERR_USAGE, "%s: %s: unknown key (known keys: comment, units, groups, weibo_city_codes)",
				 src, key);
			goto out;
		}
	}
	units = json_object_get(root, "units");
	if (!json_is_array(units) || !json_array_size(units) || json_array_size(units) > 1000) {
		kerr_set(e, KERR_USAGE, "%s: units: expected an array of 1 to 1000 units", src);
		goto out;
	}
	if (!(d->units = calloc(json_array_size(units), sizeof(*d->units)))) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	json_array_foreach(units, i, v)
	{
		d->nunits++;
		if (parse_unit(v, &d->units[i], src, i, e) < 0)
			goto out;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(d->units[k].code, d->units[i].code) || !strcmp(d->units[k].name, d->units[i].name)) {
				kerr_set(e, KERR_USAGE, "%s: units[%zu]: id or name repeats units[%zu]", src, i, k);
				goto out;
			}
	}
	if (parse_city_codes(d, json_object_get(root, "weibo_city_codes"), src, e) < 0 ||
	    parse_groups(d, json_object_get(root, "groups"), src, e) < 0)
		goto out;
	ret = 0;
out:
	json_decref(root);
	if (ret < 0)
		district_data_release(d);
	return ret;
}
