// approve/reject/spam and batch over mock stubs: which calls they make.
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
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
using ::testing::StrictMock;
using Json = nlohmann::json;

std::string Name(int n) { return absl::StrCat("threads/t/comments/", n); }

// Answers a batch with OK for every name, the comment in the target state.
grpc::Status AllOk(grpc::ClientContext*,
                   const v1::BatchModerateCommentsRequest& request,
                   v1::BatchModerateCommentsResponse* response) {
  for (const std::string& name : request.names()) {
    auto* result = response->add_results();
    result->set_name(name);
    result->mutable_status();
    result->mutable_comment()->mutable_comment()->set_name(name);
    result->mutable_comment()->mutable_comment()->set_state(v1::REJECTED);
  }
  return grpc::Status::OK;
}

class ModerateTest : public ::testing::Test {
 protected:
  Session MakeSession(bool json) {
    GlobalOptions options;
    options.json = json;
    client::CallOptions call;
    call.bearer_token = "token";
    return Session(options, out_, err_, nullptr,
                   std::make_unique<client::ModerationClient>(stub_, call));
  }

  std::shared_ptr<StrictMock<v1::MockModerationServiceStub>> stub_ =
      std::make_shared<StrictMock<v1::MockModerationServiceStub>>();
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ModerateTest, OneNameWithAnEtagIsOneCall) {
  EXPECT_CALL(*stub_, ApproveComment(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*,
                          const v1::ApproveCommentRequest& request,
                          v1::ModeratedComment* response) {
        EXPECT_EQ(request.name(), Name(1));
        EXPECT_EQ(request.etag(), "4");
        response->mutable_comment()->set_name(Name(1));
        response->mutable_comment()->set_state(v1::APPROVED);
        return grpc::Status::OK;
      }));
  Session session = MakeSession(/*json=*/false);
  ModerateOptions options;
  options.action = v1::APPROVE;
  options.names = {Name(1)};
  options.etag = "4";
  EXPECT_EQ(RunModerate(session, options), 0);
  EXPECT_EQ(out_.str(),
            "NAME                  RESULT  STATE\n"
            "threads/t/comments/1  OK      APPROVED\n");
}

TEST_F(ModerateTest, AnEtagWithSeveralNamesIsAUsageError) {
  Session session = MakeSession(/*json=*/false);
  ModerateOptions options;
  options.names = {Name(1), Name(2)};
  options.etag = "4";
  EXPECT_EQ(RunModerate(session, options), 2);  // and no call at all
  EXPECT_THAT(err_.str(), HasSubstr("--etag"));
}

TEST_F(ModerateTest, BatchSendsAtMostFiveHundredNamesPerCall) {
  std::vector<int> sizes;
  EXPECT_CALL(*stub_, BatchModerateComments(_, _, _))
      .Times(2)
      .WillRepeatedly(
          Invoke([&](grpc::ClientContext* context,
                     const v1::BatchModerateCommentsRequest& request,
                     v1::BatchModerateCommentsResponse* response) {
            EXPECT_EQ(request.action(), v1::REJECT);
            EXPECT_EQ(request.reason(), "Duplicate");
            sizes.push_back(request.names_size());
            return AllOk(context, request, response);
          }));
  std::string input = "# names to reject\n";
  for (int i = 0; i < 501; ++i) absl::StrAppend(&input, Name(i), "\n");
  absl::StrAppend(&input, Name(7), "\n");  // a repeat is dropped
  std::istringstream names(input);
  Session session = MakeSession(/*json=*/true);
  BatchOptions options;
  options.action = "reject";
  options.reason = "Duplicate";
  EXPECT_EQ(RunBatch(session, options, names), 0);
  EXPECT_THAT(sizes, ::testing::ElementsAre(500, 1));
  Json results = Json::parse(out_.str());
  ASSERT_EQ(results["results"].size(), 501u);
  EXPECT_EQ(results["results"][500]["name"], Name(500));
}

TEST_F(ModerateTest, BatchOptionsThatDoNotFitAreUsageErrors) {
  Session session = MakeSession(/*json=*/false);
  std::istringstream none;
  BatchOptions reason_for_approve;
  reason_for_approve.action = "approve";
  reason_for_approve.reason = "why";
  EXPECT_EQ(RunBatch(session, reason_for_approve, none), 2);
  BatchOptions filter_without_queue;
  filter_without_queue.action = "spam";
  filter_without_queue.thread = "t";
  EXPECT_EQ(RunBatch(session, filter_without_queue, none), 2);
  BatchOptions unknown_action;
  unknown_action.action = "delete";
  EXPECT_EQ(RunBatch(session, unknown_action, none), 2);
}

TEST_F(ModerateTest, DryRunFromTheQueueWalksEveryPageAndChangesNothing) {
  EXPECT_CALL(*stub_, ListQueue(_, _, _))
      .WillOnce(
          Invoke([](grpc::ClientContext*, const v1::ListQueueRequest& request,
                    v1::ListQueueResponse* response) {
            EXPECT_EQ(request.parent(), "threads/t");
            EXPECT_EQ(request.state(), v1::REJECTED);
            EXPECT_EQ(request.page_token(), "");
            response->add_comments()->mutable_comment()->set_name(Name(1));
            response->add_comments()->mutable_comment()->set_name(Name(2));
            response->set_next_page_token("page-2");
            return grpc::Status::OK;
          }))
      .WillOnce(
          Invoke([](grpc::ClientContext*, const v1::ListQueueRequest& request,
                    v1::ListQueueResponse* response) {
            EXPECT_EQ(request.page_token(), "page-2");
            response->add_comments()->mutable_comment()->set_name(Name(3));
            return grpc::Status::OK;
          }));
  Session session = MakeSession(/*json=*/true);
  std::istringstream unused;
  BatchOptions options;
  options.action = "approve";
  options.from_queue = true;
  options.state = "rejected";
  options.thread = "t";
  options.dry_run = true;
  EXPECT_EQ(RunBatch(session, options, unused), 0);
  Json dry = Json::parse(out_.str());
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_EQ(dry["action"], "APPROVE");
  EXPECT_EQ(dry["names"], Json::array({Name(1), Name(2), Name(3)}));
}

}  // namespace
}  // namespace comments::cli
