#!/usr/bin/env bash
# The tests under the sanitizers, each in its own build directory:
#
#   asan    AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/):
#           every unit and integration test (ctest -L unit|integration).
#           The same directory builds the fuzzing harnesses
#           (scripts/fuzz.sh), so it is configured with them.
#   tsan    ThreadSanitizer (build-tsan/): the tests of the parts that
#           share state between threads (TSAN_TESTS below).
#
#   scripts/sanitize.sh              both
#   scripts/sanitize.sh asan         one of them
#
# clang (scripts/lib/instrumented-build.sh says how it is configured); only
# the targets those tests need are built.
# Any sanitizer report fails the test that caused it, so ctest's or the
# binary's exit status is the answer.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "${ROOT}"

KINDS=("$@")
if ((${#KINDS[@]} == 0)); then
  KINDS=(asan tsan)
fi

# The connection pool (storage_test), group commit (insert_batcher_test),
# the moderation queue's watch hub, the public read cache, the handlers'
# work queue, and rate limiting: flood control's buckets, its row pruner,
# and its checks in the insert's transaction. Not submission_guard_test: its
# in-process gRPC server and client hand data over through gRPC core's
# completion queues, whose (uninstrumented) synchronization ThreadSanitizer
# cannot see, so gRPC's inline header code (call_op_set.h) is reported
# racing with gRPC core; a suppression broad enough to silence that would
# hide our races.
TSAN_TESTS=(
  integration/storage_test
  integration/insert_batcher_test
  unit/queue_watch_hub_test
  unit/public_read_cache_test
  unit/work_queue_test
  unit/flood_control_test
  unit/flood_row_pruner_test
  integration/admission_test
)

bash scripts/install-deps.sh --no-web --clang
source scripts/lib/instrumented-build.sh

run_asan() {
  configure_instrumented build-asan address,undefined -DCOMMENTS_FUZZ=ON
  cmake --build build-asan -j"$(nproc)" --target unit_tests integration_tests
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
  # tests/lsan.supp: leaks inside Debian's libraries, which we cannot fix.
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=${ROOT}/tests/lsan.supp}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # Two at a time, as scripts/test.sh: each database-backed binary starts
  # its own PostgreSQL.
  ctest --test-dir build-asan --output-on-failure -L '^(unit|integration)$' \
    -j"${CTEST_PARALLEL_LEVEL:-2}" --timeout "${CTEST_TIMEOUT:-900}"
}

run_tsan() {
  configure_instrumented build-tsan thread
  targets=()
  for test in "${TSAN_TESTS[@]}"; do
    targets+=(--target "$(basename "${test}")")
  done
  cmake --build build-tsan -j"$(nproc)" --target tsan_canary "${targets[@]}"
  # Debian's gRPC, Abseil, libpqxx and libpq are not built with
  # ThreadSanitizer; tests/tsan/tsan.supp lists what that makes it report
  # inside them, and nothing of ours.
  # Reports go to files (build-tsan/tsan-report.<pid>), since some tests
  # capture standard error to check the logs; printed when a test fails.
  rm -f build-tsan/tsan-report.*
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1 log_path=${ROOT}/build-tsan/tsan-report suppressions=${ROOT}/tests/tsan/tsan.supp}"
  # The run proves something only if the sanitizer sees Abseil's locks
  # (absl_sync_annotations.cc) and still sees a race without them.
  build-tsan/tsan_canary guarded
  if build-tsan/tsan_canary unguarded; then
    echo "tsan: an unguarded race went unreported" >&2
    exit 1
  fi
  rm -f build-tsan/tsan-report.*
  echo "tsan: canary: guarded count clean, unguarded race reported"
  for test in "${TSAN_TESTS[@]}"; do
    echo "tsan: ${test}"
    if ! "build-tsan/tests/${test}" --gtest_shuffle --gtest_brief=1; then
      cat build-tsan/tsan-report.* >&2 2>/dev/null || true
      echo "tsan: ${test} FAILED" >&2
      exit 1
    fi
  done
}

for kind in "${KINDS[@]}"; do
  start=${SECONDS}
  case "${kind}" in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *)
      echo "sanitize: unknown kind ${kind} (asan or tsan)" >&2
      exit 2
      ;;
  esac
  echo "sanitize: ${kind} passed in $((SECONDS - start)) s"
done
