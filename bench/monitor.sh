#!/usr/bin/env bash
# bench/monitor.sh — part of `make bench`: the dashboard of all action
# points (/monitor) at the size the issue names — 15 action points with
# 200 measurements — against the home page in the same run, both as the
# page cache serves them and both without it. Makes a fresh
# demo database in a temp dir, starts $B/openplan, fills the plan through
# the organiser's own forms (bench/monitor.mjs), then runs wrk against
#   - the home page and the dashboard (and its JSON) as the page cache
#     serves them (goal: the dashboard at MONITOR_GOAL% of the home page), and
#   - both with a query string, which skips the page cache: every request
#     renders. The dashboard runs its fixed handful of queries however many
#     action points and measurements there are (the plan, the action
#     points, their milestones, the indicators with their latest
#     measurement, the open concerns, the criteria) and draws five SVG
#     charts (goal: at MONITOR_RENDER_GOAL% of the rendered home page).
# Settings: POINTS (15), MEASUREMENTS (200), DURATION (10), THREADS (2),
# CONNECTIONS (64), MONITOR_GOAL (50), MONITOR_RENDER_GOAL (25), WRK (wrk).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
POINTS=${POINTS:-15}
MEASUREMENTS=${MEASUREMENTS:-200}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
MONITOR_GOAL=${MONITOR_GOAL:-50}
MONITOR_RENDER_GOAL=${MONITOR_RENDER_GOAL:-25}
WRK=${WRK:-wrk}
BIN=$B/openplan
die() { echo "bench-monitor: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
command -v "$WRK" >/dev/null || die "wrk is missing (Debian package wrk; make deps)"
command -v node >/dev/null || die "node is missing"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-monitor.XXXXXX") || die "cannot make a temp dir"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
"$BIN" init --db "$tmp/db" >/dev/null 2>&1 || die "init failed"
"$BIN" demo --db "$tmp/db" >/dev/null 2>&1 || die "demo failed"
OPENPLAN_QUIET=1 OPENPLAN_IP_LIMIT=1000000 "$BIN" serve --db "$tmp/db" --listen 127.0.0.1:0 2>"$tmp/serve.log" &
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
echo "monitoring: the dashboard of $POINTS action points with $MEASUREMENTS measurements"
node bench/monitor.mjs "$base" "$POINTS" "$MEASUREMENTS" > "$tmp/load.txt" 2>&1 \
  || { cat "$tmp/load.txt"; die "filling the plan failed"; }
cat "$tmp/load.txt"
echo "bytes: home page $(curl -fsS "$base/" | wc -c), dashboard $(curl -fsS "$base/monitor" | wc -c), its JSON $(curl -fsS "$base/api/v1/monitor" | wc -c)"

run_wrk() { # url → "rps p50 p99 non2xx"
  "$WRK" --latency -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" "$1" > "$tmp/wrk.txt" 2>&1 \
    || { cat "$tmp/wrk.txt" >&2; die "wrk failed against $1"; }
  awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
       /Non-2xx or 3xx responses:/ { err += $NF }
       END { printf "%s %s %s %d\n", rps, p50, p99, err }' "$tmp/wrk.txt"
}
printf '%-44s %12s %10s %10s %8s\n' target "requests/s" p50 p99 errors
declare -A RPS
for t in "home|$base/" "dashboard|$base/monitor" "json|$base/api/v1/monitor" "home-uncached|$base/?uncached=1" \
         "dashboard-uncached|$base/monitor?uncached=1" "json-uncached|$base/api/v1/monitor?uncached=1"; do
  name=${t%%|*}; url=${t#*|}
  read -r rps p50 p99 err < <(run_wrk "$url")
  RPS[$name]=$rps
  case $name in
    home) label="openplan / (home page)" ;;
    dashboard) label="/monitor (page cache)" ;;
    json) label="/api/v1/monitor (page cache)" ;;
    home-uncached) label="openplan /, no page cache" ;;
    dashboard-uncached) label="/monitor, no page cache" ;;
    json-uncached) label="/api/v1/monitor, no page cache" ;;
  esac
  printf '%-44s %12s %10s %10s %8s\n' "$label" "$rps" "$p50" "$p99" "$err"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1f", 100 * a / b; else print "0" }'; }
meets() { # ratio goal
  if awk -v r="$1" -v g="$2" 'BEGIN { exit !(r + 0 >= g + 0) }'; then echo "meets the goal (>= $2%)"
  else echo "does NOT meet the goal (>= $2%)"; fi
}
r1=$(ratio "${RPS[dashboard]}" "${RPS[home]}")
r2=$(ratio "${RPS[dashboard-uncached]}" "${RPS[home-uncached]}")
r3=$(ratio "${RPS[json-uncached]}" "${RPS[home-uncached]}")
echo "dashboard / home page, both from the page cache: $r1% — $(meets "$r1" "$MONITOR_GOAL")"
echo "dashboard / home page, both rendered: $r2% — $(meets "$r2" "$MONITOR_RENDER_GOAL")"
echo "dashboard JSON / home page, both rendered: $r3%"
