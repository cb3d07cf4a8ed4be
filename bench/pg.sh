#!/usr/bin/env bash
# bench/pg.sh — `make bench-pg`: openplan on PostgreSQL against SQLite, in
# one run on this machine, and live polls on two nodes behind HAProxy.
#
# Starts a throwaway PostgreSQL 15 cluster (tests/pg/cluster.sh; fsync on,
# synchronous_commit off: like SQLite's WAL with synchronous=NORMAL, a crash
# may lose the last commits but never corrupts), then for each backend:
#   - a fresh demo database and one openplan node;
#   - RESPONSES responses submitted to a consultation with every kind of
#     question (bench/consultations.mjs), responses/s;
#   - wrk against the signed-in home page and the signed-in results page of
#     that consultation, each with a query string (?uncached=1), which
#     skips the page cache: every request reads the database.
# It prints requests/s per page and backend and the ratio PostgreSQL /
# SQLite. Then two nodes on one PostgreSQL database behind HAProxy
# (roundrobin) and the live-poll load tool (bench/polls_load.c) against
# HAProxy: POLL_PARTICIPANTS participants on event streams, POLL_RATE
# votes/s for POLL_SECONDS s, every vote counted, p50/p99 vote-to-screen on
# a presenter's stream (half the votes land on the other node), and the
# peak memory of each node.
# Settings: DURATION (10), THREADS (2), CONNECTIONS (32), RESPONSES (5000),
# POLL_PARTICIPANTS (5000), POLL_RATE (2000), POLL_SECONDS (30).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
RESPONSES=${RESPONSES:-5000}
PN=${POLL_PARTICIPANTS:-}; PN=${PN:-5000}
PR=${POLL_RATE:-}; PR=${PR:-2000}
PS=${POLL_SECONDS:-}; PS=${PS:-30}
BIN=$B/openplan
LOAD=$B/polls_load
die() { echo "bench-pg: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing (make B=$B)"
[ -x "$LOAD" ] || die "$LOAD is missing (make B=$B $B/polls_load)"
command -v wrk >/dev/null || die "wrk is missing (make deps)"
command -v haproxy >/dev/null || die "haproxy is missing (make deps)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-pg.XXXXXX") || die "no temp dir"
chmod 755 "$tmp"
pids=()
lb=
cleanup() {
  for p in "${pids[@]}" $lb; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}" $lb; do wait "$p" 2>/dev/null; done
  tests/pg/cluster.sh stop "$tmp/pg" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
ulimit -n "$(ulimit -Hn)" 2>/dev/null

PG=$(CLUSTER_DURABLE=1 tests/pg/cluster.sh start "$tmp/pg") || die "cannot start PostgreSQL"

# serve NAME DB → starts a node; sets PORT and appends its pid to pids
serve() {
  # every participant comes from 127.0.0.1 here: a hall far bigger than
  # the live-poll limits per network allow (as bench/polls.sh)
  : > "$tmp/$1.log"   # exists before the node writes to it
  OPENPLAN_QUIET=1 OPENPLAN_IP_LIMIT=100000000 OPENPLAN_CONS_IP_LIMIT=1000000000 \
    OPENPLAN_POLL_JOIN_LIMIT=10000000 OPENPLAN_POLL_HALL_VOTERS=10000000 \
    OPENPLAN_POLL_NET_VOTERS=10000000 \
    "$BIN" serve --db "$2" --listen 127.0.0.1:0 2> "$tmp/$1.log" &
  pids+=($!)
  PORT=
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/$1.log")
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  die "node $1 did not start: $(cat "$tmp/$1.log")"
}
stop_last() {
  local p=${pids[-1]}
  kill -TERM "$p"; wait "$p" 2>/dev/null
  unset 'pids[-1]'
}
# The organiser's session cookie.
session() {
  local base=$1 jar=$tmp/jar.txt csrf
  rm -f "$jar"
  curl -fsS -c "$jar" -o /dev/null "$base/signin"
  csrf=$(awk '$6 == "op_csrf" { print $7 }' "$jar")
  curl -fsS -b "$jar" -c "$jar" -o /dev/null \
    --data "_csrf=$csrf&email=sanne.devries%40openplan.example&password=demo-wachtwoord" "$base/signin"
  awk '$6 == "op_session" { print $7 }' "$jar"
}
run_wrk() { # url cookie → "rps p50 p99 non2xx"
  wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" -H "Cookie: op_session=$2" "$1" \
    > "$tmp/wrk.txt" 2>&1 || { cat "$tmp/wrk.txt" >&2; die "wrk failed against $1"; }
  awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
       /Non-2xx or 3xx responses:/ { err += $NF }
       END { printf "%s %s %s %d\n", rps, p50, p99, err }' "$tmp/wrk.txt"
}

