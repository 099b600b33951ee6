#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at PostgreSQL.
# Uses the server at 127.0.0.1:5432 if one answers; otherwise starts a
# throwaway cluster (initdb in a temporary folder) and removes it afterwards.
set -euo pipefail

answers() {  # answers HOST PORT
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$1" -p "$2"
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]]; then
  exec "$@"
fi

if [ -z "${FORCE_THROWAWAY_PG:-}" ] && answers 127.0.0.1 5432; then
  export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/danvan}
  echo "Using the PostgreSQL server at 127.0.0.1:5432"
  exec "$@"
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if command -v initdb >/dev/null 2>&1; then bindir=$(dirname "$(command -v initdb)"); else
    echo "No PostgreSQL answers at 127.0.0.1:5432 and no PostgreSQL server is installed to start one." >&2
    echo "Install it (Debian/Ubuntu: apt-get install postgresql postgresql-contrib) or set DATABASE_URL=postgres://..." >&2
    exit 1
  fi
fi

tmp=$(mktemp -d /tmp/danvan-pg.XXXXXX)
port=${THROWAWAY_PG_PORT:-54329}
as_pg=()
if [ "$(id -u)" = "0" ]; then
  chown -R postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
chmod 700 "$tmp"
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
echo "No PostgreSQL at 127.0.0.1:5432: starting a throwaway cluster on port $port ($bindir)"
"${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -A trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w start \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/danvan"
"$@"
