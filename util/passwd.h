/*
 * passwd.h: passwords and secret tokens, through libsodium only: argon2id
 * hashes (crypto_pwhash_str, libsodium's interactive limits: about 64 MiB
 * and a tenth of a second or more per hash), random tokens, comparing
 * secrets in constant time, and wiping them.  No hash here is written by
 * hand.
 *
 * A hash string carries its algorithm, limits and salt
 * ("$argon2id$v=19$m=65536,t=2,p=1$..."), so one verified later with other
 * limits still verifies, and passwd_needs_rehash() says when to replace
 * it.  Passwords are byte strings with a length (they may hold any
 * UTF-8); nothing here keeps a copy of one.
 *
 * Not for: who the user is or what a role may do (model/user.h), storing
 * anything (store/).  Thread-safe: libsodium is initialised once.
 */
#ifndef KEPU_UTIL_PASSWD_H
#define KEPU_UTIL_PASSWD_H

#include <stddef.h>

#include "err.h"

#define PASSWD_HASH_SIZE   128 /* crypto_pwhash_STRBYTES: a hash string and its NUL */
#define PASSWD_TOKEN_BYTES 32
#define PASSWD_TOKEN_SIZE  (2 * PASSWD_TOKEN_BYTES + 1) /* 64 hex digits and a NUL */

/* The rule for a new password: at least 10 characters, at most 1024
 * bytes, valid UTF-8, no control characters.  0, or -1 with KERR_USAGE
 * saying which rule failed (never quoting the password). */
#define PASSWD_MIN_CHARS 10
#define PASSWD_MAX_BYTES 1024
int passwd_check(const char *pw, size_t n, struct kerr *e);

/* Initialise libsodium and make the fixed hash passwd_verify_dummy()
 * uses; every function here does it on first use, a server may call it at
 * start so that no login pays for it.  0, or -1 with e set. */
int passwd_init(struct kerr *e);

/* Hash pw[0..n) with argon2id and a fresh random salt into out (a
 * NUL-terminated string, PASSWD_HASH_SIZE bytes with the NUL).  -1 with e
 * set when libsodium cannot (out of memory). */
int passwd_hash(const char *pw, size_t n, char out[PASSWD_HASH_SIZE], struct kerr *e);

/* 1 when pw[0..n) is the password of hash, 0 when not (or when hash is
 * not a hash libsodium reads). */
int passwd_verify(const char *hash, const char *pw, size_t n);

/* Spend the time of passwd_verify() on a hash made with the current
 * limits, for a user who does not exist: a login answers an unknown user
 * as late as a wrong password.  The result is not given: it is always a
 * refusal. */
void passwd_verify_dummy(const char *pw, size_t n);

/* How many argon2id verifications (real or dummy) this process made: a
 * login's cost, counted rather than timed (tests never time). */
long passwd_work(void);

/* 1 when hash was made with other limits (or another algorithm) than
 * passwd_hash() uses now and should be replaced at the next successful
 * login, 0 when not, -1 when it is not a hash at all. */
int passwd_needs_rehash(const char *hash);

/* A new random token: PASSWD_TOKEN_BYTES from libsodium's generator as
 * lowercase hex into out.  0, or -1 with e set. */
int passwd_token(char out[PASSWD_TOKEN_SIZE], struct kerr *e);
/* 1 when s is shaped like a token (64 lowercase hex digits), else 0. */
int passwd_token_valid(const char *s);

/* 1 when the NUL-terminated secrets a and b are equal, in time that
 * depends only on their lengths. */
int passwd_equal(const char *a, const char *b);

/* Overwrite p[0..n) with zeros in a way the compiler does not drop. */
void passwd_wipe(void *p, size_t n);

#endif
