/*
 * bilibili.c: the Bilibili adapter: video search through the signed web
 * endpoint, detail counts per recent video.
 *
 * The unsigned /x/web-interface/search/type is retired: Bilibili answers
 * it, and any request whose WBI signature is missing or wrong, with
 * `{"code":0,"data":{"v_voucher":"voucher_…"}}`, a refusal that looks like
 * success (bilibili-API-collect, docs/misc/sign/wbi.md and v_voucher.md).
 * So every search is signed as the web client signs it (wbi.md):
 *   1. img_key and sub_key are the file names (without extension) of
 *      data.wbi_img.img_url / sub_url from /x/web-interface/nav (answered
 *      even when not logged in, with code -101); they change daily, so
 *      they are fetched once per run and again once when a signature is
 *      refused;
 *   2. the mixin key is img_key + sub_key permuted by the published
 *      64-entry table, cut to 32 characters;
 *   3. the parameters with wts (unix time) are sorted by name, the
 *      characters !'()* dropped from values, percent-encoded (RFC 3986),
 *      joined with & and =; w_rid = MD5(that + mixin key) in hex (OpenSSL's
 *      EVP, the library behind libcurl).
 * Without a buvid3 cookie the search is refused sooner; /x/frontend/
 * finger/spi hands one out (data.b_3, docs/misc/buvid3_4.md).
 *
 * Search results lag and lack shares and coins: for each new or recent
 * video (at or above the pass's floor) the detail
 * /x/web-interface/view?bvid=… gives data.stat.view/like/reply/favorite/
 * share/coin (docs/video/info.md).  A failed detail request keeps the
 * search's counts and is a warning on the item.
 *
 * Refusals: -412 (HTTP 412, "请求被拦截"), -352 (风控校验失败), -401,
 * -403, v_voucher in data whatever the code.  A backfill asks day by day
 * (pubtime_begin_s / pubtime_end_s) because one query stops at 50 pages.
 */
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/redact.h"
#include "fields.h"

/* A desktop browser on the search page, as MediaCrawler's bilibili client
 * and the web page itself send. */
static const char *const bili_headers[] = {
	"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/126.0.0.0 Safari/537.36",
	"Referer: https://search.bilibili.com/",
	"Origin: https://search.bilibili.com",
	"Accept: application/json, text/plain, */*",
	NULL,
};

/* wbi.md's permutation of img_key + sub_key. */
static const unsigned char mixin_table[64] = {
	46, 47, 18, 2,	53, 8,	23, 32, 15, 50, 10, 31, 58, 3,	45, 35, 27, 43, 5,  49, 33, 9,
	42, 19, 29, 28, 14, 39, 12, 38, 41, 13, 37, 48, 7,  16, 24, 55, 40, 61, 26, 17, 0,  1,
	60, 51, 30, 4,	22, 25, 54, 21, 56, 59, 6,  63, 57, 62, 11, 36, 20, 34, 44, 52};

struct bili {
	char mixin[33];   /* "" until the keys are fetched */
	int resigned;     /* the keys were fetched again this run */
};

/* The file name without extension of a wbi_img URL. */
static int wbi_key(const char *url, char *out, size_t cap)
{
	const char *slash = url ? strrchr(url, '/') : NULL, *dot;
	size_t n;

	if (!slash)
		return -1;
	dot = strchr(slash + 1, '.');
	n = dot ? (size_t)(dot - slash - 1) : strlen(slash + 1);
	if (!n || n >= cap)
		return -1;
	memcpy(out, slash + 1, n);
	out[n] = '\0';
	return 0;
}

/* The mixin key of img_key + sub_key (exposed for the tests). */
int bili_mixin_key(const char *img_key, const char *sub_key, char out[33])
{
	char raw[160];
	int n = snprintf(raw, sizeof(raw), "%s%s", img_key, sub_key);

	if (n < 64 || n >= (int)sizeof(raw))
		return -1;
	for (int i = 0; i < 32; i++)
		out[i] = raw[mixin_table[i]];
	out[32] = '\0';
	return 0;
}

