// The rules file through the real server binary: a bad file stops start-up
// naming the bad key; without a file flood control is on by default; a
// site's word list sends a comment to SPAM unseen by its sender.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/comment_client.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "service/security/key_file.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"
#include "tests/support/wire_details.h"

namespace comments {
namespace {

using wire_details::GetQuotaFailure;
using wire_details::GetRetryInfo;

using ::testing::HasSubstr;

class RulesFileE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto postgres = testing::PostgresInstance::Start();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = postgres->release();
    dir_ = new std::string(std::filesystem::temp_directory_path() /
                           absl::StrCat("comments-rules-e2e-", getpid()));
    std::filesystem::create_directories(*dir_);
    std::ofstream(*dir_ + "/email.key") << security::NewKeyFileLine("k1");
    std::ofstream(*dir_ + "/hash.key") << security::NewKeyFileLine("h1");
  }

  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  // Server arguments on database `database` (created here), with
  // `rules` written to a rules file unless it is empty.
  static std::vector<std::string> Args(const std::string& database,
                                       const std::string& rules) {
    EXPECT_TRUE(postgres_->CreateDatabase(database).ok());
    std::vector<std::string> args = {
        absl::StrCat("--database_url=", postgres_->ConnectionUri(database)),
        absl::StrCat("--email_key_file=", *dir_, "/email.key"),
        absl::StrCat("--email_hash_key_file=", *dir_, "/hash.key"),
        "--db_pool_size=2"};
    if (!rules.empty()) {
      const std::string path = absl::StrCat(*dir_, "/", database, ".yaml");
      std::ofstream(path) << rules;
      args.push_back(absl::StrCat("--rules_file=", path));
    }
    return args;
  }

  static client::CommentClient Client(const testing::ServerProcess& server) {
    client::CallOptions options;
    options.timeout = absl::Seconds(10);
    return client::CommentClient(testing::ScannedChannel(server.address()),
                                 options);
  }

  static v1::CreateCommentRequest Draft(const std::string& email,
                                        const std::string& body) {
    v1::CreateCommentRequest request;
    request.set_parent("threads/rules-article");
    request.mutable_comment()->set_author_name("Ada Reader");
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_body(body);
    return request;
  }

  static testing::PostgresInstance* postgres_;
  static std::string* dir_;
};

testing::PostgresInstance* RulesFileE2eTest::postgres_ = nullptr;
std::string* RulesFileE2eTest::dir_ = nullptr;

TEST_F(RulesFileE2eTest, InvalidRulesFileStopsStartUpNamingTheKey) {
  auto server = testing::ServerProcess::Start(
      COMMENTS_SERVER_PATH,
      Args("bad_rules",
           "moderation:\n  mode: pre\nflood:\n  bucket_burst: "
           "plenty\n"));
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("bad --rules_file"));
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("flood.bucket_burst: must be an integer"));

  auto misspelt = testing::ServerProcess::Start(
      COMMENTS_SERVER_PATH,
      Args("misspelt_rules", "moderation:\n  blocked_word: [casino]\n"));
  ASSERT_FALSE(misspelt.ok());
  EXPECT_THAT(std::string(misspelt.status().message()),
              HasSubstr("moderation.blocked_word: unknown key"));

  std::vector<std::string> missing = Args("missing_rules", "");
  missing.push_back(absl::StrCat("--rules_file=", *dir_, "/absent.yaml"));
  auto absent = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, missing);
  ASSERT_FALSE(absent.ok());
  EXPECT_THAT(std::string(absent.status().message()), HasSubstr("absent.yaml"));
}

TEST_F(RulesFileE2eTest, WithoutAFileFloodControlIsOnByDefault) {
  auto server =
      testing::ServerProcess::Start(COMMENTS_SERVER_PATH, Args("defaults", ""));
  ASSERT_TRUE(server.ok()) << server.status();
  auto first = Client(**server).CreateComment(
      Draft("ada@example.org", "The first comment from this address."));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state(), v1::PENDING);

  // Another author, same client IP, well within 15 s.
  auto second = Client(**server).CreateComment(
      Draft("bob@example.org", "A second comment straight after."));
  ASSERT_EQ(second.status().code(), absl::StatusCode::kResourceExhausted)
      << second.status();
  auto retry = GetRetryInfo(second.status());
  ASSERT_TRUE(retry.has_value());
  const absl::Duration delay = absl::Seconds(retry->retry_delay().seconds()) +
                               absl::Nanoseconds(retry->retry_delay().nanos());
  EXPECT_GT(delay, absl::ZeroDuration());
  EXPECT_LE(delay, absl::Seconds(15));
  EXPECT_TRUE(GetQuotaFailure(second.status()).has_value());

  auto rows = postgres_->Query("defaults", "SELECT count(*) FROM comments");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, "1");
  EXPECT_EQ(*(*server)->Stop(SIGTERM, absl::Seconds(5)), 0);
}

TEST_F(RulesFileE2eTest, BlockedWordGoesToSpamAndPostModerationPublishes) {
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH,
                                              Args("site_rules", R"yaml(
moderation:
  mode: post
  blocked_words: [casino]
flood:
  min_interval_seconds: 0
  bucket_burst: 0
)yaml"));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT((*server)->LogLines(),
              ::testing::Contains(HasSubstr("\"msg\":\"rules loaded\"")));

  auto spam = Client(**server).CreateComment(
      Draft("spam@example.org", "Visit the best Casino tonight!"));
  ASSERT_TRUE(spam.ok()) << spam.status();
  EXPECT_EQ(spam->state(), v1::PENDING);
  auto published = Client(**server).CreateComment(
      Draft("ada@example.org", "A thoughtful reply to the article."));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state(), v1::APPROVED);

  auto stored = postgres_->Query(
      "site_rules",
      "SELECT state || ':' || array_to_string(flags, ',') FROM comments "
      "ORDER BY seq");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, "SPAM:blocked_word\nAPPROVED:");

  v1::ListCommentsRequest list;
  list.set_parent("threads/rules-article");
  auto page = Client(**server).ListComments(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->comments_size(), 1);
  EXPECT_EQ(page->comments(0).name(), published->name());
  EXPECT_EQ(Client(**server).GetComment(spam->name()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(*(*server)->Stop(SIGTERM, absl::Seconds(5)), 0);
}

// Idle flood-control rows are forgotten by a background task on a timer;
// a timer that never waits is refused before anything starts.
TEST_F(RulesFileE2eTest, ANonPositivePruneIntervalStopsStartUp) {
  std::vector<std::string> args = Args("bad_prune_interval", "");
  args.push_back("--flood_prune_interval_ms=0");
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("bad --flood_prune_interval_ms"));
}

}  // namespace
}  // namespace comments