echo "openplan on PostgreSQL $(psql --version | awk '{ print $3 }') against SQLite $(sqlite3 --version 2>/dev/null | awk '{ print $1 }'), $(nproc) CPUs"
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, signed in, ?uncached=1 (no page cache); $RESPONSES responses per consultation"
echo
declare -A RPS
printf '%-11s %-34s %12s %10s %10s %7s\n' backend page requests/s p50 p99 errors
for backend in sqlite postgresql; do
  if [ $backend = sqlite ]; then db=$tmp/bench.db; else db=$PG/bench; fi
  "$BIN" init --db "$db" > /dev/null 2>&1 || die "init $backend failed"
  "$BIN" demo --db "$db" > /dev/null 2>&1 || die "demo $backend failed"
  serve $backend "$db"
  base=http://127.0.0.1:$PORT
  node bench/consultations.mjs "$base" "$RESPONSES" 16 > "$tmp/load.txt" 2>&1 \
    || { cat "$tmp/load.txt"; die "submitting responses on $backend failed"; }
  id=$(awk '$1 == "consultation" { print $2 }' "$tmp/load.txt")
  read -r _ n _ secs _ rate _ errs < <(grep '^responses' "$tmp/load.txt")
  RPS[$backend-submit]=$rate
  cookie=$(session "$base")
  [ -n "$cookie" ] || die "cannot sign in on $backend"
  for t in "home|/?uncached=1" "results|/consultations/$id/results?uncached=1"; do
    name=${t%%|*}
    read -r rps p50 p99 err < <(run_wrk "$base${t#*|}" "$cookie")
    RPS[$backend-$name]=$rps
    printf '%-11s %-34s %12s %10s %10s %7s\n' $backend \
      "$([ $name = home ] && echo "/ (home, signed in)" || echo "results of $n responses")" "$rps" "$p50" "$p99" "$err"
  done
  printf '%-11s %-34s %12s\n' $backend "submitting responses (per s)" "$rate"
  stop_last
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.0f%%", 100 * a / b; else print "?" }'; }
echo
echo "PostgreSQL / SQLite, same run:"
echo "  home page, signed in:        $(ratio "${RPS[postgresql-home]}" "${RPS[sqlite-home]}")"
echo "  consultation results page:   $(ratio "${RPS[postgresql-results]}" "${RPS[sqlite-results]}")"
echo "  submitting responses:        $(ratio "${RPS[postgresql-submit]}" "${RPS[sqlite-submit]}")"

# Live polls: two nodes, one database, HAProxy in front.
echo
echo "live polls: $PN participants, $PR votes/s for $PS s, through HAProxy to two nodes on PostgreSQL"
"$BIN" init --db "$PG/polls" > /dev/null 2>&1 || die "init polls failed"
echo bench-polls-password | "$BIN" user add --db "$PG/polls" --email bench@polls.example \
  --name Bench --role organiser > /dev/null 2>&1 || die "user add failed"
serve node-a "$PG/polls"; pa=$PORT; pid_a=${pids[-1]}
serve node-b "$PG/polls"; pb=$PORT; pid_b=${pids[-1]}
lbport=
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then lbport=$p; break; fi
done
cat > "$tmp/haproxy.cfg" <<EOF
global
  maxconn 9000
defaults
  mode http
  maxconn 9000
  timeout connect 5s
  timeout client 120s
  timeout server 120s
frontend web
  bind 127.0.0.1:$lbport
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /healthz
  server a 127.0.0.1:$pa check inter 1s
  server b 127.0.0.1:$pb check inter 1s
EOF
haproxy -db -f "$tmp/haproxy.cfg" > "$tmp/haproxy.log" 2>&1 &
lb=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$lbport/healthz" && break; sleep 0.1; done
"$LOAD" --url "http://127.0.0.1:$lbport" --email bench@polls.example --password bench-polls-password \
  --participants "$PN" --seconds "$PS" --rate "$PR" --server-pid "$pid_a" 2> "$tmp/load.err"
rc=$?
sed "s/^/  /" "$tmp/load.err"
hwm() { awk '/^VmHWM:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
echo "peak memory (VmHWM): node a $(hwm "$pid_a"), node b $(hwm "$pid_b")"
[ $rc -eq 0 ] && echo "no vote lost" || echo "bench-pg: votes were lost or refused (polls_load exit $rc)"
exit $rc
