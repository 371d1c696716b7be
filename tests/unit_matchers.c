/*
 * unit_matchers.c: matchers/: finding the campaign tag and the hashtags
 * of a post (tags_scan), and attributing a post to one of Chongqing's
 * reporting units (district_attribute), each table-driven.
 */
#include "testutil.h"

#include "../config/config.h"
#include "../matchers/district.h"
#include "../matchers/tags.h"

struct fixture {
	struct config cfg;
	struct tags *tags;
	struct tags_scratch *ts;
	struct gazetteer *gaz;
	struct district_scratch *ds;
	struct arena arena;
};

static int setup(void **state)
{
	static const char *const campaign[] = {CONFIG_DEFAULT_TAG};
	struct fixture *f = calloc(1, sizeof(*f));
	struct kerr e;

	if (!f)
		return -1;
	*state = f;
	arena_init(&f->arena);
	if (config_load(&f->cfg, NULL, &e) < 0 || tags_new(&f->tags, campaign, 1, &e) < 0 ||
	    district_new(&f->gaz, &f->cfg.districts, NULL, 0, &e) < 0) {
		print_error("setup: %s\n", e.msg);
		return -1;
	}
	f->ts = tags_scratch_new(f->tags);
	f->ds = district_scratch_new(f->gaz);
	return f->ts && f->ds ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tags_scratch_free(f->ts);
	tags_free(f->tags);
	district_scratch_free(f->ds);
	district_free(f->gaz);
	config_release(&f->cfg);
	arena_release(&f->arena);
	free(f);
	return 0;
}

/* ---- tags ---- */

/* The platforms whose hashtag conventions differ: none given, Weibo
 * (`#tag#`), and a single-hash platform (`#tag`). */
static const char *const platforms[] = {NULL, "weibo", "douyin"};

static void scan_on(struct fixture *f, const char *platform, const char *title, const char *text,
		    const char *const *topics, size_t ntopics, struct tags_result *r)
{
	struct tags_input in = {title, text, topics, ntopics, platform};
	struct kerr e;

	if (tags_scan(f->tags, f->ts, &in, &f->arena, r, &e) < 0)
		fail_msg("tags_scan: %s", e.msg);
}

/* Scan with no platform given. */
static void scan(struct fixture *f, const char *title, const char *text, const char *const *topics,
		 size_t ntopics, struct tags_result *r)
{
	struct tags_input in = {title, text, topics, ntopics, NULL};
	struct kerr e;

	if (tags_scan(f->tags, f->ts, &in, &f->arena, r, &e) < 0)
		fail_msg("tags_scan: %s", e.msg);
}

static void test_campaign_found(void **state)
{
	static const char *const texts[] = {
		"#千万IP创科普#",
		"今天 #千万IP创科普# 走进图书馆",
		"#千万IP创科普 ",
		"#千万IP创科普 今天",
		"看星空#千万IP创科普",
		"＃千万IP创科普＃",
		"#千万IP创科普＃",
		"#千万ip创科普#",
		"#千万Ip创科普#",
		"#千万IP创科普[话题]#",
		"#千万IP创科普[话题]# #科普[话题]#",
		"#千万IP创科普，一起来",
		"（#千万IP创科普）",
		"#科普##千万IP创科普#",
		"第一行\n#千万IP创科普\n第二行",
		/* as platforms hand text out: HTML, entities, invisible characters */
		"<a href=\"https://s.weibo.com/weibo?q=%23千万IP创科普%23\">#千万IP创科普#</a>",
		"&#35;千万IP创科普&#35;",
		"#千万IP\xE2\x80\x8B创科普#", /* U+200B inside */
	};
	struct fixture *f = *state;
	int bad = 0;

	for (size_t k = 0; k < ARRAY_LEN(platforms); k++)
		for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
			struct tags_result r;

			scan_on(f, platforms[k], NULL, texts[i], NULL, 0, &r);
			/* the canonical name, owned by struct tags, whatever the case in the text */
			row_check(&bad, r.ncampaign == 1 && !strcmp(r.campaign[0], "千万IP创科普"),
				  "platform %s: campaign tag not found in '%s'",
				  platforms[k] ? platforms[k] : "(none)", texts[i]);
		}
	assert_int_equal(bad, 0);
}

