/*
 * showcase.c: the "科普之光" showcase, the page the public sees of the
 * campaign (README "Showcase").  `kepu showcase -o DIR` and the web
 * workspace's 发布 write DIR/index.html, DIR/showcase.csv and
 * DIR/showcase.json (and its icon, favicon.svg) from the featured works (featured.c's FEATURED_SHOWCASE
 * list); the covers in DIR/covers/ are the caller's (collector/covers.c).
 *
 * The page is for people, not for analysts: a title worth reading (the
 * editor's, the post's own, or its text without hashtags and mentions cut
 * at a sentence end), 927.5万-style counts of what the platform reports,
 * dates as 9月4日, no engagement index; the config's words around the
 * works (showcase.title, intro, organizer, footer); a jump bar of the units
 * with works; og: tags for a shared link.  No script at all; the page
 * loads nothing but its own covers (img-src 'self'), its one style block
 * allowed by hash.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../matchers/district.h"
#include "../matchers/flags.h"
#include "../model/platform.h"
#include "../store/store.h"
#include "../util/afile.h"
#include "../util/buf.h"
#include "../util/human.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "escape.h"
#include "json_fields.h"
#include "out.h"
#include "report.h"

/* ---- titles ---- */

#define TITLE_MAX 36 /* characters on a card: two lines at phone width */
#define TITLE_MIN 6  /* a sentence shorter than this is no title: read on */

static size_t chars_in(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Is the code point at s one of the spaces people type between words? */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	if (!strncmp(s, "\xe3\x80\x80", 3)) /* U+3000 ideographic space */
		return 3;
	if (!strncmp(s, "\xc2\xa0", 2))
		return 2;
	return 0;
}

static size_t hash_at(const char *s)
{
	return *s == '#' ? 1 : !strncmp(s, "\xef\xbc\x83", 3) ? 3 : 0; /* '#' or full-width '＃' */
}

/* Where a mention's name ends: at a space, punctuation or another @. */
static const char *mention_end(const char *s)
{
	static const char *const stops[] = {"：", "，", "。", "！", "？", "、", "；", "）", "（", "【", "】", "“", "”",
					   NULL};

	while (*s && !space_at(s) && !strchr(":,.!?;()[]@#/", *s)) {
		size_t k = 0;
		while (stops[k] && strncmp(s, stops[k], strlen(stops[k])))
			k++;
		if (stops[k])
			break;
		s++;
	}
	return s;
}

/* The length of a hashtag at s: Weibo's #话题# (no space inside) or
 * Douyin's and Bilibili's #话题 up to a space or the next #, at most 60
 * characters; 0 when s is no hashtag.  *close: the length of its closing
 * mark ('#' or '＃'), 0 without one. */
