// Secrets (database passwords) come from files, never from the command line
// or the environment, where other users and logs could see them.
#ifndef COMMENTS_SERVICE_ADMIN_SECRET_FILE_H_
#define COMMENTS_SERVICE_ADMIN_SECRET_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace comments::admin {

// The file's contents without trailing line ends (editors and `echo` add
// them). NOT_FOUND when it cannot be read; the message names the path only.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace comments::admin

#endif  // COMMENTS_SERVICE_ADMIN_SECRET_FILE_H_
