#!/usr/bin/python3
# agenda_people.py — many signed-in participants for the registration race
# (tests/e2e/agenda.mjs) and the board benchmark (bench/agenda.sh), without
# hashing a password hundreds of times: it adds N participants to a SQLite
# database (sharing the password hash of an existing user) with a session
# each, stored the way openplan stores sessions (the BLAKE2b-256 hex of the
# token). Run it while the server is stopped or between requests; it writes
# in one transaction. Prints one JSON line per person: {"id", "email", "token"}.
#   agenda_people.py DB COUNT PREFIX
import hashlib, json, secrets, sqlite3, sys, time

db, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(db, timeout=30)
row = con.execute("SELECT password_hash FROM users ORDER BY id LIMIT 1").fetchone()
if not row:
    sys.exit("agenda_people: the database has no user to take a password hash from")
now = int(time.time())
out = []
with con:
    for i in range(count):
        email = f"{prefix}{i:04d}@people.example"
        cur = con.execute("INSERT INTO users (email, name, password_hash, role, created_at) "
                          "VALUES (?, ?, ?, 'participant', ?)",
                          (email, f"{prefix.capitalize()} {i:04d}", row[0], now))
        token = secrets.token_urlsafe(32)
        h = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
        con.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
                    "VALUES (?, ?, ?, ?)", (h, cur.lastrowid, now, now + 86400))
        out.append({"id": cur.lastrowid, "email": email, "token": token})
for p in out:
    print(json.dumps(p))