static void test_campaign_in_title_and_topics(void **state)
{
	static const char *const topics_plain[] = {"千万IP创科普"};
	static const char *const topics_marked[] = {"航天", "#千万IP创科普#"};
	static const char *const topics_xhs[] = {"千万IP创科普[话题]"};
	static const char *const topics_other[] = {"千万IP创科普活动", "科普"};
	struct fixture *f = *state;
	struct tags_result r;

	scan(f, "#千万IP创科普# 地震来了怎么办", "应急小知识", NULL, 0, &r);
	assert_int_equal(r.ncampaign, 1);
	scan(f, NULL, "no tag here", topics_plain, 1, &r);
	assert_int_equal(r.ncampaign, 1);
	assert_string_equal(r.campaign[0], "千万IP创科普");
	scan(f, NULL, NULL, topics_marked, 2, &r);
	assert_int_equal(r.ncampaign, 1);
	scan(f, NULL, NULL, topics_xhs, 1, &r);
	assert_int_equal(r.ncampaign, 1);
	scan(f, NULL, NULL, topics_other, 2, &r);
	assert_int_equal(r.ncampaign, 0);

	/* found twice (text and topics): listed once */
	scan(f, "#千万IP创科普#", "#千万ip创科普#", topics_plain, 1, &r);
	assert_int_equal(r.ncampaign, 1);
}

static void test_campaign_not_found(void **state)
{
	static const char *const texts[] = {
		"#千万IP创科普活动",
		"#千万IP创科普活动#",
		"#千万IP创科普2025",
		"#千万IP创科普_重庆",
		"https://x.cn/#千万IP创科普",
		"https://x.cn/page#千万IP创科普",
		"a&#千万IP创科普",
		"千万IP创科普",
		"千万IP创科普#",
		"#千万 IP创科普#",
		"#千万IP创#",
		"",
	};
	struct fixture *f = *state;
	int bad = 0;

	for (size_t k = 0; k < ARRAY_LEN(platforms); k++)
		for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
			struct tags_result r;

			scan_on(f, platforms[k], NULL, texts[i], NULL, 0, &r);
			row_check(&bad, r.ncampaign == 0, "platform %s: campaign tag wrongly found in '%s'",
				  platforms[k] ? platforms[k] : "(none)", texts[i]);
		}
	assert_int_equal(bad, 0);
}

static void test_hashtags(void **state)
{
	static const struct {
		const char *title, *text;
		const char *want; /* joined with '|' */
	} rows[] = {
		{NULL, "#科普# 今天 #重庆# 又见 #科普 #千万IP创科普# #2025 #KePu #kepu",
		 "科普|重庆|千万IP创科普|KePu"},
		{"#A标题#", "#正文# #A标题#", "A标题|正文"},
		{NULL, "#2025# #100 #2025", ""}, /* digits alone are not tags */
		{NULL, "#2025科普#", "2025科普"},
		{NULL, "#航天科普[话题]##防灾减灾[话题]#", "航天科普|防灾减灾"},
		{NULL, "＃全角＃＃半角#", "全角|半角"},
		{NULL, "#一，#二。#三！", "一|二|三"},
		{NULL, "see https://a.cn/#frag and a&#39;b", ""},
		{NULL, "no tags", ""},
		{NULL, "#", ""},
		{NULL, "##", ""},
	};
	struct fixture *f = *state;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		struct tags_result r;
		char got[512];

		scan(f, rows[i].title, rows[i].text, NULL, 0, &r);
		join_list(got, sizeof(got), r.hashtags, r.nhashtags);
		row_check(&bad, !strcmp(got, rows[i].want), "hashtags of '%s' = '%s', want '%s'",
			  rows[i].text, got, rows[i].want);
	}
	assert_int_equal(bad, 0);
}

