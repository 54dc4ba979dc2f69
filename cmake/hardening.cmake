# Instrumented builds; the normal build sets neither option.
#
# COMMENTS_SANITIZE (scripts/sanitize.sh): a -fsanitize= list for every
# target, e.g. "address,undefined" or "thread". Undefined behaviour stops the
# test that hits it instead of printing a line ctest would not see.
#
# COMMENTS_FUZZ (scripts/fuzz.sh): the libFuzzer harnesses of tests/fuzz,
# with AddressSanitizer and UndefinedBehaviorSanitizer on everything they
# link. libFuzzer comes with clang only.
set(COMMENTS_SANITIZE "" CACHE STRING
  "-fsanitize= list for every target (address,undefined or thread)")
option(COMMENTS_FUZZ "Build the libFuzzer harnesses (clang only)" OFF)

if(COMMENTS_SANITIZE AND COMMENTS_FUZZ)
  message(FATAL_ERROR "COMMENTS_FUZZ brings its own sanitizers: "
    "leave COMMENTS_SANITIZE empty")
endif()

if(COMMENTS_SANITIZE)
  add_compile_options(-fsanitize=${COMMENTS_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${COMMENTS_SANITIZE})
  if(COMMENTS_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()

if(COMMENTS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "COMMENTS_FUZZ needs clang (CXX=clang++): "
      "libFuzzer is part of clang")
  endif()
  # Coverage feedback on everything, libFuzzer's main only in the harnesses
  # (tests/fuzz links -fsanitize=fuzzer).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
