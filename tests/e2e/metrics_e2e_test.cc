// The /metrics page of the real server (--metrics_listen) after known
// traffic: creates, invalid creates, a flood refusal, a duplicate, a list,
// a health check, a watch stream open during the creates and then closed,
// and a moderator's decision. Every count is checked exactly, the page passes
// `promtool check metrics`, and nothing the readers sent (address, name,
// body), the moderator's name or token, or key material appears in it.
#include <curl/curl.h>

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/lib/call_support.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/command.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/known_secrets.h"
#include "tests/support/metrics_text.h"
#include "tests/support/secret_scan.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

using testing::SampleValue;
using Labels = std::map<std::string, std::string>;

constexpr char kThread[] = "metrics-article";
constexpr char kModerator[] = "metrics-moderator-mia";
constexpr char kReaderName[] = "Metricsreader Quill";
constexpr char kSharedBody[] = "Reading the gauges by lamplight.";

// Flood control by the token bucket alone: six comments from one network,
// then refusals (a token would take a thousand minutes to come back).
constexpr char kRules[] = R"yaml(
moderation:
  mode: pre
  hold_words: [lawsuit]
flood:
  min_interval_seconds: 0
  bucket_burst: 6
  bucket_refill_per_minute: 0.001
)yaml";

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// GET http://<address>/metrics.
absl::StatusOr<std::string> Scrape(const std::string& address) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           curl_easy_cleanup);
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  const std::string url = absl::StrCat("http://", address, "/metrics");
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  if (const CURLcode code = curl_easy_perform(curl.get()); code != CURLE_OK) {
    return absl::UnavailableError(curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat("HTTP ", status));
  }
  return body;
}

// The sum of every series of `name` that carries all of `labels`.
double SumOf(const std::map<std::string, double>& samples,
             const std::string& name, const Labels& labels) {
  double sum = 0;
  for (const auto& [series, value] : samples) {
    if (!absl::StartsWith(series, absl::StrCat(name, "{"))) continue;
    bool all = true;
    for (const auto& [key, label] : labels) {
      all = all &&
            absl::StrContains(series, absl::StrCat(key, "=\"", label, "\""));
    }
    if (all) sum += value;
  }
  return sum;
}

Labels Method(const std::string& service, const std::string& method,
              const std::string& type = "unary") {
  return {
      {"grpc_service", service}, {"grpc_method", method}, {"grpc_type", type}};
}

Labels WithCode(Labels labels, const std::string& code) {
  labels["grpc_code"] = code;
  return labels;
}

// Each of these is one raw stub: client::QueueWatch cannot wait for the
// initial metadata, which says the subscription is in place.
class OpenWatch {
 public:
  OpenWatch(const std::string& address, const std::string& token)
      : stub_(v1::ModerationService::NewStub(
            testing::PlaintextChannel(address))) {
    client::PrepareContext(testing::ModeratorOptions(token),
                           absl::Now() + absl::Seconds(60), context_);
    reader_ = stub_->WatchQueue(&context_, v1::WatchQueueRequest());
    reader_->WaitForInitialMetadata();
  }

  // Reads `count` events; false if the stream ended first.
  bool Read(int count) {
    v1::QueueEvent event;
    for (int i = 0; i < count; ++i) {
      if (!reader_->Read(&event)) return false;
    }
    return true;
  }

  grpc::Status Close() {
    context_.TryCancel();
    v1::QueueEvent event;
    while (reader_->Read(&event)) {
    }
    return reader_->Finish();
  }

 private:
  std::unique_ptr<v1::ModerationService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::QueueEvent>> reader_;
};

class MetricsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  static void TearDownTestSuite() { curl_global_cleanup(); }

  void SetUp() override {
    auto environment = testing::E2eEnvironment::Create(COMMENTS_SERVER_PATH,
                                                       kRules, "metrics");
    ASSERT_TRUE(environment.ok()) << environment.status();
    environment_ = *std::move(environment);
  }

  // The "metrics listening" address the server logged.
  static std::string MetricsAddress(const testing::ServerProcess& server) {
    for (const std::string& line : server.LogLines()) {
      const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
      if (parsed.is_object() &&
          parsed.value("msg", "") == "metrics listening") {
        return parsed.value("address", "");
      }
    }
    return "";
  }

  // Scrapes until `done` holds for the samples, for at most 10 s; returns
  // the last page.
  static std::string AwaitScrape(
      const std::string& address,
      const std::function<bool(const std::map<std::string, double>&)>& done) {
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    std::string page;
    do {
      absl::StatusOr<std::string> scraped = Scrape(address);
      if (scraped.ok()) {
        page = *std::move(scraped);
        if (done(testing::ParseMetricsText(page))) break;
      }
    } while (absl::Now() < give_up);
    return page;
  }

  static v1::CreateCommentRequest Draft(int n, const std::string& body) {
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat("threads/", kThread));
    request.mutable_comment()->set_author_name(kReaderName);
    request.mutable_comment()->set_author_email(
        absl::StrCat("metricsreader", n, "@example.org"));
    request.mutable_comment()->set_body(body);
    return request;
  }

  std::unique_ptr<testing::E2eEnvironment> environment_;
};

