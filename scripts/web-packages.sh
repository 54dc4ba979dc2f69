#!/usr/bin/env bash
# Makes the web frontends ready to run: the npm packages of gateway/,
# examples/web/ and tools/buf/ (buf curl, for the operations docs and their
# test) exactly as their package-lock.json pins them (npm ci, only
# when the lock file changed since the last install), then the JavaScript
# generated from proto/ by protoc-gen-es and the example page's script
# bundle, both rebuilt every time (about a second) so they never lag the
# sources.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

for dir in gateway examples/web tools/buf; do
  stamp="${ROOT}/${dir}/node_modules/.installed-from"
  lock="$(sha256sum "${ROOT}/${dir}/package-lock.json" | cut -d' ' -f1)"
  if [[ "$(cat "${stamp}" 2>/dev/null || true)" != "${lock}" ]]; then
    echo "web-packages: npm ci in ${dir}"
    # --ignore-scripts: no package's install script is needed (esbuild's
    # binary is a package of its own), and the project's own generation
    # runs below.
    (cd "${ROOT}/${dir}" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "${lock}" >"${stamp}"
  fi
done

(cd "${ROOT}/gateway" && npm run --silent generate)
(cd "${ROOT}/examples/web" && npm run --silent generate && npm run --silent build -- --log-level=warning)
echo "web-packages: gateway/ and examples/web/ are ready"
