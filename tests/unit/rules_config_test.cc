// The rules file: every key read, defaults when absent, and every mistake
// reported with the path of the bad key.
#include "service/config/rules_config.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/text_fold.h"

namespace comments::config {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(RulesConfigTest, EmptyDocumentGivesTheDefaults) {
  for (const char* empty : {"", "# nothing\n", "~"}) {
    absl::StatusOr<RulesConfig> config = ParseRulesConfig(empty);
    ASSERT_TRUE(config.ok()) << config.status();
    EXPECT_EQ(config->moderation.mode, domain::ModerationMode::kPreModeration);
    EXPECT_EQ(config->moderation.link_threshold, 2);
    EXPECT_TRUE(config->moderation.blocked_words.empty());
    EXPECT_TRUE(config->moderation.hold_words.empty());
    EXPECT_FALSE(config->moderation.trust_returning_authors);
    EXPECT_EQ(config->moderation.trusted_min_approved, 2);
    EXPECT_EQ(config->flood.min_interval, absl::Seconds(15));
    EXPECT_EQ(config->flood.bucket_burst, 5);
    EXPECT_DOUBLE_EQ(config->flood.bucket_refill_per_minute, 1);
    EXPECT_EQ(config->flood.ipv4_prefix_length, 32);
    EXPECT_EQ(config->flood.ipv6_prefix_length, 64);
    EXPECT_TRUE(config->trusted_proxies.empty());
    EXPECT_EQ(config->limits.body_max_chars, 10000);
  }
}

TEST(RulesConfigTest, ReadsEveryKey) {
  absl::StatusOr<RulesConfig> config = ParseRulesConfig(R"yaml(
moderation:
  mode: post
  link_threshold: 3
  blocked_words: [casino, "cheap pills"]
  hold_words:
    - lawsuit
  trusted_authors:
    enabled: true
    min_approved: 4
flood:
  min_interval_seconds: 7.5
  bucket_burst: 10
  bucket_refill_per_minute: 0.5
  ipv4_prefix_length: 24
  ipv6_prefix_length: 56
client_ip:
  trusted_proxies: [10.0.0.0/8, "::1"]
validation:
  author_name_max_chars: 80
  body_min_chars: 5
  body_max_chars: 2000
  author_url_max_chars: 512
  email_local_part_max_octets: 60
  email_max_octets: 200
)yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->moderation.mode, domain::ModerationMode::kPostModeration);
  EXPECT_EQ(config->moderation.link_threshold, 3);
  EXPECT_EQ(config->moderation.blocked_words.size(), 2);
  EXPECT_TRUE(config->moderation.blocked_words.FoundIn(
      domain::FoldedWords("Cheap PILLS")));
  EXPECT_TRUE(
      config->moderation.hold_words.FoundIn(domain::FoldedWords("LAWSUIT")));
  EXPECT_TRUE(config->moderation.trust_returning_authors);
  EXPECT_EQ(config->moderation.trusted_min_approved, 4);
  EXPECT_EQ(config->flood.min_interval, absl::Milliseconds(7500));
  EXPECT_EQ(config->flood.bucket_burst, 10);
  EXPECT_DOUBLE_EQ(config->flood.bucket_refill_per_minute, 0.5);
  EXPECT_EQ(config->flood.ipv4_prefix_length, 24);
  EXPECT_EQ(config->flood.ipv6_prefix_length, 56);
  EXPECT_TRUE(config->trusted_proxies.Contains("10.1.2.3"));
  EXPECT_TRUE(config->trusted_proxies.Contains("::1"));
  EXPECT_EQ(config->limits.author_name_max_chars, 80);
  EXPECT_EQ(config->limits.body_min_chars, 5);
  EXPECT_EQ(config->limits.body_max_chars, 2000);
  EXPECT_EQ(config->limits.author_url_max_chars, 512);
  EXPECT_EQ(config->limits.email_local_part_max_octets, 60);
  EXPECT_EQ(config->limits.email_max_octets, 200);
}

TEST(RulesConfigTest, ZeroTurnsFloodControlOff) {
  absl::StatusOr<RulesConfig> config =
      ParseRulesConfig("flood: {min_interval_seconds: 0, bucket_burst: 0}");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->flood.min_interval, absl::ZeroDuration());
  EXPECT_EQ(config->flood.bucket_burst, 0);
}

struct BadCase {
  const char* yaml;
  const char* key;  // the message starts with this path
};

class BadRulesTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadRulesTest, NamesTheBadKey) {
  absl::StatusOr<RulesConfig> config = ParseRulesConfig(GetParam().yaml);
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument)
      << GetParam().yaml;
  EXPECT_THAT(std::string(config.status().message()),
              StartsWith(absl::StrCat(GetParam().key, ": ")));
}

