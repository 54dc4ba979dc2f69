#include "service/common/json_log.h"

#include <atomic>
#include <cstdio>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace comments::log {
namespace {

std::atomic<int> min_level{static_cast<int>(Level::kInfo)};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Serialises whole lines so concurrent handlers never interleave output.
absl::Mutex& SinkMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

thread_local const ScopedFields* current_scope = nullptr;

}  // namespace

ScopedFields::ScopedFields(nlohmann::json fields)
    : fields_(std::move(fields)), outer_(current_scope) {
  if (outer_ != nullptr) {
    nlohmann::json merged = outer_->fields();
    merged.update(fields_);
    fields_ = std::move(merged);
  }
  current_scope = this;
}

ScopedFields::~ScopedFields() { current_scope = outer_; }

nlohmann::json CurrentScopedFields() {
  return current_scope != nullptr ? current_scope->fields()
                                  : nlohmann::json::object();
}

void SetMinLevel(Level level) { min_level = static_cast<int>(level); }

bool ParseLevel(std::string_view text, Level* level) {
  for (Level candidate :
       {Level::kDebug, Level::kInfo, Level::kWarning, Level::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

void Write(Level level, std::string_view msg, const nlohmann::json& fields) {
  if (static_cast<int>(level) < min_level) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                absl::UTCTimeZone());
  line["level"] = LevelName(level);
  line["msg"] = std::string(msg);
  if (current_scope != nullptr) line.update(current_scope->fields());
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  // Replace invalid UTF-8 rather than throw: a log line must never crash.
  std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  absl::MutexLock lock(&SinkMutex());
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace comments::log
