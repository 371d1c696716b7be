/*
 * tests/fakeplatform.c - fakeplatform: a stand-in for the platform search
 * APIs that kepu's collector talks to.
 *
 * No platform can be reached from the test machines, so the collector's
 * tests start this server on 127.0.0.1, point kepu at it and check what
 * lands in SQLite.  It serves the posts of a normalized NDJSON file (what
 * kepu-gen writes) in each platform's own response format and misbehaves on
 * demand (rate limits, timeouts, cut connections, broken JSON, captcha
 * walls, counts as "1.2万") so that every error path of the collector can be
 * driven on purpose and repeatably.  Each response shape cites, where it is
 * built, the public documentation or capture it follows.
 *
 * It is not a model of any platform's ranking or limits: the search keyword
 * is accepted but does not filter (kepu-gen already mixes in posts without
 * the tag), and there is no cap on the number of pages unless --page-cap
 * gives one (the real Weibo and Bilibili searches list 50 pages at most).  The same data and
 * options give the same bytes, except what depends on the clock: Weibo's
 * relative times (--weibo-times) and Douyin's extra.now.
 *
 *   fakeplatform --data FILE.ndjson [--port N] [--per-page N]
 *                [--fault PLATFORM:PAGE:KIND[:N]]... [--require-header NAME:VALUE]...
 *                [--weibo-times absolute|relative|mixed] [--wbi-rotate N]
 *                [--empty-feed PLATFORM]... [--page-cap N] [--deleted-every N]
 *                [--review-some] [--review BVID]... [--clock UNIX] [--images] [--verbose]
 *
 * Endpoints (GET; all but /_health and /_control/ need --require-header's):
 *   weibo     /api/container/getIndex?containerid=100103type%3D61%26q%3DQ&page_type=searchall&page=N
 *             /statuses/extend?id=ID                 the whole text of a long post
 *             /statuses/show?id=ID                   one post (a repost's id too)
 *   bilibili  /x/web-interface/wbi/search/type?search_type=video&keyword=Q&order=pubdate&page=N
 *                 [&pubtime_begin_s=S&pubtime_end_s=E]&wts=T&w_rid=R   WBI-signed
 *             /x/web-interface/search/type           retired: always a v_voucher
 *             /x/web-interface/nav                   the WBI keys (not logged in)
 *             /x/frontend/finger/spi                 buvid3/buvid4
 *             /x/web-interface/view?bvid=BV… (or aid=N)   the video page's data
 *   douyin    /aweme/v1/web/general/search/single/?keyword=Q&offset=O&count=K
 *                 [&sort_type=2 | &filter_selected={"sort_type":"2",…}][&search_id=LOGID]
 *                 (and whatever else the web client sends: search_channel,
 *                 publish_time, device_platform, aid, channel, …: accepted, ignored)
 *             /aweme/v1/web/aweme/detail/?aweme_id=ID   one work (other parameters
 *                 of the web client, device_platform, aid, channel, …: ignored)
 *   generic   /open/v1/feed?page=N&size=K            every other platform
 *             /open/v1/item?id=ID                    one item
 *   mirror    /open/v1/mirror?page=N&size=K          Douyin's posts as a vendor's feed
 *             /open/v1/mirror/item?id=ID             one of them
 *   covers    /img/HOST/PATH                         a cover picture (--images; below)
 *   control   /_health  /_control/fault?spec=SPEC  /_control/reset  /_control/stats
 *             /_control/unfault                      drop every fault, nothing else
 *             /_control/weibo                        which posts are reposts / long
 *             /_control/delete?platform=P&id=ID      delete one post now
 *             /_control/grow?pct=N                   every count times (100+N)/100
 *             /_control/clock?now=UNIX               world mode (below), its clock
 *             /_control/world[?now=UNIX]             the world's truth at a time
 *             /_control/images                       every post's cover: platform,
 *                                                    post_id, cdn, key, type, url
 *
 * What the formats carry (details at each builder):
 *   weibo     newest first; cards of card_type 9 (the string "9" at feed
 *             positions 2, 5, 8, …), nested in a card_group on pages 2, 6, 10, …;
 *             created_at per --weibo-times; every 7th tagged post is served as
 *             somebody's repost of it (id = its id + "7", the original in
 *             retweeted_status); posts over 140 characters cut at 100 with
 *             `...<a href="/status/ID">全文</a>` and isLongText; one post in five
 *             ends with a [赞] face; page_info (video, play_count) when views are
 *             known, else pics[] for one in three; region_name "发布于 X".
 *   bilibili  newest first; a missing/wrong w_rid gets the v_voucher answer;
 *             search counts are 98% of the true ones (rounded down), /view has
 *             the true ones; pic protocol-relative; --wbi-rotate N changes the
 *             keys after every N accepted searches.
 *   douyin    newest first only with sort_type=2, else ordered by fnv1a(id);
 *             cards type 1 (aweme_info), 16 (aweme_mix_info.mix_items, two works,
 *             at feed positions 8-9, 18-19, …) and 4 (a user card, before
 *             positions 5, 18, 31, …); play_count always 0; extra.logid, which
 *             page 2+ must send back as search_id (else params_check).
 *   generic   newest first; media_type and cover per item.
 *   mirror    the generic feed's shape and paging, listing the Douyin posts
 *             (platform "douyin", item_id the aweme_id), newest first: a data
 *             vendor's feed of the same videos; its item page answers as
 *             /open/v1/item does.  Outside world mode its counts are those of
 *             the Douyin pages; in world mode those of a day before.
 *
 * Detail endpoints (answers cited at serve_show(), serve_view(),
 * serve_aweme_detail(), serve_item()): the post as its search card has it,
 * with the counts of now.  A deleted post, and one not in the file:
 *   weibo     200 {"ok":0,"errno":"20101","msg":"微博不存在或暂无查看权限!"}
 *   bilibili  deleted: {"code":-404,"message":"啥都木有","ttl":1,"data":null},
 *             for one deleted post in three {"code":62002,"message":"稿件不可见",
 *             "ttl":1}; unknown: {"code":-404,"message":"啥都木有","ttl":1};
 *             under review (--review-some, --review; not deleted, still
 *             listed): {"code":62004,"message":"稿件审核中","ttl":1,"data":null}
 *   douyin    deleted: {"status_code":0,"aweme_detail":null,"filter_detail":
 *             {"filter_reason":"status_deleted"|"status_self_see" (one in two),
 *             "detail_msg":"因作品权限或已被删除，无法观看，去看看其他作品吧",
 *             "aweme_id":ID}}; unknown: {"status_code":0,"aweme_detail":null}
 *   generic   deleted: {"code":0,"data":{"item":null,"deleted":true}};
 *             unknown: HTTP 404 {"code":404,"message":"not found"}
 *
 * Deletions and growth: a deleted post leaves every search page (it is
 * taken out of the list before paging, so pages stay contiguous) and its
 * detail answers as above; /statuses/extend answers it as an unknown id.
 * --deleted-every N deletes from the start each post whose
 * fnv1a(platform + post_id) % N == 0 (FNV-1a 64 of the two strings one after
 * the other, platform as in the file); /_control/delete deletes one more
 * (platform weibo, bilibili, douyin, generic or the post's own platform).
 * /_control/grow?pct=N (1..1000) multiplies every known count (views,
 * likes, comments, shares, favorites) by (100+N)/100, rounded down, again
 * on each call (at most 10^15); search pages and details alike show the
 * grown counts (as integers: "1.2万" in the file becomes a number), with
 * Bilibili's search lag and coins = likes / 3 taken from them.
 * /_control/reset forgets runtime deletions and growth (--deleted-every's
 * stay).
 *
 * Faults: PLATFORM:PAGE:KIND[:N][@PCT], PLATFORM weibo|bilibili|douyin|
 * generic|mirror|*, PAGE n|*, N times (0 = always, default 1), @PCT: each
 * matching request draws, and the fault fires with that chance in percent
 * (`*:*:500:0@2.5`: 2.5% of every search answer 500, for ever); the first
 * matching fault with shots left (and a winning draw) fires.
 *   any search   429 429date 500 503 slow drop truncated html empty blocked
 *                oversize strcounts dup badpost 432 login 403
 *   any detail   detail: HTTP 503 from /statuses/show, /x/web-interface/view,
 *                the aweme detail, /open/v1/item, /open/v1/mirror/item (PAGE *)
 *   bilibili     voucher 352 401                  (search)   viewfail (view, PAGE *)
 *   douyin       nilinfo paramscheck antispam nildata
 *   weibo        extendfail                       (extend, PAGE *)
 *   any cover    img404 imghtml (an HTML page, 200) imgsvg (an SVG, 200)
 *                imgbig (a JPEG's start and 20 MiB more, chunked: no length)
 *                imgslow (SLOW_MS, then the picture) imgredirect (302 to the
 *                same picture) imgctype (the picture as text/html) imgempty;
 *                PAGE is the post's id (or *), PLATFORM the feed it came from
 *
 * World mode (--clock UNIX or /_control/clock?now=UNIX; for the soak test,
 * tests/soak.py): the server has a clock of its own, set to UNIX and running
 * on with the machine's (as kepu's KEPU_NOW does), and serves a world that
 * changes with it.  Nothing of it applies before the clock is set.
 *   listing   a post exists (in the searches, the feeds, the detail pages)
 *             from its listing time on: its created_at; for one generic post
 *             in 10 (fnv1a("world-late:" + post_id) % 10 == 0) created_at
 *             plus 2 to 4 days (a staff review); a data file's own
 *             "listed_at" (a time) wins over both (the soak's December item,
 *             listed from the start).  Before it, a detail page answers as
 *             for an unknown id.
 *   counts    grow with age and stop: floor(final * min(1, age / T)), final
 *             the file's count (after /_control/grow), age from the earlier
 *             of created_at and the listing time, T 5 days (Bilibili 14, a
 *             long tail); unknown counts stay unknown.  Bilibili's search
 *             shows 98% of them, coins follow likes (likes / 3) as always;
 *             the mirror shows those of 24 hours before.
 *   deletion  one post in 40 (fnv1a("world-gone:" + platform + ":" +
 *             post_id) % 40 == 0) is deleted 3 days after created_at: it
 *             leaves every listing and its detail pages answer deleted, as
 *             for /_control/delete.
 * /_control/world?now=UNIX gives, for a test's checks, every post with its
 * platform, id, feed, created_at, listing window (listed_from, deleted_at)
 * and its true counts at that time, so that no test redoes this arithmetic
 * (control_world() has the format).  /_control/reset keeps the clock.
 *
 * Options:
 *   --weibo-times MODE   absolute (default), relative (刚刚, N分钟前, N小时前,
 *                        昨天 HH:MM, MM-DD, YYYY-MM-DD against the clock), mixed
 *   --wbi-rotate N       new WBI keys after every N accepted signed searches
 *   --empty-feed P       platform P answers every search with no results
 *   --page-cap N         Weibo and Bilibili list N pages of a search at most
 *   --deleted-every N    posts with fnv1a(platform + post_id) % N == 0 are deleted
 *   --review-some        Bilibili posts with fnv1a("bilibili" + bvid) % 97 == 5
 *                        are under review (62004 from /view)
 *   --review BVID        this Bilibili post is under review (repeatable)
 *   --clock UNIX         world mode from the start, its clock at UNIX
 *   --images             covers point at this server and are served here
 *
 * Covers.  Each post's cover URL has its image server's shape (Weibo
 * wx1.sinaimg.cn/orj480|orj360|large/PID.jpg|.gif, Bilibili
 * i0.hdslb.com/bfs/archive/HEX.jpg|.png, Douyin
 * p3-pc-sign.douyinpic.com/tos-cn-p-0015/URI~tplv-….jpeg|.webp?…&x-expires=
 * &x-signature=, the feed's cdn.kepu-feed.example.cn/cover/MD5.jpg|.png|
 * .webp|.gif); the type is fnv1a("cover-type:" + id)'s choice (cover_type()).
 * With --images the URLs are http://127.0.0.1:PORT/img/HOST/PATH and this
 * server answers them with real pictures (64 x 48, the type the extension
 * says), as each image server would: sinaimg.cn wants a Referer of
 * weibo.com or weibo.cn, hdslb.com refuses another site's Referer (none is
 * fine), douyinpic wants its own unexpired signature, the feed's CDN asks
 * nothing; else 403 (model/platform.c in kepu cites the captures).  The
 * stats' "images" say per image server the requests, pictures served,
 * refusals, faults and the distinct Referers seen ("" for none).  Douyin's
 * x-expires follows the clock, like extra.now.
 *
 * Control: /_control/fault?spec=SPEC adds a fault; /_control/reset drops the
 * faults, zeroes the counters, goes back to the first WBI keys, forgets
 * runtime deletions and growth; /_control/stats the counters (requests per
 * endpoint, pages, faults, wbi, view/extend hits, deleted: posts deleted
 * now); /_control/delete?platform=P&id=ID answers {"deleted":true}, or 404
 * for no such post; /_control/grow?pct=N answers {"pct":N,"grows":K} (K grows
 * since the start or the last reset); /_control/unfault drops the faults
 * only; /_control/clock?now=UNIX answers {"now":UNIX} (without now= the
 * world's clock, or null outside world mode).  The mirror's endpoints appear
 * in the stats' requests once asked (mirror, mirror_item).
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
#include <limits.h>
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

/* fnv1a of s with a salt in front, so that one id gives independent choices. */
static uint64_t fnv1a_salted(const char *salt, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (const char *q = salt; *q; q++) {
		h ^= (unsigned char)*q;
		h *= 0x100000001b3ull;
	}
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ------------------------------------------------------------ MD5 */

/*
 * MD5 (RFC 1321), for Bilibili's WBI signature (w_rid is an MD5 hex digest)
 * and for deterministic fake tokens.  Test-server code: the Makefile links
 * this program without libcrypto, and MD5 is no security here, only the
 * platform's published scheme.  K[i] = floor(|sin(i + 1)| * 2^32).
 */
struct md5 {
	uint32_t h[4];
	uint64_t len; /* bytes so far */
	unsigned char buf[64];
	size_t n;
};

static const uint32_t MD5_K[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391};
static const unsigned char MD5_S[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static void md5_init(struct md5 *m)
{
	memset(m, 0, sizeof *m);
	m->h[0] = 0x67452301;
	m->h[1] = 0xefcdab89;
	m->h[2] = 0x98badcfe;
	m->h[3] = 0x10325476;
}

static void md5_block(struct md5 *m, const unsigned char *p)
{
	uint32_t w[16], a = m->h[0], b = m->h[1], c = m->h[2], d = m->h[3];
	for (int i = 0; i < 16; i++) /* little-endian words */
		w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g, round = i / 16;
		if (round == 0) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (round == 1) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (round == 2) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		uint32_t x = a + f + MD5_K[i] + w[g];
		unsigned s = MD5_S[round * 4 + i % 4];
		a = d;
		d = c;
		c = b;
		b = b + (x << s | x >> (32 - s));
	}
	m->h[0] += a;
	m->h[1] += b;
	m->h[2] += c;
	m->h[3] += d;
}

static void md5_add(struct md5 *m, const void *data, size_t n)
{
	const unsigned char *p = data;
	m->len += n;
	while (n > 0) {
		size_t take = 64 - m->n < n ? 64 - m->n : n;
		memcpy(m->buf + m->n, p, take);
		m->n += take;
		p += take;
		n -= take;
		if (m->n == 64) {
			md5_block(m, m->buf);
			m->n = 0;
		}
	}
}

/* The digest as 32 lowercase hex digits and a NUL. */
static void md5_hex_final(struct md5 *m, char out[33])
{
	uint64_t bits = m->len * 8;
	unsigned char pad = 0x80, zero = 0, lenle[8];
	md5_add(m, &pad, 1);
	while (m->n != 56)
		md5_add(m, &zero, 1);
	for (int i = 0; i < 8; i++)
		lenle[i] = (unsigned char)(bits >> (8 * i));
	md5_add(m, lenle, 8);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", (unsigned)(m->h[i / 4] >> (8 * (i % 4))) & 0xffu);
}

static void md5_hex(const char *s, char out[33])
{
	struct md5 m;
	md5_init(&m);
	md5_add(&m, s, strlen(s));
	md5_hex_final(&m, out);
}

/* "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx" from the MD5 of seed: a version-4
 * shaped UUID that is the same for the same seed.  upper for B站's buvid. */
static void uuid_from(const char *seed, int upper, char out[37])
{
	char h[33];
	md5_hex(seed, h);
	h[12] = '4';
	h[16] = "89ab"[(h[16] - '0') & 3];
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
	if (upper)
		for (char *q = out; *q; q++)
			if (*q >= 'a' && *q <= 'f')
				*q = (char)(*q - 32);
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
	/* Set once the store is sorted: */
	size_t feed_idx;    /* position in its feed, newest first */
	size_t text_chars;  /* Unicode code points of text */
	int tagged;         /* text carries the campaign tag (campaign_tagged()) */
	long repost_no;     /* weibo: served as the repost_no-th repost, or -1 */
};

/* The loaded file: posts newest first, and per feed the same order. */
struct store {
	struct post *posts;
	size_t n;
	const struct post **feed[FEED_COUNT];
	size_t feed_n[FEED_COUNT];
	const struct post **byid[FEED_COUNT]; /* each feed sorted by post_id */
	const struct post **relevance;        /* douyin's "relevance" order */
	size_t nreposts;                      /* weibo posts served as reposts */
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
	for (int f = 0; f < FEED_COUNT; f++) {
		free(st->feed[f]);
		free(st->byid[f]);
	}
	free(st->relevance);
	memset(st, 0, sizeof *st);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

#define CAMPAIGN_TAG "\xe5\x8d\x83\xe4\xb8\x87IP\xe5\x88\x9b\xe7\xa7\x91\xe6\x99\xae" /* 千万IP创科普 */
#define UTF8_HUODONG "\xe6\xb4\xbb\xe5\x8a\xa8"                                          /* 活动 */

/*
 * Whether a post counts as TAGGED for the repost rule below: its text holds
 * 千万IP创科普 (Latin letters in any case) not directly followed by 活动 (the
 * look-alike tag kepu-gen mixes in).  A plain rule the tests can recompute;
 * it is not kepu's matcher.
 */
static int campaign_tagged(const char *text)
{
	const char *p = text;
	while ((p = find_caseless(p, CAMPAIGN_TAG)) != NULL) {
		p += strlen(CAMPAIGN_TAG);
		if (strncmp(p, UTF8_HUODONG, strlen(UTF8_HUODONG)))
			return 1;
	}
	return 0;
}

static int post_by_id(const void *a, const void *b)
{
	const struct post *x = *(const struct post *const *)a, *y = *(const struct post *const *)b;
	return strcmp(x->post_id, y->post_id);
}

/* Douyin without sort_type=2: an order that has nothing to do with time. */
static int post_by_relevance(const void *a, const void *b)
{
	const struct post *x = *(const struct post *const *)a, *y = *(const struct post *const *)b;
	uint64_t hx = fnv1a(x->post_id), hy = fnv1a(y->post_id);
	if (hx != hy)
		return hx < hy ? -1 : 1;
	return x->feed_idx < y->feed_idx ? -1 : x->feed_idx > y->feed_idx;
}

/* The post of feed f with this id (borrowed), or NULL. */
static const struct post *store_find(const struct store *st, enum feed f, const char *id,
				     size_t *pos)
{
	size_t lo = 0, hi = st->feed_n[f];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(st->byid[f][mid]->post_id, id);
		if (c == 0) {
			if (pos)
				*pos = mid;
			return st->byid[f][mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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
	size_t tagged_seen = 0;
	for (size_t i = 0; i < st->n; i++) {
		struct post *p = &st->posts[i];
		p->feed_idx = st->feed_n[p->feed];
		p->text_chars = utf8_chars(p->text);
		p->tagged = campaign_tagged(p->text);
		p->repost_no = -1;
		/* Weibo: every 7th tagged post (7th, 14th, ... newest first) is
		 * served as somebody's repost of it; see weibo_repost(). */
		if (p->feed == FEED_WEIBO && p->tagged && tagged_seen++ % 7 == 6)
			p->repost_no = (long)st->nreposts++;
		st->feed[p->feed][st->feed_n[p->feed]++] = p;
	}
	for (int fd = 0; fd < FEED_COUNT; fd++) {
		size_t n = st->feed_n[fd];
		st->byid[fd] = calloc(n ? n : 1, sizeof *st->byid[fd]);
		if (st->byid[fd] == NULL) {
			fprintf(stderr, "fakeplatform: out of memory loading '%s'\n", path);
			return -1;
		}
		if (n)
			memcpy(st->byid[fd], st->feed[fd], n * sizeof *st->byid[fd]);
		if (n)
			qsort(st->byid[fd], n, sizeof *st->byid[fd], post_by_id);
	}
	size_t nd = st->feed_n[FEED_DOUYIN];
	st->relevance = calloc(nd ? nd : 1, sizeof *st->relevance);
	if (st->relevance == NULL) {
		fprintf(stderr, "fakeplatform: out of memory loading '%s'\n", path);
		return -1;
	}
	if (nd) {
		memcpy(st->relevance, st->feed[FEED_DOUYIN], nd * sizeof *st->relevance);
		qsort(st->relevance, nd, sizeof *st->relevance, post_by_relevance);
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
	FK_432,
	FK_LOGIN,
	FK_403,
	FK_VOUCHER,
	FK_352,
	FK_401,
	FK_NILINFO,
	FK_PARAMSCHECK,
	FK_ANTISPAM,
	FK_NILDATA,
	FK_EXTENDFAIL,
	FK_VIEWFAIL,
	FK_DETAIL,
	FK_IMG404,
	FK_IMGHTML,
	FK_IMGSVG,
	FK_IMGBIG,
	FK_IMGSLOW,
	FK_IMGREDIRECT,
	FK_IMGCTYPE,
	FK_IMGEMPTY,
	FK_COUNT
};

/* Where a fault can fire: a search page, or one of the detail endpoints
 * (these have no page, so their faults are given with PAGE *), or a cover
 * picture (--images; PAGE is the post's id, or * for any). */
enum fault_scope { SCOPE_SEARCH, SCOPE_EXTEND, SCOPE_VIEW, SCOPE_DETAIL, SCOPE_IMAGE };

/* Faults name the Douyin mirror feed (/open/v1/mirror) as a platform of its
 * own, numbered after the feeds. */
#define FAULT_MIRROR FEED_COUNT
#define ALL_FEEDS ((1u << (FEED_COUNT + 1)) - 1)
#define FEED_BIT(f) (1u << (f))

/* One row per kind: its name in --fault, where it applies. */
static const struct fault_def {
	const char *name;
	enum fault_scope scope;
	unsigned feeds; /* FEED_BIT()s of the platforms it exists on */
} FAULTS[FK_COUNT] = {
	[FK_NONE] = {"none", SCOPE_SEARCH, 0},
	[FK_429] = {"429", SCOPE_SEARCH, ALL_FEEDS},
	[FK_429DATE] = {"429date", SCOPE_SEARCH, ALL_FEEDS},
	[FK_500] = {"500", SCOPE_SEARCH, ALL_FEEDS},
	[FK_503] = {"503", SCOPE_SEARCH, ALL_FEEDS},
	[FK_SLOW] = {"slow", SCOPE_SEARCH, ALL_FEEDS},
	[FK_DROP] = {"drop", SCOPE_SEARCH, ALL_FEEDS},
	[FK_TRUNCATED] = {"truncated", SCOPE_SEARCH, ALL_FEEDS},
	[FK_HTML] = {"html", SCOPE_SEARCH, ALL_FEEDS},
	[FK_EMPTY] = {"empty", SCOPE_SEARCH, ALL_FEEDS},
	[FK_BLOCKED] = {"blocked", SCOPE_SEARCH, ALL_FEEDS},
	[FK_OVERSIZE] = {"oversize", SCOPE_SEARCH, ALL_FEEDS},
	[FK_STRCOUNTS] = {"strcounts", SCOPE_SEARCH, ALL_FEEDS},
	[FK_DUP] = {"dup", SCOPE_SEARCH, ALL_FEEDS},
	[FK_BADPOST] = {"badpost", SCOPE_SEARCH, ALL_FEEDS},
	[FK_432] = {"432", SCOPE_SEARCH, ALL_FEEDS},
	[FK_LOGIN] = {"login", SCOPE_SEARCH, ALL_FEEDS},
	[FK_403] = {"403", SCOPE_SEARCH, ALL_FEEDS},
	[FK_VOUCHER] = {"voucher", SCOPE_SEARCH, FEED_BIT(FEED_BILIBILI)},
	[FK_352] = {"352", SCOPE_SEARCH, FEED_BIT(FEED_BILIBILI)},
	[FK_401] = {"401", SCOPE_SEARCH, FEED_BIT(FEED_BILIBILI)},
	[FK_NILINFO] = {"nilinfo", SCOPE_SEARCH, FEED_BIT(FEED_DOUYIN)},
	[FK_PARAMSCHECK] = {"paramscheck", SCOPE_SEARCH, FEED_BIT(FEED_DOUYIN)},
	[FK_ANTISPAM] = {"antispam", SCOPE_SEARCH, FEED_BIT(FEED_DOUYIN)},
	[FK_NILDATA] = {"nildata", SCOPE_SEARCH, FEED_BIT(FEED_DOUYIN)},
	[FK_EXTENDFAIL] = {"extendfail", SCOPE_EXTEND, FEED_BIT(FEED_WEIBO)},
	[FK_VIEWFAIL] = {"viewfail", SCOPE_VIEW, FEED_BIT(FEED_BILIBILI)},
	[FK_DETAIL] = {"detail", SCOPE_DETAIL, ALL_FEEDS},
	[FK_IMG404] = {"img404", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGHTML] = {"imghtml", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGSVG] = {"imgsvg", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGBIG] = {"imgbig", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGSLOW] = {"imgslow", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGREDIRECT] = {"imgredirect", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGCTYPE] = {"imgctype", SCOPE_IMAGE, ALL_FEEDS},
	[FK_IMGEMPTY] = {"imgempty", SCOPE_IMAGE, ALL_FEEDS},
};

struct fault {
	int feed;          /* enum feed, FAULT_MIRROR, or -1 for any */
	uint64_t page;     /* 0 for any */
	char post[128];    /* SCOPE_IMAGE: the post whose cover it hits; "" for any */
	enum fault_kind kind;
	int always;        /* N was 0 */
	uint32_t chance;   /* @PCT: fires on a matching request with this chance
			    * in millionths; 0 = on every one */
	unsigned long remaining, fired;
	char spec[64];
};

/* "2", "2.5", "0.25" (percent, at most 100, at most 4 decimals) in
 * millionths; 0 for anything else. */
static uint32_t parse_chance(const char *s)
{
	uint64_t whole = 0, frac = 0, scale = 10000;
	size_t i = 0;
	for (; is_digit(s[i]) && i < 3; i++)
		whole = whole * 10 + (uint64_t)(s[i] - '0');
	if (i == 0)
		return 0;
	if (s[i] == '.') {
		size_t j = ++i;
		for (; is_digit(s[i]) && i - j < 4; i++) {
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			scale /= 10;
		}
		if (i == j)
			return 0;
		frac *= scale;
	}
	if (s[i] != '\0')
		return 0;
	uint64_t ppm = whole * 10000 + frac;
	return ppm > 1000000 ? 0 : (uint32_t)ppm;
}

/* Parse PLATFORM:PAGE:KIND[:N][@PCT].  0, or -1 with a message in why. */
static int fault_parse(const char *spec, struct fault *out, char *why, size_t whylen)
{
	char buf[sizeof out->spec];
	const char *field[5];
	size_t nf = 0;
	uint32_t chance = 0;
	if (strlen(spec) >= sizeof buf) {
		snprintf(why, whylen, "fault spec too long");
		return -1;
	}
	memcpy(buf, spec, strlen(spec) + 1);
	char *at = strchr(buf, '@');
	if (at != NULL) {
		*at = '\0';
		if ((chance = parse_chance(at + 1)) == 0) {
			snprintf(why, whylen,
				 "fault spec '%s': @PCT must be a percentage above 0, at most 100", spec);
			return -1;
		}
	}
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
	if (!strcmp(field[0], "mirror"))
		out->feed = FAULT_MIRROR;
	if (out->feed == -2) {
		snprintf(why, whylen,
			 "fault spec '%s': platform must be weibo, bilibili, douyin, generic, mirror or *",
			 spec);
		return -1;
	}
	int64_t v;
	out->kind = FK_NONE;
	for (int k = 1; k < FK_COUNT; k++)
		if (!strcmp(field[2], FAULTS[k].name))
			out->kind = (enum fault_kind)k;
	if (out->kind == FK_NONE) {
		snprintf(why, whylen,
			 "fault spec '%s': unknown kind (429, 429date, 500, 503, slow, drop, "
			 "truncated, html, empty, blocked, oversize, strcounts, dup, badpost, 432, "
			 "login, 403, detail; bilibili: voucher, 352, 401, viewfail; douyin: nilinfo, "
			 "paramscheck, antispam, nildata; weibo: extendfail; covers: img404, imghtml, "
			 "imgsvg, imgbig, imgslow, imgredirect, imgctype, imgempty)",
			 spec);
		return -1;
	}
	if (FAULTS[out->kind].scope == SCOPE_IMAGE) {
		/* a cover's fault names the post (its id may hold no ':') */
		if (strcmp(field[1], "*"))
			snprintf(out->post, sizeof out->post, "%s", field[1]);
	} else if (strcmp(field[1], "*")) {
		if (parse_id_int(field[1], &v) < 0 || v < 1 || (uint64_t)v > MAX_PAGE) {
			snprintf(why, whylen, "fault spec '%s': page must be a number from 1 or *",
				 spec);
			return -1;
		}
		out->page = (uint64_t)v;
	}
	if (out->feed >= 0 && !(FAULTS[out->kind].feeds & FEED_BIT(out->feed))) {
		snprintf(why, whylen, "fault spec '%s': kind %s does not exist on %s", spec,
			 FAULTS[out->kind].name,
			 out->feed == FAULT_MIRROR ? "mirror" : FEED_NAME[out->feed]);
		return -1;
	}
	if (FAULTS[out->kind].scope != SCOPE_SEARCH && out->page != 0) {
		snprintf(why, whylen, "fault spec '%s': %s has no pages: give PAGE as *", spec,
			 FAULTS[out->kind].name);
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
	out->chance = chance;
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

enum endpoint {
	EP_WEIBO,
	EP_BILIBILI, /* the signed search, every request */
	EP_DOUYIN,
	EP_GENERIC,
	EP_HEALTH,
	EP_NOT_FOUND,
	EP_NAV,
	EP_SPI,
	EP_VIEW,
	EP_EXTEND,
	EP_BILI_UNSIGNED, /* the retired /x/web-interface/search/type */
	EP_SHOW,          /* weibo /statuses/show */
	EP_AWEME_DETAIL,  /* douyin /aweme/v1/web/aweme/detail/ */
	EP_ITEM,          /* generic /open/v1/item */
	EP_MIRROR,        /* /open/v1/mirror: in the stats only once asked */
	EP_MIRROR_ITEM,   /* /open/v1/mirror/item: likewise */
	EP_IMAGE,         /* /img/...: a cover (--images); likewise */
	EP_COUNT
};
static const char *const EP_NAME[EP_COUNT] = {
	"weibo", "bilibili", "douyin", "generic",	      "health", "not_found",
	"nav",	 "spi",	     "view",   "extend",	      "bilibili_unsigned",
	"show",	 "aweme_detail", "item", "mirror", "mirror_item", "image"};
/* serve_feed() counts a feed's request under the endpoint of the same number. */
_Static_assert(EP_WEIBO == (int)FEED_WEIBO && EP_BILIBILI == (int)FEED_BILIBILI &&
		       EP_DOUYIN == (int)FEED_DOUYIN && EP_GENERIC == (int)FEED_GENERIC,
	       "endpoint and feed numbers differ");

/* --weibo-times */
enum weibo_times { WT_ABSOLUTE, WT_RELATIVE, WT_MIXED };

/* The image servers the covers come from (--images serves them all). */
enum cdn { CDN_SINAIMG, CDN_HDSLB, CDN_DOUYINPIC, CDN_FEED, CDN_COUNT };
static const char *const CDN_NAME[CDN_COUNT] = {"sinaimg", "hdslb", "douyinpic", "feed"};
/* The feed whose faults apply to an image server's pictures. */
static const enum feed CDN_FEED_OF[CDN_COUNT] = {FEED_WEIBO, FEED_BILIBILI, FEED_DOUYIN, FEED_GENERIC};

/* One cover this server can serve: the picture's name on its image server
 * (Sina's pid, the hex of a Bilibili archive cover, Douyin's uri) and its post. */
struct cover_key {
	enum cdn cdn;
	char key[48];
	const struct post *post;
};

#define MAX_REFERERS 4
/* What one image server saw. */
struct cdn_seen {
	unsigned long requests, served, refused, faults;
	char referers[MAX_REFERERS][160]; /* the distinct Referers sent ("" for none) */
	size_t nreferers;
};

struct server {
	const struct store *store;
	unsigned page_size[FEED_COUNT];
	int per_page_forced; /* --per-page given: it wins over count= and size= */
	struct required_header req[MAX_REQUIRED_HEADERS];
	size_t nreq;
	int verbose;
	enum weibo_times weibo_times;
	unsigned long wbi_rotate; /* 0: the WBI keys never change */
	unsigned empty_feeds;     /* FEED_BIT()s of --empty-feed */
	size_t page_cap;          /* --page-cap: pages a Weibo or Bilibili search lists; 0 none */
	uint64_t deleted_every;   /* --deleted-every: 0 none */

	pthread_mutex_t lock; /* guards everything below */
	struct fault faults[MAX_FAULTS];
	size_t nfaults;
	unsigned long requests[EP_COUNT];
	unsigned long unauthorized;
	struct page_hits pages[FEED_COUNT][MAX_TRACKED_PAGES];
	size_t npages[FEED_COUNT];
	unsigned long pages_untracked[FEED_COUNT];
	unsigned long wbi_accepted, wbi_rejected, wbi_generation;
	unsigned long douyin_search_id_rejected;
	unsigned long *view_hits;   /* per bilibili post, in store->byid order */
	unsigned long *extend_hits; /* per weibo post, in store->byid order */
	/* Per post, in store->posts order (post_index()): */
	unsigned char *post_flags;  /* PF_* */
	int64_t *cur_counts;        /* C_COUNT each: the counts now, -1 unknown */
	size_t ndeleted;            /* posts with a PF_DELETED bit */
	unsigned long grows;        /* /_control/grow calls since the start or reset */
	uint64_t rng;               /* the draws of @PCT faults */
	/* World mode (--clock, /_control/clock): the world's clock, and per
	 * post (store->posts order) when it is listed and when it is deleted. */
	int world;
	int64_t world_base;         /* the world's "now" when the clock was set */
	struct timespec world_set;  /* CLOCK_MONOTONIC then: the clock runs on */
	int64_t *listed_from;       /* listed from then on */
	int64_t *gone_at;           /* deleted from then on; 0 never */
	/* --images: every cover's key, sorted (cover_key_cmp), set before any
	 * thread runs; and what each image server saw (under lock) */
	struct cover_key *covers;
	size_t ncovers;
	struct cdn_seen cdn[CDN_COUNT];
};

/* The world (see the header): growth periods, late listings, deletions,
 * the mirror's delay. */
#define WORLD_DAY 86400
#define WORLD_GROWTH_S (5 * WORLD_DAY)
#define WORLD_GROWTH_BILI_S (14 * WORLD_DAY)
#define WORLD_LATE_EVERY 10          /* fnv1a("world-late:" + id) % 10 == 0 */
#define WORLD_LATE_MIN_S (2 * WORLD_DAY)
#define WORLD_LATE_SPAN_S (2 * WORLD_DAY)
#define WORLD_GONE_EVERY 40          /* fnv1a("world-gone:" + platform:id) % 40 == 0 */
#define WORLD_GONE_AFTER_S (3 * WORLD_DAY)
#define MIRROR_DELAY_S WORLD_DAY

#define PF_DELETED_START 1u   /* --deleted-every: survives /_control/reset */
#define PF_DELETED_RUNTIME 2u /* /_control/delete: reset forgets it */
#define PF_REVIEW 4u          /* bilibili, --review-some / --review */
#define PF_DELETED (PF_DELETED_START | PF_DELETED_RUNTIME)

/* Grown counts stop here: far inside a double's exact integers, and
 * v * 1100 cannot overflow below it. */
#define COUNT_CAP 1000000000000000LL

static size_t post_index(const struct server *s, const struct post *p)
{
	return (size_t)(p - s->store->posts);
}

/* The world's clock now.  Caller holds s->lock; s->world is set. */
static int64_t world_now_locked(const struct server *s)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return s->world_base + (int64_t)(t.tv_sec - s->world_set.tv_sec);
}

/* The time the server serves: the world's clock, or the machine's. */
static int64_t server_now_locked(const struct server *s)
{
	return s->world ? world_now_locked(s) : (int64_t)time(NULL);
}

/* Whether p is deleted at `now` (a runtime or --deleted-every deletion, or
 * in world mode its deletion time has come).  Caller holds s->lock. */
static int post_deleted_at_locked(const struct server *s, const struct post *p, int64_t now)
{
	size_t i = post_index(s, p);
	if (s->post_flags[i] & PF_DELETED)
		return 1;
	return s->world && s->gone_at[i] != 0 && now >= s->gone_at[i];
}

/* Whether p exists on its platform at `now`: always, except in world mode
 * before its listing time.  Caller holds s->lock. */
static int post_listed_at_locked(const struct server *s, const struct post *p, int64_t now)
{
	return !s->world || s->listed_from[post_index(s, p)] <= now;
}

/* final * min(1, age / period), rounded down; 0 before the post exists, an
 * unknown count (-1) stays unknown. */
static int64_t world_count(int64_t final, int64_t age, int64_t period)
{
	if (final < 0)
		return final;
	if (age <= 0)
		return 0;
	if (age >= period)
		return final;
	/* final = q * period + r: no product can overflow */
	return final / period * age + final % period * age / period;
}

/* Count c of p at time t in the world (grown from the earlier of its
 * creation and its listing).  final: the file's count (-1 unknown). */
static int64_t world_count_at(const struct server *s, const struct post *p, int64_t final,
			      int64_t t)
{
	int64_t lf = s->listed_from[post_index(s, p)];
	int64_t born = p->created < lf ? p->created : lf;
	return world_count(final, t - born,
			   p->feed == FEED_BILIBILI ? WORLD_GROWTH_BILI_S : WORLD_GROWTH_S);
}

/* The counts of the file, as numbers (-1 unknown).  Caller holds s->lock,
 * or no thread runs yet. */
static void counts_restore_locked(struct server *s)
{
	const struct store *st = s->store;
	for (size_t i = 0; i < st->n; i++)
		for (int c = 0; c < C_COUNT; c++) {
			int64_t v;
			s->cur_counts[i * C_COUNT + c] =
				count_value(st->posts[i].counts[c], &v) ? v : -1;
		}
	s->grows = 0;
}

/* v * (100 + pct) / 100 rounded down, at most COUNT_CAP (a count already
 * above it, from the file, stays as it is). */
static int64_t grow_count(int64_t v, unsigned pct)
{
	if (v < 0 || v >= COUNT_CAP)
		return v;
	int64_t n = v * (int64_t)(100 + pct) / 100;
	return n > COUNT_CAP ? COUNT_CAP : n;
}

/* A post as it is served now: the file's post with its counts replaced by
 * the grown ones, as integers, once /_control/grow was called (before that,
 * the file's own values, "1.2万" strings included, so nothing changes). */
struct post_now {
	struct post p;
	json_t *own[C_COUNT];
};

/* p with the counts of time t (world mode; otherwise t is not used and
 * the counts are those of now); pn holds what the result borrows until
 * post_now_release().  Caller holds s->lock. */
static const struct post *post_at_locked(const struct server *s, const struct post *p, int64_t t,
					 struct post_now *pn)
{
	memset(pn->own, 0, sizeof pn->own);
	if (s->grows == 0 && !s->world)
		return p;
	pn->p = *p;
	const int64_t *cur = &s->cur_counts[post_index(s, p) * C_COUNT];
	for (int c = 0; c < C_COUNT; c++)
		if (cur[c] >= 0) {
			pn->own[c] = json_integer(s->world ? world_count_at(s, p, cur[c], t) : cur[c]);
			pn->p.counts[c] = pn->own[c]; /* NULL (unknown) if out of memory */
		}
	return &pn->p;
}

static void post_now_release(struct post_now *pn)
{
	for (int c = 0; c < C_COUNT; c++) {
		json_decref(pn->own[c]);
		pn->own[c] = NULL;
	}
}

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

/* splitmix64: the draws of chance faults (one sequence, under s->lock). */
static uint64_t rng_next_locked(struct server *s)
{
	uint64_t z = (s->rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* The first registered fault that matches (feed, page) at this scope, exists
 * on this platform, has shots left and (@PCT) wins its draw fires; one
 * fault per request.  feed is an enum feed or FAULT_MIRROR; page is 0 on
 * the detail endpoints. */
static enum fault_kind fault_take_post(struct server *s, int feed, uint64_t page,
				       const char *post, enum fault_scope scope)
{
	enum fault_kind k = FK_NONE;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nfaults; i++) {
		struct fault *f = &s->faults[i];
		if ((f->feed != -1 && f->feed != feed) || (f->page && f->page != page))
			continue;
		if (f->post[0] && (post == NULL || strcmp(f->post, post)))
			continue;
		if (FAULTS[f->kind].scope != scope || !(FAULTS[f->kind].feeds & FEED_BIT(feed)))
			continue;
		if (!f->always && f->remaining == 0)
			continue;
		if (f->chance && rng_next_locked(s) % 1000000u >= f->chance)
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

static enum fault_kind fault_take(struct server *s, int feed, uint64_t page,
				  enum fault_scope scope)
{
	return fault_take_post(s, feed, page, NULL, scope);
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

/*
 * Bilibili's WBI keys: img_key and sub_key, 32 hex digits each.  Generation 0
 * is the example pair of bilibili-API-collect docs/misc/sign/wbi.md (whose
 * mixin key is ea1db124af3c7062474693fa704f4ff8), so a client can be checked
 * against the published example; --wbi-rotate moves to generation 1, 2, ...,
 * each an MD5 of a fixed text, the same on every run.
 */
static void wbi_keys(unsigned long gen, char img[33], char sub[33])
{
	if (gen == 0) {
		snprintf(img, 33, "%s", "7cd084941338484aae1ad9425b84077c");
		snprintf(sub, 33, "%s", "4932caff0ff746eab6f01bf08b70ac45");
		return;
	}
	char seed[64];
	snprintf(seed, sizeof seed, "fakeplatform wbi img %lu", gen);
	md5_hex(seed, img);
	snprintf(seed, sizeof seed, "fakeplatform wbi sub %lu", gen);
	md5_hex(seed, sub);
}

static void stats_reset(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	s->nfaults = 0;
	memset(s->requests, 0, sizeof s->requests);
	s->unauthorized = 0;
	memset(s->npages, 0, sizeof s->npages);
	memset(s->pages_untracked, 0, sizeof s->pages_untracked);
	/* Back to the first WBI keys too: a reset starts a fresh scenario. */
	s->wbi_accepted = s->wbi_rejected = s->wbi_generation = 0;
	s->douyin_search_id_rejected = 0;
	memset(s->view_hits, 0, s->store->feed_n[FEED_BILIBILI] * sizeof *s->view_hits);
	memset(s->extend_hits, 0, s->store->feed_n[FEED_WEIBO] * sizeof *s->extend_hits);
	/* Runtime deletions and growth are forgotten; --deleted-every stays. */
	s->ndeleted = 0;
	for (size_t i = 0; i < s->store->n; i++) {
		s->post_flags[i] &= (unsigned char)~PF_DELETED_RUNTIME;
		s->ndeleted += (s->post_flags[i] & PF_DELETED) != 0;
	}
	counts_restore_locked(s);
	memset(s->cdn, 0, sizeof s->cdn);
	pthread_mutex_unlock(&s->lock);
}

/* {"distinct": posts asked for at least once, "repeats": asks beyond the first} */
static json_t *hits_json(const unsigned long *hits, size_t n)
{
	unsigned long distinct = 0, repeats = 0;
	for (size_t i = 0; i < n; i++) {
		distinct += hits[i] > 0;
		repeats += hits[i] > 1 ? hits[i] - 1 : 0;
	}
	json_t *o = json_object();
	jset(o, "distinct", json_integer((json_int_t)distinct));
	jset(o, "repeats", json_integer((json_int_t)repeats));
	return o;
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
		if (e < EP_MIRROR || s->requests[e])
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
	json_t *wbi = json_object();
	char img[33], sub[33];
	wbi_keys(s->wbi_generation, img, sub);
	jset(wbi, "accepted", json_integer((json_int_t)s->wbi_accepted));
	jset(wbi, "rejected", json_integer((json_int_t)s->wbi_rejected));
	jset(wbi, "generation", json_integer((json_int_t)s->wbi_generation));
	jset(wbi, "img_key", json_string(img));
	jset(wbi, "sub_key", json_string(sub));
	jset(root, "wbi", wbi);
	jset(root, "view", hits_json(s->view_hits, s->store->feed_n[FEED_BILIBILI]));
	jset(root, "extend", hits_json(s->extend_hits, s->store->feed_n[FEED_WEIBO]));
	jset(root, "douyin_search_id_rejected",
	     json_integer((json_int_t)s->douyin_search_id_rejected));
	jset(root, "deleted", json_integer((json_int_t)s->ndeleted));
	json_t *images = json_object();
	for (int c = 0; c < CDN_COUNT; c++) {
		const struct cdn_seen *cs = &s->cdn[c];
		json_t *o = json_object(), *refs = json_array();
		jset(o, "requests", json_integer((json_int_t)cs->requests));
		jset(o, "served", json_integer((json_int_t)cs->served));
		jset(o, "refused", json_integer((json_int_t)cs->refused));
		jset(o, "faults", json_integer((json_int_t)cs->faults));
		for (size_t i = 0; i < cs->nreferers; i++)
			json_array_append_new(refs, jstr(cs->referers[i]));
		jset(o, "referers", refs);
		jset(images, CDN_NAME[c], o);
	}
	jset(root, "images", images);
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
	SEND_PADDED_CHUNKED, /* `imgbig`: the same, chunked: no Content-Length warns the client */
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
	char location[512]; /* `login`: the redirect target */
	const char *header_name, *header_value; /* one more header (static text), or NULL */
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
			else if (r->mode == SEND_PADDED_CHUNKED)
				resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 65536,
									 read_padded, st, stream_free);
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
	if (r->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->header_name)
		MHD_add_response_header(resp, r->header_name, r->header_value);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER, "fakeplatform");
	mhd_result ret = MHD_queue_response(con, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ------------------------------------------------------------ one page */

/* What a feed builder needs to know about the page it renders. */
struct page {
	const struct post *const *list; /* the feed, without deleted posts (bilibili:
					 * after the time filter too) */
	const struct post *const *shown; /* NULL, or the page's posts as served now
					  * (grown counts): [k] for list[start + k],
					  * [items] for the dup */
	size_t n;                       /* posts in list */
	size_t start, items;            /* list[start .. start+items) are on the page */
	size_t size;                    /* page size */
	uint64_t page;                  /* 1-based */
	size_t dup;                     /* list index repeated at the end, or SIZE_MAX */
	size_t bad;                     /* list index with a broken field, or SIZE_MAX */
	enum fault_kind fault;
	const char *keyword;          /* bilibili: the keyword's text without '#' */
	enum weibo_times weibo_times; /* weibo */
	int64_t now;                  /* the server's clock, UTC seconds */
	const char *logid;            /* douyin: this page's extra.logid */
};

/* Post k of the page (k == items is the `dup` repeat); NULL past the end.
 * *pos is its index in pg->list, which deterministic choices key on. */
static const struct post *page_post(const struct page *pg, size_t k, int *bad, int *first,
				    size_t *pos)
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
	*pos = idx;
	return pg->shown ? pg->shown[k] : pg->list[idx];
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

/* -------------------------------------------------- cover URLs */

/*
 * Where a post's cover lives: the image server of its platform, with the
 * URL shapes of captured answers (cited at each feed's builder).  Without
 * --images the URLs name the real servers (https://wx1.sinaimg.cn/...);
 * with it, this server under /img/ followed by the real host and path
 * (http://127.0.0.1:PORT/img/wx1.sinaimg.cn/large/PID.jpg), so that a
 * client downloads them for real (serve_image()).  The picture's type is
 * the post's (cover_type()), and its extension says so as the servers'
 * own do: Weibo JPEG or GIF, Bilibili JPEG or PNG, Douyin JPEG or WebP
 * (the tplv suffix), the feed's CDN any of the four.
 */
enum img_type { IMG_JPEG, IMG_PNG, IMG_WEBP, IMG_GIF, IMG_COUNT };
static const char *const IMG_NAME[IMG_COUNT] = {"jpeg", "png", "webp", "gif"};
static const char *const IMG_MIME[IMG_COUNT] = {"image/jpeg", "image/png", "image/webp", "image/gif"};

/* "http://127.0.0.1:PORT/img/" with --images, else "": set in main() before
 * any thread runs. */
static char image_base[64];

static enum img_type cover_type(enum cdn c, const struct post *p)
{
	uint64_t h = fnv1a_salted("cover-type:", p->post_id);
	switch (c) {
	case CDN_SINAIMG:
		return h % 4 == 0 ? IMG_GIF : IMG_JPEG;
	case CDN_HDSLB:
		return h % 3 == 0 ? IMG_PNG : IMG_JPEG;
	case CDN_DOUYINPIC:
		return h % 2 ? IMG_WEBP : IMG_JPEG;
	default:
		return (enum img_type)(h % IMG_COUNT);
	}
}

static const char *cover_ext(enum img_type t)
{
	static const char *const ext[IMG_COUNT] = {"jpg", "png", "webp", "gif"};
	return ext[t];
}

/* scheme "https:", "http:" or "" (protocol-relative) for the real server. */
static void cdn_url(char *out, size_t n, const char *scheme, const char *host, const char *path)
{
	if (image_base[0])
		snprintf(out, n, "%s%s%s", image_base, host, path);
	else
		snprintf(out, n, "%s//%s%s", scheme, host, path);
}

static void base64(const unsigned char *in, size_t n, char *out)
{
	static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);
		out[o++] = B64[v >> 18 & 63];
		out[o++] = B64[v >> 12 & 63];
		out[o++] = i + 1 < n ? B64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? B64[v & 63] : '=';
	}
	out[o] = '\0';
}

/* Douyin's x-signature of a cover (uri) until expires: 24 characters of
 * base64, as long as the real ones are and, like them, with + / = in it
 * (qsniyg/maxurl#1281 shows `x-signature=TZ3A1QYYKjOnE0zWw757lAX%2B0MQ%3D`). */
static void douyin_signature(const char *uri, int64_t expires, char out[32])
{
	char seed[160], hex[33];
	unsigned char raw[16];
	snprintf(seed, sizeof seed, "fakeplatform douyinpic %s %" PRId64, uri, expires);
	md5_hex(seed, hex);
	for (int i = 0; i < 16; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		raw[i] = (unsigned char)v;
	}
	base64(raw, sizeof raw, out);
}

/* The query part of a signed Douyin cover, percent-encoded as the web API
 * sends it; expires a day and an hour on, on the hour. */
static void douyin_cover_query(const char *uri, int64_t now, char *out, size_t n)
{
	char sig[32];
	struct sbuf b = {0};
	int64_t expires = (now / 3600 + 25) * 3600;
	douyin_signature(uri, expires, sig);
	for (const char *q = sig; *q; q++)
		sb_adds(&b, *q == '+' ? "%2B" : *q == '/' ? "%2F" : *q == '=' ? "%3D" : (char[]){*q, 0});
	snprintf(out, n,
		 "?biz_tag=pcweb_cover&from=3213915784&s=PackSourceEnum_SEARCH&sc=cover&se=false"
		 "&x-expires=%" PRId64 "&x-signature=%s",
		 expires, b.failed ? "" : b.p);
	sb_release(&b);
}

/* A Douyin cover's uri (the md5 of the id) and its URL, signed at now. */
static void douyin_cover(const struct post *p, int64_t now, char uri[33], char *url, size_t n)
{
	char path[400], query[200];
	md5_hex(p->post_id, uri);
	douyin_cover_query(uri, now, query, sizeof query);
	snprintf(path, sizeof path, "/tos-cn-p-0015/%s~%s%s", uri,
		 cover_type(CDN_DOUYINPIC, p) == IMG_WEBP ? "tplv-dy-resize-origshort-autoq-75:330.webp"
							   : "tplv-dy-cropcenter:323:430.jpeg",
		 query);
	cdn_url(url, n, "https:", "p3-pc-sign.douyinpic.com", path);
}

/* The generic feed's cover: its CDN's /cover/{md5 of the id}.{ext}. */
static void feed_cover(const struct post *p, char key[33], char *url, size_t n)
{
	char path[80];
	md5_hex(p->post_id, key);
	snprintf(path, sizeof path, "/cover/%s.%s", key, cover_ext(cover_type(CDN_FEED, p)));
	cdn_url(url, n, "https:", "cdn.kepu-feed.example.cn", path);
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

/* Weibo's display count for a video: "5423次播放", "345.6万次播放" (tenths
 * cut, not rounded), "1.2亿次播放".  stablog's captured page_info has
 * play_count "36万次播放" (YaoZeyuan/stablog src/type/namespace/weibo.d.ts). */
static void weibo_play_text(int64_t v, const char *suffix, char out[64])
{
	if (v < 10000)
		snprintf(out, 64, "%" PRId64 "%s", v, suffix);
	else {
		int64_t unit = v < 100000000 ? 10000 : 100000000;
		const char *u = unit == 10000 ? UTF8_WAN : UTF8_YI;
		int64_t tenths = v / (unit / 10);
		if (tenths % 10)
			snprintf(out, 64, "%" PRId64 ".%" PRId64 "%s%s", tenths / 10, tenths % 10, u,
				 suffix);
		else
			snprintf(out, 64, "%" PRId64 "%s%s", tenths / 10, u, suffix);
	}
}

#define UTF8_CI_BOFANG "\xe6\xac\xa1\xe6\x92\xad\xe6\x94\xbe" /* 次播放 */
#define UTF8_CI_GUANKAN "\xe6\xac\xa1\xe8\xa7\x82\xe7\x9c\x8b" /* 次观看 */

/*
 * created_at as m.weibo.cn prints it (--weibo-times).  absolute is the API's
 * `Tue Sep 02 10:15:00 +0800 2025`; relative is what the mobile site shows
 * relative to now in +08:00: 刚刚 (under 60 s), N分钟前 (under 60 min),
 * N小时前 (same day), 昨天 HH:MM, MM-DD (same year), YYYY-MM-DD.  These are
 * the forms dataabc/weibo-crawler's standardize_date() (weibo.py) and
 * stablog's TypeMblog.created_at ('09-08' | string) handle.  mixed takes the
 * relative form for even feed positions and the absolute one for odd ones,
 * and prints same-day posts at positions 0, 4, 8, ... as 今天 HH:MM.  A post
 * newer than the clock (the data is not live) is 今天 HH:MM when it is today,
 * else MM-DD or YYYY-MM-DD.
 */
static void weibo_time(enum weibo_times mode, int64_t t, size_t pos, int64_t now, char out[48])
{
	if (mode == WT_ABSOLUTE || (mode == WT_MIXED && pos % 2 == 1)) {
		format_weibo_time(t, out);
		return;
	}
	struct tm tt, tn;
	cst_tm(t, &tt);
	cst_tm(now, &tn);
	int64_t day_t = (t + CST_OFFSET) / 86400, day_n = (now + CST_OFFSET) / 86400;
	int64_t age = now - t;
	int today_form = mode == WT_MIXED && pos % 4 == 0;
	if (age >= 0 && age < 60 && !today_form)
		snprintf(out, 48, "\xe5\x88\x9a\xe5\x88\x9a"); /* 刚刚 */
	else if (age >= 0 && age < 3600 && !today_form)
		snprintf(out, 48, "%" PRId64 "\xe5\x88\x86\xe9\x92\x9f\xe5\x89\x8d", age / 60); /* 分钟前 */
	else if (day_t == day_n && age >= 0 && !today_form)
		snprintf(out, 48, "%" PRId64 "\xe5\xb0\x8f\xe6\x97\xb6\xe5\x89\x8d", age / 3600); /* 小时前 */
	else if (day_t == day_n)
		snprintf(out, 48, "\xe4\xbb\x8a\xe5\xa4\xa9 %02d:%02d", tt.tm_hour, tt.tm_min); /* 今天 */
	else if (day_t == day_n - 1)
		snprintf(out, 48, "\xe6\x98\xa8\xe5\xa4\xa9 %02d:%02d", tt.tm_hour, tt.tm_min); /* 昨天 */
	else if (tt.tm_year == tn.tm_year)
		snprintf(out, 48, "%02d-%02d", tt.tm_mon + 1, tt.tm_mday);
	else
		snprintf(out, 48, "%04d-%02d-%02d", tt.tm_year + 1900, tt.tm_mon + 1, tt.tm_mday);
}

/* The first n code points of s, as a new string (NULL when out of memory). */
static char *utf8_prefix(const char *s, size_t n)
{
	size_t i = 0, seen = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && seen++ == n)
			break;
	}
	char *out = malloc(i + 1);
	if (out) {
		memcpy(out, s, i);
		out[i] = '\0';
	}
	return out;
}

/* Posts longer than this many characters are cut in the search results and
 * served whole by /statuses/extend (m.weibo.cn's isLongText). */
#define WEIBO_LONG_CHARS 140
#define WEIBO_CUT_CHARS 100

static int weibo_is_long(const struct post *p) { return p->text_chars > WEIBO_LONG_CHARS; }

/*
 * One post in five ends with the [赞] face, as m.weibo.cn renders an emoticon:
 * `<span class="url-icon"><img alt="[赞]" src="…/2018new_zan_org.png"
 * style="width:1em; height:1em;" /></span>`.  Captures show the alt both
 * quoted and bare (`<img alt=[good] src=…`), so both are served, alternately;
 * the file e6/2018new_zan_org.png is the [赞] face in Sina's emoticon lists
 * (several captured `expression/ext/normal/e6/2018new_zan_org.png`).
 */
static const char *weibo_emoji(const struct post *p)
{
	uint64_t h = fnv1a_salted("emoji:", p->post_id);
	if (h % 5 != 0)
		return NULL;
	return (h / 5) % 2 == 0
		       ? "<span class=\"url-icon\"><img alt=\"[\xe8\xb5\x9e]\" "
			 "src=\"https://face.t.sinajs.cn/t4/appstyle/expression/ext/normal/e6/"
			 "2018new_zan_org.png\" style=\"width:1em; height:1em;\" /></span>"
		       : "<span class=\"url-icon\"><img alt=[\xe8\xb5\x9e] "
			 "src=\"https://face.t.sinajs.cn/t4/appstyle/expression/ext/normal/e6/"
			 "2018new_zan_org.png\" style=\"width:1em; height:1em;\" /></span>";
}

/* The whole text as HTML, with the face when the post has one: what
 * longTextContent holds, and text for a post that is not long.  The caller
 * frees it (NULL when out of memory). */
static char *weibo_full_html(const struct post *p)
{
	char *html = weibo_html(p->text);
	const char *emoji = weibo_emoji(p);
	if (html == NULL || emoji == NULL)
		return html;
	struct sbuf b = {0};
	sb_adds(&b, html);
	sb_adds(&b, emoji);
	free(html);
	if (b.failed) {
		sb_release(&b);
		return NULL;
	}
	return b.p;
}

/* text of a long post in the search results: the first 100 characters as
 * HTML, then `...<a href="/status/ID">全文</a>`, the link captured in
 * m.weibo.cn texts (e.g. `摘要...<a href="/status/…">全文</a>`). */
static char *weibo_cut_html(const struct post *p)
{
	char *cut = utf8_prefix(p->text, WEIBO_CUT_CHARS);
	char *html = cut ? weibo_html(cut) : NULL;
	free(cut);
	if (html == NULL)
		return NULL;
	struct sbuf b = {0};
	sb_adds(&b, html);
	sb_adds(&b, "...<a href=\"/status/");
	html_escape(&b, p->post_id, strlen(p->post_id));
	sb_adds(&b, "\">\xe5\x85\xa8\xe6\x96\x87</a>"); /* 全文 */
	free(html);
	if (b.failed) {
		sb_release(&b);
		return NULL;
	}
	return b.p;
}

/* An image id like Sina's pids (`4a37a6a7ly1g6vveetdpxj20e10ipgo9`): 8 hex
 * digits of the author, "ly1h", 20 base-36 characters of the post. */
static void weibo_pid(const struct post *p, unsigned n, char out[40])
{
	static const char B36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char salt[24];
	snprintf(salt, sizeof salt, "pic%u:", n);
	uint64_t h1 = fnv1a_salted(salt, p->post_id);
	snprintf(salt, sizeof salt, "picb%u:", n);
	uint64_t h2 = fnv1a_salted(salt, p->post_id);
	int w = snprintf(out, 40, "%08" PRIx64 "ly1h", fnv1a(p->author_id) & 0xffffffffu);
	for (int i = 0; i < 20 && w + i < 39; i++) {
		uint64_t *h = i < 10 ? &h1 : &h2;
		out[w + i] = B36[*h % 36];
		*h /= 36;
	}
	out[w + 20] = '\0';
}

/*
 * Media, as m.weibo.cn's mblog carries it (shapes captured in stablog's
 * weibo.d.ts TypePageInfo and TypenWeiboRecord_Pic, and the issue
 * YaoZeyuan/stablog#1): a post whose views count is known is a video and
 * gets page_info {type video, page_pic, play_count}; that is the only place
 * its views appear.  play_count is "N次播放" / "N.N万次播放", for one video
 * in four "…次观看", and for one in four a plain integer.  Of the others,
 * one in three is an image post with pics[] (1 to 3 pictures).
 */
static void weibo_media(json_t *m, const struct post *p, int strc)
{
	int64_t views;
	uint64_t h = fnv1a_salted("media:", p->post_id);
	if (count_value(p->counts[C_VIEWS], &views)) {
		json_t *pi = json_object(), *pic = json_object();
		char pid[40], url[160], play[64];
		char path[80];
		weibo_pid(p, 0, pid);
		snprintf(path, sizeof path, "/orj480/%s.%s", pid, cover_ext(cover_type(CDN_SINAIMG, p)));
		cdn_url(url, sizeof url, "https:", "wx1.sinaimg.cn", path);
		jset(pic, "url", jstr(url));
		jset(pi, "type", jstr("video"));
		jset(pi, "page_pic", pic);
		switch (strc ? 0 : h % 4) {
		case 3:
			jset(pi, "play_count", json_integer(views));
			break;
		case 2:
			weibo_play_text(views, UTF8_CI_GUANKAN, play);
			jset(pi, "play_count", jstr(play));
			break;
		default:
			weibo_play_text(views, UTF8_CI_BOFANG, play);
			jset(pi, "play_count", jstr(play));
		}
		jset(m, "page_info", pi);
		jset(m, "pic_num", json_integer(0));
		return;
	}
	if (h % 3 != 0) {
		jset(m, "pic_num", json_integer(0));
		return;
	}
	unsigned npics = (unsigned)(h / 3 % 3) + 1;
	json_t *pics = json_array();
	for (unsigned i = 0; i < npics; i++) {
		json_t *o = json_object(), *large = json_object();
		char pid[40], url[160], path[80];
		const char *ext = cover_ext(cover_type(CDN_SINAIMG, p));
		weibo_pid(p, i, pid);
		jset(o, "pid", jstr(pid));
		snprintf(path, sizeof path, "/orj360/%s.%s", pid, ext);
		cdn_url(url, sizeof url, "https:", "wx1.sinaimg.cn", path);
		jset(o, "url", jstr(url));
		jset(o, "size", jstr("orj360"));
		snprintf(path, sizeof path, "/large/%s.%s", pid, ext);
		cdn_url(url, sizeof url, "https:", "wx1.sinaimg.cn", path);
		jset(large, "size", jstr("large"));
		jset(large, "url", jstr(url));
		jset(o, "large", large);
		json_array_append_new(pics, o);
	}
	jset(m, "pic_num", json_integer(npics));
	jset(m, "pics", pics);
}

static json_t *weibo_user(const char *id, const char *name, const char *location)
{
	json_t *user = json_object();
	int64_t uid;
	jset(user, "id", parse_id_int(id, &uid) == 0 ? json_integer(uid) : jstr(id));
	jset(user, "screen_name", jstr(name));
	if (location)
		jset(user, "location", jstr(location));
	return user;
}

/* The post itself, as an mblog.  pad: the oversize marker in place of text. */
static json_t *weibo_original(const struct page *pg, const struct post *p, size_t pos, int bad,
			      int pad)
{
	json_t *m = json_object();
	int strc = pg->fault == FK_STRCOUNTS;
	char when[48];
	jset(m, "id", jstr(p->post_id));
	jset(m, "mid", jstr(p->post_id));
	int is_long = weibo_is_long(p);
	if (pad)
		jset(m, "text", jstr(PAD_MARKER));
	else {
		char *html = is_long ? weibo_cut_html(p) : weibo_full_html(p);
		jset(m, "text", jstr(html ? html : p->text));
		free(html);
	}
	jset(m, "isLongText", json_boolean(is_long));
	weibo_time(pg->weibo_times, p->created, pos, pg->now, when);
	/* A date no parser may accept: badpost's broken field (刚刚 is a real
	 * relative time now). */
	jset(m, "created_at", jstr(bad ? "Tue Sep 31 25:61:00 +0800 2025" : when));
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
	jset(m, "user", weibo_user(p->author_id, p->author_name, p->author_location));
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
	weibo_media(m, p, strc);
	return m;
}

/*
 * The short quote a repost carries of p: its first 20 characters once every
 * 千万IP创科普 (any case) and every '#'/'＃' is taken out and line breaks are
 * blanks, so that the quote alone never holds the campaign tag.  The caller
 * frees it.
 */
static char *repost_quote(const struct post *p)
{
	struct sbuf b = {0};
	const char *s = p->text;
	size_t tag = strlen(CAMPAIGN_TAG);
	sb_add(&b, "", 0);
	while (*s) {
		size_t i = 0;
		while (i < tag && s[i] &&
		       ascii_lower((unsigned char)s[i]) == ascii_lower((unsigned char)CAMPAIGN_TAG[i]))
			i++;
		if (i == tag) {
			s += tag;
			continue;
		}
		if (*s == '#' || *s == '\n' || *s == '\r') {
			if (*s != '#')
				sb_adds(&b, " ");
			s++;
			continue;
		}
		if (!strncmp(s, "\xef\xbc\x83", 3)) { /* ＃ */
			s += 3;
			continue;
		}
		size_t n = 1;
		while (((unsigned char)s[n] & 0xC0) == 0x80)
			n++;
		sb_add(&b, s, n);
		s += n;
	}
	if (b.failed) {
		sb_release(&b);
		return NULL;
	}
	const char *start = b.p + strspn(b.p, " ");
	char *out = utf8_prefix(start, 20);
	sb_release(&b);
	return out;
}

/* The repost's id: the original's digits with a 7 after them (id*10+7 for a
 * numeric id), beyond 2^53 for a 16-digit Weibo id, so always a string. */
static void repost_id(const struct post *p, char *out, size_t n)
{
	snprintf(out, n, "%s7", p->post_id);
}

/*
 * What m.weibo.cn shows in place of the repost_no-th repost-marked post: a
 * repost of it by another account, `转发微博 //@AUTHOR:QUOTE` (the
 * //<a href='/n/NAME'>@NAME</a> form of captured reposts, stablog
 * new_weibo_api_com.d.ts), with the whole original in retweeted_status.
 * Every second repost (repost_no odd) quotes the tag in its chain
 * (`//@AUTHOR:#千万IP创科普# …`), the others do not.  The repost is 300 s
 * younger than the original.  A correct client keeps the original (from
 * retweeted_status) and not the repost.
 */
static json_t *weibo_repost(const struct page *pg, const struct post *p, size_t pos, int bad,
			    int pad)
{
	json_t *m = json_object();
	char id[64], when[48], uidtxt[32], name[64];
	repost_id(p, id, sizeof id);
	jset(m, "id", jstr(id));
	jset(m, "mid", jstr(id));
	uint64_t h = fnv1a_salted("reposter:", p->post_id);
	snprintf(uidtxt, sizeof uidtxt, "%" PRIu64, (uint64_t)(6000000000ull + h % 1000000000ull));
	snprintf(name, sizeof name, "\xe7\xa7\x91\xe6\x99\xae\xe6\x90\xac\xe8\xbf\x90\xe5\xb7\xa5%04u",
		 (unsigned)(h % 10000)); /* 科普搬运工NNNN */
	if (pad)
		jset(m, "text", jstr(PAD_MARKER));
	else {
		struct sbuf b = {0};
		char *quote = repost_quote(p);
		struct sbuf qtext = {0};
		if (p->repost_no % 2 == 1)
			sb_adds(&qtext, "#" CAMPAIGN_TAG "# ");
		sb_adds(&qtext, quote ? quote : "");
		char *qhtml = qtext.failed ? NULL : weibo_html(qtext.p ? qtext.p : "");
		sb_adds(&b, "\xe8\xbd\xac\xe5\x8f\x91\xe5\xbe\xae\xe5\x8d\x9a //<a href='/n/"); /* 转发微博 */
		html_escape(&b, p->author_name, strlen(p->author_name));
		sb_adds(&b, "'>@");
		html_escape(&b, p->author_name, strlen(p->author_name));
		sb_adds(&b, "</a>:");
		sb_adds(&b, qhtml ? qhtml : "");
		jset(m, "text", jstr(b.failed ? "" : b.p));
		free(quote);
		free(qhtml);
		sb_release(&qtext);
		sb_release(&b);
	}
	jset(m, "isLongText", json_false());
	weibo_time(pg->weibo_times, p->created + 300, pos, pg->now, when);
	jset(m, "created_at", jstr(when));
	jset(m, "reposts_count", json_integer(0));
	jset(m, "comments_count", json_integer((json_int_t)(h >> 20) % 3));
	jset(m, "attitudes_count", json_integer((json_int_t)(h >> 30) % 10));
	jset(m, "user", weibo_user(uidtxt, name, NULL));
	jset(m, "pic_num", json_integer(0));
	jset(m, "retweeted_status", weibo_original(pg, p, pos, bad, 0));
	return m;
}

static json_t *weibo_mblog(const struct page *pg, const struct post *p, size_t pos, int bad,
			   int first)
{
	int pad = pg->fault == FK_OVERSIZE && first;
	return p->repost_no >= 0 ? weibo_repost(pg, p, pos, bad, pad)
				 : weibo_original(pg, p, pos, bad, pad);
}

/*
 * A search page: cards[] of card_type 9 holding an mblog.  card_type is the
 * number 9, and for every third post (feed positions 2, 5, 8, ...) the
 * string "9": clients filter with `card_type == 9` (MediaCrawler
 * media_platform/weibo/client.py) and a typed one must take both.  Pages 2,
 * 6, 10, ... nest their cards in a card_type 11 card's card_group, as the real
 * search does (dataabc-style loops over card_group).
 */
static json_t *weibo_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_object(), *cards = json_array();
	if (pg->items == 0) {
		/* The real answer past the last page, and to a search with no
		 * result (captured in dataabc/weibo-crawler#578, stablog's
		 * TypeWeiboListResponse). */
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
	size_t pos;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first, &pos)) != NULL; k++) {
		json_t *card = json_object();
		jset(card, "card_type", pos % 3 == 2 ? jstr("9") : json_integer(9));
		jset(card, "itemid", jstr(""));
		if (p->repost_no >= 0) {
			/* The card links the repost, not the original. */
			char id[64], url[96];
			repost_id(p, id, sizeof id);
			snprintf(url, sizeof url, "https://m.weibo.cn/detail/%s", id);
			jset(card, "scheme", jstr(url));
		} else
			jset(card, "scheme", jstr(p->url));
		jset(card, "mblog", weibo_mblog(pg, p, pos, bad, first));
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

/* aid from the bvid, so the same video always has the same aid. */
static int64_t bili_aid(const struct post *p)
{
	return (int64_t)(fnv1a(p->post_id) % 1000000000000ull) + 1;
}

static int64_t bili_mid(const struct post *p)
{
	int64_t mid;
	if (parse_id_int(p->author_id, &mid) < 0)
		mid = (int64_t)(fnv1a(p->author_id) % 10000000000ull) + 1;
	return mid;
}

/* Cover: `i0.hdslb.com/bfs/archive/<40 hex>.jpg` (or .png), as in the
 * captured search results (`"pic": "//i2.hdslb.com/bfs/archive/5347….jpg"`,
 * docs/search/search_request.md) and view answers.  scheme "" gives the
 * search form.  key: the 40 hex digits. */
static void bili_cover_key(const struct post *p, char key[41])
{
	char a[33], b[33], seed[160];
	md5_hex(p->post_id, a);
	snprintf(seed, sizeof seed, "cover:%s", p->post_id);
	md5_hex(seed, b);
	snprintf(key, 41, "%s%.8s", a, b);
}

static void bili_pic(const struct post *p, const char *scheme, char out[160])
{
	char key[41], path[80];
	bili_cover_key(p, key);
	snprintf(path, sizeof path, "/bfs/archive/%s.%s", key, cover_ext(cover_type(CDN_HDSLB, p)));
	cdn_url(out, 160, scheme, "i0.hdslb.com", path);
}

static int64_t bili_danmaku(const struct post *p)
{
	return (int64_t)((fnv1a(p->post_id) >> 20) % 40);
}

/*
 * Search results lag behind the video page: play, like, favorites and
 * review are 98% of the true count, rounded down, and only the view
 * endpoint has the file's values.  A model of the search index being
 * refreshed less often than the archive's stat, so that a client which
 * takes its counts from /view stores exactly the data file's numbers.
 */
#define BILI_LAG_PERCENT 98

static json_t *bili_lagged(const json_t *v, int strc)
{
	int64_t n;
	if (!count_value(v, &n))
		n = 0;
	n = n / 100 * BILI_LAG_PERCENT + n % 100 * BILI_LAG_PERCENT / 100;
	return strc ? count_display(n) : json_integer(n);
}

static json_t *bili_item(const struct page *pg, const struct post *p, int bad, int first)
{
	json_t *o = json_object();
	int strc = pg->fault == FK_STRCOUNTS;
	int64_t aid = bili_aid(p);
	char pic[160];
	jset(o, "type", jstr("video"));
	jset(o, "id", json_integer(aid));
	jset(o, "aid", json_integer(aid));
	jset(o, "bvid", jstr(p->post_id));
	jset(o, "arcurl", jstr(p->url));
	jset(o, "title", bili_title(p->title ? p->title : "", pg->keyword));
	jset(o, "description", jstr(text_or_pad(pg, first, p->text)));
	jset(o, "author", jstr(p->author_name));
	jset(o, "mid", json_integer(bili_mid(p)));
	bili_pic(p, "", pic);
	jset(o, "pic", jstr(pic));
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
	jset(o, "play", bili_lagged(p->counts[C_VIEWS], strc));
	jset(o, "like", bili_lagged(p->counts[C_LIKES], strc));
	jset(o, "favorites", bili_lagged(p->counts[C_FAVORITES], strc));
	jset(o, "review", bili_lagged(p->counts[C_COMMENTS], strc));
	int64_t danmaku = bili_danmaku(p);
	jset(o, "video_review", strc ? count_display(danmaku) : json_integer(danmaku));
	return o;
}

static json_t *bili_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_object(), *result = json_array();
	const struct post *p;
	int bad, first;
	size_t pos;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first, &pos)) != NULL; k++)
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

/* A count as the view endpoint has it: the file's value, unknown as 0. */
static json_t *bili_true(const json_t *v)
{
	int64_t n;
	return json_integer(count_value(v, &n) ? n : 0);
}

/*
 * /x/web-interface/view?bvid=: the video page's data, as documented in
 * bilibili-API-collect docs/video/info.md (bvid, aid, title, desc, pic,
 * pubdate, ctime, owner {mid, name, face}, stat {aid, view, danmaku, reply,
 * favorite, coin, share, now_rank, his_rank, like, dislike}).  The counts are
 * the data file's; coin, which the file lacks, is likes / 3.
 */
static json_t *bili_view(const struct post *p)
{
	json_t *root = json_object(), *data = json_object(), *owner = json_object(),
	       *stat = json_object();
	int64_t aid = bili_aid(p), likes = 0;
	char pic[160];
	jset(data, "bvid", jstr(p->post_id));
	jset(data, "aid", json_integer(aid));
	jset(data, "videos", json_integer(1));
	jset(data, "copyright", json_integer(1));
	bili_pic(p, "http:", pic);
	jset(data, "pic", jstr(pic));
	jset(data, "title", jstr(p->title ? p->title : ""));
	jset(data, "pubdate", json_integer(p->created));
	jset(data, "ctime", json_integer(p->created));
	jset(data, "desc", jstr(p->text));
	jset(data, "state", json_integer(0));
	jset(owner, "mid", json_integer(bili_mid(p)));
	jset(owner, "name", jstr(p->author_name));
	jset(owner, "face", jstr("https://i0.hdslb.com/bfs/face/member/noface.jpg"));
	jset(data, "owner", owner);
	count_value(p->counts[C_LIKES], &likes);
	jset(stat, "aid", json_integer(aid));
	jset(stat, "view", bili_true(p->counts[C_VIEWS]));
	jset(stat, "danmaku", json_integer(bili_danmaku(p)));
	jset(stat, "reply", bili_true(p->counts[C_COMMENTS]));
	jset(stat, "favorite", bili_true(p->counts[C_FAVORITES]));
	jset(stat, "coin", json_integer(likes / 3));
	jset(stat, "share", bili_true(p->counts[C_SHARES]));
	jset(stat, "now_rank", json_integer(0));
	jset(stat, "his_rank", json_integer(0));
	jset(stat, "like", bili_true(p->counts[C_LIKES]));
	jset(stat, "dislike", json_integer(0));
	jset(data, "stat", stat);
	jset(root, "code", json_integer(0));
	jset(root, "message", jstr("0"));
	jset(root, "ttl", json_integer(1));
	jset(root, "data", data);
	return root;
}

/*
 * What a WBI-signed endpoint answers to a missing or wrong signature:
 * HTTP 200 {"code":0,"message":"0","ttl":1,"data":{"v_voucher":"voucher_…"}}
 * (docs/misc/sign/wbi.md), or with code -352 风控校验失败 when risk control
 * trips (docs/misc/sign/v_voucher.md: "voucher_" and a lowercase UUID).
 */
static json_t *bili_voucher(int code, const char *seed)
{
	json_t *root = json_object(), *data = json_object();
	char uuid[37], v[48];
	uuid_from(seed, 0, uuid);
	snprintf(v, sizeof v, "voucher_%s", uuid);
	jset(data, "v_voucher", jstr(v));
	jset(root, "code", json_integer(code));
	jset(root, "message", jstr(code == 0 ? "0"
					     : "\xe9\xa3\x8e\xe6\x8e\xa7\xe6\xa0\xa1\xe9\xaa\x8c"
					       "\xe5\xa4\xb1\xe8\xb4\xa5")); /* 风控校验失败 */
	jset(root, "ttl", json_integer(1));
	jset(root, "data", data);
	return root;
}

/* /x/web-interface/nav without a login: code -101 账号未登录, and the WBI keys
 * disguised as image URLs (docs/login/login_info.md, docs/misc/sign/wbi.md). */
static json_t *bili_nav(unsigned long gen)
{
	json_t *root = json_object(), *data = json_object(), *img = json_object();
	char ik[33], sk[33], url[96];
	wbi_keys(gen, ik, sk);
	snprintf(url, sizeof url, "https://i0.hdslb.com/bfs/wbi/%s.png", ik);
	jset(img, "img_url", jstr(url));
	snprintf(url, sizeof url, "https://i0.hdslb.com/bfs/wbi/%s.png", sk);
	jset(img, "sub_url", jstr(url));
	jset(data, "isLogin", json_false());
	jset(data, "wbi_img", img);
	jset(root, "code", json_integer(-101));
	jset(root, "message", jstr("\xe8\xb4\xa6\xe5\x8f\xb7\xe6\x9c\xaa\xe7\x99\xbb\xe5\xbd\x95")); /* 账号未登录 */
	jset(root, "ttl", json_integer(1));
	jset(root, "data", data);
	return root;
}

/* /x/frontend/finger/spi: a visitor's buvid3 and buvid4 (docs/misc/buvid3_4.md:
 * b_3 an uppercase UUID, 5 digits and "infoc"; b_4 an uppercase UUID, digits
 * and a base64 tail).  Always the same pair here. */
static json_t *bili_spi(void)
{
	json_t *root = json_object(), *data = json_object();
	char u3[37], u4[37], v[128];
	uuid_from("fakeplatform buvid3", 1, u3);
	uuid_from("fakeplatform buvid4", 1, u4);
	snprintf(v, sizeof v, "%s25090infoc", u3);
	jset(data, "b_3", jstr(v));
	snprintf(v, sizeof v, "%s25090-025090100-ZmFrZXBsYXRmb3JtYnV2aWQ0", u4);
	jset(data, "b_4", jstr(v));
	jset(root, "code", json_integer(0));
	jset(root, "data", data);
	jset(root, "message", jstr("ok"));
	return root;
}

/* -------------------------------------------------- douyin */

/*
 * One aweme_info of the web search (shape as MediaCrawler's
 * media_platform/douyin consumes it, and erma0/douyin's parser: aweme_id,
 * desc, create_time, author, statistics, text_extra, video.cover.url_list,
 * aweme_type 0 for a video).  statistics.play_count is always 0: the web API
 * hides plays, so a client cannot learn views from Douyin search.
 */
static json_t *douyin_aweme(const struct page *pg, const struct post *p, int bad, int first)
{
	json_t *a = json_object(), *author = json_object(), *stats = json_object(),
	       *extra = json_array(), *video = json_object(), *cover = json_object(),
	       *urls = json_array();
	int strc = pg->fault == FK_STRCOUNTS;
	char url[512], h[33];
	jset(a, "aweme_id", jstr(p->post_id));
	jset(a, "aweme_type", json_integer(0));
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
	jset(stats, "play_count", strc ? count_display(0) : json_integer(0));
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
	douyin_cover(p, pg->now, h, url, sizeof url);
	json_array_append_new(urls, jstr(url));
	jset(cover, "uri", jstr(h));
	jset(cover, "url_list", urls);
	jset(video, "cover", cover);
	jset(video, "duration", json_integer((json_int_t)(fnv1a(p->post_id) % 170000) + 10000));
	jset(a, "video", video);
	return a;
}

/* Card types of the general search: 1 a work, 16 a mix (合集) whose works are
 * in aweme_mix_info.mix_items, 4 a user card (erma0/douyin douyin.py: "1作品
 * 16合集 76百科 77头条文章 996热榜 997微头条"; MediaCrawler reads
 * aweme_info or aweme_mix_info.mix_items). */
#define DOUYIN_CARD_WORK 1
#define DOUYIN_CARD_USER 4
#define DOUYIN_CARD_MIX 16

/* A user card, which holds no work and which a client must skip. */
static json_t *douyin_user_card(size_t pos)
{
	json_t *card = json_object(), *list = json_array(), *u = json_object(),
	       *info = json_object();
	char uid[32], name[64], sec[64], h[33], seed[32];
	snprintf(seed, sizeof seed, "user-card:%zu", pos);
	md5_hex(seed, h);
	snprintf(uid, sizeof uid, "%" PRIu64,
		 (uint64_t)(90000000000ull + fnv1a(seed) % 9000000000ull));
	snprintf(name, sizeof name, "\xe7\xa7\x91\xe6\x99\xae\xe8\xbe\xbe\xe4\xba\xba%zu", pos); /* 科普达人 */
	snprintf(sec, sizeof sec, "MS4wLjABAAAA%s", h);
	jset(info, "uid", jstr(uid));
	jset(info, "sec_uid", jstr(sec));
	jset(info, "nickname", jstr(name));
	jset(info, "follower_count", json_integer((json_int_t)(fnv1a(h) % 100000)));
	jset(u, "user_info", info);
	jset(u, "items", json_array());
	json_array_append_new(list, u);
	jset(card, "type", json_integer(DOUYIN_CARD_USER));
	jset(card, "card_unique_name", jstr("user"));
	jset(card, "user_list", list);
	return card;
}

/* extra and log_pb of every answer: the logid doubles as the next page's
 * search_id (MediaCrawler's douyin core: dy_search_id = extra.logid; the
 * captured `"extra":{"fatal_item_ids":[],"logid":"2023…","now":1679145048000}`
 * has now in milliseconds). */
static void douyin_extra(json_t *root, const struct page *pg)
{
	json_t *extra = json_object(), *logpb = json_object();
	jset(extra, "fatal_item_ids", json_array());
	jset(extra, "logid", jstr(pg->logid));
	jset(extra, "now", json_integer(pg->now * 1000));
	jset(root, "extra", extra);
	jset(logpb, "impr_id", jstr(pg->logid));
	jset(root, "log_pb", logpb);
}

/*
 * A page: cards of type 1 with aweme_info; where two works at feed positions
 * 8 and 9 (18 and 19, 28 and 29, ...: every fifth pair) are both on the page
 * they come as one mix card of type 16 holding both; before the works at
 * positions 5, 18, 31, ... (every 13th) a user card.  has_more and cursor
 * count works only.
 */
static json_t *douyin_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_array();
	const struct post *p;
	int bad, first;
	size_t pos;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first, &pos)) != NULL; k++) {
		if (k < pg->items && pos % 13 == 5)
			json_array_append_new(data, douyin_user_card(pos));
		json_t *card = json_object();
		if (k + 1 < pg->items && pos % 10 == 8) {
			json_t *mix = json_object(), *items = json_array(), *mi = json_object();
			int bad2, first2;
			size_t pos2;
			const struct post *q = page_post(pg, k + 1, &bad2, &first2, &pos2);
			json_array_append_new(items, douyin_aweme(pg, p, bad, first));
			json_array_append_new(items, douyin_aweme(pg, q, bad2, first2));
			char mid[32];
			snprintf(mid, sizeof mid, "%" PRIu64,
				 (uint64_t)(7000000000000000000ull +
					    fnv1a(p->post_id) % 1000000000000000000ull));
			jset(mi, "mix_id", jstr(mid));
			jset(mi, "mix_name", jstr("\xe7\xa7\x91\xe6\x99\xae\xe5\x90\x88\xe9\x9b\x86")); /* 科普合集 */
			jset(mix, "mix_info", mi);
			jset(mix, "mix_items", items);
			jset(card, "type", json_integer(DOUYIN_CARD_MIX));
			jset(card, "card_unique_name", jstr("aweme_mix"));
			jset(card, "aweme_mix_info", mix);
			k++;
		} else {
			jset(card, "type", json_integer(DOUYIN_CARD_WORK));
			jset(card, "card_unique_name", jstr("video"));
			jset(card, "aweme_info", douyin_aweme(pg, p, bad, first));
		}
		json_array_append_new(data, card);
	}
	jset(root, "status_code", json_integer(0));
	jset(root, "data", data);
	jset(root, "has_more", json_integer(pg->start + pg->items < pg->n));
	jset(root, "cursor", json_integer((json_int_t)(pg->start + pg->items)));
	if (pg->n == 0) {
		/* A search without results says so (captured as "no_result" in
		 * client tests that tell it from verify_check). */
		json_t *nil = json_object();
		jset(nil, "search_nil_type", jstr("no_result"));
		jset(nil, "search_nil_item", jstr("no_result"));
		jset(root, "search_nil_info", nil);
	}
	douyin_extra(root, pg);
	return root;
}

