#!/usr/bin/env python3
"""report_check.py EXPORT.ndjson REPORT.json CSV_DIR REPORT.md REPORT.html [SINCE UNTIL]

Recomputes the report's figures independently from `kepu export` output
(the posts with their attribution and latest counts) and compares them with
every format kepu wrote.  Prints one line per check as `ok ...` or
`FAIL ...`; the caller counts them.
"""
import csv
import json
import math
import re
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
COUNTS = ["views", "likes", "comments", "shares", "favorites", "coins"]
# coins weigh 0 by default (README "Engagement index")
WEIGHT = {"views": 0.10, "likes": 0.30, "comments": 0.25, "shares": 0.20, "favorites": 0.15, "coins": 0}
REF = {"views": 100000, "likes": 10000, "comments": 1000, "shares": 1000, "favorites": 1000, "coins": 1000}

results = []


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"  ({detail})"))


def count_value(v):
    if v is None:
        return None
    if isinstance(v, str):
        return int(v.rstrip("+"))
    return v


def index(post):
    s = w = 0.0
    for k in COUNTS:
        v = count_value(post[k])
        if v is None:
            continue
        s += WEIGHT[k] * math.log1p(v) / math.log1p(REF[k])
        w += WEIGHT[k]
    return 100 * s / w if w else 0.0


