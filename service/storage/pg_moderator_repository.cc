#include "service/storage/pg_moderator_repository.h"

#include "pqxx/binarystring"
#include "pqxx/pqxx"
#include "service/domain/error.h"
#include "service/storage/moderation_rows.h"
#include "service/storage/moderator_sql.h"

namespace comments::storage {
absl::StatusOr<ModeratorRecord> PgModeratorRepository::Add(
    std::string_view name, std::string_view token_hash, absl::Time deadline) {
  ModeratorRecord record;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(Prepared(txn, sql::kInsertModerator),
                                          std::string(name), Bytes(token_hash));
    if (rows.empty()) {
      return domain::WithReason(
          absl::Status(absl::StatusCode::kAlreadyExists, ""),
          domain::ErrorReason::kModeratorExists);
    }
    record = ReadModerator(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<std::vector<ModeratorRecord>> PgModeratorRepository::List(
    absl::Time deadline) {
  std::vector<ModeratorRecord> moderators;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    for (const pqxx::row& row :
         txn.exec_prepared(Prepared(txn, sql::kListModerators))) {
      moderators.push_back(ReadModerator(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return moderators;
}

absl::StatusOr<ModeratorRecord> PgModeratorRepository::Revoke(
    std::string_view name, absl::Time deadline) {
  ModeratorRecord record;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(Prepared(txn, sql::kRevokeModerator),
                                          std::string(name));
    if (rows.empty()) return absl::NotFoundError("no such moderator");
    record = ReadModerator(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<std::optional<std::string>> PgModeratorRepository::FindActive(
    std::string_view token_hash, absl::Time deadline) {
  std::optional<std::string> name;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(
        Prepared(txn, sql::kFindActiveModerator), Bytes(token_hash));
    if (!rows.empty()) name = rows[0][0].as<std::string>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return name;
}

}  // namespace comments::storage
