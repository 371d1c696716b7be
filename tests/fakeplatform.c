/*
 * tests/fakeplatform.c - fakeplatform: a stand-in for the platform search
 * APIs that kepu's collector talks to.
 *
 * No platform can be reached from the test machines, so the collector's
 * tests start this server on 127.0.0.1, point kepu at it and check what
 * lands in SQLite.  It serves the posts of a normalized NDJSON file (what
 * kepu-gen writes) in each platform's own response format, newest first,
 * and misbehaves on demand (rate limits, timeouts, cut connections, broken
 * JSON, captcha walls, counts as "1.2万") so that every error path of the
 * collector can be driven on purpose and repeatably.
 *
 * It is not a model of any platform's ranking or limits: the search keyword
 * is accepted but does not filter (kepu-gen already mixes in posts without
 * the tag), and there is no cap on the number of pages.
 *
 *   fakeplatform --data FILE.ndjson [--port N] [--per-page N]
 *                [--fault PLATFORM:PAGE:KIND[:N]]... [--require-header NAME:VALUE]...
 *                [--verbose]
 *
 * Endpoints (GET):
 *   /api/container/getIndex?containerid=100103type%3D61%26q%3DQ&page_type=searchall&page=N  weibo
 *   /x/web-interface/search/type?search_type=video&keyword=Q&order=pubdate&page=N          bilibili
 *        [&pubtime_begin_s=S&pubtime_end_s=E]
 *   /aweme/v1/web/general/search/single/?keyword=Q&offset=O&count=20                         douyin
 *   /open/v1/feed?page=N&size=K                                     everything else (generic)
 *   /_health   /_control/fault?spec=SPEC   /_control/reset   /_control/stats
 *
 * Build:
 *   cc -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Wshadow \
 *      -Wstrict-prototypes -Wmissing-prototypes -Werror -O2 -g \
 *      $(pkg-config --cflags libmicrohttpd jansson) -o build/fakeplatform \
 *      tests/fakeplatform.c $(pkg-config --libs libmicrohttpd jansson) -lpthread
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

/* libmicrohttpd 0.9.71 turned the callbacks' int into enum MHD_Result. */
#if MHD_VERSION >= 0x00097100
typedef enum MHD_Result mhd_result;
#else
typedef int mhd_result;
#endif

#if defined(__GNUC__)
#define FP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FP_PRINTF(a, b)
#endif

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Caps on everything that grows with outside input. */
#define MAX_LINE (1u << 20)        /* one NDJSON line */
#define MAX_POSTS 5000000u         /* posts loaded */
#define MAX_BUF (64u << 20)        /* any text we build */
#define MAX_FAULTS 256             /* faults registered at once */
#define MAX_TRACKED_PAGES 1024     /* distinct pages counted per endpoint */
#define MAX_REQUIRED_HEADERS 8
#define MAX_PAGE 1000000000ull     /* page, offset: larger is refused */
#define MAX_PAGE_SIZE 1000u
#define MAX_KEYWORD 256            /* bytes of the search keyword we use */
/* Bytes of padding in an `oversize` body: at least 20 MiB, and whole 科普s
 * (6 bytes) so that the body stays valid UTF-8. */
#define OVERSIZE_PAD (((20u << 20) + 5) / 6 * 6)
#define SLOW_MS 5000u              /* the `slow` fault's delay */
#define CST_OFFSET (8 * 3600)      /* Asia/Shanghai, no daylight saving */

/* Set once the main thread got SIGTERM/SIGINT: sleeping handlers wake up. */
static atomic_int stopping;

/* ------------------------------------------------------------ buffers */

/* A growable string with a cap; after a failed append it stays failed and
 * the owner sees `failed` instead of a half-built result. */
struct sbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (n > MAX_BUF - b->len) {
		b->failed = 1;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_adds(struct sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_addf(struct sbuf *b, const char *fmt, ...) FP_PRINTF(2, 3);
static void sb_addf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->failed = 1;
		return;
	}
	sb_add(b, tmp, (size_t)n);
}

