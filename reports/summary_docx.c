/*
 * summary_docx.c: a summary's blocks (summary_doc.h) as a Word file:
 * WordprocessingML parts (ECMA-376) in a zip made by libzip in memory.
 *
 * Made for staff to edit: the title, the headings and the body are
 * styles (Title, Heading 1 and 2 with outline levels, so Word's
 * navigation pane lists them), tables are tables with a repeated header
 * row, links are hyperlinks, the blanks to fill in a framed style of
 * their own, the page number a PAGE field in the footer as "— N —", the
 * chart a PNG.  The styles name the fonts of GB/T 9704 (方正小标宋简体,
 * 黑体, 楷体_GB2312, 仿宋_GB2312) with the usual substitutes in the font
 * table; Word, WPS and LibreOffice use what the machine has.
 *
 * Every text is escaped for XML; summary_clean() already removed what XML
 * 1.0 forbids.
 */
#include "summary_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#define TWIPS(mm) ((long)((mm) * 1440.0 / 25.4 + 0.5))
#define EMU(mm) ((long)((mm) * 36000.0 + 0.5))
#define EM 320 /* twips: a character of 三号 */

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* A part being written, with a sticky error (as reports/out.h). */
struct xw {
	struct kbuf b;
	struct kerr *e;
	int failed;
};

static void put(struct xw *x, const char *s)
{
	if (!x->failed && kbuf_adds(&x->b, s, x->e) < 0)
		x->failed = 1;
}

static void putf(struct xw *x, const char *fmt, ...) KEPU_PRINTF(2, 3);
static void putf(struct xw *x, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		x->failed = 1;
		kerr_set(x->e, KERR_NOMEM, "a piece of the document is too long");
		return;
	}
	put(x, tmp);
}

/* Text or an attribute value: s[0..n). */
static void esc_n(struct xw *x, const char *s, size_t n)
{
	for (const char *end = s + n; s && s < end && !x->failed; s++) {
		switch (*s) {
		case '&': put(x, "&amp;"); break;
		case '<': put(x, "&lt;"); break;
		case '>': put(x, "&gt;"); break;
		case '"': put(x, "&quot;"); break;
		case '\'': put(x, "&apos;"); break;
		default:
			if (kbuf_addc(&x->b, *s, x->e) < 0)
				x->failed = 1;
		}
	}
}

static void esc(struct xw *x, const char *s)
{
	if (s)
		esc_n(x, s, strlen(s));
}

/* ---- document.xml ---- */

struct docx {
	struct xw doc, rels;
	int next_rid;
};

/* A relationship of the document to target; its id. */
static int relate(struct docx *d, const char *type, const char *target, int external)
{
	int id = d->next_rid++;

	putf(&d->rels, "<Relationship Id=\"rId%d\" Type=\"" REL "%s\" Target=\"", id, type);
	esc(&d->rels, target);
	put(&d->rels, external ? "\" TargetMode=\"External\"/>" : "\"/>");
	return id;
}

/* A run of text; SD_BREAK becomes a line break. */
static void run(struct xw *x, const char *text, const char *rstyle)
{
	const char *br;

	put(x, "<w:r>");
	if (rstyle)
		putf(x, "<w:rPr><w:rStyle w:val=\"%s\"/></w:rPr>", rstyle);
	for (; (br = strstr(text, SD_BREAK)); text = br + strlen(SD_BREAK)) {
		put(x, "<w:t xml:space=\"preserve\">");
		esc_n(x, text, (size_t)(br - text));
		put(x, "</w:t><w:br/>");
	}
	put(x, "<w:t xml:space=\"preserve\">");
	esc(x, text);
	put(x, "</w:t></w:r>");
}

static void link_run(struct docx *d, const char *text, const char *url)
{
	putf(&d->doc, "<w:hyperlink r:id=\"rId%d\" w:history=\"1\">", relate(d, "hyperlink", url, 1));
	run(&d->doc, text, "Hyperlink");
	put(&d->doc, "</w:hyperlink>");
}

