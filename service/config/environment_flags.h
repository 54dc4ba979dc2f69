// Environment variables as a second source for command-line flags: the
// flag `--db_pool_size` may also be set as COMMENTS_DB_POOL_SIZE. Values go
// through the flag's own parser, so a malformed one is an error naming the
// variable, never a silent default.
#ifndef COMMENTS_SERVICE_CONFIG_ENVIRONMENT_FLAGS_H_
#define COMMENTS_SERVICE_CONFIG_ENVIRONMENT_FLAGS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace comments::config {

// The variable that sets flag `flag_name`: `prefix` + the name upper-cased.
std::string EnvironmentVariableFor(std::string_view prefix,
                                   std::string_view flag_name);

// Sets every flag defined in `defining_file` (a __FILE__ value) whose
// variable is present in the environment. Call it before parsing the
// command line, so that the command line wins. INVALID_ARGUMENT naming the
// variable (never its value: it may be a secret's path) when the flag's
// parser rejects a value; flags set before the error keep their values.
absl::Status ApplyEnvironmentToFlags(std::string_view prefix,
                                     std::string_view defining_file);

}  // namespace comments::config

#endif  // COMMENTS_SERVICE_CONFIG_ENVIRONMENT_FLAGS_H_
