#!/bin/sh
# The analysts' report: figures recomputed independently (report_check.py)
# and compared in every format; as-of, district pages, scope, escaping,
# bad options.  Ends with `report: N passed, N failed`.
set -u
NAME=report
. tests/lib.sh

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)

gen --seed 7 --count 2500 >"$T/posts.ndjson"
kepu --db "$T/r.db" import -q "$T/posts.ndjson"
kepu --db "$T/r.db" export >"$T/export.ndjson"
status "report json" 0 kepu --db "$T/r.db" report --format json -o "$T/r.json"
status "report csv" 0 kepu --db "$T/r.db" report --format csv -o "$T/csv"
status "report md" 0 kepu --db "$T/r.db" report --format md -o "$T/r.md"
status "report html" 0 kepu --db "$T/r.db" report --format html -o "$T/r.html"
python3 tests/report_check.py "$T/export.ndjson" "$T/r.json" "$T/csv" "$T/r.md" "$T/r.html" >"$T/check.out" 2>&1
while read -r verdict rest; do
	case $verdict in
	ok) ok ;;
	FAIL) bad "$rest" ;;
	*) bad "report_check.py: $verdict $rest" ;;
	esac
done <"$T/check.out"
check "report_check.py ran its checks" sh -c "[ \$(grep -c '^ok\|^FAIL' '$T/check.out') -ge 15 ]"
# the second half of the campaign: compared with the first (the previous period), ranks moving
status "report json, 09-16..09-30" 0 kepu --db "$T/r.db" report --since 2025-09-16 --format json -o "$T/r2.json"
kepu --db "$T/r.db" report --since 2025-09-16 --format csv -o "$T/csv2"
kepu --db "$T/r.db" report --since 2025-09-16 --format md -o "$T/r2.md"
kepu --db "$T/r.db" report --since 2025-09-16 --format html -o "$T/r2.html"
python3 tests/report_check.py "$T/export.ndjson" "$T/r2.json" "$T/csv2" "$T/r2.md" "$T/r2.html" 2025-09-16 2025-09-30 \
	>"$T/check2.out" 2>&1
while read -r verdict rest; do
	case $verdict in
	ok) ok ;;
	FAIL) bad "09-16..09-30: $rest" ;;
	*) bad "report_check.py: $verdict $rest" ;;
	esac
done <"$T/check2.out"
check "report_check.py checked the previous period" grep -q '^ok   previous period per district' "$T/check2.out"
check "md: rank change shown (↑/↓)" sh -c "grep -q '| 排名 | 区县 | 排名变化 |' '$T/r2.md' && grep -Eq '^\| [0-9]+ \| [^|]+ \| (↑|↓)[0-9]+ \|' '$T/r2.md'"
check "csv: previous rank and index for data files" sh -c "head -n 1 '$T/csv2/districts.csv' | grep -q '排名变化,代码,.*上期排名,上期互动指数'"
check "the campaign's own window: halves, not 上期 0" sh -c "grep -q '| 指标 | 本期 | 前半程 | 后半程 | 变化 |' '$T/r.md' && ! grep -q '| 排名变化 |' '$T/r.md'"
check "html: halves on the cards" sh -c "grep -q '<div class=\"p\">前半 ' '$T/r.html' && ! grep -q '<div class=\"p\">上期 ' '$T/r.html'"
check "html: 上期 on the cards when there is one" grep -q '<div class="p">上期 ' "$T/r2.html"
status "a one-day window at the campaign's start: no comparison" 0 kepu --db "$T/r.db" report --since 2025-09-01 --until 2025-09-01
check "one day: no comparison columns, a note" sh -c "grep -q '| 指标 | 本期 |\$' '$T/out' && grep -q '对比：无' '$T/out'"
for f in overview districts groups group_rankings platforms district_platforms daily top_works district_top_works unplaced_works hashtags attribution sources; do
	check "csv file $f" test -s "$T/csv/$f.csv"
