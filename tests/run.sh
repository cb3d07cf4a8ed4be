#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
#   1. the .po catalogues (msgfmt --check) and their completeness
#   2. unit tests (cmocka), built normally and with ASan+UBSan
#   3. a throwaway PostgreSQL 15 cluster (tests/pg/cluster.sh: initdb in a
#      temporary folder, a free port, run as the postgres user; removed at
#      the end); every unit test that opens a store (tests/unit/*.c that
#      include store_target.h) again on it (ASan+UBSan)
#   4. HTTP end-to-end tests against the ASan+UBSan binary, on SQLite and
#      on PostgreSQL at the same time (the same suites and answers;
#      OPENPLAN_TEST_PG gives each suite fresh databases; E2E_JOBS=1 runs
#      them one backend after the other), then the PostgreSQL-only suites
#      (tests/pg/*.mjs: two nodes behind HAProxy; copy, backup, restore,
#      outages)
#   5. browser tests (playwright-core driving Debian's chromium, axe-core),
#      on SQLite; on PostgreSQL the suites of the main paths only
#      (PG_BROWSER, default "foundation polls": sign-in, pages, forms, a
#      live poll's scripts), as every browser suite twice would take make
#      check past 15 minutes on a 2-core machine and the browser adds no
#      SQL of its own; PG_BROWSER=all runs them all
#   6. the libFuzzer harnesses (tests/fuzz), FUZZ_SECONDS each (default 3),
#      from their committed corpus; each harness counts as one test
# Each suite prints its own "N passed, N failed" line; this sums them.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
log=$B/test-logs
mkdir -p "$log"

