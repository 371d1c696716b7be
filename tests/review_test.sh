#!/bin/sh
# Featured works: the shortlist's ranking on a known data set
# (tests/data/featured.ndjson: the per-unit fairness rule, platform
# comparability, what is left out), every review transition and every
# refused one, the audit log's immutability, flags (built-in rules at
# ingest, configured patterns and word lists, recheck), and the showcase
# (grouping, unfeaturing, escaping).  Ends with `review: N passed, N failed`.
set -u
NAME=review
. tests/lib.sh

DB=$T/f.db
k() { kepu --db "$DB" "$@"; }
# post ids of a shortlist CSV, in order
ids() { python3 -c 'import csv,sys; print(" ".join(r["post_id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$1"; }
# a value from the shortlist JSON: jv FILE 'python expression over j'
jv() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
same() { [ "$1" = "$2" ] || { echo "    got '$1', want '$2'"; return 1; }; }
logn() { k review log | grep -c .; }
state() { k review list --status all | awk -F'\t' -v p="$1" '$1 == p { print $2 }'; }

status "import the data set" 0 k import -q "$DATA/featured.ndjson"

# ---- flags set at ingest: built-in rules, masked ----
status "list flagged" 0 k review list --flagged
check "F1's phone number flagged, masked" has "$T/out" "douyin:F1	pending	大足区	.*	open: mobile 138\*\*\*\*5678"
check "the full number is never shown" sh -c "! grep -q 13812345678 '$T/out'"
check "only F1 is flagged" lines "$T/out" 2

# ---- ranking: default fairness (K = 2) ----
status "shortlist top 5" 0 k featured --until 2025-09-10 --top 5 --format csv -o "$T/s.csv"
check "rank order, R1 still pending" same "$(ids "$T/s.csv")" "R1 A1 A2 B1 B2"
check "csv has the export's names" has "$T/s.csv" "^.*rank,platform,post_id,url,title,author_name,district,district_code,created_at,views,likes,comments,shares,favorites,coins,index,review_status,flags"
check "csv starts with a BOM" sh -c "head -c 3 '$T/s.csv' | od -An -tx1 | grep -q 'ef bb bf'"
check "F1 left out while its flag is open" sh -c "! grep -q ',F1,' '$T/s.csv'"
check "outside Chongqing and no unit left out" sh -c "! grep -q ',O1,\|,N1,' '$T/s.csv'"

status "reject R1 with a note" 0 k review reject douyin:R1 --by 王编辑 --note "重复投稿"
status "shortlist after the rejection" 0 k featured --until 2025-09-10 --top 5 --format csv -o "$T/s.csv"
check "every unit represented before A3" same "$(ids "$T/s.csv")" "A1 A2 B1 B2 C1"
status "no rejected work even unranked" 0 k featured --until 2025-09-10 --per-unit 0 --top 100 --format csv -o "$T/all.csv"
check "R1 never appears" sh -c "! grep -q ',R1,' '$T/all.csv'"
check "all eligible works listed" same "$(ids "$T/all.csv")" "A1 A2 A3 A4 A5 B1 B2 C1"

status "shortlist top 7 fills" 0 k featured --until 2025-09-10 --top 7 --format json -o "$T/s.json"
check "filled with the best skipped in rank order" same "$(jv "$T/s.json" '" ".join(w["post_id"] for w in j["works"])')" "A1 A2 B1 B2 C1 A3 A4"
check "filled works are marked" same "$(jv "$T/s.json" '[w["rank"] for w in j["works"] if w["over_per_unit"]]')" "[6, 7]"
check "json counts" same "$(jv "$T/s.json" '(j["candidates"], j["left_out_rejected"], j["left_out_flagged"])')" "(8, 1, 1)"
check "json carries the review status" same "$(jv "$T/s.json" 'j["works"][0]["review_status"]')" "pending"
status "per-unit 0 ranks only" 0 k featured --until 2025-09-10 --top 5 --per-unit 0 --format csv -o "$T/s.csv"
check "per-unit 0: top 5 by index" same "$(ids "$T/s.csv")" "A1 A2 A3 A4 A5"
status "per-unit 1" 0 k featured --until 2025-09-10 --top 3 --per-unit 1 --format csv -o "$T/s.csv"
check "per-unit 1: one per unit" same "$(ids "$T/s.csv")" "A1 B1 C1"
status "one district" 0 k featured --district 万州区 --format csv -o "$T/s.csv"
check "--district: its works only" same "$(ids "$T/s.csv")" "B1 B2"
status "one platform" 0 k featured --platform weibo --format csv -o "$T/s.csv"
check "--platform: its works only" same "$(ids "$T/s.csv")" "W1"

# the index is the report's: the same figure for the same work
status "report json" 0 k report --format json -o "$T/r.json"
check "index as in the report's top works" same "$(jv "$T/r.json" '[w["index"] for w in j["top_works"] if w["post_id"] == "A1"][0]')" \
	"$(k featured --format json | python3 -c 'import json,sys; print([w["index"] for w in json.load(sys.stdin)["works"] if w["post_id"] == "A1"][0])')"

# platforms are comparable: each at its references scores 100, whatever counts it reports
status "comparability window" 0 k featured --since 2025-09-20 --format json -o "$T/c.json"
check "bilibili (no shares), weibo (no views), douyin (all five) score the same" \
	same "$(jv "$T/c.json" '[(w["post_id"], w["index"]) for w in j["works"]]')" "[('BV1', 100.0), ('W1', 100.0), ('D1', 100.0)]"
check "a count not reported is null, not 0" same "$(jv "$T/c.json" '(j["works"][0]["shares"], j["works"][1]["views"])')" "(None, None)"

# the flagged work appears once a person approved it
status "approve F1" 0 k review approve douyin:F1 --by 李审核
status "shortlist after approving F1" 0 k featured --until 2025-09-10 --top 3 --format json -o "$T/s.json"
check "F1 now first" same "$(jv "$T/s.json" '" ".join(w["post_id"] for w in j["works"])')" "F1 A1 A2"
check "its flags are shown" same "$(jv "$T/s.json" '[(f["rule"], f["match"]) for f in j["works"][0]["flags"]]')" "[('mobile', '138****5678')]"
check "its flag is no longer open" same "$(jv "$T/s.json" '(j["works"][0]["flags_open"], j["works"][0]["review_status"], j["works"][0]["reviewed_by"])')" "(False, 'approved', '李审核')"

status "md" 0 k featured -o "$T/s.md"
check "md has the table" has "$T/s.md" "| 排名 | 作品 |"
check "md: the window for people" has "$T/s.md" "时段：2025年9月1日 至 2025年9月30日"
check "md: the index with one decimal, data keeps two" sh -c "grep -Eq '^\| 1\*? \|.*\| [0-9,]+\.[0-9] \| ' '$T/s.md'"
status "html" 0 k featured --format html -o "$T/s.html"
check "html is one page without scripts" sh -c "grep -q '<table>' '$T/s.html' && ! grep -qi '<script' '$T/s.html'"
status "bad --top" 2 k featured --top 0
check "--top named" has "$T/err" "\-\-top"
status "bad --per-unit" 2 k featured --per-unit -1
status "bad --format" 2 k featured --format pdf
status "bad --platform" 2 k featured --platform myspace
status "bad --district" 2 k featured --district 成都
check "unknown district named" has "$T/err" "no unit '成都'"

# ---- review transitions ----
n0=$(logn)
status "pending -> approved" 0 k review approve douyin:B1 --by 张三
check "says the transition, in Chinese with the ids" has "$T/out" "douyin:B1: 待审核 -> 已通过 (pending -> approved, by 张三)"
check "one entry more" same "$(logn)" "$((n0 + 1))"
n=$(logn)
status "approved -> approved refused" 2 k review approve douyin:B1 --by 张三
check "already approved, in Chinese first" has "$T/err" "kepu review: douyin:B1: 无法通过：已是「已通过」 (cannot approve: already approved)"
status "pending -> rejected without a note refused" 2 k review reject douyin:B2 --by 张三
check "a note is required" has "$T/err" "douyin:B2: 无法驳回：必须填写驳回理由 (cannot reject: a note is required"
status "feature before approve refused" 2 k review feature douyin:A3 --by 张三
check "feature before approve: the message" has "$T/err" "kepu review: douyin:A3: 无法入选：尚未通过审核（当前为「待审核」）.* (cannot feature: not approved (it is pending); use --approve to approve and feature in one step)"
status "unknown post refused" 2 k review approve douyin:nope --by 张三
check "unknown post named" has "$T/err" "douyin:nope: 数据库中没有这条作品 (no such post)"
status "one bad post refuses the whole command" 2 k review approve douyin:A4 douyin:nope douyin:A5 --by 张三
check "nothing was recorded" has "$T/err" "nothing was recorded"
check "log unchanged by refusals" same "$(logn)" "$n"
check "A4 still pending" same "$(state douyin:A4)" "pending"
status "no --by" 2 k review approve douyin:A4
check "--by required" has "$T/err" "\-\-by NAME is required"
status "bad target" 2 k review approve A4 --by 张三
check "bad target named" has "$T/err" "expected PLATFORM:POST_ID"
status "unknown platform" 2 k review approve myspace:1 --by 张三
status "--approve only with feature" 2 k review approve douyin:A4 --approve --by 张三
status "unknown subcommand" 2 k review bless douyin:A4 --by 张三
check "log unchanged by usage errors" same "$(logn)" "$n"

status "approved -> rejected without a note refused" 2 k review reject douyin:B1 --by 张三
status "approved -> rejected" 0 k review reject douyin:B1 --by 张三 --note "画面含广告"
check "B1 rejected" same "$(state douyin:B1)" "rejected"
status "rejected -> approved without a note refused" 2 k review approve douyin:B1 --by 李四
check "overturning needs a note" has "$T/err" "overturning a rejection needs a note"
status "rejected -> rejected refused" 2 k review reject douyin:B1 --by 李四 --note x
status "rejected -> approved with a note" 0 k review approve douyin:B1 --by 李四 --note "广告已核实为公益"
status "approved -> featured" 0 k review feature douyin:B1 --by 李四 --note "万州区优秀作品"
check "B1 featured" same "$(state douyin:B1)" "featured"
status "featured -> featured refused" 2 k review feature douyin:B1 --by 李四
check "already featured" has "$T/err" "cannot feature: already featured"
status "featured -> rejected refused" 2 k review reject douyin:B1 --by 李四 --note x
check "unfeature first" has "$T/err" "unfeature it first"
status "featured -> approved by approve refused" 2 k review approve douyin:B1 --by 李四
status "unfeature a work not featured refused" 2 k review unfeature douyin:A1 --by 李四
check "not featured" has "$T/err" "douyin:A1: 无法取消入选：作品未入选（当前为「待审核」） (cannot unfeature: it is not featured (it is pending))"
n=$(logn)
status "feature --approve: two decisions" 0 k review feature douyin:A1 douyin:C1 --approve --by 李四 --note "优秀"
check "two entries per post" same "$(logn)" "$((n + 4))"
check "A1: pending -> approved -> featured" sh -c "grep -q 'douyin:A1: 待审核 -> 已通过 (pending -> approved' '$T/out' && grep -q 'douyin:A1: 已通过 -> 已入选 (approved -> featured' '$T/out'"
status "featured -> approved (unfeature)" 0 k review unfeature douyin:C1 --by 王编辑
check "C1 approved again" same "$(state douyin:C1)" "approved"
status "a post named twice sees its first change" 2 k review approve douyin:A5 douyin:A5 --by 张三
check "the second is already approved" has "$T/err" "douyin:A5: 无法通过：已是「已通过」 (cannot approve: already approved)"
check "A5 still pending" same "$(state douyin:A5)" "pending"

status "log of one post" 0 k review log douyin:B1
check "log: every decision of B1, oldest first" same "$(awk -F'\t' 'NR > 1 { print $4 }' "$T/out" | tr '\n' '|')" \
	"pending -> approved|approved -> rejected|rejected -> approved|approved -> featured|"
check "log: who, when (+08:00), note" has "$T/out" "	20[0-9-]*T[0-9:]*+08:00	douyin:B1	approved -> rejected	张三	画面含广告	-$"
status "log of an unknown post" 2 k review log douyin:nope
status "list featured" 0 k review list --status featured
check "list: the featured works" same "$(awk -F'\t' 'NR > 1 { print $1 }' "$T/out" | tr '\n' ' ')" "douyin:A1 douyin:B1 "
status "list by district" 0 k review list --status all --district 江津区
check "list: the unit's works only" sh -c "! awk -F'\t' 'NR > 1 && \$3 != \"江津区\"' '$T/out' | grep -q ."
status "bad --status" 2 k review list --status maybe
status "list --limit" 0 k review list --status all --limit 2
check "list --limit: the best 2" same "$(awk -F'\t' 'NR > 1 { print $1 }' "$T/out" | tr '\n' ' ')" "douyin:O1 douyin:N1 "
check "list --limit: says how many were left out" has "$T/err" "the best 2 of 15 works listed"
status "bad --limit" 2 k review list --limit -3

# ---- the audit log cannot be rewritten ----
# (the one exception: schema step 5 -> 6 fills the new hash columns of the
# rows already there, inside the migration, with the update trigger down)
check "no UPDATE or DELETE of review_log in the code" sh -c \
	"! grep -rniE '(update|delete[[:space:]]+from|replace[[:space:]]+into)[[:space:]]+review_log' --include='*.c' --include='*.h' cli store reports collector config matchers util | grep -v 'UPDATE review_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1'"
n=$(logn)
if command -v sqlite3 >/dev/null 2>&1; then
	check "UPDATE on the log fails" sh -c "! sqlite3 '$DB' \"UPDATE review_log SET to_state = 'featured' WHERE post_id = 'R1'\" 2>'$T/err'"
	check "UPDATE refused by the trigger" has "$T/err" "append-only"
	check "DELETE on the log fails" sh -c "! sqlite3 '$DB' 'DELETE FROM review_log' 2>'$T/err'"
	check "DELETE refused by the trigger" has "$T/err" "append-only"
else
	python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
for sql in ("UPDATE review_log SET to_state = '"'"'featured'"'"'", "DELETE FROM review_log"):
    try:
        db.execute(sql); db.commit(); sys.exit(1)
    except sqlite3.DatabaseError as e:
        assert "append-only" in str(e)' "$DB"
	check "UPDATE and DELETE refused by the triggers" test $? -eq 0
fi
check "log unchanged" same "$(logn)" "$n"
check "R1 still rejected" same "$(state douyin:R1)" "rejected"

# re-collection keeps review states and flag decisions
sed 's/"likes": 50000/"likes": 60000/; s/"likes": 80000/"likes": 81000/' "$DATA/featured.ndjson" >"$T/again.ndjson"
status "import again with new counts" 0 k import -q "$T/again.ndjson"
check "states kept" same "$(state douyin:A1) $(state douyin:F1) $(state douyin:R1)" "featured approved rejected"
check "log untouched by import" same "$(logn)" "$n"
status "flags kept" 0 k review list --flagged --status all
check "F1 still flagged, now seen" has "$T/out" "douyin:F1	approved	.*	seen: mobile 138\*\*\*\*5678"

# ---- showcase ----
status "showcase" 0 k showcase -o "$T/show"
check "says what it wrote" has "$T/out" "showcase: 2 featured works in 2 groups"
check "page written" test -s "$T/show/index.html"
check "csv written" test -s "$T/show/showcase.csv"
check "units in gazetteer order (万州区 before 江津区)" same "$(grep -o '</a>[^<]*<small>' "$T/show/index.html" | tr '\n' ' ')" "</a>万州区<small> </a>江津区<small> "
check "the note is the caption" has "$T/show/index.html" '<p class="caption">万州区优秀作品</p>'
check "links are safe" has "$T/show/index.html" 'href="https://www.douyin.com/video/B1" rel="noopener noreferrer"'
check "csv: the same rows" same "$(python3 -c 'import csv,sys; print(" ".join(r["post_id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$T/show/showcase.csv")" "B1 A1"
check "csv caption" has "$T/show/showcase.csv" "万州区优秀作品"
check "showcase cards: counts as people read them (1.2万), no engagement index for the public" sh -c "grep -Eq '点赞 <b>[0-9.]+万?(\+)?</b>' '$T/show/index.html' && ! grep -q '互动指数' '$T/show/index.html'"
check "showcase csv keeps ISO 8601" sh -c "grep -Eq ',20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\+08:00,' '$T/show/showcase.csv'"
status "unfeature B1" 0 k review unfeature douyin:B1 --by 王编辑
status "showcase again" 0 k showcase -o "$T/show"
check "unfeatured work gone from the page" sh -c "! grep -q 'video/B1' '$T/show/index.html'"
check "unfeatured work gone from the csv" sh -c "! grep -q ',B1,' '$T/show/showcase.csv'"
status "showcase needs -o" 2 k showcase

# escaping: everything from a post is text
printf '%s\n' '{"platform":"weibo","post_id":"x1","created_at":"2025-09-03 10:00","title":"=HYPERLINK(\"http://evil\",\"x\") <script>alert(1)</script>","text":"#千万IP创科普# 江津区 \"><img src=x onerror=alert(1)>","author_name":"\"><img src=x onerror=alert(2)>","url":"javascript:alert(3)","likes":5}' \
	'{"platform":"weibo","post_id":"x2","created_at":"2025-09-03 11:00","title":"<b>粗体</b> & \"引号\"","text":"#千万IP创科普# 江津区","url":"https://example.cn/a\"onmouseover=\"alert(4)","likes":4}' >"$T/x.ndjson"
status "import hostile posts" 0 k import -q "$T/x.ndjson"
status "feature them" 0 k review feature weibo:x1 weibo:x2 --approve --by 测试 --note '<img src=x onerror=alert(5)>注'
status "showcase with hostile posts" 0 k showcase -o "$T/show"
check "no raw tags from posts" sh -c "! grep -qi '<script\|<img src=x\|<b>粗' '$T/show/index.html'"
check "title escaped" has "$T/show/index.html" '&lt;script&gt;alert(1)'
check "note escaped" has "$T/show/index.html" '<p class="caption">&lt;img src=x onerror=alert(5)&gt;注</p>'
check "no javascript: link" sh -c "! grep -qi 'href=\"javascript' '$T/show/index.html'"
check "an attribute cannot be broken out of" sh -c "! grep -q 'onmouseover=\"alert' '$T/show/index.html'"
check "csv: formula neutralized" has "$T/show/showcase.csv" "'=HYPERLINK"
check "csv: no javascript link" sh -c "! grep -q 'javascript:' '$T/show/showcase.csv'"
status "shortlist html with hostile posts" 0 k featured --format html -o "$T/x.html"
check "shortlist html escaped" sh -c "! grep -qi '<script\|<img\|<b>' '$T/x.html'"
status "shortlist md with hostile posts" 0 k featured -o "$T/x.md"
check "shortlist md escaped" sh -c "! grep -qi '<script\|<img' '$T/x.md'"

# ---- built-in flags through ingest: resident ID ----
printf '%s\n' '{"platform":"weibo","post_id":"id1","created_at":"2025-09-06 10:00","text":"#千万IP创科普# 江津区 证件 11010519491231002X","likes":1}' \
	'{"platform":"weibo","post_id":"id2","created_at":"2025-09-06 11:00","text":"#千万IP创科普# 江津区 编号 110105194912310021","likes":1}' >"$T/id.ndjson"
status "import id posts" 0 k import -q "$T/id.ndjson"
status "list flagged after ids" 0 k review list --flagged --status all
check "resident id flagged, masked" has "$T/out" "weibo:id1	pending	.*open: resident_id 1101\*\*\*\*\*\*\*\*\*\*002X"
check "a wrong check digit is no id" sh -c "! grep -q 'weibo:id2' '$T/out'"
check "the id itself is never shown" sh -c "! grep -q 11010519491231002X '$T/out'"
# a record that omits the title keeps the stored title, and so its flags
printf '%s\n' '{"platform":"bilibili","post_id":"t1","created_at":"2025-09-06 12:00","title":"热线 13900001111","text":"#千万IP创科普# 江津区","likes":1}' >"$T/t1.ndjson"
printf '%s\n' '{"platform":"bilibili","post_id":"t1","created_at":"2025-09-06 12:00","text":"#千万IP创科普# 江津区","likes":2}' >"$T/t2.ndjson"
status "import a post with a number in its title" 0 k import -q "$T/t1.ndjson"
status "the same post again without a title" 0 k import -q "$T/t2.ndjson"
status "list flagged after the title went missing" 0 k review list --flagged --status all
check "the title's flag is kept" has "$T/out" "bilibili:t1	pending	.*open: mobile 139\*\*\*\*1111	热线 139\*\*\*\*1111"

# ---- configured patterns and word list; recheck ----
printf '# review words\n\n  城口县  \n' >"$T/words.txt"
cat >"$T/cfg.json" <<EOC
{"review": {"flag_patterns": [{"pattern": "作品A[12]", "reason": "测试规则"}], "word_list": "$T/words.txt"}}
EOC
n=$(logn)
status "recheck with patterns" 0 kepu --config "$T/cfg.json" --db "$DB" review recheck
check "recheck counts" has "$T/out" "gained flags"
check "three posts gained flags (A1, A2, C1)" has "$T/out" ": 3 gained flags, 0 lost flags"
status "recheck again changes nothing" 0 kepu --config "$T/cfg.json" --db "$DB" review recheck
check "nothing gained or lost" has "$T/out" ": 0 gained flags, 0 lost flags"
status "list pattern flags" 0 k review list --flagged --status all
check "pattern flag says rule and text" has "$T/out" "douyin:A2	pending	.*open: pattern:作品A\[12\] 作品A2"
check "word flag says the word" has "$T/out" "douyin:C1	approved	.*seen: word 城口县"
status "shortlist with a new open flag" 0 k featured --until 2025-09-10 --format json -o "$T/s.json"
check "A2 (pending, flagged) left out" same "$(jv "$T/s.json" '"A2" in [w["post_id"] for w in j["works"]]')" "False"
check "A1 (featured, flagged) kept" same "$(jv "$T/s.json" '"A1" in [w["post_id"] for w in j["works"]]')" "True"
status "recheck without the patterns" 0 k review recheck
check "they lost them again" has "$T/out" ": 0 gained flags, 3 lost flags"
check "recheck never touches the log" same "$(logn)" "$n"
status "import with configured patterns" 0 kepu --config "$T/cfg.json" --db "$DB" import -q "$DATA/featured.ndjson"
status "flags at ingest from the config" 0 k review list --flagged --status all
check "pattern flag set at ingest" has "$T/out" "douyin:A1	.*pattern:作品A\[12\] 作品A1"

# config errors name the key
printf '{"review": {"flag_patterns": [{"pattern": "(unclosed", "reason": "x"}]}}' >"$T/bad.json"
status "bad pattern" 2 kepu --config "$T/bad.json" --db "$DB" review recheck
check "bad pattern: key and PCRE2's message" has "$T/err" "review.flag_patterns\[0\].pattern: not a valid PCRE2 pattern: missing closing parenthesis"
printf '{"review": {"flag_pattern": []}}' >"$T/bad.json"
status "typo in review" 2 kepu --config "$T/bad.json" --db "$DB" featured
check "typo named" has "$T/err" "review.flag_pattern: unknown key (did you mean 'flag_patterns'?)"
printf '{"review": {"flag_patterns": [{"pattern": "x"}]}}' >"$T/bad.json"
status "pattern without a reason" 2 kepu --config "$T/bad.json" --db "$DB" featured
check "reason named" has "$T/err" "review.flag_patterns\[0\].reason: expected a non-empty string"
printf '{"review": {"word_list": "%s/none.txt"}}' "$T" >"$T/bad.json"
status "missing word list" 2 kepu --config "$T/bad.json" --db "$DB" featured
check "word list named" has "$T/err" "review.word_list: cannot open"
printf 'ok\n\377bad\n' >"$T/badwords.txt"
printf '{"review": {"word_list": "%s/badwords.txt"}}' "$T" >"$T/bad.json"
status "word list not UTF-8" 2 kepu --config "$T/bad.json" --db "$DB" featured
check "bad line named" has "$T/err" "badwords.txt:2: not valid UTF-8"

summary
