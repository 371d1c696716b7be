/* normalize.c: one pass over the text; see normalize.h. */
#include "normalize.h"

#include <string.h>

#include "../util/utf8.h"

/* Length of a well-formed UTF-8 sequence at s (n bytes left), 0 if bad. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;

	if (c < 0x80)
		return c ? 1 : 0;
	need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (!need || n < need)
		return 0;
	return utf8_invalid_at((const char *)s, need) < 0 ? need : 0;
}

static int put_cp(struct kbuf *out, uint32_t cp, struct kerr *e)
{
	char tmp[4];
	return kbuf_add(out, tmp, (size_t)utf8_encode(cp, tmp), e);
}

/* An HTML tag at s (`<` + letter, `/` or `!`, up to `>` within 512 bytes,
 * no `<` inside): its length, 0 if this `<` is just text. */
static size_t html_tag(const char *s, size_t n, int *is_break)
{
	size_t i, lim = n < 512 ? n : 512;
	char name[4] = {0};
	size_t k = 0, j = 1;

	if (n < 3 || !(s[1] == '/' || s[1] == '!' || ((s[1] | 32) >= 'a' && (s[1] | 32) <= 'z')))
		return 0;
	for (i = 1; i < lim; i++) {
		if (s[i] == '<')
			return 0;
		if (s[i] == '>')
			break;
	}
	if (i >= lim)
		return 0;
	if (s[j] == '/')
		j++;
	while (j < i && k < 3 && (s[j] | 32) >= 'a' && (s[j] | 32) <= 'z')
		name[k++] = (char)(s[j++] | 32);
	*is_break = (j >= i || !((s[j] | 32) >= 'a' && (s[j] | 32) <= 'z')) &&
		    (!strcmp(name, "br") || !strcmp(name, "p") || !strcmp(name, "div") ||
		     !strcmp(name, "li"));
	return i + 1;
}

/* An entity at s: its length and code point, 0 if not one we decode. */
static size_t html_entity(const char *s, size_t n, uint32_t *cp)
{
	static const struct {
		const char *name;
		uint32_t cp;
	} named[] = {{"&lt;", '<'},   {"&gt;", '>'},     {"&amp;", '&'},
		     {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", ' '}};
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		size_t l = strlen(named[i].name);
		if (n >= l && !memcmp(s, named[i].name, l)) {
			*cp = named[i].cp;
			return l;
		}
	}
	if (n >= 4 && s[1] == '#') {
		uint32_t v = 0;
		int hex = s[2] == 'x' || s[2] == 'X', digits = 0;

		for (i = hex ? 3 : 2; i < n && i < 12; i++) {
			char c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10
									    : -1;
			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
			digits++;
		}
		if (digits && i < n && s[i] == ';' && v && v <= 0x10FFFF && (v < 0xD800 || v > 0xDFFF)) {
			*cp = v;
			return i + 1;
		}
	}
	return 0;
}

int text_normalize(const char *s, size_t n, struct kbuf *out, struct kerr *e)
{
	size_t i = 0;

	if (kbuf_grow(out, n, e) < 0)
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t l;
		int brk;

		if (c == '<' && (l = html_tag(s + i, n - i, &brk))) {
			if (brk && kbuf_addc(out, '\n', e) < 0)
				return -1;
			i += l;
			continue;
		}
		if (c == '&' && (l = html_entity(s + i, n - i, &cp))) {
			i += l;
		} else if (c < 0x80) {
			if (!c) {
				i++;
				continue; /* NUL never reaches a matcher */
			}
			if (kbuf_addc(out, c == '\r' ? '\n' : (char)c, e) < 0)
				return -1;
			i++;
			continue;
		} else if (!(l = seq_len((const unsigned char *)s + i, n - i))) {
			cp = 0xFFFD;
			i++;
		} else {
			utf8_decode((const unsigned char *)s + i, &cp);
			i += l;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		else if (cp == 0xFE5F)
			cp = '#';
		else if (cp == 0x3000 || cp == 0xA0)
			cp = ' ';
		else if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
			 (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
			continue;
		if (put_cp(out, cp, e) < 0)
			return -1;
	}
	return 0;
}