/* A paragraph of style (NULL: Normal) with extra pPr (NULL: none). */
static void para(struct docx *d, const char *style, const char *ppr, const char *text)
{
	put(&d->doc, "<w:p><w:pPr>");
	if (style)
		putf(&d->doc, "<w:pStyle w:val=\"%s\"/>", style);
	if (ppr)
		put(&d->doc, ppr);
	put(&d->doc, "</w:pPr>");
	if (text && *text)
		run(&d->doc, text, NULL);
	put(&d->doc, "</w:p>");
}

static void runs_para(struct docx *d, const struct sd_block *b)
{
	put(&d->doc, "<w:p>");
	for (size_t i = 0; i < b->nruns; i++)
		if (b->runs[i].url)
			link_run(d, b->runs[i].text, b->runs[i].url);
		else
			run(&d->doc, b->runs[i].text, NULL);
	put(&d->doc, "</w:p>");
}

static void cell_xml(struct docx *d, const struct sd_table *t, const struct sd_cell *c, size_t col, int head)
{
	static const char *const jc[] = {[SA_LEFT] = "left", [SA_CENTER] = "center", [SA_RIGHT] = "right"};
	double w = 0;

	for (size_t i = col; i < col + c->span; i++)
		w += t->width[i];
	putf(&d->doc, "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" w:type=\"dxa\"/>", TWIPS(w));
	if (c->span > 1)
		putf(&d->doc, "<w:gridSpan w:val=\"%u\"/>", c->span);
	if (head)
		put(&d->doc, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EBEBEB\"/>");
	putf(&d->doc, "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"%s\"/><w:jc w:val=\"%s\"/></w:pPr>",
	     head ? "TableHead" : "TableText", jc[c->align]);
	if (c->url)
		link_run(d, c->text, c->url);
	else
		run(&d->doc, c->text, NULL);
	put(&d->doc, "</w:p></w:tc>");
}

