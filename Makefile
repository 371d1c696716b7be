# kepu: plain make with pkg-config.
#
#   make              build build/kepu
#   make deps         install the Debian packages kepu needs (as root), or print the command
#   make check        build and run every test
#   make demo         build, generate the demo data, import it, write the report
#   make bench        import throughput and peak memory against a plain Python script
#   make SANITIZE=address,undefined check    the tests under ASan and UBSan
#   make valgrind     the tests under valgrind

CC      ?= cc
PKGS    := libcurl jansson sqlite3 libpcre2-8
DEB_PKGS := libcurl4-openssl-dev libjansson-dev libsqlite3-dev libpcre2-dev libcmocka-dev pkg-config
PKG_CONFIG ?= pkg-config

ifdef SANITIZE
BUILD   ?= build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT     ?= -O1 -g
else
BUILD   ?= build
SANFLAGS :=
OPT     ?= -O2 -g
endif

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Werror
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
           $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS     = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

LIB_SRC := $(wildcard util/*.c config/*.c store/*.c matchers/*.c collector/*.c reports/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit_*.c)
UNIT_BIN := $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%)

KEPU := $(BUILD)/kepu
GEN  := $(BUILD)/kepu-gen

.PHONY: all deps check test demo bench valgrind fuzz clean
.DELETE_ON_ERROR:

all: $(KEPU) $(GEN)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	else \
	  echo "kepu needs Debian packages that are missing. Install them with:"; \
	  echo "  sudo apt-get install$$missing"; exit 1; \
	fi

$(BUILD)/obj/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libkepu.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(KEPU): $(CLI_OBJ) $(BUILD)/libkepu.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libkepu.a $(LIBS)

$(GEN): tests/gen.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libkepu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libkepu.a $(LIBS) $(TEST_LIBS)

$(BUILD)/bench-match: bench/bench_match.c $(BUILD)/libkepu.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libkepu.a $(LIBS)

test: $(KEPU) $(GEN) $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh $(UNIT_BIN)

check: deps
	@$(MAKE) --no-print-directory test

valgrind: deps
	@$(MAKE) --no-print-directory $(KEPU) $(GEN) $(UNIT_BIN)
	@BUILD=$(BUILD) VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp" \
	  sh tests/run.sh $(UNIT_BIN)

DEMO_DIR := $(BUILD)/demo
demo: deps
	@$(MAKE) --no-print-directory $(KEPU) $(GEN)
	@mkdir -p $(DEMO_DIR) && rm -f $(DEMO_DIR)/kepu.db $(DEMO_DIR)/kepu.db-wal $(DEMO_DIR)/kepu.db-shm
	$(GEN) --seed 2025 --count 3000 > $(DEMO_DIR)/posts.ndjson
	$(KEPU) --db $(DEMO_DIR)/kepu.db import $(DEMO_DIR)/posts.ndjson
	$(KEPU) --db $(DEMO_DIR)/kepu.db report -o $(DEMO_DIR)/report.md
	@echo "demo report: $(DEMO_DIR)/report.md"

bench: deps
	@$(MAKE) --no-print-directory $(KEPU) $(GEN) $(BUILD)/bench-match
	@BUILD=$(BUILD) sh bench/bench.sh

# libFuzzer targets (clang), each run FUZZ_SECONDS; corpora in build/fuzz/corpus-*.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang SANITIZE=address,undefined,fuzzer-no-link build/fuzz/libkepu.a
	@for t in $(FUZZ_TARGETS); do \
	  clang -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	    $$($(PKG_CONFIG) --cflags $(PKGS)) -o build/fuzz/$$t fuzz/$$t.c build/fuzz/libkepu.a $(LIBS) || exit 1; \
	  mkdir -p build/fuzz/corpus-$$t; cp tests/data/*.ndjson build/fuzz/corpus-$$t/ 2>/dev/null; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 -artifact_prefix=build/fuzz/ \
	    build/fuzz/corpus-$$t 2>build/fuzz/$$t.log || { tail -n 40 build/fuzz/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|Done' build/fuzz/$$t.log | tr '\n' ' '; echo; \
	done

clean:
	rm -rf build
