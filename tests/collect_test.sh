#!/bin/sh
# Collection from the fake platform server (tests/fakeplatform.c) with the
# real libcurl code: every platform, every fault, kill -9 and rerun, two
# runs at once, credentials, bad configs.  Ends with `collect: N passed, N failed`.
set -u
NAME=collect
. tests/lib.sh

gen --seed 5 --count 1200 >"$T/data.ndjson"

# The set of posts (platform:post_id) and their content without the
# seen-times, for comparing databases.
posts() { kepu --db "$1" export | sed 's/,"first_seen":.*$//' | sort; }
ids() { kepu --db "$1" export | grep -o '"platform":"[^"]*","post_id":"[^"]*"' | sort; }

# config FILE [MIN_INTERVAL_MS [RETRIES [EXTRA]]]: the four sources against $PORT
config() {
	iv=${2:-0}
	rt=${3:-3}
	extra=${4:-}
	cat >"$1" <<EOC
{"sources": [
 {"name": "weibo", "platform": "weibo", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": $iv,
  "max_pages": 500, "retry_backoff_ms": 20, "timeout_s": 2, "retries": $rt $extra},
 {"name": "bili", "platform": "bilibili", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": $iv,
  "max_pages": 500, "retry_backoff_ms": 20, "timeout_s": 2, "retries": $rt $extra},
 {"name": "douyin", "platform": "douyin", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": $iv,
  "max_pages": 500, "retry_backoff_ms": 20, "timeout_s": 2, "retries": $rt $extra},
 {"name": "feed", "platform": "generic", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": $iv,
  "max_pages": 500, "retry_backoff_ms": 20, "timeout_s": 2, "retries": $rt $extra,
  "url": "{base_url}/open/v1/feed?page={page}&size={size}", "items": "/data/list",
  "fields": {"platform": "/platform", "post_id": "/item_id", "url": "/link", "author_id": "/user/id",
    "author_name": "/user/name", "author_location": "/user/location", "ip_location": "/ip_label",
    "created_at": "/publish_time", "title": "/title", "text": "/content", "topics": "/tags",
    "views": "/metrics/view", "likes": "/metrics/like", "comments": "/metrics/comment",
    "shares": "/metrics/share", "favorites": "/metrics/collect"},
  "time_format": "YYYY-MM-DD HH:MM:SS", "paging": {"kind": "page", "has_more": "/data/has_more"}}
]}
EOC
}

# ---- a clean collection of every platform ----
start_fake --data "$T/data.ndjson"
config "$T/c.json"
status "collect all platforms" 0 kepu --config "$T/c.json" --db "$T/clean.db" collect
check "quiet on success (no output when not a terminal)" sh -c "[ ! -s '$T/out' ] && [ ! -s '$T/err' ]"
kepu --db "$T/imp.db" import -q "$T/data.ndjson"
ids "$T/clean.db" >"$T/clean.ids"
ids "$T/imp.db" >"$T/imp.ids"
check "collected exactly the tagged posts of the data" cmp -s "$T/clean.ids" "$T/imp.ids"
check "collected something of every platform" sh -c "grep -q weibo '$T/clean.ids' && grep -q bilibili '$T/clean.ids' && grep -q douyin '$T/clean.ids' && grep -q xiaohongshu '$T/clean.ids'"
status "runs" 0 kepu --db "$T/clean.db" runs
check "runs lists every source" sh -c "[ \$(grep -c '^    [a-z]* *ok ' '$T/out') -eq 4 ]"
pages1=$(sed -n 's/^    weibo *ok .*pages \([0-9]*\),.*/\1/p' "$T/out" | head -n 1)
kepu --db "$T/clean.db" export >"$T/clean.ndjson"
check "weibo HTML became plain text" sh -c "! grep -q 'surl-text' '$T/clean.ndjson'"
check "weibo URL built from the id" has "$T/clean.ndjson" '"url":"https://m.weibo.cn/detail/[0-9]*"'
check "douyin ids beyond 2^53 exact" has "$T/clean.ndjson" '"platform":"douyin","post_id":"7[0-9]\{18\}"'

