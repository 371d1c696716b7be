/*
 * adapter.h (private to collector/): one adapter per platform response
 * format (weibo.c, bilibili.c, douyin.c, feed.c for the generic JSON
 * feeds).  An adapter owns everything that is its platform's business:
 * the requests it sends (URL, default headers, signatures), its typed
 * position in a pass and the rule for the next page, turning a body into
 * normalized posts, the ways the platform says no (including the ones
 * that look like success), and the extra requests a page needs (Weibo's
 * long texts, Bilibili's detail counts).  It knows nothing of retries,
 * the store or threads: collect.c drives it and gives it a fetcher.
 */
#ifndef KEPU_COLLECTOR_ADAPTER_H
#define KEPU_COLLECTOR_ADAPTER_H

#include <jansson.h>

#include "../config/config.h"
#include "../store/store.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "http.h"

/*
 * Where a pass is: the typed cursor of a source, kept in the store as a
 * small JSON object ({"page":3}, {"offset":40,"search_id":"…"},
 * {"day":2,"page":1}, {"cursor":"…"}) with every page committed.
 */
struct page_pos {
	long page;            /* 1-based page number (weibo, bilibili, a feed's page paging) */
	long offset;          /* douyin: the offset of the page */
	long day;             /* bilibili backfill: days back from the window's end; -1: not sliced */
	char search_id[128];  /* douyin: the previous page's extra.logid */
	char cursor[256];     /* a feed's cursor paging */
};
#define PAGE_POS_TEXT 640 /* room for page_pos_format() */

/* Read a stored position (r's adapter: see below): the JSON form, or the
 * forms kepu wrote before positions were typed ("3", "day=0;page=2", an
 * offset, a bare cursor); empty: the first position. */
struct adapter_run;
void page_pos_parse(const struct adapter_run *r, const char *text, struct page_pos *p);
void page_pos_format(const struct page_pos *p, char *out, size_t cap);

struct bad_item {
	long index;      /* 1-based position on the page */
	const char *msg; /* in the arena */
};

struct page {
	struct post *posts; /* in the arena */
	size_t nposts;
	struct bad_item *bad;   /* items skipped, with why */
	size_t nbad;
	struct bad_item *warn;  /* items kept, with a warning (a long text that could not be fetched) */
	size_t nwarn;
	long items;             /* items the page held (posts, reposts, bad ones; not ads or users) */
	int more;               /* the platform says there is another page */
	char next_cursor[256];  /* a feed's cursor */
	char search_id[128];    /* douyin: this page's logid, for the next page */
	int blocked;            /* the platform refused us: the source stops, reported as blocked */
	int retryable;          /* the body was not what the format promised: try again */
	int resign;             /* bilibili: the signature was refused: refetch the keys once */
	int gone;               /* a detail answer: the platform says the post was deleted */
};

/*
 * What an adapter may ask of the collector: one GET of url with the
 * source's headers (the adapter's defaults, the config's over them) and
 * extra ones, under the source's rate limit, retries and timeouts.  The
 * response is the caller's (http_response_init/release).  0 when a
 * response arrived (any status), -1 with e set when none did.
 */
struct fetcher {
	int (*get)(struct fetcher *f, const char *url, const char *const *extra, size_t nextra,
		   struct http_response *r, struct kerr *e);
};

/* One source's run of an adapter. */
struct adapter_run {
	const struct adapter *ad;
	const struct source *s;
	int64_t window_start, window_end; /* the campaign, UTC [start, end) */
	int64_t now;                      /* when the page was fetched: relative times are read against it */
	int backfill;
	int64_t floor;                    /* the pass reads posts down to this time (its overlap) */
	struct fetcher *fetch;            /* NULL: no extra requests (fuzzing, tests) */
	struct redact *secrets;           /* values from the environment, for redaction; may be NULL */
	void *state;                      /* the adapter's own (start() to stop()) */
	char cookie_extra[256];           /* cookies the adapter obtained itself (bilibili buvid3) */
	/* Refresh: url() and parse() are the detail page's of this post (one
	 * post, or pg->gone when the platform says it was deleted, or none
	 * when it says nothing: under review, an unknown id).  NULL: a search
	 * page.  Only adapters with `detail` set take it. */
	const char *detail_id;
};

struct parse;

enum { PASS_DONE = 0, PASS_MORE = 1, PASS_CAPPED = 2 };

