#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer into build-asan/ (the directory
# scripts/sanitize.sh asan builds the tests in: one instrumented build for
# both), and runs each for FUZZ_SECONDS (default 60) on a copy of its seed
# corpus (tests/fuzz/corpus/<name>; the copy grows, the repository's does
# not), FUZZ_JOBS of them at a time (default: one per core; libFuzzer uses
# one core per run). Exits non-zero when any run finds a crash, leak,
# sanitizer report or broken invariant; the input that caused it is kept in
# build-asan/findings/.
#
#   scripts/fuzz.sh                  every harness, 60 s each
#   FUZZ_SECONDS=3600 scripts/fuzz.sh page_token   one harness, an hour
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

HARNESSES=(validation create_request page_token client_ip rules_config)
if (($# > 0)); then
  HARNESSES=("$@")
fi
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_JOBS="${FUZZ_JOBS:-$(nproc)}"
BUILD=build-asan

bash scripts/install-deps.sh --no-web --clang
source scripts/lib/instrumented-build.sh
configure_instrumented "${BUILD}" address,undefined -DCOMMENTS_FUZZ=ON
targets=()
for name in "${HARNESSES[@]}"; do
  targets+=(--target "${name}_fuzzer")
done
cmake --build "${BUILD}" -j"$(nproc)" "${targets[@]}"

# UBSan findings abort (the build says -fno-sanitize-recover); these make
# ASan's leak check and stack traces part of every run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "${BUILD}/findings"

# fuzz_one NAME: one harness on a fresh copy of its seeds; its output goes
# to ${BUILD}/NAME.log.
fuzz_one() {
  local name="$1" work="${BUILD}/corpus/$1"
  rm -rf "${work}"
  mkdir -p "${work}"
  cp tests/fuzz/corpus/"${name}"/* "${work}/"
  # -rss_limit_mb: a harness that needs more than this is a bug too.
  # -timeout: any one input taking longer than 10 s counts as a hang.
  "${BUILD}/tests/fuzz/${name}_fuzzer" \
    -max_total_time="${FUZZ_SECONDS}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="${BUILD}/findings/${name}-" \
    "${work}" >"${BUILD}/${name}.log" 2>&1
}

declare -A running=()  # pid -> harness
failed=()
# reap_one: waits for any run to end and records it.
reap_one() {
  local pid status=0
  wait -n -p pid "${!running[@]}" || status=$?
  local name="${running[${pid}]}"
  unset "running[${pid}]"
  if ((status != 0)); then
    tail -n 60 "${BUILD}/${name}.log" >&2
    echo "fuzz: ${name} FAILED; the input is in ${BUILD}/findings/" >&2
    failed+=("${name}")
    return
  fi
  echo "fuzz: ${name}: $(grep -E '^stat::number_of_executed_units|^Done' \
    "${BUILD}/${name}.log" | tr '\n' ' ')"
}

for name in "${HARNESSES[@]}"; do
  while ((${#running[@]} >= FUZZ_JOBS)); do
    reap_one
  done
  echo "fuzz: ${name} for ${FUZZ_SECONDS} s (log: ${BUILD}/${name}.log)"
  fuzz_one "${name}" &
  running[$!]="${name}"
done
while ((${#running[@]} > 0)); do
  reap_one
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#HARNESSES[@]} harnesses, ${FUZZ_SECONDS} s each, no findings"
