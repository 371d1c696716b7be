/*
 * tests/gen.c - kepu-gen: deterministic, seedable generator of demo posts.
 *
 * kepu collects posts tagged #千万IP创科普# from Chinese platforms and credits
 * them to Chongqing's 41 reporting units.  Real crawls are messy: mixed date
 * formats, counts printed as "1.2万", ids beyond 2^53, look-alike tags, posts
 * from other provinces.  This tool fabricates posts with the same mess,
 * byte-identically for a given seed and count, for tests, demos and load runs.
 *
 *   kepu-gen [--seed N] [--count N] [--format ndjson|csv]
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -o build/kepu-gen
 *        tests/gen.c -lm          (libc and libm only)
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ PRNG */
/* xoshiro256** seeded through splitmix64: our own generator so the output
 * never depends on the libc's rand() or on the clock. */
static uint64_t rng_s[4];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rnd(void)
{
    uint64_t *s = rng_s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

static double urand(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }

/* Uniform in [0, n) for n < 2^32; the multiply-shift bias is far below
 * anything a demo data set could show. */
static size_t below(size_t n) { return (size_t)(((rnd() >> 32) * (uint64_t)n) >> 32); }

static int chance(double p) { return urand() < p; }

static double gauss(void)
{
    double u1 = urand(), u2 = urand();
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#define PICK(arr) ((arr)[below(NELEM(arr))])

/* The splitmix64 finaliser is a bijection on 64 bits. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Keyed bijection on k-bit integers (xor key, multiply by odd, xorshift:
 * each step is invertible mod 2^k).  Feeding it a per-platform counter gives
 * ids that look random yet can never repeat. */
static uint64_t permk(uint64_t x, unsigned k, uint64_t key)
{
    const uint64_t mask = (k >= 64) ? ~0ULL : ((1ULL << k) - 1);
    x &= mask;
    for (int r = 0; r < 3; r++) {
        key = mix64(key + 0x9E3779B97F4A7C15ULL);
        x ^= key & mask;
        x = (x * 0xD6E8FEB86659FD93ULL) & mask;
        x ^= x >> ((k + 1) / 2);
    }
    return x;
}

/* --------------------------------------------------------------- output */
/* Everything goes through one big buffer and fwrite: 200k posts are ~90 MB
 * and stdio's per-call overhead would dominate otherwise. */
#define OBUF_CAP (1u << 22)
static char obuf[OBUF_CAP];
static size_t olen;

static void oflush(void)
{
    if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
        perror("kepu-gen: write");
        exit(1);
    }
    olen = 0;
}

static char *oreserve(size_t n)
{
    if (olen + n > OBUF_CAP)
        oflush();
    return obuf + olen;
}

static void oput(const char *s, size_t n)
{
    memcpy(oreserve(n), s, n);
    olen += n;
}

static void oputs(const char *s) { oput(s, strlen(s)); }

static size_t u64dec(char *dst, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

static void oputu(uint64_t v)
{
    char *p = oreserve(24);
    olen += u64dec(p, v);
}

static const char HEX[] = "0123456789abcdef";

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Does any of these 8 bytes need a JSON escape (", \\ or < 0x20)?  Exact
 * word-at-a-time zero-byte tests; lets clean runs be copied 8 bytes at once. */
static int needs_escape8(uint64_t w)
{
    uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
    return (((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS ? 1 : 0;
}

static void ojson_str(const char *s, size_t n)
{
    /* Worst case every byte becomes \u00XX. */
    char *p = oreserve(n * 6 + 2);
    char *start = p;
    *p++ = '"';
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!needs_escape8(w)) {
                memcpy(p, s + i, 8);
                p += 8;
                i += 8;
                continue;
            }
        }
        /* Byte by byte through the word that needs care. */
        size_t end = n - i > 8 ? i + 8 : n;
        for (; i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '"' || c == '\\') {
                *p++ = '\\';
                *p++ = (char)c;
            } else if (c == '\n') {
                *p++ = '\\';
                *p++ = 'n';
            } else if (c < 0x20) {
                memcpy(p, "\\u00", 4);
                p[4] = HEX[c >> 4];
                p[5] = HEX[c & 15];
                p += 6;
            } else {
                *p++ = (char)c;
            }
        }
    }
    *p++ = '"';
    olen += (size_t)(p - start);
}

/* RFC 4180: quote only when needed, double embedded quotes. */
static void ocsv_str(const char *s, size_t n)
{
    int quote = 0;
    size_t extra = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r')
            quote = 1;
        if (c == '"')
            extra++;
    }
    if (!quote) {
        oput(s, n);
        return;
    }
    char *p = oreserve(n + extra + 2);
    char *start = p;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    olen += (size_t)(p - start);
}

/* --------------------------------------------------------- string tools */
/* A fixed text buffer; fragments are whole UTF-8 sequences, so appending
 * only whole fragments keeps the result valid UTF-8. */
#define SB_CAP 8192
typedef struct {
    char b[SB_CAP];
    size_t n;
} SB;

static void sb_putn(SB *sb, const char *s, size_t n)
{
    if (sb->n + n >= SB_CAP)
        return; /* never reached with our fragment sizes */
    memcpy(sb->b + sb->n, s, n);
    sb->n += n;
    sb->b[sb->n] = '\0';
}

static void sb_put(SB *sb, const char *s) { sb_putn(sb, s, strlen(s)); }

static void sb_fmt(SB *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(sb->b + sb->n, SB_CAP - sb->n, fmt, ap);
    va_end(ap);
    if (k > 0 && sb->n + (size_t)k < SB_CAP)
        sb->n += (size_t)k;
    sb->b[sb->n] = '\0';
}

/* Characters = bytes minus UTF-8 continuation bytes (10xxxxxx), counted a
 * word at a time: this runs several times per post. */
static size_t u8len(const char *s, size_t n)
{
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t c = (w & ~(w << 1)) & 0x8080808080808080ULL; /* bit7 set, bit6 clear */
        cont += (size_t)((((c >> 7) * 0x0101010101010101ULL) >> 56) & 0xFF);
    }
    for (; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            cont++;
    return n - cont;
}

/* Per-record arena for the short strings a record points at. */
#define ARENA_CAP 8192
static char arena[ARENA_CAP];
static size_t arena_n;

static size_t arena_beg; /* start of the string being built */

static void arena_room(size_t n)
{
    if (arena_n + n + 1 >= ARENA_CAP) {
        fputs("kepu-gen: arena overflow\n", stderr);
        exit(1);
    }
}

/* Strings are built piecewise (astart, aadd..., aend) rather than with
 * snprintf: printf parsing was a tenth of the run time. */
static void astart(void) { arena_beg = arena_n; }

static void aadd(const char *s, size_t n)
{
    arena_room(n);
    memcpy(arena + arena_n, s, n);
    arena_n += n;
}

static void aadds(const char *s) { aadd(s, strlen(s)); }

static void aaddu(uint64_t v)
{
    arena_room(24);
    arena_n += u64dec(arena + arena_n, v);
}

static void aadd2(unsigned v) /* two digits, zero-padded */
{
    char d[2] = {(char)('0' + v / 10 % 10), (char)('0' + v % 10)};
    aadd(d, 2);
}

static void aaddhex(uint64_t v, int digits)
{
    arena_room((size_t)digits);
    for (int k = digits - 1; k >= 0; k--) {
        arena[arena_n + (size_t)k] = HEX[v & 15];
        v >>= 4;
    }
    arena_n += (size_t)digits;
}

/* ----------------------------------------------------------- reference */
enum { P_WEIBO, P_BILI, P_DOUYIN, P_XHS, P_KUAISHOU, P_WXCH, P_TOUTIAO, P_ZHIHU, NPLAT };
static const char *const PLAT_NAME[NPLAT] = {"weibo",    "bilibili",        "douyin",  "xiaohongshu",
                                             "kuaishou", "wechat_channels", "toutiao", "zhihu"};
static const double PLAT_W[NPLAT] = {25, 15, 30, 12, 6, 6, 4, 2};
/* Typical reach per platform, scales engagement. */
static const double PLAT_REACH[NPLAT] = {0.5, 1.0, 2.0, 0.8, 1.4, 0.6, 0.4, 0.3};
static const double PLAT_TITLE_P[NPLAT] = {0.0, 0.97, 0.85, 0.95, 0.3, 0.35, 0.9, 0.98};

typedef struct {
    const char *full;
    const char *shrt; /* what local accounts call themselves: 万州科协 */
    double w;
} Unit;

#define NUNITS 41
static const Unit UNITS[NUNITS] = {
    {"万州区", "万州", 5},     {"涪陵区", "涪陵", 4},       {"渝中区", "渝中", 8},
    {"大渡口区", "大渡口", 3}, {"江北区", "江北", 7},       {"沙坪坝区", "沙坪坝", 7},
    {"九龙坡区", "九龙坡", 7}, {"南岸区", "南岸", 6},       {"北碚区", "北碚", 5},
    {"綦江区", "綦江", 3},     {"大足区", "大足", 3},       {"渝北区", "渝北", 8},
    {"巴南区", "巴南", 5},     {"黔江区", "黔江", 2},       {"长寿区", "长寿", 3},
    {"江津区", "江津", 4},     {"合川区", "合川", 4},       {"永川区", "永川", 4},
    {"南川区", "南川", 2},     {"璧山区", "璧山", 3},       {"铜梁区", "铜梁", 3},
    {"潼南区", "潼南", 2},     {"荣昌区", "荣昌", 3},       {"开州区", "开州", 3},
    {"梁平区", "梁平", 2},     {"武隆区", "武隆", 2},       {"城口县", "城口", 1},
    {"丰都县", "丰都", 1.5},   {"垫江县", "垫江", 1.5},     {"忠县", "忠县", 1.5},
    {"云阳县", "云阳", 2},     {"奉节县", "奉节", 2},       {"巫山县", "巫山", 2},
    {"巫溪县", "巫溪", 1},     {"石柱土家族自治县", "石柱", 1.2},
    {"秀山土家族苗族自治县", "秀山", 1.2},                  {"酉阳土家族苗族自治县", "酉阳", 1.2},
    {"彭水苗族土家族自治县", "彭水", 1.2},                  {"两江新区", "两江", 5},
    {"重庆高新区", "重庆高新", 4},                          {"万盛经开区", "万盛", 1.5},
};
/* A landmark people name instead of the unit, in UNITS' order (NULL: the
 * short name instead); kepu's config/places.json knows each. */
static const char *const LANDMARKS[NUNITS] = {
    "万州大瀑布", "白鹤梁", "解放碑", "义渡古镇", "观音桥", "磁器口", "重庆动物园", "南山一棵树",
    "缙云山", "古剑山", "大足石刻", NULL, NULL, "濯水古镇", "长寿湖", "四面山",
    "钓鱼城", "茶山竹海", "金佛山", NULL, "安居古城", NULL, "万灵古镇", "汉丰湖",
    "双桂堂", "仙女山", "亢谷", NULL, NULL, "石宝寨", "张飞庙", "白帝城",
    "小三峡", "红池坝", NULL, NULL, "龚滩古镇", "阿依河", "重庆园博园", NULL, "黑山谷",
};

/* Units from here on are development zones, not districts/counties: their
 * short names read badly in "中国 重庆 X" profile locations. */
#define FIRST_ZONE 38

/* Well-known accounts whose names carry no district: attribution then
 * has to come from the text. */
typedef struct {
    int unit;
    const char *name;
} Special;
static const Special SPECIALS[] = {
    {2, "重庆市巴蜀中学"},   {2, "重庆中国三峡博物馆"}, {2, "重庆市科协"},
    {4, "重庆科技馆"},       {4, "重庆市第十八中学"},   {5, "重庆市南开中学"},
    {5, "重庆一中"},         {5, "重庆大学"},           {6, "重庆市育才中学"},
    {7, "重庆邮电大学"},     {7, "重庆市第十一中学校"}, {8, "重庆自然博物馆"},
    {8, "西南大学附属中学"}, {8, "西南大学"},           {38, "礼嘉智慧公园"},
    {39, "西部(重庆)科学城"}, {0, "三峡移民纪念馆"},    {0, "重庆三峡学院"},
    {10, "大足石刻研究院"},  {17, "重庆文理学院"},      {1, "长江师范学院"},
};

typedef struct {
    const char *prov;     /* ip_location */
    const char *loc;      /* author_location */
    const char *city;     /* short, for account names */
    const char *cityfull; /* as written in post text */
} Outside;
static const Outside OUTSIDE[] = {
    {"四川", "四川 成都", "成都", "成都市"},   {"北京", "北京 海淀", "北京", "北京市海淀区"},
    {"广东", "广东 广州", "广州", "广州市"},   {"上海", "上海 浦东新区", "上海", "上海市"},
    {"湖北", "湖北 武汉", "武汉", "武汉市"},   {"陕西", "陕西 西安", "西安", "西安市"},
    {"贵州", "贵州 贵阳", "贵阳", "贵阳市"},   {"湖南", "湖南 长沙", "长沙", "长沙市"},
    {"浙江", "浙江 杭州", "杭州", "杭州市"},   {"江苏", "江苏 南京", "南京", "南京市"},
    {"云南", "云南 昆明", "昆明", "昆明市"},   {"山东", "山东 青岛", "青岛", "青岛市"},
};

typedef struct {
    const char *name;
    const char *skill;
    const char *tag;
} Subject;
static const Subject SUBJECTS[] = {
    {"天文", "用望远镜观测月球环形山", "天文科普"},
    {"气象", "看懂云的形状来预测天气", "气象科普"},
    {"地质", "辨认常见的岩石和化石", "地质科普"},
    {"生物多样性", "用放大镜观察昆虫的复眼", "生物多样性"},
    {"机器人", "用图形化编程控制机器人小车", "机器人"},
    {"人工智能", "和AI大模型对话写一首小诗", "人工智能"},
    {"应急避险", "在地震来临时“伏地、遮挡、手抓牢”", "防灾减灾"},
    {"心肺复苏", "心肺复苏和AED的正确使用方法", "急救知识"},
    {"垃圾分类", "快速分辨可回收物和有害垃圾", "垃圾分类"},
    {"航天", "制作水火箭并完成发射", "航天科普"},
    {"中医药", "辨识常见的中草药", "中医药"},
    {"防溺水", "识别危险水域、学会正确施救", "防溺水"},
    {"消防安全", "正确使用灭火器", "消防安全"},
    {"反诈", "识别冒充客服的诈骗套路", "反诈"},
    {"无人机", "操控无人机完成航拍", "低空经济"},
    {"新能源汽车", "了解动力电池是怎么工作的", "新能源"},
    {"北斗导航", "用北斗定位寻找“宝藏”", "北斗"},
    {"量子科技", "通过小实验理解量子叠加", "量子科技"},
    {"芯片", "在显微镜下观察芯片的电路", "芯片"},
    {"长江生态", "认识长江鲟等珍稀鱼类", "长江大保护"},
    {"恐龙化石", "复原恐龙骨架模型", "恐龙"},
    {"农业科技", "了解无土栽培和智慧农业", "智慧农业"},
    {"食品安全", "快速检测蔬菜农药残留", "食品安全"},
    {"地质灾害防治", "识别滑坡、泥石流的前兆", "防灾减灾"},
    {"数学", "用七巧板玩转几何", "数学之美"},
    {"物理", "用电磁铁做一个小电动机", "物理实验"},
    {"化学", "做一次安全有趣的“大象牙膏”实验", "化学实验"},
    {"心理健康", "学会给情绪“降降温”", "心理健康"},
    {"眼健康", "掌握“20-20-20”护眼法则", "爱眼护眼"},
    {"电力安全", "认识家里的漏电保护器", "安全用电"},
};

static const char *const VENUES[] = {
    "图书馆",   "科技馆",     "博物馆",   "青少年活动中心", "文化馆",     "科普教育基地",
    "气象站",   "地震台",     "消防救援站", "湿地公园",     "社区服务中心", "实验小学",
    "第一中学", "农业科技园", "规划展览馆", "天文台",       "人民医院",   "职业教育中心",
};
static const char *const ACTIVITIES[] = {
    "科普讲座",   "科学实验秀", "科普大篷车巡展", "亲子科普研学", "科普主题展览", "应急疏散演练",
    "院士专家进校园", "科普市集", "科学之夜",     "科普直播",     "编程体验课",   "观星会",
    "科普剧展演", "科普知识竞赛", "流动科技馆巡展", "青少年科技创新大赛",
};
static const char *const AUDIENCES[] = {
    "孩子们", "同学们", "居民朋友们", "老年朋友们", "家长和孩子们",
    "市民朋友们", "小朋友们", "志愿者们", "科技辅导员们",
};
static const char *const FACTS[] = {
    "闪电的温度可以达到约3万摄氏度，比太阳表面还要热。",
    "人体最大的器官是皮肤。",
    "心肺复苏的按压深度为5～6厘米，频率为每分钟100～120次。",
    "空间站大约每90分钟绕地球飞行一圈。",
    "蜜蜂的翅膀每秒可以振动约200次。",
    "地球表面约71%被海洋覆盖。",
    "阳光从太阳到达地球大约需要8分20秒。",
    "章鱼有三颗心脏和蓝色的血液。",
    "北斗卫星导航系统已经为全球用户提供服务。",
    "人的大脑约有860亿个神经元。",
    "发生地震时，应先就近躲避，震后再有序撤离。",
    "灭火器使用口诀：提、拔、握、压。",
    "长江鲟是国家一级保护野生动物。",
    "雷雨天不要在大树下避雨。",
    "一个成年人全身约有206块骨头。",
};
static const char *const FACTS_CQ[] = {
    "重庆素有“山城”“雾都”之称，一年中有不少雾天。",
    "重庆夏季高温常常超过40℃，防暑降温知识很重要。",
    "长江和嘉陵江在重庆朝天门交汇，形成“夹马水”奇观。",
};

/* Openers all carry {U}: the place mention, empty when the post names no
 * place.  Placeholders: U place, V venue, S subject, T second subject,
 * K skill, A activity, P audience, F fact, N head count, M small number,
 * D date with weekday. */
static const char *const OPENERS[] = {
    "今天在{U}{V}参加了{S}主题的{A}，{P}都听得特别认真！",
    "走进{U}{V}，一起感受{S}的魅力。",
    "{U}{V}的{A}来啦！这次的主题是{S}。",
    "9月是全国科普月，{U}{V}开展了一场别开生面的{A}。",
    "周末带娃去了{U}{V}，{S}展区人气超高。",
    "{U}科协联合{V}举办{S}{A}，现场干货满满。",
    "在{U}，{P}通过{A}近距离接触{S}。",
    "记录一下在{U}{V}的{S}体验，收获满满～",
    "{U}第{M}期{A}开讲，本期聚焦{S}。",
    "科普进万家｜{U}{V}{S}专场。",
    "{P}，{U}{V}的{S}{A}等你来打卡！",
    "由{U}科协主办的{S}{A}在{V}顺利举行。",
    "一起来看看{U}{V}的{S}课堂上都发生了什么？",
    "跟着科普志愿者打卡{U}{V}，解锁{S}新知识。",
    "{U}{V}里的{S}小课堂，今天正式开课。",
    "{U}{V}今天来了一群特别的“小科学家”。",
    "带大家沉浸式体验{U}{V}的{S}{A}！",
    "这个周末，{U}{V}被{P}挤满了。",
    "{U}{V}联合多家单位开展{S}主题{A}。",
    "第一次带孩子参加{U}{V}的{A}，体验感拉满。",
    "【{S}】{U}{V}{A}现场直击。",
};
static const char *const BODIES[] = {
    "专家用通俗易懂的语言讲解了{S}知识，还手把手教大家{K}。",
    "{P}在现场学会了{K}，纷纷表示“原来科学这么好玩”。",
    "本次活动共吸引{N}余名{P}参与。",
    "现场设置了{M}个互动体验区，排队的人一直没断过。",
    "你知道吗？{F}",
    "小知识：{F}",
    "讲解员说：“{F}”",
    "从{S}到{T}，一场活动下来大家收获满满。",
    "活动中，{P}积极提问，气氛非常热烈。",
    "科普不只是知识，更是一种看世界的方式。",
    "希望更多人关注{S}，让科学走进日常生活。",
    "下一站，我们还会带着{S}课程走进更多社区和学校。",
    "评论区说说你最想了解哪方面的科普知识？",
    "视频里的实验请在大人陪同下进行哦⚠️",
    "建议收藏，转给身边需要的人。",
    "{S}离我们并不遥远，它就藏在生活的点点滴滴里。",
    "感谢各位老师和志愿者的辛苦付出！",
    "通过VR设备，{P}“穿越”到了{S}的世界。",
    "不少家长表示，这样的活动比课本更生动。",
    "现场还发放了{S}科普手册{N}余份。",
    "本期嘉宾是从事{S}研究多年的科研人员。",
    "活动时间：{D}14:00-17:00，地点：{V}一楼大厅。",
    "3、2、1，点火！水火箭冲上了天空。",
    "快来跟着我们一起做个小实验吧！",
    "关注我们，每天一分钟，轻松学科普。",
    "以后遇到紧急情况，{P}也知道该怎么做了。",
    "{S}小课堂开课啦，今天的知识点你记住了吗？",
    "一个问题：为什么{S}和我们的生活息息相关？答案在视频里。",
    "动手做一做，比看十遍书都记得牢。",
    "这次还专门为{P}准备了{S}闯关游戏，通关就能领小奖品。",
    "现场互动环节，{P}争先恐后举手回答问题。",
    "用最简单的材料，也能做出最酷的{S}实验。",
    "科普志愿者们提前一周就开始准备道具了。",
    "据主办方介绍，类似的活动整个9月还会举办{M}场。",
    "孩子回家路上一直在问关于{S}的问题，这就是科普的意义吧。",
};
static const char *const BODIES_CQ[] = {
    "山城的{P}对{S}的热情真的太高了！",
    "重庆的夏天那么热，{S}知识更要学起来。",
    "作为重庆人，为家乡的科普事业点赞👍",
    "雾都的夜空也能看到这么多星星，太惊喜了。",
    "感谢重庆市科协的大力支持。",
};
/* The body picker remembers used sentences in a 64-bit mask. */
_Static_assert(NELEM(BODIES) + NELEM(BODIES_CQ) <= 64, "body pool exceeds the used-sentence mask");

static const char *const CLOSERS[] = {
    "欢迎大家关注，一起来学科普！", "科学就在身边，我们下期见～", "喜欢的话记得点赞收藏哦！",
    "转发让更多人看到！",           "你学会了吗？",               "一起爱上科学吧！",
};
/* Rare content that exercises escaping: ASCII quotes, backslashes, markup. */
static const char *const ODDITIES[] = {
    "老师说：\"遇到危险，先保护好自己。\"",
    "孩子问我：\"为什么天空是蓝色的？\"",
    "\"科学\"两个字，其实就藏在生活里。",
    "今天也是元气满满的一天\\(^o^)/",
    "实验失败了也没关系 ¯\\_(ツ)_/¯ 再来一次！",
    "资料已整理到 D:\\科普\\2025\\九月 文件夹，需要的私信。",
    "<b>划重点</b>：安全第一，科学第二。",
    "最后还有Q&amp;A环节，问题一个接一个。",
    "&lt;科普小课堂&gt;第二讲马上更新。",
    "报名方式：\t关注后私信“科普”。",
};
static const char *const EMOJI[] = {"🔬", "🚀", "✨", "👍", "🔥", "💡", "🧪", "🤖", "🌏",
                                    "📚", "🎉", "👇", "⭐", "🌙", "⚡", "❤️", "😄", "👏"};
static const char *const TITLES[] = {
    "走进{U}{V}：{S}{A}",
    "{U}{A}全记录",
    "30秒学会{K}",
    "{U}{V}的{S}课，孩子们看呆了",
    "全国科普月｜{U}{S}{A}",
    "{S}小知识，你知道几个？",
    "一分钟带你了解{S}",
    "{U}{V}{S}初体验",
    "{S}科普｜{K}",
    "我在{U}做科普：{S}篇",
    "第{M}期｜{S}大揭秘",
    "{U}{A}：{S}进{V}",
};
static const char *const TITLES_ZHIHU[] = {
    "如何向孩子解释{S}？",
    "{S}到底有多重要？",
    "参加了一次{S}{A}是什么体验？",
    "有哪些关于{S}的冷知识？",
};
static const char *const OTHER_TAGS[] = {
    "科普之光", "科普中国", "全国科普月", "航天科普", "防灾减灾", "人工智能", "中医药", "科学原来如此",
};
static const char *const BILI_TAGS[] = {"科普", "知识", "科学", "涨知识", "知识分享官", "校园"};

static const char *const NICK_PRE[] = {
    "爱科普的", "会发光的", "熬夜的", "不正经的", "认真的", "快乐的", "好奇的", "努力的",
    "佛系",     "硬核",     "小",     "阿",     "老",     "大",     "江边的", "星空下的",
};
static const char *const NICK_PRE_CQ[] = {"爱吃火锅的", "山城", "雾都", "爬坡上坎的"};
static const char *const NICK_CORE[] = {
    "科普君", "物理老师", "科学喵", "观星人", "实验员", "博士",     "老张",     "小鹿",
    "萌叔",   "化学姐姐", "生物学长", "地质锤", "气象员", "航天迷", "急救员",   "科学家",
    "AI研究员", "护士长", "地理老师", "数学课代表", "天文爱好者", "昆虫记", "机器人", "小科",
};
static const char *const NICK_SUF[] = {"_", "丶", "2025", "呀", "同学", "_kepu", "🌟", "Official"};

/* --------------------------------------------------------------- people */
enum { K_INST, K_CREATOR };
typedef struct {
    char name[96];
    char loc[80]; /* author_location; empty string means JSON null */
    int unit;     /* index into UNITS, or -1 for out-of-province accounts */
    int out;      /* index into OUTSIDE when unit < 0 */
    int kind;
    int attrib;   /* name carries the unit's short/full name */
    double fame;
    uint64_t key; /* drives this account's per-platform author ids */
} Persona;

#define MAX_PERSONAS 1200
static Persona personas[MAX_PERSONAS];
static size_t npersonas;
static size_t unit_first[NUNITS], unit_count[NUNITS];
static size_t out_first, out_count;

static double unit_cum[NUNITS];
static double plat_cum[NPLAT];
static double day_cum[30];
static double hour_cum[24];

static size_t pick_cum(const double *cum, size_t n)
{
    double r = urand() * cum[n - 1];
    for (size_t i = 0; i < n; i++)
        if (r < cum[i])
            return i;
    return n - 1;
}

static Persona *new_persona(int unit, int kind)
{
    if (npersonas >= MAX_PERSONAS) {
        fputs("kepu-gen: persona table full\n", stderr);
        exit(1);
    }
    Persona *p = &personas[npersonas++];
    memset(p, 0, sizeof *p);
    p->unit = unit;
    p->kind = kind;
    p->key = rnd();
    /* Creators vary more in reach than institutions do. */
    p->fame = exp((kind == K_INST ? 0.6 : 1.1) * gauss()) * (kind == K_INST ? 1.2 : 1.0);
    return p;
}

static void nickname(char *dst, size_t cap, int cq)
{
    const char *pre = (cq && chance(0.25)) ? PICK(NICK_PRE_CQ) : PICK(NICK_PRE);
    const char *suf = chance(0.25) ? PICK(NICK_SUF) : "";
    snprintf(dst, cap, "%s%s%s", pre, PICK(NICK_CORE), suf);
}

static void cq_location(Persona *p)
{
    const Unit *u = &UNITS[p->unit];
    double r = urand();
    /* Many profiles leave the region blank. */
    double nul = p->kind == K_INST ? 0.40 : 0.60;
    if (r < nul)
        p->loc[0] = '\0';
    else if (r < nul + 0.25)
        snprintf(p->loc, sizeof p->loc, "重庆 %s", u->full);
    else if (r < nul + 0.40)
        snprintf(p->loc, sizeof p->loc, "重庆市%s", u->full);
    else if (r < nul + 0.50 && p->unit < FIRST_ZONE)
        snprintf(p->loc, sizeof p->loc, "中国 重庆 %s", u->shrt);
    else
        snprintf(p->loc, sizeof p->loc, "重庆");
}

static void shuffle(Persona *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = below(i);
        Persona t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static void build_personas(void)
{
    for (int u = 0; u < NUNITS; u++) {
        const Unit *un = &UNITS[u];
        size_t first = npersonas;
        size_t want = 6 + (size_t)(un->w * 2.2);
        Persona *p;

        /* Every unit has its science association and a media centre;
         * the short "万州科协" form is the most common spelling. */
        p = new_persona(u, K_INST);
        switch (below(4)) {
        case 0: snprintf(p->name, sizeof p->name, "%s科协", un->shrt); break;
        case 1: snprintf(p->name, sizeof p->name, "%s科协", un->full); break;
        case 2: snprintf(p->name, sizeof p->name, "%s科学技术协会", un->full); break;
        default: snprintf(p->name, sizeof p->name, "%s科协", un->shrt); break;
        }
        p = new_persona(u, K_INST);
        switch (below(5)) {
        case 0: snprintf(p->name, sizeof p->name, "%s融媒", un->shrt); break;
        case 1: snprintf(p->name, sizeof p->name, "%s发布", un->shrt); break;
        case 2: snprintf(p->name, sizeof p->name, "%s融媒体中心", un->full); break;
        case 3: snprintf(p->name, sizeof p->name, "掌上%s", un->shrt); break;
        default: snprintf(p->name, sizeof p->name, "看%s", un->shrt); break;
        }
        p->fame *= 2.0;
        static const char *const inst_fmt[] = {"%s气象", "%s消防", "%s应急", "%s教育", "%s图书馆",
                                               "%s科技馆", "%s人民医院", "%s青少年活动中心"};
        size_t ninst = 1 + below(2);
        size_t off = below(NELEM(inst_fmt));
        for (size_t k = 0; k < ninst; k++) {
            const char *f = inst_fmt[(off + k * 3) % NELEM(inst_fmt)];
            p = new_persona(u, K_INST);
            /* Libraries, museums and hospitals use the full name. */
            int full = strstr(f, "馆") || strstr(f, "医院") || strstr(f, "中心");
            snprintf(p->name, sizeof p->name, f, full ? un->full : un->shrt);
        }
        for (size_t k = 0; k < NELEM(SPECIALS); k++) {
            if (SPECIALS[k].unit != u)
                continue;
            p = new_persona(u, K_INST);
            snprintf(p->name, sizeof p->name, "%s", SPECIALS[k].name);
            p->fame *= 1.5;
        }
        while (npersonas - first < want) {
            p = new_persona(u, K_CREATOR);
            if (chance(0.15)) {
                static const char *const loc_nick[] = {"%s小科", "%s老李讲科普", "%s科普达人", "%s科学妈妈"};
                snprintf(p->name, sizeof p->name, PICK(loc_nick), un->shrt);
            } else {
                nickname(p->name, sizeof p->name, 1);
            }
        }
        unit_first[u] = first;
        unit_count[u] = npersonas - first;
        for (size_t k = first; k < npersonas; k++) {
            Persona *q = &personas[k];
            q->attrib = strstr(q->name, un->shrt) != NULL || strstr(q->name, un->full) != NULL;
            cq_location(q);
        }
        /* Shuffle so the most active poster is not always the 科协. */
        shuffle(&personas[first], unit_count[u]);
    }

    out_first = npersonas;
    for (size_t o = 0; o < NELEM(OUTSIDE); o++) {
        for (int k = 0; k < 4; k++) {
            Persona *p = new_persona(-1, k < 1 ? K_INST : K_CREATOR);
            p->out = (int)o;
            if (k == 0)
                snprintf(p->name, sizeof p->name, chance(0.5) ? "%s科协" : "%s科技馆", OUTSIDE[o].city);
            else
                nickname(p->name, sizeof p->name, 0);
            if (!chance(0.2))
                snprintf(p->loc, sizeof p->loc, "%s", OUTSIDE[o].loc);
        }
    }
    out_count = npersonas - out_first;
}

/* Heavy-tailed choice within a pool: index 0 posts most. */
static Persona *pick_persona(size_t first, size_t count)
{
    size_t i = (size_t)((double)count * pow(urand(), 2.2));
    if (i >= count)
        i = count - 1;
    return &personas[first + i];
}

/* ------------------------------------------------------------- records */
enum {
    F_PLATFORM, F_POST_ID, F_URL, F_AUTHOR_ID, F_AUTHOR_NAME, F_AUTHOR_LOC, F_IP, F_CREATED,
    F_TITLE,    F_TEXT,    F_TOPICS, F_VIEWS, F_LIKES, F_COMMENTS, F_SHARES, F_FAVS, NFIELDS
};
static const char *const FIELD_NAMES[NFIELDS] = {
    "platform", "post_id", "url",    "author_id", "author_name", "author_location",
    "ip_location", "created_at", "title", "text", "topics", "views", "likes",
    "comments", "shares", "favorites",
};
enum { V_NULL, V_STR, V_INT };
typedef struct {
    int kind;
    const char *s;
    size_t n;
    uint64_t i;
} Val;

#define MAX_TOPICS 10
typedef struct {
    Val f[NFIELDS];
    const char *topic[MAX_TOPICS];
    size_t ntopics;
} Record;

static Val vstr(const char *s, size_t n) { Val v = {V_STR, s, n, 0}; return v; }
static Val vcstr(const char *s) { return vstr(s, strlen(s)); }
static Val vint(uint64_t i) { Val v = {V_INT, NULL, 0, i}; return v; }
static Val vnull(void) { Val v = {V_NULL, NULL, 0, 0}; return v; }

static Val aend(void)
{
    Val v = vstr(arena + arena_beg, arena_n - arena_beg);
    arena_room(0);
    arena[arena_n++] = '\0';
    return v;
}

/* prefix + decimal number, as one arena string */
static Val anum(const char *prefix, uint64_t v)
{
    astart();
    aadds(prefix);
    aaddu(v);
    return aend();
}

static Val acat(const char *a, const Val *b, const char *c)
{
    astart();
    aadds(a);
    aadd(b->s, b->n);
    aadds(c);
    return aend();
}

/* Template context for one post. */
typedef struct {
    const char *um; /* place mention, consumed by the first {U} */
    int um_used;
    const Subject *subj, *subj2;
    const char *venue, *activity, *audience;
    int cq;
} Ctx;

static void expand(SB *sb, const char *t, Ctx *c)
{
    static const char *const WEEK[] = {"一", "二", "三", "四", "五", "六", "日"};
    while (*t) {
        const char *brace = strchr(t, '{');
        if (!brace) {
            sb_put(sb, t);
            return;
        }
        sb_putn(sb, t, (size_t)(brace - t));
        char key = brace[1];
        t = brace + 3; /* "{X}" */
        switch (key) {
        case 'U':
            if (!c->um_used) {
                sb_put(sb, c->um);
                c->um_used = 1;
            }
            break;
        case 'V': sb_put(sb, c->venue); break;
        case 'S': sb_put(sb, c->subj->name); break;
        case 'T': sb_put(sb, c->subj2->name); break;
        case 'K': sb_put(sb, c->subj->skill); break;
        case 'A': sb_put(sb, c->activity); break;
        case 'P': sb_put(sb, c->audience); break;
        case 'F': sb_put(sb, (c->cq && chance(0.2)) ? PICK(FACTS_CQ) : PICK(FACTS)); break;
        case 'N': sb_fmt(sb, "%u", (unsigned)(50 + below(150)) * 10); break;
        case 'M': sb_fmt(sb, "%u", (unsigned)(2 + below(28))); break;
        case 'D': {
            unsigned d = 1 + (unsigned)below(30);
            sb_fmt(sb, "9月%u日（周%s）", d, WEEK[(d - 1) % 7]); /* 2025-09-01 is a Monday */
            break;
        }
        default: break;
        }
    }
}

/* Campaign tag as each platform writes it. */
enum { TAG_STD, TAG_FULLWIDTH, TAG_LOWER, TAG_LOOKALIKE, TAG_NONE };
enum { ST_HASH2, ST_HASH1, ST_XHS };

static const char CAMPAIGN[] = "千万IP创科普";
static const char CAMPAIGN_LOWER[] = "千万ip创科普";
static const char CAMPAIGN_LOOKALIKE[] = "千万IP创科普活动";
static const char CAMPAIGN_FULLWIDTH[] = "＃千万IP创科普＃";

static void render_tags(SB *sb, int style, const char *const *tags, const int *fw, size_t n, int tight)
{
    for (size_t i = 0; i < n; i++) {
        if (i && !tight)
            sb_put(sb, " ");
        if (fw[i]) {
            sb_put(sb, CAMPAIGN_FULLWIDTH);
            continue;
        }
        switch (style) {
        case ST_HASH2: sb_put(sb, "#"); sb_put(sb, tags[i]); sb_put(sb, "#"); break;
        case ST_XHS: sb_put(sb, "#"); sb_put(sb, tags[i]); sb_put(sb, "[话题]#"); break;
        default:
            sb_put(sb, "#");
            sb_put(sb, tags[i]);
            /* "#千万IP创科普#科普中国" is how a tight douyin tag list reads. */
            break;
        }
    }
}

static uint64_t id_key[NPLAT];
static uint64_t plat_n[NPLAT];
static const char B58[] = "fZodR9XQDSUm21yCkr6zBqiveYah8bt4xsWpHnJE7jL5VG3guMTKNPAwcF";
static const char ALNUM[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static void make_ids(Record *r, int plat, uint64_t ts)
{
    uint64_t n = plat_n[plat]++;
    uint64_t key = id_key[plat];
    Val id;
    switch (plat) {
    case P_WEIBO:
        id = anum("", 5206000000000000ULL + permk(n, 46, key));
        r->f[F_URL] = acat("https://m.weibo.cn/detail/", &id, "");
        break;
    case P_BILI: {
        char bv[12];
        uint64_t v = permk(n, 52, key); /* 2^52 < 58^9 */
        memcpy(bv, "BV1", 3);
        for (int k = 11; k >= 3; k--) {
            bv[k] = B58[v % 58];
            v /= 58;
        }
        astart();
        aadd(bv, sizeof bv);
        id = aend();
        r->f[F_URL] = acat("https://www.bilibili.com/video/", &id, "");
        break;
    }
    case P_DOUYIN: /* beyond 2^53: a double would corrupt it */
        id = anum("", 7540000000000000000ULL + permk(n, 56, key));
        r->f[F_URL] = acat("https://www.douyin.com/video/", &id, "");
        break;
    case P_XHS: /* ObjectId-like: creation time, then a unique tail */
        astart();
        aaddhex(ts, 8);
        aaddhex(mix64(n ^ key), 16);
        id = aend();
        r->f[F_URL] = acat("https://www.xiaohongshu.com/explore/", &id, "");
        break;
    case P_KUAISHOU:
        id = anum("", 100000000000000ULL + permk(n, 48, key));
        r->f[F_URL] = acat("https://www.kuaishou.com/short-video/", &id, "");
        break;
    case P_WXCH:
        id = anum("", 14000000000000000000ULL + permk(n, 58, key));
        r->f[F_URL] = acat("https://channels.weixin.qq.com/web/pages/feed?oid=", &id, "");
        break;
    case P_TOUTIAO:
        id = anum("", 7545000000000000000ULL + permk(n, 55, key));
        r->f[F_URL] = acat(chance(0.5) ? "https://www.toutiao.com/video/" : "https://www.toutiao.com/article/", &id, "/");
        break;
    default:
        id = anum("", 1940000000ULL + permk(n, 26, key));
        r->f[F_URL] = acat(chance(0.6) ? "https://www.zhihu.com/zvideo/" : "https://zhuanlan.zhihu.com/p/", &id, "");
        break;
    }
    r->f[F_POST_ID] = id;
}

static Val author_id(const Persona *p, int plat)
{
    uint64_t h = mix64(p->key ^ (0xA5A5A5A5ULL * (uint64_t)(plat + 1)));
    char buf[16];
    switch (plat) {
    case P_WEIBO: return anum("", 1000000000ULL + h % 7000000000ULL);
    case P_BILI: return anum("", 100000ULL + h % 3500000000ULL);
    case P_DOUYIN: return anum("", 10000000000ULL + h % 89999999999ULL);
    case P_TOUTIAO: return anum("", 1000000000000ULL + h % 99000000000000ULL);
    case P_XHS:
        astart();
        aaddhex(h, 16);
        aaddhex(mix64(h) >> 32, 8);
        return aend();
    case P_KUAISHOU:
    case P_WXCH: {
        int nch = plat == P_KUAISHOU ? 13 : 12;
        for (int k = 0; k < nch; k++) {
            buf[k] = ALNUM[h % 36];
            h /= 36;
        }
        astart();
        aadds(plat == P_KUAISHOU ? "3x" : "sph");
        aadd(buf, (size_t)nch);
        return aend();
    }
    default:
        astart();
        aaddhex(h, 16);
        aaddhex(mix64(h), 16);
        return aend();
    }
}

/* Weibo shows big counts rounded ("1.2万", "10万+"); scrapers pass that on. */
static Val count_val(uint64_t v, int plat)
{
    if (plat != P_WEIBO)
        return vint(v);
    double r = urand();
    if (v >= 10000 && r < 0.6) {
        astart();
        if (v >= 1000000) {
            aadds("100万+");
        } else if (v >= 100000) {
            aadds("10万+");
        } else {
            uint64_t tenths = (v + 500) / 1000;
            aaddu(tenths / 10);
            if (tenths % 10) {
                aadds(".");
                aaddu(tenths % 10);
            }
            aadds("万");
        }
        return aend();
    }
    if (v >= 1000 && v < 10000 && r < 0.25) {
        astart();
        aaddu(v / 1000);
        aadds(",");
        aaddu(v / 100 % 10);
        aadd2((unsigned)(v % 100));
        return aend();
    }
    if (v < 1000 && r < 0.09)
        return anum("", v);
    return vint(v);
}

static uint64_t scaled(uint64_t likes, double mu, double sigma)
{
    double x = (double)likes * exp(log(mu) + sigma * gauss());
    return (uint64_t)(x + urand());
}

static void engagement(Record *r, int plat, const Persona *p)
{
    double base = exp(log(45.0) + 1.4 * gauss()) * PLAT_REACH[plat] * p->fame;
    /* A Pareto tail for the rare post that takes off. */
    if (chance(0.005))
        base = 20000.0 * pow(1.0 - urand(), -1.0 / 1.1);
    if (base > 5e6)
        base = 5e6;
    uint64_t likes = (uint64_t)base;
    /* One draw per statement: argument/operand order is unspecified in C
     * and would make gcc and clang builds disagree. */
    uint64_t views = scaled(likes + 3, 30.0, 0.5);
    views += below(200);
    uint64_t comments = scaled(likes, 0.06, 0.7);
    uint64_t shares = scaled(likes, 0.05, 0.9);
    uint64_t favs = scaled(likes, 0.12, 0.8);
    if (views < likes)
        views = likes;
    if (comments > likes + 3)
        comments = likes + below(4);

    r->f[F_VIEWS] = plat == P_WEIBO ? vnull() : count_val(views, plat);
    r->f[F_LIKES] = count_val(likes, plat);
    r->f[F_COMMENTS] = count_val(comments, plat);
    r->f[F_SHARES] = plat == P_BILI ? vnull() : count_val(shares, plat);
    r->f[F_FAVS] = plat == P_WXCH ? vnull() : count_val(favs, plat);
}

static uint64_t created_at(Record *r)
{
    /* 2025-09-01T00:00:00+08:00 */
    const uint64_t T0 = 1756656000ULL;
    unsigned d = 1 + (unsigned)pick_cum(day_cum, 30);
    unsigned h = (unsigned)pick_cum(hour_cum, 24);
    unsigned mi = (unsigned)below(60);
    unsigned se = (unsigned)below(60);
    uint64_t ts = T0 + (uint64_t)(d - 1) * 86400 + h * 3600u + mi * 60u + se;
    double fr = urand();
    if (fr >= 0.90) {
        r->f[F_CREATED] = vint(ts);
        return ts;
    }
    astart();
    aadds("2025-09-");
    aadd2(d);
    aadds(fr < 0.70 ? "T" : " ");
    aadd2(h);
    aadds(":");
    aadd2(mi);
    aadds(":");
    aadd2(se);
    if (fr < 0.70)
        aadds("+08:00");
    r->f[F_CREATED] = aend();
    return ts;
}

static Val ip_location(int plat, const char *prov)
{
    double r = urand();
    double pfx = plat == P_XHS ? 0.5 : plat == P_DOUYIN ? 0.2 : 0.08;
    astart();
    if (r < pfx)
        aadds("IP属地：");
    else if (plat == P_WEIBO && r < 0.4)
        aadds("发布于 ");
    aadds(prov);
    return aend();
}

/* How the post tells where it is from. */
enum { M_TEXT, M_TITLE, M_AUTHOR, M_SHORT, M_GENERIC, M_NONE, M_LANDMARK, M_TWO };

static SB text_sb, title_sb;

static void gen_post(uint64_t idx, Record *r)
{
    arena_n = 0;
    memset(r, 0, sizeof *r);

    int plat = (int)pick_cum(plat_cum, NPLAT);
    /* Every 23rd post cycles through the units with a full-name mention,
     * so even small runs name all 41 of them. */
    int forced = (idx % 23) == 11;
    int outside = !forced && chance(0.05);
    int unit = forced ? (int)((idx / 23) % NUNITS) : outside ? -1 : (int)pick_cum(unit_cum, NUNITS);
    Persona *p = outside ? pick_persona(out_first, out_count) : pick_persona(unit_first[unit], unit_count[unit]);
    int has_title = chance(PLAT_TITLE_P[plat]);

    r->f[F_PLATFORM] = vcstr(PLAT_NAME[plat]);
    uint64_t ts = created_at(r);
    make_ids(r, plat, ts);
    r->f[F_AUTHOR_ID] = author_id(p, plat);
    r->f[F_AUTHOR_NAME] = vcstr(p->name);
    r->f[F_AUTHOR_LOC] = p->loc[0] ? vcstr(p->loc) : vnull();

    /* ip_location: mostly 重庆, some travel, some hidden. */
    double ir = urand();
    if (ir < 0.06)
        r->f[F_IP] = vnull();
    else if (outside)
        r->f[F_IP] = ip_location(plat, OUTSIDE[p->out].prov);
    else if (ir < 0.075)
        r->f[F_IP] = ip_location(plat, PICK(OUTSIDE).prov);
    else
        r->f[F_IP] = ip_location(plat, "重庆");

    /* Where the place shows up. */
    int mode;
    const char *um = "";
    char umbuf[96];
    if (outside) {
        mode = chance(0.7) ? M_TEXT : M_NONE;
        um = mode == M_TEXT ? OUTSIDE[p->out].cityfull : "";
    } else if (forced) {
        mode = M_TEXT;
    } else {
        double mr = urand();
        /* the way people write: mostly a short name or a landmark, the
         * full name less often, sometimes two units, sometimes nothing */
        if (p->attrib)
            mode = mr < 0.35 ? M_TEXT : mr < 0.45 ? M_TITLE : mr < 0.60 ? M_SHORT : mr < 0.70 ? M_LANDMARK : M_AUTHOR;
        else
            mode = mr < 0.20 ? M_TEXT : mr < 0.28 ? M_TITLE : mr < 0.56 ? M_SHORT : mr < 0.74 ? M_LANDMARK
                 : mr < 0.79 ? M_TWO : mr < 0.89 ? M_GENERIC : M_NONE;
    }
    if (mode == M_TITLE && !has_title)
        mode = M_TEXT;
    if (!outside) {
        const Unit *u = &UNITS[unit];
        if (mode == M_TEXT || mode == M_TITLE) {
            snprintf(umbuf, sizeof umbuf, "%s%s", chance(0.2) ? "重庆市" : "", u->full);
            um = umbuf;
        } else if (mode == M_SHORT) {
            um = u->shrt;
        } else if (mode == M_LANDMARK) {
            um = LANDMARKS[unit] ? LANDMARKS[unit] : u->shrt;
        } else if (mode == M_TWO) {
            /* a trip, a joint event: the first named is the post's own */
            int other = (unit + 1 + (int)(urand() * (NUNITS - 1))) % NUNITS;
            snprintf(umbuf, sizeof umbuf, "%s和%s", u->shrt, UNITS[other].shrt);
            um = umbuf;
        } else if (mode == M_GENERIC) {
            um = chance(0.5) ? "重庆" : "重庆市";
        }
    }

    Ctx c;
    memset(&c, 0, sizeof c);
    c.cq = !outside;
    c.subj = &PICK(SUBJECTS);
    do {
        c.subj2 = &PICK(SUBJECTS);
    } while (c.subj2 == c.subj);
    c.venue = PICK(VENUES);
    c.activity = PICK(ACTIVITIES);
    c.audience = PICK(AUDIENCES);

    /* ---- title */
    if (has_title) {
        Ctx tc = c;
        tc.um = (mode == M_TITLE || (mode == M_TEXT && chance(0.4))) ? um : "";
        const char *tpl;
        if (plat == P_ZHIHU && tc.um[0] == '\0') {
            tpl = PICK(TITLES_ZHIHU);
        } else {
            do {
                tpl = PICK(TITLES);
            } while (tc.um[0] && !strstr(tpl, "{U}"));
        }
        title_sb.n = 0;
        title_sb.b[0] = '\0';
        expand(&title_sb, tpl, &tc);
        if (plat == P_XHS && chance(0.4))
            sb_put(&title_sb, PICK(EMOJI));
        r->f[F_TITLE] = vstr(title_sb.b, title_sb.n);
    } else {
        r->f[F_TITLE] = vnull();
    }

    /* ---- tags */
    int style = (plat == P_DOUYIN || plat == P_KUAISHOU || plat == P_WXCH) ? ST_HASH1
              : plat == P_XHS                                             ? ST_XHS
                                                                          : ST_HASH2;
    double tr = urand();
    int tagv = tr < 0.04 ? TAG_LOOKALIKE : tr < 0.08 ? TAG_NONE : tr < 0.12 ? TAG_FULLWIDTH : tr < 0.14 ? TAG_LOWER : TAG_STD;
    const char *tags[MAX_TOPICS];
    int fw[MAX_TOPICS];
    int in_text[MAX_TOPICS];
    size_t ntags = 0;
    if (tagv != TAG_NONE) {
        tags[ntags] = tagv == TAG_LOWER ? CAMPAIGN_LOWER : tagv == TAG_LOOKALIKE ? CAMPAIGN_LOOKALIKE : CAMPAIGN;
        fw[ntags] = tagv == TAG_FULLWIDTH;
        /* bilibili and zhihu carry tags as a list beside the text. */
        in_text[ntags] = fw[ntags] || !((plat == P_BILI && chance(0.85)) || (plat == P_ZHIHU && chance(0.7)));
        ntags++;
    }
    size_t nextra = chance(0.5) ? 0 : chance(0.7) ? 1 : 2;
    char unit_tag[64];
    for (size_t k = 0; k < nextra && ntags < 5; k++) {
        const char *t;
        double x = urand();
        if (x < 0.25)
            t = c.subj->tag;
        else if (!outside && x < 0.45)
            t = "重庆科普";
        else if (!outside && x < 0.55) {
            snprintf(unit_tag, sizeof unit_tag, "科普之光·%s", UNITS[unit].shrt);
            t = unit_tag;
        } else
            t = PICK(OTHER_TAGS);
        int dup = 0;
        for (size_t j = 0; j < ntags; j++)
            if (strcmp(tags[j], t) == 0)
                dup = 1;
        if (dup)
            continue;
        tags[ntags] = t;
        fw[ntags] = 0;
        in_text[ntags] = plat != P_BILI && plat != P_ZHIHU;
        ntags++;
    }
    const char *text_tags[MAX_TOPICS];
    int text_fw[MAX_TOPICS];
    size_t ntext = 0;
    for (size_t k = 0; k < ntags; k++)
        if (in_text[k]) {
            text_tags[ntext] = tags[k];
            text_fw[ntext++] = fw[k];
        }
    int tight = style == ST_HASH2 ? chance(0.5) : chance(0.2);
    int tags_first = ntext && tagv != TAG_NONE && in_text[0] &&
                     ((plat == P_WEIBO && chance(0.45)) || (style == ST_HASH1 && chance(0.1)));

    /* ---- text */
    SB *t = &text_sb;
    t->n = 0;
    t->b[0] = '\0';
    c.um = (mode == M_TEXT || mode == M_SHORT || mode == M_GENERIC || mode == M_LANDMARK || mode == M_TWO || outside)
               ? um
               : "";
    c.um_used = 0;
    int nl = plat == P_XHS ? chance(0.7) : chance(0.2);
    const char *sep = nl ? "\n" : "";
    if (tags_first) {
        /* Lead tag only: "#千万IP创科普# 今天……" / "#千万IP创科普 今天……" */
        render_tags(t, style, text_tags, text_fw, 1, 0);
        sb_put(t, " ");
    }
    if (plat == P_WEIBO && has_title == 0 && chance(0.3)) {
        Ctx wc = c;
        sb_put(t, "【");
        expand(t, PICK(TITLES), &wc);
        sb_put(t, "】");
        c.um_used = wc.um_used;
    }
    const char *opener;
    do {
        opener = PICK(OPENERS);
        /* "在，孩子们……" reads broken when there is no place to name. */
    } while ((c.um[0] == '\0' || c.um_used) && strstr(opener, "在{U}，"));
    expand(t, opener, &c);
    if (chance(0.3))
        sb_put(t, PICK(EMOJI));

    /* The trailing tag block is rendered first so the body knows how much
     * it must supply for the 40-character minimum. */
    static SB tail;
    tail.n = 0;
    tail.b[0] = '\0';
    size_t nrest = tags_first ? ntext - 1 : ntext;
    if (nrest) {
        sb_put(&tail, nl ? "\n" : " ");
        render_tags(&tail, style, text_tags + (ntext - nrest), text_fw + (ntext - nrest), nrest, tight);
        if (style == ST_HASH1 && chance(0.3))
            sb_put(&tail, " ");
    }
    size_t tail_chars = u8len(tail.b, tail.n);

    /* Body length is log-normal: mostly short captions, a few essays. */
    double target = exp(log(24.0) + 0.6 * gauss());
    if (target > 330)
        target = 330;
    uint64_t used = 0;
    size_t guard = 0;
    size_t tchars = u8len(t->b, t->n);
    while ((tchars < (size_t)target || tchars + tail_chars < 40) && guard++ < 60) {
        size_t nb = NELEM(BODIES) + (outside ? 0 : NELEM(BODIES_CQ));
        size_t k = below(nb);
        if (used & (1ULL << k))
            continue;
        used |= 1ULL << k;
        SB tmp;
        tmp.n = 0;
        tmp.b[0] = '\0';
        expand(&tmp, k < NELEM(BODIES) ? BODIES[k] : BODIES_CQ[k - NELEM(BODIES)], &c);
        size_t add = u8len(tmp.b, tmp.n);
        if (tchars + add + 1 + tail_chars > 400)
            break;
        sb_put(t, sep);
        sb_putn(t, tmp.b, tmp.n);
        tchars += add + (sep[0] != '\0');
        if (chance(0.12)) {
            sb_put(t, PICK(EMOJI));
            tchars++;
        }
    }
    /* Optional extras go in only while the whole text stays within 400
     * characters, so nothing (a URL, a tag) ever has to be cut in half. */
    static SB extra;
    tchars = u8len(t->b, t->n);
    for (int step = 0; step < 4; step++) {
        extra.n = 0;
        extra.b[0] = '\0';
        switch (step) {
        case 0:
            if (!outside && mode == M_TEXT && chance(0.02)) {
                /* A second unit named in passing: attribution must pick one. */
                int u2 = (int)below(NUNITS);
                if (u2 != unit)
                    sb_fmt(&extra, "%s活动还得到了%s科协的大力支持。", sep, UNITS[u2].full);
            }
            break;
        case 1:
            if (chance(0.05)) {
                sb_put(&extra, sep);
                sb_put(&extra, PICK(ODDITIES));
            }
            break;
        case 2:
            if (chance(0.07)) {
                static const char *const lead[] = {" 详情👉", " 报名链接：", "\n原文：", " 戳→"};
                sb_put(&extra, PICK(lead));
                if (chance(0.4)) {
                    sb_put(&extra, "https://example.cn/a?b=1#frag");
                } else {
                    unsigned page = (unsigned)below(100000);
                    unsigned ref = (unsigned)below(1000);
                    sb_fmt(&extra, "https://example.cn/kepu/2025/%u.html?from=%s&id=%u#top", page,
                           PLAT_NAME[plat], ref);
                }
            }
            break;
        default:
            if (chance(0.35)) {
                sb_put(&extra, sep);
                sb_put(&extra, PICK(CLOSERS));
            }
            break;
        }
        size_t ec = u8len(extra.b, extra.n);
        if (ec && tchars + ec + tail_chars <= 400) {
            sb_putn(t, extra.b, extra.n);
            tchars += ec;
        }
    }
    sb_putn(t, tail.b, tail.n);
    /* Safety net for the 40..400 character contract; not reached in
     * practice, the body loop and the extras budget already keep to it. */
    while ((tchars = u8len(t->b, t->n)) < 40)
        sb_put(t, PICK(CLOSERS));
    if (tchars > 400) {
        size_t chars = 0, i = 0;
        for (; i < t->n; i++) {
            if (((unsigned char)t->b[i] & 0xC0) != 0x80 && ++chars > 400)
                break;
        }
        t->n = i;
        t->b[i] = '\0';
    }
    r->f[F_TEXT] = vstr(t->b, t->n);

    /* ---- topics: what the platform parsed out as tags */
    for (size_t k = 0; k < ntags; k++) {
        if (fw[k])
            continue; /* platforms do not parse the full-width form */
        if (plat == P_TOUTIAO && chance(0.5))
            continue;
        r->topic[r->ntopics++] = tags[k];
    }
    if (plat == P_BILI) {
        size_t nb = 1 + below(3);
        size_t off = below(NELEM(BILI_TAGS));
        for (size_t k = 0; k < nb && r->ntopics < MAX_TOPICS; k++)
            r->topic[r->ntopics++] = BILI_TAGS[(off + k) % NELEM(BILI_TAGS)];
        if (!outside && chance(0.4) && r->ntopics < MAX_TOPICS)
            r->topic[r->ntopics++] = "重庆";
    } else if (plat == P_ZHIHU && r->ntopics < MAX_TOPICS) {
        r->topic[r->ntopics++] = "科普";
    }
    r->f[F_TOPICS].kind = V_STR;

    engagement(r, plat, p);
}

/* -------------------------------------------------------------- emitters */
/* '{"platform":' / ',"post_id":' ... built once, written with known length. */
static char json_key[NFIELDS][24];
static size_t json_key_n[NFIELDS];

static void build_json_keys(void)
{
    for (int k = 0; k < NFIELDS; k++) {
        int n = snprintf(json_key[k], sizeof json_key[k], "%s\"%s\":", k ? "," : "{", FIELD_NAMES[k]);
        json_key_n[k] = (size_t)n;
    }
}

static void emit_json(const Record *r)
{
    for (int k = 0; k < NFIELDS; k++) {
        oput(json_key[k], json_key_n[k]);
        if (k == F_TOPICS) {
            oputs("[");
            for (size_t j = 0; j < r->ntopics; j++) {
                if (j)
                    oput(",", 1);
                ojson_str(r->topic[j], strlen(r->topic[j]));
            }
            oput("]", 1);
            continue;
        }
        const Val *v = &r->f[k];
        if (v->kind == V_NULL)
            oput("null", 4);
        else if (v->kind == V_INT)
            oputu(v->i);
        else
            ojson_str(v->s, v->n);
    }
    oput("}\n", 2);
}

static void emit_csv_header(void)
{
    oputs("\xEF\xBB\xBF");
    for (int k = 0; k < NFIELDS; k++) {
        if (k)
            oputs(",");
        oputs(FIELD_NAMES[k]);
    }
    oputs("\r\n");
}

static void emit_csv(const Record *r)
{
    for (int k = 0; k < NFIELDS; k++) {
        if (k)
            oputs(",");
        if (k == F_TOPICS) {
            char buf[512];
            size_t n = 0;
            for (size_t j = 0; j < r->ntopics; j++) {
                size_t l = strlen(r->topic[j]);
                if (n + l + 4 >= sizeof buf)
                    break;
                if (j) {
                    memcpy(buf + n, "、", 3);
                    n += 3;
                }
                memcpy(buf + n, r->topic[j], l);
                n += l;
            }
            ocsv_str(buf, n);
            continue;
        }
        const Val *v = &r->f[k];
        if (v->kind == V_INT)
            oputu(v->i);
        else if (v->kind == V_STR)
            ocsv_str(v->s, v->n);
    }
    oputs("\r\n");
}

/* ----------------------------------------------------------------- main */
static void usage(FILE *f)
{
    fputs("usage: kepu-gen [--seed N] [--count N] [--format ndjson|csv]\n"
          "Writes realistic demo posts for #千万IP创科普# to stdout.\n"
          "  --seed N      PRNG seed (default 1); same seed and count give identical output\n"
          "  --count N     number of posts (default 3000)\n"
          "  --format F    ndjson (default) or csv (UTF-8 with BOM, CRLF rows)\n"
          "  --help        show this help\n",
          f);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return 0;
    *out = v;
    return 1;
}

static void build_tables(void)
{
    double acc = 0;
    for (int i = 0; i < NPLAT; i++)
        plat_cum[i] = acc += PLAT_W[i];
    acc = 0;
    for (int i = 0; i < NUNITS; i++)
        unit_cum[i] = acc += UNITS[i].w;
    /* The campaign launched on 1 September: the first week is busiest,
     * weekends (Sat/Sun; the 1st is a Monday) busier than weekdays, and the
     * third weekend is 全国科普日. */
    acc = 0;
    for (int d = 1; d <= 30; d++) {
        double w = 1.0;
        if (d <= 7)
            w *= 2.4;
        if ((d - 1) % 7 >= 5)
            w *= 1.6;
        if (d >= 19 && d <= 21)
            w *= 1.3;
        day_cum[d - 1] = acc += w;
    }
    static const double HOUR_W[24] = {0.15, 0.08, 0.05, 0.03, 0.03, 0.05, 0.2, 0.6, 1.0, 1.3, 1.5, 1.4,
                                      1.2,  1.0,  1.2,  1.3,  1.3,  1.2,  1.3, 1.6, 1.8, 1.7, 1.3, 0.8};
    acc = 0;
    for (int h = 0; h < 24; h++)
        hour_cum[h] = acc += HOUR_W[h];
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, count = 3000;
    int csv = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        char name[32];
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name) {
            usage(stderr);
            return 2;
        }
        memcpy(name, a, nl);
        name[nl] = '\0';
        if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(name, "--seed") && strcmp(name, "--count") && strcmp(name, "--format")) {
            fprintf(stderr, "kepu-gen: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        int ok;
        if (strcmp(name, "--seed") == 0)
            ok = parse_u64(val, UINT64_MAX, &seed);
        else if (strcmp(name, "--count") == 0)
            ok = parse_u64(val, 50000000ULL, &count); /* keeps every id space collision-free */
        else {
            ok = val && (strcmp(val, "ndjson") == 0 || strcmp(val, "csv") == 0);
            if (ok)
                csv = strcmp(val, "csv") == 0;
        }
        if (!ok) {
            fprintf(stderr, "kepu-gen: bad value for %s\n", name);
            usage(stderr);
            return 2;
        }
    }

    uint64_t sm = seed;
    for (int k = 0; k < 4; k++)
        rng_s[k] = splitmix64(&sm);
    for (int k = 0; k < NPLAT; k++)
        id_key[k] = splitmix64(&sm);
    build_tables();
    build_json_keys();
    build_personas();

    static Record rec;
    if (csv)
        emit_csv_header();
    for (uint64_t i = 0; i < count; i++) {
        gen_post(i, &rec);
        if (csv)
            emit_csv(&rec);
        else
            emit_json(&rec);
    }
    oflush();
    if (fflush(stdout) != 0) {
        perror("kepu-gen: write");
        return 1;
    }
    return 0;
}
