#!/bin/sh
# The analysts' report: figures recomputed independently (report_check.py)
# and compared in every format; as-of, district pages, scope, escaping,
# bad options.  Ends with `report: N passed, N failed`.
set -u
NAME=report
. tests/lib.sh

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
for f in overview districts platforms district_platforms daily top_works district_top_works hashtags attribution sources; do
	check "csv file $f" test -s "$T/csv/$f.csv"
done
check "json has the documented keys" sh -c "for k in window totals districts platforms daily top_works hashtags attribution; do grep -q \"^ \\\"\$k\\\":\" '$T/r.json' || exit 1; done"

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

# ---- text from posts is escaped in every format ----
printf '%s\n' '{"platform":"weibo","post_id":"x1","created_at":"2025-09-03 10:00","title":"=HYPERLINK(\"http://evil\",\"x\") <script>alert(1)</script>","text":"\"><img src=x onerror=alert(1)> #千万IP创科普# 江津区","author_name":"@evil|pipe","likes":99999}' >"$T/x.ndjson"
kepu --db "$T/x.db" import -q "$T/x.ndjson"
kepu --db "$T/x.db" report --format csv -o "$T/xcsv"
kepu --db "$T/x.db" report --format md -o "$T/x.md"
check "csv: formula neutralized" has "$T/xcsv/top_works.csv" "'=HYPERLINK"
check "md: no raw script" sh -c "! grep -q '<script>' '$T/x.md' && ! grep -q '<img' '$T/x.md'"
check "md: pipe escaped" has "$T/x.md" '\\|pipe'
summary
