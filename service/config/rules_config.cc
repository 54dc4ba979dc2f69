#include "service/config/rules_config.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/config/rules_key.h"
#include "service/config/rules_keys.h"
#include "yaml-cpp/yaml.h"

namespace comments::config {
namespace {

// The file's maps are the dotted paths' prefixes: a section is "" (the
// document), "flood", "moderation.trusted_authors"...

std::string Path(const std::string& section, const std::string& name) {
  return section.empty() ? name : absl::StrCat(section, ".", name);
}

// The names one level below `section`, in the table's order.
std::vector<std::string> NamesUnder(const std::string& section) {
  const std::string prefix = section.empty() ? "" : absl::StrCat(section, ".");
  std::vector<std::string> names;
  for (const RulesKey& key : RulesKeys()) {
    if (!absl::StartsWith(key.path, prefix)) continue;
    const size_t end = key.path.find('.', prefix.size());
    std::string name = key.path.substr(prefix.size(), end - prefix.size());
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

const RulesKey* FindKey(const std::string& path) {
  for (const RulesKey& key : RulesKeys()) {
    if (key.path == path) return &key;
  }
  return nullptr;
}

// The child `name` of map `node`; undefined when absent or null.
YAML::Node Child(const YAML::Node& node, const std::string& name) {
  if (!node || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node child = node[name];
  if (!child || child.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
  return child;
}

// Reads the map `node` (absent or null: empty) at `section`: its unknown
// keys are problems, its keys are read, and absent ones take the default.
void ReadSection(const YAML::Node& node, const std::string& section,
                 RulesConfig* config, std::vector<KeyProblem>* problems) {
  const std::vector<std::string> names = NamesUnder(section);
  if (node && !node.IsNull()) {
    if (!node.IsMap()) {
      problems->push_back({section.empty() ? "(document)" : section,
                           absl::StrCat("must be a map with keys ",
                                        absl::StrJoin(names, ", "))});
      return;
    }
    for (const auto& entry : node) {
      const std::string name =
          entry.first.IsScalar() ? entry.first.Scalar() : "(not a string)";
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        problems->push_back(
            {Path(section, name), absl::StrCat("unknown key; known keys here: ",
                                               absl::StrJoin(names, ", "))});
      }
    }
  }
  for (const std::string& name : names) {
    const std::string path = Path(section, name);
    const YAML::Node child = Child(node, name);
    if (const RulesKey* key = FindKey(path); key != nullptr) {
      key->read(child ? child : YAML::Load(key->default_value), config,
                problems);
    } else {
      ReadSection(child, path, config, problems);
    }
  }
}

}  // namespace

absl::StatusOr<RulesConfig> ParseRulesConfig(std::string_view yaml) {
  RulesConfig config;
  std::vector<KeyProblem> problems;
  // yaml-cpp reports through exceptions; they stop here.
  try {
    ReadSection(YAML::Load(std::string(yaml)), "", &config, &problems);
  } catch (const YAML::ParserException& error) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", error.mark.line + 1, ", column ",
                     error.mark.column + 1, ": ", error.msg));
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(error.what());
  }
  // A relation between values is only worth checking once each is good.
  if (problems.empty()) {
    for (const RulesKeyRelation& relation : RulesKeyRelations()) {
      if (!relation.holds(config)) {
        problems.push_back(
            {relation.path, absl::StrCat("must be ", relation.accepts)});
      }
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(
        problems, "; ", [](std::string* out, const KeyProblem& problem) {
          absl::StrAppend(out, problem.path, ": ", problem.problem);
        }));
  }
  return config;
}

absl::StatusOr<RulesConfig> LoadRulesFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << file.rdbuf();
  absl::StatusOr<RulesConfig> config = ParseRulesConfig(text.str());
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace comments::config