/* GET url into a parsed JSON root (the caller decrefs), or NULL with e. */
static json_t *get_json(struct adapter_run *r, const char *url, const char *what, struct kerr *e)
{
	struct http_response resp;
	json_error_t jerr;
	json_t *root = NULL;

	http_response_init(&resp);
	if (r->fetch->get(r->fetch, url, NULL, 0, &resp, e) < 0)
		kerr_prefix(e, "%s", what);
	else if (resp.status != 200)
		kerr_set(e, KERR_DATA, "%s: HTTP %ld", what, resp.status);
	else if (!(root = json_loadb(resp.body.data ? resp.body.data : "", resp.body.len, 0, &jerr)))
		kerr_set(e, KERR_DATA, "%s: invalid JSON at byte %d: %s", what, jerr.position, jerr.text);
	http_response_release(&resp);
	return root;
}

/* The WBI keys from nav, and a buvid3 when the operator's cookie has none. */
static int bili_start(struct adapter_run *r, struct kerr *e)
{
	struct bili *b = r->state;
	char url[1200], img[96], sub[96];
	json_t *root, *wbi;
	const char *cookie;

	if (!b) {
		if (!(b = calloc(1, sizeof(*b))))
			return kerr_set(e, KERR_NOMEM, "out of memory");
		r->state = b;
	}
	if (!r->fetch)
		return 0;
	snprintf(url, sizeof(url), "%s/x/web-interface/nav", r->s->base_url);
	if (!(root = get_json(r, url, "the WBI keys (x/web-interface/nav)", e)))
		return -1;
	wbi = json_object_get(json_object_get(root, "data"), "wbi_img");
	if (wbi_key(json_string_value(json_object_get(wbi, "img_url")), img, sizeof(img)) < 0 ||
	    wbi_key(json_string_value(json_object_get(wbi, "sub_url")), sub, sizeof(sub)) < 0 ||
	    bili_mixin_key(img, sub, b->mixin) < 0) {
		json_decref(root);
		b->mixin[0] = '\0';
		return kerr_set(e, KERR_DATA,
				"the WBI keys (x/web-interface/nav): no data.wbi_img.img_url and sub_url in the answer");
	}
	json_decref(root);
	cookie = r->s->cookie_env ? getenv(r->s->cookie_env) : NULL;
	if (!r->cookie_extra[0] && (!cookie || !strstr(cookie, "buvid3="))) {
		snprintf(url, sizeof(url), "%s/x/frontend/finger/spi", r->s->base_url);
		if (!(root = get_json(r, url, "a buvid3 cookie (x/frontend/finger/spi)", e)))
			return -1;
		const char *b3 = json_string_value(json_object_get(json_object_get(root, "data"), "b_3"));
		if (b3 && *b3 && strlen(b3) < sizeof(r->cookie_extra) - 8 && !strpbrk(b3, ";\r\n "))
			snprintf(r->cookie_extra, sizeof(r->cookie_extra), "buvid3=%s", b3);
		json_decref(root);
	}
	return 0;
}

static void bili_stop(struct adapter_run *r)
{
	free(r->state);
	r->state = NULL;
}

/* Append the value, !'()* dropped, percent-encoded as wbi.md asks. */
static int add_wbi_value(struct kbuf *b, const char *v, struct kerr *e)
{
	char kept[1024];
	size_t n = 0;

	for (; *v && n < sizeof(kept) - 1; v++)
		if (!strchr("!'()*", *v))
			kept[n++] = *v;
	if (*v)
		return kerr_set(e, KERR_USAGE, "a search parameter longer than %zu bytes", sizeof(kept) - 1);
	kept[n] = '\0';
	return fields_add_escaped(b, kept, e); /* RFC 3986, upper-case hex: what wbi.md asks */
}

/* The signed query of n parameters (names sorted by the caller, wts among
 * them): "k=v&…&w_rid=…" appended to query (which may hold the URL so far;
 * only the parameters are signed). */
