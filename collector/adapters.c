/*
 * adapters.c: the platforms' response formats (Weibo's m.weibo.cn search,
 * Bilibili's video search, Douyin's web search, and generic JSON feeds
 * described in the config) turned into normalized posts.
 *
 * Field types vary in the wild, so every reader accepts what platforms
 * are seen to send: ids as strings or numbers (kept as text, never as a
 * double), counts as numbers or as "1.2万" / "100万+" strings, HTML in
 * titles and texts (stored as plain text).
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/count.h"
#include "../util/html.h"
#include "../util/redact.h"
#include "../util/timefmt.h"
#include "adapter.h"
#include "jsontaint.h"

json_t *json_pointer(json_t *root, const char *ptr)
{
	json_t *cur = root;
	char tok[256];

	if (!ptr || !*ptr)
		return root;
	if (*ptr != '/')
		return NULL;
	while (cur && *ptr == '/') {
		size_t n = 0;
		ptr++;
		while (*ptr && *ptr != '/' && n < sizeof(tok) - 1) {
			if (*ptr == '~' && (ptr[1] == '0' || ptr[1] == '1')) {
				tok[n++] = ptr[1] == '0' ? '~' : '/';
				ptr += 2;
			} else
				tok[n++] = *ptr++;
		}
		tok[n] = '\0';
		if (json_is_object(cur))
			cur = json_object_get(cur, tok);
		else if (json_is_array(cur)) {
			char *end;
			unsigned long i = strtoul(tok, &end, 10);
			cur = (*tok && !*end && (tok[0] != '0' || !tok[1])) ? json_array_get(cur, i) : NULL;
		} else
			cur = NULL;
	}
	return cur;
}

/* ---- URLs ---- */

static int add_escaped(struct kbuf *b, const char *s, struct kerr *e)
{
	char *x = curl_easy_escape(NULL, s, 0);
	int rc;

	if (!x)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	rc = kbuf_adds(b, x, e);
	curl_free(x);
	return rc;
}

static int generic_url(const struct source *s, const struct page_pos *pos, struct kbuf *url,
		       struct redact *secrets, struct kerr *e)
{
	for (const char *p = s->url; *p;) {
		const char *close;
		if (*p != '{' || !(close = strchr(p, '}'))) {
			if (kbuf_addc(url, *p++, e) < 0)
				return -1;
			continue;
		}
		size_t n = (size_t)(close - p - 1);
		const char *name = p + 1;
		int rc;
		if (n == 8 && !memcmp(name, "base_url", 8))
			rc = kbuf_adds(url, s->base_url, e);
		else if (n == 4 && !memcmp(name, "page", 4))
			rc = kbuf_addf(url, e, "%ld", pos->page);
		else if (n == 4 && !memcmp(name, "size", 4))
			rc = kbuf_addf(url, e, "%d", s->page_size);
		else if (n == 6 && !memcmp(name, "cursor", 6))
			rc = add_escaped(url, pos->cursor, e);
		else if (n == 5 && !memcmp(name, "query", 5))
			rc = add_escaped(url, s->query ? s->query : "", e);
		else if (n > 4 && !memcmp(name, "env:", 4)) {
			char var[128];
			const char *v;
			snprintf(var, sizeof(var), "%.*s", (int)(n - 4), name + 4);
			if (!(v = getenv(var)) || !*v)
				return kerr_set(e, KERR_USAGE, "environment variable %s is not set", var);
			if (secrets && redact_add(secrets, v, e) < 0)
				return -1;
			rc = add_escaped(url, v, e);
		} else
			return kerr_set(e, KERR_USAGE, "url: unknown placeholder {%.*s}", (int)n, name);
		if (rc < 0)
			return -1;
		p = close + 1;
	}
	return 0;
}

