#!/usr/bin/python3
"""tests/soak.py: `make soak`, a simulated September against the fake platform server.

The fake server runs in world mode (tests/fakeplatform.c, header: "World mode"): its
clock is set before every run, posts appear at their listing time in newest-first
pages, their counts grow and stop, some are deleted three days after they were
posted, some generic-feed posts are listed days late, a mirror feed lists Douyin's
posts with day-old counts, and one generic item is dated December.  kepu runs with
KEPU_NOW set to the same simulated time, the way the README's cron runs it:

  every 30 minutes, 2025-09-01 00:00 to 2025-09-30 23:30 (+08:00), 1,440 ticks:
      kepu collect --alert-after 3; kepu collect --refresh --alert-after 3
  every night at 03:15:  kepu collect --backfill --source feed
  October, every 6 hours (collect, refresh) and the nightly backfill, to 2025-10-31;
  then a final refresh at 2025-10-31 23:00 (campaign.report_until is 2025-10-31).

Injected: about 5% faulty requests (the server's chance faults, @PCT), 55 short
outages (a platform answering 500/503 to its search and its detail pages for one to
four ticks), 5 outages of Bilibili's video pages alone (the search answers, the
/view look-ups fail), a weekend-long Weibo block (HTTP 432, Saturday 00:00 to Monday
00:00), three kill -9s of a running collection and five overlapping collections.

Then each check is one line, `soak: N passed, N failed` ends the output, and the
exit status is 1 when any check failed:
  (a) every campaign post the world listed during a run while its source was
      readable (not blocked, not in an outage) is stored, unless it lies in a gap
      kepu reported (its stderr's `source 'x': gap: posts from A to B`)
  (b) after the final refresh every stored, undeleted post's counts are the world's
      final counts within 1% (each count the world knows)
  (c) no count in the snapshot history (refused = 0 rows, by observed_at) went down
      in a row written by a source other than the one before (the README's promise),
      and none went down at all: the world never lowers a count, so any decrease is
      kepu's (each decrease listed with the sources that wrote the two rows)
  (d) nothing stored twice: no (platform, post_id) twice, no post under an id or
      platform the world does not have
  (e) the WAL (DB-wal) never exceeded 64 MiB (its size every 10 ms, and after every run)
  (f) deleted posts have deleted_at, and no other post has
  (g) each overlapping collection exited 75; each killed run is `interrupted` and
      lost nothing stored before it
  (h) every exit status was 0, 1 or 75 (no usage error, no crash)
and a table of the run.  Options: --days N simulates only the first N days of
September (development; `make soak` runs them all), --keep keeps the work folder.
Python 3 of Debian only (no pip): json, sqlite3, subprocess, urllib.
"""

import argparse
import collections
import datetime
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BUILD = os.environ.get("BUILD", "build")
KEPU = os.path.join(BUILD, "kepu")
GEN = os.path.join(BUILD, "kepu-gen")
FAKE = os.path.join(BUILD, "fakeplatform")

CST = datetime.timezone(datetime.timedelta(hours=8))
SEPT = datetime.datetime(2025, 9, 1, tzinfo=CST)
OCT = datetime.datetime(2025, 10, 1, tzinfo=CST)
FINAL = datetime.datetime(2025, 10, 31, 23, 0, tzinfo=CST)
HALF_HOUR = 1800
SEED = 20250901
POSTS = 6500
WAL_LIMIT = 64 << 20
COUNTS = ("views", "likes", "comments", "shares", "favorites", "coins")

# kepu's sources and what they are on the fake server: the fault platform, and
# which world feed each lists
SOURCES = {
    "weibo": ("weibo", "weibo"),
    "bili": ("bilibili", "bilibili"),
    "douyin": ("douyin", "douyin"),
    "feed": ("generic", "generic"),
    "mirror": ("mirror", "douyin"),
}
# background faults, about 5% of the requests of each kind: the search pages
# (a 5xx, a cut connection, half a body, or a post repeated from the page
# before) and the detail pages (503)
BACKGROUND = ["*:*:500:0@1.5", "*:*:503:0@1.5", "*:*:drop:0@0.5", "*:*:truncated:0@1",
              "*:*:dup:0@0.5", "*:*:detail:0@5"]
SLOW = "*:1:slow:1"  # the first page 1 asked sleeps 5 s: the run is still going on

