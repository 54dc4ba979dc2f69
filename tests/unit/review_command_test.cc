// `commentctl review` over mock stubs: one key per decision, the etag that
// was shown sent back, and a lost race reported rather than fatal.
#include <deque>
#include <memory>
#include <sstream>
#include <string>

#include "client/cli/commands.h"
#include "comments/v1/moderation_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace comments::cli {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::StrictMock;
using Json = nlohmann::json;

class ScriptedKeys : public KeySource {
 public:
  explicit ScriptedKeys(std::string keys) : keys_(keys.begin(), keys.end()) {}
  std::optional<char> NextKey() override {
    if (keys_.empty()) return std::nullopt;
    const char key = keys_.front();
    keys_.pop_front();
    return key;
  }

 private:
  std::deque<char> keys_;
};

v1::ModeratedComment Pending(int n) {
  v1::ModeratedComment comment;
  comment.mutable_comment()->set_name("threads/article/comments/" +
                                      std::to_string(n));
  comment.mutable_comment()->set_state(v1::PENDING);
  comment.mutable_comment()->set_body("Body " + std::to_string(n));
  comment.set_author_email("author" + std::to_string(n) + "@example.org");
  comment.add_flags("links");
  comment.set_etag("e" + std::to_string(n));
  return comment;
}

v1::ModeratedComment InState(const v1::ModeratedComment& shown,
                             v1::CommentState state) {
  v1::ModeratedComment changed = shown;
  changed.mutable_comment()->set_state(state);
  return changed;
}

class ReviewTest : public ::testing::Test {
 protected:
  Session MakeSession(bool json) {
    GlobalOptions options;
    options.json = json;
    client::CallOptions call;
    call.bearer_token = "token";
    call.initial_backoff = absl::Milliseconds(1);
    call.max_backoff = absl::Milliseconds(2);
    return Session(options, out_, err_, nullptr,
                   std::make_unique<client::ModerationClient>(stub_, call));
  }

  // The queue holds `comments` on the first listing and nothing after.
  void QueueHolds(std::vector<v1::ModeratedComment> comments) {
    EXPECT_CALL(*stub_, ListQueue(_, _, _))
        .WillRepeatedly(Invoke(
            [comments, calls = 0](grpc::ClientContext*,
                                  const v1::ListQueueRequest& request,
                                  v1::ListQueueResponse* response) mutable {
              EXPECT_EQ(request.state(), v1::PENDING);
              EXPECT_EQ(request.parent(), "threads/article");
              if (calls++ == 0) {
                for (const auto& comment : comments) {
                  *response->add_comments() = comment;
                }
              }
              return grpc::Status::OK;
            }));
  }

  std::shared_ptr<StrictMock<v1::MockModerationServiceStub>> stub_ =
      std::make_shared<StrictMock<v1::MockModerationServiceStub>>();
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ReviewTest, EachKeyDecidesOneCommentWithItsEtag) {
  QueueHolds({Pending(1), Pending(2), Pending(3), Pending(4)});
  EXPECT_CALL(*stub_, ApproveComment(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*,
                          const v1::ApproveCommentRequest& request,
                          v1::ModeratedComment* response) {
        EXPECT_EQ(request.name(), "threads/article/comments/1");
        EXPECT_EQ(request.etag(), "e1");
        *response = InState(Pending(1), v1::APPROVED);
        return grpc::Status::OK;
      }));
  // Another moderator decided comment 2 first.
  EXPECT_CALL(*stub_, RejectComment(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*,
                          const v1::RejectCommentRequest& request,
                          v1::ModeratedComment*) {
        EXPECT_EQ(request.etag(), "e2");
        EXPECT_EQ(request.reason(), "Rude");
        return grpc::Status(grpc::StatusCode::ABORTED, "etag is stale");
      }));
  EXPECT_CALL(*stub_, MarkCommentSpam(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*,
                          const v1::MarkCommentSpamRequest& request,
                          v1::ModeratedComment* response) {
        EXPECT_EQ(request.name(), "threads/article/comments/3");
        *response = InState(Pending(3), v1::SPAM);
        return grpc::Status::OK;
      }));
  Session session = MakeSession(/*json=*/true);
  ScriptedKeys keys("a?rsn");
  ReviewOptions options;
  options.thread = "article";
  options.reject_reason = "Rude";
  EXPECT_EQ(RunReview(session, options, keys), 0);

  Json summary = Json::parse(out_.str());
  EXPECT_EQ(summary["approved"], Json::array({"threads/article/comments/1"}));
  EXPECT_EQ(summary["rejected"], Json::array());
  EXPECT_EQ(summary["conflicts"], Json::array({"threads/article/comments/2"}));
  EXPECT_EQ(summary["spam"], Json::array({"threads/article/comments/3"}));
  EXPECT_EQ(summary["skipped"], Json::array({"threads/article/comments/4"}));
  // The comments and prompts went to stderr, leaving stdout to the summary.
  EXPECT_THAT(err_.str(), HasSubstr("author1@example.org"));
  EXPECT_THAT(err_.str(), HasSubstr("flags:      links"));
  EXPECT_THAT(err_.str(), HasSubstr("unknown key"));
  EXPECT_THAT(err_.str(), HasSubstr("changed by someone else"));
}

TEST_F(ReviewTest, QuitLeavesEverythingAsItWas) {
  QueueHolds({Pending(1)});
  Session session = MakeSession(/*json=*/false);
  ScriptedKeys keys("q");
  ReviewOptions options;
  options.thread = "threads/article";
  EXPECT_EQ(RunReview(session, options, keys), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Body 1"));
  EXPECT_THAT(out_.str(),
              HasSubstr("approved 0, rejected 0, spam 0, skipped 0\n"));
}

TEST_F(ReviewTest, ServerTroubleStopsTheReviewWithItsExitCode) {
  QueueHolds({Pending(1), Pending(2)});
  EXPECT_CALL(*stub_, ApproveComment(_, _, _))
      .Times(::testing::AtLeast(1))
      .WillRepeatedly(
          Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  Session session = MakeSession(/*json=*/false);
  ScriptedKeys keys("aa");
  ReviewOptions options;
  options.thread = "article";
  EXPECT_EQ(RunReview(session, options, keys), 6);
  EXPECT_THAT(err_.str(), HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(out_.str(), HasSubstr("approved 0"));
}

}  // namespace
}  // namespace comments::cli
