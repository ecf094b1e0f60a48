#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for tests and prints `export DATABASE_URL=...`.
# Installs Debian's postgresql package when the machine has none. Usage:
#   eval "$(bash scripts/ci-postgres.sh start)"   …   bash scripts/ci-postgres.sh stop
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGROOT="${PGROOT:-/tmp/bdp-postgres-$PGPORT}"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/postgres" ] && { echo "$dir"; return 0; }
  done
  return 1
}

as_postgres() {
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! bin=$(find_bin); then
      echo "installing PostgreSQL from Debian's packages…" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bin=$(find_bin)
    fi
    if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
      rm -rf "$PGROOT"
      mkdir -p "$PGROOT"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
      as_postgres "$bin/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
      as_postgres "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 \
        -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
    fi
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    bin=$(find_bin) || exit 0
    [ -d "$PGROOT/data" ] && as_postgres "$bin/pg_ctl" -D "$PGROOT/data" -m fast -w stop >&2 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
