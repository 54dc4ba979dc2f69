// Structured logs: one JSON object per line on standard error, e.g.
//   {"ts":"2026-11-29T06:42:13.123Z","level":"info","msg":"listening",
//    "address":"127.0.0.1:50051"}
// Callers pass only what is safe to log: never an email, a comment body, a
// token or a key. Field names are stable; operators build alerts on them.
#ifndef COMMENTS_SERVICE_COMMON_JSON_LOG_H_
#define COMMENTS_SERVICE_COMMON_JSON_LOG_H_

#include <string_view>

#include "nlohmann/json.hpp"

namespace comments::log {

enum class Level { kDebug, kInfo, kWarning, kError };

// Lines below this level are dropped. Default kInfo.
void SetMinLevel(Level level);
bool ParseLevel(std::string_view text, Level* level);

void Write(Level level, std::string_view msg,
           const nlohmann::json& fields = nlohmann::json::object());

// Fields added to every line this thread writes while it lives, e.g. the
// caller's trace id while a call is served; nested scopes add to the outer
// ones. The fields of the line itself win over these.
class ScopedFields {
 public:
  explicit ScopedFields(nlohmann::json fields);
  ~ScopedFields();
  ScopedFields(const ScopedFields&) = delete;
  ScopedFields& operator=(const ScopedFields&) = delete;

  // This scope's fields and every outer scope's.
  const nlohmann::json& fields() const { return fields_; }

 private:
  nlohmann::json fields_;
  const ScopedFields* const outer_;
};

// The fields the scopes of this thread add to its lines; an empty object
// outside every scope.
nlohmann::json CurrentScopedFields();

inline void Debug(std::string_view msg,
                  const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kDebug, msg, fields);
}
inline void Info(std::string_view msg,
                 const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kInfo, msg, fields);
}
inline void Warning(std::string_view msg,
                    const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kWarning, msg, fields);
}
inline void Error(std::string_view msg,
                  const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kError, msg, fields);
}

}  // namespace comments::log

#endif  // COMMENTS_SERVICE_COMMON_JSON_LOG_H_