status "collect again" 0 kepu --config "$T/c.json" --db "$T/clean.db" collect
kepu --db "$T/clean.db" runs -n 1 >"$T/runs2"
check "second run: nothing new" has "$T/runs2" "new 0, updated 0"
pages2=$(sed -n 's/^    weibo *ok .*pages \([0-9]*\),.*/\1/p' "$T/runs2")
check "second run stops at the high-water mark (fewer pages)" test "${pages2:-99}" -lt "${pages1:-0}"
posts "$T/clean.db" >"$T/clean.posts"

# ---- faults: the run goes on, nothing is lost or stored twice ----
start_fake --data "$T/data.ndjson" --fault weibo:2:429 --fault bilibili:2:500 --fault douyin:2:slow \
	--fault generic:2:drop --fault weibo:3:truncated --fault bilibili:3:html --fault douyin:3:empty \
	--fault generic:3:429date --fault weibo:4:dup
config "$T/c.json"
status "transient faults are retried" 0 kepu --config "$T/c.json" --db "$T/f.db" collect --verbose
check "retry logged with its cause" has "$T/err" "source 'weibo' page 2: HTTP 429 Too Many Requests; retrying"
check "truncated JSON retried" has "$T/err" "source 'weibo' page 3: invalid JSON"
check "HTML page retried" has "$T/err" "source 'bili' page 3: expected JSON, got an HTML page"
check "timeout retried" has "$T/err" "source 'douyin' page 2: Operation timed out after"
check "dropped connection retried" has "$T/err" "source 'feed' page 2: .*"
ids "$T/f.db" >"$T/f.ids"
check "faults: same posts as a clean run" cmp -s "$T/f.ids" "$T/clean.ids"
status "faults: a second run" 0 kepu --config "$T/c.json" --db "$T/f.db" collect
posts "$T/f.db" >"$T/f.posts"
check "faults then a rerun: same database as without faults" cmp -s "$T/f.posts" "$T/clean.posts"

for p in weibo bilibili douyin generic; do
	start_fake --data "$T/data.ndjson" --fault "$p:2:blocked"
	config "$T/c.json"
	status "$p blocked: exit 1" 1 kepu --config "$T/c.json" --db "$T/b-$p.db" collect
	case $p in
	weibo) want="source 'weibo' page 2: blocked: Weibo asks for a captcha (ok=-100); log in to m.weibo.cn in a browser" ;;
	bilibili) want="source 'bili' page 2: blocked: Bilibili's risk control refused the request (HTTP 412, code -412)" ;;
	douyin) want="source 'douyin' page 2: blocked: Douyin refused the search (status_code 2483: 访问频率过快)" ;;
	generic) want="source 'feed' page 2: the feed answered code 401: token expired" ;;
	esac
	check "$p blocked: exact message" has "$T/err" "$want"
	check "$p blocked: one line for the error" sh -c "[ \$(grep -c . '$T/err') -eq 1 ]"
	check "$p blocked: the other sources ran" sh -c "[ \$($BUILD/kepu --db '$T/b-$p.db' runs -n 1 | grep -c '^    [a-z]* *ok ') -eq 3 ]"
	check "$p blocked: kepu runs says blocked" sh -c "$BUILD/kepu --db '$T/b-$p.db' runs -n 1 | grep -q '^    [a-z]* *blocked '"
	status "$p blocked: the rest is complete after a rerun" 0 kepu --config "$T/c.json" --db "$T/b-$p.db" collect
	ids "$T/b-$p.db" >"$T/b.ids"
	check "$p blocked: nothing lost" cmp -s "$T/b.ids" "$T/clean.ids"
done

start_fake --data "$T/data.ndjson" --fault weibo:2:oversize --fault bilibili:2:badpost --fault douyin:1:500:0
config "$T/c.json" 0 1
status "oversize, bad post, a 500 for ever: exit 1" 1 kepu --config "$T/c.json" --db "$T/o.db" collect
check "oversize named" has "$T/err" "source 'weibo' page 2: response larger than 16777216 bytes"
check "bad post named with its item" has "$T/err" "source 'bili' page 2: item 2: pubdate: "
check "500s give up with the count" has "$T/err" "source 'douyin' page 1: HTTP 500 from the server (gave up after 2 attempts)"
check "the generic feed went on" sh -c "$BUILD/kepu --db '$T/o.db' runs -n 1 | grep -q '^    feed *ok '" 
check "posts of the bad page's good items kept" sh -c "[ \$($BUILD/kepu --db '$T/o.db' export | grep -c '\"platform\":\"bilibili\"') -gt 20 ]"

