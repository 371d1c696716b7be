/*
 * jsonw.h: writing JSON text by hand, for output paths that are hot
 * (export of a million posts) or that need a fixed key order.
 * Input strings must be valid UTF-8; they are written as is except for
 * the characters JSON requires escaped.
 */
#ifndef KEPU_UTIL_JSONW_H
#define KEPU_UTIL_JSONW_H

#include <stdint.h>

#include "buf.h"

/* Append s as a JSON string literal ("null" when s is NULL). */
int jsonw_str(struct kbuf *b, const char *s, struct kerr *e);
/* Append `"key":` */
int jsonw_key(struct kbuf *b, const char *key, struct kerr *e);
int jsonw_int(struct kbuf *b, int64_t v, struct kerr *e);

#endif
