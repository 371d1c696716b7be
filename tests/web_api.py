#!/usr/bin/python3
"""web_api.py: the web workspace's JSON API through the real `kepu serve`
on 127.0.0.1, with accounts made by the real `kepu user`, against a real
SQLite file.  Ends with `web: N passed, N failed`.

    BUILD     build directory holding kepu and kepu-gen
    VALGRIND  optional command prefix (make valgrind)
"""
import http.client
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

BUILD = os.environ.get("BUILD", "build")
VALGRIND = shlex.split(os.environ.get("VALGRIND", ""))
KEPU = VALGRIND + [os.path.join(BUILD, "kepu")]
T = tempfile.mkdtemp(prefix="kepu-web.")
DB = os.path.join(T, "w.db")
CONFIG = os.path.join(T, "kepu.json")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (name, detail))


def kepu(*args, stdin=None, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(KEPU + ["--config", CONFIG, "--db", DB] + list(args), input=stdin,
                          capture_output=True, text=True, env=e)


# ---- a database the way staff would have it ----
# Posts written the way people write them: one with a phone number (a
# flag), one nobody can place, one with markup in its title, two units.
POSTS = [
    {"platform": "douyin", "post_id": "7401000000000000001", "url": "https://www.douyin.com/video/7401000000000000001", "created_at": "2025-09-03T10:00:00+08:00",
     "author_name": "万州科协", "title": "#千万IP创科普# 万州的秋天有多美", "text": "#千万IP创科普# 在万州看科普展，咨询电话 13812345678",
     "views": 120000, "likes": 3400, "comments": 120, "shares": 80, "favorites": 60},
    {"platform": "douyin", "post_id": "7401000000000000002", "created_at": "2025-09-04T11:00:00+08:00",
     "author_name": "江津融媒", "title": "江津的科技馆", "text": "#千万IP创科普# 今天去了江津的科技馆，孩子们玩得很开心",
     "views": 90000, "likes": 2100, "comments": 90, "shares": 40, "favorites": 30},
    {"platform": "weibo", "post_id": "5206400000000000003", "created_at": "2025-09-05T09:30:00+08:00",
     "author_name": "路人甲", "text": "#千万IP创科普# 科普真有意思，大家一起来学习吧",
     "likes": 12, "comments": 3, "shares": 1},
    {"platform": "bilibili", "post_id": "BV1xx411c7mD", "created_at": "2025-09-06T20:00:00+08:00",
     "author_name": "科普UP主", "title": "<script>alert(1)</script>万州夜空",
     "text": "#千万IP创科普# 万州的星空 <img src=x onerror=alert(2)>", "views": 50000, "likes": 900,
     "comments": 40, "shares": 10, "favorites": 200},
    {"platform": "douyin", "post_id": "7401000000000000006", "url": "https://www.douyin.com/video/7401000000000000006",
     "created_at": "2025-09-08T19:00:00+08:00", "author_name": "江津青少年宫", "title": "江津少年科学营开营",
     "text": "#千万IP创科普# 江津少年科学营开营啦！报名请联系王老师 13987654321",
     "views": 80000, "likes": 1500, "comments": 60, "shares": 22, "favorites": 41},
    {"platform": "weibo", "post_id": "5206400000000000007", "created_at": "2025-09-09T12:00:00+08:00",
     "author_name": "热心市民", "text": "#千万IP创科普# 周末带娃去看了机器人展，长知识了",
     "likes": 30, "comments": 4, "shares": 2},
    {"platform": "weibo", "post_id": "5206400000000000008", "created_at": "2025-09-10T15:00:00+08:00",
     "author_id": "7788990011", "author_name": "小科普君", "text": "#千万IP创科普# 今天讲讲彩虹是怎么形成的",
     "likes": 8, "comments": 1, "shares": 0},
    {"platform": "douyin", "post_id": "7401000000000000005", "created_at": "2025-09-07T08:00:00+08:00",
     "author_name": "江津科协", "title": "江津科普日", "text": "#千万IP创科普# 江津区科普日活动现场",
     "views": 30000, "likes": 700, "comments": 20, "shares": 5, "favorites": 9},
]


def setup():
    with open(CONFIG, "w") as f:
        json.dump({"showcase": {"dir": os.path.join(T, "published")}}, f)
    path = os.path.join(T, "posts.ndjson")
    with open(path, "w") as f:
        for p in POSTS:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    r = kepu("import", "-q", path)
    check("import the posts", r.returncode == 0, r.stderr)
    for name, role, unit in (("reviewer1", "reviewer", None), ("viewer1", "viewer", None), ("viewer2", "viewer", None),
                             ("admin1", "admin", None), ("wanzhou", "district", "万州区"),
                             ("jiangjin", "district", "江津区")):
        args = ["user", "add", name, "--role", role] + (["--unit", unit] if unit else [])
        r = kepu(*args, stdin="correct horse battery %s\n" % name)
        check("user add %s" % name, r.returncode == 0, r.stderr)


class Server:
    def __init__(self, env=None, extra=(), scheme="http"):
        e = dict(os.environ)
        e.update(env or {})
        self.err = open(os.path.join(T, "serve.err"), "w+")
        self.p = subprocess.Popen(KEPU + ["--config", CONFIG, "--db", DB, "serve", "--listen", "127.0.0.1:0",
                                          "--threads", "2"] + list(extra),
                                  stdout=subprocess.DEVNULL, stderr=self.err, env=e)
        self.port = None
        for _ in range(400):
            self.err.seek(0)
            m = re.search(scheme + r"://127\.0\.0\.1:(\d+)/", self.err.read())
            if m:
                self.port = int(m.group(1))
                break
            if self.p.poll() is not None:
                break
            time.sleep(0.05)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return -1

    def log(self):
        self.err.seek(0)
        return self.err.read()


class Client:
    def __init__(self, server):
        self.port = server.port
        self.cookie = None
        self.csrf = None

    def req(self, method, path, body=None, headers=None, raw=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        text = r.read()
        c.close()
        try:
            j = json.loads(text)
        except ValueError:
            j = None
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), j, text

    def post(self, path, body, csrf=True, headers=None):
        h = dict(headers or {})
        if csrf and self.csrf:
            h.setdefault("X-CSRF-Token", self.csrf)
        return self.req("POST", path, body, h)

    def login(self, user, password=None):
        st, h, j, _ = self.req("POST", "/api/login", {"user": user, "password": password or "correct horse battery " + user})
        if st == 200:
            self.cookie = h["set-cookie"].split(";")[0]
            self.csrf = j["csrf"]
        return st, h, j


def decisions_by():
    r = kepu("review", "log")
    return [line.split("\t") for line in r.stdout.splitlines()[1:]]


def main():
    setup()
    srv = Server()
    check("serve starts and says where", srv.port is not None, srv.log())
    if srv.port is None:
        return
    anon = Client(srv)

    # ---- the page and its headers ----
    st, h, _, body = anon.req("GET", "/")
    check("GET / is the page", st == 200 and b'lang="zh-CN"' in body)
    csp = h.get("content-security-policy", "")
    check("a strict CSP: nothing but this server", "default-src 'none'" in csp and "script-src 'self'" in csp
          and "unsafe-inline" not in csp, csp)
    check("no inline script in the page", not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>", body))
    check("nosniff and no framing", h.get("x-content-type-options") == "nosniff" and h.get("x-frame-options") == "DENY")
    st, h, _, body = anon.req("GET", "/app.js")
    check("the script is served as JavaScript", st == 200 and h.get("content-type", "").startswith("text/javascript"))
    check("the page builds the DOM as text, never HTML", b"innerHTML" not in body and b"insertAdjacentHTML" not in body)
    st, _, j, _ = anon.req("GET", "/api/nothing")
    check("an unknown API is 404 JSON", st == 404 and j and "error" in j)
    st, _, j, _ = anon.req("GET", "/api/session")
    check("no session: nobody (200, user null)", st == 200 and j == {"user": None})
    st, _, _, _ = anon.req("GET", "/api/queue")
    check("the queue needs a login", st == 401)

    # ---- login ----
    st, h, j, _ = anon.req("POST", "/api/login", {"user": "reviewer1", "password": "wrong password!!"})
    check("wrong password: 401", st == 401 and "set-cookie" not in h)
    wrong = j
    st, h, j, _ = anon.req("POST", "/api/login", {"user": "nobody", "password": "wrong password!!"})
    check("unknown user: the same answer as a wrong password", st == 401 and j == wrong, repr((j, wrong)))
    st, _, _, _ = anon.req("POST", "/api/login", raw=b'{"user":"reviewer1","password":"x"}',
                           headers={"Content-Type": "text/plain"})
    check("a login that is not JSON: 415", st == 415)
    st, _, _, _ = anon.req("POST", "/api/login", raw=b"x" * 70000, headers={"Content-Type": "application/json"})
    check("a body over 64 KiB: 413", st == 413)

    rev = Client(srv)
    st, h, j = rev.login("reviewer1")
    check("login: 200", st == 200, repr(j))
    cookie = h.get("set-cookie", "")
    check("the cookie is HttpOnly and SameSite=Strict", "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie)
    check("login answers user, role, csrf", j and j.get("user") == "reviewer1" and j.get("role") == "reviewer"
          and len(j.get("csrf", "")) == 64)
    sid = rev.cookie.split("=", 1)[1]
    with open(DB, "rb") as f:
        data = f.read()
    for suffix in ("-wal",):
        if os.path.exists(DB + suffix):
            with open(DB + suffix, "rb") as f:
                data += f.read()
    check("the session id is not in the database file", sid.encode() not in data)
    check("the password is not in the database file", b"correct horse battery reviewer1" not in data)
    st, _, j, _ = rev.req("GET", "/api/session")
    check("session: who is logged in", st == 200 and j["user"] == "reviewer1" and j["role_label"] == "审核")
    check("the log names no password", "correct horse" not in srv.log() and sid not in srv.log())

    # ---- the queue ----
    st, _, j, _ = rev.req("GET", "/api/queue")
    check("queue: 200", st == 200, repr(j))
    works = {w["post"]: w for w in (j or {}).get("works", [])}
    check("queue: pending works with a unit", "douyin:7401000000000000001" in works and j["total"] >= 3)
    check("queue: a work nobody could place is left out", "weibo:5206400000000000003" not in works)
    w1 = works.get("douyin:7401000000000000001", {})
    check("queue: the full text, masked", "138****5678" in w1.get("text", "") and "13812345678" not in json.dumps(j))
    check("queue: the flag's reason, not the raw pattern", any(f.get("reason") for f in w1.get("flags", []))
          and w1.get("flags_open") is True, repr(w1.get("flags")))
    check("queue: status in Chinese and as the id", w1.get("status") == "pending" and w1.get("status_label") == "待审核")
    check("queue: url and counts", (w1.get("url") or "").startswith("https://") and w1.get("views") == 120000)
    st, _, j, _ = rev.req("GET", "/api/queue?nounit=1")
    check("queue with nounit=1: the unplaced work too", "weibo:5206400000000000003" in [w["post"] for w in j["works"]])
    st, _, j, _ = rev.req("GET", "/api/queue?district=%E6%B1%9F%E6%B4%A5%E5%8C%BA")
    check("queue: one unit's", st == 200 and j["works"] and all(w["district"] == "江津区" for w in j["works"]))
    st, _, j, _ = rev.req("GET", "/api/queue?flagged=1")
    check("queue: flagged only", st == 200 and sorted(w["post"] for w in j["works"]) ==
          ["douyin:7401000000000000001", "douyin:7401000000000000006"], repr(j and j["works"]))
    st, _, j, _ = rev.req("GET", "/api/queue?q=%E7%A7%91%E6%8A%80%E9%A6%86")
    check("queue: search", st == 200 and [w["post"] for w in j["works"]] == ["douyin:7401000000000000002"])
    st, _, j, _ = rev.req("GET", "/api/queue?status=maybe")
    check("queue: a bad status is 400 in Chinese", st == 400 and "审核状态" in j["error"])
    st, _, j, _ = rev.req("GET", "/api/queue?page=2")
    check("queue: paging", st == 200 and j["page"] == 2 and j["works"] == [])

    # ---- decisions ----
    st, _, _, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002"], "decision": "approve"}, csrf=False)
    check("a decision without the CSRF token: 403", st == 403)
    st, _, _, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002"], "decision": "approve"},
                           headers={"X-CSRF-Token": "0" * 64})
    check("a decision with a wrong token: 403", st == 403)
    st, _, _, _ = rev.req("POST", "/api/review", raw=b'{"posts":["douyin:7401000000000000002"],"decision":"approve"}',
                          headers={"Content-Type": "text/plain", "X-CSRF-Token": rev.csrf})
    check("a decision as a form would send it: refused", st in (403, 415))
    st, _, _, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002"], "decision": "approve"},
                           headers={"Sec-Fetch-Site": "cross-site"})
    check("a cross-site request: 403", st == 403)
    before = len(decisions_by())
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002", "douyin:7401000000000000005"],
                                           "decision": "reject"})
    check("reject without a note: 409, in Chinese", st == 409 and "驳回理由" in json.dumps(j, ensure_ascii=False), repr(j))
    check("refused: nothing recorded", len(decisions_by()) == before)
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002", "douyin:nope"], "decision": "approve"})
    check("one unknown post refuses the whole decision", st == 409 and len(decisions_by()) == before
          and [x["post"] for x in j["refused"]] == ["douyin:nope"], repr((st, j)))
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002"], "decision": "approve",
                                           "title": "一个标题"})
    check("a title on an approval: 400, nothing recorded", st == 400 and len(decisions_by()) == before, repr(j))
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000001"], "decision": "feature",
                                           "approve": True, "title": "标题\n两行"})
    check("a title on two lines: 400, in Chinese", st == 400 and "控制字符" in json.dumps(j, ensure_ascii=False), repr(j))
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000001"], "decision": "feature",
                                           "approve": True, "note": "万州优秀作品", "title": "万州秋色，一屏看懂"})
    check("approve and feature in one step, with an editor's title: 200", st == 200, repr(j))
    log = decisions_by()
    check("two decisions, by the logged-in user", len(log) == before + 2 and all(row[4] == "reviewer1" for row in log[-2:]),
          repr(log[-2:]))
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000001"], "decision": "feature"})
    check("feature twice: 409 already featured", st == 409 and "已是「已入选」" in j["refused"][0]["error"])
    st, _, j, _ = rev.post("/api/review", {"posts": ["x"], "decision": "approve"})
    check("a malformed post id: 400", st == 400)
    st, _, j, _ = rev.post("/api/review", {"posts": ["douyin:7401000000000000002"], "decision": "bless"})
    check("an unknown decision: 400", st == 400)
    st, _, j, _ = rev.req("GET", "/api/queue?status=featured")
    fw = j["works"][0] if j and j["works"] else {}
    check("the featured work's history, newest decision by reviewer1",
          fw.get("status") == "featured" and fw["history"] and fw["history"][-1]["by"] == "reviewer1")
    st, _, j, _ = rev.req("GET", "/api/log?post=douyin:7401000000000000001")
    check("the log of one post, newest first", st == 200 and [e["to"] for e in j["entries"]] == ["featured", "approved"])
    check("the editor's title is in the log with the feature decision only",
          st == 200 and [e["title"] for e in j["entries"]] == ["万州秋色，一屏看懂", None], repr(j))

    # ---- showcase ----
    st, h, _, body = rev.req("GET", "/api/showcase/preview")
    check("preview: the featured work on the page, under its editor's title",
          st == 200 and "万州秋色，一屏看懂".encode() in body, body[:200])
    check("preview: its own CSP: no script at all", "script-src" not in h.get("content-security-policy", "x")
          and "default-src 'none'" in h.get("content-security-policy", ""))
    st, _, j, _ = rev.post("/api/showcase/publish", {})
    check("publish: 200", st == 200 and j["works"] == 1, repr(j))
    check("publish: written where the config says", os.path.exists(os.path.join(T, "published", "index.html")))

    # ---- roles ----
    view = Client(srv)
    check("viewer logs in", view.login("viewer1")[0] == 200)
    st, _, _, _ = view.req("GET", "/api/queue")
    check("viewer: no queue (403)", st == 403)
    st, _, _, _ = view.post("/api/review", {"posts": ["douyin:7401000000000000002"], "decision": "approve"})
    check("viewer: no decisions (403)", st == 403)
    st, _, _, _ = view.post("/api/showcase/publish", {})
    check("viewer: no publishing (403)", st == 403)
    st, _, j, _ = view.req("GET", "/api/report")
    cli = json.loads(kepu("report", "--format", "json").stdout)
    for k in ("generated_at", "as_of"):
        j["window"].pop(k, None)
        cli["window"].pop(k, None)
    check("viewer: the report is the CLI's JSON model", st == 200 and j == cli)
    st, _, j, _ = view.req("GET", "/api/featured")
    check("viewer: the shortlist", st == 200 and "works" in j)

    wz = Client(srv)
    check("district user logs in", wz.login("wanzhou")[0] == 200)

    # ---- the registry of official accounts ----
    st, _, j, _ = wz.post("/api/accounts", {"platform": "weibo", "author_id": "7788990011", "unit": "江津区"})
    check("registry: a district registers for its own unit only (403)", st == 403)
    st, _, j, _ = wz.post("/api/accounts", {"platform": "weibo", "author_id": "1", "author_name": "x"})
    check("registry: an id or a name, not both (400)", st == 400)
    st, _, j, _ = wz.post("/api/accounts", {"platform": "myspace", "author_id": "1"})
    check("registry: an unknown platform (400)", st == 400)
    st, _, j, _ = wz.post("/api/accounts", {"platform": "weibo", "author_id": "7788990011", "note": "万州区科协"})
    check("registry: registered, its stored post attributed at once", st == 200 and j["posts"] == 1 and j["moved"] == 1,
          repr(j))
    acc_id = j and j.get("id")
    r = kepu("district", "explain", "weibo", "5206400000000000008")
    check("registry: the post is the account's unit's, by account", "万州区" in r.stdout and "method account" in r.stdout,
          r.stdout)
    st, _, j, _ = wz.req("GET", "/api/accounts")
    check("registry: listed with who registered it", st == 200 and any(
        a["id"] == acc_id and a["added_by"] == "wanzhou" and a["unit_name"] == "万州区" for a in j["accounts"]))
    jj = Client(srv)
    jj.login("jiangjin")
    st, _, j, _ = jj.req("GET", "/api/accounts")
    check("registry: another district does not see it", st == 200 and not any(a["id"] == acc_id for a in j["accounts"]))
    st, _, _, _ = jj.post("/api/accounts/remove", {"id": acc_id})
    check("registry: another district cannot remove it (403)", st == 403)
    st, _, j, _ = wz.post("/api/accounts/remove", {"id": acc_id})
    check("registry: removed, the post loses the unit again", st == 200 and j["moved"] == 1, repr(j))
    r = kepu("district", "explain", "weibo", "5206400000000000008")
    check("registry: after removal the post has no unit", "stored:  no unit" in r.stdout, r.stdout)
    st, _, j, _ = wz.post("/api/accounts", {"platform": "weibo", "author_name": "小科普君"})
    check("registry: by name", st == 200 and j["moved"] == 1)
    r = kepu("report", "--format", "json")
    check("registry: a collection's attribution reads it too",
          subprocess.run(KEPU + ["--config", CONFIG, "--db", DB, "district", "reattribute"], capture_output=True,
                         text=True).returncode == 0 and "method account" in kepu("district", "explain", "weibo",
                                                                                  "5206400000000000008").stdout)
    st, _, j, _ = wz.req("GET", "/api/report?district=500116")
    check("district: another unit's report is 403", st == 403)
    st, _, j, _ = wz.req("GET", "/api/report")
    check("district: its own unit's report", st == 200 and j["window"]["district"] == "万州区")
    st, _, j, _ = wz.req("GET", "/api/queue?status=all&district=500116")
    check("district: its own works only, whatever it asks",
          st == 200 and j["works"] and all(w["district"] == "万州区" for w in j["works"]))
    st, _, _, _ = wz.post("/api/review", {"posts": ["douyin:7401000000000000004"], "decision": "approve"})
    check("district: no decisions (403)", st == 403)
    st, _, j, _ = wz.req("GET", "/api/claims")
    check("district: the works without a unit", st == 200 and sorted(w["post"] for w in j["works"]) ==
          ["weibo:5206400000000000003", "weibo:5206400000000000007"], repr(j and j["works"]))
    st, _, j, _ = wz.post("/api/district", {"post": "douyin:7401000000000000002", "note": "我们的"})
    check("district: another unit's post cannot be claimed (409)", st == 409 and "只能认领" in j["error"], repr(j))
    st, _, j, _ = wz.post("/api/district", {"post": "weibo:5206400000000000003", "note": "作者为万州区科协志愿者"})
    check("district: claims a post without a unit", st == 200 and j["unit_name"] == "万州区", repr(j))
    r = kepu("district", "explain", "weibo", "5206400000000000003")
    check("the claim is a manual correction", "manual" in r.stdout, r.stdout)
    st, _, j, _ = wz.post("/api/district", {"post": "weibo:5206400000000000003", "unit": "500116"})
    check("district: cannot give a post to another unit (409)", st == 409)
    adm = Client(srv)
    check("admin logs in", adm.login("admin1")[0] == 200)
    st, _, j, _ = adm.post("/api/district", {"post": "weibo:5206400000000000003", "unit": "江津区", "note": "核实后更正"})
    check("admin: corrects any post", st == 200 and j["unit_name"] == "江津区")
    st, _, j, _ = adm.req("GET", "/api/queue")
    check("admin: the queue", st == 200)

    # ---- the end of a session ----
    st, h, _, _ = rev.post("/api/logout", {})
    check("logout: 200 and the cookie cleared", st == 200 and "Max-Age=0" in h.get("set-cookie", ""))
    st, _, j, _ = rev.req("GET", "/api/session")
    check("after logout the old cookie is nobody's", st == 200 and j["user"] is None)
    st, _, _, _ = rev.req("GET", "/api/queue")
    check("after logout the old cookie is refused", st == 401)
    r = kepu("user", "disable", "viewer1")
    check("user disable", r.returncode == 0, r.stderr)
    st, _, _, _ = view.req("GET", "/api/report")
    check("a disabled user's session ends at once", st == 401)

    browser(srv)
    covers(srv)

    # ---- the login limit ----
    lim = Client(srv)
    codes = [lim.req("POST", "/api/login", {"user": "jiangjin", "password": "not the password"})[0] for _ in range(6)]
    check("five failures, then 429", codes == [401] * 5 + [429], repr(codes))
    st, h, j = lim.login("jiangjin")
    check("while limited even the right password is 429, with Retry-After", st == 429 and h.get("retry-after") == "600")
    check("another user from the same address may log in", Client(srv).login("admin1")[0] == 200)

    # ---- stop, and idle expiry on a clock 8 hours on ----
    code = srv.stop()
    check("SIGTERM: exit 0", code == 0, srv.log()[-500:])
    srv2 = Server(env={"KEPU_NOW": str(int(time.time()) + 8 * 3600 + 60)})
    adm.port = srv2.port
    st, _, _, _ = adm.req("GET", "/api/report")
    check("a session idle for 8 hours has expired", st == 401)
    check("the second server stops cleanly", srv2.stop() == 0)

    # ---- TLS of its own (libmicrohttpd with GnuTLS) ----
    cert, key = os.path.join(T, "cert.pem"), os.path.join(T, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1"], capture_output=True)
    check("a test certificate (openssl)", r.returncode == 0)
    tls = Server(extra=["--tls-cert", cert, "--tls-key", key], scheme="https")
    check("serve with --tls-cert/--tls-key says https", tls.port is not None, tls.log()[-300:])
    if tls.port:
        import ssl
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False
        c = http.client.HTTPSConnection("127.0.0.1", tls.port, timeout=60, context=ctx)
        c.request("POST", "/api/login", body=json.dumps({"user": "admin1", "password": "correct horse battery admin1"}),
                  headers={"Content-Type": "application/json"})
        resp = c.getresponse()
        resp.read()
        check("over TLS: login, and the cookie is Secure", resp.status == 200 and "Secure" in (resp.getheader("Set-Cookie") or ""))
        check("over TLS: HSTS", (resp.getheader("Strict-Transport-Security") or "").startswith("max-age="))
        c.close()
    check("the TLS server stops cleanly", tls.stop() == 0)
    st = subprocess.run(KEPU + ["--db", DB, "serve", "--listen", "0.0.0.0:0"], capture_output=True, text=True, timeout=30)
    check("a public address without --public: refused (2), TLS named", st.returncode == 2 and "TLS" in st.stderr, st.stderr)


def fetch(url, headers=None):
    import urllib.request
    import urllib.error
    try:
        r = urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30)
        return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


