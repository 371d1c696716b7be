#!/usr/bin/env python3
"""Baseline importer: the same job as `kepu import`, written the way an analyst
would (json + re + sqlite3, one transaction, same tables).  It is the yardstick
the C importer is measured against, so it does all the work, plainly.

usage: python3 bench/baseline.py DB FILE.ndjson
prints: baseline: N lines, K kept, S skipped, E errors
"""
import json
import os
import re
import sqlite3
import sys
import time
from datetime import datetime, timedelta, timezone

SCHEMA = """
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL, post_id TEXT NOT NULL,
  url TEXT, author_id TEXT, author_name TEXT, author_location TEXT, ip_location TEXT,
  created_at INTEGER NOT NULL,
  title TEXT, text TEXT, topics TEXT,
  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,
  lower_bounds INTEGER NOT NULL DEFAULT 0,
  district_code TEXT, in_chongqing INTEGER,
  attribution_method TEXT NOT NULL DEFAULT 'none', attribution_confidence REAL, attribution_evidence TEXT,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
  UNIQUE (platform, post_id));
CREATE INDEX posts_by_created ON posts(created_at);
CREATE TABLE post_tags (post INTEGER NOT NULL, kind INTEGER NOT NULL, pos INTEGER NOT NULL, tag TEXT NOT NULL,
  PRIMARY KEY (post, kind, pos)) WITHOUT ROWID;
CREATE TABLE snapshots (post INTEGER NOT NULL, observed_at INTEGER NOT NULL,
  views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, favorites INTEGER,
  lower_bounds INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (post, observed_at)) WITHOUT ROWID;
"""

PLATFORMS = {"weibo", "bilibili", "douyin", "xiaohongshu", "kuaishou",
             "wechat_channels", "toutiao", "zhihu", "other"}
STRING_FIELDS = ("url", "author_id", "author_name", "author_location",
                 "ip_location", "title", "text")
COUNT_FIELDS = ("views", "likes", "comments", "shares", "favorites")

CAMPAIGN = "千万IP创科普"
CAMPAIGN_KEY = CAMPAIGN.casefold()
CAMPAIGN_RE = re.compile(
    r"(?<![A-Za-z0-9/&])[#＃]千万IP创科普(?:\[话题\])?(?:[#＃]|(?![\w]))", re.I)
# A hashtag: '#' not glued to a word/URL, up to 64 chars, optional [话题],
# ended by another '#', whitespace, common punctuation or end of text.
HASHTAG_RE = re.compile(
    r"(?<![A-Za-z0-9/&])[#＃]([^\s#＃，。！？、；：,!?;:]{1,64}?)(?:\[话题\])?"
    r"(?=[#＃\s，。！？、；：,!?;:]|$)")

UNITS = [
    ("500101", "万州区"), ("500102", "涪陵区"), ("500103", "渝中区"),
    ("500104", "大渡口区"), ("500105", "江北区"), ("500106", "沙坪坝区"),
    ("500107", "九龙坡区"), ("500108", "南岸区"), ("500109", "北碚区"),
    ("500110", "綦江区"), ("500111", "大足区"), ("500112", "渝北区"),
    ("500113", "巴南区"), ("500114", "黔江区"), ("500115", "长寿区"),
    ("500116", "江津区"), ("500117", "合川区"), ("500118", "永川区"),
    ("500119", "南川区"), ("500120", "璧山区"), ("500151", "铜梁区"),
    ("500152", "潼南区"), ("500153", "荣昌区"), ("500154", "开州区"),
    ("500155", "梁平区"), ("500156", "武隆区"), ("500229", "城口县"),
    ("500230", "丰都县"), ("500231", "垫江县"), ("500233", "忠县"),
    ("500235", "云阳县"), ("500236", "奉节县"), ("500237", "巫山县"),
    ("500238", "巫溪县"), ("500240", "石柱土家族自治县"),
    ("500241", "秀山土家族苗族自治县"), ("500242", "酉阳土家族苗族自治县"),
    ("500243", "彭水苗族土家族自治县"), ("cq-liangjiang", "两江新区"),
    ("cq-gaoxin", "重庆高新区"), ("cq-wansheng", "万盛经开区"),
]
UNIT_CODE = {name: code for code, name in UNITS}
# Longest names first so that no name is shadowed by a shorter one.
UNIT_RE = re.compile("|".join(re.escape(n) for n in
                              sorted(UNIT_CODE, key=len, reverse=True)))

NAIVE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?")
COUNT_RE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿)?(\+)?")
CST = timezone(timedelta(hours=8))
MULT = {None: 1, "万": 10_000, "亿": 100_000_000}


class Bad(Exception):
    pass


def parse_time(v):
    if isinstance(v, bool):
        raise Bad("created_at")
    if isinstance(v, int):
        return v
    if not isinstance(v, str):
        raise Bad("created_at")
    s = v.strip()
    if s.isdigit():
        return int(s)
    if NAIVE_TIME_RE.fullmatch(s):
        dt = datetime.fromisoformat(s).replace(tzinfo=CST)
        return int(dt.timestamp())
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise Bad("created_at")
    if dt.tzinfo is None:
        raise Bad("created_at")
    return int(dt.timestamp())


