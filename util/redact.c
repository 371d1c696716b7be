/* redact.c: see redact.h. */
#include "redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void redact_init(struct redact *r)
{
	memset(r, 0, sizeof(*r));
}

void redact_release(struct redact *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	redact_init(r);
}

static int add_one(struct redact *r, char *v, struct kerr *e)
{
	size_t i, len = strlen(v);

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->v[i], v)) {
			free(v);
			return 0;
		}
	if (r->n == r->alloc) {
		size_t na = r->alloc ? r->alloc * 2 : 8;
		char **nv = realloc(r->v, na * sizeof(*nv));
		if (!nv) {
			free(v);
			return kerr_set(e, KERR_NOMEM, "out of memory");
		}
		r->v = nv;
		r->alloc = na;
	}
	/* longest first, so a secret inside a longer one never leaves the
	 * longer one's remains */
	for (i = r->n; i > 0 && strlen(r->v[i - 1]) < len; i--)
		r->v[i] = r->v[i - 1];
	r->v[i] = v;
	r->n++;
	return 0;
}

/* v as a URL query component encodes it (RFC 3986 unreserved kept). */
static char *url_encoded(const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(v) * 3 + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

int redact_add(struct redact *r, const char *value, struct kerr *e)
{
	char *raw, *enc;

	if (!value || !*value)
		return 0;
	if (!(raw = strdup(value)) || !(enc = url_encoded(value))) {
		free(raw);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	if (add_one(r, raw, e) < 0) {
		free(enc);
		return -1;
	}
	return add_one(r, enc, e);
}

/* Does the query parameter name (n bytes) look like a credential? */
static int secret_name(const char *name, size_t n)
{
	static const char *const keys[] = {"token", "key", "secret", "sign", "auth", "cookie",
					   "session", "sid", "password", "passwd", "ticket", "credential"};
	char low[64];

	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (strstr(low, keys[k]))
			return 1;
	return 0;
}

int redact_apply(const struct redact *r, const char *msg, struct kbuf *out, struct kerr *e)
{
	struct kbuf tmp;
	const char *p;
	int rc = -1;

	kbuf_init(&tmp, out->cap);
	kbuf_reset(out);
	/* 1: the registered values */
	if (kbuf_adds(&tmp, msg, e) < 0)
		goto done;
	for (size_t i = 0; i < r->n; i++) {
		size_t sl = strlen(r->v[i]);
		char *hit;
		if (!tmp.len || !strstr(tmp.data, r->v[i]))
			continue;
		kbuf_reset(out);
		for (p = tmp.data; (hit = strstr(p, r->v[i])); p = hit + sl)
			if (kbuf_add(out, p, (size_t)(hit - p), e) < 0 || kbuf_adds(out, "***", e) < 0)
				goto done;
		if (kbuf_adds(out, p, e) < 0)
			goto done;
		kbuf_reset(&tmp);
		if (kbuf_add(&tmp, out->data, out->len, e) < 0)
			goto done;
	}
	/* 2: query parameters named like credentials */
	kbuf_reset(out);
	for (p = tmp.len ? tmp.data : ""; *p;) {
		if ((*p == '?' || *p == '&') && p[1]) {
			size_t nl = strcspn(p + 1, "=& \"'");
			if (p[1 + nl] == '=' && secret_name(p + 1, nl)) {
				if (kbuf_add(out, p, nl + 2, e) < 0 || kbuf_adds(out, "***", e) < 0)
					goto done;
				p += nl + 2;
				p += strcspn(p, "& \"'");
				continue;
			}
		}
		if (kbuf_addc(out, *p++, e) < 0)
			goto done;
	}
	rc = 0;
done:
	kbuf_release(&tmp);
	return rc;
}
