#!/usr/bin/env bash
# Installs missing dependencies, then configures and builds into build/ at
# the repository root, wherever it is called from. With target names as
# arguments only those are built (and what they need); without, everything,
# tests included.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

bash scripts/install-deps.sh
launcher=()
# ccache (installed by install-deps.sh) makes rebuilds of unchanged sources
# nearly free, also across checkouts of the same tree.
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "${ROOT}")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}"
targets=()
for target in "$@"; do
  targets+=(--target "${target}")
done
cmake --build build -j"$(nproc)" "${targets[@]}"
