/*
 * collect.c: `kepu collect`: the sources of the config, concurrently, each
 * page fetched with retries, parsed by the source's adapter, ingested and
 * committed together with the cursor.  See collector.h.
 *
 * A pass pages from the newest posts down until a whole page is older
 * than its floor (the last complete pass's newest post minus the overlap,
 * so recent posts get fresh counts; or the campaign's start), the platform
 * has no more pages, or max_pages.  The high-water mark moves only when a
 * pass completes; a pass cut short (an error, a kill) resumes at its next
 * page on the next run.
 *
 * `kepu collect --refresh` runs the same sources to another end: it reads
 * no listing, but the detail page of each stored post that is due, for
 * its counts (refresh_source()).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/clock.h"
#include "../util/buf.h"
#include "../util/redact.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "adapter.h"
#include "collector.h"
#include "http.h"

/* For a generic feed (the platforms get the headers of their own clients: adapter.h). */
#define DEFAULT_UA ADAPTER_DEFAULT_UA

struct shared {
	pthread_mutex_t mu;
	/*
	 * One writer at a time, and group commit: a source thread with a page
	 * ready queues it; whoever holds the writer token commits every queued
	 * page (each with its cursor and counters) in one transaction.  While
	 * it commits, other sources queue theirs for the next one.  Threads
	 * take turns here instead of waiting in SQLite's busy handler, which
	 * sleeps in milliseconds.
	 */
	pthread_mutex_t q_mu;
	pthread_cond_t q_cv;
	int writing;      /* the writer token is taken */
	struct job *queue;
	struct store *st; /* one connection for every source, used with the token:
			   * separate connections would evict each other's page
			   * cache at every commit */
	diag_fn diag;
	void *dctx;
	const struct collect_opts *o;
	struct src_run *runs;
	size_t nruns;
};

struct src_run {
	const struct source *s;
	const struct config *cfg;
	const struct ingest *ing;
	int64_t run_id;
	struct shared *sh;
	struct run_source rs;
	long page_no;      /* the page being worked on, for messages */
	int failed;
	int blocked;       /* the platform refused us: reported as blocked */
	int empty;         /* the pass's first page had no results */
	int gap;           /* a gap is open after this run (store.h struct store_cursor) */
	pthread_t th;
	int started;
	struct redact secrets; /* values to redact from every message */
	struct adapter_run ar;  /* the platform's side of the run */
	struct fetcher fetcher; /* what the adapter may ask for (extra requests) */
	struct http *h;
	struct arena a;         /* the page being worked on: its posts, their annotations */
	struct kbuf url;        /* its URL */
	const char *hdrs[40];   /* the request headers, in hdrstore */
	size_t nhdrs;
	struct kbuf hdrstore;
	const char *user_agent; /* CURLOPT_USERAGENT: the config's, kepu's, or NULL (a header has it) */
	long last_ms;           /* the last request's start, for min_interval_ms */
	unsigned seed;
};

static void say(struct src_run *r, const char *fmt, ...) KEPU_PRINTF(2, 3);

/* A page waiting to be committed. */
struct job {
	struct src_run *r;
	struct page *pg;
	unsigned char *keep; /* per post: store it (1); the committer sets 2 for a post new to the store */
	const struct store_cursor *cur;
	int64_t now;
	int done, failed;
	long kept;
	char err[512];
	struct job *next;
};

static void token_take(struct shared *sh)
{
	pthread_mutex_lock(&sh->q_mu);
	while (sh->writing)
		pthread_cond_wait(&sh->q_cv, &sh->q_mu);
	sh->writing = 1;
	pthread_mutex_unlock(&sh->q_mu);
}

static void token_give(struct shared *sh)
{
	pthread_mutex_lock(&sh->q_mu);
	sh->writing = 0;
	pthread_cond_broadcast(&sh->q_cv);
	pthread_mutex_unlock(&sh->q_mu);
}

/* Commit a batch of pages in one transaction; on failure none of them
 * counts and each job says why. */
static void commit_jobs(struct shared *sh, struct job *list)
{
	struct kerr e;
	struct job *j;
	struct run_source saved[64];
	size_t n = 0;

	kerr_clear(&e);
	for (j = list; j; j = j->next) {
		if (n < 64)
			saved[n++] = j->r->rs;
		/* a snapshot is stamped when it is written: sources started at
		 * different times must not stamp their pages out of order */
		j->now = kclock_now();
	}
	if (store_begin(sh->st, &e) == 0) {
		for (j = list; j && !e.msg[0]; j = j->next) {
			for (size_t i = 0; i < j->pg->nposts && !e.msg[0]; i++) {
				enum store_put_result res;
				if (!j->keep[i])
					continue;
				if (ingest_store(sh->st, &j->pg->posts[i], j->now, &res, &e) < 0)
					break;
				j->kept++;
				if (res == STORE_NEW) {
					j->r->rs.added++;
					j->keep[i] = 2;
				}
				else if (res == STORE_UPDATED)
					j->r->rs.updated++;
				else
					j->r->rs.unchanged++;
			}
			j->r->rs.matched += j->kept;
			if (!e.msg[0])
				store_cursor_put(sh->st, j->r->s->name, j->cur, j->now, &e);
			if (!e.msg[0])
				store_run_source_put(sh->st, j->r->run_id, j->r->s->name, &j->r->rs, &e);
		}
		if (!e.msg[0])
			store_commit(sh->st, &e);
	}
	if (!e.msg[0])
		return;
	store_rollback(sh->st);
	n = 0;
	for (j = list; j; j = j->next) {
		if (n < 64)
			j->r->rs = saved[n++];
		j->failed = 1;
		j->kept = 0;
		utf8_copy(j->err, sizeof(j->err), e.msg);
	}
}

/* Queue a page and wait until it is committed (perhaps by this thread,
 * together with other sources' pages).  0, or -1 with j->err. */
static int submit(struct shared *sh, struct job *j)
{
	struct job **tail;

	pthread_mutex_lock(&sh->q_mu);
	for (tail = &sh->queue; *tail; tail = &(*tail)->next)
		;
	*tail = j;
	while (!j->done) {
		if (!sh->writing) {
			struct job *list = sh->queue, *k;
			sh->queue = NULL;
			sh->writing = 1;
			pthread_mutex_unlock(&sh->q_mu);
			commit_jobs(sh, list);
			pthread_mutex_lock(&sh->q_mu);
			for (k = list; k;) {
				struct job *next = k->next;
				k->done = 1; /* after this the job may be gone */
				k = next;
			}
			sh->writing = 0;
			pthread_cond_broadcast(&sh->q_cv);
		} else
			pthread_cond_wait(&sh->q_cv, &sh->q_mu);
	}
	pthread_mutex_unlock(&sh->q_mu);
	return j->failed ? -1 : 0;
}

