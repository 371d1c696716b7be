/* jsonw.c: JSON string escaping per RFC 8259 section 7. */
#include "jsonw.h"

#include <inttypes.h>
#include <string.h>

int jsonw_str(struct kbuf *b, const char *s, struct kerr *e)
{
	static const char hex[] = "0123456789abcdef";
	const char *run;

	if (!s)
		return kbuf_add(b, "null", 4, e);
	if (kbuf_addc(b, '"', e) < 0)
		return -1;
	run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (kbuf_add(b, run, (size_t)(s - run), e) < 0)
			return -1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (kbuf_add(b, esc, n, e) < 0)
			return -1;
		run = s + 1;
	}
	if (kbuf_add(b, run, (size_t)(s - run), e) < 0)
		return -1;
	return kbuf_addc(b, '"', e);
}

int jsonw_key(struct kbuf *b, const char *key, struct kerr *e)
{
	if (jsonw_str(b, key, e) < 0)
		return -1;
	return kbuf_addc(b, ':', e);
}

int jsonw_int(struct kbuf *b, int64_t v, struct kerr *e)
{
	return kbuf_addf(b, e, "%" PRId64, v);
}
