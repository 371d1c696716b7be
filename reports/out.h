/*
 * out.h (private to reports/): a page being written, with a sticky error:
 * after the first failure every call is a no-op and the failure is checked
 * once, in out_flush(), so a renderer reads like the page it writes.
 * Text from outside goes through out_html / out_md / out_csv / out_url,
 * which escape it (escape.h); out_put and out_putf are for the renderer's
 * own literals and numbers only.
 */
#ifndef KEPU_REPORTS_OUT_H
#define KEPU_REPORTS_OUT_H

#include <stdio.h>

#include "../util/buf.h"

struct out {
	struct kbuf b;
	struct kerr *e;
	int failed;
};

void out_init(struct out *o, struct kerr *e);
void out_put(struct out *o, const char *s);
void out_putf(struct out *o, const char *fmt, ...) KEPU_PRINTF(2, 3);
void out_html(struct out *o, const char *s);
void out_md(struct out *o, const char *s, size_t max);
void out_csv(struct out *o, const char *s);
void out_url(struct out *o, const char *url);
/* Write everything to f (what names it in an error) and free the buffer. */
int out_flush(struct out *o, FILE *f, const char *what);

#endif