INSTANTIATE_TEST_SUITE_P(
    EveryKey, BadRulesTest,
    ::testing::Values(
        BadCase{"- a list", "(document)"},
        BadCase{"moderaton: {}", "moderaton"},
        BadCase{"moderation: 3", "moderation"},
        BadCase{"moderation: {mode: sometimes}", "moderation.mode"},
        BadCase{"moderation: {mode: [pre]}", "moderation.mode"},
        BadCase{"moderation: {link_threshold: -1}",
                "moderation.link_threshold"},
        BadCase{"moderation: {link_threshold: two}",
                "moderation.link_threshold"},
        BadCase{"moderation: {link_threshold: 2.5}",
                "moderation.link_threshold"},
        BadCase{"moderation: {blocked_words: casino}",
                "moderation.blocked_words"},
        BadCase{"moderation: {blocked_words: [ok, '...']}",
                "moderation.blocked_words[1]"},
        BadCase{"moderation: {hold_words: [[nested]]}",
                "moderation.hold_words[0]"},
        BadCase{"moderation: {trusted_authors: yes}",
                "moderation.trusted_authors"},
        BadCase{"moderation: {trusted_authors: {enabled: maybe}}",
                "moderation.trusted_authors.enabled"},
        BadCase{"moderation: {trusted_authors: {min_approved: 0}}",
                "moderation.trusted_authors.min_approved"},
        BadCase{"moderation: {trusted_authors: {threshold: 2}}",
                "moderation.trusted_authors.threshold"},
        BadCase{"flood: {min_interval_seconds: -1}",
                "flood.min_interval_seconds"},
        BadCase{"flood: {min_interval_seconds: .nan}",
                "flood.min_interval_seconds"},
        BadCase{"flood: {bucket_burst: 1.5}", "flood.bucket_burst"},
        BadCase{"flood: {bucket_refill_per_minute: 0}",
                "flood.bucket_refill_per_minute"},
        BadCase{"flood: {window: 15}", "flood.window"},
        BadCase{"flood: {ipv6_prefix_length: 129}", "flood.ipv6_prefix_length"},
        BadCase{"flood: {ipv6_prefix_length: 16}", "flood.ipv6_prefix_length"},
        BadCase{"flood: {ipv4_prefix_length: 33}", "flood.ipv4_prefix_length"},
        BadCase{"flood: {ipv4_prefix_length: /24}", "flood.ipv4_prefix_length"},
        BadCase{"client_ip: {trusted_proxies: [10.0.0.0/8, 10.0.0.1/8]}",
                "client_ip.trusted_proxies[1]"},
        BadCase{"client_ip: {trusted_proxies: 10.0.0.0/8}",
                "client_ip.trusted_proxies"},
        BadCase{"validation: {body_max_chars: 0}", "validation.body_max_chars"},
        BadCase{"validation: {body_min_chars: 50, body_max_chars: 10}",
                "validation.body_min_chars"},
        BadCase{"validation: {email_max_octets: 300}",
                "validation.email_max_octets"},
        BadCase{"validation: {email_local_part_max_octets: 65}",
                "validation.email_local_part_max_octets"},
        BadCase{"validation: {author_name_max_chars: 0}",
                "validation.author_name_max_chars"},
        BadCase{"validation: {author_url_max_chars: 5}",
                "validation.author_url_max_chars"}));

TEST(RulesConfigTest, ExampleFileIsValid) {
  absl::StatusOr<RulesConfig> config =
      LoadRulesFile(COMMENTS_EXAMPLE_RULES_PATH);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->moderation.blocked_words.size(), 2);
  EXPECT_EQ(config->flood.min_interval, absl::Seconds(15));
  EXPECT_TRUE(config->trusted_proxies.Contains("127.0.0.1"));
}

TEST(RulesConfigTest, SyntaxErrorsGiveTheLine) {
  absl::StatusOr<RulesConfig> config =
      ParseRulesConfig("moderation:\n  mode: [pre\n");
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), StartsWith("line "));
}

TEST(RulesConfigTest, LoadsAFileAndNamesItInErrors) {
  const std::string path =
      (std::filesystem::temp_directory_path() /
       absl::StrCat("rules-config-test-", getpid(), ".yaml"))
          .string();
  std::ofstream(path) << "moderation:\n  mode: post\n";
  absl::StatusOr<RulesConfig> config = LoadRulesFile(path);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->moderation.mode, domain::ModerationMode::kPostModeration);

  std::ofstream(path) << "flood:\n  bucket_burst: lots\n";
  config = LoadRulesFile(path);
  ASSERT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("flood.bucket_burst: "));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path));
  std::remove(path.c_str());

  EXPECT_EQ(LoadRulesFile(path).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace comments::config