static void sb_release(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* --------------------------------------------------- small parsers */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Exactly n digits at s; never reads past a NUL because a NUL is no digit. */
static int digits_n(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* A whole string of 1..18 digits without a redundant leading zero, so that
 * turning it into a JSON integer and back gives the same text. */
static int parse_id_int(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t i;
	for (i = 0; s[i]; i++) {
		if (!is_digit(s[i]) || i >= 18)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (i == 0 || (s[0] == '0' && i > 1))
		return -1;
	*out = v;
	return 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ------------------------------------------------------------ time */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

/*
 * The created_at forms kepu's normalized files hold: ISO 8601 with an
 * offset (`Z`, `+08:00`, `+0800`), `YYYY-MM-DD HH:MM:SS` meaning +08:00,
 * optional seconds and fraction, a bare date, or unix seconds as text
 * (milliseconds from 10^12 on).  0 on success.
 */
static int parse_time_text(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	size_t nd = 0;
	while (nd < n && is_digit(s[nd]))
		nd++;
	if (nd == n && n > 0 && n <= 13) {
		int64_t v = 0;
		for (size_t i = 0; i < n; i++)
			v = v * 10 + (s[i] - '0');
		*out = v >= 1000000000000LL ? v / 1000 : v;
		return 0;
	}
	int y, mo, d, h = 0, mi = 0, se = 0, off = CST_OFFSET;
	if (digits_n(s, 4, &y) || s[4] != '-' || digits_n(s + 5, 2, &mo) || s[7] != '-' ||
	    digits_n(s + 8, 2, &d))
		return -1;
	const char *p = s + 10;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits_n(p, 2, &h) || p[2] != ':' || digits_n(p + 3, 2, &mi))
			return -1;
		p += 5;
		if (*p == ':') {
			if (digits_n(p + 1, 2, &se))
				return -1;
			p += 3;
			if (*p == '.') {
				p++;
				if (!is_digit(*p))
					return -1;
				while (is_digit(*p))
					p++;
			}
		}
		if (*p == 'Z') {
			off = 0;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om = 0;
			p++;
			if (digits_n(p, 2, &oh))
				return -1;
			p += 2;
			if (*p == ':')
				p++;
			if (is_digit(*p)) {
				if (digits_n(p, 2, &om))
					return -1;
				p += 2;
			}
			if (oh > 14 || om > 59)
				return -1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	while (*p == ' ')
		p++;
	if (*p || y < 1970 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

static int parse_time_json(const json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		json_int_t t = json_integer_value(v);
		if (t < 0)
			return -1;
		*out = t >= 1000000000000LL ? t / 1000 : t;
		return 0;
	}
	if (json_is_string(v))
		return parse_time_text(json_string_value(v), out);
	return -1;
}

/* Broken-down Asia/Shanghai time of UTC seconds t. */
static void cst_tm(int64_t t, struct tm *tm)
{
	time_t local = (time_t)(t + CST_OFFSET);
	if (gmtime_r(&local, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

/* Fixed English names: strftime's would follow the locale. */
static const char *const WDAY[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const MON[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Weibo's `Tue Sep 02 10:15:00 +0800 2025`. */
static void format_weibo_time(int64_t t, char out[40])
{
	struct tm tm;
	cst_tm(t, &tm);
	snprintf(out, 40, "%s %s %02d %02d:%02d:%02d +0800 %04d", WDAY[tm.tm_wday % 7],
		 MON[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tm.tm_year + 1900);
}

/* `2025-09-02 10:15:00`, Asia/Shanghai. */
static void format_cst_time(int64_t t, char out[40])
{
	struct tm tm;
	cst_tm(t, &tm);
	snprintf(out, 40, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* RFC 9110 HTTP-date, always GMT. */
static void format_http_date(time_t t, char out[40])
{
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", WDAY[tm.tm_wday % 7], tm.tm_mday,
		 MON[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ------------------------------------------------------------ counts */

#define UTF8_WAN "\xe4\xb8\x87" /* 万 */
#define UTF8_YI "\xe4\xba\xbf"  /* 亿 */

/*
 * A count as platforms print it: `1234`, `1,234`, `1.2万`, `1.5w`, `3亿`,
 * `10万+` (read as its lower bound).  0 and *out set, or -1.
 */
static int count_parse_text(const char *s, int64_t *out)
{
	int64_t whole = 0, frac = 0, fscale = 1, unit = 1;
	int nd = 0;
	while (*s == ' ')
		s++;
	for (; is_digit(*s) || *s == ','; s++) {
		if (*s == ',')
			continue;
		if (whole > 100000000000000LL)
			return -1;
		whole = whole * 10 + (*s - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -1;
		for (; is_digit(*s); s++) {
			if (fscale < 10000) {
				frac = frac * 10 + (*s - '0');
				fscale *= 10;
			}
		}
	}
	if (!strncmp(s, UTF8_WAN, 3)) {
		unit = 10000;
		s += 3;
	} else if (!strncmp(s, UTF8_YI, 3)) {
		unit = 100000000;
		s += 3;
	} else if (*s == 'w' || *s == 'W') {
		unit = 10000;
		s++;
	}
	if (*s == '+')
		s++;
	while (*s == ' ')
		s++;
	if (*s || whole > (INT64_MAX - unit) / unit)
		return -1;
	*out = whole * unit + frac * unit / fscale;
	return 0;
}

/* 1 and *out set when v holds a known count; 0 for null, absent or junk. */
static int count_value(const json_t *v, int64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = json_integer_value(v);
		return 1;
	}
	if (json_is_string(v) && count_parse_text(json_string_value(v), out) == 0)
		return 1;
	return 0;
}

/* How Chinese platforms round counts for display: "1.2万", "300万+". */
static json_t *count_display(int64_t v)
{
	char buf[48];
	if (v >= 1000000)
		snprintf(buf, sizeof buf, "%" PRId64 UTF8_WAN "+", v / 1000000 * 100);
	else if (v >= 10000) {
		int64_t tenths = (v + 500) / 1000;
		if (tenths % 10)
			snprintf(buf, sizeof buf, "%" PRId64 ".%" PRId64 UTF8_WAN, tenths / 10,
				 tenths % 10);
		else
			snprintf(buf, sizeof buf, "%" PRId64 UTF8_WAN, tenths / 10);
	} else
		snprintf(buf, sizeof buf, "%" PRId64, v < 0 ? 0 : v);
	return json_string(buf);
}

/*
 * A count for a platform that always reports a number: integer, or the
 * display string under `strcounts`; unknown becomes 0 (or null when
 * keep_null, for the generic feed which documents null as unknown).
 */
static json_t *count_json(const json_t *v, int strcounts, int keep_null)
{
	int64_t n;
	if (!count_value(v, &n)) {
		if (keep_null)
			return json_null();
		n = 0;
	}
	return strcounts ? count_display(n) : json_integer(n);
}

/* ------------------------------------------------------------ JSON helpers */

/* jansson refuses invalid UTF-8; we never want a hole in a response. */
static json_t *jstr(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

static json_t *jstr_or_null(const char *s) { return s ? jstr(s) : json_null(); }

static void jset(json_t *obj, const char *key, json_t *v) { json_object_set_new(obj, key, v); }

/* ------------------------------------------------------------ the posts */

enum feed { FEED_WEIBO, FEED_BILIBILI, FEED_DOUYIN, FEED_GENERIC, FEED_COUNT };
static const char *const FEED_NAME[FEED_COUNT] = {"weibo", "bilibili", "douyin", "generic"};

enum counter { C_VIEWS, C_LIKES, C_COMMENTS, C_SHARES, C_FAVORITES, C_COUNT };
static const char *const COUNTER_KEY[C_COUNT] = {"views", "likes", "comments", "shares",
						  "favorites"};

/* One post of the data file.  Every string is borrowed from obj. */
struct post {
	json_t *obj;
	const char *platform, *post_id, *url, *author_id, *author_name, *text;
	const char *author_location, *ip_location, *title; /* NULL when null */
	const json_t *topics;                              /* array of strings */
	const json_t *counts[C_COUNT];                     /* integer, string, null or NULL */
	int64_t created;                                   /* UTC seconds */
	size_t line;                                       /* breaks ties in the order */
	enum feed feed;
};

/* The loaded file: posts newest first, and per feed the same order. */
struct store {
	struct post *posts;
	size_t n;
	const struct post **feed[FEED_COUNT];
	size_t feed_n[FEED_COUNT];
};

static const char *opt_string(json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Ids may come as numbers; the platforms' ids are strings, so make them so. */
static void normalize_id(json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	if (json_is_integer(v)) {
		char buf[32];
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		jset(obj, key, json_string(buf));
	} else if (!json_is_string(v))
		jset(obj, key, json_string(""));
}

/* Fill p from obj (which p takes over).  0, or -1 with *why set. */
static int post_load(struct post *p, json_t *obj, const char **why)
{
	memset(p, 0, sizeof *p);
	if (!json_is_object(obj)) {
		*why = "not a JSON object";
		return -1;
	}
	const char *platform = opt_string(obj, "platform");
	if (platform == NULL || *platform == '\0') {
		*why = "no platform";
		return -1;
	}
	const json_t *pid = json_object_get(obj, "post_id");
	if (!json_is_string(pid) && !json_is_integer(pid)) {
		*why = "no post_id";
		return -1;
	}
	if (parse_time_json(json_object_get(obj, "created_at"), &p->created) < 0) {
		*why = "created_at is not a time";
		return -1;
	}
	/* Normalize first: replacing a member frees the old value, so pointers
	 * are taken only after the last change to obj. */
	normalize_id(obj, "post_id");
	normalize_id(obj, "author_id");
	static const char *const must_text[] = {"url", "author_name", "text"};
	for (size_t i = 0; i < NELEM(must_text); i++)
		if (!json_is_string(json_object_get(obj, must_text[i])))
			jset(obj, must_text[i], json_string(""));
	const json_t *topics = json_object_get(obj, "topics");
	json_t *clean = json_array();
	if (json_is_array(topics)) {
		size_t i;
		const json_t *t;
		json_array_foreach(topics, i, t)
			if (json_is_string(t))
				json_array_append_new(clean, json_string(json_string_value(t)));
	}
	jset(obj, "topics", clean);

	p->obj = obj;
	p->platform = opt_string(obj, "platform");
	p->post_id = opt_string(obj, "post_id");
	p->url = opt_string(obj, "url");
	p->author_id = opt_string(obj, "author_id");
	p->author_name = opt_string(obj, "author_name");
	p->text = opt_string(obj, "text");
	p->author_location = opt_string(obj, "author_location");
	p->ip_location = opt_string(obj, "ip_location");
	p->title = opt_string(obj, "title");
	p->topics = json_object_get(obj, "topics");
	for (int c = 0; c < C_COUNT; c++)
		p->counts[c] = json_object_get(obj, COUNTER_KEY[c]);
	if (!strcmp(p->platform, "weibo"))
		p->feed = FEED_WEIBO;
	else if (!strcmp(p->platform, "bilibili"))
		p->feed = FEED_BILIBILI;
	else if (!strcmp(p->platform, "douyin"))
		p->feed = FEED_DOUYIN;
	else
		p->feed = FEED_GENERIC;
	return 0;
}

static int post_newest_first(const void *a, const void *b)
{
	const struct post *x = a, *y = b;
	if (x->created != y->created)
		return x->created > y->created ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void store_release(struct store *st)
{
	for (size_t i = 0; i < st->n; i++)
		json_decref(st->posts[i].obj);
	free(st->posts);
	for (int f = 0; f < FEED_COUNT; f++)
		free(st->feed[f]);
	memset(st, 0, sizeof *st);
}

/* Read one line of at most MAX_LINE bytes into b (without the newline).
 * 1 for a line, 0 at the end; *too_long when the rest was thrown away. */
static int read_line(FILE *f, struct sbuf *b, int *too_long)
{
	char chunk[65536];
	int got = 0;
	b->len = 0;
	b->failed = 0;
	*too_long = 0;
	if (b->p)
		b->p[0] = '\0';
	while (fgets(chunk, sizeof chunk, f) != NULL) {
		size_t n = strlen(chunk);
		int eol = n > 0 && chunk[n - 1] == '\n';
		got = 1;
		if (eol)
			n--;
		if (b->len + n > MAX_LINE)
			*too_long = 1;
		else
			sb_add(b, chunk, n);
		if (eol)
			break;
	}
	if (b->failed)
		*too_long = 1;
	return got;
}

/* Load path into st.  Bad lines are reported on stderr and skipped; only
 * an unreadable file or no memory fails (-1). */
static int store_load(struct store *st, const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "fakeplatform: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	memset(st, 0, sizeof *st);
	struct sbuf line = {0};
	size_t cap = 0, lineno = 0, skipped = 0;
	int too_long, rc = 0;
	while (read_line(f, &line, &too_long)) {
		lineno++;
		const char *why = NULL;
		json_error_t jerr;
		if (too_long)
			why = "line too long";
		else if (line.len == 0 || strspn(line.p, " \t\r") == line.len)
			continue;
		else if (st->n >= MAX_POSTS)
			why = "too many posts";
		json_t *obj = why ? NULL : json_loadb(line.p, line.len, 0, &jerr);
		if (why == NULL && obj == NULL)
			why = jerr.text;
		if (why == NULL) {
			if (st->n == cap) {
				size_t ncap = cap ? cap * 2 : 1024;
				struct post *np = realloc(st->posts, ncap * sizeof *np);
				if (np == NULL) {
					json_decref(obj);
					fprintf(stderr, "fakeplatform: out of memory loading '%s'\n", path);
					rc = -1;
					break;
				}
				st->posts = np;
				cap = ncap;
			}
			if (post_load(&st->posts[st->n], obj, &why) == 0) {
				st->posts[st->n].line = lineno;
				st->n++;
			} else
				json_decref(obj);
		}
		if (why != NULL) {
			/* Say it: a silently dropped post makes the tests' counts lie. */
			if (skipped < 5)
				fprintf(stderr, "fakeplatform: %s:%zu: skipped: %s\n", path, lineno, why);
			skipped++;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "fakeplatform: cannot read '%s': %s\n", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	sb_release(&line);
	if (skipped > 5)
		fprintf(stderr, "fakeplatform: %s: %zu lines skipped in all\n", path, skipped);
	if (rc < 0)
		return rc;

	if (st->n > 0)
		qsort(st->posts, st->n, sizeof *st->posts, post_newest_first);
	for (size_t i = 0; i < st->n; i++)
		st->feed_n[st->posts[i].feed]++;
	for (int fd = 0; fd < FEED_COUNT; fd++) {
		st->feed[fd] = calloc(st->feed_n[fd] ? st->feed_n[fd] : 1, sizeof *st->feed[fd]);
		if (st->feed[fd] == NULL) {
			fprintf(stderr, "fakeplatform: out of memory loading '%s'\n", path);
			return -1;
		}
		st->feed_n[fd] = 0;
	}
	for (size_t i = 0; i < st->n; i++) {
		const struct post *p = &st->posts[i];
		st->feed[p->feed][st->feed_n[p->feed]++] = p;
	}
	return 0;
}

/* ------------------------------------------------------------ faults */

enum fault_kind {
	FK_NONE,
	FK_429,
	FK_429DATE,
	FK_500,
	FK_503,
	FK_SLOW,
	FK_DROP,
	FK_TRUNCATED,
	FK_HTML,
	FK_EMPTY,
	FK_BLOCKED,
	FK_OVERSIZE,
	FK_STRCOUNTS,
	FK_DUP,
	FK_BADPOST,
	FK_COUNT
};
static const char *const FAULT_NAME[FK_COUNT] = {
	"none",  "429",     "429date", "500",	   "503",	"slow", "drop",	  "truncated",
	"html",	 "empty",   "blocked", "oversize", "strcounts", "dup",  "badpost"};

struct fault {
	int feed;          /* enum feed, or -1 for any */
	uint64_t page;     /* 0 for any */
	enum fault_kind kind;
	int always;        /* N was 0 */
	unsigned long remaining, fired;
	char spec[64];
};

/* Parse PLATFORM:PAGE:KIND[:N].  0, or -1 with a message in why. */
static int fault_parse(const char *spec, struct fault *out, char *why, size_t whylen)
{
	char buf[sizeof out->spec];
	const char *field[5];
	size_t nf = 0;
	if (strlen(spec) >= sizeof buf) {
		snprintf(why, whylen, "fault spec too long");
		return -1;
	}
	memcpy(buf, spec, strlen(spec) + 1);
	field[nf++] = buf;
	for (char *p = buf; *p; p++) {
		if (*p != ':')
			continue;
		*p = '\0';
		if (nf == NELEM(field))
			break;
		field[nf++] = p + 1;
	}
	if (nf < 3 || nf > 4) {
		snprintf(why, whylen, "fault spec '%s' is not PLATFORM:PAGE:KIND[:N]", spec);
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->feed = -2;
	if (!strcmp(field[0], "*"))
		out->feed = -1;
	for (int f = 0; f < FEED_COUNT; f++)
		if (!strcmp(field[0], FEED_NAME[f]))
			out->feed = f;
	if (out->feed == -2) {
		snprintf(why, whylen,
			 "fault spec '%s': platform must be weibo, bilibili, douyin, generic or *",
			 spec);
		return -1;
	}
	int64_t v;
	if (strcmp(field[1], "*")) {
		if (parse_id_int(field[1], &v) < 0 || v < 1 || (uint64_t)v > MAX_PAGE) {
			snprintf(why, whylen, "fault spec '%s': page must be a number from 1 or *",
				 spec);
			return -1;
		}
		out->page = (uint64_t)v;
	}
	out->kind = FK_NONE;
	for (int k = 1; k < FK_COUNT; k++)
		if (!strcmp(field[2], FAULT_NAME[k]))
			out->kind = (enum fault_kind)k;
	if (out->kind == FK_NONE) {
		snprintf(why, whylen,
			 "fault spec '%s': unknown kind (429, 429date, 500, 503, slow, drop, "
			 "truncated, html, empty, blocked, oversize, strcounts, dup, badpost)",
			 spec);
		return -1;
	}
	out->remaining = 1;
	if (nf == 4) {
		if (parse_id_int(field[3], &v) < 0 || v > 1000000000) {
			snprintf(why, whylen, "fault spec '%s': N must be a number (0 = always)",
				 spec);
			return -1;
		}
		out->always = v == 0;
		out->remaining = (unsigned long)v;
	}
	memcpy(out->spec, spec, strlen(spec) + 1); /* fits: checked above */
	return 0;
}

/* ------------------------------------------------------------ server state */

struct required_header {
	char name[128];
	char value[512];
};

struct page_hits {
	uint64_t page;
	unsigned long n;
};

enum endpoint { EP_WEIBO, EP_BILIBILI, EP_DOUYIN, EP_GENERIC, EP_HEALTH, EP_NOT_FOUND, EP_COUNT };
static const char *const EP_NAME[EP_COUNT] = {"weibo",	"bilibili", "douyin",
					      "generic", "health",  "not_found"};
/* serve_feed() counts a feed's request under the endpoint of the same number. */
_Static_assert(EP_WEIBO == (int)FEED_WEIBO && EP_BILIBILI == (int)FEED_BILIBILI &&
		       EP_DOUYIN == (int)FEED_DOUYIN && EP_GENERIC == (int)FEED_GENERIC,
	       "endpoint and feed numbers differ");

struct server {
	const struct store *store;
	unsigned page_size[FEED_COUNT];
	int per_page_forced; /* --per-page given: it wins over count= and size= */
	struct required_header req[MAX_REQUIRED_HEADERS];
	size_t nreq;
	int verbose;

	pthread_mutex_t lock; /* guards everything below */
	struct fault faults[MAX_FAULTS];
	size_t nfaults;
	unsigned long requests[EP_COUNT];
	unsigned long unauthorized;
	struct page_hits pages[FEED_COUNT][MAX_TRACKED_PAGES];
	size_t npages[FEED_COUNT];
	unsigned long pages_untracked[FEED_COUNT];
};

static int fault_add(struct server *s, const char *spec, char *why, size_t whylen)
{
	struct fault f;
	if (fault_parse(spec, &f, why, whylen) < 0)
		return -1;
	pthread_mutex_lock(&s->lock);
	int rc = 0;
	if (s->nfaults >= MAX_FAULTS) {
		snprintf(why, whylen, "too many faults (at most %d); reset first", MAX_FAULTS);
		rc = -1;
	} else
		s->faults[s->nfaults++] = f;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* The first registered fault that matches (feed, page) and has shots left
 * fires; one fault per request. */
static enum fault_kind fault_take(struct server *s, enum feed feed, uint64_t page)
{
	enum fault_kind k = FK_NONE;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nfaults; i++) {
		struct fault *f = &s->faults[i];
		if ((f->feed != -1 && f->feed != (int)feed) || (f->page && f->page != page))
			continue;
		if (!f->always && f->remaining == 0)
			continue;
		if (!f->always)
			f->remaining--;
		f->fired++;
		k = f->kind;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return k;
}

static void stats_count(struct server *s, enum endpoint ep, int feed, uint64_t page)
{
	pthread_mutex_lock(&s->lock);
	s->requests[ep]++;
	if (feed >= 0 && page > 0) {
		size_t i, n = s->npages[feed];
		for (i = 0; i < n && s->pages[feed][i].page != page; i++)
			;
		if (i < n)
			s->pages[feed][i].n++;
		else if (n < MAX_TRACKED_PAGES)
			s->pages[feed][s->npages[feed]++] = (struct page_hits){page, 1};
		else
			s->pages_untracked[feed]++;
	}
	pthread_mutex_unlock(&s->lock);
}

static void stats_reset(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	s->nfaults = 0;
	memset(s->requests, 0, sizeof s->requests);
	s->unauthorized = 0;
	memset(s->npages, 0, sizeof s->npages);
	memset(s->pages_untracked, 0, sizeof s->pages_untracked);
	pthread_mutex_unlock(&s->lock);
}

static int page_hits_by_page(const void *a, const void *b)
{
	const struct page_hits *x = a, *y = b;
	return x->page < y->page ? -1 : x->page > y->page;
}

/* The counters as JSON; the caller frees the string. */
static char *stats_json(struct server *s)
{
	json_t *root = json_object(), *req = json_object(), *pages = json_object(),
	       *faults = json_array();
	static struct page_hits sorted[MAX_TRACKED_PAGES]; /* under s->lock */
	pthread_mutex_lock(&s->lock);
	for (int e = 0; e < EP_COUNT; e++)
		jset(req, EP_NAME[e], json_integer((json_int_t)s->requests[e]));
	for (int f = 0; f < FEED_COUNT; f++) {
		json_t *pf = json_object();
		size_t n = s->npages[f];
		memcpy(sorted, s->pages[f], n * sizeof *sorted);
		qsort(sorted, n, sizeof *sorted, page_hits_by_page);
		for (size_t i = 0; i < n; i++) {
			char key[24];
			snprintf(key, sizeof key, "%" PRIu64, sorted[i].page);
			jset(pf, key, json_integer((json_int_t)sorted[i].n));
		}
		if (s->pages_untracked[f])
			jset(pf, "untracked", json_integer((json_int_t)s->pages_untracked[f]));
		jset(pages, FEED_NAME[f], pf);
	}
	for (size_t i = 0; i < s->nfaults; i++) {
		const struct fault *f = &s->faults[i];
		json_t *o = json_object();
		jset(o, "spec", json_string(f->spec));
		jset(o, "fired", json_integer((json_int_t)f->fired));
		jset(o, "remaining",
		     f->always ? json_null() : json_integer((json_int_t)f->remaining));
		json_array_append_new(faults, o);
	}
	jset(root, "unauthorized", json_integer((json_int_t)s->unauthorized));
	pthread_mutex_unlock(&s->lock);
	jset(root, "requests", req);
	jset(root, "pages", pages);
	jset(root, "faults", faults);
	char *out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return out;
}

/* ------------------------------------------------------------ replies */

enum send_mode {
	SEND_ALL,
	SEND_HALF_THEN_CUT, /* `drop`: declare the full length, send half, close */
	SEND_PADDED,        /* `oversize`: stream the pad in place of the marker */
};

struct reply {
	unsigned status;
	const char *ctype;
	char *body; /* malloc'ed; NULL for an empty body */
	size_t len;
	enum send_mode mode;
	size_t marker_at; /* SEND_PADDED: where the marker is in body */
	char retry_after[40];
	const char *allow;
	enum fault_kind fault;
};

/* A string that cannot occur in kepu-gen's data; the oversize pad replaces it. */
static const char PAD_MARKER[] = "@@fakeplatform-oversize-pad@@";
static const char PAD_UNIT[] = "\xe7\xa7\x91\xe6\x99\xae"; /* 科普, 6 bytes */

static void reply_text(struct reply *r, unsigned status, const char *ctype, const char *text)
{
	free(r->body);
	r->status = status;
	r->ctype = ctype;
	r->len = strlen(text);
	r->body = r->len ? strdup(text) : NULL;
	if (r->len && r->body == NULL) {
		r->status = 500;
		r->len = 0;
	}
	r->mode = SEND_ALL;
}

static void reply_json(struct reply *r, unsigned status, json_t *root)
{
	char *body = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (body == NULL) {
		reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
		return;
	}
	free(r->body);
	r->status = status;
	r->ctype = "application/json; charset=utf-8";
	r->body = body;
	r->len = strlen(body);
	r->mode = SEND_ALL;
}

struct stream {
	char *body;
	size_t len;
	size_t cut;       /* drop: bytes sent before the connection is closed */
	size_t marker_at; /* oversize */
	uint64_t total;
};

static ssize_t read_then_cut(void *cls, uint64_t pos, char *buf, size_t max)
{
	const struct stream *st = cls;
	if (pos >= st->cut)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t n = st->cut - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, st->body + pos, n);
	return (ssize_t)n;
}

/* body[0..marker_at), then OVERSIZE_PAD bytes of 科普, then the rest of body
 * after the marker: built on the fly so that a 20 MiB body costs no memory. */
static ssize_t read_padded(void *cls, uint64_t pos, char *buf, size_t max)
{
	const struct stream *st = cls;
	const uint64_t pad_end = st->marker_at + (uint64_t)OVERSIZE_PAD;
	const size_t mlen = sizeof PAD_MARKER - 1;
	size_t done = 0;
	while (done < max && pos < st->total) {
		size_t n = max - done;
		if (pos < st->marker_at) {
			if (n > st->marker_at - pos)
				n = (size_t)(st->marker_at - pos);
			memcpy(buf + done, st->body + pos, n);
		} else if (pos < pad_end) {
			if (n > pad_end - pos)
				n = (size_t)(pad_end - pos);
			for (size_t i = 0; i < n; i++)
				buf[done + i] = PAD_UNIT[(pos - st->marker_at + i) % 6];
		} else {
			uint64_t src = pos - OVERSIZE_PAD + mlen;
			if (n > st->total - pos)
				n = (size_t)(st->total - pos);
			memcpy(buf + done, st->body + src, n);
		}
		pos += n;
		done += n;
	}
	return done ? (ssize_t)done : MHD_CONTENT_READER_END_OF_STREAM;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;
	free(st->body);
	free(st);
}

/* Hand r to libmicrohttpd; r->body is consumed. */
static mhd_result reply_send(struct MHD_Connection *con, struct reply *r)
{
	struct MHD_Response *resp = NULL;
	if (r->mode != SEND_ALL && r->body != NULL) {
		struct stream *st = calloc(1, sizeof *st);
		if (st != NULL) {
			st->body = r->body;
			st->len = r->len;
			st->cut = r->len / 2;
			st->marker_at = r->marker_at;
			st->total = r->len - (sizeof PAD_MARKER - 1) + (uint64_t)OVERSIZE_PAD;
			if (r->mode == SEND_HALF_THEN_CUT)
				resp = MHD_create_response_from_callback(r->len, 4096, read_then_cut,
									 st, stream_free);
			else
				resp = MHD_create_response_from_callback(st->total, 65536,
									 read_padded, st, stream_free);
			if (resp == NULL)
				free(st);
			else
				r->body = NULL;
		}
	} else if (r->body != NULL) {
		resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			r->body = NULL;
	} else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	if (r->ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	if (r->retry_after[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, r->retry_after);
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER, "fakeplatform");
	mhd_result ret = MHD_queue_response(con, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ------------------------------------------------------------ one page */

/* What a feed builder needs to know about the page it renders. */
struct page {
	const struct post *const *list; /* the feed (bilibili: after the time filter) */
	size_t n;                       /* posts in list */
	size_t start, items;            /* list[start .. start+items) are on the page */
	size_t size;                    /* page size */
	uint64_t page;                  /* 1-based */
	size_t dup;                     /* list index repeated at the end, or SIZE_MAX */
	size_t bad;                     /* list index with a broken field, or SIZE_MAX */
	enum fault_kind fault;
	const char *keyword; /* bilibili: the keyword's text without '#' */
};

/* Post k of the page (k == items is the `dup` repeat); NULL past the end. */
static const struct post *page_post(const struct page *pg, size_t k, int *bad, int *first)
{
	size_t idx;
	if (k < pg->items)
		idx = pg->start + k;
	else if (k == pg->items && pg->dup != SIZE_MAX)
		idx = pg->dup;
	else
		return NULL;
	*bad = k < pg->items && idx == pg->bad;
	*first = k == 0;
	return pg->list[idx];
}

static const char *text_or_pad(const struct page *pg, int first, const char *text)
{
	return pg->fault == FK_OVERSIZE && first ? PAD_MARKER : text;
}

/* "IP属地：重庆" and "发布于 重庆" are how pages print it; the APIs carry
 * just the place. */
static const char *strip_ip_prefix(const char *s)
{
	static const char *const prefixes[] = {"IP\xe5\xb1\x9e\xe5\x9c\xb0\xef\xbc\x9a", /* IP属地： */
					       "IP\xe5\xb1\x9e\xe5\x9c\xb0:",		 /* IP属地: */
					       "\xe5\x8f\x91\xe5\xb8\x83\xe4\xba\x8e",	 /* 发布于 */
					       "IP\xe5\xb1\x9e\xe5\x9c\xb0"};		 /* IP属地 */
	for (size_t i = 0; i < NELEM(prefixes); i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(s, prefixes[i], n)) {
			s += n;
			break;
		}
	}
	while (*s == ' ')
		s++;
	return s;
}

/* -------------------------------------------------- weibo */

static void html_escape(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': sb_adds(b, "&amp;"); break;
		case '<': sb_adds(b, "&lt;"); break;
		case '>': sb_adds(b, "&gt;"); break;
		case '\r': break;
		case '\n': sb_adds(b, "<br />"); break;
		default: sb_add(b, s + i, 1);
		}
	}
}

static void url_escape(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit((char)c) ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			sb_add(b, s + i, 1);
		else
			sb_addf(b, "%%%02X", c);
	}
}

/*
 * Weibo's text is HTML: `&<>` escaped, newlines as <br />, and each topic
 * `#tag#` a link.  A topic is two '#' with 1..150 bytes between them and no
 * whitespace, so `a?b=1#frag #千万IP创科普#` links only the real topic.
 * The caller frees the result (NULL when out of memory).
 */
static char *weibo_html(const char *text)
{
	struct sbuf b = {0};
	const char *p = text;
	sb_add(&b, "", 0);
	while (*p) {
		const char *close = *p == '#' ? strchr(p + 1, '#') : NULL;
		size_t inner = close ? (size_t)(close - p - 1) : 0;
		if (close && inner >= 1 && inner <= 150 && strcspn(p + 1, " \t\r\n") >= inner) {
			sb_adds(&b, "<a href=\"https://m.weibo.cn/search?containerid=231522type%3D1%26t%3D10%26q%3D%23");
			url_escape(&b, p + 1, inner);
			sb_adds(&b, "%23\"><span class=\"surl-text\">");
			html_escape(&b, p, inner + 2);
			sb_adds(&b, "</span></a>");
			p = close + 1;
			continue;
		}
		size_t run = strcspn(p + 1, "#") + 1;
		html_escape(&b, p, run);
		p += run;
	}
	if (b.failed) {
		sb_release(&b);
		return NULL;
	}
	return b.p;
}

/* Weibo passes through the rounded strings it shows ("1.2万"); a number
 * it always has, so unknown is 0. */
static json_t *weibo_count(const json_t *v, int strcounts)
{
	if (!strcounts && json_is_string(v))
		return json_string(json_string_value(v));
	return count_json(v, strcounts, 0);
}

static json_t *weibo_mblog(const struct page *pg, const struct post *p, int bad, int first)
{
	json_t *m = json_object(), *user = json_object();
	int strc = pg->fault == FK_STRCOUNTS;
	char when[40];
	jset(m, "id", jstr(p->post_id));
	jset(m, "mid", jstr(p->post_id));
	if (pg->fault == FK_OVERSIZE && first)
		jset(m, "text", jstr(PAD_MARKER));
	else {
		char *html = weibo_html(p->text);
		jset(m, "text", jstr(html ? html : p->text));
		free(html);
	}
	format_weibo_time(p->created, when);
	jset(m, "created_at", jstr(bad ? "\xe5\x88\x9a\xe5\x88\x9a" /* 刚刚 */ : when));
	jset(m, "reposts_count", weibo_count(p->counts[C_SHARES], strc));
	jset(m, "comments_count", weibo_count(p->counts[C_COMMENTS], strc));
	jset(m, "attitudes_count", weibo_count(p->counts[C_LIKES], strc));
	if (p->ip_location) {
		struct sbuf b = {0};
		sb_adds(&b, "\xe5\x8f\x91\xe5\xb8\x83\xe4\xba\x8e "); /* 发布于 */
		sb_adds(&b, strip_ip_prefix(p->ip_location));
		if (!b.failed)
			jset(m, "region_name", jstr(b.p));
		sb_release(&b);
	}
	int64_t uid;
	jset(user, "id",
	     parse_id_int(p->author_id, &uid) == 0 ? json_integer(uid) : jstr(p->author_id));
	jset(user, "screen_name", jstr(p->author_name));
	if (p->author_location)
		jset(user, "location", jstr(p->author_location));
	jset(m, "user", user);
	if (json_array_size(p->topics) > 0) {
		json_t *ts = json_array();
		size_t i;
		const json_t *t;
		json_array_foreach(p->topics, i, t)
		{
			json_t *o = json_object();
			jset(o, "topic_title", json_string(json_string_value(t)));
			json_array_append_new(ts, o);
		}
		jset(m, "topic_struct", ts);
	}
	return m;
}

static json_t *weibo_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_object(), *cards = json_array();
	if (pg->items == 0) {
		jset(root, "ok", json_integer(0));
		jset(root, "msg", jstr("\xe8\xbf\x99\xe9\x87\x8c\xe8\xbf\x98\xe6\xb2\xa1\xe6\x9c\x89"
				       "\xe5\x86\x85\xe5\xae\xb9")); /* 这里还没有内容 */
		jset(data, "cards", cards);
		jset(root, "data", data);
		return root;
	}
	/* The real search page opens with a header card that holds no post. */
	json_t *hdr = json_object(), *hgroup = json_array(), *hitem = json_object();
	jset(hitem, "card_type", json_integer(4));
	jset(hitem, "desc", jstr("\xe7\x83\xad\xe9\x97\xa8")); /* 热门 */
	json_array_append_new(hgroup, hitem);
	jset(hdr, "card_type", json_integer(11));
	jset(hdr, "itemid", jstr("hot_header"));
	jset(hdr, "card_group", hgroup);
	json_array_append_new(cards, hdr);

	/* Pages 2, 6, 10, ... nest their posts in a card_group, as the real API
	 * sometimes does; a collector that reads only top-level cards loses them. */
	json_t *group = pg->page % 4 == 2 ? json_array() : NULL;
	const struct post *p;
	int bad, first;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first)) != NULL; k++) {
		json_t *card = json_object();
		jset(card, "card_type", json_integer(9));
		jset(card, "itemid", jstr(""));
		jset(card, "scheme", jstr(p->url));
		jset(card, "mblog", weibo_mblog(pg, p, bad, first));
		json_array_append_new(group ? group : cards, card);
	}
	if (group) {
		json_t *g = json_object();
		jset(g, "card_type", json_integer(11));
		jset(g, "show_type", json_integer(1));
		jset(g, "card_group", group);
		json_array_append_new(cards, g);
	}
	json_t *info = json_object();
	jset(info, "page", json_integer((json_int_t)pg->page + 1));
	jset(data, "cardlistInfo", info);
	jset(data, "cards", cards);
	jset(root, "ok", json_integer(1));
	jset(root, "data", data);
	return root;
}

/* -------------------------------------------------- bilibili */

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* First ASCII-case-insensitive occurrence of needle in hay, or NULL.
 * Both are valid UTF-8, so a match starts and ends on character bounds. */
static const char *find_caseless(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return NULL;
	for (; *hay; hay++) {
		size_t i;
		for (i = 0; i < n && hay[i] && ascii_lower((unsigned char)hay[i]) ==
						  ascii_lower((unsigned char)needle[i]);
		     i++)
			;
		if (i == n)
			return hay;
	}
	return NULL;
}

static json_t *bili_title(const char *title, const char *keyword)
{
	const char *hit = keyword && *keyword ? find_caseless(title, keyword) : NULL;
	if (hit == NULL)
		return jstr(title);
	struct sbuf b = {0};
	size_t kn = strlen(keyword);
	sb_add(&b, title, (size_t)(hit - title));
	sb_adds(&b, "<em class=\"keyword\">");
	sb_add(&b, hit, kn);
	sb_adds(&b, "</em>");
	sb_adds(&b, hit + kn);
	json_t *v = b.failed ? jstr(title) : jstr(b.p);
	sb_release(&b);
	return v;
}

static json_t *bili_item(const struct page *pg, const struct post *p, int bad, int first)
{
	json_t *o = json_object();
	int strc = pg->fault == FK_STRCOUNTS;
	/* aid from the bvid, so the same video always has the same aid. */
	int64_t aid = (int64_t)(fnv1a(p->post_id) % 1000000000000ull) + 1;
	int64_t mid;
	if (parse_id_int(p->author_id, &mid) < 0)
		mid = (int64_t)(fnv1a(p->author_id) % 10000000000ull) + 1;
	jset(o, "type", jstr("video"));
	jset(o, "id", json_integer(aid));
	jset(o, "aid", json_integer(aid));
	jset(o, "bvid", jstr(p->post_id));
	jset(o, "arcurl", jstr(p->url));
	jset(o, "title", bili_title(p->title ? p->title : "", pg->keyword));
	jset(o, "description", jstr(text_or_pad(pg, first, p->text)));
	jset(o, "author", jstr(p->author_name));
	jset(o, "mid", json_integer(mid));
	struct sbuf tags = {0};
	size_t i;
	const json_t *t;
	sb_add(&tags, "", 0);
	json_array_foreach(p->topics, i, t)
	{
		if (i)
			sb_adds(&tags, ",");
		sb_adds(&tags, json_string_value(t));
	}
	jset(o, "tag", jstr(tags.failed ? "" : tags.p));
	sb_release(&tags);
	jset(o, "pubdate", bad ? jstr("x") : json_integer(p->created));
	jset(o, "play", count_json(p->counts[C_VIEWS], strc, 0));
	jset(o, "like", count_json(p->counts[C_LIKES], strc, 0));
	jset(o, "favorites", count_json(p->counts[C_FAVORITES], strc, 0));
	jset(o, "review", count_json(p->counts[C_COMMENTS], strc, 0));
	int64_t danmaku = (int64_t)((fnv1a(p->post_id) >> 20) % 40);
	jset(o, "video_review", strc ? count_display(danmaku) : json_integer(danmaku));
	return o;
}

static json_t *bili_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_object(), *result = json_array();
	const struct post *p;
	int bad, first;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first)) != NULL; k++)
		json_array_append_new(result, bili_item(pg, p, bad, first));
	jset(data, "page", json_integer((json_int_t)pg->page));
	jset(data, "pagesize", json_integer((json_int_t)pg->size));
	jset(data, "numPages", json_integer((json_int_t)((pg->n + pg->size - 1) / pg->size)));
	jset(data, "numResults", json_integer((json_int_t)pg->n));
	jset(data, "result", result);
	jset(root, "code", json_integer(0));
	jset(root, "message", jstr("0"));
	jset(root, "ttl", json_integer(1));
	jset(root, "data", data);
	return root;
}

/* -------------------------------------------------- douyin */

static json_t *douyin_item(const struct page *pg, const struct post *p, int bad, int first)
{
	json_t *item = json_object(), *a = json_object(), *author = json_object(),
	       *stats = json_object(), *extra = json_array();
	int strc = pg->fault == FK_STRCOUNTS;
	jset(a, "aweme_id", jstr(p->post_id));
	if (pg->fault == FK_OVERSIZE && first)
		jset(a, "desc", jstr(PAD_MARKER));
	else if (p->title && *p->title) {
		/* Douyin has no title field: the title is the caption's start. */
		struct sbuf b = {0};
		sb_adds(&b, p->title);
		sb_adds(&b, " ");
		sb_adds(&b, p->text);
		jset(a, "desc", jstr(b.failed ? p->text : b.p));
		sb_release(&b);
	} else
		jset(a, "desc", jstr(p->text));
	jset(a, "create_time", json_integer(bad ? -1 : p->created));
	jset(author, "uid", jstr(p->author_id));
	jset(author, "nickname", jstr(p->author_name));
	jset(a, "author", author);
	jset(stats, "digg_count", count_json(p->counts[C_LIKES], strc, 0));
	jset(stats, "comment_count", count_json(p->counts[C_COMMENTS], strc, 0));
	jset(stats, "share_count", count_json(p->counts[C_SHARES], strc, 0));
	jset(stats, "collect_count", count_json(p->counts[C_FAVORITES], strc, 0));
	jset(stats, "play_count", count_json(p->counts[C_VIEWS], strc, 0));
	jset(a, "statistics", stats);
	size_t i;
	const json_t *t;
	json_array_foreach(p->topics, i, t)
	{
		json_t *e = json_object();
		jset(e, "type", json_integer(1));
		jset(e, "hashtag_name", json_string(json_string_value(t)));
		json_array_append_new(extra, e);
	}
	jset(a, "text_extra", extra);
	if (p->ip_location)
		jset(a, "ip_label", jstr(strip_ip_prefix(p->ip_location)));
	jset(a, "share_url", jstr(p->url));
	jset(item, "type", json_integer(1));
	jset(item, "aweme_info", a);
	return item;
}

static json_t *douyin_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_array();
	const struct post *p;
	int bad, first;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first)) != NULL; k++)
		json_array_append_new(data, douyin_item(pg, p, bad, first));
	jset(root, "status_code", json_integer(0));
	jset(root, "data", data);
	jset(root, "has_more", json_integer(pg->start + pg->items < pg->n));
	jset(root, "cursor", json_integer((json_int_t)(pg->start + pg->items)));
	return root;
}

/* -------------------------------------------------- generic */

static json_t *generic_item(const struct page *pg, const struct post *p, int bad, int first)
{
	json_t *o = json_object(), *user = json_object(), *tags = json_array(),
	       *metrics = json_object();
	int strc = pg->fault == FK_STRCOUNTS;
	char when[40];
	jset(o, "item_id", jstr(p->post_id));
	jset(o, "platform", jstr(p->platform));
	jset(o, "link", jstr(p->url));
	jset(user, "id", jstr(p->author_id));
	jset(user, "name", jstr(p->author_name));
	jset(user, "location", jstr_or_null(p->author_location));
	jset(o, "user", user);
	jset(o, "ip_label", p->ip_location ? jstr(strip_ip_prefix(p->ip_location)) : json_null());
	format_cst_time(p->created, when);
	jset(o, "publish_time", jstr(bad ? "yesterday" : when));
	jset(o, "title", jstr_or_null(p->title));
	jset(o, "content", jstr(text_or_pad(pg, first, p->text)));
	size_t i;
	const json_t *t;
	json_array_foreach(p->topics, i, t)
		json_array_append_new(tags, json_string(json_string_value(t)));
	jset(o, "tags", tags);
	static const char *const key[C_COUNT] = {"view", "like", "comment", "share", "collect"};
	for (int c = 0; c < C_COUNT; c++)
		jset(metrics, key[c], count_json(p->counts[c], strc, 1));
	jset(o, "metrics", metrics);
	return o;
}

static json_t *generic_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_object(), *list = json_array();
	const struct post *p;
	int bad, first;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first)) != NULL; k++)
		json_array_append_new(list, generic_item(pg, p, bad, first));
	jset(data, "list", list);
	jset(data, "page", json_integer((json_int_t)pg->page));
	jset(data, "has_more", json_boolean(pg->start + pg->items < pg->n));
	jset(root, "code", json_integer(0));
	jset(root, "data", data);
	return root;
}

/* ------------------------------------------------------------ feeds */

/* A query parameter that must be a whole number in [lo, hi]: 0 absent
 * (*out = dflt), 1 present, -1 malformed.  libmicrohttpd has already
 * percent-decoded it; `page` without '=' has a NULL value. */
static int param_uint(struct MHD_Connection *con, const char *name, uint64_t lo, uint64_t hi,
		      uint64_t dflt, uint64_t *out)
{
	const char *v = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, name);
	*out = dflt;
	if (v == NULL || *v == '\0')
		return 0;
	uint64_t x = 0;
	for (size_t i = 0; v[i]; i++) {
		if (!is_digit(v[i]) || i >= 13)
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (x < lo || x > hi)
		return -1;
	*out = x;
	return 1;
}

/* The keyword's text for bilibili's <em>: no '#', no surrounding blanks,
 * valid UTF-8 (so a match cannot split a character), at most MAX_KEYWORD. */
static void keyword_text(struct MHD_Connection *con, char out[MAX_KEYWORD + 1])
{
	const char *v = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "keyword");
	size_t n = 0;
	out[0] = '\0';
	if (v == NULL)
		return;
	for (; *v && n < MAX_KEYWORD; v++)
		if (*v != '#')
			out[n++] = *v;
	out[n] = '\0';
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
	size_t lead = strspn(out, " ");
	memmove(out, out + lead, n - lead + 1);
	json_t *probe = json_string(out);
	if (probe == NULL)
		out[0] = '\0';
	json_decref(probe);
}

static int authorized(const struct server *s, struct MHD_Connection *con)
{
	for (size_t i = 0; i < s->nreq; i++) {
		const char *v =
			MHD_lookup_connection_value(con, MHD_HEADER_KIND, s->req[i].name);
		if (v == NULL || strcmp(v, s->req[i].value))
			return 0;
	}
	return 1;
}

static void nap_ms(unsigned ms)
{
	while (ms > 0 && !atomic_load(&stopping)) {
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
		ms = ms > 50 ? ms - 50 : 0;
	}
}

static const char NGINX_502[] = "<html>\r\n"
				"<head><title>502 Bad Gateway</title></head>\r\n"
				"<body>\r\n"
				"<center><h1>502 Bad Gateway</h1></center>\r\n"
				"<hr><center>nginx</center>\r\n"
				"</body>\r\n"
				"</html>\r\n";

static void reply_blocked(struct reply *r, enum feed f)
{
	static const char *const body[FEED_COUNT] = {
		"{\"ok\":-100,\"url\":\"https://passport.weibo.com/visitor/visitor?entry=miniblog"
		"&a=enter&url=https%3A%2F%2Fm.weibo.cn%2Fapi%2Fcontainer%2FgetIndex&domain=weibo.com"
		"&captcha=1\"}",
		"{\"code\":-412,\"message\":\"\xe8\xaf\xb7\xe6\xb1\x82\xe8\xa2\xab\xe6\x8b\xa6"
		"\xe6\x88\xaa\",\"ttl\":1}", /* 请求被拦截 */
		"{\"status_code\":2483,\"status_msg\":\"\xe8\xae\xbf\xe9\x97\xae\xe9\xa2\x91\xe7"
		"\x8e\x87\xe8\xbf\x87\xe5\xbf\xab\"}", /* 访问频率过快 */
		"{\"code\":401,\"message\":\"token expired\"}",
	};
	/* Bilibili's interception comes with HTTP 412; the others say it in
	 * the body of a 200. */
	reply_text(r, f == FEED_BILIBILI ? 412 : 200, "application/json; charset=utf-8", body[f]);
}

/* Serve one page of feed f, or the fault due for it. */
static void serve_feed(struct server *s, struct MHD_Connection *con, enum feed f,
		       struct reply *r)
{
	const struct store *st = s->store;
	uint64_t page = 1, size = s->page_size[f], offset = 0, begin = 0, end = 0, asked;
	const char *badp = NULL;
	switch (f) {
	case FEED_WEIBO:
		if (param_uint(con, "page", 1, MAX_PAGE, 1, &page) < 0)
			badp = "page";
		break;
	case FEED_BILIBILI:
		if (param_uint(con, "page", 1, MAX_PAGE, 1, &page) < 0)
			badp = "page";
		else if (param_uint(con, "pubtime_begin_s", 0, 9999999999999ull, 0, &begin) < 0)
			badp = "pubtime_begin_s";
		else if (param_uint(con, "pubtime_end_s", 0, 9999999999999ull, 0, &end) < 0)
			badp = "pubtime_end_s";
		break;
	case FEED_DOUYIN:
		if (param_uint(con, "offset", 0, MAX_PAGE, 0, &offset) < 0)
			badp = "offset";
		else if (param_uint(con, "count", 1, MAX_PAGE_SIZE, size, &asked) < 0)
			badp = "count";
		else if (!s->per_page_forced)
			size = asked;
		page = offset / size + 1;
		break;
	case FEED_GENERIC:
		if (param_uint(con, "page", 1, MAX_PAGE, 1, &page) < 0)
			badp = "page";
		else if (param_uint(con, "size", 1, MAX_PAGE_SIZE, size, &asked) < 0)
			badp = "size";
		else if (!s->per_page_forced)
			size = asked;
		break;
	default:
		break;
	}
	if (badp != NULL) {
		char msg[96];
		stats_count(s, (enum endpoint)f, -1, 0);
		snprintf(msg, sizeof msg, "bad value for query parameter '%s'\n", badp);
		reply_text(r, 400, "text/plain; charset=utf-8", msg);
		return;
	}
	stats_count(s, (enum endpoint)f, (int)f, page);
	if (!authorized(s, con)) {
		pthread_mutex_lock(&s->lock);
		s->unauthorized++;
		pthread_mutex_unlock(&s->lock);
		reply_text(r, 401, "text/plain; charset=utf-8", "missing or wrong credentials\n");
		return;
	}

	r->fault = fault_take(s, f, page);
	switch (r->fault) {
	case FK_429:
	case FK_429DATE:
		reply_text(r, 429, "text/plain; charset=utf-8", "Too Many Requests\n");
		if (r->fault == FK_429)
			snprintf(r->retry_after, sizeof r->retry_after, "1");
		else {
			/* HTTP-dates have whole seconds: round so that it is 0.5 to
			 * 1.5 s ahead of now. */
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			format_http_date(now.tv_sec + (now.tv_nsec < 500000000L ? 1 : 2),
					 r->retry_after);
		}
		return;
	case FK_500:
		reply_text(r, 500, "text/plain; charset=utf-8", "Internal Server Error\n");
		return;
	case FK_503:
		reply_text(r, 503, "text/plain; charset=utf-8", "Service Temporarily Unavailable\n");
		return;
	case FK_HTML:
		reply_text(r, 200, "text/html", NGINX_502);
		return;
	case FK_EMPTY:
		reply_text(r, 200, "application/json; charset=utf-8", "");
		return;
	case FK_BLOCKED:
		reply_blocked(r, f);
		return;
	case FK_SLOW:
		nap_ms(SLOW_MS);
		break;
	default:
		break;
	}

	struct page pg = {0};
	char keyword[MAX_KEYWORD + 1];
	const struct post **filtered = NULL;
	pg.list = st->feed[f];
	pg.n = st->feed_n[f];
	if (f == FEED_BILIBILI && (begin || end)) {
		/* 0 on either side means no bound, as bilibili's own web page sends. */
		filtered = calloc(pg.n ? pg.n : 1, sizeof *filtered);
		if (filtered == NULL) {
			reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
			return;
		}
		size_t m = 0;
		for (size_t i = 0; i < pg.n; i++) {
			int64_t t = pg.list[i]->created;
			if ((!begin || t >= (int64_t)begin) && (!end || t <= (int64_t)end))
				filtered[m++] = pg.list[i];
		}
		pg.list = filtered;
		pg.n = m;
	}
	if (f == FEED_BILIBILI) {
		keyword_text(con, keyword);
		pg.keyword = keyword;
	}
	pg.size = size;
	pg.page = page;
	uint64_t start = f == FEED_DOUYIN ? offset : (page - 1) * size;
	pg.start = start < pg.n ? (size_t)start : pg.n;
	pg.items = pg.n - pg.start < size ? pg.n - pg.start : size;
	pg.fault = r->fault;
	pg.dup = SIZE_MAX;
	pg.bad = SIZE_MAX;
	if (r->fault == FK_DUP && pg.items > 0)
		pg.dup = pg.start >= size ? pg.start - size : pg.start;
	if (r->fault == FK_BADPOST && pg.items > 0)
		pg.bad = pg.items >= 2 ? pg.start + 1 : pg.start;

	json_t *root = f == FEED_WEIBO      ? weibo_page(&pg)
		       : f == FEED_BILIBILI ? bili_page(&pg)
		       : f == FEED_DOUYIN   ? douyin_page(&pg)
					    : generic_page(&pg);
	free(filtered);
	if (r->fault == FK_OVERSIZE && pg.items == 0)
		jset(root, "pad", jstr(PAD_MARKER));
	reply_json(r, 200, root);
	if (r->status != 200 || r->body == NULL)
		return;
	if (r->fault == FK_TRUNCATED)
		r->len /= 2;
	else if (r->fault == FK_DROP)
		r->mode = SEND_HALF_THEN_CUT;
	else if (r->fault == FK_OVERSIZE) {
		const char *m = memmem(r->body, r->len, PAD_MARKER, sizeof PAD_MARKER - 1);
		if (m != NULL) {
			r->mode = SEND_PADDED;
			r->marker_at = (size_t)(m - r->body);
		}
	}
}

static void serve_control(struct server *s, struct MHD_Connection *con, const char *what,
			  struct reply *r)
{
	if (!strcmp(what, "fault")) {
		const char *spec = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "spec");
		char why[512];
		if (spec == NULL || *spec == '\0')
			reply_text(r, 400, "text/plain; charset=utf-8", "missing spec=\n");
		else if (fault_add(s, spec, why, sizeof why) < 0) {
			size_t n = strlen(why);
			if (n + 1 < sizeof why) {
				why[n] = '\n';
				why[n + 1] = '\0';
			}
			reply_text(r, 400, "text/plain; charset=utf-8", why);
		} else
			reply_text(r, 200, "text/plain; charset=utf-8", "ok\n");
	} else if (!strcmp(what, "reset")) {
		stats_reset(s);
		reply_text(r, 200, "text/plain; charset=utf-8", "ok\n");
	} else if (!strcmp(what, "stats")) {
		char *body = stats_json(s);
		if (body == NULL)
			reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
		else {
			r->status = 200;
			r->ctype = "application/json; charset=utf-8";
			r->body = body;
			r->len = strlen(body);
		}
	} else
		reply_text(r, 404, "text/plain; charset=utf-8", "not found\n");
}

/* ------------------------------------------------------------ logging */

struct logline {
	struct sbuf b;
	int n;
};

static void log_clean(struct sbuf *b, const char *s)
{
	/* Control bytes would let a query string forge log lines. */
	for (; *s && b->len < 2048; s++)
		sb_add(b, (unsigned char)*s < 0x20 || *s == 0x7f ? "?" : s, 1);
}

static mhd_result log_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct logline *l = cls;
	(void)kind;
	sb_adds(&l->b, l->n++ ? "&" : "?");
	log_clean(&l->b, key);
	if (value) {
		sb_adds(&l->b, "=");
		log_clean(&l->b, value);
	}
	return MHD_YES;
}

/* One line per request on stderr: method, path, decoded query, status,
 * fault.  Header values are never logged: they may be tokens. */
static void log_request(struct MHD_Connection *con, const char *method, const char *url,
			const struct reply *r)
{
	struct logline l = {{0}, 0};
	log_clean(&l.b, method);
	sb_adds(&l.b, " ");
	log_clean(&l.b, url);
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, log_arg, &l);
	sb_addf(&l.b, " -> %u", r->status);
	if (r->fault != FK_NONE)
		sb_addf(&l.b, " (fault %s)", FAULT_NAME[r->fault]);
	if (!l.b.failed)
		fprintf(stderr, "fakeplatform: %s\n", l.b.p);
	sb_release(&l.b);
}

