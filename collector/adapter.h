/*
 * adapter.h (private to collector/): one adapter per platform response
 * format.  An adapter builds the URL of a page and turns the page's body
 * into normalized posts; it knows nothing of HTTP, retries or the store.
 */
#ifndef KEPU_COLLECTOR_ADAPTER_H
#define KEPU_COLLECTOR_ADAPTER_H

#include "../config/config.h"
#include "../store/store.h"
#include "../util/arena.h"
#include "../util/buf.h"

/* Where a page is: a page number (weibo, bilibili, generic page paging),
 * an offset (douyin, in cursor) or a cursor (generic cursor paging); for a
 * Bilibili backfill also the day range. */
struct page_pos {
	long page;
	char cursor[256];
	int64_t day_begin, day_end; /* UTC seconds, inclusive; 0 when not split by day */
};

struct bad_item {
	long index;      /* 1-based position on the page */
	const char *msg; /* in the arena */
};

struct page {
	struct post *posts; /* in the arena */
	size_t nposts;
	struct bad_item *bad;
	size_t nbad;
	int more;               /* the platform says there is another page */
	char next_cursor[256];  /* douyin's offset, a generic feed's cursor */
	int blocked;            /* the platform refused us (captcha, risk control, token) */
	int retryable;          /* the body was not what the format promised: try again */
};

/* The URL of the page at pos; `secrets` (may be NULL) receives the values
 * of secrets put into it ({env:NAME} in a generic template), for
 * redaction. */
struct redact;
int adapter_url(const struct source *s, const struct page_pos *pos, struct kbuf *url,
		struct redact *secrets, struct kerr *e);

/* Parse a body into pg (everything allocated in a).  -1 with e set when the
 * page as a whole is unusable; pg->blocked / pg->retryable say why.  A bad
 * item does not fail the page: it lands in pg->bad. */
int adapter_parse(const struct source *s, const char *body, size_t len, const char *content_type,
		  struct arena *a, struct page *pg, struct kerr *e);

/* JSON Pointer (RFC 6901) lookup; NULL when nothing is there. Borrowed. */
struct json_t;
struct json_t *json_pointer(struct json_t *root, const char *ptr);

#endif
