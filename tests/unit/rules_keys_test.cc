// The key table is the one description of the rules file: its defaults are
// the domain's, every key's errors say what the table says it accepts, and
// the docs' table and examples/rules.yaml agree with it.
#include "service/config/rules_keys.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/config/rules_config.h"
#include "service/config/rules_doc.h"
#include "tests/support/file_text.h"

namespace comments::config {
namespace {

using ::testing::HasSubstr;

using comments::testing::ReadFile;

// A document that sets the key at dotted `path` to `value` (YAML text).
std::string DocumentSetting(const std::string& path, const std::string& value) {
  std::string yaml;
  std::string indent;
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::StrAppend(
        &yaml, indent, parts[i], ":",
        i + 1 < parts.size() ? "\n" : absl::StrCat(" ", value, "\n"));
    indent += "  ";
  }
  return yaml;
}

TEST(RulesKeysTest, TableIsWellFormed) {
  std::set<std::string> paths;
  for (const RulesKey& key : RulesKeys()) {
    EXPECT_TRUE(paths.insert(key.path).second) << "twice: " << key.path;
    EXPECT_FALSE(key.accepts.empty()) << key.path;
    EXPECT_FALSE(key.default_value.empty()) << key.path;
    EXPECT_FALSE(key.meaning.empty()) << key.path;
    EXPECT_TRUE(key.read) << key.path;
  }
  // A key cannot also be a map of other keys.
  for (const std::string& path : paths) {
    for (const std::string& other : paths) {
      EXPECT_FALSE(absl::StartsWith(other, absl::StrCat(path, ".")))
          << path << " and " << other;
    }
  }
  for (const RulesKeyRelation& relation : RulesKeyRelations()) {
    EXPECT_EQ(paths.count(relation.path), 1u) << relation.path;
  }
}

// Every field a key sets, comparable: a list by its size.
auto Fields(const RulesConfig& config) {
  const auto& moderation = config.moderation;
  const auto& flood = config.flood;
  const auto& limits = config.limits;
  return std::make_tuple(
      moderation.mode, moderation.link_threshold,
      moderation.blocked_words.size(), moderation.hold_words.size(),
      moderation.trust_returning_authors, moderation.trusted_min_approved,
      flood.min_interval, flood.bucket_burst, flood.bucket_refill_per_minute,
      flood.ipv4_prefix_length, flood.ipv6_prefix_length,
      config.trusted_proxies.size(), limits.author_name_max_chars,
      limits.body_min_chars, limits.body_max_chars, limits.author_url_max_chars,
      limits.email_local_part_max_octets, limits.email_max_octets);
}

// The domain's structs keep defaults of their own for code that builds them
// without a file; the table's must be the same.
TEST(RulesKeysTest, DefaultsAreTheDomainDefaults) {
  absl::StatusOr<RulesConfig> parsed = ParseRulesConfig("");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(Fields(*parsed), Fields(RulesConfig{}));
}

TEST(RulesKeysTest, EveryKeyAcceptsItsDefaultWrittenOut) {
  for (const RulesKey& key : RulesKeys()) {
    const std::string yaml = DocumentSetting(key.path, key.default_value);
    absl::StatusOr<RulesConfig> config = ParseRulesConfig(yaml);
    EXPECT_TRUE(config.ok()) << yaml << config.status();
  }
}

TEST(RulesKeysTest, EveryKeyRefusesAMapSayingWhatItAccepts) {
  for (const RulesKey& key : RulesKeys()) {
    absl::StatusOr<RulesConfig> config =
        ParseRulesConfig(DocumentSetting(key.path, "{a: 1}"));
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(config.status().message(),
              absl::StrCat(key.path, ": must be ", key.accepts));
  }
}

TEST(RulesKeysTest, MarkdownHasOneRowPerKeyWithRelations) {
  const std::string table = RulesKeysMarkdown();
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'),
            static_cast<long>(RulesKeys().size() + 2));
  EXPECT_THAT(table, HasSubstr("| `flood.bucket_burst` | an integer from 0 to "
                               "1000000 | `5` | "));
  EXPECT_THAT(table, HasSubstr("| `validation.body_min_chars` | an integer "
                               "from 1 to 1000000, at most "
                               "validation.body_max_chars | `3` | "));
}

