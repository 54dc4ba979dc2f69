// LISTENs on the comment_queue, moderator_revoked and comment_public
// channels over one dedicated connection (not from the pool: a listening
// session must stay open) and hands every change, every revocation and
// every changed public thread to a callback, on its own thread.
// Notifications of all channels arrive in commit order.
//
// When the connection is lost it reconnects with backoff. Notifications
// sent while it was not listening are lost to it, so it reports every loss
// and every recovery: the watchers' streams cannot silently miss events.
#ifndef COMMENTS_SERVICE_STORAGE_QUEUE_LISTENER_H_
#define COMMENTS_SERVICE_STORAGE_QUEUE_LISTENER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/storage/queue_change.h"

namespace comments::storage {

// Migration 0005 notifies the moderator's name here when an active account
// is revoked, deleted, renamed or given another token.
inline constexpr char kRevocationChannel[] = "moderator_revoked";

// Migration 0008 notifies a thread's name here when what the public sees of
// it changes (a comment approved, unpublished, edited by an erasure or
// deleted).
inline constexpr char kPublicChangeChannel[] = "comment_public";

struct QueueListenerOptions {
  std::string connection_string;
  // How often the thread wakes up to notice Stop().
  absl::Duration poll_interval = absl::Milliseconds(100);
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

class QueueListener {
 public:
  // Both run on the listener thread and must not block.
  struct Callbacks {
    std::function<void(const QueueChange&)> on_change;
    // true once LISTEN is in effect on every channel, false when the
    // connection is lost.
    std::function<void(bool listening)> on_listening;
    // The name of a moderator whose token stopped being valid; optional.
    std::function<void(const std::string& moderator)> on_revoked;
    // A thread whose public pages changed; optional.
    std::function<void(const std::string& thread)> on_public_change;
  };

  QueueListener(QueueListenerOptions options, Callbacks callbacks);
  ~QueueListener();  // Stop()

  QueueListener(const QueueListener&) = delete;
  QueueListener& operator=(const QueueListener&) = delete;

  void Start();
  // Returns within about poll_interval; idempotent.
  void Stop();

  // Whether LISTEN became effective within `timeout`.
  bool WaitUntilListening(absl::Duration timeout);

 private:
  void Run();
  // Listens until Stop() or a connection failure (returned as false).
  bool ListenOnce();
  void SetListening(bool listening);
  bool stopping() const;

  const QueueListenerOptions options_;
  const Callbacks callbacks_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool listening_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_QUEUE_LISTENER_H_
