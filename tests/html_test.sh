#!/bin/sh
# Tests of the HTML report (`kepu report --format html`): the page's
# sections and figures, escaping of hostile post text, that it references
# nothing outside the file, and, in headless Chromium, that it renders and
# its sort script runs without an error.  Chromium is installed when
# missing and we are root; if it cannot be had, its checks fail (a report
# nobody could open is not a pass).  Ends with `html: N passed, N failed`.
#   BUILD     build directory holding kepu and kepu-gen
#   VALGRIND  optional command prefix (make valgrind)
set -u
NAME=html
. tests/lib.sh

# ---- a database: the known posts plus one hostile post in 江津区 ----
# Its title, text and author name carry markup, an attribute break-out and a
# spreadsheet formula; its URL is javascript:, so it must not become a link.
cp "$DATA/good.ndjson" "$T/posts.ndjson"
printf '%s\n' '{"platform":"weibo","post_id":"5206412345679999","url":"javascript:alert(document.cookie)","author_id":"6666","author_name":"<script>alert(\"a\")</script>\"><img src=x onerror=alert(1)>","ip_location":"发布于 重庆","created_at":"2025-09-10T09:00:00+08:00","title":"<script>alert(1)</script>\"><img src=x onerror=alert(1)> =HYPERLINK(\"http://evil.example\",\"点我\")","text":"江津区科技馆 #千万IP创科普# <script>alert(2)</script> \"><img src=x onerror=alert(1)> =HYPERLINK(\"http://evil.example\")","topics":["千万IP创科普"],"likes":99999,"comments":5000,"shares":3000,"first_seen":"2025-09-10T10:00:00+08:00","last_seen":"2025-09-10T10:00:00+08:00"}' >>"$T/posts.ndjson"
status "import posts with the hostile one" 0 kepu --db "$T/x.db" import "$T/posts.ndjson"
check "hostile post kept" has "$T/err" "8 new"
# a source whose collection failed, so the data-quality table shows an error
printf '{"sources": [{"name": "weibo-down", "platform": "weibo", "base_url": "http://127.0.0.1:9", "retries": 0, "timeout_s": 2}]}' >"$T/down.json"
kepu --config "$T/down.json" --db "$T/x.db" collect >/dev/null 2>&1

H=$T/report.html
status "report --format html" 0 kepu --db "$T/x.db" report --format html -o "$H"
check "html written" test -s "$H"
status "report --format html to stdout" 0 kepu --db "$T/x.db" report --format html
# the two differ only in the clock (generated at, and engagement as of now)
noclock() { sed 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]//g; s/[0-9]\{1,2\}月[0-9]\{1,2\}日 [0-9][0-9]:[0-9][0-9]//g' "$1"; }
noclock "$T/out" >"$T/out.nc"
noclock "$H" >"$T/file.nc"
check "stdout page equals the file but for the clock" cmp -s "$T/out.nc" "$T/file.nc"

# ---- the page ----
check "doctype" sh -c "head -n 1 '$H' | grep -q '^<!DOCTYPE html>'"
check "lang zh-CN" has "$H" '<html lang="zh-CN">'
check "charset utf-8" has "$H" '<meta charset="utf-8">'
for id in overview leaderboard groups platforms trend top-works hashtags data-quality notes; do
	check "section $id" has "$H" "<section id=\"$id\">"
done
check "no authors section on the city page" sh -c "! grep -q 'id=\"authors\"' '$H'"
for h in 总览 区县排行 平台 趋势 热门作品 话题 数据质量; do
	check "heading $h" has "$H" "<h2>$h</h2>"
done
check "leaderboard table" has "$H" 'id="leaderboard-table"'
sed -n 's/.*"id": *"\([^"]*\)", *"name": *"\([^"]*\)", *"kind".*/\1 \2/p' config/districts.json >"$T/units"
check "gazetteer has 41 units" lines "$T/units" 41
missing=0
while read -r code name; do
	grep -q "<tr[^>]*data-code=\"$code\"><td class=\"rank\"[^>]*>[0-9]*</td><td data-v=\"$name\"><b>$name</b>" "$H" || {
		echo "    leaderboard row missing: $code $name"
		missing=$((missing + 1))
	}
