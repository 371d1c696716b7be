#!/usr/bin/python3
"""tests/summary_check.py T: read back the summaries tests/summary_test.sh
wrote under T (T/one: 江津区's; T/all: every unit's and the city's; T/tg:
the same with campaign.targets; T/lo: the PDFs LibreOffice made of the
Word files) with python-docx, pdftotext and pypdf, and check them against
`kepu report --format json` (T/jj.json for the unit, T/city.json for the
city; T/tg-jj.json and T/tg-city.json with the targets).

Prints one line per check: `ok NAME` or `FAIL NAME: why`.  The figures
are formatted here independently, as README "Summaries" documents them:
tables 1,234,567 and 138.0, prose 4155.3万, shares 2.9%.
"""
import json
import os
import re
import subprocess
import sys
import zipfile
from xml.dom import minidom

import docx
import pypdf

T = sys.argv[1]
UNIT, CODE = "江津区", "500116"
DATE = "2025年9月22日"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# words of kepu's machine formats that a document for people must not show
MACHINE = ["in_chongqing", "source", "weibo", "bilibili", "douyin", "null", "None", "true", "false",
           "NaN", "account", "district_code", "needs_attention", "index_per_post", "platform"]
COUNTS = ["views", "likes", "comments", "shares", "favorites"]
LABELS = ["播放", "点赞", "评论", "转发", "收藏"]
# campaign.targets: the report JSON's key, the summary's word, measure and row of 表1
TARGETS = [("posts", "作品数", "件", "作品数（件）"), ("views", "播放量", "次", "播放（次）"),
           ("interactions", "互动量", "次", "互动量（次）")]
FIGURES_HEADS = {"previous": ["指标", "本期", "上一时段", "变化"], "none": ["指标", "本期", "上一时段", "变化"],
                 # the period before the campaign is no comparison: its halves (report.h)
                 "halves": ["指标", "本期", "前半程", "后半程较前半程"]}


def figures_head(jj):
    return FIGURES_HEADS[jj["comparison"]["mode"]]


def change_cell(now, before):
    """表1's 变化 as summary.c writes it, computed here from the JSON."""
    if before <= 0:
        return "新增" if now > 0 else "—"
    return "%+.1f%%" % (100.0 * (now - before) / before)
UNIT_TARGETS_HEAD = ["指标", "设定目标的单位（个）", "已完成的单位（个）", "完成比例"]


def ok(name, cond, why=""):
    print(f"ok {name}" if cond else f"FAIL {name}: {why}")


def thousands(n):
    return f"{n:,}"


def wan(n):
    """util/human.c human_wan: below 10,000 as is, then 万 or 亿 with one decimal."""
    if n < 10000:
        return str(n)
    for unit, word in ((10000, "万"), (100000000, "亿")):
        tenths = (n * 10 + unit // 2) // unit
        if word == "万" and (n >= 100000000 or tenths >= 100000):
            continue
        return f"{tenths // 10}.{tenths % 10}{word}" if tenths % 10 else f"{tenths // 10}{word}"


def pct(x):
    return f"{x:.1f}%"


def close(text, x):
    """text is x with one decimal (the JSON has two: allow the last digit to differ by one)."""
    try:
        return abs(float(text.replace(",", "")) - x) <= 0.051
    except ValueError:
        return False


def interactions(t):
    return sum(t[k] or 0 for k in ("likes", "comments", "shares", "favorites"))


def cell_text(cell):
    """Every w:t of a cell, hyperlinks included (python-docx 0.8 leaves those out)."""
    return "".join(t.text or "" for t in cell._tc.iter(W + "t"))


def rows(table):
    out = []
    for r in table.rows:
        seen, row = set(), []
        for c in r.cells:
            if id(c._tc) in seen:
                continue
            seen.add(id(c._tc))
            row.append(cell_text(c))
        out.append(row)
    return out


def doc_text(d):
    parts = ["".join(t.text or "" for t in p._p.iter(W + "t")) for p in d.paragraphs]
    for t in d.tables:
        parts += ["\t".join(r) for r in rows(t)]
    return "\n".join(parts)


def rank_of(city, code):
    """The leaderboard's place: by index, then posts; units without posts share the last."""
    units = city["districts"]
    me = next(u for u in units if u["district_code"] == code)
    if not me["posts"]:
        return 1 + sum(1 for u in units if u["posts"])
    return 1 + sum(1 for u in units if u["index"] > me["index"] or (u["index"] == me["index"] and u["posts"] > me["posts"]))


def pdf_text(path):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True).stdout.decode()


