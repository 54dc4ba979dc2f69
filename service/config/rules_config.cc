#include "service/config/rules_config.h"

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "yaml-cpp/yaml.h"

namespace comments::config {
namespace {

// yaml-cpp reports through exceptions; they stop at this file's boundary.
// Every reader below takes the dotted path of what it reads, for messages.

absl::Status Bad(const std::string& path, const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", problem));
}

std::string Path(const std::string& parent, const std::string& key) {
  return parent.empty() ? std::string(key) : absl::StrCat(parent, ".", key);
}

// `node` must be a map (or absent/null: empty) whose keys are all `known`.
absl::Status CheckMap(const YAML::Node& node, const std::string& path,
                      std::initializer_list<const char*> known) {
  if (!node || node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) {
    return Bad(
        path.empty() ? "(document)" : path,
        absl::StrCat("must be a map with keys ", absl::StrJoin(known, ", ")));
  }
  for (const auto& entry : node) {
    const std::string key =
        entry.first.IsScalar() ? entry.first.Scalar() : "(not a string)";
    bool found = false;
    for (const char* name : known) found = found || key == name;
    if (!found) {
      return Bad(Path(path, key), absl::StrCat("unknown key; known keys here: ",
                                               absl::StrJoin(known, ", ")));
    }
  }
  return absl::OkStatus();
}

// The child `key` of map `node`, or an undefined node when absent or null.
YAML::Node Child(const YAML::Node& node, const char* key) {
  if (!node || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node child = node[key];
  if (!child || child.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
  return child;
}

absl::Status ReadInt(const YAML::Node& node, const std::string& path, int min,
                     int max, int* out) {
  if (!node) return absl::OkStatus();
  const std::string problem =
      absl::StrCat("must be an integer from ", min, " to ", max);
  if (!node.IsScalar()) return Bad(path, problem);
  int value = 0;
  try {
    value = node.as<int>();
  } catch (const YAML::Exception&) {
    return Bad(path, problem);
  }
  if (value < min || value > max) return Bad(path, problem);
  *out = value;
  return absl::OkStatus();
}

absl::Status ReadNumber(const YAML::Node& node, const std::string& path,
                        double min, double max, bool min_exclusive,
                        double* out) {
  if (!node) return absl::OkStatus();
  const std::string problem =
      absl::StrCat("must be a number ", min_exclusive ? "above " : "from ", min,
                   min_exclusive ? " up to " : " to ", max);
  if (!node.IsScalar()) return Bad(path, problem);
  double value = 0;
  try {
    value = node.as<double>();
  } catch (const YAML::Exception&) {
    return Bad(path, problem);
  }
  if (!std::isfinite(value) || value < min || value > max ||
      (min_exclusive && value == min)) {
    return Bad(path, problem);
  }
  *out = value;
  return absl::OkStatus();
}

absl::Status ReadBool(const YAML::Node& node, const std::string& path,
                      bool* out) {
  if (!node) return absl::OkStatus();
  if (!node.IsScalar()) return Bad(path, "must be true or false");
  try {
    *out = node.as<bool>();
  } catch (const YAML::Exception&) {
    return Bad(path, "must be true or false");
  }
  return absl::OkStatus();
}

absl::Status ReadStrings(const YAML::Node& node, const std::string& path,
                         std::vector<std::string>* out) {
  if (!node) return absl::OkStatus();
  if (!node.IsSequence()) return Bad(path, "must be a list of strings");
  out->clear();
  for (size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar()) {
      return Bad(absl::StrCat(path, "[", i, "]"), "must be a string");
    }
    out->push_back(node[i].Scalar());
  }
  return absl::OkStatus();
}

// A list whose entries a domain parser checks; its "[i] problem" message is
// prefixed with the path.
template <typename T>
absl::Status ReadParsedList(
    const YAML::Node& node, const std::string& path,
    absl::StatusOr<T> (*parse)(const std::vector<std::string>&), T* out) {
  std::vector<std::string> entries;
  if (absl::Status status = ReadStrings(node, path, &entries); !status.ok()) {
    return status;
  }
  absl::StatusOr<T> parsed = parse(entries);
  if (!parsed.ok()) {
    // "[3] must contain a word" -> "moderation.blocked_words[3]: must ..."
    std::string message(parsed.status().message());
    const size_t close = message.find("] ");
    if (!message.empty() && message[0] == '[' && close != std::string::npos) {
      return Bad(absl::StrCat(path, message.substr(0, close + 1)),
                 message.substr(close + 2));
    }
    return Bad(path, message);
  }
  *out = *std::move(parsed);
  return absl::OkStatus();
}

#define RETURN_IF_ERROR(expr)                           \
  do {                                                  \
    if (absl::Status _status = (expr); !_status.ok()) { \
      return _status;                                   \
    }                                                   \
  } while (false)

absl::Status ReadModeration(const YAML::Node& root,
                            domain::ModerationRules* rules) {
  const YAML::Node node = Child(root, "moderation");
  RETURN_IF_ERROR(CheckMap(node, "moderation",
                           {"mode", "link_threshold", "blocked_words",
                            "hold_words", "trusted_authors"}));
  if (const YAML::Node mode = Child(node, "mode"); mode) {
    const std::string text = mode.IsScalar() ? mode.Scalar() : "";
    if (text == "pre") {
      rules->mode = domain::ModerationMode::kPreModeration;
    } else if (text == "post") {
      rules->mode = domain::ModerationMode::kPostModeration;
    } else {
      return Bad("moderation.mode", "must be pre or post");
    }
  }
  RETURN_IF_ERROR(ReadInt(Child(node, "link_threshold"),
                          "moderation.link_threshold", 0, 1000,
                          &rules->link_threshold));
  RETURN_IF_ERROR(
      ReadParsedList(Child(node, "blocked_words"), "moderation.blocked_words",
                     &domain::WordList::Create, &rules->blocked_words));
  RETURN_IF_ERROR(
      ReadParsedList(Child(node, "hold_words"), "moderation.hold_words",
                     &domain::WordList::Create, &rules->hold_words));
  const YAML::Node trusted = Child(node, "trusted_authors");
  RETURN_IF_ERROR(CheckMap(trusted, "moderation.trusted_authors",
                           {"enabled", "min_approved"}));
  RETURN_IF_ERROR(ReadBool(Child(trusted, "enabled"),
                           "moderation.trusted_authors.enabled",
                           &rules->trust_returning_authors));
  RETURN_IF_ERROR(ReadInt(Child(trusted, "min_approved"),
                          "moderation.trusted_authors.min_approved", 1, 1000,
                          &rules->trusted_min_approved));
  return absl::OkStatus();
}

absl::Status ReadFlood(const YAML::Node& root, domain::FloodPolicy* flood) {
  const YAML::Node node = Child(root, "flood");
  RETURN_IF_ERROR(CheckMap(
      node, "flood",
      {"min_interval_seconds", "bucket_burst", "bucket_refill_per_minute",
       "ipv4_prefix_length", "ipv6_prefix_length"}));
  double interval_seconds = absl::ToDoubleSeconds(flood->min_interval);
  RETURN_IF_ERROR(ReadNumber(Child(node, "min_interval_seconds"),
                             "flood.min_interval_seconds", 0, 86400,
                             /*min_exclusive=*/false, &interval_seconds));
  flood->min_interval = absl::Seconds(interval_seconds);
  RETURN_IF_ERROR(ReadInt(Child(node, "bucket_burst"), "flood.bucket_burst", 0,
                          1000000, &flood->bucket_burst));
  RETURN_IF_ERROR(ReadNumber(Child(node, "bucket_refill_per_minute"),
                             "flood.bucket_refill_per_minute", 0, 1e6,
                             /*min_exclusive=*/true,
                             &flood->bucket_refill_per_minute));
  // Wider than an ISP's smallest allocation would put unrelated readers in
  // one bucket.
  RETURN_IF_ERROR(ReadInt(Child(node, "ipv4_prefix_length"),
                          "flood.ipv4_prefix_length", 8, 32,
                          &flood->ipv4_prefix_length));
  RETURN_IF_ERROR(ReadInt(Child(node, "ipv6_prefix_length"),
                          "flood.ipv6_prefix_length", 32, 128,
                          &flood->ipv6_prefix_length));
  return absl::OkStatus();
}

absl::Status ReadClientIp(const YAML::Node& root,
                          domain::IpNetworkList* proxies) {
  const YAML::Node node = Child(root, "client_ip");
  RETURN_IF_ERROR(CheckMap(node, "client_ip", {"trusted_proxies"}));
  return ReadParsedList(Child(node, "trusted_proxies"),
                        "client_ip.trusted_proxies",
                        &domain::IpNetworkList::Parse, proxies);
}

absl::Status ReadValidation(const YAML::Node& root,
                            domain::ValidationLimits* limits) {
  const YAML::Node node = Child(root, "validation");
  RETURN_IF_ERROR(
      CheckMap(node, "validation",
               {"author_name_max_chars", "body_min_chars", "body_max_chars",
                "author_url_max_chars", "email_local_part_max_octets",
                "email_max_octets"}));
  RETURN_IF_ERROR(ReadInt(Child(node, "author_name_max_chars"),
                          "validation.author_name_max_chars", 1, 1000,
                          &limits->author_name_max_chars));
  RETURN_IF_ERROR(ReadInt(Child(node, "body_min_chars"),
                          "validation.body_min_chars", 1, 1000000,
                          &limits->body_min_chars));
  RETURN_IF_ERROR(ReadInt(Child(node, "body_max_chars"),
                          "validation.body_max_chars", 1, 1000000,
                          &limits->body_max_chars));
  if (limits->body_min_chars > limits->body_max_chars) {
    return Bad("validation.body_min_chars",
               "must not be more than validation.body_max_chars");
  }
  RETURN_IF_ERROR(ReadInt(Child(node, "author_url_max_chars"),
                          "validation.author_url_max_chars", 10, 65536,
                          &limits->author_url_max_chars));
  // The standards' own limits (RFC 5321) are the upper bounds: a longer
  // address cannot receive mail.
  RETURN_IF_ERROR(ReadInt(Child(node, "email_local_part_max_octets"),
                          "validation.email_local_part_max_octets", 1, 64,
                          &limits->email_local_part_max_octets));
  RETURN_IF_ERROR(ReadInt(Child(node, "email_max_octets"),
                          "validation.email_max_octets", 3, 254,
                          &limits->email_max_octets));
  return absl::OkStatus();
}

#undef RETURN_IF_ERROR

}  // namespace

absl::StatusOr<RulesConfig> ParseRulesConfig(std::string_view yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& error) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", error.mark.line + 1, ", column ",
                     error.mark.column + 1, ": ", error.msg));
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(error.what());
  }
  RulesConfig config;
  absl::Status status =
      CheckMap(root, "", {"moderation", "flood", "client_ip", "validation"});
  if (status.ok()) status = ReadModeration(root, &config.moderation);
  if (status.ok()) status = ReadFlood(root, &config.flood);
  if (status.ok()) status = ReadClientIp(root, &config.trusted_proxies);
  if (status.ok()) status = ReadValidation(root, &config.limits);
  if (!status.ok()) return status;
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
