#!/bin/sh
# Tests of the real kepu binary on files under tests/data/ and on inputs
# made here.  Ends with `cli: N passed, N failed`.
#   BUILD     build directory holding kepu and kepu-gen
#   VALGRIND  optional command prefix (make valgrind)
set -u
NAME=cli
. tests/lib.sh

# ---- command line ----
status "help" 0 kepu help
check "help lists commands" has "$T/out" "import"
status "import --help" 0 kepu import --help
check "import --help shows usage" has "$T/out" "usage: kepu import"
status "version" 0 kepu version
check "version names sqlite" has "$T/out" "sqlite 3"
status "no command" 2 kepu
status "unknown command" 2 kepu frobnicate
check "unknown command named" has "$T/err" "unknown command 'frobnicate'"
status "unknown global option" 2 kepu --frob import x
status "unknown import option" 2 kepu --db "$T/x.db" import --nope a
check "unknown option named" has "$T/err" "unknown option '--nope'"
status "missing option value" 2 kepu --db "$T/x.db" export --format
status "bad export format" 2 kepu --db "$T/x.db" export --format xml
status "bad report date" 2 kepu --db "$T/x.db" report --since 2025-13-01
check "bad date named" has "$T/err" "expected a date YYYY-MM-DD"
status "import without files" 2 kepu --db "$T/x.db" import

# ---- init ----
status "init" 0 kepu --db "$T/init.db" init
check "init says the schema version" has "$T/out" "schema version 15"
status "init again (upgrade is a no-op)" 0 kepu --db "$T/init.db" init
printf 'not a database, just text\n' >"$T/junk.db"
status "init on a non-database fails" 1 kepu --db "$T/junk.db" init
check "junk file left alone" has "$T/junk.db" "not a database"

# ---- import and export of known data ----
status "import good" 0 kepu --db "$T/g.db" import "$DATA/good.ndjson"
check "import summary" has "$T/err" "8 records in 1 file: 7 new, 0 updated, 0 unchanged, 1 skipped"
status "export" 0 kepu --db "$T/g.db" export
check "export equals expected" cmp -s "$T/out" "$DATA/good.expected.ndjson"
cp "$T/out" "$T/export1.ndjson"
status "export csv" 0 kepu --db "$T/g.db" export --format csv
check "csv export equals expected" cmp -s "$T/out" "$DATA/good.expected.csv"
check "csv starts with a BOM" sh -c "head -c 3 '$T/out' | od -An -tx1 | grep -q 'ef bb bf'"
check "csv formula cell neutralized" has "$T/out" "\"'=HYPERLINK"
check "csv @ cell neutralized" has "$T/out" ",'@巫山县"

status "import same file again" 0 kepu --db "$T/g.db" import "$DATA/good.ndjson"
check "second import changes nothing" has "$T/err" "0 new, 0 updated, 7 unchanged"
kepu --db "$T/g.db" export >"$T/export2.ndjson"
check "second import: export unchanged" cmp -s "$T/export1.ndjson" "$T/export2.ndjson"

status "export to a new db (round trip)" 0 kepu --db "$T/rt.db" import "$T/export1.ndjson"
kepu --db "$T/rt.db" export >"$T/export3.ndjson"
check "export -> import -> export is identical" cmp -s "$T/export1.ndjson" "$T/export3.ndjson"
status "csv round trip import" 0 kepu --db "$T/rtc.db" import "$DATA/good.expected.csv"
kepu --db "$T/rtc.db" export >"$T/export4.ndjson"
check "csv export -> import -> export is identical" cmp -s "$T/export1.ndjson" "$T/export4.ndjson"

status "export --since/--until" 0 kepu --db "$T/g.db" export --since 2025-09-03 --until 2025-09-05
check "window export has 3 posts" lines "$T/out" 3
check "window export starts on 09-03" has "$T/out" '"created_at":"2025-09-03T08:00:00+08:00"'