/* ------------------------------------------------------------ dispatch */

static mhd_result on_request(void *cls, struct MHD_Connection *con, const char *url,
			     const char *method, const char *version, const char *upload_data,
			     size_t *upload_data_size, void **req_cls)
{
	static int seen; /* only its address is used: "headers done" */
	struct server *s = cls;
	(void)version;
	(void)upload_data;
	if (*req_cls == NULL) {
		*req_cls = &seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* nobody posts here; drop any body */
		return MHD_YES;
	}
	struct reply r;
	memset(&r, 0, sizeof r);
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		reply_text(&r, 405, "text/plain; charset=utf-8", "method not allowed\n");
		r.allow = "GET, HEAD";
	} else if (!strcmp(url, "/api/container/getIndex"))
		serve_feed(s, con, FEED_WEIBO, &r);
	else if (!strcmp(url, "/x/web-interface/search/type"))
		serve_feed(s, con, FEED_BILIBILI, &r);
	else if (!strcmp(url, "/aweme/v1/web/general/search/single/") ||
		 !strcmp(url, "/aweme/v1/web/general/search/single"))
		serve_feed(s, con, FEED_DOUYIN, &r);
	else if (!strcmp(url, "/open/v1/feed"))
		serve_feed(s, con, FEED_GENERIC, &r);
	else if (!strcmp(url, "/_health")) {
		stats_count(s, EP_HEALTH, -1, 0);
		reply_text(&r, 200, "text/plain; charset=utf-8", "ok");
	} else if (!strncmp(url, "/_control/", 10))
		serve_control(s, con, url + 10, &r);
	else {
		stats_count(s, EP_NOT_FOUND, -1, 0);
		reply_text(&r, 404, "text/plain; charset=utf-8", "not found\n");
	}
	if (s->verbose)
		log_request(con, method, url, &r);
	mhd_result ret = reply_send(con, &r);
	free(r.body);
	return ret;
}

