#include "service/config/rules_key.h"

#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "yaml-cpp/yaml.h"

namespace comments::config {
namespace {

// yaml-cpp converts through exceptions; they stop here.
template <typename T>
std::optional<T> ScalarAs(const YAML::Node& value) {
  if (!value.IsScalar()) return std::nullopt;
  try {
    return value.as<T>();
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

// Bounds as people write them: 1000000, not 1e+06.
std::string FormatNumber(double value) {
  return absl::StrFormat("%.15g", value);
}

// A key holding one scalar: `store` converts and range-checks it into
// `config` and returns false when the value is not what `accepts` says.
RulesKey ScalarKey(std::string path, std::string accepts,
                   std::string default_value, std::string meaning,
                   std::function<bool(const YAML::Node&, RulesConfig*)> store) {
  RulesKey key{std::move(path), std::move(accepts), std::move(default_value),
               std::move(meaning), nullptr};
  key.read = [path = key.path, problem = absl::StrCat("must be ", key.accepts),
              store = std::move(store)](const YAML::Node& value,
                                        RulesConfig* config,
                                        std::vector<KeyProblem>* problems) {
    if (!store(value, config)) problems->push_back({path, problem});
  };
  return key;
}

std::string Accepts(NumberRange range, absl::string_view unit) {
  return absl::StrCat(
      "a number", unit, range.min_exclusive ? " above " : " from ",
      FormatNumber(range.min), range.min_exclusive ? " up to " : " to ",
      FormatNumber(range.max));
}

std::optional<double> NumberIn(const YAML::Node& value, NumberRange range) {
  std::optional<double> number = ScalarAs<double>(value);
  if (!number || !std::isfinite(*number) || *number < range.min ||
      *number > range.max || (range.min_exclusive && *number == range.min)) {
    return std::nullopt;
  }
  return number;
}

// `List` has Add(entry) -> absl::Status, as the domain's lists do.
template <typename List>
RulesKey ListKey(std::string path, absl::string_view entries_noun,
                 std::string entry_noun, std::string default_value,
                 std::string meaning,
                 std::function<List*(RulesConfig*)> field) {
  RulesKey key{std::move(path), absl::StrCat("a list of ", entries_noun),
               std::move(default_value), std::move(meaning), nullptr};
  key.read = [path = key.path, accepts = key.accepts,
              entry_noun = std::move(entry_noun), field = std::move(field)](
                 const YAML::Node& value, RulesConfig* config,
                 std::vector<KeyProblem>* problems) {
    if (!value.IsSequence()) {
      problems->push_back({path, absl::StrCat("must be ", accepts)});
      return;
    }
    List list;
    bool ok = true;
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string entry_path = absl::StrCat(path, "[", i, "]");
      if (!value[i].IsScalar()) {
        problems->push_back({entry_path, absl::StrCat("must be ", entry_noun)});
        ok = false;
      } else if (absl::Status added = list.Add(value[i].Scalar());
                 !added.ok()) {
        problems->push_back({entry_path, std::string(added.message())});
        ok = false;
      }
    }
    if (ok) *field(config) = std::move(list);
  };
  return key;
}

}  // namespace

RulesKey BoolKey(std::string path, std::string default_value,
                 std::string meaning,
                 std::function<bool*(RulesConfig*)> field) {
  return ScalarKey(
      std::move(path), "true or false", std::move(default_value),
      std::move(meaning),
      [field = std::move(field)](const YAML::Node& value, RulesConfig* config) {
        std::optional<bool> flag = ScalarAs<bool>(value);
        if (flag) *field(config) = *flag;
        return flag.has_value();
      });
}

RulesKey IntegerKey(std::string path, int min, int max,
                    std::string default_value, std::string meaning,
                    std::function<int*(RulesConfig*)> field) {
  return ScalarKey(std::move(path),
                   absl::StrCat("an integer from ", min, " to ", max),
                   std::move(default_value), std::move(meaning),
                   [min, max, field = std::move(field)](const YAML::Node& value,
                                                        RulesConfig* config) {
                     std::optional<int> number = ScalarAs<int>(value);
                     if (!number || *number < min || *number > max)
                       return false;
                     *field(config) = *number;
                     return true;
                   });
}

RulesKey NumberKey(std::string path, NumberRange range,
                   std::string default_value, std::string meaning,
                   std::function<double*(RulesConfig*)> field) {
  return ScalarKey(std::move(path), Accepts(range, ""),
                   std::move(default_value), std::move(meaning),
                   [range, field = std::move(field)](const YAML::Node& value,
                                                     RulesConfig* config) {
                     std::optional<double> number = NumberIn(value, range);
                     if (number) *field(config) = *number;
                     return number.has_value();
                   });
}

RulesKey SecondsKey(std::string path, NumberRange range,
                    std::string default_value, std::string meaning,
                    std::function<absl::Duration*(RulesConfig*)> field) {
  return ScalarKey(std::move(path), Accepts(range, " of seconds"),
                   std::move(default_value), std::move(meaning),
                   [range, field = std::move(field)](const YAML::Node& value,
                                                     RulesConfig* config) {
                     std::optional<double> seconds = NumberIn(value, range);
                     if (seconds) *field(config) = absl::Seconds(*seconds);
                     return seconds.has_value();
                   });
}

RulesKey ChoiceKeyByIndex(std::string path, std::vector<std::string> names,
                          std::string default_value, std::string meaning,
                          std::function<void(RulesConfig*, size_t)> set) {
  std::string accepts =
      names.size() > 1
          ? absl::StrCat(absl::StrJoin(names.begin(), names.end() - 1, ", "),
                         " or ", names.back())
          : absl::StrJoin(names, "");
  return ScalarKey(std::move(path), std::move(accepts),
                   std::move(default_value), std::move(meaning),
                   [names = std::move(names), set = std::move(set)](
                       const YAML::Node& value, RulesConfig* config) {
                     if (!value.IsScalar()) return false;
                     for (size_t i = 0; i < names.size(); ++i) {
                       if (value.Scalar() == names[i]) {
                         set(config, i);
                         return true;
                       }
                     }
                     return false;
                   });
}

RulesKey WordListKey(std::string path, std::string default_value,
                     std::string meaning,
                     std::function<domain::WordList*(RulesConfig*)> field) {
  return ListKey<domain::WordList>(std::move(path), "words or phrases",
                                   "a word or phrase", std::move(default_value),
                                   std::move(meaning), std::move(field));
}

RulesKey NetworkListKey(
    std::string path, std::string default_value, std::string meaning,
    std::function<domain::IpNetworkList*(RulesConfig*)> field) {
  return ListKey<domain::IpNetworkList>(
      std::move(path), "IP addresses or CIDR networks",
      "an IP address or CIDR network", std::move(default_value),
      std::move(meaning), std::move(field));
}

}  // namespace comments::config
