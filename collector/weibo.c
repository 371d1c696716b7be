/*
 * weibo.c: the Weibo adapter: the mobile site's container search
 * (m.weibo.cn/api/container/getIndex, containerid 100103type=61&q=…, the
 * "real-time" tab), as practitioners' tools call it (dataabc/weibo-crawler,
 * MediaCrawler's media_platform/weibo).
 *
 * What the mobile API is seen to answer, and what this file does with it:
 * - `ok: 1` with data.cards; `ok: 0` with no cards at the end; `ok: -100`
 *   (a captcha) and HTTP 432 (weak or missing cookie), 403, a 302 to
 *   passport.weibo.com, or an HTML page where JSON was promised: refusals.
 * - Any card with an `mblog` is a post, at the top level or inside a
 *   `card_group`, whatever `card_type` says (9 or "9").
 * - A repost (an mblog with `retweeted_status`) is not a work: the
 *   original inside it is read instead (and kept once, by its id); the
 *   original's reposts_count already counts the repost.
 * - A long post (`isLongText: true`) comes cut at "…全文"; its whole text
 *   is at statuses/extend?id=ID ({"ok":1,"data":{"longTextContent":…}}).
 * - Times as the page shows them, read against the fetch's clock in
 *   +08:00 (weibo_time()).
 * - Views of a video from page_info.play_count ("345万次播放"), the cover
 *   from page_info.page_pic or the first picture, region_name without
 *   its "发布于 " prefix, emoji <img alt="[赞]"> as their alt text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/timefmt.h"
#include "fields.h"

/* The mobile site's own requests (a phone browser; m.weibo.cn answers
 * XMLHttpRequest-style calls), as weibo-crawler and MediaCrawler send them. */
static const char *const weibo_headers[] = {
	"User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	"Referer: https://m.weibo.cn/",
	"X-Requested-With: XMLHttpRequest",
	"MWeibo-Pwa: 1",
	"Accept: application/json, text/plain, */*",
	NULL,
};

/* Digits at s into *v; the count of digits. */
static size_t digits(const char *s, long *v)
{
	size_t n = 0;

	*v = 0;
	while (s[n] >= '0' && s[n] <= '9' && n < 9)
		*v = *v * 10 + (s[n++] - '0');
	return n;
}

static int has(const char *s, const char *lit)
{
	return !strncmp(s, lit, strlen(lit));
}

/* "HH:MM" at s, the rest of s empty. */
static int clock_at(const char *s, long *h, long *m)
{
	size_t n = digits(s, h);
	if (!n || n > 2 || s[n] != ':' || digits(s + n + 1, m) != 2 || s[n + 3] || *h > 23 || *m > 59)
		return -1;
	return 0;
}

/*
 * A time as m.weibo.cn shows it, against now (UTC seconds), in +08:00:
 * 刚刚, N分钟前, N小时前, 今天 HH:MM, 昨天 HH:MM, MM-DD (this year, or last
 * year when that would be in the future), YYYY-MM-DD, or a full time
 * ("Tue Sep 02 10:15:00 +0800 2025", ktime_parse()).
 */