status "import --all keeps untagged" 0 kepu --db "$T/all.db" import --all "$DATA/good.ndjson"
check "--all summary" has "$T/err" "8 new"

status "import from stdin" 0 sh -c "cat '$DATA/good.ndjson' | ${VALGRIND:-} '$BUILD/kepu' --db '$T/stdin.db' import -"
check "stdin summary" has "$T/err" "7 new"

status "KEPU_DB chooses the database" 0 env KEPU_DB="$T/env.db" "$BUILD/kepu" import -q "$DATA/good.ndjson"
check "KEPU_DB file created" test -s "$T/env.db"
status "--db wins over KEPU_DB" 0 env KEPU_DB="$T/env.db" "$BUILD/kepu" --db "$T/flag.db" export
check "--db database is empty" lines "$T/out" 0

# ---- bad input: every record reported with FILE:LINE, the rest kept ----
status "import bad lines" 1 kepu --db "$T/b.db" import "$DATA/bad.ndjson"
grep -v '^kepu import:' "$T/err" >"$T/bad.err"
check "bad lines: messages as expected" cmp -s "$T/bad.err" "$DATA/bad.expected.stderr"
check "bad lines: summary" has "$T/err" "19 records in 1 file: 2 new, 0 updated, 0 unchanged, 0 skipped (no campaign tag), 17 errors"
kepu --db "$T/b.db" export >"$T/out"
check "bad lines: good ones stored" lines "$T/out" 2

# invalid UTF-8, NUL byte, CRLF, BOM, over-long line, made here
good='{"platform":"weibo","post_id":"u1","created_at":"2025-09-10 10:00","text":"#千万IP创科普#"}'
{
	printf '\357\273\277%s\r\n' "$good"
	printf '{"platform":"weibo","post_id":"u2","created_at":"2025-09-10 10:00","text":"bad \377 byte #千万IP创科普#"}\n'
	printf '{"platform":"weibo","post_id":"u3","created_at":"2025-09-10 10:00","text":"nul \000 byte"}\n'
	printf '{"platform":"weibo","post_id":"u4","created_at":"2025-09-10 10:00","text":"'
	head -c 1200000 /dev/zero | tr '\0' 'a'
	printf '"}\n'
	printf '%s\n' "$good" | sed 's/u1/u5/'
} >"$T/raw.ndjson"
status "import raw bad bytes" 1 kepu --db "$T/raw.db" import "$T/raw.ndjson"
check "invalid UTF-8 reported" has "$T/err" "raw.ndjson:2: invalid UTF-8 at byte 80"
check "NUL byte reported" has "$T/err" "raw.ndjson:3: NUL byte at column"
check "long line reported" has "$T/err" "raw.ndjson:4: line longer than 1 MiB"
check "raw: 2 kept, 3 errors" has "$T/err" "5 records in 1 file: 2 new, 0 updated, 0 unchanged, 0 skipped (no campaign tag), 3 errors"

: >"$T/empty.ndjson"
status "empty file" 1 kepu --db "$T/e.db" import "$T/empty.ndjson"
check "empty file reported" has "$T/err" "empty.ndjson: empty file"
status "missing file, then a good one" 1 kepu --db "$T/m.db" import "$T/nope.ndjson" "$DATA/good.ndjson"
check "missing file reported" has "$T/err" "nope.ndjson: cannot open: No such file or directory"
check "good file after it imported" has "$T/err" "7 new"

