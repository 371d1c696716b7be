/*
 * export.c: every stored post, one NDJSON object per line or one CSV row,
 * in the import format plus what kepu derived (tags, district, seen
 * times).  export | import into a new database | export gives the same
 * bytes: lower-bound counts are written as "100000+", times as ISO 8601
 * with +08:00, and import reads first_seen/last_seen back.
 *
 * CSV is UTF-8 with a BOM (so Excel and WPS open it as UTF-8), RFC 4180
 * quoting, and cells that a spreadsheet would run as a formula (starting
 * with = + - @ tab or CR) are prefixed with an apostrophe.
 *
 * The workbook (export_write_xlsx) is for people, not for import: one
 * sheet, Chinese headers, platform and attribution labels, counts as
 * numbers and times as Beijing date-times (xlsx.h); rows are written out
 * as they come, so memory does not grow with the posts.
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/jsonw.h"
#include "../util/timefmt.h"
#include "escape.h"
#include "xlsx.h"

/* The columns, in the order written.  coins (schema 8) and deleted_at
 * (schema 10) came after media:
 * columns are only ever appended, so staff's sheets keep their layout. */
enum col {
	C_PLATFORM, C_POST_ID, C_URL, C_AUTHOR_ID, C_AUTHOR_NAME, C_AUTHOR_LOCATION,
	C_IP_LOCATION, C_CREATED_AT, C_TITLE, C_TEXT, C_TOPICS,
	C_VIEWS, C_LIKES, C_COMMENTS, C_SHARES, C_FAVORITES,
	C_HASHTAGS, C_CAMPAIGN_TAGS, C_DISTRICT, C_DISTRICT_CODE, C_IN_CHONGQING,
	C_ATTRIBUTION_METHOD, C_FIRST_SEEN, C_LAST_SEEN, C_COVER_URL, C_MEDIA, C_COINS, C_DELETED_AT,
	NCOLS
};
/* Each column's name (the CSV header and the JSON key, as import reads
 * them) and its header in the workbook, for people (a count's is the
 * count's label, report_count_labels). */
/* clang-format off */
static const struct {
	const char *name, *label;
} columns[NCOLS] = {
	{"platform", "平台"},           {"post_id", "作品编号"},          {"url", "链接"},
	{"author_id", "作者编号"},      {"author_name", "作者"},          {"author_location", "作者所在地"},
	{"ip_location", "IP属地"},      {"created_at", "发布时间"},       {"title", "标题"},
	{"text", "正文"},               {"topics", "平台话题"},           {"views", NULL},
	{"likes", NULL},              {"comments", NULL},             {"shares", NULL},
	{"favorites", NULL},          {"hashtags", "话题标签"},         {"campaign_tags", "活动话题"},
	{"district", "区县"},           {"district_code", "区县代码"},    {"in_chongqing", "属地在重庆"},
	{"attribution_method", "归属依据"}, {"first_seen", "首次采集"},   {"last_seen", "最近采集"},
	{"cover_url", "封面"},          {"media", "媒体"},                {"coins", NULL},
	{"deleted_at", "平台删除时间"},
};
/* clang-format on */

/* The count a column holds, or -1. */
static int count_col(size_t i)
{
	if (i >= C_VIEWS && i <= C_FAVORITES)
		return (int)(i - C_VIEWS);
	return i == C_COINS ? PC_COINS : -1;
}
_Static_assert(PC_FAVORITES - PC_VIEWS == C_FAVORITES - C_VIEWS && PC_COINS == PC_FAVORITES + 1 && PC_N == 6,
	       "every count has its column");

/* A list column's items, or 0. */
static int list_col(size_t i, const struct post *p, const char *const **v, size_t *n)
{
	switch (i) {
	case C_TOPICS: *v = p->topics; *n = p->ntopics; return 1;
	case C_HASHTAGS: *v = p->hashtags; *n = p->nhashtags; return 1;
	case C_CAMPAIGN_TAGS: *v = p->campaign_tags; *n = p->ncampaign_tags; return 1;
	default: return 0;
	}
}

struct exporter {
	FILE *out;
	enum export_format fmt;
	struct kbuf b;
};

/* Fill v[NCOLS] with the scalar cells of p (lists and counts separately). */
static void scalars(const struct post *p, const char **v, char *created, char *first, char *last, char *deleted)
{
	ktime_format_cst(p->created_at, created);
	ktime_format_cst(p->first_seen, first);
	ktime_format_cst(p->last_seen, last);
	memset(v, 0, NCOLS * sizeof(*v));
	v[C_PLATFORM] = p->platform;
	v[C_POST_ID] = p->post_id;
	v[C_URL] = p->url;
	v[C_AUTHOR_ID] = p->author_id;
	v[C_AUTHOR_NAME] = p->author_name;
	v[C_AUTHOR_LOCATION] = p->author_location;
	v[C_IP_LOCATION] = p->ip_location;
	v[C_CREATED_AT] = created;
	v[C_TITLE] = p->title;
	v[C_TEXT] = p->text;
	v[C_DISTRICT] = p->district;
	v[C_DISTRICT_CODE] = p->district_code;
	v[C_IN_CHONGQING] = p->in_chongqing < 0 ? NULL : p->in_chongqing ? "true" : "false";
	v[C_ATTRIBUTION_METHOD] = p->attribution_method;
	v[C_FIRST_SEEN] = first;
	v[C_LAST_SEEN] = last;
	v[C_COVER_URL] = p->cover_url;
	v[C_MEDIA] = p->media;
	if (p->deleted_at) {
		ktime_format_cst(p->deleted_at, deleted);
		v[C_DELETED_AT] = deleted;
	}
}

