/*
 * api_unit.c: the units, and what districts do with attributions
 * (web/internal.h): the works nobody could place, a claim or a
 * correction (rules_set_unit(): a district only for posts without a unit
 * or its own, an administrator for any).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../reports/json_fields.h"
#include "../reports/report.h"
#include "../rules/rules.h"

#define CLAIMS_PAGE 50

/* GET /api/units: every unit, in the gazetteer's order. */
static void units(struct web_req *r)
{
	size_t n;
	const struct district_unit *u = district_units(r->o->gaz, &n);
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "code", u[i].code, "name", u[i].name));
	web_json(r, 200, json_pack("{s:o}", "units", list));
}

/* GET /api/claims?page=&q=: posts without a unit, best first. */
static void claims(struct web_req *r)
{
	struct featured_opts o;
	struct report_scoring sc;
	struct web_cached *cached;
	const struct featured *f;
	const char *q = web_arg(r, "q"), *ps = web_arg(r, "page");
	long page = ps ? strtol(ps, NULL, 10) : 1, total = 0;
	json_t *works = json_array();
	struct kerr e;

	if (page < 1 || page > 100000)
		page = 1;
	memset(&o, 0, sizeof(o));
	o.kind = FEATURED_QUEUE;
	o.since = INT64_MIN;
	o.until = INT64_MAX;
	o.status = -1;
	web_scoring(r, &sc);
	o.scoring = &sc; /* the queue's, so that both share the cached list */
	o.campaign = r->o->cfg->campaign_name;
	o.mask = r->o->mask;
	kerr_clear(&e);
	if (!(cached = web_list(r, &o, &e))) {
		json_decref(works);
		web_error(r, 500, "服务器内部错误", e.msg);
		return;
	}
	f = cached->data;
	for (size_t i = 0; i < f->n; i++) {
		const struct featured_work *w = &f->works[i];
		json_t *j;

		if (w->unit || w->deleted_at ||
		    (q && *q && !(w->title && strstr(w->title, q)) && !(w->author_name && strstr(w->author_name, q))))
			continue;
		if (total++ < (page - 1) * CLAIMS_PAGE || json_array_size(works) >= CLAIMS_PAGE)
			continue;
		j = json_object();
		jf_work(j, w->rank, w->platform, w->post_id, w->url, w->title, w->author_name, w->district,
			w->district_code, w->created_at, w->counts, w->known, w->lower, w->index);
		json_object_set_new(j, "post", json_sprintf("%s:%s", w->platform, w->post_id));
		json_array_append_new(works, j);
	}
	web_cache_put(r->cache, cached);
	web_json(r, 200,
		 json_pack("{s:o, s:I, s:I, s:I}", "works", works, "total", (json_int_t)total, "page", (json_int_t)page,
			   "per_page", (json_int_t)CLAIMS_PAGE));
}

/* POST /api/district {"post": "PLATFORM:POST_ID", "unit": CODE_OR_NAME, "note": TEXT} */
static void district(struct web_req *r)
{
	json_t *body = web_body_json(r);
	const char *post, *unit, *note;
	const struct district_unit *u, *own = web_user_unit(r);
	struct rules_target t;
	struct rules_refusal why;
	struct kerr e;
	int bad = 0, rc;

	if (!body)
		return;
	post = web_str(r, body, "post", &bad);
	unit = bad ? NULL : web_str(r, body, "unit", &bad);
	note = bad ? NULL : web_str(r, body, "note", &bad);
	if (bad)
		goto out;
	memset(&t, 0, sizeof(t));
	t.post = post ? post : "";
	if (rules_target_parse(&t) < 0) {
		web_error(r, 400, t.why.zh, t.why.en);
		goto out;
	}
	if (r->who.role == ROLE_DISTRICT && !own) {
		web_error(r, 403, "账号未绑定区县", "the account has no unit");
		goto out;
	}
	if (!(u = unit && *unit ? district_lookup(r->o->gaz, unit) : own)) {
		web_error(r, 400, "没有这个区县", "no such unit");
		goto out;
	}
	if (note && rules_check_note(note, "note", &why) < 0) {
		web_error(r, 400, why.zh, why.en);
		goto out;
	}
	kerr_clear(&e);
	rc = rules_set_unit(r->st, t.platform, t.post_id, u, r->who.role == ROLE_DISTRICT ? own : NULL, r->who.user,
			    note, r->now, &why, &e);
	if (rc < 0)
		web_error(r, e.code == KERR_USAGE ? 404 : 500, e.code == KERR_USAGE ? "没有这条作品" : "服务器内部错误",
			  e.msg);
	else if (rc > 0)
		web_error(r, 409, why.zh, why.en);
	else {
		web_cache_changed(r->cache);
		web_log(r, "%s: %s to %s", r->who.user, post, u->code);
		web_json(r, 200, json_pack("{s:b, s:s, s:s}", "ok", 1, "unit", u->code, "unit_name", u->name));
	}
out:
	json_decref(body);
}

const struct web_route web_unit_routes[] = {
	{"GET", "/api/units", units, NEED_LOGIN, 0},
	{"GET", "/api/claims", claims, NEED_CLAIM, 0},
	{"POST", "/api/district", district, NEED_CLAIM, 1},
	{NULL, NULL, NULL, NEED_NOTHING, 0},
};
