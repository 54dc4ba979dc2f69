// commentctl watch over a mock stub: a stream that ends with UNAVAILABLE is
// opened again (after the server's RetryInfo delay, with include_existing),
// and --no-reconnect ends the watch instead.
#include <memory>
#include <sstream>
#include <string>

#include "client/cli/commands.h"
#include "comments/v1/moderation_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/test/mock_stream.h"
#include "gtest/gtest.h"

namespace comments::cli {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Return;
using ::testing::SetArgPointee;
using ::testing::StrictMock;
using Reader = grpc::testing::MockClientReader<v1::QueueEvent>;

constexpr char kName[] = "threads/t/comments/1";

// UNAVAILABLE with a RetryInfo of 1 ms, as a server restarting sends it
// (with a longer delay).
grpc::Status UnavailableRetryIn1Ms() {
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::UNAVAILABLE);
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_nanos(1'000'000);
  details.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting",
                      details.SerializeAsString());
}

// A stream that ends at once with `status`.
Reader* EndingWith(grpc::Status status) {
  auto* reader = new Reader();
  EXPECT_CALL(*reader, Read(_)).WillOnce(Return(false));
  EXPECT_CALL(*reader, Finish()).WillOnce(Return(status));
  return reader;
}

class WatchCommandTest : public ::testing::Test {
 protected:
  Session MakeSession() {
    GlobalOptions options;
    client::CallOptions call;
    call.bearer_token = "token";
    return Session(options, out_, err_, nullptr,
                   std::make_unique<client::ModerationClient>(stub_, call));
  }

  static WatchOptions Options() {
    WatchOptions options;
    options.thread = "t";
    options.max_events = 1;
    options.handle_signals = false;
    return options;
  }

  std::shared_ptr<StrictMock<v1::MockModerationServiceStub>> stub_ =
      std::make_shared<StrictMock<v1::MockModerationServiceStub>>();
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(WatchCommandTest, ReconnectsOnUnavailableWithIncludeExisting) {
  auto* second = new Reader();
  v1::QueueEvent entered;
  entered.set_kind(v1::QueueEvent::ENTERED);
  entered.set_comment(kName);
  EXPECT_CALL(*second, Read(_))
      .WillOnce(DoAll(SetArgPointee<0>(entered), Return(true)));
  EXPECT_CALL(*second, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "")));
  EXPECT_CALL(*stub_, WatchQueueRaw(_, _))
      .WillOnce(Invoke(
          [](grpc::ClientContext*, const v1::WatchQueueRequest& request) {
            EXPECT_FALSE(request.include_existing());
            return EndingWith(UnavailableRetryIn1Ms());
          }))
      .WillOnce(Invoke(
          [second](grpc::ClientContext*, const v1::WatchQueueRequest& request) {
            // What entered the queue while no stream was open is asked for.
            EXPECT_TRUE(request.include_existing());
            EXPECT_EQ(request.parent(), "threads/t");
            return second;
          }));
  Session session = MakeSession();
  EXPECT_EQ(RunWatch(session, Options()), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr(kName));
  EXPECT_THAT(err_.str(), HasSubstr("watch: restarting; reconnecting in 1ms"));
}

TEST_F(WatchCommandTest, AnotherErrorEndsTheWatch) {
  EXPECT_CALL(*stub_, WatchQueueRaw(_, _))
      .WillOnce(Return(EndingWith(
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "revoked"))));
  Session session = MakeSession();
  EXPECT_EQ(RunWatch(session, Options()), 5);
}

TEST_F(WatchCommandTest, NoReconnectEndsTheWatchOnUnavailable) {
  EXPECT_CALL(*stub_, WatchQueueRaw(_, _))
      .WillOnce(Return(EndingWith(UnavailableRetryIn1Ms())));
  Session session = MakeSession();
  WatchOptions options = Options();
  options.reconnect = false;
  EXPECT_EQ(RunWatch(session, options), 6);
}

}  // namespace
}  // namespace comments::cli
