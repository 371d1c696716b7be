/* http.c: the libcurl easy interface, one handle per source; see http.h. */
#include "http.h"

#include "../util/timefmt.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct http {
	CURL *curl;
};

struct http *http_new(void)
{
	struct http *h = calloc(1, sizeof(*h));

	if (h && !(h->curl = curl_easy_init())) {
		free(h);
		h = NULL;
	}
	return h;
}

void http_free(struct http *h)
{
	if (h) {
		curl_easy_cleanup(h->curl);
		free(h);
	}
}

void http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	kbuf_init(&r->body, 0);
	r->retry_after_s = -1;
}

void http_response_release(struct http_response *r)
{
	kbuf_release(&r->body);
}

struct sink {
	struct http_response *r;
	int too_large;
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;

	if (kbuf_add(&s->r->body, p, size * n, NULL) < 0) {
		s->too_large = 1;
		return 0; /* makes curl stop with CURLE_WRITE_ERROR */
	}
	return size * n;
}

/* Retry-After: delta-seconds or an HTTP date (RFC 9110 10.2.3). */
static long retry_after(const char *v)
{
	const char *why;
	char *end;
	long secs;
	int64_t t;
	size_t n;

	while (*v == ' ')
		v++;
	n = strcspn(v, "\r\n");
	secs = strtol(v, &end, 10);
	if (end != v && (size_t)(end - v) == n)
		return secs < 0 ? 0 : secs;
	if (ktime_parse(v, n, &t, &why) < 0)
		return -1;
	t -= (int64_t)time(NULL);
	return t < 0 ? 0 : (long)t;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	char line[256];

	if (len >= sizeof(line))
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	if (!strncasecmp(line, "HTTP/", 5)) {
		/* a new response (after a redirect or 100): forget the last one's */
		s->r->retry_after_s = -1;
		s->r->content_type[0] = '\0';
		s->r->location[0] = '\0';
	} else if (!strncasecmp(line, "Content-Length:", 15)) {
		/* room for the whole body at once (within the cap), not a
		 * buffer doubled a dozen times */
		char *end;
		unsigned long long cl = strtoull(line + 15, &end, 10);
		if (end != line + 15 && cl <= s->r->body.cap && cl > s->r->body.alloc)
			kbuf_grow(&s->r->body, (size_t)cl + 1, NULL);
	} else if (!strncasecmp(line, "Location:", 9)) {
		const char *v = line + 9;
		while (*v == ' ')
			v++;
		snprintf(s->r->location, sizeof(s->r->location), "%.*s", (int)strcspn(v, "\r\n"), v);
	} else if (!strncasecmp(line, "Retry-After:", 12))
		s->r->retry_after_s = retry_after(line + 12);
	else if (!strncasecmp(line, "Content-Type:", 13)) {
		const char *v = line + 13;
		while (*v == ' ')
			v++;
		snprintf(s->r->content_type, sizeof(s->r->content_type), "%.*s", (int)strcspn(v, "\r\n;"), v);
	}
	return len;
}

enum http_outcome http_get(struct http *h, const struct http_request *rq, struct http_response *r,
			   struct kerr *e)
{
	struct curl_slist *hdrs = NULL;
	struct sink s = {r, 0};
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	CURL *c = h->curl;

	/* the buffer of the last response is used again */
	r->body.cap = rq->max_body;
	kbuf_reset(&r->body);
	r->status = 0;
	r->retry_after_s = -1;
	r->content_type[0] = '\0';
	r->location[0] = '\0';
	for (size_t i = 0; i < rq->nheaders; i++) {
		struct curl_slist *n = curl_slist_append(hdrs, rq->headers[i]);
		if (!n) {
			curl_slist_free_all(hdrs);
			kerr_set(e, KERR_NOMEM, "out of memory");
			return HTTP_FATAL;
		}
		hdrs = n;
	}
	curl_easy_reset(c); /* keeps the connection cache */
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, rq->user_agent);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, rq->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, rq->timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, rq->no_redirects ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max_body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(c);
	curl_slist_free_all(hdrs);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (s.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		kerr_set(e, KERR_DATA, "response larger than %zu bytes", rq->max_body);
		return HTTP_TOO_LARGE;
	}
	if (rc == CURLE_OK)
		return HTTP_OK;
	kerr_set(e, KERR_IO, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_TOO_MANY_REDIRECTS:
		return HTTP_FATAL;
	default:
		return HTTP_NETWORK;
	}
}