def main():
    export, rjson, csvdir, md, html = sys.argv[1:6]
    since = sys.argv[6] if len(sys.argv) > 6 else "2025-09-01"
    until = sys.argv[7] if len(sys.argv) > 7 else "2025-09-30"
    lo = datetime.fromisoformat(since + "T00:00:00+08:00")
    hi = datetime.fromisoformat(until + "T00:00:00+08:00") + timedelta(days=1)
    posts, before = [], []
    plo = lo - (hi - lo)
    for line in open(export, encoding="utf-8"):
        p = json.loads(line)
        t = datetime.fromisoformat(p["created_at"])
        if lo <= t < hi and p["in_chongqing"] is True:
            posts.append(p)
        elif plo <= t < lo and p["in_chongqing"] is True:
            before.append(p)
    rep = json.load(open(rjson, encoding="utf-8"))

    # totals
    tot = rep["totals"]
    check("totals.posts", tot["posts"] == len(posts), f'{tot["posts"]} vs {len(posts)}')
    authors = {(p["platform"], ("i" + p["author_id"]) if p["author_id"] else ("n" + (p["author_name"] or "")))
               for p in posts if p["author_id"] or p["author_name"]}
    check("totals.authors", tot["authors"] == len(authors), f'{tot["authors"]} vs {len(authors)}')
    for k in COUNTS:
        vals = [count_value(p[k]) for p in posts if p[k] is not None]
        want = sum(vals) if vals else None
        check(f"totals.{k}", tot[k] == want, f"{tot[k]} vs {want}")
    total_index = sum(index(p) for p in posts)
    check("totals.index", abs(tot["index"] - total_index) < 0.02 * max(1, len(posts)) / 100 + 0.05,
          f'{tot["index"]} vs {total_index:.2f}')

    # districts
    by = defaultdict(list)
    for p in posts:
        if p["district_code"]:
            by[p["district_code"]].append(p)
    ds = rep["districts"]
    check("41 districts", len(ds) == 41, str(len(ds)))
    bad = []
    for d in ds:
        ps = by.get(d["district_code"], [])
        if d["posts"] != len(ps):
            bad.append(f'{d["district"]} posts {d["posts"]} vs {len(ps)}')
        for k in COUNTS:
            vals = [count_value(p[k]) for p in ps if p[k] is not None]
            if d[k] != (sum(vals) if vals else None):
                bad.append(f'{d["district"]} {k} {d[k]} vs {sum(vals) if vals else None}')
        if abs(d["index"] - sum(index(p) for p in ps)) > 0.05:
            bad.append(f'{d["district"]} index')
        if (d["posts"] == 0) != d["needs_attention"]:
            bad.append(f'{d["district"]} needs_attention')
        if sum(d["daily_posts"]) != len(ps):
            bad.append(f'{d["district"]} daily sum')
    check("every district's posts, counts, index, daily", not bad, "; ".join(bad[:5]))

    check_leaderboard(rep, posts, before, lo, hi)
    check_groups(rep, posts, csvdir)

    # platforms
    byp = defaultdict(list)
    for p in posts:
        byp[p["platform"]].append(p)
    pl = {x["platform"]: x for x in rep["platforms"]}
    check("platforms", set(pl) == set(byp) and all(pl[k]["posts"] == len(v) for k, v in byp.items()),
          f"{ {k: x['posts'] for k, x in pl.items()} }")

    # daily
    days = defaultdict(int)
    for p in posts:
        days[datetime.fromisoformat(p["created_at"]).astimezone(CST).strftime("%Y-%m-%d")] += 1
    check("daily posts", all(d["posts"] == days.get(d["date"], 0) for d in rep["daily"]) and
          sum(d["posts"] for d in rep["daily"]) == len(posts))

    # top works: by index, then likes, then earlier
    ranked = sorted(posts, key=lambda p: (-round(index(p), 9), -(count_value(p["likes"]) or 0),
                                          p["created_at"], p["platform"], p["post_id"]))
    want = [p["post_id"] for p in ranked[:20]]
    got = [w["post_id"] for w in rep["top_works"]]
    check("top 20 works", got == want, f"{got[:3]} vs {want[:3]}")

    # hashtags used with the campaign tag
    tags = defaultdict(set)
    for p in posts:
        camp = {t.lower() for t in p["campaign_tags"]}
        if not camp:
            continue
        for t in p["hashtags"]:
            if t.lower() not in camp:
                tags[t.lower()].add((p["platform"], p["post_id"]))
    want = sorted(((len(v), k) for k, v in tags.items()), key=lambda x: (-x[0], x[1]))[:30]
    got = [(h["posts"], h["tag"].lower()) for h in rep["hashtags"]]
    check("hashtag counts", [g[0] for g in got] == [w[0] for w in want], f"{got[:3]} vs {want[:3]}")

    # CSV: the same figures
    rows = list(csv.DictReader(open(f"{csvdir}/districts.csv", encoding="utf-8-sig")))
    jd = {d["district_code"]: d for d in ds}
    ok = len([r for r in rows if r["代码"]]) == 41
    for r in rows:
        if not r["代码"]:
            continue
        d = jd[r["代码"]]
        ok = ok and int(r["作品"]) == d["posts"] and int(r["作者"]) == d["authors"]
        ok = ok and (r["点赞"] == "" if d["likes"] is None else int(r["点赞"]) == d["likes"])
    check("CSV districts match JSON", ok)
    raw = open(f"{csvdir}/districts.csv", "rb").read()
    check("CSV has a BOM", raw.startswith(b"\xef\xbb\xbf"))
    ov = {r["指标"]: r for r in csv.DictReader(open(f"{csvdir}/overview.csv", encoding="utf-8-sig"))}
    check("CSV overview posts", int(ov["作品"]["本期"]) == tot["posts"])
    tw = list(csv.DictReader(open(f"{csvdir}/top_works.csv", encoding="utf-8-sig")))
    check("CSV top works", [r["作品编号"] for r in tw] == got_ids(rep))

    ok = ok and all(int(r["互动量"] or -1) == (jd[r["代码"]]["interactions"] or -1) for r in rows if r["代码"])
    check("CSV districts' 互动量 and code (data files keep the code)", ok)

    # Markdown: every district row with its rank, posts and authors, no code
    text = open(md, encoding="utf-8").read()
    moved = 1 if rep["comparison"]["mode"] == "previous" else 0
    mdrows = {}
    for line in text.split("\n## 区县排行")[1].split("\n## ")[0].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) > 4 and cells[0].isdigit():
            mdrows[cells[1]] = cells
    ok = len(mdrows) == 41
    for d in ds:
        c = mdrows.get(d["district"], [""] * 6)
        ok = ok and c[0] == str(d["rank"]) and c[2 + moved] == f'{d["posts"]:,}' and c[3 + moved] == f'{d["authors"]:,}'
        ok = ok and d["district_code"] not in c
    check("Markdown district rows match JSON (rank, posts, authors; no code)", ok)
    # people read Markdown: thousands separated (util/human.h)
    check("Markdown totals", f'| 作品 | {tot["posts"]:,} |' in text, f'{tot["posts"]:,}')

    # HTML: the leaderboard's cells carry the exact values in data-v
    page = open(html, encoding="utf-8").read()
    ok = True
    for d in ds:
        m = re.search(r'<tr[^>]*data-code="%s">(.*?)</tr>' % re.escape(d["district_code"]), page, re.S)
        if not m:
            ok = False
            continue
        v = re.findall(r'data-v="([^"]*)"', m.group(1))
        # rank, name, [move], posts, authors, the counts (COUNTS' order), 互动量, index
        o = 2 + moved
        ok = ok and int(v[0]) == d["rank"] and v[1] == d["district"] and int(v[o]) == d["posts"]
        ok = ok and int(v[o + 1]) == d["authors"] and (d["likes"] is None or int(v[o + 3]) == d["likes"])
        ok = ok and (v[o + 2 + len(COUNTS)] or None) == (None if d["interactions"] is None else str(d["interactions"]))
        ok = ok and abs(float(v[o + 3 + len(COUNTS)]) - d["index"]) < 0.01
        ok = ok and d["district_code"] not in re.sub(r'data-code="[^"]*"', "", m.group(0)).replace("data-v", "")
    check("HTML leaderboard matches JSON (no code column)", ok)
    check("HTML total posts in prose (4155.3万 style)", f'共有作品 <b>{wan(tot["posts"])}</b> 件' in page, wan(tot["posts"]))
    return 0 if all(results) else 1


