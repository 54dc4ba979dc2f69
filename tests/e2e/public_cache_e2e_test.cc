// The public read cache across replicas: two server processes on one
// database, public pages and counts read through B (and kept in its
// memory), moderation through A. Each change reaches B's pages once its
// notification has: an approval appears, a rejection and an erasure
// disappear. A change that is never notified is not seen, which shows B
// answers from memory.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "gmock/gmock.h"
#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

using ::testing::ElementsAre;

// What a reader sees of a thread: "author: body" per comment.
using Shown = std::vector<std::string>;

class PublicCacheE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto harness =
        testing::ModerationHarness::Start(COMMENTS_SERVER_PATH, "cache");
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = harness->release();
    for (testing::ServerProcess** server : {&a_, &b_}) {
      auto started = testing::ServerProcess::Start(COMMENTS_SERVER_PATH,
                                                   harness_->ServerArgs());
      ASSERT_TRUE(started.ok()) << started.status();
      *server = started->release();
    }
    channel_a_ = new std::shared_ptr<grpc::Channel>(
        testing::PlaintextChannel(a_->address()));
    channel_b_ = new std::shared_ptr<grpc::Channel>(
        testing::PlaintextChannel(b_->address()));
    auto token = harness_->AddModerator("ann");
    ASSERT_TRUE(token.ok()) << token.status();
    token_ = new std::string(*token);
  }

  static void TearDownTestSuite() {
    delete token_;
    delete channel_b_;
    delete channel_a_;
    delete b_;
    delete a_;
    delete harness_;
  }

  static client::ModerationClient ModeratorOnA() {
    return testing::ModeratorClient(*channel_a_, *token_);
  }
  static client::CommentClient ReaderOn(
      const std::shared_ptr<grpc::Channel>& channel) {
    return client::CommentClient(channel, testing::ModeratorOptions(""));
  }

  // Submits through A; returns the comment's name.
  static std::string Submit(const std::string& thread, const std::string& email,
                            const std::string& body) {
    v1::CreateCommentRequest request;
    request.set_parent("threads/" + thread);
    request.mutable_comment()->set_author_name("Ada");
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_body(body);
    absl::StatusOr<v1::Comment> created =
        ReaderOn(*channel_a_).CreateComment(request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->name() : "";
  }

  static void ApproveOnA(const std::string& name) {
    v1::ApproveCommentRequest request;
    request.set_name(name);
    auto approved = ModeratorOnA().ApproveComment(request);
    ASSERT_TRUE(approved.ok()) << approved.status();
  }

  // The thread's first page as a reader of `channel` sees it.
  static Shown Page(const std::shared_ptr<grpc::Channel>& channel,
                    const std::string& thread) {
    v1::ListCommentsRequest request;
    request.set_parent("threads/" + thread);
    auto page = ReaderOn(channel).ListComments(request);
    EXPECT_TRUE(page.ok()) << page.status();
    Shown shown;
    if (page.ok()) {
      for (const v1::Comment& comment : page->comments()) {
        shown.push_back(
            absl::StrCat(comment.author_name(), ": ", comment.body()));
      }
    }
    return shown;
  }

  static int64_t CountOnB(const std::string& thread) {
    v1::CountCommentsRequest request;
    request.add_parents("threads/" + thread);
    auto counts = ReaderOn(*channel_b_).CountComments(request);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() && counts->counts_size() == 1
               ? counts->counts(0).approved_count()
               : -1;
  }

  // Reads B's page until it is `expected` and B's count matches it, for at
  // most 20 s (a notification takes milliseconds); returns the last page.
  static Shown AwaitOnB(const std::string& thread, const Shown& expected) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    Shown shown;
    int64_t count = -1;
    do {
      shown = Page(*channel_b_, thread);
      count = CountOnB(thread);
    } while (
        (shown != expected || count != static_cast<int64_t>(expected.size())) &&
        absl::Now() < deadline);
    EXPECT_EQ(count, static_cast<int64_t>(expected.size()));
    return shown;
  }

  static std::string Query(const std::string& sql) {
    auto result = harness_->postgres().Query("cache", sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : "";
  }

  static inline testing::ModerationHarness* harness_ = nullptr;
  static inline testing::ServerProcess* a_ = nullptr;
  static inline testing::ServerProcess* b_ = nullptr;
  static inline std::shared_ptr<grpc::Channel>* channel_a_ = nullptr;
  static inline std::shared_ptr<grpc::Channel>* channel_b_ = nullptr;
  static inline std::string* token_ = nullptr;
};

