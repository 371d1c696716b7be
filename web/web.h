/*
 * web.h: the web workspace (`kepu serve`): a second front beside the CLI.
 * Like the CLI it parses requests, checks who may do what, and calls the
 * same library functions (rules/, reports/, store/); the rules live there,
 * never here.  libmicrohttpd serves it on a thread pool; each worker
 * thread has its own connection to the database (WAL: reading never
 * waits for cron's collection, and the collection lock is never taken).
 *
 * Nothing here prints: what the server has to say goes to o->log.
 */
#ifndef KEPU_WEB_WEB_H
#define KEPU_WEB_WEB_H

#include <signal.h>

#include "../config/config.h"
#include "../matchers/district.h"
#include "../matchers/flags.h"
#include "../util/err.h"

typedef void (*web_log_fn)(void *ctx, const char *msg);

struct web_opts {
	const char *host;       /* numeric address to listen on: "127.0.0.1", "::1", "0.0.0.0" */
	unsigned port;
	const char *tls_cert;   /* PEM files; both or neither */
	const char *tls_key;
	unsigned threads;       /* worker threads (at least 1) */
	const char *db_path;
	const struct config *cfg;
	const struct gazetteer *gaz;
	const struct flags *mask; /* masks phone and ID numbers in what pages show */
	web_log_fn log;
	void *log_ctx;
	volatile sig_atomic_t *stop; /* the front sets it (SIGTERM): finish the requests in flight, return */
};

/* 1 when host is a loopback address (127.0.0.0/8, ::1). */
int web_is_loopback(const char *host);

/* Serve until *o->stop; 0 after a clean stop, -1 with e set when the
 * server cannot start (the address is taken, TLS files unreadable). */
int web_serve(const struct web_opts *o, struct kerr *e);

#endif
