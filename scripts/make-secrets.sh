#!/usr/bin/env bash
# Creates the secrets docker-compose.yml mounts, unless they already exist:
#
#   DIR/db_password      random password of the database's owner (PostgreSQL
#                        and `comments_server migrate`)
#   DIR/db_service_password  random password of the role the service
#                        connects as (set by `comments_server migrate`)
#   DIR/email.key        email encryption key file, one key "k1"
#   DIR/email_hash.key   keyed-hash key file, one key "h1"
#
# Usage: scripts/make-secrets.sh [DIR]   (default: $COMMENTS_SECRETS_DIR, else
# ./secrets at the repository root). Existing files are never overwritten:
# replacing a key makes stored emails unreadable; rotate by appending a line
# instead (README, "Hidden emails").
#
# The folder is 0700, so other users of this machine cannot reach the files.
# The files themselves are 0644 because Docker mounts them into containers
# as they are, and the service runs there as an unprivileged user whose uid
# is not yours.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DIR="${1:-${COMMENTS_SECRETS_DIR:-${ROOT}/secrets}}"

mkdir -p "${DIR}"
chmod 0700 "${DIR}"

# Writes stdin to DIR/NAME through a temporary file, so an interrupted run
# leaves no half-written secret behind.
write_secret() {
  local name="$1" tmp
  tmp="$(mktemp "${DIR}/.${name}.XXXXXX")"
  if ! cat >"${tmp}"; then
    rm -f "${tmp}"
    return 1
  fi
  chmod 0644 "${tmp}"
  mv "${tmp}" "${DIR}/${name}"
  echo "make-secrets: created ${DIR}/${name}"
}

# "<key-id> <base64 of 32 random bytes>", the key file format.
key_line() {
  printf '%s %s\n' "$1" "$(head -c 32 /dev/urandom | base64 -w0)"
}

# URL- and shell-safe characters only, so they work in any client.
for name in db_password db_service_password; do
  if [[ ! -s "${DIR}/${name}" ]]; then
    head -c 32 /dev/urandom | base64 -w0 | tr -d '/+=' | head -c 32 |
      write_secret "${name}"
  fi
done
if [[ ! -s "${DIR}/email.key" ]]; then
  key_line k1 | write_secret email.key
fi
if [[ ! -s "${DIR}/email_hash.key" ]]; then
  key_line h1 | write_secret email_hash.key
fi