done
# ---- one way to write numbers and dates for people; data keeps ISO 8601 ----
check "md: the window as people write it" has "$T/r.md" "统计时段：2025年9月1日 至 2025年9月30日"
check "md: a work's time as 9月4日 10:54" sh -c "grep -Eq '^\| 1 \| .*\| [0-9]{1,2}月[0-9]{1,2}日 [0-9]{2}:[0-9]{2} \|' '$T/r.md'"
check "md: no ISO time where people read" sh -c "! grep -Eq '20[0-9]{2}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}' '$T/r.md'"
check "html: no ISO time where people read" sh -c "! grep -Eq '>[^<]*20[0-9]{2}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}' '$T/r.html'"
check "html: daily dates 9月1日, the ISO date in data-v" has "$T/r.html" '<td data-v="2025-09-01">9月1日</td>'
check "csv: times in ISO 8601" sh -c "sed -n 2p '$T/csv/top_works.csv' | grep -Eq ',2025-09-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+08:00,'"
# a number with a thousands separator would be quoted ("1,234") in CSV
check "csv: plain numbers" sh -c "! grep -q '\"[0-9]*,[0-9]' '$T/csv/overview.csv' '$T/csv/districts.csv' && grep -Eq '^作品,[0-9]{4,},' '$T/csv/overview.csv'"
check "json has the documented keys" sh -c "for k in window totals comparison targets districts groups platforms daily top_works hashtags attribution; do grep -q \"^ \\\"\$k\\\":\" '$T/r.json' || exit 1; done"

# ---- as of a past moment: the snapshot then, not the latest ----
cat >"$T/a1.ndjson" <<'EOC'
{"platform":"weibo","post_id":"asof1","created_at":"2025-09-05 10:00","text":"#千万IP创科普# 江津区图书馆","likes":10,"comments":1,"first_seen":"2025-09-05T12:00:00+08:00","last_seen":"2025-09-05T12:00:00+08:00"}
EOC
sed 's/"likes":10/"likes":500/; s/"last_seen":"2025-09-05T12:00:00+08:00"/"last_seen":"2025-09-20T12:00:00+08:00"/' "$T/a1.ndjson" >"$T/a2.ndjson"
printf '%s\n' '{"platform":"weibo","post_id":"asof2","created_at":"2025-09-06 10:00","text":"#千万IP创科普# 江津区","likes":7,"first_seen":"2025-09-25T12:00:00+08:00","last_seen":"2025-09-25T12:00:00+08:00"}' >>"$T/a2.ndjson"
kepu --db "$T/a.db" import -q "$T/a1.ndjson"
kepu --db "$T/a.db" import -q "$T/a2.ndjson"
status "report as of 09-10" 0 kepu --db "$T/a.db" report --format json --as-of 2025-09-10
check "as of 09-10: the likes then" has "$T/out" '"likes": 10,'
check "as of 09-10: posts first seen later left out" has "$T/out" '"posts": 1,'
status "report now" 0 kepu --db "$T/a.db" report --format json
check "latest: the likes now" has "$T/out" '"likes": 507,'
status "bad --as-of" 2 kepu --db "$T/a.db" report --as-of yesterday
check "bad --as-of named" has "$T/err" "\-\-as-of"

# ---- a unit's page, the scope ----
status "district page" 0 kepu --db "$T/r.db" report --format json --district 江津区 -o "$T/jj.json"
check "district page names the unit" has "$T/jj.json" '"district": "江津区"'
check "district page lists authors" has "$T/jj.json" '"authors": \['
status "district by code" 0 kepu --db "$T/r.db" report --district 500116
status "district by its short name (江津)" 0 kepu --db "$T/r.db" report --format json --district 江津
check "the short name is the unit" has "$T/out" '"district": "江津区"'
status "a near miss refused" 2 kepu --db "$T/r.db" report --district 江津去
check "a near miss: the full name suggested" has "$T/err" "no unit '江津去' (did you mean 江津区?)"
status "a name two units begin with refused" 2 kepu --db "$T/r.db" report --district 南
check "the units it could be named" has "$T/err" "'南' could be 南岸区, 南川区"
status "the shortlist takes short names too" 0 kepu --db "$T/r.db" featured --district 万州 --format json
check "the shortlist's unit" has "$T/out" '"district": "万州区"'

status "unknown district" 2 kepu --db "$T/r.db" report --district 成都
check "unknown district named" has "$T/err" "no unit '成都'"
status "scope all" 0 kepu --db "$T/r.db" report --format json --scope all -o "$T/all.json"
n_all=$(grep -c . "$T/export.ndjson")
check "scope all counts every post" has "$T/all.json" "^  \"posts\": $n_all,"
status "bad scope" 2 kepu --db "$T/r.db" report --scope nowhere
status "bad format" 2 kepu --db "$T/r.db" report --format pdf
status "csv needs a directory" 2 kepu --db "$T/r.db" report --format csv

