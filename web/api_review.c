/*
 * api_review.c: the review queue, decisions and the review log
 * (web/internal.h).  The queue is the CLI's (featured_build, kind
 * FEATURED_QUEUE) with each work's full text, cover (its URL on the
 * platform, and `cover`: where this server serves it) and history added;
 * decisions go through rules_decide(), the logged-in user as `by`.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../reports/json_fields.h"
#include "../reports/report.h"
#include "../rules/rules.h"
#include "../util/utf8.h"

#define QUEUE_PAGE 20

/* What the store adds to a work of the list: its text and cover (the
 * text with phone and ID numbers masked, as the flags show them). */
struct extra {
	struct web_req *r;
	struct flags_scratch *fs;
	json_t *o;
};

static int add_post(void *ctx, const struct post *p, struct kerr *e)
{
	struct extra *x = ctx;
	struct kbuf masked;
	const char *text = p->text ? p->text : "";
	char cover[1024];
	int rc;

	kbuf_init(&masked, 4 * 1024 * 1024);
	rc = x->fs ? flags_mask_privacy(x->r->o->mask, x->fs, text, &masked, e) : 0;
	if (rc < 0) {
		kbuf_release(&masked);
		return -1;
	}
	json_object_set_new(x->o, "text", json_string(rc > 0 ? masked.data : text));
	json_object_set_new(x->o, "cover_url", p->cover_url ? json_string(p->cover_url) : json_null());
	json_object_set_new(x->o, "cover",
			    web_cover_path(p->platform, p->post_id, p->cover_url, cover, sizeof(cover)) ? json_string(cover)
													: json_null());
	kbuf_release(&masked);
	return 0;
}

static int add_history(void *ctx, const struct review_entry *h, struct kerr *e)
{
	json_t *list = ctx;

	(void)e;
	json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "at", (json_int_t)h->at, "from",
					       review_state_names[h->from], "to", review_state_names[h->to], "to_label",
					       review_state_labels[h->to], "by", h->by ? h->by : "", "note",
					       h->note ? json_string(h->note) : json_null()));
	return 0;
}

/* A flag's reason for the reviewers: the built-in rules' in Chinese, a
 * configured pattern's as the config wrote it. */
static const char *flag_label(const struct featured_flag *f)
{
	if (!strcmp(f->rule, "mobile"))
		return "手机号码（个人隐私）";
	if (!strcmp(f->rule, "resident_id"))
		return "身份证号码（个人隐私）";
	if (!strcmp(f->rule, "word"))
		return "审核词表中的词语";
	return f->reason ? f->reason : "";
}

static json_t *work_json(struct web_req *r, const struct featured_work *w, struct flags_scratch *fs,
			 struct kerr *e)
{
	json_t *o = json_object(), *flags = json_array(), *history = json_array();
	struct extra x = {r, fs, o};