GAP_RE = re.compile(r"source '([^']+)': gap: posts from (\d{4}-\d\d-\d\d \d\d:\d\d) to "
                    r"(\d{4}-\d\d-\d\d \d\d:\d\d)")


def ts(dt):
    return int(dt.timestamp())


def cst(t):
    return datetime.datetime.fromtimestamp(t, CST).strftime("%Y-%m-%d %H:%M")


def parse_cst_minute(s):
    return ts(datetime.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=CST))


class Soak:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="kepu-soak.")
        self.db = os.path.join(self.dir, "soak.db")
        self.cfg = os.path.join(self.dir, "kepu.json")
        self.log = open(os.path.join(self.dir, "runs.log"), "w", encoding="utf-8")
        self.fake = None
        self.port = None
        self.rng = random.Random(SEED)
        self.runs = []          # dicts: t, kind, rc, readable (sources), stderr
        self.gaps = []          # (source, lo, hi, t)
        self.exits = collections.Counter()
        self.wal_max = 0
        self.faults_now = None
        self.results = []
        self.kill_checks = []   # (killed run id or None, posts before, posts after)
        self.overlaps = []      # (rc of the first, rc of the second)
        self.fired = collections.Counter()

    # ---- the fake server
    def get(self, path):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.port, path), timeout=60) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:
            raise SystemExit("soak: the fake server refused %s: HTTP %d %s" % (path, e.code, e.read()))

    def start_fake(self, data):
        self.fake_err = open(os.path.join(self.dir, "fake.err"), "w")
        self.fake = subprocess.Popen([FAKE, "--data", data, "--clock", str(ts(SEPT))],
                                     stdout=subprocess.PIPE, stderr=self.fake_err, text=True)
        line = self.fake.stdout.readline()
        m = re.match(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not m:
            raise SystemExit("soak: fakeplatform did not start: %r" % line)
        self.port = int(m.group(1))

    def clock(self, t):
        self.get("/_control/clock?now=%d" % t)

    def harvest(self):
        """Count what the faults about to be dropped fired."""
        stats = json.loads(self.get("/_control/stats"))
        for f in stats["faults"]:
            self.fired["chance" if "@" in f["spec"] else "outage"] += f["fired"]
        return stats

    def set_faults(self, specs):
        if specs == self.faults_now:
            return
        self.harvest()
        self.get("/_control/unfault")
        for s in specs:
            self.get("/_control/fault?spec=" + urllib.request.quote(s, safe=""))
        self.faults_now = list(specs)

    # ---- the data and the config
    def make_data(self):
        data = os.path.join(self.dir, "world.ndjson")
        out = subprocess.run([GEN, "--seed", str(SEED), "--count", str(POSTS)], check=True,
                             capture_output=True).stdout.decode()
        lines = out.splitlines()
        # kepu-gen spreads its posts over September (+08:00); say so if it stops
        lo, hi = None, None
        for l in lines:
            d = json.loads(l)
            c = d["created_at"]
            if isinstance(c, int):
                t = c
            else:  # ISO 8601 with an offset, or "YYYY-MM-DD HH:MM:SS" in +08:00
                dt = datetime.datetime.fromisoformat(c)
                t = ts(dt if dt.tzinfo else dt.replace(tzinfo=CST))
            lo = t if lo is None or t < lo else lo
            hi = t if hi is None or t > hi else hi
        if lo < ts(SEPT) or hi >= ts(OCT):
            raise SystemExit("soak: kepu-gen's posts are not all in September: %s to %s"
                             % (cst(lo), cst(hi)))
        self.data_span = (lo, hi)
        # one generic item dated December, listed from the start (listed_at)
        for l in lines:
            d = json.loads(l)
            if d["platform"] == "xiaohongshu" and "#千万IP创科普" in d["text"]:
                d["post_id"] = "future" + d["post_id"][6:]
                d["url"] = "https://www.xiaohongshu.com/explore/" + d["post_id"]
                d["created_at"] = "2025-12-24T20:00:00+08:00"
                d["listed_at"] = "2025-09-01T00:00:00+08:00"
                self.future = ("xiaohongshu", d["post_id"])
                lines.append(json.dumps(d, ensure_ascii=False))
                break
        with open(data, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        # the campaign's posts: what kepu keeps of the same posts imported
        # (listed_at is the fake server's, not an import field)
        ref, refdata = os.path.join(self.dir, "ref.db"), os.path.join(self.dir, "ref.ndjson")
        with open(refdata, "w", encoding="utf-8") as f:
            for l in lines:
                d = json.loads(l)
                d.pop("listed_at", None)
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        subprocess.run([KEPU, "--db", ref, "import", "-q", refdata], check=True)
        con = sqlite3.connect(ref)
        self.campaign = {(p, i) for p, i in con.execute("SELECT platform, post_id FROM posts")}
        con.close()
        return data

    def write_config(self):
        base = "http://127.0.0.1:%d" % self.port
        common = {"base_url": base, "min_interval_ms": 0, "max_pages": 20, "overlap_hours": 48,
                  "retries": 3, "retry_backoff_ms": 10, "timeout_s": 10, "refresh_budget": 2000}
        fields = {"platform": "/platform", "post_id": "/item_id", "url": "/link",
                  "author_id": "/user/id", "author_name": "/user/name",
                  "author_location": "/user/location", "ip_location": "/ip_label",
                  "created_at": "/publish_time", "title": "/title", "text": "/content",
                  "topics": "/tags", "views": "/metrics/view", "likes": "/metrics/like",
                  "comments": "/metrics/comment", "shares": "/metrics/share",
                  "favorites": "/metrics/collect", "cover_url": "/cover", "media": "/media_type"}
        feed = {"items": "/data/list", "fields": fields, "time_format": "YYYY-MM-DD HH:MM:SS",
                "paging": {"kind": "page", "has_more": "/data/has_more"}}
        cfg = {"campaign": {"report_until": "2025-10-31"}, "sources": [
            dict(common, name="weibo", platform="weibo"),
            dict(common, name="bili", platform="bilibili"),
            dict(common, name="douyin", platform="douyin", order="newest"),
            # the campaign platform lists works after a review of up to 4 days:
            # an overlap that covers it (README, Under cron), and the nightly
            # backfill; pages of 100 so that a backfill of the month fits in
            # max_pages
            dict(common, name="feed", platform="generic", overlap_hours=96, page_size=100,
                 url="{base_url}/open/v1/feed?page={page}&size={size}",
                 detail={"url": "{base_url}/open/v1/item?id={id}", "item": "/data/item",
                         "gone": "/data/deleted"}, **feed),
            # a vendor's mirror of the Douyin posts, its counts a day old
            dict(common, name="mirror", platform="generic", item_platform="douyin",
                 url="{base_url}/open/v1/mirror?page={page}&size={size}",
                 detail={"url": "{base_url}/open/v1/mirror/item?id={id}", "item": "/data/item",
                         "gone": "/data/deleted"}, **feed),
        ]}
        with open(self.cfg, "w", encoding="utf-8") as f:
            json.dump(cfg, f, ensure_ascii=False, indent=1)

    # ---- the schedule
    def plan(self, ticks):
        rng = self.rng
        n = len(ticks)
        sat = datetime.datetime(2025, 9, 13, tzinfo=CST)  # Saturday 00:00 to Monday 00:00
        self.block = (ts(sat), ts(sat) + 2 * 86400)
        blocked = {i for i, t in enumerate(ticks) if self.block[0] <= t < self.block[1]}
        self.outages = []  # (source, first tick, ticks, status); status 0: the detail pages only
        down = collections.defaultdict(set)
        views_down = set()
        while len(self.outages) < max(1, 55 * n // (30 * 48)):
            src = rng.choice(sorted(SOURCES))
            first, length = rng.randrange(2, n - 4), rng.randint(1, 4)
            span = set(range(first, first + length))
            if span & down[src] or (src == "weibo" and span & blocked):
                continue
            down[src] |= span
            self.outages.append((src, first, length, rng.choice((500, 503))))
        while len(self.outages) < max(2, 60 * n // (30 * 48)):
            first, length = rng.randrange(2, n - 4), rng.randint(1, 2)
            span = set(range(first, first + length))
            if span & (down["bili"] | views_down):
                continue
            views_down |= span
            self.outages.append(("bili", first, length, 0))
        busy = set().union(*down.values()) | blocked | views_down
        free = [i for i in range(min(48, n // 4), n - 1) if i not in busy and (i - 1) not in busy]
        picks = rng.sample(free, min(8, len(free)))
        self.kills, self.overlap_ticks = set(picks[:3]), set(picks[3:])
        self.down = down

    def readable(self, i, t):
        """The sources readable at tick i (time t)."""
        r = set()
        for s in SOURCES:
            if i is not None and i in self.down[s]:
                continue
            if s == "weibo" and self.block[0] <= t < self.block[1]:
                continue
            r.add(s)
        return r

    def faults_for(self, i, t):
        specs = []
        if i is not None:
            for src, first, length, status in self.outages:
                if first <= i < first + length:
                    plat = SOURCES[src][0]
                    if status:
                        specs.append("%s:*:%d:0" % (plat, status))
                    specs.append("%s:*:detail:0" % plat)
        if self.block[0] <= t < self.block[1]:
            specs.append("weibo:*:432:0")
        return specs + BACKGROUND

    # ---- runs
    def wal(self):
        try:
            size = os.path.getsize(self.db + "-wal")
        except OSError:
            size = 0  # kepu's last connection removes it on a clean exit
        self.wal_max = max(self.wal_max, size)

    def wal_watch(self):
        """The WAL's size every 10 ms while kepu runs (a clean exit removes the file,
        so a look after each run alone would miss its peak)."""
        while not self.stop.wait(0.01):
            self.wal()

    def kepu_cmd(self, *args):
        return [KEPU, "--config", self.cfg, "--db", self.db, "collect"] + list(args)

    def env(self, t):
        e = dict(os.environ)
        e["KEPU_NOW"] = str(t)
        return e

    def record(self, t, kind, rc, err, readable):
        self.runs.append({"t": t, "kind": kind, "rc": rc, "readable": readable})
        self.exits["killed" if kind == "killed" else rc] += 1
        for m in GAP_RE.finditer(err):
            self.gaps.append((m.group(1), parse_cst_minute(m.group(2)), parse_cst_minute(m.group(3)) + 59, t))
        if err.strip() or rc not in (0,):
            self.log.write("== %s %s exit %s\n%s" % (cst(t), kind, rc, err if err.endswith("\n") or not err else err + "\n"))
        self.wal()

    def run(self, t, kind, args, readable):
        self.clock(t)
        p = subprocess.run(self.kepu_cmd(*args), env=self.env(t), capture_output=True, text=True)
        self.record(t, kind, p.returncode, p.stderr, readable)
        return p.returncode

    def posts_stored(self):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        try:
            return con.execute("SELECT count(*) FROM posts").fetchone()[0]
        finally:
            con.close()

    def max_run_id(self):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        try:
            return con.execute("SELECT coalesce(max(id), 0) FROM runs").fetchone()[0]
        finally:
            con.close()

    def killed_run(self, t, i):
        """A collection killed with SIGKILL after a random short delay."""
        before_posts, before_id = self.posts_stored(), self.max_run_id()
        self.set_faults([SLOW] + self.faults_for(i, t))
        self.clock(t)
        p = subprocess.Popen(self.kepu_cmd("--alert-after", "3"), env=self.env(t),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(self.rng.uniform(0.3, 2.0))
        p.send_signal(signal.SIGKILL)
        _, err = p.communicate()
        self.record(t, "killed", -9, err, set())
        self.faults_now = None  # the slow fault may not have fired
        self.kill_checks.append([before_id, before_posts, None])

    def overlapping(self, t, i, readable):
        """Two collections at once: the second must exit 75."""
        self.set_faults([SLOW] + self.faults_for(i, t))
        self.clock(t)
        a = subprocess.Popen(self.kepu_cmd("--alert-after", "3"), env=self.env(t),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)  # a holds the lock: its first page 1 sleeps 5 s
        b = subprocess.run(self.kepu_cmd("--alert-after", "3"), env=self.env(t + 1),
                           capture_output=True, text=True)
        _, aerr = a.communicate()
        self.record(t, "collect", a.returncode, aerr, readable)
        self.record(t, "overlap", b.returncode, b.stderr, set())
        self.overlaps.append((a.returncode, b.returncode, b.stderr.strip()))
        self.faults_now = None

    def tick(self, i, t):
        readable = self.readable(i, t)
        self.set_faults(self.faults_for(i, t))
        if i in self.kills:
            self.killed_run(t, i)
            self.set_faults(self.faults_for(i, t))
        if i in self.overlap_ticks:
            self.overlapping(t, i, readable)
            self.set_faults(self.faults_for(i, t))
        else:
            self.run(t, "collect", ["--alert-after", "3"], readable)
        for k in self.kill_checks:
            if k[2] is None:
                k[2] = self.posts_stored()
        self.run(t + 60, "refresh", ["--refresh", "--alert-after", "3"], readable)

    def backfill(self, i, t):
        self.set_faults(self.faults_for(i, t))
        self.run(t, "backfill", ["--backfill", "--source", "feed"], self.readable(i, t) & {"feed"})

    def simulate(self):
        days = self.args.days
        sept = [ts(SEPT) + k * HALF_HOUR for k in range(days * 48)]
        self.plan(sept)
        octo = [ts(OCT) + k * 6 * 3600 for k in range(31 * 4)] if days == 30 else []
        start = time.monotonic()
        for i, t in enumerate(sept):
            self.tick(i, t)
            if t % 86400 == (3 * 3600 - 8 * 3600) % 86400:  # 03:00 +08:00: the backfill at 03:15
                self.backfill(i, t + 15 * 60)
            if (i + 1) % 48 == 0:
                c = collections.Counter(r["rc"] for r in self.runs)
                print("soak: %s done, %d runs, exits %s, WAL max %.1f MiB, %.0f s" % (
                    cst(t)[:10], len(self.runs), dict(sorted(c.items(), key=str)),
                    self.wal_max / 2**20, time.monotonic() - start), flush=True)
        for t in octo:
            self.tick(None, t)
            if t % 86400 == (0 - 8 * 3600) % 86400:  # the 00:00 tick: the backfill at 03:15
                self.backfill(None, t + 3 * 3600 + 15 * 60)
        self.final_t = ts(FINAL) if days == 30 else sept[-1] + 3600
        self.set_faults([])  # the final refresh: the platforms answer
        self.run(self.final_t, "final refresh", ["--refresh"], set(SOURCES))
        stats = self.harvest()
        self.requests = sum(n for k, n in stats["requests"].items() if k not in ("health", "not_found"))

    # ---- checks
    def check(self, name, ok, detail=""):
        self.results.append(ok)
        print("soak: %s %s%s" % ("PASS" if ok else "FAIL", name, (": " + detail) if detail else ""))

    def verify(self):
        world = json.loads(self.get("/_control/world?now=%d" % self.final_t))["posts"]
        wkey = {(p["platform"], p["post_id"]): p for p in world}
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
        cols = ", ".join(COUNTS)
        stored = {}
        rows = con.execute("SELECT id, platform, post_id, created_at, deleted_at, %s FROM posts" % cols)
        dup_rows = 0
        for r in rows:
            k = (r[1], r[2])
            dup_rows += k in stored
            stored[k] = {"id": r[0], "created_at": r[3], "deleted_at": r[4],
                         "counts": dict(zip(COUNTS, r[5:]))}
        runs = [r for r in self.runs if r["kind"] in ("collect", "backfill")]
        feeds = {s: SOURCES[s][1] for s in SOURCES}

        # (a) the posts the world listed while their source was readable
        expected, missing, in_gap = set(), [], []
        for k, p in wkey.items():
            if k not in self.campaign:
                continue
            srcs = [s for s in SOURCES if feeds[s] == p["feed"]]
            lo, hi = p["listed_from"], p["deleted_at"]
            seen = any(r["t"] >= lo and (hi is None or r["t"] + 120 < hi) and
                       (r["readable"] & set(srcs)) for r in runs)
            if not seen:
                continue
            expected.add(k)
            if k in stored:
                continue
            gap = [g for g in self.gaps if g[0] in srcs and g[1] <= p["created_at"] <= g[2]]
            (in_gap if gap else missing).append((k, p, gap))
        self.expected, self.missing, self.in_gap = expected, missing, in_gap
        detail = "%d expected, %d stored, %d missing, %d only in a reported gap" % (
            len(expected), len(expected & set(stored)), len(missing), len(in_gap))
        self.check("(a) every post listed while its source was readable is stored", not missing, detail)
        for k, p, _ in missing[:20]:
            print("    missing %s:%s created %s listed %s..%s" % (
                k[0], k[1], cst(p["created_at"]), cst(p["listed_from"]),
                cst(p["deleted_at"]) if p["deleted_at"] else ""))
        future = self.future in stored
        self.check("(a) the December item is stored", future)

        # (b) counts after the final refresh
        worst, bad, compared = 0.0, [], 0
        for k, s in stored.items():
            p = wkey.get(k)
            if p is None or s["deleted_at"] is not None or p["deleted"]:
                continue
            for c in COUNTS:
                w = p["counts"][c]
                if w is None:
                    continue
                compared += 1
                got = s["counts"][c]
                err = 100.0 if got is None else (abs(got - w) / w * 100 if w else (0.0 if got == 0 else 100.0))
                worst = max(worst, err)
                if err > 1.0:
                    bad.append((k, c, got, w))
        self.count_err = worst
        self.check("(b) every count within 1% of the world's final count", not bad,
                   "%d counts compared, %d off, worst %.2f%%" % (compared, len(bad), worst))
        for k, c, got, w in bad[:20]:
            print("    %s:%s %s: stored %s, world %s" % (k[0], k[1], c, got, w))

        # (c) no count ever went down in the state rows
        down = []
        last = {}
        names = dict(con.execute("SELECT id, name FROM sources"))
        q = ("SELECT post, observed_at, source, %s FROM snapshots WHERE refused = 0"
             " ORDER BY post, observed_at" % cols)
        for r in con.execute(q):
            prev = last.get(r[0])
            src = names.get(r[2], str(r[2]))
            if prev is not None:
                for j, c in enumerate(COUNTS):
                    if prev[1][j] is not None and r[3 + j] is not None and r[3 + j] < prev[1][j]:
                        down.append((r[0], c, prev[0], prev[1][j], r[1], r[3 + j], prev[2], src))
            last[r[0]] = (r[1], r[3:], src)
        byid = {s["id"]: k for k, s in stored.items()}
        self.down = down
        sec = lambda t: datetime.datetime.fromtimestamp(t, CST).strftime("%m-%d %H:%M:%S")
        for own, name in ((False, "(c) no count went down without its own source lowering it"),
                          (None, "(c) no count ever went down (the world never lowers one)")):
            sel = [d for d in down if own is None or (d[6] == d[7]) == own]
            self.check(name, not sel, "%d decreases in the snapshot history (refused = 0 rows)"
                       % len(sel))
            if own is None:  # those by two sources are listed above
                sel = [d for d in sel if d[6] == d[7]]
                if sel:
                    print("    %d of them by one source:" % len(sel))
            groups = collections.defaultdict(collections.Counter)
            for _, c, t0, _, t1, _, s0, s1 in sel:
                groups[(t0, s0, t1, s1)][c] += 1
            for (t0, s0, t1, s1), cs in sorted(groups.items())[:12]:
                print("    row of %s by %s, a lower one of %s by %s: %s" % (
                    sec(t0), s0, sec(t1), s1, ", ".join("%s %d" % kv for kv in sorted(cs.items()))))
            if len(groups) > 12:
                print("    ... %d more such pairs of rows" % (len(groups) - 12))
            for pid, c, t0, v0, t1, v1, s0, s1 in sel[:3]:
                k = byid.get(pid, ("?", "?"))
                print("    e.g. %s:%s %s: %s at %s (%s), then %s at %s (%s)" % (
                    k[0], k[1], c, v0, sec(t0), s0, v1, sec(t1), s1))

        # (d) duplicates
        alien = [k for k in stored if k not in wkey]
        ids = collections.Counter(k[1] for k in stored)
        wids = collections.Counter(k[1] for k in wkey)
        twice = [i for i, n in ids.items() if n > wids.get(i, 0)]
        self.check("(d) nothing stored twice", not dup_rows and not alien and not twice,
                   "%d repeated rows, %d ids the world does not have, %d ids under two platforms"
                   % (dup_rows, len(alien), len(twice)))
        for k in alien[:10]:
            print("    not in the world: %s:%s" % k)

        # (e) the WAL
        self.check("(e) the WAL never exceeded 64 MiB", self.wal_max <= WAL_LIMIT,
                   "max %.1f MiB" % (self.wal_max / 2**20))

        # (f) deletions
        gone = [k for k, s in stored.items() if k in wkey and wkey[k]["deleted"]]
        unmarked = [k for k in gone if stored[k]["deleted_at"] is None]
        false = [k for k, s in stored.items()
                 if s["deleted_at"] is not None and not (k in wkey and wkey[k]["deleted"])]
        self.deleted = (len(gone) - len(unmarked), len(gone))
        self.check("(f) deleted posts have deleted_at, no other post has",
                   not unmarked and not false,
                   "%d deleted in the world and stored, %d unmarked, %d marked wrongly"
                   % (len(gone), len(unmarked), len(false)))
        for k in (unmarked + false)[:10]:
            print("    %s:%s" % k)

        # (g) overlaps and kills
        ok = len(self.overlaps) == len(self.overlap_ticks) and all(
            b == 75 and a in (0, 1) for a, b, _ in self.overlaps)
        self.check("(g) each overlapping collection exited 75", ok,
                   "; ".join("first %s, second %s" % (a, b) for a, b, _ in self.overlaps))
        status = dict(con.execute("SELECT id, status FROM runs"))
        kills_ok = []
        for before_id, before, after in self.kill_checks:
            killed = [i for i in status if i > before_id][:1]
            kills_ok.append(bool(killed) and status[killed[0]] == "interrupted" and after >= before)
        self.check("(g) each killed run is interrupted and lost nothing",
                   len(kills_ok) == len(self.kills) and all(kills_ok),
                   "; ".join("run %s: %s, posts %d then %d" % (
                       ([i for i in status if i > b] or ["none"])[0],
                       status.get(([i for i in status if i > b] or [0])[0], "no row"), x, y)
                       for b, x, y in self.kill_checks))
        odd = {rc: n for rc, n in self.exits.items() if rc not in (0, 1, 75, "killed")}
        self.check("(h) every exit status was 0, 1 or 75", not odd, str(odd) if odd else "")
        con.close()

    def table(self, wall):
        kinds = collections.Counter(r["kind"] for r in self.runs)
        world_n = len(self.campaign)
        rows = [
            ("runs", "%d (%s)" % (len(self.runs), ", ".join("%s %d" % kv for kv in sorted(kinds.items())))),
            ("posts in the world", "%d (%d with the campaign tag)" % (POSTS + 1, world_n)),
            ("expected (listed while readable)", "%d" % len(self.expected)),
            ("stored", "%d" % self.stored_n),
            ("missing", "%d" % len(self.missing)),
            ("only in reported gaps", "%d" % len(self.in_gap)),
            ("deleted marked", "%d of %d" % self.deleted),
            ("count error max", "%.2f %%" % self.count_err),
            ("requests to the platforms", "%d" % self.requests),
            ("faulty answers", "%d chance faults (%.1f %%), %d in outages and blocks" % (
                self.fired["chance"], 100.0 * self.fired["chance"] / max(1, self.requests),
                self.fired["outage"])),
            ("outages", "%d (%d of Bilibili's video pages alone), Weibo blocked %s to %s" % (
                len(self.outages), sum(1 for o in self.outages if not o[3]),
                cst(self.block[0]), cst(self.block[1]))),
            ("exits by status", ", ".join("%s: %d" % (k, v) for k, v in
                                          sorted(self.exits.items(), key=lambda kv: str(kv[0])))),
            ("WAL max", "%.1f MiB" % (self.wal_max / 2**20)),
            ("wall time", "%d min %02d s" % (wall // 60, wall % 60)),
        ]
        print()
        print("| | |")
        print("|---|---:|")
        for k, v in rows:
            print("| %s | %s |" % (k, v))
        print()

    def main(self):
        t0 = time.monotonic()
        try:
            data = self.make_data()
            self.start_fake(data)
            self.write_config()
            subprocess.run([KEPU, "--db", self.db, "init"], check=True, capture_output=True)
            self.stop = threading.Event()
            watcher = threading.Thread(target=self.wal_watch, daemon=True)
            watcher.start()
            self.simulate()
            self.stop.set()
            watcher.join()
            self.verify()
            con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True)
            self.stored_n = con.execute("SELECT count(*) FROM posts").fetchone()[0]
            con.close()
            self.table(int(time.monotonic() - t0))
        finally:
            if self.fake:
                self.fake.terminate()
                self.fake.wait()
            self.log.close()
        failed = self.results.count(False)
        print("soak: %d passed, %d failed" % (len(self.results) - failed, failed))
        if failed or self.args.keep:
            print("soak: kept %s (runs.log: every run's standard error)" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description="kepu's soak test (see the docstring)")
    ap.add_argument("--days", type=int, default=30, help="simulate the first N days of September")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if not 1 <= args.days <= 30:
        ap.error("--days: 1 to 30")
    for b in (KEPU, GEN, FAKE):
        if not os.access(b, os.X_OK):
            raise SystemExit("soak: %s is missing: make %s" % (b, b))
    return Soak(args).main()


if __name__ == "__main__":
    sys.exit(main())
