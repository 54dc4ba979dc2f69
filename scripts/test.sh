#!/usr/bin/env bash
# Builds, then runs every test. Exits non-zero when any test fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

bash scripts/build.sh
# Dependencies point one way: the client library and the domain stay free
# of what they must not reach (scripts/check_layers.sh says what).
bash scripts/check_layers.sh
# The deployment's compose file must stay valid (Debian's docker-compose;
# needs no Docker engine).
docker-compose -f docker-compose.yml config --quiet
echo "docker-compose.yml: valid"
# The sample Prometheus configuration and alerts (Debian's prometheus
# package), and the alerts' own unit tests: each fires, and stays quiet.
(cd deploy/prometheus &&
  promtool check config prometheus.yml &&
  promtool check rules alerts.yml &&
  promtool test rules alerts_test.yml)
# Two at a time: each database-backed test binary starts its own PostgreSQL
# on a random port, and the target machines have two cores. The default
# timeout stops a hung test from blocking CI.
# The npm packages first: tests/e2e/buf_curl_e2e_test runs tools/buf's buf.
bash scripts/web-packages.sh
ctest --test-dir build --output-on-failure \
  -j"${CTEST_PARALLEL_LEVEL:-2}" --timeout "${CTEST_TIMEOUT:-600}"
# The web frontends after the server's tests: the gateway's tests and the
# browser tests (headless Chromium through the example site and the gateway
# to the server just built), closing with node's "# pass N" / "# fail 0".
bash scripts/web-test.sh
