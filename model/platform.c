/* platform.c: the platform registry; see platform.h. */
#include "platform.h"

#include <string.h>

#define C(k) (1u << (k))
#define ALL  (C(PC_N) - 1)

static const char *const weibo[] = {"微博", "新浪微博", NULL};
static const char *const bilibili[] = {"b站", "B站", "哔哩哔哩", NULL};
static const char *const douyin[] = {"抖音", NULL};
static const char *const xiaohongshu[] = {"小红书", NULL};
static const char *const kuaishou[] = {"快手", NULL};
static const char *const wechat_channels[] = {"视频号", "微信视频号", NULL};
static const char *const toutiao[] = {"今日头条", "头条", NULL};
static const char *const zhihu[] = {"知乎", NULL};
#ifdef KEPU_TEST_PLATFORM
static const char *const testplat[] = {"测试平台", NULL};
#endif
static const char *const other[] = {"其他", NULL};

/* What each platform shows of a post (its own pages): Weibo shows views
 * for videos only, Douyin's web pages no views, Bilibili coins. */
const struct platform platforms[] = {
	{"weibo", "微博", weibo, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES),
	 "https://m.weibo.cn/detail/%s"},
	{"bilibili", "哔哩哔哩", bilibili, ALL, "https://www.bilibili.com/video/%s"},
	{"douyin", "抖音", douyin, C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES),
	 "https://www.douyin.com/video/%s"},
	{"xiaohongshu", "小红书", xiaohongshu, C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES),
	 "https://www.xiaohongshu.com/explore/%s"},
	{"kuaishou", "快手", kuaishou, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS), NULL},
	{"wechat_channels", "微信视频号", wechat_channels,
	 C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES), NULL},
	{"toutiao", "今日头条", toutiao, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES),
	 NULL},
	{"zhihu", "知乎", zhihu, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS) | C(PC_FAVORITES), NULL},
#ifdef KEPU_TEST_PLATFORM
	/* a tenth platform, in a test build only: nothing may be sized for nine */
	{"testplat", "测试平台", testplat, ALL, NULL},
#endif
	{"other", "其他", other, ALL, NULL},
};
const size_t nplatforms = sizeof(platforms) / sizeof(platforms[0]);

const struct platform *platform_find(const char *name)
{
	for (size_t i = 0; name && i < nplatforms; i++)
		if (!strcmp(name, platforms[i].name))
			return &platforms[i];
	return NULL;
}

const struct platform *platform_parse(const char *s, size_t n)
{
	for (size_t i = 0; i < nplatforms; i++) {
		const struct platform *p = &platforms[i];
		size_t k;

		if (strlen(p->name) == n) {
			for (k = 0; k < n && (s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]) == p->name[k]; k++)
				;
			if (k == n)
				return p;
		}
		for (k = 0; p->aliases[k]; k++)
			if (strlen(p->aliases[k]) == n && !memcmp(p->aliases[k], s, n))
				return p;
	}
	return NULL;
}

size_t platform_index(const char *name)
{
	const struct platform *p = platform_find(name);
	return p ? (size_t)(p - platforms) : nplatforms - 1;
}

const char *platform_label(const char *name)
{
	const struct platform *p = platform_find(name);
	return p ? p->label : name;
}