# ---- scoring from the config ----
printf '{"scoring": {"weights": {"views": 0, "likes": 1, "comments": 0, "shares": 0, "favorites": 0}}}' >"$T/sc.json"
status "scoring: likes only" 0 kepu --config "$T/sc.json" --db "$T/a.db" report --format json
check "scoring: a post at 500 likes scores 100*ln(501)/ln(10001)" has "$T/out" '"index": 67.5,'
printf '{"scoring": {"weights": {"likes": -1}}}' >"$T/sc.json"
status "scoring: negative weight" 2 kepu --config "$T/sc.json" --db "$T/a.db" report
check "scoring: key named" has "$T/err" "scoring.weights.likes: expected a non-negative number"
printf '{"scoring": {"references": {"views": 0}}}' >"$T/sc.json"
status "scoring: zero reference" 2 kepu --config "$T/sc.json" --db "$T/a.db" report
printf '{"scoring": {"weight": {}}}' >"$T/sc.json"
status "scoring: typo" 2 kepu --config "$T/sc.json" --db "$T/a.db" report
check "scoring: typo named" has "$T/err" "scoring.weight: unknown key (did you mean 'weights'?)"

# ---- targets: campaign.targets, the city's and each unit's ----
cat >"$T/tg.json" <<'EOC'
{"campaign": {"targets": {"posts": 3000, "views": 50000000, "interactions": 2000000, "per_unit": {"posts": 50},
  "units": {"江津区": {"posts": 40, "views": 10000000}, "500101": {"interactions": 100000}}}}}
EOC
status "targets" 0 kepu --config "$T/tg.json" --db "$T/r.db" report --format json -o "$T/tg.out"
check "targets: the city's progress and every unit's, each key over per_unit's" "$PY" -c "
import json, sys
j = json.load(open('$T/tg.out'))
t = j['targets']; tot = j['totals']
ok = t['posts'] == {'target': 3000, 'done': tot['posts'], 'progress': round(100 * tot['posts'] / 3000, 2)}
ok = ok and t['interactions']['done'] == tot['interactions'] and t['views']['done'] == tot['views']
d = {x['district']: x for x in j['districts']}
ok = ok and d['江津区']['targets']['posts']['target'] == 40 and d['江津区']['targets']['views']['target'] == 10000000
ok = ok and d['万州区']['targets']['posts']['target'] == 50 and d['万州区']['targets']['interactions']['target'] == 100000
ok = ok and d['渝中区']['targets']['views'] is None and d['渝中区']['targets']['posts']['done'] == d['渝中区']['posts']
sys.exit(0 if ok else 1)"
kepu --config "$T/tg.json" --db "$T/r.db" report -o "$T/tg.md"
kepu --config "$T/tg.json" --db "$T/r.db" report --format html -o "$T/tg.html"
kepu --config "$T/tg.json" --db "$T/r.db" report --format csv -o "$T/tgcsv"
check "targets: md progress table with bars" sh -c "grep -q '^## 目标进度' '$T/tg.md' && grep -Eq '^\| 作品 \| [0-9,]+ \| 3,000 \| [0-9.]+% \| [▓░]{10} \|' '$T/tg.md'"
check "targets: html progress bars and the lead" sh -c "grep -q '<div class=\"track\"><i style=\"width:' '$T/tg.html' && grep -q '目标完成：作品 <b>' '$T/tg.html'"
check "targets: the bars in the overview, the tables after the rankings (print: overview and leaderboard first)" "$PY" -c "
import sys
h = open('$T/tg.html', encoding='utf-8').read()
o, l, t = h.index('<section id=\"overview\">'), h.index('<section id=\"leaderboard\">'), h.index('<section id=\"targets\">')
sys.exit(0 if o < h.index('class=\"track\"') < l < t else 1)"
check "targets: csv files" sh -c "test -s '$T/tgcsv/targets.csv' && head -n 1 '$T/tgcsv/district_targets.csv' | grep -q '作品目标,作品完成率,播放,播放目标,播放完成率,互动量,互动量目标'"
check "targets: none configured, no section" sh -c "! grep -q '目标进度' '$T/r.md'"
status "targets: a unit's page shows its own" 0 kepu --config "$T/tg.json" --db "$T/r.db" report --district 江津区
check "targets: the unit's own" sh -c "grep -q '^\*\*本区县目标\*\*' '$T/out' && grep -Eq '^\| 作品 \| [0-9,]+ \| 40 \|' '$T/out'"
printf '{"campaign": {"targets": {"posts": 0}}}' >"$T/tgb.json"
status "targets: zero refused" 2 kepu --config "$T/tgb.json" --db "$T/r.db" report
check "targets: the key named" has "$T/err" "campaign.targets.posts: expected a whole number from 1"
printf '{"campaign": {"targets": {"units": {"成都": {"posts": 1}}}}}' >"$T/tgb.json"
status "targets: an unknown unit refused" 2 kepu --config "$T/tgb.json" --db "$T/r.db" report
check "targets: the unit named" has "$T/err" "campaign.targets.units.成都: no unit '成都'"
printf '{"campaign": {"targets": {"per_unit": {"post": 1}}}}' >"$T/tgb.json"
status "targets: a typo refused" 2 kepu --config "$T/tgb.json" --db "$T/r.db" report
check "targets: the typo named" has "$T/err" "campaign.targets.per_unit.post: unknown key (did you mean 'posts'?)"

