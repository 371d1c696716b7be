#!/bin/sh
# Runs every test program and the CLI tests, then prints one closing line
# `N passed, N failed` over all of them.  Exit status 0 only if none failed.
#   BUILD     build directory (build, build/san)
#   VALGRIND  a command prefix to run every binary under (make valgrind)
set -u
BUILD=${BUILD:-build}
passed=0
failed=0
for t in "$@"; do
	out=$(${VALGRIND:-} "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$t: exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
for script in tests/*_test.sh; do
	name=$(basename "$script" _test.sh)
	out=$(BUILD="$BUILD" sh "$script" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed\$/\1/p" | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n "s/^$name: \([0-9]*\) passed, \([0-9]*\) failed\$/\2/p" | tail -n 1)
	if [ -z "$p" ]; then
		echo "$script: no summary (exit status $rc)"
		p=0
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
out=$(BUILD="$BUILD" sh tools/lint.sh 2>&1)
printf '%s\n' "$out"
p=$(printf '%s\n' "$out" | sed -n 's/^lint: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -n 1)
f=$(printf '%s\n' "$out" | sed -n 's/^lint: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -n 1)
[ -n "$p" ] || { echo "tools/lint.sh: no summary"; p=0; f=1; }
passed=$((passed + p))
failed=$((failed + f))
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
