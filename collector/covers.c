/*
 * covers.c: the works' cover pictures, downloaded once and kept; see
 * covers.h.  Which Referer each platform's image servers want is the
 * platform registry's business (model/platform.c, image_referer); this
 * file only sends it.
 */
#include "covers.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/platform.h"
#include "../util/afile.h"
#include "adapter.h"
#include "http.h"

#define PLAIN_ID_MAX 80     /* a longer id is hashed: names stay short */
#define HASHED_HEX 32       /* hex digits of an unsafe id's SHA-256 in its name */
#define URL_MAX 4096
#define STEM_MAX (COVERS_NAME_MAX - 8) /* room for ".webp" and the NUL */
#define DEFAULT_TIMEOUT_S 20 /* config/sources.c's defaults, for a platform without a source */
#define DEFAULT_CONNECT_S 10

struct covers {
	const struct config *cfg; /* borrowed; may be NULL */
	char *dir;
	struct http *h;
	long cap_connect, cap_total; /* 0: no cap */
};

/* The pictures kepu takes, by their first bytes; the name's extension. */
static const char *picture_ext(const unsigned char *b, size_t n)
{
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "jpg";
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return "png";
	if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
		return "webp";
	if (n >= 6 && (!memcmp(b, "GIF87a", 6) || !memcmp(b, "GIF89a", 6)))
		return "gif";
	return NULL;
}

static const char *const exts[] = {"jpg", "png", "webp", "gif"};
static const char *const mime[] = {"image/jpeg", "image/png", "image/webp", "image/gif"};

const char *covers_mime_type(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcmp(dot + 1, exts[i]))
			return mime[i];
	return NULL;
}

/* Does s (n bytes) start with the ASCII text t, in any letter case? */
static int starts_caseless(const unsigned char *s, size_t n, const char *t)
{
	size_t k = strlen(t);
	return n >= k && !strncasecmp((const char *)s, t, k);
}

/* What arrived instead of a picture, for the message: a kind people know,
 * or the first bytes in hex (never the content itself). */