TEST_F(PublicCacheE2eTest, ChangesThroughOneServerReachTheOthersPages) {
  const std::string first = Submit("replicas", "first@example.org", "One.");
  ASSERT_NO_FATAL_FAILURE(ApproveOnA(first));
  EXPECT_THAT(AwaitOnB("replicas", {"Ada: One."}), ElementsAre("Ada: One."));
  // Held by B from here on; still there while nothing changes.
  EXPECT_THAT(Page(*channel_b_, "replicas"), ElementsAre("Ada: One."));

  const std::string second = Submit("replicas", "second@example.org", "Two.");
  // Pending comments are not public: B's page is unchanged.
  EXPECT_THAT(Page(*channel_b_, "replicas"), ElementsAre("Ada: One."));
  ASSERT_NO_FATAL_FAILURE(ApproveOnA(second));
  EXPECT_THAT(AwaitOnB("replicas", {"Ada: One.", "Ada: Two."}),
              ElementsAre("Ada: One.", "Ada: Two."));

  v1::RejectCommentRequest reject;
  reject.set_name(first);
  ASSERT_TRUE(ModeratorOnA().RejectComment(reject).ok());
  EXPECT_THAT(AwaitOnB("replicas", {"Ada: Two."}), ElementsAre("Ada: Two."));

  // Erasure renames the author of an approved comment.
  v1::EraseAuthorDataRequest erase;
  erase.set_author_email("second@example.org");
  ASSERT_TRUE(ModeratorOnA().EraseAuthorData(erase).ok());
  EXPECT_THAT(AwaitOnB("replicas", {"Anonymous: Two."}),
              ElementsAre("Anonymous: Two."));
  // And deleting an author's comments takes them off the page.
  const std::string third = Submit("replicas", "third@example.org", "Three.");
  ASSERT_NO_FATAL_FAILURE(ApproveOnA(third));
  EXPECT_THAT(AwaitOnB("replicas", {"Anonymous: Two.", "Ada: Three."}),
              ElementsAre("Anonymous: Two.", "Ada: Three."));
  erase.set_author_email("third@example.org");
  erase.set_delete_comments(true);
  ASSERT_TRUE(ModeratorOnA().EraseAuthorData(erase).ok());
  EXPECT_THAT(AwaitOnB("replicas", {"Anonymous: Two."}),
              ElementsAre("Anonymous: Two."));
}

TEST_F(PublicCacheE2eTest, BServesFromMemoryUntilTheThreadIsNotified) {
  const std::string kept = Submit("memory", "kept@example.org", "Kept.");
  ASSERT_NO_FATAL_FAILURE(ApproveOnA(kept));
  EXPECT_THAT(AwaitOnB("memory", {"Ada: Kept."}), ElementsAre("Ada: Kept."));

  // By hand, without the notification (only the schema's owner can do
  // this): the database has the comment, B's memory does not.
  const std::string unseen = Submit("memory", "unseen@example.org", "Unseen.");
  const std::string unseen_id = unseen.substr(unseen.rfind('/') + 1);
  // One psql command string: one transaction.
  Query(absl::StrCat(
      "ALTER TABLE comments DISABLE TRIGGER comments_public_update_notify;"
      " UPDATE comments SET state = 'APPROVED' WHERE id = '",
      unseen_id,
      "';"
      " ALTER TABLE comments ENABLE TRIGGER comments_public_update_notify"));
  EXPECT_EQ(Query("SELECT count(*) FROM comments WHERE thread = 'memory'"
                  " AND state = 'APPROVED'"),
            "2");
  EXPECT_THAT(Page(*channel_b_, "memory"), ElementsAre("Ada: Kept."));
  EXPECT_EQ(CountOnB("memory"), 1);

  // The thread's next notification drops what B held.
  const std::string later = Submit("memory", "later@example.org", "Later.");
  ASSERT_NO_FATAL_FAILURE(ApproveOnA(later));
  EXPECT_THAT(AwaitOnB("memory", {"Ada: Kept.", "Ada: Unseen.", "Ada: Later."}),
              ElementsAre("Ada: Kept.", "Ada: Unseen.", "Ada: Later."));
}

}  // namespace
}  // namespace comments