done <"$T/units"
check "every unit has a leaderboard row" test "$missing" -eq 0
check "41 ranked rows" sh -c "[ \$(grep -c '<tr[^>]*data-code=\"[^\"]' '$H') -eq 41 ]"
check "unknown-unit row" has "$H" "重庆（区县未知）"
check "units without works share the last rank" sh -c "grep -o '<tr class=\"zero\" data-code=\"[^\"]*\"><td class=\"rank\" data-v=\"[0-9]*\"' '$H' | sed 's/.*data-v=//' | sort -u | wc -l | grep -qx 1"
check "no unit code shown in the leaderboard (data files keep it)" sh -c "! grep -q '<td data-v=\"500116\">500116</td>' '$H' && ! grep -q '>代码</th>' '$H'"
check "互动量 column" grep -q 'data-key="interactions"' "$H"
check "a unit without posts marked 需关注" sh -c "grep 'data-code=\"500101\"' '$H' | grep -q '需关注'"
check "a unit with posts not marked" sh -c "! grep 'data-code=\"500116\"' '$H' | grep -q '需关注'"
check "units covered x/41" sh -c "grep -q '覆盖区县' '$H' && grep -q '<small> / 41</small>' '$H'"
check "sparkline per unit" sh -c "[ \$(grep -c '<svg class=\"spark\"' '$H') -eq 41 ]"
# rank, name, posts, authors, six counts, 互动量, index, avg, share, daily, best (no 升降 and 指数变化:
# the window is the campaign's, so there is no previous period to move against)
check "sortable headers carry keys" sh -c "[ \$(grep -o '<th class=\"sort[^\"]*\" tabindex=\"0\" data-key=' '$H' | wc -l) -eq 16 ]"
check "trend chart" has "$H" '<svg class="chart" id="trend-chart"'
check "trend axis has dates (9月1日, for people)" has "$H" '>9月1日</text>'
check "hashtag listed" has "$H" '>#科普之光#<'
check "attribution labels" has "$H" "作者名称（机构）"
check "source with its last error" sh -c "grep -q '>weibo-down<' '$H' && grep -q '从未成功' '$H'"
# a count the platform does not give is "—", never 0: Weibo has no views
check "weibo views shown as —" sh -c "grep '<b>微博</b>' '$H' | grep -q 'data-v=\"\" title=\"平台不提供该项数据\">—<'"
check "lower bound shown with +" has "$H" '>100,000+</td>'
check "exact value in data-v" has "$H" 'data-v="100000"'
check "print stylesheet: portrait A4 with page numbers" sh -c "grep -q '@media print' '$H' && grep -q '@page{size:A4 portrait' '$H' && grep -q 'counter(page)' '$H'"
check "print: the sections flow (no page break before each)" sh -c "! grep -q 'break-before:page' '$H'"
check "print: the leaderboard's crowded columns hidden" grep -q '<style>@media print{#leaderboard-table tr>:nth-last-child(' "$H"

# ---- escaping: the hostile strings appear only as text ----
check "script escaped" has "$H" '&lt;script&gt;alert(1)&lt;/script&gt;'
check "no live script from a post" sh -c "! grep -q '<script>alert' '$H'"
check "no injected img" sh -c "! grep -qi '<img src=x' '$H'"
check "attribute break-out escaped" has "$H" '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
check "author name escaped" has "$H" '&lt;script&gt;alert(&quot;a&quot;)&lt;/script&gt;'
check "formula shown as text" has "$H" '=HYPERLINK(&quot;http://evil.example&quot;'
check "javascript: URL never linked" sh -c "! grep -qi 'href=\"javascript' '$H'"
check "only the page's own script" sh -c "[ \$(grep -o '<script' '$H' | wc -l) -eq 1 ]"
check "CSP forbids loads" has "$H" "Content-Security-Policy\" content=\"default-src 'none'"
nlinks=$(grep -o '<a href="http[^"]*"' "$H" | wc -l)
nsafe=$(grep -o '<a href="https\{0,1\}://[^"]*" rel="noopener noreferrer"' "$H" | wc -l)
check "posts are linked" test "$nlinks" -gt 0
check "every link http(s) with rel=noopener noreferrer" test "$nlinks" -eq "$nsafe"
check "no other link targets" sh -c "! grep -Eo 'href=\"[^\"]*\"' '$H' | grep -Ev '^href=\"(https?://|#)' | grep -q ."

