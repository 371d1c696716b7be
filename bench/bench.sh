#!/bin/sh
# make bench: every benchmark, figures only (no timing is asserted anywhere).
set -e
BUILD=${BUILD:-build}
if ! command -v python3 >/dev/null 2>&1; then
	echo "bench: python3 is needed for the comparison (apt-get install python3)" >&2
	exit 1
fi
python3 bench/bench.py --build "$BUILD"
echo
"$BUILD/bench-match" "$BUILD/bench/posts.ndjson" 3
