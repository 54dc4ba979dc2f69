#include "service/storage/moderation_rows.h"

#include <string>

#include "pqxx/field"
#include "pqxx/pqxx"

namespace comments::storage {

ModerationEventRecord ReadModerationEvent(const pqxx::row& row) {
  ModerationEventRecord event;
  int i = 0;
  event.id = row[i++].as<int64_t>();
  event.comment_id = row[i++].as<std::string>();
  event.thread = row[i++].as<std::string>();
  event.moderator = row[i++].as<std::string>();
  // The table's CHECK constraints admit only names these parsers know.
  event.action = domain::ParseActionName(row[i++].as<std::string>())
                     .value_or(domain::ModerationAction::kApprove);
  event.from_state = domain::ParseStateName(row[i++].as<std::string>());
  event.to_state = domain::ParseStateName(row[i++].as<std::string>());
  event.reason = row[i++].as<std::string>();
  event.create_time = absl::FromUnixMicros(row[i++].as<int64_t>());
  return event;
}

ModeratorRecord ReadModerator(const pqxx::row& row) {
  ModeratorRecord moderator;
  moderator.name = row[0].as<std::string>();
  moderator.create_time = absl::FromUnixMicros(row[1].as<int64_t>());
  if (!row[2].is_null()) {
    moderator.revoke_time = absl::FromUnixMicros(row[2].as<int64_t>());
  }
  return moderator;
}

}  // namespace comments::storage