/* Where the conventions differ, the platform decides (tags.c header):
 * Weibo reads `#a#b` as the pair `#a#`, single-hash platforms as two tags. */
static void test_hashtags_by_platform(void **state)
{
	static const struct {
		const char *platform, *text, *want;
	} rows[] = {
		{"weibo", "#AI#科普", "AI"},
		{"douyin", "#AI#科普", "AI|科普"},
		{"weibo", "#重庆 科普#", "重庆 科普"},
		{"douyin", "#重庆 科普#", "重庆"},
		{"weibo", "#千万IP创科普#", "千万IP创科普"},
		{"bilibili", "#千万IP创科普#", "千万IP创科普"},
		{NULL, "#a#，", "a"},
	};
	struct fixture *f = *state;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		struct tags_result r;
		char got[512];

		scan_on(f, rows[i].platform, NULL, rows[i].text, NULL, 0, &r);
		join_list(got, sizeof(got), r.hashtags, r.nhashtags);
		row_check(&bad, !strcmp(got, rows[i].want), "%s: hashtags of '%s' = '%s', want '%s'",
			  rows[i].platform ? rows[i].platform : "(none)", rows[i].text, got, rows[i].want);
	}
	assert_int_equal(bad, 0);
}

static void test_hashtag_limits(void **state)
{
	struct fixture *f = *state;
	struct tags_result r;
	char text[8192], long_tag[512];
	size_t len = 0;

	for (int i = 0; i < TAGS_MAX_HASHTAGS + 10; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "#tag%d ", i);
	scan(f, NULL, text, NULL, 0, &r);
	assert_int_equal(r.nhashtags, TAGS_MAX_HASHTAGS);
	assert_string_equal(r.hashtags[0], "tag0");
	assert_string_equal(r.hashtags[TAGS_MAX_HASHTAGS - 1], "tag63");

	/* a tag longer than 64 characters is not a tag */
	long_tag[0] = '#';
	memset(long_tag + 1, 'a', 65);
	long_tag[66] = '\0';
	scan(f, NULL, long_tag, NULL, 0, &r);
	assert_int_equal(r.nhashtags, 0);
	long_tag[65] = '\0'; /* exactly 64 */
	scan(f, NULL, long_tag, NULL, 0, &r);
	assert_int_equal(r.nhashtags, 1);
	assert_int_equal(strlen(r.hashtags[0]), 64);
}

/* Several campaign tags, with regex metacharacters taken literally. */
static void test_several_campaign_tags(void **state)
{
	static const char *const campaign[] = {"千万IP创科普", "C++科普", "重庆科普"};
	struct tags *t = NULL;
	struct tags_scratch *ts;
	struct arena a;
	struct tags_result r;
	struct tags_input in = {NULL, "#C++科普 #CXX科普 #重庆科普# #千万IP创科普#", NULL, 0, NULL};
	struct kerr e;
	const char *many[TAGS_MAX_CAMPAIGN + 1];

	(void)state;
	arena_init(&a);
	if (tags_new(&t, campaign, 3, &e) < 0)
		fail_msg("tags_new: %s", e.msg);
	ts = tags_scratch_new(t);
	assert_non_null(ts);
	assert_int_equal(tags_scan(t, ts, &in, &a, &r, &e), 0);
	assert_int_equal(r.ncampaign, 3);
	/* in order of appearance, as the canonical names */
	assert_string_equal(r.campaign[0], "C++科普");
	assert_string_equal(r.campaign[1], "重庆科普");
	assert_string_equal(r.campaign[2], "千万IP创科普");
	tags_scratch_free(ts);
	tags_free(t);
	arena_release(&a);

	for (size_t i = 0; i < ARRAY_LEN(many); i++)
		many[i] = "x";
	t = (struct tags *)1;
	kerr_clear(&e);
	assert_int_equal(tags_new(&t, many, ARRAY_LEN(many), &e), -1);
	assert_null(t);
	assert_int_equal(e.code, KERR_USAGE);
}

