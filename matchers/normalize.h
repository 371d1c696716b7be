/*
 * normalize.h (private to matchers/): the text form every matcher reads.
 *
 * Platforms hand out HTML (Bilibili titles with <em class="keyword">,
 * Weibo texts with <span> and <br />) and people write tags with
 * full-width characters and invisible ones.  PCRE2 does none of this
 * folding by itself, so matchers run on the normalized copy:
 *   - HTML tags removed (<br>, <p>, <div> become a line break) and the
 *     entities &lt; &gt; &amp; &quot; &apos; &nbsp; &#NN; &#xHH; decoded;
 *   - full-width ASCII U+FF01..U+FF5E to ASCII, ＃ and ﹟ to #, U+3000 and
 *     U+00A0 to a space, CR to LF;
 *   - zero-width characters (U+200B..U+200D, U+2060, U+FEFF) and
 *     variation selectors removed;
 *   - traditional characters to their simplified forms (萬州 -> 万州, 千萬IP創科普
 *     -> 千万IP创科普), one character at a time, by OpenCC's table
 *     (t2s_table.h, tools/gen_t2s.py);
 *   - bytes that are not UTF-8 become U+FFFD, so nothing matches by accident.
 * Letter case is kept; matchers compare Latin letters caselessly.
 */
#ifndef KEPU_MATCHERS_NORMALIZE_H
#define KEPU_MATCHERS_NORMALIZE_H

#include "../util/buf.h"

/* Append the normalized form of s[0..n) to out.  -1 only past out's cap. */
int text_normalize(const char *s, size_t n, struct kbuf *out, struct kerr *e);

#endif
