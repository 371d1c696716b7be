/* xlsx.c: see xlsx.h. */
#include "xlsx.h"
#include "../util/timefmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../util/human.h"
#include "escape.h"

#define XLSX_STR_MAX    32767 /* Excel's longest text in a cell, in characters */
#define XLSX_URL_MAX    2079  /* and the longest link */
#define XLSX_MAX_URLS   65530 /* and the most links on a sheet */
#define XLSX_WIDTH_TEXT 48.0  /* the widest a column of text is made */
#define XLSX_WIDTH_LINK 36.0  /* and one of links */
#define XLSX_BEIJING    (8 * 3600)

static const char *const num_formats[XF_N] = {
	[XF_TEXT] = "@",
	[XF_TEXT_RIGHT] = "@",
	[XF_INT] = "#,##0",
	[XF_RANK] = "0",
	[XF_REAL] = "#,##0.0",
	[XF_PCT] = "0.0%",
	[XF_CHANGE] = "+0.0%;-0.0%;0.0%",
	[XF_LOWER] = "#,##0\"+\"",
	[XF_TIME] = "yyyy-mm-dd hh:mm",
	[XF_DATE] = "yyyy-mm-dd",
};

/* Note the first failure of libxlsxwriter (what it was doing, and where). */
static int lxw_check(struct xlsx_book *b, lxw_error err, const char *what)
{
	if (err == LXW_NO_ERROR || b->failed)
		return b->failed ? -1 : 0;
	b->failed = 1;
	return kerr_set(b->e, err == LXW_ERROR_MEMORY_MALLOC_FAILED ? KERR_NOMEM : KERR_IO, "cannot write %s: %s: %s",
			b->af.path, what, lxw_strerror(err));
}

static void add_formats(struct xlsx_book *b)
{
	for (int i = 0; i < XF_N; i++) {
		lxw_format *f = workbook_add_format(b->wb);
		if (!f) {
			lxw_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell format");
			return;
		}
		if (num_formats[i])
			format_set_num_format(f, num_formats[i]);
		b->fmt[i] = f;
	}
	format_set_bold(b->fmt[XF_HEAD]);
	format_set_bg_color(b->fmt[XF_HEAD], 0xDDEBF7);
	format_set_bottom(b->fmt[XF_HEAD], LXW_BORDER_THIN);
	format_set_align(b->fmt[XF_HEAD], LXW_ALIGN_CENTER);
	format_set_align(b->fmt[XF_HEAD], LXW_ALIGN_VERTICAL_CENTER);
	format_set_align(b->fmt[XF_TEXT_RIGHT], LXW_ALIGN_RIGHT);
	format_set_font_color(b->fmt[XF_NOTE], 0x595959);
}

int xlsx_open(struct xlsx_book *b, const char *path, int big, struct kerr *e)
{
	lxw_workbook_options o;

	memset(b, 0, sizeof(*b));
	memset(&o, 0, sizeof(o));
	b->e = e;
	if (afile_open(&b->af, path, e) < 0)
		return -1;
	/* libxlsxwriter opens the temporary file by its name: the same
	 * file, which afile_commit() then flushes and renames */
	o.constant_memory = big ? LXW_TRUE : LXW_FALSE;
	if (!(b->wb = workbook_new_opt(b->af.tmp, &o))) {
		afile_abort(&b->af);
		return kerr_set(e, KERR_NOMEM, "out of memory");
	}
	add_formats(b);
	return b->failed ? -1 : 0;
}

void xlsx_properties(struct xlsx_book *b, const struct xlsx_props *p)
{
	char title[256], subject[256], keywords[256], comments[512];
	lxw_doc_properties d;

	if (b->failed)
		return;
	memset(&d, 0, sizeof(d));
	/* lxw_doc_properties has char *: copies, so nothing const is cast away */
	snprintf(title, sizeof(title), "%s", p->title ? p->title : "");
	snprintf(subject, sizeof(subject), "%s", p->subject ? p->subject : "");
	snprintf(keywords, sizeof(keywords), "%s", p->keywords ? p->keywords : "");
	snprintf(comments, sizeof(comments), "%s", p->comments ? p->comments : "");
	d.title = title;
	d.subject = subject;
	d.keywords = keywords;
	d.comments = comments;
	d.author = d.company = (char[]){"kepu"};
	d.created = (time_t)p->created;
	lxw_check(b, workbook_set_properties(b->wb, &d), "the document properties");
	if (p->campaign)
		lxw_check(b, workbook_set_custom_property_string(b->wb, "活动", p->campaign), "a property");
	if (p->since && p->since[0])
		lxw_check(b, workbook_set_custom_property_string(b->wb, "统计时段起", p->since), "a property");
	if (p->until && p->until[0])
		lxw_check(b, workbook_set_custom_property_string(b->wb, "统计时段止", p->until), "a property");
}

