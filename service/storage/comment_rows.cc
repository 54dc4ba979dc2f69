#include "service/storage/comment_rows.h"

#include "nlohmann/json.hpp"
#include "pqxx/binarystring"
#include "pqxx/field"
#include "pqxx/pqxx"

namespace comments::storage {

CommentRecord ReadCommentRecord(const pqxx::row& row, int first) {
  CommentRecord record;
  int i = first;
  record.seq = row[i++].as<int64_t>();
  record.id = row[i++].as<std::string>();
  record.thread = row[i++].as<std::string>();
  record.author_name = row[i++].as<std::string>();
  record.author_url = row[i++].as<std::string>();
  record.body = row[i++].as<std::string>();
  record.reply_to_id = row[i++].as<std::string>();
  record.state = domain::ParseStateName(row[i++].as<std::string>())
                     .value_or(domain::CommentState::kPending);
  const pqxx::field ciphertext = row[i++];
  if (!ciphertext.is_null()) {
    record.email_ciphertext = pqxx::binarystring(ciphertext).str();
  }
  record.client_ip = row[i++].as<std::string>();
  record.user_agent = row[i++].as<std::string>();
  record.flags = nlohmann::json::parse(row[i++].as<std::string>())
                     .get<std::vector<std::string>>();
  record.version = row[i++].as<int64_t>();
  record.create_time = absl::FromUnixMicros(row[i++].as<int64_t>());
  record.update_time = absl::FromUnixMicros(row[i++].as<int64_t>());
  return record;
}

CommentRecord ReadPublicCommentRecord(const pqxx::row& row) {
  CommentRecord record;
  record.seq = row[0].as<int64_t>();
  record.id = row[1].as<std::string>();
  record.thread = row[2].as<std::string>();
  record.author_name = row[3].as<std::string>();
  record.author_url = row[4].as<std::string>();
  record.body = row[5].as<std::string>();
  record.reply_to_id = row[6].as<std::string>();
  record.state = domain::ParseStateName(row[7].as<std::string>())
                     .value_or(domain::CommentState::kPending);
  record.create_time = absl::FromUnixMicros(row[8].as<int64_t>());
  return record;
}

std::string ToJsonArray(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

}  // namespace comments::storage