/* ---- districts ---- */

struct place {
	const char *title, *text, *author_name, *author_location, *ip_location;
	const char *hashtag; /* one hashtag, or NULL */
	/* expected */
	const char *unit; /* name, NULL for none */
	const char *code;
	int in_chongqing;
	const char *method;
	const char *evidence; /* a part of the evidence; NULL: not checked */
};

static const struct place places[] = {
	/* title text author_name author_location ip_location hashtag */
	{NULL, "走进江津区图书馆", NULL, NULL, NULL, NULL, "江津区", "500116", 1, "text", "江津区"},
	{"江津区图书馆的星空夜", NULL, NULL, NULL, NULL, NULL, "江津区", "500116", 1, "text", "江津区"},
	{NULL, NULL, "万州科协", NULL, NULL, NULL, "万州区", "500101", 1, "author", "万州"},
	{NULL, NULL, "渝北融媒", NULL, NULL, NULL, "渝北区", "500112", 1, "author", "渝北"},
	{NULL, NULL, "两江新区发布", NULL, NULL, NULL, "两江新区", "cq-liangjiang", 1, "author", "两江新区"},
	{NULL, NULL, NULL, "重庆市沙坪坝区", NULL, NULL, "沙坪坝区", "500106", 1, "profile", "沙坪坝区"},
	{NULL, NULL, NULL, NULL, "四川", NULL, NULL, NULL, 0, "ip", "四川"},
	{NULL, NULL, NULL, NULL, "IP属地：重庆", NULL, NULL, NULL, 1, "ip", "IP属地：重庆"},
	{NULL, NULL, NULL, NULL, "发布于 重庆", NULL, NULL, NULL, 1, "ip", NULL},
	{NULL, NULL, NULL, "四川 成都", NULL, NULL, NULL, NULL, 0, "profile", "四川 成都"},
	{NULL, NULL, NULL, NULL, "IP属地：未知", NULL, NULL, NULL, -1, "none", NULL},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, "none", NULL},
	{NULL, "今天天气很好", "UP主小科", "", "", NULL, NULL, NULL, -1, "none", NULL},
	{NULL, "开县的老街", NULL, NULL, NULL, NULL, "开州区", "500154", 1, "text", "开县"},
	{NULL, "原万盛区", NULL, NULL, NULL, NULL, "万盛经开区", "cq-wansheng", 1, "text", "万盛区"},
	{NULL, "西部科学城重庆高新区", NULL, NULL, NULL, NULL, "重庆高新区", "cq-gaoxin", 1, "text",
	 "西部科学城重庆高新区"},
	{NULL, NULL, NULL, NULL, NULL, "江津区科普", "江津区", "500116", 1, "text", "江津区"},
	/* author beats text, text beats profile, any unit beats the IP */
	{NULL, "走进江津区图书馆", "万州科协", NULL, NULL, NULL, "万州区", "500101", 1, "author", "万州"},
	{NULL, "走进江津区图书馆", NULL, "重庆 万州区", NULL, NULL, "江津区", "500116", 1, "text", "江津区"},
	{NULL, NULL, NULL, "重庆 万州区", "四川", NULL, "万州区", "500101", 1, "profile", "万州区"},
	/* the unit named most often wins; a tie goes to the first named */
	{NULL, "江津区 万州区 万州区", NULL, NULL, NULL, NULL, "万州区", "500101", 1, "text", "万州区"},
	{NULL, "江津区 万州区", NULL, NULL, NULL, NULL, "江津区", "500116", 1, "text", "江津区"},
	/* short names are ordinary words outside institution names */
	{NULL, "江北的风，长寿的人", NULL, NULL, NULL, NULL, NULL, NULL, -1, "none", NULL},
	{NULL, NULL, "江北老张", NULL, NULL, NULL, NULL, NULL, -1, "none", NULL},
};

