#!/usr/bin/python3
# agenda_people.py — many signed-in participants for the registration race
# (tests/e2e/agenda.mjs) and the board benchmark (bench/agenda.sh), without
# hashing a password hundreds of times: it adds N participants to a SQLite
# database (sharing the password hash of an existing user) with a session
# each, stored the way openplan stores sessions (the BLAKE2b-256 hex of the
# token). Run it while the server is stopped or between requests; it writes
# in one transaction. Prints one JSON line per person: {"id", "email", "token"}.
# DB may be a postgresql:// URL (the suites on PostgreSQL): then the same
# rows go in through psql, in one transaction too.
#   agenda_people.py DB COUNT PREFIX
import hashlib, json, re, secrets, sqlite3, subprocess, sys, time

db, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def psql(sql):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                       input=sql, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("agenda_people: psql: " + r.stderr.strip())
    return r.stdout


def lit(v):
    return "'" + str(v).replace("'", "''") + "'"


if re.match(r"postgres(ql)?://", db):
    hashes = psql("SELECT password_hash FROM users ORDER BY id LIMIT 1;").split()
    if not hashes:
        sys.exit("agenda_people: the database has no user to take a password hash from")
    now = int(time.time())
    people, sql = [], ["BEGIN;"]
    for i in range(count):
        email = f"{prefix}{i:04d}@people.example"
        token = secrets.token_urlsafe(32)
        h = hashlib.blake2b(token.encode(), digest_size=32).hexdigest()
        people.append((email, token))
        sql.append("WITH u AS (INSERT INTO users (email, name, password_hash, role, created_at) "
                   f"VALUES ({lit(email)}, {lit(prefix.capitalize() + f' {i:04d}')}, {lit(hashes[0])}, "
                   f"'participant', {now}) RETURNING id) "
                   "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
                   f"SELECT {lit(h)}, id, {now}, {now + 86400} FROM u RETURNING user_id;")
    sql.append("COMMIT;")
    ids = psql("\n".join(sql) + "\n").split()
    if len(ids) != count:
        sys.exit(f"agenda_people: {len(ids)} people made of {count}")
    for (email, token), uid in zip(people, ids):
        print(json.dumps({"id": int(uid), "email": email, "token": token}))
    sys.exit(0)

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
