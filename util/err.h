/*
 * err.h: the one error type of kepu.
 *
 * Every fallible function takes a `struct kerr *` last, returns 0 on success
 * and a negative value on failure, and on failure fills the struct with a
 * code and a lowercase message that says what failed and on what.  Only
 * `main` prints a kerr and turns its code into an exit status.
 */
#ifndef KEPU_UTIL_ERR_H
#define KEPU_UTIL_ERR_H

#include <stdarg.h>

enum kerr_code {
	KERR_OK = 0,
	KERR_USAGE,   /* bad command line or configuration: exit 2 */
	KERR_DATA,    /* bad input data (a line, a page, a file) */
	KERR_IO,      /* a file or stream could not be read or written */
	KERR_DB,      /* SQLite said no */
	KERR_LOCKED,  /* another collection holds the lock: exit 75 */
	KERR_NOMEM,   /* allocation failed or a size cap was hit */
};

struct kerr {
	enum kerr_code code;
	char msg[1024];
};

#if defined(__GNUC__)
#define KEPU_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KEPU_PRINTF(a, b)
#endif

/* Fill *e (may be NULL) and return -1, so callers can `return kerr_set(...)`. */
int kerr_set(struct kerr *e, enum kerr_code code, const char *fmt, ...) KEPU_PRINTF(3, 4);

/* Put "prefix: " in front of the message already in *e. Returns -1. */
int kerr_prefix(struct kerr *e, const char *fmt, ...) KEPU_PRINTF(2, 3);

void kerr_clear(struct kerr *e);

#endif
