/*
 * jsonl.h: the loop shared by the JSON Lines filters (`kepu match`,
 * `kepu attribute`): read standard input a line at a time (1 MiB cap),
 * parse each line as a JSON object, hand it to the command, and write one
 * output line per input line, in order.  A bad line becomes
 * `{"line": N, "error": "..."}` on standard output and a message on
 * standard error; the other lines go on.
 */
#ifndef KEPU_CLI_JSONL_H
#define KEPU_CLI_JSONL_H

#include <jansson.h>

#include "../util/err.h"

/* Turn one input object into the output object (a new reference), or
 * return NULL with e set to what was wrong with the line. */
typedef json_t *(*jsonl_fn)(void *ctx, json_t *in, struct kerr *e);

/* Returns the exit status: 0, or 1 when some line was bad. */
int jsonl_filter(const char *cmd, jsonl_fn fn, void *ctx);

/* Field helpers: NULL when absent or null; -1 with e set for a wrong type. */
int jsonl_string(json_t *in, const char *key, const char **out, struct kerr *e);
/* An array of strings; *out is a malloc'd array of borrowed strings. */
int jsonl_strings(json_t *in, const char *key, const char ***out, size_t *n, struct kerr *e);
/* Check that every key of in is one of known (NULL-terminated). */
int jsonl_known_keys(json_t *in, const char *const *known, struct kerr *e);

#endif
