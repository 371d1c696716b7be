/*
 * douyin.c: the Douyin adapter: the web client's general search
 * (/aweme/v1/web/general/search/single/) with the parameters the web page
 * sends, as MediaCrawler's media_platform/douyin client sends them
 * (device_platform=webapp, aid=6383, channel=channel_pc_web,
 * search_channel=aweme_general, sort_type, publish_time, search_id from
 * the previous page's extra.logid, offset and count).
 *
 * Douyin's web search needs a logged-in browser's cookie (msToken, ttwid:
 * cookie_env) and may refuse at any time; the supported routes are the
 * Douyin Open Platform or a vendor's feed through the generic adapter
 * (README).  What the web search is seen to answer:
 * - a non-zero status_code (with status_msg) for a refused client;
 * - status_code 0 with an empty data and search_nil_info.search_nil_type
 *   verify_check / params_check / antispam_check for a distrusted one
 *   (cv-cat/DouYin_Spider#27, mytv-android/myDV#118): a refusal that looks
 *   like "no results"; data: null likewise;
 * - cards: type 1 with aweme_info (a video), aweme_mix_info.mix_items[]
 *   (a collection: each item a work), and user or other cards, ignored;
 * - statistics.play_count is 0 for everyone on the web API: unknown, not 0.
 * Results come by relevance unless sort_type=2 asks for the newest first;
 * a source with `order: relevance` (the platform ignores the sort) reads
 * max_pages pages instead of stopping at the first page older than the
 * pass's floor.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

static const char *const douyin_headers[] = {
	"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/126.0.0.0 Safari/537.36",
	"Referer: https://www.douyin.com/",
	"Accept: application/json, text/plain, */*",
	NULL,
};

static void douyin_first(const struct adapter_run *r, struct page_pos *pos)
{
	(void)r;
	memset(pos, 0, sizeof(*pos));
	pos->day = -1;
}

static int douyin_url(struct adapter_run *r, const struct page_pos *pos, struct kbuf *url, struct kerr *e)
{
	if (r->detail_id) /* the web client's call for one work, with its fixed parameters */
		return kbuf_addf(url, e,
				 "%s/aweme/v1/web/aweme/detail/?device_platform=webapp&aid=6383&channel=channel_pc_web"
				 "&pc_client_type=1&version_code=190500&version_name=19.5.0&cookie_enabled=true"
				 "&platform=PC&aweme_id=",
				 r->s->base_url) < 0
			       ? -1
			       : fields_add_escaped(url, r->detail_id, e);
	int newest = r->s->order != SOURCE_ORDER_RELEVANCE;

	/* count=15: the page size the web client asks for as I recall
	 * MediaCrawler's douyin client; not confirmed in a capture here */
	if (kbuf_addf(url, e,
		      "%s/aweme/v1/web/general/search/single/?device_platform=webapp&aid=6383&channel=channel_pc_web"
		      "&search_channel=aweme_general&enable_history=1&keyword=",
		      r->s->base_url) < 0 ||
	    fields_add_escaped(url, r->s->query, e) < 0 ||
	    kbuf_addf(url, e,
		      "&search_source=normal_search&query_correct_type=1&is_filter_search=%d&from_group_id=&offset=%ld"
		      "&count=15&need_filter_settings=1&list_type=single&sort_type=%d&publish_time=0&filter_duration="
		      "&search_id=",
		      newest, pos->offset, newest ? 2 : 0) < 0)
		return -1;
	return fields_add_escaped(url, pos->search_id, e);
}