/*
 * Douyin's soft refusals: HTTP 200, status_code 0, no data, and
 * search_nil_info saying why.  Captured: {"search_nil_type":"verify_check",
 * "is_load_more":"first_flush","search_nil_item":"verify_check","text_type":9}
 * (a slider captcha; test fixture of a MediaCrawler fork, and many clients
 * check verify_check), {"search_nil_type":"params_check","search_nil_item":
 * "invalid_app","text_type":60,"is_load_more":"first_flush"} (aiview's
 * captured search output).  antispam_check is the third type clients test
 * for; its item and text_type here are guesses.
 */
static json_t *douyin_nil(const struct page *pg, const char *type, const char *item,
			  int text_type)
{
	json_t *root = json_object(), *nil = json_object();
	jset(root, "status_code", json_integer(0));
	jset(root, "data", json_array());
	jset(root, "has_more", json_integer(0));
	jset(root, "cursor", json_integer(0));
	jset(nil, "search_nil_type", jstr(type));
	jset(nil, "search_nil_item", jstr(item));
	jset(nil, "is_load_more", jstr(pg->start == 0 ? "first_flush" : "load_more"));
	jset(nil, "text_type", json_integer(text_type));
	jset(root, "search_nil_info", nil);
	douyin_extra(root, pg);
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
	/* media_type: "video" when the views are known, else "image" for half
	 * of the posts and "text" for the rest; cover a URL, null for text. */
	int64_t views;
	const char *media = count_value(p->counts[C_VIEWS], &views) ? "video"
			    : fnv1a_salted("media:", p->post_id) % 2 ? "image"
								     : "text";
	jset(o, "media_type", jstr(media));
	if (strcmp(media, "text")) {
		char h[33], url[160];
		feed_cover(p, h, url, sizeof url);
		jset(o, "cover", jstr(url));
	} else
		jset(o, "cover", json_null());
	return o;
}

