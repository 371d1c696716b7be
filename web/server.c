/*
 * server.c: the web workspace's HTTP side (web.h): libmicrohttpd on a
 * thread pool, a request's body gathered up to WEB_BODY_MAX, the session
 * and the CSRF token checked against the route's needs, the security
 * headers on every answer, the page's files, and a stop that lets the
 * requests in flight finish.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../reports/report.h"
#include "../util/clock.h"
#include "../util/passwd.h"

/* The page's files (web/assets/, made into C by make: gen/web_assets.c). */
struct web_asset {
	const char *path, *type;
	const unsigned char *data;
	unsigned long len;
};
extern const struct web_asset web_assets[];

static const struct web_route *const route_tables[] = {web_auth_routes,    web_review_routes, web_unit_routes,
							web_account_routes, web_report_routes, web_cover_routes,
							NULL};

/* What the page may load: its own files and the API, nothing else. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			  "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

struct server {
	const struct web_opts *o;
	struct web_cache *cache;
	struct web_covers *covers;
	pthread_key_t store_key;
	atomic_int inflight;
	int tls;
};

/* One request between libmicrohttpd's calls. */
struct pending {
	struct kbuf body;
	int too_big;
};

static void close_store(void *p)
{
	store_close(p);
}

/* This worker thread's connection to the database. */
static struct store *thread_store(struct server *s, struct kerr *e)
{
	struct store *st = pthread_getspecific(s->store_key);

	if (st)
		return st;
	if (store_open(&st, s->o->db_path, e) < 0)
		return NULL;
	pthread_setspecific(s->store_key, st);
	return st;
}

int web_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

const char *web_arg(struct web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void web_log(const struct web_req *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n = snprintf(line, sizeof(line), "kepu serve: %s %s: ", r->method, r->path);

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (r->o->log)
		r->o->log(r->o->log_ctx, line);
}

void web_json(struct web_req *r, unsigned status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	struct kerr e;

	json_decref(v);
	kbuf_reset(&r->out);
	r->type = "application/json; charset=utf-8";
	r->status = status;
	if (!text || kbuf_adds(&r->out, text, &e) < 0) {
		r->status = 500;
		kbuf_reset(&r->out);
	}
	free(text);
}

void web_error(struct web_req *r, unsigned status, const char *zh, const char *en)
{
	web_json(r, status, json_pack("{s:s, s:s}", "error", zh, "error_en", en));
}

json_t *web_body_json(struct web_req *r)
{
	json_error_t je;
	json_t *v = r->body_len ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je) : NULL;

	if (!json_is_object(v)) {
		json_decref(v);
		web_error(r, 400, "请求内容不是有效的 JSON 对象", "the body is not a JSON object");
		return NULL;
	}
	return v;
}

