/*
 * unit_passwd.c: util/passwd.h: the password rule (characters, not
 * bytes), argon2id hashes that verify, carry a salt and say when to be
 * replaced, the dummy verification's time, random tokens, and the
 * comparison of secrets; and model/user.h's roles and user names.
 *
 * libsodium is called directly only to make a hash with other limits
 * than passwd_hash() uses (what an old database would hold).
 */
#include "testutil.h"

#include <sodium.h>
#include <time.h>

#include "../model/user.h"
#include "../util/passwd.h"

static const char good[] = "correct horse battery";

/* ---- the password rule ---- */

struct pw_case {
	const char *pw;
	size_t n; /* 0: strlen */
	int ok;
	const char *why;
};

static void test_check(void **state)
{
	static char max[PASSWD_MAX_BYTES + 2];
	const struct pw_case cases[] = {
		{"", 0, 0, "empty"},
		{"123456789", 0, 0, "nine characters"},
		{"1234567890", 0, 1, "ten characters"},
		{"科普科普科普科普科普", 0, 1, "ten CJK characters (30 bytes)"},
		{"科普科普科普科普科", 0, 0, "nine CJK characters: 27 bytes are not ten characters"},
		{"pass word with spaces", 0, 1, "spaces are characters like any other"},
		{"1234567890\t", 0, 0, "a tab is a control character"},
		{"1234567890\x7f", 0, 0, "DEL is a control character"},
		{"1234567890\xc2\x85", 0, 0, "U+0085 (NEL) is a control character"},
		{"1234567890\xff", 0, 0, "not UTF-8"},
		{"12345\00067890", 11, 0, "a NUL inside"},
		{max, PASSWD_MAX_BYTES, 1, "1024 bytes"},
		{max, PASSWD_MAX_BYTES + 1, 0, "1025 bytes"},
	};
	int bad = 0;

	(void)state;
	memset(max, 'x', sizeof(max) - 1);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct kerr e;
		size_t n = cases[i].n ? cases[i].n : strlen(cases[i].pw);
		int rc;

		kerr_clear(&e);
		rc = passwd_check(cases[i].pw, n, &e);
		row_check(&bad, (rc == 0) == cases[i].ok, "%s: got %d", cases[i].why, rc);
		row_check(&bad, rc == 0 || e.code == KERR_USAGE, "%s: code %d", cases[i].why, e.code);
		/* the message never quotes the password */
		row_check(&bad, rc == 0 || n < 4 || !strstr(e.msg, "1234"), "%s: message '%s'", cases[i].why, e.msg);
	}
	assert_int_equal(bad, 0);
}

/* ---- hashes ---- */

static void test_hash_verify(void **state)
{
	char h1[PASSWD_HASH_SIZE], h2[PASSWD_HASH_SIZE];
	struct kerr e;

	(void)state;
	assert_int_equal(passwd_hash(good, strlen(good), h1, &e), 0);
	assert_prefix(h1, "$argon2id$");
	assert_null(strstr(h1, good));
	assert_int_equal(passwd_verify(h1, good, strlen(good)), 1);
	assert_int_equal(passwd_verify(h1, "correct horse batterY", strlen(good)), 0);
	assert_int_equal(passwd_verify(h1, good, strlen(good) - 1), 0); /* a prefix is not the password */
	/* a fresh salt each time: two hashes of one password differ, both verify */
	assert_int_equal(passwd_hash(good, strlen(good), h2, &e), 0);
	assert_string_not_equal(h1, h2);
	assert_int_equal(passwd_verify(h2, good, strlen(good)), 1);
	/* not a hash at all */
	assert_int_equal(passwd_verify("", good, strlen(good)), 0);
	assert_int_equal(passwd_verify("$argon2id$v=19$garbage", good, strlen(good)), 0);
	assert_int_equal(passwd_verify(NULL, good, strlen(good)), 0);
}

