#!/bin/sh
# kepu summary: one unit's and every unit's and the city's Word files and
# PDFs, read back with python-docx, pdftotext and pypdf and checked against
# `kepu report --format json` (tests/summary_check.py), with and without
# campaign.targets; the Word files converted by LibreOffice (installed here
# as root when missing); the formats, the template, hostile titles,
# refusals.  Ends with `summary: N passed, N failed`.
set -u
NAME=summary
. tests/lib.sh

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo python3)
stem="500116-江津区"

gen --seed 5 --count 3000 >"$T/posts.ndjson"
kepu --db "$T/s.db" import -q "$T/posts.ndjson"
status "one unit" 0 kepu --db "$T/s.db" summary --district 江津区 --date 2025-09-22 -o "$T/one"
check "one unit: its Word file and its PDF only" sh -c "[ \"\$(ls '$T/one' | tr '\n' ' ')\" = '$stem.docx $stem.pdf ' ]"
check "one unit: the files named on standard output" has "$T/out" "$T/one/$stem.pdf (. pages)"
status "report json, the unit" 0 kepu --db "$T/s.db" report --format json --district 江津区 -o "$T/jj.json"
status "report json, the city" 0 kepu --db "$T/s.db" report --format json -o "$T/city.json"
status "every unit and the city" 0 kepu --db "$T/s.db" summary --date 2025-09-22 -o "$T/all"
check "every unit: a line on standard output" has "$T/out" "^summary: 42 of 42 summaries written"

# ---- targets (campaign.targets): the city's (no 互动量), every unit's works,
# two units' own; T/tg checked by summary_check.py against the report's JSON
printf '%s\n' '{"campaign": {"targets": {"posts": 2500, "views": 500000000, "per_unit": {"posts": 70},' \
	'  "units": {"江津区": {"views": 5000000}, "500101": {"interactions": 300000}}}}}' >"$T/tg.json"
status "targets: report json, the unit" 0 kepu --config "$T/tg.json" --db "$T/s.db" report --format json --district 江津区 -o "$T/tg-jj.json"
status "targets: report json, the city" 0 kepu --config "$T/tg.json" --db "$T/s.db" report --format json -o "$T/tg-city.json"
status "targets: every unit and the city" 0 kepu --config "$T/tg.json" --db "$T/s.db" summary --date 2025-09-22 -o "$T/tg"

# ---- LibreOffice opens the Word files: converted headless to PDF (T/lo/*),
# whose text summary_check.py reads.  Installed here as root when missing
# (libreoffice-writer-nogui: 82 MB to download), as web_test.sh installs
# Chromium; otherwise a FAIL that says how to install it.
if ! command -v soffice >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	echo "summary: installing libreoffice-writer-nogui for the LibreOffice check ..."
	apt-get update -qq >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null 2>&1
fi
if command -v soffice >/dev/null 2>&1; then
	for doc in "$T/one/$stem.docx" "$T/all/500000-重庆市.docx" "$T/tg/500000-重庆市.docx"; do
		dir="$T/lo/$(basename "$(dirname "$doc")")"
		base=$(basename "$doc" .docx) # not $name: check and status set it
		# a fresh profile: no first-start dialogue, nothing recovered from an earlier run;
		# without VALGRIND (make valgrind's prefix for kepu), which soffice's launcher
		# reads as the name of a valgrind tool to run LibreOffice under
		status "LibreOffice converts $doc" 0 timeout 300 env -u VALGRIND soffice -env:UserInstallation="file://$T/lo-profile" \
			--headless --norestore --convert-to pdf --outdir "$dir" "$doc"
		grep -v -i -e '^convert ' -e javaldx "$T/out" "$T/err" >"$T/lo.said"
		check "LibreOffice: nothing said but the conversion ($doc)" sh -c "! grep -q . '$T/lo.said'"
		sed 's/^/    soffice: /' "$T/lo.said" | head -n 5
		check "LibreOffice: a PDF of $doc" test -s "$dir/$base.pdf"
	done
else
	bad "LibreOffice: soffice is missing; install it with: sudo apt-get install --no-install-recommends libreoffice-writer-nogui"
fi
"$PY" tests/summary_check.py "$T" >"$T/check.out" 2>&1
while read -r verdict rest; do
	case $verdict in
	ok) ok ;;
	FAIL) bad "$rest" ;;
	*) bad "summary_check.py: $verdict $rest" ;;
	esac
done <"$T/check.out"
check "summary_check.py ran its checks" sh -c "[ \$(grep -c '^ok\|^FAIL' '$T/check.out') -ge 50 ]"

