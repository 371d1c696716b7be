#!/bin/sh
# The featured works' covers (collector/covers.h) through the real binary:
# posts collected from the fake platform server with --images (its covers
# point at itself and it serves real JPEG, PNG, WebP and GIF files with each
# image server's hotlink rules), some featured, `kepu showcase -o DIR`
# downloading their covers into DIR/covers/: every type with its extension
# and the server's bytes, the documented Referer per platform, each fault
# one warning and no file, nothing fetched twice, hostile post ids made safe
# names, exit status 0 throughout.  Ends with `covers: N passed, N failed`.
set -u
NAME=covers
. tests/lib.sh

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)
same() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'"; return 1; }; }
get() { "$PY" -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())" "http://127.0.0.1:$PORT$1"; }
# stat PYTHON_EXPR over the fake's /_control/stats as d
stat() { get /_control/stats | "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
images() { stat "d['requests'].get('image', 0)"; }

# ---- the data: kepu-gen's posts, and feed posts with hostile ids ----
gen --seed 23 --count 400 >"$T/gen.ndjson"
"$PY" - "$T/gen.ndjson" "$T/data.ndjson" <<'EOF'
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
out = open(sys.argv[2], "w")
for p in posts:
    out.write(json.dumps(p, ensure_ascii=False) + "\n")
# ids are platform text: each of these must become a safe file name
base = next(p for p in posts if p["platform"] == "xiaohongshu" and p["views"] is not None
            and "#千万IP创科普" in p["text"])
for i, pid in enumerate(["../../escaped", "a/b\\c d", ".hidden", "-rf", "名字", "x" * 200, "CON.jpg"]):
    q = dict(base, post_id=pid, url="https://www.xiaohongshu.com/explore/h%d" % i)
    out.write(json.dumps(q, ensure_ascii=False) + "\n")
EOF
start_fake --data "$T/data.ndjson" --images
cat >"$T/k.json" <<EOC
{"sources": [
 {"name": "wb", "platform": "weibo", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 0, "max_pages": 500, "timeout_s": 2, "retries": 0},
 {"name": "bili", "platform": "bilibili", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 0, "max_pages": 500, "timeout_s": 2, "retries": 0},
 {"name": "dy", "platform": "douyin", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 0, "max_pages": 500, "timeout_s": 2, "retries": 0},
 {"name": "feed", "platform": "generic", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 0, "max_pages": 500,
  "timeout_s": 2, "retries": 0, "url": "{base_url}/open/v1/feed?page={page}&size={size}", "items": "/data/list",
  "fields": {"platform": "/platform", "post_id": "/item_id", "url": "/link", "author_id": "/user/id",
    "author_name": "/user/name", "created_at": "/publish_time", "title": "/title", "text": "/content",
    "topics": "/tags", "views": "/metrics/view", "likes": "/metrics/like", "cover_url": "/cover", "media": "/media_type"},
  "time_format": "YYYY-MM-DD HH:MM:SS", "paging": {"kind": "page", "has_more": "/data/has_more"}}
]}
EOC
k() { kepu --config "$T/k.json" --db "$T/c.db" "$@"; }
status "collect from the fake platforms" 0 k collect
k export >"$T/posts.ndjson"
get /_control/images >"$T/images.json"

# ---- which works: one of each image server and type, one per fault,
# the hostile ids, one without a cover (plan.json, and plan.env) ----
"$PY" - "$T/posts.ndjson" "$T/images.json" "$T/plan.json" "$T/plan.env" <<'EOF'
import json, sys
stored = {(p["platform"], p["post_id"]): p for p in map(json.loads, open(sys.argv[1]))}
imgs = [x for x in json.load(open(sys.argv[2])) if (x["platform"], x["post_id"]) in stored]
feed_of = {"sinaimg": "weibo", "hdslb": "bilibili", "douyinpic": "douyin", "feed": "generic"}
hostile = lambda x: not x["post_id"].replace("_", "").replace("-", "").isalnum() or len(x["post_id"]) > 80 \
    or not x["post_id"][0].isascii() or not x["post_id"][0].isalnum()
used, plan = set(), {"good": [], "faults": [], "hostile": [], "none": []}
def take(pred):
    for x in imgs:
        k = (x["platform"], x["post_id"])
        if k not in used and pred(x) and not hostile(x):
            used.add(k)
            return x
    sys.exit("no work for the plan")
for cdn, types in (("sinaimg", "jpeg gif"), ("hdslb", "jpeg png"), ("douyinpic", "jpeg webp"), ("feed", "jpeg png webp gif")):
    for t in types.split():
        plan["good"].append(take(lambda x: x["cdn"] == cdn and x["type"] == t))
# the fault, and the image server whose work gets it (the slow one on a
# platform whose source sets timeout_s 2)
for fault, cdn in (("img404", "hdslb"), ("imghtml", "sinaimg"), ("imgsvg", "feed"), ("imgbig", "feed"),
                   ("imgslow", "douyinpic"), ("imgempty", "feed"), ("imgredirect", "douyinpic"), ("imgctype", "hdslb")):
    x = dict(take(lambda x: x["cdn"] == cdn))
    x["fault"] = fault
    x["spec"] = "%s:%s:%s" % (feed_of[cdn], x["post_id"], fault)
    plan["faults"].append(x)
plan["hostile"] = [x for x in imgs if hostile(x)]
with_cover = {(x["platform"], x["post_id"]) for x in json.load(open(sys.argv[2]))}
plan["none"] = [{"platform": p, "post_id": i} for (p, i) in stored if p == "weibo" and (p, i) not in with_cover][:1]
json.dump(plan, open(sys.argv[3], "w"))
works = plan["good"] + plan["faults"] + plan["none"]
with open(sys.argv[4], "w") as f:
    f.write("WORKS='%s'\n" % " ".join("%s:%s" % (x["platform"], x["post_id"]) for x in works))
    f.write("SPECS='%s'\n" % " ".join(x["spec"] for x in plan["faults"]))
    f.write("NHOSTILE=%d\n" % len(plan["hostile"]))
EOF
. "$T/plan.env"
check "the hostile ids were collected" test "$NHOSTILE" -eq 7
"$PY" -c "import json,sys; [print('%s:%s' % (x['platform'], x['post_id'])) for x in json.load(open(sys.argv[1]))['hostile']]" "$T/plan.json" >"$T/hostile.txt"
# shellcheck disable=SC2086
status "feature the works" 0 k review feature $WORKS --approve --by 测试
status "feature the hostile ids" 0 sh -c "tr '\n' '\0' <'$T/hostile.txt' | xargs -0 $BUILD/kepu --config '$T/k.json' --db '$T/c.db' review feature --approve --by 测试"
# a cover URL kepu must not try: not http(s)
printf '%s\n' '{"platform":"zhihu","post_id":"js1","created_at":"2025-09-05T10:00:00+08:00","text":"#千万IP创科普# 重庆科技馆","cover_url":"javascript:alert(1)"}' \
	'{"platform":"zhihu","post_id":"file1","created_at":"2025-09-05T10:00:00+08:00","text":"#千万IP创科普# 重庆科技馆","cover_url":"file:///etc/passwd"}' >"$T/odd.ndjson"
status "import works with odd cover URLs" 0 k import -q "$T/odd.ndjson"
status "feature them" 0 k review feature zhihu:js1 zhihu:file1 --approve --by 测试

# ---- the fake's hotlink rules can say no (else the Referer checks below prove nothing) ----
"$PY" - "$T/plan.json" >"$T/probe.txt" <<'EOF'
import json, sys, urllib.request, urllib.error
plan = json.load(open(sys.argv[1]))
def code(url, ref):
    rq = urllib.request.Request(url, headers={"Referer": ref} if ref else {})
    try:
        return urllib.request.urlopen(rq).status
    except urllib.error.HTTPError as e:
        return e.code
by = {x["cdn"]: x["url"] for x in plan["good"]}
print("sinaimg none %d" % code(by["sinaimg"], None))
print("sinaimg other %d" % code(by["sinaimg"], "https://www.example.com/"))
print("sinaimg weibo %d" % code(by["sinaimg"], "https://weibo.com/"))
print("hdslb other %d" % code(by["hdslb"], "https://www.example.com/"))
print("hdslb none %d" % code(by["hdslb"], None))
u = by["douyinpic"]
print("douyinpic altered %d" % code(u[:-6] + ("AAAAAA" if not u.endswith("AAAAAA") else "BBBBBB"), None))
print("douyinpic as signed %d" % code(u, None))
EOF
check "the fake: sinaimg refuses no Referer, and another site's" sh -c "grep -q 'sinaimg none 403' '$T/probe.txt' && grep -q 'sinaimg other 403' '$T/probe.txt' && grep -q 'sinaimg weibo 200' '$T/probe.txt'"
check "the fake: hdslb refuses another site's Referer, not none" sh -c "grep -q 'hdslb other 403' '$T/probe.txt' && grep -q 'hdslb none 200' '$T/probe.txt'"
check "the fake: a douyinpic URL with an altered signature is refused" sh -c "grep -q 'douyinpic altered 403' '$T/probe.txt' && grep -q 'douyinpic as signed 200' '$T/probe.txt'"

# ---- the first showcase: faults armed ----
get /_control/reset >/dev/null
for spec in $SPECS; do get "/_control/fault?spec=$spec" >/dev/null; done
D=$T/show
status "showcase: exit 0 whatever the covers" 0 k showcase -o "$D"
cp "$T/err" "$T/err1"
cp "$T/out" "$T/out1"
check "says how many covers" has "$T/out1" "^covers: .* in $D/covers/ (.* downloaded now, 6 failed, 0 removed: no longer featured)"
"$PY" - "$T/plan.json" "$D/covers" "$T/err1" <<'EOF' >"$T/check1.txt"
import json, os, re, sys, urllib.request
plan, cdir, err = json.load(open(sys.argv[1])), sys.argv[2], open(sys.argv[3], encoding="utf-8").read().splitlines()
ext = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif"}
ref = {"sinaimg": "https://weibo.com/", "hdslb": "https://www.bilibili.com/", "douyinpic": "https://www.douyin.com/", "feed": None}
files = set(os.listdir(cdir))
def fetch(x):
    rq = urllib.request.Request(x["url"], headers={"Referer": ref[x["cdn"]]} if ref[x["cdn"]] else {})
    return urllib.request.urlopen(rq).read()
def landed(x):
    name = "%s-%s.%s" % (x["platform"], x["post_id"], ext[x["type"]])
    return name in files and open(os.path.join(cdir, name), "rb").read() == fetch(x)
for x in plan["good"]:
    print("good %s %s %s" % (x["cdn"], x["type"], "ok" if landed(x) else "MISSING"))
print("types %s" % " ".join(sorted({x["type"] for x in plan["good"]})))
for x in plan["faults"]:
    work = "%s:%s" % (x["platform"], x["post_id"])
    lines = [l for l in err if work in l]
    mine = [f for f in files if f.startswith("%s-%s." % (x["platform"], x["post_id"]))]
    if x["fault"] in ("imgredirect", "imgctype"):  # followed / magic wins: taken
        print("fault %s %s" % (x["fault"], "ok" if landed(x) and not lines else "BAD %r %r" % (lines, mine)))
    else:
        good = len(lines) == 1 and lines[0].startswith("kepu: warning: cover of %s (127.0.0.1): " % work) and not mine
        print("fault %s %s %s" % (x["fault"], "ok" if good else "BAD %r %r" % (lines, mine), lines[0] if lines else ""))
for x in plan["none"]:
    print("none %s" % ("ok" if not any(f.startswith(x["platform"] + "-" + x["post_id"] + ".") for f in files) else "BAD"))
EOF
for t in "sinaimg jpeg" "sinaimg gif" "hdslb jpeg" "hdslb png" "douyinpic jpeg" "douyinpic webp" "feed jpeg" "feed png" "feed webp" "feed gif"; do
	check "$t: the file has the right extension and the server's bytes" grep -q "^good $t ok" "$T/check1.txt"
done
check "every type among the covers" grep -q "^types gif jpeg png webp$" "$T/check1.txt"
check "404: one warning naming the work and host, no file" grep -q "^fault img404 ok .*HTTP 404" "$T/check1.txt"
check "an HTML page served with 200: refused, says it was HTML" grep -q "^fault imghtml ok .*an HTML page" "$T/check1.txt"
check "an SVG: refused, says it was SVG" grep -q "^fault imgsvg ok .*an SVG image" "$T/check1.txt"
check "over 5 MiB (chunked, no length): refused" grep -q "^fault imgbig ok .*larger than 5 MiB" "$T/check1.txt"
check "past the source's timeout_s: given up" grep -q "^fault imgslow ok .*timed out" "$T/check1.txt"
check "an empty answer: refused" grep -q "^fault imgempty ok .*empty" "$T/check1.txt"
check "a redirect: followed, the picture kept" grep -q "^fault imgredirect ok" "$T/check1.txt"
check "the wrong Content-Type with a picture's bytes: taken (the bytes decide)" grep -q "^fault imgctype ok" "$T/check1.txt"
check "a work without a cover: no file" grep -q "^none ok" "$T/check1.txt"
check "exactly the six failures warned, nothing else" test "$(grep -c '^kepu: warning: ' "$T/err1")" -eq 6
check "no message shows a signed URL's query" sh -c "! grep -q 'x-signature\|x-expires\|?' '$T/err1'"
check "cover URLs that are not http(s): no warning, no file, no request" sh -c "! grep -q 'zhihu' '$T/err1' && ! ls '$D/covers' | grep -q '^zhihu-'"
check "no temporary file left (the oversize one included)" sh -c "! ls -A '$D/covers' | grep -q '^\\.'"
check "the Referer sent to sinaimg is https://weibo.com/, and only that" same "$(stat "d['images']['sinaimg']['referers']")" "['https://weibo.com/']"
check "the Referer sent to hdslb is https://www.bilibili.com/" same "$(stat "d['images']['hdslb']['referers']")" "['https://www.bilibili.com/']"
check "the Referer sent to douyinpic is https://www.douyin.com/" same "$(stat "d['images']['douyinpic']['referers']")" "['https://www.douyin.com/']"
check "no Referer to the feed's CDN" same "$(stat "d['images']['feed']['referers']")" "['']"
check "no image server refused kepu" same "$(stat "sum(v['refused'] for v in d['images'].values())")" "0"

# ---- hostile post ids: safe, distinct names inside DIR/covers ----
ls "$D/covers" >"$T/names.txt"
check "every name is PLATFORM-ID.EXT of safe characters" sh -c "! grep -vE '^[a-z_]+-[A-Za-z0-9_][A-Za-z0-9_-]*\.(jpg|png|webp|gif)$' '$T/names.txt'"
check "the seven hostile ids: seven hashed names" test "$(grep -cE '^xiaohongshu-_[0-9a-f]{32}\.' "$T/names.txt")" -eq 7
check "nothing written outside DIR/covers" sh -c "[ ! -e '$T/escaped' ] && [ ! -e '$D/escaped' ] && [ \"\$(ls -A '$D' | tr '\n' ' ')\" = 'covers favicon.svg index.html showcase.csv showcase.json ' ]"
check "an id that is plain stays as it is" sh -c "grep -qE '^(bilibili-BV|douyin-[0-9]+\.)' '$T/names.txt'"

# ---- the next runs: only what failed is fetched, once ----
victim="$T/victim.txt"
echo "do not touch" >"$victim"
slowwork=$("$PY" -c "import json,sys; x=[f for f in json.load(open(sys.argv[1]))['faults'] if f['fault']=='imgslow'][0]; print('%s-%s' % (x['platform'], x['post_id']))" "$T/plan.json")
# a symlink planted where a missing cover will be written
ln -s "$victim" "$D/covers/$slowwork.jpg"
ln -s "$victim" "$D/covers/$slowwork.webp"
before=$(images)
status "showcase again (the faults spent)" 0 k showcase -o "$D"
check "the second run fetches the six that failed, and only them" test "$(($(images) - before))" -eq 6
check "...and says so" has "$T/out" "(6 downloaded now, 0 failed, [01] removed"
check "...with no warning" sh -c "! grep -q warning '$T/err'"
check "the planted symlink was replaced, its target untouched" sh -c "[ \"\$(cat '$victim')\" = 'do not touch' ]"
check "...by the picture, a regular file" sh -c "{ [ -f '$D/covers/$slowwork.jpg' ] && [ ! -L '$D/covers/$slowwork.jpg' ]; } || { [ -f '$D/covers/$slowwork.webp' ] && [ ! -L '$D/covers/$slowwork.webp' ]; }"
# the other extension's symlink is left: not a cover, and never followed
find "$D/covers" -type l -delete
stamp() { ls -l --time-style=+%s.%N "$D/covers" | md5sum; }
s1=$(stamp)
before=$(images)
status "a third showcase" 0 k showcase -o "$D"
check "the third run fetches nothing" test "$(images)" -eq "$before"
check "...and rewrites no cover" same "$(stamp)" "$s1"
check "...and says so" has "$T/out" "(0 downloaded now, 0 failed, 0 removed"

# ---- --no-covers ----
before=$(images)
status "showcase --no-covers" 0 k showcase -o "$T/bare" --no-covers
check "--no-covers: no request, no covers directory" sh -c "[ $(images) -eq $before ] && [ ! -e '$T/bare/covers' ]"

# ---- a dead image server is a warning per work, never a failure ----
stop_fake
rm -rf "$D/covers"
status "showcase with the image servers gone: still exit 0" 0 k showcase -o "$D"
check "one warning per work with a cover" test "$(grep -c '^kepu: warning: cover of ' "$T/err")" -eq "$(($(echo "$WORKS" | wc -w) - 1 + NHOSTILE))"
check "the page is still written" sh -c "grep -q '</html>' '$D/index.html'"

summary
