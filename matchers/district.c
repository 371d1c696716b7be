/*
 * district.c: the Chongqing gazetteer and attribution by the strongest
 * evidence: an institution's author name, then names in the title, text and
 * hashtags, then the profile location; the IP label only says whether the
 * post is in Chongqing.
 *
 * All names are found in one pass per field with a single PCRE2
 * alternation, longest names first so `重庆高新区` wins over `高新区`.
 * Short names that are ordinary words (江北 "north of the river", 长寿
 * "long life") are not in the alternation: only full and former names are,
 * plus short names followed by an institution word in author names.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "district.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct district_unit units[DISTRICT_UNITS] = {
	{"500101", "万州区", "district"},   {"500102", "涪陵区", "district"},
	{"500103", "渝中区", "district"},   {"500104", "大渡口区", "district"},
	{"500105", "江北区", "district"},   {"500106", "沙坪坝区", "district"},
	{"500107", "九龙坡区", "district"}, {"500108", "南岸区", "district"},
	{"500109", "北碚区", "district"},   {"500110", "綦江区", "district"},
	{"500111", "大足区", "district"},   {"500112", "渝北区", "district"},
	{"500113", "巴南区", "district"},   {"500114", "黔江区", "district"},
	{"500115", "长寿区", "district"},   {"500116", "江津区", "district"},
	{"500117", "合川区", "district"},   {"500118", "永川区", "district"},
	{"500119", "南川区", "district"},   {"500120", "璧山区", "district"},
	{"500151", "铜梁区", "district"},   {"500152", "潼南区", "district"},
	{"500153", "荣昌区", "district"},   {"500154", "开州区", "district"},
	{"500155", "梁平区", "district"},   {"500156", "武隆区", "district"},
	{"500229", "城口县", "county"},     {"500230", "丰都县", "county"},
	{"500231", "垫江县", "county"},     {"500233", "忠县", "county"},
	{"500235", "云阳县", "county"},     {"500236", "奉节县", "county"},
	{"500237", "巫山县", "county"},     {"500238", "巫溪县", "county"},
	{"500240", "石柱土家族自治县", "autonomous_county"},
	{"500241", "秀山土家族苗族自治县", "autonomous_county"},
	{"500242", "酉阳土家族苗族自治县", "autonomous_county"},
	{"500243", "彭水苗族土家族自治县", "autonomous_county"},
	{"cq-liangjiang", "两江新区", "zone"},
	{"cq-gaoxin", "重庆高新区", "zone"},
	{"cq-wansheng", "万盛经开区", "zone"},
};

/* Other names that always mean the unit (former names, long forms). */
static const struct alias {
	const char *name;
	const char *code;
} aliases[] = {
	{"开县", "500154"},	    {"梁平县", "500155"},	   {"武隆县", "500156"},
	{"铜梁县", "500151"},	    {"潼南县", "500152"},	   {"荣昌县", "500153"},
	{"璧山县", "500120"},	    {"大足县", "500111"},	   {"双桥区", "500111"},
	{"綦江县", "500110"},	    {"万盛区", "cq-wansheng"}, {"江津市", "500116"},
	{"合川市", "500117"},	    {"永川市", "500118"},	   {"南川市", "500119"},
	{"石柱县", "500240"},	    {"秀山县", "500241"},	   {"酉阳县", "500242"},
	{"彭水县", "500243"},	    {"西部科学城重庆高新区", "cq-gaoxin"},
	{"万盛经济技术开发区", "cq-wansheng"},
};

/* Short names used by institutions (`万州科协`, `渝北融媒`). */
static const struct alias shorts[] = {
	{"万州", "500101"}, {"涪陵", "500102"}, {"渝中", "500103"}, {"大渡口", "500104"},
	{"江北", "500105"}, {"沙坪坝", "500106"}, {"九龙坡", "500107"}, {"南岸", "500108"},
	{"北碚", "500109"}, {"綦江", "500110"}, {"大足", "500111"}, {"渝北", "500112"},
	{"巴南", "500113"}, {"黔江", "500114"}, {"长寿", "500115"}, {"江津", "500116"},
	{"合川", "500117"}, {"永川", "500118"}, {"南川", "500119"}, {"璧山", "500120"},
	{"铜梁", "500151"}, {"潼南", "500152"}, {"荣昌", "500153"}, {"开州", "500154"},
	{"梁平", "500155"}, {"武隆", "500156"}, {"城口", "500229"}, {"丰都", "500230"},
	{"垫江", "500231"}, {"忠县", "500233"}, {"云阳", "500235"}, {"奉节", "500236"},
	{"巫山", "500237"}, {"巫溪", "500238"}, {"石柱", "500240"}, {"秀山", "500241"},
	{"酉阳", "500242"}, {"彭水", "500243"}, {"两江", "cq-liangjiang"},
	{"万盛", "cq-wansheng"},
};