/* msg with every secret of the source replaced (util/redact.h). */
static void redact(struct src_run *r, char *msg, size_t cap)
{
	struct kbuf out;

	kbuf_init(&out, 64 * 1024);
	if (redact_apply(&r->secrets, msg, &out, NULL) < 0)
		utf8_copy(msg, cap, "(message withheld: it could not be cleared of secrets)");
	else
		utf8_copy(msg, cap, out.data ? out.data : "");
	kbuf_release(&out);
}

static void say(struct src_run *r, const char *fmt, ...)
{
	char msg[1600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	redact(r, msg, sizeof(msg));
	pthread_mutex_lock(&r->sh->mu);
	r->sh->diag(r->sh->dctx, msg);
	pthread_mutex_unlock(&r->sh->mu);
}

/* A failure of this source: one line naming source, page and cause. */
static void fail(struct src_run *r, const char *cause)
{
	char msg[1200];

	r->failed = 1;
	r->rs.errors++;
	if (r->page_no > 0)
		snprintf(msg, sizeof(msg), "source '%s' page %ld: %s", r->s->name, r->page_no, cause);
	else
		snprintf(msg, sizeof(msg), "source '%s': %s", r->s->name, cause);
	redact(r, msg, sizeof(msg));
	utf8_copy(r->rs.message, sizeof(r->rs.message), msg);
	say(r, "%s", msg);
}

static void progress(struct src_run *r)
{
	struct shared *sh = r->sh;
	struct collect_progress v[64];
	size_t n = 0;

	if (!sh->o->on_progress)
		return;
	pthread_mutex_lock(&sh->mu);
	for (size_t i = 0; i < sh->nruns && n < 64; i++, n++) {
		const struct run_source *x = &sh->runs[i].rs;
		v[n] = (struct collect_progress){sh->runs[i].s->name, x->pages, x->fetched, x->added, x->updated,
						 sh->runs[i].failed};
	}
	sh->o->on_progress(sh->o->progress_ctx, v, n);
	pthread_mutex_unlock(&sh->mu);
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Backoff before retry `attempt` (1, 2, ...): base * 2^(attempt-1),
 * with jitter in [50%, 100%] so many runs do not retry in step. */
static long backoff_ms(const struct source *s, int attempt, unsigned *seed)
{
	long d = s->retry_backoff_ms;
	for (int i = 1; i < attempt && d < 60000; i++)
		d *= 2;
	if (d > 60000)
		d = 60000;
	return d / 2 + (d ? (long)(rand_r(seed) % (unsigned)(d / 2 + 1)) : 0);
}

/*
 * A value from the environment for a request header: registered as a
 * secret, a trailing line break (a value read from a file) trimmed, and
 * refused when a CR or LF remains: sent raw it would add headers of its
 * own.  Returns the length to send (*out the value), or -1 with e set.
 */
static int env_header_value(struct src_run *r, const char *var, const char *what, const char **out,
			    struct kerr *e)
{
	const char *v = getenv(var);
	size_t n;

	*out = NULL;
	if (!v || !*v)
		return kerr_set(e, KERR_USAGE, "environment variable %s (%s) is not set", var, what);
	if (redact_add(&r->secrets, v, e) < 0)
		return -1;
	n = strlen(v);
	while (n && (v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	if (memchr(v, '\r', n) || memchr(v, '\n', n))
		return kerr_set(e, KERR_USAGE,
				"environment variable %s (%s) contains a line break: refusing to send it in a header", var,
				what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return kerr_set(e, KERR_USAGE,
					"environment variable %s (%s) contains a control character: refusing to send it in a header",
					var, what);
	*out = v;
	return (int)n;
}

/* Does the "Name: value" line have the header name `name` (n bytes)? */
static int header_named(const char *line, const char *name, size_t n)
{
	return !strncasecmp(line, name, n) && line[n] == ':';
}

/*
 * The request headers: the adapter's defaults (its platform's own client),
 * the config's user_agent and headers over them (values from the
 * environment registered as secrets), and Cookie from cookie_env plus
 * what the adapter obtained itself.  -1 when a variable is missing or
 * unfit.
 */
static int build_headers(struct src_run *r, struct kerr *e)
{
	const struct source *s = r->s;
	const char *const *def = r->ar.ad->headers;
	size_t offs[40], n = 0;
	struct kbuf *store = &r->hdrstore;
	const char *cookie = NULL;
	int cookie_len = 0, has_ua = 0, has_accept = 0;

	kbuf_reset(store);
	if (s->cookie_env && (cookie_len = env_header_value(r, s->cookie_env, "cookie_env", &cookie, e)) < 0)
		return -1;
	for (size_t i = 0; def && def[i] && n < 30; i++) {
		const char *colon = strchr(def[i], ':');
		size_t nl = colon ? (size_t)(colon - def[i]) : strlen(def[i]);
		int replaced = header_named(def[i], "User-Agent", 10) && s->user_agent;
		for (size_t k = 0; k < s->nheaders && !replaced; k++)
			replaced = strlen(s->headers[k].name) == nl && header_named(def[i], s->headers[k].name, nl);
		if (replaced)
			continue;
		has_ua |= header_named(def[i], "User-Agent", 10);
		has_accept |= header_named(def[i], "Accept", 6);
		offs[n++] = store->len;
		if (kbuf_adds(store, def[i], e) < 0 || kbuf_addc(store, '\0', e) < 0)
			return -1;
	}
	for (size_t i = 0; i < s->nheaders && n < 36; i++) {
		const struct source_header *h = &s->headers[i];
		const char *v = h->value;
		int len = (int)strlen(v ? v : "");
		char what[300];
		if (h->env) {
			snprintf(what, sizeof(what), "headers.%s", h->name);
			if ((len = env_header_value(r, h->env, what, &v, e)) < 0)
				return -1;
		}
		has_accept |= !strcasecmp(h->name, "Accept");
		offs[n++] = store->len;
		if (kbuf_addf(store, e, "%s: %s", h->name, h->prefix ? h->prefix : "") < 0 ||
		    kbuf_add(store, v, (size_t)len, e) < 0 || kbuf_addc(store, '\0', e) < 0)
			return -1;
	}
	if (cookie || r->ar.cookie_extra[0]) {
		offs[n++] = store->len;
		if (kbuf_adds(store, "Cookie: ", e) < 0 || (cookie && kbuf_add(store, cookie, (size_t)cookie_len, e) < 0) ||
		    (cookie && r->ar.cookie_extra[0] && kbuf_adds(store, "; ", e) < 0) ||
		    kbuf_adds(store, r->ar.cookie_extra, e) < 0 || kbuf_addc(store, '\0', e) < 0)
			return -1;
	}
	if (!has_accept) {
		offs[n++] = store->len;
		if (kbuf_adds(store, "Accept: application/json", e) < 0 || kbuf_addc(store, '\0', e) < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		r->hdrs[i] = store->data + offs[i];
	r->nhdrs = n;
	r->user_agent = s->user_agent ? s->user_agent : has_ua ? NULL : DEFAULT_UA;
	return 0;
}

/*
 * One GET under the source's rules: min_interval_ms between requests,
 * network errors, 429 and 5xx retried with backoff (Retry-After
 * honoured), redirects reported rather than followed for the platforms
 * (a login page is a refusal).  0 when a final answer arrived (any
 * status: resp), -1 with cause when none did.
 */
static int get_with_retries(struct src_run *r, const char *url, const char *const *extra, size_t nextra,
			    struct http_response *resp, char *cause, size_t ccap)
{
	const struct source *s = r->s;
	const char *lines[48];
	struct http_request rq;
	struct kerr e;
	int attempts = 1 + s->retries;
	size_t n = 0;

	for (size_t i = 0; i < r->nhdrs && n < 40; i++)
		lines[n++] = r->hdrs[i];
	for (size_t i = 0; i < nextra && n < 48; i++)
		lines[n++] = extra[i];
	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.headers = lines;
	rq.nheaders = n;
	rq.user_agent = r->user_agent;
	rq.connect_timeout_s = s->connect_timeout_s;
	rq.timeout_s = s->timeout_s;
	rq.max_body = (size_t)s->max_body;
	rq.no_redirects = !r->ar.ad->follow_redirects;
	for (int attempt = 1; attempt <= attempts; attempt++) {
		long wait = 0, since = now_ms() - r->last_ms;
		enum http_outcome out;

		if (r->last_ms && since < s->min_interval_ms)
			pause_ms(s->min_interval_ms - since);
		r->last_ms = now_ms();
		kerr_clear(&e);
		out = http_get(r->h, &rq, resp, &e);
		if (out == HTTP_FATAL || out == HTTP_TOO_LARGE) {
			snprintf(cause, ccap, "%s", e.msg);
			return -1;
		}
		if (out == HTTP_NETWORK) {
			snprintf(cause, ccap, "%s", e.msg);
			wait = backoff_ms(s, attempt, &r->seed);
		} else if (resp->status == 429 || resp->status >= 500) {
			snprintf(cause, ccap, "HTTP %ld%s", resp->status,
				 resp->status == 429 ? " Too Many Requests" : " from the server");
			wait = backoff_ms(s, attempt, &r->seed);
			if (resp->retry_after_s >= 0) {
				if (resp->retry_after_s > s->retry_after_max_s) {
					size_t l = strlen(cause);
					snprintf(cause + l, ccap - l, " (Retry-After %ld s is more than retry_after_max_s %d)",
						 resp->retry_after_s, s->retry_after_max_s);
					return -1;
				}
				wait = resp->retry_after_s * 1000L;
			}
		} else
			return 0;
		if (attempt < attempts) {
			if (r->sh->o->verbose)
				say(r, "source '%s' page %ld: %s; retrying in %ld ms (attempt %d of %d)", s->name, r->page_no,
				    cause, wait, attempt + 1, attempts);
			pause_ms(wait);
		} else if (attempts > 1) {
			size_t l = strlen(cause);
			snprintf(cause + l, ccap - l, " (gave up after %d attempts)", attempts);
		}
	}
	return -1;
}

/* The fetcher the adapter uses for its extra requests. */
static int fetcher_get(struct fetcher *f, const char *url, const char *const *extra, size_t nextra,
		       struct http_response *resp, struct kerr *e)
{
	struct src_run *r = (struct src_run *)(void *)((char *)f - offsetof(struct src_run, fetcher));
	char cause[1100];

	if (get_with_retries(r, url, extra, nextra, resp, cause, sizeof(cause)) < 0)
		return kerr_set(e, KERR_IO, "%s", cause);
	return 0;
}

/* A refusal of the platform: the source stops, reported as blocked. */
static void blocked(struct src_run *r, const char *cause)
{
	r->blocked = 1;
	fail(r, cause);
}

/*
 * A page answered with a status other than 2xx: a refusal of the
 * platform's (blocked()), or a failure that says what the platform said
 * in its JSON, if anything (fail()).
 */
static void page_refused(struct src_run *r, const struct http_response *resp, struct page *pg)
{
	struct kerr e;
	char cause[1100];

	kerr_clear(&e);
	if (adapter_http_refusal(&r->ar, resp, pg, &e) < 0) {
		blocked(r, e.msg);
		return;
	}
	/* platforms explain refusals in their JSON: say what they said */
	kerr_clear(&e);
	if (resp->body.len &&
	    adapter_parse(&r->ar, resp->body.data, resp->body.len, resp->content_type, &r->a, pg, &e) < 0 &&
	    !pg->retryable) {
		snprintf(cause, sizeof(cause), "HTTP %ld: %s", resp->status, e.msg);
		if (pg->blocked) {
			blocked(r, cause);
			return;
		}
	} else
		snprintf(cause, sizeof(cause), "HTTP %ld%s", resp->status,
			 resp->status == 401 || resp->status == 403
				 ? " (check the credentials in the source's env variables)"
				 : "");
	fail(r, cause);
}

/* Fetch and parse the page at pos into pg (in r->a), retrying what may
 * pass, then let the adapter fill in what the page lacks.  0, or -1 after
 * fail() or blocked(). */
static int fetch_page(struct src_run *r, const struct page_pos *pos, struct page *pg)
{
	const struct source *s = r->s;
	struct http_response resp;
	struct kerr e;
	char cause[1100];
	int attempts = 1 + s->retries, ok = 0, resigned = 0;

	http_response_init(&resp);
	for (int attempt = 1; attempt <= attempts; attempt++) {
		long wait;

		kerr_clear(&e);
		kbuf_reset(&r->url);
		if (r->ar.ad->url(&r->ar, pos, &r->url, &e) < 0) {
			fail(r, e.msg);
			break;
		}
		if (get_with_retries(r, r->url.data, NULL, 0, &resp, cause, sizeof(cause)) < 0) {
			fail(r, cause);
			break;
		}
		arena_reset(&r->a);
		memset(pg, 0, sizeof(*pg));
		r->ar.now = kclock_now(); /* relative times are read against the fetch */
		if (resp.status < 200 || resp.status >= 300) {
			page_refused(r, &resp, pg);
			break;
		}
		if (adapter_parse(&r->ar, resp.body.data ? resp.body.data : "", resp.body.len, resp.content_type, &r->a,
				  pg, &e) == 0) {
			ok = 1;
			break;
		}
		if (pg->resign && !resigned && r->ar.ad->start) {
			/* Bilibili's keys change daily: fetch them again, once */
			struct kerr se;
			resigned = 1;
			kerr_clear(&se);
			if (r->sh->o->verbose)
				say(r, "source '%s' page %ld: the signature was refused; fetching the keys again", s->name,
				    r->page_no);
			if (r->ar.ad->start(&r->ar, &se) == 0) {
				attempt--;
				continue;
			}
		}
		if (pg->blocked) {
			blocked(r, e.msg);
			break;
		}
		snprintf(cause, sizeof(cause), "%s", e.msg);
		if (!pg->retryable || attempt == attempts) {
			if (pg->retryable && attempts > 1)
				snprintf(cause + strlen(cause), sizeof(cause) - strlen(cause), " (gave up after %d attempts)",
					 attempts);
			fail(r, cause);
			break;
		}
		wait = backoff_ms(s, attempt, &r->seed);
		if (r->sh->o->verbose)
			say(r, "source '%s' page %ld: %s; retrying in %ld ms (attempt %d of %d)", s->name, r->page_no, cause,
			    wait, attempt + 1, attempts);
		pause_ms(wait);
	}
	http_response_release(&resp);
	if (ok && r->ar.ad->enrich && r->ar.ad->enrich(&r->ar, pg, &r->a, &e) < 0) {
		fail(r, e.msg);
		return -1;
	}
	return ok ? 0 : -1;
}

/* Add [lo, hi] to the cursor's gap; a gap the platform will not list
 * (capped) makes the whole gap one for a backfill. */
static void gap_add(struct store_cursor *c, int64_t lo, int64_t hi, int capped, const char *next, int64_t now)
{
	if (hi < lo)
		return;
	if (!c->gap_hi) {
		c->gap_lo = lo;
		c->gap_hi = hi;
		c->gap_capped = capped;
		c->gap_since = now;
		snprintf(c->gap_next, sizeof(c->gap_next), "%s", capped ? "" : next);
		return;
	}
	if (lo < c->gap_lo)
		c->gap_lo = lo;
	if (hi > c->gap_hi)
		c->gap_hi = hi;
	/* reading down from the newer position passes the older part too */
	c->gap_capped |= capped;
	snprintf(c->gap_next, sizeof(c->gap_next), "%s", c->gap_capped ? "" : next);
}

static void gap_clear(struct store_cursor *c)
{
	c->gap_lo = c->gap_hi = c->gap_since = 0;
	c->gap_capped = 0;
	c->gap_next[0] = '\0';
}

/* [lo, hi) was read whole: what of the gap it covers is closed. */
static void gap_read(struct store_cursor *c, int64_t lo, int64_t hi)
{
	if (!c->gap_hi || hi <= lo)
		return;
	if (lo <= c->gap_lo && hi > c->gap_hi)
		gap_clear(c);
	else if (lo <= c->gap_lo && hi > c->gap_lo)
		c->gap_lo = hi;
	else if (lo <= c->gap_hi && hi > c->gap_hi)
		c->gap_hi = lo - 1;
}

/* A pass starts at its first page (top, gap) or at next. */
static void pass_start(struct src_run *r, struct store_cursor *c, const char *mode, int64_t floor, const char *next)
{
	struct page_pos pos;

	c->pass_active = 1;
	snprintf(c->pass_mode, sizeof(c->pass_mode), "%s", mode);
	c->pass_floor = floor;
	c->pass_max_seen = c->pass_min_seen = 0;
	if (next && *next)
		snprintf(c->pass_next, sizeof(c->pass_next), "%s", next);
	else {
		r->ar.ad->first(&r->ar, &pos);
		page_pos_format(&pos, c->pass_next, sizeof(c->pass_next));
	}
}

/*
 * The pass in c reached its end: its floor, the end of the listing, or
 * (capped) the platform's page cap above the floor.  What it read moves
 * the mark or closes the gap; then, on a normal run, the gap's own pass
 * starts when there is one to read (1: a pass goes on).
 */
static int pass_ended(struct src_run *r, struct store_cursor *c, int capped, int64_t now)
{
	const char *mode = c->pass_mode;
	int backfill = !strcmp(mode, "backfill");
	int64_t floor = c->pass_floor, min = c->pass_min_seen;

	capped = capped && min > floor;
	c->pass_active = 0;
	if (!strcmp(mode, "gap")) {
		if (capped) {
			if (min < c->gap_hi)
				c->gap_hi = min;
			c->gap_capped = 1;
			c->gap_next[0] = '\0';
		} else
			gap_clear(c);
		return 0;
	}
	/* a backfill of a later part of the window says nothing of what lies
	 * between the mark and its start */
	if (!backfill || floor <= (c->high_water > r->ar.window_start ? c->high_water : r->ar.window_start))
		if (c->pass_max_seen > c->high_water)
			c->high_water = c->pass_max_seen;
	if (backfill) {
		gap_read(c, capped ? min : floor, r->ar.window_end);
		if (!capped) {
			c->backfill_at = now;
			c->backfill_since = floor;
			c->backfill_until = r->ar.window_end;
		}
	}
	if (capped)
		gap_add(c, floor, min, 1, "", now);
	if (backfill || !c->gap_hi || c->gap_capped)
		return 0;
	pass_start(r, c, "gap", c->gap_lo, c->gap_next);
	return 1;
}

/* A normal run's pass stopped short of its end (max_pages, a failure):
 * what it left unread becomes the gap, which the next runs read after the
 * newest pages. */
static void pass_cut(struct store_cursor *c, int64_t now)
{
	if (!strcmp(c->pass_mode, "gap")) {
		if (c->pass_min_seen && c->pass_min_seen < c->gap_hi)
			c->gap_hi = c->pass_min_seen > c->gap_lo ? c->pass_min_seen : c->gap_lo;
		snprintf(c->gap_next, sizeof(c->gap_next), "%s", c->pass_next);
	} else if (c->pass_min_seen) {
		if (c->pass_max_seen > c->high_water)
			c->high_water = c->pass_max_seen;
		if (c->pass_min_seen > c->pass_floor)
			gap_add(c, c->pass_floor, c->pass_min_seen, 0, c->pass_next, now);
	}
	c->pass_active = 0;
}

/* Say what the open gap is and what will close it. */
static void gap_say(struct src_run *r, const struct store_cursor *c)
{
	char lo[32], hi[32], msg[900];

	ktime_format_cst(c->gap_lo, lo);
	ktime_format_cst(c->gap_hi, hi);
	lo[16] = hi[16] = '\0';
	lo[10] = hi[10] = ' ';
	if (c->gap_capped && r->ar.ad->backfill_by_time)
		snprintf(msg, sizeof(msg),
			 "gap: posts from %s to %s may be missing: the platform lists no more pages of this search; "
			 "fetch them with: kepu collect --backfill --source %s --since %.10s --until %.10s",
			 lo, hi, r->s->name, lo, hi);
	else if (c->gap_capped)
		snprintf(msg, sizeof(msg),
			 "gap: posts from %s to %s may be missing: the platform lists no more pages of this search and "
			 "cannot be asked for a time range, so kepu collect --backfill --source %s --since %.10s "
			 "--until %.10s reads the same pages; take these posts from a feed or a staff export (kepu import)",
			 lo, hi, r->s->name, lo, hi);
	else
		snprintf(msg, sizeof(msg),
			 "gap: posts from %s to %s not read yet (the pass stopped at max_pages %d or a failure); "
			 "the next runs read them after the newest, or: kepu collect --backfill --source %s --since %.10s "
			 "--until %.10s",
			 lo, hi, r->s->max_pages, r->s->name, lo, hi);
	r->gap = 1;
	if (!r->rs.message[0])
		utf8_copy(r->rs.message, sizeof(r->rs.message), msg);
	say(r, "source '%s': %s", r->s->name, msg);
}

/*
 * A source's run begins (collect or refresh): its buffers, the adapter's
 * run over [window_start, window_end), the fetcher the adapter asks
 * through, and the run's row marked running.
 */
static void source_begin(struct src_run *r, int64_t window_start, int64_t window_end, int64_t now)
{
	arena_init(&r->a);
	kbuf_init(&r->url, 64 * 1024);
	kbuf_init(&r->hdrstore, 64 * 1024);
	r->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)r;
	adapter_run_init(&r->ar, r->s, window_start, window_end, now);
	r->ar.secrets = &r->secrets;
	r->fetcher.get = fetcher_get;
	r->ar.fetch = &r->fetcher;
	r->rs.started_at = now;
	snprintf(r->rs.status, sizeof(r->rs.status), "running");
}

/* The source's connection, then the adapter's own preparations (keys,
 * cookies) and the headers again with what it obtained.  0, or -1 after
 * fail(). */
static int source_connect(struct src_run *r, struct kerr *e)
{
	if (!(r->h = http_new())) {
		fail(r, "cannot start libcurl");
		return -1;
	}
	if (r->ar.ad->start && (r->ar.ad->start(&r->ar, e) < 0 || build_headers(r, e) < 0)) {
		fail(r, e->msg);
		return -1;
	}
	return 0;
}

/* A source's run is over: its row in run_sources (status from what
 * happened; none when st is NULL), the adapter stopped, the connection
 * closed, what source_begin() took released. */
static void source_done(struct src_run *r, struct store *st)
{
	struct kerr e;

	r->page_no = 0;
	kerr_clear(&e);
	r->rs.finished_at = kclock_now();
	snprintf(r->rs.status, sizeof(r->rs.status), "%s",
		 r->blocked ? "blocked" : r->failed ? "failed" : r->gap ? "gap" : r->empty ? "empty" : "ok");
	token_take(r->sh);
	if (st && store_run_source_put(st, r->run_id, r->s->name, &r->rs, &e) < 0 && !r->failed) {
		token_give(r->sh);
		fail(r, e.msg);
	} else
		token_give(r->sh);
	progress(r);
	if (r->ar.ad && r->ar.ad->stop)
		r->ar.ad->stop(&r->ar);
	http_free(r->h);
	r->h = NULL;
	arena_release(&r->a);
	kbuf_release(&r->url);
	kbuf_release(&r->hdrstore);
	redact_release(&r->secrets);
}

/* ---- collect ---- */

/* One source's collection (collect_source()): what its steps share. */
struct collection {
	struct src_run *r;
	const struct collect_opts *o;
	struct store *st;        /* set once the headers are built: before, the run has no row */
	struct ingest_scratch sc;
	struct store_cursor cur; /* the pass, committed with every page */
	struct kerr e;
	long pages;              /* fetched by this run: at most max_pages */
	int64_t now;             /* the run's start */
};

/* The headers, the source's cursor, the connection.  0, or -1 after
 * fail(). */
static int collection_open(struct collection *col)
{
	struct src_run *r = col->r;

	if (build_headers(r, &col->e) < 0) {
		fail(r, col->e.msg);
		return -1;
	}
	col->st = r->sh->st;
	token_take(r->sh);
	if (ingest_scratch_init(&col->sc, r->ing, &col->e) < 0 ||
	    store_cursor_get(col->st, r->s->name, &col->cur, &col->e) < 0) {
		token_give(r->sh);
		fail(r, col->e.msg);
		return -1;
	}
	token_give(r->sh);
	return source_connect(r, &col->e);
}

/* The pass this run works on: the one in the cursor, or a new one. */
static void pass_resume(struct collection *col)
{
	struct src_run *r = col->r;
	struct store_cursor *c = &col->cur;
	int backfill = col->o->backfill;
	const char *mode = backfill ? "backfill" : "normal";

	/* a normal run reads the newest pages first: a gap's pass that was
	 * going on waits for them, and so does a backfill (the next backfill
	 * of the same range goes on from where it was) */
	if (!backfill && c->pass_active && !strcmp(c->pass_mode, "gap")) {
		snprintf(c->gap_next, sizeof(c->gap_next), "%s", c->pass_next);
		c->pass_active = 0;
	}
	if (!backfill && c->pass_active && !strcmp(c->pass_mode, "backfill")) {
		snprintf(c->bf_next, sizeof(c->bf_next), "%s", c->pass_next);
		c->pass_active = 0;
	}
	if (backfill && !c->pass_active && c->bf_next[0] && c->bf_since == r->ar.window_start &&
	    c->bf_until == r->ar.window_end) {
		pass_start(r, c, "backfill", r->ar.window_start, c->bf_next);
		c->bf_next[0] = '\0';
	}
	/* a backfill asked for another range starts anew */
	if (!c->pass_active || strcmp(c->pass_mode, mode) || (backfill && c->pass_floor != r->ar.window_start)) {
		int64_t floor = r->ar.window_start;
		if (!backfill && c->high_water - (int64_t)r->s->overlap_hours * 3600 > floor)
			floor = c->high_water - (int64_t)r->s->overlap_hours * 3600;
		pass_start(r, c, mode, floor, NULL);
		if (backfill) {
			c->bf_since = r->ar.window_start;
			c->bf_until = r->ar.window_end;
			c->bf_next[0] = '\0';
		}
	}
}

/*
 * What the page at pos tells of the pass: the newest and oldest post it
 * has seen, whether its first page found nothing at all, and where it
 * goes next (its next page, or its end: pass_ended()).  Nonzero while a
 * pass goes on.
 */
static int pass_advance(struct collection *col, const struct page_pos *pos, const struct page *pg)
{
	struct src_run *r = col->r;
	struct store_cursor *c = &col->cur;
	struct page_pos nxt;
	int all_older = pg->nposts > 0, more;

	for (size_t i = 0; i < pg->nposts; i++) {
		int64_t t = pg->posts[i].created_at;
		if (t >= c->pass_floor)
			all_older = 0;
		if (t > r->ar.now + 3600) {
			/* dated in the future: kept as given, but taken at face
			 * value it would lift the mark past every real post to
			 * come, and later runs would stop short of them (said
			 * once, when it is stored: commit_page()) */
		} else {
			if (t > c->pass_max_seen)
				c->pass_max_seen = t;
			if (!c->pass_min_seen || t < c->pass_min_seen)
				c->pass_min_seen = t;
		}
	}
	if (col->pages == 1 && !pg->items && strcmp(c->pass_mode, "gap"))
		r->empty = 1; /* nothing at all: visible, and not the same as blocked */
	more = r->ar.ad->next(&r->ar, pos, pg, all_older, &nxt);
	if (more == PASS_MORE)
		page_pos_format(&nxt, c->pass_next, sizeof(c->pass_next));
	else
		more = pass_ended(r, c, more == PASS_CAPPED, col->now);
	return more;
}

/* Say what the adapter skipped (an error of the run) or warned of. */
static void say_page_items(struct src_run *r, const struct page *pg)
{
	for (size_t i = 0; i < pg->nbad; i++) {
		char msg[700];
		snprintf(msg, sizeof(msg), "item %ld: %s (skipped)", pg->bad[i].index, pg->bad[i].msg);
		r->rs.errors++;
		r->failed = 1;
		say(r, "source '%s' page %ld: %s", r->s->name, r->page_no, msg);
		utf8_copy(r->rs.message, sizeof(r->rs.message), msg);
	}
	for (size_t i = 0; i < pg->nwarn; i++) {
		r->rs.warnings++;
		say(r, "source '%s' page %ld: item %ld: warning: %s", r->s->name, r->page_no, pg->warn[i].index,
		    pg->warn[i].msg);
	}
}

/*
 * Match and attribute the page's posts here, in parallel with the other
 * sources (only storing is serial).  Returns which to keep (1 per post,
 * in r->a) with *before the posts from before the campaign, or NULL
 * after fail().
 */
static unsigned char *annotate_page(struct collection *col, struct page *pg, long *before)
{
	struct src_run *r = col->r;
	unsigned char *keep;

	*before = 0;
	if (!(keep = arena_alloc(&r->a, pg->nposts + 1))) {
		fail(r, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < pg->nposts; i++) {
		int k = 0;
		pg->posts[i].source = r->s->name; /* whose counts these are (store.h) */
		if (pg->posts[i].created_at < r->cfg->window_start)
			(*before)++; /* before the campaign: not ours */
		else if ((k = ingest_annotate(r->ing, &col->sc, &pg->posts[i], &r->a, &col->e)) < 0)
			break;
		keep[i] = k > 0;
	}
	if (col->e.msg[0]) {
		fail(r, col->e.msg);
		return NULL;
	}
	return keep;
}

/*
 * Store the page's kept posts together with the cursor and the run's
 * counters (submit(): perhaps in one transaction with other sources'
 * pages), then warn of each new one dated in the future.  0 with *kept
 * the posts stored, or -1 after fail().
 */
static int commit_page(struct collection *col, struct page *pg, unsigned char *keep, long *kept)
{
	struct src_run *r = col->r;
	struct job job;

	memset(&job, 0, sizeof(job));
	job.r = r;
	job.pg = pg;
	job.keep = keep;
	job.cur = &col->cur;
	job.now = col->now;
	if (submit(r->sh, &job) < 0) {
		fail(r, job.err);
		return -1;
	}
	*kept = job.kept;
	for (size_t i = 0; i < pg->nposts; i++)
		if (keep[i] == 2 && pg->posts[i].created_at > r->ar.now + 3600) {
			char when[32];
			ktime_format_cst(pg->posts[i].created_at, when);
			r->rs.warnings++;
			say(r, "source '%s' page %ld: warning: post %s is dated %s, in the future: stored as given, "
			       "not used for the high-water mark",
			    r->s->name, r->page_no, pg->posts[i].post_id, when);
		}
	return 0;
}

/*
 * Fetch the pass's next page, ingest it and commit it with the cursor.
 * 1: the pass goes on; 0: it is complete; -1: the source stops (after
 * fail() or blocked()).
 */
static int collect_page(struct collection *col)
{
	struct src_run *r = col->r;
	struct page_pos pos;
	struct page pg;
	unsigned char *keep;
	long kept = 0, before = 0;
	int more;

	page_pos_parse(&r->ar, col->cur.pass_next, &pos);
	r->ar.floor = col->cur.pass_floor;
	r->page_no = pos.page > 0 ? pos.page : col->pages + 1;
	if (fetch_page(r, &pos, &pg) < 0)
		return -1;
	col->pages++;
	more = pass_advance(col, &pos, &pg);
	r->rs.pages++;
	r->rs.fetched += (long)pg.nposts;
	say_page_items(r, &pg);
	if (!(keep = annotate_page(col, &pg, &before)) || commit_page(col, &pg, keep, &kept) < 0)
		return -1;
	if (col->o->verbose)
		say(r, "source '%s' page %ld: %zu posts, %ld with the campaign tag, %ld before the campaign%s",
		    r->s->name, r->page_no, pg.nposts, kept, before, more ? "" : "; pass complete");
	progress(r);
	return more ? 1 : 0;
}

/* The pages are read: what a normal run's pass left unread is saved as
 * the gap; an open gap is said, and so is a search that found nothing. */
static void collection_end(struct collection *col)
{
	struct src_run *r = col->r;
	const struct source *s = r->s;
	const struct collect_opts *o = col->o;

	if (col->cur.pass_active && !o->backfill && !r->blocked) {
		/* max_pages reached, or a failure, on a normal run: what the pass
		 * left unread is the gap, and the next run starts again from the
		 * newest posts.  A search in relevance order has no floor to
		 * reach: its max_pages pages are the whole pass. */
		if (!r->failed && s->order == SOURCE_ORDER_RELEVANCE)
			pass_ended(r, &col->cur, 0, col->now);
		else
			pass_cut(&col->cur, col->now);
		token_take(r->sh);
		if (store_cursor_put(col->st, s->name, &col->cur, col->now, &col->e) < 0) {
			token_give(r->sh);
			fail(r, col->e.msg);
		} else
			token_give(r->sh);
	}
	if (col->cur.gap_hi && !r->blocked)
		gap_say(r, &col->cur);
	if (r->empty && !r->failed && (o->verbose || o->progress))
		say(r, "source '%s': 0 results for %s (the platform found nothing; check the query, or whether it "
		       "answers this client at all)",
		    s->name, s->query ? s->query : "the feed");
}

/* Collect one source: its pass, page by page, up to max_pages. */
static void collect_source(struct src_run *r)
{
	const struct collect_opts *o = r->sh->o;
	struct collection col;
	/* a backfill of part of the campaign pages (and slices days) over
	 * that part only */
	int64_t ws = r->cfg->window_start, we = r->cfg->window_end;

	memset(&col, 0, sizeof(col));
	col.r = r;
	col.o = o;
	col.now = kclock_now();
	kerr_clear(&col.e);
	if (o->backfill && o->since > ws)
		ws = o->since;
	if (o->backfill && o->until && o->until < we)
		we = o->until;
	source_begin(r, ws, we > ws ? we : ws + 86400, col.now);
	r->ar.backfill = o->backfill;
	if (collection_open(&col) == 0) {
		pass_resume(&col);
		while (col.pages < r->s->max_pages && collect_page(&col) > 0)
			;
		collection_end(&col);
	}
	source_done(r, col.st);
	ingest_scratch_release(&col.sc);
}

/* ---- collect --refresh ---- */

/* A post a refresh may read, and when it is due. */
struct pick {
	char *platform, *post_id;
	int64_t interactions, last_read, due;
};

struct picks {
	struct pick *v;
	size_t n, cap;
};

static int on_candidate(void *ctx, const struct store_refresh_row *row, struct kerr *e)
{
	struct picks *ps = ctx;
	struct pick *p;

	if (ps->n == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 256;
		struct pick *nv = realloc(ps->v, nc * sizeof(*nv));
		if (!nv)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		ps->v = nv;
		ps->cap = nc;
	}
	p = &ps->v[ps->n];
	memset(p, 0, sizeof(*p));
	for (int k = PC_LIKES; k < PC_N; k++) /* everything but views: what people did */
		if (row->known & (1u << k))
			p->interactions += row->counts[k];
	p->last_read = row->last_read;
	if (!(p->platform = strdup(row->platform)) || !(p->post_id = strdup(row->post_id))) {
		free(p->platform);
		free(p->post_id);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	ps->n++;
	return 0;
}

static int by_interactions(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	return (x->interactions < y->interactions) - (x->interactions > y->interactions);
}

static int by_due(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;
	if (x->due != y->due)
		return (x->due > y->due) - (x->due < y->due);
	return by_interactions(a, b);
}

/*
 * Which posts to read, most overdue first: the REFRESH_TOP with the most
 * interactions are due an hour after they were last read, every other
 * post a day after; a budget of refresh_budget requests.  With the
 * README's cron (every 30 minutes) and a budget above (posts + 2,400) /
 * 48, every post is read at least daily and the top hourly.
 */
#define REFRESH_TOP 100
static void refresh_order(struct picks *ps, int64_t now)
{
	qsort(ps->v, ps->n, sizeof(*ps->v), by_interactions);
	for (size_t i = 0; i < ps->n; i++)
		ps->v[i].due = ps->v[i].last_read + (i < REFRESH_TOP ? 3600 : 86400);
	qsort(ps->v, ps->n, sizeof(*ps->v), by_due);
	while (ps->n && ps->v[ps->n - 1].due > now) {
		ps->n--;
		free(ps->v[ps->n].platform);
		free(ps->v[ps->n].post_id);
	}
}

/* The posts due a refresh, most overdue first (refresh_order()).  0, or
 * -1 after fail(). */
static int refresh_picks(struct src_run *r, int feed, struct picks *ps, int64_t now, struct kerr *e)
{
	token_take(r->sh);
	if (store_refresh_candidates(r->sh->st, feed ? NULL : r->ar.ad->kind, feed ? r->s->name : NULL,
				     r->cfg->window_start, r->cfg->window_end, on_candidate, ps, e) < 0) {
		token_give(r->sh);
		fail(r, e->msg);
		return -1;
	}
	token_give(r->sh);
	refresh_order(ps, now);
	return 0;
}

static void picks_release(struct picks *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].platform);
		free(ps->v[i].post_id);
	}
	free(ps->v);
}

/* One post's refresh, in one transaction: it is gone, or its counts (or
 * nothing: under review, not told), noted as read either way so the next
 * post gets its turn.  0, or -1 with e set. */
static int refresh_write(struct src_run *r, const struct post *p, int gone, enum store_put_result *res,
			 struct kerr *e)
{
	struct store *st = r->sh->st;
	int64_t now;
	int rc;

	token_take(r->sh);
	/* stamped when written, as a collection's pages are */
	now = kclock_now();
	rc = store_begin(st, e);
	if (rc == 0 && gone)
		rc = store_mark_deleted(st, p->platform, p->post_id, now, e);
	if (rc == 0)
		rc = store_put_counts(st, p, now, res, e);
	if (rc == 0)
		rc = store_commit(st, e);
	else
		store_rollback(st);
	token_give(r->sh);
	return rc;
}

/*
 * Read one post's detail page (page number no of the run) and store what
 * it says.  1 when it was read, 0 when its page could not be fetched,
 * -1 when it could not be stored (each after fail()).
 */
static int refresh_post(struct src_run *r, const struct pick *pk, long no)
{
	struct page_pos pos;
	struct page pg;
	struct post p;
	struct kerr e;
	enum store_put_result res = STORE_UNCHANGED;

	memset(&pos, 0, sizeof(pos));
	r->ar.detail_id = pk->post_id;
	r->page_no = no;
	r->rs.pages++;
	if (fetch_page(r, &pos, &pg) < 0)
		return 0;
	memset(&p, 0, sizeof(p));
	p.source = r->s->name;
	p.platform = pk->platform;
	p.post_id = pk->post_id;
	if (pg.nposts == 1) { /* its counts; a detail page says nothing else that matters here */
		memcpy(p.counts, pg.posts[0].counts, sizeof(p.counts));
		p.known = pg.posts[0].known;
		p.lower = pg.posts[0].lower;
		r->rs.fetched++;
		r->rs.matched++; /* a stored campaign post: every one counts */
	}
	kerr_clear(&e);
	if (refresh_write(r, &p, pg.gone, &res, &e) < 0) {
		fail(r, e.msg);
		return -1;
	}
	if (pg.gone) {
		r->rs.deleted++;
		if (r->sh->o->verbose)
			say(r, "source '%s': %s %s is gone (the platform says it was deleted or hidden)", r->s->name,
			    p.platform, p.post_id);
	} else if (res == STORE_UPDATED)
		r->rs.updated++;
	else
		r->rs.unchanged++;
	progress(r);
	return 1;
}

/* Re-read the counts of the source's posts through their detail pages. */
static void refresh_source(struct src_run *r)
{
	const struct source *s = r->s;
	struct picks ps = {NULL, 0, 0};
	struct kerr e;
	int64_t now = kclock_now();
	int feed, fails = 0;

	kerr_clear(&e);
	source_begin(r, r->cfg->window_start, r->cfg->window_end, now);
	feed = r->ar.ad == &adapter_feed;
	if (!r->ar.ad->detail || (feed && !s->detail_url)) {
		if (r->sh->o->verbose || r->sh->o->progress)
			say(r, "source '%s': no detail page to refresh from (a generic feed needs \"detail\")", s->name);
		goto done;
	}
	if (build_headers(r, &e) < 0) {
		fail(r, e.msg);
		goto done;
	}
	if (refresh_picks(r, feed, &ps, now, &e) < 0 || !ps.n || source_connect(r, &e) < 0)
		goto done;
	for (size_t i = 0; i < ps.n && (long)i < s->refresh_budget; i++) {
		int rc = refresh_post(r, &ps.v[i], (long)i + 1);
		if (rc < 0)
			break;
		if (rc > 0)
			fails = 0;
		else if (r->blocked || ++fails >= 3)
			break; /* refused, or down: the next run tries again */
	}
	r->ar.detail_id = NULL;
done:
	source_done(r, r->sh->st);
	picks_release(&ps);
}

static void *source_thread(void *arg)
{
	struct src_run *r = arg;
	if (r->sh->o->refresh)
		refresh_source(r);
	else
		collect_source(r);
	return NULL;
}

/* Fill the outcome of run r: its status, and whether a person is needed
 * (collector.h).  The run's row is committed, so the streak counts it. */
static void outcome(struct shared *sh, const struct src_run *r, long alert_after, struct collect_outcome *out)
{
	struct kerr e;

	memset(out, 0, sizeof(*out));
	snprintf(out->source, sizeof(out->source), "%s", r->s->name);
	snprintf(out->status, sizeof(out->status), "%s", r->rs.status);
	if (r->blocked || r->gap) {
		out->alert = 1; /* a refusal, an open gap: at once */
		return;
	}
	if (!r->failed)
		return;
	kerr_clear(&e);
	/* a collection's streak counts collections; a refresh's, refreshes */
	if (store_source_streak(sh->st, r->s->name, sh->o->refresh ? "refresh" : "collect", &out->streak, &out->since,
				&e) < 0 ||
	    out->streak < 1) {
		out->streak = 1; /* cannot tell: count this run alone */
		out->since = r->rs.started_at;
	}
	out->alert = out->streak >= (alert_after > 1 ? alert_after : 1);
}

int collect_run(const struct config *cfg, const char *db_path, const struct ingest *ing,
		int64_t run_id, const struct collect_opts *o, diag_fn diag, void *dctx,
		struct run_counts *total, struct collect_outcome **out, size_t *nout, struct kerr *e)
{
	struct shared sh;
	size_t n = 0;
	int failed = 0;

	*out = NULL;
	*nout = 0;
	memset(total, 0, sizeof(*total));
	memset(&sh, 0, sizeof(sh));
	for (size_t i = 0; i < cfg->nsources; i++)
		if (o->only ? !strcmp(cfg->sources[i].name, o->only) : cfg->sources[i].enabled)
			n++;
	if (!n)
		return kerr_set(e, KERR_USAGE,
				o->only ? "no source named '%s' in the config"
					: "no enabled sources in the config (see README: Collecting)",
				o->only);
	if (!(sh.runs = calloc(n, sizeof(*sh.runs))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (store_open(&sh.st, db_path, e) < 0 || store_bulk(sh.st, 1, e) < 0) {
		store_close(sh.st);
		free(sh.runs);
		return -1;
	}
	pthread_mutex_init(&sh.mu, NULL);
	pthread_mutex_init(&sh.q_mu, NULL);
	pthread_cond_init(&sh.q_cv, NULL);
	sh.diag = diag;
	sh.dctx = dctx;
	sh.o = o;
	for (size_t i = 0; i < cfg->nsources; i++) {
		const struct source *s = &cfg->sources[i];
		if (o->only ? strcmp(s->name, o->only) : !s->enabled)
			continue;
		struct src_run *r = &sh.runs[sh.nruns++];
		r->s = s;
		r->cfg = cfg;
		r->ing = ing;
		r->run_id = run_id;
		r->sh = &sh;
		snprintf(r->rs.source, sizeof(r->rs.source), "%s", s->name);
	}
	for (size_t i = 0; i < sh.nruns; i++)
		sh.runs[i].started = pthread_create(&sh.runs[i].th, NULL, source_thread, &sh.runs[i]) == 0;
	for (size_t i = 0; i < sh.nruns; i++) {
		struct src_run *r = &sh.runs[i];
		if (r->started)
			pthread_join(r->th, NULL);
		else
			source_thread(r); /* no thread: run it here */
		failed += r->failed || r->gap; /* an open gap: exit 1 until it is closed */
		total->read += r->rs.fetched;
		total->kept += r->rs.matched;
		total->added += r->rs.added;
		total->updated += r->rs.updated;
		total->unchanged += r->rs.unchanged;
		total->errors += r->rs.errors;
	}
	total->skipped = total->read - total->kept;
	if ((*out = calloc(sh.nruns ? sh.nruns : 1, sizeof(**out)))) {
		for (size_t i = 0; i < sh.nruns; i++)
			outcome(&sh, &sh.runs[i], o->alert_after, &(*out)[i]);
		*nout = sh.nruns;
	}
	pthread_mutex_destroy(&sh.mu);
	pthread_mutex_destroy(&sh.q_mu);
	pthread_cond_destroy(&sh.q_cv);
	store_bulk(sh.st, 0, NULL);
	store_close(sh.st);
	free(sh.runs);
	return failed;
}
