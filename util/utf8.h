/*
 * utf8.h: UTF-8 validation and decoding.
 *
 * Text from platforms and files is checked here before anything else
 * reads it, so later code may assume well-formed UTF-8 without NULs.
 */
#ifndef KEPU_UTIL_UTF8_H
#define KEPU_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first byte that is not well-formed UTF-8 (overlongs,
 * surrogates and code points past U+10FFFF are not), or -1 when all of
 * s[0..n) is.  A NUL byte is reported as bad too. */
long utf8_invalid_at(const char *s, size_t n);

/* Decode one code point at s (which must be valid UTF-8 with at least one
 * byte left); store it in *cp and return its length in bytes. */
int utf8_decode(const unsigned char *s, uint32_t *cp);

/* Encode cp into out (4 bytes room); return the length. */
int utf8_encode(uint32_t cp, char *out);

/* Copy src into dst (cap bytes with the NUL), cut at a character
 * boundary when it does not fit. */
void utf8_copy(char *dst, size_t cap, const char *src);

/*
 * s[0..n) made safe for a one-line message: control characters written
 * as \n \r \t \xHH, bytes that are not UTF-8 as \xHH, at most max
 * characters (0: no limit) and then "…".  Into out (cap bytes with the
 * NUL), cut at a character boundary; returns out.  Hostile input quoted
 * in an error this way can neither break the line nor the terminal.
 */
const char *utf8_quote(char *out, size_t cap, const char *s, size_t n, size_t max);

#endif