def interactions(ps):
    """互动量: likes + comments + shares + favorites of the posts that report them."""
    vals = [count_value(p[k]) for p in ps for k in ("likes", "comments", "shares", "favorites") if p[k] is not None]
    return sum(vals) if vals else None


def places(units):
    """units: [(code, index, posts)] in gazetteer order -> {code: place}; ties
    by posts then gazetteer order; units without works share the last place."""
    order = sorted(range(len(units)), key=lambda i: (-round(units[i][1], 6), -units[i][2], i))
    with_posts = sum(1 for u in units if u[2])
    return {units[i][0]: (k + 1 if units[i][2] else with_posts + 1) for k, i in enumerate(order)}


def check_leaderboard(rep, posts, before, lo, hi):
    ds = rep["districts"]
    by, prev = defaultdict(list), defaultdict(list)
    for p in posts:
        by[p["district_code"]].append(p)
    for p in before:
        prev[p["district_code"]].append(p)
    now = places([(d["district_code"], sum(index(p) for p in by[d["district_code"]]), len(by[d["district_code"]]))
                  for d in ds])
    bad = [d["district"] for d in ds if d["rank"] != now[d["district_code"]]]
    check("ranks (shared last place for units without works)", not bad, ", ".join(bad[:5]))
    last = [d["rank"] for d in ds if d["posts"] == 0]
    check("units without works share one rank", len(set(last)) <= 1 and all(r == 42 - len(last) for r in last), last)
    bad = [d["district"] for d in ds if d["interactions"] != interactions(by[d["district_code"]])]
    check("互动量 per district", not bad, ", ".join(bad[:5]))
    check("互动量 of the city", rep["totals"]["interactions"] == interactions(posts))
    # the comparison: the previous period, or the halves when it begins before the campaign (09-01)
    days = (hi - lo).days
    mode = "previous" if lo - (hi - lo) >= datetime.fromisoformat("2025-09-01T00:00:00+08:00") else \
        "halves" if days >= 2 else "none"
    check(f"comparison mode {mode}", rep["comparison"]["mode"] == mode, rep["comparison"]["mode"])
    if mode == "halves":
        half = timedelta(days=days // 2)
        first = [p for p in posts if datetime.fromisoformat(p["created_at"]) < lo + half]
        second = [p for p in posts if datetime.fromisoformat(p["created_at"]) >= hi - half]
        check("first half's works", rep["first_half"]["posts"] == len(first), f'{rep["first_half"]["posts"]} vs {len(first)}')
        check("second half's works", rep["second_half"]["posts"] == len(second))
        check("second half's index", abs(rep["second_half"]["index"] - sum(index(p) for p in second)) < 0.05)
    if mode == "previous":
        then = places([(d["district_code"], sum(index(p) for p in prev[d["district_code"]]),
                        len(prev[d["district_code"]])) for d in ds])
        bad = []
        for d in ds:
            c, ps = d["district_code"], prev[d["district_code"]]
            if d["previous_posts"] != len(ps) or abs(d["previous_index"] - sum(index(p) for p in ps)) > 0.05:
                bad.append(f'{d["district"]} previous')
            want = then[c] - now[c] if ps and by[c] else None
            if d["rank_change"] != want or d["previous_rank"] != (then[c] if ps else None):
                bad.append(f'{d["district"]} rank change {d["rank_change"]} vs {want}')
        check("previous period per district: works, index, rank change", not bad, "; ".join(bad[:5]))
        check("previous period's works", rep["previous"]["posts"] == len(before))


def check_groups(rep, posts, csvdir):
    """The regional groups of config/districts.json: totals and each group's own ranking."""
    gaz = json.load(open("config/districts.json", encoding="utf-8"))
    code = {u["name"]: u["id"] for u in gaz["units"]}
    gi = {g["id"]: g for g in rep["groups"]}
    check("4 regional groups, every unit in one", len(rep["groups"]) == 4 and
          sorted(c for g in gaz["groups"] for c in g["units"]) == sorted(code.values()))
    bad = []
    for g in gaz["groups"]:
        mine = [p for p in posts if p["district_code"] in g["units"]]
        x = gi.get(g["id"], {})
        if x.get("posts") != len(mine) or abs(x.get("index", -1) - sum(index(p) for p in mine)) > 0.05:
            bad.append(f'{g["name"]} totals')
        units = [(c, sum(index(p) for p in mine if p["district_code"] == c),
                  sum(1 for p in mine if p["district_code"] == c)) for c in sorted(g["units"], key=list(code.values()).index)]
        want = places(units)
        got = {u["district_code"]: u["rank_in_group"] for u in x.get("ranking", [])}
        if got != want:
            bad.append(f'{g["name"]} ranking')
        order = [u["district_code"] for u in x.get("ranking", [])]
        if [want[c] for c in order] != sorted(want.values()):
            bad.append(f'{g["name"]} order')
    check("groups: totals and each group's ranking", not bad, "; ".join(bad))
    rows = list(csv.DictReader(open(f"{csvdir}/group_rankings.csv", encoding="utf-8-sig")))
    check("CSV group rankings: every unit once, with its group rank",
          len(rows) == 41 and all(int(r["组内排名"]) == next(u["rank_in_group"] for g in rep["groups"]
                                                           for u in g["ranking"] if u["district_code"] == r["代码"])
                                  for r in rows))


def wan(n):
    """4155.3万 / 1.2亿 as util/human.c writes prose: an independent reading."""
    if n < 10000:
        return str(n)
    for unit, word in ((10**4, "万"), (10**8, "亿")):
        tenths = (n * 10 + unit // 2) // unit
        if unit == 10**4 and tenths >= 100000:
            continue
        return (f"{tenths // 10}.{tenths % 10}" if tenths % 10 else f"{tenths // 10}") + word
    return str(n)


def got_ids(rep):
    return [w["post_id"] for w in rep["top_works"]]


if __name__ == "__main__":
    sys.exit(main())
