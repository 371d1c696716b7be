/*
 * cache.c: the answers that read every post (the queue's ranked list, the
 * report), kept a few seconds and shared by the worker threads
 * (web/internal.h).  Fifty people reading the queue while cron stores a
 * page of posts every few milliseconds would otherwise each rank the whole
 * campaign.
 *
 * An entry is good for WEB_CACHE_AGE seconds and until the workspace
 * itself changes something (a decision, a claim: web_cache_changed()),
 * so a reviewer always sees their own decision at once and new posts from
 * cron within seconds.  An entry old only by age is still served while one
 * thread builds its successor; one changed by a decision is rebuilt
 * before it is served.  Entries are counted references: one being read is
 * freed only when its last reader is done.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WEB_CACHE_AGE 10 /* seconds */
#define WEB_CACHE_MAX 32 /* entries */

struct web_cache {
	pthread_mutex_t lock;
	pthread_mutex_t build;  /* one build at a time: the 2 cores have no room for more */
	unsigned gen;           /* bumped by every change made here */
	struct web_cached *head; /* newest first */
	size_t n;
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct web_cache *web_cache_new(void)
{
	struct web_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->build, NULL);
	return c;
}

static void entry_free(struct web_cached *x)
{
	if (x->release)
		x->release(x);
	free(x->text);
	free(x);
}

void web_cache_free(struct web_cache *c)
{
	if (!c)
		return;
	for (struct web_cached *x = c->head, *next; x; x = next) {
		next = x->next;
		entry_free(x);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->build);
	free(c);
}

void web_cache_changed(struct web_cache *c)
{
	pthread_mutex_lock(&c->lock);
	c->gen++;
	pthread_mutex_unlock(&c->lock);
}

/* Under c->lock: the entry for key, taken (refs + 1), or NULL.  *fresh:
 * young enough; *current: built since the last change. */
static struct web_cached *find(struct web_cache *c, const char *key, int *fresh, int *current)
{
	for (struct web_cached *x = c->head; x; x = x->next)
		if (!x->dropped && !strcmp(x->key, key)) {
			*current = x->gen == c->gen;
			*fresh = *current && now_ms() - x->built < WEB_CACHE_AGE * 1000;
			x->refs++;
			return x;
		}
	return NULL;
}

/* Under c->lock: put x first, drop the entry it replaces and the oldest
 * beyond WEB_CACHE_MAX (freed now if nobody reads them). */
static void insert(struct web_cache *c, struct web_cached *x)
{
	struct web_cached **p;
	size_t i = 0;

	x->next = c->head;
	c->head = x;
	c->n++;
	for (p = &x->next; *p;) {
		struct web_cached *y = *p;
		if (!strcmp(y->key, x->key) || ++i >= WEB_CACHE_MAX) {
			*p = y->next;
			c->n--;
			y->dropped = 1;
			if (!y->refs)
				entry_free(y);
			continue;
		}
		p = &y->next;
	}
}

void web_cache_put(struct web_cache *c, struct web_cached *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&c->lock);
	if (--x->refs == 0 && x->dropped)
		entry_free(x);
	pthread_mutex_unlock(&c->lock);
}

/* Build a new entry for key and cache it; taken for the caller. */
static struct web_cached *build(struct web_cache *c, const char *key, web_cache_build fn, void *ctx,
				struct kerr *e)
{
	struct web_cached *x = calloc(1, sizeof(*x));
	unsigned gen;

	if (!x) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		return NULL;
	}
	snprintf(x->key, sizeof(x->key), "%s", key);
	pthread_mutex_lock(&c->lock);
	gen = c->gen; /* a change during the build makes it stale at once */
	pthread_mutex_unlock(&c->lock);
	if (fn(ctx, x, e) < 0) {
		entry_free(x);
		return NULL;
	}
	x->gen = gen;
	x->built = now_ms();
	x->refs = 1;
	pthread_mutex_lock(&c->lock);
	insert(c, x);
	pthread_mutex_unlock(&c->lock);
	return x;
}

struct web_cached *web_cache_get(struct web_cache *c, const char *key, web_cache_build fn, void *ctx,
				 struct kerr *e)
{
	struct web_cached *x, *y;
	int fresh = 0, current = 0;

	pthread_mutex_lock(&c->lock);
	x = find(c, key, &fresh, &current);
	pthread_mutex_unlock(&c->lock);
	if (x && fresh)
		return x;
	if (x && current) {
		/* old by age only: serve it; one thread builds the next meanwhile */
		if (pthread_mutex_trylock(&c->build) == 0) {
			y = build(c, key, fn, ctx, e);
			pthread_mutex_unlock(&c->build);
			if (y) {
				web_cache_put(c, x);
				return y;
			}
		}
		return x;
	}
	web_cache_put(c, x);
	/* none, or changed since: wait for the builder, then look again */
	pthread_mutex_lock(&c->build);
	pthread_mutex_lock(&c->lock);
	x = find(c, key, &fresh, &current);
	pthread_mutex_unlock(&c->lock);
	if (x && current) {
		pthread_mutex_unlock(&c->build);
		return x;
	}
	web_cache_put(c, x);
	y = build(c, key, fn, ctx, e);
	pthread_mutex_unlock(&c->build);
	return y;
}
