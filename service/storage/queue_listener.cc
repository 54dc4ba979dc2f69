#include "service/storage/queue_listener.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "pqxx/connection"
#include "pqxx/errorhandler"
#include "pqxx/notification"
#include "service/common/json_log.h"
#include "service/storage/db_errors.h"

namespace comments::storage {
namespace {

class QueueReceiver final : public pqxx::notification_receiver {
 public:
  QueueReceiver(pqxx::connection_base& connection,
                const std::function<void(const QueueChange&)>* on_change)
      : pqxx::notification_receiver(connection, kQueueChannel),
        on_change_(on_change) {}

  void operator()(const std::string& payload, int backend_pid) override {
    std::optional<QueueChange> change = ParseQueueNotification(payload);
    if (!change.has_value()) {
      log::Warning("unreadable queue notification",
                   {{"channel", kQueueChannel}});
      return;
    }
    (*on_change_)(*change);
  }

 private:
  const std::function<void(const QueueChange&)>* on_change_;
};

// Hands the payload as it is (a moderator's name, a thread) to a callback,
// if there is one.
class PayloadReceiver final : public pqxx::notification_receiver {
 public:
  PayloadReceiver(pqxx::connection_base& connection, const char* channel,
                  const std::function<void(const std::string&)>* callback)
      : pqxx::notification_receiver(connection, channel), callback_(callback) {}

  void operator()(const std::string& payload, int backend_pid) override {
    if (*callback_) (*callback_)(payload);
  }

 private:
  const std::function<void(const std::string&)>* callback_;
};

}  // namespace

QueueListener::QueueListener(QueueListenerOptions options, Callbacks callbacks)
    : options_(std::move(options)), callbacks_(std::move(callbacks)) {}

QueueListener::~QueueListener() { Stop(); }

void QueueListener::Start() {
  thread_ = std::thread([this] { Run(); });
}

void QueueListener::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

bool QueueListener::WaitUntilListening(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&listening_), timeout);
}

bool QueueListener::stopping() const {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void QueueListener::SetListening(bool listening) {
  {
    absl::MutexLock lock(&mu_);
    if (listening_ == listening) return;
    listening_ = listening;
  }
  callbacks_.on_listening(listening);
}

bool QueueListener::ListenOnce() {
  try {
    pqxx::connection connection(options_.connection_string);
    // libpq's notices (e.g. about UNLISTEN on a dying connection) would
    // otherwise reach stderr as plain text between the JSON log lines.
    pqxx::quiet_errorhandler quiet(connection);
    QueueReceiver changes(connection, &callbacks_.on_change);
    PayloadReceiver revocations(connection, kRevocationChannel,
                                &callbacks_.on_revoked);
    PayloadReceiver public_changes(connection, kPublicChangeChannel,
                                   &callbacks_.on_public_change);
    SetListening(true);
    const int64_t poll_us = absl::ToInt64Microseconds(options_.poll_interval);
    while (!stopping()) {
      connection.await_notification(poll_us / 1000000, poll_us % 1000000);
    }
    return true;
  } catch (const std::exception& error) {
    const absl::Status status = StatusFromDbException(error);
    log::Warning("queue listener lost the database",
                 {{"code", absl::StatusCodeToString(status.code())}});
    return false;
  }
}

void QueueListener::Run() {
  absl::Duration backoff = options_.initial_backoff;
  while (!stopping()) {
    const absl::Time started = absl::Now();
    if (ListenOnce()) break;
    SetListening(false);
    // A connection that lived a while was a good one: start over from the
    // shortest wait.
    if (absl::Now() - started > options_.max_backoff) {
      backoff = options_.initial_backoff;
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stop_), backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  SetListening(false);
}

}  // namespace comments::storage
