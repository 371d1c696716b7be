/*
 * http.h (private to collector/): one HTTP GET with libcurl, with the
 * limits a collector needs: connect and total timeouts, a cap on the body,
 * TLS verification always on, the proxy from http_proxy/https_proxy, and
 * connection reuse across the pages of a source (one handle per source).
 * Retry policy lives in collect.c; this layer only reports what happened.
 */
#ifndef KEPU_COLLECTOR_HTTP_H
#define KEPU_COLLECTOR_HTTP_H

#include "../util/buf.h"
#include "../util/err.h"

struct http;

struct http *http_new(void);
void http_free(struct http *h);

struct http_request {
	const char *url;
	const char *const *headers; /* "Name: value" lines; may hold secrets, never logged */
	size_t nheaders;
	const char *user_agent;
	long connect_timeout_s;
	long timeout_s;
	size_t max_body;
	int no_redirects;           /* report a 3xx (its Location in the response) instead of following it */
};

enum http_outcome {
	HTTP_OK,        /* a response arrived (any status) */
	HTTP_NETWORK,   /* connection failed, timed out or broke: worth a retry */
	HTTP_TOO_LARGE, /* the body passed max_body */
	HTTP_FATAL,     /* a bad URL or a TLS failure: no retry helps */
};

struct http_response {
	long status;
	struct kbuf body;        /* owned; http_response_release() */
	long retry_after_s;      /* from Retry-After (seconds or an HTTP date); -1 if none */
	char content_type[64];
	char location[512];      /* of a 3xx not followed */
};

void http_response_init(struct http_response *r);
void http_response_release(struct http_response *r);

/* Perform the GET.  The outcome says whether to look at r; on anything but
 * HTTP_OK e holds a message (that never contains header values). */
enum http_outcome http_get(struct http *h, const struct http_request *rq, struct http_response *r,
			   struct kerr *e);

#endif
