/*
 * sources.c: the `sources` section of kepu.json: one object per platform
 * search or JSON feed, every key checked, every error naming its path
 * (`kepu.json: sources[1].base_url: expected an http:// or https:// URL`).
 * What would fail only once a collection runs fails here instead: URLs
 * (base_url, a feed's url template with its placeholders) are parsed with
 * libcurl's URL API, text bound for a header line may hold no line break,
 * and lengths are capped.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "../model/post.h"
#include "../model/platform.h"
#include "internal.h"
#include "../util/buf.h"
#include "../util/utf8.h"

/* Lengths past which a value cannot be meant: each would otherwise fail
 * (or be cut) only at run time. */
#define SOURCE_NAME_MAX 63   /* store.h's struct run_source keeps it in char[64] */
#define QUERY_MAX 256
#define USER_AGENT_MAX 512
#define HEADER_VALUE_MAX 8192
#define SOURCE_HEADERS_MAX 30 /* collector/collect.c sends at most 30 besides Accept */
#define ENV_NAME_MAX 127     /* no environment variable is named longer */
#define URL_KNOWN "{base_url} {page} {size} {cursor} {query} {env:NAME}"

const char *const source_field_names[SF_N] = {
	"platform", "post_id", "url", "author_id", "author_name", "author_location",
	"ip_location", "created_at", "title", "text", "topics",
	"views", "likes", "comments", "shares", "favorites", "coins", "cover_url", "media",
};
_Static_assert(CONFIG_NCOUNTS == PC_N && SF_COINS - SF_VIEWS == PC_COINS, "the feed maps every count");

static const char *const source_keys[] = {
	"name", "platform", "base_url", "query", "enabled", "max_pages", "min_interval_ms",
	"timeout_s", "connect_timeout_s", "retries", "retry_backoff_ms", "retry_after_max_s",
	"overlap_hours", "max_body_bytes", "cookie_env", "user_agent", "headers", "url", "page_size",
	"items", "fields", "item_platform", "time_format", "paging", "order", "detail", "refresh_budget", NULL};
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

/* NULL when s may go into an HTTP header line, else why not: a CR or LF
 * would end the line and start a header of the config's choosing. */
static const char *header_text_bad(const char *s)
{
	for (; *s; s++) {
		if (*s == '\r' || *s == '\n')
			return "line break in a header value (it would add headers to every request)";
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return "control character in a header value";
	}
	return NULL;
}

/* An RFC 9110 token: what a header name may be made of. */
static int header_name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return 0;
	return 1;
}

/* The first n bytes of s (at most cap - 1, cut at a character boundary)
 * for a message, control bytes shown as '?', so text from the file cannot
 * break the one-line message. */
static void shown(char *out, size_t cap, const char *s, size_t n)
{
	size_t i;

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n && s[i]; i++)
		out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	out[i] = '\0';
}

static int has_space_or_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/*
 * Parse url with libcurl's URL API, as the collector's requests will be:
 * the same parser, so what passes here is what libcurl fetches.  key is
 * the key path for messages; the URL itself is never echoed (it may hold
 * a secret).
 */
static int curl_check(const char *url, const char *file, const char *key, struct kerr *e)
{
	CURLU *h = curl_url();
	CURLUcode rc;
	char *host = NULL;
	int ret = -1;

	if (!h)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	rc = curl_url_set(h, CURLUPART_URL, url, 0);
	if (rc == CURLUE_OK) {
		rc = curl_url_get(h, CURLUPART_HOST, &host, 0);
		if (rc == CURLUE_OK && !*host)
			rc = CURLUE_NO_HOST;
	}
	switch (rc) {
	case CURLUE_OK:
		ret = 0;
		break;
	case CURLUE_OUT_OF_MEMORY:
		kerr_set(e, KERR_NOMEM, "out of memory");
		break;
	case CURLUE_NO_HOST:
		kerr_set(e, KERR_USAGE, "%s: %s: no host in the URL (expected https://host[:port][/path])", file, key);
		break;
	case CURLUE_BAD_PORT_NUMBER:
		kerr_set(e, KERR_USAGE, "%s: %s: the port must be a number from 1 to 65535", file, key);
		break;
	case CURLUE_BAD_HOSTNAME:
		kerr_set(e, KERR_USAGE, "%s: %s: not a valid host name", file, key);
		break;
	case CURLUE_BAD_IPV6:
		kerr_set(e, KERR_USAGE, "%s: %s: not a valid IPv6 address", file, key);
		break;
	default:
		kerr_set(e, KERR_USAGE, "%s: %s: not a valid URL (libcurl: %s)", file, key, curl_url_strerror(rc));
		break;
	}
	curl_free(host);
	curl_url_cleanup(h);
	return ret;
}