# ---- regional groups: a sub-ranking per group in every format ----
check "md: 分区域排行 with each group's ranking" sh -c "grep -q '^## 分区域排行' '$T/r.md' && grep -q '^| 主城都市区·中心城区 | 1 | ' '$T/r.md' && grep -q '^| 渝东南武陵山区城镇群 | 1 | ' '$T/r.md'"
check "html: the groups' tables" sh -c "grep -q '<section id=\"groups\">' '$T/r.html' && grep -q 'id=\"group-rank-table\"' '$T/r.html' && grep -q '<b>渝东北三峡库区城镇群</b>' '$T/r.html'"
kepu --db "$T/r.db" report --district 江津区 -o "$T/jj.md"
check "a unit's page has no group ranking" sh -c "grep -q '^## 总览' '$T/jj.md' && ! grep -q '分区域排行' '$T/jj.md'"
printf '{"units": [{"id": "a", "name": "甲区", "kind": "district"}, {"id": "b", "name": "乙区", "kind": "district"}], "groups": [{"id": "g", "name": "一组", "units": ["a", "a"]}]}' >"$T/gz.json"
printf '{"gazetteer": "%s", "places": ""}' "$T/gz.json" >"$T/gzc.json"
status "groups: a unit twice refused" 2 kepu --config "$T/gzc.json" --db "$T/gz.db" report
check "groups: the unit named" has "$T/err" "groups\[0\].units\[1\]: '甲区' is already in groups\[0\]"
printf '{"units": [{"id": "a", "name": "甲区", "kind": "district"}], "groups": [{"id": "g", "name": "一组", "units": ["z"]}]}' >"$T/gz.json"
status "groups: an unknown unit refused" 2 kepu --config "$T/gzc.json" --db "$T/gz.db" report
check "groups: the place named" has "$T/err" "groups\[0\].units\[0\]: no such unit"

# ---- a unit's page lists all its works; the city's the works without a unit ----
# md_rows FILE TITLE: the rows of the Markdown table under **TITLE**
md_rows() { awk -v t="**$2**" '$0 == t { on = 1; next } on && /^\|/ { seen = 1; if ($0 ~ /^\| [0-9]/) n++ } on && seen && !/^\|/ { exit } END { print n + 0 }' "$1"; }
kepu --db "$T/r.db" report --district 江津区 --format csv -o "$T/jjcsv"
kepu --db "$T/r.db" report --district 江津区 --format html -o "$T/jj.html"
check "unit page: works.csv has every work of the unit" "$PY" -c "
import csv, json, sys
j = json.load(open('$T/jj.json'))
rows = list(csv.DictReader(open('$T/jjcsv/works.csv', encoding='utf-8-sig')))
ok = len(rows) == j['totals']['posts'] == len(j['works']) and [r['作品编号'] for r in rows] == [w['post_id'] for w in j['works']]
ok = ok and [w['post_id'] for w in j['works'][:len(j['top_works'])]] == [w['post_id'] for w in j['top_works']]
sys.exit(0 if ok else 1)"
n_jj=$("$PY" -c "import json; print(json.load(open('$T/jj.json'))['totals']['posts'])")
check "unit page html: all $n_jj works, those after the 20th folded away" sh -c "grep -q '<h3>本区县全部作品（$n_jj 件）</h3>' '$T/jj.html' && grep -q '<summary>其余 $((n_jj - 20)) 件</summary>' '$T/jj.html'"
check "unit page md: every work listed" test "$(md_rows "$T/jj.md" 本区县全部作品)" -eq "$n_jj"
check "city: the works in Chongqing without a unit, all in the CSV" "$PY" -c "
import csv, json, sys
j = json.load(open('$T/r.json'))
ex = [json.loads(l) for l in open('$T/export.ndjson')]
want = [p for p in ex if p['in_chongqing'] is True and not p['district_code'] and '2025-09-01' <= p['created_at'][:10] <= '2025-09-30']
rows = list(csv.DictReader(open('$T/csv/unplaced_works.csv', encoding='utf-8-sig')))
ok = j['unplaced_total'] == len(want) == len(rows) > 50 and len(j['unplaced_works']) == 50
ok = ok and {r['post_id'] for r in rows} == {p['post_id'] for p in want} and all(r['unit'] == '' for r in rows)
ok = ok and [r['post_id'] for r in rows[:50]] == [w['post_id'] for w in j['unplaced_works']]
sys.exit(0 if ok else 1)"
check "city md: the best 50 of them, and how to claim" sh -c "[ $(md_rows "$T/r.md" 未归属区县的重庆作品) -eq 50 ] && grep -q 'kepu district apply' '$T/r.md'"

