#!/usr/bin/env bash
# Runs the example site and the gateway on this machine, in front of the
# comment service that scripts/run-local.sh serves:
#
#   site     http://127.0.0.1:3000/   (WEB_PORT)      the article and its form
#   gateway  http://127.0.0.1:8080/   (GATEWAY_PORT)  gRPC-Web and JSON for browsers
#   service  127.0.0.1:50051          (COMMENTS_SERVER)
#
# Installs the npm packages on first use (scripts/web-packages.sh). Ctrl-C
# stops both.
set -euo pipefail

WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "${WEB}/../.." && pwd -P)"
WEB_PORT="${WEB_PORT:-3000}"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
export COMMENTS_SERVER="${COMMENTS_SERVER:-127.0.0.1:50051}"

command -v node >/dev/null 2>&1 ||
  { echo "run-local: no node; run scripts/install-deps.sh first" >&2; exit 1; }
bash "${ROOT}/scripts/web-packages.sh"

pids=()
# shellcheck disable=SC2317  # called from the traps
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "${pid}" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

GATEWAY_LISTEN="127.0.0.1:${GATEWAY_PORT}" \
  GATEWAY_UPSTREAM="http://${COMMENTS_SERVER}" \
  GATEWAY_ALLOWED_ORIGINS="http://127.0.0.1:${WEB_PORT},http://localhost:${WEB_PORT}" \
  node "${ROOT}/gateway/src/main.js" &
pids+=($!)
WEB_LISTEN="127.0.0.1:${WEB_PORT}" \
  COMMENTS_GATEWAY_URL="http://127.0.0.1:${GATEWAY_PORT}" \
  node "${WEB}/src/main.js" &
pids+=($!)
echo "run-local: open http://127.0.0.1:${WEB_PORT}/ (Ctrl-C stops the site and the gateway)"
# Either one ending ends both.
wait -n || true
