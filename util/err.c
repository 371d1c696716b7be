/* err.c: filling and prefixing the error struct. */
#include "err.h"

#include <stdio.h>
#include <string.h>

int kerr_set(struct kerr *e, enum kerr_code code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int kerr_prefix(struct kerr *e, const char *fmt, ...)
{
	char head[512], old[sizeof(e->msg)];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	{
		/* head, ": ", then as much of the old message as fits */
		size_t hl = strlen(head), room = sizeof(e->msg);
		if (hl > room - 3)
			hl = room - 3;
		memcpy(e->msg, head, hl);
		memcpy(e->msg + hl, ": ", 2);
		size_t ol = strnlen(old, room - hl - 3);
		memcpy(e->msg + hl + 2, old, ol);
		e->msg[hl + 2 + ol] = '\0';
	}
	return -1;
}

void kerr_clear(struct kerr *e)
{
	if (e) {
		e->code = KERR_OK;
		e->msg[0] = '\0';
	}
}
