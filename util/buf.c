/* buf.c: the capped byte buffer. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kbuf_init(struct kbuf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

void kbuf_release(struct kbuf *b)
{
	free(b->data);
	kbuf_init(b, b->cap);
}

int kbuf_grow(struct kbuf *b, size_t n, struct kerr *e)
{
	size_t want, na;
	char *p;

	if (n > b->cap || b->len > b->cap - n)
		return kerr_set(e, KERR_NOMEM, "more than %zu bytes", b->cap);
	want = b->len + n + 1;
	if (want <= b->alloc)
		return 0;
	na = b->alloc ? b->alloc : 256;
	while (na < want)
		na = na < ((size_t)-1) / 2 ? na * 2 : want;
	p = realloc(b->data, na);
	if (!p)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	b->data = p;
	b->alloc = na;
	return 0;
}

int kbuf_add(struct kbuf *b, const void *p, size_t n, struct kerr *e)
{
	if (kbuf_grow(b, n, e) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int kbuf_adds(struct kbuf *b, const char *s, struct kerr *e)
{
	return kbuf_add(b, s, strlen(s), e);
}

int kbuf_addc(struct kbuf *b, char c, struct kerr *e)
{
	return kbuf_add(b, &c, 1, e);
}

int kbuf_addf(struct kbuf *b, struct kerr *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return kerr_set(e, KERR_IO, "bad format");
	if (kbuf_grow(b, (size_t)n, e) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *kbuf_detach(struct kbuf *b)
{
	char *p = b->data;

	if (!p) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	}
	kbuf_init(b, b->cap);
	return p;
}