static json_t *generic_page(const struct page *pg)
{
	json_t *root = json_object(), *data = json_object(), *list = json_array();
	const struct post *p;
	int bad, first;
	size_t pos;
	for (size_t k = 0; (p = page_post(pg, k, &bad, &first, &pos)) != NULL; k++)
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

/* An error page as the platforms' nginx/Tengine edges send it. */
static const char EDGE_403[] = "<html>\r\n"
			       "<head><title>403 Forbidden</title></head>\r\n"
			       "<body>\r\n"
			       "<center><h1>403 Forbidden</h1></center>\r\n"
			       "<hr><center>Tengine</center>\r\n"
			       "</body>\r\n"
			       "</html>\r\n";

/*
 * The platform-level refusals of a search page.  1 when r holds one.
 *   432      HTTP 432 and an empty body: m.weibo.cn's answer to a missing or
 *            weak cookie ("432 Client Error" in dataabc/weibo-crawler#584,
 *            #592; "432 No Reason Phrase", DIYgod/RSSHub#20512).
 *   login    HTTP 302 to the platform's login page; for Weibo the visitor
 *            passport (passport.weibo.com/visitor/visitor?entry=miniblog&
 *            a=enter&url=…, the target of the blocked body above; the 302s of
 *            nghuyong/WeiboSpider#342).
 *   403      bilibili: {"code":-403,"message":"访问权限不足","ttl":1} in a 200
 *            (docs/misc/errcode.md, docs/video/info.md); others: HTTP 403
 *            with an HTML page from the edge.
 *   401      bilibili: {"code":-401,"message":"非法访问","ttl":1} in a 200
 *            (errcode.md: -401 未认证 (或非法请求)).
 *   352      bilibili: code -352 风控校验失败 with a v_voucher, in a 200
 *            (docs/misc/sign/v_voucher.md).
 *   voucher  bilibili: the v_voucher answer although the signature is right.
 */
static int reply_refusal(struct reply *r, enum feed f, enum fault_kind k, uint64_t page)
{
	char seed[64];
	switch (k) {
	case FK_432:
		reply_text(r, 432, NULL, "");
		return 1;
	case FK_LOGIN:
		reply_text(r, 302, "text/html", "");
		if (f == FEED_WEIBO)
			snprintf(r->location, sizeof r->location,
				 "https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter"
				 "&url=https%%3A%%2F%%2Fm.weibo.cn%%2Fapi%%2Fcontainer%%2FgetIndex%%3F"
				 "page%%3D%" PRIu64 "&domain=.weibo.cn",
				 page);
		else if (f == FEED_BILIBILI)
			snprintf(r->location, sizeof r->location,
				 "https://passport.bilibili.com/login?gourl=https%%3A%%2F%%2F"
				 "search.bilibili.com%%2F");
		else if (f == FEED_DOUYIN)
			snprintf(r->location, sizeof r->location, "https://www.douyin.com/login");
		else
			snprintf(r->location, sizeof r->location, "/login");
		return 1;
	case FK_403:
		if (f == FEED_BILIBILI)
			reply_text(r, 200, "application/json; charset=utf-8",
				   "{\"code\":-403,\"message\":\"\xe8\xae\xbf\xe9\x97\xae\xe6\x9d\x83"
				   "\xe9\x99\x90\xe4\xb8\x8d\xe8\xb6\xb3\",\"ttl\":1}"); /* 访问权限不足 */
		else
			reply_text(r, 403, "text/html", EDGE_403);
		return 1;
	case FK_401:
		reply_text(r, 200, "application/json; charset=utf-8",
			   "{\"code\":-401,\"message\":\"\xe9\x9d\x9e\xe6\xb3\x95\xe8\xae\xbf\xe9\x97\xae\","
			   "\"ttl\":1}"); /* 非法访问 */
		return 1;
	case FK_352:
	case FK_VOUCHER:
		snprintf(seed, sizeof seed, "fault %s page %" PRIu64, FAULTS[k].name, page);
		reply_json(r, 200, bili_voucher(k == FK_352 ? -352 : 0, seed));
		return 1;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ WBI */

#define MAX_WBI_ARGS 64
#define MAX_WBI_VALUE 2048

struct wbi_arg {
	const char *key, *value; /* borrowed from libmicrohttpd */
	size_t order;            /* position in the request */
};

struct wbi_args {
	struct wbi_arg a[MAX_WBI_ARGS];
	size_t n;
	int overflow;
};

static mhd_result wbi_collect(void *cls, enum MHD_ValueKind kind, const char *key,
			      const char *value)
{
	struct wbi_args *w = cls;
	(void)kind;
	if (w->n == MAX_WBI_ARGS || strlen(key) > MAX_WBI_VALUE ||
	    (value && strlen(value) > MAX_WBI_VALUE)) {
		w->overflow = 1;
		return MHD_NO;
	}
	w->a[w->n].key = key;
	w->a[w->n].value = value ? value : "";
	w->a[w->n].order = w->n;
	w->n++;
	return MHD_YES;
}

/* By key (bytes, as the published signers sort), then request order. */
static int wbi_arg_cmp(const void *x, const void *y)
{
	const struct wbi_arg *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The mixin key of (img_key, sub_key): the 64-entry permutation of
 * img_key+sub_key, first 32 characters (docs/misc/sign/wbi.md). */
static void wbi_mixin(const char *img, const char *sub, char out[33])
{
	static const unsigned char TAB[64] = {
		46, 47, 18, 2,	53, 8,	23, 32, 15, 50, 10, 31, 58, 3,	45, 35,
		27, 43, 5,  49, 33, 9,	42, 19, 29, 28, 14, 39, 12, 38, 41, 13,
		37, 48, 7,  16, 24, 55, 40, 61, 26, 17, 0,  1,	60, 51, 30, 4,
		22, 25, 54, 21, 56, 59, 6,  63, 57, 62, 11, 36, 20, 34, 44, 52};
	char raw[65];
	snprintf(raw, sizeof raw, "%s%s", img, sub);
	for (int i = 0; i < 32; i++)
		out[i] = raw[TAB[i]];
	out[32] = '\0';
}

/*
 * Check w_rid the way docs/misc/sign/wbi.md publishes it: every query
 * parameter but w_rid (wts included), sorted by key; the characters !'()*
 * taken out of the values; key and value percent-encoded per RFC 3986
 * (A-Z a-z 0-9 - _ . ~ kept, all else %XX in capitals, so a blank is %20);
 * joined k=v with '&'; the mixin key appended; MD5 in lowercase hex.
 * libmicrohttpd hands us the values decoded ('+' as a blank), which is what
 * the signer encoded.  1 when w_rid and wts are present and w_rid matches
 * the keys of generation gen; *canon gets the signed text (for the voucher's
 * seed), the caller releases it.
 */
static int wbi_verify(struct MHD_Connection *con, unsigned long gen, struct sbuf *canon)
{
	struct wbi_args w;
	memset(&w, 0, sizeof w);
	MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, wbi_collect, &w);
	const char *w_rid = NULL, *wts = NULL;
	sb_add(canon, "", 0);
	if (w.overflow)
		return 0;
	qsort(w.a, w.n, sizeof w.a[0], wbi_arg_cmp);
	size_t used = 0;
	for (size_t i = 0; i < w.n; i++) {
		if (!strcmp(w.a[i].key, "w_rid")) {
			w_rid = w.a[i].value;
			continue;
		}
		if (!strcmp(w.a[i].key, "wts"))
			wts = w.a[i].value;
		if (used++)
			sb_adds(canon, "&");
		url_escape(canon, w.a[i].key, strlen(w.a[i].key));
		sb_adds(canon, "=");
		for (const char *v = w.a[i].value; *v; v++)
			if (!strchr("!'()*", *v))
				url_escape(canon, v, 1);
	}
	if (canon->failed || w_rid == NULL || wts == NULL || *wts == '\0')
		return 0;
	char img[33], sub[33], mixin[33], want[33];
	wbi_keys(gen, img, sub);
	wbi_mixin(img, sub, mixin);
	struct md5 m;
	md5_init(&m);
	md5_add(&m, canon->p, canon->len);
	md5_add(&m, mixin, 32);
	md5_hex_final(&m, want);
	return !strcmp(w_rid, want);
}

/* ------------------------------------------------------------ douyin params */

/*
 * Douyin's extra.logid for the page at offset: 34 characters like the
 * captured "20230318211048117AB1532E03F78734D0" (a 2025 date and time,
 * then 20 capital hex digits), from the keyword, the order and the offset,
 * so the same request gets the same logid on every run.
 */
static void douyin_logid(const char *keyword, int newest, uint64_t offset, char out[40])
{
	char seed[MAX_KEYWORD + 64], h[33];
	snprintf(seed, sizeof seed, "%s|%d|%" PRIu64, keyword, newest, offset);
	md5_hex(seed, h);
	uint64_t v = fnv1a(seed);
	snprintf(out, 40, "202509%02u%02u%02u%02u", (unsigned)(v % 28) + 1,
		 (unsigned)(v / 28 % 24), (unsigned)(v / 672 % 60), (unsigned)(v / 40320 % 60));
	for (int i = 0; i < 20; i++) {
		char c = h[i];
		out[14 + i] = c >= 'a' ? (char)(c - 32) : c;
	}
	out[34] = '\0';
}

/*
 * Newest first only when asked: sort_type=2 (the web page's 最新发布), either
 * as its own parameter or inside filter_selected, the JSON MediaCrawler's
 * search_info_by_keyword() sends ({"sort_type":"2","publish_time":"0"}).
 * Anything else is the "relevance" order.
 */
static int douyin_wants_newest(struct MHD_Connection *con)
{
	const char *st = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "sort_type");
	if (st && !strcmp(st, "2"))
		return 1;
	const char *fs = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "filter_selected");
	if (fs == NULL)
		return 0;
	json_t *j = json_loads(fs, 0, NULL);
	const json_t *v = json_object_get(j, "sort_type");
	int yes = (json_is_string(v) && !strcmp(json_string_value(v), "2")) ||
		  (json_is_integer(v) && json_integer_value(v) == 2);
	json_decref(j);
	return yes;
}

/* ------------------------------------------------------------ covers */

/*
 * The covers' pictures, made here: small but real files of each type, a
 * checkerboard (a solid colour for WebP) in the post's two colours, with
 * the picture's name in a comment (JPEG COM, PNG tEXt, GIF comment) so no
 * two posts' files are the same bytes.  64 x 48 pixels.
 */
#define IMG_W 64
#define IMG_H 48

static void put8(struct sbuf *b, unsigned v)
{
	char c = (char)(v & 0xff);
	sb_add(b, &c, 1);
}
static void put16be(struct sbuf *b, unsigned v) { put8(b, v >> 8); put8(b, v); }
static void put16le(struct sbuf *b, unsigned v) { put8(b, v); put8(b, v >> 8); }
static void put32be(struct sbuf *b, uint32_t v) { put16be(b, v >> 16); put16be(b, v & 0xffff); }
static void put32le(struct sbuf *b, uint32_t v) { put16le(b, v & 0xffff); put16le(b, v >> 16); }

/* The post's two colours. */
static void cover_colours(const struct post *p, unsigned char a[3], unsigned char b[3])
{
	uint64_t h = fnv1a_salted("cover-colour:", p->post_id);
	for (int i = 0; i < 3; i++) {
		a[i] = (unsigned char)(40 + (h >> (8 * i)) % 176);
		b[i] = (unsigned char)(255 - a[i] / 2);
	}
}

static int checker(unsigned x, unsigned y) { return (x / 16 + y / 16) % 2; }

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void png_chunk(struct sbuf *b, const char *type, const unsigned char *data, size_t n)
{
	put32be(b, (uint32_t)n);
	size_t at = b->len;
	sb_add(b, type, 4);
	sb_add(b, (const char *)data, n);
	if (!b->failed)
		put32be(b, crc32_update(0, (const unsigned char *)b->p + at, 4 + n));
}

/* PNG (ISO/IEC 15948): 1-bit palette, the image data in one stored
 * (uncompressed) deflate block. */
static void make_png(struct sbuf *b, const struct post *p, const char *comment)
{
	unsigned char ca[3], cb[3], ihdr[13], plte[6], raw[IMG_H * (1 + IMG_W / 8)], z[sizeof raw + 11];
	cover_colours(p, ca, cb);
	sb_add(b, "\x89PNG\r\n\x1a\n", 8);
	memset(ihdr, 0, sizeof ihdr);
	ihdr[3] = IMG_W;
	ihdr[7] = IMG_H;
	ihdr[8] = 1; /* bit depth */
	ihdr[9] = 3; /* palette */
	png_chunk(b, "IHDR", ihdr, sizeof ihdr);
	memcpy(plte, ca, 3);
	memcpy(plte + 3, cb, 3);
	png_chunk(b, "PLTE", plte, sizeof plte);
	{
		struct sbuf t = {0};
		sb_adds(&t, "Comment");
		sb_add(&t, "", 1);
		sb_adds(&t, comment);
		if (!t.failed)
			png_chunk(b, "tEXt", (const unsigned char *)t.p, t.len);
		sb_release(&t);
	}
	size_t r = 0;
	for (unsigned y = 0; y < IMG_H; y++) {
		raw[r++] = 0; /* filter: none */
		for (unsigned x = 0; x < IMG_W; x += 8) {
			unsigned char byte = 0;
			for (unsigned k = 0; k < 8; k++)
				byte = (unsigned char)(byte << 1 | checker(x + k, y));
			raw[r++] = byte;
		}
	}
	uint32_t s1 = 1, s2 = 0;
	for (size_t i = 0; i < sizeof raw; i++) {
		s1 = (s1 + raw[i]) % 65521;
		s2 = (s2 + s1) % 65521;
	}
	size_t zn = 0;
	z[zn++] = 0x78;
	z[zn++] = 0x01;
	z[zn++] = 0x01; /* the final block, stored */
	z[zn++] = sizeof raw & 0xff;
	z[zn++] = sizeof raw >> 8;
	z[zn++] = ~sizeof raw & 0xff;
	z[zn++] = (~sizeof raw >> 8) & 0xff;
	memcpy(z + zn, raw, sizeof raw);
	zn += sizeof raw;
	uint32_t adler = s2 << 16 | s1;
	for (int i = 3; i >= 0; i--)
		z[zn++] = (unsigned char)(adler >> (8 * i));
	png_chunk(b, "IDAT", z, zn);
	png_chunk(b, "IEND", (const unsigned char *)"", 0);
}

/* Bits into bytes: JPEG's most significant first with 0xFF stuffed, GIF's
 * and WebP's least significant first. */
struct bitw {
	struct sbuf *b;
	uint32_t acc;
	int n;
	int msb, stuff;
};

static void bits_put(struct bitw *w, uint32_t v, int nbits)
{
	for (int i = 0; i < nbits; i++) {
		uint32_t bit = w->msb ? (v >> (nbits - 1 - i)) & 1u : (v >> i) & 1u;
		if (w->msb)
			w->acc = w->acc << 1 | bit;
		else
			w->acc |= bit << w->n;
		if (++w->n == 8) {
			put8(w->b, w->acc);
			if (w->stuff && (w->acc & 0xff) == 0xff)
				put8(w->b, 0);
			w->acc = 0;
			w->n = 0;
		}
	}
}

static void bits_flush(struct bitw *w, unsigned fill)
{
	while (w->n)
		bits_put(w, fill, 1);
}

/* JPEG (ITU T.81) baseline, one grey component, every quantizer 1, each 8x8
 * block flat: its DC only, then an end of block.  DC codes: the table of
 * Annex K.3 (Table K.3); AC: one symbol, EOB, coded `0`. */
static void make_jpeg(struct sbuf *b, const struct post *p, const char *comment)
{
	static const unsigned char dc_bits[16] = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
	uint16_t code[12];
	int len[12];
	unsigned char ca[3], cb[3];
	cover_colours(p, ca, cb);
	int level[2] = {(ca[0] * 30 + ca[1] * 59 + ca[2] * 11) / 100, (cb[0] * 30 + cb[1] * 59 + cb[2] * 11) / 100};
	unsigned c = 0, k = 0;
	for (int l = 1; l <= 16; l++, c <<= 1)
		for (int i = 0; i < dc_bits[l - 1]; i++, k++, c++) {
			code[k] = (uint16_t)c;
			len[k] = l;
		}
	sb_add(b, "\xFF\xD8", 2);
	sb_add(b, "\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
	sb_add(b, "\xFF\xFE", 2);
	put16be(b, (unsigned)(2 + strlen(comment)));
	sb_adds(b, comment);
	sb_add(b, "\xFF\xDB\x00\x43\x00", 5);
	for (int i = 0; i < 64; i++)
		put8(b, 1);
	sb_add(b, "\xFF\xC0\x00\x0B\x08", 5);
	put16be(b, IMG_H);
	put16be(b, IMG_W);
	sb_add(b, "\x01\x01\x11\x00", 4);
	sb_add(b, "\xFF\xC4\x00\x1F\x00", 5);
	sb_add(b, (const char *)dc_bits, 16);
	for (int i = 0; i < 12; i++)
		put8(b, (unsigned)i);
	sb_add(b, "\xFF\xC4\x00\x14\x10\x01", 6);
	for (int i = 1; i < 16; i++)
		put8(b, 0);
	put8(b, 0x00); /* the one AC symbol: end of block */
	sb_add(b, "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
	struct bitw w = {b, 0, 0, 1, 1};
	int prev = 0;
	for (unsigned by = 0; by < IMG_H / 8; by++)
		for (unsigned bx = 0; bx < IMG_W / 8; bx++) {
			int dc = 8 * (level[checker(bx * 8, by * 8)] - 128), d = dc - prev, a = d < 0 ? -d : d, cat = 0;
			prev = dc;
			while (a >> cat)
				cat++;
			bits_put(&w, code[cat], len[cat]);
			if (cat)
				bits_put(&w, (uint32_t)(d >= 0 ? d : d + (1 << cat) - 1), cat);
			bits_put(&w, 0, 1); /* EOB */
		}
	bits_flush(&w, 1);
	sb_add(b, "\xFF\xD9", 2);
}

/* GIF89a: two colours, LZW with a clear code before every two pixels, so
 * every code is 3 bits and the table never grows. */
static void make_gif(struct sbuf *b, const struct post *p, const char *comment)
{
	unsigned char ca[3], cb[3];
	struct sbuf data = {0};
	cover_colours(p, ca, cb);
	sb_add(b, "GIF89a", 6);
	put16le(b, IMG_W);
	put16le(b, IMG_H);
	sb_add(b, "\x80\x00\x00", 3);
	sb_add(b, (const char *)ca, 3);
	sb_add(b, (const char *)cb, 3);
	size_t n = strlen(comment) > 200 ? 200 : strlen(comment);
	sb_add(b, "\x21\xFE", 2);
	put8(b, (unsigned)n);
	sb_add(b, comment, n);
	put8(b, 0);
	sb_add(b, "\x2C\x00\x00\x00\x00", 5);
	put16le(b, IMG_W);
	put16le(b, IMG_H);
	put8(b, 0);
	put8(b, 2); /* LZW minimum code size: clear 4, end 5 */
	struct bitw w = {&data, 0, 0, 0, 0};
	for (unsigned i = 0; i < IMG_W * IMG_H; i++) {
		if (i % 2 == 0)
			bits_put(&w, 4, 3);
		bits_put(&w, (uint32_t)checker(i % IMG_W, i / IMG_W), 3);
	}
	bits_put(&w, 5, 3);
	bits_flush(&w, 0);
	for (size_t at = 0; !data.failed && at < data.len; at += 255) {
		size_t k = data.len - at > 255 ? 255 : data.len - at;
		put8(b, (unsigned)k);
		sb_add(b, data.p + at, k);
	}
	sb_release(&data);
	put8(b, 0);
	put8(b, 0x3B);
}

/* WebP, lossless (VP8L, the WebP Lossless Bitstream Specification): no
 * transform, no colour cache, one prefix-code group whose five codes are
 * "simple" codes of one symbol each, so every pixel is that colour and
 * takes no bits at all. */
static void make_webp(struct sbuf *b, const struct post *p)
{
	unsigned char ca[3], cb[3];
	struct sbuf v = {0};
	cover_colours(p, ca, cb);
	put8(&v, 0x2f);
	struct bitw w = {&v, 0, 0, 0, 0};
	bits_put(&w, IMG_W - 1, 14);
	bits_put(&w, IMG_H - 1, 14);
	bits_put(&w, 0, 1); /* alpha_is_used */
	bits_put(&w, 0, 3); /* version */
	bits_put(&w, 0, 1); /* no transform */
	bits_put(&w, 0, 1); /* no colour cache */
	bits_put(&w, 0, 1); /* no meta prefix codes */
	const unsigned sym[4] = {ca[1], ca[0], ca[2], 255}; /* green, red, blue, alpha */
	for (int i = 0; i < 4; i++) {
		bits_put(&w, 1, 1); /* simple code */
		bits_put(&w, 0, 1); /* one symbol */
		bits_put(&w, 1, 1); /* of 8 bits */
		bits_put(&w, sym[i], 8);
	}
	bits_put(&w, 1, 1); /* distance: simple, one symbol of 1 bit: 0 */
	bits_put(&w, 0, 1);
	bits_put(&w, 0, 1);
	bits_put(&w, 0, 1);
	bits_flush(&w, 0);
	size_t pad = v.len & 1;
	sb_add(b, "RIFF", 4);
	put32le(b, (uint32_t)(4 + 8 + v.len + pad));
	sb_add(b, "WEBPVP8L", 8);
	put32le(b, (uint32_t)v.len);
	if (!v.failed)
		sb_add(b, v.p, v.len);
	if (pad)
		put8(b, 0);
	sb_release(&v);
}

static void make_picture(struct sbuf *b, enum img_type t, const struct post *p, const char *comment)
{
	switch (t) {
	case IMG_JPEG:
		make_jpeg(b, p, comment);
		break;
	case IMG_PNG:
		make_png(b, p, comment);
		break;
	case IMG_GIF:
		make_gif(b, p, comment);
		break;
	default:
		make_webp(b, p);
	}
}

/* ---- which post a picture's URL names ---- */

static int cover_key_cmp(const void *a, const void *b)
{
	const struct cover_key *x = a, *y = b;
	if (x->cdn != y->cdn)
		return x->cdn < y->cdn ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Every cover's key (--images): Weibo's three picture ids of each post,
 * Bilibili's archive hex, Douyin's uri (also on the feed CDN: the mirror),
 * the feed's md5.  -1 out of memory. */
static int covers_index(struct server *s)
{
	const struct store *st = s->store;
	size_t n = 0;
	s->covers = calloc(st->n * 3 + 1, sizeof *s->covers);
	if (s->covers == NULL)
		return -1;
	for (size_t i = 0; i < st->n; i++) {
		const struct post *p = &st->posts[i];
		struct cover_key *k = &s->covers[n];
		switch (p->feed) {
		case FEED_WEIBO:
			for (unsigned j = 0; j < 3; j++, n++) {
				s->covers[n].cdn = CDN_SINAIMG;
				weibo_pid(p, j, s->covers[n].key);
				s->covers[n].post = p;
			}
			continue;
		case FEED_BILIBILI:
			k->cdn = CDN_HDSLB;
			bili_cover_key(p, k->key);
			break;
		case FEED_DOUYIN:
			k->cdn = CDN_DOUYINPIC;
			md5_hex(p->post_id, k->key);
			k->post = p;
			n++;
			k = &s->covers[n];
			k->cdn = CDN_FEED;
			md5_hex(p->post_id, k->key);
			break;
		default:
			k->cdn = CDN_FEED;
			md5_hex(p->post_id, k->key);
		}
		k->post = p;
		n++;
	}
	qsort(s->covers, n, sizeof *s->covers, cover_key_cmp);
	s->ncovers = n;
	return 0;
}

static const struct post *cover_post(const struct server *s, enum cdn c, const char *key)
{
	struct cover_key want;
	memset(&want, 0, sizeof want);
	want.cdn = c;
	snprintf(want.key, sizeof want.key, "%s", key);
	const struct cover_key *k =
		s->covers ? bsearch(&want, s->covers, s->ncovers, sizeof *s->covers, cover_key_cmp) : NULL;
	return k ? k->post : NULL;
}

/* host is domain or one of its subdomains. */
static int host_in(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);
	return h == d ? !strcmp(host, domain) : h > d && host[h - d - 1] == '.' && !strcmp(host + h - d, domain);
}

/* The host of a Referer ("https://weibo.com/u/1" -> "weibo.com"). */
static void referer_host(const char *ref, char *out, size_t n)
{
	const char *a = strstr(ref, "://");
	a = a ? a + 3 : ref;
	size_t k = strcspn(a, "/:?#");
	snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), a);
	for (char *q = out; *q; q++)
		*q = (char)ascii_lower((unsigned char)*q);
}

/* The post's cover as its feed serves it: cdn, key, type and URL; 0 when
 * the post has none (a Weibo or feed post without a picture). */
static int post_cover(const struct server *s, const struct post *p, int64_t now, enum cdn *c, char key[48],
		      enum img_type *t, char *url, size_t n)
{
	int64_t views;
	char path[80];
	(void)s;
	switch (p->feed) {
	case FEED_WEIBO: {
		int video = count_value(p->counts[C_VIEWS], &views);
		if (!video && fnv1a_salted("media:", p->post_id) % 3 != 0)
			return 0;
		*c = CDN_SINAIMG;
		weibo_pid(p, 0, key);
		*t = cover_type(*c, p);
		snprintf(path, sizeof path, "/%s/%s.%s", video ? "orj480" : "large", key, cover_ext(*t));
		cdn_url(url, n, "https:", "wx1.sinaimg.cn", path);
		return 1;
	}
	case FEED_BILIBILI:
		*c = CDN_HDSLB;
		bili_cover_key(p, key);
		*t = cover_type(*c, p);
		bili_pic(p, "https:", url);
		return 1;
	case FEED_DOUYIN:
		*c = CDN_DOUYINPIC;
		*t = cover_type(*c, p);
		douyin_cover(p, now, key, url, n);
		return 1;
	default:
		if (!count_value(p->counts[C_VIEWS], &views) && fnv1a_salted("media:", p->post_id) % 2 == 0)
			return 0;
		*c = CDN_FEED;
		*t = cover_type(*c, p);
		feed_cover(p, key, url, n);
		return 1;
	}
}

/* /_control/images: every post's cover as its feed serves it now:
 * [{"platform","post_id","cdn","key","type","url"}] (Douyin's signed now). */
static char *images_json(struct server *s)
{
	json_t *list = json_array();
	pthread_mutex_lock(&s->lock);
	int64_t now = server_now_locked(s);
	pthread_mutex_unlock(&s->lock);
	for (size_t i = 0; i < s->store->n; i++) {
		const struct post *p = &s->store->posts[i];
		enum cdn c;
		enum img_type t;
		char key[48], url[512];
		if (!post_cover(s, p, now, &c, key, &t, url, sizeof url))
			continue;
		json_t *o = json_object();
		jset(o, "platform", jstr(p->platform));
		jset(o, "post_id", jstr(p->post_id));
		jset(o, "cdn", jstr(CDN_NAME[c]));
		jset(o, "key", jstr(key));
		jset(o, "type", jstr(IMG_NAME[t]));
		jset(o, "url", jstr(url));
		json_array_append_new(list, o);
	}
	char *out = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	return out;
}

static const char NGINX_404[] = "<html>\r\n"
				"<head><title>404 Not Found</title></head>\r\n"
				"<body>\r\n"
				"<center><h1>404 Not Found</h1></center>\r\n"
				"<hr><center>nginx</center>\r\n"
				"</body>\r\n"
				"</html>\r\n";
/* hdslb.com's refusal of a foreign Referer, as captured in DIYgod/RSSHub#1297
 * (with the header X-Tengine-Error: denied by Refer ACL). */
static const char TENGINE_403[] = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n"
				  "<html>\n"
				  "<head><title>403 Forbidden</title></head>\n"
				  "<body bgcolor=\"white\">\n"
				  "<h1>403 Forbidden</h1>\n"
				  "<p>You don't have permission to access the URL on this server.<hr/>Powered by "
				  "Tengine</body>\n"
				  "</html>\n";
static const char IMG_HTML_PAGE[] = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
				    "<title>\xe5\x9b\xbe\xe7\x89\x87\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</title></head>"
				    "<body><p>\xe5\x9b\xbe\xe7\x89\x87\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</p></body></html>\n";
static const char IMG_SVG[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"48\">"
			      "<rect width=\"64\" height=\"48\" fill=\"#0b5394\"/></svg>\n";

static mhd_result query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct sbuf *b = cls;
	(void)kind;
	sb_adds(b, b->len ? "&" : "?");
	url_escape(b, key, strlen(key));
	if (value) {
		sb_adds(b, "=");
		url_escape(b, value, strlen(value));
	}
	return MHD_YES;
}

/* One image server's bookkeeping of a request (under lock). */
static void cdn_note(struct server *s, enum cdn c, const char *referer)
{
	struct cdn_seen *cs = &s->cdn[c];
	const char *r = referer ? referer : "";
	pthread_mutex_lock(&s->lock);
	s->requests[EP_IMAGE]++;
	cs->requests++;
	size_t i;
	for (i = 0; i < cs->nreferers && strcmp(cs->referers[i], r); i++)
		;
	if (i == cs->nreferers && i < MAX_REFERERS)
		snprintf(cs->referers[cs->nreferers++], sizeof cs->referers[0], "%s", r);
	pthread_mutex_unlock(&s->lock);
}

static void cdn_count(struct server *s, enum cdn c, unsigned long *(*which)(struct cdn_seen *))
{
	pthread_mutex_lock(&s->lock);
	(*which(&s->cdn[c]))++;
	pthread_mutex_unlock(&s->lock);
}
static unsigned long *seen_served(struct cdn_seen *c) { return &c->served; }
static unsigned long *seen_refused(struct cdn_seen *c) { return &c->refused; }
static unsigned long *seen_faults(struct cdn_seen *c) { return &c->faults; }

/*
 * GET /img/HOST/PATH (--images): a cover, as its image server would answer.
 *   sinaimg.cn   Referer required, of weibo.com or weibo.cn (or their
 *                subdomains); else 403 (platform.c cites the captures).
 *   hdslb.com    no Referer, or one of bilibili.com; else 403 with
 *                X-Tengine-Error: denied by Refer ACL.
 *   douyinpic    the x-expires / x-signature of the URL must be the ones this
 *                server signed, and not expired; else 403.  No Referer rule.
 *   the feed CDN nothing asked.
 * The picture's type is the one the extension asks for.  Faults of scope
 * image (PAGE: the post id, or *) fire before the picture; a request
 * carrying moved=1 (the imgredirect target) takes none.
 */
static void serve_image(struct server *s, struct MHD_Connection *con, const char *url, struct reply *r)
{
	const char *rest = url + strlen("/img/"), *slash = strchr(rest, '/');
	char host[128], key[48], refhost[128], comment[128];
	enum cdn c;
	enum img_type t;
	if (slash == NULL || (size_t)(slash - rest) >= sizeof host) {
		reply_text(r, 404, "text/html", NGINX_404);
		return;
	}
	snprintf(host, sizeof host, "%.*s", (int)(slash - rest), rest);
	if (host_in(host, "sinaimg.cn"))
		c = CDN_SINAIMG;
	else if (host_in(host, "hdslb.com"))
		c = CDN_HDSLB;
	else if (host_in(host, "douyinpic.com"))
		c = CDN_DOUYINPIC;
	else if (!strcmp(host, "cdn.kepu-feed.example.cn"))
		c = CDN_FEED;
	else {
		reply_text(r, 404, "text/html", NGINX_404);
		return;
	}
	const char *seg = strrchr(url, '/') + 1, *dot = strrchr(seg, '.');
	size_t klen = strcspn(seg, ".~@");
	const char *referer = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Referer");
	cdn_note(s, c, referer);
	if (dot == NULL || klen == 0 || klen >= sizeof key) {
		reply_text(r, 404, "text/html", NGINX_404);
		return;
	}
	snprintf(key, sizeof key, "%.*s", (int)klen, seg);
	if (!strcmp(dot, ".jpg") || !strcmp(dot, ".jpeg"))
		t = IMG_JPEG;
	else if (!strcmp(dot, ".png"))
		t = IMG_PNG;
	else if (!strcmp(dot, ".webp"))
		t = IMG_WEBP;
	else if (!strcmp(dot, ".gif"))
		t = IMG_GIF;
	else {
		reply_text(r, 404, "text/html", NGINX_404);
		return;
	}
	const struct post *p = cover_post(s, c, key);
	if (p == NULL) {
		reply_text(r, 404, "text/html", NGINX_404);
		return;
	}
	referer_host(referer ? referer : "", refhost, sizeof refhost);
	int refused = 0;
	if (c == CDN_SINAIMG)
		refused = !referer || !(host_in(refhost, "weibo.com") || host_in(refhost, "weibo.cn"));
	else if (c == CDN_HDSLB && referer && !host_in(refhost, "bilibili.com")) {
		refused = 1;
		r->header_name = "X-Tengine-Error";
		r->header_value = "denied by Refer ACL";
	} else if (c == CDN_DOUYINPIC) {
		const char *exp = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "x-expires");
		const char *sig = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "x-signature");
		int64_t e;
		char want[32];
		pthread_mutex_lock(&s->lock);
		int64_t now = server_now_locked(s);
		pthread_mutex_unlock(&s->lock);
		refused = !exp || !sig || parse_id_int(exp, &e) < 0 || e < now;
		if (!refused) {
			douyin_signature(key, e, want);
			refused = strcmp(sig, want) != 0;
		}
	}
	if (refused) {
		cdn_count(s, c, seen_refused);
		reply_text(r, 403, "text/html", c == CDN_HDSLB ? TENGINE_403 : EDGE_403);
		return;
	}
	r->fault = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "moved")
			   ? FK_NONE
			   : fault_take_post(s, (int)CDN_FEED_OF[c], 0, p->post_id, SCOPE_IMAGE);
	if (r->fault != FK_NONE)
		cdn_count(s, c, seen_faults);
	snprintf(comment, sizeof comment, "fakeplatform cover %s/%s", CDN_NAME[c], key);
	struct sbuf b = {0};
	switch (r->fault) {
	case FK_IMG404:
		reply_text(r, 404, "text/html", NGINX_404);
		return;
	case FK_IMGHTML:
		reply_text(r, 200, "text/html; charset=utf-8", IMG_HTML_PAGE);
		return;
	case FK_IMGSVG:
		reply_text(r, 200, "image/svg+xml", IMG_SVG);
		return;
	case FK_IMGEMPTY:
		reply_text(r, 200, IMG_MIME[t], "");
		return;
	case FK_IMGREDIRECT:
		sb_adds(&b, url);
		{
			struct sbuf q = {0};
			MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, query_arg, &q);
			sb_adds(&q, q.len ? "&moved=1" : "?moved=1");
			if (!q.failed)
				sb_adds(&b, q.p);
			sb_release(&q);
		}
		reply_text(r, 302, "text/html", "");
		snprintf(r->location, sizeof r->location, "%s", b.failed ? url : b.p);
		sb_release(&b);
		return;
	case FK_IMGBIG:
		/* a JPEG's start, then 20 MiB more: nothing says how long */
		sb_add(&b, "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
		r->marker_at = b.len;
		sb_adds(&b, PAD_MARKER);
		if (b.failed) {
			sb_release(&b);
			reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
			return;
		}
		free(r->body);
		r->status = 200;
		r->ctype = "image/jpeg";
		r->body = b.p;
		r->len = b.len;
		r->mode = SEND_PADDED_CHUNKED;
		return;
	case FK_IMGSLOW:
		nap_ms(SLOW_MS);
		break;
	default:
		break;
	}
	make_picture(&b, t, p, comment);
	if (b.failed) {
		sb_release(&b);
		reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
		return;
	}
	free(r->body);
	r->status = 200;
	r->ctype = r->fault == FK_IMGCTYPE ? "text/html; charset=utf-8" : IMG_MIME[t];
	r->body = b.p;
	r->len = b.len;
	r->mode = SEND_ALL;
	cdn_count(s, c, seen_served);
}

