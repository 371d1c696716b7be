/* render_html.c: placeholder until the HTML renderer lands. */
#include "report.h"

int report_render_html(const struct report *r, FILE *out, struct kerr *e)
{
	(void)r;
	(void)out;
	return kerr_set(e, KERR_USAGE, "the HTML report is not built yet");
}
