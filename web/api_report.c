/*
 * api_report.c: the report, the shortlist and the showcase (web/
 * internal.h): the same models and JSON as `kepu report --format json`
 * and `kepu featured --format json`; a district sees its own unit's.  The
 * showcase's preview is the page as it will be published, and publishing
 * writes it to the config's showcase.dir as `kepu showcase -o` does.
 */
#include "internal.h"

#include "../collector/covers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "../util/timefmt.h"

/* since/until (Beijing dates, inclusive) into [*from, *to); 0, or -1
 * after answering 400. */
static int window(struct web_req *r, int64_t *from, int64_t *to)
{
	const char *since = web_arg(r, "since"), *until = web_arg(r, "until");

	*from = r->o->cfg->window_start;
	*to = r->o->cfg->window_end;
	if ((since && *since && ktime_parse_date(since, from) < 0) ||
	    (until && *until && ktime_parse_date(until, to) < 0)) {
		web_error(r, 400, "日期格式应为 YYYY-MM-DD", "since/until: expected YYYY-MM-DD");
		return -1;
	}
	if (until && *until)
		*to += 86400;
	if (*to <= *from) {
		web_error(r, 400, "结束日期早于开始日期", "until is before since");
		return -1;
	}
	return 0;
}

/* The unit a request may see: a district's own, else the one asked for
 * (NULL: the city).  -1 after answering. */
static int unit_scope(struct web_req *r, const char **district)
{
	const char *asked = web_arg(r, "district");

	*district = asked && *asked ? asked : NULL;
	if (r->who.role == ROLE_DISTRICT) {
		const struct district_unit *own = web_user_unit(r);
		if (!own) {
			web_error(r, 403, "账号未绑定区县", "the account has no unit");
			return -1;
		}
		if (*district && district_lookup(r->o->gaz, *district) != own) {
			web_error(r, 403, "区县账号只能查看本区县", "a district account sees its own unit only");
			return -1;
		}
		*district = own->code;
	}
	return 0;
}

/* A renderer's output into the answer. */
static void render(struct web_req *r, int (*fn)(const void *, FILE *, struct kerr *), const void *model,
		   const char *type)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct kerr e;
	int rc;

	kerr_clear(&e);
	if (!f) {
		web_error(r, 500, "服务器内部错误", "out of memory");
		return;
	}
	rc = fn(model, f, &e);
	if (fclose(f) != 0 || rc < 0) {
		free(text);
		web_error(r, 500, "服务器内部错误", e.msg[0] ? e.msg : "cannot render");
		return;
	}
	r->status = 200;
	r->type = type;
	if (kbuf_add(&r->out, text, size, &e) < 0)
		r->status = 500;
	free(text);
}

static int featured_json(const void *m, FILE *f, struct kerr *e) { return featured_render_json(m, f, e); }
static int showcase_page(const void *m, FILE *f, struct kerr *e) { return showcase_render_html(m, f, e); }

/* The report's JSON, for the cache. */
struct report_job {
	struct web_req *r;
	const struct report_opts *o;
};

