#!/usr/bin/env bash
# A throwaway PostgreSQL for the load generator's PostgreSQL runs: initdb into a temporary folder, start it on a free
# loopback port (as the postgres OS user when run as root, since PostgreSQL refuses to run as root), create the
# database, and print the connection string. `private-postgres.sh stop <folder>` stops it and removes the folder.
set -euo pipefail

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
initdb_path=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
bin=$(dirname "$(readlink -f "$initdb_path")")

if [ "${1:-}" = "stop" ]; then
  as_postgres "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  rm -rf "$2"
  exit 0
fi

dir=$(mktemp -d /tmp/factorymesh-pg-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$bin/initdb" -D "$dir/data" -A trust -U factorymesh >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U factorymesh factorymesh
echo "folder: $dir" >&2
echo "Host=127.0.0.1;Port=$port;Username=factorymesh;Database=factorymesh;Maximum Pool Size=100"
