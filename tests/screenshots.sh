#!/bin/sh
# make screenshots: the HTML report of the demo data as PNGs for the docs
# (docs/report.png: the city page; docs/report-district.png: a unit's page)
# and the showcase (docs/showcase-390.png, docs/showcase-1400.png),
# taken with headless Chromium at 1400 px wide.  Builds the demo database
# first if it is missing.  Installs Chromium and the CJK fonts when missing
# and we are root (without the fonts every Chinese character is a box).
#   BUILD     build directory holding kepu (and the demo in $BUILD/demo)
set -eu
BUILD=${BUILD:-build}
DB=$BUILD/demo/kepu.db
OUT=$BUILD/screenshots
UNIT=江津区

[ -f "$DB" ] || BUILD=$BUILD sh tests/demo.sh

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
fc-list 2>/dev/null | grep -q 'CJK SC' || need="$need fonts-noto-cjk"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "screenshots: installing$need"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
	else
		echo "screenshots: missing$need; install with: sudo apt-get install$need" >&2
		exit 1
	fi
fi

mkdir -p "$OUT" docs
# the demo's config names the campaign and the scoring, as `make demo` used them
cfg=""
[ -f "$BUILD/demo/kepu.json" ] && cfg="--config $BUILD/demo/kepu.json"
# shellcheck disable=SC2086
"$BUILD/kepu" $cfg --db "$DB" report --format html -o "$OUT/report.html"
# shellcheck disable=SC2086
"$BUILD/kepu" $cfg --db "$DB" report --format html --district "$UNIT" -o "$OUT/report-district.html"

# shot HTML PNG: a 1400x3000 view of the page's top (Chromium's own stderr is noise)
shot() {
	rm -f "$2"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$OUT/chrome" --hide-scrollbars \
		--force-device-scale-factor=1 --window-size=1400,3000 --virtual-time-budget=3000 \
		--screenshot="$2" "file://$1" >"$OUT/chromium.log" 2>&1 || true
	# a PNG (signature, then IHDR width and height 1400 x 3000) with more
	# bytes than a blank page compresses to
	size=$(wc -c <"$2" 2>/dev/null || echo 0)
	head=$(od -An -tx1 -N24 "$2" 2>/dev/null | tr -d ' \n')
	case $head in
	89504e470d0a1a0a????????49484452000005780000*) ;;
	*) size=0 ;;
	esac
	case $head in
	*00000bb8) ;;
	*) size=0 ;;
	esac
	if [ "$size" -lt 100000 ]; then
		echo "screenshots: $2 is missing, blank or not 1400x3000; chromium said:" >&2
		tail -n 20 "$OUT/chromium.log" >&2
		exit 1
	fi
	echo "screenshots: $2 ($size bytes)"
}
shot "$(pwd)/$OUT/report.html" "$(pwd)/docs/report.png"
shot "$(pwd)/$OUT/report-district.html" "$(pwd)/docs/report-district.png"

# the showcase as the public sees it, at a phone's width and a desktop's:
# ten works from tests/data/showcase_posts.ndjson (written in the shapes
# tests/showcase_test.sh names the sources of) with covers from the fake
# platform server's image servers, featured with captions, published with
# the example config's words, photographed by tests/showcase_check.py
S=$(mktemp -d /tmp/kepu-shots.XXXXXX)
"$BUILD/fakeplatform" --data tests/data/showcase_posts.ndjson --images >"$S/fake.out" 2>"$S/fake.err" &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$S"' EXIT
i=0
while ! grep -q listening "$S/fake.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$S/fake.out")
/usr/bin/python3 - tests/data/showcase_posts.ndjson "$port" "$S/posts.ndjson" <<'PY'
import json, sys, urllib.request
imgs = {(x["platform"], x["post_id"]): x["url"] for x in
        json.load(urllib.request.urlopen("http://127.0.0.1:%s/_control/images" % sys.argv[2]))}
with open(sys.argv[3], "w") as out:
    for p in map(json.loads, open(sys.argv[1], encoding="utf-8")):
        p["cover_url"] = imgs.get((p["platform"], p["post_id"])) or next(u for k, u in imgs.items() if k[0] == p["platform"])
        out.write(json.dumps(p, ensure_ascii=False) + "\n")
PY
python3 -c "import json; c = json.load(open('config/kepu.example.json')); print(json.dumps({'campaign': {'name': '2025年全国科普月'}, 'showcase': {k: v for k, v in c['showcase'].items() if k != 'dir'}}, ensure_ascii=False))" >"$S/kepu.json"
sk() { "$BUILD/kepu" --config "$S/kepu.json" --db "$S/k.db" "$@"; }
sk import -q "$S/posts.ndjson"
sk attribute >/dev/null
note() { sk review feature "$1" --approve --by 宣传处 --note "$2" >/dev/null; }
note douyin:7410000000000000103 "把化石讲活了，播放超过九百万次。"
note douyin:7410000000000000102 "三峡工程的科学，孩子也能看懂。"
note bilibili:BV1xK4y1z7ab "长江大保护的生动一课。"
note weibo:5201000000000106 "文物保护里的多学科科学。"
for p in weibo:5201000000000101 weibo:5201000000000105 bilibili:BV1xK4y1z7ac douyin:7410000000000000108 \
	weibo:5201000000000109 bilibili:BV1xK4y1z7ad; do
	sk review feature "$p" --approve --by 宣传处 >/dev/null
done
sk showcase -o "$S/site" >/dev/null
/usr/bin/python3 -c "
import json; d = json.load(open('$S/site/showcase.json', encoding='utf-8')); units = []
for w in d['works']:
    units += [w['district']] if w['district'] not in units else []
print(json.dumps({'works': len(d['works']), 'covers': sum(1 for w in d['works'] if w['cover']), 'units': units,
                  'base_url': d.get('base_url') or 'https://kepu.example.cn/showcase'}))" >"$S/expect.json"
SHOTS=$(pwd)/docs /usr/bin/python3 tests/showcase_check.py "$S/site" "$S/expect.json" | tail -n 1
for w in 390 1400; do
	[ -s "docs/showcase-$w.png" ] || { echo "screenshots: docs/showcase-$w.png is missing" >&2; exit 1; }
	echo "screenshots: docs/showcase-$w.png ($(wc -c <"docs/showcase-$w.png") bytes)"
done
