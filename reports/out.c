/* out.c: see out.h. */
#include "out.h"

#include <stdarg.h>

#include "escape.h"

void out_init(struct out *o, struct kerr *e)
{
	kbuf_init(&o->b, 256 * 1024 * 1024);
	o->e = e;
	o->failed = 0;
}

void out_put(struct out *o, const char *s)
{
	if (!o->failed && kbuf_adds(&o->b, s, o->e) < 0)
		o->failed = 1;
}

void out_putf(struct out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	if (o->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		kerr_set(o->e, KERR_NOMEM, "a formatted piece of the page is too long");
		o->failed = 1;
		return;
	}
	if (kbuf_add(&o->b, tmp, (size_t)n, o->e) < 0)
		o->failed = 1;
}

void out_html(struct out *o, const char *s)
{
	if (!o->failed && esc_html(&o->b, s, o->e) < 0)
		o->failed = 1;
}

void out_md(struct out *o, const char *s, size_t max)
{
	if (!o->failed && esc_md(&o->b, s, max, o->e) < 0)
		o->failed = 1;
}

void out_csv(struct out *o, const char *s)
{
	if (!o->failed && esc_csv(&o->b, s, o->e) < 0)
		o->failed = 1;
}

void out_url(struct out *o, const char *url)
{
	if (!o->failed && esc_url(&o->b, url, o->e) < 0)
		o->failed = 1;
}

int out_flush(struct out *o, FILE *f, const char *what)
{
	int rc = 0;

	if (o->failed)
		rc = -1;
	else if (o->b.len && (fwrite(o->b.data, 1, o->b.len, f) != o->b.len || fflush(f) != 0))
		rc = kerr_set(o->e, KERR_IO, "cannot write %s", what);
	kbuf_release(&o->b);
	return rc;
}
