/*
 * summary_doc.c: the document model's storage (summary_doc.h): the blocks,
 * the arena their strings live in, and cleaning text from posts for a
 * document.
 */
#include "summary_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"

void summary_doc_init(struct sd_doc *d)
{
	memset(d, 0, sizeof(*d));
	arena_init(&d->a);
}

void summary_doc_release(struct sd_doc *d)
{
	free(d->b);
	arena_release(&d->a);
	memset(d, 0, sizeof(*d));
}

struct sd_block *summary_doc_add(struct sd_doc *d, enum sd_kind kind)
{
	struct sd_block *b;

	if (d->failed)
		return NULL;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		struct sd_block *nb = realloc(d->b, nc * sizeof(*nb));
		if (!nb) {
			d->failed = 1;
			return NULL;
		}
		d->b = nb;
		d->cap = nc;
	}
	b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

/* Emoji and their joiners and modifiers: the official faces have none, so
 * a PDF would print boxes (★ and ☆, which they have, stay). */
static int emoji(uint32_t c)
{
	return (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x2600 && c <= 0x27bf && c != 0x2605 && c != 0x2606) ||
	       (c >= 0x2b00 && c <= 0x2bff) || c == 0xfe0e || c == 0xfe0f || c == 0x200d || (c >= 0xe0000 && c <= 0xe007f);
}

/* May code point c stand in a document?  Not the C0 and C1 controls (a
 * line break or tab becomes a space before this), not U+FFFE/U+FFFF
 * (XML 1.0 forbids them), not the bidirectional overrides and isolates,
 * which would let a title reorder the text after it, not emoji.  U+2028
 * (SD_BREAK) is the template's line break in a title. */
static int printable(uint32_t c)
{
	return c >= 0x20 && !(c >= 0x7f && c <= 0x9f) && c != 0xfffe && c != 0xffff &&
	       !(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069) && !(c >= 0xd800 && c <= 0xdfff) &&
	       !emoji(c);
}

/* Append code point c (white space collapsed to one space) to the buffer. */
static void put_cp(char *out, size_t *o, uint32_t c, int *space)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
		*space = *o > 0;
		return;
	}
	if (!printable(c))
		return;
	if (*space) {
		out[(*o)++] = ' ';
		*space = 0;
	}
	*o += (size_t)utf8_encode(c, out + *o);
}

const char *summary_clean(struct sd_doc *d, const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0, o = 0, chars = 0, i = 0;
	char *out;
	int space = 0;

	/* at most 3 bytes of U+FFFD per bad byte, 4 per character, and "…" */
	if (!(out = arena_alloc(&d->a, n * 3 + 8))) {
		d->failed = 1;
		return "";
	}
	while (i < n && (!max || chars < max)) {
		long bad = utf8_invalid_at(s + i, n - i);
		size_t good_end = bad < 0 ? n : i + (size_t)bad;
		while (i < good_end && (!max || chars < max)) {
			uint32_t c;
			i += (size_t)utf8_decode((const unsigned char *)s + i, &c);
			put_cp(out, &o, c, &space);
			chars++;
		}
		if (i == good_end && bad >= 0 && i < n) {
			put_cp(out, &o, 0xfffd, &space); /* a byte that is not UTF-8 */
			i++;
			chars++;
		}
	}
	if (i < n) {
		memcpy(out + o, "…", strlen("…"));
		o += strlen("…");
	}
	out[o] = '\0';
	return out;
}

const char *summary_fmt(struct sd_doc *d, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = arena_alloc(&d->a, (size_t)n + 1))) {
		d->failed = 1;
		return "";
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}
