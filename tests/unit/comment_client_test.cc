// CommentClient over a mock stub: request ids, retries, deadlines.
#include "client/lib/comment_client.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "comments/v1/comments_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::client {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::Invoke;
using ::testing::MatchesRegex;
using ::testing::Return;
using ::testing::SetArgPointee;

CallOptions QuickOptions() {
  CallOptions options;
  options.initial_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(2);
  return options;
}

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
}

v1::CreateCommentRequest Draft() {
  v1::CreateCommentRequest request;
  request.set_parent("threads/article");
  request.mutable_comment()->set_author_name("Ada");
  request.mutable_comment()->set_author_email("ada@example.org");
  request.mutable_comment()->set_body("Hello there.");
  return request;
}

TEST(CommentClientTest, CreateAddsOneRequestIdAndKeepsItAcrossRetries) {
  auto stub = std::make_shared<v1::MockCommentServiceStub>();
  std::vector<std::string> request_ids;
  v1::Comment created;
  created.set_name("threads/article/comments/1");
  EXPECT_CALL(*stub, CreateComment(_, _, _))
      .Times(3)
      .WillRepeatedly(Invoke([&](grpc::ClientContext*,
                                 const v1::CreateCommentRequest& request,
                                 v1::Comment* response) {
        request_ids.push_back(request.request_id());
        if (request_ids.size() < 3) return Unavailable();
        *response = created;
        return grpc::Status::OK;
      }));
  CommentClient client(stub, QuickOptions());
  auto comment = client.CreateComment(Draft());
  ASSERT_TRUE(comment.ok()) << comment.status();
  EXPECT_EQ(comment->name(), "threads/article/comments/1");
  ASSERT_EQ(request_ids.size(), 3u);
  EXPECT_THAT(
      request_ids[0],
      MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{"
                   "3}-[0-9a-f]{12}"));
  EXPECT_EQ(request_ids[1], request_ids[0]);
  EXPECT_EQ(request_ids[2], request_ids[0]);
}

TEST(CommentClientTest, CreateKeepsTheCallersRequestId) {
  auto stub = std::make_shared<v1::MockCommentServiceStub>();
  EXPECT_CALL(*stub, CreateComment(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*,
                          const v1::CreateCommentRequest& request,
                          v1::Comment*) {
        EXPECT_EQ(request.request_id(), "6f1c2a0e-8d7b-4c1e-9a55-0b7c3d2e1f00");
        return grpc::Status::OK;
      }));
  v1::CreateCommentRequest request = Draft();
  request.set_request_id("6f1c2a0e-8d7b-4c1e-9a55-0b7c3d2e1f00");
  EXPECT_TRUE(CommentClient(stub, QuickOptions()).CreateComment(request).ok());
}

TEST(CommentClientTest, InvalidArgumentIsReturnedAtOnce) {
  auto stub = std::make_shared<v1::MockCommentServiceStub>();
  EXPECT_CALL(*stub, CreateComment(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request")));
  auto comment = CommentClient(stub, QuickOptions()).CreateComment(Draft());
  EXPECT_EQ(comment.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CommentClientTest, ReadsCarryTheDefaultDeadlineAndAreRetried) {
  auto stub = std::make_shared<v1::MockCommentServiceStub>();
  v1::Comment found;
  found.set_name("threads/article/comments/2");
  std::chrono::system_clock::time_point deadline;
  EXPECT_CALL(*stub, GetComment(_, _, _))
      .WillOnce(Return(Unavailable()))
      .WillOnce(
          DoAll(Invoke([&](grpc::ClientContext* context,
                           const v1::GetCommentRequest& request, v1::Comment*) {
                  deadline = context->deadline();
                  EXPECT_EQ(request.name(), "threads/article/comments/2");
                }),
                SetArgPointee<2>(found), Return(grpc::Status::OK)));
  const absl::Time before = absl::Now();
  auto comment = CommentClient(stub, QuickOptions())
                     .GetComment("threads/article/comments/2");
  ASSERT_TRUE(comment.ok()) << comment.status();
  EXPECT_EQ(comment->name(), "threads/article/comments/2");
  // The default deadline: five seconds for the whole call.
  EXPECT_GE(absl::FromChrono(deadline), before + absl::Seconds(5));
  EXPECT_LE(absl::FromChrono(deadline), absl::Now() + absl::Seconds(5));
}

}  // namespace
}  // namespace comments::client
