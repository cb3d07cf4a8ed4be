#!/usr/bin/env bash
# bench/input.sh — part of `make bench`: input and the reasoned response at
# scale. Makes a fresh demo database in a temp dir, adds ITEMS (100,000)
# ideas written from the clustering fixture's eight topics (CLUSTER of
# them, 10,000, under one theme), starts $B/openplan and
#   1. waits for the search indexer to stem and index them all (items/s);
#   2. times the organisers' inbox (first page, a page deep in the list,
#      a status filter, a search) and the public page and its search, with
#      wrk (keyset paging: a deep page costs what the first costs);
#   3. asks for red threads over the CLUSTER items of the theme (the run
#      goes to the feature's job pool, off the request workers) and reports
#      the run's own time and the wall time until its page shows it done
#      (goal: under 2 s), and how many threads it proposed;
#   4. streams the public CSV of all items (time, rows).
# Settings: ITEMS (100000), CLUSTER (10000), DURATION (3), THREADS (2),
# CONNECTIONS (16), WRK (wrk), CLUSTER_GOAL_MS (2000).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
ITEMS=${ITEMS:-100000}
CLUSTER=${CLUSTER:-10000}
DURATION=${DURATION:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
WRK=${WRK:-wrk}
GOAL=${CLUSTER_GOAL_MS:-2000}
BIN=$B/openplan
PW='bench wachtwoord 2026'
die() { echo "bench-input: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
command -v "$WRK" >/dev/null || die "wrk is missing (Debian package wrk; make deps)"
command -v sqlite3 >/dev/null || die "sqlite3 is missing (Debian package sqlite3; make deps)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-input.XXXXXX") || die "cannot make a temp dir"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
"$BIN" init --db "$tmp/db" >/dev/null 2>&1 || die "init failed"
"$BIN" demo --db "$tmp/db" >/dev/null 2>&1 || die "demo failed"
"$BIN" user add --db "$tmp/db" --email bench@bench.example --name Bench --role organiser \
  <<< "$PW" >/dev/null 2>&1 || die "user add failed"
theme=$(sqlite3 "$tmp/db" "SELECT id FROM themes WHERE plan_id = 1 AND name = 'Open Technologie'")
[ -n "$theme" ] || die "the demo has no theme Open Technologie"
echo
echo "input: $ITEMS ideas (written from the fixture's eight topics), $CLUSTER under one theme"
node bench/input_gen.mjs "$ITEMS" "$CLUSTER" "$theme" > "$tmp/items.sql" || die "generating failed"
t0=$(date +%s.%N)
sqlite3 -cmd ".timeout 30000" "$tmp/db" < "$tmp/items.sql" || die "adding items failed"
t1=$(date +%s.%N)
echo "added in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (SQL, outside openplan)"

OPENPLAN_QUIET=1 OPENPLAN_IP_LIMIT=1000000 "$BIN" serve --db "$tmp/db" --listen 127.0.0.1:0 \
  2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || die "the server did not start: $(cat "$tmp/serve.log")"
base=http://127.0.0.1:$port

# 1. the indexer
t0=$(date +%s.%N)
for _ in $(seq 1 600); do
  left=$(sqlite3 -cmd ".timeout 5000" "$tmp/db" "SELECT count(*) FROM input_items WHERE stems IS NULL")
  [ "$left" = 0 ] && break
  sleep 0.2
done
t1=$(date +%s.%N)
[ "$left" = 0 ] || die "the indexer did not finish ($left left)"
awk -v a="$t0" -v b="$t1" -v n="$ITEMS" 'BEGIN { d = b - a; printf "search index: %d items stemmed and indexed in %.1f s (%.0f items/s, on the indexer thread)\n", n, d, n / (d > 0 ? d : 1) }'

# sign in
jar=$tmp/jar
csrf=$(curl -fsS -c "$jar" -b "$jar" "$base/signin" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "email=bench@bench.example" --data-urlencode "password=$PW" "$base/signin" \
  || die "sign-in failed"
session=$(awk '$6 == "op_session" { print "op_session=" $7 }' "$jar")
csrf=$(curl -fsS -b "$jar" -c "$jar" "$base/input/plans/1/inbox" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
pre=$(awk '$6 == "op_pre" { print "; op_pre=" $7 }' "$jar")

# 2. pages
deep=$(sqlite3 "$tmp/db" "SELECT id FROM input_items WHERE plan_id = 1 ORDER BY id DESC LIMIT 1 OFFSET $((ITEMS / 2))")
run_wrk() { # url [cookie] → "rps p50 p99 non2xx"
  local args=(--latency -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s")
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  "$WRK" "${args[@]}" "$1" > "$tmp/wrk.txt" 2>&1 || { cat "$tmp/wrk.txt" >&2; die "wrk failed against $1"; }
  awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
       /Non-2xx or 3xx responses:/ { err += $NF }
       END { printf "%s %s %s %d\n", rps, p50, p99, err }' "$tmp/wrk.txt"
}
printf '%-52s %12s %10s %10s %8s\n' "page ($ITEMS items)" "requests/s" p50 p99 errors
while IFS='|' read -r label path auth; do
  c=; [ "$auth" = 1 ] && c=$session
  read -r rps p50 p99 err < <(run_wrk "$base$path" "$c")
  printf '%-52s %12s %10s %10s %8s\n' "$label" "$rps" "$p50" "$p99" "$err"
done <<EOT
inbox, first page (organiser)|/input/plans/1/inbox|1
inbox, a page halfway down (keyset)|/input/plans/1/inbox?before=$deep|1
inbox, one status|/input/plans/1/inbox?status=new&before=$deep|1
inbox, search "open source hergebruik"|/input/plans/1/inbox?q=open+source+hergebruik|1
public page (counts, threads, first page)|/input/plans/1|0
public page, search "klachten openbaar"|/input/plans/1?q=klachten+openbaar|0
api, a page halfway down|/api/v1/input/plans/1?before=$deep|0
EOT

# 3. red threads over the theme's items
t0=$(date +%s.%N)
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" -H "Cookie: $session$pre" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "scope=theme:$theme" "$base/input/plans/1/threads")
run=$(echo "$loc" | sed -n 's/.*run=\([0-9]*\).*/\1/p')
[ -n "$run" ] || die "starting red threads failed ($loc)"
status=
for _ in $(seq 1 600); do
  body=$(curl -fsS -H "Cookie: $session" "$base/api/v1/input/plans/1/threads?run=$run")
  status=$(echo "$body" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' | head -n 1)
  [ "$status" = done ] || [ "$status" = failed ] && break
  sleep 0.05
done
t1=$(date +%s.%N)
[ "$status" = done ] || die "the red-thread run did not finish ($status)"
millis=$(echo "$body" | sed -n 's/.*"millis":\([0-9]*\).*/\1/p')
items=$(echo "$body" | sed -n 's/.*"items":\([0-9]*\).*/\1/p')
threads=$(echo "$body" | grep -o '"state":"proposed"' | wc -l)
dups=$(echo "$body" | grep -o '"other_id"' | wc -l)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 1000 * (b - a) }')
verdict="meets the goal (< $GOAL ms)"; [ "$millis" -lt "$GOAL" ] || verdict="does NOT meet the goal (< $GOAL ms)"
echo "red threads: $items items clustered in $millis ms on the job pool ($wall ms until the page shows it), $threads threads, $dups likely duplicates shown — $verdict"

# 4. the CSV of every public item
t0=$(date +%s.%N)
rows=$(curl -fsS "$base/input/plans/1/items.csv" | wc -l)
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v r="$rows" 'BEGIN { printf "public CSV: %d rows streamed in %.1f s\n", r, b - a }'
