/*
 * regex.h (private to matchers/): compiling the matchers' PCRE2 patterns
 * the one way they are all compiled: UTF and UCP on, JIT when the CPU has
 * it (without, the interpreter gives the same answers), errors named.
 */
#ifndef KEPU_MATCHERS_REGEX_H
#define KEPU_MATCHERS_REGEX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../util/buf.h"

/* Compile re with PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | flags;
 * what names the pattern in the error.  The caller frees the code. */
pcre2_code *regex_compile(const char *re, uint32_t flags, const char *what, struct kerr *e);

/* Append s to a pattern as a literal: every ASCII character that is not a
 * letter or digit is escaped (a configured tag like `C++科普` works). */
int regex_add_literal(struct kbuf *re, const char *s, struct kerr *e);

#endif
