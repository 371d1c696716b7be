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

# the showcase as the public sees it, at a phone's width and a desktop's
# (tests/showcase_test.sh: posts written as people write them, covers from
# the fake platform server, checked in Chromium, saved by showcase_check.py)
BUILD=$BUILD SHOTS=$(pwd)/docs sh tests/showcase_test.sh | tail -n 1
for w in 390 1400; do
	[ -s "docs/showcase-$w.png" ] || { echo "screenshots: docs/showcase-$w.png is missing" >&2; exit 1; }
	echo "screenshots: docs/showcase-$w.png ($(wc -c <"docs/showcase-$w.png") bytes)"
done
