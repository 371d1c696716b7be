/*
 * district.c: attribution by the strongest evidence; see district.h.
 *
 * Every name of the gazetteer, plus the municipality (重庆市, 重庆), is in
 * one PCRE2 alternation, longest first, so `重庆高新区` wins over `重庆`
 * and `江北区` over `江北`.  Each field is scanned once; each match is then
 * judged by its neighbourhood with small anchored patterns:
 *   - right before 路 街 大道 大街 巷: a street (`重庆路`, `江北路`), ignored;
 *   - right after another province or city (`宁波市江北区`): that place's;
 *   - a short name counts only with context: 重庆/重庆市 right before, or a
 *     unit suffix, institution or place word right after (`万州科协`,
 *     `长寿湖`); inside a hashtag a short name counts by itself unless it
 *     is ambiguous (`#科普之光·万州#` yes, `#健康长寿#` no);
 *   - full, former and long names always count.
 * Within one kind of evidence the unit named most often wins, a tie going
 * to the first named; a stronger kind always wins over a weaker one.  The
 * municipality alone says "in Chongqing" and nothing more.
 */
#include "district.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "normalize.h"
#include "regex.h"

/* Words that give a short name context when they follow it. */
#define AFTER_WORDS                                                                               \
	"区|县|科协|科学技术协会|科技协会|融媒|发布|街道|镇|乡|湖|图书馆|科技馆|博物馆|美术馆|" \
	"文化馆|规划展览馆|公园|广场|中学|小学|一中|二中|三中|中心|实验室|医院|大学|学院|"       \
	"职教中心|机场|高铁站|火车站|港|古镇|老街|景区|体育馆|少年宫|青少年宫|气象局|应急|"     \
	"教委|教育|新闻|日报|电视台|消防|疾控|科普基地|基地|水库|大桥|政府|人民|天文台"

/* A two-character name right after a common surname and right before a
 * title or a verb of speech is a person: 王永川教授, 何云阳同学. */
#define SURNAMES "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金廖贾夏韦付方邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾毛郝龚邵钱严覃戴莫孔汤"
#define PERSON_AFTER "教授|老师|同学|先生|女士|博士|院士|医生|主任|校长|书记|局长|研究员|工程师|说|表示|介绍"

/* Characters that, right before a name, make it a place one goes to or
 * is in: 在长寿上班, 去石柱避暑, 回秀山过年. */
#define LOCATIVE "在去来到回赴游逛飞抵"

/* Provinces and cities with places named like Chongqing's units. */
#define OTHER_PLACES                                                                              \
	"北京|天津|上海|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|" \
	"湖北|湖南|广东|广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|台湾|香港|澳门|" \
	"宁波|南京|福州|杭州|广州|深圳|成都|武汉|西安|郑州|长沙|沈阳|大连|青岛|济南|哈尔滨|"     \
	"长春|石家庄|太原|合肥|南昌|昆明|贵阳|南宁|兰州|西宁|银川|乌鲁木齐|拉萨|呼和浩特|"       \
	"海口|厦门|苏州|无锡|开封|徐州|洛阳|宜昌|绵阳|遵义|泸州|达州|广安|南充|宜宾|自贡|"   \
	"阆中|广元|巴中|雅安|乐山|眉山|资阳|内江|遂宁|德阳|恩施|湘西|铜仁|舟山|丽水"

static const char *const provinces[] = {
	"北京", "天津", "上海", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏",
	"浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
	"海南", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
	"台湾", "香港", "澳门", "海外", "国外", "美国", "日本", "韩国", "英国", "法国",
	"德国", "加拿大", "澳大利亚", "新加坡", "俄罗斯", "意大利", "泰国", "马来西亚",
};

/* Weibo's province codes other than 50: outside Chongqing. */
static const int other_province_codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
					   35, 36, 37, 41, 42, 43, 44, 45, 46, 51, 52, 53,
					   54, 61, 62, 63, 64, 65, 71, 81, 82, 400};

/* Two-character names that are also parts of everyday words:
 * 召开县级会议 ("convene a county-level meeting") is not 开县. */
static const struct {
	const char *name;
	const char *not_after;  /* characters that may not come right before */
	const char *not_before; /* characters that may not come right after */
} guards[] = {
	{"开县", "召公展离", "级域"},
	{"忠县", "效尽", "级域"},
	{"荣昌", "繁", "盛"}, /* 繁荣昌盛 */
	{"合川", "联汇", "流"}, /* 联合川渝, 汇合川流 */
	{"大足", "扩增", "球迹"}, /* 扩大足球, 足迹 */
	{"梁平", "桥", "台衡"}, /* 桥梁平台, 平衡 */
	{"城口", "出进", ""},   /* 出城口: the way out of a town */
	{"秀山", "优", "秀丽岛"}, /* 秀山秀水, 秀山丽水 (丽水's slogan), 舟山's 秀山岛, 优秀山区 */
	/* two words read across: 比武隆重, 信奉节约, 白云阳光, 江南川菜, 汇合川流,
	 * 合璧山水, 成渝中线, 川渝中小学 */
	{"武隆", "比", "重"},
	{"奉节", "信供侍", "约"},
	{"云阳", "白", "光"},
	{"南川", "江", ""},
	{"渝中", "成川", "线"},
	{"璧山", "合", ""},
	{"重庆大学", "", "生"}, /* 重庆大学生: students in Chongqing */
};

/* Products named after a place: 万州烤鱼 and 涪陵榨菜 are sold and eaten
 * everywhere, and a post about one says nothing of where it was written. */
#define PRODUCTS "烤鱼|榨菜|米花糖|桃片|卤鹅|鸡杂|麻花|脆李|脐橙|秀芽|夏布|腊肉|豆干|小面|辣子鸡|酸辣粉|豆腐乳|火锅|人(?![民大])"

enum name_class { N_LONG, N_SHORT, N_MUNI, N_PLACE };

struct name {
	const char *s; /* borrowed from the gazetteer's data */
	size_t len;
	int unit;      /* index into units, -1 for the municipality */
	enum name_class cls;
	int ambiguous;
	const char *kind; /* N_PLACE: town, street, landmark */
	int names_unit;   /* N_PLACE named after its own unit (长寿湖, 巫山博物馆): text evidence */
};

struct account {
	char *platform, *author_id, *author_name;
	int unit;
};

enum { RE_AFTER, RE_STREET, RE_OTHER, RE_PRODUCT, RE_PERSON, RE_ORIGIN, RE_N };

/* The names by their first character: an open-addressing table of
 * characters, each with its run of names in `order`, longest first. */
struct first_char {
	uint32_t cp;    /* 0: an empty slot */
	uint32_t from, n;
};

