# openplan — build, run, test, benchmark.
#   make          build $(B)/openplan
#   make run      install what is missing, build, serve the demo on :8080
#   make check    build and run every test (unit, HTTP end-to-end, browser),
#                 also under AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench    benchmarks (wrk; nginx serving the same bytes for a ratio)
#   make fuzz     every libFuzzer harness (tests/fuzz) for FUZZ_TIME seconds
#                 each (default 120); make check runs each for 3 seconds
#   make bench-pg PostgreSQL against SQLite; live polls on two nodes behind HAProxy

B        ?= build
CC       ?= cc
PKGS     := libmicrohttpd sqlite3 libpq libsodium jansson libutf8proc md4c-html xlsxwriter \
            libqrencode libcurl
CFLAGS   ?= -O2 -g
WARN     := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
            -Wno-missing-field-initializers
DEFS     := -D_GNU_SOURCE -Isrc -I$(B)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS     = $(PKG_LIBS) -lstemmer -lpthread -lm
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC      := $(sort $(wildcard src/*/*.c src/*/*/*.c))
HDRS     := $(wildcard src/*/*.h src/*/*/*.h)
LIB_OBJ  := $(SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/embedded.o
SAN_OBJ  := $(SRC:src/%.c=$(B)/san/%.o) $(B)/san/embedded.o
TESTS    := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TESTS:tests/unit/%.c=$(B)/tests/%)
SAN_TEST := $(TESTS:tests/unit/%.c=$(B)/san-tests/%)

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang against the
# sources compiled for fuzzing and packed in an archive, so a harness that
# supplies a symbol itself (fuzz_template: the embedded files) wins.
FUZZ_CC   ?= clang
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZERS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZERS:tests/fuzz/%.c=$(B)/fuzz/%)
FUZZ_OBJ  := $(SRC:src/%.c=$(B)/fuzz/obj/%.o) $(B)/fuzz/obj/embedded.o
FUZZ_TIME ?= 120

TEMPLATES  := $(sort $(wildcard src/web/templates/*.html src/features/*/templates/*.html \
                src/features/*/templates/*.txt))
PO         := $(sort $(wildcard src/web/po/*.po src/features/*/po/*.po))
# Migrations: the core's and every feature's (numbers are global; see
# src/store/migrate.c). Folders that do not exist yet match nothing.
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql src/features/*/migrations/*.sql))
CSS_SRC    := node_modules/@rijkshuisstijl-community/design-tokens/dist/index.css \
              node_modules/@rijkshuisstijl-community/components-css/dist/index.css \
              src/web/static/app.css
SCRIPTS    := $(sort $(wildcard src/web/static/*.js src/features/*/static/*.js))
OPENAPI    := $(sort $(wildcard src/web/openapi.json src/features/*/openapi.json))
EMBED      := $(TEMPLATES) $(PO) $(MIGRATIONS) $(SCRIPTS) $(OPENAPI) src/app/common_passwords.txt

.PHONY: all deps run check unit e2e browser bench bench-polls bench-pg fuzz clean
all: $(B)/openplan

deps:
	@scripts/install-deps.sh

$(B)/embed: tools/embed.c
	@mkdir -p $(B)
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

$(CSS_SRC): | node_modules/.openplan-lock
node_modules/.openplan-lock: package-lock.json
	@scripts/install-deps.sh

$(B)/app.css: $(CSS_SRC)
	@mkdir -p $(B)
	cat $^ > $@

$(B)/embedded.c: $(B)/embed $(EMBED) $(B)/app.css Makefile
	$(B)/embed $@ $(foreach f,$(EMBED),$(f:src/%=%)=$(f)) static/app.css=$(B)/app.css

$(B)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<
$(B)/obj/embedded.o: $(B)/embedded.c
	$(CC) $(WARN) $(DEFS) $(CFLAGS) -O0 -c -o $@ $<
$(B)/san/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) -O1 -g $(SAN) -c -o $@ $<
$(B)/san/embedded.o: $(B)/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O0 -c -o $@ $<

$(B)/openplan: $(LIB_OBJ) $(B)/obj/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)
$(B)/obj/main.o: src/main.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<
$(B)/san/openplan: $(SAN_OBJ) $(B)/san/main.o
	$(CC) $(SAN) -o $@ $^ $(LIBS)
$(B)/san/main.o: src/main.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) -O1 -g $(SAN) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB_OBJ)
	@mkdir -p $(B)/tests
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS) -lcmocka
$(B)/san-tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(SAN_OBJ)
	@mkdir -p $(B)/san-tests
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) -O1 -g $(SAN) -o $@ $< $(SAN_OBJ) $(LIBS) -lcmocka

$(B)/fuzz/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<
$(B)/fuzz/obj/embedded.o: $(B)/embedded.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(DEFS) -O0 -c -o $@ $<
$(B)/fuzz/libopenplan.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^
$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/html_check.h $(B)/fuzz/libopenplan.a
	$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< \
		$(B)/fuzz/libopenplan.a $(LIBS)

fuzz: deps $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p $(B)/fuzz/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_TIME) s"; \
	  ASAN_OPTIONS=detect_leaks=1 $$f -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	      $(B)/fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

run: deps $(B)/openplan
	@if [ ! -f openplan.db ]; then $(B)/openplan init --db openplan.db && $(B)/openplan demo --db openplan.db; fi
	$(B)/openplan serve --db openplan.db --listen 127.0.0.1:8080

check: deps $(B)/openplan $(B)/san/openplan $(TEST_BIN) $(SAN_TEST) $(FUZZ_BIN)
	@B=$(B) tests/run.sh

bench: deps $(B)/openplan $(B)/polls_load
	@B=$(B) bench/run.sh

# The live-poll load tool (bench/polls_load.c) and its run on its own:
#   make bench-polls PARTICIPANTS=5000 SECONDS=30 RATE=2000
$(B)/polls_load: bench/polls_load.c
	@mkdir -p $(B)
	$(CC) -std=c17 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE $(shell pkg-config --cflags jansson) -o $@ $< $(shell pkg-config --libs jansson)
bench-polls: $(B)/openplan $(B)/polls_load
	@B=$(B) POLL_PARTICIPANTS=$(PARTICIPANTS) POLL_SECONDS=$(SECONDS) POLL_RATE=$(RATE) bench/polls.sh

# PostgreSQL against SQLite (signed-in home page, consultation results),
# then live polls through HAProxy on two nodes (bench/pg.sh):
#   make bench-pg [PARTICIPANTS=5000 SECONDS=30 RATE=2000]
bench-pg: deps $(B)/openplan $(B)/polls_load
	@B=$(B) POLL_PARTICIPANTS=$(PARTICIPANTS) POLL_SECONDS=$(SECONDS) POLL_RATE=$(RATE) bench/pg.sh

clean:
	rm -rf $(B)
