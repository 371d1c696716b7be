/* jsontaint.c: see jsontaint.h. */
#include "jsontaint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/utf8.h"

#define MAX_TAINTS 10000
#define MAX_DEPTH 2048 /* jansson's own nesting limit */

struct scan {
	const char *s;
	size_t len, i;
	struct arena *a;
	struct json_taints *out;
	size_t cap;
	struct kbuf path; /* the JSON Pointer of the value being read */
	int depth;
	int nomem;
};

static void ws(struct scan *sc)
{
	while (sc->i < sc->len && strchr(" \t\r\n", sc->s[sc->i]) && sc->s[sc->i])
		sc->i++;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void put_utf8(struct kbuf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	kbuf_add(b, u, n, NULL);
}

/* A string at sc->i (the opening quote), decoded into dec when given;
 * *nul says whether it holds U+0000. */
static void string(struct scan *sc, struct kbuf *dec, int *nul)
{
	*nul = 0;
	sc->i++;
	while (sc->i < sc->len && sc->s[sc->i] != '"') {
		char c = sc->s[sc->i];
		if (c != '\\') {
			if (dec)
				kbuf_addc(dec, c, NULL);
			sc->i++;
			continue;
		}
		if (sc->i + 1 >= sc->len)
			break;
		c = sc->s[sc->i + 1];
		sc->i += 2;
		if (c == 'u' && sc->i + 4 <= sc->len) {
			unsigned long cp = 0;
			for (int k = 0; k < 4; k++)
				cp = cp * 16 + (unsigned long)(hexval(sc->s[sc->i + (size_t)k]) & 15);
			sc->i += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && sc->i + 6 <= sc->len && sc->s[sc->i] == '\\' &&
			    sc->s[sc->i + 1] == 'u') {
				unsigned long lo = 0;
				for (int k = 0; k < 4; k++)
					lo = lo * 16 + (unsigned long)(hexval(sc->s[sc->i + 2 + (size_t)k]) & 15);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					sc->i += 6;
				}
			}
			if (!cp)
				*nul = 1;
			if (dec)
				put_utf8(dec, cp);
		} else if (dec) {
			const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *p = strchr(from, c);
			kbuf_addc(dec, p && c ? to[p - from] : c, NULL);
		}
	}
	sc->i++; /* the closing quote */
}

static void taint(struct scan *sc, const char *what)
{
	struct json_taint *t;

	if (sc->out->n == MAX_TAINTS) {
		sc->out->overflow = 1;
		return;
	}
	if (sc->out->n == sc->cap) {
		size_t nc = sc->cap ? sc->cap * 2 : 8;
		struct json_taint *nv = arena_alloc(sc->a, nc * sizeof(*nv));
		if (!nv) {
			sc->nomem = 1;
			return;
		}
		if (sc->out->n)
			memcpy(nv, sc->out->v, sc->out->n * sizeof(*nv));
		sc->out->v = nv;
		sc->cap = nc;
	}
	t = &sc->out->v[sc->out->n];
	t->where = arena_strndup(sc->a, sc->path.data ? sc->path.data : "", sc->path.len);
	t->what = arena_strndup(sc->a, what, strlen(what));
	if (!t->where || !t->what)
		sc->nomem = 1;
	else
		sc->out->n++;
}

/* Append "/token" (RFC 6901 escaped) to the path. */
static void path_push(struct scan *sc, const char *tok, size_t n)
{
	kbuf_addc(&sc->path, '/', NULL);
	for (size_t i = 0; i < n; i++) {
		if (tok[i] == '~')
			kbuf_adds(&sc->path, "~0", NULL);
		else if (tok[i] == '/')
			kbuf_adds(&sc->path, "~1", NULL);
		else
			kbuf_addc(&sc->path, tok[i], NULL);
	}
}

static void path_pop(struct scan *sc, size_t to)
{
	sc->path.len = to;
	if (sc->path.data)
		sc->path.data[to] = '\0';
}

struct key {
	size_t off, len; /* in the keys buffer */
};

