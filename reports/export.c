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
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/jsonw.h"
#include "../util/timefmt.h"
#include "escape.h"

static const char *const columns[] = {
	"platform", "post_id", "url", "author_id", "author_name", "author_location",
	"ip_location", "created_at", "title", "text", "topics",
	"views", "likes", "comments", "shares", "favorites",
	"hashtags", "campaign_tags", "district", "district_code", "in_chongqing",
	"attribution_method", "first_seen", "last_seen", "cover_url", "media",
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

struct exporter {
	FILE *out;
	enum export_format fmt;
	struct kbuf b;
};

/* Fill v[NCOLS] with the scalar cells of p (arrays and counts separately). */
static void scalars(const struct post *p, const char **v, char *created, char *first, char *last)
{
	ktime_format_cst(p->created_at, created);
	ktime_format_cst(p->first_seen, first);
	ktime_format_cst(p->last_seen, last);
	memset(v, 0, NCOLS * sizeof(*v));
	v[0] = p->platform;
	v[1] = p->post_id;
	v[2] = p->url;
	v[3] = p->author_id;
	v[4] = p->author_name;
	v[5] = p->author_location;
	v[6] = p->ip_location;
	v[7] = created;
	v[8] = p->title;
	v[9] = p->text;
	v[18] = p->district;
	v[19] = p->district_code;
	v[20] = p->in_chongqing < 0 ? NULL : p->in_chongqing ? "true" : "false";
	v[21] = p->attribution_method;
	v[22] = first;
	v[23] = last;
	v[24] = p->cover_url;
	v[25] = p->media;
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
	char created[32], first[32], last[32], num[32];
	struct kbuf *b = &x->b;

	scalars(p, v, created, first, last);
	kbuf_reset(b);
	for (size_t i = 0; i < NCOLS; i++) {
		if (kbuf_addc(b, i ? ',' : '{', e) < 0 || jsonw_key(b, columns[i], e) < 0)
			return -1;
		if (i == 10) {
			if (json_list(b, p->topics, p->ntopics, e) < 0)
				return -1;
		} else if (i == 16) {
			if (json_list(b, p->hashtags, p->nhashtags, e) < 0)
				return -1;
		} else if (i == 17) {
			if (json_list(b, p->campaign_tags, p->ncampaign_tags, e) < 0)
				return -1;
		} else if (i >= 11 && i <= 15) {
			int k = (int)i - 11;
			if (!(p->known & (1u << k))) {
				if (kbuf_adds(b, "null", e) < 0)
					return -1;
			} else if (p->lower & (1u << k)) {
				count_text(num, sizeof(num), p, k);
				if (jsonw_str(b, num, e) < 0)
					return -1;
			} else if (jsonw_int(b, p->counts[k], e) < 0)
				return -1;
		} else if (i == 20) {
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
	char created[32], first[32], last[32], num[32];
	struct kbuf *b = &x->b;

	scalars(p, v, created, first, last);
	kbuf_reset(b);
	for (size_t i = 0; i < NCOLS; i++) {
		if (i && kbuf_addc(b, ',', e) < 0)
			return -1;
		if (i == 10 || i == 16 || i == 17) {
			const char *const *list = i == 10 ? p->topics : i == 16 ? p->hashtags : p->campaign_tags;
			size_t n = i == 10 ? p->ntopics : i == 16 ? p->nhashtags : p->ncampaign_tags;
			if (csv_list(b, list, n, e) < 0)
				return -1;
		} else if (i >= 11 && i <= 15) {
			int k = (int)i - 11;
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
			fprintf(out, "%s%s", i ? "," : "", columns[i]);
		fputs("\r\n", out);
	}
	rc = store_foreach_post(st, f, on_post, &x, e);
	kbuf_release(&x.b);
	if (rc == 0 && fflush(out) != 0)
		rc = kerr_set(e, KERR_IO, "cannot write the export");
	return rc;
}
