// SIGTERM against the real binary while calls are stuck in PostgreSQL: the
// test holds a lock on the comments table, so every call that reads or
// writes comments waits inside the database (and, with the pool full, for
// a connection). The process must still be gone within 5 s, the bound the
// operations docs promise (Docker's stop timeout is 10 s).
//
// And SIGTERM with 100 calls in flight that can finish: health turns
// NOT_SERVING first, new calls are refused, the hundred all complete once
// the lock is released, and the process exits 0 within 5 s.
#include <signal.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/comments.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/comments_table_lock.h"
#include "tests/support/environment_test.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

// The environment starts the server with --db_pool_size=4.
constexpr int kPoolSize = 4;

// Flood control would refuse the second comment from 127.0.0.1.
constexpr char kRules[] =
    "flood:\n"
    "  min_interval_seconds: 0\n"
    "  bucket_burst: 0\n";

class ShutdownE2eTest : public testing::EnvironmentTest {
 protected:
  ShutdownE2eTest()
      : EnvironmentTest(COMMENTS_SERVER_PATH, "shutdown", kRules) {}
};

TEST_F(ShutdownE2eTest, SigtermEndsCallsBlockedOnTheDatabaseWithinFiveSeconds) {
  auto token = environment_->AddModerator("ann");
  ASSERT_TRUE(token.ok()) << token.status();
  // The documented default grace (4 s): no --shutdown_grace_ms.
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();

  testing::CommentsTableLock lock(OwnerConnectionString());

  // Writes, public reads and moderator reads, more of them than the pool
  // has connections.
  absl::Mutex mu;
  std::vector<absl::Status> outcomes;
  auto record = [&mu, &outcomes](absl::Status status) {
    absl::MutexLock l(&mu);
    outcomes.push_back(std::move(status));
  };
  std::vector<std::thread> calls;
  for (int i = 0; i < 2; ++i) {
    calls.emplace_back([&, i] {
      client::CommentClient comments(testing::PlaintextChannel(address),
                                     testing::ModeratorOptions(""));
      v1::CreateCommentRequest request;
      request.set_parent("threads/blocked");
      request.mutable_comment()->set_author_name("Blocked Reader");
      request.mutable_comment()->set_author_email(
          absl::StrCat("blocked", i, "@example.org"));
      request.mutable_comment()->set_body(absl::StrCat("Blocked number ", i));
      record(comments.CreateComment(request).status());
    });
    calls.emplace_back([&] {
      client::CommentClient comments(testing::PlaintextChannel(address),
                                     testing::ModeratorOptions(""));
      v1::ListCommentsRequest request;
      request.set_parent("threads/blocked");
      record(comments.ListComments(request).status());
    });
    calls.emplace_back([&] {
      client::ModerationClient moderator =
          testing::ModeratorClient(testing::PlaintextChannel(address), *token);
      record(moderator.ListQueue({}).status());
    });
  }

  // Every pooled connection waits on the lock.
  ASSERT_EQ(lock.AwaitWaiting(kPoolSize), kPoolSize);

  const absl::Time signalled = absl::Now();
  auto exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20));
  const absl::Duration took = absl::Now() - signalled;
  std::cerr << "exited " << absl::FormatDuration(took) << " after SIGTERM\n";
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  EXPECT_LT(took, absl::Seconds(5));

  // Every call was answered, none with success, and the statements were
  // cancelled rather than left running in PostgreSQL.
  for (std::thread& call : calls) call.join();
  ASSERT_EQ(outcomes.size(), calls.size());
  for (const absl::Status& outcome : outcomes) {
    EXPECT_EQ(outcome.code(), absl::StatusCode::kUnavailable) << outcome;
  }
  EXPECT_EQ(lock.Waiting(), 0);
  lock.Release();
}

TEST_F(ShutdownE2eTest, SigtermLetsAHundredCallsInFlightComplete) {
  constexpr int kInFlight = 100;
  // A connection and a thread for every call, so all of them are inside
  // the database when the signal comes.
  auto server = environment_->StartServer(
      {absl::StrCat("--db_pool_size=", kInFlight),
       absl::StrCat("--max_threads=", 2 * kInFlight)});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();
  auto channel = testing::ScannedChannel(address);
  auto stub = v1::CommentService::NewStub(channel);

  // Health as a load balancer watches it.
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext health_context;
  auto health_watch = health->Watch(&health_context, {});
  grpc::health::v1::HealthCheckResponse health_status;
  ASSERT_TRUE(health_watch->Read(&health_status));
  ASSERT_EQ(health_status.status(),
            grpc::health::v1::HealthCheckResponse::SERVING);

  testing::CommentsTableLock lock(OwnerConnectionString());

  absl::Mutex mu;
  std::vector<grpc::StatusCode> outcomes;
  std::vector<std::thread> calls;
  for (int i = 0; i < kInFlight; ++i) {
    calls.emplace_back([&, i] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(20));
      v1::ListCommentsRequest request;
      request.set_parent(absl::StrCat("threads/inflight-", i));
      v1::ListCommentsResponse response;
      const grpc::Status status =
          stub->ListComments(&context, request, &response);
      absl::MutexLock l(&mu);
      outcomes.push_back(status.error_code());
    });
  }
  ASSERT_EQ(lock.AwaitWaiting(kInFlight), kInFlight);

  const absl::Time signalled = absl::Now();
  absl::StatusOr<int> exit_code;
  std::thread stopper(
      [&] { exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20)); });

  // NOT_SERVING comes first, while every call is still waiting.
  ASSERT_TRUE(health_watch->Read(&health_status));
  EXPECT_EQ(health_status.status(),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  {
    absl::MutexLock l(&mu);
    EXPECT_TRUE(outcomes.empty());
  }
  health_context.TryCancel();

  // New calls are refused (the first few may still slip in while the
  // server ends its watch streams; they wait like the others).
  grpc::StatusCode late = grpc::StatusCode::OK;
  while (late != grpc::StatusCode::UNAVAILABLE &&
         absl::Now() < signalled + absl::Seconds(2)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(200));
    v1::ListCommentsRequest request;
    request.set_parent("threads/late");
    v1::ListCommentsResponse response;
    late = stub->ListComments(&context, request, &response).error_code();
  }
  EXPECT_EQ(late, grpc::StatusCode::UNAVAILABLE);

  lock.Release();
  for (std::thread& call : calls) call.join();
  stopper.join();
  const absl::Duration took = absl::Now() - signalled;
  std::cerr << "exited " << absl::FormatDuration(took) << " after SIGTERM\n";
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  EXPECT_LT(took, absl::Seconds(5));
  ASSERT_EQ(outcomes.size(), static_cast<size_t>(kInFlight));
  for (grpc::StatusCode code : outcomes) {
    EXPECT_EQ(code, grpc::StatusCode::OK);
  }
}

}  // namespace
}  // namespace comments
