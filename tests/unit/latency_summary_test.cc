#include "bench/latency_summary.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace comments::bench {
namespace {

std::vector<int64_t> OneTo(int64_t n) {
  std::vector<int64_t> values;
  for (int64_t i = 1; i <= n; ++i) values.push_back(i);
  return values;
}

TEST(PercentileTest, NearestRankOfOneToHundred) {
  const std::vector<int64_t> values = OneTo(100);
  EXPECT_EQ(Percentile(values, 50), 50);
  EXPECT_EQ(Percentile(values, 99), 99);
  EXPECT_EQ(Percentile(values, 100), 100);
  EXPECT_EQ(Percentile(values, 0.5), 1);
}

TEST(PercentileTest, SmallSamplesRoundUpToAWholeRank) {
  // With 10 values the 99th percentile is the largest: rank ceil(9.9) = 10.
  EXPECT_EQ(Percentile(OneTo(10), 99), 10);
  EXPECT_EQ(Percentile(OneTo(10), 50), 5);
  EXPECT_EQ(Percentile({7}, 50), 7);
  EXPECT_EQ(Percentile({7}, 99), 7);
}

TEST(PercentileTest, EmptyIsZero) { EXPECT_EQ(Percentile({}, 99), 0); }

TEST(SummarizeTest, MergesCallersAndCountsOnlySuccessesAsThroughput) {
  CallerRecord first;
  first.latencies_ns = {3'000'000, 1'000'000};
  first.ok = 1;
  first.errors["DEADLINE_EXCEEDED"] = 1;
  CallerRecord second;
  second.latencies_ns = {2'000'000, 4'000'000, 5'500'000};
  second.ok = 2;
  second.errors["DEADLINE_EXCEEDED"] = 1;
  first.acknowledged = 4;
  second.acknowledged = 6;
  second.unmeasured_errors = 1;

  const Summary summary = Summarize({first, second}, absl::Seconds(2));
  EXPECT_EQ(summary.acknowledged, 10);
  EXPECT_EQ(summary.unmeasured_errors, 1);
  EXPECT_EQ(summary.calls, 5);
  EXPECT_EQ(summary.ok, 3);
  EXPECT_EQ(summary.errors.size(), 1u);
  EXPECT_EQ(summary.errors.at("DEADLINE_EXCEEDED"), 2);
  EXPECT_DOUBLE_EQ(summary.rps, 1.5);
  // Sorted: 1, 2, 3, 4, 5.5 ms; failed calls' latencies are included.
  EXPECT_DOUBLE_EQ(summary.p50_ms, 3.0);
  EXPECT_DOUBLE_EQ(summary.p99_ms, 5.5);
  EXPECT_DOUBLE_EQ(summary.max_ms, 5.5);
}

TEST(SummarizeTest, NoCallsGiveZeros) {
  const Summary summary = Summarize({CallerRecord{}}, absl::Seconds(1));
  EXPECT_EQ(summary.calls, 0);
  EXPECT_EQ(summary.ok, 0);
  EXPECT_TRUE(summary.errors.empty());
  EXPECT_DOUBLE_EQ(summary.rps, 0);
  EXPECT_DOUBLE_EQ(summary.p99_ms, 0);
  EXPECT_DOUBLE_EQ(summary.max_ms, 0);
}

TEST(SummaryJsonTest, HasEveryReportedField) {
  Summary summary;
  summary.calls = 12;
  summary.ok = 10;
  summary.errors["UNAVAILABLE"] = 2;
  summary.rps = 1000.0 / 3.0;
  summary.p50_ms = 1.23456;
  summary.p99_ms = 9.87654;
  summary.max_ms = 20;
  summary.acknowledged = 14;
  summary.unmeasured_errors = 3;

  const nlohmann::json json =
      SummaryJson("list", 32, 1, absl::Milliseconds(1500), summary);
  EXPECT_EQ(json.at("mode"), "list");
  EXPECT_EQ(json.at("concurrency"), 32);
  EXPECT_EQ(json.at("channels"), 1);
  EXPECT_DOUBLE_EQ(json.at("window_s").get<double>(), 1.5);
  EXPECT_EQ(json.at("calls"), 12);
  EXPECT_EQ(json.at("ok"), 10);
  EXPECT_EQ(json.at("errors"), nlohmann::json({{"UNAVAILABLE", 2}}));
  EXPECT_DOUBLE_EQ(json.at("rps").get<double>(), 333.333);
  EXPECT_DOUBLE_EQ(json.at("p50_ms").get<double>(), 1.235);
  EXPECT_DOUBLE_EQ(json.at("p99_ms").get<double>(), 9.877);
  EXPECT_DOUBLE_EQ(json.at("max_ms").get<double>(), 20.0);
  EXPECT_EQ(json.at("acknowledged"), 14);
  EXPECT_EQ(json.at("unmeasured_errors"), 3);
}

TEST(SummaryJsonTest, NoErrorsIsAnEmptyObject) {
  const nlohmann::json json =
      SummaryJson("health", 4, 4, absl::Seconds(1), Summary{});
  EXPECT_TRUE(json.at("errors").is_object());
  EXPECT_TRUE(json.at("errors").empty());
}

}  // namespace
}  // namespace comments::bench
