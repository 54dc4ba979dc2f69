#!/usr/bin/env bash
# The web frontends' tests in one node --test run, so one summary line
# ("# pass N", "# fail 0") closes the output: the gateway's own tests
# (gateway/test/) and the example site's, whose browser tests drive Debian's
# Chromium through the site and the gateway to build/'s comments_server and
# a throwaway PostgreSQL (examples/web/test/). Needs scripts/build.sh first.
# Artefacts (the page's screenshot, every process's log) go to
# examples/web/test-results/, or WEB_TEST_ARTEFACTS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

bash scripts/web-packages.sh
# Each file is its own process; two at a time for two cores.
node --test --test-reporter=tap --test-concurrency=2 --test-timeout=180000 \
  gateway/test/*.test.js examples/web/test/*.test.js
