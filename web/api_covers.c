/*
 * api_covers.c: GET /covers/{platform}/{post_id}: a queue card's cover
 * picture, from kepu's own cover cache (collector/covers.h), so the page
 * never loads anything from a platform (its CSP forbids it).  A cover not
 * in the cache yet is downloaded once, on the worker thread that asked:
 * with short time-outs, with the store left alone meanwhile (the post's
 * cover_url is copied out first), by at most half the worker threads at
 * once (the others stay free for the API), and with a memory of what
 * failed, so a slow or broken image server costs a worker a few seconds
 * once, not every card of every page.
 *
 * The cache is `covers/` beside the database: private, since the queue
 * shows works that are pending or rejected; publishing copies the
 * featured works' covers from it into showcase.dir/covers.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../collector/covers.h"
#include "../model/platform.h"
#include "../util/utf8.h"

#define CONNECT_S 3          /* a download's limits in the workspace */
#define TOTAL_S 4
#define FAILED_FOR_S 600     /* a work whose download failed is not tried again for this long */
#define HOST_DOWN_FOR_S 60   /* nor, after no answer at all, anything of that host */
#define MEMORY 64            /* failures remembered (the oldest make room) */
#define SLOT_WAIT_MS 2000    /* how long a request waits for a download slot */

struct memory {
	char key[192];   /* "platform:post_id", or a host */
	int64_t until;
};

struct web_covers {
	char *dir;
	const struct config *cfg;
	pthread_key_t key; /* each worker thread's struct covers (one connection each) */
	pthread_mutex_t mu; /* guards the two memories and the slots */
	pthread_cond_t freed;
	struct memory failed[MEMORY], down[MEMORY];
	unsigned busy, slots; /* downloads running, and at most */
};

static void free_thread_covers(void *p)
{
	covers_free(p);
}

struct web_covers *web_covers_new(const struct web_opts *o, struct kerr *e)
{
	struct web_covers *c = calloc(1, sizeof(*c));
	struct kbuf dir;
	const char *slash;

	if (!c) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		return NULL;
	}
	kbuf_init(&dir, 8192);
	/* beside the database, never in the published directory: the queue
	 * shows pending and rejected works too, whose pictures must not be
	 * published at a guessable name (publishing copies the featured ones) */
	if ((slash = strrchr(o->db_path, '/'))) {
		if (kbuf_addf(&dir, e, "%.*s/covers", (int)(slash - o->db_path), o->db_path) < 0)
			goto fail;
	} else if (kbuf_adds(&dir, "covers", e) < 0)
		goto fail;
	c->dir = kbuf_detach(&dir);
	c->cfg = o->cfg;
	if (pthread_key_create(&c->key, free_thread_covers) != 0) {
		free(c->dir);
		free(c);
		kerr_set(e, KERR_NOMEM, "cannot make a thread key");
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->freed, NULL);
	c->slots = o->threads > 1 ? o->threads / 2 : 1;
	return c;
fail:
	kbuf_release(&dir);
	free(c);
	return NULL;
}

void web_covers_free(struct web_covers *c)
{
	if (!c)
		return;
	pthread_key_delete(c->key);
	pthread_cond_destroy(&c->freed);
	pthread_mutex_destroy(&c->mu);
	free(c->dir);
	free(c);
}

const char *web_covers_dir(const struct web_covers *c)
{
	return c->dir;
}

int web_cover_path(const char *platform, const char *post_id, const char *cover_url, char *out, size_t size)
{
	size_t n;
	int k;

	if (!covers_url_usable(cover_url) || !platform_find(platform))
		return 0;
	k = snprintf(out, size, "/covers/%s/", platform);
	if (k < 0 || (size_t)k >= size)
		return 0;
	n = (size_t)k;
	for (const unsigned char *p = (const unsigned char *)post_id; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '-' || *p == '_' || *p == '.' || *p == '~';
		if (n + 4 >= size)
			return 0;
		if (plain)
			out[n++] = (char)*p;
		else
			n += (size_t)snprintf(out + n, size - n, "%%%02X", *p);
	}
	out[n] = '\0';
	return 1;
}

/* Is key in m (not expired)?  Caller holds c->mu. */
static int remembered(const struct memory *m, const char *key, int64_t now)
{
	for (size_t i = 0; i < MEMORY; i++)
		if (m[i].until > now && !strcmp(m[i].key, key))
			return 1;
	return 0;
}

/* Remember key until then, in place of the entry that ends first. */
static void remember(struct web_covers *c, struct memory *m, const char *key, int64_t until)
{
	size_t at = 0;

	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < MEMORY; i++) {
		if (!strcmp(m[i].key, key)) {
			at = i;
			break;
		}
		if (m[i].until < m[at].until)
			at = i;
	}
	snprintf(m[at].key, sizeof(m[at].key), "%s", key);
	m[at].until = until;
	pthread_mutex_unlock(&c->mu);
}

/* A download slot: 1 when taken (give it back with slot_give), 0 when none
 * came free within SLOT_WAIT_MS. */
static int slot_take(struct web_covers *c)
{
	struct timespec until;
	int got;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SLOT_WAIT_MS / 1000;
	until.tv_nsec += (long)(SLOT_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&c->mu);
	while (c->busy >= c->slots && pthread_cond_timedwait(&c->freed, &c->mu, &until) == 0)
		;
	if ((got = c->busy < c->slots))
		c->busy++;
	pthread_mutex_unlock(&c->mu);
	return got;
}

static void slot_give(struct web_covers *c)
{
	pthread_mutex_lock(&c->mu);
	c->busy--;
	pthread_cond_signal(&c->freed);
	pthread_mutex_unlock(&c->mu);
}

