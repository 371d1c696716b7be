#!/bin/sh
# make demo: generate realistic posts, serve them from the fake platform
# server, collect every platform with config/kepu.demo.json, write the
# report, stop the server.  Prints where the report is.
set -eu
BUILD=${BUILD:-build}
DIR=$BUILD/demo
mkdir -p "$DIR"
rm -f "$DIR/kepu.db" "$DIR/kepu.db-wal" "$DIR/kepu.db-shm" "$DIR/kepu.db.lock"
"$BUILD/kepu-gen" --seed 2025 --count 3000 >"$DIR/posts.ndjson"
"$BUILD/fakeplatform" --data "$DIR/posts.ndjson" >"$DIR/fake.out" 2>"$DIR/fake.err" &
fake=$!
trap 'kill $fake 2>/dev/null' EXIT INT TERM
i=0
while ! grep -q listening "$DIR/fake.out" && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$DIR/fake.out")
[ -n "$port" ] || { echo "demo: the fake platform server did not start" >&2; cat "$DIR/fake.err" >&2; exit 1; }
sed "s/@PORT@/$port/g" config/kepu.demo.json >"$DIR/kepu.json"
echo "collecting from the fake platforms on 127.0.0.1:$port ..."
"$BUILD/kepu" --config "$DIR/kepu.json" --db "$DIR/kepu.db" collect --verbose 2>"$DIR/collect.log" || {
	echo "demo: collection failed:" >&2
	cat "$DIR/collect.log" >&2
	exit 1
}
tail -n 1 "$DIR/collect.log"
"$BUILD/kepu" --db "$DIR/kepu.db" runs -n 1
"$BUILD/kepu" --config "$DIR/kepu.json" --db "$DIR/kepu.db" report -o "$DIR/report.md"
echo "demo report: $DIR/report.md"
