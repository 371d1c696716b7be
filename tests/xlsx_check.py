#!/usr/bin/python3
"""xlsx_check.py DIR

Reads the workbooks tests/xlsx_test.sh wrote into DIR with openpyxl and
compares them with what kepu wrote as JSON from the same database:

  report.xlsx    with report.json    (kepu report)
  unit.xlsx      a unit's page       (kepu report --district 渝中区)
  featured.xlsx  with featured.json  (kepu featured)
  export.xlsx    with export.ndjson  (kepu export)

Prints one line per check as `ok ...` or `FAIL ...`; the caller counts them.
"""
import json
import re
import sys
import zipfile
from datetime import datetime, timedelta

import openpyxl
from openpyxl.utils import get_column_letter

D = sys.argv[1]
COUNTS = ["views", "likes", "comments", "shares", "favorites", "coins"]
LABELS = ["播放", "点赞", "评论", "转发", "收藏", "投币"]
PLATFORMS = {"weibo": "微博", "bilibili": "哔哩哔哩", "douyin": "抖音", "xiaohongshu": "小红书", "kuaishou": "快手",
             "wechat_channels": "微信视频号", "toutiao": "今日头条", "zhihu": "知乎", "other": "其他"}
DOUYIN_ID = "7612345678901234567"  # tests/xlsx_test.sh's hand-written post
CJK = re.compile("[\u4e00-\u9fff]")
INT, REAL, PCT, LOWER = "#,##0", "#,##0.0", "0.0%", '#,##0"+"'
TIME, DATE = "yyyy-mm-dd hh:mm", "yyyy-mm-dd"


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"  ({detail})"))
    return cond


def all_ok(name, problems):
    """One check over many cells: ok when problems is empty."""
    problems = list(problems)
    return check(name, not problems, "; ".join(str(p) for p in problems[:5]))


def table(ws):
    """The header and the rows of the table at the top of ws, as dicts of
    header -> cell (a blank row ends the table: notes may follow)."""
    head = [c.value for c in ws[1]]
    rows = []
    for r in ws.iter_rows(min_row=2):
        if all(c.value is None for c in r):
            break
        rows.append({h: c for h, c in zip(head, r) if h is not None})
    return head, rows


def beijing(iso):
    """A JSON time (2025-09-02T10:15:00+08:00) as the naive Beijing time a cell holds."""
    return datetime.fromisoformat(iso).replace(tzinfo=None)


def same_time(cell, iso):
    return isinstance(cell.value, datetime) and abs(cell.value - beijing(iso)) < timedelta(seconds=1)


def count_problems(where, cell, value, lower):
    """A count cell against the JSON: null is an empty cell; a lower bound
    is the number, shown with "+", with a comment."""
    if value is None:
        if cell.value is not None:
            yield f"{where}: {cell.value!r} for an unknown count"
        return
    if isinstance(value, str):  # the export's "100000+"
        lower, value = value.endswith("+"), int(value.rstrip("+"))
    if not isinstance(cell.value, (int, float)) or isinstance(cell.value, bool) or cell.value != value:
        yield f"{where}: {cell.value!r} != {value}"
    elif cell.number_format != (LOWER if lower else INT):
        yield f"{where}: format {cell.number_format}"
    elif lower and not (cell.comment and "下限" in cell.comment.text):
        yield f"{where}: a lower bound without its comment"


def sheet_basics(wb, what):
    bad_names = [n for n in wb.sheetnames if len(n) > 31 or re.search(r"[\[\]:*?/\\]", n) or not CJK.search(n)]
    check(f"{what}: sheet names are Chinese and valid for Excel", not bad_names, bad_names)
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        # the unplaced works end with the columns `kepu district apply` reads, named as it reads them
        named = head[:-4] if ws.title == "未归属作品" and head[-4:] == ["platform", "post_id", "unit", "note"] else head
        check(f"{what} {ws.title}: headers in Chinese", head and all(h and CJK.search(h) for h in named), head)
        check(f"{what} {ws.title}: header row frozen", ws.freeze_panes == "A2", ws.freeze_panes)
        check(f"{what} {ws.title}: filter on the table", bool(ws.auto_filter.ref), ws.auto_filter.ref)
        narrow = []
        for i, h in enumerate(head, 1):
            w = ws.column_dimensions[get_column_letter(i)].width
            if not w or w < sum(2 if ord(ch) > 0x2E7F else 1 for ch in h):  # display width
                narrow.append((h, w))
        check(f"{what} {ws.title}: columns as wide as their headers", not narrow, narrow)


