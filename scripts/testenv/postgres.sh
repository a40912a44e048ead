#!/usr/bin/env bash
# PostgreSQL 15 from Debian's packages in its own data directory, trust auth on loopback.
#   postgres.sh install|start|stop|status
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

: "${PG_VERSION:=15}"
PGBIN="/usr/lib/postgresql/$PG_VERSION/bin"
PGDIR="$TESTENV_DIR/postgres"
OUT="$LOG_DIR/postgres.log"
# The server refuses to run as root: run it as the 'postgres' user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install() {
  [ -x "$PGBIN/pg_ctl" ] && return 0
  [ "$(id -u)" = 0 ] || die "PostgreSQL $PG_VERSION is missing and we are not root: apt-get install postgresql-$PG_VERSION"
  log "installing postgresql-$PG_VERSION from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "postgresql-$PG_VERSION" "postgresql-client-$PG_VERSION" > /dev/null
}

ready() { "$PGBIN/pg_isready" -q -h "$TESTENV_HOST" -p "$PG_PORT" -U postgres; }

start() {
  install
  if [ -f "$PGDIR/data/postmaster.pid" ] && ready; then
    log "postgres already running on $TESTENV_HOST:$PG_PORT"; return 0
  fi
  port_in_use "$PG_PORT" && die "port $PG_PORT is already in use on $TESTENV_HOST (set PG_PORT)"
  rm -rf "$PGDIR"; mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR" "$LOG_DIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync > "$PGDIR/initdb.log" 2>&1 \
    || { cat "$PGDIR/initdb.log" >&2; die "initdb failed"; }
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$OUT" -w -t 60 \
    -o "-c listen_addresses=$TESTENV_HOST -p $PG_PORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c timezone=UTC" \
    start > /dev/null || { tail -n 30 "$OUT" >&2; die "postgres did not start; see $OUT"; }
  wait_until 30 postgres ready || die "postgres is not accepting connections; see $OUT"
  log "postgres ready on $TESTENV_HOST:$PG_PORT"
}

stop() {
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 stop > /dev/null || true
    log "postgres stopped"
  fi
}

status() {
  if [ -f "$PGDIR/data/postmaster.pid" ] && ready; then echo "postgres: running on $TESTENV_HOST:$PG_PORT"
  else echo "postgres: stopped"; return 1; fi
}

case "${1:-}" in
  install|start|stop|status) "$1" ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
