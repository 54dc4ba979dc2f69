// ModerationClient over a mock stub: the token on every call, which calls
// are retried, and the WatchQueue reader.
#include "client/lib/moderation_client.h"

#include <memory>
#include <string>
#include <thread>

#include "comments/v1/moderation_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "grpcpp/test/mock_stream.h"
#include "gtest/gtest.h"

namespace comments::client {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::SetArgPointee;

constexpr char kName[] = "threads/article/comments/1";

CallOptions Options() {
  CallOptions options;
  options.bearer_token = "moderator-token";
  options.initial_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(2);
  return options;
}

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
}

std::string Authorization(grpc::ClientContext* context) {
  for (const auto& [key, value] :
       grpc::testing::ClientContextTestPeer(context).GetSendInitialMetadata()) {
    if (key == "authorization") return value;
  }
  return "";
}

class ModerationClientTest : public ::testing::Test {
 protected:
  std::shared_ptr<v1::MockModerationServiceStub> stub_ =
      std::make_shared<v1::MockModerationServiceStub>();
  ModerationClient client_{stub_, Options()};
};

TEST_F(ModerationClientTest, EveryCallCarriesTheBearerToken) {
  EXPECT_CALL(*stub_, ListQueue(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext* context,
                          const v1::ListQueueRequest&, v1::ListQueueResponse*) {
        EXPECT_EQ(Authorization(context), "Bearer moderator-token");
        return grpc::Status::OK;
      }));
  EXPECT_CALL(*stub_, GetModeratedComment(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext* context,
                          const v1::GetModeratedCommentRequest& request,
                          v1::ModeratedComment*) {
        EXPECT_EQ(Authorization(context), "Bearer moderator-token");
        EXPECT_EQ(request.name(), kName);
        return grpc::Status::OK;
      }));
  EXPECT_TRUE(client_.ListQueue(v1::ListQueueRequest()).ok());
  EXPECT_TRUE(client_.GetModeratedComment(kName).ok());
}

TEST_F(ModerationClientTest, ReadsAndErasureAreRetried) {
  v1::ListModerationEventsResponse events;
  events.add_events()->set_moderator("alice");
  EXPECT_CALL(*stub_, ListModerationEvents(_, _, _))
      .WillOnce(Return(Unavailable()))
      .WillOnce(DoAll(SetArgPointee<2>(events), Return(grpc::Status::OK)));
  auto listed = client_.ListModerationEvents(v1::ListModerationEventsRequest());
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->events(0).moderator(), "alice");

  v1::EraseAuthorDataResponse erased;
  erased.set_affected_comments(3);
  EXPECT_CALL(*stub_, EraseAuthorData(_, _, _))
      .WillOnce(Return(Unavailable()))
      .WillOnce(DoAll(SetArgPointee<2>(erased), Return(grpc::Status::OK)));
  v1::EraseAuthorDataRequest erase;
  erase.set_author_email("ada@example.org");
  auto result = client_.EraseAuthorData(erase);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->affected_comments(), 3);
}

TEST_F(ModerationClientTest, TransitionsAreRetriedOnlyWithAnEtag) {
  EXPECT_CALL(*stub_, ApproveComment(_, _, _))
      .WillOnce(Return(Unavailable()))  // no etag: given up
      .WillOnce(Return(Unavailable()))  // etag: retried
      .WillOnce(Return(grpc::Status::OK));
  v1::ApproveCommentRequest approve;
  approve.set_name(kName);
  EXPECT_EQ(client_.ApproveComment(approve).status().code(),
            absl::StatusCode::kUnavailable);
  approve.set_etag("7");
  EXPECT_TRUE(client_.ApproveComment(approve).ok());

  EXPECT_CALL(*stub_, RejectComment(_, _, _)).WillOnce(Return(Unavailable()));
  v1::RejectCommentRequest reject;
  reject.set_name(kName);
  EXPECT_EQ(client_.RejectComment(reject).status().code(),
            absl::StatusCode::kUnavailable);

  EXPECT_CALL(*stub_, MarkCommentSpam(_, _, _))
      .WillOnce(Return(Unavailable()))
      .WillOnce(Return(grpc::Status::OK));
  v1::MarkCommentSpamRequest spam;
  spam.set_name(kName);
  spam.set_etag("3");
  EXPECT_TRUE(client_.MarkCommentSpam(spam).ok());
}

TEST_F(ModerationClientTest, BatchIsNeverRetried) {
  EXPECT_CALL(*stub_, BatchModerateComments(_, _, _))
      .WillOnce(Return(Unavailable()));
  v1::BatchModerateCommentsRequest batch;
  batch.add_names(kName);
  batch.set_action(v1::APPROVE);
  EXPECT_EQ(client_.BatchModerateComments(batch).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(ModerationClientTest, StaleEtagIsAborted) {
  EXPECT_CALL(*stub_, ApproveComment(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::ABORTED, "stale etag")));
  v1::ApproveCommentRequest approve;
  approve.set_name(kName);
  approve.set_etag("1");
  EXPECT_EQ(client_.ApproveComment(approve).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(ModerationClientTest, WatchQueueReadsEventsUntilTheStreamEnds) {
  // The stream object is owned by the QueueWatch once returned.
  auto* reader = new grpc::testing::MockClientReader<v1::QueueEvent>();
  v1::QueueEvent entered;
  entered.set_kind(v1::QueueEvent::ENTERED);
  entered.set_comment(kName);
  EXPECT_CALL(*reader, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(entered), Return(true)))
      .WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone")));
  EXPECT_CALL(*stub_, WatchQueueRaw(_, _))
      .WillOnce(Invoke([reader](grpc::ClientContext* context,
                                const v1::WatchQueueRequest& request) {
        EXPECT_EQ(Authorization(context), "Bearer moderator-token");
        // A watch runs until cancelled: no deadline unless asked for.
        EXPECT_EQ(context->deadline(),
                  std::chrono::system_clock::time_point::max());
        EXPECT_EQ(request.parent(), "threads/article");
        EXPECT_TRUE(request.include_existing());
        return reader;
      }));
  v1::WatchQueueRequest request;
  request.set_parent("threads/article");
  request.set_include_existing(true);
  std::unique_ptr<QueueWatch> watch = client_.WatchQueue(request);
  v1::QueueEvent event;
  ASSERT_TRUE(watch->Next(&event));
  EXPECT_EQ(event.kind(), v1::QueueEvent::ENTERED);
  EXPECT_EQ(event.comment(), kName);
  EXPECT_FALSE(watch->Next(&event));
  EXPECT_EQ(watch->Finish().code(), absl::StatusCode::kUnavailable);
  // Finish is remembered; the stream is not finished twice.
  EXPECT_EQ(watch->Finish().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(watch->Next(&event));
}

TEST_F(ModerationClientTest, AnUnfinishedWatchIsFinishedWhenDestroyed) {
  auto* reader = new grpc::testing::MockClientReader<v1::QueueEvent>();
  EXPECT_CALL(*reader, Read(_)).WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchQueueRaw(_, _)).WillOnce(Return(reader));
  client_.WatchQueue(v1::WatchQueueRequest(), absl::Seconds(30));
}

}  // namespace
}  // namespace comments::client