def human_date(iso):
    """2025-09-01 as people read it in a title: 2025年9月1日 (util/human.h)."""
    y, m, d = iso[:10].split("-")
    return "%s年%d月%d日" % (y, int(m), int(d))


def properties(wb, path, what, since, until):
    p = wb.properties
    check(f"{what}: title names the campaign", p.title and "千万IP创科普" in p.title, p.title)
    check(f"{what}: subject gives the window", p.subject and (since in p.subject or human_date(since) in p.subject)
          and (until in p.subject or human_date(until) in p.subject), p.subject)
    names = zipfile.ZipFile(path).namelist()
    custom = zipfile.ZipFile(path).read("docProps/custom.xml").decode() if "docProps/custom.xml" in names else ""
    check(f"{what}: custom properties 活动 and 统计时段", "活动" in custom and f">{since}<" in custom and f">{until}<" in custom)


# ---- the report ----

def check_report():
    path = f"{D}/report.xlsx"
    wb = openpyxl.load_workbook(path)
    r = json.load(open(f"{D}/report.json", encoding="utf-8"))
    check("report: a sheet per table", wb.sheetnames == ["总览", "区县排行", "区域概况", "区域内排名", "平台", "区县×平台", "每日", "热门作品",
                                                         "各区县热门作品", "未归属作品", "话题", "数据质量", "采集状态"], wb.sheetnames)
    sheet_basics(wb, "report")
    properties(wb, path, "report", r["window"]["since"], r["window"]["until"])
    t = r["totals"]

    _, rows = table(wb["总览"])
    now = {row["指标"].value: row["本期"] for row in rows}
    check("总览: posts", now["作品"].value == t["posts"] and now["作品"].number_format == INT, now["作品"].value)
    check("总览: authors", now["作者"].value == t["authors"])
    all_ok("总览: counts as the JSON's (unknown: empty)",
           [p for k, lab in zip(COUNTS, LABELS) for p in count_problems(lab, now[lab], t[k], False)])
    check("总览: index", abs(now["互动指数"].value - t["index"]) < 0.01 and now["互动指数"].number_format == REAL)
    notes = [c.value for c in wb["总览"]["A"] if c.value]
    check("总览: notes give the window and say how to read it",
          any(r["window"]["since"] in n for n in notes) and any("下限" in n for n in notes) and any("不是 0" in n for n in notes), notes[-4:])

    _, rows = table(wb["区县排行"])
    by_code = {d["district_code"]: d for d in r["districts"]}
    check("区县排行: every unit and the unknown unit", len(rows) == len(by_code) + 1, len(rows))
    probs = []
    for row in rows:
        code = row["代码"].value
        d = by_code.get(code) if code else r["chongqing_unit_unknown"]
        if d is None:
            probs.append(f"unknown code {code!r}")
            continue
        if not isinstance(code, (str, type(None))):
            probs.append(f"code {code!r} is not text")
        for h, k in (("作品", "posts"), ("作者", "authors")):
            if row[h].value != d[k] or row[h].number_format != INT:
                probs.append(f"{code} {h}: {row[h].value} != {d[k]}")
        for k, lab in zip(COUNTS, LABELS):
            probs += count_problems(f"{code} {lab}", row[lab], d[k], False)
        if abs(row["互动指数"].value - d["index"]) > 0.01 or row["互动指数"].number_format != REAL:
            probs.append(f"{code} index {row['互动指数'].value} != {d['index']}")
        if abs(row["占比"].value * 100 - d["share"]) > 0.01 or row["占比"].number_format != PCT:
            probs.append(f"{code} share {row['占比'].value} != {d['share']}%")
    all_ok("区县排行: figures as the JSON's, numbers formatted", probs)
    check("区县排行: codes are text", all(isinstance(row["代码"].value, str) for row in rows[:-1]))

    _, rows = table(wb["平台"])
    pf = {p["platform"]: p for p in r["platforms"] if p["posts"]}
    probs = []
    for row in rows:
        p = pf.get(row["标识"].value)
        if not p:
            probs.append(f"platform {row['标识'].value}")
            continue
        if row["作品"].value != p["posts"]:
            probs.append(f"{p['platform']} posts")
        for k, lab in zip(COUNTS, LABELS):
            probs += count_problems(f"{p['platform']} {lab}", row[lab], p[k], False)
    all_ok("平台: figures as the JSON's (a count the platform does not report is empty)", probs)
    check("平台: every platform with posts", len(rows) == len(pf), len(rows))

    head, rows = table(wb["区县×平台"])
    check("区县×平台: a column per platform with posts", head[1:-1] == [p["label"] for p in r["platforms"] if p["posts"]], head)
    check("区县×平台: totals are numbers", all(isinstance(row["合计"].value, int) for row in rows))

    _, rows = table(wb["每日"])
    probs = [d["date"] for d, row in zip(r["daily"], rows)
             if not (isinstance(row["日期"].value, datetime) and row["日期"].value.strftime("%Y-%m-%d") == d["date"]
                     and row["日期"].number_format == DATE and row["作品"].value == d["posts"])]
    all_ok("每日: dates are date cells, posts as the JSON's", probs + ([] if len(rows) == len(r["daily"]) else ["rows"]))

    _, rows = table(wb["热门作品"])
    probs = []
    for w, row in zip(r["top_works"], rows):
        if row["排名"].value != w["rank"] or row["作品编号"].value != w["post_id"]:
            probs.append(f"rank {w['rank']}: {row['作品编号'].value!r} != {w['post_id']!r}")
        if row["作品编号"].data_type != "s":
            probs.append(f"rank {w['rank']}: the id is not text")
        if not same_time(row["发布时间"], w["created_at"]) or row["发布时间"].number_format != TIME:
            probs.append(f"rank {w['rank']}: time {row['发布时间'].value} != {w['created_at']}")
        if w["url"] and not (row["链接"].hyperlink and row["链接"].hyperlink.target == w["url"]):
            probs.append(f"rank {w['rank']}: no link to {w['url']}")
        for k, lab in zip(COUNTS, LABELS):
            probs += count_problems(f"rank {w['rank']} {lab}", row[lab], w[k], k in w["lower_bounds"])
    all_ok("热门作品: ids, links, times and counts as the JSON's", probs + ([] if len(rows) == len(r["top_works"]) else ["rows"]))
    ids = [row["作品编号"].value for row in rows]
    check("热门作品: the 19-digit Douyin id exact", DOUYIN_ID in ids, ids[:3])
    check("热门作品: a lower bound shown with + and a comment",
          any(row[lab].number_format == LOWER and row[lab].comment for row in rows for lab in LABELS))

    _, rows = table(wb["话题"])
    check("话题: tags and posts as the JSON's",
          [(row["话题"].value, row["作品"].value) for row in rows] == [(h["tag"], h["posts"]) for h in r["hashtags"]])

    _, rows = table(wb["数据质量"])
    got = {row["标识"].value: row["作品"].value for row in rows}
    check("数据质量: methods as the JSON's", all(got.get(m) == n for m, n in r["attribution"]["by_method"].items()), got)