static int report_text(void *ctx, struct web_cached *x, struct kerr *e)
{
	struct report_job *j = ctx;
	struct report rep;
	FILE *f;
	int rc;

	if (report_build(&rep, j->r->st, j->r->o->gaz, j->o, e) < 0)
		return -1;
	if (!(f = open_memstream(&x->text, &x->len))) {
		report_release(&rep);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	rc = report_render_json(&rep, f, e);
	if (fclose(f) != 0 && rc == 0)
		rc = kerr_set(e, KERR_NOMEM, "out of memory");
	report_release(&rep);
	return rc;
}

/* GET /api/report?district=&since=&until= */
static void report(struct web_req *r)
{
	struct report_opts o;
	struct report_scoring sc;
	struct report_job job = {r, &o};
	struct web_cached *x;
	struct kerr e;
	char key[512];

	memset(&o, 0, sizeof(o));
	if (window(r, &o.since, &o.until) < 0 || unit_scope(r, &o.district) < 0)
		return;
	web_scoring(r, &sc);
	o.scoring = &sc;
	report_opts_config(&o, r->o->cfg);
	o.mask = r->o->mask;
	snprintf(key, sizeof(key), "report|%s|%lld|%lld", o.district ? o.district : "", (long long)o.since,
		 (long long)o.until);
	kerr_clear(&e);
	if (!(x = web_cache_get(r->cache, key, report_text, &job, &e))) {
		web_error(r, e.code == KERR_USAGE ? 400 : 500, e.code == KERR_USAGE ? "没有这个区县" : "服务器内部错误",
			  e.msg);
		return;
	}
	r->status = 200;
	r->type = "application/json; charset=utf-8";
	if (kbuf_add(&r->out, x->text, x->len, &e) < 0)
		r->status = 500;
	web_cache_put(r->cache, x);
}

/* GET /api/featured?district=&platform=&since=&until=&top= */
static void featured(struct web_req *r)
{
	const char *platform = web_arg(r, "platform"), *top = web_arg(r, "top");
	struct featured_opts o;
	struct report_scoring sc;
	struct featured f;
	struct kerr e;

	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_SHORTLIST;
	o.top = top ? (size_t)strtoul(top, NULL, 10) : FEATURED_TOP;
	o.per_unit = FEATURED_PER_UNIT;
	if (o.top < 1 || o.top > FEATURED_MAX_TOP) {
		web_error(r, 400, "数量应在 1 到 1000 之间", "top: expected 1 to 1000");
		return;
	}
	if (window(r, &o.since, &o.until) < 0 || unit_scope(r, &o.district) < 0)
		return;
	o.platform = platform && *platform ? platform : NULL;
	web_scoring(r, &sc);
	o.scoring = &sc;
	o.campaign = r->o->cfg->campaign_name;
	o.mask = r->o->mask;
	kerr_clear(&e);
	if (featured_build(&f, r->st, r->o->gaz, &o, &e) < 0) {
		web_error(r, e.code == KERR_USAGE ? 400 : 500, "筛选条件不正确", e.msg);
		return;
	}
	render(r, featured_json, &f, "application/json; charset=utf-8");
	featured_release(&f);
}

static int showcase_model(struct web_req *r, struct showcase *s, struct report_scoring *sc)
{
	const struct config *cfg = r->o->cfg;
	struct showcase_words words = {cfg->showcase_title, cfg->showcase_intro, cfg->showcase_organizer,
				       cfg->showcase_footer, cfg->showcase_base_url};
	struct featured_opts o;
	struct kerr e;

	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_SHOWCASE;
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.status = REVIEW_FEATURED;
	web_scoring(r, sc);
	o.scoring = sc;
	o.campaign = r->o->cfg->campaign_name;
	o.mask = r->o->mask; /* the page is public */
	kerr_clear(&e);
	if (showcase_build(s, r->st, r->o->gaz, &o, &words, &e) < 0) {
		web_error(r, 500, "服务器内部错误", e.msg);
		return -1;
	}
	return 0;
}

/* GET /api/showcase/preview: the page as it will be published.  It has
 * no script; its own style is inline, so its answer allows that and
 * nothing else. */
static void preview(struct web_req *r)
{
	struct report_scoring sc;
	struct showcase s;
	char path[1024];

	if (showcase_model(r, &s, &sc) < 0)
		return;
	/* the pictures from this server's cover cache (api_covers.c), fetched
	 * as the preview asks for them */
	for (size_t i = 0; i < s.f.n; i++)
		if (web_cover_path(s.works[i].w->platform, s.works[i].w->post_id, s.works[i].cover_url, path,
				   sizeof(path)) &&
		    !(s.works[i].cover_src = strdup(path))) {
			web_error(r, 500, "服务器内部错误", "out of memory");
			showcase_release(&s);
			return;
		}
	render(r, showcase_page, &s, "text/html; charset=utf-8");
	showcase_release(&s);
	r->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
		 "form-action 'none'; frame-ancestors 'self'";
}

/* The published page's covers, in showcase.dir/covers/: each featured
 * work's from there, or copied from the workspace's private cache, or
 * downloaded into the cache first (3 s / 4 s, and nothing more from a
 * host that failed once in this publish).  A cover that cannot be had is
 * logged and left out, as by `kepu showcase`. */
static int publish_covers(struct web_req *r, struct showcase *s)
{
	const char *cache = web_covers_dir(r->covers);
	struct covers *cv = NULL;
	struct kerr e;
	char dir[4096], name[COVERS_NAME_MAX], host[256], failed[8][256];
	size_t nfailed = 0;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/covers", r->o->cfg->showcase_dir);
	for (size_t i = 0; i < s->f.n && !rc; i++) {
		struct showcase_work *w = &s->works[i];
		int got = covers_find(dir, w->w->platform, w->w->post_id, name), down = 0;

		kerr_clear(&e);
		covers_url_host(w->cover_url, host, sizeof(host));
		for (size_t k = 0; k < nfailed; k++)
			down |= !strcmp(failed[k], host);
		if (!got && !covers_find(cache, w->w->platform, w->w->post_id, name) && covers_url_usable(w->cover_url) &&
		    !down) {
			if (!cv && (cv = covers_new(r->o->cfg, cache, &e)))
				covers_cap_timeouts(cv, 3, 4);
			if (!cv || covers_get(cv, w->w->platform, w->w->post_id, w->cover_url, name, &e) < 0) {
				web_log(r, "publish: %s", e.msg);
				if (nfailed < sizeof(failed) / sizeof(failed[0]))
					snprintf(failed[nfailed++], sizeof(failed[0]), "%s", host);
				continue;
			}
		}
		if (!got && covers_find(cache, w->w->platform, w->w->post_id, name)) {
			if (covers_copy(cache, dir, name, &e) < 0) {
				web_log(r, "publish: %s", e.msg);
				continue;
			}
			got = 1;
		}
		if (got > 0 && !(w->cover = strdup(name)))
			rc = -1;
	}
	covers_free(cv);
	return rc;
}

/* After the page is written: the covers of works no longer featured leave
 * the published directory. */
static void publish_prune(struct web_req *r, const struct showcase *s)
{
	char dir[4096];
	char **keep = s->f.n ? calloc(s->f.n, sizeof(*keep)) : NULL;
	size_t removed = 0;
	struct kerr e;

	if (s->f.n && !keep)
		return;
	for (size_t i = 0; i < s->f.n; i++)
		keep[i] = s->works[i].cover;
	snprintf(dir, sizeof(dir), "%s/covers", r->o->cfg->showcase_dir);
	kerr_clear(&e);
	if (covers_prune(dir, keep, s->f.n, &removed, &e) < 0)
		web_log(r, "publish: %s", e.msg);
	else if (removed)
		web_log(r, "publish: %zu covers of works no longer featured removed", removed);
	free(keep);
}

/* POST /api/showcase/publish: write it to showcase.dir, with its covers. */
static void publish(struct web_req *r)
{
	struct report_scoring sc;
	struct showcase s;
	struct kerr e;

	if (!r->o->cfg->showcase_dir) {
		web_error(r, 409, "未设置发布目录：请在配置文件中设置 showcase.dir",
			  "no showcase.dir in the config: where to publish?");
		return;
	}
	if (showcase_model(r, &s, &sc) < 0)
		return;
	kerr_clear(&e);
	if (publish_covers(r, &s) < 0)
		web_error(r, 500, "服务器内部错误", "out of memory");
	else if (showcase_write(&s, r->o->cfg->showcase_dir, &e) < 0)
		web_error(r, 500, "发布失败", e.msg);
	else {
		publish_prune(r, &s);
		web_log(r, "%s published the showcase: %zu works", r->who.user, s.f.n);
		web_json(r, 200, json_pack("{s:b, s:I}", "ok", 1, "works", (json_int_t)s.f.n));
	}
	showcase_release(&s);
}

const struct web_route web_report_routes[] = {
	{"GET", "/api/report", report, NEED_REPORT, 0},
	{"GET", "/api/featured", featured, NEED_REPORT, 0},
	{"GET", "/api/showcase/preview", preview, NEED_REVIEW, 0},
	{"POST", "/api/showcase/publish", publish, NEED_REVIEW, 1},
	{NULL, NULL, NULL, NEED_NOTHING, 0},
};