/*
 * An http(s) URL with a host, and a port (if any) from 1 to 65535.  For
 * base_url (base set) also no query, fragment or credentials: kepu
 * appends the path and the parameters, so a query or fragment would end
 * up in the middle of every request, and credentials would sit in the
 * config and in every URL shown.  libcurl alone accepts "http:///x",
 * "http://h:", "http://h:0" and "http://h?", hence the checks on the text
 * first.  The URL itself is never echoed (it may hold a secret).
 */
static int check_http_url(const char *url, int base, const char *file, const char *key, struct kerr *e)
{
	const char *auth, *end, *colon = NULL;
	int bracket = 0;

	if (has_space_or_control(url))
		return kerr_set(e, KERR_USAGE, "%s: %s: space or control character in the URL%s", file, key,
				base ? "" : " (percent-encode it: a space is %20)");
	auth = strstr(url, "://") + 3;
	end = auth + strcspn(auth, "/?#");
	if (base && memchr(auth, '@', (size_t)(end - auth)))
		return kerr_set(e, KERR_USAGE,
				"%s: %s: credentials in the URL (user:password@); secrets belong in environment "
				"variables: cookie_env, or headers {\"Name\": {\"env\": \"VAR\"}}",
				file, key);
	if (base && strpbrk(url, "?#"))
		return kerr_set(e, KERR_USAGE,
				"%s: %s: a query or fragment ('?', '#') does not belong here: base_url is "
				"https://host[:port][/path] (a generic feed puts its parameters in url)",
				file, key);
	if (memchr(auth, '@', (size_t)(end - auth)))
		auth = (const char *)memrchr(auth, '@', (size_t)(end - auth)) + 1;
	for (const char *p = auth; p < end; p++) {
		if (*p == '[')
			bracket = 1;
		else if (*p == ']')
			bracket = 0;
		else if (*p == ':' && !bracket)
			colon = p;
	}
	if (end == auth || colon == auth)
		return kerr_set(e, KERR_USAGE, "%s: %s: no host in the URL (expected https://host[:port][/path])",
				file, key);
	if (colon) {
		long port = 0;
		size_t n = (size_t)(end - colon - 1);
		for (const char *p = colon + 1; p < end && port <= 65535; p++)
			port = isdigit((unsigned char)*p) ? port * 10 + (*p - '0') : 65536;
		if (!n || n > 5 || port < 1 || port > 65535)
			return kerr_set(e, KERR_USAGE, "%s: %s: the port must be a number from 1 to 65535", file, key);
	}
	return curl_check(url, file, key, e);
}

static int check_base_url(const char *url, const char *file, const char *where, struct kerr *e)
{
	char key[96];

	snprintf(key, sizeof(key), "%s.base_url", where);
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an http:// or https:// URL", file, key);
	return check_http_url(url, 1, file, key, e);
}

