#include "service/config/rules_doc.h"

#include "absl/strings/str_cat.h"
#include "service/config/rules_keys.h"

namespace comments::config {

std::string RulesKeysMarkdown() {
  std::string table =
      "| key | accepts | default | meaning |\n| --- | --- | --- | --- |\n";
  for (const RulesKey& key : RulesKeys()) {
    std::string accepts = key.accepts;
    for (const RulesKeyRelation& relation : RulesKeyRelations()) {
      if (relation.path == key.path) {
        absl::StrAppend(&accepts, ", ", relation.accepts);
      }
    }
    absl::StrAppend(&table, "| `", key.path, "` | ", accepts, " | `",
                    key.default_value, "` | ", key.meaning, " |\n");
  }
  return table;
}

absl::StatusOr<std::string> WithRulesKeysTable(std::string_view markdown) {
  const size_t begin = markdown.find(kRulesTableBegin);
  if (begin == std::string_view::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat("no line ", kRulesTableBegin));
  }
  const size_t body = begin + std::string_view(kRulesTableBegin).size();
  const size_t end = markdown.find(kRulesTableEnd, body);
  if (end == std::string_view::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat("no line ", kRulesTableEnd, " after ", kRulesTableBegin));
  }
  // std::string_view is not absl's here, so StrCat cannot take it.
  return absl::StrCat(std::string(markdown.substr(0, body)), "\n",
                      RulesKeysMarkdown(), std::string(markdown.substr(end)));
}

}  // namespace comments::config
