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
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/buf.h"
#include "../util/redact.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "adapter.h"
#include "collector.h"
#include "http.h"

#define DEFAULT_UA "kepu/0.1 (science popularization statistics; +https://kepu.example.cn)"

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
	pthread_t th;
	int started;
	struct redact secrets; /* values to redact from every message */
};

static void say(struct src_run *r, const char *fmt, ...) KEPU_PRINTF(2, 3);

/* A page waiting to be committed. */
struct job {
	struct src_run *r;
	struct page *pg;
	const unsigned char *keep; /* per post: store it */
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
	for (j = list; j; j = j->next)
		if (n < 64)
			saved[n++] = j->r->rs;
	if (store_begin(sh->st, &e) == 0) {
		for (j = list; j && !e.msg[0]; j = j->next) {
			for (size_t i = 0; i < j->pg->nposts && !e.msg[0]; i++) {
				enum store_put_result res;
				if (!j->keep[i])
					continue;
				if (ingest_store(sh->st, &j->pg->posts[i], j->now, &res, &e) < 0)
					break;
				j->kept++;
				if (res == STORE_NEW)
					j->r->rs.added++;
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
	if (r->sh->o->progress)
		fputs("\r\033[K", stderr);
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
	char line[1024];
	size_t n = 0;

	if (!sh->o->progress)
		return;
	pthread_mutex_lock(&sh->mu);
	for (size_t i = 0; i < sh->nruns && n < sizeof(line) - 80; i++) {
		const struct run_source *x = &sh->runs[i].rs;
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s: %ld pages, %ld posts, %ld new, %ld updated%s",
				      i ? " | " : "", sh->runs[i].s->name, x->pages, x->fetched, x->added,
				      x->updated, sh->runs[i].failed ? " (failed)" : "");
	}
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
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

/* The request headers: Cookie from cookie_env, the configured ones with
 * values from the environment.  -1 when a variable is missing or unfit. */
static int build_headers(struct src_run *r, struct kbuf *store, const char **lines, size_t *n,
			 struct kerr *e)
{
	const struct source *s = r->s;
	size_t offs[32];

	*n = 0;
	kbuf_reset(store);
	if (s->cookie_env) {
		const char *v;
		int len = env_header_value(r, s->cookie_env, "cookie_env", &v, e);
		if (len < 0)
			return -1;
		offs[(*n)++] = store->len;
		if (kbuf_adds(store, "Cookie: ", e) < 0 || kbuf_add(store, v, (size_t)len, e) < 0 ||
		    kbuf_addc(store, '\0', e) < 0)
			return -1;
	}
	for (size_t i = 0; i < s->nheaders && *n < 31; i++) {
		const struct source_header *h = &s->headers[i];
		const char *v = h->value;
		int len = (int)strlen(v ? v : "");
		char what[300];
		if (h->env) {
			snprintf(what, sizeof(what), "headers.%s", h->name);
			if ((len = env_header_value(r, h->env, what, &v, e)) < 0)
				return -1;
		}
		offs[(*n)++] = store->len;
		if (kbuf_addf(store, e, "%s: %s", h->name, h->prefix ? h->prefix : "") < 0 ||
		    kbuf_add(store, v, (size_t)len, e) < 0 || kbuf_addc(store, '\0', e) < 0)
			return -1;
	}
	offs[(*n)++] = store->len;
	if (kbuf_adds(store, "Accept: application/json", e) < 0 || kbuf_addc(store, '\0', e) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		lines[i] = store->data + offs[i];
	return 0;
}

/* Fetch and parse one page with the retry policy.  0, or -1 after fail(). */
static int fetch_page(struct src_run *r, struct http *h, const struct page_pos *pos, struct kbuf *url,
		      const char *const *hdrs, size_t nhdrs, long *last_ms, unsigned *seed,
		      struct arena *a, struct page *pg)
{
	const struct source *s = r->s;
	struct http_response resp;
	struct http_request rq;
	struct kerr e;
	char cause[1100];
	int attempts = 1 + s->retries, ok = 0;

	kerr_clear(&e);
	if (adapter_url(s, pos, url, &r->secrets, &e) < 0) {
		fail(r, e.msg);
		return -1;
	}
	http_response_init(&resp);
	memset(&rq, 0, sizeof(rq));
	rq.url = url->data;
	rq.headers = hdrs;
	rq.nheaders = nhdrs;
	rq.user_agent = s->user_agent ? s->user_agent : DEFAULT_UA;
	rq.connect_timeout_s = s->connect_timeout_s;
	rq.timeout_s = s->timeout_s;
	rq.max_body = (size_t)s->max_body;
	for (int attempt = 1; attempt <= attempts; attempt++) {
		long wait = 0, since = now_ms() - *last_ms;
		enum http_outcome out;

		if (*last_ms && since < s->min_interval_ms)
			pause_ms(s->min_interval_ms - since);
		*last_ms = now_ms();
		kerr_clear(&e);
		out = http_get(h, &rq, &resp, &e);
		if (out == HTTP_FATAL || out == HTTP_TOO_LARGE) {
			snprintf(cause, sizeof(cause), "%s", e.msg);
			break;
		}
		if (out == HTTP_NETWORK) {
			snprintf(cause, sizeof(cause), "%s", e.msg);
			wait = backoff_ms(s, attempt, seed);
		} else if (resp.status == 429 || resp.status >= 500) {
			snprintf(cause, sizeof(cause), "HTTP %ld%s", resp.status,
				 resp.status == 429 ? " Too Many Requests" : " from the server");
			wait = backoff_ms(s, attempt, seed);
			if (resp.retry_after_s >= 0) {
				if (resp.retry_after_s > s->retry_after_max_s) {
					snprintf(cause + strlen(cause), sizeof(cause) - strlen(cause),
						 " (Retry-After %ld s is more than retry_after_max_s %d)",
						 resp.retry_after_s, s->retry_after_max_s);
					break;
				}
				wait = resp.retry_after_s * 1000L;
			}
		} else if (resp.status < 200 || resp.status >= 300) {
			/* platforms explain refusals in their JSON (Bilibili's -412 comes
			 * with HTTP 412): say what they said */
			arena_reset(a);
			if (resp.body.len && adapter_parse(s, resp.body.data, resp.body.len, resp.content_type, a,
							   pg, &e) < 0 && !pg->retryable)
				snprintf(cause, sizeof(cause), "HTTP %ld: %s", resp.status, e.msg);
			else
				snprintf(cause, sizeof(cause), "HTTP %ld%s", resp.status,
					 resp.status == 401 || resp.status == 403
						 ? " (check the credentials in the source's env variables)"
						 : "");
			break;
		} else {
			arena_reset(a);
			if (adapter_parse(s, resp.body.data ? resp.body.data : "", resp.body.len,
					  resp.content_type, a, pg, &e) == 0) {
				ok = 1;
				break;
			}
			snprintf(cause, sizeof(cause), "%s", e.msg);
			if (!pg->retryable)
				break;
			wait = backoff_ms(s, attempt, seed);
		}
		if (attempt < attempts) {
			if (r->sh->o->verbose)
				say(r, "source '%s' page %ld: %s; retrying in %ld ms (attempt %d of %d)", s->name,
				    r->page_no, cause, wait, attempt + 1, attempts);
			pause_ms(wait);
		} else if (attempts > 1)
			snprintf(cause + strlen(cause), sizeof(cause) - strlen(cause), " (gave up after %d attempts)",
				 attempts);
	}
	http_response_release(&resp);
	if (!ok) {
		fail(r, cause);
		return -1;
	}
	return 0;
}

/* The first position of a pass, and how to read one from the cursor. */
static void first_pos(const struct src_run *r, int backfill, struct store_cursor *c)
{
	const struct source *s = r->s;

	if (s->kind == SOURCE_BILIBILI && backfill)
		snprintf(c->pass_next, sizeof(c->pass_next), "day=0;page=1");
	else if (s->kind == SOURCE_DOUYIN || (s->kind == SOURCE_GENERIC && s->paging == SP_CURSOR))
		c->pass_next[0] = '\0';
	else
		snprintf(c->pass_next, sizeof(c->pass_next), "%d", s->kind == SOURCE_GENERIC ? s->page_start : 1);
}

/* Bilibili caps one query at 50 pages, so a backfill asks day by day,
 * newest day first. */
static void read_pos(const struct src_run *r, const struct store_cursor *c, struct page_pos *pos,
		     long *day)
{
	const struct source *s = r->s;

	memset(pos, 0, sizeof(*pos));
	*day = -1;
	if (!strncmp(c->pass_next, "day=", 4)) {
		*day = strtol(c->pass_next + 4, NULL, 10);
		const char *p = strstr(c->pass_next, "page=");
		pos->page = p ? strtol(p + 5, NULL, 10) : 1;
		pos->day_end = r->cfg->window_end - 1 - *day * 86400;
		pos->day_begin = pos->day_end - 86399;
	} else if (s->kind == SOURCE_DOUYIN || (s->kind == SOURCE_GENERIC && s->paging == SP_CURSOR))
		snprintf(pos->cursor, sizeof(pos->cursor), "%s", c->pass_next);
	else
		pos->page = strtol(c->pass_next, NULL, 10);
	if (s->kind != SOURCE_DOUYIN && !(s->kind == SOURCE_GENERIC && s->paging == SP_CURSOR) && pos->page < 1 &&
	    !(s->kind == SOURCE_GENERIC && s->page_start == 0))
		pos->page = 1;
}

/* Where the pass goes after this page; 0 when it is complete. */
static int next_pos(const struct src_run *r, struct store_cursor *c, const struct page_pos *pos,
		    long day, const struct page *pg, int all_older)
{
	const struct source *s = r->s;

	if (day >= 0) {
		int64_t days = (r->cfg->window_end - r->cfg->window_start) / 86400;
		if (pg->more && pg->nposts && pos->page < 50) {
			snprintf(c->pass_next, sizeof(c->pass_next), "day=%ld;page=%ld", day, pos->page + 1);
			return 1;
		}
		if (day + 1 < days) {
			snprintf(c->pass_next, sizeof(c->pass_next), "day=%ld;page=1", day + 1);
			return 1;
		}
		return 0;
	}
	if (!pg->more || all_older || !pg->nposts)
		return 0;
	if (s->kind == SOURCE_DOUYIN || (s->kind == SOURCE_GENERIC && s->paging == SP_CURSOR)) {
		if (!pg->next_cursor[0] || !strcmp(pg->next_cursor, pos->cursor))
			return 0; /* a cursor that does not move would loop for ever */
		snprintf(c->pass_next, sizeof(c->pass_next), "%s", pg->next_cursor);
	} else
		snprintf(c->pass_next, sizeof(c->pass_next), "%ld", pos->page + 1);
	return 1;
}

static void collect_source(struct src_run *r)
{
	const struct source *s = r->s;
	const struct collect_opts *o = r->sh->o;
	struct store *st = NULL;
	struct http *h = NULL;
	struct ingest_scratch sc = {0};
	struct store_cursor cur;
	struct arena a;
	struct kbuf url, hdrstore;
	const char *hdrs[32];
	size_t nhdrs = 0;
	struct kerr e;
	long last_ms = 0, pages = 0;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)r;
	int64_t now = (int64_t)time(NULL);
	const char *mode = o->backfill ? "backfill" : "normal";

	arena_init(&a);
	kbuf_init(&url, 64 * 1024);
	kbuf_init(&hdrstore, 64 * 1024);
	kerr_clear(&e);
	r->rs.started_at = now;
	snprintf(r->rs.status, sizeof(r->rs.status), "running");
	if (build_headers(r, &hdrstore, hdrs, &nhdrs, &e) < 0) {
		fail(r, e.msg);
		goto done;
	}
	st = r->sh->st;
	token_take(r->sh);
	if (ingest_scratch_init(&sc, r->ing, &e) < 0 || store_cursor_get(st, s->name, &cur, &e) < 0) {
		token_give(r->sh);
		fail(r, e.msg);
		goto done;
	}
	token_give(r->sh);
	if (!(h = http_new())) {
		fail(r, "cannot start libcurl");
		goto done;
	}
	if (!cur.pass_active || strcmp(cur.pass_mode, mode)) {
		int64_t floor = r->cfg->window_start;
		if (!o->backfill && cur.high_water - (int64_t)s->overlap_hours * 3600 > floor)
			floor = cur.high_water - (int64_t)s->overlap_hours * 3600;
		cur.pass_active = 1;
		snprintf(cur.pass_mode, sizeof(cur.pass_mode), "%s", mode);
		cur.pass_floor = floor;
		cur.pass_max_seen = 0;
		first_pos(r, o->backfill, &cur);
	}
	while (pages < s->max_pages) {
		struct page_pos pos;
		struct page pg;
		long day, kept = 0, before = 0;
		int all_older, more;
		unsigned char *keep;
		struct job job;

		read_pos(r, &cur, &pos, &day);
		r->page_no = day >= 0 ? pos.page : pos.cursor[0] || s->kind == SOURCE_DOUYIN ? pages + 1 : pos.page;
		if (fetch_page(r, h, &pos, &url, hdrs, nhdrs, &last_ms, &seed, &a, &pg) < 0)
			break;
		pages++;
		all_older = pg.nposts > 0;
		for (size_t i = 0; i < pg.nposts; i++) {
			if (pg.posts[i].created_at >= cur.pass_floor)
				all_older = 0;
			if (pg.posts[i].created_at > cur.pass_max_seen)
				cur.pass_max_seen = pg.posts[i].created_at;
		}
		more = next_pos(r, &cur, &pos, day, &pg, all_older);
		if (!more && pg.nposts == 0 && day < 0 && pages == 1 && !cur.pass_max_seen)
			cur.pass_max_seen = 0;
		if (!more) {
			cur.pass_active = 0;
			if (cur.pass_max_seen > cur.high_water)
				cur.high_water = cur.pass_max_seen;
		}
		r->rs.pages++;
		r->rs.fetched += (long)pg.nposts;
		for (size_t i = 0; i < pg.nbad; i++) {
			char msg[700];
			snprintf(msg, sizeof(msg), "item %ld: %s (skipped)", pg.bad[i].index, pg.bad[i].msg);
			r->rs.errors++;
			r->failed = 1;
			say(r, "source '%s' page %ld: %s", s->name, r->page_no, msg);
			utf8_copy(r->rs.message, sizeof(r->rs.message), msg);
		}
		/* match and attribute here, in parallel; only storing is serial */
		if (!(keep = arena_alloc(&a, pg.nposts + 1))) {
			fail(r, "out of memory");
			break;
		}
		for (size_t i = 0; i < pg.nposts; i++) {
			int k = 0;
			if (pg.posts[i].created_at < r->cfg->window_start)
				before++; /* before the campaign: not ours */
			else if ((k = ingest_annotate(r->ing, &sc, &pg.posts[i], &a, &e)) < 0)
				break;
			keep[i] = k > 0;
		}
		if (e.msg[0]) {
			fail(r, e.msg);
			break;
		}
		memset(&job, 0, sizeof(job));
		job.r = r;
		job.pg = &pg;
		job.keep = keep;
		job.cur = &cur;
		job.now = now;
		if (submit(r->sh, &job) < 0) {
			fail(r, job.err);
			break;
		}
		kept = job.kept;
		if (o->verbose)
			say(r, "source '%s' page %ld: %zu posts, %ld with the campaign tag, %ld before the campaign%s",
			    s->name, r->page_no, pg.nposts, kept, before, more ? "" : "; pass complete");
		progress(r);
		if (!more)
			break;
	}
	if (!r->failed && cur.pass_active && !o->backfill) {
		/* max_pages reached on a normal run: the pass ends here, so the next
		 * run starts again from the newest posts */
		cur.pass_active = 0;
		if (cur.pass_max_seen > cur.high_water)
			cur.high_water = cur.pass_max_seen;
		token_take(r->sh);
		if (store_cursor_put(st, s->name, &cur, now, &e) < 0) {
			token_give(r->sh);
			fail(r, e.msg);
		} else
			token_give(r->sh);
	}
done:
	r->page_no = 0;
	r->rs.finished_at = (int64_t)time(NULL);
	snprintf(r->rs.status, sizeof(r->rs.status), "%s", r->failed ? "failed" : "ok");
	token_take(r->sh);
	if (st && store_run_source_put(st, r->run_id, s->name, &r->rs, &e) < 0 && !r->failed) {
		token_give(r->sh);
		fail(r, e.msg);
	} else
		token_give(r->sh);
	progress(r);
	http_free(h);
	ingest_scratch_release(&sc);
	arena_release(&a);
	kbuf_release(&url);
	kbuf_release(&hdrstore);
	redact_release(&r->secrets);
}

static void *source_thread(void *arg)
{
	collect_source(arg);
	return NULL;
}

int collect_run(const struct config *cfg, const char *db_path, const struct ingest *ing,
		int64_t run_id, const struct collect_opts *o, diag_fn diag, void *dctx,
		struct run_counts *total, struct kerr *e)
{
	struct shared sh;
	size_t n = 0;
	int failed = 0;

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
			collect_source(r); /* no thread: run it here */
		failed += r->failed;
		total->read += r->rs.fetched;
		total->kept += r->rs.matched;
		total->added += r->rs.added;
		total->updated += r->rs.updated;
		total->unchanged += r->rs.unchanged;
		total->errors += r->rs.errors;
	}
	total->skipped = total->read - total->kept;
	if (o->progress)
		fputc('\n', stderr);
	pthread_mutex_destroy(&sh.mu);
	pthread_mutex_destroy(&sh.q_mu);
	pthread_cond_destroy(&sh.q_cv);
	store_bulk(sh.st, 0, NULL);
	store_close(sh.st);
	free(sh.runs);
	return failed;
}
