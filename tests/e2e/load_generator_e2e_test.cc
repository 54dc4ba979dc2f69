// The load generator (bench/) against the real server on a throwaway
// database: what it sends is accepted and stored as distinct comments, its
// checks of the answers fire, and comments_load prints its JSON line.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/callers.h"
#include "bench/latency_summary.h"
#include "bench/load_runner.h"
#include "bench/thread_set.h"
#include "client/lib/comment_client.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/e2e_environment.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"
#include "tests/support/server_suite.h"

namespace comments::bench {
namespace {

class LoadGeneratorE2eTest : public testing::ServerSuite {
 protected:
  static void SetUpTestSuite() {
    // The rules bench/run.sh uses: without them every caller here, all on
    // 127.0.0.1, would be throttled after a few comments.
    StartSuite(COMMENTS_SERVER_PATH,
               {"",
                {absl::StrCat("--rules_file=", COMMENTS_BENCH_RULES_PATH),
                 "--db_pool_size=4"},
                "bench"});
  }

  static std::shared_ptr<grpc::Channel> Channel() {
    return testing::ScannedChannel(server_->address());
  }

  static client::CallOptions NoRetries() {
    client::CallOptions options;
    options.max_attempts = 1;
    options.timeout = absl::Seconds(5);
    return options;
  }

  static LoadOptions ShortRun(int concurrency) {
    LoadOptions options;
    options.concurrency = concurrency;
    options.warmup = absl::Milliseconds(100);
    options.duration = absl::Milliseconds(700);
    options.call_timeout = absl::Seconds(5);
    return options;
  }

