/* normalize.c: one pass over the text; see normalize.h. */
#include "normalize.h"

#include <string.h>

#include <stdint.h>
#include <stdlib.h>

#include "../util/html.h"
#include "../util/utf8.h"
#include "t2s_table.h"

/* A traditional character's simplified form (萬 -> 万), or cp itself. */
static uint32_t simplified(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(t2s_table) / sizeof(t2s_table[0]);

	if (cp >= T2S_BITS_BASE && cp < T2S_BITS_END &&
	    !(t2s_bits[(cp - T2S_BITS_BASE) / 64] >> ((cp - T2S_BITS_BASE) % 64) & 1))
		return cp;
	if (cp < t2s_table[0][0] || cp > t2s_table[hi - 1][0])
		return cp;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t2s_table[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sizeof(t2s_table) / sizeof(t2s_table[0]) && t2s_table[lo][0] == cp ? t2s_table[lo][1] : cp;
}

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
	/* the common case inline: a three-byte character (CJK), checked for
	 * continuation bytes, overlong forms and surrogates */
	if (need == 3)
		return (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (c != 0xE0 || s[1] >= 0xA0) &&
			       (c != 0xED || s[1] < 0xA0)
			       ? 3
			       : 0;
	return utf8_invalid_at((const char *)s, need) < 0 ? need : 0;
}

static int put_cp(struct kbuf *out, uint32_t cp, struct kerr *e)
{
	char tmp[4];
	return kbuf_add(out, tmp, (size_t)utf8_encode(cp, tmp), e);
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

		if (c == '<' && (l = html_tag_at(s + i, n - i, &brk))) {
			if (brk && kbuf_addc(out, '\n', e) < 0)
				return -1;
			i += l;
			continue;
		}
		if (c == '&' && (l = html_entity_at(s + i, n - i, &cp))) {
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
		else if (cp >= 0x3400)
			cp = simplified(cp);
		if (put_cp(out, cp, e) < 0)
			return -1;
	}
	return 0;
}
