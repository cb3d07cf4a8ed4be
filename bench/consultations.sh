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
#   3. exports: EXPORT_ANSWERS (1,000,000) answers are added to that
#      consultation straight into the database (sqlite3, 10 answers per
#      response), then the CSV and the XLSX export are each fetched once:
#      total time, time to first byte, size, and the server's peak memory
#      growth during the export (VmHWM after, against VmRSS before, with the
#      peak reset through /proc/PID/clear_refs; goal: under EXPORT_GOAL_MB,
#      20); then the health check's p99 while two exports (CSV and XLSX) run
#      again and again (goal: under HEALTH_GOAL_MS, 50).
# Settings: RESPONSES (10000), SUBMITTERS (32), DURATION (10), THREADS (2),
# CONNECTIONS (64), CONS_GOAL (50), WRK (wrk), EXPORT_ANSWERS (1000000),
# EXPORT_GOAL_MB (20), HEALTH_GOAL_MS (50).
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
EXPORT_ANSWERS=${EXPORT_ANSWERS:-1000000}
EXPORT_GOAL_MB=${EXPORT_GOAL_MB:-20}
HEALTH_GOAL_MS=${HEALTH_GOAL_MS:-50}
BIN=$B/openplan
die() { echo "bench-consultations: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN is missing; build it first (make B=$B)"
command -v "$WRK" >/dev/null || die "wrk is missing (Debian package wrk; make deps)"
command -v node >/dev/null || die "node is missing"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/openplan-bench-cons.XXXXXX") || die "cannot make a temp dir"
pid=
loops=
cleanup() {
  rm -f "$tmp/go"
  for p in $loops; do kill "$p" 2>/dev/null; done
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

# ---- 3. exports of EXPORT_ANSWERS answers ----
command -v sqlite3 >/dev/null || die "sqlite3 is missing (Debian package sqlite3; make deps)"
cookie=$(sed -n 's/^cookie //p' "$tmp/load.txt")
R=$((EXPORT_ANSWERS / 10))
echo
echo "exports: adding $R responses with 10 answers each ($((R * 10)) answers) to consultation $id"
t0=$(date +%s.%N)
sqlite3 -cmd ".timeout 30000" "$tmp/db" <<SQL || die "adding answers failed"
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $R)
INSERT INTO cons_responses (consultation_id, browser_hash, created_at, updated_at)
  SELECT $id, 'bench-' || i, 1598918400 + i * 7, 1598918400 + i * 7 FROM n;
INSERT INTO cons_answers (response_id, question_id, option_id, value, text, norm)
  SELECT r.id, q.id, o.id,
         CASE q.kind WHEN 'ranking' THEN 1 + ((o.position + r.id) % 4) END, '', ''
  FROM cons_responses r JOIN cons_questions q ON q.consultation_id = r.consultation_id
  JOIN cons_options o ON o.question_id = q.id
  WHERE r.browser_hash LIKE 'bench-%' AND r.consultation_id = $id AND (
        (q.kind = 'multiple' AND o.position IN (1 + r.id % 5, 1 + (r.id + 2) % 5))
     OR (q.kind = 'single' AND o.position = 1 + r.id % 4)
     OR q.kind = 'ranking');
INSERT INTO cons_answers (response_id, question_id, option_id, value, text, norm)
  SELECT r.id, q.id, NULL,
         CASE q.kind WHEN 'yesno' THEN r.id % 2 WHEN 'scale' THEN 1 + r.id % 5 END,
         CASE q.kind WHEN 'text' THEN 'Idee nummer ' || r.id || ': meer open data; en "open source".'
                     WHEN 'yesno' THEN 'Omdat kennis delen helpt.' ELSE '' END, ''
  FROM cons_responses r JOIN cons_questions q ON q.consultation_id = r.consultation_id
  WHERE r.browser_hash LIKE 'bench-%' AND r.consultation_id = $id AND q.kind IN ('text', 'yesno', 'scale');
UPDATE cons_consultations SET responses = (SELECT COUNT(*) FROM cons_responses WHERE consultation_id = $id) WHERE id = $id;
COMMIT;
SQL
answers=$(sqlite3 "$tmp/db" "SELECT COUNT(*) FROM cons_answers a JOIN cons_responses r ON r.id = a.response_id WHERE r.consultation_id = $id")
echo "added in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s; the consultation has $answers answers"

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
printf '%-10s %10s %10s %12s %14s
' export "total s" "first s" "MB" "peak growth MB"
worst=0
for fmt in csv xlsx; do
  reset=yes
  echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || reset=no
  before=$(kb VmRSS)
  read -r first total size code < <(curl -sS -o /dev/null -H "Cookie: $cookie" \
    -w '%{time_starttransfer} %{time_total} %{size_download} %{http_code}\n' "$base/consultations/$id/export.$fmt")
  [ "$code" = 200 ] || die "export.$fmt answered $code"
  peak=$(kb VmHWM)
  growth=$(awk -v a="$before" -v b="$peak" 'BEGIN { printf "%.1f", (b - a) / 1024 }')
  worst=$(awk -v a="$worst" -v b="$growth" 'BEGIN { print (b > a ? b : a) }')
  printf '%-10s %10.2f %10.3f %12.1f %14s
' "$fmt" "$total" "$first" "$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')" \
    "$growth$([ $reset = no ] && echo ' (peak not reset)')"
done
if awk -v w="$worst" -v g="$EXPORT_GOAL_MB" 'BEGIN { exit !(w + 0 < g + 0) }'; then
  echo "export memory: peak growth ${worst} MB — meets the goal (< $EXPORT_GOAL_MB MB)"
else
  echo "export memory: peak growth ${worst} MB — does NOT meet the goal (< $EXPORT_GOAL_MB MB)"
fi

touch "$tmp/go"
for fmt in csv xlsx; do
  ( while [ -e "$tmp/go" ]; do curl -sS -o /dev/null -H "Cookie: $cookie" "$base/consultations/$id/export.$fmt" || sleep 0.2; done ) &
  loops="$loops $!"
done
sleep 1
"$WRK" --latency -t 1 -c 4 -d "${DURATION}s" "$base/healthz" > "$tmp/health.txt" 2>&1 || { cat "$tmp/health.txt" >&2; die "wrk failed against /healthz"; }
rm -f "$tmp/go"
for p in $loops; do wait "$p" 2>/dev/null; done
loops=
read -r hrps hp99 < <(awk '/Requests\/sec:/ { rps = $2 } $1 == "99%" { p99 = $2 } END { print rps, p99 }' "$tmp/health.txt")
ms=$(awk -v v="$hp99" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }')
if awk -v m="$ms" -v g="$HEALTH_GOAL_MS" 'BEGIN { exit !(m + 0 < g + 0) }'; then
  verdict="meets the goal (< $HEALTH_GOAL_MS ms)"
else
  verdict="does NOT meet the goal (< $HEALTH_GOAL_MS ms)"
fi
echo "health check during two concurrent exports: $hrps requests/s, p99 $ms ms — $verdict"
exit 0