static void table_xml(struct docx *d, const struct sd_table *t)
{
	double total = 0;

	for (size_t i = 0; i < t->ncols; i++)
		total += t->width[i];
	putf(&d->doc, "<w:tbl><w:tblPr><w:tblStyle w:val=\"SummaryTable\"/><w:tblW w:w=\"%ld\" w:type=\"dxa\"/>"
		      "<w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>", TWIPS(total));
	for (size_t i = 0; i < t->ncols; i++)
		putf(&d->doc, "<w:gridCol w:w=\"%ld\"/>", TWIPS(t->width[i]));
	put(&d->doc, "</w:tblGrid>");
	for (size_t r = 0; r < t->nrows; r++) {
		put(&d->doc, r < t->nhead ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
					  : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (size_t i = 0; i < t->ncols; i++)
			if (t->cells[r * t->ncols + i].span)
				cell_xml(d, t, &t->cells[r * t->ncols + i], i, r < t->nhead);
		put(&d->doc, "</w:tr>");
	}
	put(&d->doc, "</w:tbl>");
}

/* The chart's PNG, inline and centred, SD_TEXT_MM wide. */
static void chart_xml(struct docx *d, int rid, int n)
{
	long cx = EMU(SD_TEXT_MM), cy = EMU(SD_CHART_H_MM);

	putf(&d->doc, "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>"
		      "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"%ld\" cy=\"%ld\"/>"
		      "<wp:docPr id=\"%d\" name=\"图%d\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
		      "</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
	     cx, cy, n, n);
	putf(&d->doc, "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"%d\" name=\"chart.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
		      "<pic:blipFill><a:blip r:embed=\"rId%d\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
		      "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
		      "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>",
	     n, rid, cx, cy);
	put(&d->doc, "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>");
}

/* Width of s in characters of 三号: Chinese one, ASCII half. */
static double ems(const char *s)
{
	double n = 0;

	for (; *s; s++)
		if ((unsigned char)*s < 0x80)
			n += 0.5;
		else if (((unsigned char)*s & 0xc0) != 0x80)
			n += 1;
	return n;
}

/* GB/T 9704: the date four characters from the right, the issuer centred
 * over it. */
static void signature_xml(struct docx *d, const char *issuer, const char *date)
{
	char ppr[128];
	double right = 4 + (ems(date) - ems(issuer)) / 2;

	para(d, NULL, NULL, "");
	snprintf(ppr, sizeof(ppr), "<w:ind w:right=\"%ld\"/>", right > 0 ? (long)(right * EM) : 0L);
	para(d, "Signature", ppr, issuer);
	para(d, "Signature", "<w:ind w:right=\"1280\"/>", date);
}

static void block_xml(struct docx *d, const struct sd_doc *doc, size_t *i, int image_rid, int *figures)
{
	const struct sd_block *b = &doc->b[*i];

	switch (b->kind) {
	case SD_TITLE: para(d, "Title", NULL, b->text); break;
	case SD_PERIOD: para(d, "Subtitle", NULL, b->text); break;
	case SD_H1: para(d, "Heading1", NULL, b->text); break;
	case SD_H2: para(d, "Heading2", NULL, b->text); break;
	case SD_CAPTION: para(d, "Caption", NULL, b->text); break;
	case SD_TABLE: table_xml(d, b->table); break;
	case SD_CHART: chart_xml(d, image_rid, ++*figures); break;
	case SD_BLANK:
		para(d, "FillIn", NULL, b->text);
		para(d, "FillIn", NULL, "");
		para(d, "FillIn", NULL, "");
		break;
	case SD_ISSUER:
		signature_xml(d, b->text, *i + 1 < doc->n && doc->b[*i + 1].kind == SD_DATE ? doc->b[++*i].text : "");
		break;
	case SD_DATE: para(d, "Signature", "<w:ind w:right=\"1280\"/>", b->text); break;
	case SD_PARA:
		if (b->nruns)
			runs_para(d, b);
		else
			para(d, NULL, NULL, b->text);
		break;
	}
}

/* document.xml and its relationships. */
static void document_xml(struct docx *d, const struct sd_doc *doc, int image_rid, int footer_rid)
{
	int figures = 0;

	put(&d->doc, XML_HEAD "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\""
			      " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
			      " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
			      " xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>");
	for (size_t i = 0; i < doc->n; i++)
		block_xml(d, doc, &i, image_rid, &figures);
	/* A4, GB/T 9704's margins, 22 lines of 28 characters */
	putf(&d->doc, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId%d\"/>"
		      "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"%ld\" w:right=\"%ld\" w:bottom=\"%ld\" "
		      "w:left=\"%ld\" w:header=\"851\" w:footer=\"%ld\" w:gutter=\"0\"/>"
		      "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"560\" w:charSpace=\"0\"/></w:sectPr></w:body></w:document>",
	     footer_rid, TWIPS(SD_TOP_MM), TWIPS(SD_PAGE_W_MM - SD_LEFT_MM - SD_TEXT_MM), TWIPS(SD_PAGE_H_MM - SD_TOP_MM - SD_TEXT_H_MM),
	     TWIPS(SD_LEFT_MM), TWIPS(SD_PAGE_H_MM - SD_TOP_MM - SD_TEXT_H_MM - 12));
}

/* ---- the fixed parts ---- */

#define RFONTS(f) "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"" f "\"/>"
#define NO_INDENT "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
#define PSTYLE(id, name, based, ppr, rpr)                                                                      \
	"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>"     \
	"<w:basedOn w:val=\"" based "\"/><w:qFormat/><w:pPr>" ppr "</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"
#define BORDER(side) "<w:" side " w:val=\"dashed\" w:sz=\"4\" w:space=\"4\" w:color=\"808080\"/>"
#define TBORDER(side) "<w:" side " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"

/* GB/T 9704: body 仿宋 三号 (16 pt) on a 28 pt pitch (固定值 28 磅), headings 黑体
 * and 楷体, the title 小标宋 二号 (22 pt); tables 五号 (10.5 pt). */
static const char *const styles_xml[] = {
	XML_HEAD "<w:styles xmlns:w=\"" NS_W "\">",
	"<w:docDefaults><w:rPrDefault><w:rPr>" RFONTS("仿宋_GB2312")
	"<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"zh-CN\" w:eastAsia=\"zh-CN\"/>"
	"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/></w:pPr>"
	"</w:pPrDefault></w:docDefaults>",
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
	"<w:pPr><w:widowControl w:val=\"0\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/>"
	"</w:pPr><w:rPr>" RFONTS("仿宋_GB2312") "</w:rPr></w:style>",
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:line=\"760\" w:lineRule=\"exact\"/>" NO_INDENT
	"<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"方正小标宋简体\" "
	"w:hAnsi=\"方正小标宋简体\" w:eastAsia=\"方正小标宋简体\"/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>",
	"<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"290\" w:line=\"520\" w:lineRule=\"exact\"/>"
	NO_INDENT "<w:jc w:val=\"center\"/></w:pPr><w:rPr>" RFONTS("楷体_GB2312")
	"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>",
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>"
	"<w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\"/></w:rPr></w:style>",
	"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr>"
	"<w:rFonts w:ascii=\"楷体_GB2312\" w:hAnsi=\"楷体_GB2312\" w:eastAsia=\"楷体_GB2312\"/></w:rPr></w:style>",
	"<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\" "
	"w:line=\"400\" w:lineRule=\"exact\"/>" NO_INDENT "<w:jc w:val=\"center\"/></w:pPr><w:rPr>"
	"<w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"
	"</w:rPr></w:style>",
	PSTYLE("Figure", "图", "Normal", "<w:keepNext/><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" "
	       "w:lineRule=\"auto\"/>" NO_INDENT "<w:jc w:val=\"center\"/>", ""),
	PSTYLE("TableText", "表格文字", "Normal", "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"260\" "
	       "w:lineRule=\"auto\"/>" NO_INDENT "<w:jc w:val=\"left\"/>", "<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>"),
	PSTYLE("TableHead", "表头", "TableText", "<w:jc w:val=\"center\"/>",
	       "<w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\"/>"),
	PSTYLE("TableNote", "表格注", "TableText", "",
	       "<w:color w:val=\"595959\"/><w:sz w:val=\"14\"/><w:szCs w:val=\"14\"/>"),
	PSTYLE("FillIn", "待填写", "Normal", "<w:pBdr>" BORDER("top") BORDER("left") BORDER("bottom") BORDER("right")
	       "</w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FAF7E6\"/>", "<w:color w:val=\"595959\"/>"),
	PSTYLE("Signature", "落款", "Normal", NO_INDENT "<w:jc w:val=\"right\"/>", ""),
	"<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>" NO_INDENT
	"<w:jc w:val=\"center\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/>"
	"<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>",
	"<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr>"
	"<w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/></w:rPr></w:style>",
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
	"<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
	"<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
	"</w:tblCellMar></w:tblPr></w:style>",
	"<w:style w:type=\"table\" w:customStyle=\"1\" w:styleId=\"SummaryTable\"><w:name w:val=\"总结表格\"/>"
	"<w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>" TBORDER("top") TBORDER("left") TBORDER("bottom")
	TBORDER("right") TBORDER("insideH") TBORDER("insideV") "</w:tblBorders><w:tblCellMar><w:top w:w=\"40\" "
	"w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"60\" "
	"w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
	"</w:styles>",
	NULL,
};

/* The fonts the styles name, each with the substitute Word takes when the
 * machine lacks it. */
#define FONT(name, alt, family)                                                                                \
	"<w:font w:name=\"" name "\"><w:altName w:val=\"" alt "\"/><w:charset w:val=\"86\"/><w:family w:val=\"" family \
	"\"/><w:pitch w:val=\"variable\"/></w:font>"
static const char fonts_xml[] = XML_HEAD "<w:fonts xmlns:w=\"" NS_W "\">" FONT("仿宋_GB2312", "仿宋", "modern")
	FONT("方正小标宋简体", "宋体", "script") FONT("黑体", "SimHei", "modern") FONT("楷体_GB2312", "楷体", "modern")
	FONT("宋体", "SimSun", "auto") "<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/>"
	"<w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>";

static const char settings_xml[] =
	XML_HEAD "<w:settings xmlns:w=\"" NS_W "\"><w:defaultTabStop w:val=\"420\"/>"
	"<w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:compatSetting "
	"w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
	"<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>";

/* The page number as GB/T 9704 writes it: — 1 — */
static const char footer_xml[] =
	XML_HEAD "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>"
	"<w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:fldSimple w:instr=\" PAGE \\* Arabic \"><w:r><w:t>1</w:t></w:r>"
	"</w:fldSimple><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

#define CT "application/vnd.openxmlformats-officedocument."
static const char content_types_xml[] =
	XML_HEAD "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"" CT "wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" ContentType=\"" CT "wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/word/settings.xml\" ContentType=\"" CT "wordprocessingml.settings+xml\"/>"
	"<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT "wordprocessingml.fontTable+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT "wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" ContentType=\"" CT "extended-properties+xml\"/></Types>";

static const char package_rels_xml[] =
	XML_HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
	"core-properties\" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL "extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

static const char app_xml[] =
	XML_HEAD "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>kepu</Application></Properties>";

static void core_xml(struct xw *x, const struct sd_doc *doc)
{
	time_t t = (time_t)doc->created;
	struct tm tm;
	char when[32];

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	put(x, XML_HEAD "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
		    "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/"
		    "terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	esc(x, doc->title);
	put(x, "</dc:title><dc:creator>");
	esc(x, doc->issuer);
	putf(x, "</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
		"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified></cp:coreProperties>",
	     when, when);
}

/* ---- the zip ---- */

/* Add a part (data must live until zip_close). */
static int add_part(zip_t *z, const char *name, const void *data, size_t len, int store, struct kerr *e)
{
	zip_source_t *s = zip_source_buffer(z, data, len, 0);
	zip_int64_t i;

	if (!s || (i = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return kerr_set(e, KERR_IO, "cannot add %s to the Word file: %s", name, zip_strerror(z));
	}
	if (store)
		zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
	return 0;
}

/* The zip's bytes out of the source it was written to. */
static int zip_bytes(zip_source_t *src, struct kbuf *out, struct kerr *e)
{
	zip_stat_t st;
	char chunk[65536];
	zip_int64_t n;
	int rc = 0;

	if (zip_source_open(src) < 0)
		return kerr_set(e, KERR_IO, "cannot read the Word file back: %s", zip_error_strerror(zip_source_error(src)));
	zip_stat_init(&st);
	while (rc == 0 && (n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
		rc = kbuf_add(out, chunk, (size_t)n, e);
	zip_source_close(src);
	return rc;
}

struct parts {
	struct docx d;
	struct xw core, styles;
	struct kbuf png;
	int image_rid, footer_rid;
};

/* Every part into p (the chart drawn, document.xml and its relationships
 * written). */
static int make_parts(struct parts *p, const struct sd_doc *doc, struct kerr *e)
{
	const struct sd_chart *chart = NULL;

	for (size_t i = 0; i < doc->n && !chart; i++)
		chart = doc->b[i].kind == SD_CHART ? doc->b[i].chart : NULL;
	p->d.next_rid = 1;
	put(&p->d.rels, XML_HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
	relate(&p->d, "styles", "styles.xml", 0);
	relate(&p->d, "settings", "settings.xml", 0);
	relate(&p->d, "fontTable", "fontTable.xml", 0);
	p->footer_rid = relate(&p->d, "footer", "footer1.xml", 0);
	if (chart) {
		if (summary_chart_png(chart, SD_TEXT_MM, SD_CHART_H_MM, &p->png, e) < 0)
			return -1;
		p->image_rid = relate(&p->d, "image", "media/chart.png", 0);
	}
	document_xml(&p->d, doc, p->image_rid, p->footer_rid);
	put(&p->d.rels, "</Relationships>");
	core_xml(&p->core, doc);
	for (size_t i = 0; styles_xml[i]; i++)
		put(&p->styles, styles_xml[i]);
	return p->d.doc.failed || p->d.rels.failed || p->core.failed || p->styles.failed ? -1 : 0;
}

static int zip_parts(const struct parts *p, struct kbuf *out, struct kerr *e)
{
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *z;
	int rc;

	zip_error_init(&zerr);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &zerr)))
		return kerr_set(e, KERR_NOMEM, "out of memory");
	zip_source_keep(src);
	if (!(z = zip_open_from_source(src, ZIP_TRUNCATE, &zerr))) {
		zip_source_free(src);
		return kerr_set(e, KERR_IO, "cannot make the Word file: %s", zip_error_strerror(&zerr));
	}
	rc = add_part(z, "[Content_Types].xml", content_types_xml, strlen(content_types_xml), 0, e) < 0 ||
	     add_part(z, "_rels/.rels", package_rels_xml, strlen(package_rels_xml), 0, e) < 0 ||
	     add_part(z, "word/document.xml", p->d.doc.b.data, p->d.doc.b.len, 0, e) < 0 ||
	     add_part(z, "word/_rels/document.xml.rels", p->d.rels.b.data, p->d.rels.b.len, 0, e) < 0 ||
	     add_part(z, "word/styles.xml", p->styles.b.data, p->styles.b.len, 0, e) < 0 ||
	     add_part(z, "word/settings.xml", settings_xml, strlen(settings_xml), 0, e) < 0 ||
	     add_part(z, "word/fontTable.xml", fonts_xml, strlen(fonts_xml), 0, e) < 0 ||
	     add_part(z, "word/footer1.xml", footer_xml, strlen(footer_xml), 0, e) < 0 ||
	     (p->png.len && add_part(z, "word/media/chart.png", p->png.data, p->png.len, 1, e) < 0) ||
	     add_part(z, "docProps/core.xml", p->core.b.data, p->core.b.len, 0, e) < 0 ||
	     add_part(z, "docProps/app.xml", app_xml, strlen(app_xml), 0, e) < 0
		     ? -1
		     : 0;
	if (rc < 0)
		zip_discard(z);
	else if (zip_close(z) < 0) {
		rc = kerr_set(e, KERR_IO, "cannot make the Word file: %s", zip_strerror(z));
		zip_discard(z);
	} else
		rc = zip_bytes(src, out, e);
	zip_source_free(src);
	return rc;
}

int summary_docx(const struct sd_doc *doc, struct kbuf *out, struct kerr *e)
{
	struct parts p;
	int rc;

	memset(&p, 0, sizeof(p));
	kbuf_init(&p.d.doc.b, 64 * 1024 * 1024);
	kbuf_init(&p.d.rels.b, 16 * 1024 * 1024);
	kbuf_init(&p.core.b, 64 * 1024);
	kbuf_init(&p.styles.b, 64 * 1024);
	kbuf_init(&p.png, 64 * 1024 * 1024);
	p.d.doc.e = p.d.rels.e = p.core.e = p.styles.e = e;
	rc = make_parts(&p, doc, e);
	if (rc == 0)
		rc = zip_parts(&p, out, e);
	kbuf_release(&p.d.doc.b);
	kbuf_release(&p.d.rels.b);
	kbuf_release(&p.core.b);
	kbuf_release(&p.styles.b);
	kbuf_release(&p.png);
	return rc;
}
