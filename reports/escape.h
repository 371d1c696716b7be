/*
 * escape.h (private to reports/): putting post text into each format
 * safely.  Every string that comes from a post goes through one of these.
 */
#ifndef KEPU_REPORTS_ESCAPE_H
#define KEPU_REPORTS_ESCAPE_H

#include "../util/buf.h"

/* HTML text and attribute values: & < > " ' escaped. */
int esc_html(struct kbuf *b, const char *s, struct kerr *e);
/* A Markdown table cell: no line breaks or pipes, no HTML, no links or
 * emphasis; cut to max characters (0: no cut) with an ellipsis. */
int esc_md(struct kbuf *b, const char *s, size_t max, struct kerr *e);
/* A CSV cell (RFC 4180 quoting); a cell a spreadsheet would run as a
 * formula (= + - @ tab CR first) gets a leading apostrophe. */
int esc_csv(struct kbuf *b, const char *s, struct kerr *e);
/* An http(s) URL safe for href and Markdown link targets, or nothing (0
 * returned, nothing written) for any other scheme. */
int esc_url(struct kbuf *b, const char *url, struct kerr *e);
/* Is url an http(s) URL? */
int esc_url_ok(const char *url);

#endif
