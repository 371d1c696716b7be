/*
 * passwd.c: argon2id hashes and random tokens through libsodium
 * (passwd.h).  The limits are libsodium's "interactive" ones, meant for
 * logins; the dummy hash is made once per process, with the same limits,
 * so that verifying against it costs what a real verification costs.
 */
#include "passwd.h"

#include <stdatomic.h>

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"

_Static_assert(PASSWD_HASH_SIZE == crypto_pwhash_STRBYTES, "PASSWD_HASH_SIZE is libsodium's string size");

#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready;                         /* sodium_init() succeeded */
static char dummy_hash[PASSWD_HASH_SIZE]; /* "" when it could not be made */

static void init_once(void)
{
	/* not a secret: its only use is to take time */
	static const char dummy[] = "kepu: no such user";

	if (sodium_init() < 0)
		return;
	ready = 1;
	if (crypto_pwhash_str(dummy_hash, dummy, sizeof(dummy) - 1, OPSLIMIT, MEMLIMIT) != 0)
		dummy_hash[0] = '\0';
}

int passwd_init(struct kerr *e)
{
	pthread_once(&once, init_once);
	if (!ready)
		return kerr_set(e, KERR_NOMEM, "cannot initialise libsodium");
	return 0;
}

int passwd_check(const char *pw, size_t n, struct kerr *e)
{
	size_t chars = 0;

	if (!n)
		return kerr_set(e, KERR_USAGE, "the password is empty");
	if (n > PASSWD_MAX_BYTES)
		return kerr_set(e, KERR_USAGE, "the password is longer than %d bytes", PASSWD_MAX_BYTES);
	if (utf8_invalid_at(pw, n) >= 0)
		return kerr_set(e, KERR_USAGE, "the password is not valid UTF-8");
	for (size_t i = 0; i < n;) {
		uint32_t cp;

		i += (size_t)utf8_decode((const unsigned char *)pw + i, &cp);
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return kerr_set(e, KERR_USAGE, "the password contains a control character");
		chars++;
	}
	if (chars < PASSWD_MIN_CHARS)
		return kerr_set(e, KERR_USAGE, "the password is shorter than %d characters", PASSWD_MIN_CHARS);
	return 0;
}

int passwd_hash(const char *pw, size_t n, char out[PASSWD_HASH_SIZE], struct kerr *e)
{
	if (passwd_init(e) < 0)
		return -1;
	if (crypto_pwhash_str(out, pw, (unsigned long long)n, OPSLIMIT, MEMLIMIT) != 0)
		return kerr_set(e, KERR_NOMEM, "cannot hash the password: out of memory");
	return 0;
}

/* argon2id computations made so far (passwd_work()) */
static atomic_long work;

long passwd_work(void)
{
	return atomic_load(&work);
}

int passwd_verify(const char *hash, const char *pw, size_t n)
{
	if (passwd_init(NULL) < 0 || !hash)
		return 0;
	atomic_fetch_add(&work, 1);
	return crypto_pwhash_str_verify(hash, pw, (unsigned long long)n) == 0;
}

void passwd_verify_dummy(const char *pw, size_t n)
{
	char tmp[PASSWD_HASH_SIZE];
	int spent; /* the answer is always no: the result only has to be taken */

	if (passwd_init(NULL) < 0)
		return;
	atomic_fetch_add(&work, 1);
	if (dummy_hash[0]) {
		spent = crypto_pwhash_str_verify(dummy_hash, pw, (unsigned long long)n);
		(void)spent;
		return;
	}
	/* no dummy hash (memory was short once): hashing costs the same */
	spent = crypto_pwhash_str(tmp, pw, (unsigned long long)n, OPSLIMIT, MEMLIMIT);
	(void)spent;
	sodium_memzero(tmp, sizeof(tmp));
}

int passwd_needs_rehash(const char *hash)
{
	if (passwd_init(NULL) < 0 || !hash)
		return -1;
	return crypto_pwhash_str_needs_rehash(hash, OPSLIMIT, MEMLIMIT);
}

int passwd_token(char out[PASSWD_TOKEN_SIZE], struct kerr *e)
{
	unsigned char raw[PASSWD_TOKEN_BYTES];

	if (passwd_init(e) < 0)
		return -1;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, PASSWD_TOKEN_SIZE, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int passwd_token_valid(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < PASSWD_TOKEN_SIZE - 1; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

int passwd_equal(const char *a, const char *b)
{
	size_t n;

	if (!a || !b || (n = strlen(a)) != strlen(b))
		return 0;
	return n == 0 || sodium_memcmp(a, b, n) == 0;
}

void passwd_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
