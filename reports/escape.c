/* escape.c: see escape.h. */
#include "escape.h"

#include <string.h>

#include "../util/csvguard.h"

int esc_html(struct kbuf *b, const char *s, struct kerr *e)
{
	const char *run = s;

	if (!s)
		return 0;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (kbuf_add(b, run, (size_t)(s - run), e) < 0 || kbuf_adds(b, rep, e) < 0)
			return -1;
		run = s + 1;
	}
	return kbuf_add(b, run, (size_t)(s - run), e);
}

int esc_md(struct kbuf *b, const char *s, size_t max, struct kerr *e)
{
	size_t chars = 0;

	if (!s || !*s)
		return kbuf_adds(b, "—", e);
	while (*s) {
		unsigned char c = (unsigned char)*s;
		int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		int rc;

		if (max && chars == max)
			return kbuf_adds(b, "…", e);
		switch (c) {
		case '<': rc = kbuf_adds(b, "&lt;", e); break;
		case '>': rc = kbuf_adds(b, "&gt;", e); break;
		case '&': rc = kbuf_adds(b, "&amp;", e); break;
		case '|': case '\\': case '`': case '*': case '_': case '[': case ']':
		case '#': case '~': case '!':
			rc = kbuf_addc(b, '\\', e) < 0 ? -1 : kbuf_addc(b, (char)c, e);
			break;
		case '\n': case '\r': case '\t': rc = kbuf_addc(b, ' ', e); break;
		default:
			if (c < 0x20) {
				rc = 0;
				break;
			}
			/* a cut string may end inside a character */
			for (int k = 1; k < len; k++)
				if (!s[k])
					return 0;
			rc = kbuf_add(b, s, (size_t)len, e);
		}
		if (rc < 0)
			return -1;
		s += len;
		chars++;
	}
	return 0;
}

int esc_csv(struct kbuf *b, const char *s, struct kerr *e)
{
	int quote, guard;

	if (!s)
		return 0;
	quote = strpbrk(s, ",\"\r\n") != NULL || *s == ' ';
	guard = csv_guard_needed(s); /* util/csvguard.h */
	if (quote && kbuf_addc(b, '"', e) < 0)
		return -1;
	if (guard && kbuf_addc(b, '\'', e) < 0)
		return -1;
	for (; *s; s++) {
		if (*s == '"' && kbuf_addc(b, '"', e) < 0)
			return -1;
		if (kbuf_addc(b, *s, e) < 0)
			return -1;
	}
	return quote ? kbuf_addc(b, '"', e) : 0;
}

int esc_url_ok(const char *url)
{
	return url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7));
}

int esc_url(struct kbuf *b, const char *url, struct kerr *e)
{
	if (!esc_url_ok(url))
		return 0;
	for (const char *p = url; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '|' || c == '"' ||
		    c == '\'' || c == '\\' || c == '`' || c >= 0x7F) {
			if (kbuf_addf(b, e, "%%%02X", c) < 0)
				return -1;
		} else if (kbuf_addc(b, (char)c, e) < 0)
			return -1;
	}
	return 0;
}
