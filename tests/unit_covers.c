/*
 * unit_covers.c: collector/covers.h below the showcase: which URLs are
 * tried, the host a message names (never a user, password or query), the
 * file names (plain ids as they are, every other id hashed, symlinks and
 * empty files not taken for covers), and a failed download's message.
 * The downloads themselves run against the fake platform server in
 * tests/covers_test.sh.
 */
#include "testutil.h"

#include "../collector/covers.h"

static void test_usable(void **state)
{
	static const struct {
		const char *url;
		int ok;
	} cases[] = {
		{"https://wx1.sinaimg.cn/large/abc.jpg", 1},
		{"http://i0.hdslb.com/bfs/archive/x.jpg", 1},
		{"HTTPS://P3-PC-SIGN.DOUYINPIC.COM/x~tplv.jpeg?x-expires=1&x-signature=a%2Fb", 1},
		{"http://127.0.0.1:8080/img/x.png", 1},
		{"https://[::1]:443/x.gif", 1},
		{NULL, 0},
		{"", 0},
		{"//i0.hdslb.com/bfs/archive/x.jpg", 0}, /* protocol-relative: the adapter's job */
		{"ftp://example.cn/x.jpg", 0},
		{"file:///etc/passwd", 0},
		{"javascript:alert(1)", 0},
		{"data:image/png;base64,AAAA", 0},
		{"https://", 0},
		{"https:///x.jpg", 0},
		{"https://a b/x.jpg", 0},
		{"https://example.cn/x.jpg\r\nX-Injected: 1", 0},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		row_check(&bad, covers_url_usable(cases[i].url) == cases[i].ok, "url '%s'",
			  cases[i].url ? cases[i].url : "(null)");
	assert_int_equal(bad, 0);
}

static void test_host(void **state)
{
	static const struct {
		const char *url, *host;
	} cases[] = {
		{"https://wx1.sinaimg.cn/large/abc.jpg", "wx1.sinaimg.cn"},
		{"https://p3-pc-sign.douyinpic.com/tos/x~t.jpeg?x-signature=SECRET", "p3-pc-sign.douyinpic.com"},
		{"http://user:password@cdn.example.cn:8443/x.jpg", "cdn.example.cn"},
		{"http://a@b@cdn.example.cn/x", "cdn.example.cn"},
		{"http://127.0.0.1:38821/img/x", "127.0.0.1"},
		{"https://[::1]:8443/x", "[::1]"},
		{"https://cdn.example.cn?token=1", "cdn.example.cn"},
		{"https://cdn.example.cn#frag", "cdn.example.cn"},
		{"ftp://cdn.example.cn/x", "?"},
		{"https:///x", "?"},
		{NULL, "?"},
	};
	char host[256];
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		covers_url_host(cases[i].url, host, sizeof(host));
		row_check(&bad, !strcmp(host, cases[i].host), "url '%s': host '%s', want '%s'",
			  cases[i].url ? cases[i].url : "(null)", host, cases[i].host);
	}
	assert_int_equal(bad, 0);
}

static void test_mime(void **state)
{
	(void)state;
	assert_string_equal(covers_mime_type("weibo-1.jpg"), "image/jpeg");
	assert_string_equal(covers_mime_type("weibo-1.png"), "image/png");
	assert_string_equal(covers_mime_type("weibo-1.webp"), "image/webp");
	assert_string_equal(covers_mime_type("weibo-1.gif"), "image/gif");
	assert_null(covers_mime_type("weibo-1.svg"));
	assert_null(covers_mime_type("weibo-1.html"));
	assert_null(covers_mime_type("weibo-1"));
	assert_null(covers_mime_type(NULL));
}

/* covers_find's name for the file NAME put in d; "" when none is found. */
static const char *found(const struct tmpdir *d, const char *platform, const char *id, char name[COVERS_NAME_MAX])
{
	if (!covers_find(d->path, platform, id, name))
		name[0] = '\0';
	return name;
}

