// ModeratorRepository on PostgreSQL.
#ifndef COMMENTS_SERVICE_STORAGE_PG_MODERATOR_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_PG_MODERATOR_REPOSITORY_H_

#include <string>
#include <utility>
#include <vector>

#include "service/storage/connection_pool.h"
#include "service/storage/moderator_repository.h"

namespace comments::storage {

class PgModeratorRepository final : public ModeratorRepository {
 public:
  explicit PgModeratorRepository(ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<ModeratorRecord> Add(std::string_view name,
                                      std::string_view token_hash,
                                      absl::Time deadline) override;
  absl::StatusOr<std::vector<ModeratorRecord>> List(
      absl::Time deadline) override;
  absl::StatusOr<ModeratorRecord> Revoke(std::string_view name,
                                         absl::Time deadline) override;
  absl::StatusOr<std::optional<std::string>> FindActive(
      std::string_view token_hash, absl::Time deadline) override;

 private:
  ConnectionPool* pool_;  // not owned
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_PG_MODERATOR_REPOSITORY_H_
