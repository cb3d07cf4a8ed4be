#!/usr/bin/env bash
# Installs what openplan needs to build, test and benchmark on Debian 12:
# Debian packages through apt-get (only those missing) and npm packages
# through `npm ci` from the committed lock file. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql-15 (a throwaway cluster per test run) and haproxy (two nodes
# behind it) are for the tests and benchmarks; libpq-dev is the client.
pkgs=(
  build-essential clang pkg-config gettext
  libmicrohttpd-dev libsqlite3-dev libpq-dev libsodium-dev libjansson-dev
  libmd4c-dev libmd4c-html0-dev libutf8proc-dev libcmocka-dev libxlsxwriter-dev libstemmer-dev libqrencode-dev
  libcurl4-openssl-dev python3-aiosmtpd
  chromium nodejs npm curl unzip wrk nginx-light postgresql-15 postgresql-client-15 haproxy
  python3 python3-icalendar sqlite3
)
if [ "${1:-}" = "--runtime" ]; then
  pkgs=(build-essential pkg-config gettext
        libmicrohttpd-dev libsqlite3-dev libpq-dev libsodium-dev libjansson-dev
        libmd4c-dev libmd4c-html0-dev libutf8proc-dev libxlsxwriter-dev libstemmer-dev libqrencode-dev libcurl4-openssl-dev nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's node may already be present from another source (e.g. /usr/bin/node).
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f package-lock.json ]; then
  stamp=node_modules/.openplan-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    echo "install-deps: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi
