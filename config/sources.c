/*
 * sources.c: the `sources` section of kepu.json: one object per platform
 * search or JSON feed, every key checked, every error naming its path
 * (`kepu.json: sources[1].base_url: expected an http:// or https:// URL`).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "../store/store.h"
#include "internal.h"

const char *const source_field_names[SF_N] = {
	"platform", "post_id", "url", "author_id", "author_name", "author_location",
	"ip_location", "created_at", "title", "text", "topics",
	"views", "likes", "comments", "shares", "favorites",
};

static const char *const source_keys[] = {
	"name", "platform", "base_url", "query", "enabled", "max_pages", "min_interval_ms",
	"timeout_s", "connect_timeout_s", "retries", "retry_backoff_ms", "retry_after_max_s",
	"overlap_hours", "max_body_bytes", "cookie_env", "user_agent", "headers", "url", "page_size",
	"items", "fields", "item_platform", "time_format", "paging", NULL};
static const char *const paging_keys[] = {"kind", "start", "next_cursor", "has_more", NULL};

static int opt_string(json_t *o, const char *key, const char *file, const char *where, char **out,
		      struct kerr *e)
{
	json_t *v = json_object_get(o, key);
	char path[400];

	if (!v)
		return 0;
	snprintf(path, sizeof(path), "%s.%s", where, key);
	return config_get_string(v, file, path, out, e);
}

static int opt_int(json_t *o, const char *key, const char *file, const char *where, long lo, long hi,
		   int *out, struct kerr *e)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return kerr_set(e, KERR_USAGE, "%s: %s.%s: expected a whole number from %ld to %ld", file,
				where, key, lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static int env_name_ok(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int pointer_ok(const char *s)
{
	return !*s || *s == '/';
}

static int load_headers(struct source *s, json_t *v, const char *file, const char *where,
			struct kerr *e)
{
	const char *key;
	json_t *h;
	size_t i = 0;

	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE,
				"%s: %s.headers: expected an object of header name -> value or {\"env\": NAME}",
				file, where);
	if (!(s->headers = calloc(json_object_size(v) + 1, sizeof(*s->headers))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_object_foreach(v, key, h)
	{
		struct source_header *sh = &s->headers[i++];
		char path[300];

		s->nheaders++;
		snprintf(path, sizeof(path), "%s.headers.%s", where, key);
		if (!*key || strpbrk(key, ": \r\n"))
			return kerr_set(e, KERR_USAGE, "%s: %s: not a header name", file, path);
		if (!(sh->name = strdup(key)))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (json_is_string(h)) {
			if (strpbrk(json_string_value(h), "\r\n"))
				return kerr_set(e, KERR_USAGE, "%s: %s: line break in a header value", file, path);
			if (config_get_string(h, file, path, &sh->value, e) < 0)
				return -1;
		} else if (json_is_object(h)) {
			static const char *const hk[] = {"env", "prefix", NULL};
			if (config_check_keys(h, hk, file, path, e) < 0 ||
			    opt_string(h, "env", file, path, &sh->env, e) < 0 ||
			    opt_string(h, "prefix", file, path, &sh->prefix, e) < 0)
				return -1;
			if (!sh->env || !env_name_ok(sh->env))
				return kerr_set(e, KERR_USAGE,
						"%s: %s.env: expected the name of an environment variable (A-Z, 0-9, _)",
						file, path);
		} else
			return kerr_set(e, KERR_USAGE, "%s: %s: expected a string or {\"env\": NAME}", file, path);
	}
	return 0;
}

static int load_generic(struct source *s, json_t *o, const char *file, const char *where,
			struct kerr *e)
{
	json_t *v, *p;
	char *tf = NULL;
	const char *key;
	char path[300];

	if (!s->url)
		return kerr_set(e, KERR_USAGE, "%s: %s.url: a generic feed needs a URL template", file, where);
	if (!s->items)
		return kerr_set(e, KERR_USAGE, "%s: %s.items: a generic feed needs the pointer to its items",
				file, where);
	if (!pointer_ok(s->items))
		return kerr_set(e, KERR_USAGE, "%s: %s.items: expected a JSON Pointer (\"/data/list\")", file, where);
	v = json_object_get(o, "fields");
	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: %s.fields: expected an object of field -> JSON Pointer",
				file, where);
	json_object_foreach(v, key, p)
	{
		int f;
		for (f = 0; f < SF_N && strcmp(source_field_names[f], key); f++)
			;
		snprintf(path, sizeof(path), "%s.fields.%s", where, key);
		if (f == SF_N)
			return kerr_set(e, KERR_USAGE, "%s: %s: unknown field (fields are the import fields: "
					"post_id, created_at, text, ...)", file, path);
		if (!json_is_string(p) || !pointer_ok(json_string_value(p)))
			return kerr_set(e, KERR_USAGE, "%s: %s: expected a JSON Pointer (\"/item_id\")", file, path);
		if (!(s->fields[f] = strdup(json_string_value(p))))
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	if (!s->fields[SF_POST_ID] || !s->fields[SF_CREATED_AT])
		return kerr_set(e, KERR_USAGE, "%s: %s.fields: post_id and created_at are required", file, where);
	if (opt_string(o, "time_format", file, where, &tf, e) < 0)
		return -1;
	if (!tf || !strcmp(tf, "unix"))
		s->time_format = ST_UNIX;
	else if (!strcmp(tf, "unix_ms"))
		s->time_format = ST_UNIX_MS;
	else if (!strcmp(tf, "rfc2822"))
		s->time_format = ST_RFC2822;
	else if (!strcmp(tf, "iso8601"))
		s->time_format = ST_ISO8601;
	else if (!strcmp(tf, "YYYY-MM-DD HH:MM:SS"))
		s->time_format = ST_LOCAL;
	else {
		free(tf);
		return kerr_set(e, KERR_USAGE,
				"%s: %s.time_format: expected unix, unix_ms, rfc2822, iso8601 or \"YYYY-MM-DD HH:MM:SS\"",
				file, where);
	}
	free(tf);
	v = json_object_get(o, "paging");
	snprintf(path, sizeof(path), "%s.paging", where);
	s->paging = SP_PAGE;
	if (v) {
		char *kind = NULL;
		if (!json_is_object(v))
			return kerr_set(e, KERR_USAGE, "%s: %s: expected an object {\"kind\": ...}", file, path);
		if (config_check_keys(v, paging_keys, file, path, e) < 0 ||
		    opt_string(v, "kind", file, path, &kind, e) < 0 ||
		    opt_int(v, "start", file, path, 0, 1000000, &s->page_start, e) < 0 ||
		    opt_string(v, "next_cursor", file, path, &s->next_cursor, e) < 0 ||
		    opt_string(v, "has_more", file, path, &s->has_more, e) < 0) {
			free(kind);
			return -1;
		}
		if (!kind || !strcmp(kind, "page"))
			s->paging = SP_PAGE;
		else if (!strcmp(kind, "cursor"))
			s->paging = SP_CURSOR;
		else if (!strcmp(kind, "none"))
			s->paging = SP_NONE;
		else {
			free(kind);
			return kerr_set(e, KERR_USAGE, "%s: %s.kind: expected page, cursor or none", file, path);
		}
		free(kind);
		if (s->paging == SP_CURSOR && !s->next_cursor)
			return kerr_set(e, KERR_USAGE, "%s: %s.next_cursor: cursor paging needs the pointer to the next cursor",
					file, path);
		if ((s->next_cursor && !pointer_ok(s->next_cursor)) || (s->has_more && !pointer_ok(s->has_more)))
			return kerr_set(e, KERR_USAGE, "%s: %s: expected JSON Pointers", file, path);
	}
	return 0;
}

static int load_source(struct config *c, struct source *s, json_t *o, const char *file, size_t idx,
		       struct kerr *e)
{
	char where[64], *platform = NULL;
	json_t *v;

	snprintf(where, sizeof(where), "sources[%zu]", idx);
	if (!json_is_object(o))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object", file, where);
	if (config_check_keys(o, source_keys, file, where, e) < 0)
		return -1;
	s->enabled = 1;
	s->max_pages = 50;
	s->min_interval_ms = 1000;
	s->timeout_s = 20;
	s->connect_timeout_s = 10;
	s->retries = 3;
	s->retry_backoff_ms = 1000;
	s->retry_after_max_s = 120;
	s->overlap_hours = 48;
	s->max_body = 16L * 1024 * 1024;
	s->page_size = 20;
	s->page_start = 1;
	if (!json_object_get(o, "name"))
		return kerr_set(e, KERR_USAGE, "%s: %s.name: required (a short name for messages and cursors)",
				file, where);
	if (opt_string(o, "name", file, where, &s->name, e) < 0)
		return -1;
	for (const char *p = s->name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return kerr_set(e, KERR_USAGE, "%s: %s.name: use letters, digits, '_', '-' and '.'", file, where);
	for (size_t i = 0; i < idx; i++)
		if (!strcmp(c->sources[i].name, s->name))
			return kerr_set(e, KERR_USAGE, "%s: %s.name: '%s' is already sources[%zu]", file, where,
					s->name, i);
	if (!json_object_get(o, "platform"))
		return kerr_set(e, KERR_USAGE, "%s: %s.platform: required (weibo, bilibili, douyin or generic)",
				file, where);
	if (opt_string(o, "platform", file, where, &platform, e) < 0)
		return -1;
	if (!strcmp(platform, "weibo"))
		s->kind = SOURCE_WEIBO;
	else if (!strcmp(platform, "bilibili"))
		s->kind = SOURCE_BILIBILI;
	else if (!strcmp(platform, "douyin"))
		s->kind = SOURCE_DOUYIN;
	else if (!strcmp(platform, "generic"))
		s->kind = SOURCE_GENERIC;
	else {
		kerr_set(e, KERR_USAGE,
			 "%s: %s.platform: '%s' has no collector (weibo, bilibili, douyin or generic; "
			 "import files for xiaohongshu, kuaishou and wechat_channels)",
			 file, where, platform);
		free(platform);
		return -1;
	}
	free(platform);
	if (opt_string(o, "base_url", file, where, &s->base_url, e) < 0 ||
	    opt_string(o, "query", file, where, &s->query, e) < 0 ||
	    opt_int(o, "max_pages", file, where, 1, 100000, &s->max_pages, e) < 0 ||
	    opt_int(o, "min_interval_ms", file, where, 0, 3600000, &s->min_interval_ms, e) < 0 ||
	    opt_int(o, "timeout_s", file, where, 1, 3600, &s->timeout_s, e) < 0 ||
	    opt_int(o, "connect_timeout_s", file, where, 1, 600, &s->connect_timeout_s, e) < 0 ||
	    opt_int(o, "retries", file, where, 0, 20, &s->retries, e) < 0 ||
	    opt_int(o, "retry_backoff_ms", file, where, 0, 600000, &s->retry_backoff_ms, e) < 0 ||
	    opt_int(o, "retry_after_max_s", file, where, 0, 86400, &s->retry_after_max_s, e) < 0 ||
	    opt_int(o, "overlap_hours", file, where, 0, 24 * 60, &s->overlap_hours, e) < 0 ||
	    opt_int(o, "page_size", file, where, 1, 1000, &s->page_size, e) < 0 ||
	    opt_string(o, "cookie_env", file, where, &s->cookie_env, e) < 0 ||
	    opt_string(o, "user_agent", file, where, &s->user_agent, e) < 0 ||
	    opt_string(o, "url", file, where, &s->url, e) < 0 ||
	    opt_string(o, "items", file, where, &s->items, e) < 0 ||
	    opt_string(o, "item_platform", file, where, &s->item_platform, e) < 0)
		return -1;
	if ((v = json_object_get(o, "enabled"))) {
		if (!json_is_boolean(v))
			return kerr_set(e, KERR_USAGE, "%s: %s.enabled: expected true or false", file, where);
		s->enabled = json_is_true(v);
	}
	if ((v = json_object_get(o, "max_body_bytes"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 1024 || json_integer_value(v) > 1024L * 1024 * 1024)
			return kerr_set(e, KERR_USAGE, "%s: %s.max_body_bytes: expected 1024 to 1073741824", file, where);
		s->max_body = (long)json_integer_value(v);
	}
	if (!s->base_url || (strncmp(s->base_url, "http://", 7) && strncmp(s->base_url, "https://", 8)))
		return kerr_set(e, KERR_USAGE, "%s: %s.base_url: expected an http:// or https:// URL", file, where);
	{
		size_t n = strlen(s->base_url);
		while (n > 8 && s->base_url[n - 1] == '/')
			s->base_url[--n] = '\0'; /* paths are appended with their own '/' */
	}
	if (s->cookie_env && !env_name_ok(s->cookie_env))
		return kerr_set(e, KERR_USAGE,
				"%s: %s.cookie_env: expected the name of an environment variable (A-Z, 0-9, _), not its value",
				file, where);
	if ((v = json_object_get(o, "headers")) && load_headers(s, v, file, where, e) < 0)
		return -1;
	if (s->item_platform && !store_platform_known(s->item_platform))
		return kerr_set(e, KERR_USAGE, "%s: %s.item_platform: not a platform kepu knows", file, where);
	if (s->kind == SOURCE_GENERIC)
		return load_generic(s, o, file, where, e);
	if (s->url || s->items || json_object_get(o, "fields") || json_object_get(o, "paging") ||
	    json_object_get(o, "time_format"))
		return kerr_set(e, KERR_USAGE,
				"%s: %s: url, items, fields, paging and time_format are for generic feeds only",
				file, where);
	if (!s->query) {
		char q[256];
		snprintf(q, sizeof(q), s->kind == SOURCE_WEIBO ? "#%s#" : "%s", c->tags[0]);
		if (!(s->query = strdup(q)))
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

int config_load_sources(struct config *c, json_t *v, const char *file, struct kerr *e)
{
	size_t i;
	json_t *o;

	if (!json_is_array(v))
		return kerr_set(e, KERR_USAGE, "%s: sources: expected an array of objects", file);
	if (json_array_size(v) > 64)
		return kerr_set(e, KERR_USAGE, "%s: sources: at most 64 sources", file);
	if (!(c->sources = calloc(json_array_size(v) + 1, sizeof(*c->sources))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_array_foreach(v, i, o)
	{
		c->nsources++;
		if (load_source(c, &c->sources[i], o, file, i, e) < 0)
			return -1;
	}
	return 0;
}

void config_release_sources(struct config *c)
{
	for (size_t i = 0; i < c->nsources; i++) {
		struct source *s = &c->sources[i];
		free(s->name);
		free(s->base_url);
		free(s->query);
		free(s->cookie_env);
		free(s->user_agent);
		for (size_t k = 0; k < s->nheaders; k++) {
			free(s->headers[k].name);
			free(s->headers[k].value);
			free(s->headers[k].env);
			free(s->headers[k].prefix);
		}
		free(s->headers);
		free(s->url);
		free(s->items);
		for (int f = 0; f < SF_N; f++)
			free(s->fields[f]);
		free(s->item_platform);
		free(s->next_cursor);
		free(s->has_more);
	}
	free(c->sources);
	c->sources = NULL;
	c->nsources = 0;
}
