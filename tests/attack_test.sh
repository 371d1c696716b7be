#!/bin/sh
# Hostile input and hostile neighbours: a forged audit log, symlinks planted
# where kepu writes, secrets echoed back by a server, header injection, one
# odd item on a page, the lock dodged through another path, personal data on
# the public page, bad configs, kill -9, CSV round trips of formula-looking
# cells, a read-only database, control bytes in error messages.
# Ends with `attack: N passed, N failed`.
#
# Needs sqlite3 (installed here when root, else counted as a failure),
# python3 (tests/data/attack/server.py: a server that echoes requests back
# and serves fixture pages; tests/fakeplatform.c cannot) and, as root,
# setpriv (util-linux) to read a database as user nobody.
set -u
NAME=attack
. tests/lib.sh

A=$DATA/attack
SRV_PID=
BG_PIDS=
RO=
RW=
attack_cleanup() {
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null
	for p in $BG_PIDS; do kill -9 "$p" 2>/dev/null; done
	[ -n "$RO" ] && chmod -R u+rwx "$RO" 2>/dev/null && rm -rf "$RO"
	[ -n "$RW" ] && rm -rf "$RW"
	cleanup
}
trap attack_cleanup EXIT INT TERM

# ---- what the suite needs ----
if ! command -v sqlite3 >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "installing sqlite3"
	apt-get update -qq >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sqlite3 >/dev/null 2>&1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	bad "sqlite3 is not installed (install it with: sudo apt-get install sqlite3); every check that tampers with a database fails"
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)
# sq DB SQL: sqlite3 with a busy timeout (kepu may be writing)
sq() { sqlite3 -cmd '.timeout 5000' "$@"; }

# start_srv: tests/data/attack/server.py on an ephemeral port ($SPORT), requests logged in $T/srv.log
start_srv() {
	: >"$T/srv.log"
	"$PY" "$A/server.py" "$T/srv.log" "$A" >"$T/srv.out" 2>"$T/srv.err" &
	SRV_PID=$!
	SPORT=$(listening_port "$T/srv.out")
	[ -n "$SPORT" ] || { echo "server.py did not start:"; cat "$T/srv.err"; SPORT=1; }
}
# feed_cfg FILE URL_PATH [EXTRA]: one generic source named feed against server.py
feed_cfg() {
	cat >"$1" <<EOC
{"sources": [{"name": "feed", "platform": "generic", "base_url": "http://127.0.0.1:$SPORT", "min_interval_ms": 0,
  "retries": 0, "timeout_s": 5, "url": "{base_url}$2", "items": "/data/list",
  "fields": {"post_id": "/id", "created_at": "/t", "title": "/title", "text": "/text"},
  "time_format": "YYYY-MM-DD HH:MM:SS", "paging": {"kind": "page", "has_more": "/data/has_more"}${3:+, $3}}]}
EOC
}
same() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'"; return 1; }; }
# state DB PLATFORM:POST_ID: the review status `review list` shows
state() { kepu --db "$1" review list --status all | awk -F'\t' -v p="$2" '$1 == p { print $2 }'; }
# ids DB: the stored post ids, space-separated, sorted
ids() { kepu --db "$1" export | sed -n 's/.*"post_id":"\([^"]*\)".*/\1/p' | sort | tr '\n' ' '; }
# noleak SECRET FILE...: no 20-byte piece of SECRET (all of it when shorter) in the files
noleak() {
	"$PY" -c 'import sys
s = sys.argv[1].encode()
n = min(20, len(s))
pieces = {s[i:i + n] for i in range(len(s) - n + 1)}
for f in sys.argv[2:]:
    d = open(f, "rb").read()
    hit = [p for p in pieces if p in d]
    if hit:
        print("    %s holds %r" % (f, hit[0].decode()))
        sys.exit(1)' "$@"
}
# plant DIR NAME...: a fresh $T/victim, and symlinks DIR/NAME to it
plant() {
	printf 'the victim: nobody may write here\n' >"$T/victim"
	cp "$T/victim" "$T/victim.orig"
	d=$1
	shift
	for n in "$@"; do ln -sf "$T/victim" "$d/$n"; done
}
# nposts DB: how many posts it holds (0 while it does not exist yet)
nposts() {
	n=
	[ -s "$1" ] && n=$(sq "$1" 'SELECT count(*) FROM posts' 2>/dev/null)
	echo "${n:-0}"
}
victim_ok() { cmp -s "$T/victim" "$T/victim.orig"; }
regular() { [ -f "$1" ] && [ ! -L "$1" ] && [ -s "$1" ]; }

