/*
 * feed.c: the generic JSON feed adapter: a feed described in the config
 * (url template, JSON Pointers to the items and their fields, time format,
 * paging), for the national campaign platform, a data vendor, or Douyin's
 * Open Platform for accounts that authorized the campaign.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/redact.h"
#include "../util/timefmt.h"
#include "fields.h"
#include "../model/platform.h"

/* The URL of the page at pos: the template as the config parsed it
 * (config.h, url_parts), its placeholders filled in; the values taken from
 * the environment registered as secrets. */
static int feed_url(struct adapter_run *r, const struct page_pos *pos, struct kbuf *url, struct kerr *e)
{
	const struct source *s = r->s;
	const struct url_template *t = r->detail_id ? &s->detail_parts : &s->url_parts;

	for (size_t i = 0; i < t->n; i++) {
		const struct url_part *u = &t->v[i];
		const char *v;
		int rc = 0;

		switch (u->kind) {
		case UP_TEXT: rc = kbuf_adds(url, u->text, e); break;
		case UP_BASE_URL: rc = kbuf_adds(url, s->base_url, e); break;
		case UP_PAGE: rc = kbuf_addf(url, e, "%ld", pos->page); break;
		case UP_SIZE: rc = kbuf_addf(url, e, "%d", s->page_size); break;
		case UP_CURSOR: rc = fields_add_escaped(url, pos->cursor, e); break;
		case UP_QUERY: rc = fields_add_escaped(url, s->query ? s->query : "", e); break;
		case UP_ID: rc = fields_add_escaped(url, r->detail_id ? r->detail_id : "", e); break;
		case UP_ENV:
			if (!(v = getenv(u->text)) || !*v)
				return kerr_set(e, KERR_USAGE, "environment variable %s is not set", u->text);
			if (r->secrets && redact_add(r->secrets, v, e) < 0)
				return -1;
			rc = fields_add_escaped(url, v, e);
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

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

/* One item of the feed into a post (items_fmt: its pointer as a format
 * with i, for the taint check; NULL: a detail page's item). */
static int feed_item(const struct source *s, struct parse *ps, json_t *it, const char *items_fmt, size_t i,
		     struct kerr *e)
{

	struct post *p;
	const char *why = NULL, *field = NULL, *platform = s->item_platform ? s->item_platform : "other";
	json_t *v;
	int odd;

	ps->pg->items++;
	ps->index++;
	if (items_fmt && (odd = fields_item_tainted(ps, NULL, items_fmt, i, 0)) != 0)
		return odd < 0 ? kerr_set(e, KERR_NOMEM, "out of memory") : 0;
	if (s->fields[SF_PLATFORM] && (v = adapter_json_pointer(it, s->fields[SF_PLATFORM]))) {
		const char *pl = json_string_value(v);
		for (size_t k = 0; pl && k < nplatforms; k++)
			if (!strcmp(pl, platforms[k].name))
				platform = platforms[k].name;
		if (!pl || strcmp(platform, pl))
			field = "platform", why = "not a platform kepu knows";
	}
	if (!(p = fields_new_post(ps, platform)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (!field && !(p->post_id = fields_id_of(adapter_json_pointer(it, s->fields[SF_POST_ID]), ps->a, &why)))
		field = "post_id";
#define TEXT(f, member)                                                                           \
if (s->fields[f])                                                                          \
	p->member = fields_plain_of(adapter_json_pointer(it, s->fields[f]), ps->a);
	TEXT(SF_TITLE, title)
	TEXT(SF_TEXT, text)
#undef TEXT
#define STR(f, member)                                                                            \
if (s->fields[f])                                                                          \
	p->member = fields_text_of(adapter_json_pointer(it, s->fields[f]), ps->a);
	STR(SF_URL, url)
	STR(SF_AUTHOR_ID, author_id)
	STR(SF_AUTHOR_NAME, author_name)
	STR(SF_AUTHOR_LOCATION, author_location)
	STR(SF_IP_LOCATION, ip_location)
	STR(SF_COVER_URL, cover_url)
#undef STR
	if (!field && generic_time(s, adapter_json_pointer(it, s->fields[SF_CREATED_AT]), &p->created_at, &why) < 0)
		field = "created_at";
	for (int k = 0; k < PC_N && !field; k++)
		if (s->fields[SF_VIEWS + k] &&
		    fields_count_of(p, k, adapter_json_pointer(it, s->fields[SF_VIEWS + k]), &why) < 0)
			field = source_field_names[SF_VIEWS + k];
	if (s->fields[SF_TOPICS] && (v = adapter_json_pointer(it, s->fields[SF_TOPICS])) && json_is_array(v) &&
	    (p->topics = fields_topics_alloc(ps->a, json_array_size(v)))) {
		size_t k;
		json_t *t;
		json_array_foreach(v, k, t)
		{
			const char *name = fields_text_of(t, ps->a);
			if (name && *name)
				p->topics[p->ntopics++] = name;
		}
	}
	if (s->fields[SF_MEDIA] && (v = adapter_json_pointer(it, s->fields[SF_MEDIA]))) {
		/* feeds name the kind their own way */
		const char *m = json_string_value(v);
		if (m && (!strcmp(m, "video") || !strcmp(m, "视频")))
			p->media = "video";
		else if (m && (!strcmp(m, "image") || !strcmp(m, "images") || !strcmp(m, "图文") || !strcmp(m, "图片")))
			p->media = "image";
		else if (m && (!strcmp(m, "text") || !strcmp(m, "文字")))
			p->media = "text";
		else if (!field && m && *m)
			field = "media", why = "expected video, image or text";
	}
	if (fields_finish(ps, p, field, why) < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

/*
 * An item's own page (the feed's `detail`): the item at detail.item, or
 * gone when detail.gone points at true (or a non-zero number).  A feed's
 * error answer (its "code") is read as on a list page.
 */
static int feed_detail(const struct source *s, json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *it = adapter_json_pointer(root, s->detail_item ? s->detail_item : "");

	if (s->detail_gone && truthy(adapter_json_pointer(root, s->detail_gone))) {
		ps->pg->gone = 1;
		return 0;
	}
	if (!json_is_object(it)) {
		json_t *code = json_object_get(root, "code"), *m = json_object_get(root, "message");
		if (json_is_integer(code) && json_integer_value(code) != 0) {
			ps->pg->blocked = json_integer_value(code) == 401 || json_integer_value(code) == 403;
			return kerr_set(e, KERR_DATA, "the feed answered code %" JSON_INTEGER_FORMAT ": %s",
					json_integer_value(code), json_is_string(m) ? json_string_value(m) : "no message");
		}
		return kerr_set(e, KERR_DATA, "detail.item: no object at %s",
				s->detail_item && *s->detail_item ? s->detail_item : "(root)");
	}
	return feed_item(s, ps, it, NULL, 0, e);
}

static int feed_parse(struct adapter_run *r, json_t *root, struct parse *ps, struct kerr *e)
{
	const struct source *s = r->s;
	json_t *items = adapter_json_pointer(root, s->items), *it;
	char items_fmt[300];
	size_t i, o = 0;

	if (r->detail_id)
		return feed_detail(s, root, ps, e);

	/* the items' pointers as a format: "/data/list/%zu" */
	for (const char *q = s->items; *q && o < sizeof(items_fmt) - 8; q++) {
		if (*q == '%')
			items_fmt[o++] = '%';
		items_fmt[o++] = *q;
	}
	memcpy(items_fmt + o, "/%zu", 5);

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
		if (feed_item(s, ps, it, items_fmt, i, e) < 0)
			return -1;
	}
	switch (s->paging) {
	case SP_NONE:
		ps->pg->more = 0;
		break;
	case SP_PAGE:
		ps->pg->more = json_array_size(items) > 0 &&
			       (!s->has_more || truthy(adapter_json_pointer(root, s->has_more)));
		break;
	case SP_CURSOR: {
		json_t *c = adapter_json_pointer(root, s->next_cursor);
		const char *cs = json_is_string(c) ? json_string_value(c) : NULL;
		if (json_is_integer(c))
			snprintf(ps->pg->next_cursor, sizeof(ps->pg->next_cursor), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(c));
		else if (cs)
			snprintf(ps->pg->next_cursor, sizeof(ps->pg->next_cursor), "%s", cs);
		ps->pg->more = ps->pg->next_cursor[0] && json_array_size(items) > 0 &&
			       (!s->has_more || truthy(adapter_json_pointer(root, s->has_more)));
		break;
	}
	}
	return 0;
}


static void feed_first(const struct adapter_run *r, struct page_pos *pos)
{
	memset(pos, 0, sizeof(*pos));
	pos->day = -1;
	pos->page = r->s->page_start;
}

static int feed_next(const struct adapter_run *r, const struct page_pos *pos, const struct page *pg, int all_older,
		     struct page_pos *out)
{
	if (!pg->more || all_older || !pg->items)
		return 0;
	*out = *pos;
	if (r->s->paging == SP_CURSOR) {
		if (!pg->next_cursor[0] || !strcmp(pg->next_cursor, pos->cursor))
			return 0; /* a cursor that does not move would loop for ever */
		snprintf(out->cursor, sizeof(out->cursor), "%s", pg->next_cursor);
	} else
		out->page = pos->page + 1;
	return 1;
}

static const char *const feed_page_keys[] = {"/code", "/message", NULL};

const struct adapter adapter_feed = {
	.detail = 1, /* when the source has a `detail` */
	.kind = "generic",
	.headers = NULL,
	.follow_redirects = 1,
	.first = feed_first,
	.url = feed_url,
	.parse = feed_parse,
	.page_keys = feed_page_keys,
	.next = feed_next,
};
