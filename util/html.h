/*
 * html.h: the little HTML that platforms put into text fields: tags such as
 * <em class="keyword"> (Bilibili search titles), <a>/<span> around Weibo
 * topics and <br /> for line breaks, and character entities.
 */
#ifndef KEPU_UTIL_HTML_H
#define KEPU_UTIL_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* An HTML tag at s (`<` + letter, `/` or `!`, up to `>` within 512 bytes,
 * no `<` inside): its length, or 0 when this `<` is just text.  *is_break
 * says whether it is <br>, <p>, <div> or <li>, which end a line. */
size_t html_tag_at(const char *s, size_t n, int *is_break);

/* An entity at s (&lt; &gt; &amp; &quot; &apos; &nbsp; &#NN; &#xHH;): its
 * length and code point, or 0 when it is not one. */
size_t html_entity_at(const char *s, size_t n, uint32_t *cp);

/* Append s[0..n) as plain text: tags removed (line-breaking ones become
 * a newline), entities decoded, white space left as it was.  s must be
 * valid UTF-8.  -1 only past out's cap. */
int html_to_text(const char *s, size_t n, struct kbuf *out, struct kerr *e);

#endif