/* What the handler needs of the post, copied out of the store's row. */
struct cover_post {
	char *url, *district_code;
};

static int copy_post(void *ctx, const struct post *p, struct kerr *e)
{
	struct cover_post *cp = ctx;

	if ((p->cover_url && !(cp->url = strdup(p->cover_url))) ||
	    (p->district_code && !(cp->district_code = strdup(p->district_code))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

/* Answer the file dir/name, or 500. */
static void send_file(struct web_req *r, const char *dir, const char *name)
{
	char path[4096];
	struct stat sb;
	struct kerr e;
	char chunk[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > (off_t)COVERS_MAX_BYTES) {
		if (fd >= 0)
			close(fd);
		web_log(r, "cannot read the cover %s: %s", path, fd < 0 ? strerror(errno) : "not a picture file");
		web_error(r, 500, "服务器内部错误", "the cover cannot be read");
		return;
	}
	kbuf_reset(&r->out);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (kbuf_add(&r->out, chunk, (size_t)n, &e) < 0)
			break;
	close(fd);
	if (n != 0) {
		web_error(r, 500, "服务器内部错误", "the cover cannot be read");
		return;
	}
	r->status = 200;
	r->type = covers_mime_type(name);
	r->cache_control = "private, max-age=86400";
}

/* This thread's covers, made on its first download. */
static struct covers *thread_covers(struct web_covers *c, struct kerr *e)
{
	struct covers *cv = pthread_getspecific(c->key);

	if (cv)
		return cv;
	if (!(cv = covers_new(c->cfg, c->dir, e)))
		return NULL;
	covers_cap_timeouts(cv, CONNECT_S, TOTAL_S);
	pthread_setspecific(c->key, cv);
	return cv;
}

static void no_cover(struct web_req *r)
{
	web_error(r, 404, "没有封面", "no cover");
}

/* GET /covers/{platform}/{post_id} */
static void cover(struct web_req *r)
{
	struct web_covers *c = r->covers;
	const char *rest = r->path + strlen("/covers/"), *slash = strchr(rest, '/');
	const struct district_unit *own = web_user_unit(r);
	struct cover_post cp = {NULL, NULL};
	char platform[32], name[COVERS_NAME_MAX], host[256], work[192];
	struct covers *cv;
	struct kerr e;
	int rc, skip;

	if (r->who.role != ROLE_REVIEWER && r->who.role != ROLE_ADMIN && r->who.role != ROLE_DISTRICT) {
		web_error(r, 403, "当前账号无权查看审核队列", "this account may not see the queue");
		return;
	}
	if (!slash || (size_t)(slash - rest) >= sizeof(platform) || !slash[1] ||
	    utf8_invalid_at(slash + 1, strlen(slash + 1)) >= 0) {
		no_cover(r);
		return;
	}
	snprintf(platform, sizeof(platform), "%.*s", (int)(slash - rest), rest);
	if (!platform_find(platform)) {
		no_cover(r);
		return;
	}
	kerr_clear(&e);
	if (store_get_post(r->st, platform, slash + 1, copy_post, &cp, &e) < 0) {
		if (e.code == KERR_USAGE)
			no_cover(r);
		else
			web_error(r, 500, "服务器内部错误", "the database failed");
		goto out;
	}
	/* a district sees its own unit's works only, as in the queue */
	if (r->who.role == ROLE_DISTRICT &&
	    (!own || !cp.district_code || strcmp(own->code, cp.district_code))) {
		no_cover(r);
		goto out;
	}
	if (covers_find(c->dir, platform, slash + 1, name)) {
		send_file(r, c->dir, name);
		goto out;
	}
	if (!covers_url_usable(cp.url)) {
		no_cover(r);
		goto out;
	}
	covers_url_host(cp.url, host, sizeof(host));
	snprintf(work, sizeof(work), "%s:%s", platform, slash + 1);
	pthread_mutex_lock(&c->mu);
	skip = remembered(c->failed, work, r->now) || remembered(c->down, host, r->now);
	pthread_mutex_unlock(&c->mu);
	if (skip) {
		web_error(r, 502, "封面暂时无法获取", "the cover could not be downloaded (recently)");
		goto out;
	}
	/* the store holds nothing of this request from here on: the
	 * download may take seconds */
	kerr_clear(&e);
	if (!(cv = thread_covers(c, &e))) {
		web_log(r, "%s", e.msg);
		web_error(r, 500, "服务器内部错误", "the cover directory cannot be made");
		goto out;
	}
	if (!slot_take(c)) {
		r->retry_after = 5;
		web_error(r, 503, "封面正在下载，请稍后再试", "every download slot is busy");
		goto out;
	}
	rc = covers_get(cv, platform, slash + 1, cp.url, name, &e);
	slot_give(c);
	if (rc > 0)
		send_file(r, c->dir, name);
	else if (rc == 0)
		no_cover(r);
	else {
		web_log(r, "%s", e.msg);
		remember(c, c->failed, work, r->now + FAILED_FOR_S);
		if (e.code == KERR_IO) /* no answer: the host is down or slow */
			remember(c, c->down, host, r->now + HOST_DOWN_FOR_S);
		web_error(r, 502, "封面下载失败", "the cover could not be downloaded");
	}
out:
	free(cp.url);
	free(cp.district_code);
}

const struct web_route web_cover_routes[] = {
	{"GET", "/covers/", cover, NEED_LOGIN, 0},
	{NULL, NULL, NULL, NEED_NOTHING, 0},
};