int weibo_time(const char *s, size_t len, int64_t now, int64_t *out, const char **why)
{
	char buf[64];
	int64_t local = now + KTIME_CST_OFFSET, day0 = local - local % 86400 - KTIME_CST_OFFSET;
	long v, h, m, mo, d;
	size_t n;

	if (len >= sizeof(buf) || memchr(s, '\0', len)) {
		*why = "not a time";
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	s = buf;
	while (*s == ' ')
		s++;
	if (!strcmp(s, "刚刚")) {
		*out = now;
		return 0;
	}
	if ((n = digits(s, &v))) {
		long unit = !strcmp(s + n, "秒前") ? 1 : !strcmp(s + n, "分钟前") ? 60 : !strcmp(s + n, "小时前") ? 3600 : 0;
		if (unit) {
			*out = now - v * unit;
			return 0;
		}
	}
	if (has(s, "今天") || has(s, "昨天")) {
		const char *c = s + strlen("今天");
		while (*c == ' ')
			c++;
		if (clock_at(c, &h, &m) < 0) {
			*why = "expected 今天 HH:MM or 昨天 HH:MM";
			return -1;
		}
		*out = day0 - (has(s, "昨天") ? 86400 : 0) + h * 3600 + m * 60;
		return 0;
	}
	/* MM-DD: this year in +08:00, or last year if that is still to come */
	if ((n = digits(s, &mo)) == 2 && s[2] == '-' && digits(s + 3, &d) == 2 && !s[5]) {
		time_t lt = (time_t)local;
		struct tm tm;
		int y;
		gmtime_r(&lt, &tm); /* local: already shifted to +08:00 */
		y = tm.tm_year + 1900;
		if (mo < 1 || mo > 12 || d < 1 || d > 31) {
			*why = "not a date";
			return -1;
		}
		*out = ktime_from_civil(y, (int)mo, (int)d, 0, 0, 0) - KTIME_CST_OFFSET;
		if (*out > now)
			*out = ktime_from_civil(y - 1, (int)mo, (int)d, 0, 0, 0) - KTIME_CST_OFFSET;
		return 0;
	}
	return ktime_parse(s, strlen(s), out, why);
}

/* A long text to fetch (statuses/extend) once the page is parsed. */
struct wb_todo {
	size_t post;  /* index in pg->posts */
	long item;    /* position on the page, for a warning */
};

struct wb_page {
	struct wb_todo *todo; /* long texts to fetch */
	size_t ntodo, atodo;
};

/* Who wrote the mblog m, and from where: the user's id, name, profile
 * location and Weibo's province and city codes; region_name without its
 * "发布于 " (the IP's province). */
static void mblog_author(struct parse *ps, struct post *p, json_t *m)
{
	json_t *user = json_object_get(m, "user");
	const char *region;

	if ((region = json_string_value(json_object_get(m, "region_name")))) {
		/* "发布于 重庆": the label, not the place */
		if (!strncmp(region, "发布于", strlen("发布于")))
			region += strlen("发布于");
		while (*region == ' ')
			region++;
		if (*region)
			p->ip_location = arena_strndup(ps->a, region, strlen(region));
	}
	if (json_is_object(user)) {
		p->author_id = fields_text_of(json_object_get(user, "id"), ps->a);
		p->author_name = fields_text_of(json_object_get(user, "screen_name"), ps->a);
		p->author_location = fields_text_of(json_object_get(user, "location"), ps->a);
		if (json_is_integer(json_object_get(user, "province")))
			p->province_code = (int)json_integer_value(json_object_get(user, "province"));
		if (json_is_integer(json_object_get(user, "city")))
			p->city_code = (int)json_integer_value(json_object_get(user, "city"));
	}
}

/* A video (page_info of type video: its cover), pictures (the first is
 * the cover) or text. */
static void mblog_media(struct parse *ps, struct post *p, json_t *m)
{
	json_t *pi = json_object_get(m, "page_info");

	if (json_is_object(pi) && json_is_string(json_object_get(pi, "type")) &&
	    !strcmp(json_string_value(json_object_get(pi, "type")), "video")) {
		p->media = "video";
		p->cover_url = fields_text_of(json_object_get(json_object_get(pi, "page_pic"), "url"), ps->a);
	} else if (json_array_size(json_object_get(m, "pics"))) {
		json_t *pic = json_array_get(json_object_get(m, "pics"), 0);
		p->media = "image";
		if (!(p->cover_url = fields_text_of(json_object_get(json_object_get(pic, "large"), "url"), ps->a)))
			p->cover_url = fields_text_of(json_object_get(pic, "url"), ps->a);
	} else
		p->media = "text";
}

/* The long text of pg->posts[post] to fetch after the page.  0, or -1
 * out of memory. */
static int long_text_later(struct parse *ps, struct wb_page *wp, size_t post)
{
	if (wp->ntodo == wp->atodo) {
		size_t na = wp->atodo ? wp->atodo * 2 : 8;
		struct wb_todo *nt = arena_alloc(ps->a, na * sizeof(*nt));
		if (!nt)
			return -1;
		if (wp->ntodo)
			memcpy(nt, wp->todo, wp->ntodo * sizeof(*nt));
		wp->todo = nt;
		wp->atodo = na;
	}
	wp->todo[wp->ntodo].post = post;
	wp->todo[wp->ntodo].item = ps->index;
	wp->ntodo++;
	return 0;
}

/* A post of Weibo's from an mblog (the repost's original included).  0,
 * or -1 out of memory. */
static int mblog_post(struct parse *ps, json_t *m, struct wb_page *wp)
{
	struct post *p = fields_new_post(ps, "weibo");
	json_t *ts = json_object_get(m, "topic_struct"), *t;
	json_t *pi = json_object_get(m, "page_info"), *ct = json_object_get(m, "created_at");
	const char *why = NULL, *field = NULL;
	size_t i, kept;

	if (!p)
		return -1;
	if (!(p->post_id = fields_id_of(json_object_get(m, "id"), ps->a, &why)))
		field = "id";
	p->text = fields_plain_of(json_object_get(m, "text"), ps->a);
	if (!field) {
		if (json_is_string(ct)) {
			if (weibo_time(json_string_value(ct), json_string_length(ct), ps->now, &p->created_at, &why) < 0)
				field = "created_at";
		} else if (fields_time_of(ct, &p->created_at, &why) < 0)
			field = "created_at";
	}
	if (!field && fields_count_of(p, PC_SHARES, json_object_get(m, "reposts_count"), &why) < 0)
		field = "reposts_count";
	if (!field && fields_count_of(p, PC_COMMENTS, json_object_get(m, "comments_count"), &why) < 0)
		field = "comments_count";
	if (!field && fields_count_of(p, PC_LIKES, json_object_get(m, "attitudes_count"), &why) < 0)
		field = "attitudes_count";
	if (!field && json_is_object(pi) && fields_count_of(p, PC_VIEWS, json_object_get(pi, "play_count"), &why) < 0)
		field = "page_info.play_count";
	mblog_author(ps, p, m);
	if (json_is_array(ts) && (p->topics = fields_topics_alloc(ps->a, json_array_size(ts)))) {
		json_array_foreach(ts, i, t)
		{
			const char *title = fields_text_of(json_object_get(t, "topic_title"), ps->a);
			if (title)
				p->topics[p->ntopics++] = title;
		}
	}
	mblog_media(ps, p, m);
	if (p->post_id && fields_make_url(p, ps->a, "https://m.weibo.cn/detail/%s") < 0)
		return -1;
	kept = ps->pg->nposts;
	if (fields_finish(ps, p, field, why) < 0)
		return -1;
	if (ps->pg->nposts > kept && (json_is_true(json_object_get(m, "isLongText")) ||
				       json_integer_value(json_object_get(m, "isLongText")) == 1))
		return long_text_later(ps, wp, kept);
	return 0;
}

/* One card's mblog (at the JSON Pointer fmt with i, k): a post, or a
 * repost whose original is read instead; an odd one reported (fields.h). */
static int card(struct parse *ps, json_t *m, struct wb_page *wp, const char *container, const char *fmt, size_t i,
		size_t k)
{
	json_t *orig = json_object_get(m, "retweeted_status");
	int t;

	ps->pg->items++;
	ps->index++;
	if ((t = fields_item_tainted(ps, container, fmt, i, k)))
		return t < 0 ? -1 : 0;
	if (json_is_object(orig))
		return mblog_post(ps, orig, wp); /* the repost itself is not a work */
	return mblog_post(ps, m, wp);
}

/*
 * A post's detail page, statuses/show?id=: {"ok":1,"data":{mblog}}, the
 * mblog as in a search card (dataabc/weibo-crawler reads it so).  A post
 * deleted or hidden answers {"ok":0,"errno":"20101","msg":"微博不存在或暂
 * 无查看权限!"} (captured on weibo.com/ajax/statuses/show; m.weibo.cn's
 * API family documents errno 20101 as "微博不存在或暂无查看权限"; see the
 * research note in tests/fakeplatform.c): the post is gone for the public.
 */
static int weibo_detail(struct parse *ps, json_t *root, struct kerr *e)
{
	json_t *ok = json_object_get(root, "ok"), *data = json_object_get(root, "data");
	const char *err = json_string_value(json_object_get(root, "errno"));
	const char *msg = json_string_value(json_object_get(root, "msg"));
	struct wb_page wp;

	if (json_integer_value(ok) == 1 && json_is_object(data)) {
		memset(&wp, 0, sizeof(wp)); /* a long text: the counts are what a refresh is for */
		ps->index = 1;
		ps->pg->items = 1;
		return mblog_post(ps, data, &wp) < 0 ? kerr_set(e, KERR_NOMEM, "out of memory") : 0;
	}
	if (json_integer_value(ok) == 0 && ((err && !strcmp(err, "20101")) ||
					    (json_integer_value(json_object_get(root, "errno")) == 20101) ||
					    (msg && strstr(msg, "不存在")))) {
		ps->pg->gone = 1;
		return 0;
	}
	return kerr_set(e, KERR_DATA, "Weibo's detail page answered ok=%" JSON_INTEGER_FORMAT ": %s",
			json_integer_value(ok), msg ? msg : "no message");
}

static int weibo_parse(struct adapter_run *r, json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *ok = json_object_get(root, "ok"), *cards, *c;
	struct wb_page *wp;
	size_t i;

	if (!json_is_integer(ok))
		return kerr_set(e, KERR_DATA, "not a Weibo search response (no \"ok\")");
	if (json_integer_value(ok) == -100) {
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Weibo asks for a captcha (ok=-100); log in to m.weibo.cn in a browser and "
				"put its cookie in %s",
				fields_cookie_where(r->s));
	}
	if (r->detail_id) {
		r->state = NULL;
		return weibo_detail(ps, root, e);
	}
	cards = json_object_get(json_object_get(root, "data"), "cards");
	if (json_integer_value(ok) != 1) {
		if (json_integer_value(ok) == 0 && !json_array_size(cards))
			return 0; /* no more results */
		return kerr_set(e, KERR_DATA, "Weibo answered ok=%" JSON_INTEGER_FORMAT ": %s",
				json_integer_value(ok),
				json_string_value(json_object_get(root, "msg")) ? json_string_value(json_object_get(root, "msg"))
										: "no message");
	}
	if (cards && !json_is_array(cards))
		return kerr_set(e, KERR_DATA, "data.cards: expected an array");
	if (!(wp = arena_alloc(ps->a, sizeof(*wp))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	memset(wp, 0, sizeof(*wp));
	json_array_foreach(cards, i, c)
	{
		json_t *group = json_object_get(c, "card_group"), *g;
		size_t k;
		char gp[64];

		if (json_is_object(json_object_get(c, "mblog")) &&
		    card(ps, json_object_get(c, "mblog"), wp, NULL, "/data/cards/%zu", i, 0) < 0)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		snprintf(gp, sizeof(gp), "/data/cards/%zu/card_group", i);
		json_array_foreach(group, k, g)
		{
			if (json_is_object(json_object_get(g, "mblog")) &&
			    card(ps, json_object_get(g, "mblog"), wp, gp, "/data/cards/%zu/card_group/%zu", i, k) < 0)
				return kerr_set(e, KERR_NOMEM, "out of memory");
		}
	}
	ps->pg->more = json_array_size(cards) > 0;
	r->state = wp; /* the page's long texts, for enrich() */
	return 0;
}

/* Fetch the whole text of each long post of the page. */
static int weibo_enrich(struct adapter_run *r, struct page *pg, struct arena *a, struct kerr *e)
{
	struct wb_page *wp = r->state;
	struct kbuf url;

	if (!wp || !wp->ntodo || !r->fetch)
		return 0;
	kbuf_init(&url, 4096);
	for (size_t i = 0; i < wp->ntodo; i++) {
		struct post *p = &pg->posts[wp->todo[i].post];
		struct http_response resp;
		struct kerr fe;
		const char *text = NULL, *problem = NULL;
		char msg[1400];

		kbuf_reset(&url);
		if (kbuf_addf(&url, e, "%s/statuses/extend?id=", r->s->base_url) < 0 || fields_add_escaped(&url, p->post_id, e) < 0) {
			kbuf_release(&url);
			return -1;
		}
		http_response_init(&resp);
		kerr_clear(&fe);
		if (r->fetch->get(r->fetch, url.data, NULL, 0, &resp, &fe) < 0)
			problem = fe.msg;
		else if (resp.status != 200)
			problem = "the platform did not answer 200";
		else {
			json_error_t jerr;
			json_t *root = json_loadb(resp.body.data ? resp.body.data : "", resp.body.len, 0, &jerr);
			json_t *lt = json_object_get(json_object_get(root, "data"), "longTextContent");
			if (json_integer_value(json_object_get(root, "ok")) == 1 && json_is_string(lt))
				text = fields_plain_of(lt, a);
			else
				problem = "no longTextContent in the answer";
			json_decref(root);
		}
		if (text)
			p->text = text;
		else {
			snprintf(msg, sizeof(msg), "the long text of %s could not be fetched (%s); kept the first part",
				 p->post_id, problem ? problem : "empty");
			if (fields_warn_item(pg, a, wp->todo[i].item, msg) < 0) {
				http_response_release(&resp);
				kbuf_release(&url);
				return kerr_set(e, KERR_NOMEM, "out of memory");
			}
		}
		http_response_release(&resp);
	}
	kbuf_release(&url);
	r->state = NULL;
	return 0;
}

static void weibo_first(const struct adapter_run *r, struct page_pos *pos)
{
	(void)r;
	memset(pos, 0, sizeof(*pos));
	pos->page = 1;
	pos->day = -1;
}

static int weibo_url(struct adapter_run *r, const struct page_pos *pos, struct kbuf *url, struct kerr *e)
{
	if (r->detail_id) /* the mobile site's own call for one post */
		return kbuf_addf(url, e, "%s/statuses/show?id=", r->s->base_url) < 0 ? -1 : fields_add_escaped(url, r->detail_id, e);
	/* containerid is itself a query: its '=' and '&' are escaped once more */
	if (kbuf_addf(url, e, "%s/api/container/getIndex?containerid=100103type%%3D61%%26q%%3D", r->s->base_url) < 0 ||
	    fields_add_escaped(url, r->s->query, e) < 0)
		return -1;
	return kbuf_addf(url, e, "&page_type=searchall&page=%ld", pos->page);
}

#define WEIBO_PAGE_CAP 50

static int weibo_next(const struct adapter_run *r, const struct page_pos *pos, const struct page *pg, int all_older,
		      struct page_pos *out)
{
	(void)r;
	if (all_older)
		return PASS_DONE;
	if (!pg->more || !pg->items)
		/* the container search lists 50 pages of a query at most
		 * (dataabc/weibo-crawler and MediaCrawler stop there too): a
		 * listing that ends there ends at the cap, not at the oldest post */
		return pos->page >= WEIBO_PAGE_CAP ? PASS_CAPPED : PASS_DONE;
	*out = *pos;
	out->page = pos->page + 1;
	return PASS_MORE;
}

static int weibo_refusal(const struct adapter_run *r, const struct http_response *resp, struct page *pg,
			 struct kerr *e)
{
	const char *env = fields_cookie_where(r->s);

	if (resp->status == 432 || resp->status == 403 || resp->status == 418) {
		pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Weibo refused the request (HTTP %ld: its answer to a missing or weak cookie); "
				"log in to m.weibo.cn in a browser, put its cookie in %s and lower the rate (min_interval_ms)",
				resp->status, env);
	}
	if (resp->status >= 300 && resp->status < 400) {
		pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Weibo sent us to %s (HTTP %ld): the cookie in %s is missing or expired; "
				"log in to m.weibo.cn in a browser and copy its cookie",
				strstr(resp->location, "passport.weibo") ? "its login page (passport.weibo.com)"
				: resp->location[0]			  ? "another page"
									  : "somewhere else",
				resp->status, env);
	}
	return 0;
}

static const char *const weibo_page_keys[] = {"/ok", "/msg", "/data/cards", NULL};

const struct adapter adapter_weibo = {
	.kind = "weibo",
	.headers = weibo_headers,
	.html_is_refusal = 1,
	.detail = 1,
	.first = weibo_first,
	.url = weibo_url,
	.parse = weibo_parse,
	.page_keys = weibo_page_keys,
	.enrich = weibo_enrich,
	.next = weibo_next,
	.http_refusal = weibo_refusal,
};