/* One aweme (a video or an image post) into a post. */
static int aweme(struct parse *ps, json_t *aw)
{
	json_t *st = json_object_get(aw, "statistics"), *au = json_object_get(aw, "author");
	json_t *te = json_object_get(aw, "text_extra"), *t, *play;
	const char *why = NULL, *field = NULL;
	struct post *p;
	size_t k;

	if (!(p = fields_new_post(ps, "douyin")))
		return -1;
	if (!(p->post_id = fields_id_of(json_object_get(aw, "aweme_id"), ps->a, &why)))
		field = "aweme_id";
	p->text = fields_text_of(json_object_get(aw, "desc"), ps->a);
	p->author_id = fields_text_of(json_object_get(au, "uid"), ps->a);
	p->author_name = fields_text_of(json_object_get(au, "nickname"), ps->a);
	p->ip_location = fields_text_of(json_object_get(aw, "ip_label"), ps->a);
	p->cover_url = fields_text_of(json_array_get(json_object_get(json_object_get(json_object_get(aw, "video"), "cover"), "url_list"), 0),
			       ps->a);
	p->media = json_array_size(json_object_get(aw, "images")) ? "image" : "video";
	if (!field && fields_time_of(json_object_get(aw, "create_time"), &p->created_at, &why) < 0)
		field = "create_time";
	if (!field && fields_count_of(p, PC_LIKES, json_object_get(st, "digg_count"), &why) < 0)
		field = "digg_count";
	if (!field && fields_count_of(p, PC_COMMENTS, json_object_get(st, "comment_count"), &why) < 0)
		field = "comment_count";
	if (!field && fields_count_of(p, PC_SHARES, json_object_get(st, "share_count"), &why) < 0)
		field = "share_count";
	if (!field && fields_count_of(p, PC_FAVORITES, json_object_get(st, "collect_count"), &why) < 0)
		field = "collect_count";
	/* the web API says 0 for everyone: that is "not told", not zero */
	play = json_object_get(st, "play_count");
	if (!field && !(json_is_integer(play) && json_integer_value(play) == 0) &&
	    fields_count_of(p, PC_VIEWS, play, &why) < 0)
		field = "play_count";
	if (json_is_array(te) && (p->topics = fields_topics_alloc(ps->a, json_array_size(te)))) {
		json_array_foreach(te, k, t)
		{
			const char *name = fields_text_of(json_object_get(t, "hashtag_name"), ps->a);
			if (name && *name)
				p->topics[p->ntopics++] = name;
		}
	}
	if (p->post_id && fields_make_url(p, ps->a, "https://www.douyin.com/video/%s") < 0)
		return -1;
	return fields_finish(ps, p, field, why);
}

/*
 * A work's page, aweme/v1/web/aweme/detail/?aweme_id= (MediaCrawler's
 * douyin client, Evil0ctal's Douyin_TikTok_Download_API): aweme_detail is
 * an aweme as in the search.  A work deleted or made private answers
 * aweme_detail null with filter_detail {filter_reason: "status_deleted" |
 * "status_self_see" | ..., detail_msg "因作品权限或已被删除，无法观看…"}
 * (captured in the f2 project's tests); null without filter_detail says
 * nothing.
 */
static int douyin_detail(struct parse *ps, json_t *root, struct kerr *e)
{
	json_t *aw = json_object_get(root, "aweme_detail"), *fd = json_object_get(root, "filter_detail");

	if (json_is_object(aw)) {
		ps->index = 1;
		ps->pg->items = 1;
		return aweme(ps, aw) < 0 ? kerr_set(e, KERR_NOMEM, "out of memory") : 0;
	}
	if (json_is_object(fd) && (json_is_string(json_object_get(fd, "filter_reason")) ||
				   json_is_string(json_object_get(fd, "detail_msg"))))
		ps->pg->gone = 1;
	return 0;
}

/* The works among the search's data items: an aweme_info, or each of a
 * collection's mix_items (users, music, ads are not works).  0, or -1
 * out of memory. */
static int search_items(struct parse *ps, json_t *data)
{
	json_t *item;
	size_t i;

	json_array_foreach(data, i, item)
	{
		json_t *aw = json_object_get(item, "aweme_info"), *m;
		json_t *mix = json_object_get(json_object_get(item, "aweme_mix_info"), "mix_items");
		size_t k;
		int odd;

		if (json_is_object(aw)) {
			ps->pg->items++;
			ps->index++;
			if ((odd = fields_item_tainted(ps, NULL, "/data/%zu", i, 0)) < 0 || (!odd && aweme(ps, aw) < 0))
				return -1;
			continue;
		}
		json_array_foreach(mix, k, m)
		{
			if (!json_is_object(m))
				continue;
			ps->pg->items++;
			ps->index++;
			if ((odd = fields_item_tainted(ps, NULL, "/data/%zu/aweme_mix_info/mix_items/%zu", i, k)) < 0 ||
			    (!odd && aweme(ps, m) < 0))
				return -1;
		}
	}
	return 0;
}

