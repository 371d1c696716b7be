/*
 * internal.h (private to web/): one request as the handlers see it, the
 * route table's shape, and the answers they give.
 */
#ifndef KEPU_WEB_INTERNAL_H
#define KEPU_WEB_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/user.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "web.h"

#define WEB_BODY_MAX (64 * 1024) /* a request body; more is 413 */
#define WEB_COOKIE "kepu_session"

struct MHD_Connection;

/* What each route needs; a request without it is answered 401 or 403. */
enum web_need {
	NEED_NOTHING,
	NEED_LOGIN,    /* any account */
	NEED_REPORT,   /* the report and the shortlist: viewer, reviewer, admin; a district its own unit */
	NEED_REVIEW,   /* the queue, decisions, showcase: reviewer, admin */
	NEED_CLAIM,    /* claims and corrections: district (its unit), admin */
	NEED_ADMIN,
};

/* ---- the shared cache of answers that read every post (cache.c) ---- */

struct web_cache;
struct web_cached {
	char key[512];
	void *data;                          /* what the builder made: a model */
	void (*release)(struct web_cached *); /* frees data; NULL when there is none */
	char *text;                          /* or an answer's text (malloc'd) */
	size_t len;
	/* the cache's own */
	unsigned gen;
	int64_t built;
	int refs, dropped;
	struct web_cached *next;
};
/* Fill x->data/release or x->text/len; 0, or -1 with e set. */
typedef int (*web_cache_build)(void *ctx, struct web_cached *x, struct kerr *e);

struct web_cache *web_cache_new(void);
void web_cache_free(struct web_cache *c);
/* The entry for key, built with fn(ctx) when there is none good; hand it
 * back with web_cache_put().  NULL with e set when the build failed. */
struct web_cached *web_cache_get(struct web_cache *c, const char *key, web_cache_build fn, void *ctx,
				 struct kerr *e);
void web_cache_put(struct web_cache *c, struct web_cached *x);
/* Something changed here (a decision, a claim): every entry is stale. */
void web_cache_changed(struct web_cache *c);

/* ---- the queue's cover pictures (api_covers.c) ---- */

struct web_covers;
/* The cover cache of o: covers/ beside the database (made on the first
 * download; private: never the published showcase.dir).  NULL with e set. */
struct web_covers *web_covers_new(const struct web_opts *o, struct kerr *e);
void web_covers_free(struct web_covers *c);
const char *web_covers_dir(const struct web_covers *c);
/* The page's URL of a work's cover, "/covers/weibo/4890123456789012" (the id
 * percent-encoded), into out: 1, or 0 when cover_url is not one kepu would
 * download (then the card shows its placeholder). */
int web_cover_path(const char *platform, const char *post_id, const char *cover_url, char *out, size_t size);

struct featured_opts;
struct web_req;
/* The ranked list of featured_build(o), shared through the cache
 * (api_review.c); x->data is the struct featured. */
struct web_cached *web_list(struct web_req *r, const struct featured_opts *o, struct kerr *e);

struct web_req {
	const struct web_opts *o;
	struct web_cache *cache;
	struct MHD_Connection *conn;
	const char *method, *path;
	const char *body;  /* NUL-terminated */
	size_t body_len;
	struct store *st;  /* this worker's connection */
	int64_t now;
	char address[64];  /* the client's */
	int logged_in;
	struct store_session who;
	const char *session_id; /* the cookie, when logged in */
	/* the answer */
	unsigned status;
	const char *type;  /* Content-Type */
	struct kbuf out;
	char cookie[256];  /* a Set-Cookie header to send, or "" */
	unsigned retry_after; /* seconds, for 429; 0: none */
	const char *csp;   /* a Content-Security-Policy of its own (the showcase preview,
			      which may then be framed by the page), or NULL */
	const char *cache_control; /* a Cache-Control of its own (a cover), or NULL */
	struct web_covers *covers;
};

typedef void (*web_handler)(struct web_req *r);

struct web_route {
	const char *method, *path; /* a path ending in '/' is every path under it */
	web_handler fn;
	enum web_need need;
	int csrf; /* a state-changing request: X-CSRF-Token must be the session's */
};

/* The routes of each api_*.c, each ending with {NULL}. */
extern const struct web_route web_auth_routes[], web_review_routes[], web_unit_routes[], web_report_routes[],
	web_account_routes[], web_cover_routes[];

/* A query-string argument, or NULL. */
const char *web_arg(struct web_req *r, const char *name);

/* Answer with a JSON value (stolen) and status. */
void web_json(struct web_req *r, unsigned status, json_t *v);
/* Answer {"error": zh, "error_en": en} with status. */
void web_error(struct web_req *r, unsigned status, const char *zh, const char *en);
/* The request body as a JSON object, or NULL after answering 400. */
json_t *web_body_json(struct web_req *r);
/* A string member of o (NULL when absent); answers 400 and sets *bad when
 * it is there but not a string. */
const char *web_str(struct web_req *r, json_t *o, const char *key, int *bad);

/* The engagement index's weights: the reports' defaults with the config's. */
struct report_scoring;
void web_scoring(const struct web_req *r, struct report_scoring *sc);
/* The unit the user stands for (district role), or NULL. */
const struct district_unit *web_user_unit(const struct web_req *r);
/* Log a line (never a secret). */
void web_log(const struct web_req *r, const char *fmt, ...) KEPU_PRINTF(2, 3);

#endif
