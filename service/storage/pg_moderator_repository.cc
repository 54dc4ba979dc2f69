#include "service/storage/pg_moderator_repository.h"

#include "pqxx/binarystring"
#include "pqxx/pqxx"
#include "service/common/error_details.h"
#include "service/storage/moderation_rows.h"
#include "service/storage/moderator_sql.h"

namespace comments::storage {
namespace {

constexpr char kInsertModerator[] = "moderator_insert";
constexpr char kListModerators[] = "moderator_list";
constexpr char kRevokeModerator[] = "moderator_revoke";
constexpr char kFindActiveModerator[] = "moderator_find_active";

pqxx::binarystring Bytes(std::string_view bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

}  // namespace

std::vector<std::pair<std::string, std::string>>
PgModeratorRepository::PreparedStatements() {
  return {{kInsertModerator, sql::kInsertModerator},
          {kListModerators, sql::kListModerators},
          {kRevokeModerator, sql::kRevokeModerator},
          {kFindActiveModerator, sql::kFindActiveModerator}};
}

absl::StatusOr<ModeratorRecord> PgModeratorRepository::Add(
    std::string_view name, std::string_view token_hash, absl::Time deadline) {
  ModeratorRecord record;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(kInsertModerator, std::string(name),
                                          Bytes(token_hash));
    if (rows.empty()) {
      return WithErrorInfo(
          absl::AlreadyExistsError(
              "a moderator with this name exists or existed; names are "
              "never reused"),
          "MODERATOR_EXISTS");
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
    for (const pqxx::row& row : txn.exec_prepared(kListModerators)) {
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
    pqxx::result rows = txn.exec_prepared(kRevokeModerator, std::string(name));
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
    pqxx::result rows =
        txn.exec_prepared(kFindActiveModerator, Bytes(token_hash));
    if (!rows.empty()) name = rows[0][0].as<std::string>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return name;
}

}  // namespace comments::storage
