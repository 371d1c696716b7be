/*
 * redact.h: the secrets a run has seen, and messages with them blotted out.
 *
 * Every value kepu takes from the environment for a request (cookies,
 * tokens in headers or in a feed's URL) is a secret whatever its length:
 * a message that reaches standard error, the database or a report has
 * each of them replaced by `***`, in its raw and its URL-encoded form,
 * and the values of query parameters whose names look like credentials
 * (token, key, sign, ...) as well.  There is no limit on the number or
 * the length of secrets.
 *
 * Not for: deciding what is secret (the collector registers values).
 */
#ifndef KEPU_UTIL_REDACT_H
#define KEPU_UTIL_REDACT_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct redact {
	char **v;       /* owned; longest first */
	size_t n, alloc;
};

void redact_init(struct redact *r);
void redact_release(struct redact *r);
/* Register a secret (and its URL-encoded form).  Empty values are ignored. */
int redact_add(struct redact *r, const char *value, struct kerr *e);
/* msg with every secret replaced, into out (reset first). */
int redact_apply(const struct redact *r, const char *msg, struct kbuf *out, struct kerr *e);

#endif