/* ------------------------------------------------------------ serving */

static void count_unauthorized(struct server *s, struct reply *r)
{
	pthread_mutex_lock(&s->lock);
	s->unauthorized++;
	pthread_mutex_unlock(&s->lock);
	reply_text(r, 401, "text/plain; charset=utf-8", "missing or wrong credentials\n");
}

/* The `detail` fault of the detail endpoints: HTTP 503.  1 when r holds it. */
static int reply_detail_fault(struct server *s, int feed, struct reply *r)
{
	if (fault_take(s, feed, 0, SCOPE_DETAIL) != FK_DETAIL)
		return 0;
	r->fault = FK_DETAIL;
	reply_text(r, 503, "text/plain; charset=utf-8", "Service Temporarily Unavailable\n");
	return 1;
}

/* Serve one page of feed f, or the fault due for it.  mirror: the Douyin
 * mirror (/open/v1/mirror): Douyin's posts paged and shaped as the generic
 * feed (f is FEED_GENERIC), with the counts of MIRROR_DELAY_S ago in world
 * mode. */
static void serve_feed(struct server *s, struct MHD_Connection *con, enum feed f, int mirror,
		       struct reply *r)
{
	const struct store *st = s->store;
	enum feed lf = mirror ? FEED_DOUYIN : f; /* whose posts are listed */
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
		stats_count(s, mirror ? EP_MIRROR : (enum endpoint)f, -1, 0);
		snprintf(msg, sizeof msg, "bad value for query parameter '%s'\n", badp);
		reply_text(r, 400, "text/plain; charset=utf-8", msg);
		return;
	}
	if (mirror)
		stats_count(s, EP_MIRROR, -1, 0);
	else
		stats_count(s, (enum endpoint)f, (int)f, page);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}

	struct page pg = {0};
	char keyword[MAX_KEYWORD + 1], logid[40];
	pthread_mutex_lock(&s->lock);
	int world = s->world;
	int64_t wnow = world ? world_now_locked(s) : 0;
	pthread_mutex_unlock(&s->lock);
	pg.now = world ? wnow : (int64_t)time(NULL);
	pg.weibo_times = s->weibo_times;

	if (f == FEED_BILIBILI) {
		/* The signature first: a refused request uses up no fault. */
		struct sbuf canon = {0};
		pthread_mutex_lock(&s->lock);
		unsigned long gen = s->wbi_generation;
		pthread_mutex_unlock(&s->lock);
		int ok = wbi_verify(con, gen, &canon);
		pthread_mutex_lock(&s->lock);
		if (!ok)
			s->wbi_rejected++;
		else if (++s->wbi_accepted % (s->wbi_rotate ? s->wbi_rotate : ULONG_MAX) == 0)
			s->wbi_generation++; /* this search was served; the next needs new keys */
		pthread_mutex_unlock(&s->lock);
		if (!ok) {
			reply_json(r, 200, bili_voucher(0, canon.p ? canon.p : ""));
			sb_release(&canon);
			return;
		}
		sb_release(&canon);
	}

	int newest = 1;
	if (f == FEED_DOUYIN) {
		const char *kw = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "keyword");
		snprintf(keyword, sizeof keyword, "%s", kw ? kw : "");
		newest = douyin_wants_newest(con);
		douyin_logid(keyword, newest, offset, logid);
		pg.logid = logid;
		/* Page 2+ with a search_id: it must be the previous page's logid. */
		const char *sid = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "search_id");
		if (offset > 0 && sid && *sid) {
			char prev[40];
			douyin_logid(keyword, newest, offset >= size ? offset - size : 0, prev);
			if (strcmp(sid, prev)) {
				pthread_mutex_lock(&s->lock);
				s->douyin_search_id_rejected++;
				pthread_mutex_unlock(&s->lock);
				pg.start = (size_t)offset;
				reply_json(r, 200, douyin_nil(&pg, "params_check", "invalid_search_id", 60));
				return;
			}
		}
	}

	r->fault = fault_take(s, mirror ? FAULT_MIRROR : (int)f, page, SCOPE_SEARCH);
	if (reply_refusal(r, f, r->fault, page))
		return;
	pg.start = f == FEED_DOUYIN ? (size_t)offset : 0;
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
	case FK_NILINFO:
		reply_json(r, 200, douyin_nil(&pg, "verify_check", "verify_check", 9));
		return;
	case FK_PARAMSCHECK:
		reply_json(r, 200, douyin_nil(&pg, "params_check", "invalid_app", 60));
		return;
	case FK_ANTISPAM:
		reply_json(r, 200, douyin_nil(&pg, "antispam_check", "antispam_check", 0));
		return;
	case FK_NILDATA: {
		json_t *root = json_object();
		jset(root, "status_code", json_integer(0));
		jset(root, "data", json_null());
		jset(root, "has_more", json_integer(0));
		jset(root, "cursor", json_integer((json_int_t)offset));
		douyin_extra(root, &pg);
		reply_json(r, 200, root);
		return;
	}
	case FK_SLOW:
		nap_ms(SLOW_MS);
		break;
	default:
		break;
	}

	const struct post **filtered = NULL;
	pg.list = f == FEED_DOUYIN && !newest ? st->relevance : st->feed[lf];
	pg.n = st->feed_n[lf];
	if (s->empty_feeds & FEED_BIT(lf))
		pg.n = 0;
	/* Deleted posts, posts the world does not list yet and (bilibili) posts
	 * outside the time range leave the list before it is cut into pages,
	 * so that the pages stay contiguous. */
	int timed = f == FEED_BILIBILI && (begin || end);
	pthread_mutex_lock(&s->lock);
	int gone = s->ndeleted > 0 || world;
	if (timed || gone) {
		filtered = calloc(pg.n ? pg.n : 1, sizeof *filtered);
		size_t m = 0;
		for (size_t i = 0; filtered != NULL && i < pg.n; i++) {
			int64_t t = pg.list[i]->created;
			if (gone && post_deleted_at_locked(s, pg.list[i], wnow))
				continue;
			if (world && !post_listed_at_locked(s, pg.list[i], wnow))
				continue;
			/* 0 on either side means no bound, as bilibili's own web page sends. */
			if (timed && ((begin && t < (int64_t)begin) || (end && t > (int64_t)end)))
				continue;
			filtered[m++] = pg.list[i];
		}
		pg.list = filtered;
		pg.n = m;
	}
	pthread_mutex_unlock(&s->lock);
	if ((timed || gone) && filtered == NULL) {
		reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
		return;
	}
	/* the real searches stop at 50 pages whatever numResults says, a
	 * time-filtered one included
	 * (bilibili-API-collect search docs: numPages at most 50; Weibo's
	 * container search answers 这里还没有内容 past page 50) */
	if ((f == FEED_WEIBO || f == FEED_BILIBILI) && s->page_cap && size && pg.n > s->page_cap * size)
		pg.n = s->page_cap * size;
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

	/* The page's posts with the counts of now (/_control/grow, the world;
	 * the mirror's of a day ago). */
	size_t nshown = pg.items + (pg.dup != SIZE_MAX);
	struct post_now *now = NULL;
	const struct post **shown = NULL;
	pthread_mutex_lock(&s->lock);
	int grown = (s->grows > 0 || world) && nshown > 0;
	if (grown) {
		now = calloc(nshown, sizeof *now);
		shown = calloc(nshown, sizeof *shown);
		for (size_t k = 0; now != NULL && shown != NULL && k < nshown; k++)
			shown[k] = post_at_locked(s, pg.list[k < pg.items ? pg.start + k : pg.dup],
						  mirror ? wnow - MIRROR_DELAY_S : wnow, &now[k]);
	}
	pthread_mutex_unlock(&s->lock);
	if (grown && (now == NULL || shown == NULL)) {
		free(now);
		free(shown);
		free(filtered);
		reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
		return;
	}
	pg.shown = shown;

	json_t *root = f == FEED_WEIBO      ? weibo_page(&pg)
		       : f == FEED_BILIBILI ? bili_page(&pg)
		       : f == FEED_DOUYIN   ? douyin_page(&pg)
					    : generic_page(&pg);
	for (size_t k = 0; now != NULL && k < nshown; k++)
		post_now_release(&now[k]);
	free(now);
	free(shown);
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

