/* regex.c: see regex.h. */
#include "regex.h"

pcre2_code *regex_compile(const char *re, uint32_t flags, const char *what, struct kerr *e)
{
	int errcode;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | flags, &errcode, &off, NULL);

	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		kerr_set(e, KERR_USAGE, "%s pattern: %s at offset %zu", what, (char *)msg, (size_t)off);
		return NULL;
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

int regex_add_literal(struct kbuf *re, const char *s, struct kerr *e)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80 && !((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9') &&
		    kbuf_addc(re, '\\', e) < 0)
			return -1;
		if (kbuf_addc(re, (char)c, e) < 0)
			return -1;
	}
	return 0;
}