def flat(s):
    return re.sub(r"\s+", "", s)


# ---------------------------------------------------------------- the unit's Word file

def check_docx_parts(path, name):
    z = zipfile.ZipFile(path)
    names = z.namelist()
    bad = []
    for n in names:
        if n.endswith(".xml") or n.endswith(".rels"):
            try:
                minidom.parseString(z.read(n))
            except Exception as e:  # noqa: BLE001 - any parse error is the finding
                bad.append(f"{n}: {e}")
    ok(f"{name}: every part is well-formed XML", not bad, "; ".join(bad))
    need = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
            "word/_rels/document.xml.rels", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"]
    ok(f"{name}: the WordprocessingML parts", all(n in names for n in need), str(names))
    return z


def check_unit_docx(jj, city):
    path = os.path.join(T, "one", f"{CODE}-{UNIT}.docx")
    z = check_docx_parts(path, "unit docx")
    d = docx.Document(path)
    paras = d.paragraphs
    title = [p for p in paras if p.style.name == "Title"]
    want_title = f"{UNIT}2025年全国科普月“千万IP创科普”网络传播情况总结"
    ok("docx: the title, in style Title", len(title) == 1 and title[0].text.replace("\n", "") == want_title,
       repr([p.text for p in title]))
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    ok("docx: headings 一 二 三 四 in style Heading 1",
       h1 == ["一、活动开展情况", "二、传播成效", "三、典型作品", "四、下一步打算"], repr(h1))
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    ok("docx: sub-headings in style Heading 2", h2[:1] == ["（一）总体情况"], repr(h2))
    blanks = [p.text for p in paras if p.style.name == "待填写" and p.text]
    ok("docx: two blanks for the unit to write", len(blanks) == 2 and all("待填写" in b for b in blanks), repr(blanks))
    ok("docx: issuer and date at the end",
       [p.text for p in paras[-2:]] == [f"{UNIT}科学技术协会", DATE], repr([p.text for p in paras[-2:]]))
    check_unit_table(d, jj, city)
    check_works(d, z, jj)
    ok("docx: the chart is an inline picture", len(d.inline_shapes) == 1, str(len(d.inline_shapes)))
    png = z.read("word/media/chart.png")
    ok("docx: the chart is a PNG", png[:8] == b"\x89PNG\r\n\x1a\n", repr(png[:8]))
    footer = z.read("word/footer1.xml").decode()
    ok("docx: page numbers — N — from a PAGE field", "PAGE" in footer and "— " in footer and " —" in footer, footer[-300:])
    styles = z.read("word/styles.xml").decode()
    ok("docx: the styles name 仿宋, 黑体 and 小标宋",
       all(f in styles for f in ("仿宋_GB2312", "黑体", "方正小标宋简体")), "")
    body = z.read("word/document.xml").decode()
    ok("docx: A4 portrait", 'w:w="11906" w:h="16838"' in body, "")
    text = doc_text(d)
    found = [w for w in MACHINE if re.search(r"\b" + w + r"\b", text)]
    ok("docx: no machine words", not found, repr(found))
    return text


