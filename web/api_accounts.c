/*
 * api_accounts.c: the registry of official accounts (账号登记, web/
 * internal.h): the strongest attribution evidence, kept by each district
 * for its own unit (an administrator for any).  Registering or removing an
 * account re-attributes that account's stored posts at once, with the
 * gazetteer as it is now (the config's accounts and the registry's);
 * collections attribute new posts with it from their next run.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../model/platform.h"
#include "../rules/rules.h"
#include "../util/utf8.h"

#define ACCOUNT_FIELD_MAX 200 /* bytes of an id, a name or a note */

/* The account's posts attributed again with the gazetteer as a
 * collection starting now would have it. */
static int reattribute(struct web_req *r, const struct district_account *acc, struct rules_moves *m, struct kerr *e)
{
	struct gazetteer *g = NULL;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if (rules_gazetteer(r->st, r->o->cfg, &g, e) == 0)
		rc = rules_reattribute_account(r->st, g, acc, r->now, m, e);
	district_free(g);
	return rc;
}

static json_t *account_json(const struct store_account *a, const struct gazetteer *g, const char *from)
{
	const struct district_unit *u = district_lookup(g, a->unit_code);

	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:I, s:s}", "id", (json_int_t)a->id,
			 "platform", a->platform, "platform_label",
			 platform_find(a->platform) ? platform_find(a->platform)->label : a->platform, "author_id",
			 a->author_id ? json_string(a->author_id) : json_null(), "author_name",
			 a->author_name ? json_string(a->author_name) : json_null(), "unit", u ? u->code : a->unit_code,
			 "unit_name", u ? u->name : a->unit_code, "note", a->note ? json_string(a->note) : json_null(),
			 "added_by", a->added_by ? json_string(a->added_by) : json_null(), "added_at",
			 (json_int_t)a->added_at, "from", from);
}

struct listing {
	struct web_req *r;
	const struct district_unit *only;
	json_t *list;
};

static int list_one(void *ctx, const struct store_account *a, struct kerr *e)
{
	struct listing *l = ctx;

	(void)e;
	if (!l->only || district_lookup(l->r->o->gaz, a->unit_code) == l->only)
		json_array_append_new(l->list, account_json(a, l->r->o->gaz, "workspace"));
	return 0;
}

/* GET /api/accounts: the config's (read-only) and the registry's, a
 * district's own unit's only. */
static void accounts(struct web_req *r)
{
	struct listing l = {r, web_user_unit(r), json_array()};
	struct kerr e;

	if (r->who.role == ROLE_DISTRICT && !l.only) {
		json_decref(l.list);
		web_error(r, 403, "账号未绑定区县", "the account has no unit");
		return;
	}
	for (size_t i = 0; i < r->o->cfg->naccounts; i++) {
		const struct district_account *c = &r->o->cfg->accounts[i];
		struct store_account a = {0, c->platform, c->author_id, c->author_name, c->unit, NULL, NULL, 0};
		const struct district_unit *u = district_lookup(r->o->gaz, c->unit);
		if (!l.only || u == l.only)
			json_array_append_new(l.list, account_json(&a, r->o->gaz, "config"));
	}
	kerr_clear(&e);
	if (store_account_foreach(r->st, 0, list_one, &l, &e) < 0) {
		json_decref(l.list);
		web_error(r, 500, "服务器内部错误", e.msg);
		return;
	}
	web_json(r, 200, json_pack("{s:o}", "accounts", l.list));
}

