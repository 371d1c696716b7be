/*
 * buf.h: a growable byte buffer with a hard size cap.
 *
 * Every buffer filled from outside (a file line, an HTTP body, a report)
 * has a cap, so hostile input cannot make kepu eat the machine.  The
 * contents are always NUL-terminated once anything was added.
 *
 * Lifecycle: kbuf_init() allocates nothing; kbuf_release() frees the
 * contents and leaves an empty buffer that may be used again.
 */
#ifndef KEPU_UTIL_BUF_H
#define KEPU_UTIL_BUF_H

#include <stddef.h>

#include "err.h"

struct kbuf {
	char *data;     /* owned; NULL until something is added */
	size_t len;
	size_t alloc;
	size_t cap;     /* the most bytes len may reach */
};

void kbuf_init(struct kbuf *b, size_t cap);
void kbuf_release(struct kbuf *b);
/* Drop the contents, keep the allocation. */
static inline void kbuf_reset(struct kbuf *b) { b->len = 0; if (b->data) b->data[0] = '\0'; }

/* Make room for n more bytes. -1 (KERR_NOMEM) past the cap or on ENOMEM. */
int kbuf_grow(struct kbuf *b, size_t n, struct kerr *e);
int kbuf_add(struct kbuf *b, const void *p, size_t n, struct kerr *e);
int kbuf_adds(struct kbuf *b, const char *s, struct kerr *e);
int kbuf_addc(struct kbuf *b, char c, struct kerr *e);
int kbuf_addf(struct kbuf *b, struct kerr *e, const char *fmt, ...) KEPU_PRINTF(3, 4);

/* Hand the contents to the caller (who frees them) and reset the buffer. */
char *kbuf_detach(struct kbuf *b);

#endif
