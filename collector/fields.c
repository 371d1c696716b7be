/* fields.c: see fields.h. */
#include "fields.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/count.h"
#include "../util/html.h"
#include "../util/timefmt.h"

/* A string, or a number kept exactly as text (ids beyond 2^53 included). */
const char *fields_text_of(json_t *v, struct arena *a)
{
	char num[32];

	if (json_is_string(v))
		return json_string_length(v) ? arena_strndup(a, json_string_value(v), json_string_length(v))
					     : NULL; /* "" is as good as absent */
	if (json_is_integer(v)) {
		int n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return arena_strndup(a, num, (size_t)n);
	}
	return NULL;
}

/* HTML to plain text, in the arena (the text can only shrink). */
const char *fields_plain_of(json_t *v, struct arena *a)
{
	struct kbuf b;
	size_t n;
	char *out;

	if (!json_is_string(v) || !(n = json_string_length(v)))
		return NULL;
	if (!memchr(json_string_value(v), '<', n) && !memchr(json_string_value(v), '&', n))
		return arena_strndup(a, json_string_value(v), n);
	if (!(out = arena_alloc(a, n + 1)))
		return NULL;
	/* a buffer over the arena's bytes: html_to_text never writes more than n */
	b.data = out;
	b.len = 0;
	b.alloc = n + 1;
	b.cap = n;
	if (html_to_text(json_string_value(v), n, &b, NULL) < 0)
		return NULL;
	return b.len ? out : NULL;
}

/* A count: integer, or a string the way platforms print it. */
int fields_count_of(struct post *p, int k, json_t *v, const char **why)
{
	int64_t x;
	int lb = 0;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0) {
			*why = "negative count";
			return -1;
		}
		x = json_integer_value(v);
	} else if (json_is_string(v)) {
		static const char *const units[] = {"次播放", "次观看", "播放", "观看"};
		const char *str = json_string_value(v);
		size_t n = json_string_length(v);
		/* Weibo's play counts: "345万次播放", "1.2万次观看" */
		for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			size_t ul = strlen(units[u]);
			if (n > ul && !memcmp(str + n - ul, units[u], ul)) {
				n -= ul;
				break;
			}
		}
		switch (kcount_parse(str, n, &x, &lb, why)) {
		case KCOUNT_EMPTY:
			return 0;
		case KCOUNT_BAD:
			return -1;
		case KCOUNT_OK:
			break;
		}
	} else if (json_is_real(v) && json_real_value(v) >= 0 && json_real_value(v) < 1e15) {
		x = (int64_t)json_real_value(v);
	} else {
		*why = json_is_real(v) ? "not a count (negative or too large)" : "expected a number or a count like 1.2万";
		return -1;
	}
	p->counts[k] = x;
	p->known |= 1u << k;
	if (lb)
		p->lower |= 1u << k;
	return 0;
}

/* A time: unix seconds (or ms), or a string in any format kepu reads. */
int fields_time_of(json_t *v, int64_t *t, const char **why)
{
	if (json_is_integer(v)) {
		char num[32];
		int n;
		if (json_integer_value(v) <= 0) {
			*why = "not a time";
			return -1;
		}
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return ktime_parse(num, (size_t)n, t, why);
	}
	if (json_is_string(v))
		return ktime_parse(json_string_value(v), json_string_length(v), t, why);
	*why = v ? "not a time" : "missing";
	return -1;
}

int fields_add_escaped(struct kbuf *b, const char *s, struct kerr *e)
{
	char *x = curl_easy_escape(NULL, s, 0);
	int rc;

	if (!x)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	rc = kbuf_adds(b, x, e);
	curl_free(x);
	return rc;
}

const char **fields_topics_alloc(struct arena *a, size_t n)
{
	return arena_alloc(a, (n + 1) * sizeof(const char *));
}


struct post *fields_new_post(struct parse *ps, const char *platform)
{
	struct post *p;

	if (ps->pg->nposts == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 32;
		struct post *np = arena_alloc(ps->a, nc * sizeof(*np));
		if (!np)
			return NULL;
		if (ps->pg->nposts)
			memcpy(np, ps->pg->posts, ps->pg->nposts * sizeof(*np));
		ps->pg->posts = np;
		ps->cap = nc;
	}
	p = &ps->pg->posts[ps->pg->nposts];
	memset(p, 0, sizeof(*p));
	p->platform = platform;
	p->in_chongqing = -1;
	return p;
}