static void describe(const unsigned char *b, size_t n, char *out, size_t size)
{
	const unsigned char *s = b;
	size_t m = n;

	if (!n) {
		snprintf(out, size, "an empty answer");
		return;
	}
	if (m >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3, m -= 3;
	while (m && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, m--;
	if (starts_caseless(s, m, "<svg") ||
	    (starts_caseless(s, m, "<?xml") && memmem(s, m < 2048 ? m : 2048, "<svg", 4)))
		snprintf(out, size, "an SVG image (%zu bytes)", n);
	else if (starts_caseless(s, m, "<!doctype html") || starts_caseless(s, m, "<html") ||
		 starts_caseless(s, m, "<head") || starts_caseless(s, m, "<body"))
		snprintf(out, size, "an HTML page (%zu bytes)", n);
	else if (m && *s == '<')
		snprintf(out, size, "markup (%zu bytes)", n);
	else if (m && (*s == '{' || *s == '['))
		snprintf(out, size, "JSON (%zu bytes)", n);
	else if (n >= 12 && !memcmp(b + 4, "ftyp", 4) && (!memcmp(b + 8, "avif", 4) || !memcmp(b + 8, "heic", 4) ||
							  !memcmp(b + 8, "mif1", 4)))
		snprintf(out, size, "an AVIF or HEIF image (%zu bytes)", n);
	else if (n >= 2 && b[0] == 'B' && b[1] == 'M')
		snprintf(out, size, "a BMP image (%zu bytes)", n);
	else
		snprintf(out, size, "%zu bytes starting %02x %02x %02x %02x", n, b[0], n > 1 ? b[1] : 0,
			 n > 2 ? b[2] : 0, n > 3 ? b[3] : 0);
}

static int ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* An id that may be a file name as it is (covers.h). */
static int id_plain(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > PLAIN_ID_MAX || !ascii_alnum(id[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!ascii_alnum(id[i]) && id[i] != '_' && id[i] != '-')
			return 0;
	return 1;
}

/* "{platform}-{id}" (without the extension) into stem; -1 for a platform
 * kepu does not know (its name is the registry's, so it is safe too). */
static int name_stem(const char *platform, const char *post_id, char stem[STEM_MAX])
{
	unsigned char md[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	const struct platform *p = platform_find(platform);

	if (!p || !post_id)
		return -1;
	if (id_plain(post_id)) {
		snprintf(stem, STEM_MAX, "%s-%s", p->name, post_id);
		return 0;
	}
	crypto_hash_sha256(md, (const unsigned char *)post_id, strlen(post_id));
	sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
	snprintf(stem, STEM_MAX, "%s-_%.*s", p->name, HASHED_HEX, hex);
	return 0;
}

int covers_find(const char *dir, const char *platform, const char *post_id, char name[COVERS_NAME_MAX])
{
	char stem[STEM_MAX], path[4096];
	struct stat sb;

	if (!dir || name_stem(platform, post_id, stem) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		int n = snprintf(path, sizeof(path), "%s/%s.%s", dir, stem, exts[i]);
		/* lstat: a symlink planted here is not a cover; a download then
		 * renames a real file over it */
		if (n > 0 && (size_t)n < sizeof(path) && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
			snprintf(name, COVERS_NAME_MAX, "%s.%s", stem, exts[i]);
			return 1;
		}
	}
	return 0;
}

static int make_dirs(const char *dir, struct kerr *e);

int covers_copy(const char *from, const char *to, const char *name, struct kerr *e)
{
	char src[4096], dst[4096];
	struct stat sb;
	FILE *f;
	char *data;
	size_t got;
	int rc;

	if (strchr(name, '/') || name[0] == '.' || !covers_mime_type(name))
		return kerr_set(e, KERR_USAGE, "%s: not a cover's name", name);
	if (snprintf(src, sizeof(src), "%s/%s", from, name) >= (int)sizeof(src) ||
	    snprintf(dst, sizeof(dst), "%s/%s", to, name) >= (int)sizeof(dst))
		return kerr_set(e, KERR_USAGE, "%s: path too long", to);
	/* lstat, then open without following: only a regular file of ours */
	if (lstat(src, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 || (size_t)sb.st_size > COVERS_MAX_BYTES)
		return kerr_set(e, KERR_IO, "%s: no cover there", src);
	if (!(f = fopen(src, "rbe")))
		return kerr_set(e, KERR_IO, "cannot read %s: %s", src, strerror(errno));
	if (!(data = malloc((size_t)sb.st_size))) {
		fclose(f);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	got = fread(data, 1, (size_t)sb.st_size, f);
	fclose(f);
	if (got != (size_t)sb.st_size) {
		free(data);
		return kerr_set(e, KERR_IO, "cannot read %s", src);
	}
	rc = make_dirs(to, e) < 0 ? -1 : afile_write(dst, data, got, e);
	free(data);
	return rc;
}

int covers_prune(const char *dir, char *const *keep, size_t nkeep, size_t *removed, struct kerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *x;
	char path[4096];

	*removed = 0;
	if (!d)
		return errno == ENOENT ? 0 : kerr_set(e, KERR_IO, "cannot read %s: %s", dir, strerror(errno));
	while ((x = readdir(d))) {
		const struct platform *pl = NULL;
		size_t i;
		int kept = 0;

		/* a cover's name: a platform's, '-', and a picture's extension */
		for (i = 0; i < nplatforms && !pl; i++)
			if (!strncmp(x->d_name, platforms[i].name, strlen(platforms[i].name)) &&
			    x->d_name[strlen(platforms[i].name)] == '-')
				pl = &platforms[i];
		if (!pl || !covers_mime_type(x->d_name))
			continue;
		for (i = 0; i < nkeep && !kept; i++)
			kept = keep[i] && !strcmp(keep[i], x->d_name);
		if (kept || snprintf(path, sizeof(path), "%s/%s", dir, x->d_name) >= (int)sizeof(path))
			continue;
		if (unlink(path) == 0)
			(*removed)++;
	}
	closedir(d);
	return 0;
}

/* The authority of an http(s) URL: [start, end) of url, or NULL. */
static const char *url_authority(const char *url, const char **end)
{
	const char *a;

	if (!url)
		return NULL;
	if (!strncasecmp(url, "https://", 8))
		a = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		a = url + 7;
	else
		return NULL;
	*end = a + strcspn(a, "/?#");
	return a;
}

int covers_url_usable(const char *url)
{
	const char *end, *a = url_authority(url, &end);
	char host[256];

	if (!a || strlen(url) > URL_MAX)
		return 0;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	covers_url_host(url, host, sizeof(host));
	return strcmp(host, "?") != 0;
}

void covers_url_host(const char *url, char *host, size_t size)
{
	const char *end, *a = url_authority(url, &end), *at, *h, *stop;
	size_t n = 0;

	if (!size)
		return;
	host[0] = '\0';
	if (a) {
		/* never the user or password of user:password@host */
		for (at = a, h = a; at < end; at++)
			if (*at == '@')
				h = at + 1;
		if (h < end && *h == '[') {
			stop = memchr(h, ']', (size_t)(end - h));
			stop = stop ? stop + 1 : end;
		} else {
			stop = memchr(h, ':', (size_t)(end - h));
			stop = stop ? stop : end;
		}
		for (; h < stop && n + 1 < size; h++)
			if (ascii_alnum(*h) || *h == '.' || *h == '-' || *h == '_' || *h == '[' || *h == ']' || *h == ':')
				host[n++] = *h;
		host[n] = '\0';
	}
	if (!n)
		snprintf(host, size, "?");
}

/* Whatever follows a '?' up to the next blank, out of a message: curl's
 * own messages may quote a URL, and a signed URL's query is a token. */
static void drop_queries(char *msg)
{
	char *q;

	while ((q = strchr(msg, '?'))) {
		size_t skip = 1 + strcspn(q + 1, " \t\r\n'\")");
		memmove(q, q + skip, strlen(q + skip) + 1);
	}
}

/* mkdir -p dir, mode 0755. */
static int make_dirs(const char *dir, struct kerr *e)
{
	char path[4096];
	size_t n = strlen(dir);
	struct stat sb;

	if (!n || n >= sizeof(path))
		return kerr_set(e, KERR_USAGE, "the cover directory '%s' is not a usable path", dir);
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++)
		if (path[i] == '/' || path[i] == '\0') {
			char c = path[i];
			path[i] = '\0';
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				return kerr_set(e, KERR_IO, "cannot create the cover directory %s: %s", path,
						strerror(errno));
			path[i] = c;
		}
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return kerr_set(e, KERR_IO, "the cover directory %s is not a directory", dir);
	return 0;
}

struct covers *covers_new(const struct config *cfg, const char *dir, struct kerr *e)
{
	struct covers *c;

	if (!dir) {
		kerr_set(e, KERR_USAGE, "no cover directory");
		return NULL;
	}
	if (make_dirs(dir, e) < 0)
		return NULL;
	if (!(c = calloc(1, sizeof(*c))) || !(c->dir = strdup(dir)) || !(c->h = http_new())) {
		covers_free(c);
		kerr_set(e, KERR_NOMEM, "out of memory");
		return NULL;
	}
	c->cfg = cfg;
	return c;
}

void covers_free(struct covers *c)
{
	if (!c)
		return;
	http_free(c->h);
	free(c->dir);
	free(c);
}

void covers_cap_timeouts(struct covers *c, long connect_s, long total_s)
{
	if (connect_s > 0)
		c->cap_connect = connect_s;
	if (total_s > 0)
		c->cap_total = total_s;
}

/* The source whose settings a platform's downloads use: the first of that
 * platform's own kind, else the first feed whose items are of that
 * platform; NULL for none (then the defaults). */
static const struct source *platform_source(const struct config *cfg, const char *platform, enum source_kind *kind)
{
	*kind = !strcmp(platform, "weibo")      ? SOURCE_WEIBO
		: !strcmp(platform, "bilibili") ? SOURCE_BILIBILI
		: !strcmp(platform, "douyin")   ? SOURCE_DOUYIN
						: SOURCE_GENERIC;
	for (size_t i = 0; cfg && *kind != SOURCE_GENERIC && i < cfg->nsources; i++)
		if (cfg->sources[i].kind == *kind)
			return &cfg->sources[i];
	for (size_t i = 0; cfg && i < cfg->nsources; i++)
		if (cfg->sources[i].kind == SOURCE_GENERIC && cfg->sources[i].item_platform &&
		    !strcmp(cfg->sources[i].item_platform, platform))
			return &cfg->sources[i];
	return NULL;
}

static long capped(long v, long cap)
{
	return cap > 0 && (v <= 0 || v > cap) ? cap : v;
}

/* What an answer that is not 200 means, for the message. */
static const char *status_meaning(long status)
{
	switch (status) {
	case 403:
		return ": the image server refused it (hotlink protection, or a signed address that expired)";
	case 404:
	case 410:
		return ": the picture is gone from the image server";
	default:
		return status >= 300 && status < 400 ? ": a redirect kepu could not follow" : "";
	}
}

/* Fetch url into resp; 0 with a picture's extension in *ext, or -1 with e
 * set (the message without the work: the caller prefixes it). */
static int fetch(struct covers *c, const struct platform *p, const char *url, struct http_response *resp,
		 const char **ext, struct kerr *e)
{
	const struct source *s;
	enum source_kind kind;
	struct http_request rq;
	const char *lines[2];
	char referer[300], what[160];
	size_t n = 0;

	s = platform_source(c->cfg, p->name, &kind);
	if (p->image_referer && (size_t)snprintf(referer, sizeof(referer), "Referer: %s", p->image_referer) <
					sizeof(referer))
		lines[n++] = referer;
	lines[n++] = "Accept: image/webp,image/jpeg,image/png,image/gif;q=0.9,*/*;q=0.1";
	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.headers = lines;
	rq.nheaders = n;
	rq.user_agent = s && s->user_agent ? s->user_agent : adapter_user_agent(kind);
	rq.connect_timeout_s = capped(s ? s->connect_timeout_s : DEFAULT_CONNECT_S, c->cap_connect);
	rq.timeout_s = capped(s ? s->timeout_s : DEFAULT_TIMEOUT_S, c->cap_total);
	rq.max_body = COVERS_MAX_BYTES;
	switch (http_get(c->h, &rq, resp, e)) {
	case HTTP_OK:
		break;
	case HTTP_TOO_LARGE:
		return kerr_set(e, KERR_DATA, "larger than %u MiB: refused", COVERS_MAX_BYTES >> 20);
	case HTTP_NETWORK:
	case HTTP_FATAL:
		if (e) {
			drop_queries(e->msg);
			e->code = KERR_IO;
		}
		return -1;
	}
	if (resp->status != 200)
		return kerr_set(e, KERR_DATA, "HTTP %ld%s", resp->status, status_meaning(resp->status));
	if (!(*ext = picture_ext((const unsigned char *)resp->body.data, resp->body.len))) {
		describe((const unsigned char *)resp->body.data, resp->body.len, what, sizeof(what));
		return kerr_set(e, KERR_DATA, "not a JPEG, PNG, WebP or GIF picture but %s: refused", what);
	}
	return 0;
}

int covers_get(struct covers *c, const char *platform, const char *post_id, const char *url,
	       char name[COVERS_NAME_MAX], struct kerr *e)
{
	const struct platform *p = platform_find(platform);
	struct http_response resp;
	char stem[STEM_MAX], host[256], path[4096];
	const char *ext = NULL;
	int rc = -1;

	if (!covers_url_usable(url))
		return 0;
	covers_url_host(url, host, sizeof(host));
	if (!p || name_stem(platform, post_id, stem) < 0)
		return kerr_set(e, KERR_USAGE, "cover of %s:%s (%s): unknown platform", platform ? platform : "?",
				post_id ? post_id : "?", host);
	if (covers_find(c->dir, platform, post_id, name))
		return 1;
	http_response_init(&resp);
	if (fetch(c, p, url, &resp, &ext, e) < 0) {
		kerr_prefix(e, "cover of %s:%s (%s)", p->name, post_id, host);
		goto out;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", c->dir, stem, ext) >= sizeof(path)) {
		kerr_set(e, KERR_IO, "cover of %s:%s (%s): the cover directory's path is too long", p->name, post_id,
			 host);
		goto out;
	}
	if (afile_write(path, resp.body.data, resp.body.len, e) < 0) {
		kerr_prefix(e, "cover of %s:%s (%s)", p->name, post_id, host);
		goto out;
	}
	snprintf(name, COVERS_NAME_MAX, "%s.%s", stem, ext);
	rc = 1;
out:
	http_response_release(&resp);
	return rc;
}
