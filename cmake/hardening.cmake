# Instrumented builds; the normal build sets neither option.
#
# COMMENTS_SANITIZE (scripts/sanitize.sh): a -fsanitize= list for every
# target, e.g. "address,undefined" or "thread". Undefined behaviour stops the
# test that hits it instead of printing a line ctest would not see.
#
# COMMENTS_FUZZ (scripts/fuzz.sh): the libFuzzer harnesses of tests/fuzz,
# with coverage feedback and AddressSanitizer and UndefinedBehaviorSanitizer
# (COMMENTS_SANITIZE's default then) on everything. libFuzzer comes with
# clang only. scripts/sanitize.sh asan builds the tests in the same
# directory, so one instrumented build serves both.
set(COMMENTS_SANITIZE "" CACHE STRING
  "-fsanitize= list for every target (address,undefined or thread)")
option(COMMENTS_FUZZ "Build the libFuzzer harnesses (clang only)" OFF)

if(COMMENTS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "COMMENTS_FUZZ needs clang (CXX=clang++): "
      "libFuzzer is part of clang")
  endif()
  if(NOT COMMENTS_SANITIZE)
    set(COMMENTS_SANITIZE "address,undefined")
  endif()
  if(COMMENTS_SANITIZE MATCHES "thread")
    message(FATAL_ERROR "COMMENTS_FUZZ runs with AddressSanitizer: "
      "leave thread out of COMMENTS_SANITIZE")
  endif()
  # Coverage feedback on everything, libFuzzer's main only in the harnesses
  # (tests/fuzz links -fsanitize=fuzzer), so the same objects serve the
  # unit and integration tests (gtest's main) and the harnesses.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(COMMENTS_SANITIZE)
  add_compile_options(-fsanitize=${COMMENTS_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${COMMENTS_SANITIZE})
  if(COMMENTS_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()