/* Add a part to a parsed url template (text: n bytes, or NULL). */
static int url_part_add(struct url_template *t, enum url_part_kind kind, const char *text, size_t n, struct kerr *e)
{
	struct url_part *np = realloc(t->v, (t->n + 1) * sizeof(*np));

	if (!np)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	t->v = np;
	np[t->n].kind = kind;
	np[t->n].text = NULL;
	if (text && !(np[t->n].text = strndup(text, n)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	t->n++;
	return 0;
}

static void url_template_free(struct url_template *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->v[k].text);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* A url template being parsed (check_url_template()). */
struct tmpl {
	const struct source *s;
	struct url_template *t; /* the parts, for collector/feed.c */
	struct kbuf b;          /* the URL with sample values, for libcurl to check */
	const char *file;
	char key[96];           /* the key path, for messages */
	int with_id;            /* {id} is known (detail.url) */
};

/* The literal text at p, up to the next '{' or '}' or space.  The bytes
 * taken (at least 1), or -1 with e set. */
static long tmpl_literal(struct tmpl *tp, const char *p, struct kerr *e)
{
	size_t lit = strcspn(p, "{}");

	if ((unsigned char)*p <= 0x20 || *p == 0x7f)
		return kerr_set(e, KERR_USAGE,
				"%s: %s: space or control character in the URL (percent-encode it: a space is %%20)",
				tp->file, tp->key);
	for (size_t k = 1; k < lit; k++)
		if ((unsigned char)p[k] <= 0x20 || p[k] == 0x7f)
			lit = k;
	if (url_part_add(tp->t, UP_TEXT, p, lit, e) < 0 || kbuf_add(&tp->b, p, lit, e) < 0)
		return kerr_prefix(e, "%s: %s", tp->file, tp->key);
	return (long)lit;
}

/* The placeholder {name} (n bytes): its part, and a sample value in the
 * URL (what matters is the URL around it).  0, or -1 with e set. */
static int tmpl_placeholder(struct tmpl *tp, const char *name, size_t n, struct kerr *e)
{
	struct url_template *t = tp->t;
	char text[72];
	int rc;

	if (n == 8 && !memcmp(name, "base_url", 8))
		rc = url_part_add(t, UP_BASE_URL, NULL, 0, e) < 0 ? -1 : kbuf_adds(&tp->b, tp->s->base_url, e);
	else if (n == 4 && (!memcmp(name, "page", 4) || !memcmp(name, "size", 4)))
		rc = url_part_add(t, *name == 'p' ? UP_PAGE : UP_SIZE, NULL, 0, e) < 0 ? -1 : kbuf_adds(&tp->b, "1", e);
	else if (tp->with_id && n == 2 && !memcmp(name, "id", 2))
		rc = url_part_add(t, UP_ID, NULL, 0, e) < 0 ? -1 : kbuf_adds(&tp->b, "1", e);
	else if ((n == 6 && !memcmp(name, "cursor", 6)) || (n == 5 && !memcmp(name, "query", 5)))
		rc = url_part_add(t, n == 6 ? UP_CURSOR : UP_QUERY, NULL, 0, e) < 0 ? -1 : kbuf_adds(&tp->b, "x", e);
	else if (n >= 4 && !memcmp(name, "env:", 4)) {
		char var[ENV_NAME_MAX + 1] = ""; /* stays "" (refused) when too long */
		if (n - 4 <= ENV_NAME_MAX) {
			memcpy(var, name + 4, n - 4);
			var[n - 4] = '\0';
		}
		if (!env_name_ok(var)) {
			shown(text, sizeof(text), name + 4, n - 4);
			return kerr_set(e, KERR_USAGE,
					"%s: %s: {env:%s}: expected the name of an environment variable (A-Z, 0-9, _)",
					tp->file, tp->key, text);
		}
		rc = url_part_add(t, UP_ENV, var, strlen(var), e) < 0 ? -1 : kbuf_adds(&tp->b, "x", e);
	} else {
		shown(text, sizeof(text), name, n);
		return kerr_set(e, KERR_USAGE, "%s: %s: unknown placeholder {%s} (known: " URL_KNOWN "%s)", tp->file,
				tp->key, text, tp->with_id ? " {id}" : "");
	}
	return rc < 0 ? kerr_prefix(e, "%s: %s", tp->file, tp->key) : 0;
}

/*
 * A generic feed's url template (name: "url", or "detail.url", where {id}
 * is known too), parsed once into t (what collector/feed.c expands) and
 * checked: every {placeholder} known, every '{' closed, every {env:NAME} a
 * variable name; then the URL with harmless sample values in the
 * placeholders must be one libcurl fetches.
 */
static int check_url_template(struct source *s, const char *tmpl, const char *what, struct url_template *t,
			      const char *file, const char *where, struct kerr *e)
{
	struct tmpl tp = {s, t, {0}, file, "", !strcmp(what, "detail.url")};
	char text[72];
	int ret = -1;

	snprintf(tp.key, sizeof(tp.key), "%s.%s", where, what);
	kbuf_init(&tp.b, 64 * 1024); /* collector/collect.c's cap on a request URL */
	for (const char *p = tmpl; *p;) {
		const char *name = p + 1;
		size_t n = strcspn(name, "{}");
		long lit;

		if (*p == '}') {
			shown(text, 24, p, strlen(p));
			kerr_set(e, KERR_USAGE, "%s: %s: '}' without '{' at \"%s\" (write a literal '}' as %%7D)",
				 file, tp.key, text);
			goto out;
		}
		if (*p != '{') {
			if ((lit = tmpl_literal(&tp, p, e)) < 0)
				goto out;
			p += lit;
			continue;
		}
		if (name[n] != '}') {
			shown(text, 24, p, strlen(p));
			kerr_set(e, KERR_USAGE,
				 "%s: %s: unclosed '{' at \"%s\" (end a placeholder with '}'; write a literal '{' as %%7B)",
				 file, tp.key, text);
			goto out;
		}
		if (tmpl_placeholder(&tp, name, n, e) < 0)
			goto out;
		p = name + n + 1;
	}
	if (!tp.b.data || (strncmp(tp.b.data, "http://", 7) && strncmp(tp.b.data, "https://", 8))) {
		kerr_set(e, KERR_USAGE,
			 "%s: %s: expected an http:// or https:// URL once the placeholders are filled in "
			 "(start it with {base_url})",
			 file, tp.key);
		goto out;
	}
	ret = check_http_url(tp.b.data, 0, file, tp.key, e);
out:
	kbuf_release(&tp.b);
	return ret;
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
	if (json_object_size(v) > SOURCE_HEADERS_MAX)
		return kerr_set(e, KERR_USAGE, "%s: %s.headers: at most %d headers", file, where,
				SOURCE_HEADERS_MAX);
	if (!(s->headers = calloc(json_object_size(v) + 1, sizeof(*s->headers))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	json_object_foreach(v, key, h)
	{
		struct source_header *sh = &s->headers[i++];
		char path[300], name[72];
		const char *bad;

		s->nheaders++;
		shown(name, sizeof(name), key, strlen(key));
		snprintf(path, sizeof(path), "%s.headers.%s", where, name);
		if (!header_name_ok(key))
			return kerr_set(e, KERR_USAGE,
					"%s: %s: not a header name (letters, digits and !#$%%&'*+-.^_`|~ only)", file,
					path);
		if (!(sh->name = strdup(key)))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (json_is_string(h)) {
			if (config_get_string(h, file, path, &sh->value, e) < 0)
				return -1;
			if ((bad = header_text_bad(sh->value)))
				return kerr_set(e, KERR_USAGE, "%s: %s: %s", file, path, bad);
			if (strlen(sh->value) > HEADER_VALUE_MAX)
				return kerr_set(e, KERR_USAGE, "%s: %s: longer than %d bytes", file, path,
						HEADER_VALUE_MAX);
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
			if (sh->prefix && (bad = header_text_bad(sh->prefix)))
				return kerr_set(e, KERR_USAGE, "%s: %s.prefix: %s", file, path, bad);
			if (sh->prefix && strlen(sh->prefix) > HEADER_VALUE_MAX)
				return kerr_set(e, KERR_USAGE, "%s: %s.prefix: longer than %d bytes", file, path,
						HEADER_VALUE_MAX);
		} else
			return kerr_set(e, KERR_USAGE, "%s: %s: expected a string or {\"env\": NAME}", file, path);
	}
	return 0;
}

/* A feed's `detail`: {"url": TEMPLATE with {id}, "item": POINTER,
 * "gone": POINTER}. */
static int load_detail(struct source *s, json_t *v, const char *file, const char *where, struct kerr *e)
{
	static const char *const keys[] = {"url", "item", "gone", NULL};
	char dw[128];
	json_t *x;

	snprintf(dw, sizeof(dw), "%s.detail", where);
	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE,
				"%s: %s: expected {\"url\": \"{base_url}/item?id={id}\", \"item\": \"/data/item\", "
				"\"gone\": \"/data/deleted\"}",
				file, dw);
	if (config_check_keys(v, keys, file, dw, e) < 0)
		return -1;
	if (!json_is_string(x = json_object_get(v, "url")))
		return kerr_set(e, KERR_USAGE, "%s: %s.url: required: the item's page, with {id}", file, dw);
	if (!strstr(json_string_value(x), "{id}"))
		return kerr_set(e, KERR_USAGE, "%s: %s.url: has no {id} (where the post's id goes)", file, dw);
	if (!(s->detail_url = strdup(json_string_value(x))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (check_url_template(s, s->detail_url, "detail.url", &s->detail_parts, file, where, e) < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		const char *name = k ? "gone" : "item";
		char **out = k ? &s->detail_gone : &s->detail_item;
		if (!(x = json_object_get(v, name)))
			continue;
		if (!json_is_string(x) || !pointer_ok(json_string_value(x)))
			return kerr_set(e, KERR_USAGE, "%s: %s.%s: expected a JSON Pointer (\"/data/item\")", file, dw,
					name);
		if (!(*out = strdup(json_string_value(x))))
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

/* A feed's `fields`: import field -> JSON Pointer; post_id and
 * created_at required. */
static int load_fields(struct source *s, json_t *o, const char *file, const char *where, struct kerr *e)
{
	json_t *v = json_object_get(o, "fields"), *p;
	const char *key;
	char path[300];

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
	return 0;
}

/* A feed's `time_format` (unix when not given). */
static int load_time_format(struct source *s, json_t *o, const char *file, const char *where, struct kerr *e)
{
	char *tf = NULL;

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
	return 0;
}

/* A feed's `paging` (page numbers from 1 when not given). */
static int load_paging(struct source *s, json_t *o, const char *file, const char *where, struct kerr *e)
{
	json_t *v = json_object_get(o, "paging");
	char path[300], *kind = NULL;

	snprintf(path, sizeof(path), "%s.paging", where);
	s->paging = SP_PAGE;
	if (!v)
		return 0;
	if (!json_is_object(v))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object {\"kind\": ...}", file, path);
	if (config_check_keys(v, paging_keys, file, path, e) < 0 || opt_string(v, "kind", file, path, &kind, e) < 0 ||
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
	return 0;
}

/* What only a generic feed has: its url template, detail, items, fields,
 * time format and paging. */
static int load_generic(struct source *s, json_t *o, const char *file, const char *where,
			struct kerr *e)
{
	json_t *v;

	if (!s->url)
		return kerr_set(e, KERR_USAGE, "%s: %s.url: a generic feed needs a URL template", file, where);
	if (check_url_template(s, s->url, "url", &s->url_parts, file, where, e) < 0)
		return -1;
	if ((v = json_object_get(o, "detail")) && load_detail(s, v, file, where, e) < 0)
		return -1;
	if (!s->items)
		return kerr_set(e, KERR_USAGE, "%s: %s.items: a generic feed needs the pointer to its items",
				file, where);
	if (!pointer_ok(s->items))
		return kerr_set(e, KERR_USAGE, "%s: %s.items: expected a JSON Pointer (\"/data/list\")", file, where);
	if (load_fields(s, o, file, where, e) < 0 || load_time_format(s, o, file, where, e) < 0)
		return -1;
	return load_paging(s, o, file, where, e);
}

/* The defaults of a source's settings (README: Collecting). */
static void source_defaults(struct source *s)
{
	s->enabled = 1;
	s->max_pages = 50;
	s->refresh_budget = 300;
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
}

/* `name`: required, short, of characters fit for messages and cursors. */
static int load_name(struct source *s, json_t *o, const char *file, const char *where, struct kerr *e)
{
	if (!json_object_get(o, "name"))
		return kerr_set(e, KERR_USAGE, "%s: %s.name: required (a short name for messages and cursors)",
				file, where);
	if (opt_string(o, "name", file, where, &s->name, e) < 0)
		return -1;
	if (strlen(s->name) > SOURCE_NAME_MAX)
		return kerr_set(e, KERR_USAGE, "%s: %s.name: longer than %d bytes (a short name: it names the source "
				"in messages, cursors and kepu runs)", file, where, SOURCE_NAME_MAX);
	for (const char *p = s->name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return kerr_set(e, KERR_USAGE, "%s: %s.name: use letters, digits, '_', '-' and '.'", file, where);
	return 0;
}

/* `platform`: which collector reads the source. */
static int load_platform(struct source *s, json_t *o, const char *file, const char *where, struct kerr *e)
{
	char *platform = NULL;

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
	return 0;
}

/* The settings every kind of source has, each within its range. */
static int load_settings(struct source *s, json_t *o, const char *file, const char *where, struct kerr *e)
{
	json_t *v;

	if (opt_string(o, "base_url", file, where, &s->base_url, e) < 0 ||
	    opt_string(o, "query", file, where, &s->query, e) < 0 ||
	    opt_int(o, "max_pages", file, where, 1, 100000, &s->max_pages, e) < 0 ||
	    opt_int(o, "refresh_budget", file, where, 0, 1000000, &s->refresh_budget, e) < 0 ||
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
	if ((v = json_object_get(o, "order"))) {
		const char *ov = json_string_value(v);
		if (!ov || (strcmp(ov, "newest") && strcmp(ov, "relevance")))
			return kerr_set(e, KERR_USAGE,
					"%s: %s.order: expected \"newest\" (the platform sorts by time, the default) or "
					"\"relevance\" (it ignores the sort: every run reads max_pages pages)",
					file, where);
		s->order = !strcmp(ov, "relevance") ? SOURCE_ORDER_RELEVANCE : SOURCE_ORDER_NEWEST;
	}
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
	return 0;
}

/* What goes into every request, checked as the request will use it: the
 * query's length, the user agent, base_url (its trailing '/' dropped),
 * the name of cookie_env. */
static int check_request_settings(struct source *s, const char *file, const char *where, struct kerr *e)
{
	size_t n;

	if (s->query && strlen(s->query) > QUERY_MAX)
		return kerr_set(e, KERR_USAGE, "%s: %s.query: longer than %d bytes", file, where, QUERY_MAX);
	if (s->user_agent) {
		const char *bad = header_text_bad(s->user_agent);
		if (bad)
			return kerr_set(e, KERR_USAGE, "%s: %s.user_agent: %s", file, where, bad);
		if (strlen(s->user_agent) > USER_AGENT_MAX)
			return kerr_set(e, KERR_USAGE, "%s: %s.user_agent: longer than %d bytes", file, where,
					USER_AGENT_MAX);
	}
	if (!s->base_url)
		return kerr_set(e, KERR_USAGE, "%s: %s.base_url: expected an http:// or https:// URL", file, where);
	if (check_base_url(s->base_url, file, where, e) < 0)
		return -1;
	n = strlen(s->base_url);
	while (n > 8 && s->base_url[n - 1] == '/')
		s->base_url[--n] = '\0'; /* paths are appended with their own '/' */
	if (s->cookie_env && !env_name_ok(s->cookie_env))
		return kerr_set(e, KERR_USAGE,
				"%s: %s.cookie_env: expected the name of an environment variable (A-Z, 0-9, _), not its value",
				file, where);
	return 0;
}

static int load_source(struct config *c, struct source *s, json_t *o, const char *file, size_t idx,
		       struct kerr *e)
{
	char where[64];
	json_t *v;

	snprintf(where, sizeof(where), "sources[%zu]", idx);
	if (!json_is_object(o))
		return kerr_set(e, KERR_USAGE, "%s: %s: expected an object", file, where);
	if (config_check_keys(o, source_keys, file, where, e) < 0)
		return -1;
	source_defaults(s);
	if (load_name(s, o, file, where, e) < 0)
		return -1;
	for (size_t i = 0; i < idx; i++)
		if (!strcmp(c->sources[i].name, s->name))
			return kerr_set(e, KERR_USAGE, "%s: %s.name: '%s' is already sources[%zu]", file, where,
					s->name, i);
	if (load_platform(s, o, file, where, e) < 0 || load_settings(s, o, file, where, e) < 0 ||
	    check_request_settings(s, file, where, e) < 0)
		return -1;
	if ((v = json_object_get(o, "headers")) && load_headers(s, v, file, where, e) < 0)
		return -1;
	if (s->item_platform && !platform_find(s->item_platform))
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
		url_template_free(&s->url_parts);
		url_template_free(&s->detail_parts);
		free(s->detail_url);
		free(s->detail_item);
		free(s->detail_gone);
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
