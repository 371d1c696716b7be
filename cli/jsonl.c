/* jsonl.c: see jsonl.h. */
#include "jsonl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/utf8.h"

#define MAX_LINE (1024 * 1024)

int jsonl_string(json_t *in, const char *key, const char **out, struct kerr *e)
{
	json_t *v = json_object_get(in, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return kerr_set(e, KERR_DATA, "%s: expected a string", key);
	*out = json_string_value(v);
	return 0;
}

int jsonl_strings(json_t *in, const char *key, const char ***out, size_t *n, struct kerr *e)
{
	json_t *v = json_object_get(in, key), *s;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return kerr_set(e, KERR_DATA, "%s: expected an array of strings", key);
	if (!(*out = calloc(json_array_size(v) + 1, sizeof(**out))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s)) {
			free(*out);
			*out = NULL;
			return kerr_set(e, KERR_DATA, "%s[%zu]: expected a string", key, i);
		}
		(*out)[i] = json_string_value(s);
	}
	*n = json_array_size(v);
	return 0;
}

int jsonl_known_keys(json_t *in, const char *const *known, struct kerr *e)
{
	const char *key;
	json_t *v;

	json_object_foreach(in, key, v)
	{
		size_t i;
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			return kerr_set(e, KERR_DATA, "unknown field '%.64s'", key);
	}
	return 0;
}

static void emit(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));

	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
}

static void line_error(const char *cmd, long line, const char *msg)
{
	json_t *o = json_object();

	json_object_set_new(o, "line", json_integer(line));
	json_object_set_new(o, "error", json_string(msg));
	emit(o);
	json_decref(o);
	fprintf(stderr, "kepu %s: <stdin>:%ld: %s\n", cmd, line, msg);
}

int jsonl_filter(const char *cmd, jsonl_fn fn, void *ctx)
{
	struct kbuf line;
	struct kerr e;
	long lineno = 0;
	int c, bad = 0, too_long = 0;

	kbuf_init(&line, MAX_LINE);
	for (;;) {
		c = getchar();
		if (c != EOF && c != '\n') {
			if (!too_long && kbuf_addc(&line, (char)c, NULL) < 0)
				too_long = 1;
			continue;
		}
		if (c == EOF && !line.len && !too_long)
			break;
		lineno++;
		kerr_clear(&e);
		if (too_long) {
			line_error(cmd, lineno, "line longer than 1 MiB");
			bad = 1;
		} else if (line.len && !(line.len == 1 && line.data[0] == '\r')) {
			json_error_t jerr;
			json_t *in = NULL, *out = NULL;
			long at;

			if (memchr(line.data, '\0', line.len))
				kerr_set(&e, KERR_DATA, "NUL byte in the line");
			else if ((at = utf8_invalid_at(line.data, line.len)) >= 0)
				kerr_set(&e, KERR_DATA, "invalid UTF-8 at byte %ld", at + 1);
			else if (!(in = json_loadb(line.data, line.len, JSON_REJECT_DUPLICATES, &jerr)))
				kerr_set(&e, KERR_DATA, "invalid JSON at column %d: %s", jerr.column, jerr.text);
			else if (!json_is_object(in))
				kerr_set(&e, KERR_DATA, "expected a JSON object");
			else
				out = fn(ctx, in, &e);
			if (out) {
				emit(out);
				json_decref(out);
			} else {
				line_error(cmd, lineno, e.msg[0] ? e.msg : "cannot process the line");
				bad = 1;
			}
			json_decref(in);
		} else {
			/* a blank line still gets its line of output, to keep lines aligned */
			line_error(cmd, lineno, "empty line");
			bad = 1;
		}
		kbuf_reset(&line);
		too_long = 0;
		if (c == EOF)
			break;
	}
	kbuf_release(&line);
	fflush(stdout);
	return bad ? 1 : 0;
}
