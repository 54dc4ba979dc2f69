// The site's rules, from one YAML file (--rules_file): moderation mode,
// word lists, links, trusted authors, flood control, trusted proxies and
// the limits of the comment form. Every key is optional. The keys are
// declared once, in rules_keys.cc; docs/auto-moderation.md's table of them
// is generated from it, and examples/rules.yaml shows them all.
#ifndef COMMENTS_SERVICE_CONFIG_RULES_CONFIG_H_
#define COMMENTS_SERVICE_CONFIG_RULES_CONFIG_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/domain/flood_control.h"
#include "service/domain/ip_network.h"
#include "service/domain/moderation_rules.h"
#include "service/domain/validation.h"

namespace comments::config {

struct RulesConfig {
  domain::ModerationRules moderation;
  domain::FloodPolicy flood;
  domain::IpNetworkList trusted_proxies;
  domain::ValidationLimits limits;
};

// Parses YAML text. An empty document gives every default. Any problem is
// INVALID_ARGUMENT naming every bad key by its dotted path and saying what
// it must be, first problem first ("flood.bucket_burst: must be an integer
// from 0 to 1000000; moderation.mode: must be pre or post"); unknown keys
// are errors too, so a misspelt key cannot silently leave a default in
// force.
absl::StatusOr<RulesConfig> ParseRulesConfig(std::string_view yaml);

// Reads and parses a file; NOT_FOUND when it cannot be read.
absl::StatusOr<RulesConfig> LoadRulesFile(const std::string& path);

}  // namespace comments::config

#endif  // COMMENTS_SERVICE_CONFIG_RULES_CONFIG_H_