int fields_bad_item(struct parse *ps, const char *fmt, const char *a1, const char *a2)
{
	char msg[512];
	struct bad_item *nb;

	snprintf(msg, sizeof(msg), fmt, a1, a2);
	nb = arena_alloc(ps->a, (ps->pg->nbad + 1) * sizeof(*nb));
	if (!nb)
		return -1;
	if (ps->pg->nbad)
		memcpy(nb, ps->pg->bad, ps->pg->nbad * sizeof(*nb));
	nb[ps->pg->nbad].index = ps->index;
	nb[ps->pg->nbad].msg = arena_strndup(ps->a, msg, strlen(msg));
	ps->pg->bad = nb;
	ps->pg->nbad++;
	return 0;
}

/* Is the item at the JSON Pointer fmt/i/k odd (a duplicate key or a NUL
 * inside it, or above it within `container`)?  Then it is reported and
 * skipped: 1.  0 when it is fine, -1 when out of memory. */
int fields_warn_item(struct page *pg, struct arena *a, long index, const char *msg)
{
	struct bad_item *nw = arena_alloc(a, (pg->nwarn + 1) * sizeof(*nw));

	if (!nw)
		return -1;
	if (pg->nwarn)
		memcpy(nw, pg->warn, pg->nwarn * sizeof(*nw));
	nw[pg->nwarn].index = index;
	if (!(nw[pg->nwarn].msg = arena_strndup(a, msg, strlen(msg))))
		return -1;
	pg->warn = nw;
	pg->nwarn++;
	return 0;
}

int fields_item_tainted(struct parse *ps, const char *container, const char *fmt, size_t i, size_t k)
{
	const struct json_taint *t;
	char at[512];

	if (!ps->taints || !ps->taints->n)
		return 0;
	snprintf(at, sizeof(at), fmt, i, k);
	if (!(t = json_taint_find(ps->taints, at, 0)) && container)
		t = json_taint_find(ps->taints, container, 1);
	if (!t)
		return 0;
	return fields_bad_item(ps, "%s at %s", t->what, t->where) < 0 ? -1 : 1;
}

/* The JSON type of v, for messages. */
const char *fields_type_name(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction or exponent";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* A post id: a non-empty string, or an integer kept exactly as text.  NULL
 * with *why set otherwise. */
const char *fields_id_of(json_t *v, struct arena *a, const char **why)
{
	static _Thread_local char msg[96];

	if (!v || json_is_null(v)) {
		*why = "missing";
		return NULL;
	}
	if (json_is_string(v) && !json_string_length(v)) {
		*why = "empty";
		return NULL;
	}
	if (json_is_string(v) && json_string_length(v) > 256) {
		*why = "longer than 256 bytes";
		return NULL;
	}
	if (json_is_string(v) || json_is_integer(v))
		return fields_text_of(v, a);
	snprintf(msg, sizeof(msg), "expected a string or integer, got %s", fields_type_name(v));
	*why = msg;
	return NULL;
}

/* Keep the post just filled in, or drop it with a message. */
int fields_finish(struct parse *ps, struct post *p, const char *why_field, const char *why)
{
	if (!why_field && (!p->post_id || !*p->post_id)) {
		why_field = "id"; /* the adapters check their id field first: a safety net */
		why = "missing";
	}
	if (why_field)
		return fields_bad_item(ps, "%s: %s", why_field, why);
	ps->pg->nposts++;
	return 0;
}

/* The post's page from its id (escaped: ids are the platform's, but a
 * page may carry anything). */
int fields_make_url(struct post *p, struct arena *a, const char *fmt)
{
	char u[1024], *id = curl_easy_escape(NULL, p->post_id, 0);
	int n;

	if (!id)
		return -1;
	n = snprintf(u, sizeof(u), fmt, id);
	curl_free(id);
	if (n < 0 || (size_t)n >= sizeof(u))
		return -1;
	return (p->url = arena_strndup(a, u, (size_t)n)) ? 0 : -1;
}


const char *fields_cookie_where(const struct source *s)
{
	static _Thread_local char buf[160];

	if (!s->cookie_env)
		return "an environment variable named by the source's cookie_env (it has none yet)";
	snprintf(buf, sizeof(buf), "$%s (cookie_env)", s->cookie_env);
	return buf;
}