static int json_list(struct kbuf *b, const char *const *v, size_t n, struct kerr *e)
{
	if (kbuf_addc(b, '[', e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((i && kbuf_addc(b, ',', e) < 0) || jsonw_str(b, v[i], e) < 0)
			return -1;
	return kbuf_addc(b, ']', e);
}

static int count_text(char *out, size_t cap, const struct post *p, int k)
{
	return snprintf(out, cap, "%" PRId64 "%s", p->counts[k], (p->lower & (1u << k)) ? "+" : "");
}

static int write_json(struct exporter *x, const struct post *p, struct kerr *e)
{
	const char *v[NCOLS];
	char created[32], first[32], last[32], deleted[32], num[32];
	struct kbuf *b = &x->b;

	scalars(p, v, created, first, last, deleted);
	kbuf_reset(b);
	for (size_t i = 0; i < NCOLS; i++) {
		if (kbuf_addc(b, i ? ',' : '{', e) < 0 || jsonw_key(b, columns[i].name, e) < 0)
			return -1;
		const char *const *list;
		size_t n;
		int k = count_col(i);

		if (list_col(i, p, &list, &n)) {
			if (json_list(b, list, n, e) < 0)
				return -1;
		} else if (k >= 0) {
			if (!(p->known & (1u << k))) {
				if (kbuf_adds(b, "null", e) < 0)
					return -1;
			} else if (p->lower & (1u << k)) {
				count_text(num, sizeof(num), p, k);
				if (jsonw_str(b, num, e) < 0)
					return -1;
			} else if (jsonw_int(b, p->counts[k], e) < 0)
				return -1;
		} else if (i == C_IN_CHONGQING) {
			if (kbuf_adds(b, v[i] ? v[i] : "null", e) < 0)
				return -1;
		} else if (jsonw_str(b, v[i], e) < 0)
			return -1;
	}
	if (kbuf_adds(b, "}\n", e) < 0)
		return -1;
	return fwrite(b->data, 1, b->len, x->out) == b->len ? 0 : kerr_set(e, KERR_IO, "cannot write");
}

/* Join a list for one cell; import splits topics on `、`. */
static int csv_list(struct kbuf *b, const char *const *v, size_t n, struct kerr *e)
{
	struct kbuf tmp;
	int rc = 0;

	kbuf_init(&tmp, 1024 * 1024);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = (i ? kbuf_adds(&tmp, "、", e) : 0) < 0 ? -1 : kbuf_adds(&tmp, v[i], e);
	if (rc == 0 && n)
		rc = esc_csv(b, tmp.data, e);
	kbuf_release(&tmp);
	return rc;
}

static int write_csv(struct exporter *x, const struct post *p, struct kerr *e)
{
	const char *v[NCOLS];
	char created[32], first[32], last[32], deleted[32], num[32];
	struct kbuf *b = &x->b;

	scalars(p, v, created, first, last, deleted);
	kbuf_reset(b);
	for (size_t i = 0; i < NCOLS; i++) {
		if (i && kbuf_addc(b, ',', e) < 0)
			return -1;
		const char *const *list;
		size_t n;
		int k = count_col(i);

		if (list_col(i, p, &list, &n)) {
			if (csv_list(b, list, n, e) < 0)
				return -1;
		} else if (k >= 0) {
			if (p->known & (1u << k)) {
				count_text(num, sizeof(num), p, k);
				if (kbuf_adds(b, num, e) < 0)
					return -1;
			}
		} else if (esc_csv(b, v[i], e) < 0)
			return -1;
	}
	if (kbuf_adds(b, "\r\n", e) < 0)
		return -1;
	return fwrite(b->data, 1, b->len, x->out) == b->len ? 0 : kerr_set(e, KERR_IO, "cannot write");
}

static int on_post(void *ctx, const struct post *p, struct kerr *e)
{
	struct exporter *x = ctx;
	return x->fmt == EXPORT_CSV ? write_csv(x, p, e) : write_json(x, p, e);
}

int export_write(struct store *st, const struct store_filter *f, enum export_format fmt,
		 FILE *out, struct kerr *e)
{
	struct exporter x = {out, fmt, {0}};
	int rc = 0;

	kbuf_init(&x.b, 16 * 1024 * 1024);
	if (fmt == EXPORT_CSV) {
		fputs("\xef\xbb\xbf", out);
		for (size_t i = 0; i < NCOLS; i++)
			fprintf(out, "%s%s", i ? "," : "", columns[i].name);
		fputs("\r\n", out);
	}
	rc = store_foreach_post(st, f, on_post, &x, e);
	kbuf_release(&x.b);
	if (rc == 0 && fflush(out) != 0)
		rc = kerr_set(e, KERR_IO, "cannot write the export");
	return rc;
}

/* ---- Excel ---- */

/* The attribution method as people read it. */
static const char *method_label(const char *m)
{
	for (int i = 0; m && i < REPORT_METHODS; i++)
		if (!strcmp(m, report_methods[i]))
			return report_method_labels[i];
	return m;
}

struct xl_export {
	struct xlsx_sheet s;
	struct kbuf b;
};

/* A list in one cell, joined with 、 as the CSV's. */
static int xl_list(struct xl_export *x, lxw_col_t col, const char *const *v, size_t n, struct kerr *e)
{
	kbuf_reset(&x->b);
	for (size_t i = 0; i < n; i++)
		if ((i && kbuf_adds(&x->b, "、", e) < 0) || kbuf_adds(&x->b, v[i], e) < 0)
			return -1;
	if (n)
		xlsx_text(&x->s, col, x->b.data);
	return 0;
}

static int xl_post(void *ctx, const struct post *p, struct kerr *e)
{
	struct xl_export *x = ctx;
	const char *v[NCOLS];
	char created[32], first[32], last[32], deleted[32];

	scalars(p, v, created, first, last, deleted);
	x->s.row++;
	for (size_t i = 0; i < NCOLS; i++) {
		const char *const *list;
		size_t n;
		int k = count_col(i);

		if (list_col(i, p, &list, &n)) {
			if (xl_list(x, (lxw_col_t)i, list, n, e) < 0)
				return -1;
		} else if (k >= 0)
			xlsx_count(&x->s, (lxw_col_t)i, p->counts[k], !!(p->known & (1u << k)),
				   !!(p->lower & (1u << k)));
		else if (i == C_URL) /* the cover's address stays text: Excel takes 65,530 links a sheet */
			xlsx_link(&x->s, (lxw_col_t)i, v[i]);
		else if (i == C_CREATED_AT || i == C_FIRST_SEEN || i == C_LAST_SEEN || i == C_DELETED_AT)
			xlsx_time(&x->s, (lxw_col_t)i,
				  i == C_CREATED_AT   ? p->created_at
				  : i == C_FIRST_SEEN ? p->first_seen
				  : i == C_LAST_SEEN  ? p->last_seen
						      : p->deleted_at);
		else if (i == C_PLATFORM)
			xlsx_text(&x->s, (lxw_col_t)i, platform_label(p->platform));
		else if (i == C_IN_CHONGQING)
			xlsx_text(&x->s, (lxw_col_t)i, p->in_chongqing < 0 ? NULL : p->in_chongqing ? "是" : "否");
		else if (i == C_ATTRIBUTION_METHOD)
			xlsx_text(&x->s, (lxw_col_t)i, method_label(v[i]));
		else
			xlsx_text(&x->s, (lxw_col_t)i, v[i]);
	}
	return x->s.b->failed ? -1 : 0;
}

/* The window as people read it: Beijing dates, inclusive. */
static void xl_window(const struct store_filter *f, char since[16], char until[16], char *text, size_t cap)
{
	since[0] = until[0] = '\0';
	if (f->since != INT64_MIN)
		ktime_format_date(f->since, since);
	if (f->until != INT64_MAX)
		ktime_format_date(f->until - 1, until);
	snprintf(text, cap, "发布时间 %s 至 %s（北京时间）", since[0] ? since : "最早", until[0] ? until : "最新");
}

int export_write_xlsx(struct store *st, const struct store_filter *f, const char *campaign, const char *path,
		      struct kerr *e)
{
	char since[16], until[16], subject[128], title[256];
	struct xlsx_props p;
	struct xlsx_book b;
	struct xl_export x;
	int rc;

	if (xlsx_open(&b, path, 1, e) < 0)
		return -1;
	xl_window(f, since, until, subject, sizeof(subject));
	snprintf(title, sizeof(title), "%s 作品导出", campaign ? campaign : "");
	memset(&p, 0, sizeof(p));
	p.title = title;
	p.subject = subject;
	p.keywords = p.campaign = campaign;
	p.since = since;
	p.until = until;
	p.created = kclock_now();
	xlsx_properties(&b, &p);
	xlsx_sheet_begin(&b, &x.s, "作品");
	for (size_t i = 0; i < NCOLS; i++)
		xlsx_header(&x.s, (lxw_col_t)i,
			    count_col(i) >= 0 ? report_count_labels[count_col(i)] : columns[i].label);
	kbuf_init(&x.b, 16 * 1024 * 1024);
	rc = store_foreach_post(st, f, xl_post, &x, e);
	kbuf_release(&x.b);
	xlsx_sheet_end(&x.s);
	if (rc < 0)
		b.failed = 1; /* e says why: the store's error or the workbook's */
	return xlsx_close(&b);
}