	jf_work(o, w->rank, w->platform, w->post_id, w->url, w->title, w->author_name, w->district,
		w->district_code, w->created_at, w->counts, w->known, w->lower, w->index);
	json_object_set_new(o, "post", json_sprintf("%s:%s", w->platform, w->post_id));
	json_object_set_new(o, "status", json_string(review_state_names[w->state]));
	json_object_set_new(o, "status_label", json_string(review_state_labels[w->state]));
	json_object_set_new(o, "deleted", json_boolean(w->deleted_at != 0));
	json_object_set_new(o, "flags_open", json_boolean(w->flags_open));
	for (size_t i = 0; i < w->nflags; i++)
		json_array_append_new(flags, json_pack("{s:s, s:s, s:s, s:s}", "rule", w->flags[i].rule, "reason",
						       w->flags[i].reason ? w->flags[i].reason : "", "reason_label",
						       flag_label(&w->flags[i]), "match",
						       w->flags[i].match ? w->flags[i].match : ""));
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "history", history);
	if (store_get_post(r->st, w->platform, w->post_id, add_post, &x, e) < 0 ||
	    store_review_log(r->st, w->platform, w->post_id, add_history, history, e) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Does the work match the search text (title, author, text's start, id)? */
static int matches(const struct featured_work *w, const char *q)
{
	return !q || !*q || (w->title && strstr(w->title, q)) || (w->author_name && strstr(w->author_name, q)) ||
	       strstr(w->post_id, q) || (w->district && strstr(w->district, q));
}

static long page_arg(struct web_req *r)
{
	const char *s = web_arg(r, "page");
	char *end;
	long p = s ? strtol(s, &end, 10) : 1;

	return !s ? 1 : (*end || p < 1 || p > 100000) ? -1 : p;
}

/* The queue's filters from the query string; 0, or -1 after answering. */
static int queue_opts(struct web_req *r, struct featured_opts *o, struct report_scoring *sc)
{
	const char *status = web_arg(r, "status"), *district = web_arg(r, "district"),
		   *platform = web_arg(r, "platform");
	const struct district_unit *own = web_user_unit(r);

	memset(o, 0, sizeof(*o));
	o->kind = FEATURED_QUEUE;
	o->since = INT64_MIN;
	o->until = INT64_MAX;
	o->status = !status || !*status ? (int)REVIEW_PENDING : !strcmp(status, "all") ? -1 : review_state_parse(status);
	if (o->status < 0 && !(status && !strcmp(status, "all"))) {
		web_error(r, 400, "审核状态应为 pending、approved、rejected、featured 或 all",
			  "status: expected pending, approved, rejected, featured or all");
		return -1;
	}
	o->flagged_only = web_arg(r, "flagged") && !strcmp(web_arg(r, "flagged"), "1");
	o->district = district && *district ? district : NULL;
	if (r->who.role == ROLE_DISTRICT) {
		if (!own) {
			web_error(r, 403, "账号未绑定区县", "the account has no unit");
			return -1;
		}
		o->district = own->code; /* a district sees its own works only */
	}
	o->platform = platform && *platform ? platform : NULL;
	web_scoring(r, sc);
	o->scoring = sc;
	o->campaign = r->o->cfg->campaign_name;
	o->mask = r->o->mask;
	return 0;
}

/* A ranked list of the store, for the cache. */
struct list_build {
	struct web_req *r;
	const struct featured_opts *o;
};

static void list_release(struct web_cached *x)
{
	featured_release(x->data);
	free(x->data);
}

static int list_build(void *ctx, struct web_cached *x, struct kerr *e)
{
	struct list_build *b = ctx;
	struct featured *f = malloc(sizeof(*f));

	if (!f)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (featured_build(f, b->r->st, b->r->o->gaz, b->o, e) < 0) {
		free(f);
		return -1;
	}
	x->data = f;
	x->release = list_release;
	return 0;
}

/* The ranked list for o, from the cache (hand back with web_cache_put). */
struct web_cached *web_list(struct web_req *r, const struct featured_opts *o, struct kerr *e)
{
	struct list_build b = {r, o};
	char key[512];

	snprintf(key, sizeof(key), "list|%d|%d|%s|%s|%d|%zu", (int)o->kind, o->status, o->district ? o->district : "",
		 o->platform ? o->platform : "", o->flagged_only, o->top);
	return web_cache_get(r->cache, key, list_build, &b, e);
}

/* GET /api/queue?status=&district=&platform=&flagged=1&q=&page=&nounit=1 */
static void queue(struct web_req *r)
{
	struct featured_opts o;
	struct report_scoring sc;
	struct web_cached *cached;
	const struct featured *f;
	struct flags_scratch *fs = NULL;
	const char *q = web_arg(r, "q");
	int nounit = web_arg(r, "nounit") && !strcmp(web_arg(r, "nounit"), "1");
	long page = page_arg(r), total = 0, skip;
	json_t *works;
	struct kerr e;

	if (r->who.role != ROLE_REVIEWER && r->who.role != ROLE_ADMIN && r->who.role != ROLE_DISTRICT) {
		web_error(r, 403, "当前账号无权查看审核队列", "this account may not see the queue");
		return;
	}
	if (page < 0 || (q && utf8_invalid_at(q, strlen(q)) >= 0) || queue_opts(r, &o, &sc) < 0) {
		if (!r->status)
			web_error(r, 400, "参数不正确", "bad page or search text");
		return;
	}
	kerr_clear(&e);
	if (!(cached = web_list(r, &o, &e))) {
		web_error(r, e.code == KERR_USAGE ? 400 : 500, e.code == KERR_USAGE ? "筛选条件不正确" : "服务器内部错误",
			  e.msg);
		return;
	}
	f = cached->data;
	works = json_array();
	fs = flags_scratch_new(r->o->mask);
	skip = (page - 1) * QUEUE_PAGE;
	for (size_t i = 0; i < f->n; i++) {
		const struct featured_work *w = &f->works[i];
		json_t *j;

		if ((!w->unit && !nounit) || !matches(w, q))
			continue;
		if (total++ < skip || json_array_size(works) >= QUEUE_PAGE)
			continue;
		if (!(j = work_json(r, w, fs, &e))) {
			web_error(r, 500, "服务器内部错误", e.msg);
			goto out;
		}
		json_array_append_new(works, j);
	}
	web_json(r, 200,
		 json_pack("{s:o, s:I, s:I, s:I}", "works", works, "total", (json_int_t)total, "page", (json_int_t)page,
			   "per_page", (json_int_t)QUEUE_PAGE));
	works = NULL;
out:
	json_decref(works);
	flags_scratch_free(fs);
	web_cache_put(r->cache, cached);
}

/* POST /api/review {"posts": [...], "decision": "...", "note": "...", "approve": true,
 * "title": "the showcase's title (feature only)"} */
static void review(struct web_req *r)
{
	json_t *body = web_body_json(r), *posts, *v, *refusals;
	struct rules_decision d;
	struct rules_refusal why;
	struct kerr e;
	size_t refused, i;
	int bad = 0, rc, act;
	const char *decision;

	memset(&d, 0, sizeof(d));
	if (!body)
		return;
	decision = web_str(r, body, "decision", &bad);
	d.note = bad ? NULL : web_str(r, body, "note", &bad);
	d.title = bad ? NULL : web_str(r, body, "title", &bad);
	posts = json_object_get(body, "posts");
	if (bad)
		goto out;
	if (!decision || (act = rules_action_parse(decision)) < 0) {
		web_error(r, 400, "决定应为 approve、reject、feature 或 unfeature",
			  "decision: expected approve, reject, feature or unfeature");
		goto out;
	}
	if (!json_is_array(posts) || !json_array_size(posts) || json_array_size(posts) > RULES_TARGETS_MAX) {
		web_error(r, 400, "请选择作品（一次最多 1000 条）", "posts: expected 1 to 1000 PLATFORM:POST_ID strings");
		goto out;
	}
	if (d.note && rules_check_note(d.note, "note", &why) < 0) {
		web_error(r, 400, why.zh, why.en);
		goto out;
	}
	if (d.title && *d.title && act != ACTION_FEATURE) {
		web_error(r, 400, "只有入选时可以设置展示标题", "title: only a feature decision takes a title");
		goto out;
	}
	if (d.title && !*d.title)
		d.title = NULL; /* an empty field: the post's own title */
	if (d.title && rules_check_title(d.title, "title", &why) < 0) {
		web_error(r, 400, why.zh, why.en);
		goto out;
	}
	d.action = (enum rules_action)act;
	d.by = r->who.user;
	d.approve_too = json_is_true(json_object_get(body, "approve"));
	d.now = r->now;
	d.n = json_array_size(posts);
	if (!(d.t = calloc(d.n, sizeof(*d.t)))) {
		web_error(r, 500, "服务器内部错误", "out of memory");
		goto out;
	}
	json_array_foreach(posts, i, v)
	{
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
			web_error(r, 400, "作品编号应为字符串", "posts: expected strings");
			goto out;
		}
		d.t[i].post = json_string_value(v);
		if (rules_target_parse(&d.t[i]) < 0) {
			web_error(r, 400, d.t[i].why.zh, d.t[i].why.en);
			goto out;
		}
	}
	kerr_clear(&e);
	if ((rc = rules_decide(r->st, &d, &refused, &e)) < 0) {
		web_error(r, e.code == KERR_USAGE ? 400 : 500, "服务器内部错误", e.msg);
		goto out;
	}
	if (rc > 0) {
		refusals = json_array();
		for (i = 0; i < d.n; i++)
			if (!d.t[i].nsteps)
				json_array_append_new(refusals, json_pack("{s:s, s:s, s:s}", "post", d.t[i].post, "error",
									  d.t[i].why.zh, "error_en", d.t[i].why.en));
		web_json(r, 409,
			 json_pack("{s:s, s:s, s:o}", "error", "未记录任何决定：有作品不能这样处理", "error_en",
				   "nothing was recorded: some posts were refused", "refused", refusals));
		goto out;
	}
	web_cache_changed(r->cache);
	web_log(r, "%s: %s %zu post%s", r->who.user, decision, d.n, d.n == 1 ? "" : "s");
	web_json(r, 200, json_pack("{s:b, s:I}", "ok", 1, "posts", (json_int_t)d.n));
out:
	free(d.t);
	json_decref(body);
}

/* GET /api/log?post=PLATFORM:POST_ID: the review log, newest first. */
static int log_entry(void *ctx, const struct review_entry *h, struct kerr *e)
{
	json_t *list = ctx;

	(void)e;
	json_array_append_new(list,
			      json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)h->id,
					"at", (json_int_t)h->at, "post_platform", h->platform, "post_id", h->post_id, "from",
					review_state_names[h->from], "to", review_state_names[h->to], "to_label",
					review_state_labels[h->to], "by", h->by ? h->by : "", "note",
					h->note ? json_string(h->note) : json_null(), "title",
					h->title ? json_string(h->title) : json_null()));
	return 0;
}