def check_unit():
    wb = openpyxl.load_workbook(f"{D}/unit.xlsx")
    check("unit page: its authors instead of the leaderboard",
          "作者" in wb.sheetnames and "区县排行" not in wb.sheetnames and "区县×平台" not in wb.sheetnames, wb.sheetnames)
    check("unit page: title names the unit", "渝中区" in (wb.properties.title or ""), wb.properties.title)
    sheet_basics(wb, "unit page")


# ---- the shortlist ----

def check_featured():
    path = f"{D}/featured.xlsx"
    wb = openpyxl.load_workbook(path)
    f = json.load(open(f"{D}/featured.json", encoding="utf-8"))
    check("featured: one sheet", wb.sheetnames == ["候选作品"], wb.sheetnames)
    sheet_basics(wb, "featured")
    properties(wb, path, "featured", f["since"], f["until"])
    _, rows = table(wb["候选作品"])
    check("featured: a row per work", len(rows) == len(f["works"]), len(rows))
    probs = []
    for w, row in zip(f["works"], rows):
        if row["排名"].value != w["rank"] or row["作品编号"].value != w["post_id"] or row["作品编号"].data_type != "s":
            probs.append(f"rank {w['rank']}: {row['作品编号'].value!r}")
        if row["平台"].value != PLATFORMS[w["platform"]] or row["区县代码"].value != w["district_code"]:
            probs.append(f"rank {w['rank']}: platform or code")
        if not same_time(row["发布时间"], w["created_at"]):
            probs.append(f"rank {w['rank']}: time")
        if w["url"] and not (row["链接"].hyperlink and row["链接"].hyperlink.target == w["url"]):
            probs.append(f"rank {w['rank']}: link")
        if abs(row["互动指数"].value - w["index"]) > 0.01 or row["互动指数"].number_format != REAL:
            probs.append(f"rank {w['rank']}: index")
        for k, lab in zip(COUNTS, LABELS):
            probs += count_problems(f"rank {w['rank']} {lab}", row[lab], w[k], k in w["lower_bounds"])
    all_ok("featured: works as the JSON's", probs)
    check("featured: the 19-digit Douyin id exact", DOUYIN_ID in [row["作品编号"].value for row in rows])