# ---- kepu district apply: claims in bulk, checked whole first ----
cp "$T/r.db" "$T/ap.db"
"$PY" - "$T/csv/unplaced_works.csv" "$T" <<'EOC'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
h = rows[0]; pi, ii, ui, ni = h.index("platform"), h.index("post_id"), h.index("unit"), h.index("note")
rows[1][ui], rows[1][ni] = "江津", '核实为江津, "滨江"'
rows[2][ui] = "500101"
csv.writer(open(sys.argv[2] + "/claims.csv", "w", newline="", encoding="utf-8-sig")).writerows(rows)
w = csv.writer(open(sys.argv[2] + "/bad.csv", "w", newline=""))
w.writerows([["platform", "post_id", "unit", "note"], [rows[1][pi], rows[1][ii], "江津区", ""],
             [rows[2][pi], rows[2][ii], "江津去", ""], ["myspace", "1", "江津区", ""],
             ["weibo", "nosuchpost", "万州区", ""], [rows[1][pi], rows[1][ii], "万州", ""], ["weibo", "x"]])
open(sys.argv[2] + "/first", "w").write(rows[1][pi] + " " + rows[1][ii] + "\n")
EOC
read -r p1 i1 <"$T/first"
status "apply: a file with bad rows is refused" 2 kepu --db "$T/ap.db" district apply "$T/bad.csv" --by 张三
check "apply: an unknown unit, with the name meant, at FILE:LINE" has "$T/err" "bad.csv:3: no unit '江津去' (did you mean 江津区?)"
check "apply: an unknown platform" has "$T/err" "bad.csv:4: unknown platform 'myspace'"
check "apply: a post not in the database" has "$T/err" "bad.csv:5: no post weibo:nosuchpost in the database"
check "apply: a post claimed twice" has "$T/err" "bad.csv:6: $p1:$i1 is claimed on line 2 too"
check "apply: a short row" has "$T/err" "bad.csv:7: expected 4 cells as in the header, found 2"
check "apply: nothing recorded" sh -c "grep -q 'nothing was recorded: 5 bad rows' '$T/err' && ! '$BUILD/kepu' --db '$T/ap.db' district explain $p1 $i1 | grep -q manual"
status "apply: --by required" 2 kepu --db "$T/ap.db" district apply "$T/claims.csv"
status "apply: the unplaced works' CSV with units filled in" 0 kepu --db "$T/ap.db" district apply "$T/claims.csv" --by 张三
check "apply: says what it recorded" sh -c "grep -q '^$p1:$i1: 江津区 (500116), a manual correction' '$T/out' && grep -q 'applied 2 claims from .* by 张三; [0-9]* rows without a unit left as they were' '$T/out'"
status "apply: the correction is in the log, with who and why" 0 kepu --db "$T/ap.db" district explain "$p1" "$i1"
check "apply: explain shows it" has "$T/out" " 张三: no unit -> 江津区 (500116): 核实为江津, \"滨江\"$"
status "apply: the report counts the claimed works" 0 kepu --db "$T/ap.db" report --format json
check "apply: two fewer works without a unit" "$PY" -c "
import json, sys
a = json.load(open('$T/r.json')); b = json.load(open('$T/out'))
sys.exit(0 if b['unplaced_total'] == a['unplaced_total'] - 2 else 1)"