static void review_log(struct web_req *r)
{
	const char *post = web_arg(r, "post");
	struct rules_target t;
	json_t *list = json_array(), *rev;
	struct kerr e;

	memset(&t, 0, sizeof(t));
	if (post && *post) {
		t.post = post;
		if (rules_target_parse(&t) < 0) {
			json_decref(list);
			web_error(r, 400, t.why.zh, t.why.en);
			return;
		}
	}
	kerr_clear(&e);
	if (store_review_log(r->st, t.post_id ? t.platform : NULL, t.post_id, log_entry, list, &e) < 0) {
		json_decref(list);
		web_error(r, e.code == KERR_USAGE ? 404 : 500, e.code == KERR_USAGE ? "没有这条作品" : "服务器内部错误",
			  e.msg);
		return;
	}
	/* newest first, as people read a log */
	rev = json_array();
	for (size_t i = json_array_size(list); i-- > 0;)
		json_array_append(rev, json_array_get(list, i));
	json_decref(list);
	web_json(r, 200, json_pack("{s:o}", "entries", rev));
}

const struct web_route web_review_routes[] = {
	{"GET", "/api/queue", queue, NEED_LOGIN, 0},
	{"POST", "/api/review", review, NEED_REVIEW, 1},
	{"GET", "/api/log", review_log, NEED_REVIEW, 0},
	{NULL, NULL, NULL, NEED_NOTHING, 0},
};