def check_unit_table(d, jj, city):
    t = jj["totals"]
    mode = jj["comparison"]["mode"]
    # what 表1 compares with, and what changed: the previous period and the
    # window, or the campaign's first half and its second
    p, c = (jj["first_half"], jj["second_half"]) if mode == "halves" else (jj["previous"], t)
    table = {r[0]: r[1:] for r in rows(d.tables[0])}
    ok("docx table: the head says what is compared (%s)" % mode, rows(d.tables[0])[0][:4] == figures_head(jj),
       repr(rows(d.tables[0])[0]))
    words = flat(doc_text(d))
    if mode == "halves":
        ok("docx: the campaign's second half against its first, in words, not the month before it",
           "活动后半程（" in words and "与前半程（" in words and "上一统计时段" not in words, "")
    else:
        ok("docx: the change against the previous period, in words", "上一统计时段（" in words, "")
    for label, key in (("作品数（件）", "posts"), ("作者数（人）", "authors")):
        ok(f"docx table: {label} = report JSON", table.get(label, [""])[0] == thousands(t[key]),
           f"{table.get(label)} vs {t[key]}")
        ok(f"docx table: {label}, compared with ({mode})", table.get(label, ["", ""])[1] == thousands(p[key]),
           f"{table.get(label)} vs {p[key]}")
        ok(f"docx table: {label}, its change ({mode})", table.get(label, ["", "", ""])[2] == change_cell(c[key], p[key]),
           f"{table.get(label)} vs {change_cell(c[key], p[key])}")
    for k, lab in zip(COUNTS, LABELS):
        want = thousands(t[k]) if t[k] is not None else "—"
        ok(f"docx table: {lab} = report JSON", table.get(f"{lab}（次）", [""])[0] == want, f"{table.get(lab + '（次）')} vs {want}")
    ok("docx table: 互动量 = likes + comments + shares + favorites",
       table.get("互动量（次）", [""])[0] == thousands(interactions(t)), f"{table.get('互动量（次）')} vs {interactions(t)}")
    ok("docx table: 互动指数 = report JSON", close(table.get("互动指数", [""])[0], t["index"]), f"{table.get('互动指数')} vs {t['index']}")
    ok("docx table: 篇均指数 = report JSON", close(table.get("篇均指数", [""])[0], t["index_per_post"]),
       f"{table.get('篇均指数')} vs {t['index_per_post']}")
    rank = rank_of(city, CODE)
    ok("docx table: the rank among the 41 units", table.get("全市排名", [""])[0].startswith(f"全市第 {rank} 名"),
       f"{table.get('全市排名')} vs {rank}")
    share = 100 * t["index"] / city["totals"]["index"]
    m = re.search(r"占全市 ([0-9.]+)%", table.get("与全市比较", [""])[0])
    ok("docx table: the share of the city", m and close(m.group(1), share), f"{table.get('与全市比较')} vs {share:.2f}")
    m = re.search(r"全市平均 ([0-9.]+)", table.get("与全市比较", [""])[0])
    ok("docx table: the city's average index per post", m and close(m.group(1), city["totals"]["index_per_post"]),
       f"{table.get('与全市比较')}")
    plat = {r[0]: r[1:] for r in rows(d.tables[1])[1:]}
    want = {x["label"]: thousands(x["posts"]) for x in jj["platforms"]}
    ok("docx: the platforms table = report JSON", {k: v[0] for k, v in plat.items()} == want, f"{plat} vs {want}")


def check_works(d, z, jj):
    works = rows(d.tables[-1])[1:]
    top = jj["top_works"][:len(works)]
    ok("docx: 1 to 5 top works", 1 <= len(works) <= 5, str(len(works)))
    same = all(w[1][:8] == re.sub(r"\s+", " ", t["title"] or "（无标题）")[:8] and w[2][:4] == (t["author_name"] or "—")[:4]
               and w[5] == thousands(interactions(t)) and close(w[6], t["index"]) for w, t in zip(works, top))
    ok("docx: the works table = report JSON's top works", same, f"{works[:2]} vs {top[:2]}")
    rels = z.read("word/_rels/document.xml.rels").decode()
    links = [x["url"] for x in top if x["url"]]
    ok("docx: each work's title links to it", all(f'Target="{u}"' in rels.replace("&amp;", "&") for u in links)
       and rels.count('TargetMode="External"') == len(links), f"{links}")
    body = z.read("word/document.xml").decode()
    ok("docx: the links are w:hyperlink", body.count("<w:hyperlink ") == len(links), str(body.count("<w:hyperlink ")))


# ---------------------------------------------------------------- the unit's PDF

def pdf_fonts_embedded(reader):
    fonts, bare = 0, []
    for page in reader.pages:
        res = page["/Resources"].get_object()
        for _, ref in res["/Font"].get_object().items():
            f = ref.get_object()
            fd = f.get("/FontDescriptor")
            if f.get("/Subtype") == "/Type0":
                fd = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            fd = fd.get_object() if fd is not None else {}
            fonts += 1
            if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bare.append(str(f.get("/BaseFont")))
    return fonts, bare