/* ------------------------------------------------------------ main */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: fakeplatform --data FILE.ndjson [--port N] [--per-page N]\n"
		"                    [--fault PLATFORM:PAGE:KIND[:N]]... [--require-header NAME:VALUE]...\n"
		"                    [--verbose]\n"
		"Serves the posts of FILE (kepu's normalized NDJSON) as weibo, bilibili, douyin\n"
		"and a generic JSON feed on 127.0.0.1; prints 'listening on 127.0.0.1:PORT'.\n"
		"  --port N            0 (default) picks a free port\n"
		"  --per-page N        page size of every feed (default weibo 10, others 20;\n"
		"                      also overrides douyin count= and generic size=)\n"
		"  --fault SPEC        PLATFORM weibo|bilibili|douyin|generic|*, PAGE n|*,\n"
		"                      KIND 429|429date|500|503|slow|drop|truncated|html|empty|\n"
		"                      blocked|oversize|strcounts|dup|badpost, N times (0 = always)\n"
		"  --require-header NAME:VALUE   feed requests without it get 401\n"
		"  --verbose           log each request line to stderr\n"
		"Control: /_health /_control/fault?spec=SPEC /_control/reset /_control/stats\n");
}

static int parse_num_arg(const char *opt, const char *v, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t x;
	if (v == NULL || parse_id_int(v, &x) < 0 || x < lo || x > hi) {
		fprintf(stderr, "fakeplatform: %s needs a number from %" PRId64 " to %" PRId64 "\n",
			opt, lo, hi);
		return -1;
	}
	*out = x;
	return 0;
}

