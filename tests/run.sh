#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
#   1. the .po catalogues (msgfmt --check) and their completeness
#   2. unit tests (cmocka), built normally and with ASan+UBSan
#   3. HTTP end-to-end tests against the ASan+UBSan binary
#   4. browser tests (playwright-core driving Debian's chromium, axe-core)
#   5. the libFuzzer harnesses (tests/fuzz), FUZZ_SECONDS each (default 3),
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
  printf '%-28s %s passed, %s failed\n' "$name" "$p" "$f"
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

# 3. HTTP end to end, against the sanitizer build: one suite per feature
for suite in tests/e2e/*.mjs; do
  name=$(basename "$suite" .mjs)
  [ "$name" = lib ] && continue
  node "$suite" "$B/san/openplan" > "$log/e2e-$name.log" 2>&1; rc=$?
  tally "e2e/$name (asan+ubsan)" "$log/e2e-$name.log" "$rc"
done

# 4. browser: one suite per feature; screenshots in $B/screenshots
for suite in tests/browser/*.mjs; do
  name=$(basename "$suite" .mjs)
  [ "$name" = lib ] && continue
  node "$suite" "$B/openplan" "$B/screenshots" > "$log/browser-$name.log" 2>&1; rc=$?
  tally "browser/$name" "$log/browser-$name.log" "$rc"
done

# 5. fuzzing, briefly: a crash or a failed check stops a harness with an error
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