start_srv

# ==== 1. the audit log cannot be forged ====
DB1=$T/audit.db
kepu --db "$DB1" import -q "$DATA/featured.ndjson" 2>/dev/null
status "audit: approve A1" 0 kepu --db "$DB1" review approve douyin:A1 --by 张三 --note 初审
status "audit: reject A2" 0 kepu --db "$DB1" review reject douyin:A2 --by 张三 --note 重复投稿
status "audit: approve A3" 0 kepu --db "$DB1" review approve douyin:A3 --by 李四 --note 好
status "review verify on an untouched log" 0 kepu --db "$DB1" review verify
check "review verify says intact" sh -c "cat '$T/out' '$T/err' | grep -q intact"
orig=$(sq "$DB1" 'SELECT max(id) FROM review_log')

check "REPLACE INTO review_log (rewrite #1 as featured) fails" sh -c "! sqlite3 '$DB1' \"REPLACE INTO review_log (id, platform, post_id, at, \\\"by\\\", from_state, to_state, note) SELECT id, platform, post_id, at, 'mallory', from_state, 'featured', note FROM review_log WHERE id=1\" 2>/dev/null"
check "after REPLACE: A1 still approved" same "$(state "$DB1" douyin:A1)" approved
kepu --db "$DB1" review log >"$T/log1" 2>&1
check "after REPLACE: the log shows the true decision" sh -c "grep -q 'douyin:A1	pending -> approved	张三	初审' '$T/log1' && ! grep -q mallory '$T/log1'"

check "INSERT OR REPLACE of an existing id fails" sh -c "! sqlite3 '$DB1' \"INSERT OR REPLACE INTO review_log (id, platform, post_id, at, \\\"by\\\", from_state, to_state, note) VALUES (2, 'douyin', 'A2', 1757469600, 'mallory', 'pending', 'approved', 'ok')\" 2>/dev/null"
check "after INSERT OR REPLACE: A2 still rejected" same "$(state "$DB1" douyin:A2)" rejected
kepu --db "$DB1" review log >"$T/log1" 2>&1
check "after INSERT OR REPLACE: the log shows the true decision" sh -c "grep -q 'douyin:A2	pending -> rejected	张三	重复投稿' '$T/log1' && ! grep -q mallory '$T/log1'"

# An id below the max that is free: make a gap above the last decision (a
# harmless decision about A2 that changes nothing, whether or not it is let
# in), then fill the gap with a forged decision about A3, which would be its
# newest.
sqlite3 "$DB1" "INSERT INTO review_log (id, platform, post_id, at, \"by\", from_state, to_state, note) VALUES ($orig + 10, 'douyin', 'A2', 1757469600, '张三', 'rejected', 'rejected', '重复投稿')" 2>/dev/null
hi=$(sq "$DB1" 'SELECT max(id) FROM review_log')
if [ "${hi:-0}" -gt "${orig:-0}" ]; then rid=$((hi - 1)); else rid=1; fi
check "INSERT with an explicit id below the max (#$rid) fails" sh -c "! sqlite3 '$DB1' \"INSERT INTO review_log (id, platform, post_id, at, \\\"by\\\", from_state, to_state, note) VALUES ($rid, 'douyin', 'A3', 1757469600, 'mallory', 'approved', 'featured', 'x')\" 2>/dev/null"
check "after the INSERT: A3 still approved" same "$(state "$DB1" douyin:A3)" approved
check "after the INSERT: no forged decision in the log" sh -c "! $BUILD/kepu --db '$DB1' review log 2>&1 | grep -q mallory"

# a database of schema version 5 gets the same guard once kepu opened it
sqlite3 "$T/v5.db" <"$A/schema5.sql"
status "old-schema database opened (kepu runs)" 0 kepu --db "$T/v5.db" runs
check "old schema: REPLACE INTO review_log fails" sh -c "! sqlite3 '$T/v5.db' \"REPLACE INTO review_log (id, platform, post_id, at, \\\"by\\\", from_state, to_state, note) SELECT id, platform, post_id, at, 'mallory', from_state, 'featured', note FROM review_log WHERE id=3\" 2>/dev/null"
check "old schema: A2 still rejected" same "$(state "$T/v5.db" douyin:A2)" rejected
status "old schema: review verify after the upgrade" 0 kepu --db "$T/v5.db" review verify
check "old schema: verify says intact" sh -c "cat '$T/out' '$T/err' | grep -q intact"