# ---- the export ----

def check_export():
    wb = openpyxl.load_workbook(f"{D}/export.xlsx")
    posts = [json.loads(line) for line in open(f"{D}/export.ndjson", encoding="utf-8")]
    check("export: one sheet", wb.sheetnames == ["作品"], wb.sheetnames)
    sheet_basics(wb, "export")
    _, rows = table(wb["作品"])
    check("export: a row per post", len(rows) == len(posts), f"{len(rows)} != {len(posts)}")
    probs = []
    lowers = 0
    for p, row in zip(posts, rows):
        where = p["post_id"]
        if row["作品编号"].value != p["post_id"] or row["作品编号"].data_type != "s":
            probs.append(f"{where}: id {row['作品编号'].value!r}")
        if row["平台"].value != PLATFORMS.get(p["platform"], p["platform"]):
            probs.append(f"{where}: platform {row['平台'].value}")
        if not same_time(row["发布时间"], p["created_at"]) or row["发布时间"].number_format != TIME:
            probs.append(f"{where}: time {row['发布时间'].value} != {p['created_at']}")
        if p["url"] and not (row["链接"].hyperlink and row["链接"].hyperlink.target == p["url"]):
            probs.append(f"{where}: link")
        if row["区县代码"].value != p["district_code"]:
            probs.append(f"{where}: code {row['区县代码'].value!r}")
        for k, lab in zip(COUNTS, LABELS):
            probs += count_problems(f"{where} {lab}", row[lab], p[k], False)
            lowers += isinstance(p[k], str)
    all_ok("export: every post as the NDJSON export has it", probs)
    check("export: lower bounds were there to check", lowers > 0)
    douyin = [row for row in rows if row["作品编号"].value == DOUYIN_ID]
    check("export: the 19-digit Douyin id exact, as text", len(douyin) == 1 and douyin[0]["作品编号"].data_type == "s")


for step in (check_report, check_unit, check_featured, check_export):
    try:
        step()
    except Exception as e:  # a crash is a failure, not a silent skip
        check(f"{step.__name__} ran", False, repr(e))