REFERER = {"sinaimg": "https://weibo.com/", "hdslb": "https://www.bilibili.com/", "douyinpic": "https://www.douyin.com/"}
MAGIC = {"jpeg": b"\xff\xd8\xff", "png": b"\x89PNG", "webp": b"RIFF", "gif": b"GIF8"}


def covers(srv):
    """The queue's covers: the posts get cover URLs of the fake platform
    server's image servers (tests/fakeplatform.c --images, which serves real
    pictures with each server's hotlink rule); kepu serve downloads each once
    into {showcase.dir}/covers and serves it at /covers/PLATFORM/ID to those
    who may see the queue; in Chromium the cards' pictures load from there
    and nothing from anywhere else, and a broken cover leaves the
    placeholder."""
    # Weibo videos (page_info.page_pic is their cover) to find a GIF among:
    # the fake server says which of its covers are of which type
    videos = [{"platform": "weibo", "post_id": "52064000000001%02d" % i, "created_at": "2025-09-11T10:00:00+08:00",
               "author_name": "江津区科协", "text": "#千万IP创科普# 江津区的动图科普 %d" % i, "views": 1000 + i,
               "likes": 10, "comments": 1, "shares": 1} for i in range(12)]
    data = os.path.join(T, "fake.ndjson")
    with open(data, "w") as f:
        for p in POSTS + videos:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    out = open(os.path.join(T, "fake.out"), "w+")
    fake = subprocess.Popen([os.path.join(BUILD, "fakeplatform"), "--data", data, "--images"], stdout=out,
                            stderr=subprocess.DEVNULL)
    try:
        port = None
        for _ in range(200):
            out.seek(0)
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", out.read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.05)
        check("covers: the fake image servers start", port is not None)
        if port is None:
            return
        fake_url = "http://127.0.0.1:%d" % port
        images = {(x["platform"], x["post_id"]): x for x in json.loads(fetch(fake_url + "/_control/images")[1])}
        broken = "douyin:7401000000000000005"
        fetch(fake_url + "/_control/fault?spec=douyin:7401000000000000005:img404:0")
        gif = [v for v in videos if images.get(("weibo", v["post_id"]), {}).get("type") == "gif"][:1]
        check("covers: a Weibo video with a GIF cover", len(gif) == 1)
        path = os.path.join(T, "covers.ndjson")
        with open(path, "w") as f:
            for p in POSTS + gif:
                x = images.get((p["platform"], p["post_id"]))
                f.write(json.dumps(dict(p, cover_url=x["url"]) if x else p, ensure_ascii=False) + "\n")
        r = kepu("import", "-q", path)
        check("covers: the posts get their cover URLs", r.returncode == 0, r.stderr)
        served = lambda: json.loads(fetch(fake_url + "/_control/stats")[1])["requests"].get("image", 0)

        adm = Client(srv)
        adm.login("admin1")
        st, _, j, _ = adm.req("GET", "/api/queue?status=all")
        works = {w["post"]: w for w in (j or {}).get("works", [])}
        good = "douyin:7401000000000000001"
        check("covers: the queue gives this server's address of a cover",
              works.get(good, {}).get("cover") == "/covers/douyin/7401000000000000001", repr(works.get(good)))
        bare = [w for w in works.values() if (w["platform"], w["post_id"]) not in images]
        check("covers: a work without a cover URL has cover null", all(w["cover"] is None for w in bare)
              and all(works[k]["cover"] for k in works if tuple(k.split(":", 1)) in images))
        x = images[("douyin", "7401000000000000001")]
        st, h, _, body = adm.req("GET", works[good]["cover"])
        check("covers: GET /covers/...: 200, the picture", st == 200 and body.startswith(MAGIC[x["type"]]), repr(st))
        check("covers: the right Content-Type, nosniff", h.get("content-type") == "image/" + x["type"]
              and h.get("x-content-type-options") == "nosniff", repr(h))
        check("covers: cached privately for a day", h.get("cache-control") == "private, max-age=86400",
              h.get("cache-control"))
        check("covers: the image server's own bytes", body == fetch(x["url"], {"Referer": REFERER[x["cdn"]]})[1])
        ext = {"jpeg": "jpg"}.get(x["type"], x["type"])
        check("covers: kept in the private cache beside the database, not in the published directory",
              os.path.isfile(os.path.join(os.path.dirname(DB), "covers", "douyin-7401000000000000001." + ext))
              and not os.path.exists(os.path.join(T, "published", "covers", "douyin-7401000000000000001." + ext)))
        rev = Client(srv)
        rev.login("reviewer1")
        st, _, _, page = rev.req("GET", "/api/showcase/preview")
        check("covers: the preview shows the featured work's picture from this server",
              st == 200 and b'<img src="/covers/douyin/7401000000000000001"' in page, page[:300])
        st, _, j, _ = rev.post("/api/showcase/publish", {})
        pub = open(os.path.join(T, "published", "index.html"), encoding="utf-8").read() if st == 200 else ""
        check("covers: the published page shows it from its own covers/ directory",
              '<img src="covers/douyin-7401000000000000001.%s"' % ext in pub
              and os.path.isfile(os.path.join(T, "published", "covers", "douyin-7401000000000000001." + ext)), pub[:300])
        st, _, jf, _ = rev.req("GET", "/api/queue?status=featured")
        featured = {x["post"] for x in jf["works"]} if st == 200 else set()
        shown = [w for w in works if w not in featured and works[w].get("cover")]
        check("covers: a work that is not featured: its picture is in the cache only, never published",
              shown and not any(os.path.exists(os.path.join(T, "published", "covers", "%s-%s.%s" % (
                  w.split(":")[0], w.split(":")[1], e))) for w in shown for e in ("jpg", "png", "webp", "gif")),
              repr((shown, os.listdir(os.path.join(T, "published", "covers")))))
        before = served()
        st, _, _, again = adm.req("GET", works[good]["cover"])
        check("covers: asked again, served from the cache (no request to the image server)",
              st == 200 and again == body and served() == before)
        anon = Client(srv)
        st, _, j, _ = anon.req("GET", works[good]["cover"])
        check("covers: no session: 401", st == 401 and j and "error" in j)
        viewer = Client(srv)
        viewer.login("viewer2")
        check("covers: a viewer (no queue): 403", viewer.req("GET", works[good]["cover"])[0] == 403)
        wz = Client(srv)
        wz.login("wanzhou")
        check("covers: a district, its own unit's work: 200", wz.req("GET", works[good]["cover"])[0] == 200)
        check("covers: a district, another unit's work: 404",
              wz.req("GET", "/covers/douyin/7401000000000000002")[0] == 404)
        before = served()
        st, _, j, _ = adm.req("GET", "/covers/douyin/7401000000000000005")
        check("covers: a broken cover: 502, said in Chinese", st == 502 and j and j.get("error"), repr((st, j)))
        check("covers: the server's log names the work and the host, no query",
              "cover of douyin:7401000000000000005 (127.0.0.1): HTTP 404" in srv.log()
              and "x-signature" not in srv.log())
        st, _, _, _ = adm.req("GET", "/covers/douyin/7401000000000000005")
        check("covers: a broken cover is not asked for again at once", st == 502 and served() == before + 1)
        for bad in ("/covers/douyin/nope", "/covers/myspace/1", "/covers/douyin/..%2F..%2Fkepu.json", "/covers/",
                    "/covers/douyin/"):
            st, _, _, _ = adm.req("GET", bad)
            check("covers: %s: 404" % bad, st == 404, repr(st))
        covers_browser(srv, works, images, broken)

        # a slow image server holds one worker for the workspace's 4 s at
        # most, and the others answer meanwhile (the server runs 2 threads)
        slow = [v for v in videos if ("weibo", v["post_id"]) in images and v not in gif][:1]
        check("covers: a second Weibo video for the slow image server", len(slow) == 1)
        if not slow:
            return
        x = images[("weibo", slow[0]["post_id"])]
        with open(path, "w") as f:
            f.write(json.dumps(dict(slow[0], cover_url=x["url"]), ensure_ascii=False) + "\n")
        r = kepu("import", "-q", path)
        fetch(fake_url + "/_control/fault?spec=weibo:%s:imgslow:0" % slow[0]["post_id"])
        import threading
        got = {}

        def ask():
            t0 = time.time()
            got["status"] = adm.req("GET", "/covers/weibo/" + slow[0]["post_id"])[0]
            got["took"] = time.time() - t0
        th = threading.Thread(target=ask)
        th.start()
        time.sleep(0.5)
        t0 = time.time()
        st1 = adm.req("GET", "/api/session")[0]
        st2 = adm.req("GET", "/api/queue?status=all")[0]
        quick = time.time() - t0
        th.join(30)
        check("covers: while a cover downloads slowly the API answers at once", st1 == 200 and st2 == 200
              and quick < 1.5 and got.get("took", 0) > 2, repr((quick, got)))
        check("covers: a cover past 4 s is given up: 502", got.get("status") == 502
              and got.get("took", 99) < 7, repr(got))
        check("covers: the time-out is in the server's log", "cover of weibo:%s (127.0.0.1): " % slow[0]["post_id"]
              in srv.log() and "timed out" in srv.log())
        t0 = time.time()
        st = adm.req("GET", "/covers/weibo/" + slow[0]["post_id"])[0]
        check("covers: then it is not waited for again", st == 502 and time.time() - t0 < 1, repr(st))
    finally:
        fake.terminate()
        fake.wait(30)