static int field_ok(const char *s)
{
	if (!s)
		return 1;
	if (!*s || strlen(s) > ACCOUNT_FIELD_MAX || utf8_invalid_at(s, strlen(s)) >= 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return 0;
	return 1;
}

static void answer_moves(struct web_req *r, int64_t id, const struct rules_moves *m)
{
	web_json(r, 200, json_pack("{s:b, s:I, s:I, s:I, s:I}", "ok", 1, "id", (json_int_t)id, "posts",
				   (json_int_t)m->seen, "moved", (json_int_t)(m->gained + m->moved + m->lost), "manual",
				   (json_int_t)m->manual));
}

/* POST /api/accounts {"platform", "author_id" | "author_name", "unit", "note"} */
static void account_add(struct web_req *r)
{
	json_t *body = web_body_json(r);
	struct store_account a;
	struct district_account acc;
	const struct district_unit *u, *own = web_user_unit(r);
	const char *unit;
	struct rules_moves m;
	struct kerr e;
	int64_t id = 0;
	int bad = 0;

	if (!body)
		return;
	memset(&a, 0, sizeof(a));
	a.platform = web_str(r, body, "platform", &bad);
	a.author_id = bad ? NULL : web_str(r, body, "author_id", &bad);
	a.author_name = bad ? NULL : web_str(r, body, "author_name", &bad);
	unit = bad ? NULL : web_str(r, body, "unit", &bad);
	a.note = bad ? NULL : web_str(r, body, "note", &bad);
	if (bad)
		goto out;
	if (!a.platform || !platform_find(a.platform)) {
		web_error(r, 400, "请选择平台", "platform: unknown or missing");
		goto out;
	}
	if (a.author_id && !*a.author_id)
		a.author_id = NULL;
	if (a.author_name && !*a.author_name)
		a.author_name = NULL;
	if (!a.author_id == !a.author_name || !field_ok(a.author_id) || !field_ok(a.author_name) ||
	    (a.note && *a.note && !field_ok(a.note))) {
		web_error(r, 400, "请填写账号 ID 或账号名称（二选一，200 字节以内）",
			  "give author_id or author_name (one of them, at most 200 bytes)");
		goto out;
	}
	if (r->who.role == ROLE_DISTRICT) {
		if (!own || (unit && *unit && district_lookup(r->o->gaz, unit) != own)) {
			web_error(r, 403, "区县账号只能登记本区县的账号", "a district registers its own unit's accounts only");
			goto out;
		}
		u = own;
	} else if (!(u = unit && *unit ? district_lookup(r->o->gaz, unit) : NULL)) {
		web_error(r, 400, "请选择区县", "unit: unknown or missing");
		goto out;
	}
	a.unit_code = u->code;
	a.added_by = r->who.user;
	a.added_at = r->now;
	kerr_clear(&e);
	if (store_begin(r->st, &e) < 0 || store_account_add(r->st, &a, &id, &e) < 0 || store_commit(r->st, &e) < 0) {
		store_rollback(r->st);
		web_error(r, 500, "服务器内部错误", e.msg);
		goto out;
	}
	acc = (struct district_account){a.platform, a.author_id, a.author_name, u->code};
	if (reattribute(r, &acc, &m, &e) < 0) {
		rules_moves_release(&m);
		web_error(r, 500, "已登记，但重新归属失败", e.msg);
		goto out;
	}
	web_cache_changed(r->cache);
	web_log(r, "%s registered account #%lld for %s", r->who.user, (long long)id, u->code);
	answer_moves(r, id, &m);
	rules_moves_release(&m);
out:
	json_decref(body);
}

struct found {
	char platform[32], author_id[ACCOUNT_FIELD_MAX + 1], author_name[ACCOUNT_FIELD_MAX + 1], unit[32];
	int has_id, n;
};

static int find_one(void *ctx, const struct store_account *a, struct kerr *e)
{
	struct found *f = ctx;

	(void)e;
	snprintf(f->platform, sizeof(f->platform), "%s", a->platform);
	snprintf(f->author_id, sizeof(f->author_id), "%s", a->author_id ? a->author_id : "");
	snprintf(f->author_name, sizeof(f->author_name), "%s", a->author_name ? a->author_name : "");
	snprintf(f->unit, sizeof(f->unit), "%s", a->unit_code);
	f->has_id = a->author_id != NULL;
	f->n++;
	return 0;
}

/* POST /api/accounts/remove {"id": N} */
static void account_remove(struct web_req *r)
{
	json_t *body = web_body_json(r), *v;
	const struct district_unit *own = web_user_unit(r);
	struct district_account acc;
	struct found f;
	struct rules_moves m;
	struct kerr e;
	int64_t id;

	if (!body)
		return;
	v = json_object_get(body, "id");
	id = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
	memset(&f, 0, sizeof(f));
	kerr_clear(&e);
	if (id <= 0 || store_account_foreach(r->st, id, find_one, &f, &e) < 0 || !f.n) {
		web_error(r, 404, "没有这个登记账号", "no such registered account");
		goto out;
	}
	if (r->who.role == ROLE_DISTRICT && (!own || district_lookup(r->o->gaz, f.unit) != own)) {
		web_error(r, 403, "区县账号只能移除本区县的账号", "a district removes its own unit's accounts only");
		goto out;
	}
	if (store_begin(r->st, &e) < 0 || store_account_remove(r->st, id, r->who.user, r->now, &e) < 0 ||
	    store_commit(r->st, &e) < 0) {
		store_rollback(r->st);
		web_error(r, 500, "服务器内部错误", e.msg);
		goto out;
	}
	acc = (struct district_account){f.platform, f.has_id ? f.author_id : NULL, f.has_id ? NULL : f.author_name,
					f.unit};
	if (reattribute(r, &acc, &m, &e) < 0) {
		rules_moves_release(&m);
		web_error(r, 500, "已移除，但重新归属失败", e.msg);
		goto out;
	}
	web_cache_changed(r->cache);
	web_log(r, "%s removed account #%lld", r->who.user, (long long)id);
	answer_moves(r, id, &m);
	rules_moves_release(&m);
out:
	json_decref(body);
}

const struct web_route web_account_routes[] = {
	{"GET", "/api/accounts", accounts, NEED_CLAIM, 0},
	{"POST", "/api/accounts", account_add, NEED_CLAIM, 1},
	{"POST", "/api/accounts/remove", account_remove, NEED_CLAIM, 1},
	{NULL, NULL, NULL, NEED_NOTHING, 0},
};