# review verify finds edits made with the triggers dropped
DBV=$T/verify.db
printf '%s\n' "$(head -n 2 "$DATA/featured.ndjson")" >"$T/two.ndjson"
kepu --db "$DBV" import -q "$T/two.ndjson" 2>/dev/null
kepu --db "$DBV" review approve douyin:A1 --by 张三 --note 初审 >/dev/null 2>&1
kepu --db "$DBV" review feature douyin:A1 --by 李四 --note 优秀 >/dev/null 2>&1
kepu --db "$DBV" review reject douyin:A2 --by 张三 --note 重复 >/dev/null 2>&1
sq "$DBV" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1
cp "$DBV" "$T/verify2.db"
sq "$DBV" "DROP TRIGGER review_log_no_update; UPDATE review_log SET to_state = 'approved' WHERE id = 3" 2>/dev/null
status "verify after to_state of #3 edited: exit 1" 1 kepu --db "$DBV" review verify
check "verify names #3" sh -c "cat '$T/out' '$T/err' | grep -q '#3' && ! cat '$T/out' '$T/err' | grep -q '#[12]\([^0-9]\|\$\)'"
sq "$T/verify2.db" "DROP TRIGGER review_log_no_update; UPDATE review_log SET note = '真优秀' WHERE id = 2" 2>/dev/null
status "verify after the note of #2 edited: exit 1" 1 kepu --db "$T/verify2.db" review verify
check "verify names #2 (the first broken one)" sh -c "cat '$T/out' '$T/err' | grep -q '#2' && ! cat '$T/out' '$T/err' | grep -q '#1\([^0-9]\|\$\)'"

# ==== 2. symlinks planted where kepu writes ====
# a page of 400 works, so that two runs at once overlap while writing
gen --seed 5 --count 1200 >"$T/data.ndjson"
DBS=$T/show.db
kepu --db "$DBS" import -q "$DATA/featured.ndjson" "$T/data.ndjson" 2>/dev/null
kepu --db "$DBS" review feature douyin:A1 douyin:B1 --approve --by 王编辑 --note 优秀 >/dev/null 2>&1
many=$(kepu --db "$DBS" export | grep -v '"post_id":"[A-Z][0-9]"' | head -n 400 |
	sed -n 's/^{"platform":"\([^"]*\)","post_id":"\([^"]*\)".*/\1:\2/p' | tr '\n' ' ')
# shellcheck disable=SC2086
status "feature 400 more works" 0 kepu --db "$DBS" review feature $many --approve --by 王编辑 --note 优秀
mkdir "$T/sc"
plant "$T/sc" index.html.tmp showcase.csv.tmp showcase.json.tmp .index.html.tmp .showcase.csv.tmp .showcase.json.tmp index.html~ showcase.csv~ showcase.json~ index.html.new showcase.csv.new showcase.json.new
status "showcase with symlinks planted at its temp names" 0 kepu --db "$DBS" showcase -o "$T/sc"
check "showcase: the victim is unchanged" victim_ok
check "showcase: index.html written (a file, not the symlink)" sh -c "[ -f '$T/sc/index.html' ] && [ ! -L '$T/sc/index.html' ] && grep -q 'video/A1' '$T/sc/index.html'"
check "showcase: showcase.csv written (a file, not the symlink)" sh -c "[ -f '$T/sc/showcase.csv' ] && [ ! -L '$T/sc/showcase.csv' ] && grep -q ',A1,' '$T/sc/showcase.csv'"

status "showcase into a new directory" 0 kepu --db "$DBS" showcase -o "$T/sc2"
check "showcase: no temp files left" same "$(ls -A "$T/sc2" | tr '\n' ' ')" "favicon.svg index.html showcase.csv showcase.json "

mkdir "$T/conc"
cfail=0
n=0
while [ $n -lt 10 ]; do
	"$BUILD/kepu" --db "$DBS" showcase -o "$T/conc" >/dev/null 2>"$T/c1.err" &
	p1=$!
	"$BUILD/kepu" --db "$DBS" showcase -o "$T/conc" >/dev/null 2>"$T/c2.err" &
	p2=$!
	wait "$p1" || { cfail=$((cfail + 1)); sed 's/^/    /' "$T/c1.err"; }
	wait "$p2" || { cfail=$((cfail + 1)); sed 's/^/    /' "$T/c2.err"; }
	n=$((n + 1))
