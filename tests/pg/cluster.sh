#!/usr/bin/env bash
# tests/pg/cluster.sh — a throwaway PostgreSQL 15 cluster for the tests and
# benchmarks, from Debian's packages (postgresql-15): initdb in a temporary
# folder, a free loopback port, run as the `postgres` user (PostgreSQL
# refuses to run as root). Password authentication over TCP, so a wrong
# password can be tested.
#
#   tests/pg/cluster.sh start DIR   starts it; prints the admin URL
#                                   postgresql://openplan:PASSWORD@127.0.0.1:PORT
#                                   (role openplan, CREATEDB; add /dbname)
#   tests/pg/cluster.sh stop DIR    stops it and removes DIR
#   tests/pg/cluster.sh pause DIR   stops the server, keeps its data (an outage)
#   tests/pg/cluster.sh resume DIR  starts it again on the same port
#
# Tuned for tests, not for keeping data: fsync and synchronous_commit off.
# CLUSTER_DURABLE=1 (benchmarks): fsync on, synchronous_commit off, which
# is what SQLite's WAL with synchronous=NORMAL promises (a crash may lose
# the last commits, never the database).
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|pause|resume DIR" >&2; exit 2; }
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$BIN/initdb" ] || { echo "cluster.sh: no PostgreSQL server (Debian package postgresql-15)" >&2; exit 1; }
PASSWORD=openplan-test-password
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $cmd in
start)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  # A free port: try random high ports until nothing answers.
  port=
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  [ -n "$port" ] || { echo "cluster.sh: no free port" >&2; exit 1; }
  pwfile=$dir/pw
  echo "$PASSWORD" > "$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pwfile"; fi
  as_pg "$BIN/initdb" -D "$dir/data" -U postgres --locale=C --encoding=UTF8 \
    --auth-local=trust --auth-host=scram-sha-256 > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  if [ "${CLUSTER_DURABLE:-}" = 1 ]; then durable=on; else durable=off; fi
  cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = $durable
synchronous_commit = off
full_page_writes = $durable
shared_buffers = 128MB
log_min_messages = fatal
deadlock_timeout = 100ms
CONF
  as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start > /dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_pg "$BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE openplan LOGIN CREATEDB PASSWORD '$PASSWORD'" > /dev/null
  echo "$port" > "$dir/port"
  echo "postgresql://openplan:$PASSWORD@127.0.0.1:$port"
  ;;
pause)
  as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null
  ;;
resume)
  as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start > /dev/null
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop|pause|resume DIR" >&2; exit 2 ;;
esac
