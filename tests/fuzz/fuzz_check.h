// What a harness does when an invariant breaks: prints it and aborts, so
// libFuzzer reports a crash and saves the input that caused it.
#ifndef COMMENTS_TESTS_FUZZ_FUZZ_CHECK_H_
#define COMMENTS_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                         \
  do {                                                                \
    if (!(condition)) {                                               \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, \
                   __LINE__, #condition);                             \
      std::abort();                                                   \
    }                                                                 \
  } while (false)

#endif  // COMMENTS_TESTS_FUZZ_FUZZ_CHECK_H_
