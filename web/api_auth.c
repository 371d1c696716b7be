/*
 * api_auth.c: logging in and out (web/internal.h).  The rules of a login
 * (the rate limit, the same answer and time for an unknown user and a
 * wrong password) are store_login()'s; this file turns them into HTTP.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include "../util/passwd.h"

static json_t *who(const struct web_req *r, const char *user, enum role role, const char *unit, const char *csrf)
{
	const struct district_unit *u = unit && *unit ? district_lookup(r->o->gaz, unit) : NULL;

	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "user", user, "role", role_name(role), "role_label",
			 role_label(role), "unit", u ? json_string(u->code) : json_null(), "unit_name",
			 u ? json_string(u->name) : json_null(), "csrf", csrf);
}

static void login(struct web_req *r)
{
	json_t *body = web_body_json(r);
	const char *user, *pw;
	enum store_login_result res;
	struct store_session s;
	char id[PASSWD_TOKEN_SIZE], csrf[PASSWD_TOKEN_SIZE];
	struct kerr e;
	int bad = 0, found = 0;

	if (!body)
		return;
	user = web_str(r, body, "user", &bad);
	pw = bad ? NULL : web_str(r, body, "password", &bad);
	if (bad)
		goto out;
	if (!user || !pw) {
		web_error(r, 400, "请填写用户名和密码", "user and password are required");
		goto out;
	}
	kerr_clear(&e);
	if (store_login(r->st, user, pw, strlen(pw), r->address, r->now, &res, id, csrf, &e) < 0) {
		web_log(r, "login failed on the database: %s", e.msg);
		web_error(r, 500, "服务器内部错误", "the database failed");
		goto out;
	}
	if (res == STORE_LOGIN_LIMITED) {
		r->retry_after = STORE_LOGIN_WINDOW;
		web_error(r, 429, "登录失败次数过多，请 10 分钟后再试", "too many failed logins; try again in 10 minutes");
		goto out;
	}
	if (res != STORE_LOGIN_OK) {
		web_error(r, 401, "用户名或密码错误", "wrong user or password");
		goto out;
	}
	if (store_session_get(r->st, id, r->now, &s, &found, &e) < 0 || !found) {
		web_error(r, 500, "服务器内部错误", "the new session cannot be read");
		goto out;
	}
	snprintf(r->cookie, sizeof(r->cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", WEB_COOKIE, id,
		 r->o->tls_cert ? "; Secure" : "");
	web_log(r, "%s logged in from %s", s.user, r->address);
	web_json(r, 200, who(r, s.user, s.role, s.unit_code, csrf));
out:
	passwd_wipe(id, sizeof(id));
	json_decref(body); /* the password's copy goes with it */
}

static void logout(struct web_req *r)
{
	struct kerr e;

	kerr_clear(&e);
	if (store_session_delete(r->st, r->session_id, &e) < 0) {
		web_error(r, 500, "服务器内部错误", "the database failed");
		return;
	}
	snprintf(r->cookie, sizeof(r->cookie), "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", WEB_COOKIE,
		 r->o->tls_cert ? "; Secure" : "");
	web_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* Who is logged in; {"user": null} when nobody is (not an error: the page
 * asks this first, to know whether to show the login form). */
static void session(struct web_req *r)
{
	if (!r->logged_in) {
		web_json(r, 200, json_pack("{s:n}", "user"));
		return;
	}
	web_json(r, 200, who(r, r->who.user, r->who.role, r->who.unit_code, r->who.csrf));
}

const struct web_route web_auth_routes[] = {
	{"POST", "/api/login", login, NEED_NOTHING, 0},
	{"POST", "/api/logout", logout, NEED_LOGIN, 1},
	{"GET", "/api/session", session, NEED_NOTHING, 0},
	{NULL, NULL, NULL, NEED_NOTHING, 0},
};