/* Words that make a short name an institution in an author name. */
#define INSTITUTION "(?:科协|科学技术协会|融媒|融媒体中心|发布|科技馆|教委|区|县|新区)"

static const char *const provinces[] = {
	"北京", "天津", "上海", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏",
	"浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
	"海南", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
	"台湾", "香港", "澳门", "海外", "美国", "日本", "韩国", "英国", "法国", "德国",
	"加拿大", "澳大利亚", "新加坡",
};

struct gazetteer {
	pcre2_code *names;  /* full and former names */
	pcre2_code *author; /* short name + institution word */
};

struct district_scratch {
	pcre2_match_data *md;
};

const struct district_unit *district_units(void)
{
	return units;
}

const struct district_unit *district_find(const char *s)
{
	for (size_t i = 0; i < DISTRICT_UNITS; i++)
		if (!strcmp(units[i].code, s) || !strcmp(units[i].name, s))
			return &units[i];
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].name, s))
			return district_find(aliases[i].code);
	return NULL;
}

static const struct district_unit *by_short(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
		if (strlen(shorts[i].name) == n && !memcmp(shorts[i].name, s, n))
			return district_find(shorts[i].code);
	return NULL;
}

static const struct district_unit *by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < DISTRICT_UNITS; i++)
		if (strlen(units[i].name) == n && !memcmp(units[i].name, s, n))
			return &units[i];
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].name) == n && !memcmp(aliases[i].name, s, n))
			return district_find(aliases[i].code);
	return NULL;
}

static int cmp_len_desc(const void *a, const void *b)
{
	size_t la = strlen(*(const char *const *)a), lb = strlen(*(const char *const *)b);
	return la < lb ? 1 : la > lb ? -1 : 0;
}

static pcre2_code *compile(const char *re, struct kerr *e)
{
	int errcode;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
				      &errcode, &off, NULL);

	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		kerr_set(e, KERR_USAGE, "gazetteer pattern: %s at %zu", (char *)msg, (size_t)off);
		return NULL;
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

/* Names that are also parts of common words get context: 召开县级会议
 * ("convene a county-level meeting") is not 开县. */
static const struct {
	const char *name, *pattern;
} guarded[] = {
	{"开县", "(?<![召公展])开县(?![级域])"},
};

static const char *pattern_for(const char *name)
{
	for (size_t i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		if (!strcmp(guarded[i].name, name))
			return guarded[i].pattern;
	return name;
}

/* One alternation of names, longest first (names hold no metacharacters). */
static int build_alternation(char *out, size_t cap, const char **names, size_t n,
			     const char *suffix)
{
	size_t len = 0;
	int w;

	qsort(names, n, sizeof(*names), cmp_len_desc);
	w = snprintf(out, cap, "(?:");
	len += (size_t)w;
	for (size_t i = 0; i < n; i++) {
		w = snprintf(out + len, cap - len, "%s%s", i ? "|" : "", pattern_for(names[i]));
		if (w < 0 || (size_t)w >= cap - len)
			return -1;
		len += (size_t)w;
	}
	w = snprintf(out + len, cap - len, ")%s", suffix);
	return w < 0 || (size_t)w >= cap - len ? -1 : 0;
}

int district_new(struct gazetteer **out, struct kerr *e)
{
	struct gazetteer *g = calloc(1, sizeof(*g));
	const char *names[DISTRICT_UNITS + sizeof(aliases) / sizeof(aliases[0])];
	const char *sn[sizeof(shorts) / sizeof(shorts[0])];
	size_t n = 0;
	char re[8192];

	*out = NULL;
	if (!g)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < DISTRICT_UNITS; i++)
		names[n++] = units[i].name;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		names[n++] = aliases[i].name;
	if (build_alternation(re, sizeof(re), names, n, "") < 0 || !(g->names = compile(re, e)))
		goto fail;
	for (size_t i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
		sn[i] = shorts[i].name;
	if (build_alternation(re, sizeof(re), sn, sizeof(sn) / sizeof(sn[0]), "(?=" INSTITUTION ")") <
		    0 ||
	    !(g->author = compile(re, e)))
		goto fail;
	*out = g;
	return 0;
fail:
	if (!e || !e->msg[0])
		kerr_set(e, KERR_USAGE, "gazetteer too large");
	district_free(g);
	return -1;
}

void district_free(struct gazetteer *g)
{
	if (!g)
		return;
	pcre2_code_free(g->names);
	pcre2_code_free(g->author);
	free(g);
}

struct district_scratch *district_scratch_new(const struct gazetteer *g)
{
	struct district_scratch *s = calloc(1, sizeof(*s));

	if (s && !(s->md = pcre2_match_data_create_from_pattern(g->names, NULL))) {
		free(s);
		s = NULL;
	}
	return s;
}

void district_scratch_free(struct district_scratch *s)
{
	if (s) {
		pcre2_match_data_free(s->md);
		free(s);
	}
}

/* Votes for one kind of evidence: the unit named most often wins, a tie
 * goes to the first named. */
struct votes {
	const struct district_unit *unit[16];
	int count[16];
	const char *first_at[16];
	size_t first_len[16];
	size_t n;
};

static void vote(struct votes *v, const struct district_unit *u, const char *at, size_t len)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < v->n; i++)
		if (v->unit[i] == u) {
			v->count[i]++;
			return;
		}
	if (v->n == 16)
		return;
	v->unit[v->n] = u;
	v->count[v->n] = 1;
	v->first_at[v->n] = at;
	v->first_len[v->n] = len;
	v->n++;
}