const char *web_str(struct web_req *r, json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
		char en[128];
		snprintf(en, sizeof(en), "%s: expected a string", key);
		web_error(r, 400, "请求字段类型不对", en);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

void web_scoring(const struct web_req *r, struct report_scoring *sc)
{
	report_scoring_default(sc);
	for (int k = 0; k < PC_N; k++) {
		if (r->o->cfg->scoring_weight_set & (1u << k))
			sc->weight[k] = r->o->cfg->scoring_weight[k];
		if (r->o->cfg->scoring_reference_set & (1u << k))
			sc->reference[k] = r->o->cfg->scoring_reference[k];
	}
}

const struct district_unit *web_user_unit(const struct web_req *r)
{
	if (!r->logged_in || r->who.role != ROLE_DISTRICT || !r->who.unit_code[0])
		return NULL;
	return district_lookup(r->o->gaz, r->who.unit_code);
}

/* ---- answering ---- */

static void security_headers(struct MHD_Response *resp, const struct server *s, const struct web_req *r)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", r->csp ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy", r->csp ? r->csp : csp);
	if (s->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result answer(struct server *s, struct MHD_Connection *conn, struct web_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char retry[16];

	resp = MHD_create_response_from_buffer(r->out.len, r->out.data ? r->out.data : (char *)"",
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	security_headers(resp, s, r);
	MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "application/json; charset=utf-8");
	if (r->cache_control)
		MHD_add_response_header(resp, "Cache-Control", r->cache_control);
	else if (!strncmp(r->path, "/api/", 5))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	else
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (r->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->retry_after) {
		snprintf(retry, sizeof(retry), "%u", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", retry);
	}
	rc = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- who is asking ---- */

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, size, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

/* The session of the cookie, if any; 0, or -1 after answering 500. */
static int session(struct web_req *r)
{
	const char *id = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, WEB_COOKIE);
	struct kerr e;
	int found = 0;

	if (!id || !passwd_token_valid(id))
		return 0;
	kerr_clear(&e);
	if (store_session_get(r->st, id, r->now, &r->who, &found, &e) < 0) {
		web_log(r, "cannot read the session: %s", e.msg);
		web_error(r, 500, "服务器内部错误", "the database failed");
		return -1;
	}
	r->logged_in = found;
	r->session_id = found ? id : NULL;
	return 0;
}

static int allowed(const struct web_req *r, enum web_need need)
{
	enum role role = r->who.role;

	switch (need) {
	case NEED_NOTHING:
	case NEED_LOGIN:
		return 1;
	case NEED_REPORT:
		return 1; /* a district sees its own unit only: the handler narrows */
	case NEED_REVIEW:
		return role == ROLE_REVIEWER || role == ROLE_ADMIN;
	case NEED_CLAIM:
		return role == ROLE_DISTRICT || role == ROLE_ADMIN;
	case NEED_ADMIN:
		return role == ROLE_ADMIN;
	}
	return 0;
}

/* A state-changing request must come from the page: JSON, the session's
 * CSRF token, and (when the browser says) the same origin. */
static int csrf_ok(struct web_req *r)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");

	if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
		return 0;
	return token && r->logged_in && passwd_equal(token, r->who.csrf);
}

static int json_body(struct web_req *r)
{
	const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

	return type && !strncmp(type, "application/json", 16);
}

/* ---- routing ---- */

static const struct web_route *route(const char *method, const char *path, int *path_known)
{
	*path_known = 0;
	for (size_t t = 0; route_tables[t]; t++)
		for (const struct web_route *rt = route_tables[t]; rt->method; rt++) {
			size_t n = strlen(rt->path);
			if (rt->path[n - 1] == '/' ? !strncmp(rt->path, path, n) && path[n] : !strcmp(rt->path, path)) {
				*path_known = 1;
				if (!strcmp(rt->method, method))
					return rt;
			}
		}
	return NULL;
}

static void serve_asset(struct web_req *r)
{
	struct kerr e;

	for (const struct web_asset *a = web_assets; a->path; a++)
		if (!strcmp(a->path, r->path)) {
			if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
				web_error(r, 405, "不支持的请求方法", "method not allowed");
				return;
			}
			r->status = 200;
			r->type = a->type;
			if (kbuf_add(&r->out, a->data, a->len, &e) < 0)
				r->status = 500;
			return;
		}
	r->status = 404;
	r->type = "text/plain; charset=utf-8";
	kbuf_adds(&r->out, "404 找不到页面 (not found)\n", &e);
}

static void dispatch(struct server *s, struct web_req *r, const struct pending *p)
{
	const struct web_route *rt;
	struct kerr e;
	int known;

	if (p->too_big) {
		web_error(r, 413, "请求内容过大", "the request body is too large");
		return;
	}
	if (strncmp(r->path, "/api/", 5) && strncmp(r->path, "/covers/", 8)) {
		serve_asset(r);
		return;
	}
	if (!(rt = route(r->method, r->path, &known))) {
		if (known)
			web_error(r, 405, "不支持的请求方法", "method not allowed");
		else
			web_error(r, 404, "没有这个接口", "no such API");
		return;
	}
	kerr_clear(&e);
	if (!(r->st = thread_store(s, &e))) {
		web_log(r, "cannot open the database: %s", e.msg);
		web_error(r, 503, "数据库暂时无法打开", "the database cannot be opened");
		return;
	}
	if (session(r) < 0)
		return;
	if (rt->need != NEED_NOTHING && !r->logged_in) {
		web_error(r, 401, "请先登录", "log in first");
		return;
	}
	if (!allowed(r, rt->need)) {
		web_error(r, 403, "当前账号无权进行此操作", "this account may not do that");
		return;
	}
	if (!strcmp(r->method, "POST") && !json_body(r)) {
		web_error(r, 415, "请求内容应为 JSON", "expected Content-Type: application/json");
		return;
	}
	if (rt->csrf && !csrf_ok(r)) {
		web_error(r, 403, "请求校验失败，请刷新页面后重试", "missing or wrong CSRF token");
		return;
	}
	rt->fn(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct server *s = cls;
	struct pending *p = *state;
	struct web_req r;
	enum MHD_Result rc;
	struct kerr e;

	(void)version;
	if (!p) {
		if (!(p = calloc(1, sizeof(*p))))
			return MHD_NO;
		kbuf_init(&p->body, WEB_BODY_MAX);
		*state = p;
		atomic_fetch_add(&s->inflight, 1);
		return MHD_YES;
	}
	if (*upload_size) {
		if (!p->too_big && kbuf_add(&p->body, upload, *upload_size, &e) < 0)
			p->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof(r));
	r.o = s->o;
	r.cache = s->cache;
	r.covers = s->covers;
	r.conn = conn;
	r.method = method;
	r.path = url;
	r.body = p->body.data ? p->body.data : "";
	r.body_len = p->body.len;
	r.now = kclock_now();
	client_address(conn, r.address, sizeof(r.address));
	kbuf_init(&r.out, 64 * 1024 * 1024);
	dispatch(s, &r, p);
	rc = answer(s, conn, &r);
	if (r.status >= 500)
		web_log(&r, "answered %u", r.status);
	kbuf_release(&r.out);
	return rc;
}

static void on_done(void *cls, struct MHD_Connection *conn, void **state, enum MHD_RequestTerminationCode why)
{
	struct server *s = cls;
	struct pending *p = *state;

	(void)conn;
	(void)why;
	if (!p)
		return;
	kbuf_release(&p->body);
	free(p);
	*state = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

/* ---- start and stop ---- */

static int read_file(const char *path, char **out, struct kerr *e)
{
	FILE *f = fopen(path, "rb");
	struct kbuf b;
	char chunk[4096];
	size_t n;

	if (!f)
		return kerr_set(e, KERR_USAGE, "%s: cannot open: %s", path, strerror(errno));
	kbuf_init(&b, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (kbuf_add(&b, chunk, n, e) < 0) {
			fclose(f);
			kbuf_release(&b);
			return kerr_set(e, KERR_USAGE, "%s: larger than 1 MiB", path);
		}
	fclose(f);
	*out = kbuf_detach(&b);
	return *out ? 0 : kerr_set(e, KERR_USAGE, "%s: empty", path);
}

static int address(const struct web_opts *o, struct sockaddr_storage *ss, struct kerr *e)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)(void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, o->host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)o->port);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, o->host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)o->port);
		return AF_INET6;
	}
	return kerr_set(e, KERR_USAGE, "--listen: '%s' is not a numeric IPv4 or IPv6 address", o->host);
}

