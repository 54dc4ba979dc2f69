// comments_server: flags, configuration and wiring; nothing else.
//
// Every flag can also be set through the environment variable named in its
// help text; a flag on the command line wins. Secrets come from files only.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "service/admin/migrate_command.h"
#include "service/admin/moderators_command.h"
#include "service/api/call_interceptor.h"
#include "service/api/comment_service.h"
#include "service/api/library_logs.h"
#include "service/api/moderation_service.h"
#include "service/api/moderator_auth.h"
#include "service/api/queue_watch_hub.h"
#include "service/api/server_credentials.h"
#include "service/api/server_shutdown.h"
#include "service/api/work_queue.h"
#include "service/app/flood_row_pruner.h"
#include "service/app/moderate_comments.h"
#include "service/app/moderation_observer.h"
#include "service/app/read_comments.h"
#include "service/app/submission_observer.h"
#include "service/app/submit_comment.h"
#include "service/common/clock.h"
#include "service/common/json_log.h"
#include "service/config/environment_flags.h"
#include "service/config/rules_config.h"
#include "service/metrics/metrics_endpoint.h"
#include "service/metrics/queue_metrics.h"
#include "service/metrics/service_metrics.h"
#include "service/security/email_cipher.h"
#include "service/security/key_file.h"
#include "service/security/keyed_hash.h"
#include "service/security/page_token_cipher.h"
#include "service/startup/connection_flags.h"
#include "service/startup/database_startup.h"
#include "service/startup/durability_check.h"
#include "service/startup/reflection.h"
#include "service/startup/serving_flags.h"
#include "service/storage/cache_dropping_moderation_repository.h"
#include "service/storage/caching_comment_repository.h"
#include "service/storage/connection_pool.h"
#include "service/storage/insert_batcher.h"
#include "service/storage/migrations.h"
#include "service/storage/pg_comment_repository.h"
#include "service/storage/pg_moderation_repository.h"
#include "service/storage/pg_moderator_repository.h"
#include "service/storage/pg_queue_summary.h"
#include "service/storage/pg_submission_store.h"
#include "service/storage/public_read_cache.h"
#include "service/storage/queue_listener.h"
#include "service/storage/service_role.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to serve gRPC on; port 0 picks a free one "
          "(env COMMENTS_LISTEN)");
ABSL_FLAG(std::string, database_url,
          "postgresql://postgres@127.0.0.1:5432/comments",
          "libpq connection string or URI, without a password "
          "(env COMMENTS_DATABASE_URL)");
ABSL_FLAG(std::string, database_password_file, "",
          "file holding the database password (env "
          "COMMENTS_DATABASE_PASSWORD_FILE)");
ABSL_FLAG(std::string, service_role, comments::storage::kDefaultServiceRole,
          "migrate: the database role the service connects as; the "
          "migrations grant it row privileges only, and create it when "
          "missing (env COMMENTS_SERVICE_ROLE)");
ABSL_FLAG(std::string, service_password_file, "",
          "migrate: file holding the password to set for --service_role "
          "(env COMMENTS_SERVICE_PASSWORD_FILE)");
ABSL_FLAG(std::string, email_key_file, "",
          "key file for email encryption; required "
          "(env COMMENTS_EMAIL_KEY_FILE)");
ABSL_FLAG(std::string, email_hash_key_file, "",
          "key file for keyed email hashes; required "
          "(env COMMENTS_EMAIL_HASH_KEY_FILE)");
ABSL_FLAG(int, startup_timeout_ms, 30000,
          "how long to wait for the database at start-up "
          "(env COMMENTS_STARTUP_TIMEOUT_MS)");
ABSL_FLAG(std::string, log_level, "info",
          "debug, info, warning or error (env COMMENTS_LOG_LEVEL)");
ABSL_FLAG(std::string, rules_file, "",
          "YAML file of moderation, flood-control, trusted-proxy and "
          "validation rules; every default when empty (env "
          "COMMENTS_RULES_FILE)");
ABSL_FLAG(std::string, generate_key_line, "",
          "print a new key file line with this key id and exit");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on, at /metrics; port 0 "
          "picks a free one; off when empty (env COMMENTS_METRICS_LISTEN)");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain; serves TLS together with --tls_key_file "
          "(env COMMENTS_TLS_CERT_FILE)");