TEST(RulesKeysTest, SplicesTheTableBetweenTheMarkersOnly) {
  const std::string before = "# Title\n\ntext\n";
  const std::string after = "\n\nmore text\n";
  const std::string doc =
      absl::StrCat(before, kRulesTableBegin, "\nold\n", kRulesTableEnd, after);
  absl::StatusOr<std::string> spliced = WithRulesKeysTable(doc);
  ASSERT_TRUE(spliced.ok()) << spliced.status();
  EXPECT_EQ(*spliced, absl::StrCat(before, kRulesTableBegin, "\n",
                                   RulesKeysMarkdown(), kRulesTableEnd, after));
  EXPECT_EQ(*WithRulesKeysTable(*spliced), *spliced);

  EXPECT_EQ(WithRulesKeysTable("no markers").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(WithRulesKeysTable(absl::StrCat(kRulesTableBegin, "\n| old |\n"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

// What lies between the markers of `markdown` ("" without them), so that a
// failure shows the table rather than the whole document.
std::string TablePart(const std::string& markdown) {
  const size_t begin = markdown.find(kRulesTableBegin);
  const size_t end = markdown.find(kRulesTableEnd);
  if (begin == std::string::npos || end == std::string::npos) return "";
  const size_t body = begin + std::string(kRulesTableBegin).size();
  return markdown.substr(body, end - body);
}

TEST(RulesKeysTest, DocsTableIsTheGeneratedOne) {
  const std::string doc = ReadFile(COMMENTS_AUTO_MODERATION_DOC_PATH);
  absl::StatusOr<std::string> generated = WithRulesKeysTable(doc);
  ASSERT_TRUE(generated.ok()) << generated.status();
  EXPECT_EQ(TablePart(doc), TablePart(*generated))
      << "docs/auto-moderation.md's table of rules-file keys is stale: run "
         "bash scripts/update-rules-doc.sh";
}

// The keys of a block-style YAML file by dotted path, each with its value
// text and its trailing comment ("" when none).
std::map<std::string, std::pair<std::string, std::string>> KeyLines(
    const std::string& yaml) {
  std::map<std::string, std::pair<std::string, std::string>> keys;
  std::vector<std::pair<size_t, std::string>> sections;  // indent, name
  for (absl::string_view line : absl::StrSplit(yaml, '\n')) {
    const size_t indent = line.find_first_not_of(' ');
    if (indent == absl::string_view::npos || line[indent] == '#') continue;
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    while (!sections.empty() && sections.back().first >= indent) {
      sections.pop_back();
    }
    std::string path;
    for (const auto& section : sections)
      absl::StrAppend(&path, section.second, ".");
    const std::string name(line.substr(indent, colon - indent));
    absl::StrAppend(&path, name);
    absl::string_view rest = line.substr(colon + 1);
    absl::string_view comment;
    if (const size_t hash = rest.find(" #"); hash != absl::string_view::npos) {
      comment = absl::StripAsciiWhitespace(rest.substr(hash + 2));
      rest = rest.substr(0, hash);
    }
    rest = absl::StripAsciiWhitespace(rest);
    if (rest.empty()) {
      sections.emplace_back(indent, name);
    } else {
      keys[path] = {std::string(rest), std::string(comment)};
    }
  }
  return keys;
}

TEST(RulesKeysTest, ExampleListsEveryKeyWithItsDefault) {
  const auto lines = KeyLines(ReadFile(COMMENTS_EXAMPLE_RULES_PATH));
  for (const RulesKey& key : RulesKeys()) {
    auto it = lines.find(key.path);
    if (it == lines.end()) {
      ADD_FAILURE() << "examples/rules.yaml lacks " << key.path;
      continue;
    }
    const auto& [value, comment] = it->second;
    // A key set to an example value says its default beside it.
    EXPECT_TRUE(value == key.default_value ||
                comment == absl::StrCat("default: ", key.default_value))
        << key.path << ": " << value << " # " << comment;
  }
  for (const auto& [path, line] : lines) {
    EXPECT_TRUE(std::any_of(
        RulesKeys().begin(), RulesKeys().end(),
        [&path = path](const RulesKey& key) { return key.path == path; }))
        << "examples/rules.yaml has " << path << ", which is no key";
  }
}

}  // namespace
}  // namespace comments::config