# ---- self-contained: nothing outside the file ----
check "no src=http" sh -c "! grep -qi 'src=\"http' '$H'"
check "no <link" sh -c "! grep -qi '<link' '$H'"
check "no external url(" sh -c "! grep -Eqi 'url\\( *[\"'\\'']?(https?:)?//' '$H'"
check "no @import" sh -c "! grep -qi '@import' '$H'"
check "no src= at all" sh -c "! grep -Eqi '<(img|script|iframe|link|object|embed|source|video|audio)[^>]* src=' '$H'"

# ---- a unit's page ----
D=$T/district.html
status "report --district 江津区" 0 kepu --db "$T/x.db" report --format html --district 江津区 -o "$D"
check "unit page: authors section" has "$D" '<section id="authors">'
check "unit page: no leaderboard" sh -c "! grep -q 'id=\"leaderboard\"' '$D'"
check "unit page: title names the unit" has "$D" '<title>[^<]*江津区</title>'
for id in overview platforms trend top-works hashtags data-quality; do
	check "unit page: section $id" has "$D" "<section id=\"$id\">"
done
check "unit page: hostile author escaped" has "$D" '&lt;script&gt;alert(&quot;a&quot;)&lt;/script&gt;'
check "unit page: no injected img" sh -c "! grep -qi '<img src=x' '$D'"
status "unknown unit is a usage error" 2 kepu --db "$T/x.db" report --format html --district 火星区

# ---- an empty window ----
E=$T/empty.html
status "report of an empty window" 0 kepu --db "$T/x.db" report --format html --since 2025-09-20 --until 2025-09-21 -o "$E"
for id in overview leaderboard platforms trend top-works hashtags data-quality; do
	check "empty window: section $id" has "$E" "<section id=\"$id\">"
done
check "empty window: says no posts" has "$E" "本期无作品"
check "empty window: still 41 units" sh -c "[ \$(grep -c '<tr[^>]*data-code=\"[^\"]' '$E') -eq 41 ]"

# ---- a larger data set for sorting ----
gen --seed 17 --count 600 >"$T/gen.ndjson"
status "import generated posts" 0 kepu --db "$T/g.db" import "$T/gen.ndjson"
G=$T/gen.html
status "report of generated posts" 0 kepu --db "$T/g.db" report --format html -o "$G"
kepu --db "$T/g.db" report -o "$T/gen.md"
# posts per unit from the Markdown leaderboard: an independent reading
# (Markdown names the unit, not its code: the gazetteer gives the code)
awk -F'|' 'NR == FNR { split($0, a, " "); code[a[2]] = a[1]; next }
	/^## /{ s = ($0 == "## 区县排行") }
	s && $2 ~ /^ [0-9]+ $/ { gsub(/ /, "", $3); gsub(/[ ,]/, "", $4); if ($3 in code) print code[$3], $4 }' \
	"$T/units" "$T/gen.md" >"$T/posts"
check "markdown gives 41 units" lines "$T/posts" 41
maxp=$(sort -k2,2nr "$T/posts" | head -n 1 | cut -d' ' -f2)
minp=$(sort -k2,2n "$T/posts" | head -n 1 | cut -d' ' -f2)

# ---- in headless Chromium ----
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ] && [ "$(id -u)" = 0 ]; then
	echo "html: installing chromium for the browser checks ..."
	apt-get update -qq >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
	CHROME=$(command -v chromium || true)
fi
check "chromium available (apt-get install chromium)" test -n "$CHROME"

# dom URL OUT: the DOM after the page's scripts ran; stderr in OUT.err
dom() {
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$T/chrome" --enable-logging=stderr --v=0 \
		--virtual-time-budget=3000 --dump-dom "$1" >"$2" 2>"$2.err"
}
# the page logs nothing: any console line (an uncaught error, a CSP refusal) is a failure
quiet() {
	grep -E 'Uncaught|CONSOLE[(:]' "$1.err" >"$1.console" || return 0
	head -n 3 "$1.console" | cut -c 1-300 | sed 's/^/    /'
	return 1
}
first_code() { grep -o '<tr[^>]*data-code="[^"]*"' "$1" | head -n 1 | sed 's/.*data-code="\([^"]*\)"/\1/'; }
posts_of() { awk -v c="$1" '$1 == c { print $2 }' "$T/posts"; }