struct adapter {
	const char *kind;
	/* "Name: value" request headers the platform's own client sends,
	 * NULL-terminated; the config's user_agent and headers replace the
	 * ones of the same name. */
	const char *const *headers;
	int html_is_refusal; /* an HTML page where JSON was promised is a login or captcha wall */
	int follow_redirects; /* a feed may move; a platform's redirect is a refusal (its login page) */
	int backfill_by_time; /* a backfill asks for a time range (so it can read past a page cap) */
	int detail;           /* url() and parse() read a post's detail page (adapter_run.detail_id) */
	/* Once per run before the first page (keys, cookies); may be NULL. */
	int (*start)(struct adapter_run *r, struct kerr *e);
	/* The first position of a pass. */
	void (*first)(const struct adapter_run *r, struct page_pos *pos);
	/* The URL of the page at pos. */
	int (*url)(struct adapter_run *r, const struct page_pos *pos, struct kbuf *url, struct kerr *e);
	/* The page's items into ps (fields.h); -1 with e set and pg->blocked /
	 * retryable when the page as a whole is unusable. */
	int (*parse)(struct adapter_run *r, json_t *root, struct parse *ps, struct kerr *e);
	/* The pointers the page logic reads outside the items (an ambiguity
	 * there makes the page unusable), NULL-terminated. */
	const char *const *page_keys;
	/* After parse: what the page lacks, fetched item by item; may be NULL.
	 * A failed extra request is a warning on its item, never a lost post. */
	int (*enrich)(struct adapter_run *r, struct page *pg, struct arena *a, struct kerr *e);
	/* Where the pass goes after pg (all_older: every post is older than
	 * the pass's floor): PASS_MORE with *out, PASS_DONE when the listing
	 * ended or the floor is reached, PASS_CAPPED when the platform will
	 * list no more pages although older posts may exist (its page cap). */
	int (*next)(const struct adapter_run *r, const struct page_pos *pos, const struct page *pg, int all_older,
		    struct page_pos *out);
	void (*stop)(struct adapter_run *r); /* may be NULL */
	/* What a non-2xx answer means: a refusal (pg->blocked, e set, -1), or
	 * 0 when the status says nothing special; may be NULL. */
	int (*http_refusal)(const struct adapter_run *r, const struct http_response *resp, struct page *pg,
			    struct kerr *e);
};

extern const struct adapter adapter_weibo, adapter_bilibili, adapter_douyin, adapter_feed;

/* The User-Agent of a generic feed's requests (the platforms' adapters
 * send their own clients'). */
#define ADAPTER_DEFAULT_UA "kepu/0.1 (science popularization statistics; +https://kepu.example.cn)"

/* The User-Agent the adapter of kind k sends by default: its platform's
 * own client's, ADAPTER_DEFAULT_UA for a feed.  Static text. */
const char *adapter_user_agent(enum source_kind k);

/* Set up r for source s (no I/O); start() is the caller's. */
void adapter_run_init(struct adapter_run *r, const struct source *s, int64_t window_start, int64_t window_end,
		      int64_t now);

/* Parse a body into pg (everything allocated in a): JSON checks common to
 * every format (HTML where JSON was promised, duplicate keys and NULs
 * item by item), then the adapter's parse. */
int adapter_parse(struct adapter_run *r, const char *body, size_t len, const char *content_type,
		  struct arena *a, struct page *pg, struct kerr *e);

/* The refusal a non-2xx answer means for this platform (Weibo's 432, a
 * redirect to a login page, Bilibili's 412...), in e with pg->blocked set;
 * 0 when the status says nothing special. */
int adapter_http_refusal(const struct adapter_run *r, const struct http_response *resp, struct page *pg,
			 struct kerr *e);

/* Exposed for the tests: Weibo's displayed times against now (weibo.c);
 * Bilibili's WBI mixin key and the signed query of sorted parameters
 * (bilibili.c). */
int weibo_time(const char *s, size_t len, int64_t now, int64_t *out, const char **why);
int bili_mixin_key(const char *img_key, const char *sub_key, char out[33]);
int bili_sign(const char *const *names, const char *const *values, size_t n, const char *mixin, struct kbuf *query,
	      struct kerr *e);

/* JSON Pointer (RFC 6901) lookup; NULL when nothing is there. Borrowed. */
json_t *adapter_json_pointer(json_t *root, const char *ptr);

#endif
