/*
 * jsontaint.h (private to collector/): where a JSON text that jansson
 * accepts only leniently is ambiguous or odd.
 *
 * Platforms now and then send a page in which one item has a key twice
 * or a string with \u0000 in it.  jansson refuses such a page whole
 * unless told to be lenient, and then keeps the last of the duplicated
 * values silently.  This scan finds each such place as a JSON Pointer, so
 * the adapter can skip and report just the item it is in and keep the
 * rest of the page.
 *
 * Not for: validating JSON (jansson did; the scan assumes valid JSON).
 */
#ifndef KEPU_COLLECTOR_JSONTAINT_H
#define KEPU_COLLECTOR_JSONTAINT_H

#include <stddef.h>

#include "../util/arena.h"

struct json_taint {
	const char *where; /* JSON Pointer of the duplicated member or the string; in the arena */
	const char *what;  /* "duplicate key \"id\"", "a NUL character (\\u0000) in a string" */
};

struct json_taints {
	struct json_taint *v; /* in the arena */
	size_t n;
	int overflow; /* more places than are kept: judge the page as a whole */
};

/* Scan text (valid JSON) for duplicate keys and strings holding U+0000.
 * At most 10,000 places are kept (then overflow is set).  0, or -1 when out of memory. */
int json_taint_scan(const char *text, size_t len, struct arena *a, struct json_taints *out);

/* The first place at or under the pointer `at` (above = 0: in the value
 * there), or at or above it (above = 1: a place that makes the path to
 * `at` ambiguous); NULL when none. */
const struct json_taint *json_taint_find(const struct json_taints *t, const char *at, int above);

#endif
