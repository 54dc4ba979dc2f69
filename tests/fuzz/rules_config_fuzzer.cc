// The rules file (config/rules_config.h): arbitrary text as YAML. Whatever
// it holds, the answer is a complete configuration whose every rule between
// keys holds, or INVALID_ARGUMENT saying what is wrong.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/config/rules_config.h"
#include "service/config/rules_keys.h"
#include "service/domain/validation.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<comments::config::RulesConfig> config =
      comments::config::ParseRulesConfig(yaml);
  if (!config.ok()) {
    FUZZ_CHECK(config.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!config.status().message().empty());
    return 0;
  }
  for (const comments::config::RulesKeyRelation& relation :
       comments::config::RulesKeyRelations()) {
    FUZZ_CHECK(relation.holds(*config));
  }
  // The limits are usable as they are: the comment form can be met.
  const comments::domain::ValidationLimits& limits = config->limits;
  FUZZ_CHECK(limits.author_name_max_chars >= 1);
  FUZZ_CHECK(limits.body_min_chars >= 1);
  FUZZ_CHECK(limits.body_min_chars <= limits.body_max_chars);
  FUZZ_CHECK(limits.email_local_part_max_octets >= 1);
  FUZZ_CHECK(limits.email_max_octets >= 3);
  // The same text gives the same answer.
  absl::StatusOr<comments::config::RulesConfig> again =
      comments::config::ParseRulesConfig(yaml);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->trusted_proxies.size() == config->trusted_proxies.size());
  return 0;
}
