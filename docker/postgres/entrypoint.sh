#!/bin/sh
# Starts PostgreSQL on the data volume; on the first start, creates the cluster with
# POSTGRES_USER (its superuser, password POSTGRES_PASSWORD, scram over TCP) and POSTGRES_DB.
set -eu
bin=/usr/lib/postgresql/15/bin
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
case "$user$db" in
  *[!a-z0-9_]*) echo "lodge-postgres: POSTGRES_USER and POSTGRES_DB take a-z, 0-9 and _ only" >&2; exit 2 ;;
esac

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?lodge-postgres: set POSTGRES_PASSWORD}"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  # Inside the container the local socket trusts; every TCP client needs the password.
  "$bin/initdb" -D "$PGDATA" --username="$user" --pwfile="$pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE $db" | "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "lodge-postgres: created the cluster with database $db owned by $user"
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