# ---- 指标说明 in the report itself, not a pointer to the README ----
check "md: 指标说明 says what the index and — are" sh -c "sed -n '/^## 指标说明/,\$p' '$T/r.md' | grep -q '^- \*\*互动指数\*\*：' && sed -n '/^## 指标说明/,\$p' '$T/r.md' | grep -q '^- \*\*—\*\*：平台不提供该项数据'"
check "md: the references as configured" grep -q '参考值（播放 100,000、点赞 10,000' "$T/r.md"
check "html: 指标说明 section" sh -c "grep -q '<section id=\"notes\">' '$T/r.html' && grep -q '<dt>互动指数</dt>' '$T/r.html'"
check "no pointer to the README left in the report" sh -c "! grep -q README '$T/r.md' '$T/r.html'"

# ---- 需关注 from the config's report.attention ----
printf '{"report": {"attention": {"min_posts": 60, "min_share": 2.5}}}' >"$T/att.json"
status "attention thresholds" 0 kepu --config "$T/att.json" --db "$T/r.db" report --format json -o "$T/att.out"
check "attention: a unit with fewer works, or a smaller share, needs attention (and only those)" "$PY" -c "
import json, sys
j = json.load(open('$T/att.out'))
ok = all(d['needs_attention'] == (d['posts'] < 60 or d['share'] < 2.5) for d in j['districts'])
ok = ok and all(('few_posts' in d['attention']) == (0 < d['posts'] < 60) for d in j['districts'])
ok = ok and all(('low_share' in d['attention']) == (d['posts'] > 0 and d['share'] < 2.5) for d in j['districts'])
ok = ok and j['attention'] == {'min_posts': 60, 'min_share': 2.5} and any(not d['needs_attention'] for d in j['districts'])
sys.exit(0 if ok else 1)"
kepu --config "$T/att.json" --db "$T/r.db" report -o "$T/att.md"
check "attention: md says why" grep -q '需关注：作品少于 60 件' "$T/att.md"
printf '{"report": {"attention": {"min_posts": -1}}}' >"$T/att.json"
status "attention: a negative number refused" 2 kepu --config "$T/att.json" --db "$T/r.db" report
check "attention: the key named" has "$T/err" "report.attention.min_posts: expected a whole number"
printf '{"report": {"attention": {"min_share": 101}}}' >"$T/att.json"
status "attention: a share over 100 refused" 2 kepu --config "$T/att.json" --db "$T/r.db" report
check "attention: min_share named" has "$T/err" "report.attention.min_share: expected a percentage"
printf '{"report": {"atention": {}}}' >"$T/att.json"
status "attention: a typo refused" 2 kepu --config "$T/att.json" --db "$T/r.db" report
check "attention: the typo named" has "$T/err" "report.atention: unknown key (did you mean 'attention'?)"

# ---- text from posts is escaped in every format ----
printf '%s\n' '{"platform":"weibo","post_id":"x1","created_at":"2025-09-03 10:00","title":"=HYPERLINK(\"http://evil\",\"x\") <script>alert(1)</script>","text":"\"><img src=x onerror=alert(1)> #千万IP创科普# 江津区","author_name":"@evil|pipe","likes":99999}' >"$T/x.ndjson"
kepu --db "$T/x.db" import -q "$T/x.ndjson"
kepu --db "$T/x.db" report --format csv -o "$T/xcsv"
kepu --db "$T/x.db" report --format md -o "$T/x.md"
check "csv: formula neutralized" has "$T/xcsv/top_works.csv" "'=HYPERLINK"
check "md: no raw script" sh -c "! grep -q '<script>' '$T/x.md' && ! grep -q '<img' '$T/x.md'"
check "md: pipe escaped" has "$T/x.md" '\\|pipe'
# ---- titles with the entities platforms leave decoded once (reports/work.c) ----
printf '%s\n' '{"platform":"bilibili","post_id":"BVent1","created_at":"2025-09-05 10:00","title":"&lt;科普小课堂&gt; 江津区 &amp;lt;原样&amp;gt; &#x1F52D;","text":"#千万IP创科普# 江津区","likes":50}' >"$T/ent.ndjson"
kepu --db "$T/ent.db" import -q "$T/ent.ndjson"
kepu --db "$T/ent.db" report --format json -o "$T/ent.json"
kepu --db "$T/ent.db" report --format html -o "$T/ent.html"
kepu --db "$T/ent.db" featured --format html -o "$T/entf.html"
check "entities: the title as the author wrote it (json)" has "$T/ent.json" '"title": "<科普小课堂> 江津区 &lt;原样&gt; 🔭"'
check "entities: escaped once in the report's page" sh -c "grep -q '>&lt;科普小课堂&gt; 江津区 &amp;lt;原样&amp;gt; 🔭<' '$T/ent.html' && ! grep -q '&amp;lt;科普小课堂' '$T/ent.html'"
check "entities: and in the shortlist's" sh -c "grep -q '&lt;科普小课堂&gt;' '$T/entf.html' && ! grep -q '&amp;lt;科普小课堂' '$T/entf.html'"