static void test_needs_rehash(void **state)
{
	char now[PASSWD_HASH_SIZE], old[crypto_pwhash_STRBYTES];
	struct kerr e;

	(void)state;
	assert_int_equal(passwd_hash(good, strlen(good), now, &e), 0);
	assert_int_equal(passwd_needs_rehash(now), 0);
	/* what a database written with weaker limits would hold */
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(
		crypto_pwhash_str(old, good, strlen(good), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(passwd_verify(old, good, strlen(good)), 1);
	assert_int_equal(passwd_needs_rehash(old), 1);
	assert_int_equal(passwd_needs_rehash("not a hash"), -1);
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* An unknown user costs what a wrong password costs.  The fastest of three
 * runs of each (other jobs only make runs slower): the dummy must take at
 * least a third and at most three times a real verification. */
static void test_dummy_takes_the_time(void **state)
{
	char h[PASSWD_HASH_SIZE];
	double real = 1e9, dummy = 1e9;
	struct kerr e;

	(void)state;
	assert_int_equal(passwd_init(&e), 0);
	assert_int_equal(passwd_hash(good, strlen(good), h, &e), 0);
	for (int i = 0; i < 3; i++) {
		double t0 = seconds(), t1, t2;

		assert_int_equal(passwd_verify(h, "wrong password!", 15), 0);
		t1 = seconds();
		passwd_verify_dummy("wrong password!", 15);
		t2 = seconds();
		if (t1 - t0 < real)
			real = t1 - t0;
		if (t2 - t1 < dummy)
			dummy = t2 - t1;
	}
	if (dummy < real / 3 || dummy > real * 3)
		fail_msg("verify %.3f s, dummy %.3f s", real, dummy);
}

/* ---- tokens and comparisons ---- */

static void test_tokens(void **state)
{
	char a[PASSWD_TOKEN_SIZE], b[PASSWD_TOKEN_SIZE];
	struct kerr e;

	(void)state;
	assert_int_equal(passwd_token(a, &e), 0);
	assert_int_equal(passwd_token(b, &e), 0);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_not_equal(a, b);
	assert_int_equal(passwd_token_valid(a), 1);
	assert_int_equal(passwd_token_valid(b), 1);
	b[63] = '\0';
	assert_int_equal(passwd_token_valid(b), 0); /* 63 digits */
	assert_int_equal(passwd_token_valid(""), 0);
	assert_int_equal(passwd_token_valid(NULL), 0);
	assert_int_equal(passwd_token_valid("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"), 0);
	assert_int_equal(passwd_token_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"), 0);
	assert_int_equal(passwd_token_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"), 0);
	assert_int_equal(passwd_token_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), 1);
}

static void test_equal(void **state)
{
	(void)state;
	assert_int_equal(passwd_equal("abc", "abc"), 1);
	assert_int_equal(passwd_equal("abc", "abd"), 0);
	assert_int_equal(passwd_equal("abc", "abcd"), 0);
	assert_int_equal(passwd_equal("", ""), 1);
	assert_int_equal(passwd_equal(NULL, "abc"), 0);
}

static void test_wipe(void **state)
{
	char buf[16] = "secret secret";

	(void)state;
	passwd_wipe(buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

/* ---- model/user.h ---- */

static void test_roles(void **state)
{
	int bad = 0;

	(void)state;
	for (int r = 0; r < ROLE_N; r++) {
		row_check(&bad, role_parse(role_name((enum role)r)) == r, "role %d", r);
		row_check(&bad, role_label((enum role)r)[0] != '\0' && strcmp(role_label((enum role)r), "?"),
			  "role %d has no label", r);
	}
	assert_int_equal(bad, 0);
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_label(ROLE_ADMIN), "管理员");
	assert_string_equal(role_label(ROLE_VIEWER), "浏览");
	assert_string_equal(role_label(ROLE_DISTRICT), "区县");
	assert_string_equal(role_label(ROLE_REVIEWER), "审核");
	assert_int_equal(role_parse("Admin"), -1);
	assert_int_equal(role_parse(""), -1);
	assert_int_equal(role_parse(NULL), -1);
	assert_string_equal(role_name(ROLE_N), "?");
}

static void test_user_names(void **state)
{
	static char longest[USER_NAME_MAX_CHARS * 3 + 4], too_long[USER_NAME_MAX_CHARS + 2];
	const struct {
		const char *name;
		int ok;
	} cases[] = {
		{"alice", 1}, {"张三", 1},   {"jiangjin-staff_2", 1}, {"a", 1},     {"", 0},          {"a b", 0},
		{"a\tb", 0},  {"a:b", 0},    {"张\u3000三", 0},       {"a\x7f", 0}, {"a\xc2\x85", 0}, {"\xff", 0},
		{longest, 1}, {too_long, 0},
	};
	int bad = 0;

	(void)state;
	/* 64 CJK characters (192 bytes) are a name; 65 ASCII ones are not */
	for (int i = 0; i < USER_NAME_MAX_CHARS; i++)
		memcpy(longest + 3 * i, "科", 3);
	memset(too_long, 'x', USER_NAME_MAX_CHARS + 1);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct kerr e;
		int rc = user_name_check(cases[i].name, &e);
		row_check(&bad, (rc == 0) == cases[i].ok, "name #%zu: got %d", i, rc);
		row_check(&bad, rc == 0 || e.code == KERR_USAGE, "name #%zu: code", i);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),        cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_needs_rehash), cmocka_unit_test(test_dummy_takes_the_time),
		cmocka_unit_test(test_tokens),       cmocka_unit_test(test_equal),
		cmocka_unit_test(test_wipe),         cmocka_unit_test(test_roles),
		cmocka_unit_test(test_user_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
