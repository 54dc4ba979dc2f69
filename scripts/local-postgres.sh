#!/usr/bin/env bash
# A PostgreSQL server for local development, kept in .local/postgres at the
# repository root and reachable only on 127.0.0.1.
#
#   local-postgres.sh start    initdb on first use, start unless running,
#                              create the database unless it exists
#   local-postgres.sh stop     fast shutdown, if running
#   local-postgres.sh status   exit 0 when running, 3 when not
#   local-postgres.sh url [ROLE]  the connection URL as ROLE (default: the
#                              superuser, who owns the schema and runs
#                              `comments_server migrate`)
#
# Environment: COMMENTS_PG_PORT (default 55432), PG_BINDIR (default
# /usr/lib/postgresql/15/bin). As root the server runs as the "postgres"
# system user, since PostgreSQL refuses to run as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
PORT="${COMMENTS_PG_PORT:-55432}"
DATABASE="comments"
SUPERUSER="postgres"
LOCAL_DIR="${ROOT}/.local"
STATE_DIR="${LOCAL_DIR}/postgres"
DATA_DIR="${STATE_DIR}/data"
SOCKET_DIR="${STATE_DIR}/run"
LOG_FILE="${STATE_DIR}/server.log"

die() {
  echo "local-postgres: $*" >&2
  exit 1
}

# Runs a server-side PostgreSQL program as the user that owns the data.
as_owner() {
  if ((EUID == 0)); then
    # cd / keeps the postgres user out of folders it may not enter.
    (cd / && runuser -u "${SUPERUSER}" -- "$@")
  else
    "$@"
  fi
}

psql_local() {
  "${PG_BINDIR}/psql" -h 127.0.0.1 -p "${PORT}" -U "${SUPERUSER}" -X -q -A -t \
    -v ON_ERROR_STOP=1 "$@"
}

is_running() {
  [[ -f "${DATA_DIR}/PG_VERSION" ]] || return 3
  local rc=0
  as_owner "${PG_BINDIR}/pg_ctl" -D "${DATA_DIR}" status >/dev/null || rc=$?
  return "${rc}"
}

# The port a running server was started with (line 4 of postmaster.pid).
running_port() {
  sed -n 4p "${DATA_DIR}/postmaster.pid" 2>/dev/null || true
}

init_once() {
  [[ -f "${DATA_DIR}/PG_VERSION" ]] && return 0
  [[ -x "${PG_BINDIR}/initdb" ]] ||
    die "no initdb in ${PG_BINDIR}; run scripts/install-deps.sh or set PG_BINDIR"
  mkdir -p "${STATE_DIR}"
  if ((EUID == 0)); then
    id -u "${SUPERUSER}" >/dev/null 2>&1 ||
      die "running as root but there is no \"${SUPERUSER}\" system user"
    chown "${SUPERUSER}:" "${STATE_DIR}"
    chmod o+x "${LOCAL_DIR}"
    # The postgres user must be able to reach the folder through every parent.
    if ! runuser -u "${SUPERUSER}" -- test -w "${STATE_DIR}"; then
      die "user ${SUPERUSER} cannot reach ${STATE_DIR}; make its parent" \
        "folders searchable (chmod o+x) or clone the repository elsewhere"
    fi
  fi
  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale=C.UTF-8
  fi
  echo "local-postgres: creating a database cluster in ${DATA_DIR}"
  as_owner "${PG_BINDIR}/initdb" -D "${DATA_DIR}" --auth=trust \
    -U "${SUPERUSER}" --encoding=UTF8 --locale="${locale}" >/dev/null
}

start() {
  [[ "${PORT}" =~ ^[0-9]+$ ]] || die "COMMENTS_PG_PORT must be a number"
  # pg_ctl passes -o through /bin/sh; the path is single-quoted there.
  [[ "${SOCKET_DIR}" != *"'"* ]] || die "the repository path contains a quote"
  init_once
  if is_running; then
    local actual
    actual="$(running_port)"
    if [[ "${actual}" != "${PORT}" ]]; then
      die "already running on port ${actual}, not ${PORT};" \
        "stop it first or set COMMENTS_PG_PORT=${actual}"
    fi
  else
    as_owner mkdir -p "${SOCKET_DIR}"
    if ! as_owner "${PG_BINDIR}/pg_ctl" -D "${DATA_DIR}" -w -t 60 \
      -l "${LOG_FILE}" \
      -o "-p ${PORT} -c listen_addresses=127.0.0.1 -k '${SOCKET_DIR}'" \
      start >/dev/null; then
      tail -n 20 "${LOG_FILE}" >&2 2>/dev/null || true
      die "could not start PostgreSQL on port ${PORT}; see ${LOG_FILE}"
    fi
    echo "local-postgres: running on 127.0.0.1:${PORT} (data in ${DATA_DIR})"
  fi
  local exists
  exists="$(psql_local -d postgres \
    -c "SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'")"
  if [[ "${exists}" != "1" ]]; then
    psql_local -d postgres -c "CREATE DATABASE ${DATABASE}"
    echo "local-postgres: created database ${DATABASE}"
  fi
}

stop() {
  if is_running; then
    as_owner "${PG_BINDIR}/pg_ctl" -D "${DATA_DIR}" -w -t 60 stop -m fast \
      >/dev/null
    echo "local-postgres: stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) is_running ;;
  url) echo "postgresql://${2:-${SUPERUSER}}@127.0.0.1:${PORT}/${DATABASE}" ;;
  *)
    echo "usage: $0 start|stop|status|url [ROLE]" >&2
    exit 2
    ;;
esac
