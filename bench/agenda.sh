#!/usr/bin/env bash
# bench/agenda.sh — the live idea board under load: a fresh database in a
# temp dir with the demo plan, one organiser and N participants who are signed in
# (tests/e2e/agenda_people.py: no password hashing per person), $B/openplan
# serve on a free port, and bench/agenda_load.mjs against it: N event
# streams on one board, notes and dots for S seconds. Prints the tool's
# closing line and exits with its status (non-zero: something was lost).
# Settings: BOARD_PARTICIPANTS (300), BOARD_SECONDS (60), BOARD_NOTES (20/s),
# BOARD_VOTES (40/s).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
N=${BOARD_PARTICIPANTS:-300}
S=${BOARD_SECONDS:-60}
NR=${BOARD_NOTES:-20}
VR=${BOARD_VOTES:-40}
BIN=$B/openplan
die() { echo "bench-agenda: $*" >&2; exit 2; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 is missing (make deps)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-agenda.XXXXXX") || die "cannot make a temp dir"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null
PW=bench-agenda-password
OPENPLAN_QUIET=1 "$BIN" init --db "$tmp/db" >/dev/null && OPENPLAN_QUIET=1 "$BIN" demo --db "$tmp/db" >/dev/null || die "init failed"
echo "$PW" | OPENPLAN_QUIET=1 "$BIN" user add --db "$tmp/db" --email bench@agenda.example \
  --name Bench --role organiser >/dev/null || die "user add failed"
/usr/bin/python3 tests/e2e/agenda_people.py "$tmp/db" "$N" bench > "$tmp/people.jsonl" || die "could not add participants"
OPENPLAN_QUIET=1 "$BIN" serve --db "$tmp/db" --listen 127.0.0.1:0 2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*serving .* on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || die "the server did not start: $(cat "$tmp/serve.log")"
echo "bench-agenda: $N participants on one board, $NR notes/s and $VR dots/s for $S s against 127.0.0.1:$port" >&2
node bench/agenda_load.mjs --url "http://127.0.0.1:$port" --email bench@agenda.example --password "$PW" \
  --people "$tmp/people.jsonl" --seconds "$S" --notes "$NR" --votes "$VR" --server-pid "$pid"