struct gazetteer {
	struct district_data d; /* owned copy */
	struct name *names;
	size_t nnames;
	char **forms;           /* short forms of towns and streets (白市驿 for 白市驿镇), owned */
	size_t nforms;
	struct first_char *firsts; /* 2^k slots */
	size_t nfirsts_mask;
	uint32_t *order;        /* indices into names, grouped by first character */
	struct account *acc;
	size_t nacc;
	pcre2_code *re[RE_N];
};

struct district_scratch {
	pcre2_match_data *md;
	struct kbuf norm[3]; /* title, text, other fields */
};

/* ---- data ---- */

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void district_data_release(struct district_data *d)
{
	for (size_t i = 0; i < d->nunits; i++) {
		struct district_unit *u = &d->units[i];
		free(u->code);
		free(u->name);
		free(u->kind);
		free_list(u->names, u->nnames);
		free_list(u->shorts, u->nshorts);
		free_list(u->ambiguous, u->nambiguous);
	}
	free(d->units);
	for (size_t i = 0; i < d->ncity_codes; i++)
		free(d->city_codes[i].code);
	free(d->city_codes);
	for (size_t i = 0; i < d->nplaces; i++) {
		free(d->places[i].name);
		free(d->places[i].kind);
	}
	free(d->places);
	for (size_t i = 0; i < d->ngroups; i++) {
		free(d->groups[i].id);
		free(d->groups[i].name);
		free(d->groups[i].region);
		free(d->groups[i].units);
	}
	free(d->groups);
	memset(d, 0, sizeof(*d));
}

static char **copy_list(char *const *v, size_t n, int *fail)
{
	char **c;

	if (!n)
		return NULL;
	if (!(c = calloc(n, sizeof(*c)))) {
		*fail = 1;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (!(c[i] = strdup(v[i])))
			*fail = 1;
	return c;
}

static int copy_groups(struct district_data *dst, const struct district_data *src)
{
	if (!src->ngroups)
		return 0;
	if (!(dst->groups = calloc(src->ngroups, sizeof(*dst->groups))))
		return -1;
	for (size_t i = 0; i < src->ngroups; i++) {
		const struct district_group *s = &src->groups[i];
		struct district_group *c = &dst->groups[dst->ngroups++];
		c->id = strdup(s->id);
		c->name = strdup(s->name);
		c->region = s->region ? strdup(s->region) : NULL;
		c->units = malloc((s->nunits ? s->nunits : 1) * sizeof(*c->units));
		if (!c->id || !c->name || (s->region && !c->region) || !c->units)
			return -1;
		memcpy(c->units, s->units, s->nunits * sizeof(*c->units));
		c->nunits = s->nunits;
	}
	return 0;
}

static int copy_data(struct district_data *dst, const struct district_data *src)
{
	int fail = 0;

	memset(dst, 0, sizeof(*dst));
	dst->units = calloc(src->nunits ? src->nunits : 1, sizeof(*dst->units));
	dst->city_codes = calloc(src->ncity_codes ? src->ncity_codes : 1, sizeof(*dst->city_codes));
	if (!dst->units || !dst->city_codes)
		return -1;
	dst->nunits = src->nunits;
	for (size_t i = 0; i < src->nunits; i++) {
		const struct district_unit *s = &src->units[i];
		struct district_unit *u = &dst->units[i];
		u->code = strdup(s->code);
		u->name = strdup(s->name);
		u->kind = strdup(s->kind ? s->kind : "");
		if (!u->code || !u->name || !u->kind)
			fail = 1;
		u->names = copy_list(s->names, s->nnames, &fail);
		u->nnames = s->nnames;
		u->shorts = copy_list(s->shorts, s->nshorts, &fail);
		u->nshorts = s->nshorts;
		u->ambiguous = copy_list(s->ambiguous, s->nambiguous, &fail);
		u->nambiguous = s->nambiguous;
	}
	dst->ncity_codes = src->ncity_codes;
	for (size_t i = 0; i < src->ncity_codes; i++) {
		dst->city_codes[i].city = src->city_codes[i].city;
		if (!(dst->city_codes[i].code = strdup(src->city_codes[i].code)))
			fail = 1;
	}
	if (src->nplaces && !(dst->places = calloc(src->nplaces, sizeof(*dst->places))))
		return -1;
	dst->nplaces = src->nplaces;
	for (size_t i = 0; i < src->nplaces; i++) {
		dst->places[i] = src->places[i];
		dst->places[i].name = strdup(src->places[i].name);
		dst->places[i].kind = strdup(src->places[i].kind);
		if (!dst->places[i].name || !dst->places[i].kind)
			fail = 1;
	}
	return fail || copy_groups(dst, src) < 0 ? -1 : 0;
}

const struct district_unit *district_units(const struct gazetteer *g, size_t *n)
{
	*n = g->d.nunits;
	return g->d.units;
}

const struct district_group *district_groups(const struct gazetteer *g, size_t *n)
{
	*n = g->d.ngroups;
	return g->d.groups;
}

static int unit_index(const struct gazetteer *g, const char *s)
{
	for (size_t i = 0; i < g->d.nunits; i++) {
		const struct district_unit *u = &g->d.units[i];
		if (!strcmp(u->code, s) || !strcmp(u->name, s))
			return (int)i;
		for (size_t k = 0; k < u->nnames; k++)
			if (!strcmp(u->names[k], s))
				return (int)i;
	}
	return -1;
}

const struct district_unit *district_lookup(const struct gazetteer *g, const char *s)
{
	int i = unit_index(g, s);
	return i < 0 ? NULL : &g->d.units[i];
}

/* s's code points into cp (at most max); their number. */
static size_t code_points(const char *s, uint32_t *cp, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		int len = utf8_decode((const unsigned char *)s, &cp[n]);
		if (len <= 0)
			break;
		s += len;
		n++;
	}
	return n;
}