ABSL_FLAG(std::string, tls_key_file, "",
          "PEM private key of --tls_cert_file (env COMMENTS_TLS_KEY_FILE)");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle; when set, clients must present a certificate it "
          "signed (env COMMENTS_TLS_CLIENT_CA_FILE)");

namespace {

using comments::log::Error;
using comments::log::Info;

[[noreturn]] void Fail(std::string_view what, const absl::Status& status) {
  Error(what, {{"error", std::string(status.message())}});
  std::exit(1);
}

template <typename T>
T OrFail(absl::StatusOr<T> value, std::string_view what) {
  if (!value.ok()) Fail(what, value.status());
  return *std::move(value);
}

std::vector<comments::security::Key> ReadKeys(const std::string& path,
                                              const char* flag) {
  if (path.empty()) {
    Fail("missing key file",
         absl::InvalidArgumentError(absl::StrCat(
             "--", flag, " is required: the server never runs without keys")));
  }
  return OrFail(comments::security::ReadKeyFile(path),
                absl::StrCat("cannot load --", flag));
}

// What serving and both subcommands do first: find the database with the
// password file and bring its schema up to date, waiting for it while it
// starts.
void StartDatabaseOrFail() {
  const comments::startup::DatabaseStartup startup = {
      absl::GetFlag(FLAGS_database_url),
      absl::GetFlag(FLAGS_database_password_file),
      absl::GetFlag(FLAGS_service_role),
      {absl::Milliseconds(absl::GetFlag(FLAGS_startup_timeout_ms))}};
  if (absl::Status started = comments::startup::StartDatabase(startup);
      !started.ok()) {
    Fail("cannot start on the database", started);
  }
}

// The site's rules: every default without a file; a bad file stops
// start-up with the path of the bad key.
comments::config::RulesConfig LoadRules() {
  const std::string path = absl::GetFlag(FLAGS_rules_file);
  if (path.empty()) return {};
  comments::config::RulesConfig rules =
      OrFail(comments::config::LoadRulesFile(path), "bad --rules_file");
  Info("rules loaded",
       {{"mode", rules.moderation.mode ==
                         comments::domain::ModerationMode::kPostModeration
                     ? "post"
                     : "pre"},
        {"blocked_words", rules.moderation.blocked_words.size()},
        {"hold_words", rules.moderation.hold_words.size()},
        {"trusted_proxies", rules.trusted_proxies.size()}});
  return rules;
}

// The audit trail is only append-only for a role that owns no table: say
// so when the service connects as more.
void WarnAboutExcessPrivileges(const std::string& database_url) {
  const auto excess = comments::storage::ExcessPrivileges(database_url);
  if (excess.ok() && !excess->empty()) {
    comments::log::Warning(
        "the database role can alter the schema and the audit trail; run "
        "`comments_server migrate` as the owner and connect as the service "
        "role",
        {{"excess", absl::StrJoin(*excess, "; ")}});
  }
}

// `comments_server migrate`: the schema's owner applies the migrations and
// prepares the service role. Returns the exit code.
int RunMigrate(const std::vector<char*>& positional) {
  if (positional.size() != 2) {
    std::cerr << "usage: comments_server [--database_url=OWNER_URL] "
                 "[--service_role=NAME] [--service_password_file=FILE] "
                 "migrate\n";
    return comments::admin::kExitUsage;
  }
  StartDatabaseOrFail();
  const std::string database_url = absl::GetFlag(FLAGS_database_url);
  return comments::admin::PrepareServiceRole(
      database_url,
      {absl::GetFlag(FLAGS_service_role),
       absl::GetFlag(FLAGS_service_password_file)},
      std::cerr);
}

// `comments_server moderators ...`: the operator's commands, on the database
// the server uses. Returns the exit code.
int RunCommand(const std::vector<char*>& positional) {
  if (std::string_view(positional[1]) == "migrate") {
    return RunMigrate(positional);
  }
  if (std::string_view(positional[1]) != "moderators") {
    std::cerr << "unknown command \"" << positional[1]
              << "\"; the commands are \"migrate\" and \"moderators\"\n";
    return comments::admin::kExitUsage;
  }
  const std::vector<std::string> args(positional.begin() + 2, positional.end());
  if (!comments::admin::CheckModeratorsUsage(args, std::cerr)) {
    return comments::admin::kExitUsage;
  }
  // Only problems reach the operator's terminal.
  comments::log::SetMinLevel(comments::log::Level::kWarning);
  StartDatabaseOrFail();
  const std::string database_url = absl::GetFlag(FLAGS_database_url);
  comments::storage::PoolOptions options;
  options.connection_string = database_url;
  options.size = 1;
  comments::storage::ConnectionPool pool(std::move(options));
  comments::storage::PgModeratorRepository moderators(&pool);
  return comments::admin::RunModeratorsCommand(args, moderators, std::cout,
                                               std::cerr);
}

// The address to announce: the listen host with the port actually bound.
std::string BoundAddress(const std::string& listen, int port) {
  return absl::StrCat(listen.substr(0, listen.rfind(':')), ":", port);
}

}  // namespace