# ---- formats, the date, the window ----
status "--format docx" 0 kepu --db "$T/s.db" summary --district 500116 --format docx -o "$T/d"
check "--format docx: no PDF" sh -c "[ \"\$(ls '$T/d')\" = '$stem.docx' ]"
status "--format pdf" 0 kepu --db "$T/s.db" summary --district cq-wansheng --format pdf -o "$T/p"
check "--format pdf: no Word file; a zone's code as is" sh -c "[ \"\$(ls '$T/p')\" = 'cq-wansheng-万盛经开区.pdf' ]"
check "no date given: today's" sh -c "pdftotext '$T/p/cq-wansheng-万盛经开区.pdf' - | grep -q \"\$(TZ=Asia/Shanghai date +%Y年%-m月%-d日)\""
status "--since/--until/--as-of" 0 kepu --db "$T/s.db" summary --district 江津区 --since 2025-09-05 --until 2025-09-06 \
	--as-of 2025-10-01 --format pdf -o "$T/w"
check "the window in the period line" sh -c "pdftotext '$T/w/$stem.pdf' - | tr -d ' \n' | grep -q '统计时段：2025年9月5日至9月6日；数据截至2025年10月1日23:59'"

# ---- the template ----
printf '{"summary": {"template": "%s"}}' "$T/t.json" >"$T/c.json"
printf '{"title": "{unit}活动总结（测试）", "issuer": "{unit}科协", "date": "2025-09-20", "works_unit": 2}' >"$T/t.json"
status "template: staff's wording" 0 kepu --config "$T/c.json" --db "$T/s.db" summary --district 江津区 -o "$T/tpl"
check "template: title, issuer, date and works from the file" "$PY" -c "
import docx, sys
d = docx.Document(sys.argv[1])
p = [x.text for x in d.paragraphs]
assert p[0] == '江津区活动总结（测试）', p[0]
assert p[-2:] == ['江津区科协', '2025年9月20日'], p[-2:]
assert len(d.tables[-1].rows) == 3, len(d.tables[-1].rows)
assert '一、活动开展情况' in p, p
" "$T/tpl/$stem.docx"
check "template: the PDF says the same" sh -c "pdftotext '$T/tpl/$stem.pdf' - | grep -q '江津区活动总结（测试）'"
printf '{"summary": {"template": "%s"}, "campaign": {"targets": {"per_unit": {"posts": 1000}}}}' "$T/t.json" >"$T/ct.json"
printf '{"targets": "本期目标：{list}！", "target_item": "{figure}{done}/{target}={progress}"}' >"$T/t.json"
status "template: the targets' wording" 0 kepu --config "$T/ct.json" --db "$T/s.db" summary --district 江津区 -o "$T/tpt"
check "template: the targets' sentence from the file" "$PY" -c "
import json, re, subprocess, sys
n = json.load(open(sys.argv[2]))['totals']['posts']
want = f'本期目标：作品数{n}件/1000件={100.0 * n / 1000:.1f}%！'
text = re.sub(r'\s+', '', subprocess.run(['pdftotext', sys.argv[1], '-'], capture_output=True).stdout.decode())
assert n < 10000 and want in text, want
" "$T/tpt/$stem.pdf" "$T/jj.json"
printf '{"target_item": "{figure}{pct}"}' >"$T/t.json"
status "template: a placeholder target_item may not use" 2 kepu --config "$T/ct.json" --db "$T/s.db" summary -o "$T/x"
check "template: target_item's placeholders named" has "$T/err" "target_item: unknown placeholder {pct} (this key may use: figure progress target done)"
printf '{"target_units_item": "{unit}"}' >"$T/t.json"
status "template: a placeholder target_units_item may not use" 2 kepu --config "$T/ct.json" --db "$T/s.db" summary -o "$T/x"
check "template: target_units_item's placeholders named" has "$T/err" "target_units_item: unknown placeholder {unit} (this key may use: figure set met)"
# the city's targets alone: a unit's summary says nothing of targets
printf '{"campaign": {"targets": {"posts": 2500}}}' >"$T/cc.json"
status "targets: the city's only" 0 kepu --config "$T/cc.json" --db "$T/s.db" summary --district 江津区 -o "$T/cc"
check "targets: the city's only, none in a unit's Word file" "$PY" -c "
import docx, sys
d = docx.Document(sys.argv[1])
text = [p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells]
assert not [x for x in text if '目标' in x or '完成率' in x], [x for x in text if '目标' in x]
assert len(d.tables[0].columns) == 4, len(d.tables[0].columns)
" "$T/cc/$stem.docx"
check "targets: the city's only, none in a unit's PDF" sh -c "! pdftotext '$T/cc/$stem.pdf' - | grep -q '目标\\|完成率'"
printf '{"title": "{unti}"}' >"$T/t.json"
status "template: unknown placeholder" 2 kepu --config "$T/c.json" --db "$T/s.db" summary -o "$T/x"
check "template: the key and the placeholder named" has "$T/err" "summary.template: .*t.json: title: unknown placeholder {unti}"
printf '{"titel": "x"}' >"$T/t.json"
status "template: unknown key" 2 kepu --config "$T/c.json" --db "$T/s.db" summary -o "$T/x"
check "template: a typo suggested" has "$T/err" "titel: unknown key (did you mean 'title'?)"
printf '{"works_unit": 0}' >"$T/t.json"
status "template: works_unit out of range" 2 kepu --config "$T/c.json" --db "$T/s.db" summary -o "$T/x"
printf '{"date": "22 September"}' >"$T/t.json"
status "template: a bad date" 2 kepu --config "$T/c.json" --db "$T/s.db" summary -o "$T/x"
rm -f "$T/t.json"
status "template: a missing file" 2 kepu --config "$T/c.json" --db "$T/s.db" summary -o "$T/x"
check "template: the missing file named with its key" has "$T/err" "summary.template: .*t.json: cannot open"
printf '{"summary": {"templat": "x"}}' >"$T/c.json"
status "config: summary.templat" 2 kepu --config "$T/c.json" --db "$T/s.db" summary -o "$T/x"
check "config: did you mean template" has "$T/err" "summary.templat: unknown key (did you mean 'template'?)"
check "nothing written on a bad template" test ! -e "$T/x"