start_fake --data "$T/data.ndjson" --fault weibo:1:strcounts
config "$T/c.json"
status "string counts" 0 kepu --config "$T/c.json" --db "$T/s.db" collect --source weibo
check "string counts read as numbers" sh -c "$BUILD/kepu --db '$T/s.db' export | grep '\"platform\":\"weibo\"' | grep -q '\"likes\":[0-9]'"

# ---- kill -9 at any moment, then rerun: as after an uninterrupted run ----
start_fake --data "$T/data.ndjson"
config "$T/c.json" 15
for delay in 0.15 0.4 0.7 1.0; do
	"$BUILD/kepu" --config "$T/c.json" --db "$T/k.db" collect >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
status "rerun after kill -9" 0 kepu --config "$T/c.json" --db "$T/k.db" collect
posts "$T/k.db" >"$T/k.posts"
check "after kill -9 and a rerun: same database as a clean run" cmp -s "$T/k.posts" "$T/clean.posts"
check "killed runs marked interrupted" sh -c "$BUILD/kepu --db '$T/k.db' runs -n 20 | grep -q interrupted"

# ---- one collection at a time ----
config "$T/c.json" 100
"$BUILD/kepu" --config "$T/c.json" --db "$T/two.db" collect >/dev/null 2>&1 &
pid=$!
sleep 0.3
status "a second collection exits 75" 75 kepu --config "$T/c.json" --db "$T/two.db" collect
check "it names the holder's pid and start" has "$T/err" "another kepu job holds the database .*two.db (pid $pid, kepu collect, started 20"
wait "$pid"
check "the first one finished" test $? -eq 0

# ---- backfill: Bilibili day by day ----
start_fake --data "$T/data.ndjson" --verbose
config "$T/c.json"
status "backfill" 0 kepu --config "$T/c.json" --db "$T/bf.db" collect --backfill --source bili
check "backfill asks Bilibili per day" has "$T/fake.err" "pubtime_begin_s"
ids "$T/bf.db" | grep bilibili >"$T/bf.ids"
grep bilibili "$T/clean.ids" >"$T/clean.bili"
check "backfill finds every Bilibili post" cmp -s "$T/bf.ids" "$T/clean.bili"

# ---- credentials come from the environment and never show ----
start_fake --data "$T/data.ndjson" --require-header "Cookie:SESSDATA=s3cr3t-cookie-value"
config "$T/c.json" 0 3 ', "cookie_env": "TEST_COOKIE"'
status "missing cookie variable" 1 env -u TEST_COOKIE "$BUILD/kepu" --config "$T/c.json" --db "$T/sec.db" collect --source weibo
check "missing variable named" has "$T/err" "source 'weibo': environment variable TEST_COOKIE (cookie_env) is not set"
status "cookie from the environment" 0 env TEST_COOKIE="SESSDATA=s3cr3t-cookie-value" "$BUILD/kepu" --config "$T/c.json" --db "$T/sec.db" collect --source weibo --verbose
status "wrong cookie: 401" 1 env TEST_COOKIE="SESSDATA=wrong-secret-value" "$BUILD/kepu" --config "$T/c.json" --db "$T/sec.db" collect --source weibo --verbose
check "401 explained" has "$T/err" "HTTP 401"
check "the cookie never appears in messages" sh -c "! grep -q 'wrong-secret-value' '$T/err' && ! $BUILD/kepu --db '$T/sec.db' runs | grep -q 'secret-value'"
cat >"$T/tok.json" <<EOC
{"sources": [{"name": "feed", "platform": "generic", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 0,
  "retries": 0, "url": "{base_url}/open/v1/feed?page={page}&access_token={env:FEED_TOKEN}&size={size}",
  "items": "/data/list", "fields": {"post_id": "/item_id", "created_at": "/publish_time", "text": "/content"},
  "time_format": "YYYY-MM-DD HH:MM:SS", "headers": {"Authorization": {"env": "FEED_AUTH", "prefix": "Bearer "}}}]}
EOC
status "token in the URL and a header" 1 env FEED_TOKEN=tok-in-url-123 FEED_AUTH=hdr-secret-456 "$BUILD/kepu" --config "$T/tok.json" --db "$T/tok.db" collect --verbose
check "tokens redacted" sh -c "! grep -q 'tok-in-url-123\|hdr-secret-456' '$T/err'"

