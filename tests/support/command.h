// Runs a program to completion and collects what it wrote, for tests of
// command-line tools (and for tools such as openssl that tests need). The
// arguments go to exec as they are: no shell interprets them.
#ifndef COMMENTS_TESTS_SUPPORT_COMMAND_H_
#define COMMENTS_TESTS_SUPPORT_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace comments::testing {

struct CommandOutput {
  int exit_code = 0;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// argv[0] is searched in PATH. Standard input is /dev/null.
absl::StatusOr<CommandOutput> RunCommand(const std::vector<std::string>& argv);

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_COMMAND_H_
