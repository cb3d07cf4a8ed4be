#!/usr/bin/env bash
# bench/polls.sh — `make bench-polls`: live polls under load. Makes a fresh
# database with one organiser in a temp dir, starts $B/openplan serve on a
# free port, and runs $B/polls_load against it (N participants on event
# streams, R votes/s for S seconds, results shown to participants; see
# bench/polls_load.c). Prints the tool's closing line and exits with its
# status (non-zero: a vote was lost).
# Settings: POLL_PARTICIPANTS (1000), POLL_SECONDS (10), POLL_RATE (500),
# POLL_HIDDEN=1 (results hidden from participants).
# Every participant comes from 127.0.0.1 here, a hall far bigger than the
# per-network limits allow (docs/polls-api.md): the run raises them.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
N=${POLL_PARTICIPANTS:-}; N=${N:-1000}
S=${POLL_SECONDS:-}; S=${S:-10}
R=${POLL_RATE:-}; R=${R:-500}
BIN=$B/openplan
LOAD=$B/polls_load
die() { echo "bench-polls: $*" >&2; exit 2; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
[ -x "$LOAD" ] || die "$LOAD is missing (make B=$B $B/polls_load)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-polls.XXXXXX") || die "cannot make a temp dir"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null
PW=bench-polls-password
OPENPLAN_QUIET=1 "$BIN" init --db "$tmp/db" >/dev/null || die "init failed"
echo "$PW" | OPENPLAN_QUIET=1 "$BIN" user add --db "$tmp/db" --email bench@polls.example \
  --name Bench --role organiser >/dev/null || die "user add failed"
OPENPLAN_QUIET=1 OPENPLAN_POLL_JOIN_LIMIT=10000000 OPENPLAN_POLL_HALL_VOTERS=10000000 \
  OPENPLAN_POLL_NET_VOTERS=10000000 \
  "$BIN" serve --db "$tmp/db" --listen 127.0.0.1:0 2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || die "the server did not start: $(cat "$tmp/serve.log")"
hidden=
[ "${POLL_HIDDEN:-}" = 1 ] && hidden=--hidden
echo "bench-polls: $N participants, $R votes/s for $S s against 127.0.0.1:$port${hidden:+ (results hidden)}" >&2
"$LOAD" --url "http://127.0.0.1:$port" --email bench@polls.example --password "$PW" \
  --participants "$N" --seconds "$S" --rate "$R" --server-pid "$pid" $hidden
rc=$?
exit $rc
