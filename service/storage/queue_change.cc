#include "service/storage/queue_change.h"

#include <cstdint>

#include "nlohmann/json.hpp"

namespace comments::storage {

std::optional<QueueChange> ParseQueueNotification(std::string_view payload) {
  const nlohmann::json json =
      nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  const auto text = [&json](const char* key) -> std::optional<std::string> {
    auto it = json.find(key);
    if (it == json.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const std::optional<std::string> kind = text("kind");
  const std::optional<std::string> id = text("id");
  const std::optional<std::string> thread = text("thread");
  const std::optional<std::string> state = text("state");
  const std::optional<std::string> actor = text("actor");
  const auto time = json.find("time_us");
  if (!kind || !id || !thread || !state || !actor || time == json.end() ||
      !time->is_number_integer()) {
    return std::nullopt;
  }
  QueueChange change;
  if (*kind == "ENTERED") {
    change.kind = QueueChange::Kind::kEntered;
  } else if (*kind == "LEFT") {
    change.kind = QueueChange::Kind::kLeft;
  } else {
    return std::nullopt;
  }
  change.comment_id = *id;
  change.thread = *thread;
  if (!state->empty()) {
    change.state = domain::ParseStateName(*state);
    if (!change.state.has_value()) return std::nullopt;
  }
  change.actor = *actor;
  change.time = absl::FromUnixMicros(time->get<int64_t>());
  return change;
}

}  // namespace comments::storage