static void test_district_attribute(void **state)
{
	struct fixture *f = *state;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_LEN(places); i++) {
		const struct place *p = &places[i];
		const char *const tags[1] = {p->hashtag};
		struct district_input in = {.title = p->title,
					    .text = p->text,
					    .author_name = p->author_name,
					    .author_location = p->author_location,
					    .ip_location = p->ip_location,
					    .hashtags = tags,
					    .nhashtags = p->hashtag ? 1 : 0};
		struct district_result r;
		struct kerr e;
		int ok;

		if (district_attribute(f->gaz, f->ds, &in, &f->arena, &r, NULL, &e) < 0)
			fail_msg("district_attribute: %s", e.msg);
		ok = (p->unit ? r.unit && !strcmp(r.unit->name, p->unit) && !strcmp(r.unit->code, p->code)
			      : !r.unit) &&
		     r.in_chongqing == p->in_chongqing && !strcmp(r.method, p->method) &&
		     (!p->evidence || (r.evidence && strstr(r.evidence, p->evidence))) &&
		     (strcmp(p->method, "none") || (!r.evidence && r.confidence == 0)) &&
		     r.confidence >= 0 && r.confidence <= 1;
		row_check(&bad, ok,
			  "row %zu (text '%s', author '%s', profile '%s', ip '%s'): unit %s, in_chongqing %d, "
			  "method %s, evidence '%s'; want %s, %d, %s",
			  i, p->text ? p->text : "", p->author_name ? p->author_name : "",
			  p->author_location ? p->author_location : "", p->ip_location ? p->ip_location : "",
			  r.unit ? r.unit->name : "none", r.in_chongqing, r.method,
			  r.evidence ? r.evidence : "", p->unit ? p->unit : "none", p->in_chongqing, p->method);
	}
	assert_int_equal(bad, 0);
}

/* Stronger evidence gets the higher confidence. */
static void test_district_confidence_order(void **state)
{
	struct fixture *f = *state;
	struct district_input author = {.author_name = "万州科协"};
	struct district_input text = {.text = "万州区"};
	struct district_input profile = {.author_location = "重庆万州区"};
	struct district_input ip = {.ip_location = "重庆"};
	struct district_result ra, rt, rp, ri;
	struct kerr e;

	assert_int_equal(district_attribute(f->gaz, f->ds, &author, &f->arena, &ra, NULL, &e), 0);
	assert_int_equal(district_attribute(f->gaz, f->ds, &text, &f->arena, &rt, NULL, &e), 0);
	assert_int_equal(district_attribute(f->gaz, f->ds, &profile, &f->arena, &rp, NULL, &e), 0);
	assert_int_equal(district_attribute(f->gaz, f->ds, &ip, &f->arena, &ri, NULL, &e), 0);
	assert_true(ra.confidence > rt.confidence);
	assert_true(rt.confidence > rp.confidence);
	assert_true(rp.confidence > ri.confidence);
	assert_true(ri.confidence > 0);
}

/*
 * 开县 is a former name, matched anywhere in the text.  But 召开县 ("convene
 * a county ...") is an everyday phrase in government posts: it names no
 * place, and must not put a post in 开州区.
 */
static void test_district_former_name_inside_word(void **state)
{
	struct fixture *f = *state;
	struct district_input in = {.text = "#千万IP创科普# 召开县级科普工作推进会"};
	struct district_result r;
	struct kerr e;

	assert_int_equal(district_attribute(f->gaz, f->ds, &in, &f->arena, &r, NULL, &e), 0);
	if (r.unit)
		fail_msg("'%s' attributed to %s (evidence '%s', method %s)", in.text, r.unit->name,
			 r.evidence ? r.evidence : "", r.method);
}

