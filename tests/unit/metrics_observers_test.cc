// The metrics observers over a prometheus::Registry, with no server: what
// each event adds, under which labels, as the text format shows it.
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "service/domain/admission_findings.h"
#include "service/domain/moderation_rules.h"
#include "service/metrics/grpc_server_metrics.h"
#include "service/metrics/process_metrics.h"
#include "service/metrics/public_cache_metrics.h"
#include "service/metrics/queue_metrics.h"
#include "service/metrics/storage_metrics.h"
#include "service/metrics/submission_metrics.h"
#include "tests/support/metrics_text.h"

namespace comments::metrics {
namespace {

using testing::SampleValue;

std::map<std::string, double> Samples(const prometheus::Collectable& source) {
  return testing::ParseMetricsText(
      prometheus::TextSerializer().Serialize(source.Collect()));
}

TEST(MethodLabelsTest, SplitsTheFullMethodIntoServiceAndMethod) {
  EXPECT_EQ(MethodLabels("/comments.v1.CommentService/CreateComment",
                         api::CallType::kUnary),
            (std::map<std::string, std::string>{
                {"grpc_service", "comments.v1.CommentService"},
                {"grpc_method", "CreateComment"},
                {"grpc_type", "unary"}}));
  EXPECT_EQ(MethodLabels("", api::CallType::kBidiStream),
            (std::map<std::string, std::string>{{"grpc_service", "unknown"},
                                                {"grpc_method", "unknown"},
                                                {"grpc_type", "bidi_stream"}}));
  EXPECT_EQ(MethodLabels("/no-method", api::CallType::kUnary).at("grpc_method"),
            "unknown");
}

TEST(CodeLabelTest, CodesAreSpeltAsGoGrpcSpellsThem) {
  EXPECT_EQ(CodeLabel(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(CodeLabel(grpc::StatusCode::CANCELLED), "Canceled");
  EXPECT_EQ(CodeLabel(grpc::StatusCode::INVALID_ARGUMENT), "InvalidArgument");
  EXPECT_EQ(CodeLabel(grpc::StatusCode::RESOURCE_EXHAUSTED),
            "ResourceExhausted");
  EXPECT_EQ(CodeLabel(grpc::StatusCode::UNAUTHENTICATED), "Unauthenticated");
}

TEST(GrpcServerMetricsTest, CountsStartsMessagesAndEndsPerMethodAndCode) {
  prometheus::Registry registry;
  const GrpcServerMetrics metrics(registry);
  const std::string watch = "/comments.v1.ModerationService/WatchQueue";
  const api::CallMethod call{watch, api::CallType::kServerStream};
  metrics.OnCallStart(call);
  metrics.OnMessageReceived(call);
  for (int i = 0; i < 3; ++i) metrics.OnMessageSent(call);
  api::CallRecord record;
  record.method = watch;
  record.type = api::CallType::kServerStream;
  record.code = grpc::StatusCode::CANCELLED;
  record.duration = absl::Milliseconds(30);
  metrics.OnCallEnd(record);

  const std::map<std::string, std::string> labels = {
      {"grpc_method", "WatchQueue"},
      {"grpc_service", "comments.v1.ModerationService"},
      {"grpc_type", "server_stream"}};
  std::map<std::string, std::string> ended = labels;
  ended["grpc_code"] = "Canceled";
  const auto samples = Samples(registry);
  EXPECT_EQ(SampleValue(samples, "grpc_server_started_total", labels), 1);
  EXPECT_EQ(SampleValue(samples, "grpc_server_msg_received_total", labels), 1);
  EXPECT_EQ(SampleValue(samples, "grpc_server_msg_sent_total", labels), 3);
  EXPECT_EQ(SampleValue(samples, "grpc_server_handled_total", ended), 1);
  EXPECT_EQ(SampleValue(samples, "grpc_server_handling_seconds_count", labels),
            1);
  EXPECT_DOUBLE_EQ(
      *SampleValue(samples, "grpc_server_handling_seconds_sum", labels), 0.03);
  std::map<std::string, std::string> bucket = labels;
  bucket["le"] = "0.025";
  EXPECT_EQ(SampleValue(samples, "grpc_server_handling_seconds_bucket", bucket),
            0);
  bucket["le"] = "0.05";
  EXPECT_EQ(SampleValue(samples, "grpc_server_handling_seconds_bucket", bucket),
            1);
}

TEST(SubmissionMetricsTest, CountsEachEventUnderItsRuleAndState) {
  prometheus::Registry registry;
  SubmissionMetrics metrics(registry);
  metrics.OnAccepted({"id-1", "t", domain::CommentState::kPending, true});
  metrics.OnAccepted({"id-2", "t", domain::CommentState::kSpam, true});
  metrics.OnAccepted({"id-1", "t", domain::CommentState::kPending, false});
  metrics.OnRefused({});
  metrics.OnRefused({});
  metrics.OnHeld({domain::kDuplicateFlag, domain::CommentState::kPending});
  metrics.OnVerdict({app::kModeRule, domain::CommentState::kPending});
  metrics.OnVerdict({domain::kBlockedWordFlag, domain::CommentState::kSpam});

  const auto samples = Samples(registry);
  EXPECT_EQ(SampleValue(samples, "comments_submissions_created_total",
                        {{"state", "pending"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_submissions_created_total",
                        {{"state", "spam"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_submissions_replayed_total"), 1);
  EXPECT_EQ(SampleValue(samples, "comments_flood_refusals_total",
                        {{"rule", "client_network"}}),
            2);
  EXPECT_EQ(SampleValue(samples, "comments_flood_holds_total",
                        {{"rule", "duplicate"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_verdicts_total",
                        {{"outcome", "pending"}, {"rule", "mode"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_verdicts_total",
                        {{"outcome", "spam"}, {"rule", "blocked_word"}}),
            1);
  // Ids and threads are no label.
  for (const auto& [series, value] : samples) {
    EXPECT_EQ(series.find("id-1"), std::string::npos) << series;
  }
}

TEST(ModerationMetricsTest, CountsDecisionsByActionAndNeverTheModerator) {
  prometheus::Registry registry;
  ModerationMetrics metrics(registry);
  metrics.OnCommentModerated({"mia", "id-1", "t",
                              domain::ModerationAction::kMarkSpam,
                              domain::CommentState::kSpam});
  metrics.OnBatchModerated({"mia", domain::ModerationAction::kMarkSpam, 1, 1});
  metrics.OnAuthorDataErased({"mia", 3, true});
  const auto samples = Samples(registry);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_decisions_total",
                        {{"action", "mark_spam"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_author_erasures_total"), 1);
  for (const auto& [series, value] : samples) {
    EXPECT_EQ(series.find("mia"), std::string::npos) << series;
  }
}

TEST(StorageMetricsTest, PoolGaugesFollowTheCountsAndWaitsAreTimed) {
  prometheus::Registry registry;
  PoolMetrics pool(registry, 8);
  BatchMetrics batches(registry, 64);
  pool.OnConnectionCounts(3, 2);
  pool.OnWaited(absl::Microseconds(50));
  pool.OnWaited(absl::Milliseconds(200));
  batches.OnBatchWritten(1);
  batches.OnBatchWritten(5);

  const auto samples = Samples(registry);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_size"), 8);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_open_connections"), 3);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_in_use_connections"), 2);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_wait_seconds_count"), 2);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_wait_seconds_bucket",
                        {{"le", "0.0001"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_wait_seconds_bucket",
                        {{"le", "0.5"}}),
            2);
  EXPECT_EQ(SampleValue(samples, "comments_insert_batch_size_count"), 2);
  EXPECT_EQ(SampleValue(samples, "comments_insert_batch_size_sum"), 6);
  EXPECT_EQ(
      SampleValue(samples, "comments_insert_batch_size_bucket", {{"le", "4"}}),
      1);
  EXPECT_EQ(
      SampleValue(samples, "comments_insert_batch_size_bucket", {{"le", "64"}}),
      2);
}

TEST(PublicCacheMetricsTest, CountsLookupsByKindAndResultAndDropsByCause) {
  prometheus::Registry registry;
  PublicCacheMetrics cache(registry);
  using Kind = storage::PublicCacheObserver::Kind;
  using Drop = storage::PublicCacheObserver::Drop;
  cache.OnLookups(Kind::kPage, 1, 0);
  cache.OnLookups(Kind::kPage, 0, 1);
  cache.OnLookups(Kind::kCount, 97, 3);
  cache.OnDropped(Drop::kChange);
  cache.OnDropped(Drop::kChange);
  cache.OnDropped(Drop::kListening);
  cache.OnSize(12, 34567);

  const auto samples = Samples(registry);
  const char kLookups[] = "comments_public_cache_lookups_total";
  EXPECT_EQ(
      SampleValue(samples, kLookups, {{"kind", "page"}, {"result", "hit"}}), 1);
  EXPECT_EQ(
      SampleValue(samples, kLookups, {{"kind", "page"}, {"result", "miss"}}),
      1);
  EXPECT_EQ(
      SampleValue(samples, kLookups, {{"kind", "count"}, {"result", "hit"}}),
      97);
  EXPECT_EQ(
      SampleValue(samples, kLookups, {{"kind", "count"}, {"result", "miss"}}),
      3);
  EXPECT_EQ(SampleValue(samples, "comments_public_cache_drops_total",
                        {{"cause", "change"}}),
            2);
  EXPECT_EQ(SampleValue(samples, "comments_public_cache_drops_total",
                        {{"cause", "listening"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_public_cache_entries"), 12);
  EXPECT_EQ(SampleValue(samples, "comments_public_cache_bytes"), 34567);
}

// A queue summary that tests set, counting its reads.
class FakeQueueSummary final : public storage::QueueSummaryReader {
 public:
  absl::StatusOr<storage::QueueSummary> ReadQueueSummary(absl::Time) override {
    absl::MutexLock lock(&mu_);
    ++reads_;
    return next_;
  }
  void Set(absl::StatusOr<storage::QueueSummary> next) {
    absl::MutexLock lock(&mu_);
    next_ = std::move(next);
  }
  bool AwaitReads(int reads, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, reads]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return reads_ >= reads;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

 private:
  absl::Mutex mu_;
  absl::StatusOr<storage::QueueSummary> next_ ABSL_GUARDED_BY(mu_);
  int reads_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(QueueMetricsTest, GaugesShowTheLastGoodReadAndFailuresAreCounted) {
  prometheus::Registry registry;
  FakeQueueSummary reader;
  QueueMetrics metrics(registry, &reader, {});
  reader.Set(storage::QueueSummary{7, absl::Seconds(90)});
  EXPECT_TRUE(metrics.ReadOnce());
  reader.Set(absl::UnavailableError("database down"));
  EXPECT_FALSE(metrics.ReadOnce());

  const auto samples = Samples(registry);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_queue_pending"), 7);
  EXPECT_EQ(SampleValue(samples,
                        "comments_moderation_queue_oldest_pending_age_seconds"),
            90);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_queue_read_errors_total"),
            1);
}

TEST(QueueMetricsTest, StartReadsAtOnceAndStopDoesNotWaitForTheNextRead) {
  prometheus::Registry registry;
  FakeQueueSummary reader;
  reader.Set(storage::QueueSummary{2, absl::Seconds(1)});
  QueueMetricsOptions options;
  options.every = absl::Hours(1);
  QueueMetrics metrics(registry, &reader, options);
  metrics.Start();
  ASSERT_TRUE(reader.AwaitReads(1, absl::Seconds(10)));
  const absl::Time asked = absl::Now();
  metrics.Stop();
  EXPECT_LT(absl::Now() - asked, absl::Seconds(5));
  EXPECT_EQ(SampleValue(Samples(registry), "comments_moderation_queue_pending"),
            2);
}

TEST(WatchMetricsTest, GaugeIsTheHubsOpenCount) {
  prometheus::Registry registry;
  WatchMetrics metrics(registry);
  metrics.OnOpenWatches(2);
  EXPECT_EQ(SampleValue(Samples(registry), "comments_watch_streams_open"), 2);
  metrics.OnOpenWatches(0);
  EXPECT_EQ(SampleValue(Samples(registry), "comments_watch_streams_open"), 0);
}

TEST(ProcessMetricsTest, ParsesStatFieldsAfterTheCommandName) {
  // A command name with a space and parentheses of its own.
  const std::string line =
      "4242 (comments) (x) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 75 0 0 "
      "20 0 12 0 123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 0 "
      "0 0 0 0 17 1 0 0 0 0 0\n";
  const std::optional<ProcStat> stat = ParseProcStat(line);
  ASSERT_TRUE(stat.has_value());
  EXPECT_EQ(stat->utime_ticks, 250u);
  EXPECT_EQ(stat->stime_ticks, 75u);
  EXPECT_EQ(stat->start_ticks, 123456u);
  EXPECT_EQ(stat->vsize_bytes, 987654321u);
  EXPECT_EQ(stat->rss_pages, 2048u);
  EXPECT_FALSE(ParseProcStat("4242 (cut short) S 1 2").has_value());
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nbtime 1700000000\nprocesses 9\n"),
            1700000000u);
  EXPECT_FALSE(ParseBootTime("cpu  1 2 3\n").has_value());
}

TEST(ProcessMetricsTest, ThisProcessIsDescribed) {
  const auto samples = Samples(ProcessMetrics());
  EXPECT_GT(SampleValue(samples, "process_resident_memory_bytes"), 0);
  EXPECT_GT(SampleValue(samples, "process_virtual_memory_bytes"), 0);
  EXPECT_GT(SampleValue(samples, "process_open_fds"), 0);
  EXPECT_NEAR(*SampleValue(samples, "process_start_time_seconds"),
              absl::ToUnixSeconds(absl::Now()), 600);
  EXPECT_TRUE(SampleValue(samples, "process_cpu_seconds_total").has_value());
}

}  // namespace
}  // namespace comments::metrics