def parse_count(v):
    """-> (value or None, is_lower_bound)"""
    if v is None:
        return None, False
    if isinstance(v, bool):
        raise Bad("count")
    if isinstance(v, int):
        if v < 0:
            raise Bad("count")
        return v, False
    if isinstance(v, float):
        if v < 0 or v != v or not v.is_integer():
            raise Bad("count")
        return int(v), False
    if not isinstance(v, str):
        raise Bad("count")
    m = COUNT_RE.fullmatch(v.strip())
    if not m:
        raise Bad("count")
    num, unit, plus = m.groups()
    num = num.replace(",", "")
    if "." in num:
        if unit is None:
            raise Bad("count")
        n = round(float(num) * MULT[unit])
    else:
        n = int(num) * MULT[unit]
    return n, plus is not None


def opt_str(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    raise Bad("string field")


def clean_topic(t):
    return t.replace("[话题]", "").replace("#", "").replace("＃", "").strip()


def process(obj, now):
    """Validate and derive everything for one post -> row dict, or None if
    the post is not part of the campaign.  Raises Bad on invalid input."""
    if not isinstance(obj, dict):
        raise Bad("not an object")
    platform = obj.get("platform")
    if platform not in PLATFORMS:
        raise Bad("platform")
    pid = obj.get("post_id")
    if isinstance(pid, bool) or not isinstance(pid, (str, int)):
        raise Bad("post_id")
    pid = str(pid)
    if not pid:
        raise Bad("post_id")
    if "created_at" not in obj:
        raise Bad("created_at")
    created = parse_time(obj["created_at"])

    f = {k: opt_str(obj.get(k)) for k in STRING_FIELDS}
    topics = obj.get("topics")
    if topics is not None:
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise Bad("topics")

    counts = []
    lower = 0
    for i, k in enumerate(COUNT_FIELDS):
        n, lb = parse_count(obj.get(k))
        counts.append(n)
        if lb:
            lower |= 1 << i

    body = (f["title"] or "") + "\n" + (f["text"] or "")
    campaign = CAMPAIGN_RE.search(body) is not None
    if not campaign and topics:
        campaign = any(clean_topic(t).casefold() == CAMPAIGN_KEY for t in topics)
    if not campaign:
        return None

    tags = []
    seen = set()
    for t in HASHTAG_RE.findall(body):
        key = t.casefold()
        if key not in seen and any(c.isalpha() for c in t):
            seen.add(key)
            tags.append(t)

    hay = "\n".join((body, f["author_name"] or "", f["author_location"] or ""))
    m = UNIT_RE.search(hay)
    ip = f["ip_location"]
    al = f["author_location"]
    if m:
        district, in_cq = UNIT_CODE[m.group()], 1
        method, conf, evidence = "text", 0.9, m.group()
    elif (ip and "重庆" in ip) or (al and "重庆" in al):
        district, in_cq = None, 1
        method, conf, evidence = "ip", 0.6, ip if ip and "重庆" in ip else al
    elif ip and ip.strip():
        district, in_cq = None, 0
        method, conf, evidence = "ip", 0.6, ip
    else:
        district, in_cq = None, None
        method, conf, evidence = "none", None, None

    return (
        (platform, pid, f["url"], f["author_id"], f["author_name"],
         f["author_location"], ip, created, f["title"], f["text"],
         json.dumps(topics, ensure_ascii=False) if topics is not None else None,
         *counts, lower, district, in_cq, method, conf, evidence, now, now),
        tags, counts, lower)


UPSERT = """
INSERT INTO posts (platform, post_id, url, author_id, author_name, author_location,
  ip_location, created_at, title, text, topics, views, likes, comments, shares,
  favorites, lower_bounds, district_code, in_chongqing, attribution_method,
  attribution_confidence, attribution_evidence, first_seen, last_seen)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT(platform, post_id) DO UPDATE SET
  url=excluded.url, author_id=excluded.author_id, author_name=excluded.author_name,
  author_location=excluded.author_location, ip_location=excluded.ip_location,
  created_at=excluded.created_at, title=excluded.title, text=excluded.text,
  topics=excluded.topics, views=excluded.views, likes=excluded.likes,
  comments=excluded.comments, shares=excluded.shares, favorites=excluded.favorites,
  lower_bounds=excluded.lower_bounds, district_code=excluded.district_code,
  in_chongqing=excluded.in_chongqing, attribution_method=excluded.attribution_method,
  attribution_confidence=excluded.attribution_confidence,
  attribution_evidence=excluded.attribution_evidence, last_seen=excluded.last_seen
RETURNING id
"""


def main(argv):
    if len(argv) != 3:
        print("usage: python3 bench/baseline.py DB FILE.ndjson", file=sys.stderr)
        return 2
    db_path, src = argv[1], argv[2]
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)

    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)

    now = int(time.time())
    n = kept = skipped = errors = 0
    cur = db.cursor()
    cur.execute("BEGIN")
    with open(src, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            n += 1
            try:
                obj = json.loads(line)
                r = process(obj, now)
            except (ValueError, Bad):   # JSONDecodeError/UnicodeDecodeError are ValueErrors
                errors += 1
                continue
            if r is None:
                skipped += 1
                continue
            row, tags, counts, lower = r
            post = cur.execute(UPSERT, row).fetchone()[0]
            cur.execute("DELETE FROM post_tags WHERE post=?", (post,))
            cur.executemany("INSERT INTO post_tags VALUES (?,0,?,?)",
                            [(post, i, t) for i, t in enumerate(tags)])
            cur.execute("INSERT INTO post_tags VALUES (?,1,0,?)", (post, CAMPAIGN))
            cur.execute("INSERT OR REPLACE INTO snapshots VALUES (?,?,?,?,?,?,?,?)",
                        (post, now, *counts, lower))
            kept += 1
    cur.execute("COMMIT")
    db.close()
    print(f"baseline: {n} lines, {kept} kept, {skipped} skipped, {errors} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
