#!/bin/bash
# Initialises the cluster on first start (owner POSTGRES_USER with the
# password from POSTGRES_PASSWORD_FILE, database POSTGRES_DB), then runs
# PostgreSQL on 127.0.0.1:PGPORT in the foreground.
set -euo pipefail

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=${POSTGRES_USER}}"
: "${PGPORT:=5432}"

if [[ ! -s "${PGDATA}/PG_VERSION" ]]; then
  initdb -D "${PGDATA}" -U "${POSTGRES_USER}" \
    --pwfile="${POSTGRES_PASSWORD_FILE:?POSTGRES_PASSWORD_FILE is required}" \
    --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  if [[ "${POSTGRES_DB}" != "postgres" ]]; then
    # Single-user mode: no server listens until the database exists, so a
    # health check never sees a half-initialised cluster.
    echo "CREATE DATABASE \"${POSTGRES_DB}\"" |
      postgres --single -D "${PGDATA}" postgres >/dev/null
  fi
  echo "postgres-entrypoint: initialised ${PGDATA}"
fi

exec postgres -D "${PGDATA}" -c listen_addresses=127.0.0.1 -p "${PGPORT}"