int adapter_url(const struct source *s, const struct page_pos *pos, struct kbuf *url, struct redact *secrets,
		struct kerr *e)
{
	kbuf_reset(url);
	switch (s->kind) {
	case SOURCE_WEIBO:
		return kbuf_addf(url, e, "%s/api/container/getIndex?containerid=100103type%%3D61%%26q%%3D",
				 s->base_url) < 0 ||
			       add_escaped(url, s->query, e) < 0 ||
			       kbuf_addf(url, e, "&page_type=searchall&page=%ld", pos->page) < 0
			   ? -1
			   : 0;
	case SOURCE_BILIBILI:
		if (kbuf_addf(url, e, "%s/x/web-interface/search/type?search_type=video&keyword=", s->base_url) < 0 ||
		    add_escaped(url, s->query, e) < 0 ||
		    kbuf_addf(url, e, "&order=pubdate&page=%ld", pos->page) < 0)
			return -1;
		if (pos->day_begin &&
		    kbuf_addf(url, e, "&pubtime_begin_s=%" PRId64 "&pubtime_end_s=%" PRId64, pos->day_begin,
			      pos->day_end) < 0)
			return -1;
		return 0;
	case SOURCE_DOUYIN:
		return kbuf_addf(url, e, "%s/aweme/v1/web/general/search/single/?keyword=", s->base_url) < 0 ||
			       add_escaped(url, s->query, e) < 0 ||
			       kbuf_addf(url, e, "&offset=%s&count=20", pos->cursor[0] ? pos->cursor : "0") < 0
			   ? -1
			   : 0;
	case SOURCE_GENERIC:
		return generic_url(s, pos, url, secrets, e);
	}
	return kerr_set(e, KERR_USAGE, "unknown source kind");
}

/* ---- field readers ---- */

/* A string, or a number kept exactly as text (ids beyond 2^53 included). */
static const char *text_of(json_t *v, struct arena *a)
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
static const char *plain_of(json_t *v, struct arena *a)
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
static int count_of(struct post *p, int k, json_t *v, const char **why)
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
		switch (kcount_parse(json_string_value(v), json_string_length(v), &x, &lb, why)) {
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
		*why = "not a count";
		return -1;
	}
	p->counts[k] = x;
	p->known |= 1u << k;
	if (lb)
		p->lower |= 1u << k;
	return 0;
}

/* A time: unix seconds (or ms), or a string in any format kepu reads. */
static int time_of(json_t *v, int64_t *t, const char **why)
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

static const char **topics_alloc(struct arena *a, size_t n)
{
	return arena_alloc(a, (n + 1) * sizeof(const char *));
}

struct parse {
	struct arena *a;
	struct page *pg;
	size_t cap;
	long index;
	const struct json_taints *taints; /* duplicate keys and NULs in the page (jsontaint.h) */
	char items_fmt[300];              /* a generic feed's items as a pointer format: "/data/list/%zu" */
};

static struct post *new_post(struct parse *ps, const char *platform)
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

static int bad_item(struct parse *ps, const char *fmt, const char *a1, const char *a2)
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
static int item_tainted(struct parse *ps, const char *container, const char *fmt, size_t i, size_t k)
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
	return bad_item(ps, "%s at %s", t->what, t->where) < 0 ? -1 : 1;
}

/* The JSON type of v, for messages. */
static const char *type_name(json_t *v)
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
static const char *id_of(json_t *v, struct arena *a, const char **why)
{
	static __thread char msg[96];

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
		return text_of(v, a);
	snprintf(msg, sizeof(msg), "expected a string or integer, got %s", type_name(v));
	*why = msg;
	return NULL;
}

/* Keep the post just filled in, or drop it with a message. */
static int finish(struct parse *ps, struct post *p, const char *why_field, const char *why)
{
	if (!why_field && (!p->post_id || !*p->post_id)) {
		why_field = "id"; /* the adapters check their id field first: a safety net */
		why = "missing";
	}
	if (why_field)
		return bad_item(ps, "%s: %s", why_field, why);
	ps->pg->nposts++;
	return 0;
}

/* The post's page from its id (escaped: ids are the platform's, but a
 * page may carry anything). */
static int make_url(struct post *p, struct arena *a, const char *fmt)
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

/* ---- Weibo ---- */