printf 'platform,post_id,created_at,txet\nweibo,1,2025-09-10,#千万IP创科普#\n' >"$T/badhdr.csv"
status "csv unknown column" 1 kepu --db "$T/h.db" import "$T/badhdr.csv"
check "csv unknown column named" has "$T/err" "badhdr.csv:1: header: unknown column 'txet'"
printf 'platform,text\nweibo,#千万IP创科普#\n' >"$T/missing.csv"
status "csv missing column" 1 kepu --db "$T/h.db" import "$T/missing.csv"
check "csv missing column named" has "$T/err" "header: missing column 'post_id'"
printf '\357\273\277platform,post_id,created_at,text,topics,likes\r\nweibo,c1,2025-09-10 10:00,"多行\r\n文本, 含逗号 #千万IP创科普#","a、b，c d",1.2万\r\nweibo,c2,2025-09-10,#千万IP创科普#,,x\r\nweibo,c3,2025-09-10,"x"y,,\r\n' >"$T/excel.csv"
status "csv from Excel" 1 kepu --db "$T/x.db" import "$T/excel.csv"
check "csv bad count reported with line" has "$T/err" "excel.csv:4: likes: not a count"
check "csv bad quoting reported" has "$T/err" "excel.csv:5: cell 4: text after the closing quote"
kepu --db "$T/x.db" export >"$T/out"
check "csv multi-line cell kept, its CRLF too" has "$T/out" '"text":"多行\\r\\n文本, 含逗号 #千万IP创科普#"'
check "csv topics split" has "$T/out" '"topics":\["a","b","c","d"\]'
check "csv count parsed" has "$T/out" '"likes":12000'

# ---- config ----
printf '{"campaign": {"tags": ["千万IP创科普"], "tgas": 1}}' >"$T/typo.json"
status "config typo" 2 kepu --config "$T/typo.json" --db "$T/c.db" init
check "config typo named" has "$T/err" "typo.json: campaign.tgas: unknown key (did you mean 'tags'?)"
printf '{"database": 5}' >"$T/type.json"
status "config wrong type" 2 kepu --config "$T/type.json" init
check "config wrong type named" has "$T/err" "type.json: database: expected a non-empty string"
status "config missing file" 2 kepu --config "$T/none.json" init
printf '{"database": "%s", "campaign": {"tags": ["科普之光"], "start": "2025-09-01", "end": "2025-09-05"}}' "$T/cfg.db" >"$T/cfg.json"
status "config: other tag" 0 kepu --config "$T/cfg.json" import "$DATA/good.ndjson"
check "config tag decides what is kept" has "$T/err" "1 new"
check "config database used" test -s "$T/cfg.db"
status "config example is valid" 0 kepu --config config/kepu.example.json --db "$T/ex.db" init

# ---- the lock: one writer at a time ----
if command -v flock >/dev/null 2>&1; then
	# the lock is an flock() on the database file itself (store.h)
	: >"$T/l.db"
	flock "$T/l.db" sleep 3 &
	fpid=$!
	sleep 0.5
	status "second writer exits 75" 75 kepu --db "$T/l.db" import "$DATA/good.ndjson"
	check "lock message names the holder" has "$T/err" "another kepu job holds the database .*l.db (pid [0-9][0-9]* (\(flock\|sleep\)))"
	wait "$fpid"
	status "lock free again" 0 kepu --db "$T/l.db" import "$DATA/good.ndjson"
else
	bad "flock(1) not installed: lock test not run"
fi

# ---- match: the matcher as a JSON Lines filter ----
status "match with bad lines" 1 sh -c "${VALGRIND:-} '$BUILD/kepu' match < '$DATA/match_cli.jsonl'"
check "match output as expected" cmp -s "$T/out" "$DATA/match_cli.expected"
check "match: one output line per input line" lines "$T/out" 9
check "match: bad line on stderr with its number" has "$T/err" "kepu match: <stdin>:5: invalid JSON"
printf '{"id":1,"text":"#科普之光 #千万IP创科普"}\n' >"$T/m.jsonl"
printf '{"campaign": {"tags": ["科普之光", "C++科普"]}}' >"$T/mcfg.json"
status "match with configured tags" 0 sh -c "${VALGRIND:-} '$BUILD/kepu' --config '$T/mcfg.json' match < '$T/m.jsonl'"
check "match: configured tag only" has "$T/out" '"matched":\["科普之光"\]'
status "match rejects arguments" 2 kepu match extra

