// What an operator relies on, through the real binary: the caller's trace
// id in its call's log line, the durability warning at start-up, the
// connection flags' checks, and bounded work (calls beyond --max_threads
// are refused fast while the others wait on a table lock the test holds).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "comments/v1/comments.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pqxx/pqxx"
#include "tests/support/comments_table_lock.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/environment_test.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

constexpr char kTraceparent[] =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
// The server's peak resident memory under four times its thread limit
// (docs/operations.md, "What it survives").
constexpr int64_t kOverloadPeakRssBound = 128 * 1024 * 1024;

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  return testing::ScannedChannel(address);
}

// A health check carrying `metadata`.
grpc::Status CheckHealth(
    const std::string& address,
    const std::vector<std::pair<std::string, std::string>>& metadata) {
  auto health = grpc::health::v1::Health::NewStub(Channel(address));
  grpc::ClientContext context;
  for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
  grpc::health::v1::HealthCheckResponse response;
  return health->Check(&context, {}, &response);
}

std::vector<nlohmann::json> JsonLines(const testing::ServerProcess& server) {
  std::vector<nlohmann::json> lines;
  for (const std::string& line : server.LogLines()) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_object()) lines.push_back(std::move(parsed));
  }
  return lines;
}

// The "call" line of `method` carrying `trace_id`; the server writes it as
// the status goes out, so it may reach the test's reader just after the
// answer.
std::optional<nlohmann::json> AwaitCallLine(
    const testing::ServerProcess& server, const std::string& method,
    const std::string& trace_id) {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (absl::Now() < give_up) {
    for (const nlohmann::json& line : JsonLines(server)) {
      if (line.value("msg", "") == "call" &&
          line.value("method", "") == method &&
          line.value("trace_id", "") == trace_id) {
        return line;
      }
    }
    std::this_thread::yield();
  }
  return std::nullopt;
}

class OperationsE2eTest : public testing::EnvironmentTest {
 protected:
  OperationsE2eTest() : EnvironmentTest(COMMENTS_SERVER_PATH, "ops") {}
};

TEST_F(OperationsE2eTest, CallLogLineCarriesTheCallersTraceIdAndRequestId) {
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE(
      CheckHealth((*server)->address(), {{"traceparent", kTraceparent},
                                         {"x-request-id", "checkout 42 <x>"}})
          .ok());

  const auto line =
      AwaitCallLine(**server, "/grpc.health.v1.Health/Check", kTraceId);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->value("x_request_id", ""), "checkout_42__x_");
}

TEST_F(OperationsE2eTest, MalformedTraceparentIsNotLogged) {
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE(CheckHealth((*server)->address(),
                          {{"traceparent", "00-ada@example.org-01"}})
                  .ok());
  // A second, well-formed call: once its line is there, so is the first's.
  ASSERT_TRUE(
      CheckHealth((*server)->address(), {{"traceparent", kTraceparent}}).ok());
  ASSERT_TRUE(
      AwaitCallLine(**server, "/grpc.health.v1.Health/Check", kTraceId));
  for (const std::string& line : (*server)->LogLines()) {
    EXPECT_EQ(line.find("ada@example.org"), std::string::npos) << line;
  }
}

TEST_F(OperationsE2eTest, WarnsAtStartUpWhenTheDatabaseIsNotDurable) {
  // The test harness runs PostgreSQL with fsync and synchronous_commit off.
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  std::vector<std::string> warned;
  for (const nlohmann::json& line : JsonLines(**server)) {
    if (line.value("level", "") == "warning" && line.contains("setting")) {
      warned.push_back(line.value("setting", ""));
    }
  }
  EXPECT_EQ(warned, (std::vector<std::string>{"fsync", "synchronous_commit"}));
}

TEST_F(OperationsE2eTest, RefusesABadConnectionFlagFromTheEnvironment) {
  setenv("COMMENTS_MAX_THREADS", "0", 1);
  auto server = environment_->StartServer();
  unsetenv("COMMENTS_MAX_THREADS");
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("--max_threads must be 1 or more"),
            std::string::npos)
      << server.status();
}

// Calls that find every thread busy are refused at once with
// RESOURCE_EXHAUSTED; the others wait for the database and then succeed.
// Four times the limit: the refusals' 99th percentile stays under 50 ms,
// the server's peak resident memory under kOverloadPeakRssBound, and it
// serves again afterwards.
TEST_F(OperationsE2eTest, CallsBeyondTheThreadLimitAreRefusedFast) {
  constexpr int kMaxThreads = 4;
  constexpr int kCalls = 4 * kMaxThreads;
  auto server = environment_->StartServer(
      {absl::StrCat("--max_threads=", kMaxThreads), "--db_pool_size=16"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::CommentService::NewStub(Channel((*server)->address()));

  testing::CommentsTableLock lock(OwnerConnectionString());

  struct Outcome {
    grpc::StatusCode code;
    absl::Duration took;
  };
  absl::Mutex mu;
  std::vector<Outcome> outcomes;
  std::vector<std::thread> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.emplace_back([&] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
      v1::ListCommentsRequest request;
      request.set_parent("threads/busy");
      v1::ListCommentsResponse response;
      const absl::Time start = absl::Now();
      const grpc::Status status =
          stub->ListComments(&context, request, &response);
      absl::MutexLock l(&mu);
      outcomes.push_back({status.error_code(), absl::Now() - start});
    });
  }

  // Every call is either answered or waiting on the lock in PostgreSQL
  // (asked of PostgreSQL, not guessed by waiting a while).
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  int waiting = 0;
  size_t answered = 0;
  while (absl::Now() < give_up) {
    waiting = lock.Waiting();
    {
      absl::MutexLock l(&mu);
      answered = outcomes.size();
    }
    if (waiting + static_cast<int>(answered) == kCalls) break;
    std::this_thread::yield();
  }
  // The refusals came while the lock was held: none of them waited for it.
  ASSERT_EQ(waiting + static_cast<int>(answered), kCalls);
  EXPECT_LE(waiting, kMaxThreads);
  lock.Release();
  for (std::thread& call : calls) call.join();

  int refused = 0;
  std::vector<absl::Duration> refusals;
  for (const Outcome& outcome : outcomes) {
    if (outcome.code == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++refused;
      EXPECT_LT(outcome.took, absl::Seconds(1));
      refusals.push_back(outcome.took);
    } else {
      EXPECT_EQ(outcome.code, grpc::StatusCode::OK);
    }
  }
  EXPECT_GE(refused, kCalls - kMaxThreads);
  ASSERT_FALSE(refusals.empty());
  std::sort(refusals.begin(), refusals.end());
  // Nearest rank: with fewer than 100 refusals this is the slowest one.
  const size_t p99_rank = (refusals.size() * 99 + 99) / 100;
  const absl::Duration p99 = refusals[p99_rank - 1];
  std::cerr << refusals.size() << " refusals, p99 " << absl::FormatDuration(p99)
            << "\n";
  EXPECT_LT(p99, absl::Milliseconds(50));
  auto memory = (*server)->ReadMemory();
  ASSERT_TRUE(memory.ok()) << memory.status();
  std::cerr << "peak resident memory "
            << memory->peak_resident_bytes / (1024 * 1024) << " MiB\n";
  EXPECT_LT(memory->peak_resident_bytes, kOverloadPeakRssBound);
  // Once the threads are free, the server serves again.
  grpc::ClientContext context;
  v1::ListCommentsRequest request;
  request.set_parent("threads/busy");
  v1::ListCommentsResponse response;
  EXPECT_TRUE(stub->ListComments(&context, request, &response).ok());
}

}  // namespace
}  // namespace comments
