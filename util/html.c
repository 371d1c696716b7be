/* html.c: tag and entity recognition; see html.h. */
#include "html.h"

#include <string.h>

#include "utf8.h"

size_t html_tag_at(const char *s, size_t n, int *is_break)
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

size_t html_entity_at(const char *s, size_t n, uint32_t *cp)
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

/* The alt text of an <img> tag t[0..l) (an emoji on Weibo: alt="[赞]", or
 * alt=[doge] unquoted as captures show), or NULL. */
static const char *img_alt(const char *t, size_t l, size_t *alen)
{
	const char *p;

	if (l < 6 || (t[1] | 32) != 'i' || (t[2] | 32) != 'm' || (t[3] | 32) != 'g' || (t[4] != ' ' && t[4] != '/'))
		return NULL;
	for (p = t + 4; p + 4 < t + l; p++)
		if ((p[-1] == ' ' || p[-1] == '/') && !strncmp(p, "alt=", 4)) {
			const char *v = p + 4, *end;
			char q = *v == '"' || *v == '\'' ? *v : 0;
			if (q)
				v++;
			for (end = v; end < t + l - 1 && (q ? *end != q : *end != ' ' && *end != '>'); end++)
				;
			if (end == v || memchr(v, '<', (size_t)(end - v)))
				return NULL;
			*alen = (size_t)(end - v);
			return v;
		}
	return NULL;
}

int html_to_text(const char *s, size_t n, struct kbuf *out, struct kerr *e)
{
	size_t i = 0, run = 0;

	while (i < n) {
		size_t l;
		uint32_t cp;
		int brk;

		if (s[i] == '<' && (l = html_tag_at(s + i, n - i, &brk))) {
			const char *alt;
			size_t alen = 0;
			if (kbuf_add(out, s + run, i - run, e) < 0 || (brk && kbuf_addc(out, '\n', e) < 0))
				return -1;
			/* the alt text is inside the tag: the output never grows past n */
			if ((alt = img_alt(s + i, l, &alen)) && kbuf_add(out, alt, alen, e) < 0)
				return -1;
			i += l;
			run = i;
		} else if (s[i] == '&' && (l = html_entity_at(s + i, n - i, &cp))) {
			char tmp[4];
			if (kbuf_add(out, s + run, i - run, e) < 0 ||
			    kbuf_add(out, tmp, (size_t)utf8_encode(cp, tmp), e) < 0)
				return -1;
			i += l;
			run = i;
		} else
			i++;
	}
	return kbuf_add(out, s + run, n - run, e);
}