/* ---- reading the workbook back ---- */

/* Is the XML part at index i of z whole: does it end with its root
 * element's end tag (or is the root an empty element, <sst/>)?  Only its
 * head and tail are kept while it is read. */
static int part_whole(zip_t *z, zip_uint64_t i)
{
	char head[512], tail[64], chunk[16384], root[64], end[72];
	size_t nhead = 0, ntail = 0, len;
	zip_file_t *f = zip_fopen_index(z, i, 0);
	zip_int64_t n;
	const char *p, *q;

	if (!f)
		return 0;
	while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		size_t m = (size_t)n, keep = m < sizeof(tail) ? m : sizeof(tail);
		size_t h = m < sizeof(head) - 1 - nhead ? m : sizeof(head) - 1 - nhead;
		memcpy(head + nhead, chunk, h);
		nhead += h;
		if (ntail + keep > sizeof(tail)) { /* slide the tail along */
			size_t drop = ntail + keep - sizeof(tail);
			memmove(tail, tail + drop, ntail - drop);
			ntail -= drop;
		}
		memcpy(tail + ntail, chunk + m - keep, keep);
		ntail += keep;
	}
	zip_fclose(f);
	head[nhead] = '\0';
	while (ntail && (tail[ntail - 1] == '\n' || tail[ntail - 1] == '\r' || tail[ntail - 1] == ' '))
		ntail--;
	/* the root: the first element after the declaration */
	for (p = head; (p = strchr(p, '<')) && (p[1] == '?' || p[1] == '!'); p++)
		;
	if (n < 0 || !p || sscanf(p + 1, "%63[^ \t\r\n/>]", root) != 1)
		return 0;
	q = strchr(p, '>');
	if (q && q[-1] == '/') { /* an empty root element, <sst .../>, and nothing after it */
		q += strspn(q + 1, " \r\n") + 1;
		return *q == '\0' && nhead < sizeof(head) - 1;
	}
	len = (size_t)snprintf(end, sizeof(end), "</%s>", root);
	return ntail >= len && !memcmp(tail + ntail - len, end, len);
}

/*
 * libxlsxwriter writes the parts of a workbook to temporary files first
 * and does not check those writes: with /tmp full (or a file size limit)
 * the parts are cut short and workbook_close() still succeeds.  So the
 * file is read back before it replaces the target: a zip whose XML parts
 * all end as they began.
 */
static int verify(struct xlsx_book *b)
{
	int zerr = 0, ok = 1;
	zip_t *z = zip_open(b->af.tmp, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	zip_int64_t n;

	if (!z)
		return kerr_set(b->e, KERR_IO, "cannot write %s: the workbook written is not a whole zip file",
				b->af.path);
	n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n && ok; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		size_t len = name ? strlen(name) : 0;
		if (len > 4 && (!strcmp(name + len - 4, ".xml") || !strcmp(name + len - 5, ".rels")))
			ok = part_whole(z, (zip_uint64_t)i);
	}
	zip_discard(z);
	if (!ok)
		return kerr_set(b->e, KERR_IO,
				"cannot write %s: a part of the workbook was cut short (is the disk or /tmp full?)",
				b->af.path);
	return 0;
}

int xlsx_close(struct xlsx_book *b)
{
	lxw_error err = LXW_NO_ERROR;

	if (b->failed)
		lxw_workbook_free(b->wb);
	else
		err = workbook_close(b->wb); /* frees the workbook too */
	b->wb = NULL;
	free(b->cut);
	b->cut = NULL;
	if (!b->failed && err != LXW_NO_ERROR)
		lxw_check(b, err, "the workbook");
	if (b->failed || verify(b) < 0) {
		afile_abort(&b->af);
		return -1;
	}
	return afile_commit(&b->af, b->e);
}

/* ---- sheets ---- */