def covers_browser(srv, works, images, broken):
    from selenium.webdriver.common.by import By

    d = chrome()
    if d is None:
        check("covers: chromium available", False)
        return
    base = "http://127.0.0.1:%d" % srv.port
    until = waiting(d)

    try:
        d.get(base + "/")
        until(lambda: d.find_elements(By.ID, "login-form"), "covers: the login form")
        d.find_element(By.ID, "login-user").send_keys("admin1")
        d.find_element(By.ID, "login-password").send_keys("correct horse battery admin1")
        d.find_element(By.ID, "login-submit").click()
        until(lambda: d.find_elements(By.CSS_SELECTOR, "#nav a"), "covers: logged in")
        d.get(base + "/#/review")
        until(lambda: d.find_elements(By.ID, "f-status"), "covers: the queue")
        d.find_element(By.ID, "f-status").find_element(By.CSS_SELECTOR, 'option[value="all"]').click()
        until(lambda: len(d.find_elements(By.CSS_SELECTOR, "article.work")) >= len(works), "covers: every card")
        shown = set()
        for post, w in sorted(works.items()):
            if not w["cover"] or post == broken:
                continue
            sel = 'article.work[data-post="%s"] .cover img' % post
            until(lambda: d.find_elements(By.CSS_SELECTOR, sel), "covers: %s has its picture" % post)
            d.execute_script("arguments[0].scrollIntoView()", d.find_element(By.CSS_SELECTOR, sel))
            ok = until(lambda: d.execute_script(
                "const i = document.querySelector(arguments[0]); return i && i.complete && i.naturalWidth > 0", sel),
                "covers: %s's picture loads" % post)
            img = d.find_element(By.CSS_SELECTOR, sel)
            check("covers: %s's picture decoded (%s), from /covers/, its title as alt" % (post, images[tuple(post.split(":", 1))]["type"]),
                  ok and img.get_attribute("src") == base + w["cover"] and img.get_attribute("alt") == (w["title"] or post)
                  and img.get_attribute("loading") == "lazy", repr((img.get_attribute("src"), img.get_attribute("alt"))))
            if ok:
                shown.add(images[tuple(post.split(":", 1))]["type"])
        check("covers: JPEG, PNG, WebP and GIF pictures all shown", shown == {"jpeg", "png", "webp", "gif"}, repr(shown))
        sel = 'article.work[data-post="%s"] .cover' % broken
        d.execute_script("arguments[0].scrollIntoView()", d.find_element(By.CSS_SELECTOR, sel))
        if os.environ.get("SHOTS"):
            os.makedirs(os.environ["SHOTS"], exist_ok=True)
            d.save_screenshot(os.path.join(os.environ["SHOTS"], "covers.png"))
        until(lambda: not d.find_elements(By.CSS_SELECTOR, sel + " img"), "covers: the broken picture is taken away")
        box = d.find_element(By.CSS_SELECTOR, sel)
        check("covers: a broken cover shows the placeholder with the platform's name",
              box.text == "抖音" and box.find_element(By.TAG_NAME, "span").is_displayed(), box.text)
        sizes = d.execute_script("return [...document.querySelectorAll('article.work .cover')].map(b => b.getBoundingClientRect().width / b.getBoundingClientRect().height)")
        check("covers: every cover box has the same fixed shape", sizes and all(abs(x - 4 / 3) < 0.02 for x in sizes), repr(sizes))
        external = d.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))")
        check("covers: nothing loaded from another origin", external == [], repr(external))
        loaded = d.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/covers/'))")
        check("covers: the pictures came from /covers/", len(loaded) >= 3, repr(loaded))
        d.set_window_size(390, 844)
        d.refresh()
        until(lambda: d.find_elements(By.CSS_SELECTOR, "article.work .cover img"), "covers: the cards at phone width")
        until(lambda: d.execute_script(
            "const i = document.querySelector('article.work .cover img'); i.scrollIntoView();"
            "return i.complete && i.naturalWidth > 0"), "covers: a picture at phone width")
        wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check("covers: the cards with their pictures fit a phone's width", wide <= 0, "overflow %s px" % wide)
        if os.environ.get("SHOTS"):
            d.save_screenshot(os.path.join(os.environ["SHOTS"], "covers-phone.png"))
        errors = [x for x in d.get_log("browser") if x["level"] == "SEVERE"]
        check("covers: no console error but the broken cover's 502",
              all("/covers/douyin/7401000000000000005" in x["message"] for x in errors), repr(errors))
    except Exception as ex:
        check("covers browser: %s" % type(ex).__name__, False, str(ex).splitlines()[0] if str(ex) else "")
    finally:
        d.quit()