/* The retired unsigned search: bilibili answers it with a v_voucher only. */
static void serve_bili_unsigned(struct server *s, struct reply *r)
{
	stats_count(s, EP_BILI_UNSIGNED, -1, 0);
	reply_json(r, 200, bili_voucher(0, "unsigned /x/web-interface/search/type"));
}

static void serve_nav(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	stats_count(s, EP_NAV, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	pthread_mutex_lock(&s->lock);
	unsigned long gen = s->wbi_generation;
	pthread_mutex_unlock(&s->lock);
	reply_json(r, 200, bili_nav(gen));
}

static void serve_spi(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	stats_count(s, EP_SPI, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	reply_json(r, 200, bili_spi());
}

/*
 * /x/web-interface/view?bvid=BV… (or aid=N).  Besides the video (bili_view()):
 *   unknown      {"code":-404,"message":"啥都木有","ttl":1} (docs/misc/errcode.md:
 *                -404 啥都木有), as before.
 *   deleted      {"code":-404,"message":"啥都木有","ttl":1,"data":null}, the body
 *                a Java crawler quotes for view?aid= (research note
 *                /tmp/research_detail.md §2b, index id 15023222915, "the same
 *                body appears in many other fixtures"); for one deleted post in
 *                three (fnv1a("gone:" + bvid) % 3 == 0) {"code":62002,"message":
 *                "稿件不可见","ttl":1}, quoted in a JS view→cid lookup (note §2b,
 *                idx 17031689726) and documented in bilibili-API-collect
 *                docs/video/info.md (62002 稿件不可见).
 *   under review {"code":62004,"message":"稿件审核中","ttl":1,"data":null}, a Go
 *                test stub for /x/web-interface/view (note §2b, idx 60613614407;
 *                info.md: 62004 稿件审核中); the post is not deleted and stays in
 *                the search.
 * All with HTTP 200, as deletion codes come (note §2c).
 */
static void serve_view(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	const struct store *st = s->store;
	stats_count(s, EP_VIEW, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	r->fault = fault_take(s, FEED_BILIBILI, 0, SCOPE_VIEW);
	if (r->fault == FK_VIEWFAIL) {
		reply_text(r, 500, "text/plain; charset=utf-8", "Internal Server Error\n");
		return;
	}
	if (reply_detail_fault(s, FEED_BILIBILI, r))
		return;
	const char *bvid = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "bvid");
	const char *aidtxt = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "aid");
	const struct post *p = NULL;
	size_t pos = 0;
	int64_t aid;
	if (bvid && *bvid)
		p = store_find(st, FEED_BILIBILI, bvid, &pos);
	else if (aidtxt && parse_id_int(aidtxt, &aid) == 0) {
		for (size_t i = 0; i < st->feed_n[FEED_BILIBILI] && p == NULL; i++)
			if (bili_aid(st->byid[FEED_BILIBILI][i]) == aid) {
				p = st->byid[FEED_BILIBILI][i];
				pos = i;
			}
	}
	int listed = 1, deleted = 0;
	unsigned flags = 0;
	struct post_now pn;
	memset(pn.own, 0, sizeof pn.own);
	if (p != NULL && !(s->empty_feeds & FEED_BIT(FEED_BILIBILI))) {
		pthread_mutex_lock(&s->lock);
		int64_t now = s->world ? world_now_locked(s) : 0;
		flags = s->post_flags[post_index(s, p)];
		listed = post_listed_at_locked(s, p, now);
		deleted = post_deleted_at_locked(s, p, now);
		if (listed && !deleted && !(flags & PF_REVIEW)) {
			s->view_hits[pos]++;
			p = post_at_locked(s, p, now, &pn);
		}
		pthread_mutex_unlock(&s->lock);
	}
	if (p == NULL || !listed || (s->empty_feeds & FEED_BIT(FEED_BILIBILI))) {
		/* docs/misc/errcode.md: -404 啥都木有 */
		reply_text(r, 200, "application/json; charset=utf-8",
			   "{\"code\":-404,\"message\":\"\xe5\x95\xa5\xe9\x83\xbd\xe6\x9c\xa8"
			   "\xe6\x9c\x89\",\"ttl\":1}");
		return;
	}
	if (deleted) {
		if (fnv1a_salted("gone:", p->post_id) % 3 == 0)
			reply_text(r, 200, "application/json; charset=utf-8",
				   "{\"code\":62002,\"message\":\"\xe7\xa8\xbf\xe4\xbb\xb6\xe4\xb8\x8d"
				   "\xe5\x8f\xaf\xe8\xa7\x81\",\"ttl\":1}"); /* 稿件不可见 */
		else
			reply_text(r, 200, "application/json; charset=utf-8",
				   "{\"code\":-404,\"message\":\"\xe5\x95\xa5\xe9\x83\xbd\xe6\x9c\xa8"
				   "\xe6\x9c\x89\",\"ttl\":1,\"data\":null}"); /* 啥都木有 */
		return;
	}
	if (flags & PF_REVIEW) {
		reply_text(r, 200, "application/json; charset=utf-8",
			   "{\"code\":62004,\"message\":\"\xe7\xa8\xbf\xe4\xbb\xb6\xe5\xae\xa1\xe6"
			   "\xa0\xb8\xe4\xb8\xad\",\"ttl\":1,\"data\":null}"); /* 稿件审核中 */
		return;
	}
	reply_json(r, 200, bili_view(p));
	post_now_release(&pn);
}

/*
 * m.weibo.cn/statuses/extend?id=ID: the whole text of a long post,
 * {"ok":1,"data":{"ok":1,"longTextContent":"<HTML>","reposts_count":…,
 * "comments_count":…,"attitudes_count":…}}.  The ok/longTextContent part is
 * what every client reads (dataabc-era crawlers, RSSHub-style bots:
 * `json.ok === 1 && json.data.longTextContent`); the counts beside it follow
 * the brief of this server.  Any Weibo post of the file can be asked for,
 * long or not; an unknown id, and a deleted post, get
 * {"ok":0,"msg":"这里还没有内容"}.  The counts are those of now (grown).
 */
static void serve_extend(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	const struct store *st = s->store;
	stats_count(s, EP_EXTEND, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	r->fault = fault_take(s, FEED_WEIBO, 0, SCOPE_EXTEND);
	if (r->fault == FK_EXTENDFAIL) {
		reply_text(r, 500, "text/plain; charset=utf-8", "Internal Server Error\n");
		return;
	}
	const char *id = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "id");
	size_t pos = 0;
	const struct post *p = id && *id ? store_find(st, FEED_WEIBO, id, &pos) : NULL;
	struct post_now pn;
	int deleted = 0;
	memset(pn.own, 0, sizeof pn.own);
	if (p != NULL) {
		pthread_mutex_lock(&s->lock);
		int64_t now = s->world ? world_now_locked(s) : 0;
		/* not listed yet (world mode): unknown, answered as deleted is */
		deleted = !post_listed_at_locked(s, p, now) || post_deleted_at_locked(s, p, now);
		if (!deleted) {
			s->extend_hits[pos]++;
			p = post_at_locked(s, p, now, &pn);
		}
		pthread_mutex_unlock(&s->lock);
	}
	if (p == NULL || deleted || (s->empty_feeds & FEED_BIT(FEED_WEIBO))) {
		post_now_release(&pn);
		reply_text(r, 200, "application/json; charset=utf-8",
			   "{\"ok\":0,\"msg\":\"\xe8\xbf\x99\xe9\x87\x8c\xe8\xbf\x98\xe6\xb2\xa1"
			   "\xe6\x9c\x89\xe5\x86\x85\xe5\xae\xb9\"}");
		return;
	}
	json_t *root = json_object(), *data = json_object();
	char *html = weibo_full_html(p);
	jset(data, "ok", json_integer(1));
	jset(data, "longTextContent", jstr(html ? html : p->text));
	free(html);
	jset(data, "reposts_count", weibo_count(p->counts[C_SHARES], 0));
	jset(data, "comments_count", weibo_count(p->counts[C_COMMENTS], 0));
	jset(data, "attitudes_count", weibo_count(p->counts[C_LIKES], 0));
	jset(root, "ok", json_integer(1));
	jset(root, "data", data);
	post_now_release(&pn);
	reply_json(r, 200, root);
}

/* For the detail endpoints: the post of feed f with that id as served now
 * (pn holds what it borrows; the caller releases pn), or NULL when there is
 * none, f is served empty (--empty-feed), the world does not list it yet,
 * or it is deleted (*deleted set).  delay: the counts are those of that
 * many seconds ago (world mode; the mirror's). */
static const struct post *detail_find(struct server *s, enum feed f, const char *id,
				      int64_t delay, int *deleted, struct post_now *pn)
{
	*deleted = 0;
	memset(pn->own, 0, sizeof pn->own);
	const struct post *p =
		id && *id && !(s->empty_feeds & FEED_BIT(f)) ? store_find(s->store, f, id, NULL) : NULL;
	if (p == NULL)
		return NULL;
	pthread_mutex_lock(&s->lock);
	int64_t now = s->world ? world_now_locked(s) : 0;
	if (!post_listed_at_locked(s, p, now))
		p = NULL;
	else if ((*deleted = post_deleted_at_locked(s, p, now)) != 0)
		p = NULL;
	else
		p = post_at_locked(s, p, now - delay, pn);
	pthread_mutex_unlock(&s->lock);
	return p;
}


/* A page for the builders of one post outside any search: no fault, the
 * absolute Weibo time. */
static void detail_page(struct page *pg)
{
	memset(pg, 0, sizeof *pg);
	pg->fault = FK_NONE;
	pg->weibo_times = WT_ABSOLUTE;
	pg->now = (int64_t)time(NULL);
	pg->dup = SIZE_MAX;
	pg->bad = SIZE_MAX;
	pg->logid = "";
}

/*
 * m.weibo.cn/statuses/show?id=ID: HTTP 200 {"ok":1,"data":{MBLOG}}, data
 * being the whole post, the same object as cards[].mblog of the search
 * (research note /tmp/research_detail.md §1a: an m.weibo.cn sync tool, idx
 * 61986926787, "走 m.weibo.cn/statuses/show?id={mid}，返回标准严格 JSON，data 即
 * 完整博文", which checks `data.get('ok') != 1` and then reads reposts_count,
 * comments_count, attitudes_count; idx 55189893912 `data.ok === 1 &&
 * data.data`).  MBLOG is weibo_original() of the post as its search card
 * has it (text cut with 全文 when long, media, topics), with the counts of
 * now, and created_at always in the full form `Tue Oct 14 18:29:42 +0800
 * 2025` whatever --weibo-times says: statuses/show and /detail give that
 * form (note §1a, idx 4490412124).  The id of a repost the search serves
 * (the original's id + "7", see weibo_repost()) answers that repost, with
 * the original in retweeted_status.
 *
 * A deleted post, or an id not in the file: HTTP 200
 * {"ok":0,"errno":"20101","msg":"微博不存在或暂无查看权限!"}.  errno 20101 =
 * 微博不存在或暂无查看权限 on the m.weibo.cn API family, errno a STRING (note
 * §1b: an m.weibo.cn comment bot, idx 16043852165, `elif errno == '20101'`;
 * MerlinCN/WeiboBot's WEIBO_ERR NO_EXIST = 20101, idx 5131519090); the
 * desktop sibling weibo.com/ajax/statuses/show answers
 * {"ok":0,"errno":"20101","msg":"该微博不存在"} (idx 68871153931).  The msg
 * text is the sentence of m.weibo.cn's error page (WeiboBot net_tool.py
 * matches "微博不存在或暂无查看权限!"; archive bot issues dropod#9033, #21914).
 * No literal m.weibo.cn/statuses/show error body was found (note §5), so the
 * pairing of errno and msg is inferred.  A deleted original's repost
 * answers the same.
 */
static void serve_show(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	stats_count(s, EP_SHOW, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	if (reply_detail_fault(s, FEED_WEIBO, r))
		return;
	const char *id = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "id");
	struct post_now pn;
	int deleted, as_repost = 0;
	const struct post *p = detail_find(s, FEED_WEIBO, id, 0, &deleted, &pn);
	if (p == NULL && !deleted && id != NULL) {
		/* A repost's id: the original's id and a 7. */
		size_t n = strlen(id);
		char orig[64];
		if (n >= 2 && n < sizeof orig && id[n - 1] == '7') {
			memcpy(orig, id, n - 1);
			orig[n - 1] = '\0';
			const struct post *q = store_find(s->store, FEED_WEIBO, orig, NULL);
			if (q != NULL && q->repost_no >= 0) {
				p = detail_find(s, FEED_WEIBO, orig, 0, &deleted, &pn);
				as_repost = 1;
			}
		}
	}
	if (p == NULL || deleted) {
		reply_text(r, 200, "application/json; charset=utf-8",
			   "{\"ok\":0,\"errno\":\"20101\",\"msg\":\"\xe5\xbe\xae\xe5\x8d\x9a\xe4\xb8\x8d"
			   "\xe5\xad\x98\xe5\x9c\xa8\xe6\x88\x96\xe6\x9a\x82\xe6\x97\xa0\xe6\x9f\xa5\xe7\x9c"
			   "\x8b\xe6\x9d\x83\xe9\x99\x90!\"}"); /* 微博不存在或暂无查看权限! */
		return;
	}
	struct page pg;
	detail_page(&pg);
	json_t *root = json_object();
	jset(root, "ok", json_integer(1));
	jset(root, "data", as_repost ? weibo_repost(&pg, p, p->feed_idx, 0, 0)
				     : weibo_original(&pg, p, p->feed_idx, 0, 0));
	post_now_release(&pn);
	reply_json(r, 200, root);
}

/*
 * www.douyin.com/aweme/v1/web/aweme/detail/?aweme_id=ID (the web client
 * adds device_platform=webapp, aid=6383, channel=channel_pc_web,
 * version_code, …, msToken, a_bogus: MediaCrawler media_platform/douyin/
 * client.py get_video_by_id(), Evil0ctal/Douyin_TikTok_Download_API
 * crawlers/douyin/web/models.py PostDetail; all accepted and ignored here).
 *   found    {"status_code":0,"aweme_detail":{AWEME}}, AWEME exactly the
 *            search card's aweme_info (douyin_aweme()), counts of now,
 *            play_count 0 (research note /tmp/research_detail.md §3b:
 *            MediaCrawler reads res["aweme_detail"]["statistics"]; play_count
 *            always 0 on the web API, Evil0ctal/Douyin_TikTok_Download_API#492).
 *   deleted  {"status_code":0,"aweme_detail":null,"filter_detail":
 *            {"filter_reason":R,"detail_msg":"因作品权限或已被删除，无法观看，去看看
 *            其他作品吧","aweme_id":ID}}: the body captured in Johnserf-Seed/f2
 *            tests/test_douyin_detail_errors.py (issue #214, a private work,
 *            R = status_self_see; note §3c).  R is status_deleted, a value named
 *            in a media-parser design doc (note §3c, idx 68440178447; no
 *            literal body with it was found), and status_self_see for every
 *            other deleted post (fnv1a("filter:" + id) odd).
 *   unknown  {"status_code":0,"aweme_detail":null}, no filter_detail: the
 *            "unexplained" empty answer the same f2 test keeps (note §3c).
 */
static void serve_aweme_detail(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	stats_count(s, EP_AWEME_DETAIL, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	if (reply_detail_fault(s, FEED_DOUYIN, r))
		return;
	const char *id = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "aweme_id");
	struct post_now pn;
	int deleted;
	const struct post *p = detail_find(s, FEED_DOUYIN, id, 0, &deleted, &pn);
	json_t *root = json_object();
	jset(root, "status_code", json_integer(0));
	if (p == NULL) {
		jset(root, "aweme_detail", json_null());
		if (deleted) {
			json_t *fd = json_object();
			int self_see = fnv1a_salted("filter:", id) % 2 == 1;
			jset(fd, "filter_reason", jstr(self_see ? "status_self_see" : "status_deleted"));
			jset(fd, "detail_msg",
			     jstr("\xe5\x9b\xa0\xe4\xbd\x9c\xe5\x93\x81\xe6\x9d\x83\xe9\x99\x90\xe6"
				  "\x88\x96\xe5\xb7\xb2\xe8\xa2\xab\xe5\x88\xa0\xe9\x99\xa4\xef\xbc\x8c"
				  "\xe6\x97\xa0\xe6\xb3\x95\xe8\xa7\x82\xe7\x9c\x8b\xef\xbc\x8c\xe5\x8e"
				  "\xbb\xe7\x9c\x8b\xe7\x9c\x8b\xe5\x85\xb6\xe4\xbb\x96\xe4\xbd\x9c\xe5"
				  "\x93\x81\xe5\x90\xa7")); /* 因作品权限或已被删除，无法观看，去看看其他作品吧 */
			jset(fd, "aweme_id", jstr(id));
			jset(root, "filter_detail", fd);
		}
		reply_json(r, 200, root);
		return;
	}
	struct page pg;
	detail_page(&pg);
	jset(root, "aweme_detail", douyin_aweme(&pg, p, 0, 0));
	post_now_release(&pn);
	reply_json(r, 200, root);
}

/*
 * /open/v1/item?id=ID: one item of the generic feed, in this server's own
 * format (no platform's: the generic adapter is configured against
 * /open/v1/feed, see tests/collect_test.sh), following /open/v1/feed's
 * conventions: {"code":0,"data":{"item":ITEM}} with ITEM exactly as in the
 * feed's data.list (generic_item()), counts of now; a deleted item
 * {"code":0,"data":{"item":null,"deleted":true}}; an id not in the file
 * HTTP 404 {"code":404,"message":"not found"}.  mirror: /open/v1/mirror/item,
 * the same for a Douyin post as the mirror lists it (its counts a day old
 * in world mode).
 */
static void serve_item(struct server *s, struct MHD_Connection *con, int mirror, struct reply *r)
{
	stats_count(s, mirror ? EP_MIRROR_ITEM : EP_ITEM, -1, 0);
	if (!authorized(s, con)) {
		count_unauthorized(s, r);
		return;
	}
	if (reply_detail_fault(s, mirror ? FAULT_MIRROR : FEED_GENERIC, r))
		return;
	const char *id = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "id");
	struct post_now pn;
	int deleted;
	const struct post *p = detail_find(s, mirror ? FEED_DOUYIN : FEED_GENERIC, id,
					   mirror ? MIRROR_DELAY_S : 0, &deleted, &pn);
	if (p == NULL && !deleted) {
		reply_text(r, 404, "application/json; charset=utf-8",
			   "{\"code\":404,\"message\":\"not found\"}");
		return;
	}
	json_t *root = json_object(), *data = json_object();
	jset(root, "code", json_integer(0));
	if (deleted) {
		jset(data, "item", json_null());
		jset(data, "deleted", json_true());
	} else {
		struct page pg;
		detail_page(&pg);
		jset(data, "item", generic_item(&pg, p, 0, 0));
		post_now_release(&pn);
	}
	jset(root, "data", data);
	reply_json(r, 200, root);
}