static int weibo_mblog(struct parse *ps, json_t *m)
{
	struct post *p = new_post(ps, "weibo");
	json_t *user = json_object_get(m, "user"), *ts = json_object_get(m, "topic_struct"), *t;
	const char *why = NULL, *field = NULL, *region;
	size_t i;

	if (!p)
		return -1;
	if (!(p->post_id = id_of(json_object_get(m, "id"), ps->a, &why)))
		field = "id";
	p->text = plain_of(json_object_get(m, "text"), ps->a);
	if (!field && time_of(json_object_get(m, "created_at"), &p->created_at, &why) < 0)
		field = "created_at";
	if (!field && count_of(p, PC_SHARES, json_object_get(m, "reposts_count"), &why) < 0)
		field = "reposts_count";
	if (!field && count_of(p, PC_COMMENTS, json_object_get(m, "comments_count"), &why) < 0)
		field = "comments_count";
	if (!field && count_of(p, PC_LIKES, json_object_get(m, "attitudes_count"), &why) < 0)
		field = "attitudes_count";
	if ((region = json_string_value(json_object_get(m, "region_name"))))
		p->ip_location = arena_strndup(ps->a, region, strlen(region));
	if (json_is_object(user)) {
		p->author_id = text_of(json_object_get(user, "id"), ps->a);
		p->author_name = text_of(json_object_get(user, "screen_name"), ps->a);
		p->author_location = text_of(json_object_get(user, "location"), ps->a);
		if (json_is_integer(json_object_get(user, "province")))
			p->province_code = (int)json_integer_value(json_object_get(user, "province"));
		if (json_is_integer(json_object_get(user, "city")))
			p->city_code = (int)json_integer_value(json_object_get(user, "city"));
	}
	if (json_is_array(ts) && (p->topics = topics_alloc(ps->a, json_array_size(ts)))) {
		json_array_foreach(ts, i, t)
		{
			const char *title = text_of(json_object_get(t, "topic_title"), ps->a);
			if (title)
				p->topics[p->ntopics++] = title;
		}
	}
	if (p->post_id && make_url(p, ps->a, "https://m.weibo.cn/detail/%s") < 0)
		return -1;
	return finish(ps, p, field, why);
}

static int parse_weibo(json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *ok = json_object_get(root, "ok"), *cards, *c;
	size_t i;

	if (!json_is_integer(ok))
		return kerr_set(e, KERR_DATA, "not a Weibo search response (no \"ok\")");
	if (json_integer_value(ok) == -100) {
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Weibo asks for a captcha (ok=-100); log in again in a browser and "
				"refresh the cookie in the source's cookie_env");
	}
	cards = json_object_get(json_object_get(root, "data"), "cards");
	if (json_integer_value(ok) != 1) {
		if (json_integer_value(ok) == 0 && !json_array_size(cards))
			return 0; /* no more results */
		return kerr_set(e, KERR_DATA, "Weibo answered ok=%" JSON_INTEGER_FORMAT ": %s",
				json_integer_value(ok),
				json_string_value(json_object_get(root, "msg")) ? json_string_value(json_object_get(root, "msg")) : "no message");
	}
	if (cards && !json_is_array(cards))
		return kerr_set(e, KERR_DATA, "data.cards: expected an array");
	json_array_foreach(cards, i, c)
	{
		json_t *group = json_object_get(c, "card_group"), *g;
		size_t k;
		char gp[64];
		int t;
		if (json_integer_value(json_object_get(c, "card_type")) == 9 && json_object_get(c, "mblog")) {
			ps->index++;
			if ((t = item_tainted(ps, NULL, "/data/cards/%zu", i, 0)) < 0 ||
			    (!t && weibo_mblog(ps, json_object_get(c, "mblog")) < 0))
				return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		snprintf(gp, sizeof(gp), "/data/cards/%zu/card_group", i);
		json_array_foreach(group, k, g)
		{
			if (json_integer_value(json_object_get(g, "card_type")) == 9 && json_object_get(g, "mblog")) {
				ps->index++;
				if ((t = item_tainted(ps, gp, "/data/cards/%zu/card_group/%zu", i, k)) < 0 ||
				    (!t && weibo_mblog(ps, json_object_get(g, "mblog")) < 0))
					return kerr_set(e, KERR_NOMEM, "out of memory");
			}
		}
	}
	ps->pg->more = json_array_size(cards) > 0;
	return 0;
}