# ---- every list of works masks phone and ID numbers (reports/work.c) ----
printf '%s\n' '{"platform":"douyin","post_id":"m1","created_at":"2025-09-03 10:00","title":"报名电话13812345678 江津区科普活动","text":"#千万IP创科普# 江津区","likes":500}' >"$T/m.ndjson"
kepu --db "$T/m.db" import -q "$T/m.ndjson"
kepu --db "$T/m.db" report --format json -o "$T/m.json"
kepu --db "$T/m.db" report --format html -o "$T/m.html"
check "report: a phone number in a title is masked (json)" sh -c "grep -q '138\*\*\*\*5678' '$T/m.json' && ! grep -q 13812345678 '$T/m.json'"
check "report: and in html" sh -c "grep -q '138\*\*\*\*5678' '$T/m.html' && ! grep -q 13812345678 '$T/m.html'"

# ---- a tenth platform (build/kepu-tp: model/platform.c with a test row) ----
TP=$BUILD/kepu-tp
check "the tenth-platform build exists" test -x "$TP"
: >"$T/tp.ndjson"
for pl in weibo bilibili douyin xiaohongshu kuaishou wechat_channels toutiao zhihu testplat other; do
	printf '{"platform":"%s","post_id":"%s1","created_at":"2025-09-04 10:00","text":"#千万IP创科普# 江津区的科普活动","likes":10}\n' "$pl" "$pl" >>"$T/tp.ndjson"
	printf '{"platform":"%s","post_id":"%s2","created_at":"2025-09-05 10:00","text":"#千万IP创科普# 万州区的科普活动","likes":20}\n' "$pl" "$pl" >>"$T/tp.ndjson"
done
status "tenth platform: import (测试平台 as staff write it, too)" 0 "$TP" --db "$T/tp.db" import "$T/tp.ndjson"
check "tenth platform: stored" sh -c "'$TP' --db '$T/tp.db' export | grep -c '\"platform\":\"testplat\"' | grep -qx 2"
status "tenth platform: report md" 0 "$TP" --db "$T/tp.db" report --format md -o "$T/tp.md"
status "tenth platform: report html" 0 "$TP" --db "$T/tp.db" report --format html -o "$T/tp.html"
status "tenth platform: report json" 0 "$TP" --db "$T/tp.db" report --format json -o "$T/tp.json"
status "tenth platform: report csv" 0 "$TP" --db "$T/tp.db" report --format csv -o "$T/tpcsv"
status "tenth platform: a unit's page" 0 "$TP" --db "$T/tp.db" report --district 江津区 --format html -o "$T/tpd.html"
status "tenth platform: shortlist" 0 "$TP" --db "$T/tp.db" featured --format json -o "$T/tpf.json"
check "tenth platform: every format shows all ten platforms" "$PY" -c "
import json, csv, sys
j = json.load(open('$T/tp.json'))
ok = len(j['platforms']) == 10 and any(p['label'] == '测试平台' for p in j['platforms'])
ok = ok and all(len(d['platform_posts']) == 10 for d in j['districts'] if d['posts'])
rows = list(csv.DictReader(open('$T/tpcsv/platforms.csv', encoding='utf-8-sig')))
ok = ok and len(rows) == 10 and open('$T/tpcsv/district_platforms.csv', encoding='utf-8-sig').readline().count(',') == 11
ok = ok and '测试平台' in open('$T/tp.md').read() and open('$T/tp.html').read().count('测试平台') >= 2
sys.exit(0 if ok else 1)"

summary