# ---- attribute and district ----
printf '%s\n' '{"id":1,"text":"走进江津区图书馆","platform":"weibo"}' '{"id":2,"author_name":"万州科协","text":"渝北区"}' \
	'{"id":3,"author_location":"浙江 宁波 江北区"}' '{"id":4,"ip_location":"IP属地：重庆"}' '{"id":5,"province_code":50,"city_code":"34"}' \
	'{"id":6,"text":"健康长寿"}' '{"id":7,"author_id":5}' '{"id":8,"province_code":"x"}' >"$T/attr.jsonl"
status "attribute" 1 sh -c "${VALGRIND:-} '$BUILD/kepu' attribute < '$T/attr.jsonl'"
check "attribute: one line per input" lines "$T/out" 8
check "attribute: text" has "$T/out" '^{"id":1,"district":"江津区","district_code":"500116","in_chongqing":true,"method":"text","confidence":0.8,"evidence":"江津区图书馆"}$'
check "attribute: author beats text" has "$T/out" '^{"id":2,"district":"万州区".*"method":"author"'
check "attribute: another city's 江北区" has "$T/out" '^{"id":3,"district":null,"district_code":null,"in_chongqing":false,"method":"profile"'
check "attribute: ip says Chongqing only" has "$T/out" '^{"id":4,"district":null,"district_code":null,"in_chongqing":true,"method":"ip"'
check "attribute: weibo codes" has "$T/out" '^{"id":5,"district":"开州区".*"method":"profile"'
check "attribute: ambiguous name without context" has "$T/out" '^{"id":6,"district":null,"district_code":null,"in_chongqing":null,"method":"none"'
check "attribute: bad line" has "$T/out" '^{"line":8,"error":"province_code: expected a number"}$'
printf '{"accounts": [{"platform": "weibo", "author_id": 1001, "unit": "万州区"}]}' >"$T/acc.json"
status "attribute with the account registry" 0 sh -c "printf '%s\n' '{\"platform\":\"weibo\",\"author_id\":\"1001\",\"text\":\"江津区\"}' | ${VALGRIND:-} '$BUILD/kepu' --config '$T/acc.json' attribute"
check "attribute: account wins" has "$T/out" '"district":"万州区".*"method":"account","confidence":1'
printf '{"accounts": [{"platform": "weibo", "author_id": "1", "unit": "成都市"}]}' >"$T/badacc.json"
status "config: unknown account unit" 2 kepu --config "$T/badacc.json" attribute
check "config: account unit named" has "$T/err" "badacc.json: accounts\[0\].unit: no unit '成都市' in the gazetteer"
printf '{"gazetteer": "%s/nogaz.json"}' "$T" >"$T/gz.json"
status "config: missing gazetteer" 2 kepu --config "$T/gz.json" attribute
check "config: gazetteer named" has "$T/err" "nogaz.json: cannot open"

