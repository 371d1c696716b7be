/*
 * adapters.c: what every adapter shares: the registry, typed positions
 * and their stored form, the JSON checks every page goes through, JSON
 * Pointer.  The platforms themselves are in weibo.c, bilibili.c, douyin.c
 * and feed.c.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapter.h"
#include "fields.h"
#include "jsontaint.h"

json_t *adapter_json_pointer(json_t *root, const char *ptr)
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

static const struct adapter *adapter_of(enum source_kind k)
{
	switch (k) {
	case SOURCE_WEIBO: return &adapter_weibo;
	case SOURCE_BILIBILI: return &adapter_bilibili;
	case SOURCE_DOUYIN: return &adapter_douyin;
	case SOURCE_GENERIC: break;
	}
	return &adapter_feed;
}

const char *adapter_user_agent(enum source_kind k)
{
	const struct adapter *ad = adapter_of(k);

	for (size_t i = 0; ad->headers && ad->headers[i]; i++)
		if (!strncasecmp(ad->headers[i], "User-Agent:", 11)) {
			const char *v = ad->headers[i] + 11;
			while (*v == ' ')
				v++;
			return v;
		}
	return ADAPTER_DEFAULT_UA;
}

void adapter_run_init(struct adapter_run *r, const struct source *s, int64_t window_start, int64_t window_end,
		      int64_t now)
{
	memset(r, 0, sizeof(*r));
	r->ad = adapter_of(s->kind);
	r->s = s;
	r->window_start = window_start;
	r->window_end = window_end;
	r->now = now;
}

/* ---- positions ---- */

void page_pos_format(const struct page_pos *p, char *out, size_t cap)
{
	json_t *o = json_object();
	char *txt;

	if (p->page)
		json_object_set_new(o, "page", json_integer(p->page));
	if (p->offset)
		json_object_set_new(o, "offset", json_integer(p->offset));
	if (p->day >= 0)
		json_object_set_new(o, "day", json_integer(p->day));
	if (p->search_id[0])
		json_object_set_new(o, "search_id", json_string(p->search_id));
	if (p->cursor[0])
		json_object_set_new(o, "cursor", json_string(p->cursor));
	txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(out, cap, "%s", txt ? txt : "{}");
	free(txt);
	json_decref(o);
}

void page_pos_parse(const struct adapter_run *r, const char *text, struct page_pos *p)
{
	json_t *o;

	r->ad->first(r, p);
	if (!text || !*text)
		return;
	if (*text == '{' && (o = json_loads(text, 0, NULL))) {
		json_t *v;
		if (json_is_integer(v = json_object_get(o, "page")))
			p->page = (long)json_integer_value(v);
		if (json_is_integer(v = json_object_get(o, "offset")))
			p->offset = (long)json_integer_value(v);
		p->day = json_is_integer(v = json_object_get(o, "day")) ? (long)json_integer_value(v) : -1;
		if (json_is_string(v = json_object_get(o, "search_id")))
			snprintf(p->search_id, sizeof(p->search_id), "%s", json_string_value(v));
		if (json_is_string(v = json_object_get(o, "cursor")))
			snprintf(p->cursor, sizeof(p->cursor), "%s", json_string_value(v));
		json_decref(o);
		return;
	}
	/* the forms before positions were typed */
	if (!strncmp(text, "day=", 4)) {
		const char *pg = strstr(text, "page=");
		p->day = strtol(text + 4, NULL, 10);
		p->page = pg ? strtol(pg + 5, NULL, 10) : 1;
	} else if (r->ad == &adapter_douyin)
		p->offset = strtol(text, NULL, 10);
	else if (r->ad == &adapter_feed && r->s->paging == SP_CURSOR)
		snprintf(p->cursor, sizeof(p->cursor), "%s", text);
	else
		p->page = strtol(text, NULL, 10);
	if (p->page < 1 && r->ad != &adapter_douyin && !(r->ad == &adapter_feed && r->s->paging == SP_CURSOR) &&
	    !(r->ad == &adapter_feed && r->s->page_start == 0))
		p->page = 1;
}

int adapter_http_refusal(const struct adapter_run *r, const struct http_response *resp, struct page *pg,
			 struct kerr *e)
{
	return r->ad->http_refusal ? r->ad->http_refusal(r, resp, pg, e) : 0;
}

/* ---- pages ---- */

int adapter_parse(struct adapter_run *r, const char *body, size_t len, const char *content_type,
		  struct arena *a, struct page *pg, struct kerr *e)
{
	const struct source *s = r->s;
	struct parse ps;
	struct json_taints taints;
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.a = a;
	ps.pg = pg;
	ps.now = r->now;
	memset(pg, 0, sizeof(*pg));
	size_t lead = 0;

	while (lead < len && strchr(" \r\n\t", body[lead]) && body[lead])
		lead++;
	if ((content_type && !strncmp(content_type, "text/html", 9)) || (lead < len && body[lead] == '<')) {
		if (r->ad->html_is_refusal) {
			pg->blocked = 1;
			return kerr_set(e, KERR_DATA,
					"blocked: %s answered an HTML page where JSON was promised (%zu bytes: a login or "
					"captcha page); log in in a browser and put its cookie in %s",
					r->ad->kind, len, fields_cookie_where(s));
		}
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
		/* what the page logic reads outside the items: ambiguity there
		 * makes the whole page unusable */
		const struct json_taint *t = NULL;
		for (size_t i = 0; !t && r->ad->page_keys && r->ad->page_keys[i]; i++)
			t = json_taint_find(ps.taints, r->ad->page_keys[i], 1);
		if (r->ad == &adapter_feed) {
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
	rc = r->ad->parse(r, root, &ps, e);
	json_decref(root);
	return rc;
}