static void test_names(void **state)
{
	struct tmpdir d;
	char path[512], name[COVERS_NAME_MAX];
	static const char *const hostile[] = {"../../x", "a/b", ".hidden", "-rf", "名字", "a b", "x\x01y", "_x", ""};

	(void)state;
	tmpdir_make(&d);
	/* a plain id is the name as it is */
	tmpdir_file(&d, "weibo-4890123456789012.png", path, sizeof(path));
	write_text(path, "\x89PNG\r\n\x1a\n");
	assert_string_equal(found(&d, "weibo", "4890123456789012", name), "weibo-4890123456789012.png");
	assert_string_equal(found(&d, "weibo", "489012345678901", name), ""); /* a prefix is another work */
	assert_string_equal(found(&d, "douyin", "4890123456789012", name), "");
	assert_string_equal(found(&d, "myspace", "4890123456789012", name), ""); /* not a platform */
	/* an empty file is no cover; a symlink is never taken for one */
	tmpdir_file(&d, "bilibili-BV1xx.jpg", path, sizeof(path));
	write_text(path, "");
	assert_string_equal(found(&d, "bilibili", "BV1xx", name), "");
	tmpdir_file(&d, "bilibili-BV2yy.gif", path, sizeof(path));
	assert_int_equal(symlink("weibo-4890123456789012.png", path), 0);
	assert_string_equal(found(&d, "bilibili", "BV2yy", name), "");
	/* every other id: "_" and 32 hex digits, never one of its characters,
	 * and "_x" (which starts as a hashed name) is hashed too */
	for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
		struct covers *c;
		struct kerr e;
		char url[128];
		int rc;

		kerr_clear(&e);
		assert_non_null(c = covers_new(NULL, d.path, &e));
		/* port 1: refused at once; the query must stay out of the message */
		snprintf(url, sizeof(url), "http://127.0.0.1:1/x.jpg?x-signature=SECRET%zu", i);
		rc = covers_get(c, "xiaohongshu", hostile[i], url, name, &e);
		covers_free(c);
		assert_int_equal(rc, -1);
		assert_int_equal(e.code, KERR_IO);
		assert_prefix(e.msg, "cover of xiaohongshu:");
		assert_contains(e.msg, "(127.0.0.1): ");
		if (strstr(e.msg, "SECRET") || strstr(e.msg, "x-signature"))
			fail_msg("the query in the message: %s", e.msg);
	}
	tmpdir_remove(&d);
}

static void test_hashed_names(void **state)
{
	struct tmpdir d;
	char path[512], name[COVERS_NAME_MAX], id80[81], id81[82];
	/* "_" and the first 32 hex digits of the id's SHA-256, as
	 * python3 -c "import hashlib; print(hashlib.sha256(b'../../x').hexdigest()[:32])" */
	static const char *const files[] = {"zhihu-_9cdf6a50100a862e14286c7a334296da.gif", "zhihu-x.webp"};
	int bad = 0;

	(void)state;
	memset(id80, 'a', 80);
	id80[80] = '\0';
	memset(id81, 'a', 81);
	id81[81] = '\0';
	tmpdir_make(&d);
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		tmpdir_file(&d, files[i], path, sizeof(path));
		write_text(path, "x");
	}
	row_check(&bad, !strcmp(found(&d, "zhihu", "../../x", name), files[0]), "'../../x' found %s", name);
	row_check(&bad, !strcmp(found(&d, "zhihu", "x", name), "zhihu-x.webp"), "'x' found %s", name);
	/* "_x" looks like a hashed name's start: it is hashed, not taken as it is */
	tmpdir_file(&d, "zhihu-_x.webp", path, sizeof(path));
	write_text(path, "x");
	row_check(&bad, !*found(&d, "zhihu", "_x", name), "'_x' found %s", name);
	/* 80 characters are a name as they are, 81 are hashed (sha256 of 81 a's) */
	snprintf(name, sizeof(name), "zhihu-%s.jpg", id80);
	tmpdir_file(&d, name, path, sizeof(path));
	write_text(path, "x");
	row_check(&bad, !strcmp(found(&d, "zhihu", id80, name), "zhihu-" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg"),
		  "80 a's found %s", name);
	tmpdir_file(&d, "zhihu-_8c48280d57fb88f161adf34d9f597d93.png", path, sizeof(path));
	write_text(path, "x");
	row_check(&bad, !strcmp(found(&d, "zhihu", id81, name), "zhihu-_8c48280d57fb88f161adf34d9f597d93.png"), "81 a's found %s", name);
	/* an unusable URL is no cover, whatever the directory holds */
	{
		struct covers *c;
		struct kerr e;
		kerr_clear(&e);
		assert_non_null(c = covers_new(NULL, d.path, &e));
		row_check(&bad, covers_get(c, "zhihu", "x", "javascript:alert(1)", name, &e) == 0, "javascript: URL");
		row_check(&bad, covers_get(c, "zhihu", "x", NULL, name, &e) == 0, "no URL");
		row_check(&bad, covers_get(c, "myspace", "x", "https://example.cn/x.jpg", name, &e) == -1 &&
					e.code == KERR_USAGE,
			  "unknown platform: %s", e.msg);
		covers_free(c);
	}
	assert_int_equal(bad, 0);
	tmpdir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usable), cmocka_unit_test(test_host),         cmocka_unit_test(test_mime),
		cmocka_unit_test(test_names),  cmocka_unit_test(test_hashed_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
