// At start-up the server asks PostgreSQL whether an acknowledged comment
// survives a crash: with `fsync` off a power loss can corrupt the database,
// with `synchronous_commit` off the last commits before a crash are lost
// although the caller was told they were stored. Either breaks what the
// service promises, so each is a loud warning (the server still serves: a
// test or throwaway deployment may choose speed).
#ifndef COMMENTS_SERVICE_STARTUP_DURABILITY_CHECK_H_
#define COMMENTS_SERVICE_STARTUP_DURABILITY_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace comments::startup {

// The settings among fsync and synchronous_commit that are "off" for a
// session of `connection_string`, in that order; empty when both are on.
// UNAVAILABLE (or another code of db_errors.h) when the database cannot
// answer.
absl::StatusOr<std::vector<std::string>> SettingsLosingCommits(
    const std::string& connection_string);

// Logs one warning per setting that is off, naming it; a warning too when
// the settings cannot be read.
void WarnUnlessDurable(const std::string& connection_string);

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_DURABILITY_CHECK_H_