/* Edit distance in characters, capped: 9 for anything far or long. */
static size_t char_distance(const char *a, const char *b)
{
	uint32_t x[24], y[24];
	size_t la = code_points(a, x, 24), lb = code_points(b, y, 24), prev[25], cur[25];

	if (la >= 24 || lb >= 24)
		return 9;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1, sub = prev[j - 1] + (x[i - 1] != y[j - 1]);
			cur[j] = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* Does unit u have s as a short name (prefix 0), or a name beginning
 * with s (prefix 1)? */
static int means(const struct district_unit *u, const char *s, int prefix)
{
	if (prefix)
		return !strncmp(u->name, s, strlen(s));
	for (size_t k = 0; k < u->nshorts; k++)
		if (!strcmp(u->shorts[k], s))
			return 1;
	return 0;
}

/* The units s means as a short name, else as a prefix: how many, the
 * last in *found; *prefix says which. */
static size_t meant(const struct gazetteer *g, const char *s, const struct district_unit **found, int *prefix)
{
	size_t n = 0;

	for (*prefix = 0; *prefix <= 1; (*prefix)++) {
		for (size_t i = 0; *s && i < g->d.nunits; i++)
			if (means(&g->d.units[i], s, *prefix)) {
				*found = &g->d.units[i];
				n++;
			}
		if (n)
			break;
	}
	return n;
}

/* Is a name, other name or short name of u one character from s? */
static int near_miss(const struct district_unit *u, const char *s)
{
	if (char_distance(u->name, s) <= 1)
		return 1;
	for (size_t k = 0; k < u->nshorts; k++)
		if (char_distance(u->shorts[k], s) <= 1)
			return 1;
	for (size_t k = 0; k < u->nnames; k++)
		if (char_distance(u->names[k], s) <= 1)
			return 1;
	return 0;
}

/* "no unit 'x' (did you mean A or B?)", or the advice without a near miss. */
static void no_unit(const struct gazetteer *g, const char *s, char *why, size_t size)
{
	size_t w = (size_t)snprintf(why, size, "no unit '%s'", s), k = 0;

	for (size_t i = 0; *s && i < g->d.nunits && w < size && k < 3; i++)
		if (near_miss(&g->d.units[i], s))
			w += (size_t)snprintf(why + w, size - w, "%s%s", k++ ? " or " : " (did you mean ", g->d.units[i].name);
	if (w < size)
		snprintf(why + w, size - w, "%s", k ? "?)" : " (give its name, short name or code, e.g. 江津区, 江津 or 500116)");
}

int district_resolve(const struct gazetteer *g, const char *s, const struct district_unit **out, char *why,
		     size_t size)
{
	const struct district_unit *found = NULL;
	size_t n, w = 0;
	int prefix;

	if ((*out = district_lookup(g, s)))
		return 0;
	n = meant(g, s, &found, &prefix);
	if (n == 1) {
		*out = found;
		return 0;
	}
	if (n > 1) {
		w = (size_t)snprintf(why, size, "'%s' could be", s);
		for (size_t i = 0, k = 0; i < g->d.nunits && w < size; i++)
			if (means(&g->d.units[i], s, prefix))
				w += (size_t)snprintf(why + w, size - w, "%s %s", k++ ? "," : "", g->d.units[i].name);
		if (w < size)
			snprintf(why + w, size - w, ": give the full name or the code");
		return -1;
	}
	no_unit(g, s, why, size);
	return -1;
}

/* ---- compiling ---- */

static int add_name(struct gazetteer *g, size_t *cap, const char *s, int unit, enum name_class cls,
		    int ambiguous, const char *kind)
{
	if (!*s)
		return 0;
	if (g->nnames == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct name *nv = realloc(g->names, nc * sizeof(*nv));
		if (!nv)
			return -1;
		g->names = nv;
		*cap = nc;
	}
	g->names[g->nnames++] = (struct name){s, strlen(s), unit, cls, ambiguous, kind, 0};
	return 0;
}

/* Longest first (the alternation tries them in this order, so the longest
 * name at a position wins), then by bytes: also the order to look a
 * matched name up in. */
static int by_len_desc(const void *a, const void *b)
{
	const struct name *x = a, *y = b;
	return x->len < y->len ? 1 : x->len > y->len ? -1 : memcmp(x->s, y->s, x->len);
}

/* The places as names.  A place named like a unit is the unit's name
 * already; a name two units' places share names neither (it says only
 * "somewhere in Chongqing", which is no unit); the same place twice is
 * one. */
static int add_places(struct gazetteer *g, size_t *cap)
{
	size_t first = g->nnames, n, w;

	if (g->d.nplaces && !(g->forms = calloc(g->d.nplaces, sizeof(*g->forms))))
		return -1;
	for (size_t i = 0; i < g->d.nplaces; i++) {
		const struct district_place *p = &g->d.places[i];
		static const char *const suffixes[] = {"街道", "镇", "乡"};
		size_t len = strlen(p->name), chars = 0;

		if (p->unit < 0 && p->ambiguous)
			continue; /* 大学城: a word in any city */
		if (p->unit < 0) { /* spans units: like the municipality */
			if (add_name(g, cap, p->name, -1, N_MUNI, 0, NULL) < 0)
				return -1;
			continue;
		}
		if (add_name(g, cap, p->name, p->unit, N_PLACE, p->ambiguous, p->kind) < 0)
			return -1;
		if (p->ambiguous || p->no_short || !strcmp(p->kind, "landmark"))
			continue;
		/* people write 白市驿 for 白市驿镇: the name without its suffix,
		 * when three characters or more are left (two are too often a
		 * word: 人和, 龙山) */
		for (size_t k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
			size_t sl = strlen(suffixes[k]);
			if (len > sl && !strcmp(p->name + len - sl, suffixes[k])) {
				for (size_t j = 0; j < len - sl; j++)
					chars += ((unsigned char)p->name[j] & 0xC0) != 0x80;
				if (chars >= 3) {
					if (!(g->forms[g->nforms] = strndup(p->name, len - sl)))
						return -1;
					if (add_name(g, cap, g->forms[g->nforms++], p->unit, N_PLACE, 0, p->kind) < 0)
						return -1;
				}
				break;
			}
		}
	}
	n = g->nnames - first;
	qsort(g->names + first, n, sizeof(*g->names), by_len_desc);
	for (size_t i = first, j; i < g->nnames; i = j) {
		int units_differ = 0;
		for (j = i + 1; j < g->nnames && !by_len_desc(&g->names[i], &g->names[j]); j++) {
			units_differ |= g->names[j].unit != g->names[i].unit;
			g->names[i].ambiguous &= g->names[j].ambiguous;
			/* 钓鱼城 the landmark, not the short form of 钓鱼城街道 */
			if (!strcmp(g->names[j].kind, "landmark"))
				g->names[i].kind = g->names[j].kind;
			g->names[j].unit = -2; /* a repeat: dropped below */
		}
		if (units_differ)
			g->names[i].unit = -2;
		for (size_t k = 0; k < first && g->names[i].unit != -2; k++)
			if (g->names[k].len == g->names[i].len && !memcmp(g->names[k].s, g->names[i].s, g->names[i].len))
				g->names[i].unit = -2;
	}
	for (size_t i = w = first; i < g->nnames; i++)
		if (g->names[i].unit != -2)
			g->names[w++] = g->names[i];
	g->nnames = w;
	return 0;
}


static int is_in(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

static uint32_t first_cp(const char *s)
{
	uint32_t cp = 0;
	utf8_decode((const unsigned char *)s, &cp);
	return cp;
}

static struct first_char *first_slot(struct first_char *t, size_t mask, uint32_t cp)
{
	size_t i = (size_t)(cp * 2654435761u) & mask;
	while (t[i].cp && t[i].cp != cp)
		i = (i + 1) & mask;
	return &t[i];
}

/* Index the names (sorted longest first) by their first character, so a
 * scan looks at each position once: one table probe, then the few names
 * that start with that character, longest first.  The longest name at the
 * leftmost position wins, as an alternation sorted longest first would,
 * at a cost that does not grow with the number of places. */
static int index_names(struct gazetteer *g)
{
	size_t slots = 64, k = 0;
	uint32_t *count;

	while (slots < 2 * g->nnames + 2)
		slots *= 2;
	if (!(g->firsts = calloc(slots, sizeof(*g->firsts))) || !(g->order = calloc(g->nnames + 1, sizeof(*g->order))))
		return -1;
	g->nfirsts_mask = slots - 1;
	for (size_t i = 0; i < g->nnames; i++) {
		struct first_char *f = first_slot(g->firsts, g->nfirsts_mask, first_cp(g->names[i].s));
		f->cp = first_cp(g->names[i].s);
		f->n++;
	}
	if (!(count = calloc(slots, sizeof(*count))))
		return -1;
	for (size_t i = 0; i < slots; i++)
		if (g->firsts[i].cp) {
			g->firsts[i].from = (uint32_t)k;
			k += g->firsts[i].n;
		}
	/* in the names' order, so each run stays longest first */
	for (size_t i = 0; i < g->nnames; i++) {
		struct first_char *f = first_slot(g->firsts, g->nfirsts_mask, first_cp(g->names[i].s));
		size_t slot = (size_t)(f - g->firsts);
		g->order[f->from + count[slot]++] = (uint32_t)i;
	}
	free(count);
	return 0;
}

/* The longest name starting at txt[off] shorter than `below` bytes, or
 * NULL. */
static const struct name *name_from(const struct gazetteer *g, const char *txt, size_t len, size_t off,
				    uint32_t cp, size_t below)
{
	const struct first_char *f = first_slot(g->firsts, g->nfirsts_mask, cp);

	for (uint32_t i = 0; f->cp && i < f->n; i++) {
		const struct name *n = &g->names[g->order[f->from + i]];
		if (n->len < below && n->len <= len - off && !memcmp(txt + off, n->s, n->len))
			return n;
	}
	return NULL;
}

/* Every name: each unit's own (official, former and long: N_LONG; short),
 * the municipality's, the places'.  0, or -1 out of memory. */
static int add_names(struct gazetteer *g)
{
	size_t cap = 0;

	for (size_t i = 0; i < g->d.nunits; i++) {
		struct district_unit *u = &g->d.units[i];
		if (add_name(g, &cap, u->name, (int)i, N_LONG, 0, NULL) < 0)
			return -1;
		for (size_t k = 0; k < u->nnames; k++)
			if (add_name(g, &cap, u->names[k], (int)i, N_LONG, 0, NULL) < 0)
				return -1;
		for (size_t k = 0; k < u->nshorts; k++)
			if (add_name(g, &cap, u->shorts[k], (int)i, N_SHORT,
				     is_in(u->ambiguous, u->nambiguous, u->shorts[k]), NULL) < 0)
				return -1;
	}
	if (add_name(g, &cap, "重庆市", -1, N_MUNI, 0, NULL) < 0 || add_name(g, &cap, "重庆", -1, N_MUNI, 0, NULL) < 0 ||
	    add_places(g, &cap) < 0)
		return -1;
	return 0;
}

/* The small anchored patterns a match is judged by (RE_*).  0, or -1 with
 * e set. */
static int compile_patterns(struct gazetteer *g, struct kerr *e)
{
	if (/* anchored when compiled: PCRE2's JIT does not run a match-time PCRE2_ANCHORED */
	    !(g->re[RE_AFTER] = regex_compile("(?:" AFTER_WORDS ")", PCRE2_ANCHORED, "gazetteer", e)) ||
	    /* 江北路, 重庆南路 (台北), 渝中大道 */
	    !(g->re[RE_STREET] = regex_compile("(?:[东南西北中]?(?:路|街(?!道)|大道|大街|巷))", PCRE2_ANCHORED, "gazetteer", e)) ||
	    !(g->re[RE_PRODUCT] = regex_compile("(?:" PRODUCTS ")", PCRE2_ANCHORED, "gazetteer", e)) ||
	    !(g->re[RE_PERSON] = regex_compile("(?:" PERSON_AFTER ")", PCRE2_ANCHORED, "gazetteer", e)) ||
	    /* where someone comes from, not where the post is: 万州的朋友 */
	    !(g->re[RE_ORIGIN] = regex_compile("(?:的(?:朋友|同学|学生|老师|亲戚|家人)|人在|籍)", PCRE2_ANCHORED,
					       "gazetteer", e)) ||
	    !(g->re[RE_OTHER] = regex_compile("(?:(?<=省)|(?<=自治区)|(?<=(?<!重庆)市)|(?<=" OTHER_PLACES "))",
					      PCRE2_ANCHORED, "gazetteer", e)))
		return -1;
	return 0;
}

/* A place named after its unit with a word that names an institution or
 * a place of the unit (长寿湖, 巫山博物馆) names the unit: text; one that
 * only starts with it (大足石刻, 江北嘴) is a landmark.  0, or -1 out of
 * memory. */
static int mark_places_naming_units(struct gazetteer *g)
{
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);

	if (!md)
		return -1;
	for (size_t i = 0; i < g->nnames; i++) {
		struct name *n = &g->names[i];
		const struct district_unit *u;
		if (n->cls != N_PLACE)
			continue;
		u = &g->d.units[n->unit];
		for (size_t k = 0; k <= u->nshorts && !n->names_unit; k++) {
			const char *pre = k < u->nshorts ? u->shorts[k] : u->name;
			size_t pl = strlen(pre);
			if (pl < n->len && !strncmp(n->s, pre, pl))
				n->names_unit =
					pcre2_match(g->re[RE_AFTER], (PCRE2_SPTR)n->s, n->len, pl, 0, md, NULL) > 0;
		}
	}
	pcre2_match_data_free(md);
	return 0;
}

/* The account registry, each account's unit looked up.  0, or -1 with e
 * set (what is copied so far is g's, for district_free()). */
static int copy_accounts(struct gazetteer *g, const struct district_account *acc, size_t nacc, struct kerr *e)
{
	if (nacc && !(g->acc = calloc(nacc, sizeof(*g->acc))))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	for (size_t i = 0; i < nacc; i++) {
		struct account *a = &g->acc[i];
		a->unit = unit_index(g, acc[i].unit);
		g->nacc++;
		if (a->unit < 0)
			return kerr_set(e, KERR_USAGE, "accounts[%zu].unit: no unit '%s' in the gazetteer", i,
					acc[i].unit);
		a->platform = strdup(acc[i].platform);
		a->author_id = acc[i].author_id ? strdup(acc[i].author_id) : NULL;
		a->author_name = acc[i].author_name ? strdup(acc[i].author_name) : NULL;
		if (!a->platform || (acc[i].author_id && !a->author_id) ||
		    (acc[i].author_name && !a->author_name))
			return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

int district_new(struct gazetteer **out, const struct district_data *d,
		 const struct district_account *acc, size_t nacc, struct kerr *e)
{
	struct gazetteer *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (!g)
		return kerr_set(e, KERR_NOMEM, "out of memory");
	if (!d->nunits) {
		free(g);
		return kerr_set(e, KERR_USAGE, "the gazetteer has no units");
	}
	if (copy_data(&g->d, d) < 0 || add_names(g) < 0)
		goto nomem;
	qsort(g->names, g->nnames, sizeof(*g->names), by_len_desc);
	for (size_t i = 1; i < g->nnames; i++)
		if (!by_len_desc(&g->names[i - 1], &g->names[i])) {
			kerr_set(e, KERR_USAGE, "the gazetteer names '%s' twice (two units, or a unit twice)",
				 g->names[i].s);
			goto fail;
		}
	if (index_names(g) < 0)
		goto nomem;
	if (compile_patterns(g, e) < 0)
		goto fail;
	if (mark_places_naming_units(g) < 0)
		goto nomem;
	if (copy_accounts(g, acc, nacc, e) < 0)
		goto fail;
	*out = g;
	return 0;
nomem:
	kerr_set(e, KERR_NOMEM, "out of memory");
fail:
	district_free(g);
	return -1;
}

void district_free(struct gazetteer *g)
{
	if (!g)
		return;
	for (int i = 0; i < RE_N; i++)
		pcre2_code_free(g->re[i]);
	for (size_t i = 0; i < g->nacc; i++) {
		free(g->acc[i].platform);
		free(g->acc[i].author_id);
		free(g->acc[i].author_name);
	}
	free(g->acc);
	free(g->names);
	free(g->firsts);
	free(g->order);
	for (size_t i = 0; i < g->nforms; i++)
		free(g->forms[i]);
	free(g->forms);
	district_data_release(&g->d);
	free(g);
}

struct district_scratch *district_scratch_new(const struct gazetteer *g)
{
	struct district_scratch *s = calloc(1, sizeof(*s));

	(void)g;
	if (!s)
		return NULL;
	if (!(s->md = pcre2_match_data_create(4, NULL))) {
		free(s);
		return NULL;
	}
	for (int i = 0; i < 3; i++)
		kbuf_init(&s->norm[i], 16 * 1024 * 1024);
	return s;
}

void district_scratch_free(struct district_scratch *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	for (int i = 0; i < 3; i++)
		kbuf_release(&s->norm[i]);
	free(s);
}

/* ---- scanning ---- */

enum mode {
	M_TEXT,            /* title and text */
	M_HASHTAG,         /* a hashtag not written in the title or text */
	M_AUTHOR,
	M_PROFILE,
};

struct votes {
	int unit[16];
	int count[16];
	char *evidence[16];
	const struct name *name[16]; /* the first name that voted for each unit */
	int named[16];               /* a unit's own name voted for it (not only places) */
	char *named_evidence[16];    /* the first of those */
	size_t n;
	int total;
	int municipality;     /* the municipality was named */
	char *muni_evidence;
	/* ambiguous places, which count only in a post about Chongqing */
	int pend_unit[16], pend_weight[16];
	char *pend_evidence[16];
	const struct name *pend_name[16];
	size_t npend;
};

struct scan {
	const struct gazetteer *g;
	struct district_scratch *s;
	struct arena *a;
	struct kbuf *trace;
	struct kerr *e;
	const char *kind; /* for the trace */
};

static int trace(struct scan *sc, const char *fmt, const char *a, const char *b, const char *c)
{
	if (!sc->trace)
		return 0;
	if (kbuf_adds(sc->trace, sc->kind, sc->e) < 0 || kbuf_adds(sc->trace, ": ", sc->e) < 0 ||
	    kbuf_addf(sc->trace, sc->e, fmt, a, b, c) < 0 || kbuf_addc(sc->trace, '\n', sc->e) < 0)
		return -1;
	return 0;
}

static int anchored(const struct scan *sc, int re, const char *txt, size_t len, size_t off)
{
	return pcre2_match(sc->g->re[re], (PCRE2_SPTR)txt, len, off, PCRE2_NO_UTF_CHECK, sc->s->md, NULL) > 0;
}

/* Is the character before b (or at e) one of the UTF-8 characters in set? */
static int char_in(const char *txt, size_t len, size_t at, int before, const char *set)
{
	size_t b = at, n;
	char ch[5];

	if (before) {
		if (!at)
			return 0;
		b = at - 1;
		while (b > 0 && ((unsigned char)txt[b] & 0xC0) == 0x80)
			b--;
		n = at - b;
	} else {
		if (at >= len)
			return 0;
		uint32_t cp;
		n = (size_t)utf8_decode((const unsigned char *)txt + at, &cp);
	}
	if (n >= sizeof(ch))
		return 0;
	memcpy(ch, txt + b, n);
	ch[n] = '\0';
	return strstr(set, ch) != NULL;
}

static int guarded(const struct name *n, const char *txt, size_t len, size_t b, size_t e)
{
	for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++)
		if (!strcmp(guards[i].name, n->s))
			return char_in(txt, len, b, 1, guards[i].not_after) ||
			       char_in(txt, len, e, 0, guards[i].not_before);
	return 0;
}

static size_t utf8_chars_between(const char *txt, size_t b, size_t e)
{
	size_t n = 0;
	for (size_t i = b; i < e; i++)
		n += ((unsigned char)txt[i] & 0xC0) != 0x80;
	return n;
}

/* Is cp a character that ends an evidence snippet? */
static int snippet_stop(uint32_t cp)
{
	return cp < 0x80 ? !((cp | 32) >= 'a' && (cp | 32) <= 'z') && !(cp >= '0' && cp <= '9')
			 : (cp >= 0x2010 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
				   (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* The name with its context: from b to e and up to 6 more characters. */
static char *snippet(struct scan *sc, const char *txt, size_t len, size_t b, size_t e)
{
	for (int k = 0; k < 6 && e < len; k++) {
		uint32_t cp;
		int l = utf8_decode((const unsigned char *)txt + e, &cp);
		if (snippet_stop(cp))
			break;
		e += (size_t)l;
	}
	return arena_strndup(sc->a, txt + b, e - b);
}

/* One name's vote, of weight w (see weight()). */
static int vote(struct scan *sc, struct votes *v, int unit, char *evidence, const struct name *n, int w)
{
	size_t i;

	if (!evidence)
		return kerr_set(sc->e, KERR_NOMEM, "out of memory");
	v->total += w;
	for (i = 0; i < v->n; i++)
		if (v->unit[i] == unit) {
			v->count[i] += w;
			if (!v->named[i] && (!n || n->cls != N_PLACE || n->names_unit)) {
				v->named[i] = 1;
				v->named_evidence[i] = evidence;
			}
			return 0;
		}
	if (v->n < 16) {
		v->unit[v->n] = unit;
		v->named[v->n] = !n || n->cls != N_PLACE || n->names_unit;
		v->named_evidence[v->n] = v->named[v->n] ? evidence : NULL;
		v->count[v->n] = w;
		v->evidence[v->n] = evidence;
		v->name[v->n] = n;
		v->n++;
	}
	return 0;
}

/* Does txt end at b with the UTF-8 string w? */
static int before_is(const char *txt, size_t b, const char *w)
{
	size_t n = strlen(w);
	return b >= n && !memcmp(txt + b - n, w, n);
}

/*
 * How much a name found at txt[b, e) weighs: a unit's official or long
 * name 3, a short name or a place 2 (万州的朋友来江津区参加活动 is about 江津区,
 * 江津区的老师去了北碚图书馆和北碚博物馆 about 北碚); 2 more where the post
 * goes or is (去解放碑, 在南山一棵树); 1 where someone only comes from
 * (万盛的朋友带我去金佛山).
 */
static int weight(const struct scan *sc, const struct name *n, const char *txt, size_t len, size_t b, size_t e)
{
	int w = n->cls == N_LONG ? 3 : 2;

	if (anchored(sc, RE_ORIGIN, txt, len, e) || before_is(txt, b, "从") || before_is(txt, b, "住在") ||
	    before_is(txt, b, "来自") || before_is(txt, b, "家在"))
		return 1;
	if (char_in(txt, len, b, 1, LOCATIVE))
		w += 2;
	return w;
}

/* Does a name start at txt[at] (重庆 + 南大街街道: not 重庆南大街)? */
static int name_after(const struct gazetteer *g, const char *txt, size_t len, size_t at)
{
	uint32_t cp = 0;
	if (at >= len)
		return 0;
	utf8_decode((const unsigned char *)txt + at, &cp);
	return cp >= 0x80 && name_from(g, txt, len, at, cp, (size_t)-1) != NULL;
}

/* A name found in a field: txt[b, e) of len bytes.  ctx_before: 重庆 or
 * 重庆市 right before, where its evidence starts (from); ctx_after: a
 * word right after it, or a locative right before, gives a short name
 * context. */
struct found {
	const struct name *n;
	const char *txt;
	size_t len, b, e, from;
	int ctx_before, ctx_after;
};

/* The name starting at txt[off] (cp its first character), or NULL: the
 * longest, unless it is part of a word here (guards[]); then a shorter
 * one at the same place (重庆大学生 is 重庆 and 大学生). */
static const struct name *name_at(const struct gazetteer *g, const char *txt, size_t len, size_t off, uint32_t cp)
{
	const struct name *n;

	if (cp < 0x80 && !(cp >= '0' && cp <= '9'))
		return NULL;
	n = name_from(g, txt, len, off, cp, (size_t)-1);
	while (n && guarded(n, txt, len, off, off + n->len))
		n = name_from(g, txt, len, off, cp, n->len);
	return n;
}

/*
 * Does the name at f say something other than where the post is: a
 * product or an origin (万州烤鱼, 重庆人), a person (王永川教授), a street
 * (江北路), a place of another province or city (宁波市江北区)?  1 (and
 * traced), 0, or -1.
 */
static int not_a_location(struct scan *sc, const struct found *f)
{
	const struct name *n = f->n;
	size_t k;

	if (n->cls != N_LONG && anchored(sc, RE_PRODUCT, f->txt, f->len, f->e))
		return trace(sc, "'%s' names a product or where someone is from (万州烤鱼, 重庆火锅, 重庆人), not where "
			     "the post is%s%s", n->s, "", "") < 0 ? -1 : 1;
	if (n->cls == N_SHORT && utf8_chars_between(f->txt, f->b, f->e) == 2 &&
	    char_in(f->txt, f->len, f->b, 1, SURNAMES) && anchored(sc, RE_PERSON, f->txt, f->len, f->e))
		return trace(sc, "'%s' is a person's name here%s%s", n->s, "", "") < 0 ? -1 : 1;
	if (anchored(sc, RE_STREET, f->txt, f->len, f->e) && !name_after(sc->g, f->txt, f->len, f->e))
		return trace(sc, "'%s' starts a street name%s%s", n->s, "", "") < 0 ? -1 : 1;
	/* `宁波市江北区`, `浙江 宁波 江北区`: spaces between do not matter */
	for (k = f->b; k > 0 && f->txt[k - 1] == ' '; k--)
		;
	if (anchored(sc, RE_OTHER, f->txt, f->len, k))
		return trace(sc, "'%s' follows another province or city%s%s", n->s, "", "") < 0 ? -1 : 1;
	return 0;
}

/* The municipality, named at f: noted (with its evidence) once per
 * post. */
static int note_municipality(struct scan *sc, struct votes *v, const struct found *f)
{
	if (!v->municipality) {
		v->municipality = 1;
		v->muni_evidence = snippet(sc, f->txt, f->len, f->b, f->e);
		if (!v->muni_evidence)
			return kerr_set(sc->e, KERR_NOMEM, "out of memory");
	}
	return trace(sc, "'%s' is the municipality%s%s", f->n->s, "", "");
}

/* Is there nothing but separators in txt[from, b) (重庆 江北, 重庆·江北,
 * 重庆|江北)? */
static int only_separators(const char *txt, size_t from, size_t b)
{
	size_t i = from;

	while (i < b && (txt[i] == ' ' || txt[i] == '|' || txt[i] == '-' || !strncmp(txt + i, "·", 2) ||
			 !strncmp(txt + i, "丨", 3)))
		i += txt[i] == ' ' || txt[i] == '|' || txt[i] == '-' ? 1 : !strncmp(txt + i, "·", 2) ? 2 : 3;
	return i == b;
}

/*
 * A town, street or landmark at f: text evidence of its own kind (place),
 * in the title, text, hashtags and profile; an ambiguous one waits for
 * the rest of the post to be about Chongqing (or has 重庆 right before).
 */
static int count_place(struct scan *sc, struct votes *v, const struct found *f)
{
	const struct name *n = f->n;
	const char *uname = sc->g->d.units[n->unit].name;

	if (!strncmp(n->s, "重庆", strlen("重庆")) && !v->municipality) {
		/* 重庆科技馆: the municipality is named too */
		v->municipality = 1;
		if (!(v->muni_evidence = snippet(sc, f->txt, f->len, f->b, f->e)))
			return kerr_set(sc->e, KERR_NOMEM, "out of memory");
	}
	if (!n->ambiguous || f->ctx_before) {
		if (vote(sc, v, n->unit, snippet(sc, f->txt, f->len, f->from, f->e), n,
			 weight(sc, n, f->txt, f->len, f->b, f->e)) < 0 ||
		    trace(sc, "'%s' names %s (place, %s)", n->s, uname, n->kind) < 0)
			return -1;
		return 0;
	}
	if (v->npend < 16) {
		v->pend_weight[v->npend] = weight(sc, n, f->txt, f->len, f->b, f->e);
		v->pend_unit[v->npend] = n->unit;
		v->pend_name[v->npend] = n;
		if (!(v->pend_evidence[v->npend++] = snippet(sc, f->txt, f->len, f->b, f->e)))
			return kerr_set(sc->e, KERR_NOMEM, "out of memory");
	}
	return trace(sc, "'%s' (%s, place) is a name found elsewhere too: counted only if the post is "
		     "about Chongqing%s", n->s, uname, "");
}

/* A unit's name at f.  A short name counts on its own unless it is a word
 * or another place too; in an author name (an institution) only with
 * context. */
static int count_name(struct scan *sc, struct votes *v, const struct found *f, enum mode m)
{
	const struct name *n = f->n;
	const char *uname = sc->g->d.units[n->unit].name;
	int counts;

	if (n->cls == N_LONG)
		counts = 1;
	else if (m == M_AUTHOR)
		counts = f->ctx_before || f->ctx_after;
	else
		counts = f->ctx_before || f->ctx_after || !n->ambiguous;
	if (!counts)
		return trace(sc, "'%s' (%s) needs context: not counted%s", n->s, uname, "");
	if (vote(sc, v, n->unit, snippet(sc, f->txt, f->len, f->from, f->e), n,
		 weight(sc, n, f->txt, f->len, f->b, f->e)) < 0 ||
	    trace(sc, "'%s' names %s%s", n->s, uname, "") < 0)
		return -1;
	return 0;
}

/* Every name in txt (normalized) judged by its neighbourhood: its votes
 * into v. */
static int scan_field(struct scan *sc, struct votes *v, const char *txt, size_t len, enum mode m)
{
	size_t off = 0, muni_end = (size_t)-1, muni_begin = 0;

	while (off < len) {
		struct found f = {NULL, txt, len, off, 0, 0, 0, 0};
		uint32_t cp;
		int l = utf8_decode((const unsigned char *)txt + off, &cp), rc;

		if (l <= 0)
			l = 1;
		if (!(f.n = name_at(sc->g, txt, len, off, cp))) {
			off += (size_t)l;
			continue;
		}
		f.e = off = off + f.n->len;
		if ((rc = not_a_location(sc, &f)) != 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (f.n->cls == N_MUNI) {
			muni_begin = f.b;
			muni_end = f.e;
			if (note_municipality(sc, v, &f) < 0)
				return -1;
			continue;
		}
		/* 重庆 or 重庆市 right before, perhaps with spaces between */
		f.ctx_before = muni_end != (size_t)-1 && muni_end <= f.b && only_separators(txt, muni_end, f.b);
		f.ctx_after = f.n->cls == N_SHORT && anchored(sc, RE_AFTER, txt, len, f.e);
		/* 在长寿上班, 去石柱避暑: going to, living in, coming back to a place */
		if (f.n->cls == N_SHORT && !f.ctx_after && char_in(txt, len, f.b, 1, LOCATIVE))
			f.ctx_after = 1;
		f.from = f.ctx_before ? muni_begin : f.b;
		if ((f.n->cls == N_PLACE ? count_place(sc, v, &f) : count_name(sc, v, &f, m)) < 0)
			return -1;
	}
	return 0;
}

/* Normalize v into buf and scan it. */
static int scan_value(struct scan *sc, struct votes *votes, const char *v, struct kbuf *buf,
		      enum mode m)
{
	kbuf_reset(buf);
	if (!v || !*v)
		return 0;
	if (text_normalize(v, strlen(v), buf, sc->e) < 0)
		return -1;
	return buf->len ? scan_field(sc, votes, buf->data, buf->len, m) : 0;
}

static size_t winner(const struct votes *v)
{
	size_t best = 0;

	for (size_t i = 1; i < v->n; i++)
		if (v->count[i] > v->count[best])
			best = i;
	return best;
}

/* Which side of the border does a location label put the post on? */
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

static int weibo_side(const struct district_input *in)
{
	if (in->province_code == 50)
		return 1;
	for (size_t i = 0; i < sizeof(other_province_codes) / sizeof(other_province_codes[0]); i++)
		if (in->province_code == other_province_codes[i])
			return 0;
	return -1;
}

static int account_unit(const struct gazetteer *g, const struct district_input *in)
{
	if (!in->platform)
		return -1;
	for (size_t i = 0; i < g->nacc; i++) {
		const struct account *a = &g->acc[i];
		if (strcmp(a->platform, in->platform))
			continue;
		if (a->author_id && in->author_id && !strcmp(a->author_id, in->author_id))
			return a->unit;
		if (!a->author_id && a->author_name && in->author_name &&
		    !strcmp(a->author_name, in->author_name))
			return a->unit;
	}
	return -1;
}

static void decide(struct district_result *r, const struct gazetteer *g, const struct votes *v,
		   const char *method, double confidence)
{
	size_t w = winner(v);

	r->unit = &g->d.units[v->unit[w]];
	r->in_chongqing = 1;
	r->method = method;
	/* a split vote is weaker evidence */
	r->confidence = confidence * (v->total > 1 ? 0.5 + 0.5 * v->count[w] / v->total : 1.0);
	r->evidence = v->evidence[w];
}

/* 1. the account registry: 1 when it names the post's unit (r filled
 * in), 0 when it does not, -1 on error. */
static int by_account(struct scan *sc, const struct district_input *in, struct district_result *r)
{
	int unit = account_unit(sc->g, in);
	char num[64];

	if (unit < 0)
		return 0;
	r->unit = &sc->g->d.units[unit];
	r->in_chongqing = 1;
	r->method = "account";
	r->confidence = 1.0;
	snprintf(num, sizeof(num), "registered account on %s", in->platform);
	r->evidence = arena_strndup(sc->a, num, strlen(num));
	sc->kind = "account";
	if (trace(sc, "%s %s → %s", in->platform, in->author_id ? in->author_id : in->author_name, r->unit->name) < 0)
		return -1;
	return r->evidence ? 1 : kerr_set(sc->e, KERR_NOMEM, "out of memory");
}

/* 3. the title, the text and the hashtags not written in either. */
static int scan_text(struct scan *sc, struct votes *text, const struct district_input *in)
{
	struct district_scratch *s = sc->s;

	sc->kind = "text";
	if (scan_value(sc, text, in->title, &s->norm[0], M_TEXT) < 0 ||
	    scan_value(sc, text, in->text, &s->norm[1], M_TEXT) < 0)
		return -1;
	for (size_t i = 0; i < in->nhashtags; i++) {
		const char *h = in->hashtags[i];
		/* one written in the title or text was scanned with it */
		if ((s->norm[0].len && strstr(s->norm[0].data, h)) || (s->norm[1].len && strstr(s->norm[1].data, h)))
			continue;
		sc->kind = "hashtag";
		if (scan_field(sc, text, h, strlen(h), M_HASHTAG) < 0)
			return -1;
	}
	return 0;
}

/* An ambiguous town or landmark counts only in a post otherwise about
 * Chongqing: 重庆 or 渝 in it, a unit named, or its location there. */
static int count_pending(struct scan *sc, struct votes *text, const struct votes *author,
			 const struct district_input *in)
{
	const struct district_scratch *s = sc->s;

	if (!text->npend)
		return 0;
	if (!(text->n || text->municipality || author->municipality ||
	      (s->norm[0].len && strstr(s->norm[0].data, "渝")) || (s->norm[1].len && strstr(s->norm[1].data, "渝")) ||
	      location_side(in->author_location) == 1 || weibo_side(in) == 1 || location_side(in->ip_location) == 1))
		return 0;
	sc->kind = "place";
	for (size_t i = 0; i < text->npend; i++)
		if (vote(sc, text, text->pend_unit[i], text->pend_evidence[i], text->pend_name[i],
			 text->pend_weight[i]) < 0 ||
		    trace(sc, "'%s' names %s (place, %s; the post is about Chongqing)", text->pend_name[i]->s,
			  sc->g->d.units[text->pend_unit[i]].name, text->pend_name[i]->kind) < 0)
			return -1;
	return 0;
}

/* 3. names of units and of places inside them weigh together; the
 * method says which decided: a unit's name (text) or a town, street or
 * landmark (place, a little less sure). */
static int decide_text(struct district_result *r, struct scan *sc, const struct votes *text)
{
	size_t w = winner(text);
	const struct name *wn = text->name[w];

	if (wn && !text->named[w]) {
		char ev[256];
		decide(r, sc->g, text, "place", 0.7);
		snprintf(ev, sizeof(ev), "%s (%s)", text->evidence[w], wn->kind);
		if (!(r->evidence = arena_strndup(sc->a, ev, strlen(ev))))
			return kerr_set(sc->e, KERR_NOMEM, "out of memory");
	} else {
		decide(r, sc->g, text, "text", 0.8);
		if (text->named_evidence[w])
			r->evidence = text->named_evidence[w];
	}
	return 0;
}

/* 4. the profile location, or else Weibo's province and city codes. */
static int scan_profile(struct scan *sc, struct votes *profile, const struct district_input *in)
{
	const struct gazetteer *g = sc->g;
	char num[64];
	int unit;

	sc->kind = "profile";
	if (scan_value(sc, profile, in->author_location, &sc->s->norm[2], M_PROFILE) < 0)
		return -1;
	if (profile->n || in->province_code != 50)
		return 0;
	for (size_t i = 0; i < g->d.ncity_codes; i++)
		if (g->d.city_codes[i].city == in->city_code && (unit = unit_index(g, g->d.city_codes[i].code)) >= 0) {
			snprintf(num, sizeof(num), "weibo province 50 city %d", in->city_code);
			if (vote(sc, profile, unit, arena_strndup(sc->a, num, strlen(num)), NULL, 2) < 0 ||
			    trace(sc, "%s names %s%s", num, g->d.units[unit].name, "") < 0)
				return -1;
		}
	return 0;
}

/* No unit: the strongest evidence that says where the post is, if any
 * does (the municipality named, the profile, the IP location). */
static int locate_without_unit(struct scan *sc, struct district_result *r, const struct district_input *in,
			       const struct votes *author, const struct votes *text)
{
	const struct kbuf *profile = &sc->s->norm[2];
	char num[64];
	int side;

	if (author->municipality || text->municipality) {
		r->in_chongqing = 1;
		r->method = author->municipality ? "author" : "text";
		r->confidence = 0.6;
		r->evidence = author->municipality ? author->muni_evidence : text->muni_evidence;
		return 0;
	}
	side = location_side(profile->len ? profile->data : NULL);
	if (side < 0)
		side = weibo_side(in);
	if (side >= 0) {
		r->in_chongqing = side;
		r->method = "profile";
		r->confidence = 0.6;
		if (profile->len)
			r->evidence = arena_strndup(sc->a, profile->data, profile->len);
		else {
			snprintf(num, sizeof(num), "weibo province %d", in->province_code);
			r->evidence = arena_strndup(sc->a, num, strlen(num));
		}
		return r->evidence ? 0 : kerr_set(sc->e, KERR_NOMEM, "out of memory");
	}
	side = location_side(in->ip_location);
	if (side >= 0) {
		r->in_chongqing = side;
		r->method = "ip";
		r->confidence = 0.5;
		r->evidence = arena_strndup(sc->a, in->ip_location, strlen(in->ip_location));
		sc->kind = "ip";
		if (trace(sc, "'%s' says %s%s", in->ip_location, side ? "in Chongqing" : "outside Chongqing", "") < 0)
			return -1;
		return r->evidence ? 0 : kerr_set(sc->e, KERR_NOMEM, "out of memory");
	}
	return 0;
}

int district_attribute(const struct gazetteer *g, struct district_scratch *s,
		       const struct district_input *in, struct arena *a,
		       struct district_result *r, struct kbuf *tr, struct kerr *e)
{
	struct scan sc = {g, s, a, tr, e, ""};
	struct votes author, text, profile;
	int rc;

	memset(r, 0, sizeof(*r));
	r->in_chongqing = -1;
	r->method = "none";
	if ((rc = by_account(&sc, in, r)) != 0)
		return rc < 0 ? -1 : 0;

	/* 2. the author name as an institution; 3. title, text and hashtags;
	 * 4. the profile location or Weibo's codes.  The first kind that names
	 * a unit decides; with a trace every kind is scanned, to show it all. */
	memset(&author, 0, sizeof(author));
	memset(&text, 0, sizeof(text));
	memset(&profile, 0, sizeof(profile));
	sc.kind = "author";
	if (scan_value(&sc, &author, in->author_name, &s->norm[2], M_AUTHOR) < 0)
		return -1;
	if (author.n) {
		decide(r, g, &author, "author", 0.9);
		r->evidence = arena_strndup(a, s->norm[2].data, s->norm[2].len);
		if (!r->evidence)
			return kerr_set(e, KERR_NOMEM, "out of memory");
		if (!tr)
			return 0;
	}
	if (scan_text(&sc, &text, in) < 0 || count_pending(&sc, &text, &author, in) < 0)
		return -1;
	if (!r->unit && text.n) {
		if (decide_text(r, &sc, &text) < 0)
			return -1;
		if (!tr)
			return 0;
	}
	if (scan_profile(&sc, &profile, in) < 0)
		return -1;
	if (!r->unit && profile.n)
		decide(r, g, &profile, "profile", 0.7);
	if (r->unit)
		return 0;
	return locate_without_unit(&sc, r, in, &author, &text);
}