void xlsx_sheet_begin(struct xlsx_book *b, struct xlsx_sheet *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->b = b;
	if (b->failed || lxw_check(b, workbook_validate_sheet_name(b->wb, name), name) < 0)
		return;
	if (!(s->ws = workbook_add_worksheet(b->wb, name))) {
		lxw_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
		return;
	}
	/* ids and codes are text on purpose: no green triangles */
	lxw_check(b, worksheet_ignore_errors(s->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"), name);
	worksheet_set_comments_author(s->ws, "kepu");
}

/* How wide s looks: a CJK character (3 or 4 bytes in UTF-8) takes two
 * columns of Excel's width, anything else one. */
static double text_width(const char *s)
{
	double w = 0, line = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			line = 0;
			continue;
		}
		if ((*p & 0xC0) == 0x80)
			continue;
		line += *p >= 0xE0 ? 2 : 1;
		if (line > w)
			w = line;
	}
	return w;
}

static void fit(struct xlsx_sheet *s, lxw_col_t col, double w)
{
	if (col < XLSX_MAX_COLS && w > s->width[col])
		s->width[col] = w;
	if (col >= s->ncols)
		s->ncols = col + 1;
}

/* Can cell col of s be written (no failure so far, a column we track)? */
static int usable(struct xlsx_sheet *s, lxw_col_t col)
{
	if (s->b->failed || !s->ws)
		return 0;
	if (col < XLSX_MAX_COLS)
		return 1;
	lxw_check(s->b, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, "too many columns");
	return 0;
}

void xlsx_header(struct xlsx_sheet *s, lxw_col_t col, const char *text)
{
	if (!usable(s, col))
		return;
	lxw_check(s->b, worksheet_write_string(s->ws, 0, col, text, s->b->fmt[XF_HEAD]), text);
	fit(s, col, text_width(text) + 3); /* and room for the filter's button */
}

/* text cut to Excel's limit at a character boundary, in b->cut. */
static const char *cut_text(struct xlsx_book *b, const char *text)
{
	size_t n = strlen(text), chars = 0, i;

	if (n <= XLSX_STR_MAX)
		return text;
	for (i = 0; i < n; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80 && ++chars > XLSX_STR_MAX)
			break;
	if (i == n)
		return text;
	if (!b->cut && !(b->cut = malloc(4 * XLSX_STR_MAX + 1))) {
		lxw_check(b, LXW_ERROR_MEMORY_MALLOC_FAILED, "a long text");
		return NULL;
	}
	memcpy(b->cut, text, i);
	b->cut[i] = '\0';
	return b->cut;
}

static void write_text(struct xlsx_sheet *s, lxw_col_t col, const char *text, enum xlsx_format f)
{
	double w;

	if (!text || !text[0] || !usable(s, col) || !(text = cut_text(s->b, text)))
		return;
	lxw_check(s->b, worksheet_write_string(s->ws, s->row, col, text, s->b->fmt[f]), "a text cell");
	w = text_width(text) + 2;
	fit(s, col, w < XLSX_WIDTH_TEXT ? w : XLSX_WIDTH_TEXT);
}

void xlsx_text(struct xlsx_sheet *s, lxw_col_t col, const char *text)
{
	write_text(s, col, text, XF_TEXT);
}

/* A web address Excel takes as a link: http(s), no spaces or control
 * characters, not too long. */
static int link_ok(const char *url)
{
	size_t n = 0;

	if (!esc_url_ok(url))
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++, n++)
		if (*p <= ' ' || *p == 0x7F)
			return 0;
	return n <= XLSX_URL_MAX;
}

void xlsx_link(struct xlsx_sheet *s, lxw_col_t col, const char *url)
{
	double w;

	if (!url || !url[0] || !usable(s, col))
		return;
	if (!link_ok(url) || s->nurls >= XLSX_MAX_URLS) {
		write_text(s, col, url, XF_TEXT);
		return;
	}
	s->nurls++;
	lxw_check(s->b, worksheet_write_url(s->ws, s->row, col, url, NULL), "a link");
	w = text_width(url) + 2;
	fit(s, col, w < XLSX_WIDTH_LINK ? w : XLSX_WIDTH_LINK);
}

static void write_number(struct xlsx_sheet *s, lxw_col_t col, double x, enum xlsx_format f, double width)
{
	if (!usable(s, col))
		return;
	lxw_check(s->b, worksheet_write_number(s->ws, s->row, col, x, s->b->fmt[f]), "a number");
	fit(s, col, width + 2);
}

/* The width of n with thousands separators, plus extra characters. */
static double int_width(double n, double extra)
{
	char buf[HUMAN_SIZE];

	return (double)strlen(human_int((int64_t)n, buf)) + extra;
}

