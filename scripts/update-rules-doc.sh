#!/usr/bin/env bash
# Regenerates the table of rules-file keys in docs/auto-moderation.md from
# the key table (service/config/rules_keys.cc). rules_keys_test fails until
# this has been run after a key changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build build --target comments_rules_doc -j"$(nproc)"
build/service/config/comments_rules_doc docs/auto-moderation.md
echo "docs/auto-moderation.md: rules-file table regenerated"