kepu --db "$T/dist.db" import -q "$DATA/good.ndjson" 2>/dev/null
status "district explain" 0 kepu --db "$T/dist.db" district explain weibo 5206412345678901
check "explain shows stored attribution" has "$T/out" "stored:  江津区 (500116)"
check "explain shows the evidence considered" has "$T/out" "author: '江津' names 江津区"
printf '%s\n' '{"platform": "douyin", "post_id": "L1", "created_at": "2025-09-03 10:00", "text": "#千万IP创科普# 周末爬钓鱼城，讲解员科普了古代的城防工程🏯", "likes": 3}' >"$T/landmark.ndjson"
kepu --db "$T/dist.db" import -q "$T/landmark.ndjson" 2>/dev/null
status "district explain: a landmark" 0 kepu --db "$T/dist.db" district explain douyin L1
check "explain names the landmark that decided" has "$T/out" "'钓鱼城' names 合川区 (place, landmark)"
check "explain: stored by place" has "$T/out" "stored:  合川区 (500117), in Chongqing: yes, method place"
status "district set" 0 kepu --db "$T/dist.db" district set weibo 5206412345678901 万州区 --note "活动在万州"
status "district set again, by a named person" 0 kepu --db "$T/dist.db" district set weibo 5206412345678901 江津区 --by 张三 --note "核实为江津"
status "district explain after two corrections" 0 kepu --db "$T/dist.db" district explain weibo 5206412345678901
check "the corrections log: who, from what, to what, why" has "$T/out" " 张三: 500101 -> 江津区 (500116): 核实为江津$"
check "the corrections log: the first, by the login name" has "$T/out" " $(id -un): .* -> 万州区 (500101): 活动在万州$"
check "the corrections log is append-only" sh -c "! sqlite3 '$T/dist.db' 'DELETE FROM corrections' 2>/dev/null"
status "district set: unknown post" 2 kepu --db "$T/dist.db" district set weibo nope 万州区
check "unknown post named" has "$T/err" "no post weibo:nope"
status "district set: unknown unit" 2 kepu --db "$T/dist.db" district set weibo 5206412345678901 成都市
status "district set: missing argument" 2 kepu --db "$T/dist.db" district set weibo 5206412345678901
status "re-import keeps the correction" 0 kepu --db "$T/dist.db" import "$DATA/good.ndjson"
kepu --db "$T/dist.db" export >"$T/dist.ndjson"
check "correction kept after re-import" has "$T/dist.ndjson" '"post_id":"5206412345678901".*"district":"江津区","district_code":"500116","in_chongqing":true,"attribution_method":"manual"'
status "reattribute" 0 kepu --db "$T/dist.db" district reattribute
check "reattribute keeps the correction" has "$T/out" "1 manual corrections kept"
status "correction survives export -> import" 0 kepu --db "$T/dist2.db" import "$T/dist.ndjson"
kepu --db "$T/dist2.db" export >"$T/dist2.ndjson"
check "export with a correction round-trips" cmp -s "$T/dist.ndjson" "$T/dist2.ndjson"
printf '{"gazetteer": "%s/small.json"}' "$T" >"$T/smallcfg.json"
printf '{"units": [{"id": "500116", "name": "江津区", "kind": "district", "short": ["江津"]}]}' >"$T/small.json"
status "reattribute with a smaller gazetteer" 0 kepu --config "$T/smallcfg.json" --db "$T/dist.db" district reattribute
check "reattribute counts the posts that lost their unit" has "$T/out" "reattributed 8 posts: 0 gained a unit, 0 moved to another unit, 5 lost their unit"
status "reattribute back with the whole gazetteer" 0 kepu --db "$T/dist.db" district reattribute
check "reattribute: the posts gained their unit again" has "$T/out" "reattributed 8 posts: 5 gained a unit"
check "reattribute: per unit" has "$T/out" "^开州区  *1  *0  *0  *0$"

# ---- report ----
status "report" 0 kepu --db "$T/g.db" report -o "$T/report.md"
# the leaderboard's rows: rank, unit (its code only in the CSV), works, authors
sed -n '/^## 区县排行/,/^## /p' "$T/report.md" >"$T/lb.md"
check "report: 41 unit rows" sh -c "[ \$(grep -cE '^\| [0-9]+ \| [^|]+ \| [0-9,]+ \| [0-9,]+ \|' '$T/lb.md') -eq 41 ]"
check "report: totals (posts in Chongqing)" has "$T/report.md" "^| 作品 | 5 |"
status "report --scope all" 0 kepu --db "$T/g.db" report --scope all
check "report: every post with --scope all" has "$T/out" "^| 作品 | 7 |"
check "report: 江津区 row" has "$T/lb.md" "^| [0-9]* | 江津区 | 1 | 1 |"
check "report: empty district shown with 0" has "$T/lb.md" "^| [0-9]* | 万州区 | 0 | 0 |.*需关注"
check "report: the empty districts share the last rank" sh -c "[ \$(grep -E '^\| [0-9]+ \| [^|]+ \| 0 \|' '$T/lb.md' | cut -d'|' -f2 | sort -u | wc -l) -eq 1 ]"
check "report: no unit code in Markdown" sh -c "! grep -q '500101' '$T/lb.md'"
check "report: script escaped" sh -c "! grep -q '<script>' '$T/report.md'"
check "report: formula title escaped as text" has "$T/report.md" "=HYPERLINK"
status "report window with no posts" 0 kepu --db "$T/g.db" report --since 2025-09-20 --until 2025-09-21
check "report: empty window" has "$T/out" "^| 作品 | 0 |"