def check_unit_pdf(jj, city):
    path = os.path.join(T, "one", f"{CODE}-{UNIT}.pdf")
    reader = pypdf.PdfReader(path)
    ok("pdf: at most 3 pages for a unit", 1 <= len(reader.pages) <= 3, str(len(reader.pages)))
    w, h = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    ok("pdf: A4 portrait", abs(w - 595.3) < 1 and abs(h - 841.9) < 1, f"{w} x {h}")
    fonts, bare = pdf_fonts_embedded(reader)
    ok("pdf: every font embedded", fonts >= 2 and not bare, f"{fonts} fonts, not embedded: {bare}")
    names = {str(f.get_object().get("/BaseFont")) for p in reader.pages
             for f in p["/Resources"].get_object()["/Font"].get_object().values()}
    ok("pdf: Chinese faces (Noto Serif and Sans CJK SC)", any("NotoSerifCJK" in n for n in names) and any("NotoSansCJK" in n for n in names), str(names))
    text = pdf_text(path)
    ft = flat(text)
    t = jj["totals"]
    ok("pdf: the title", flat(f"{UNIT}2025年全国科普月“千万IP创科普”网络传播情况总结") in ft, text[:80])
    rank = rank_of(city, CODE)
    ok("pdf: the rank text 全市第 N 名", re.search(rf"全市第\s*{rank}\s*名", text) is not None, str(rank))
    ok("pdf: the figures in words (万)", flat(f"作品{wan(t['posts'])}件") in ft and flat(f"参与作者{wan(t['authors'])}人") in ft
       and all(flat(f"{lab}{wan(t[k])}次") in ft for k, lab in zip(COUNTS, LABELS) if t[k] is not None), "")
    ok("pdf: the figures in the table", all(thousands(t[k]) in text for k in ["posts"] + [c for c in COUNTS if t[c] is not None])
       and f"{t['index']:,.1f}"[:-1] in text, f"index {t['index']:,.1f}")
    ok("pdf: page numbers — N —", all(re.search(rf"—\s*{i}\s*—", text) for i in range(1, len(reader.pages) + 1)), "")
    ok("pdf: the date at the end", DATE in text and f"{UNIT}科学技术协会" in text, "")
    found = [w for w in MACHINE if re.search(r"\b" + w + r"\b", text)]
    ok("pdf: no machine words", not found, repr(found))
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in (p.get("/Annots") or [])
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    links = [x["url"] for x in jj["top_works"][:5] if x["url"]]
    ok("pdf: the works' titles are links", links and all(u in uris for u in links[:1]), f"{uris[:3]} vs {links[:1]}")
    outline = [o.title for o in reader.outline if not isinstance(o, list)]
    ok("pdf: the headings are bookmarks", outline[:2] == ["一、活动开展情况", "二、传播成效"], repr(outline))


# ---------------------------------------------------------------- every unit and the city

def check_all(city):
    d = os.path.join(T, "all")
    units = city["districts"]
    want = {f"{u['district_code']}-{u['district']}.{e}" for u in units for e in ("docx", "pdf")}
    want |= {"500000-重庆市.docx", "500000-重庆市.pdf"}
    have = set(os.listdir(d))
    ok("all: 42 Word files and 42 PDFs, named {code}-{name}", have == want, f"{sorted(have ^ want)[:6]}")
    ok("all: a code like cq-wansheng as is", "cq-wansheng-万盛经开区.pdf" in have, "")
    wrong, long_pdf, targets = [], [], []
    for u in units + [{"district_code": "500000", "district": "重庆市"}]:
        stem = os.path.join(d, f"{u['district_code']}-{u['district']}")
        if not os.path.exists(stem + ".docx"):
            continue
        doc = docx.Document(stem + ".docx")
        head = rows(doc.tables[0])[0]
        if any(w in doc_text(doc) or w in pdf_text(stem + ".pdf") for w in ("目标", "完成率")) or head != figures_head(city):
            targets.append(u["district"])
        if "posts" not in u:
            continue
        tab = {r[0]: r[1:] for r in rows(doc.tables[0])}
        if tab.get("作品数（件）", [""])[0] != thousands(u["posts"]) or not close(tab.get("互动指数", [""])[0], u["index"]):
            wrong.append(u["district"])
        if len(pypdf.PdfReader(stem + ".pdf").pages) > 3:
            long_pdf.append(u["district"])
    ok("all: every unit's figures = the city report's row", not wrong, repr(wrong))
    ok("all: every unit's PDF at most 3 pages", not long_pdf, repr(long_pdf))
    ok("all: no targets configured, no word of them (目标, 完成率, the columns)", not targets, repr(targets))
    check_city(d, city)