  // Psql's unaligned output "a|b|c" as numbers.
  static std::vector<int64_t> Numbers(const std::string& sql) {
    auto row = environment_->postgres().Query("bench", sql);
    EXPECT_TRUE(row.ok()) << row.status();
    std::vector<int64_t> numbers;
    if (!row.ok()) return numbers;
    for (absl::string_view field : absl::StrSplit(*row, '|')) {
      int64_t number = -1;
      EXPECT_TRUE(absl::SimpleAtoi(field, &number)) << *row;
      numbers.push_back(number);
    }
    return numbers;
  }
};

TEST_F(LoadGeneratorE2eTest, CreateCallsAreStoredAsDistinctComments) {
  const std::shared_ptr<grpc::Channel> channel = Channel();
  const std::string run_id = NewRunId();
  auto records = RunLoad(ShortRun(4), [&](int index) {
    CreateShape shape;
    shape.threads = ThreadSet::Single("bench-create");
    return MakeCreateCall(channel, NoRetries(), shape, run_id, index);
  });
  ASSERT_TRUE(records.ok()) << records.status();
  const Summary summary = Summarize(*records, ShortRun(4).duration);
  EXPECT_TRUE(summary.errors.empty())
      << SummaryJson("create", 4, 1, ShortRun(4).duration, summary);
  EXPECT_GT(summary.ok, 0);
  EXPECT_EQ(summary.calls, summary.ok);

  // Warm-up calls are stored too: every acknowledged call is a row, and no
  // two share an email or a body.
  const std::vector<int64_t> counts = Numbers(
      "SELECT count(*), count(DISTINCT email_hash), "
      "count(DISTINCT body), count(*) FILTER (WHERE state = 'PENDING')"
      " FROM comments WHERE thread = 'bench-create'");
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_GE(summary.acknowledged, summary.ok);
  EXPECT_EQ(counts[0], summary.acknowledged);
  EXPECT_EQ(counts[1], counts[0]);
  EXPECT_EQ(counts[2], counts[0]);
  EXPECT_EQ(counts[3], counts[0]);
}

TEST_F(LoadGeneratorE2eTest, ListAndCountCallsCheckTheirAnswers) {
  client::CommentClient client(Channel(), NoRetries());
  const std::string run_id = NewRunId();
  for (int i = 0; i < 25; ++i) {
    v1::CreateCommentRequest request;
    request.set_parent("threads/bench-list");
    request.mutable_comment()->set_author_name("Listed Reader");
    request.mutable_comment()->set_author_email(
        absl::StrCat("listed.", run_id, ".", i, "@bench.example.org"));
    request.mutable_comment()->set_body(absl::StrCat("Listed comment ", i));
    ASSERT_TRUE(client.CreateComment(request).ok());
  }
  ASSERT_EQ(Numbers("WITH approved AS (UPDATE comments SET state = 'APPROVED'"
                    " WHERE thread = 'bench-list' RETURNING 1)"
                    " SELECT count(*) FROM approved"),
            std::vector<int64_t>{25});

  const std::shared_ptr<grpc::Channel> channel = Channel();
  auto full = RunLoad(ShortRun(2), [&](int) {
    return MakeListCall(channel, NoRetries(), ThreadSet::Single("bench-list"),
                        20);
  });
  ASSERT_TRUE(full.ok()) << full.status();
  const Summary full_summary = Summarize(*full, ShortRun(2).duration);
  EXPECT_TRUE(full_summary.errors.empty());
  EXPECT_GT(full_summary.ok, 0);

  // 25 approved comments cannot fill a page of 30.
  auto short_pages = RunLoad(ShortRun(2), [&](int) {
    return MakeListCall(channel, NoRetries(), ThreadSet::Single("bench-list"),
                        30);
  });
  ASSERT_TRUE(short_pages.ok()) << short_pages.status();
  const Summary short_summary = Summarize(*short_pages, ShortRun(2).duration);
  EXPECT_EQ(short_summary.ok, 0);
  EXPECT_GT(short_summary.calls, 0);
  ASSERT_EQ(short_summary.errors.size(), 1u);
  EXPECT_EQ(short_summary.errors.at("SHORT_PAGE"), short_summary.calls);

  // CountComments of the same thread: 25 approved meet a minimum of 25,
  // not one of 26.
  auto counted = RunLoad(ShortRun(2), [&](int) {
    return MakeCountCall(channel, NoRetries(), ThreadSet::Single("bench-list"),
                         3, 25);
  });
  ASSERT_TRUE(counted.ok()) << counted.status();
  const Summary counted_summary = Summarize(*counted, ShortRun(2).duration);
  EXPECT_TRUE(counted_summary.errors.empty());
  EXPECT_GT(counted_summary.ok, 0);
  auto undercounted = RunLoad(ShortRun(2), [&](int) {
    return MakeCountCall(channel, NoRetries(), ThreadSet::Single("bench-list"),
                         3, 26);
  });
  ASSERT_TRUE(undercounted.ok()) << undercounted.status();
  const Summary undercounted_summary =
      Summarize(*undercounted, ShortRun(2).duration);
  EXPECT_EQ(undercounted_summary.ok, 0);
  EXPECT_GT(undercounted_summary.calls, 0);
  ASSERT_EQ(undercounted_summary.errors.size(), 1u);
  EXPECT_EQ(undercounted_summary.errors.at("WRONG_COUNT"),
            undercounted_summary.calls);
}

TEST_F(LoadGeneratorE2eTest, HealthCallsSeeServing) {
  const std::shared_ptr<grpc::Channel> channel = Channel();
  auto records = RunLoad(ShortRun(2), [&](int) {
    return MakeHealthCall(channel, absl::Seconds(5));
  });
  ASSERT_TRUE(records.ok()) << records.status();
  const Summary summary = Summarize(*records, ShortRun(2).duration);
  EXPECT_TRUE(summary.errors.empty());
  EXPECT_GT(summary.ok, 0);
}

// Runs comments_load with `args`; returns its exit code and standard output.
std::pair<int, std::string> RunLoadBinary(const std::string& args) {
  const std::string command =
      absl::StrCat(COMMENTS_LOAD_PATH, " ", args, " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    output.append(buffer, n);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST_F(LoadGeneratorE2eTest, BinaryPrintsOneJsonLine) {
  const auto [exit_code, output] = RunLoadBinary(absl::StrCat(
      "--server=", server_->address(),
      " --mode=health --concurrency=3 --channels=3 --duration_s=0.5"
      " --warmup_s=0.1"));
  ASSERT_EQ(exit_code, 0) << output;
  ASSERT_FALSE(output.empty());
  EXPECT_EQ(output.find('\n'), output.size() - 1) << output;
  const nlohmann::json json = nlohmann::json::parse(output);
  EXPECT_EQ(json.at("mode"), "health");
  EXPECT_EQ(json.at("concurrency"), 3);
  EXPECT_EQ(json.at("channels"), 3);
  EXPECT_DOUBLE_EQ(json.at("window_s").get<double>(), 0.5);
  EXPECT_TRUE(json.at("errors").empty());
  EXPECT_GT(json.at("ok").get<int64_t>(), 0);
  EXPECT_EQ(json.at("calls"), json.at("ok"));
  EXPECT_GT(json.at("rps").get<double>(), 0);
  EXPECT_LE(json.at("p50_ms").get<double>(), json.at("p99_ms").get<double>());
  EXPECT_LE(json.at("p99_ms").get<double>(), json.at("max_ms").get<double>());
}

TEST_F(LoadGeneratorE2eTest, BinaryRefusesBadUsage) {
  EXPECT_EQ(RunLoadBinary("--mode=delete").first, 1);
  EXPECT_EQ(RunLoadBinary(absl::StrCat("--server=", server_->address(),
                                       " --mode=health --channels=5"
                                       " --concurrency=2"))
                .first,
            1);
  EXPECT_EQ(RunLoadBinary("--mode=list --page_size=0").first, 1);
}

}  // namespace
}  // namespace comments::bench
