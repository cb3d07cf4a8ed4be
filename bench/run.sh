#!/usr/bin/env bash
# bench/run.sh — `make bench`: how fast is openplan next to nginx?
#
# Expects a built $B/openplan (B=build by default; this script builds
# nothing). It makes a fresh demo database in a temp dir, starts
#   - openplan serve on 127.0.0.1:<port> (OPENPLAN_QUIET=1), and
#   - nginx (Debian nginx-light), not as a daemon, with its own temp
#     config and prefix, serving a static copy of the exact bytes of the
#     openplan home page,
# and runs wrk (--latency) against: nginx static, openplan /, and
# openplan /api/v1/plan. It prints requests/s and latency p50/p90/p99
# for each, the ratio openplan-home / nginx-static (goal: >= 30%) and the
# peak RSS of openplan (VmHWM). Everything it starts or writes is removed
# on exit.
#
# Settings (environment): DURATION (s, 10), THREADS (2), CONNECTIONS (64),
# GOAL (percent, 30), NGINX (/usr/sbin/nginx), WRK (wrk).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
GOAL=${GOAL:-30}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}
BIN=$B/openplan

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
[ -x "$NGINX" ] || die "$NGINX is missing (Debian package nginx-light; make deps)"
command -v "$WRK" >/dev/null || die "wrk is missing (Debian package wrk; make deps)"
command -v curl >/dev/null || die "curl is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench.XXXXXX") || die "cannot make a temp dir"
op_pid=
ngx_pid=
cleanup() {
  local p
  for p in $op_pid $ngx_pid; do
    kill -TERM "$p" 2>/dev/null
  done
  for p in $op_pid $ngx_pid; do
    # wait up to 5 s, then insist
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A free loopback port: try random high ports until nothing answers.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if port_free "$p" && [ "$p" != "${1:-}" ]; then echo "$p"; return 0; fi
  done
  return 1
}
wait_up() { # url, pid
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

OP_PORT=$(free_port) || die "no free port"
NGX_PORT=$(free_port "$OP_PORT") || die "no free port"

# 1. openplan with the demo data
db=$tmp/bench.db
"$BIN" init --db "$db" > "$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; die "openplan init failed"; }
"$BIN" demo --db "$db" >> "$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; die "openplan demo failed"; }
OPENPLAN_QUIET=1 "$BIN" serve --db "$db" --listen "127.0.0.1:$OP_PORT" > "$tmp/openplan.log" 2>&1 &
op_pid=$!
wait_up "http://127.0.0.1:$OP_PORT/" "$op_pid" || { cat "$tmp/openplan.log"; die "openplan did not start"; }

# 2. nginx serving the same bytes as a static file
mkdir -p "$tmp/nginx/www" "$tmp/nginx/logs" "$tmp/nginx/tmp"
# nginx workers may run as another user (e.g. nobody when started as root):
# they must be able to read the copy.
chmod 755 "$tmp" "$tmp/nginx" "$tmp/nginx/www"
curl -fsS -o "$tmp/nginx/www/index.html" "http://127.0.0.1:$OP_PORT/" || die "cannot fetch the home page"
chmod 644 "$tmp/nginx/www/index.html"
cat > "$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/tmp/body;
  proxy_temp_path $tmp/nginx/tmp/proxy;
  fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
  uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
  scgi_temp_path $tmp/nginx/tmp/scgi;
  default_type text/html;
  charset utf-8;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGX_PORT;
    root $tmp/nginx/www;
    index index.html;
  }
}
EOF
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" \
  > "$tmp/nginx/logs/stdout.log" 2>&1 &
ngx_pid=$!
wait_up "http://127.0.0.1:$NGX_PORT/" "$ngx_pid" \
  || { tail -n 5 "$tmp/nginx/logs/"*.log; die "nginx did not start"; }
cmp -s "$tmp/nginx/www/index.html" <(curl -fsS "http://127.0.0.1:$NGX_PORT/") \
  || die "nginx does not serve the same bytes"

# 3. wrk
# Prints: "rps p50 p90 p99 errors" (latencies as wrk prints them).
run_wrk() { # name url
  local out=$tmp/wrk-$1.txt
  "$WRK" --latency -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" "$2" > "$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed against $2"; }
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); err += v } }
    END { printf "%s %s %s %s %d\n", rps, p50, p90, p99, err }' "$out"
}

bytes=$(wc -c < "$tmp/nginx/www/index.html")
echo "openplan benchmark: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $(nproc) CPUs"
echo "home page: $bytes bytes, served by nginx as a static file and by openplan"
echo
printf '%-26s %12s %10s %10s %10s %8s\n' target "requests/s" p50 p90 p99 errors
declare -A RPS
for t in "nginx-static|http://127.0.0.1:$NGX_PORT/" \
         "openplan-home|http://127.0.0.1:$OP_PORT/" \
         "openplan-api-plan|http://127.0.0.1:$OP_PORT/api/v1/plan"; do
  name=${t%%|*}
  url=${t#*|}
  read -r rps p50 p90 p99 err < <(run_wrk "$name" "$url")
  RPS[$name]=$rps
  label=$name
  case $name in
    nginx-static) label="nginx static /" ;;
    openplan-home) label="openplan /" ;;
    openplan-api-plan) label="openplan /api/v1/plan" ;;
  esac
  printf '%-26s %12s %10s %10s %10s %8s\n' "$label" "$rps" "$p50" "$p90" "$p99" "$err"
done
echo

ratio=$(awk -v a="${RPS[openplan-home]}" -v b="${RPS[nginx-static]}" \
  'BEGIN { if (b + 0 > 0) printf "%.1f", 100 * a / b; else print "0" }')
if awk -v r="$ratio" -v g="$GOAL" 'BEGIN { exit !(r + 0 >= g + 0) }'; then
  verdict="meets the goal (>= $GOAL%)"
else
  verdict="does NOT meet the goal (>= $GOAL%)"
fi
echo "openplan home / nginx static: $ratio% — $verdict"

hwm=$(awk '/^VmHWM:/ { print $2, $3 }' "/proc/$op_pid/status" 2>/dev/null)
echo "openplan peak RSS (VmHWM): ${hwm:-unknown}"

# Consultations: responses/s when submitting, and the results page of 10,000
# responses against the home page in the same run (own server and database).
B=$B DURATION=$DURATION THREADS=$THREADS CONNECTIONS=$CONNECTIONS WRK=$WRK bench/consultations.sh \
  || echo "bench: the consultations benchmark failed"

# Live polls: participants on event streams, votes over the JSON API
# (bench/polls.sh, own server and database; moderate defaults here, the
# goal size with: make bench-polls PARTICIPANTS=5000 SECONDS=30 RATE=2000).
echo
echo "live polls: ${POLL_PARTICIPANTS:=1000} participants, ${POLL_RATE:=500} votes/s for ${POLL_SECONDS:=10} s"
if [ -x "$B/polls_load" ]; then
  B=$B POLL_PARTICIPANTS=$POLL_PARTICIPANTS POLL_RATE=$POLL_RATE POLL_SECONDS=$POLL_SECONDS \
    bench/polls.sh 2>/dev/null || echo "bench: the live-poll benchmark lost or refused votes"
else
  echo "bench: $B/polls_load is missing (make B=$B $B/polls_load)"
fi
exit 0