/* /_control/weibo: which posts the Weibo feed serves as reposts and which as
 * long posts, so that tests need not recompute the rules. */
static char *weibo_shapes_json(const struct store *st)
{
	json_t *root = json_object(), *reposts = json_array(), *longs = json_array();
	for (size_t i = 0; i < st->feed_n[FEED_WEIBO]; i++) {
		const struct post *p = st->feed[FEED_WEIBO][i];
		if (p->repost_no >= 0) {
			json_t *o = json_object();
			char id[64];
			repost_id(p, id, sizeof id);
			jset(o, "original", jstr(p->post_id));
			jset(o, "repost", jstr(id));
			jset(o, "quotes_tag", json_boolean(p->repost_no % 2 == 1));
			json_array_append_new(reposts, o);
		}
		if (weibo_is_long(p))
			json_array_append_new(longs, jstr(p->post_id));
	}
	jset(root, "reposts", reposts);
	jset(root, "long_text", longs);
	char *out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return out;
}

static void reply_owned_json(struct reply *r, char *body)
{
	if (body == NULL) {
		reply_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
		return;
	}
	free(r->body);
	r->status = 200;
	r->ctype = "application/json; charset=utf-8";
	r->body = body;
	r->len = strlen(body);
}

/*
 * /_control/delete?platform=P&id=ID: delete one post from now on (until
 * /_control/reset).  P is weibo, bilibili, douyin, generic, or the platform
 * of a generic post as the file names it (xiaohongshu, …).  200
 * {"deleted":true} (also when it was deleted already), 404 for no such post,
 * 400 without platform= or id=.
 */
