#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: its own data folder under a temporary directory, on
# 127.0.0.1 with a free port, trust authentication, fsync off (nothing in it outlives the run).
#
#   eval "$(test/scripts/pg-cluster.sh start)"   # exports NEWSMIRROR_TEST_POSTGRES and NEWSMIRROR_PG_CLUSTER
#   npm test
#   test/scripts/pg-cluster.sh stop               # stops it and deletes its folder
#
# A cluster that outlives a run (bench/search.ts --reuse DIR: a build spread over sessions):
#   test/scripts/pg-cluster.sh start DIR          # DIR/data, created when missing, restarted when running
#   test/scripts/pg-cluster.sh pause DIR          # stops the server and keeps DIR
#
# NEWSMIRROR_PG_OPTIONS adds server settings (`-c shared_buffers=2GB …`; bench/search.ts sets it).
#
# Needs Debian's `postgresql` package (or any PostgreSQL whose pg_ctl is on PATH). PostgreSQL refuses
# to run as root, so under root the cluster runs as the `postgres` user the package creates.
set -euo pipefail

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$newest" ]; then
    echo "pg-cluster: no PostgreSQL found (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$newest"
}

# as_owner runs a command as the cluster's owner: `postgres` under root, else the current user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

start() {
  local bin dir port
  bin="$(find_bin)"
  if [ -n "${1:-}" ]; then
    dir="$1"
    mkdir -p "$dir"
  else
    dir="$(mktemp -d "${TMPDIR:-/tmp}/newsmirror-pg-XXXXXX")"
  fi
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ -d "$dir/data" ]; then
    # A kept cluster: a run that was killed may have left its server running on another port.
    as_owner "$bin/pg_ctl" status --pgdata="$dir/data" >/dev/null 2>&1 && as_owner "$bin/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --silent >&2
  else
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  fi
  port="$(free_port)"
  as_owner "$bin/pg_ctl" start --pgdata="$dir/data" --log="$dir/server.log" --wait --silent \
    --options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${NEWSMIRROR_PG_OPTIONS:-}" >&2 || {
    cat "$dir/server.log" >&2
    exit 1
  }
  as_owner "$bin/psql" --host=127.0.0.1 --port="$port" --username=postgres --dbname=postgres --tuples-only --no-align \
    --command="SELECT 1 FROM pg_database WHERE datname = 'newsmirror_test'" | grep -q 1 ||
    as_owner "$bin/createdb" --host=127.0.0.1 --port="$port" --username=postgres newsmirror_test
  echo "export NEWSMIRROR_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/newsmirror_test"
  echo "export NEWSMIRROR_PG_CLUSTER=$dir"
}

# halt stops the server of the cluster in $1 and keeps its folder; $2 says how to name it.
halt() {
  local dir="$1"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "pg-cluster: no cluster to $2" >&2
    exit 1
  fi
  as_owner "$(find_bin)/pg_ctl" stop --pgdata="$dir/data" --mode=fast --wait --silent || true
}

stop() {
  local dir="${1:-${NEWSMIRROR_PG_CLUSTER:-}}"
  halt "$dir" "stop (give its folder or set NEWSMIRROR_PG_CLUSTER)"
  rm -rf "$dir"
}

pause() {
  halt "${1:-}" "pause (give its folder)"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  pause) pause "${2:-}" ;;
  *)
    echo "usage: $0 start [folder] | stop [folder] | pause folder" >&2
    exit 2
    ;;
esac
