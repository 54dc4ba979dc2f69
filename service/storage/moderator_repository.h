// Moderator accounts: made and revoked by the operator command, looked up
// by the token hash on every moderation call.
#ifndef COMMENTS_SERVICE_STORAGE_MODERATOR_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_MODERATOR_REPOSITORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/storage/moderation_record.h"

namespace comments::storage {

class ModeratorRepository {
 public:
  virtual ~ModeratorRepository() = default;

  // ALREADY_EXISTS (reason kModeratorExists, no message) when the name was
  // ever used, revoked or not.
  virtual absl::StatusOr<ModeratorRecord> Add(std::string_view name,
                                              std::string_view token_hash,
                                              absl::Time deadline) = 0;

  // Every account, revoked ones included, by name.
  virtual absl::StatusOr<std::vector<ModeratorRecord>> List(
      absl::Time deadline) = 0;

  // Revokes the account at once; revoking it again changes nothing and
  // returns the account as it is. NOT_FOUND for an unknown name.
  virtual absl::StatusOr<ModeratorRecord> Revoke(std::string_view name,
                                                 absl::Time deadline) = 0;

  // The name of the active (not revoked) moderator with this token hash, or
  // nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindActive(
      std::string_view token_hash, absl::Time deadline) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_MODERATOR_REPOSITORY_H_
