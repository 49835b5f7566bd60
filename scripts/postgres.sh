#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if needed, starts a local server on 127.0.0.1:5432, and makes
# a `reelsmith` role (password `reelsmith`, allowed to create databases) and a `reelsmith` database.
# Prints the connection URL on stdout as its last line; everything else goes to stderr.
# Idempotent: safe to run again while the server is up.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian's packages"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version main"; then
  log "creating cluster $version/main"
  $SUDO pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  log "starting cluster $version/main"
  $SUDO pg_ctlcluster "$version" main start >&2
fi

port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2

if [ -z "$SUDO" ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { sudo -u postgres "$@"; }; fi
psql_admin() { as_pg psql -v ON_ERROR_STOP=1 -q -p "$port" "$@"; }

psql_admin -tc "SELECT 1 FROM pg_roles WHERE rolname = 'reelsmith'" | grep -q 1 \
  || psql_admin -c "CREATE ROLE reelsmith LOGIN PASSWORD 'reelsmith' CREATEDB"
psql_admin -tc "SELECT 1 FROM pg_database WHERE datname = 'reelsmith'" | grep -q 1 \
  || psql_admin -c "CREATE DATABASE reelsmith OWNER reelsmith"

echo "postgres://reelsmith:reelsmith@127.0.0.1:${port}/reelsmith"
