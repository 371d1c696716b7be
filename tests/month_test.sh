#!/bin/sh
# Collection over a whole month: a pass is complete only when it reached its
# floor; what a pass cut short (max_pages, a failure) or a platform's page
# cap left unread is a gap, shown in `kepu runs` and the report, read by the
# next runs or named with the backfill that fetches it, and the run exits 1
# while it is open.  Counts from two sources listing the same posts.
# Ends with `month: N passed, N failed`.
set -u
NAME=month
. tests/lib.sh

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)

gen --seed 23 --count 1500 >"$T/data.ndjson"
kepu --db "$T/imp.db" import -q "$T/data.ndjson"
kepu --db "$T/imp.db" export >"$T/imp.ndjson"
for p in weibo bilibili douyin; do
	grep -o "\"platform\":\"$p\",\"post_id\":\"[^\"]*\"" "$T/imp.ndjson" | sort >"$T/imp.$p"
done
ids() { kepu --db "$1" export | grep -o "\"platform\":\"$2\",\"post_id\":\"[^\"]*\"" | sort; }
# cfg FILE PLATFORM NAME MAX_PAGES [EXTRA]
cfg() {
	cat >"$1" <<EOC
{"sources": [{"name": "$3", "platform": "$2", "base_url": "http://127.0.0.1:$PORT", "min_interval_ms": 0,
  "max_pages": $4, "retry_backoff_ms": 20, "timeout_s": 5, "retries": 1 ${5:-}}]}
EOC
}
check "the data has posts of each platform" sh -c "[ \$(grep -c . '$T/imp.weibo') -gt 200 ] && [ -s '$T/imp.bilibili' ]"

# ==== max_pages: the pass is cut short; the gap is read by the next runs ====
start_fake --data "$T/data.ndjson" --per-page 10
cfg "$T/w.json" weibo weibo 8 ', "overlap_hours": 6'
status "max_pages: the first run leaves a gap: exit 1" 1 kepu --config "$T/w.json" --db "$T/w.db" collect
check "max_pages: the gap is said, with its range" has "$T/err" "source 'weibo': gap: posts from 2025-09-01 00:00 to 2025-09-[0-9][0-9] [0-9:]* not read yet"
check "max_pages: and the backfill that would fetch it" has "$T/err" "kepu collect --backfill --source weibo --since 2025-09-01 --until 2025-09-"
kepu --db "$T/w.db" runs -n 1 >"$T/runs"
check "max_pages: kepu runs: the source's status is gap" has "$T/runs" "^    weibo  *gap "
check "max_pages: kepu runs: the open gap" has "$T/runs" "weibo  *open gap: posts from 2025-09-01 00:00 to 2025-09-.* not read yet"
kepu --db "$T/w.db" report --format json >"$T/r.json"
check "max_pages: the report's data quality has the gap" "$PY" -c "
import json, sys
s = {x['source']: x for x in json.load(open('$T/r.json'))['sources']}
g = s['weibo']['gap']
sys.exit(0 if g and g['from'].startswith('2025-09-01T00:00') and g['capped'] is False else 1)"
kepu --db "$T/w.db" report --format html -o "$T/r.html" 2>/dev/null
check "max_pages: the HTML report shows it" has "$T/r.html" "有未读时段"
n=1
while [ $n -lt 40 ]; do
	kepu --config "$T/w.json" --db "$T/w.db" collect >"$T/out" 2>"$T/err"
	rc=$?
	n=$((n + 1))
	[ $rc -eq 0 ] && break
	[ $rc -ne 1 ] && break
done
check "max_pages: later runs close the gap (exit 0 after $n runs)" test "$rc" -eq 0
check "max_pages: more than two runs were needed (the gap was read a run at a time)" test "$n" -gt 2
ids "$T/w.db" weibo >"$T/w.ids"
check "max_pages: nothing lost: every tagged post stored" cmp -s "$T/w.ids" "$T/imp.weibo"
kepu --db "$T/w.db" runs -n 1 >"$T/runs"
check "max_pages: no open gap left" sh -c "! grep -q 'open gap' '$T/runs'"
check "max_pages: the last run is ok" has "$T/runs" "^    weibo  *ok "

# the run after an outage: before, a pass stopped by max_pages counted as
# complete and the mark jumped over everything below it
kepu --db "$T/w.db" export >"$T/before.ndjson"
start_fake --data "$T/data.ndjson" --per-page 10
cfg "$T/w.json" weibo weibo 8 ', "overlap_hours": 6'
kepu --config "$T/w.json" --db "$T/w2.db" collect >/dev/null 2>&1
kepu --config "$T/w.json" --db "$T/w2.db" collect >"$T/out" 2>"$T/err"
check "max_pages: the second run does not pretend the first pass was complete" test $? -eq 1

# ==== a failure mid-pass: the rest is a gap, read by the next run ====
start_fake --data "$T/data.ndjson" --per-page 10 --fault 'weibo:3:500:2'
cfg "$T/w.json" weibo weibo 500 ', "overlap_hours": 6'
status "failure: page 3 fails: exit 1" 1 kepu --config "$T/w.json" --db "$T/wf.db" collect
check "failure: the failure said" has "$T/err" "source 'weibo' page 3: HTTP 500"
check "failure: the gap said" has "$T/err" "source 'weibo': gap: posts from 2025-09-01 00:00"
status "failure: the next run reads the rest: exit 0" 0 kepu --config "$T/w.json" --db "$T/wf.db" collect
ids "$T/wf.db" weibo >"$T/wf.ids"
check "failure: nothing lost" cmp -s "$T/wf.ids" "$T/imp.weibo"

# ==== a platform's page cap: a gap only a backfill by time can read ====
start_fake --data "$T/data.ndjson" --per-page 3 --page-cap 50
cfg "$T/b.json" bilibili bili 500
status "bilibili cap: the search stops at its cap: exit 1" 1 kepu --config "$T/b.json" --db "$T/b.db" collect
check "bilibili cap: the gap is named as possibly missing" has "$T/err" "source 'bili': gap: posts from 2025-09-01 00:00 to .* may be missing: the platform lists no more pages"
cmdline=$(sed -n 's/.*fetch them with: kepu \(collect --backfill --source bili --since [0-9-]* --until [0-9-]*\).*/\1/p' "$T/err" | head -n 1)
check "bilibili cap: the command to fetch it is given" test -n "$cmdline"
kepu --db "$T/b.db" report --format json >"$T/r.json"
check "bilibili cap: the report says the gap is capped" "$PY" -c "
import json, sys
s = {x['source']: x for x in json.load(open('$T/r.json'))['sources']}
sys.exit(0 if s['bili']['gap'] and s['bili']['gap']['capped'] is True and s['bili']['last_backfill'] is None else 1)"
status "bilibili cap: a normal run cannot close it: exit 1 again" 1 kepu --config "$T/b.json" --db "$T/b.db" collect
# shellcheck disable=SC2086
status "bilibili cap: the suggested backfill closes it: exit 0" 0 kepu --config "$T/b.json" --db "$T/b.db" $cmdline
ids "$T/b.db" bilibili >"$T/b.ids"
check "bilibili cap: after the backfill nothing is missing" cmp -s "$T/b.ids" "$T/imp.bilibili"
kepu --db "$T/b.db" report --format json >"$T/r.json"
check "bilibili cap: the report shows no gap and the backfill" "$PY" -c "
import json, sys
s = {x['source']: x for x in json.load(open('$T/r.json'))['sources']}
sys.exit(0 if s['bili']['gap'] is None and s['bili']['last_backfill'] else 1)"
kepu --db "$T/b.db" runs -n 1 >"$T/runs"
check "bilibili cap: kepu runs shows the last complete backfill" has "$T/runs" "bili  *last complete backfill: "
status "bilibili cap: a normal run after it: exit 0" 0 kepu --config "$T/b.json" --db "$T/b.db" collect

start_fake --data "$T/data.ndjson" --per-page 3 --page-cap 50
cfg "$T/w.json" weibo weibo 500
status "weibo cap: exit 1" 1 kepu --config "$T/w.json" --db "$T/wc.db" collect
check "weibo cap: says a backfill reads the same pages, and what to do" has "$T/err" "cannot be asked for a time range, so kepu collect --backfill --source weibo --since 2025-09-01 --until .* reads the same pages; take these posts from a feed or a staff export (kepu import)"
status "weibo cap: --alert-after does not hide a gap" 1 kepu --config "$T/w.json" --db "$T/wc.db" collect --alert-after 5
check "weibo cap: --alert-after: the gap printed" has "$T/err" "gap: posts from"

stop_fake
summary
