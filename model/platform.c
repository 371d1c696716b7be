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
 * for videos only, Douyin's web pages no views, Bilibili coins.
 *
 * image_referer: what each platform's image servers want to see before
 * they hand out a cover (collector/covers.c sends it):
 * - Weibo (wx1..wx4.sinaimg.cn): hotlink protection since November 2022
 *   answers 403 to a request without a weibo.com Referer, a browser's
 *   address bar included, and serves it with `Referer: https://weibo.com/`
 *   (dataabc/weiboSpider#503; MountainDash/nonebot-bison#145: a browser
 *   User-Agent must come with a Referer; DIYgod/RSSHub#11096 and its fix
 *   #11320 send the Referer).
 * - Bilibili (i0..i2.hdslb.com): a Referer of another site gets 403 with
 *   `X-Tengine-Error: denied by Refer ACL`; no Referer, or bilibili.com's,
 *   is served (DIYgod/RSSHub#1297, VocaDB/vocadb#347).
 * - Douyin (p3-pc-sign.douyinpic.com ...): the cover URLs are signed,
 *   `x-expires` (hours ahead) and `x-signature` in the query; an expired or
 *   altered one is 403, so the URL is fetched byte for byte as collected and
 *   soon after (qsniyg/maxurl#1281, jiji262/douyin-downloader#136).
 *   MediaCrawler's DouYinClient.get_aweme_media fetches them with no
 *   Referer; kepu sends the web client's own, which the pages send too.
 * The others' pictures come from staff files and feeds: no Referer. */
const struct platform platforms[] = {
	{"weibo", "微博", weibo, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES),
	 "https://m.weibo.cn/detail/%s", "https://weibo.com/"},
	{"bilibili", "哔哩哔哩", bilibili, ALL, "https://www.bilibili.com/video/%s", "https://www.bilibili.com/"},
	{"douyin", "抖音", douyin, C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES),
	 "https://www.douyin.com/video/%s", "https://www.douyin.com/"},
	{"xiaohongshu", "小红书", xiaohongshu, C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES),
	 "https://www.xiaohongshu.com/explore/%s", NULL},
	{"kuaishou", "快手", kuaishou, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS), NULL, NULL},
	{"wechat_channels", "微信视频号", wechat_channels,
	 C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES), NULL, NULL},
	{"toutiao", "今日头条", toutiao, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS) | C(PC_SHARES) | C(PC_FAVORITES),
	 NULL, NULL},
	{"zhihu", "知乎", zhihu, C(PC_VIEWS) | C(PC_LIKES) | C(PC_COMMENTS) | C(PC_FAVORITES), NULL, NULL},
#ifdef KEPU_TEST_PLATFORM
	/* a tenth platform, in a test build only: nothing may be sized for nine */
	{"testplat", "测试平台", testplat, ALL, NULL, NULL},
#endif
	{"other", "其他", other, ALL, NULL, NULL},
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