if [ -n "$CHROME" ]; then
	dom "file://$H" "$T/dom.html"
	for id in overview leaderboard platforms trend top-works hashtags data-quality; do
		check "chromium: section $id rendered" has "$T/dom.html" "<section id=\"$id\">"
	done
	check "chromium: script ran to its end" has "$T/dom.html" '<html[^>]*data-js="ok"'
	check "chromium: no console errors" quiet "$T/dom.html"
	check "chromium: hostile text stayed text" sh -c "! grep -qi '<img src=x' '$T/dom.html'"

	dom "file://$G#sort=posts" "$T/dom-posts.html"
	check "chromium: #sort=posts sorted" has "$T/dom-posts.html" 'data-sorted="posts desc"'
	code=$(first_code "$T/dom-posts.html")
	check "chromium: first row has the most posts ($code: $(posts_of "$code"), max $maxp)" \
		test "$(posts_of "$code")" = "$maxp"
	check "chromium: sorting by posts no errors" quiet "$T/dom-posts.html"

	dom "file://$G#sort=posts,posts" "$T/dom-asc.html"
	check "chromium: second click reverses" has "$T/dom-asc.html" 'data-sorted="posts asc"'
	code=$(first_code "$T/dom-asc.html")
	check "chromium: first row then has the fewest posts" test "$(posts_of "$code")" = "$minp"

	dom "file://$G#sort=rank,name,posts,authors,views,likes,comments,shares,favorites,coins,interactions,index,avg,share,daily,best,rank" \
		"$T/dom-all.html"
	check "chromium: every column sorts" has "$T/dom-all.html" 'data-sorted="rank asc"'
	check "chromium: rank order restored" test "$(first_code "$T/dom-all.html")" = "$(first_code "$G")"
	check "chromium: sorting every column no errors" quiet "$T/dom-all.html"
	check "chromium: unknown-unit row stays last" sh -c \
		"grep -o '<tr[^>]*data-code=\"[^\"]*\"' '$T/dom-all.html' | tail -n 1 | grep -q 'data-code=\"\"'"

	dom "file://$D" "$T/dom-district.html"
	check "chromium: unit page authors" has "$T/dom-district.html" '<section id="authors">'
	check "chromium: unit page script ran" has "$T/dom-district.html" '<html[^>]*data-js="ok"'
	check "chromium: unit page no console errors" quiet "$T/dom-district.html"

	# printed: portrait A4, numbered pages, the overview and the leaderboard first, the
	# sections flowing, the leaderboard within the page's width (columns with no room hidden)
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--user-data-dir="$T/chrome" --no-pdf-header-footer --print-to-pdf="$T/print.pdf" "file://$G" >/dev/null 2>&1
	check "print: a PDF" test -s "$T/print.pdf"
	check "print: portrait A4, numbered pages, overview and leaderboard on page 1, sections flowing" \
		/usr/bin/python3 -c "
import re, sys, unicodedata, pypdf
r = pypdf.PdfReader('$T/print.pdf')
n = len(r.pages)
box = r.pages[0].mediabox
ok = abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2
pages = [unicodedata.normalize('NFKC', p.extract_text()) for p in r.pages]
# (the PDF's font maps 页 to a look-alike radical: any character there)
ok = ok and all(re.search('第 %d .[，,]共 %d .' % (i + 1, n), t) for i, t in enumerate(pages))
ok = ok and '总览' in pages[0] and '区县排行' in pages[0] and n <= 14
lb = ''.join(pages[:3])
lb = lb[lb.index('区县排行'):]
lb = lb[:lb.index('分区域排行')] if '分区域排行' in lb else lb
ok = ok and '占比' in lb and '互动量' in lb and '最佳作品' not in lb and '每日作品' not in lb
sys.exit(0 if ok else 1)"

	dom "file://$E#sort=posts" "$T/dom-empty.html"
	for id in overview leaderboard platforms trend top-works hashtags data-quality; do
		check "chromium: empty window section $id" has "$T/dom-empty.html" "<section id=\"$id\">"
	done
	check "chromium: empty window script ran" has "$T/dom-empty.html" '<html[^>]*data-js="ok"'
	check "chromium: empty window no console errors" quiet "$T/dom-empty.html"
fi

summary
