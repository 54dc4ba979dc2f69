#!/usr/bin/env bash
# Builds the server and the moderator CLI (not the tests: a first run stays
# short) and runs the server on this machine against a local PostgreSQL
# (scripts/local-postgres.sh), with development keys created on first use.
# As in production, the superuser (the schema's owner) applies the
# migrations with `comments_server migrate`, and the server connects as the
# service role, which owns nothing. Extra arguments are passed to the
# server, e.g. --log_level=debug.
#
# Environment: COMMENTS_LISTEN (default 127.0.0.1:50051),
# COMMENTS_METRICS_LISTEN (default 127.0.0.1:9464), COMMENTS_PG_PORT
# (default 55432), COMMENTS_SERVICE_ROLE (default comments_service).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

bash scripts/build.sh comments_server commentctl

SERVER="${ROOT}/build/service/comments_server"
KEY_DIR="${ROOT}/.local/keys"
export COMMENTS_PG_PORT="${COMMENTS_PG_PORT:-55432}"

# Only a server this script started is stopped when it ends.
started_postgres=0
if ! bash scripts/local-postgres.sh status; then
  started_postgres=1
fi
# shellcheck disable=SC2317  # called from the EXIT trap
stop_postgres() {
  if ((started_postgres)); then
    bash scripts/local-postgres.sh stop || true
  fi
}
trap stop_postgres EXIT
bash scripts/local-postgres.sh start
OWNER_URL="$(bash scripts/local-postgres.sh url)"
SERVICE_ROLE="${COMMENTS_SERVICE_ROLE:-comments_service}"
DATABASE_URL="$(bash scripts/local-postgres.sh url "${SERVICE_ROLE}")"
# The local server trusts connections from 127.0.0.1: no passwords.
"${SERVER}" --database_url="${OWNER_URL}" --service_role="${SERVICE_ROLE}" \
  migrate

if [[ ! -s "${KEY_DIR}/email.key" || ! -s "${KEY_DIR}/email_hash.key" ]]; then
  mkdir -p "${KEY_DIR}"
  chmod 0700 "${KEY_DIR}"
  for name in email email_hash; do
    [[ -s "${KEY_DIR}/${name}.key" ]] && continue
    # mktemp creates the file 0600, so the key is never readable by others,
    # and the rename means a failed run leaves no half-written key behind.
    tmp="$(mktemp "${KEY_DIR}/.${name}.XXXXXX")"
    if ! "${SERVER}" --generate_key_line=k1 >"${tmp}"; then
      rm -f "${tmp}"
      echo "run-local: could not generate a key with ${SERVER}" >&2
      exit 1
    fi
    chmod 0600 "${tmp}"
    mv "${tmp}" "${KEY_DIR}/${name}.key"
  done
  echo "created local development keys in .local/keys (do not use in production)"
fi

args=(
  "--listen=${COMMENTS_LISTEN:-127.0.0.1:50051}"
  "--metrics_listen=${COMMENTS_METRICS_LISTEN:-127.0.0.1:9464}"
  "--database_url=${DATABASE_URL}"
  "--email_key_file=${KEY_DIR}/email.key"
  "--email_hash_key_file=${KEY_DIR}/email_hash.key"
  "$@"
)

if ((!started_postgres)); then
  trap - EXIT
  exec "${SERVER}" "${args[@]}"
fi

# PostgreSQL must be stopped after the server, so the server runs as a child
# and a stop request is passed on to it. TERM is the server's graceful
# shutdown; background children of a script ignore INT.
"${SERVER}" "${args[@]}" &
server_pid=$!
trap 'kill -TERM "${server_pid}" 2>/dev/null || true' INT TERM HUP
while :; do
  wait "${server_pid}" || true
  kill -0 "${server_pid}" 2>/dev/null || break
done
status=0
wait "${server_pid}" || status=$?
exit "${status}"