static int douyin_parse(struct adapter_run *r, json_t *root, struct parse *ps, struct kerr *e)
{
	json_t *sc = json_object_get(root, "status_code"), *data, *cursor, *nil;
	const char *env = fields_cookie_where(r->s);

	if (!json_is_integer(sc))
		return kerr_set(e, KERR_DATA, "not a Douyin response (no \"status_code\")");
	if (json_integer_value(sc) != 0) {
		const char *m = json_string_value(json_object_get(root, "status_msg"));
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Douyin refused the search (status_code %" JSON_INTEGER_FORMAT ": %s); put a "
				"logged-in browser's cookie (msToken, ttwid) in %s and lower the rate, or use a generic "
				"feed (README: Douyin)",
				json_integer_value(sc), m ? m : "no message", env);
	}
	if (r->detail_id)
		return douyin_detail(ps, root, e);
	nil = json_object_get(json_object_get(root, "search_nil_info"), "search_nil_type");
	data = json_object_get(root, "data");
	/* verify_check, params_check, antispam_check: a refusal; no_result: none */
	if (json_is_string(nil) && strstr(json_string_value(nil), "check") && !json_array_size(data)) {
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Douyin answered no results with search_nil_type %s (it distrusts this client); "
				"put a fresh logged-in browser's cookie (msToken, ttwid) in %s, lower the rate, or use a "
				"generic feed (README: Douyin)",
				json_string_value(nil), env);
	}
	if (json_is_null(data) || (!data && json_object_get(root, "status_code"))) {
		ps->pg->blocked = 1;
		return kerr_set(e, KERR_DATA,
				"blocked: Douyin answered data: null (a distrusted client); put a fresh logged-in browser's "
				"cookie in %s or use a generic feed (README: Douyin)",
				env);
	}
	if (!json_is_array(data))
		return kerr_set(e, KERR_DATA, "data: expected an array");
	if (search_items(ps, data) < 0)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	ps->pg->more = json_is_true(json_object_get(root, "has_more")) ||
		       json_integer_value(json_object_get(root, "has_more")) > 0;
	cursor = json_object_get(root, "cursor");
	if (json_is_integer(cursor))
		snprintf(ps->pg->next_cursor, sizeof(ps->pg->next_cursor), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(cursor));
	else
		ps->pg->more = 0; /* without a cursor there is no next page to ask for */
	{
		const char *logid = json_string_value(json_object_get(json_object_get(root, "extra"), "logid"));
		if (logid && strlen(logid) < sizeof(ps->pg->search_id))
			snprintf(ps->pg->search_id, sizeof(ps->pg->search_id), "%s", logid);
	}
	return 0;
}

static int douyin_next(const struct adapter_run *r, const struct page_pos *pos, const struct page *pg, int all_older,
		       struct page_pos *out)
{
	char *end;
	long off;

	if (!pg->more || !pg->items || (all_older && r->s->order != SOURCE_ORDER_RELEVANCE))
		return 0;
	off = strtol(pg->next_cursor, &end, 10);
	if (*end || off <= pos->offset)
		return 0; /* a cursor that does not move would loop for ever */
	*out = *pos;
	out->offset = off;
	snprintf(out->search_id, sizeof(out->search_id), "%s", pg->search_id);
	return 1;
}

static const char *const douyin_page_keys[] = {"/status_code", "/status_msg", "/data", "/has_more", "/cursor",
					       "/search_nil_info", "/extra", NULL};

const struct adapter adapter_douyin = {
	.kind = "douyin",
	.detail = 1,
	.headers = douyin_headers,
	.first = douyin_first,
	.url = douyin_url,
	.parse = douyin_parse,
	.page_keys = douyin_page_keys,
	.next = douyin_next,
};