# ---- hostile titles: markup, controls, bidi overrides, emoji ----
printf '%s\n' '{"platform":"weibo","post_id":"h1","created_at":"2025-09-03 10:00","title":"<w:p>]]>&amp; \u0001\u0007 \u202eevil 🚀 \"q\" 江津","text":"#千万IP创科普# 江津区","author_name":"@evil<b>","url":"https://m.weibo.cn/detail/h1?a=1&b='"'"'q'"'"'","likes":99999}' >"$T/h.ndjson"
kepu --db "$T/h.db" import -q "$T/h.ndjson"
status "hostile titles" 0 kepu --db "$T/h.db" summary --district 江津区 -o "$T/h"
check "hostile titles: the Word file is well-formed, the text as text" "$PY" -c "
import docx, sys, zipfile
from xml.dom import minidom
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith('.xml') or n.endswith('.rels'):
        minidom.parseString(z.read(n))
body = z.read('word/document.xml').decode()
assert '&lt;w:p&gt;]]&gt;&amp; ' in body, 'title not escaped (its entity decoded once, as every title people read)'
assert '\x01' not in body and '\x07' not in body and '\u202e' not in body and '\U0001f680' not in body
assert '@evil&lt;b&gt;' in body
rels = z.read('word/_rels/document.xml.rels').decode()
assert 'Target=\"https://m.weibo.cn/detail/h1?a=1&amp;b=&apos;q&apos;\"' in rels, rels
" "$T/h/$stem.docx"
check "hostile titles: the PDF shows the text" sh -c "pdftotext '$T/h/$stem.pdf' - | grep -q '<w:p>]]>& '"

# ---- writing ----
echo keep >"$T/victim"
rm -f "$T/one/$stem.pdf"
ln -s "$T/victim" "$T/one/$stem.pdf"
status "a symlink at the target" 0 kepu --db "$T/s.db" summary --district 江津区 --format pdf -o "$T/one"
check "the symlink replaced, its target untouched" sh -c "[ ! -L '$T/one/$stem.pdf' ] && [ \"\$(cat '$T/victim')\" = keep ]"
check "no temporary file left" sh -c "! ls -A '$T/one' | grep -q '^\\.'"

# ---- refusals ----
status "no -o" 2 kepu --db "$T/s.db" summary
status "unknown unit" 2 kepu --db "$T/s.db" summary --district 成都 -o "$T/u"
check "unknown unit named" has "$T/err" "no unit '成都'"
status "bad --format" 2 kepu --db "$T/s.db" summary --format odt -o "$T/u"
status "bad --as-of" 2 kepu --db "$T/s.db" summary --as-of yesterday -o "$T/u"
status "bad --date" 2 kepu --db "$T/s.db" summary --date 22/09/2025 -o "$T/u"
status "-o a file" 1 kepu --db "$T/s.db" summary --district 江津区 -o "$T/posts.ndjson"
check "-o a file: said why" has "$T/err" "Not a directory"

summary