int bili_sign(const char *const *names, const char *const *values, size_t n, const char *mixin, struct kbuf *query,
	      struct kerr *e)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct kbuf signing;
	size_t start = query->len; /* what is there already (the URL) is not signed */
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		if ((i && kbuf_addc(query, '&', e) < 0) || kbuf_addf(query, e, "%s=", names[i]) < 0 ||
		    add_wbi_value(query, values[i], e) < 0)
			return -1;
	kbuf_init(&signing, query->cap);
	if (kbuf_add(&signing, query->data ? query->data + start : "", query->len - start, e) < 0 ||
	    kbuf_adds(&signing, mixin, e) < 0)
		goto out;
	if (!EVP_Digest(signing.data, signing.len, md, &mdlen, EVP_md5(), NULL) || mdlen != 16) {
		kerr_set(e, KERR_NOMEM, "cannot compute MD5 (OpenSSL)");
		goto out;
	}
	if (kbuf_adds(query, "&w_rid=", e) < 0)
		goto out;
	for (unsigned i = 0; i < mdlen; i++)
		if (kbuf_addf(query, e, "%02x", md[i]) < 0)
			goto out;
	rc = 0;
out:
	kbuf_release(&signing);
	return rc;
}

static void bili_first(const struct adapter_run *r, struct page_pos *pos)
{
	memset(pos, 0, sizeof(*pos));
	pos->page = 1;
	pos->day = r->backfill ? 0 : -1;
}

/* The day slice [begin, end] of a backfill position (UTC, inclusive). */
static void day_slice(const struct adapter_run *r, long day, int64_t *begin, int64_t *end)
{
	*end = r->window_end - 1 - (int64_t)day * 86400;
	*begin = *end - 86399;
}

static int bili_url(struct adapter_run *r, const struct page_pos *pos, struct kbuf *url, struct kerr *e)
{
	struct bili *b = r->state;
	char page[24], begin[24], end[24], wts[24];
	const char *names[8], *values[8];
	size_t n = 0;

	if (r->detail_id) /* the video page: no signature needed */
		return kbuf_addf(url, e, "%s/x/web-interface/view?bvid=", r->s->base_url) < 0 ? -1
											 : fields_add_escaped(url, r->detail_id, e);
	if (!b || !b->mixin[0])
		return kerr_set(e, KERR_DATA, "no WBI keys to sign the search with (the nav request failed)");
	snprintf(page, sizeof(page), "%ld", pos->page);
	snprintf(wts, sizeof(wts), "%lld", (long long)time(NULL));
	/* sorted by name */
	names[n] = "keyword", values[n++] = r->s->query;
	names[n] = "order", values[n++] = "pubdate";
	names[n] = "page", values[n++] = page;
	if (pos->day >= 0) {
		int64_t b0, b1;
		day_slice(r, pos->day, &b0, &b1);
		snprintf(begin, sizeof(begin), "%" PRId64, b0);
		snprintf(end, sizeof(end), "%" PRId64, b1);
		names[n] = "pubtime_begin_s", values[n++] = begin;
		names[n] = "pubtime_end_s", values[n++] = end;
	}
	names[n] = "search_type", values[n++] = "video";
	names[n] = "wts", values[n++] = wts;
	if (kbuf_addf(url, e, "%s/x/web-interface/wbi/search/type?", r->s->base_url) < 0)
		return -1;
	return bili_sign(names, values, n, b->mixin, url, e);
}

/* `pic` is protocol-relative ("//i0.hdslb.com/…"): make it https. */
static const char *cover_of(json_t *v, struct arena *a)
{
	const char *s = json_string_value(v);
	char buf[1024];

	if (!s || !*s)
		return NULL;
	if (!strncmp(s, "//", 2)) {
		int n = snprintf(buf, sizeof(buf), "https:%s", s);
		return n > 0 && (size_t)n < sizeof(buf) ? arena_strndup(a, buf, (size_t)n) : NULL;
	}
	return arena_strndup(a, s, strlen(s));
}