done
check "10 pairs of concurrent showcases: every run exits 0" same "$cfail failed" "0 failed"
check "concurrent showcases: the pages are whole, no temp files left" sh -c "[ \"\$(ls -A '$T/conc' | tr '\n' ' ')\" = 'favicon.svg index.html showcase.csv showcase.json ' ] && grep -q '</html>' '$T/conc/index.html'"

mkdir "$T/ex"
for spec in "export:e.ndjson:export" "report:r.html:report --format html" "featured:f.md:featured"; do
	what=${spec%%:*}
	rest=${spec#*:}
	f=${rest%%:*}
	cmd=${rest#*:}
	plant "$T/ex" "$f.tmp" ".$f.tmp" "$f~" "$f.new" "$f.part" ".$f.swp"
	# shellcheck disable=SC2086
	status "$what -o with symlinks at its temp names" 0 kepu --db "$DBS" $cmd -o "$T/ex/$f"
	check "$what: the victim is unchanged" victim_ok
	check "$what: the file is written" regular "$T/ex/$f"
done

# ==== 3. secrets never shown ====
TOKEN=Zq7tokVALUEx9K2mPw
feed_cfg "$T/tok.json" '/echo/url?page={page}&size={size}&access={env:FEED_TOKEN}'
status "token in the URL, echoed back by the server: exit 1" 1 env FEED_TOKEN=$TOKEN "$BUILD/kepu" --config "$T/tok.json" --db "$T/tok.db" collect
check "the server got the token, stderr does not show it" sh -c "grep -q '$TOKEN' '$T/srv.log' && ! grep -q '$TOKEN' '$T/err'"
kepu --db "$T/tok.db" runs >"$T/tok.runs" 2>&1
check "token not in kepu runs" sh -c "grep -q 'feed' '$T/tok.runs' && ! grep -q '$TOKEN' '$T/tok.runs'"
sq "$T/tok.db" 'select * from run_sources' >"$T/tok.rs" 2>&1
check "token not in run_sources" sh -c "grep -q 'feed' '$T/tok.rs' && ! grep -q '$TOKEN' '$T/tok.rs'"
kepu --db "$T/tok.db" report --format html >"$T/tok.html" 2>&1
check "token not in the HTML report" sh -c "grep -q '<html' '$T/tok.html' && ! grep -q '$TOKEN' '$T/tok.html'"
kepu --db "$T/tok.db" report --format csv -o "$T/tokcsv" >/dev/null 2>&1
check "token not in the CSV report" sh -c "[ -s '$T/tokcsv/sources.csv' ] && ! grep -rq '$TOKEN' '$T/tokcsv'"

LONG=$("$PY" -c 'import random; r = random.Random(7); print("SESS=" + "".join(r.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(895)))')
feed_cfg "$T/ck.json" '/echo/cookie?page={page}' '"cookie_env": "ATTACK_COOKIE"'
: >"$T/srv.log"
status "a 900-byte cookie echoed back: exit 1" 1 env ATTACK_COOKIE="$LONG" "$BUILD/kepu" --config "$T/ck.json" --db "$T/ck.db" collect
kepu --db "$T/ck.db" runs >"$T/ck.runs" 2>&1
sq "$T/ck.db" 'select * from run_sources' >"$T/ck.rs" 2>&1
check "the server got the whole cookie" grep -q "$LONG" "$T/srv.log"
check "no 20 bytes of the long cookie in stderr" noleak "$LONG" "$T/err"
check "no 20 bytes of the long cookie in runs or run_sources" noleak "$LONG" "$T/ck.runs" "$T/ck.rs"
status "a 3-byte cookie echoed back: exit 1" 1 env ATTACK_COOKIE=Qj9 "$BUILD/kepu" --config "$T/ck.json" --db "$T/ck3.db" collect
check "the 3-byte cookie is redacted" sh -c "grep -q 'rejected cookie' '$T/err' && ! grep -q Qj9 '$T/err' && ! $BUILD/kepu --db '$T/ck3.db' runs 2>&1 | grep -q Qj9"
feed_cfg "$T/hd.json" '/echo/header?page={page}' '"headers": {"X-Token": {"env": "ATTACK_HDR"}}'
status "a 3-byte header secret echoed back: exit 1" 1 env ATTACK_HDR=Wx4 "$BUILD/kepu" --config "$T/hd.json" --db "$T/hd3.db" collect
check "the 3-byte header secret is redacted" sh -c "grep -q 'rejected token' '$T/err' && ! grep -q Wx4 '$T/err' && ! $BUILD/kepu --db '$T/hd3.db' runs 2>&1 | grep -q Wx4"

# ==== 4. header injection ====
feed_cfg "$T/ua.json" '/ok?page={page}' '"user_agent": "kepu-test\r\nX-Injected: 1"'
status "user_agent with CR LF: config refused" 2 kepu --config "$T/ua.json" --db "$T/ua.db" runs
check "user_agent named" has "$T/err" "sources\[0\].user_agent"
: >"$T/srv.log"
status "user_agent with CR LF: collect refused" 2 kepu --config "$T/ua.json" --db "$T/ua.db" collect
check "user_agent with CR LF: nothing injected" sh -c "! grep -q 'X-Injected' '$T/srv.log'"

feed_cfg "$T/ci.json" '/ok?page={page}' '"cookie_env": "ATTACK_COOKIE"'
: >"$T/srv.log"
env ATTACK_COOKIE="$(printf 'SESS=a\r\nX-Injected: 1')" "$BUILD/kepu" --config "$T/ci.json" --db "$T/ci.db" collect >"$T/out" 2>"$T/err"
rc=$?
check "cookie with CR LF: the source fails (exit $rc)" test "$rc" -ne 0
check "cookie with CR LF: nothing injected" sh -c "! grep -q 'X-Injected' '$T/srv.log'"
check "cookie with CR LF: the variable named" has "$T/err" "ATTACK_COOKIE"

feed_cfg "$T/hi.json" '/ok?page={page}' '"headers": {"X-Token": {"env": "ATTACK_HDR"}}'
: >"$T/srv.log"
env ATTACK_HDR="$(printf 'tok\r\nX-Injected: 1')" "$BUILD/kepu" --config "$T/hi.json" --db "$T/hi.db" collect >"$T/out" 2>"$T/err"
rc=$?
check "header variable with CR LF: the source fails (exit $rc)" test "$rc" -ne 0
check "header variable with CR LF: nothing injected" sh -c "! grep -q 'X-Injected' '$T/srv.log'"
check "header variable with CR LF: the variable named" has "$T/err" "ATTACK_HDR"

nl='
'
: >"$T/srv.log"
status "cookie with a trailing newline: accepted" 0 env ATTACK_COOKIE="SESS=abc$nl" "$BUILD/kepu" --config "$T/ci.json" --db "$T/cn.db" collect
check "cookie with a trailing newline: sent trimmed, the request intact" sh -c "grep -qF '[\"Cookie\", \"SESS=abc\"]' '$T/srv.log' && grep -qF '[\"Accept\", \"application/json\"]' '$T/srv.log'"

# ==== 5. one odd item loses only itself ====
for f in dupkey nul objid; do
	feed_cfg "$T/$f.json" "/file/$f?page={page}"
	status "$f: exit 1" 1 kepu --config "$T/$f.json" --db "$T/$f.db" collect
	cp "$T/err" "$T/$f.err"
	p=$(printf %.1s "$f")
	check "$f: the other items stored, the bad one not" same "$(ids "$T/$f.db")" "${p}1 ${p}3 "
done
check "duplicate key: item 2 and the cause named" sh -c "grep -qi \"source 'feed' page 1: item 2: .*duplicate\" '$T/dupkey.err'"
check "NUL: item 2 and the cause named" sh -c "grep -qi \"source 'feed' page 1: item 2: .*\\(nul\\|u0000\\)\" '$T/nul.err'"
check "post_id object: the cause named" has "$T/objid.err" "source 'feed' page 1: item 2: post_id: expected a string or integer, got an object"

# ==== 6. the lock cannot be dodged through another path ====
start_fake --data "$T/data.ndjson"
mkdir "$T/lk" "$T/other"
cat >"$T/lk.json" <<EOC
{"sources": [{"name": "feed", "platform": "generic", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 4000,
  "max_pages": 3, "retries": 0, "url": "{base_url}/open/v1/feed?page={page}&size={size}", "items": "/data/list",
  "fields": {"platform": "/platform", "post_id": "/item_id", "created_at": "/publish_time", "text": "/content"},
  "time_format": "YYYY-MM-DD HH:MM:SS", "paging": {"kind": "page", "has_more": "/data/has_more"}}]}
EOC
printf '%s\n' '{"platform":"weibo","post_id":"tiny1","created_at":"2025-09-10 10:00","text":"#千万IP创科普# 江津区"}' >"$T/tiny.ndjson"
kepu --db "$T/lk/real.db" init >/dev/null 2>&1
ln -s real.db "$T/lk/link.db"
ln -s ../lk/real.db "$T/other/link.db"
"$BUILD/kepu" --config "$T/lk.json" --db "$T/lk/real.db" collect >/dev/null 2>&1 &
hp=$!
BG_PIDS="$BG_PIDS $hp"
i=0
while ! grep -q "pid $hp" "$T/lk/real.db.lock" 2>/dev/null && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "the holder took the lock" grep -q "pid $hp" "$T/lk/real.db.lock"
status "import through a symlink to the database: exit 75" 75 kepu --db "$T/lk/link.db" import "$T/tiny.ndjson"
check "symlink: the holder named" sh -c "grep -q 'pid $hp' '$T/err' && ! grep -q 'holder unknown' '$T/err'"
case $BUILD in /*) KABS=$BUILD/kepu ;; *) KABS=$(pwd)/$BUILD/kepu ;; esac
status "import through ./link.db from another directory: exit 75" 75 sh -c "cd '$T/other' && exec ${VALGRIND:-} '$KABS' --db ./link.db import '$T/tiny.ndjson'"
check "./link.db: the holder named" sh -c "grep -q 'pid $hp' '$T/err' && ! grep -q 'holder unknown' '$T/err'"
status "import through ./real.db from the database's directory: exit 75" 75 sh -c "cd '$T/lk' && exec ${VALGRIND:-} '$KABS' --db ./real.db import '$T/tiny.ndjson'"
check "./real.db: the holder named" sh -c "grep -q 'pid $hp' '$T/err' && ! grep -q 'holder unknown' '$T/err'"
kill "$hp" 2>/dev/null
wait "$hp" 2>/dev/null
BG_PIDS=

# ==== 7. personal data never on the public page ====
cat >"$T/pii.ndjson" <<'EOF'
{"platform":"weibo","post_id":"p1","created_at":"2025-09-06 10:00","title":"科普热线 13812345678","text":"#千万IP创科普# 江津区 科普讲座","author_name":"甲","url":"https://m.weibo.cn/detail/p1","likes":10}
{"platform":"weibo","post_id":"p2","created_at":"2025-09-06 11:00","text":"#千万IP创科普# 江津区 报名证件 11010519491231002X 科普","author_name":"乙","url":"https://m.weibo.cn/detail/p2","likes":9}
EOF
kepu --db "$T/pii.db" import -q "$T/pii.ndjson" 2>/dev/null
status "feature the posts with a phone number and an id number" 0 kepu --db "$T/pii.db" review feature weibo:p1 weibo:p2 --approve --by 王编辑 --note 优秀
status "showcase of them" 0 kepu --db "$T/pii.db" showcase -o "$T/pii"
check "showcase page: both works, neither number" sh -c "grep -q 'detail/p1' '$T/pii/index.html' && grep -q 'detail/p2' '$T/pii/index.html' && ! grep -q '13812345678\|11010519491231002X' '$T/pii/index.html'"
check "showcase csv: both works, neither number" sh -c "grep -q ',p1,' '$T/pii/showcase.csv' && grep -q ',p2,' '$T/pii/showcase.csv' && ! grep -q '13812345678\|11010519491231002X' '$T/pii/showcase.csv'"

# ==== 8. configs that must not load ====
bad_cfg() {
	printf '%s' "$2" >"$T/c8.json"
	status "config: $1: exit 2" 2 kepu --config "$T/c8.json" --db "$T/c8.db" runs
	check "config: $1: named" has "$T/err" "$3"
}
gen8='"platform": "generic", "items": "/a", "fields": {"post_id": "/id", "created_at": "/t"}'
bad_cfg "unknown placeholder {pgae}" "{\"sources\": [{\"name\": \"g\", $gen8, \"base_url\": \"http://x\", \"url\": \"{base_url}/f?page={pgae}\"}]}" "sources\[0\].url.*pgae"
bad_cfg "base_url without a host" '{"sources": [{"name": "w", "platform": "weibo", "base_url": "http://"}]}' "sources\[0\].base_url"
bad_cfg "base_url with a space" '{"sources": [{"name": "w", "platform": "weibo", "base_url": "http://exa mple.com"}]}' "sources\[0\].base_url"
n65=$(printf '%065d' 0 | tr 0 a)
bad_cfg "source name of 65 characters" "{\"sources\": [{\"name\": \"$n65\", \"platform\": \"weibo\", \"base_url\": \"http://x\"}]}" "sources\[0\].name"
c201=$(printf '%0201d' 0 | tr 0 k)
bad_cfg "campaign name of 201 characters" "{\"campaign\": {\"name\": \"$c201\"}}" "campaign.name"
mkdir "$T/cfgdir"
status "config: --config a directory: exit 2" 2 kepu --config "$T/cfgdir" --db "$T/c8.db" runs
check "config: a directory: said so" has "$T/err" "is a directory"
bad_cfg "gazetteer a directory" "{\"gazetteer\": \"$T/cfgdir\"}" "gazetteer"

# ==== 9. kill -9, then the next lock holder cleans up ====
gen --seed 3 --count 200000 >"$T/big.ndjson"
"$BUILD/kepu" --db "$T/big.db" import -q "$T/big.ndjson" >/dev/null 2>&1 &
kp=$!
BG_PIDS="$BG_PIDS $kp"
i=0
while [ "$(nposts "$T/big.db")" -eq 0 ] && [ $i -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "the big import committed something before the kill" test "$(nposts "$T/big.db")" -gt 0
kill -9 "$kp" 2>/dev/null
wait "$kp" 2>/dev/null
BG_PIDS=
status "an import after the kill" 0 kepu --db "$T/big.db" import -q "$T/tiny.ndjson"
kepu --db "$T/big.db" runs >"$T/big.runs" 2>&1
check "no run left running" sh -c "grep -q import '$T/big.runs' && ! grep -q running '$T/big.runs'"
check "the killed import shows interrupted" sh -c "grep 'big.ndjson' '$T/big.runs' | grep -q interrupted"

cat >"$T/kc.json" <<EOC
{"sources": [
 {"name": "weibo", "platform": "weibo", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 200, "max_pages": 500, "retries": 0},
 {"name": "feed", "platform": "generic", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 200, "max_pages": 500, "retries": 0,
  "url": "{base_url}/open/v1/feed?page={page}&size={size}", "items": "/data/list",
  "fields": {"platform": "/platform", "post_id": "/item_id", "created_at": "/publish_time", "title": "/title", "text": "/content"},
  "time_format": "YYYY-MM-DD HH:MM:SS", "paging": {"kind": "page", "has_more": "/data/has_more"}}]}
EOC
"$BUILD/kepu" --config "$T/kc.json" --db "$T/kc.db" collect >/dev/null 2>&1 &
kp=$!
BG_PIDS="$BG_PIDS $kp"
i=0
while [ "$(nposts "$T/kc.db")" -le 50 ] && [ $i -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 "$kp" 2>/dev/null
wait "$kp" 2>/dev/null
BG_PIDS=
status "an import after the killed collection" 0 kepu --db "$T/kc.db" import -q "$T/tiny.ndjson"
kepu --db "$T/kc.db" runs >"$T/kc.runs" 2>&1
tot=$(sed -n 's/^#[0-9]* collect .* read \([0-9]*\), new \([0-9]*\),.*/\1 \2/p' "$T/kc.runs")
sum=$(sed -n 's/^    [^ ].* fetched \([0-9]*\), matched [0-9]*, new \([0-9]*\),.*/\1 \2/p' "$T/kc.runs" |
	awk '{ f += $1; n += $2 } END { print f + 0, n + 0 }')
check "killed collection: it stored something" test "$(nposts "$T/kc.db")" -gt 1
check "killed collection: totals (read, new) = sum over sources (fetched, new)" same "$tot" "$sum"
check "killed collection: shown interrupted, nothing running" sh -c "grep -q '^#[0-9]* collect .*interrupted' '$T/kc.runs' && ! grep -q running '$T/kc.runs'"

# ==== 10, 13. CSV round trips of formula-looking and multi-line cells ====
cat >"$T/rt.ndjson" <<'EOF'
{"platform":"weibo","post_id":"rt1","created_at":"2025-09-05 10:00","title":"'=1+1 科普","text":"第一行\r\n第二行 #千万IP创科普# 江津区","author_name":"作者"}
EOF
cat >"$T/fx.ndjson" <<'EOF'
{"platform":"weibo","post_id":"fx1","created_at":"2025-09-05 11:00","title":" =1+1","text":"#千万IP创科普# 江津区","author_name":"  +cmd"}
{"platform":"weibo","post_id":"fx2","created_at":"2025-09-05 12:00","title":"＝1+1","text":"#千万IP创科普# 江津区","author_name":"＋1"}
{"platform":"weibo","post_id":"fx3","created_at":"2025-09-05 13:00","title":"－1","text":"#千万IP创科普# 江津区","author_name":"＠SUM(1)"}
EOF
posts() { kepu --db "$1" export | sed 's/,"first_seen":.*$//' | sort; }
for set in rt fx; do
	kepu --db "$T/$set.db" import -q "$T/$set.ndjson" 2>/dev/null
	status "$set: export csv" 0 kepu --db "$T/$set.db" export --format csv -o "$T/$set.csv"
	status "$set: import the csv into a new database" 0 kepu --db "$T/$set-2.db" import "$T/$set.csv"
	posts "$T/$set.db" >"$T/$set.a"
	posts "$T/$set-2.db" >"$T/$set.b"
	check "$set: csv round trip gives the posts back exactly" sh -c "[ -s '$T/$set.a' ] && cmp -s '$T/$set.a' '$T/$set.b'"
done
# cell POST_ID COLUMN: that cell of the exported CSV
cell() { "$PY" -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")):
    if r["post_id"] == sys.argv[2]:
        print(r[sys.argv[3]], end="")' "$T/fx.csv" "$1" "$2"; }
check "csv: title ' =1+1' with a leading apostrophe" same "$(cell fx1 title)" "' =1+1"
check "csv: author '  +cmd' with a leading apostrophe" same "$(cell fx1 author_name)" "'  +cmd"
check "csv: title '＝1+1' with a leading apostrophe" same "$(cell fx2 title)" "'＝1+1"
check "csv: author '＋1' with a leading apostrophe" same "$(cell fx2 author_name)" "'＋1"
check "csv: title '－1' with a leading apostrophe" same "$(cell fx3 title)" "'－1"
check "csv: author '＠SUM(1)' with a leading apostrophe" same "$(cell fx3 author_name)" "'＠SUM(1)"

# ==== 11. a database the user can only read ====
sq "$DBS" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1
RO=$(mktemp -d /tmp/kepu-attack-ro.XXXXXX)
RW=$(mktemp -d /tmp/kepu-attack-rw.XXXXXX)
chmod 755 "$RO" "$RW"
cp "$DBS" "$RO/r.db"
chmod 644 "$RO/r.db"
cp "$BUILD/kepu" "$RW/kepu"
chmod 755 "$RW/kepu"
mkdir "$RW/out"
chmod 777 "$RW/out"
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		asuser() { (cd "$RW" && setpriv --reuid=65534 --regid=65534 --clear-groups "$@"); }
	else
		bad "setpriv (util-linux) is not installed: the read-only checks run as root, which can write"
		asuser() { (cd "$RW" && "$@"); }
	fi
else
	chmod 444 "$RO/r.db"
	chmod 555 "$RO"
	asuser() { (cd "$RW" && "$@"); }
fi
cannot_write() { ! asuser sh -c ": >>'$RO/r.db'" 2>/dev/null; }
check "read-only: the user cannot write the database" cannot_write
for cmd in "report --format md" "report --format html" "report --format json" "export" "featured" \
	"showcase -o $RW/out/show" "review list" "review log"; do
	# shellcheck disable=SC2086
	status "read-only database: $cmd" 0 asuser "$RW/kepu" --db "$RO/r.db" $cmd
done
check "read-only: the showcase was written" regular "$RW/out/show/index.html"

# ==== 12. error lines quote hostile input ====
printf '"pla\ntform",post_id,created_at,text\nweibo,1,2025-09-10,#千万IP创科普#\n' >"$T/h1.csv"
status "csv header with a newline in a cell: exit 1" 1 kepu --db "$T/h.db" import "$T/h1.csv"
check "newline in a header cell: one line per error (and the summary)" lines "$T/err" 2
check "newline in a header cell: quoted as backslash n" grep -qF 'pla\ntform' "$T/err"
printf 'platform,post_id,created_at,te\377xt\nweibo,1,2025-09-10,#千万IP创科普#\n' >"$T/h2.csv"
status "csv header with a 0xff byte: exit 1" 1 kepu --db "$T/h.db" import "$T/h2.csv"
check "0xff in a header cell: one line per error (and the summary)" lines "$T/err" 2
check "0xff in a header cell: quoted as backslash x ff, no raw byte" sh -c "grep -qiF '\\xff' '$T/err' && ! LC_ALL=C grep -q \"\$(printf '\\377')\" '$T/err'"

summary