tally() { # name, logfile, exit code
  local name=$1 file=$2 rc=$3 line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$file" | tail -n 1)
  if [ -n "$line" ]; then
    p=${line%% passed*}
    f=${line#*passed, }; f=${f%% failed*}
  else
    p=0; f=1
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  printf '%-40s %s passed, %s failed\n' "$name" "$p" "$f"
  if [ "$f" -ne 0 ]; then echo "---- $name: last lines of $file"; tail -n 40 "$file"; echo "----"; fi
}

# 1. translations
{
  ok=0; bad=0
  for po in src/web/po/*.po src/features/*/po/*.po; do
    if msgfmt --check -o /dev/null "$po"; then ok=$((ok+1)); else echo "FAIL msgfmt $po"; bad=$((bad+1)); fi
  done
  if tests/po_check.sh; then ok=$((ok+1)); else bad=$((bad+1)); fi
  echo "$ok passed, $bad failed"
} > "$log/po.log" 2>&1
tally "translations" "$log/po.log" 0

# 1b. the layout's rules (no core layer includes a feature, SQL only in the
# store, …)
tests/layers.sh > "$log/layers.log" 2>&1; rc=$?
tally "layers" "$log/layers.log" "$rc"

# 2. unit tests
for kind in tests san-tests; do
  for t in "$B"/$kind/test_*; do
    [ -x "$t" ] || continue
    name="unit/$kind/$(basename "$t")"
    out="$log/$(basename "$t").$kind.log"
    "$t" > "$out" 2>&1; rc=$?
    p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -n1)
    f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -n1)
    echo "${p:-0} passed, ${f:-0} failed" >> "$out"
    tally "$name" "$out" "$rc"
  done
done

# 3. PostgreSQL: a cluster of our own for this run
unset OPENPLAN_TEST_PG
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/openplan-pg.XXXXXX")
stop_pg() { tests/pg/cluster.sh stop "$pgdir" >/dev/null 2>&1; }
trap stop_pg EXIT
if PG_URL=$(tests/pg/cluster.sh start "$pgdir" 2> "$log/pg-cluster.log"); then
  echo "1 passed, 0 failed" >> "$log/pg-cluster.log"
  tally "postgresql cluster" "$log/pg-cluster.log" 0
else
  PG_URL=
  tally "postgresql cluster" "$log/pg-cluster.log" 1
fi
if [ -n "$PG_URL" ]; then
  for t in "$B"/san-tests/test_*; do
    [ -x "$t" ] || continue
    grep -q '"store_target.h"' "tests/unit/$(basename "$t").c" 2>/dev/null || continue
    out="$log/$(basename "$t").pg.log"
    OPENPLAN_TEST_PG=$PG_URL "$t" > "$out" 2>&1; rc=$?
    p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -n1)
    f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -n1)
    echo "${p:-0} passed, ${f:-0} failed" >> "$out"
    tally "unit/$(basename "$t") (postgresql)" "$out" "$rc"
  done
fi

# 4. HTTP end to end, against the sanitizer build: one suite per feature,
#    on SQLite and, at the same time (E2E_JOBS=1: after it), on PostgreSQL
#    — the suites wait on the network and the server more than they use a
#    core, and every server listens on a free port with its own database;
#    the answers are tallied in order afterwards
e2e_run() { # backend: runs every suite, leaving its log and exit code
  local backend=$1 suite name
  for suite in tests/e2e/*.mjs; do
    name=$(basename "$suite" .mjs)
    [ "$name" = lib ] && continue
    node "$suite" "$B/san/openplan" > "$log/e2e-$name.$backend.log" 2>&1
    echo $? > "$log/e2e-$name.$backend.rc"
  done
}
e2e_tally() { # backend
  local backend=$1 suite name
  for suite in tests/e2e/*.mjs; do
    name=$(basename "$suite" .mjs)
    [ "$name" = lib ] && continue
    tally "e2e/$name ($backend, asan)" "$log/e2e-$name.$backend.log" \
      "$(cat "$log/e2e-$name.$backend.rc" 2>/dev/null || echo 1)"
  done
}
rm -f "$log"/e2e-*.rc
pg_e2e=
if [ -n "$PG_URL" ]; then
  if [ "${E2E_JOBS:-2}" -gt 1 ]; then
    (trap - EXIT; OPENPLAN_TEST_PG=$PG_URL e2e_run postgresql) &
    pg_e2e=$!
  fi
fi
e2e_run sqlite
e2e_tally sqlite
if [ -n "$PG_URL" ]; then
  if [ -n "$pg_e2e" ]; then wait "$pg_e2e"; else OPENPLAN_TEST_PG=$PG_URL e2e_run postgresql; fi
  e2e_tally postgresql
fi
if [ -n "$PG_URL" ]; then
  for suite in tests/pg/*.mjs; do
    name=$(basename "$suite" .mjs)
    [ "$name" = target ] && continue
    OPENPLAN_TEST_PG=$PG_URL node "$suite" "$B/san/openplan" > "$log/pg-$name.log" 2>&1; rc=$?
    tally "pg/$name (asan)" "$log/pg-$name.log" "$rc"
  done
fi

# 5. browser: one suite per feature; screenshots in $B/screenshots (and
#    $B/screenshots/postgresql)
for backend in sqlite postgresql; do
  shots=$B/screenshots
  if [ "$backend" = postgresql ]; then
    [ -n "$PG_URL" ] || continue
    export OPENPLAN_TEST_PG=$PG_URL
    shots=$B/screenshots/postgresql
  fi
  for suite in tests/browser/*.mjs; do
    name=$(basename "$suite" .mjs)
    [ "$name" = lib ] && continue
    if [ "$backend" = postgresql ] && [ "${PG_BROWSER:-foundation polls}" != all ]; then
      case " ${PG_BROWSER:-foundation polls} " in *" $name "*) ;; *) continue ;; esac
    fi
    node "$suite" "$B/openplan" "$shots" > "$log/browser-$name.$backend.log" 2>&1; rc=$?
    tally "browser/$name ($backend)" "$log/browser-$name.$backend.log" "$rc"
  done
  unset OPENPLAN_TEST_PG
done

# 6. fuzzing, briefly: a crash or a failed check stops a harness with an error
for f in "$B"/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  work="$B/fuzz/corpus/$name"
  mkdir -p "$work"
  out="$log/fuzz-$name.log"
  ASAN_OPTIONS="detect_leaks=1" "$f" -max_total_time="${FUZZ_SECONDS:-3}" -timeout=10 -rss_limit_mb=2048 \
    "$work" "tests/fuzz/corpus/$name" > "$out" 2>&1; rc=$?
  if [ "$rc" -eq 0 ]; then echo "1 passed, 0 failed" >> "$out"; else echo "0 passed, 1 failed" >> "$out"; fi
  tally "fuzz/$name" "$out" "$rc"
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
