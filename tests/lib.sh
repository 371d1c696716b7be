# lib.sh: what the shell test suites share (sourced, not run).
# Each suite sets NAME before sourcing; it ends with `NAME: N passed, N failed`.
#   BUILD     build directory holding kepu, kepu-gen and fakeplatform
#   VALGRIND  optional command prefix (make valgrind)
BUILD=${BUILD:-build}
DATA=tests/data
T=$(mktemp -d /tmp/kepu-test.XXXXXX)
passed=0
failed=0
FAKE_PID=

cleanup() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

kepu() { ${VALGRIND:-} "$BUILD/kepu" "$@"; }
gen() { "$BUILD/kepu-gen" "$@"; }
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check NAME CONDITION...: passes when the condition (a command) succeeds
check() {
	name=$1
	shift
	if "$@"; then ok; else bad "$name"; fi
}
# status NAME WANT CMD...: run CMD (output in $T/out, $T/err), compare its exit status
status() {
	name=$1
	want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$name: exit status $got, want $want"
		sed 's/^/    /' "$T/err" | head -n 5
	fi
}
has() { grep -q -e "$2" "$1"; }
lines() { [ "$(grep -c '' "$1")" -eq "$2" ]; }

# listening_port FILE: wait (5 s at most) for a server's `listening on
# 127.0.0.1:PORT` line in FILE and print PORT (nothing if it never came)
listening_port() {
	i=0
	while ! grep -q listening "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$1"
}

# start_fake ARGS...: the fake platform server on an ephemeral port ($PORT)
start_fake() {
	[ -n "$FAKE_PID" ] && stop_fake
	: >"$T/fake.out"
	"$BUILD/fakeplatform" "$@" >"$T/fake.out" 2>"$T/fake.err" &
	FAKE_PID=$!
	PORT=$(listening_port "$T/fake.out")
	[ -n "$PORT" ] || { echo "fakeplatform did not start:"; cat "$T/fake.err"; }
}
stop_fake() {
	kill "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}

summary() {
	echo "$NAME: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