static void control_delete(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	const struct store *st = s->store;
	const char *plat = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "platform");
	const char *id = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "id");
	if (plat == NULL || *plat == '\0' || id == NULL || *id == '\0') {
		reply_text(r, 400, "text/plain; charset=utf-8", "missing platform= or id=\n");
		return;
	}
	int f;
	for (f = 0; f < FEED_COUNT && strcmp(plat, FEED_NAME[f]); f++)
		;
	const struct post *p = NULL;
	if (f < FEED_COUNT)
		p = store_find(st, (enum feed)f, id, NULL);
	else {
		/* A generic platform's own name: the post of that id and platform
		 * (ids of different platforms may be equal; scan the run). */
		size_t pos;
		if (store_find(st, FEED_GENERIC, id, &pos) != NULL) {
			const struct post *const *by = st->byid[FEED_GENERIC];
			while (pos > 0 && !strcmp(by[pos - 1]->post_id, id))
				pos--;
			for (; pos < st->feed_n[FEED_GENERIC] && !strcmp(by[pos]->post_id, id); pos++)
				if (!strcmp(by[pos]->platform, plat)) {
					p = by[pos];
					break;
				}
		}
	}
	if (p == NULL) {
		reply_text(r, 404, "application/json; charset=utf-8",
			   "{\"deleted\":false,\"message\":\"no such post\"}");
		return;
	}
	pthread_mutex_lock(&s->lock);
	size_t i = post_index(s, p);
	if (!(s->post_flags[i] & PF_DELETED))
		s->ndeleted++;
	s->post_flags[i] |= PF_DELETED_RUNTIME;
	pthread_mutex_unlock(&s->lock);
	reply_text(r, 200, "application/json; charset=utf-8", "{\"deleted\":true}");
}

