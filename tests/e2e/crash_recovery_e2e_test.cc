// kill -9 under load, through the real binary on a durable PostgreSQL:
// writers submit comments with unique request_ids and retry each one with
// the same request_id until it is acknowledged, while the test kills the
// server three times and PostgreSQL's postmaster twice. Afterwards every
// acknowledged comment is stored, and exactly once.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/lib/comment_client.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/postgres_instance.h"

namespace comments {
namespace {

// Every writer comes from 127.0.0.1: flood control would refuse most of
// them and the test would measure the limit, not the recovery.
constexpr char kNoFloodRules[] =
    "flood:\n  min_interval_seconds: 0\n  bucket_burst: 0\n";
constexpr int kWriters = 4;
// Comments acknowledged between two kills, so every kill hits a server
// (or database) that is busy writing.
constexpr int kProgressBetweenKills = 8;

std::string NewRequestId(std::mt19937_64& random) {
  const uint64_t high = (random() & ~0xF000ULL) | 0x4000ULL;       // version 4
  const uint64_t low = (random() & ~(3ULL << 62)) | (2ULL << 62);  // variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32,
                         (high >> 16) & 0xFFFF, high & 0xFFFF, low >> 48,
                         low & 0xFFFFFFFFFFFFULL);
}

// Writers that never give up on a comment: each keeps one request_id until
// the server acknowledges it, whatever dies in between.
class SubmitLoad {
 public:
  explicit SubmitLoad(const std::string& address) {
    for (int writer = 0; writer < kWriters; ++writer) {
      writers_.emplace_back(
          [this, address, writer] { Write(address, writer); });
    }
  }

  ~SubmitLoad() { Stop(); }

  // Lets each writer finish its current comment, then waits for them.
  void Stop() {
    stop_ = true;
    for (std::thread& writer : writers_) {
      if (writer.joinable()) writer.join();
    }
  }

  // Whether `count` more comments are acknowledged within `timeout`.
  bool AwaitMore(int count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    const size_t target = acknowledged_.size() + count;
    auto reached = [this, target]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return acknowledged_.size() >= target;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  }

  std::vector<std::string> acknowledged() const {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }
  int abandoned() const { return abandoned_; }

 private:
  void Write(const std::string& address, int writer) {
    client::CallOptions options;
    options.timeout = absl::Seconds(3);
    options.max_attempts = 20;
    client::CommentClient comments(testing::PlaintextChannel(address), options);
    std::mt19937_64 random(std::random_device{}());
    for (int n = 0; !stop_; ++n) {
      v1::CreateCommentRequest request;
      request.set_parent("threads/crash");
      request.set_request_id(NewRequestId(random));
      request.mutable_comment()->set_author_name("Crash Tester");
      request.mutable_comment()->set_author_email(
          absl::StrCat("crash", writer, "@example.org"));
      request.mutable_comment()->set_body(
          absl::StrCat("Writer ", writer, " comment ", n));
      // The same request, request_id included, until it is acknowledged.
      const absl::Time give_up = absl::Now() + absl::Seconds(60);
      bool acknowledged = false;
      while (!acknowledged && absl::Now() < give_up) {
        acknowledged = comments.CreateComment(request).ok();
      }
      if (!acknowledged) {
        ++abandoned_;
        return;
      }
      absl::MutexLock lock(&mu_);
      acknowledged_.push_back(request.request_id());
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> abandoned_{0};
  mutable absl::Mutex mu_;
  std::vector<std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> writers_;
};

TEST(CrashRecoveryE2eTest, AcknowledgedCommentsSurviveKillsExactlyOnce) {
  auto environment = testing::E2eEnvironment::Create(
      COMMENTS_SERVER_PATH, kNoFloodRules, "crash",
      testing::PostgresInstance::Durability::kOn);
  ASSERT_TRUE(environment.ok()) << environment.status();
  testing::PostgresInstance& postgres = (*environment)->postgres();
  auto server = (*environment)->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  // Restarted servers take the same port, so the writers' channels find
  // them again.
  const std::string address = (*server)->address();

  SubmitLoad load(address);
  for (int kill = 0; kill < 3; ++kill) {
    ASSERT_TRUE(load.AwaitMore(kProgressBetweenKills, absl::Seconds(30)))
        << "no progress before server kill " << kill;
    auto killed = (*server)->Stop(SIGKILL, absl::Seconds(10));
    ASSERT_TRUE(killed.ok()) << killed.status();
    EXPECT_EQ(*killed, 128 + SIGKILL);
    server = (*environment)->StartServer({"--listen=" + address});
    ASSERT_TRUE(server.ok()) << server.status();
  }
  for (int kill = 0; kill < 2; ++kill) {
    ASSERT_TRUE(load.AwaitMore(kProgressBetweenKills, absl::Seconds(30)))
        << "no progress before postmaster kill " << kill;
    ASSERT_TRUE(postgres.KillPostmaster().ok());
    absl::Status resumed = postgres.Resume();
    ASSERT_TRUE(resumed.ok()) << resumed;
  }
  ASSERT_TRUE(load.AwaitMore(kProgressBetweenKills, absl::Seconds(30)))
      << "no progress after the last kill";
  load.Stop();
  EXPECT_EQ(load.abandoned(), 0);

  auto rows =
      postgres.Query((*environment)->database(),
                     "SELECT request_id::text || ' ' || count(*) FROM comments"
                     " GROUP BY request_id");
  ASSERT_TRUE(rows.ok()) << rows.status();
  std::map<std::string, int> stored;
  for (absl::string_view row : absl::StrSplit(*rows, '\n', absl::SkipEmpty())) {
    std::vector<std::string> fields = absl::StrSplit(row, ' ');
    ASSERT_EQ(fields.size(), 2u) << row;
    ASSERT_TRUE(absl::SimpleAtoi(fields[1], &stored[fields[0]])) << row;
  }
  const size_t distinct_stored = stored.size();
  const std::vector<std::string> acknowledged = load.acknowledged();
  std::cerr << acknowledged.size() << " comments acknowledged across 5 kills\n";
  EXPECT_GE(acknowledged.size(), 6u * kProgressBetweenKills);
  for (const std::string& id : acknowledged) {
    EXPECT_EQ(stored[id], 1) << "request_id " << id;
  }
  // Every writer retried each comment until it was acknowledged, so
  // nothing else may be stored either.
  EXPECT_EQ(distinct_stored, acknowledged.size());
}

}  // namespace
}  // namespace comments