static size_t hashtag_at(const char *s, size_t *close)
{
	size_t h = hash_at(s), n = h, chars = 0;

	*close = 0;
	if (!h)
		return 0;
	while (s[n] && !space_at(s + n) && !hash_at(s + n) && chars < 60) {
		n++;
		while (((unsigned char)s[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	if (n == h)
		return 0;
	*close = hash_at(s + n);
	return n + *close;
}

/* A Weibo emoticon code: [doge], [赞], at most 8 characters inside. */
static size_t emoticon_at(const char *s)
{
	size_t chars = 0, n = 1;

	if (*s != '[')
		return 0;
	while (s[n] && s[n] != ']' && !space_at(s + n) && s[n] != '[') {
		if (s[n] >= '0' && s[n] <= '9')
			return 0; /* [图1]: a picture's label, not an emoticon */
		chars += ((unsigned char)s[n] & 0xC0) != 0x80;
		n++;
	}
	return s[n] == ']' && chars >= 1 && chars <= 8 ? n + 1 : 0;
}

/* Is the character before s (in [start, s)) and the one at s a CJK
 * character or full-width punctuation (U+2E80 on)? */
static int cjk_at(const char *s)
{
	uint32_t cp;
	return (unsigned char)*s >= 0xE2 && utf8_decode((const unsigned char *)s, &cp) > 0 && cp >= 0x2E80;
}

static int cjk_before(const char *start, const char *s)
{
	const char *p = s;

	if (p == start)
		return 0;
	do
		p--;
	while (p > start && ((unsigned char)*p & 0xC0) == 0x80);
	return cjk_at(p);
}

/* The length of a character that must not reach a title: a control
 * character (C0, DEL, C1) or a bidirectional control (U+202A..U+202E,
 * U+2066..U+2069: they turn the text around it); 0 for any other. */
static size_t invisible_at(const char *s)
{
	uint32_t cp;
	int n;

	if (((unsigned char)*s < 0x20 && !strchr("\n\r\t", *s)) || *s == 0x7F)
		return 1; /* line breaks and tabs are spaces (space_at) */
	/* the text is copied a byte at a time: only a lead byte starts one */
	if ((unsigned char)*s < 0xC2 || (n = utf8_decode((const unsigned char *)s, &cp)) <= 0)
		return 0;
	return (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
		       ? (size_t)n
		       : 0;
}

/*
 * s as a reader sees the words: hashtags, mentions, links, emoticon codes,
 * a repost's "//@…" chain, Weibo's "…全文", control characters and
 * bidirectional controls gone (an e-mail address and a picture's label
 * such as [图1] stay); runs of spaces one
 * space.  A break stays a break ("\n"): a line break, a hashtag between
 * words (Douyin's "标题 #话题 正文"), a space between two Chinese phrases
 * (the way people separate a title from the text).  A Weibo topic inside a
 * sentence ("在#重庆科技馆#看展") keeps its words.
 */
static int clean_text(const char *s, struct kbuf *b, struct kerr *e)
{
	const char *start = s;
	int space = 0, brk = 0;

	kbuf_reset(b);
	while (*s) {
		size_t n, close;
		if (!strncmp(s, "//@", 3) || !strcmp(s, "...全文") || !strcmp(s, "…全文"))
			break;
		if ((n = hashtag_at(s, &close))) {
			size_t h = hash_at(s);
			if (close && n > h + close && cjk_before(start, s) && s[n] && !space_at(s + n) &&
			    !hash_at(s + n) && b->len) {
				/* a topic inside a sentence: its words are the sentence's */
				if (kbuf_add(b, s + h, n - h - close, e) < 0)
					return -1;
				s += n;
				space = brk = 0;
				continue;
			}
			s += n;
			brk = 1;
			continue;
		}
		if ((n = emoticon_at(s))) {
			s += n;
			space = 1;
			continue;
		}
		if ((n = invisible_at(s))) {
			s += n;
			continue;
		}
		/* @ or full-width ＠; after a Latin letter or digit it is an address */
		if ((*s == '@' && !(s > start && isalnum((unsigned char)s[-1]))) || !strncmp(s, "\xef\xbc\xa0", 3)) {
			const char *end = mention_end(s + (*s == '@' ? 1 : 3));
			if (end > s + 1) {
				s = end;
				if (*s == ':' || !strncmp(s, "：", 3))
					s += *s == ':' ? 1 : 3;
				space = 1;
				continue;
			}
		}
		if (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8)) {
			while (*s && !space_at(s) && (unsigned char)*s < 0x80)
				s++;
			space = 1;
			continue;
		}
		if ((n = space_at(s))) {
			if (*s == '\n' || *s == '\r' || (cjk_before(start, s) && s[n] && cjk_at(s + n)))
				brk = 1;
			space = 1;
			s += n;
			continue;
		}
		if ((space || brk) && b->len && kbuf_adds(b, brk ? "\n" : " ", e) < 0)
			return -1;
		space = brk = 0;
		if (kbuf_add(b, s, 1, e) < 0)
			return -1;
		s++;
	}
	return 0;
}

/* Weibo's way of giving a post a title: 【标题】 at its start.  The
 * bracket's words, or NULL. */
static char *bracket_title(const char *s)
{
	const char *end;

	if (strncmp(s, "【", 3) || !(end = strstr(s + 3, "】")) || chars_in(s + 3, (size_t)(end - s - 3)) < TITLE_MIN)
		return NULL; /* 【江津】 is a tag, not a title */
	return strndup(s + 3, (size_t)(end - s - 3));
}


/* Is s at a sentence's end (its length in n)?  A line break is one. */
static size_t sentence_end_at(const char *s, int *keep)
{
	static const struct {
		const char *p;
		int keep; /* the mark stays in the title */
	} ends[] = {{"。", 0}, {"！", 1}, {"？", 1}, {"!", 1}, {"?", 1}, {"；", 0}, {";", 0}, {"\n", 0}, {"……", 0},
		    {"…", 0}};

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (!strncmp(s, ends[i].p, strlen(ends[i].p))) {
			*keep = ends[i].keep;
			return strlen(ends[i].p);
		}
	return 0;
}

static int clause_at(const char *s)
{
	return !strncmp(s, "，", 3) || !strncmp(s, "、", 3) || !strncmp(s, "：", 3) || *s == ',' || *s == ':';
}

/* s[0..len) and, when more was cut, "…" */
static char *title_part(const char *s, size_t len, int ellipsis)
{
	char *t;

	while (len && s[len - 1] == ' ')
		len--;
	if (!(t = malloc(len + 4)))
		return NULL;
	memcpy(t, s, len);
	memcpy(t + len, ellipsis ? "…" : "", ellipsis ? 4 : 1);
	for (char *p = t; (p = strchr(p, '\n'));) /* a break kept inside a title reads as a space */
		*p = ' ';
	return t;
}

/* The title of s (cleaned): up to its first sentence end that leaves at
 * least TITLE_MIN characters (its ！ or ？ kept, its 。 dropped), within
 * TITLE_MAX characters; without one, all of it when it fits, else up to
 * the last comma with "…", else TITLE_MAX - 1 characters and "…".  Never
 * more than TITLE_MAX characters. */
/* Is the character at p a digit, ASCII or full-width, or the X an ID
 * number ends with? */
static int digit_at(const char *p)
{
	return (*p >= '0' && *p <= '9') || *p == 'X' || *p == 'x' ||
	       (!strncmp(p, "\xef\xbc", 2) && (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99);
}

static char *cut_title(const char *s)
{
	const char *p = s, *clause = NULL, *hard = NULL, *run = NULL;
	size_t chars = 0;

	while (*p) {
		int keep = 0;
		size_t n = sentence_end_at(p, &keep);
		if (n && chars >= TITLE_MIN && (chars < TITLE_MAX || !keep))
			return title_part(s, (size_t)(p - s) + (keep ? n : 0), 0);
		if (chars == TITLE_MAX)
			break;
		if (chars >= TITLE_MIN && clause_at(p))
			clause = p;
		run = digit_at(p) ? (run ? run : p) : NULL; /* where the digits at p began */
		if (chars == TITLE_MAX - 1)
			/* never inside a number: a phone number cut short would no
			 * longer be seen, and masked, as one */
			hard = run && run > s && run < p ? run : p;
		p += n ? n : 1;
		while ((*p & 0xC0) == 0x80)
			p++;
		chars++;
	}
	if (!*p) /* it all fits: drop a closing 。 */
		return title_part(s, strlen(s) - (chars > 1 && strlen(s) >= 3 && !strcmp(s + strlen(s) - 3, "。") ? 3 : 0),
				  0);
	return title_part(s, (size_t)((clause ? clause : hard) - s), 1);
}

char *showcase_title_of(const char *title, const char *text)
{
	struct kbuf b;
	struct kerr e;
	char *out = NULL;

	kbuf_init(&b, 1 << 20);
	kerr_clear(&e);
	for (int i = 0; i < 2 && !out; i++) {
		const char *src = i ? text : title;
		char *dec;
		if (!src || !*src || !(dec = strdup(src)))
			continue;
		work_decode_entities(dec);
		if (clean_text(dec, &b, &e) == 0 && b.len && kbuf_addc(&b, '\0', &e) == 0) {
			char *br = bracket_title(b.data);
			out = cut_title(br ? br : b.data);
			free(br);
		}
		free(dec);
	}
	kbuf_release(&b);
	return out ? out : strdup("（无标题）");
}

/* ---- the model ---- */

struct texts {
	char *title, *text, *cover_url;
	struct kerr *e;
};

static int read_texts(void *ctx, const struct post *p, struct kerr *e)
{
	struct texts *t = ctx;

	(void)e;
	t->title = p->title ? strdup(p->title) : NULL;
	t->text = p->text ? strdup(p->text) : NULL;
	t->cover_url = p->cover_url && *p->cover_url ? strdup(p->cover_url) : NULL;
	if ((p->title && !t->title) || (p->text && !t->text) || (p->cover_url && *p->cover_url && !t->cover_url))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	return 0;
}

int showcase_build(struct showcase *s, struct store *st, const struct gazetteer *g, const struct featured_opts *o,
		   const struct showcase_words *words, struct kerr *e)
{
	struct flags_scratch *fs = NULL;

	memset(s, 0, sizeof(*s));
	if (words)
		s->words = *words;
	if (featured_build(&s->f, st, g, o, e) < 0)
		return -1;
	if (o->mask && !(fs = flags_scratch_new(o->mask)))
		goto nomem;
	if (s->f.n && !(s->works = calloc(s->f.n, sizeof(*s->works))))
		goto nomem;
	for (size_t i = 0; i < s->f.n; i++) {
		struct showcase_work *w = &s->works[i];
		struct texts t = {NULL, NULL, NULL, e};
		w->w = &s->f.works[i];
		if (store_get_post(st, w->w->platform, w->w->post_id, read_texts, &t, e) < 0) {
			free(t.title);
			free(t.text);
			free(t.cover_url);
			goto fail;
		}
		w->cover_url = t.cover_url;
		if (w->w->editor_title)
			w->title = strdup(w->w->editor_title); /* masked by featured_build */
		else
			w->title = showcase_title_of(t.title, t.text);
		free(t.title);
		free(t.text);
		if (!w->title)
			goto nomem;
		/* a title is never cut inside a run of digits (cut_title), so a
		 * phone or ID number in it is whole and masked here */
		if (!w->w->editor_title && work_mask(&w->title, o->mask, fs, e) < 0)
			goto fail;
	}
	flags_scratch_free(fs);
	return 0;
nomem:
	kerr_set(e, KERR_NOMEM, "out of memory");
fail:
	flags_scratch_free(fs);
	showcase_release(s);
	return -1;
}

void showcase_release(struct showcase *s)
{
	for (size_t i = 0; s->works && i < s->f.n; i++) {
		free(s->works[i].title);
		free(s->works[i].cover_url);
		free(s->works[i].cover);
		free(s->works[i].cover_src);
	}
	free(s->works);
	featured_release(&s->f);
	memset(s, 0, sizeof(*s));
}

/* ---- the page ---- */

#define DEFAULT_TITLE "“科普之光”优秀科普作品展示"
#define DEFAULT_FOOTER "作品版权归原作者所有，点击作品可查看原文。"

static const char CSS[] =
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.65 -apple-system,'PingFang SC','Hiragino Sans GB','Microsoft YaHei',"
	"'Noto Sans CJK SC',sans-serif;color:#1d2733;background:#f3f5f8;-webkit-text-size-adjust:100%}\n"
	".wrap{max-width:1200px;margin:0 auto;padding:0 16px}\n"
	".hero{background:#0b4f8a linear-gradient(135deg,#0b4f8a,#0d3b66);color:#fff;padding:32px 0 26px}\n"
	".kicker{margin:0 0 4px;font-size:14px;letter-spacing:.08em;color:#d7e6f5}\n"
	".hero h1{margin:0 0 12px;font-size:28px;line-height:1.3}\n"
	".intro p{margin:0 0 8px;max-width:46em}\n"
	".facts{margin:12px 0 0;font-size:14px;color:#e3eef9}.facts b{color:#fff;font-size:17px}\n"
	".org{margin:6px 0 0;font-size:14px;color:#e3eef9}\n"
	".jump{background:#fff;border-bottom:1px solid #dde3ea}\n"
	".jump .wrap{display:flex;flex-wrap:wrap;gap:4px 6px;padding-top:6px;padding-bottom:6px}\n"
	".jump a{display:inline-flex;align-items:center;flex:none;min-height:44px;padding:0 12px;border-radius:22px;"
	"color:#0b4f8a;text-decoration:none;font-size:15px;white-space:nowrap}\n"
	".jump a:hover,.jump a:focus{background:#e8f0f8}.jump small{margin-left:4px;color:#4d5b69}\n"
	/* the units side by side where there is room: most have a work or two */
	"main{padding:8px 16px 40px;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,540px),1fr));"
	"column-gap:32px;align-items:start}\n"
	"section{scroll-margin-top:12px;min-width:0}\n"
	".top{float:right;display:inline-flex;align-items:center;min-height:44px;min-width:44px;padding:0 8px;"
	"font-size:14px;font-weight:normal;color:#0b4f8a;text-decoration:none}\n"
	/* a phone: the bar one row that scrolls sideways, kept at the top */
	"@media (max-width:720px){.jump{position:sticky;top:0;z-index:2}"
	".jump .wrap{flex-wrap:nowrap;overflow-x:auto;scrollbar-width:none}"
	"section{scroll-margin-top:64px}.top{display:none}}\n"
	"h2{font-size:21px;margin:28px 0 14px;padding-left:10px;border-left:4px solid #0b4f8a}\n"
	"h2 small{font-size:14px;font-weight:normal;color:#4d5b69;margin-left:6px}\n"
	".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px}\n"
	".card{background:#fff;border-radius:10px;overflow:hidden;box-shadow:0 1px 3px rgba(16,24,40,.12);"
	"display:flex;flex-direction:column;margin:0}\n"
	".cover{display:block;aspect-ratio:4/3;background:#e6ebf1;overflow:hidden}\n"
	".cover img{width:100%;height:100%;object-fit:cover;display:block}\n"
	".ph{display:flex;align-items:center;justify-content:center;color:#fff;font-size:22px;"
	"letter-spacing:.1em;text-decoration:none}\n"
	".ph-weibo{background:#b3261e}.ph-bilibili{background:#a8325e}.ph-douyin{background:#161823}"
	".ph-other{background:#3d5066}\n"
	".body{padding:12px 14px 14px;display:flex;flex-direction:column;gap:6px;flex:1}\n"
	".card h3{margin:0;font-size:17px;line-height:1.45}\n"
	".card h3 a{display:block;min-height:44px;color:#12263a;text-decoration:none;word-break:break-word}\n"
	".card h3 a:hover,.card h3 a:focus{color:#0b4f8a;text-decoration:underline}\n"
	".meta{margin:0;color:#4d5b69;font-size:14px}\n"
	".stats{margin:0;font-size:14px;color:#33414e;display:flex;flex-wrap:wrap;gap:2px 12px}\n"
	".stats b{font-weight:600;color:#12263a}\n"
	".caption{margin:4px 0 0;padding:8px 10px;background:#f1f6fb;border-left:3px solid #3a78b5;font-size:15px;"
	"color:#1d2733}\n"
	"footer{color:#4d5b69;font-size:14px;padding:24px 16px 36px;border-top:1px solid #dde3ea;background:#fff}\n"
	"footer p{margin:0 0 6px}\n"
	"@media (max-width:520px){.hero h1{font-size:23px}.grid{grid-template-columns:1fr}}\n"
	"@media print{.jump{display:none}.hero{background:#fff;color:#000}.card{break-inside:avoid;box-shadow:none;"
	"border:1px solid #ccc}}\n";

/* The Content-Security-Policy's hash of the style block. */
static void style_hash(char out[64])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, (const unsigned char *)CSS, sizeof(CSS) - 1);
	sodium_bin2base64(out, 64, md, sizeof(md), sodium_base64_VARIANT_ORIGINAL);
}

static const char *page_title(const struct showcase *s)
{
	return s->words.title ? s->words.title : DEFAULT_TITLE;
}

/* A line for og:description and <meta name="description">: the intro's
 * first line that has words, at most 100 characters, tabs as spaces; or
 * the figures. */
static void description(const struct showcase *s, size_t units, char *buf, size_t cap)
{
	const char *p = s->words.intro;
	size_t n = 0, chars = 0;

	while (p && (*p == '\n' || *p == ' ' || *p == '\t'))
		p++;
	if (!p || !*p) {
		snprintf(buf, cap, "%s：来自 %zu 个区县的 %zu 件入选科普作品。", s->f.campaign, units, s->f.n);
		return;
	}
	/* the config checked the intro: valid UTF-8, no control but \n and \t */
	while (p[n] && p[n] != '\n' && n + 4 < cap && chars < 100) {
		size_t k = 1;
		while (((unsigned char)p[n + k] & 0xC0) == 0x80)
			k++;
		if (n + k + 1 > cap)
			break;
		for (size_t j = 0; j < k; j++)
			buf[n + j] = p[n + j] == '\t' ? ' ' : p[n + j];
		n += k;
		chars++;
	}
	buf[n] = '\0';
}

/* The img src of work w: the caller's, or covers/NAME; NULL for none. */
static int cover_src(struct out *o, const struct showcase_work *w)
{
	if (w->cover_src) {
		out_html(o, w->cover_src);
		return 1;
	}
	if (!w->cover)
		return 0;
	out_put(o, "covers/");
	out_html(o, w->cover);
	return 1;
}

static const struct showcase_work *first_cover(const struct showcase *s)
{
	for (size_t i = 0; i < s->f.n; i++)
		if (s->works[i].cover)
			return &s->works[i];
	return NULL;
}

static void head(struct out *o, const struct showcase *s, size_t units)
{
	char hash[64], desc[512];
	const struct showcase_work *og = first_cover(s);

	style_hash(hash);
	description(s, units, desc, sizeof(desc));
	out_put(o, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	out_putf(o, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; "
		    "style-src 'sha256-%s'; base-uri 'none'; form-action 'none'\">\n",
		 hash);
	out_put(o, "<meta name=\"referrer\" content=\"no-referrer\">\n"
		   "<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">\n<title>");
	out_html(o, page_title(s));
	out_put(o, "</title>\n<meta name=\"description\" content=\"");
	out_html(o, desc);
	out_put(o, "\">\n<meta property=\"og:type\" content=\"website\">\n<meta property=\"og:locale\" content=\"zh_CN\">\n"
		   "<meta property=\"og:title\" content=\"");
	out_html(o, page_title(s));
	out_put(o, "\">\n<meta property=\"og:description\" content=\"");
	out_html(o, desc);
	out_put(o, "\">\n");
	if (s->words.base_url) {
		out_put(o, "<meta property=\"og:url\" content=\"");
		out_html(o, s->words.base_url);
		out_put(o, "/\">\n");
	}
	if (og && !og->cover_src) {
		out_put(o, "<meta property=\"og:image\" content=\"");
		if (s->words.base_url) {
			out_html(o, s->words.base_url);
			out_put(o, "/");
		}
		cover_src(o, og);
		out_put(o, "\">\n<meta property=\"og:image:alt\" content=\"");
		out_html(o, og->title);
		out_put(o, "\">\n");
	}
	out_put(o, "<style>");
	out_put(o, CSS);
	out_put(o, "</style>\n</head>\n<body>\n");
}

/* A unit's anchor: u-CODE (codes are [0-9a-z-]), u-other without one. */
static void anchor(struct out *o, const struct featured_work *w)
{
	out_put(o, "u-");
	out_html(o, w->unit ? w->unit->code : "other");
}

static const char *unit_name(const struct featured_work *w)
{
	return w->unit ? w->unit->name : "其他";
}

/* The words above the works: kicker, title, intro, organiser, figures. */
static void hero(struct out *o, const struct showcase *s, size_t units)
{
	char upd[HUMAN_SIZE];

	human_date_long(s->f.generated_at, upd);
	out_put(o, "<header class=\"hero\"><div class=\"wrap\">\n<p class=\"kicker\">");
	out_html(o, s->f.campaign);
	out_put(o, "</p>\n<h1>");
	out_html(o, page_title(s));
	out_put(o, "</h1>\n");
	if (s->words.intro) {
		const char *p = s->words.intro;
		out_put(o, "<div class=\"intro\">");
		while (*p) {
			size_t n = strcspn(p, "\n");
			if (n) {
				char *para = strndup(p, n);
				out_put(o, "<p>");
				out_html(o, para ? para : "");
				out_put(o, "</p>");
				free(para);
			}
			p += n + (p[n] == '\n');
		}
		out_put(o, "</div>\n");
	}
	out_putf(o, "<p class=\"facts\">入选作品 <b>%zu</b> 件 · 来自 <b>%zu</b> 个区县 · 更新于 %s</p>\n", s->f.n, units,
		 upd);
	if (s->words.organizer) {
		out_put(o, "<p class=\"org\">主办单位：");
		out_html(o, s->words.organizer);
		out_put(o, "</p>\n");
	}
	out_put(o, "</div></header>\n");
}

/* The jump bar: each unit with works, and how many. */
static void jump_bar(struct out *o, const struct showcase *s)
{
	if (!s->f.n)
		return;
	out_put(o, "<nav class=\"jump\" id=\"units\" aria-label=\"按区县浏览\"><div class=\"wrap\">\n");
	for (size_t i = 0, n = 0; i < s->f.n; i++) {
		const struct featured_work *w = &s->f.works[i];
		n++;
		if (i + 1 < s->f.n && s->f.works[i + 1].unit == w->unit)
			continue;
		out_put(o, "<a href=\"#");
		anchor(o, w);
		out_put(o, "\">");
		out_html(o, unit_name(w));
		out_putf(o, "<small>%zu</small></a>\n", n);
		n = 0;
	}
	out_put(o, "</div></nav>\n");
}

static void link_open(struct out *o, const struct featured_work *w, const char *cls)
{
	out_putf(o, "<a%s%s%s href=\"", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	out_url(o, w->url);
	out_put(o, "\" rel=\"noopener noreferrer\" target=\"_blank\">");
}

static void card(struct out *o, const struct showcase_work *sw, size_t nth)
{
	const struct featured_work *w = sw->w;
	const char *label = platform_label(w->platform);
	int link = esc_url_ok(w->url);
	char date[HUMAN_SIZE], num[HUMAN_SIZE];
	int any = 0;

	out_put(o, "<article class=\"card\">\n");
	if (sw->cover || sw->cover_src) {
		if (link)
			link_open(o, w, "cover");
		else
			out_put(o, "<div class=\"cover\">");
		out_put(o, "<img src=\"");
		cover_src(o, sw);
		out_put(o, "\" alt=\"");
		out_html(o, sw->title);
		/* the first screen's pictures at once, the rest as the reader scrolls */
		out_putf(o, "\"%s>", nth < 8 ? "" : " loading=\"lazy\"");
		out_put(o, link ? "</a>\n" : "</div>\n");
	} else {
		/* no picture: the platform's name on its colour */
		const char *ph = !strcmp(w->platform, "weibo") || !strcmp(w->platform, "bilibili") ||
					 !strcmp(w->platform, "douyin")
				 ? w->platform
				 : "other";
		out_putf(o, "<div class=\"cover ph ph-%s\" aria-hidden=\"true\"><span>", ph);
		out_html(o, label);
		out_put(o, "</span></div>\n");
	}
	out_put(o, "<div class=\"body\">\n<h3>");
	if (link)
		link_open(o, w, NULL);
	out_html(o, sw->title);
	out_put(o, link ? "</a></h3>\n" : "</h3>\n");
	out_put(o, "<p class=\"meta\">");
	out_html(o, w->author_name && *w->author_name ? w->author_name : "佚名");
	out_put(o, " · ");
	out_html(o, label);
	out_putf(o, " · %s</p>\n", human_date_short(w->created_at, date));
	for (int k = 0; k < PC_N; k++) {
		if (!(w->known & (1u << k)))
			continue;
		out_putf(o, "%s<span>%s <b>%s%s</b></span>", any ? "" : "<p class=\"stats\">", report_count_labels[k],
			 human_wan(w->counts[k], num), (w->lower & (1u << k)) ? "+" : "");
		any = 1;
	}
	if (any)
		out_put(o, "</p>\n");
	if (w->note && *w->note) {
		out_put(o, "<p class=\"caption\">");
		out_html(o, w->note);
		out_put(o, "</p>\n");
	}
	out_put(o, "</div>\n</article>\n");
}

static size_t count_units(const struct showcase *s)
{
	size_t units = 0;

	for (size_t i = 0; i < s->f.n; i++)
		units += !i || s->f.works[i].unit != s->f.works[i - 1].unit;
	return units;
}

int showcase_render_html(const struct showcase *s, FILE *out, struct kerr *e)
{
	struct out o;
	size_t units = count_units(s);

	if (sodium_init() < 0)
		return kerr_set(e, KERR_NOMEM, "cannot start libsodium");
	out_init(&o, e);
	head(&o, s, units);
	hero(&o, s, units);
	jump_bar(&o, s);
	out_put(&o, "<main class=\"wrap\">\n");
	for (size_t i = 0; i < s->f.n; i++) {
		const struct featured_work *w = &s->f.works[i];
		if (!i || w->unit != s->f.works[i - 1].unit) {
			size_t n = 1;
			while (i + n < s->f.n && s->f.works[i + n].unit == w->unit)
				n++;
			if (i)
				out_put(&o, "</div>\n</section>\n");
			out_put(&o, "<section id=\"");
			anchor(&o, w);
			out_put(&o, "\">\n<h2><a class=\"top\" href=\"#units\">↑ 区县</a>");
			out_html(&o, unit_name(w));
			out_putf(&o, "<small>%zu 件</small></h2>\n<div class=\"grid\">\n", n);
		}
		card(&o, &s->works[i], i);
	}
	if (s->f.n)
		out_put(&o, "</div>\n</section>\n");
	else
		out_put(&o, "<p>入选作品正在评选中，敬请期待。</p>\n");
	out_put(&o, "</main>\n<footer><div class=\"wrap\">\n");
	if (s->words.organizer) {
		out_put(&o, "<p>主办单位：");
		out_html(&o, s->words.organizer);
		out_put(&o, "</p>\n");
	}
	out_put(&o, "<p>");
	out_html(&o, s->words.footer ? s->words.footer : DEFAULT_FOOTER);
	out_put(&o, "</p>\n</div></footer>\n</body>\n</html>\n");
	return out_flush(&o, out, "the showcase page");
}

/* ---- CSV and JSON ---- */

static const char *const csv_before[] = {
	"district", "district_code", "platform", "post_id", "title", "author_name", "url", "created_at", NULL,
};

static int render_csv(const struct showcase *s, FILE *out, struct kerr *e)
{
	struct out o;

	out_init(&o, e);
	out_put(&o, "\xef\xbb\xbf");
	for (size_t c = 0; csv_before[c]; c++)
		out_putf(&o, "%s,", csv_before[c]);
	for (int k = 0; k < PC_N; k++)
		out_putf(&o, "%s,", post_count_names[k]);
	out_put(&o, "caption,cover\r\n");
	for (size_t i = 0; i < s->f.n; i++) {
		const struct featured_work *w = s->works[i].w;
		char created[32];

		ktime_format_cst(w->created_at, created);
		out_csv(&o, w->unit ? w->unit->name : w->district);
		out_put(&o, ",");
		out_csv(&o, w->unit ? w->unit->code : w->district_code);
		out_put(&o, ",");
		out_csv(&o, w->platform);
		out_put(&o, ",");
		out_csv(&o, w->post_id);
		out_put(&o, ",");
		out_csv(&o, s->works[i].title);
		out_put(&o, ",");
		out_csv(&o, w->author_name);
		out_put(&o, ",");
		out_csv(&o, esc_url_ok(w->url) ? w->url : NULL);
		out_putf(&o, ",%s", created);
		for (int k = 0; k < PC_N; k++)
			if (w->known & (1u << k))
				out_putf(&o, ",%" PRId64 "%s", w->counts[k], (w->lower & (1u << k)) ? "+" : "");
			else
				out_put(&o, ",");
		out_put(&o, ",");
		out_csv(&o, w->note);
		out_put(&o, ",");
		out_csv(&o, s->works[i].cover);
		out_put(&o, "\r\n");
	}
	return out_flush(&o, out, "showcase.csv");
}

static int render_json(const struct showcase *s, FILE *out, struct kerr *e)
{
	json_t *root = json_object(), *works = json_array();
	char gen[32];

	ktime_format_cst(s->f.generated_at, gen);
	json_object_set_new(root, "campaign", json_string(s->f.campaign));
	json_object_set_new(root, "title", json_string(page_title(s)));
	json_object_set_new(root, "intro", jf_str(s->words.intro));
	json_object_set_new(root, "organizer", jf_str(s->words.organizer));
	json_object_set_new(root, "generated_at", json_string(gen));
	json_object_set_new(root, "units", json_integer((json_int_t)count_units(s)));
	for (size_t i = 0; i < s->f.n; i++) {
		static const char *const internal[] = {"flags", "flags_open", "reviewed_by", "reviewed_at",
						       "review_note", "over_per_unit"};
		json_t *w = jf_featured_work(s->works[i].w);

		/* the file is public: the reviewers' names, notes and flags stay
		 * in the workspace, and a link is http(s) or none */
		for (size_t k = 0; k < sizeof(internal) / sizeof(internal[0]); k++)
			json_object_del(w, internal[k]);
		if (!esc_url_ok(s->works[i].w->url))
			json_object_set_new(w, "url", json_null());
		/* the title shown, the post's own kept beside it */
		json_object_set_new(w, "post_title", jf_str(s->works[i].w->title));
		json_object_set_new(w, "title", json_string(s->works[i].title));
		json_object_set_new(w, "editor_title", jf_str(s->works[i].w->editor_title));
		json_object_set_new(w, "cover", jf_str(s->works[i].cover));
		json_object_set_new(w, "caption", jf_str(s->works[i].w->note));
		json_array_append_new(works, w);
	}
	json_object_set_new(root, "works", works);
	return jf_write(root, out, "showcase.json", e);
}

/* The page's icon: a sun, the "光" of 科普之光, on the page's blue. */
static const char FAVICON[] =
	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"14\" "
	"fill=\"#0b4f8a\"/><circle cx=\"32\" cy=\"32\" r=\"11\" fill=\"#ffd45c\"/><path d=\"M32 8v8M32 48v8M8 32h8M48 "
	"32h8M15 15l5.7 5.7M43.3 43.3 49 49M15 49l5.7-5.7M43.3 20.7 49 15\" stroke=\"#ffd45c\" stroke-width=\"5\" "
	"stroke-linecap=\"round\"/></svg>\n";

static int render_favicon(const struct showcase *s, FILE *out, struct kerr *e)
{
	(void)s;
	if (fputs(FAVICON, out) < 0 || fflush(out) != 0)
		return kerr_set(e, KERR_IO, "cannot write favicon.svg");
	return 0;
}

/* Write one file of the showcase through a new temporary file (afile.h),
 * so a reader never sees half a page and a planted symlink is never
 * followed. */
static int write_file(const char *dir, const char *name, int (*fn)(const struct showcase *, FILE *, struct kerr *),
		      const struct showcase *s, struct kerr *e)
{
	char path[4096];
	struct afile a;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return kerr_set(e, KERR_USAGE, "%s: path too long", dir);
	if (afile_open(&a, path, e) < 0)
		return -1;
	if (fn(s, a.f, e) < 0) {
		afile_abort(&a);
		return kerr_prefix(e, "%s", path);
	}
	return afile_commit(&a, e);
}

int showcase_write(const struct showcase *s, const char *dir, struct kerr *e)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kerr_set(e, KERR_IO, "cannot create %s: %s", dir, strerror(errno));
	/* the data first, the page last: a page never names a file not yet there */
	if (write_file(dir, "favicon.svg", render_favicon, s, e) < 0 ||
	    write_file(dir, "showcase.csv", render_csv, s, e) < 0 ||
	    write_file(dir, "showcase.json", render_json, s, e) < 0 ||
	    write_file(dir, "index.html", showcase_render_html, s, e) < 0)
		return -1;
	return 0;
}