/* ---- Bilibili ---- */

static int parse_bilibili(json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *code = json_object_get(root, "code"), *data, *result, *v;
	size_t i;

	if (!json_is_integer(code))
		return kerr_set(e, KERR_DATA, "not a Bilibili response (no \"code\")");
	if (json_integer_value(code) == -412) {
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked by Bilibili's risk control (code -412); wait, lower the rate "
				"(min_interval_ms) or refresh the cookie in cookie_env");
	}
	if (json_integer_value(code) != 0)
		return kerr_set(e, KERR_DATA, "Bilibili answered code %" JSON_INTEGER_FORMAT ": %s",
				json_integer_value(code),
				json_string_value(json_object_get(root, "message")) ? json_string_value(json_object_get(root, "message")) : "no message");
	data = json_object_get(root, "data");
	result = json_object_get(data, "result");
	if (result && !json_is_array(result))
		return kerr_set(e, KERR_DATA, "data.result: expected an array");
	json_array_foreach(result, i, v)
	{
		struct post *p;
		const char *why = NULL, *field = NULL, *tag;
		int t;

		ps->index++;
		if ((t = item_tainted(ps, NULL, "/data/result/%zu", i, 0)) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (t)
			continue;
		if (!(p = new_post(ps, "bilibili")))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (!(p->post_id = id_of(json_object_get(v, "bvid"), ps->a, &why)))
			field = "bvid";
		p->title = plain_of(json_object_get(v, "title"), ps->a);
		p->text = plain_of(json_object_get(v, "description"), ps->a);
		p->author_name = text_of(json_object_get(v, "author"), ps->a);
		p->author_id = text_of(json_object_get(v, "mid"), ps->a);
		if (!field && time_of(json_object_get(v, "pubdate"), &p->created_at, &why) < 0)
			field = "pubdate";
		if (!field && count_of(p, PC_VIEWS, json_object_get(v, "play"), &why) < 0)
			field = "play";
		if (!field && count_of(p, PC_LIKES, json_object_get(v, "like"), &why) < 0)
			field = "like";
		if (!field && count_of(p, PC_FAVORITES, json_object_get(v, "favorites"), &why) < 0)
			field = "favorites";
		if (!field && count_of(p, PC_COMMENTS, json_object_get(v, "review"), &why) < 0)
			field = "review";
		if ((tag = json_string_value(json_object_get(v, "tag"))) && *tag) {
			size_t n = 1;
			for (const char *q = tag; *q; q++)
				n += *q == ',';
			if ((p->topics = topics_alloc(ps->a, n))) {
				for (const char *q = tag; *q;) {
					size_t l = strcspn(q, ",");
					if (l && (p->topics[p->ntopics] = arena_strndup(ps->a, q, l)))
						p->ntopics++;
					q += l + (q[l] == ',');
				}
			}
		}
		if (p->post_id && make_url(p, ps->a, "https://www.bilibili.com/video/%s") < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (finish(ps, p, field, why) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	{
		json_t *page = json_object_get(data, "page"), *pages = json_object_get(data, "numPages");
		ps->pg->more = json_array_size(result) > 0 &&
			       (!json_is_integer(page) || !json_is_integer(pages) ||
				json_integer_value(page) < json_integer_value(pages));
	}
	return 0;
}

/* ---- Douyin ---- */

static int parse_douyin(json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *sc = json_object_get(root, "status_code"), *data, *item, *cursor;
	size_t i;

	if (!json_is_integer(sc))
		return kerr_set(e, KERR_DATA, "not a Douyin response (no \"status_code\")");
	if (json_integer_value(sc) != 0) {
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"Douyin refused the search (status_code %" JSON_INTEGER_FORMAT ": %s); the cookie in "
				"cookie_env may need refreshing or the rate lowering",
				json_integer_value(sc),
				json_string_value(json_object_get(root, "status_msg")) ? json_string_value(json_object_get(root, "status_msg")) : "no message");
	}
	data = json_object_get(root, "data");
	if (data && !json_is_array(data))
		return kerr_set(e, KERR_DATA, "data: expected an array");
	json_array_foreach(data, i, item)
	{
		json_t *aw = json_object_get(item, "aweme_info"), *st, *au, *te, *t;
		struct post *p;
		const char *why = NULL, *field = NULL;
		size_t k;
		int odd;

		if (!json_is_object(aw))
			continue; /* users, music, ads: not videos */
		ps->index++;
		if ((odd = item_tainted(ps, NULL, "/data/%zu", i, 0)) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (odd)
			continue;
		if (!(p = new_post(ps, "douyin")))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		st = json_object_get(aw, "statistics");
		au = json_object_get(aw, "author");
		te = json_object_get(aw, "text_extra");
		if (!(p->post_id = id_of(json_object_get(aw, "aweme_id"), ps->a, &why)))
			field = "aweme_id";
		p->text = text_of(json_object_get(aw, "desc"), ps->a);
		p->author_id = text_of(json_object_get(au, "uid"), ps->a);
		p->author_name = text_of(json_object_get(au, "nickname"), ps->a);
		p->ip_location = text_of(json_object_get(aw, "ip_label"), ps->a);
		if (!field && time_of(json_object_get(aw, "create_time"), &p->created_at, &why) < 0)
			field = "create_time";
		if (!field && count_of(p, PC_LIKES, json_object_get(st, "digg_count"), &why) < 0)
			field = "digg_count";
		if (!field && count_of(p, PC_COMMENTS, json_object_get(st, "comment_count"), &why) < 0)
			field = "comment_count";
		if (!field && count_of(p, PC_SHARES, json_object_get(st, "share_count"), &why) < 0)
			field = "share_count";
		if (!field && count_of(p, PC_FAVORITES, json_object_get(st, "collect_count"), &why) < 0)
			field = "collect_count";
		if (!field && count_of(p, PC_VIEWS, json_object_get(st, "play_count"), &why) < 0)
			field = "play_count";
		if (json_is_array(te) && (p->topics = topics_alloc(ps->a, json_array_size(te)))) {
			json_array_foreach(te, k, t)
			{
				const char *name = text_of(json_object_get(t, "hashtag_name"), ps->a);
				if (name && *name)
					p->topics[p->ntopics++] = name;
			}
		}
		if (p->post_id && make_url(p, ps->a, "https://www.douyin.com/video/%s") < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (finish(ps, p, field, why) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	ps->pg->more = json_is_true(json_object_get(root, "has_more")) ||
		       json_integer_value(json_object_get(root, "has_more")) > 0;
	cursor = json_object_get(root, "cursor");
	if (json_is_integer(cursor))
		snprintf(ps->pg->next_cursor, sizeof(ps->pg->next_cursor), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(cursor));
	else
		ps->pg->more = 0; /* without a cursor there is no next page to ask for */
	return 0;
}

/* ---- generic feeds ---- */

static int truthy(json_t *v)
{
	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0) ||
	       (json_is_string(v) && json_string_length(v) && strcmp(json_string_value(v), "0") &&
		strcmp(json_string_value(v), "false"));
}

static int generic_time(const struct source *s, json_t *v, int64_t *t, const char **why)
{
	int64_t x;

	switch (s->time_format) {
	case ST_UNIX:
	case ST_UNIX_MS:
		if (json_is_string(v)) {
			char *end;
			x = strtoll(json_string_value(v), &end, 10);
			if (*end || end == json_string_value(v)) {
				*why = "expected a number";
				return -1;
			}
		} else if (json_is_integer(v))
			x = json_integer_value(v);
		else {
			*why = v ? "expected a number" : "missing";
			return -1;
		}
		if (s->time_format == ST_UNIX_MS)
			x /= 1000;
		if (x < 946684800LL || x >= 4102444800LL) {
			*why = "outside 2000..2099";
			return -1;
		}
		*t = x;
		return 0;
	default:
		if (!json_is_string(v)) {
			*why = v ? "expected a string" : "missing";
			return -1;
		}
		return ktime_parse(json_string_value(v), json_string_length(v), t, why);
	}
}

static int parse_generic(const struct source *s, json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *items = json_pointer(root, s->items), *it;
	size_t i;

	if (!items) {
		/* feeds report errors in a "code" field: say what they said */
		json_t *code = json_object_get(root, "code"), *m = json_object_get(root, "message");
		if (json_is_integer(code) && json_integer_value(code) != 0) {
			ps->pg->blocked = json_integer_value(code) == 401 || json_integer_value(code) == 403;
			return kerr_set(e, KERR_DATA, "the feed answered code %" JSON_INTEGER_FORMAT ": %s%s",
					json_integer_value(code), json_is_string(m) ? json_string_value(m) : "no message",
					ps->pg->blocked ? " (check the token in the source's headers)" : "");
		}
		return kerr_set(e, KERR_DATA, "items: nothing at %s", s->items[0] ? s->items : "(root)");
	}
	if (!json_is_array(items))
		return kerr_set(e, KERR_DATA, "items: %s is not an array", s->items);
	json_array_foreach(items, i, it)
	{
		struct post *p;
		const char *why = NULL, *field = NULL, *platform = s->item_platform ? s->item_platform : "other";
		json_t *v;
		int odd;

		ps->index++;
		if ((odd = item_tainted(ps, NULL, ps->items_fmt, i, 0)) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (odd)
			continue;
		if (s->fields[SF_PLATFORM] && (v = json_pointer(it, s->fields[SF_PLATFORM]))) {
			const char *pl = json_string_value(v);
			for (size_t k = 0; pl && k < store_nplatforms; k++)
				if (!strcmp(pl, store_platforms[k]))
					platform = store_platforms[k];
			if (!pl || strcmp(platform, pl))
				field = "platform", why = "not a platform kepu knows";
		}
		if (!(p = new_post(ps, platform)))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (!field && !(p->post_id = id_of(json_pointer(it, s->fields[SF_POST_ID]), ps->a, &why)))
			field = "post_id";
#define TEXT(f, member)                                                                           \
	if (s->fields[f])                                                                          \
		p->member = plain_of(json_pointer(it, s->fields[f]), ps->a);
		TEXT(SF_TITLE, title)
		TEXT(SF_TEXT, text)
#undef TEXT
#define STR(f, member)                                                                            \
	if (s->fields[f])                                                                          \
		p->member = text_of(json_pointer(it, s->fields[f]), ps->a);
		STR(SF_URL, url)
		STR(SF_AUTHOR_ID, author_id)
		STR(SF_AUTHOR_NAME, author_name)
		STR(SF_AUTHOR_LOCATION, author_location)
		STR(SF_IP_LOCATION, ip_location)
#undef STR
		if (!field && generic_time(s, json_pointer(it, s->fields[SF_CREATED_AT]), &p->created_at, &why) < 0)
			field = "created_at";
		for (int k = 0; k < PC_N && !field; k++)
			if (s->fields[SF_VIEWS + k] &&
			    count_of(p, k, json_pointer(it, s->fields[SF_VIEWS + k]), &why) < 0)
				field = source_field_names[SF_VIEWS + k];
		if (s->fields[SF_TOPICS] && (v = json_pointer(it, s->fields[SF_TOPICS])) && json_is_array(v) &&
		    (p->topics = topics_alloc(ps->a, json_array_size(v)))) {
			size_t k;
			json_t *t;
			json_array_foreach(v, k, t)
			{
				const char *name = text_of(t, ps->a);
				if (name && *name)
					p->topics[p->ntopics++] = name;
			}
		}
		if (finish(ps, p, field, why) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	switch (s->paging) {
	case SP_NONE:
		ps->pg->more = 0;
		break;
	case SP_PAGE:
		ps->pg->more = json_array_size(items) > 0 &&
			       (!s->has_more || truthy(json_pointer(root, s->has_more)));
		break;
	case SP_CURSOR: {
		json_t *c = json_pointer(root, s->next_cursor);
		const char *cs = json_is_string(c) ? json_string_value(c) : NULL;
		if (json_is_integer(c))
			snprintf(ps->pg->next_cursor, sizeof(ps->pg->next_cursor), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(c));
		else if (cs)
			snprintf(ps->pg->next_cursor, sizeof(ps->pg->next_cursor), "%s", cs);
		ps->pg->more = ps->pg->next_cursor[0] && json_array_size(items) > 0 &&
			       (!s->has_more || truthy(json_pointer(root, s->has_more)));
		break;
	}
	}
	return 0;
}

int adapter_parse(const struct source *s, const char *body, size_t len, const char *content_type,
		  struct arena *a, struct page *pg, struct kerr *e)
{
	/* what each format reads outside its items: ambiguity there makes the
	 * whole page unusable */
	static const char *const page_keys[][6] = {
		[SOURCE_WEIBO] = {"/ok", "/msg", "/data/cards", NULL},
		[SOURCE_BILIBILI] = {"/code", "/message", "/data/result", "/data/page", "/data/numPages", NULL},
		[SOURCE_DOUYIN] = {"/status_code", "/status_msg", "/data", "/has_more", "/cursor", NULL},
		[SOURCE_GENERIC] = {"/code", "/message", NULL},
	};
	struct parse ps;
	struct json_taints taints;
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.a = a;
	ps.pg = pg;

	memset(pg, 0, sizeof(*pg));
	if (content_type && !strncmp(content_type, "text/html", 9)) {
		pg->retryable = 1;
		return kerr_set(e, KERR_DATA, "expected JSON, got an HTML page (%zu bytes)", len);
	}
	if (!len) {
		pg->retryable = 1;
		return kerr_set(e, KERR_DATA, "empty response");
	}
	/* strict first (the common case costs one parse); a page that is JSON
	 * only with duplicate keys or \u0000 allowed is parsed leniently and
	 * its odd places found, so that only the items holding them are
	 * skipped */
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (!(root = json_loadb(body, len, JSON_ALLOW_NUL, &jerr))) {
			pg->retryable = 1;
			return kerr_set(e, KERR_DATA, "invalid JSON at byte %d: %s", jerr.position, jerr.text);
		}
		if (json_taint_scan(body, len, a, &taints) < 0) {
			json_decref(root);
			return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		ps.taints = &taints;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return kerr_set(e, KERR_DATA, "expected a JSON object");
	}
	if (ps.taints) {
		const struct json_taint *t = NULL;
		const char *const *keys = page_keys[s->kind];
		for (size_t i = 0; !t && keys[i]; i++)
			t = json_taint_find(ps.taints, keys[i], 1);
		if (s->kind == SOURCE_GENERIC) {
			const char *more[] = {s->items, s->next_cursor, s->has_more};
			for (size_t i = 0; !t && i < 3; i++)
				if (more[i])
					t = json_taint_find(ps.taints, more[i], 1);
		}
		if (t || ps.taints->overflow) {
			json_decref(root);
			if (t)
				return kerr_set(e, KERR_DATA, "the page is ambiguous: %s at %s", t->what, t->where);
			return kerr_set(e, KERR_DATA, "the page has more than 10000 duplicate keys or NUL characters");
		}
	}
	if (s->kind == SOURCE_GENERIC) {
		size_t o = 0;
		for (const char *q = s->items; *q && o < sizeof(ps.items_fmt) - 8; q++) {
			if (*q == '%')
				ps.items_fmt[o++] = '%';
			ps.items_fmt[o++] = *q;
		}
		memcpy(ps.items_fmt + o, "/%zu", 5);
	}
	switch (s->kind) {
	case SOURCE_WEIBO: rc = parse_weibo(root, &ps, e); break;
	case SOURCE_BILIBILI: rc = parse_bilibili(root, &ps, e); break;
	case SOURCE_DOUYIN: rc = parse_douyin(root, &ps, e); break;
	default: rc = parse_generic(s, root, &ps, e); break;
	}
	json_decref(root);
	return rc;
}
