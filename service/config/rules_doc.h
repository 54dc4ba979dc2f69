// The docs' table of rules-file keys, generated from the key table, and the
// splice that puts it between two marker lines of a Markdown file
// (docs/auto-moderation.md), so the docs cannot drift from the parser.
#ifndef COMMENTS_SERVICE_CONFIG_RULES_DOC_H_
#define COMMENTS_SERVICE_CONFIG_RULES_DOC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace comments::config {

inline constexpr char kRulesTableBegin[] =
    "<!-- rules-keys: generated from service/config/rules_keys.cc by "
    "scripts/update-rules-doc.sh; edit the table there -->";
inline constexpr char kRulesTableEnd[] = "<!-- /rules-keys -->";

// One Markdown table: key, what it accepts, default, meaning.
std::string RulesKeysMarkdown();

// `markdown` with everything between the marker lines replaced by
// RulesKeysMarkdown(). FAILED_PRECONDITION when a marker is missing.
absl::StatusOr<std::string> WithRulesKeysTable(std::string_view markdown);

}  // namespace comments::config

#endif  // COMMENTS_SERVICE_CONFIG_RULES_DOC_H_
