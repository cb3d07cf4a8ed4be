#!/usr/bin/env bash
# bench/run.sh — `make bench`: how fast is openplan next to nginx?
#
# Expects a built $B/openplan (B=build by default; this script builds
# nothing). It makes a fresh demo database in a temp dir and starts
#   - openplan serve on 127.0.0.1:$OP_PORT (OPENPLAN_QUIET=1), and
#   - nginx (Debian nginx-light) on 127.0.0.1:$NGX_PORT, not as a daemon,
#     with open_file_cache on, serving static copies of the exact bytes of
#     each openplan page measured (fetched as the same visitor).
# Pages: the home page, the organisations, a consultation's results, the
# action plan and the state of all action points, anonymous or signed in
# (an organiser), and /api/v1/plan. For every page it runs wrk against
# nginx and against openplan in ROUNDS rounds, the order rotated each
# round so neither always goes first on a shared machine, and reports the
# median requests/s of each, their ratio (goal: openplan >= GOAL% of
# nginx), and the CPU time per request of each read from /proc (user +
# system ticks of the server's processes over the requests wrk made; on a
# shared machine the steadier of the two measures).
# Then: 50 concurrent sign-ins (the server's peak memory before and after:
# password hashing must not grow with the number of people signing in),
# and the consultation and live-poll benchmarks. Everything it starts or
# writes is removed on exit.
#
# Settings (environment): DURATION (s per run, 3), ROUNDS (3), THREADS (2),
# CONNECTIONS (32), GOAL (percent, 30), OP_PORT (18080), NGX_PORT (18081),
# NGINX (/usr/sbin/nginx), WRK (wrk).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
DURATION=${DURATION:-3}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
GOAL=${GOAL:-30}
OP_PORT=${OP_PORT:-18080}
NGX_PORT=${NGX_PORT:-18081}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}
BIN=$B/openplan
PW='bench wachtwoord 2026'

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

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_up() { # url, pid
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
port_free "$OP_PORT" || die "port $OP_PORT is taken (set OP_PORT)"
port_free "$NGX_PORT" || die "port $NGX_PORT is taken (set NGX_PORT)"

# 1. openplan with the demo data, and an organiser to sign in as
db=$tmp/bench.db
"$BIN" init --db "$db" > "$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; die "openplan init failed"; }
"$BIN" demo --db "$db" >> "$tmp/init.log" 2>&1 || { cat "$tmp/init.log"; die "openplan demo failed"; }
echo "$PW" | "$BIN" user add --db "$db" --email bench@bench.example --name "Bench Organiser" \
  --role organiser >> "$tmp/init.log" 2>&1 || die "openplan user add failed"
OPENPLAN_QUIET=1 OPENPLAN_IP_LIMIT=100000 "$BIN" serve --db "$db" --listen "127.0.0.1:$OP_PORT" \
  > "$tmp/openplan.log" 2>&1 &
op_pid=$!
OP=http://127.0.0.1:$OP_PORT
wait_up "$OP/" "$op_pid" || { cat "$tmp/openplan.log"; die "openplan did not start"; }

# Sign in: the session cookie for the signed-in runs.
jar=$tmp/cookies
csrf=$(curl -fsS -c "$jar" -b "$jar" "$OP/signin" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "email=bench@bench.example" --data-urlencode "password=$PW" "$OP/signin" \
  || die "sign-in failed"
SESSION=$(awk '$6 == "op_session" { print "op_session=" $7 }' "$jar")
[ -n "$SESSION" ] || die "no session cookie after sign-in"

# 2. nginx serving the same bytes as static files
mkdir -p "$tmp/nginx/www" "$tmp/nginx/logs" "$tmp/nginx/tmp"
# nginx workers may run as another user (nobody when started as root).
chmod 755 "$tmp" "$tmp/nginx" "$tmp/nginx/www"
{
  echo "daemon off; master_process on; worker_processes auto;"
  echo "pid $tmp/nginx/nginx.pid; error_log $tmp/nginx/logs/error.log warn;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "  access_log off; default_type text/html; charset utf-8;"
  echo "  client_body_temp_path $tmp/nginx/tmp/body; proxy_temp_path $tmp/nginx/tmp/proxy;"
  echo "  fastcgi_temp_path $tmp/nginx/tmp/fastcgi; uwsgi_temp_path $tmp/nginx/tmp/uwsgi;"
  echo "  scgi_temp_path $tmp/nginx/tmp/scgi;"
  echo "  sendfile on; tcp_nopush on; keepalive_requests 1000000;"
  echo "  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;"
  echo "  server { listen 127.0.0.1:$NGX_PORT; root $tmp/nginx/www; }"
  echo "}"
} > "$tmp/nginx/nginx.conf"

# The pages: name | path | signed in (1) or not (0).
PAGES="home|/|0
home-signed-in|/|1
organisations-signed-in|/organisations|1
results-signed-in|/consultations/1/results|1
actions-signed-in|/actions|1
state-signed-in|/actions/state|1
api-plan|/api/v1/plan|0"

# Fetch each page as its visitor; nginx serves those exact bytes.
while IFS='|' read -r name path auth; do
  hdr=(); [ "$auth" = 1 ] && hdr=(-H "Cookie: $SESSION")
  curl -fsS "${hdr[@]}" -o "$tmp/nginx/www/$name.html" "$OP$path" || die "cannot fetch $path"
  chmod 644 "$tmp/nginx/www/$name.html"
done <<< "$PAGES"
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" \
  > "$tmp/nginx/logs/stdout.log" 2>&1 &
ngx_pid=$!
NGX=http://127.0.0.1:$NGX_PORT
wait_up "$NGX/home.html" "$ngx_pid" || { tail -n 5 "$tmp/nginx/logs/"*.log; die "nginx did not start"; }

# 3. wrk, in rounds
ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# nginx: the master and its workers together
ngx_ticks() { local t=0 p; for p in $ngx_pid $(pgrep -P "$ngx_pid"); do t=$((t + $(ticks_of "$p"))); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
run_wrk() { # out-file url [cookie]: prints "requests/s requests errors"
  local args=(--latency -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s")
  [ -n "${3:-}" ] && args+=(-H "Cookie: $3")
  "$WRK" "${args[@]}" "$2" > "$1" 2>&1 || { cat "$1" >&2; die "wrk failed against $2"; }
  awk '
    /Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); err += v } }
    END { printf "%s %s %d\n", rps, n, err }' "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print 0 }'; }

echo "openplan benchmark: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds (order rotated), $(nproc) CPUs"
echo "nginx serves the same bytes from static files (open_file_cache on); medians of the rounds"
echo
printf '%-24s %7s %12s %12s %7s %10s %10s %6s\n' page bytes "nginx req/s" "openplan r/s" ratio "nginx µs" "openplan µs" errors
worst=1000
while IFS='|' read -r name path auth; do
  cookie=; [ "$auth" = 1 ] && cookie=$SESSION
  : > "$tmp/$name.ngx"; : > "$tmp/$name.op"; : > "$tmp/$name.cpu"; : > "$tmp/$name.ngxcpu"; errs=0
  for r in $(seq 1 "$ROUNDS"); do
    order="ngx op"; [ $((r % 2)) -eq 0 ] && order="op ngx"
    for who in $order; do
      if [ "$who" = ngx ]; then
        t0=$(ngx_ticks)
        read -r rps n err < <(run_wrk "$tmp/wrk.txt" "$NGX/$name.html")
        t1=$(ngx_ticks)
        echo "$rps" >> "$tmp/$name.ngx"
        awk -v d=$((t1 - t0)) -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f\n", 1e6 * d / hz / n }' >> "$tmp/$name.ngxcpu"
      else
        t0=$(ticks_of "$op_pid")
        read -r rps n err < <(run_wrk "$tmp/wrk.txt" "$OP$path" "$cookie")
        t1=$(ticks_of "$op_pid")
        echo "$rps" >> "$tmp/$name.op"
        awk -v d=$((t1 - t0)) -v n="$n" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.1f\n", 1e6 * d / hz / n }' >> "$tmp/$name.cpu"
      fi
      errs=$((errs + err))
    done
  done
  ngx=$(median < "$tmp/$name.ngx"); op=$(median < "$tmp/$name.op"); cpu=$(median < "$tmp/$name.cpu")
  ngxcpu=$(median < "$tmp/$name.ngxcpu")
  ratio=$(awk -v a="$op" -v b="$ngx" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print 0 }')
  [ "$ratio" -lt "$worst" ] && worst=$ratio
  printf '%-24s %7s %12.0f %12.0f %6s%% %10s %10s %6s\n' "$name" "$(wc -c < "$tmp/nginx/www/$name.html")" \
    "$ngx" "$op" "$ratio" "$ngxcpu" "$cpu" "$errs"
done <<< "$PAGES"
echo
if [ "$worst" -ge "$GOAL" ]; then
  echo "every page at $worst% of nginx or more: meets the goal (>= $GOAL%)"
else
  echo "the slowest page is at $worst% of nginx: does NOT meet the goal (>= $GOAL%)"
fi
hwm=$(awk '/^VmHWM:/ { print $2, $3 }' "/proc/$op_pid/status" 2>/dev/null)
echo "openplan peak RSS (VmHWM) after the page runs: ${hwm:-unknown}"

# 4. 50 concurrent sign-ins: password hashing (argon2id, 64 MiB each) must
# not make memory grow with the number of people signing in at once.
before=$(awk '/^VmHWM:/ { print $2 }' "/proc/$op_pid/status")
start=$(date +%s.%N)
pids=()
for _ in $(seq 1 50); do
  curl -s -o /dev/null -b "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "email=bench@bench.example" --data-urlencode "password=$PW" "$OP/signin" &
  pids+=($!)
done
wait "${pids[@]}"
after=$(awk '/^VmHWM:/ { print $2 }' "/proc/$op_pid/status")
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "50 concurrent sign-ins in $took s: peak RSS $((before / 1024)) MB before, $((after / 1024)) MB after"
echo

# Consultations: responses/s when submitting, and the results page of 10,000
# responses against the home page in the same run (own server and database).
B=$B DURATION=$DURATION THREADS=$THREADS CONNECTIONS=$CONNECTIONS WRK=$WRK bench/consultations.sh \
  || echo "bench: the consultations benchmark failed"

# Monitoring: the dashboard of 15 action points with 200 measurements
# against the home page (bench/monitor.sh, own server and database).
B=$B DURATION=$DURATION THREADS=$THREADS CONNECTIONS=$CONNECTIONS WRK=$WRK bench/monitor.sh \
  || echo "bench: the monitoring benchmark failed"

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

# The newsletter: an issue to 10,000 and to 100,000 subscribers through a
# local SMTP server (python3-aiosmtpd); messages/s and openplan's peak
# memory, which must not grow with the number of subscribers.
echo
node bench/news.mjs "$B/openplan" "${NEWS_SIZES:-10000,100000}" \
  || echo "bench: the newsletter benchmark lost messages or its memory grew"
# The live idea board: 300 participants on one board adding notes and
# giving dots for 60 s (bench/agenda.sh, own server and database).
echo
echo "idea board: ${BOARD_PARTICIPANTS:=300} participants, ${BOARD_SECONDS:=60} s"
B=$B BOARD_PARTICIPANTS=$BOARD_PARTICIPANTS BOARD_SECONDS=$BOARD_SECONDS bench/agenda.sh 2>/dev/null \
  || echo "bench: the idea-board benchmark lost or refused notes or dots"
# Input and the reasoned response: an organiser's inbox, a deep page, a
# search and the public page of a plan with 100,000 items, its CSV, and
# red threads proposed for 10,000 items (bench/input.sh, own server and
# database; goal under 2 s).
echo
B=$B bench/input.sh || echo "bench: the input benchmark failed or missed its goal"
exit 0
