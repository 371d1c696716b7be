/*
 * cmd_serve.c: `kepu serve`: the web workspace for staff (web/web.h).
 * SIGTERM or SIGINT: the requests in flight finish, then exit 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../web/web.h"
#include "cli.h"

enum { O_LISTEN, O_PUBLIC, O_TLS_CERT, O_TLS_KEY, O_THREADS };
static const struct cli_opt serve_opts[] = {
	[O_LISTEN] = {"listen", 0, OPT_TEXT, "ADDR:PORT",
		      "where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6)"},
	[O_PUBLIC] = {"public", 0, OPT_FLAG, NULL,
		      "allow an address other than this machine's loopback: then TLS\n"
		      "comes from a reverse proxy (README) or --tls-cert/--tls-key"},
	[O_TLS_CERT] = {"tls-cert", 0, OPT_TEXT, "FILE", "the certificate chain, PEM"},
	[O_TLS_KEY] = {"tls-key", 0, OPT_TEXT, "FILE", "its private key, PEM"},
	[O_THREADS] = {"threads", 0, OPT_NUM, "N", "worker threads (default 4)", NULL, 1, 64},
	{NULL},
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* "127.0.0.1:8080", "[::1]:8080" or ":8080" into host and port. */
static int split_listen(const char *s, char *host, size_t size, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	const char *h = s;
	size_t n;
	char *end;
	unsigned long p;

	if (!colon)
		return -1;
	n = (size_t)(colon - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		h = s + 1;
		n -= 2;
	}
	if (n >= size)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (!n)
		snprintf(host, size, "127.0.0.1");
	p = strtoul(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p > 65535) /* 0: any free port (tests) */
		return -1;
	*port = (unsigned)p;
	return 0;
}

static int check_serve(struct cli *c, struct cli_args *a)
{
	char host[64];
	unsigned port;

	(void)c;
	if (a->set[O_LISTEN] && split_listen(a->text[O_LISTEN], host, sizeof(host), &port) < 0)
		return cli_usage_error(a->cmd, "--listen: expected ADDR:PORT (e.g. 127.0.0.1:8080), got '%s'",
				       a->text[O_LISTEN]);
	if (a->set[O_TLS_CERT] != a->set[O_TLS_KEY])
		return cli_usage_error(a->cmd, "--tls-cert and --tls-key go together");
	if (a->set[O_LISTEN] && !web_is_loopback(host) && !a->set[O_PUBLIC])
		return cli_usage_error(a->cmd,
				       "--listen %s is not this machine's loopback: add --public, and put TLS in front "
				       "(a reverse proxy, see README, or --tls-cert/--tls-key)",
				       a->text[O_LISTEN]);
	return EXIT_OK;
}

static int cmd_serve(struct cli *c, struct cli_args *a)
{
	struct web_opts o;
	struct sigaction sa;
	struct kerr e;
	char host[64] = "127.0.0.1";
	unsigned port = 8080;

	if (a->set[O_LISTEN])
		split_listen(a->text[O_LISTEN], host, sizeof(host), &port);
	memset(&o, 0, sizeof(o));
	o.host = host;
	o.port = port;
	o.tls_cert = a->text[O_TLS_CERT];
	o.tls_key = a->text[O_TLS_KEY];
	o.threads = a->set[O_THREADS] ? (unsigned)a->num[O_THREADS] : 4;
	o.db_path = c->db_path;
	o.cfg = &c->cfg;
	o.gaz = c->gaz;
	o.mask = c->mask;
	o.log = cli_diag;
	o.stop = &stop;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!web_is_loopback(host) && !o.tls_cert)
		fprintf(stderr, "kepu serve: listening on %s: this server speaks plain HTTP; TLS must come from a "
			"reverse proxy in front of it (README: nginx) or from --tls-cert/--tls-key\n", host);
	kerr_clear(&e);
	if (web_serve(&o, &e) < 0)
		return cli_fail(&e);
	fprintf(stderr, "kepu serve: stopped\n");
	return EXIT_OK;
}

const struct cli_command cli_serve = {
	.name = "serve",
	.summary = "the web workspace for staff: review, corrections, the showcase",
	.about = "Serves the workspace (Chinese pages and a JSON API) on a thread pool. It reads\n"
		 "and writes the database while cron collects and never takes the collection lock.\n"
		 "Accounts come from 'kepu user'. SIGTERM lets the requests in flight finish.\n",
	.opts = serve_opts,
	.needs = NEED_STORE | NEED_GAZETTEER | NEED_MASK,
	.check = check_serve,
	.run = cmd_serve,
};