int main(int argc, char** argv) {
  // The distribution's Abseil is built for debugging: without this, every
  // absl::Mutex lock (gRPC's own included) records itself in a lock graph
  // to detect deadlocks, a cost on each call (bench/PROFILE.md) that the
  // tests' builds keep.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "Comment moderation gRPC service. Configure with flags or COMMENTS_* "
      "environment variables.");
  // The environment first, so that the command line wins.
  if (absl::Status applied =
          comments::config::ApplyEnvironmentToFlags("COMMENTS_", __FILE__);
      !applied.ok()) {
    Fail("bad environment variable", applied);
  }
  for (absl::Status applied :
       {comments::startup::ApplyServingEnvironment(),
        comments::startup::ApplyConnectionEnvironment()}) {
    if (!applied.ok()) Fail("bad environment variable", applied);
  }
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  comments::api::RouteLibraryLogsToJson();

  if (const std::string id = absl::GetFlag(FLAGS_generate_key_line);
      !id.empty()) {
    std::cout << comments::security::NewKeyFileLine(id);
    return 0;
  }

  comments::log::Level level;
  if (!comments::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    Fail("bad --log_level",
         absl::InvalidArgumentError("use debug, info, warning or error"));
  }
  comments::log::SetMinLevel(level);
  if (positional.size() > 1) return RunCommand(positional);
  const comments::config::RulesConfig rules = LoadRules();
  const comments::startup::ServingOptions serving =
      OrFail(comments::startup::ServingOptionsFromFlags(), "bad serving flag");
  const comments::startup::ConnectionOptions connection_options = OrFail(
      comments::startup::ConnectionOptionsFromFlags(), "bad connection flag");

  // Signals are taken by sigwait below; every thread created from here on
  // inherits the mask, so none of them is interrupted.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const std::vector<comments::security::Key> email_keys =
      ReadKeys(absl::GetFlag(FLAGS_email_key_file), "email_key_file");
  const auto cipher =
      OrFail(comments::security::EmailCipher::Create(email_keys),
             "bad --email_key_file");
  // Page-token keys are derived from the email keys: no other secret to
  // manage, and every replica with the same file reads every other's tokens.
  const auto page_tokens =
      OrFail(comments::security::PageTokenCipher::Create(email_keys),
             "bad --email_key_file");
  const auto hasher = OrFail(
      comments::security::KeyedHasher::Create(ReadKeys(
          absl::GetFlag(FLAGS_email_hash_key_file), "email_hash_key_file")),
      "bad --email_hash_key_file");

  StartDatabaseOrFail();
  const std::string database_url = absl::GetFlag(FLAGS_database_url);
  WarnAboutExcessPrivileges(database_url);
  comments::startup::WarnUnlessDurable(database_url);

  // Observers of everything below, and the /metrics page, only with
  // --metrics_listen.
  const std::string metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  comments::storage::InsertBatcherOptions batching;
  std::unique_ptr<comments::metrics::ServiceMetrics> metrics;
  if (!metrics_listen.empty()) {
    metrics = std::make_unique<comments::metrics::ServiceMetrics>(
        comments::metrics::ServiceMetricsOptions{serving.db_pool_size,
                                                 batching.max_batch});
    batching.observer = metrics->batches();
  }
  comments::storage::PoolOptions pool_options;
  pool_options.connection_string = database_url;
  pool_options.size = serving.db_pool_size;
  if (metrics != nullptr) pool_options.observer = metrics->pool();
  comments::storage::ConnectionPool pool(std::move(pool_options));
  comments::storage::PgCommentRepository comment_repository(&pool, batching);
  // Public pages and counts from memory, dropped by the queue listener's
  // comment_public notifications below; empty until it listens.
  comments::storage::PublicReadCacheOptions cache_options;
  cache_options.max_bytes =
      size_t{static_cast<unsigned>(serving.public_cache_mib)} << 20;
  if (metrics != nullptr) cache_options.observer = metrics->public_cache();
  comments::storage::PublicReadCache public_cache(cache_options);
  comments::storage::CachingCommentRepository public_reads(&comment_repository,
                                                           &public_cache);
  comments::storage::PgSubmissionStore submission_store(&pool);
  comments::app::SubmitOptions submit_options;
  submit_options.limits = rules.limits;
  submit_options.policy = {rules.moderation, rules.flood};
  comments::app::LoggingSubmissionObserver submission_log;
  std::vector<comments::app::SubmissionObserver*> submission_observers = {
      &submission_log};
  if (metrics != nullptr) {
    submission_observers.push_back(metrics->submissions());
  }
  comments::app::SubmissionObservers submission_events(
      std::move(submission_observers));
  const comments::app::SubmitComment submit_comment(
      &comment_repository, &submission_store, &cipher, &hasher,
      &comments::SystemClock(), submit_options, &submission_events);
  comments::app::ReadOptions read_options;
  read_options.page_tokens = &page_tokens;
  const comments::app::ReadComments read_comments(&public_reads, read_options);
  comments::api::CommentServiceOptions comment_options;
  comment_options.max_call_timeout = serving.max_call_timeout;
  comment_options.trusted_proxies = rules.trusted_proxies;
  comments::api::CommentServiceImpl comment_service(
      &submit_comment, &read_comments, comment_options);
  comments::app::FloodRowPrunerOptions prune_options;
  prune_options.flood = rules.flood;
  prune_options.every = serving.flood_prune_interval;
  comments::app::FloodRowPruner flood_row_pruner(
      &submission_store, &comments::SystemClock(), prune_options);
  flood_row_pruner.Start();
  comments::storage::PgModerationRepository moderation_repository(&pool);
  // This server's cached pages follow its own moderators' changes at once.
  comments::storage::CacheDroppingModerationRepository moderation_writes(
      &moderation_repository, &public_cache);
  comments::storage::PgModeratorRepository moderator_repository(&pool);
  const comments::api::ModeratorAuthenticator authenticator(
      &moderator_repository);
  comments::api::QueueWatchOptions watch_options;
  watch_options.max_per_moderator = serving.max_watches_per_moderator;
  if (metrics != nullptr) watch_options.observer = metrics->watches();
  comments::api::QueueWatchHub queue_hub(watch_options);
  // Its own connection, LISTENing for queue changes, revocations and
  // changed public threads from every replica.
  comments::storage::QueueListener queue_listener(
      {database_url},
      {[&queue_hub](const comments::storage::QueueChange& change) {
         queue_hub.Publish(change);
       },
       [&queue_hub, &public_cache](bool listening) {
         queue_hub.SetFeedAvailable(listening);
         public_cache.SetListening(listening);
       },
       [&queue_hub](const std::string& moderator) {
         queue_hub.Revoke(moderator);
       },
       [&public_cache](const std::string& thread) {
         public_cache.Invalidate(thread);
       }});
  queue_listener.Start();
  if (!queue_listener.WaitUntilListening(
          absl::Milliseconds(absl::GetFlag(FLAGS_startup_timeout_ms)))) {
    comments::log::Warning(
        "queue watch unavailable until the database answers");
  }
  comments::app::ModerateCommentsOptions moderate_options;
  moderate_options.limits = rules.limits;
  moderate_options.page_tokens = &page_tokens;
  comments::app::LoggingModerationObserver moderation_log;
  std::vector<comments::app::ModerationObserver*> moderation_observers = {
      &moderation_log};
  if (metrics != nullptr) moderation_observers.push_back(metrics->moderation());
  comments::app::ModerationObservers moderation_events(
      std::move(moderation_observers));
  comments::app::ModerateComments moderate(
      &moderation_writes, &hasher, &moderation_events, moderate_options);
  comments::api::ModerationServiceOptions moderation_options;
  moderation_options.max_call_timeout = serving.max_call_timeout;
  // Watch streams' database steps; two threads serve any number of streams.
  comments::api::WorkQueue watch_work(2);
  comments::api::ModerationServiceImpl moderation_service(
      &moderate, &authenticator, &cipher, &queue_hub, &watch_work,
      moderation_options);

  // The queue's figures come from the database, so that every replica
  // reports the same.
  comments::storage::PgQueueSummaryReader queue_summary(&pool);
  std::unique_ptr<comments::metrics::QueueMetrics> queue_metrics;
  std::unique_ptr<comments::metrics::MetricsEndpoint> metrics_endpoint;
  const comments::api::CallLogger call_log;
  std::vector<const comments::api::CallObserver*> call_observers = {&call_log};
  if (metrics != nullptr) {
    call_observers.push_back(metrics->grpc());
    comments::metrics::QueueMetricsOptions queue_metrics_options;
    queue_metrics_options.every = serving.queue_metrics_interval;
    metrics_endpoint = OrFail(comments::metrics::MetricsEndpoint::Start(
                                  metrics_listen, metrics->registry()),
                              "cannot serve --metrics_listen");
    Info("metrics listening", {{"address", metrics_endpoint->address()}});
    queue_metrics = std::make_unique<comments::metrics::QueueMetrics>(
        *metrics->registry(), &queue_summary, queue_metrics_options);
    queue_metrics->Start();
  }

  grpc::EnableDefaultHealthCheckService(true);
  comments::startup::EnableReflection();
  grpc::ServerBuilder builder;
  comments::startup::ApplyConnectionOptions(connection_options, &builder);
  const std::string listen = absl::GetFlag(FLAGS_listen);
  int port = 0;
  const comments::api::TlsFiles tls_files = {
      absl::GetFlag(FLAGS_tls_cert_file), absl::GetFlag(FLAGS_tls_key_file),
      absl::GetFlag(FLAGS_tls_client_ca_file)};
  builder.AddListeningPort(
      listen,
      OrFail(comments::api::MakeServerCredentials(tls_files),
             "bad TLS configuration"),
      &port);
  if (!tls_files.cert_file.empty()) {
    Info("serving TLS",
         {{"client_certificates", !tls_files.client_ca_file.empty()}});
  }
  builder.SetMaxReceiveMessageSize(serving.max_receive_message_bytes);
  builder.experimental().SetInterceptorCreators(
      comments::api::CallInterceptors(call_observers));
  builder.RegisterService(&comment_service);
  builder.RegisterService(&moderation_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    Fail("cannot listen",
         absl::UnavailableError(absl::StrCat("cannot bind ", listen)));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(true);
  Info("listening", {{"address", BoundAddress(listen, port)}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  Info("shutting down", {{"signal", signal_number}});
  // Load balancers stop sending new calls; in-flight ones get the grace
  // period, then are cancelled.
  health->SetServingStatus(false);
  // Watch streams never end by themselves: end them first, so the grace
  // period is left to unary calls.
  queue_hub.Shutdown();
  queue_listener.Stop();
  // Before the pool closes; a prune under way ends within its own deadline.
  flood_row_pruner.Stop();
  if (queue_metrics != nullptr) queue_metrics->Stop();
  // At the end of the grace, statements still running are cancelled, so a
  // call blocked on a lock cannot hold the process past it.
  comments::api::StopServer(*server, serving.shutdown_grace,
                            [&pool] { pool.Close(); });
  Info("stopped");
  return 0;
}