static struct MHD_Daemon *start(struct server *s, struct sockaddr_storage *ss, int family, char *cert, char *key)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;

	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (cert)
		return MHD_start_daemon(flags | MHD_USE_TLS, (uint16_t)s->o->port, NULL, NULL, on_request, s,
					MHD_OPTION_SOCK_ADDR, ss, MHD_OPTION_THREAD_POOL_SIZE, s->o->threads,
					MHD_OPTION_NOTIFY_COMPLETED, on_done, s, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
					MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_HTTPS_MEM_CERT, cert,
					MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	return MHD_start_daemon(flags, (uint16_t)s->o->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, ss,
				MHD_OPTION_THREAD_POOL_SIZE, s->o->threads, MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
				MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
}

int web_serve(const struct web_opts *o, struct kerr *e)
{
	struct server s;
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	char *cert = NULL, *key = NULL;
	int family, rc = -1;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.tls = o->tls_cert != NULL;
	atomic_init(&s.inflight, 0);
	if ((family = address(o, &ss, e)) < 0 || passwd_init(e) < 0)
		return -1;
	if (s.tls && (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES))
		return kerr_set(e, KERR_USAGE, "--tls-cert: this libmicrohttpd was built without TLS");
	if (s.tls && (read_file(o->tls_cert, &cert, e) < 0 || read_file(o->tls_key, &key, e) < 0))
		goto out;
	if (!(s.cache = web_cache_new())) {
		kerr_set(e, KERR_NOMEM, "out of memory");
		goto out;
	}
	if (!(s.covers = web_covers_new(o, e)))
		goto out;
	if (pthread_key_create(&s.store_key, close_store) != 0) {
		kerr_set(e, KERR_NOMEM, "cannot make a thread key");
		goto out;
	}
	if (!(d = start(&s, &ss, family, cert, key))) {
		kerr_set(e, KERR_USAGE, "cannot listen on %s port %u (in use, or not this machine's address)", o->host,
			 o->port);
		pthread_key_delete(s.store_key);
		goto out;
	}
	{
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		char line[256];
		snprintf(line, sizeof(line), "kepu serve: listening on %s://%s%s%s:%u/ (database %s)",
			 s.tls ? "https" : "http", family == AF_INET6 ? "[" : "", o->host, family == AF_INET6 ? "]" : "",
			 di ? (unsigned)di->port : o->port, o->db_path);
		if (o->log)
			o->log(o->log_ctx, line);
	}
	while (!*o->stop)
		usleep(100 * 1000);
	/* no new connections; the requests in flight finish (10 s at most) */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100 && atomic_load(&s.inflight) > 0; i++)
		usleep(100 * 1000);
	MHD_stop_daemon(d);
	pthread_key_delete(s.store_key);
	rc = 0;
out:
	web_cache_free(s.cache);
	web_covers_free(s.covers);
	if (key)
		passwd_wipe(key, strlen(key));
	free(cert);
	free(key);
	return rc;
}