TEST_F(MetricsE2eTest, KnownTrafficIsCountedExactlyAndNamesNoOne) {
  auto token = environment_->AddModerator(kModerator);
  ASSERT_TRUE(token.ok()) << token.status();
  auto server = environment_->StartServer({"--metrics_listen=127.0.0.1:0",
                                           "--queue_metrics_interval_ms=100",
                                           "--db_pool_size=3"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string metrics = MetricsAddress(**server);
  ASSERT_TRUE(absl::StartsWith(metrics, "127.0.0.1:")) << metrics;
  ASSERT_NE(metrics, "127.0.0.1:0");

  // A watch stream, open while the comments come in, then closed.
  auto watch = std::make_unique<OpenWatch>((*server)->address(), *token);
  AwaitScrape(metrics, [](const std::map<std::string, double>& samples) {
    return SampleValue(samples, "comments_watch_streams_open") == 1;
  });

  client::CommentClient comments(
      testing::PlaintextChannel((*server)->address()),
      testing::ModeratorOptions(""));
  std::vector<std::string> created;
  // Four plain comments, one held by a hold word, one repeating a body:
  // the six tokens of the bucket.
  for (int n = 0; n < 4; ++n) {
    auto comment = comments.CreateComment(
        Draft(n, n == 0 ? kSharedBody : absl::StrCat("Gauge reading ", n)));
    ASSERT_TRUE(comment.ok()) << comment.status();
    created.push_back(comment->name());
  }
  ASSERT_TRUE(
      comments.CreateComment(Draft(4, "I will file a lawsuit over this."))
          .ok());
  ASSERT_TRUE(comments.CreateComment(Draft(5, kSharedBody)).ok());
  // Two invalid ones, refused before flood control.
  for (int n = 6; n < 8; ++n) {
    EXPECT_EQ(comments.CreateComment(Draft(n, "")).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(comments.CreateComment(Draft(8, "One too many.")).status().code(),
            absl::StatusCode::kResourceExhausted);
  v1::ListCommentsRequest list;
  list.set_parent(absl::StrCat("threads/", kThread));
  ASSERT_TRUE(comments.ListComments(list).ok());
  {
    auto health = grpc::health::v1::Health::NewStub(
        testing::PlaintextChannel((*server)->address()));
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, {}, &response).ok());
  }

  // The six new comments entered the queue.
  ASSERT_TRUE(watch->Read(6));
  watch->Close();
  watch.reset();

  auto moderator = testing::ModeratorClient(
      testing::PlaintextChannel((*server)->address()), *token);
  v1::ApproveCommentRequest approve;
  approve.set_name(created[1]);
  ASSERT_TRUE(moderator.ApproveComment(approve).ok());

  const Labels watch_method =
      Method("comments.v1.ModerationService", "WatchQueue", "server_stream");
  const std::string page =
      AwaitScrape(metrics, [&](const std::map<std::string, double>& samples) {
        return SampleValue(samples, "comments_watch_streams_open") == 0 &&
               SumOf(samples, "grpc_server_handled_total", watch_method) == 1 &&
               SampleValue(samples, "comments_moderation_queue_pending") == 5;
      });
  const std::map<std::string, double> samples = testing::ParseMetricsText(page);

  // The gRPC server metrics.
  const Labels create = Method("comments.v1.CommentService", "CreateComment");
  EXPECT_EQ(SampleValue(samples, "grpc_server_started_total", create), 9);
  EXPECT_EQ(
      SampleValue(samples, "grpc_server_handled_total", WithCode(create, "OK")),
      6);
  EXPECT_EQ(SampleValue(samples, "grpc_server_handled_total",
                        WithCode(create, "InvalidArgument")),
            2);
  EXPECT_EQ(SampleValue(samples, "grpc_server_handled_total",
                        WithCode(create, "ResourceExhausted")),
            1);
  EXPECT_EQ(SumOf(samples, "grpc_server_handled_total", create), 9);
  EXPECT_EQ(SampleValue(samples, "grpc_server_handling_seconds_count", create),
            9);
  EXPECT_EQ(SampleValue(samples, "grpc_server_msg_received_total", create), 9);
  EXPECT_EQ(SampleValue(samples, "grpc_server_msg_sent_total", create), 6);
  const Labels list_method =
      Method("comments.v1.CommentService", "ListComments");
  EXPECT_EQ(SampleValue(samples, "grpc_server_started_total", list_method), 1);
  EXPECT_EQ(SampleValue(samples, "grpc_server_handled_total",
                        WithCode(list_method, "OK")),
            1);
  EXPECT_EQ(SampleValue(samples, "grpc_server_msg_sent_total", list_method), 1);
  const Labels health = Method("grpc.health.v1.Health", "Check");
  EXPECT_EQ(
      SampleValue(samples, "grpc_server_handled_total", WithCode(health, "OK")),
      1);
  EXPECT_EQ(SampleValue(samples, "grpc_server_started_total", watch_method), 1);
  EXPECT_EQ(
      SampleValue(samples, "grpc_server_msg_received_total", watch_method), 1);
  // The six comments that entered the queue while it was open.
  EXPECT_EQ(SampleValue(samples, "grpc_server_msg_sent_total", watch_method),
            6);
  const Labels approve_method =
      Method("comments.v1.ModerationService", "ApproveComment");
  EXPECT_EQ(SampleValue(samples, "grpc_server_handled_total",
                        WithCode(approve_method, "OK")),
            1);

  // The service's own.
  EXPECT_EQ(SampleValue(samples, "comments_submissions_created_total",
                        {{"state", "pending"}}),
            6);
  EXPECT_EQ(SampleValue(samples, "comments_submissions_replayed_total"), 0);
  EXPECT_EQ(SampleValue(samples, "comments_flood_refusals_total",
                        {{"rule", "client_network"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_flood_holds_total",
                        {{"rule", "duplicate"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_verdicts_total",
                        {{"outcome", "pending"}, {"rule", "mode"}}),
            5);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_verdicts_total",
                        {{"outcome", "pending"}, {"rule", "hold_word"}}),
            1);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_decisions_total",
                        {{"action", "approve"}}),
            1);
  // Seven writes (the refusal too, inside its transaction), one at a time.
  EXPECT_EQ(SampleValue(samples, "comments_insert_batch_size_count"), 7);
  EXPECT_EQ(SampleValue(samples, "comments_insert_batch_size_sum"), 7);
  EXPECT_EQ(SampleValue(samples, "comments_db_pool_size"), 3);
  EXPECT_LE(SampleValue(samples, "comments_db_pool_open_connections"), 3);
  EXPECT_GT(SampleValue(samples, "comments_db_pool_wait_seconds_count"), 0);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_queue_pending"), 5);
  EXPECT_GT(SampleValue(samples,
                        "comments_moderation_queue_oldest_pending_age_seconds"),
            0);
  EXPECT_EQ(SampleValue(samples, "comments_moderation_queue_read_errors_total"),
            0);

  // The process metrics: this server, started a moment ago.
  const std::optional<double> start =
      SampleValue(samples, "process_start_time_seconds");
  ASSERT_TRUE(start.has_value());
  EXPECT_NEAR(*start, absl::ToUnixSeconds(absl::Now()), 120);
  EXPECT_GT(SampleValue(samples, "process_resident_memory_bytes"), 0);
  EXPECT_GT(SampleValue(samples, "process_open_fds"), 0);
  EXPECT_TRUE(SampleValue(samples, "process_cpu_seconds_total").has_value());

  // Nothing about the readers or the moderator.
  for (const std::string& secret :
       {std::string("@example.org"), std::string(kReaderName),
        std::string(kModerator), std::string("127.0.0.1"),
        std::string("lamplight"), std::string("lawsuit")}) {
    EXPECT_FALSE(absl::StrContains(page, secret)) << secret;
  }
  // Nor the moderator's token or key material. Metric names may be runs of
  // 43 base64url characters too, so the token is looked for as itself, not
  // by its shape.
  std::vector<std::string> known = testing::RememberedSecrets();
  known.push_back(*token);
  const std::vector<std::string> lines = absl::StrSplit(page, '\n');
  for (const testing::SecretFinding& finding :
       testing::FindSecrets(lines, known)) {
    if (finding.kind == "moderator token") continue;
    ADD_FAILURE() << "the page holds: " << finding.kind << ", on line "
                  << finding.line + 1;
  }

  // And the page is valid exposition text.
  const std::string saved = absl::StrCat(environment_->dir(), "/scrape.txt");
  std::ofstream(saved) << page;
  auto checked = testing::RunCommand(
      {"sh", "-c", "promtool check metrics < \"$0\"", saved});
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->exit_code, 0) << checked->out << checked->err;
}

TEST_F(MetricsE2eTest, NoMetricsPageWithoutTheFlag) {
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(MetricsAddress(**server), "");
}

TEST_F(MetricsE2eTest, AnAddressInUseStopsStartUp) {
  auto first = environment_->StartServer({"--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string taken = MetricsAddress(**first);
  ASSERT_FALSE(taken.empty());
  auto second =
      environment_->StartServer({absl::StrCat("--metrics_listen=", taken)});
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(absl::StrContains(second.status().message(),
                                "cannot serve --metrics_listen"))
      << second.status();
}

}  // namespace
}  // namespace comments
