#!/bin/sh
# The Excel workbooks (kepu report / featured / export --format xlsx), read
# back with openpyxl by tests/xlsx_check.py and compared with the JSON kepu
# writes from the same database; the refusal without -o; and that a failed
# write leaves no file behind.  Ends with `xlsx: N passed, N failed`.
#   BUILD     build directory holding kepu and kepu-gen
#   VALGRIND  optional command prefix (make valgrind)
set -u
NAME=xlsx
. tests/lib.sh

PY=/usr/bin/python3
DB="$T/x.db"

# Generated posts, and by hand: a Douyin post whose 19-digit id is a JSON
# number (Excel would show 7.61235E+18 and lose digits), Weibo counts
# shown as "100万+" and "10万+" (lower bounds), links, a unit's own post.
gen --seed 5 --count 2000 >"$T/gen.ndjson"
cat >"$T/hand.ndjson" <<'EOF'
{"platform":"douyin","post_id":7612345678901234567,"url":"https://www.douyin.com/video/7612345678901234567","author_id":"9001","author_name":"渝中科普","ip_location":"IP属地：重庆","created_at":"2025-09-10 20:30","title":"解放碑下的科学课","text":"渝中区解放碑科普周 #千万IP创科普#","topics":["千万IP创科普"],"views":null,"likes":880000,"comments":66000,"shares":55000,"favorites":44000,"first_seen":"2025-09-10T21:00:00+08:00","last_seen":"2025-09-10T21:00:00+08:00"}
{"platform":"weibo","post_id":"5300000000000001","url":"https://m.weibo.cn/detail/5300000000000001","author_id":"9002","author_name":"南岸科普","author_location":"重庆 南岸区","ip_location":"发布于 重庆","created_at":"2025-09-12 09:00","text":"南岸区科技馆开放日 #千万IP创科普#","views":null,"likes":"100万+","comments":"10万+","shares":"1.2万","favorites":null,"first_seen":"2025-09-12T10:00:00+08:00","last_seen":"2025-09-12T10:00:00+08:00"}
EOF
status "import" 0 kepu --db "$DB" import "$T/gen.ndjson" "$T/hand.ndjson"

# ---- a workbook never goes to a terminal ----
status "report xlsx without -o" 2 kepu --db "$DB" report --format xlsx
check "the refusal names -o" has "$T/err" "give the file with -o FILE"
check "nothing on standard output" test ! -s "$T/out"
status "report xlsx to -o -" 2 kepu --db "$DB" report --format xlsx -o -
status "featured xlsx without -o" 2 kepu --db "$DB" featured --format xlsx
check "featured's refusal names -o" has "$T/err" "-o FILE"
status "export xlsx without -o" 2 kepu --db "$DB" export --format xlsx
check "export's refusal names -o" has "$T/err" "-o FILE"

# ---- the workbooks, and the JSON to compare them with ----
status "report xlsx" 0 kepu --db "$DB" report --format xlsx -o "$T/report.xlsx"
status "report json" 0 kepu --db "$DB" report --format json -o "$T/report.json"
status "report xlsx of a unit" 0 kepu --db "$DB" report --district 渝中区 --format xlsx -o "$T/unit.xlsx"
status "featured xlsx" 0 kepu --db "$DB" featured --format xlsx -o "$T/featured.xlsx"
status "featured json" 0 kepu --db "$DB" featured --format json -o "$T/featured.json"
status "export xlsx" 0 kepu --db "$DB" export --format xlsx -o "$T/export.xlsx"
status "export ndjson" 0 kepu --db "$DB" export -o "$T/export.ndjson"
check "a workbook is a zip file" sh -c "head -c 2 '$T/report.xlsx' | grep -q PK"
status "report xlsx to a Chinese file name" 0 kepu --db "$DB" report --format xlsx -o "$T/报告.xlsx"
check "报告.xlsx written" test -s "$T/报告.xlsx"
check "no temporary file left" sh -c "! ls -a '$T' | grep -q '^\.[^.].*\.xlsx\.'"

"$PY" tests/xlsx_check.py "$T" >"$T/check.out" 2>&1
while read -r verdict rest; do
	case $verdict in
	ok) ok ;;
	FAIL) bad "$rest" ;;
	*) bad "xlsx_check.py: $verdict $rest" ;;
	esac
done <"$T/check.out"
check "xlsx_check.py ran its checks" sh -c "[ \$(grep -c '^ok' '$T/check.out') -ge 60 ]"

# ---- a failed write leaves no file, and an old one as it was ----
status "into a missing directory" 1 kepu --db "$DB" report --format xlsx -o "$T/nowhere/r.xlsx"
check "the error names the file" has "$T/err" "cannot write $T/nowhere/r.xlsx"
check "no directory made" test ! -e "$T/nowhere"
echo "the old export" >"$T/old.xlsx"
# a file size limit of 100 blocks (50 or 100 KB) fails the writing of the
# export's workbook (about 500 KB) part way: SIGXFSZ is ignored, so the
# write returns EFBIG; SQLite, which only reads, needs 32 KB for its -shm
status "a write that fails part way" 1 sh -c "trap '' XFSZ; ulimit -f 100; exec ${VALGRIND:-} '$BUILD/kepu' --db '$DB' export --format xlsx -o '$T/old.xlsx'"
check "the workbook's write is what failed" has "$T/err" "cannot write $T/old.xlsx"
check "the old file is untouched" has "$T/old.xlsx" "the old export"
check "no partial file left" sh -c "! ls -a '$T' | grep -q '^\.old\.xlsx\.'"

summary