# ---- bad configs: each option, its path named, exit 2 ----
bad_config() {
	printf '{"sources": [%s]}' "$2" >"$T/bad.json"
	status "bad config: $1" 2 kepu --config "$T/bad.json" --db "$T/bad.db" collect
	check "bad config: $1 named" has "$T/err" "$3"
}
base='"name": "w", "platform": "weibo", "base_url": "http://127.0.0.1:1"'
bad_config "unknown key" "{$base, \"max_page\": 3}" "sources\[0\].max_page: unknown key (did you mean 'max_pages'?)"
bad_config "no name" '{"platform": "weibo", "base_url": "http://x"}' "sources\[0\].name: required"
bad_config "platform" '{"name": "x", "platform": "kuaishou", "base_url": "http://x"}' "sources\[0\].platform: 'kuaishou' has no collector"
bad_config "base_url" '{"name": "x", "platform": "weibo", "base_url": "ftp://x"}' "sources\[0\].base_url: expected an http:// or https:// URL"
bad_config "max_pages" "{$base, \"max_pages\": 0}" "sources\[0\].max_pages: expected a whole number from 1"
bad_config "min_interval_ms" "{$base, \"min_interval_ms\": -1}" "sources\[0\].min_interval_ms: expected a whole number"
bad_config "timeout_s" "{$base, \"timeout_s\": \"20\"}" "sources\[0\].timeout_s: expected a whole number"
bad_config "retries" "{$base, \"retries\": 100}" "sources\[0\].retries: expected a whole number from 0 to 20"
bad_config "enabled" "{$base, \"enabled\": 1}" "sources\[0\].enabled: expected true or false"
bad_config "cookie_env" "{$base, \"cookie_env\": \"SESSDATA=abc\"}" "sources\[0\].cookie_env: expected the name of an environment variable"
bad_config "user_agent" "{$base, \"user_agent\": 5}" "sources\[0\].user_agent: expected a non-empty string"
bad_config "duplicate name" "{$base}, {$base}" "sources\[1\].name: 'w' is already sources\[0\]"
bad_config "generic without url" '{"name": "g", "platform": "generic", "base_url": "http://x", "items": "/a", "fields": {"post_id": "/id", "created_at": "/t"}}' "sources\[0\].url: a generic feed needs a URL template"
bad_config "generic pointer" '{"name": "g", "platform": "generic", "base_url": "http://x", "url": "{base_url}", "items": "data.list", "fields": {"post_id": "/id", "created_at": "/t"}}' "sources\[0\].items: expected a JSON Pointer"
bad_config "generic field" '{"name": "g", "platform": "generic", "base_url": "http://x", "url": "{base_url}", "items": "/a", "fields": {"post_id": "/id", "created_at": "/t", "likez": "/l"}}' "sources\[0\].fields.likez: unknown field"
bad_config "generic time_format" '{"name": "g", "platform": "generic", "base_url": "http://x", "url": "{base_url}", "items": "/a", "fields": {"post_id": "/id", "created_at": "/t"}, "time_format": "epoch"}' "sources\[0\].time_format: expected unix, unix_ms"
bad_config "generic paging" '{"name": "g", "platform": "generic", "base_url": "http://x", "url": "{base_url}", "items": "/a", "fields": {"post_id": "/id", "created_at": "/t"}, "paging": {"kind": "cursor"}}' "sources\[0\].paging.next_cursor: cursor paging needs"
bad_config "header env" "{$base, \"headers\": {\"X-Token\": {\"env\": \"lower\"}}}" "sources\[0\].headers.X-Token.env: expected the name of an environment variable"
status "no sources" 2 kepu --db "$T/none.db" collect
check "no sources explained" has "$T/err" "no sources to collect from"
printf '{"sources": [{%s}]}' "$base" >"$T/one.json"
status "unknown --source" 2 kepu --config "$T/one.json" --db "$T/none.db" collect --source nope
check "unknown source named" has "$T/err" "no source named 'nope'"
status "connection refused: exit 1" 1 kepu --config "$T/one.json" --db "$T/none.db" collect
check "connection refused named" has "$T/err" "source 'w' page 1: .*"

stop_fake
summary
