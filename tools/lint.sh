#!/bin/sh
# tools/lint.sh: the house rules a compiler does not check (make lint; make
# check runs it).  Ends with `lint: N passed, N failed`.
#   1. include directions: a part includes only the parts below it
#      (ARCHITECTURE.md; the allow-list is below);
#   2. banned functions: strcpy strcat sprintf vsprintf gets atoi atol
#      strtok system popen tmpnam mktemp;
#   3. printing outside cli/: only cli/ writes to stdout or stderr;
#   4. exported symbols carry their module's prefix (nm on the library);
#   5. functions over 100 lines are listed (reported, not failed).
#   BUILD  the build directory holding libkepu.a
set -u
BUILD=${BUILD:-build}
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "lint: $*"; }

# 1. include directions: part -> the parts it may include
allowed() {
	case $1 in
	util) echo "" ;;
	model) echo "util" ;;
	matchers) echo "util model" ;;
	config) echo "util model matchers" ;;
	store) echo "util model" ;;
	collector) echo "util model config matchers store" ;;
	reports) echo "util model config matchers store" ;;
	rules) echo "util model config matchers store" ;;
	# web/ is a front like cli/ (ARCHITECTURE.md); it reaches collector/
	# for covers.h alone: the workspace downloads the queue's covers
	web) echo "util model config matchers store collector reports rules" ;;
	cli) echo "util model config matchers store collector reports rules web" ;;
	*) echo "?" ;;
	esac
}
for part in util model matchers config store collector reports rules web cli; do
	may=$(allowed "$part")
	for f in "$part"/*.c "$part"/*.h; do
		[ -e "$f" ] || continue
		for inc in $(sed -n 's|^#include "\.\./\([a-z]*\)/.*|\1|p' "$f" | sort -u); do
			case " $may " in
			*" $inc "*) ok ;;
			*) bad "$f includes $inc/ (allowed for $part/: ${may:-nothing})" ;;
			esac
		done
	done
done

# web/ takes nothing of collector/ but the covers
hits=$(grep -n '#include "\.\./collector/' web/*.c web/*.h 2>/dev/null | grep -v 'collector/covers\.h"')
if [ -n "$hits" ]; then
	bad "web/ includes collector/ beyond covers.h:"
	echo "$hits" | sed 's/^/    /'
else
	ok
fi

# 2. banned functions
hits=$(grep -nE '(^|[^a-z_0-9])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|system|popen|tmpnam|mktemp)\(' \
	util/*.c model/*.c matchers/*.c config/*.c store/*.c collector/*.c reports/*.c rules/*.c web/*.c cli/*.c tests/*.c fuzz/*.c bench/*.c 2>/dev/null)
if [ -n "$hits" ]; then
	bad "banned functions:"
	echo "$hits" | sed 's/^/    /'
else
	ok
fi

# 3. printing outside cli/
hits=$(grep -nE '(stdout|stderr|[^a-z_]printf\(|[^a-z_]puts\(|perror\()' \
	util/*.c model/*.c matchers/*.c config/*.c store/*.c collector/*.c reports/*.c rules/*.c web/*.c 2>/dev/null)
if [ -n "$hits" ]; then
	bad "printing outside cli/ (report through the caller's callback or FILE *):"
	echo "$hits" | sed 's/^/    /'
else
	ok
fi

# 4. exported symbols and their module's prefixes
prefixes() {
	case $1 in
	util) echo "afile_ arena_ kbuf_ kclock_ kcount_ csv_guard_ kerr_ html_ human_ jsonw_ passwd_ redact_ ktime_ utf8_" ;;
	model) echo "platform post_ review_state_ nplatforms role_ user_" ;;
	config) echo "config_ gazetteer_ places_ source_field_names" ;;
	matchers) echo "district_ flags_ tags_ text_normalize regex_" ;;
	store) echo "store_ review_chain_existing" ;;
	collector) echo "adapter_ bili_ weibo_ collect_ covers_ import_ ingest_ http_ json_taint_ page_pos_ fields_" ;;
	reports) echo "report_ featured_ showcase_ export_ esc_ out_ jf_ work_ xlsx_ summary_" ;;
	rules) echo "rules_" ;;
	web) echo "web_" ;;
	gen) echo "config_ web_" ;;
	cli) echo "cli_ cmd_ jsonl_ main" ;;
	esac
}
if [ -f "$BUILD/libkepu.a" ]; then
	for o in "$BUILD"/obj/*/*.o; do
		part=$(basename "$(dirname "$o")")
		pre=$(prefixes "$part")
		# the sanitizers' own symbols (__odr_asan.NAME, __asan_*) are not ours
		for sym in $(nm --defined-only -g "$o" 2>/dev/null | awk '$3 !~ /^__(odr_)?asan/ {print $3}'); do
			good=0
			for p in $pre; do
				case $sym in "$p"*) good=1 ;; esac
			done
			if [ $good -eq 1 ]; then ok; else bad "$o exports '$sym' without a prefix of $part/ ($pre)"; fi
		done
	done
else
	bad "no $BUILD/libkepu.a to check exported symbols (build first)"
fi

# 5. long functions (a report, not a failure)
awk 'FNR == 1 { name = ""; start = 0 }
     /^[a-z].*\(/ && !/;$/ { name = $0; start = FNR }
     /^}/ && start { if (FNR - start > 100) printf "    %s:%d: %d lines: %s\n", FILENAME, start, FNR - start, substr(name, 1, 60); start = 0 }' \
	util/*.c model/*.c matchers/*.c config/*.c store/*.c collector/*.c reports/*.c rules/*.c web/*.c cli/*.c >"${TMPDIR:-/tmp}/kepu-lint-long.$$"
if [ -s "${TMPDIR:-/tmp}/kepu-lint-long.$$" ]; then
	echo "lint: functions over 100 lines (to split when next touched):"
	cat "${TMPDIR:-/tmp}/kepu-lint-long.$$"
fi
rm -f "${TMPDIR:-/tmp}/kepu-lint-long.$$"

echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
