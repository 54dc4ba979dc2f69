#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer into build-fuzz/, and runs each for
# FUZZ_SECONDS (default 60) on a copy of its seed corpus
# (tests/fuzz/corpus/<name>; the copy grows, the repository's does not).
# Exits non-zero on the first crash, leak, sanitizer report or broken
# invariant; the input that caused it is kept in build-fuzz/findings/.
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

bash scripts/install-deps.sh --no-web --clang
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "${ROOT}")}"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# Only the harnesses and what they link: no tests, no binaries.
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOMMENTS_FUZZ=ON -DBUILD_TESTING=OFF "${launcher[@]}"
targets=()
for name in "${HARNESSES[@]}"; do
  targets+=(--target "${name}_fuzzer")
done
cmake --build build-fuzz -j"$(nproc)" "${targets[@]}"

# UBSan findings abort (the build says -fno-sanitize-recover); these make
# ASan's leak check and stack traces part of every run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p build-fuzz/findings
for name in "${HARNESSES[@]}"; do
  work="build-fuzz/corpus/${name}"
  rm -rf "${work}"
  mkdir -p "${work}"
  cp tests/fuzz/corpus/"${name}"/* "${work}/"
  log="build-fuzz/${name}.log"
  echo "fuzz: ${name} for ${FUZZ_SECONDS} s (log: ${log})"
  # -rss_limit_mb: a harness that needs more than this is a bug too.
  # -timeout: any one input taking longer than 10 s counts as a hang.
  if ! "build-fuzz/tests/fuzz/${name}_fuzzer" \
      -max_total_time="${FUZZ_SECONDS}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="build-fuzz/findings/${name}-" \
      "${work}" >"${log}" 2>&1; then
    tail -n 60 "${log}" >&2
    echo "fuzz: ${name} FAILED; the input is in build-fuzz/findings/" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "${log}" | tr '\n' ' '
  echo
done
echo "fuzz: ${#HARNESSES[@]} harnesses, ${FUZZ_SECONDS} s each, no findings"