def check_city(d, city):
    order = sorted(city["districts"], key=lambda u: (-u["index"], -u["posts"]))
    doc = docx.Document(os.path.join(d, "500000-重庆市.docx"))
    title = [p.text.replace("\n", "") for p in doc.paragraphs if p.style.name == "Title"]
    ok("city: the title", title == ["重庆市2025年全国科普月“千万IP创科普”网络传播情况总结"], repr(title))
    board = next((rows(t) for t in doc.tables if rows(t)[0][:2] == ["排名", "单位"]), None)
    ok("city: the leaderboard of the 41 units", board is not None and len(board) == 42, str(board and len(board)))
    if board:
        ok("city: the leaderboard in the report's order", [r[1] for r in board[1:]] == [u["district"] for u in order],
           f"{[r[1] for r in board[1:4]]}")
        ok("city: ranks as the leaderboard's", all(r[0] == str(rank_of(city, u["district_code"])) for r, u in zip(board[1:], order)), "")
    text = doc_text(doc)
    idle = [u["district"] for u in city["districts"] if u["needs_attention"]]
    ok("city: the units needing attention", ("（五）需关注单位" in text) and all(n in text for n in idle)
       and (idle or "均有作品发布" in text), repr(idle))
    t = city["totals"]
    tab = {r[0]: r[1:] for r in rows(doc.tables[0])}
    ok("city: its totals = report JSON", tab.get("作品数（件）", [""])[0] == thousands(t["posts"])
       and close(tab.get("互动指数", [""])[0], t["index"]), f"{tab.get('作品数（件）')}")
    reader = pypdf.PdfReader(os.path.join(d, "500000-重庆市.pdf"))
    ptext = pdf_text(os.path.join(d, "500000-重庆市.pdf"))
    ok("city pdf: the leaderboard's first unit and the total", order[0]["district"] in ptext and thousands(t["posts"]) in ptext, "")
    ok("city pdf: page numbers on every page",
       all(re.search(rf"—\s*{i}\s*—", ptext) for i in range(1, len(reader.pages) + 1)), "")


# ---------------------------------------------------------------- targets (T/tg)

def progress(t):
    """A target's 完成率 as the summary writes it, from the report JSON's done and target."""
    return pct(100.0 * t["done"] / t["target"])


def target_sentence(targets):
    """The template's `targets` with `target_item` per figure that has a target."""
    items = [f"{fig}完成{progress(targets[k])}（目标{wan(targets[k]['target'])}{measure}）"
             for k, fig, measure, _ in TARGETS if targets[k]]
    return "对照活动目标，" + "，".join(items) + "。"


def units_met(city):
    """Per figure with units' targets: (word, units with a target, units that reached it)."""
    out = []
    for k, fig, _, _ in TARGETS:
        have = [u["targets"][k] for u in city["districts"] if u["targets"][k]]
        if have:
            out.append((fig, len(have), sum(1 for t in have if t["done"] >= t["target"])))
    return out


def check_figures_targets(name, doc, targets):
    """表1 with the columns 目标 and 完成率, filled in the rows of the figures that have a target."""
    t = rows(doc.tables[0])
    ok(f"{name}: 表1 has the columns 目标 and 完成率", t[0][4:] == ["目标", "完成率"] and t[0][:4] in FIGURES_HEADS.values(), repr(t[0]))
    tab = {r[0]: r for r in t[1:]}
    for k, fig, _, label in TARGETS:
        want = [thousands(targets[k]["target"]), progress(targets[k])] if targets[k] else ["", ""]
        have = tab.get(label, [""] * 6)[4:6]
        ok(f"{name}: 表1 {label}: target and 完成率 = report JSON", have == want, f"{have} vs {want}")
        if targets[k]:
            ok(f"{name}: 完成率 of {k} = report JSON's progress", close(want[1][:-1], targets[k]["progress"]),
               f"{want[1]} vs {targets[k]['progress']}")
    labels = {label for _, _, _, label in TARGETS}
    stray = [r for r in t[1:] if r[0] not in labels and len(r) == 6 and (r[4] or r[5])]
    ok(f"{name}: no target in the rows of other figures", not stray, repr(stray))


