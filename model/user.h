/*
 * user.h: what an account of the web workspace is, for every part of
 * kepu: its role (one registry row each: the id kepu stores, the label
 * people read) and what a user name may be.  The store keeps accounts,
 * the fronts (kepu user, kepu serve) create them and check who may act.
 *
 * What each role may do (issue 14):
 *   viewer    the report and the shortlist
 *   district  one unit's page, its works, claims and corrections
 *   reviewer  the review queue, decisions, showcase preview and publish
 *   admin     everything, and the accounts
 *
 * Not for: storage, passwords (util/passwd.h), sessions (store/store.h).
 */
#ifndef KEPU_MODEL_USER_H
#define KEPU_MODEL_USER_H

#include <stddef.h>

#include "../util/err.h"

/* In order of reach: each role below admin sees a part of what admin sees. */
enum role { ROLE_VIEWER, ROLE_DISTRICT, ROLE_REVIEWER, ROLE_ADMIN, ROLE_N };

struct role_def {
	const char *id;    /* what kepu stores and the command line takes: "reviewer" */
	const char *label; /* what people read: "审核" */
};
/* Indexed by enum role. */
extern const struct role_def role_defs[ROLE_N];

/* "viewer", "district", "reviewer", "admin"; "?" out of range. */
const char *role_name(enum role r);
/* "浏览", "区县", "审核", "管理员"; "?" out of range. */
const char *role_label(enum role r);
/* The role whose id is exactly s, or -1. */
int role_parse(const char *s);

/* A user name: 1 to 64 characters, valid UTF-8, no control characters,
 * no whitespace (ASCII or U+3000) and no ':' (fronts write "name:..."). */
#define USER_NAME_MAX_CHARS 64
#define USER_NAME_MAX_BYTES (USER_NAME_MAX_CHARS * 4)
/* 0 when name is a valid user name, else -1 with KERR_USAGE saying why
 * (the name itself is not quoted: it may be anything). */
int user_name_check(const char *name, struct kerr *e);

#endif