static int scan(pcre2_code *re, struct district_scratch *s, const char *text, int shortnames,
		struct votes *v)
{
	size_t len, off = 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);

	if (!text)
		return 0;
	len = strlen(text);
	while (off < len) {
		int rc = pcre2_match(re, (PCRE2_SPTR)text, len, off, PCRE2_NO_UTF_CHECK, s->md, NULL);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return -1;
		vote(v,
		     shortnames ? by_short(text + ov[0], ov[1] - ov[0])
				: by_name(text + ov[0], ov[1] - ov[0]),
		     text + ov[0], ov[1] - ov[0]);
		off = ov[1] > off ? ov[1] : off + 1;
	}
	return 0;
}

static size_t winner(const struct votes *v)
{
	size_t best = 0;

	for (size_t i = 1; i < v->n; i++)
		if (v->count[i] > v->count[best])
			best = i;
	return best;
}

/* Which side of the Chongqing border does a location label put the post? */
static int location_side(const char *loc)
{
	if (!loc || !*loc)
		return -1;
	if (strstr(loc, "重庆"))
		return 1;
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (strstr(loc, provinces[i]))
			return 0;
	return -1;
}

int district_attribute(const struct gazetteer *g, struct district_scratch *s,
		       const struct district_input *in, struct arena *a,
		       struct district_result *r, struct kerr *e)
{
	struct votes v;
	static const char *const methods[] = {"author", "text", "profile"};
	static const double confidence[] = {0.9, 0.8, 0.7};

	memset(r, 0, sizeof(*r));
	r->in_chongqing = -1;
	r->method = "none";
	for (int kind = 0; kind < 3; kind++) {
		memset(&v, 0, sizeof(v));
		if (kind == 0) {
			if (scan(g->names, s, in->author_name, 0, &v) < 0 ||
			    (!v.n && scan(g->author, s, in->author_name, 1, &v) < 0))
				goto fail;
		} else if (kind == 1) {
			if (scan(g->names, s, in->title, 0, &v) < 0 ||
			    scan(g->names, s, in->text, 0, &v) < 0)
				goto fail;
			for (size_t i = 0; i < in->nhashtags; i++)
				if (scan(g->names, s, in->hashtags[i], 0, &v) < 0)
					goto fail;
		} else if (scan(g->names, s, in->author_location, 0, &v) < 0)
			goto fail;
		if (v.n) {
			size_t w = winner(&v);
			r->unit = v.unit[w];
			r->in_chongqing = 1;
			r->method = methods[kind];
			r->confidence = confidence[kind];
			r->evidence = arena_strndup(a, v.first_at[w], v.first_len[w]);
			if (!r->evidence)
				return kerr_set(e, KERR_NOMEM, "out of memory");
			return 0;
		}
	}
	/* No unit: the locations can still say whether the post is in Chongqing. */
	{
		const char *loc = in->ip_location;
		int side = location_side(loc);

		if (side < 0) {
			loc = in->author_location;
			side = location_side(loc);
		}
		if (side >= 0) {
			r->in_chongqing = side;
			r->method = "ip";
			r->confidence = 0.6;
			r->evidence = arena_strndup(a, loc, strlen(loc));
			if (!r->evidence)
				return kerr_set(e, KERR_NOMEM, "out of memory");
		}
	}
	return 0;
fail:
	return kerr_set(e, KERR_DATA, "district match failed");
}