/* /_control/grow?pct=N (1..1000): every known count times (100+N)/100,
 * rounded down, on top of the earlier grows.  {"pct":N,"grows":K}. */
static void control_grow(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	uint64_t pct;
	if (param_uint(con, "pct", 1, 1000, 0, &pct) <= 0) {
		reply_text(r, 400, "text/plain; charset=utf-8", "pct= must be a number from 1 to 1000\n");
		return;
	}
	pthread_mutex_lock(&s->lock);
	size_t n = s->store->n * C_COUNT;
	for (size_t i = 0; i < n; i++)
		s->cur_counts[i] = grow_count(s->cur_counts[i], (unsigned)pct);
	unsigned long grows = ++s->grows;
	pthread_mutex_unlock(&s->lock);
	char body[64];
	snprintf(body, sizeof body, "{\"pct\":%" PRIu64 ",\"grows\":%lu}", pct, grows);
	reply_text(r, 200, "application/json; charset=utf-8", body);
}

/* World mode from now on, its clock at t (and running on from there).
 * Caller holds s->lock. */
static void world_set_locked(struct server *s, int64_t t)
{
	s->world = 1;
	s->world_base = t;
	clock_gettime(CLOCK_MONOTONIC, &s->world_set);
}

/* /_control/clock?now=UNIX: world mode, the world's clock set to UNIX (it
 * runs on with the machine's).  {"now":N}, the world's clock after it;
 * without now= just that ({"now":null} outside world mode). */
static void control_clock(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	uint64_t t;
	int got = param_uint(con, "now", 1, 9999999999ull, 0, &t);
	if (got < 0) {
		reply_text(r, 400, "text/plain; charset=utf-8", "now= must be UNIX seconds\n");
		return;
	}
	char body[64];
	pthread_mutex_lock(&s->lock);
	if (got > 0)
		world_set_locked(s, (int64_t)t);
	if (s->world)
		snprintf(body, sizeof body, "{\"now\":%" PRId64 "}", world_now_locked(s));
	else
		snprintf(body, sizeof body, "{\"now\":null}");
	pthread_mutex_unlock(&s->lock);
	reply_text(r, 200, "application/json; charset=utf-8", body);
}

/*
 * /_control/world[?now=T]: the world's truth at T (default: the server's
 * now), for a test's checks, so that it never redoes this server's
 * arithmetic: {"now":T,"world":BOOL,"growth_s":{FEED:S},"mirror_delay_s":S,
 * "posts":[{"platform","post_id","feed","created_at","listed_from",
 * "deleted_at" (null: never),"listed" (listed at T),"deleted" (deleted at
 * T),"counts":{"views","likes","comments","shares","favorites","coins"}}]}
 * in store order (newest first).  The counts are the true ones of T (as the
 * detail pages give them; Bilibili's search shows 98% of them, the mirror
 * those of a day before); null where the file has none or no page of the
 * platform shows it (Weibo's favorites); coins only for Bilibili (likes /
 * 3).  Outside world mode the counts are those of now.
 */
static void control_world(struct server *s, struct MHD_Connection *con, struct reply *r)
{
	const struct store *st = s->store;
	uint64_t t;
	pthread_mutex_lock(&s->lock);
	int64_t dflt = server_now_locked(s);
	pthread_mutex_unlock(&s->lock);
	if (param_uint(con, "now", 0, 9999999999ull, (uint64_t)dflt, &t) < 0) {
		reply_text(r, 400, "text/plain; charset=utf-8", "now= must be UNIX seconds\n");
		return;
	}
	json_t *root = json_object(), *posts = json_array(), *growth = json_object();
	for (int f = 0; f < FEED_COUNT; f++)
		jset(growth, FEED_NAME[f],
		     json_integer(f == FEED_BILIBILI ? WORLD_GROWTH_BILI_S : WORLD_GROWTH_S));
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < st->n; i++) {
		const struct post *p = &st->posts[i];
		json_t *o = json_object(), *cs = json_object();
		int64_t now = (int64_t)t;
		jset(o, "platform", jstr(p->platform));
		jset(o, "post_id", jstr(p->post_id));
		jset(o, "feed", jstr(FEED_NAME[p->feed]));
		jset(o, "created_at", json_integer(p->created));
		jset(o, "listed_from", json_integer(s->world ? s->listed_from[i] : p->created));
		jset(o, "deleted_at", s->world && s->gone_at[i] ? json_integer(s->gone_at[i])
								 : json_null());
		int deleted = post_deleted_at_locked(s, p, now);
		jset(o, "listed", json_boolean(post_listed_at_locked(s, p, now) && !deleted));
		jset(o, "deleted", json_boolean(deleted));
		const int64_t *cur = &s->cur_counts[i * C_COUNT];
		int64_t v[C_COUNT];
		for (int c = 0; c < C_COUNT; c++) {
			v[c] = s->world ? world_count_at(s, p, cur[c], now) : cur[c];
			if (p->feed == FEED_WEIBO && c == C_FAVORITES)
				v[c] = -1; /* no Weibo page carries it */
			jset(cs, COUNTER_KEY[c], v[c] >= 0 ? json_integer(v[c]) : json_null());
		}
		jset(cs, "coins", p->feed == FEED_BILIBILI && v[C_LIKES] >= 0
					  ? json_integer(v[C_LIKES] / 3)
					  : json_null());
		jset(o, "counts", cs);
		json_array_append_new(posts, o);
	}
	jset(root, "world", json_boolean(s->world));
	pthread_mutex_unlock(&s->lock);
	jset(root, "now", json_integer((json_int_t)t));
	jset(root, "growth_s", growth);
	jset(root, "mirror_delay_s", json_integer(MIRROR_DELAY_S));
	jset(root, "posts", posts);
	char *out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	reply_owned_json(r, out);
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
	} else if (!strcmp(what, "unfault")) {
		pthread_mutex_lock(&s->lock);
		s->nfaults = 0;
		pthread_mutex_unlock(&s->lock);
		reply_text(r, 200, "text/plain; charset=utf-8", "ok\n");
	} else if (!strcmp(what, "clock"))
		control_clock(s, con, r);
	else if (!strcmp(what, "world"))
		control_world(s, con, r);
	else if (!strcmp(what, "stats"))
		reply_owned_json(r, stats_json(s));
	else if (!strcmp(what, "weibo"))
		reply_owned_json(r, weibo_shapes_json(s->store));
	else if (!strcmp(what, "images"))
		reply_owned_json(r, images_json(s));
	else if (!strcmp(what, "delete"))
		control_delete(s, con, r);
	else if (!strcmp(what, "grow"))
		control_grow(s, con, r);
	else
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
		sb_addf(&l.b, " (fault %s)", FAULTS[r->fault].name);
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
		serve_feed(s, con, FEED_WEIBO, 0, &r);
	else if (!strcmp(url, "/x/web-interface/wbi/search/type"))
		serve_feed(s, con, FEED_BILIBILI, 0, &r);
	else if (!strcmp(url, "/x/web-interface/search/type"))
		serve_bili_unsigned(s, &r);
	else if (!strcmp(url, "/x/web-interface/nav"))
		serve_nav(s, con, &r);
	else if (!strcmp(url, "/x/frontend/finger/spi"))
		serve_spi(s, con, &r);
	else if (!strcmp(url, "/x/web-interface/view"))
		serve_view(s, con, &r);
	else if (!strcmp(url, "/statuses/extend"))
		serve_extend(s, con, &r);
	else if (!strcmp(url, "/statuses/show"))
		serve_show(s, con, &r);
	else if (!strcmp(url, "/aweme/v1/web/aweme/detail/") ||
		 !strcmp(url, "/aweme/v1/web/aweme/detail"))
		serve_aweme_detail(s, con, &r);
	else if (!strcmp(url, "/open/v1/item"))
		serve_item(s, con, 0, &r);
	else if (!strcmp(url, "/open/v1/mirror/item"))
		serve_item(s, con, 1, &r);
	else if (!strcmp(url, "/aweme/v1/web/general/search/single/") ||
		 !strcmp(url, "/aweme/v1/web/general/search/single"))
		serve_feed(s, con, FEED_DOUYIN, 0, &r);
	else if (!strcmp(url, "/open/v1/feed"))
		serve_feed(s, con, FEED_GENERIC, 0, &r);
	else if (!strcmp(url, "/open/v1/mirror"))
		serve_feed(s, con, FEED_GENERIC, 1, &r);
	else if (!strncmp(url, "/img/", 5))
		serve_image(s, con, url, &r);
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
		"                    [--weibo-times absolute|relative|mixed] [--wbi-rotate N]\n"
		"                    [--empty-feed PLATFORM]... [--page-cap N]\n"
		"                    [--deleted-every N] [--review-some] [--review BVID]...\n"
		"                    [--clock UNIX] [--images] [--verbose]\n"
		"Serves the posts of FILE (kepu's normalized NDJSON) as weibo, bilibili, douyin\n"
		"and a generic JSON feed on 127.0.0.1; prints 'listening on 127.0.0.1:PORT'.\n"
		"  --port N            0 (default) picks a free port\n"
		"  --per-page N        page size of every feed (default weibo 10, others 20;\n"
		"                      also overrides douyin count= and generic size=)\n"
		"  --fault SPEC        PLATFORM weibo|bilibili|douyin|generic|*, PAGE n|*,\n"
		"                      KIND 429|429date|500|503|slow|drop|truncated|html|empty|\n"
		"                      blocked|oversize|strcounts|dup|badpost|432|login|403,\n"
		"                      bilibili voucher|352|401|viewfail, douyin nilinfo|\n"
		"                      paramscheck|antispam|nildata, weibo extendfail;\n"
		"                      N times (0 = always); SPEC[@PCT]: fires with that chance\n"
		"                      (percent); detail: 503 from the detail pages (PAGE *);\n"
		"                      PLATFORM mirror: /open/v1/mirror\n"
		"  --require-header NAME:VALUE   platform requests without it get 401\n"
		"  --weibo-times MODE  weibo created_at: absolute (default), relative as\n"
		"                      m.weibo.cn shows it, or mixed\n"
		"  --wbi-rotate N      bilibili's WBI keys change after every N signed searches\n"
		"  --empty-feed P      serve platform P with no results (repeatable)\n"
		"  --page-cap N        weibo and bilibili list N pages of a search at most\n"
		"  --deleted-every N   posts with fnv1a(platform + post_id) %% N == 0 are deleted:\n"
		"                      gone from the searches, details answer deleted\n"
		"  --review-some       bilibili posts with fnv1a(\"bilibili\" + bvid) %% 97 == 5\n"
		"                      are under review (/view answers 62004)\n"
		"  --review BVID       this bilibili post is under review (repeatable)\n"
		"  --clock UNIX        world mode: a clock of its own from UNIX on; posts listed\n"
		"                      from their time, counts growing, some deleted, some\n"
		"                      generic posts listed late (see the source's header)\n"
		"  --images            covers point at this server (/img/HOST/PATH) and are\n"
		"                      served there as real pictures, with each image\n"
		"                      server's hotlink rules; faults img404|imghtml|imgsvg|\n"
		"                      imgbig|imgslow|imgredirect|imgctype|imgempty with PAGE\n"
		"                      the post's id (or *)\n"
		"  --verbose           log each request line to stderr\n"
		"Details: /statuses/show?id=ID  /x/web-interface/view?bvid=BV\n"
		"         /aweme/v1/web/aweme/detail/?aweme_id=ID  /open/v1/item?id=ID\n"
		"Mirror:  /open/v1/mirror?page=N&size=K  /open/v1/mirror/item?id=ID\n"
		"Control: /_health /_control/fault?spec=SPEC /_control/reset /_control/stats\n"
		"         /_control/weibo /_control/delete?platform=P&id=ID /_control/grow?pct=N\n"
		"         /_control/unfault /_control/clock?now=UNIX /_control/world?now=UNIX\n"
		"         /_control/images\n"
		"         (reset also forgets runtime deletions and growth)\n");
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

/* Each post's listing and deletion time in world mode (the header's
 * rules): listed at created_at, or the data file's listed_at, or for one
 * generic post in WORLD_LATE_EVERY 2 to 4 days later; deleted
 * WORLD_GONE_AFTER_S after created_at for one post in WORLD_GONE_EVERY. */
static void world_plan(struct server *s)
{
	const struct store *st = s->store;
	for (size_t i = 0; i < st->n; i++) {
		const struct post *p = &st->posts[i];
		int64_t lf = p->created, v;
		const json_t *la = json_object_get(p->obj, "listed_at");
		if (la != NULL && parse_time_json(la, &v) == 0)
			lf = v;
		else if (p->feed == FEED_GENERIC) {
			uint64_t h = fnv1a_salted("world-late:", p->post_id);
			if (h % WORLD_LATE_EVERY == 0)
				lf = p->created + WORLD_LATE_MIN_S +
				     (int64_t)(h / WORLD_LATE_EVERY % (WORLD_LATE_SPAN_S + 1));
		}
		s->listed_from[i] = lf;
		char key[512];
		snprintf(key, sizeof key, "%s:%s", p->platform, p->post_id);
		s->gone_at[i] = fnv1a_salted("world-gone:", key) % WORLD_GONE_EVERY == 0
					? p->created + WORLD_GONE_AFTER_S
					: 0;
	}
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
	const char *reviews[MAX_FAULTS];
	size_t nreviews = 0;
	int review_some = 0, images = 0;
	int64_t port = 0, per_page = 0, clock = 0;
	int rc = 1;

	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--verbose")) {
			srv.verbose = 1;
			i--; /* takes no value */
		} else if (!strcmp(a, "--review-some")) {
			review_some = 1;
			i--; /* takes no value */
		} else if (!strcmp(a, "--images")) {
			images = 1;
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
		} else if (!strcmp(a, "--weibo-times")) {
			if (!strcmp(v, "absolute"))
				srv.weibo_times = WT_ABSOLUTE;
			else if (!strcmp(v, "relative"))
				srv.weibo_times = WT_RELATIVE;
			else if (!strcmp(v, "mixed"))
				srv.weibo_times = WT_MIXED;
			else {
				fprintf(stderr, "fakeplatform: --weibo-times needs absolute, relative "
						"or mixed\n");
				return 2;
			}
		} else if (!strcmp(a, "--page-cap")) {
			int64_t n;
			if (parse_num_arg(a, v, 1, 1000000, &n) < 0)
				return 2;
			srv.page_cap = (size_t)n;
		} else if (!strcmp(a, "--clock")) {
			if (parse_num_arg(a, v, 1, 9999999999LL, &clock) < 0)
				return 2;
		} else if (!strcmp(a, "--deleted-every")) {
			int64_t n;
			if (parse_num_arg(a, v, 1, 1000000000, &n) < 0)
				return 2;
			srv.deleted_every = (uint64_t)n;
		} else if (!strcmp(a, "--review")) {
			if (nreviews >= NELEM(reviews) || *v == '\0') {
				fprintf(stderr, "fakeplatform: --review needs a bvid (at most %zu)\n",
					NELEM(reviews));
				return 2;
			}
			reviews[nreviews++] = v;
		} else if (!strcmp(a, "--wbi-rotate")) {
			int64_t n;
			if (parse_num_arg(a, v, 1, 1000000000, &n) < 0)
				return 2;
			srv.wbi_rotate = (unsigned long)n;
		} else if (!strcmp(a, "--empty-feed")) {
			int f;
			for (f = 0; f < FEED_COUNT && strcmp(v, FEED_NAME[f]); f++)
				;
			if (f == FEED_COUNT) {
				fprintf(stderr, "fakeplatform: --empty-feed needs weibo, bilibili, "
						"douyin or generic\n");
				return 2;
			}
			srv.empty_feeds |= FEED_BIT(f);
		} else
			goto bad_usage;
	}
	if (data == NULL)
		goto bad_usage;

	pthread_mutex_init(&srv.lock, NULL);
	srv.rng = 0x6b657075; /* "kepu": the same draws on every start */
	if (clock)
		world_set_locked(&srv, clock); /* no thread runs yet */
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
	srv.view_hits = calloc(st.feed_n[FEED_BILIBILI] + 1, sizeof *srv.view_hits);
	srv.extend_hits = calloc(st.feed_n[FEED_WEIBO] + 1, sizeof *srv.extend_hits);
	srv.post_flags = calloc(st.n + 1, sizeof *srv.post_flags);
	srv.cur_counts = calloc(st.n * C_COUNT + 1, sizeof *srv.cur_counts);
	srv.listed_from = calloc(st.n + 1, sizeof *srv.listed_from);
	srv.gone_at = calloc(st.n + 1, sizeof *srv.gone_at);
	if (srv.view_hits == NULL || srv.extend_hits == NULL || srv.post_flags == NULL ||
	    srv.cur_counts == NULL || srv.listed_from == NULL || srv.gone_at == NULL) {
		fprintf(stderr, "fakeplatform: out of memory\n");
		goto out;
	}
	world_plan(&srv);
	counts_restore_locked(&srv); /* no thread runs yet */
	if (images && covers_index(&srv) < 0) {
		fprintf(stderr, "fakeplatform: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < st.n; i++) {
		const struct post *p = &st.posts[i];
		if (srv.deleted_every && fnv1a_salted(p->platform, p->post_id) % srv.deleted_every == 0) {
			srv.post_flags[i] |= PF_DELETED_START;
			srv.ndeleted++;
		}
		if (review_some && p->feed == FEED_BILIBILI &&
		    fnv1a_salted("bilibili", p->post_id) % 97 == 5)
			srv.post_flags[i] |= PF_REVIEW;
	}
	for (size_t i = 0; i < nreviews; i++) {
		const struct post *p = store_find(&st, FEED_BILIBILI, reviews[i], NULL);
		if (p == NULL) {
			fprintf(stderr, "fakeplatform: --review %s: no such bilibili post\n",
				reviews[i]);
			rc = 2;
			goto out;
		}
		srv.post_flags[post_index(&srv, p)] |= PF_REVIEW;
	}

	unsigned bound = 0;
	int fd = listen_loopback((unsigned)port, &bound);
	if (fd < 0) {
		fprintf(stderr, "fakeplatform: cannot listen on 127.0.0.1:%" PRId64 ": %s\n", port,
			strerror(errno));
		goto out;
	}
	if (images) /* before any thread: the builders read it */
		snprintf(image_base, sizeof image_base, "http://127.0.0.1:%u/img/", bound);

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
	free(srv.view_hits);
	free(srv.extend_hits);
	free(srv.post_flags);
	free(srv.cur_counts);
	free(srv.listed_from);
	free(srv.gone_at);
	free(srv.covers);
	store_release(&st);
	pthread_mutex_destroy(&srv.lock);
	return rc;

bad_usage:
	usage(stderr);
	return 2;
}