static int cmp_keys(const void *x, const void *y, void *buf)
{
	const struct key *a = x, *b = y;
	const char *d = ((struct kbuf *)buf)->data;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(d + a->off, d + b->off, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void value(struct scan *sc);

static void object(struct scan *sc)
{
	struct kbuf keys;
	struct key *kv = NULL;
	size_t nk = 0, ak = 0, base = sc->path.len;

	kbuf_init(&keys, 64 * 1024 * 1024);
	sc->i++;
	ws(sc);
	while (sc->i < sc->len && sc->s[sc->i] == '"') {
		size_t start = keys.len;
		int nul;
		string(sc, &keys, &nul);
		if (nk == ak) {
			size_t na = ak ? ak * 2 : 16;
			struct key *nv = realloc(kv, na * sizeof(*nv));
			if (!nv) {
				sc->nomem = 1;
				break;
			}
			kv = nv;
			ak = na;
		}
		kv[nk].off = start;
		kv[nk].len = keys.len - start;
		nk++;
		path_push(sc, keys.data ? keys.data + start : "", keys.len - start);
		ws(sc);
		sc->i++; /* ':' */
		ws(sc);
		value(sc);
		path_pop(sc, base);
		ws(sc);
		if (sc->i < sc->len && sc->s[sc->i] == ',') {
			sc->i++;
			ws(sc);
		}
	}
	sc->i++; /* '}' */
	if (nk > 1 && keys.data) {
		/* sorted, equal keys are neighbours: each duplicate once */
		qsort_r(kv, nk, sizeof(*kv), cmp_keys, &keys);
		for (size_t k = 1; k < nk; k++)
			if (!cmp_keys(&kv[k - 1], &kv[k], &keys) && (k < 2 || cmp_keys(&kv[k - 2], &kv[k - 1], &keys))) {
				char what[300], q[256];
				path_push(sc, keys.data + kv[k].off, kv[k].len);
				snprintf(what, sizeof(what), "duplicate key \"%s\"",
					 utf8_quote(q, sizeof(q), keys.data + kv[k].off, kv[k].len, 40));
				taint(sc, what);
				path_pop(sc, base);
			}
	}
	free(kv);
	kbuf_release(&keys);
}

static void array(struct scan *sc)
{
	size_t base = sc->path.len;
	long idx = 0;
	char num[32];

	sc->i++;
	ws(sc);
	while (sc->i < sc->len && sc->s[sc->i] != ']') {
		int n = snprintf(num, sizeof(num), "%ld", idx++);
		path_push(sc, num, (size_t)n);
		value(sc);
		path_pop(sc, base);
		ws(sc);
		if (sc->i < sc->len && sc->s[sc->i] == ',') {
			sc->i++;
			ws(sc);
		} else
			break;
	}
	sc->i++; /* ']' */
}

static void value(struct scan *sc)
{
	int nul;

	ws(sc);
	if (sc->i >= sc->len || sc->nomem)
		return;
	if (++sc->depth > MAX_DEPTH) {
		sc->i = sc->len;
		return;
	}
	switch (sc->s[sc->i]) {
	case '{': object(sc); break;
	case '[': array(sc); break;
	case '"':
		string(sc, NULL, &nul);
		if (nul)
			taint(sc, "a NUL character (\\u0000) in a string");
		break;
	default:
		while (sc->i < sc->len && !strchr(",]} \t\r\n", sc->s[sc->i]))
			sc->i++;
	}
	sc->depth--;
}

int json_taint_scan(const char *text, size_t len, struct arena *a, struct json_taints *out)
{
	struct scan sc;

	memset(&sc, 0, sizeof(sc));
	memset(out, 0, sizeof(*out));
	sc.s = text;
	sc.len = len;
	sc.a = a;
	sc.out = out;
	kbuf_init(&sc.path, 1024 * 1024);
	value(&sc);
	kbuf_release(&sc.path);
	return sc.nomem ? -1 : 0;
}

/* Is p at or under `at` (a pointer prefix that ends at a token)? */
static int under(const char *p, const char *at)
{
	size_t n = strlen(at);
	return !strncmp(p, at, n) && (p[n] == '\0' || p[n] == '/');
}

const struct json_taint *json_taint_find(const struct json_taints *t, const char *at, int above)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (above ? under(at, t->v[i].where) : under(t->v[i].where, at))
			return &t->v[i];
	return NULL;
}