def check_targets(jj, city):
    d = os.path.join(T, "tg")
    unit = docx.Document(os.path.join(d, f"{CODE}-{UNIT}.docx"))
    want = target_sentence(jj["targets"])
    ok("targets: the unit's own (per_unit, and its views)", jj["targets"]["posts"] and jj["targets"]["views"]
       and not jj["targets"]["interactions"], repr(jj["targets"]))
    ok("targets: the unit's sentence = report JSON", flat(want) in flat(doc_text(unit)), want)
    check_figures_targets("targets: the unit", unit, jj["targets"])
    ptext = pdf_text(os.path.join(d, f"{CODE}-{UNIT}.pdf"))
    ok("targets: the unit's PDF, the sentence", flat(want) in flat(ptext), want)
    ok("targets: the unit's PDF, 表1's targets and 完成率",
       all(thousands(t["target"]) in ptext and ptext.count(progress(t)) >= 2 for t in jj["targets"].values() if t), "")
    wrong = []
    for u in city["districts"]:
        stem = os.path.join(d, f"{u['district_code']}-{u['district']}")
        if not u["targets"]["posts"] or flat(target_sentence(u["targets"])) not in flat(doc_text(docx.Document(stem + ".docx"))) \
                or flat(target_sentence(u["targets"])) not in flat(pdf_text(stem + ".pdf")):
            wrong.append(u["district"])
    ok("targets: every unit's sentence = the city report's row (Word and PDF)", not wrong, repr(wrong[:5]))
    wz = next(u for u in city["districts"] if u["district_code"] == "500101")
    ok("targets: a unit's own 互动量 over per_unit", wz["targets"]["interactions"] and not wz["targets"]["views"], repr(wz["targets"]))
    check_figures_targets("targets: 万州区", docx.Document(os.path.join(d, "500101-万州区.docx")), wz["targets"])

    doc = docx.Document(os.path.join(d, "500000-重庆市.docx"))
    want = target_sentence(city["targets"])
    ok("targets: the city's, without 互动量", city["targets"]["posts"] and not city["targets"]["interactions"], "")
    ok("targets: the city's sentence = report JSON", flat(want) in flat(doc_text(doc)), want)
    check_figures_targets("targets: the city", doc, city["targets"])
    met = units_met(city)
    words = "对照各单位目标，" + "，".join(f"{f}目标{n}个单位中{m}个已完成" for f, n, m in met)
    ok("targets: the units that reached theirs, in words", flat(words) in flat(doc_text(doc)), words)
    table = next((rows(t) for t in doc.tables if rows(t)[0] == UNIT_TARGETS_HEAD), None)
    want_rows = [[f, str(n), str(m), pct(100.0 * m / n)] for f, n, m in met]
    ok("targets: 各单位目标完成情况 = the report JSON's units", table and table[1:] == want_rows, f"{table} vs {want_rows}")
    ok("targets: some units reached a target, some did not", any(0 < m < n for _, n, m in met), repr(met))
    # a page may end inside a sentence: its page number is not part of it
    ptext = flat(re.sub(r"—\s*\d+\s*—", "", pdf_text(os.path.join(d, "500000-重庆市.pdf"))))
    ok("targets: the city's PDF, both sentences and the units' table", flat(want) in ptext and flat(words) in ptext
       and flat("各单位目标完成情况") in ptext and all(flat("".join(r)) in ptext for r in want_rows),
       [x for x, hit in ((want, flat(want) in ptext), (words, flat(words) in ptext)) if not hit]
       + [r for r in want_rows if flat("".join(r)) not in ptext])


# ---------------------------------------------------------------- LibreOffice's PDFs (T/lo)

def pdf_uris(reader):
    return [a.get_object()["/A"]["/URI"] for p in reader.pages for a in (p.get("/Annots") or [])
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]