void xlsx_count(struct xlsx_sheet *s, lxw_col_t col, int64_t v, int known, int lower)
{
	char note[160], num[HUMAN_SIZE];

	if (!known || !usable(s, col))
		return;
	write_number(s, col, (double)v, lower ? XF_LOWER : XF_INT, int_width((double)v, lower));
	if (!lower)
		return;
	snprintf(note, sizeof(note), "下限：平台只显示到“%s+”这一级，实际不少于此数。", human_int(v, num));
	lxw_check(s->b, worksheet_write_comment(s->ws, s->row, col, note), "a comment");
}

void xlsx_time(struct xlsx_sheet *s, lxw_col_t col, int64_t t)
{
	if (!t || !usable(s, col))
		return;
	/* Excel has no time zones: the wall-clock time in Beijing */
	lxw_check(s->b, worksheet_write_unixtime(s->ws, s->row, col, t + XLSX_BEIJING, s->b->fmt[XF_TIME]), "a time");
	fit(s, col, 18);
}

static void write_date(struct xlsx_sheet *s, lxw_col_t col, const char *ymd)
{
	lxw_datetime d;

	memset(&d, 0, sizeof(d));
	if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &d.year, &d.month, &d.day) != 3) {
		write_text(s, col, ymd, XF_TEXT);
		return;
	}
	if (!usable(s, col))
		return;
	lxw_check(s->b, worksheet_write_datetime(s->ws, s->row, col, &d, s->b->fmt[XF_DATE]), "a date");
	fit(s, col, 12);
}

/* A change against the previous period: a percentage, 新增 when there
 * was nothing before, empty when there is nothing either time. */
static void write_change(struct xlsx_sheet *s, lxw_col_t col, const struct cell *c)
{
	if (c->y > 0)
		write_number(s, col, (c->x - c->y) / c->y, XF_CHANGE, 8);
	else if (c->x > 0)
		write_text(s, col, "新增", XF_TEXT_RIGHT);
}

void xlsx_cell(struct xlsx_sheet *s, lxw_col_t col, enum cell_kind kind, const struct cell *c)
{
	switch (c->type) {
	case CV_NONE: break;
	case CV_TEXT:
		if (kind == CELL_URL)
			xlsx_link(s, col, c->s);
		else
			write_text(s, col, c->s, kind == CELL_NUM ? XF_TEXT_RIGHT : XF_TEXT);
		break;
	case CV_INT: write_number(s, col, (double)c->i, XF_INT, int_width((double)c->i, 0)); break;
	case CV_RANK: write_number(s, col, (double)c->i, XF_RANK, int_width((double)c->i, 0)); break;
	case CV_REAL: write_number(s, col, c->x, XF_REAL, int_width(c->x, 2)); break;
	case CV_SHARE: write_number(s, col, c->x / 100.0, XF_PCT, 6); break;
	case CV_COUNT: xlsx_count(s, col, c->i, 1, c->lower); break;
	case CV_TIME: xlsx_time(s, col, c->i); break;
	case CV_DATE: {
		char ymd[16];
		ktime_format_date(c->i, ymd);
		write_date(s, col, ymd);
		break;
	}
	case CV_CHANGE: write_change(s, col, c); break;
	case CV_MOVE: /* places up (negative: down); 新 when it had no place before */
		if (c->lower)
			write_text(s, col, "新", XF_TEXT_RIGHT);
		else
			write_number(s, col, (double)c->i, XF_INT, int_width((double)c->i, 0));
		break;
	}
}

void xlsx_sheet_end(struct xlsx_sheet *s)
{
	lxw_row_t last = s->row;

	if (s->b->failed || !s->ws)
		return;
	for (lxw_col_t c = 0; c < s->ncols; c++)
		lxw_check(s->b, worksheet_set_column(s->ws, c, c, s->width[c] > 6 ? s->width[c] : 6, NULL), "a column");
	worksheet_freeze_panes(s->ws, 1, 0);
	if (s->ncols)
		lxw_check(s->b, worksheet_autofilter(s->ws, 0, 0, last, s->ncols - 1), "the filter");
	/* printed: A4 landscape, one page wide, the header on every page */
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	lxw_check(s->b, worksheet_repeat_rows(s->ws, 0, 0), "the print titles");
}

void xlsx_note(struct xlsx_sheet *s, lxw_row_t row, const char *text)
{
	if (!usable(s, 0) || !text)
		return;
	lxw_check(s->b, worksheet_write_string(s->ws, row, 0, text, s->b->fmt[XF_NOTE]), "a note");
}
