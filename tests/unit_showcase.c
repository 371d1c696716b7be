/*
 * unit_showcase.c: the titles the showcase shows for posts without an
 * editor's (showcase_title_of), from text written the way people post:
 * Weibo's #话题# and 【标题】, Douyin's "标题 #话题 正文", reposts,
 * mentions, links, emoticon codes, entities, and long runs without
 * punctuation.  Each expected title was worked out by hand from the rule
 * in README "Showcase", not copied from the output.
 */
#include "testutil.h"

#include "../reports/report.h"
#include "../util/utf8.h"

static const struct {
	const char *title, *text, *want;
} cases[] = {
	/* Weibo: the campaign topic first, then a 【】 title */
	{NULL, "#千万IP创科普# 【万州区青少年科技创新大赛开幕】今天上午，300多名中小学生来到万州区科技馆。",
	 "万州区青少年科技创新大赛开幕"},
	/* Douyin: the first sentence, its ！ kept, the topics after it gone */
	{NULL, "涪陵科技馆的“会说话的恐龙”来了！#千万IP创科普 #科普 带孩子来看看吧", "涪陵科技馆的“会说话的恐龙”来了！"},
	/* Douyin: a title and the text separated by a space */
	{NULL, "九龙坡区人民医院的眼健康课，孩子们看呆了 这个周末，九龙坡区人民医院被小朋友们挤满了。",
	 "九龙坡区人民医院的眼健康课，孩子们看呆了"},
	/* Bilibili's own title: kept whole, its topic gone; a short 【】 is a tag, not the title */
	{"【江津】一分钟看懂长江鱼类的洄游 #千万IP创科普#", "跟着科普员走进长江珍稀鱼类保护区。", "【江津】一分钟看懂长江鱼类的洄游"},
	/* a title that is only a topic: the text instead, its closing 。 dropped */
	{"#千万IP创科普#", "今天去了涪陵的科技馆。", "今天去了涪陵的科技馆"},
	/* a repost: the reposter's words, not the chain */
	{NULL, "说得太好了，推荐！//@重庆科技馆:#千万IP创科普# 渝中区的科普日活动", "说得太好了，推荐！"},
	/* mentions, emoticon codes and a short link gone */
	{NULL, "@重庆科协 @万州发布：科技周来啦[哈哈][赞] http://t.cn/A6abcdE", "科技周来啦"},
	/* a Weibo topic inside a sentence keeps its words */
	{NULL, "在#重庆科技馆#看展，收获满满", "在重庆科技馆看展，收获满满"},
	/* full-width ＃ topics */
	{NULL, "＃千万IP创科普＃ 科普进校园", "科普进校园"},
	/* entities decoded once */
	{NULL, "&lt;科普小课堂&gt;第3期：认识台风", "<科普小课堂>第3期：认识台风"},
	/* no end mark in 36 characters: cut at the last comma, with … */
	{NULL, "今天我们走进了重庆市科技馆，参观了航天展区，还亲手做了水火箭发射实验，孩子们都特别开心纷纷表示下次还要来",
	 "今天我们走进了重庆市科技馆，参观了航天展区，还亲手做了水火箭发射实验…"},
	/* no punctuation at all: 35 characters and … */
	{NULL, "千年石刻为什么不怕风吹雨打这背后有岩石学有水文学有微生物学还有一代代守护者的坚持我们用一组实验带你看懂",
	 "千年石刻为什么不怕风吹雨打这背后有岩石学有水文学有微生物学还有一代代守…"},
	/* a first sentence too short to be a title: read on to the next end */
	{NULL, "太棒了！今天带孩子去了科技馆，学到好多。下次还来。", "太棒了！今天带孩子去了科技馆，学到好多"},
	/* a line break ends the title */
	{NULL, "重庆科技馆秋季科普讲座\n主讲人：张教授\n时间：9月20日", "重庆科技馆秋季科普讲座"},
	/* Weibo's cut long text */
	{NULL, "长江鱼类为什么要洄游？跟着我们的镜头一起去看看…全文", "长江鱼类为什么要洄游？"},
	/* a full-width topic inside a sentence keeps its words too */
	{NULL, "在＃重庆科技馆＃看展，收获满满", "在重庆科技馆看展，收获满满"},
	/* an e-mail address is no mention; a picture's label is no emoticon */
	{NULL, "报名请发邮件至kepu@cqast.cn，附上[图1]中的表格", "报名请发邮件至kepu@cqast.cn，附上[图1]中的表格"},
	/* 全文 as a word stays; only Weibo's cut mark goes */
	{NULL, "请点击查看全文", "请点击查看全文"},
	/* control and bidirectional characters never reach a title */
	{NULL, "科普\x01小课堂\xe2\x80\xae第三期", "科普小课堂第三期"},
	/* a sentence ending exactly at 36 characters with ！: the mark would make
	 * 37, so the cut goes to the last comma */
	{NULL, "一二三四五六七八九十，一二三四五六七八九十一二三四五六七八九十一二三四五！后面还有",
	 "一二三四五六七八九十…"},
	/* the cut never falls inside a number: the whole number goes (and a
	 * number kept whole is masked by the caller) */
	{NULL, "千年石刻为什么不怕风吹雨打这背后有岩石学有水文学咨询13912345678我们用一组实验带你看懂",
	 "千年石刻为什么不怕风吹雨打这背后有岩石学有水文学咨询…"},
	{NULL, "一二三四五六七八九十一二三四五六七八九十一二三四五咨询13912345678我们用一组实验",
	 "一二三四五六七八九十一二三四五六七八九十一二三四五咨询…"},
	{NULL, "一二三四五六七八九十一二三四五六七八九十一二三四五六七咨询１３９１２３４５６７８我们",
	 "一二三四五六七八九十一二三四五六七八九十一二三四五六七咨询…"},
	/* nothing left */
	{NULL, "#千万IP创科普# @重庆科协 [赞]", "（无标题）"},
	{NULL, NULL, "（无标题）"},
	{"", "", "（无标题）"},
};

static void test_titles(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = showcase_title_of(cases[i].title, cases[i].text);
		assert_non_null(got);
		if (strcmp(got, cases[i].want)) {
			print_error("case %zu: %s\n  want %s\n   got %s\n", i, cases[i].text ? cases[i].text : "(null)",
				    cases[i].want, got);
			fail();
		}
		free(got);
	}
}

/* Whatever comes in, the title is valid UTF-8, one line, at most 36
 * characters (TITLE_MAX, "…" included), and never cut inside a character. */
static void test_titles_bounded(void **state)
{
	static const char *const texts[] = {
		"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
		"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p",
		"#a#b#c#d#e#f# @x@y@z [a][b][c]",
		"#########",
		"@@@@@@@@",
		"【】【】【",
		"【一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十】",
		"\n\n\n   \n",
		"&amp;&lt;&#0;&#x1F600;&bogus;",
		/* hashtags longer than their cap, in 3- and 4-byte characters */
		"＃科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科科 正文",
		"#😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 正文",
		"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六！",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *got = showcase_title_of(NULL, texts[i]);
		size_t chars = 0;
		assert_non_null(got);
		assert_true(utf8_invalid_at(got, strlen(got)) < 0);
		assert_null(strchr(got, '\n'));
		for (const char *p = got; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		if (chars < 1 || chars > 36) {
			print_error("text %zu: %zu characters: %s\n", i, chars, got);
			fail();
		}
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_titles_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