static int add_required_header(struct server *s, const char *arg)
{
	const char *colon = arg ? strchr(arg, ':') : NULL;
	if (colon == NULL || colon == arg || s->nreq >= MAX_REQUIRED_HEADERS) {
		fprintf(stderr, "fakeplatform: --require-header needs NAME:VALUE (at most %d)\n",
			MAX_REQUIRED_HEADERS);
		return -1;
	}
	struct required_header *h = &s->req[s->nreq];
	size_t nlen = (size_t)(colon - arg);
	const char *value = colon + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (nlen >= sizeof h->name || strlen(value) >= sizeof h->value) {
		fprintf(stderr, "fakeplatform: --require-header: name or value too long\n");
		return -1;
	}
	memcpy(h->name, arg, nlen);
	h->name[nlen] = '\0';
	snprintf(h->value, sizeof h->value, "%s", value);
	s->nreq++;
	return 0;
}

/* A listening TCP socket on 127.0.0.1:port; *bound gets the real port. */
static int listen_loopback(unsigned port, unsigned *bound)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	struct sockaddr_in a;
	socklen_t alen = sizeof a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 128) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	*bound = ntohs(a.sin_port);
	return fd;
}

int main(int argc, char **argv)
{
	static struct server srv; /* large (page counters): not on the stack */
	struct store st;
	const char *data = NULL;
	const char *faults[MAX_FAULTS];
	size_t nfaults = 0;
	int64_t port = 0, per_page = 0;
	int rc = 1;

	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--verbose")) {
			srv.verbose = 1;
			i--; /* takes no value */
		} else if (v == NULL)
			goto bad_usage;
		else if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--port")) {
			if (parse_num_arg(a, v, 0, 65535, &port) < 0)
				return 2;
		} else if (!strcmp(a, "--per-page")) {
			if (parse_num_arg(a, v, 1, MAX_PAGE_SIZE, &per_page) < 0)
				return 2;
		} else if (!strcmp(a, "--fault")) {
			if (nfaults >= MAX_FAULTS) {
				fprintf(stderr, "fakeplatform: at most %d --fault\n", MAX_FAULTS);
				return 2;
			}
			faults[nfaults++] = v;
		} else if (!strcmp(a, "--require-header")) {
			if (add_required_header(&srv, v) < 0)
				return 2;
		} else
			goto bad_usage;
	}
	if (data == NULL)
		goto bad_usage;

	pthread_mutex_init(&srv.lock, NULL);
	for (size_t i = 0; i < nfaults; i++) {
		char why[512];
		if (fault_add(&srv, faults[i], why, sizeof why) < 0) {
			fprintf(stderr, "fakeplatform: %s\n", why);
			return 2;
		}
	}
	for (int f = 0; f < FEED_COUNT; f++)
		srv.page_size[f] = per_page ? (unsigned)per_page : f == FEED_WEIBO ? 10 : 20;
	srv.per_page_forced = per_page != 0;

	if (store_load(&st, data) < 0)
		return 1;
	srv.store = &st;

	unsigned bound = 0;
	int fd = listen_loopback((unsigned)port, &bound);
	if (fd < 0) {
		fprintf(stderr, "fakeplatform: cannot listen on 127.0.0.1:%" PRId64 ": %s\n", port,
			strerror(errno));
		goto out;
	}

	/* Block the stop signals before any thread exists, so that every
	 * thread inherits the mask and only sigwait() below sees them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN); /* `drop` closes on clients mid-write */

	/* Thread per connection: a `slow` request sleeps in its own thread
	 * and does not hold up the others. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	if (srv.verbose)
		flags |= MHD_USE_ERROR_LOG;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)60, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "fakeplatform: cannot start the HTTP server\n");
		close(fd);
		goto out;
	}
	printf("listening on 127.0.0.1:%u\n", bound);
	fflush(stdout);

	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	atomic_store(&stopping, 1);
	MHD_stop_daemon(d); /* joins the connection threads, closes fd */
	rc = 0;
out:
	store_release(&st);
	pthread_mutex_destroy(&srv.lock);
	return rc;

bad_usage:
	usage(stderr);
	return 2;
}