def waiting(d, seconds=20):
    """until(cond, what): wait for cond() in the browser; a time-out is a
    failed check named what."""
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import TimeoutException
    wait = WebDriverWait(d, seconds)

    def until(cond, what):
        try:
            wait.until(lambda _: cond())
            return True
        except TimeoutException:
            check(what + " (timed out)", False)
            return False
    return until


def chrome():
    """Debian's Chromium under chromedriver, headless, offline; None when
    they are missing (make check installs them: tests/web_test.sh)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if not os.path.exists("/usr/bin/chromedriver"):
        return None
    o = Options()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
              "--user-data-dir=" + os.path.join(T, "chrome"), "--window-size=1280,900", "--lang=zh-CN"):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def browser(srv):
    """The pages in a real browser: a reviewer approves a flagged work,
    features it, sees it in the preview, publishes, logs out; a district
    user claims a post; nothing loads from outside, nothing logs an error,
    hostile text stays text, and the queue fits a phone."""
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import NoAlertPresentException

    d = chrome()
    check("chromium and chromedriver available (apt-get install chromium chromium-driver python3-selenium)",
          d is not None)
    if d is None:
        return
    base = "http://127.0.0.1:%d" % srv.port
    shots = os.environ.get("SHOTS")
    until = waiting(d)

    def shot(name):
        if shots:
            os.makedirs(shots, exist_ok=True)
            d.save_screenshot(os.path.join(shots, name + ".png"))

    def login(user):
        d.get(base + "/")
        if not until(lambda: d.find_elements(By.ID, "login-form"), "the login form"):
            return False
        d.find_element(By.ID, "login-user").send_keys(user)
        d.find_element(By.ID, "login-password").send_keys("correct horse battery " + user)
        d.find_element(By.ID, "login-submit").click()
        return until(lambda: d.find_elements(By.CSS_SELECTOR, "#nav a"), "logged in as " + user)

    def toast(want):
        """The message shown, once it says want (an earlier one may still be up)."""
        t = d.find_element(By.ID, "toast")
        until(lambda: not t.get_attribute("hidden") and want in t.text, "the message '%s'" % want)
        return t.text

    def card(post):
        return d.find_elements(By.CSS_SELECTOR, 'article.work[data-post="%s"]' % post)

    try:
        d.get(base + "/")
        until(lambda: d.find_elements(By.ID, "login-form"), "the login page")
        shot("login")
        login("reviewer1")
        check("browser: the reviewer's menu", "审核" in d.find_element(By.ID, "nav").text)
        until(lambda: d.find_elements(By.ID, "totals"), "the dashboard")
        shot("report")
        d.get(base + "/#/review")
        post = "douyin:7401000000000000006"
        until(lambda: card(post), "the flagged work in the queue")
        c = card(post)[0]
        check("browser: the flag's reason on the card", "138" not in c.text and "139****4321" in c.text, c.text)
        hostile = card("bilibili:BV1xx411c7mD")
        check("browser: hostile markup shown as text", hostile and "<script>alert(1)</script>" in hostile[0].text)
        shot("review")
        c.find_element(By.CSS_SELECTOR, 'button[data-decision="approve"]').click()
        check("browser: approve says so", "江津少年科学营开营" in toast("已通过"))
        until(lambda: not card(post), "the approved work leaves the pending queue")
        d.get(base + "/#/review")
        sel = d.find_element(By.ID, "f-status")
        sel.find_element(By.CSS_SELECTOR, 'option[value="approved"]').click()
        until(lambda: card(post), "the work among the approved")
        c = card(post)[0]
        c.find_element(By.CSS_SELECTOR, "textarea.note").send_keys("江津少年科学营，现场照片丰富")
        c.find_element(By.CSS_SELECTOR, 'button[data-decision="feature"]').click()
        check("browser: feature says so", "江津少年科学营开营" in toast("已入选"))
        r = kepu("review", "log", post)
        check("browser: the decisions are the reviewer's, in the log", r.stdout.count("reviewer1") == 2, r.stdout)
        d.get(base + "/#/preview")
        until(lambda: d.find_elements(By.CSS_SELECTOR, "iframe.preview"), "the preview")
        d.switch_to.frame(d.find_element(By.CSS_SELECTOR, "iframe.preview"))
        until(lambda: "江津少年科学营开营" in d.find_element(By.TAG_NAME, "body").text, "the featured work in the preview")
        d.switch_to.default_content()
        shot("preview")
        d.find_element(By.ID, "publish").click()
        check("browser: publish says so", "已发布" in toast("已发布"))
        check("browser: the published page has the work",
              "江津少年科学营开营" in open(os.path.join(T, "published", "index.html"), encoding="utf-8").read())
        try:
            d.switch_to.alert
            check("browser: no script ran from a post", False)
        except NoAlertPresentException:
            check("browser: no script ran from a post", True)
        external = d.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))")
        check("browser: nothing loaded from outside", external == [], repr(external))
        d.find_element(By.ID, "logout").click()
        until(lambda: d.find_elements(By.ID, "login-form"), "the login form after logout")
        check("browser: logged out", "已退出" in d.find_element(By.ID, "login-error").text)

        login("jiangjin")
        d.get(base + "/#/claims")
        until(lambda: d.find_elements(By.CSS_SELECTOR, 'input[value="weibo:5206400000000000007"]'), "the post to claim")
        d.find_element(By.CSS_SELECTOR, 'input[value="weibo:5206400000000000007"]').click()
        d.find_element(By.ID, "claim-note").send_keys("作者是江津区的志愿者")
        d.find_element(By.ID, "claim").click()
        check("browser: the claim says so", "已认领 1" in toast("已认领"))
        r = kepu("district", "explain", "weibo", "5206400000000000007")
        check("browser: the post is 江津区's now", "江津区" in r.stdout and "manual" in r.stdout, r.stdout)
        shot("claims")
        d.get(base + "/#/accounts")
        until(lambda: d.find_elements(By.ID, "acc-add"), "the registry page")
        d.find_element(By.ID, "acc-name").send_keys("江津科协")
        d.find_element(By.ID, "acc-note").send_keys("区科协官方抖音")
        d.find_element(By.ID, "acc-platform").find_element(By.CSS_SELECTOR, 'option[value="douyin"]').click()
        d.find_element(By.ID, "acc-add").click()
        check("browser: an account registered", "已登记" in toast("已登记"))
        until(lambda: "区科协官方抖音" in d.find_element(By.ID, "main").text, "the account in the list")
        shot("accounts")
        d.set_window_size(390, 844)
        d.get(base + "/#/review")
        until(lambda: d.find_elements(By.CSS_SELECTOR, "article.work"), "the district's works at phone width")
        wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check("browser: the queue fits a phone's width", wide <= 0, "overflow %s px" % wide)
        shot("phone")
        errors = [x for x in d.get_log("browser") if x["level"] == "SEVERE"]
        check("browser: no console errors", errors == [], repr(errors))
    except Exception as ex:  # a step that could not run is a failure, with what happened
        check("browser: %s" % type(ex).__name__, False, str(ex).splitlines()[0] if str(ex) else "")
    finally:
        d.quit()


try:
    main()
finally:
    subprocess.run(["rm", "-rf", T])
print("web: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
