#!/usr/bin/env bash
# bench/consultations.sh — part of `make bench`: consultations under load.
# Makes a fresh demo database in a temp dir, starts $B/openplan, and
#   1. submits RESPONSES (10,000) anonymous responses to a consultation with
#      every kind of question (bench/consultations.mjs; each one a fresh
#      browser: GET the form, POST the answers) and reports responses/s;
#   2. runs wrk against the plain home page and the results page of that
#      consultation in the same run, and prints the ratio (goal: >= 50%).
#      Both pages are what anonymous visitors get (the page cache serves
#      them until the next change); the results page is also measured with
#      a query string, which skips the cache, so every request aggregates
#      the 10,000 responses in SQL.
# Settings: RESPONSES (10000), SUBMITTERS (32), DURATION (10), THREADS (2),
# CONNECTIONS (64), CONS_GOAL (50), WRK (wrk).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
RESPONSES=${RESPONSES:-10000}
SUBMITTERS=${SUBMITTERS:-32}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
CONS_GOAL=${CONS_GOAL:-50}
WRK=${WRK:-wrk}
BIN=$B/openplan
die() { echo "bench-consultations: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
command -v "$WRK" >/dev/null || die "wrk is missing (Debian package wrk; make deps)"
command -v node >/dev/null || die "node is missing"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-cons.XXXXXX") || die "cannot make a temp dir"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
"$BIN" init --db "$tmp/db" >/dev/null 2>&1 || die "init failed"
"$BIN" demo --db "$tmp/db" >/dev/null 2>&1 || die "demo failed"
OPENPLAN_QUIET=1 OPENPLAN_IP_LIMIT=1000000 OPENPLAN_CONS_IP_LIMIT=1000000000 \
  "$BIN" serve --db "$tmp/db" --listen 127.0.0.1:0 2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || die "the server did not start: $(cat "$tmp/serve.log")"
base=http://127.0.0.1:$port

echo
echo "consultations: $RESPONSES responses, $SUBMITTERS at a time (GET the form, POST the answers)"
node bench/consultations.mjs "$base" "$RESPONSES" "$SUBMITTERS" > "$tmp/load.txt" 2>&1 \
  || { cat "$tmp/load.txt"; die "submitting failed"; }
id=$(awk '$1 == "consultation" { print $2 }' "$tmp/load.txt")
read -r _ n _ secs _ rate _ errs < <(grep '^responses' "$tmp/load.txt")
echo "submitting: $n responses in $secs s = $rate responses/s, $errs errors"
got=$(curl -fsS "$base/api/v1/consultations/$id/results" | sed -n 's/.*"respondents":\([0-9]*\).*/\1/p')
echo "respondents on the results page: $got"
echo "bytes: home page $(curl -fsS "$base/" | wc -c), results page $(curl -fsS "$base/consultations/$id/results" | wc -c)"

run_wrk() { # url → "rps p50 p99 non2xx"
  "$WRK" --latency -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" "$1" > "$tmp/wrk.txt" 2>&1 \
    || { cat "$tmp/wrk.txt" >&2; die "wrk failed against $1"; }
  awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
       /Non-2xx or 3xx responses:/ { err += $NF }
       END { printf "%s %s %s %d\n", rps, p50, p99, err }' "$tmp/wrk.txt"
}
printf '%-44s %12s %10s %10s %8s\n' target "requests/s" p50 p99 errors
declare -A RPS
for t in "home|$base/" "results|$base/consultations/$id/results" \
         "results-uncached|$base/consultations/$id/results?uncached=1"; do
  name=${t%%|*}; url=${t#*|}
  read -r rps p50 p99 err < <(run_wrk "$url")
  RPS[$name]=$rps
  case $name in
    home) label="openplan / (home page)" ;;
    results) label="results, $got responses" ;;
    results-uncached) label="results, $got responses, no page cache" ;;
  esac
  printf '%-44s %12s %10s %10s %8s\n' "$label" "$rps" "$p50" "$p99" "$err"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1f", 100 * a / b; else print "0" }'; }
r1=$(ratio "${RPS[results]}" "${RPS[home]}")
r2=$(ratio "${RPS[results-uncached]}" "${RPS[home]}")
if awk -v r="$r1" -v g="$CONS_GOAL" 'BEGIN { exit !(r + 0 >= g + 0) }'; then
  verdict="meets the goal (>= $CONS_GOAL%)"
else
  verdict="does NOT meet the goal (>= $CONS_GOAL%)"
fi
echo "results page / home page: $r1% — $verdict"
echo "results page without the page cache / home page: $r2%"
exit 0