/*
 * A video's page, x/web-interface/view?bvid= (bilibili-API-collect
 * docs/video/info.md): data.stat has view, like, reply, favorite, share,
 * coin.  A video that is gone answers code -404 "啥都木有", 62002 "稿件不
 * 可见" (removed or hidden) or 62012 (only its uploader may see it); 62004
 * "稿件审核中" is a video under review, which may come back: no news.
 * (62002 is also what non-mainland addresses get for some videos; kepu
 * runs in Chongqing.)
 */
static int bili_detail(struct parse *ps, json_t *root, struct kerr *e)
{
	json_int_t code = json_integer_value(json_object_get(root, "code"));
	json_t *data = json_object_get(root, "data"), *stat = json_object_get(data, "stat");
	const char *msg = json_string_value(json_object_get(root, "message"));
	static const struct {
		const char *key;
		int k;
	} map[] = {{"view", PC_VIEWS},	       {"like", PC_LIKES},   {"reply", PC_COMMENTS},
		   {"favorite", PC_FAVORITES}, {"share", PC_SHARES}, {"coin", PC_COINS}};
	const char *why = NULL, *field = NULL;
	struct post *p;

	if (code == -404 || code == 62002 || code == 62012) {
		ps->pg->gone = 1;
		return 0;
	}
	if (code == 62004)
		return 0;
	if (code != 0 || !json_is_object(stat))
		return kerr_set(e, KERR_DATA, "Bilibili's video page answered code %" JSON_INTEGER_FORMAT ": %s", code,
				msg ? msg : "no data.stat");
	ps->index = 1;
	ps->pg->items = 1;
	if (!(p = fields_new_post(ps, "bilibili")))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (!(p->post_id = fields_id_of(json_object_get(data, "bvid"), ps->a, &why)))
		field = "bvid";
	p->title = fields_plain_of(json_object_get(data, "title"), ps->a);
	p->text = fields_plain_of(json_object_get(data, "desc"), ps->a);
	p->author_name = fields_text_of(json_object_get(json_object_get(data, "owner"), "name"), ps->a);
	p->author_id = fields_text_of(json_object_get(json_object_get(data, "owner"), "mid"), ps->a);
	p->cover_url = cover_of(json_object_get(data, "pic"), ps->a);
	p->media = "video";
	if (!field && fields_time_of(json_object_get(data, "pubdate"), &p->created_at, &why) < 0)
		field = "pubdate";
	for (size_t k = 0; k < sizeof(map) / sizeof(map[0]) && !field; k++)
		if (fields_count_of(p, map[k].k, json_object_get(stat, map[k].key), &why) < 0)
			field = map[k].key;
	if (p->post_id && fields_make_url(p, ps->a, "https://www.bilibili.com/video/%s") < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return fields_finish(ps, p, field, why) < 0 ? kerr_set(e, KERR_NOMEM, "out of memory") : 0;
}

/*
 * A video of the search's data.result: its counts as the search gives
 * them (play, like, favorites, review), its `tag` (comma-separated) as
 * topics.  0, or -1 out of memory.
 */
static int search_result(struct parse *ps, json_t *v)
{
	struct post *p;
	const char *why = NULL, *field = NULL, *tag;

	if (!(p = fields_new_post(ps, "bilibili")))
		return -1;
	if (!(p->post_id = fields_id_of(json_object_get(v, "bvid"), ps->a, &why)))
		field = "bvid";
	p->title = fields_plain_of(json_object_get(v, "title"), ps->a);
	p->text = fields_plain_of(json_object_get(v, "description"), ps->a);
	p->author_name = fields_text_of(json_object_get(v, "author"), ps->a);
	p->author_id = fields_text_of(json_object_get(v, "mid"), ps->a);
	p->cover_url = cover_of(json_object_get(v, "pic"), ps->a);
	p->media = "video";
	if (!field && fields_time_of(json_object_get(v, "pubdate"), &p->created_at, &why) < 0)
		field = "pubdate";
	if (!field && fields_count_of(p, PC_VIEWS, json_object_get(v, "play"), &why) < 0)
		field = "play";
	if (!field && fields_count_of(p, PC_LIKES, json_object_get(v, "like"), &why) < 0)
		field = "like";
	if (!field && fields_count_of(p, PC_FAVORITES, json_object_get(v, "favorites"), &why) < 0)
		field = "favorites";
	if (!field && fields_count_of(p, PC_COMMENTS, json_object_get(v, "review"), &why) < 0)
		field = "review";
	if ((tag = json_string_value(json_object_get(v, "tag"))) && *tag) {
		size_t n = 1;
		for (const char *q = tag; *q; q++)
			n += *q == ',';
		if ((p->topics = fields_topics_alloc(ps->a, n))) {
			for (const char *q = tag; *q;) {
				size_t l = strcspn(q, ",");
				if (l && (p->topics[p->ntopics] = arena_strndup(ps->a, q, l)))
					p->ntopics++;
				q += l + (q[l] == ',');
			}
		}
	}
	if (p->post_id && fields_make_url(p, ps->a, "https://www.bilibili.com/video/%s") < 0)
		return -1;
	return fields_finish(ps, p, field, why);
}

static int bili_parse(struct adapter_run *r, json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *code = json_object_get(root, "code"), *data, *result, *v;
	const char *msg = json_string_value(json_object_get(root, "message"));
	const char *env = fields_cookie_where(r->s);
	size_t i;

	if (!json_is_integer(code))
		return kerr_set(e, KERR_DATA, "not a Bilibili response (no \"code\")");
	data = json_object_get(root, "data");
	if (json_object_get(data, "v_voucher")) {
		/* any code: the signature was refused, or the client is flagged */
		ps->pg->blocked = 1;
		ps->pg->resign = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Bilibili refused the search with a v_voucher (code %" JSON_INTEGER_FORMAT
				"): the WBI signature was refused or the client is flagged; wait, lower the rate "
				"(min_interval_ms), put a logged-in browser's SESSDATA and buvid3 in %s, or use a generic feed",
				json_integer_value(code), env);
	}
	switch (json_integer_value(code)) {
	case 0:
		if (r->detail_id)
			return bili_detail(ps, root, e);
		break;
	case -412:
	case -352:
	case -401:
	case -403:
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Bilibili's risk control refused the search (code %" JSON_INTEGER_FORMAT ": %s); "
				"wait, lower the rate (min_interval_ms) or put a logged-in browser's cookie in %s",
				json_integer_value(code), msg ? msg : "no message", env);
	default:
		if (r->detail_id)
			return bili_detail(ps, root, e);
		return kerr_set(e, KERR_DATA, "Bilibili answered code %" JSON_INTEGER_FORMAT ": %s", json_integer_value(code),
				msg ? msg : "no message");
	}
	result = json_object_get(data, "result");
	if (result && !json_is_array(result))
		return kerr_set(e, KERR_DATA, "data.result: expected an array");
	json_array_foreach(result, i, v)
	{
		int t;

		ps->pg->items++;
		ps->index++;
		if ((t = fields_item_tainted(ps, NULL, "/data/result/%zu", i, 0)) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (!t && search_result(ps, v) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	{
		json_t *page = json_object_get(data, "page"), *pages = json_object_get(data, "numPages");
		ps->pg->more = json_array_size(result) > 0 &&
			       (!json_is_integer(page) || !json_is_integer(pages) ||
				json_integer_value(page) < json_integer_value(pages));
	}
	return 0;
}

/* Fresh counts from the detail of each new or recent video: those the
 * pass reads (down to its floor: the last pass's newest post less the
 * overlap, or the campaign's start on a first or backfill pass). */
static int bili_enrich(struct adapter_run *r, struct page *pg, struct arena *a, struct kerr *e)
{
	struct kbuf u;

	if (!r->fetch || r->detail_id)
		return 0;
	kbuf_init(&u, 4096);
	for (size_t i = 0; i < pg->nposts; i++) {
		struct post *p = &pg->posts[i];
		char msg[1400];
		struct kerr fe;
		json_t *root, *stat;

		if (p->created_at < r->floor || p->created_at < r->window_start) {
			/* older than the pass reads: its counts came from the detail
			 * when it was new; the search's lag behind them and would
			 * only pull them back, so they are not taken */
			p->known &= ~((1u << PC_VIEWS) | (1u << PC_LIKES) | (1u << PC_COMMENTS) | (1u << PC_FAVORITES));
			p->lower &= p->known;
			continue;
		}
		kbuf_reset(&u);
		if (kbuf_addf(&u, e, "%s/x/web-interface/view?bvid=", r->s->base_url) < 0 || fields_add_escaped(&u, p->post_id, e) < 0) {
			kbuf_release(&u);
			return -1;
		}
		kerr_clear(&fe);
		root = get_json(r, u.data, "detail", &fe);
		stat = json_object_get(json_object_get(root, "data"), "stat");
		if (root && json_integer_value(json_object_get(root, "code")) == 0 && json_is_object(stat)) {
			static const struct {
				const char *key;
				int k;
			} map[] = {{"view", PC_VIEWS}, {"like", PC_LIKES}, {"reply", PC_COMMENTS},
				   {"favorite", PC_FAVORITES}, {"share", PC_SHARES}, {"coin", PC_COINS}};
			for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
				const char *why;
				json_t *c = json_object_get(stat, map[k].key);
				if (json_is_integer(c) && json_integer_value(c) >= 0) {
					p->lower &= ~(1u << map[k].k);
					if (fields_count_of(p, map[k].k, c, &why) < 0)
						continue;
				}
			}
		} else {
			const char *m = json_string_value(json_object_get(root, "message"));
			/* the search's counts lag the video's: kept as what they are,
			 * lower bounds, so they never pull a stored count back */
			p->lower |= p->known & ((1u << PC_VIEWS) | (1u << PC_LIKES) | (1u << PC_COMMENTS) | (1u << PC_FAVORITES));
			snprintf(msg, sizeof(msg), "the detail counts of %s could not be fetched (%s); kept the search's "
				 "as lower bounds",
				 p->post_id,
				 fe.msg[0] ? fe.msg : m ? m : "no data.stat in the answer");
			if (fields_warn_item(pg, a, (long)i + 1, msg) < 0) {
				json_decref(root);
				kbuf_release(&u);
				return kerr_set(e, KERR_NOMEM, "out of memory");
			}
		}
		json_decref(root);
	}
	kbuf_release(&u);
	return 0;
}

static int bili_next(const struct adapter_run *r, const struct page_pos *pos, const struct page *pg, int all_older,
		     struct page_pos *out)
{
	*out = *pos;
	if (pos->day >= 0) {
		int64_t days = (r->window_end - r->window_start) / 86400;
		if (pg->more && pg->items && pos->page < 50) {
			out->page = pos->page + 1;
			return 1;
		}
		if (pos->day + 1 < days) {
			out->day = pos->day + 1;
			out->page = 1;
			return 1;
		}
		return 0;
	}
	if (all_older)
		return PASS_DONE;
	if (!pg->more || !pg->items)
		/* numPages is 50 at most: a search lists 1,000 videos, no more */
		return pos->page >= 50 ? PASS_CAPPED : PASS_DONE;
	out->page = pos->page + 1;
	return PASS_MORE;
}

static int bili_refusal(const struct adapter_run *r, const struct http_response *resp, struct page *pg,
			struct kerr *e)
{
	(void)r;
	if (resp->status == 412) {
		pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Bilibili's risk control refused the request (HTTP 412, code -412); wait, lower "
				"the rate (min_interval_ms) or put a logged-in browser's cookie in %s",
				fields_cookie_where(r->s));
	}
	return 0;
}

static const char *const bili_page_keys[] = {"/code", "/message", "/data/result", "/data/page", "/data/numPages",
					     "/data/v_voucher", NULL};

const struct adapter adapter_bilibili = {
	.kind = "bilibili",
	.backfill_by_time = 1, /* pubtime_begin_s / pubtime_end_s, day by day */
	.detail = 1,
	.headers = bili_headers,
	.start = bili_start,
	.first = bili_first,
	.url = bili_url,
	.parse = bili_parse,
	.page_keys = bili_page_keys,
	.enrich = bili_enrich,
	.next = bili_next,
	.stop = bili_stop,
	.http_refusal = bili_refusal,
};