static void test_district_units(void **state)
{
	struct fixture *f = *state;
	size_t n;
	const struct district_unit *u = district_units(f->gaz, &n);
	int ndistrict = 0, ncounty = 0, nauto = 0, nzone = 0;

	assert_int_equal(n, 41);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(u[i].kind, "district"))
			ndistrict++;
		else if (!strcmp(u[i].kind, "county"))
			ncounty++;
		else if (!strcmp(u[i].kind, "autonomous_county"))
			nauto++;
		else if (!strcmp(u[i].kind, "zone"))
			nzone++;
		/* codes ascending up to the zones, which come last */
		if (i && strcmp(u[i].kind, "zone"))
			assert_true(strcmp(u[i - 1].code, u[i].code) < 0);
		assert_ptr_equal(district_lookup(f->gaz, u[i].code), &u[i]);
		assert_ptr_equal(district_lookup(f->gaz, u[i].name), &u[i]);
	}
	assert_int_equal(ndistrict, 26);
	assert_int_equal(ncounty + nauto, 12);
	assert_int_equal(nzone, 3);
	assert_string_equal(district_lookup(f->gaz, "开县")->name, "开州区");
	assert_string_equal(district_lookup(f->gaz, "500116")->name, "江津区");
	assert_null(district_lookup(f->gaz, "成都市"));
	assert_null(district_lookup(f->gaz, ""));
}

/* What people type for a unit: short names, beginnings, near misses. */
static void test_district_resolve(void **state)
{
	struct fixture *f = *state;
	const struct district_unit *u = NULL;
	char why[512];

	assert_int_equal(district_resolve(f->gaz, "江津", &u, why, sizeof(why)), 0);
	assert_string_equal(u->name, "江津区");
	assert_int_equal(district_resolve(f->gaz, "开县", &u, why, sizeof(why)), 0); /* a former name */
	assert_string_equal(u->name, "开州区");
	assert_int_equal(district_resolve(f->gaz, "两江", &u, why, sizeof(why)), 0);
	assert_string_equal(u->name, "两江新区");
	assert_int_equal(district_resolve(f->gaz, "石柱土家族", &u, why, sizeof(why)), 0); /* a beginning */
	assert_string_equal(u->code, "500240");
	assert_int_equal(district_resolve(f->gaz, "江津去", &u, why, sizeof(why)), -1);
	assert_string_equal(why, "no unit '江津去' (did you mean 江津区?)");
	assert_int_equal(district_resolve(f->gaz, "南", &u, why, sizeof(why)), -1);
	assert_string_equal(why, "'南' could be 南岸区, 南川区: give the full name or the code");
	assert_int_equal(district_resolve(f->gaz, "成都市", &u, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no unit '成都市' (give its name"));
	assert_int_equal(district_resolve(f->gaz, "", &u, why, sizeof(why)), -1);
}

/* The regional groups: every unit in one of the four. */
static void test_district_groups(void **state)
{
	struct fixture *f = *state;
	size_t n, nunits, seen = 0;
	const struct district_group *g = district_groups(f->gaz, &n);

	district_units(f->gaz, &nunits);
	assert_int_equal(n, 4);
	assert_string_equal(g[0].name, "中心城区");
	assert_string_equal(g[0].region, "主城都市区");
	assert_string_equal(g[1].region, "主城都市区");
	assert_null(g[2].region);
	for (size_t i = 0; i < n; i++)
		seen += g[i].nunits;
	assert_int_equal(seen, nunits);
}

#define T(fn) cmocka_unit_test(fn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_campaign_found),
		T(test_campaign_in_title_and_topics),
		T(test_campaign_not_found),
		T(test_hashtags),
		T(test_hashtags_by_platform),
		T(test_hashtag_limits),
		T(test_several_campaign_tags),
		T(test_district_attribute),
		T(test_district_confidence_order),
		T(test_district_former_name_inside_word),
		T(test_district_units),
		T(test_district_resolve),
		T(test_district_groups),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
