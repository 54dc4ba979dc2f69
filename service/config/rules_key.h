// What one key of the rules file is: its dotted path, what it accepts, its
// default, its meaning, and how a value is read into RulesConfig. The
// builders below are the key types; rules_keys.cc lists the keys with them.
#ifndef COMMENTS_SERVICE_CONFIG_RULES_KEY_H_
#define COMMENTS_SERVICE_CONFIG_RULES_KEY_H_

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "service/config/rules_config.h"
#include "service/domain/ip_network.h"
#include "service/domain/word_list.h"

namespace YAML {
class Node;
}  // namespace YAML

namespace comments::config {

// One thing wrong with a rules file, as data until it is reported:
// `path` is dotted ("flood.bucket_burst", "client_ip.trusted_proxies[1]"),
// `problem` says what the value must be ("must be an integer from 0 to 5").
struct KeyProblem {
  std::string path;
  std::string problem;
};

struct RulesKey {
  // Dotted: each part but the last names a map of the file.
  std::string path;
  // What a value must be, as a noun phrase: "an integer from 0 to 1000".
  // Errors say "must be " + accepts; the docs' table shows it as is.
  std::string accepts;
  // The value when the key is absent or null, written as in YAML. It goes
  // through `read` like a value from the file.
  std::string default_value;
  // One line of Markdown for the docs' table.
  std::string meaning;
  // Reads `value` (defined and not null) into `config`, or adds what is
  // wrong to `problems` and leaves `config` alone.
  std::function<void(const YAML::Node& value, RulesConfig* config,
                     std::vector<KeyProblem>* problems)>
      read;
};

// A rule between two keys, checked once every key has been read.
struct RulesKeyRelation {
  // The key an unmet relation is reported on.
  std::string path;
  // What `path` must also be, as a noun phrase ("at most x.y").
  std::string accepts;
  std::function<bool(const RulesConfig&)> holds;
};

// The key types. `field` gives the member of RulesConfig the key sets.

RulesKey BoolKey(std::string path, std::string default_value,
                 std::string meaning, std::function<bool*(RulesConfig*)> field);

RulesKey IntegerKey(std::string path, int min, int max,
                    std::string default_value, std::string meaning,
                    std::function<int*(RulesConfig*)> field);

struct NumberRange {
  double min = 0;
  double max = 0;
  // Whether `min` itself is refused (a rate that must be above 0).
  bool min_exclusive = false;
};

RulesKey NumberKey(std::string path, NumberRange range,
                   std::string default_value, std::string meaning,
                   std::function<double*(RulesConfig*)> field);

// A number of seconds (fractions allowed) held as a duration.
RulesKey SecondsKey(std::string path, NumberRange range,
                    std::string default_value, std::string meaning,
                    std::function<absl::Duration*(RulesConfig*)> field);

// One of a few words; `set` receives the index of the word in `names`.
RulesKey ChoiceKeyByIndex(std::string path, std::vector<std::string> names,
                          std::string default_value, std::string meaning,
                          std::function<void(RulesConfig*, size_t)> set);

// One of a few words, each standing for a value of enum `E`.
template <typename E>
RulesKey ChoiceKey(std::string path,
                   std::vector<std::pair<std::string, E>> choices,
                   std::string default_value, std::string meaning,
                   std::function<E*(RulesConfig*)> field) {
  std::vector<std::string> names;
  std::vector<E> values;
  for (auto& [name, value] : choices) {
    names.push_back(std::move(name));
    values.push_back(value);
  }
  return ChoiceKeyByIndex(
      std::move(path), std::move(names), std::move(default_value),
      std::move(meaning),
      [values = std::move(values), field = std::move(field)](
          RulesConfig* config, size_t index) {
        *field(config) = values[index];
      });
}

// Lists whose entries the domain checks one by one, so that a bad entry is
// reported at its own path ("moderation.hold_words[2]").
RulesKey WordListKey(std::string path, std::string default_value,
                     std::string meaning,
                     std::function<domain::WordList*(RulesConfig*)> field);

RulesKey NetworkListKey(
    std::string path, std::string default_value, std::string meaning,
    std::function<domain::IpNetworkList*(RulesConfig*)> field);

}  // namespace comments::config

#endif  // COMMENTS_SERVICE_CONFIG_RULES_KEY_H_
