// The public reads over an in-memory repository: only APPROVED comments
// exist for the public, pages follow one another, and bad names are
// reported field by field.
#include "service/app/read_comments.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/common/uuid.h"
#include "service/security/page_token_cipher.h"
#include "tests/support/fake_comment_repository.h"
#include "tests/support/status_details.h"

namespace comments::app {
namespace {

using ::testing::ElementsAre;

using testing::ViolatedFields;

class ReadCommentsTest : public ::testing::Test {
 protected:
  ReadCommentsTest()
      : tokens_(*security::PageTokenCipher::Create(
            {{"k1", std::string(security::kKeyBytes, 't')}})) {
    ReadOptions options;
    options.pages.default_page_size = 2;
    options.page_tokens = &tokens_;
    options.max_count_threads = 3;
    reads_.emplace(&comments_, options);
  }

  // Stores a comment of `thread` in `state`; returns its id.
  std::string Add(const std::string& thread, domain::CommentState state) {
    storage::NewComment comment;
    comment.id = NewUuid();
    comment.thread = thread;
    comment.state = state;
    EXPECT_TRUE(comments_.Create(comment, absl::InfiniteFuture()).ok());
    return comment.id;
  }

  const absl::Time deadline_ = absl::FromUnixSeconds(1800000000);
  security::PageTokenCipher tokens_;
  testing::FakeCommentRepository comments_;
  std::optional<ReadComments> reads_;
};

TEST_F(ReadCommentsTest, GetFindsOnlyApprovedCommentsOfTheNamedThread) {
  const std::string approved = Add("a", domain::CommentState::kApproved);
  const std::string pending = Add("a", domain::CommentState::kPending);
  EXPECT_TRUE(
      reads_->Get(absl::StrCat("threads/a/comments/", approved), deadline_)
          .ok());
  EXPECT_EQ(comments_.last_deadline(), deadline_);
  EXPECT_EQ(reads_->Get(absl::StrCat("threads/a/comments/", pending), deadline_)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      reads_->Get(absl::StrCat("threads/b/comments/", approved), deadline_)
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  const absl::Status bad = reads_->Get("comments/x", deadline_).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(bad), ElementsAre("name"));
}

TEST_F(ReadCommentsTest, ListPagesThroughApprovedCommentsOldestFirst) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  Add("a", domain::CommentState::kPending);
  const std::string second = Add("a", domain::CommentState::kApproved);
  const std::string third = Add("a", domain::CommentState::kApproved);
  Add("b", domain::CommentState::kApproved);

  absl::StatusOr<CommentPage> page =
      reads_->List("threads/a", 0, "", deadline_);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->comments.size(), 2u);
  EXPECT_EQ(page->comments[0].id, first);
  EXPECT_EQ(page->comments[1].id, second);
  ASSERT_FALSE(page->next_page_token.empty());

  absl::StatusOr<CommentPage> last =
      reads_->List("threads/a", 0, page->next_page_token, deadline_);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->comments.size(), 1u);
  EXPECT_EQ(last->comments[0].id, third);
  EXPECT_EQ(last->next_page_token, "");

  // A token is only good for the listing it was made for.
  EXPECT_EQ(reads_->List("threads/b", 0, page->next_page_token, deadline_)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(reads_->List("thread/a", 0, "", deadline_).status()),
      ElementsAre("parent"));
}

TEST_F(ReadCommentsTest, CountNamesEveryBadParent) {
  Add("a", domain::CommentState::kApproved);
  Add("a", domain::CommentState::kApproved);
  Add("a", domain::CommentState::kPending);
  absl::StatusOr<std::vector<int64_t>> counts =
      reads_->Count({"threads/a", "threads/b"}, deadline_);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_THAT(*counts, ElementsAre(2, 0));

  const absl::Status bad =
      reads_->Count({"threads/a", "a", "threads/", "threads/b"}, deadline_)
          .status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(bad),
              ElementsAre("parents", "parents[1]", "parents[2]"));
  EXPECT_THAT(ViolatedFields(reads_->Count({}, deadline_).status()),
              ElementsAre("parents"));
}

TEST_F(ReadCommentsTest, RepositoryFailuresPropagate) {
  comments_.FailWith(absl::UnavailableError("database down"));
  EXPECT_EQ(reads_->List("threads/a", 0, "", deadline_).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(reads_->Count({"threads/a"}, deadline_).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace comments::app