def check_libreoffice(jj, city, tg_city):
    """The PDFs LibreOffice made of the Word files say what the Word files say: it read them."""
    lo = os.path.join(T, "lo")
    if not os.path.isdir(lo):
        return  # summary_test.sh counted soffice missing
    path = os.path.join(lo, "one", f"{CODE}-{UNIT}.pdf")
    if not os.path.exists(path):
        ok("LibreOffice: the unit's PDF", False, path)
        return
    text, reader = flat(pdf_text(path)), pypdf.PdfReader(path)
    t = jj["totals"]
    ok("LibreOffice, the unit: the title", flat(f"{UNIT}2025年全国科普月“千万IP创科普”网络传播情况总结") in text, text[:80])
    ok("LibreOffice, the unit: the headings", all(h in text for h in ("一、活动开展情况", "二、传播成效", "（一）总体情况", "三、典型作品", "四、下一步打算")), "")
    ok("LibreOffice, the unit: the figures in words",
       flat(f"作品{wan(t['posts'])}件") in text and flat(f"互动量合计{wan(interactions(t))}次") in text, "")
    ok("LibreOffice, the unit: 表1's figures", all(thousands(x) in text for x in (t["posts"], t["authors"], t["views"], interactions(t)))
       and f"{t['index']:,.1f}"[:-1] in text and f"全市第{rank_of(city, CODE)}名" in text, "")
    ok("LibreOffice, the unit: the platforms' table", all(x["label"] in text for x in jj["platforms"]), "")
    top = [x for x in jj["top_works"][:5] if x["url"]]
    ok("LibreOffice, the unit: the works' titles are links", top and top[0]["url"] in pdf_uris(reader), repr(pdf_uris(reader)[:3]))
    listed = subprocess.run(["pdfimages", "-list", path], capture_output=True, check=True).stdout.decode().splitlines()[2:]
    images = [x.split() for x in listed if x.split()[2:3] == ["image"]]
    ok("LibreOffice, the unit: the chart, one picture", len(images) == 1, repr(listed))
    ok("LibreOffice, the unit: the issuer and the date", flat(f"{UNIT}科学技术协会{DATE}") in text, "")
    outline = reader.outline
    h1 = [o.title for o in outline if not isinstance(o, list)]
    h2 = [o.title for x in outline if isinstance(x, list) for o in x]
    ok("LibreOffice, the unit: Heading 1 and 2 as outline levels (its bookmarks)",
       h1 == ["一、活动开展情况", "二、传播成效", "三、典型作品", "四、下一步打算"] and h2[:1] == ["（一）总体情况"], f"{h1} {h2}")
    meta = reader.metadata or {}
    ok("LibreOffice, the unit: the title and issuer from docProps/core.xml",
       meta.get("/Title") == f"{UNIT}2025年全国科普月“千万IP创科普”网络传播情况总结" and meta.get("/Author") == f"{UNIT}科学技术协会",
       repr(meta))
    ok("LibreOffice, the unit: page numbers — N —", all(f"—{i}—" in text for i in range(1, len(reader.pages) + 1)), "")
    ok("LibreOffice, the unit: A4 portrait", abs(float(reader.pages[0].mediabox.width) - 595.3) < 1, "")

    path = os.path.join(lo, "all", "500000-重庆市.pdf")
    text = flat(pdf_text(path)) if os.path.exists(path) else ""
    order = sorted(city["districts"], key=lambda u: (-u["index"], -u["posts"]))
    ok("LibreOffice, the city: the title and the total", flat("重庆市2025年全国科普月“千万IP创科普”网络传播情况总结") in text
       and thousands(city["totals"]["posts"]) in text, path)
    ok("LibreOffice, the city: the leaderboard's 41 units", all(u["district"] in text for u in order), "")
    path = os.path.join(lo, "tg", "500000-重庆市.pdf")
    text = flat(pdf_text(path)) if os.path.exists(path) else ""
    ok("LibreOffice, the city with targets: the sentence and 表1's targets", flat(target_sentence(tg_city["targets"])) in text
       and all(thousands(x["target"]) in text for x in tg_city["targets"].values() if x), path)
    ok("LibreOffice, the city with targets: 各单位目标完成情况", all(flat(f"{f}{n}{m}") in text for f, n, m in units_met(tg_city)), "")


def main():
    jj = json.load(open(os.path.join(T, "jj.json")))
    city = json.load(open(os.path.join(T, "city.json")))
    tg_jj = json.load(open(os.path.join(T, "tg-jj.json")))
    tg_city = json.load(open(os.path.join(T, "tg-city.json")))
    check_unit_docx(jj, city)
    check_unit_pdf(jj, city)
    check_all(city)
    check_targets(tg_jj, tg_city)
    check_libreoffice(jj, city, tg_city)


main()
