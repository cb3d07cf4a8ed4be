#!/usr/bin/env bash
# layers.sh — the layout is the architecture (docs/architecture.md); this
# checks the rules that keep it so, on the sources:
#   1. no file in src/app, src/http, src/store, src/web or src/util includes
#      a feature's header (only src/features/features.c names features);
#   2. no sqlite3 name outside the SQLite backend (src/store/sqlite/);
#   3. the query API (store/db.h) is included only by the store itself and
#      by features' *_store*.c files: handlers never write SQL;
#   4. a feature includes another feature's header only through the few
#      store functions it is allowed to use (listed below with the reason).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
check() { # name, offending lines (empty: ok)
  if [ -z "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; echo "$2" | sed 's/^/  /'; fi
}

check "a core layer includes a feature" \
  "$(grep -rn '#include "[^"]*features/' src/app src/http src/store src/web src/util --include=*.c --include=*.h)"
check "sqlite3 outside src/store/sqlite" \
  "$(grep -rn 'sqlite3' src --include=*.c --include=*.h | grep -v '^src/store/sqlite/')"
check "store/db.h outside the store and features' *_store*.c" \
  "$(grep -rln '#include "[^"]*db\.h"' src --include=*.c --include=*.h | grep -v '^src/store/' | grep -v '_store[a-z_]*\.c$')"
# Features may use another feature's header where they build on its data;
# each such pair is listed here with its reason.
allowed=$(cat <<'PAIRS'
agenda->act (a table conversation task becomes a draft action point)
agenda->poll (a live poll report is attached to a session report)
account->mail (confirmation, reset and erase mails are queued in the outbox)
account->news (a person's own data includes their newsletter subscription)
notify->mail (notifications go out as mail)
news->mail (a newsletter goes out as mail)
mail->news (the sender builds a newsletter's messages)
mail->notify (the sender adds the unsubscribe link of a notification kind)
monitor->act (indicators, assessments and concerns are about action points: their holders, list and page)
monitor->agenda (the forum's meetings are sessions: their day in Amsterdam time)
PAIRS
)
bad=""
for f in src/features/*/; do
  me=$(basename "$f")
  for inc in $(grep -rhoE '#include "\.\./[a-z]+/[a-z]+\.h"' "$f" --include=*.c --include=*.h | sed -E 's/.*\.\.\/([a-z]+)\/.*/\1/' | sort -u); do
    [ "$inc" = "$me" ] && continue
    case "$allowed" in *"$me->$inc "*) ;; *) bad+="$me includes $inc's header"$'\n' ;; esac
  done
done
check "a feature includes another feature's header, not among the allowed pairs in layers.sh" "$(printf '%s' "$bad")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
