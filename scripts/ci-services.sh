#!/usr/bin/env bash
# Starts throwaway Redis and PostgreSQL servers on loopback for the tests of
# the shared token stores (token/redisstore, token/sqlstore), installing
# them from Debian's packages first when they are missing.
#
#   eval "$(scripts/ci-services.sh)"        # start; exports the URLs below
#   (cd token/redisstore && go test ./...)
#   (cd token/sqlstore && go test ./...)
#   scripts/ci-services.sh stop             # stop them and remove their data
#
# Starting prints shell code on stdout, for eval:
#   O365_TEST_REDIS_URL      redis://127.0.0.1:PORT/0
#   O365_TEST_POSTGRES_URL   postgres://o365@127.0.0.1:PORT/o365_test?sslmode=disable
#   O365_TEST_SERVICES_DIR   the temporary directory holding both servers' data
# Progress goes to stderr. Both servers keep their data in that directory
# only, listen on 127.0.0.1 on free ports (another Redis or PostgreSQL on
# the machine is left alone), and trust local connections: they are for
# tests, never for real tokens.
#
# PostgreSQL refuses to run as root. Run as root (as CI does), the script
# runs PostgreSQL as the unprivileged system user "postgres" that Debian's
# package creates (or a system user "o365ci" it creates when that is
# missing); run as another user, it runs PostgreSQL as that user.
set -euo pipefail

log() { echo "ci-services: $*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_install() {
  log "installing $* from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then
    $SUDO apt-get update -qq >&2
    apt_updated=1
  fi
  $SUDO apt-get install -y -qq "$@" >&2
}

# pg_bindir prints the directory of the newest PostgreSQL server binaries.
pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/psql" ]; then
      echo "$d"
      return
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    if [ -x "$d/initdb" ] && [ -x "$d/psql" ]; then
      echo "$d"
    fi
  fi
}

# free_port prints the first port from $1 on that nothing on 127.0.0.1
# accepts connections on.
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
    p=$((p + 1))
  done
  echo "$p"
}

# wait_for runs its arguments until they succeed, for at most 30 s.
wait_for() {
  local i
  for i in $(seq 1 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# wait_for_exit waits, for at most 30 s, until process $1 has exited.
wait_for_exit() {
  local i
  for i in $(seq 1 300); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
}

stop() {
  local dir=${1:-${O365_TEST_SERVICES_DIR:-}}
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    log "nothing to stop (no services directory given or exported)"
    return 0
  fi
  if [ -f "$dir/redis.pid" ]; then
    local pid
    pid=$(cat "$dir/redis.pid")
    if kill "$pid" 2>/dev/null; then
      wait_for_exit "$pid"
    fi
  fi
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    local bindir owner
    bindir=$(cat "$dir/pg/bindir")
    owner=$(stat -c %U "$dir/pg/data")
    as_owner "$owner" "$bindir/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >&2 || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

# as_owner runs a command as user $1, switching only when that is not us.
as_owner() {
  local user=$1
  shift
  if [ "$(id -un)" = "$user" ]; then
    "$@"
  else
    runuser -u "$user" -- "$@"
  fi
}

start() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server
  fi
  if [ -z "$(pg_bindir)" ]; then
    apt_install postgresql
  fi
  local bindir
  bindir=$(pg_bindir)
  if [ -z "$bindir" ]; then
    log "no PostgreSQL server binaries found after installing postgresql"
    exit 1
  fi

  # As root, /tmp rather than $TMPDIR: the PostgreSQL user must be able to
  # reach its data directory, and a private $TMPDIR would shut it out.
  local base=${TMPDIR:-/tmp}
  if [ "$(id -u)" -eq 0 ]; then base=/tmp; fi
  dir=$(mktemp -d "$base/o365-services.XXXXXX")
  chmod 711 "$dir"
  # A failure half-way stops what was started.
  trap 'if [ $? -ne 0 ]; then stop "$dir"; fi' EXIT

  # Redis: no persistence, loopback only.
  local redis_port
  redis_port=$(free_port 16379)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
  if ! wait_for redis-cli -h 127.0.0.1 -p "$redis_port" ping; then
    log "redis-server did not answer; its log:"
    cat "$dir/redis.log" >&2
    exit 1
  fi
  log "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$redis_port"

  # PostgreSQL: a fresh cluster owned by an unprivileged user.
  local owner
  owner=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then
      owner=postgres
    else
      id o365ci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin o365ci
      owner=o365ci
    fi
  fi
  mkdir "$dir/pg"
  echo "$bindir" >"$dir/pg/bindir"
  chown "$owner" "$dir/pg"
  local pg_port
  pg_port=$(free_port 15432)
  as_owner "$owner" "$bindir/initdb" -D "$dir/pg/data" --username=o365 --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 || {
    log "initdb failed:"
    cat "$dir/pg/initdb.log" >&2
    exit 1
  }
  # Durability is worthless for test data; speed is not.
  as_owner "$owner" "$bindir/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || {
    log "PostgreSQL did not start; its log:"
    cat "$dir/pg/server.log" >&2
    exit 1
  }
  "$bindir/psql" -q -h 127.0.0.1 -p "$pg_port" -U o365 -d postgres -c 'CREATE DATABASE o365_test' >&2
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (run as $owner)"

  echo "export O365_TEST_SERVICES_DIR='$dir'"
  echo "export O365_TEST_REDIS_URL='redis://127.0.0.1:$redis_port/0'"
  echo "export O365_TEST_POSTGRES_URL='postgres://o365@127.0.0.1:$pg_port/o365_test?sslmode=disable'"
}

case "${1:-start}" in
start) start ;;
stop) stop "${2:-}" ;;
*)
  echo "usage: $0 [start | stop [DIR]]" >&2
  exit 2
  ;;
esac