# ---- demo data: totals agree with an independent count ----
gen --seed 11 --count 2000 >"$T/demo.ndjson"
status "import demo data" 0 kepu --db "$T/d.db" import "$T/demo.ndjson"
kept=$(sed -n 's/.*: \([0-9]*\) new.*/\1/p' "$T/err")
kepu --db "$T/d.db" export >"$T/demo.out"
check "demo: export has every kept post" lines "$T/demo.out" "$kept"
inwin=$(grep '"created_at":"2025-09' "$T/demo.out" | grep -c '"in_chongqing":true')
kepu --db "$T/d.db" report -o "$T/demo.md"
# Markdown is for people: thousands separated (1,234)
inwin_h=$(printf '%s' "$inwin" | sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')
check "demo: report total = posts in September ($inwin_h)" has "$T/demo.md" "^| 作品 | $inwin_h | "
check "demo: most posts kept" test "$kept" -gt 1700

# ---- the man page, from the command table ----
status "help --man" 0 kepu help --man
check "man page: mdoc" sh -c "head -n 1 '$T/out' | grep -q '^.Dd '"
check "man page: a section per command" test "$(grep -c '^.Ss ' "$T/out")" -eq "$(kepu help | grep -c '^  [a-z]')"
check "man page: a subcommand's options" has "$T/out" "usage: kepu review list .*--status"

# ---- the option parser made from each command's declaration ----
status "export --format=csv (value after =)" 0 kepu --db "$T/g.db" export --format=csv
check "export --format=csv writes CSV" has "$T/out" "platform,post_id,url"
status "export -oFILE (value in the same word)" 0 kepu --db "$T/g.db" export "-o$T/glued.ndjson"
check "-oFILE wrote the file" test -s "$T/glued.ndjson"
status "a flag given a value" 2 kepu --db "$T/g.db" import --all=yes x
check "a flag given a value: said" has "$T/err" "option '--all' takes no value"
status "a number out of range" 2 kepu --db "$T/g.db" runs --limit 0
check "a number out of range: the bounds said" has "$T/err" "from 1 to 10000, got '0'"
status "a choice not offered" 2 kepu --db "$T/g.db" review list --status maybe
check "a choice not offered: the choices said" has "$T/err" "expected pending, approved, rejected, featured or all"
status "'--' ends the options" 1 kepu --db "$T/dd.db" import -q -- --not-an-option.ndjson
check "'--': the operand read as a file" has "$T/err" "not-an-option.ndjson"
status "an option of another subcommand" 2 kepu --db "$T/g.db" review list --by x
check "an option of another subcommand: named" has "$T/err" "unknown option '--by'"
status "a subcommand is needed" 2 kepu --db "$T/g.db" district
check "a subcommand is needed: the choices said" has "$T/err" "which one: set, apply, explain or reattribute?"
status "unknown subcommand" 2 kepu --db "$T/g.db" review frob
check "unknown subcommand named" has "$T/err" "unknown subcommand 'frob'"
status "help for a subcommand" 0 kepu help review list
check "help for a subcommand: its synopsis" has "$T/out" "^usage: kepu review list"
status "a subcommand's --help" 0 kepu review feature --help
check "a subcommand's --help: its own option" has "$T/out" "--approve"
check "a required option in the synopsis without brackets" has "$T/out" "feature --by NAME"
status "a usage error creates no database" 2 kepu --db "$T/never.db" report --since 2025-09-10 --until 2025-09-01
check "a usage error creates no database: none" test ! -e "$T/never.db"

summary
