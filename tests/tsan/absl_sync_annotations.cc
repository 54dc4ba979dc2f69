// ThreadSanitizer builds only (COMMENTS_SANITIZE=thread): tells the
// sanitizer what Debian's Abseil synchronization does.
//
// Debian's libabsl_synchronization is not built with ThreadSanitizer, so
// the annotations inside absl::Mutex, absl::CondVar, absl::Notification and
// absl::Barrier are compiled out: the sanitizer sees two threads take turns
// under one absl::Mutex as a data race in the code that holds it, ours
// included. Nothing about that can be suppressed without hiding our own
// races, so instead every call our code makes into those classes is routed
// (ld --wrap; cmake/tsan_absl_sync.cmake collects the symbols named here)
// through a wrapper here that adds the happens-before edge the real call
// provides: a release before the call gives the lock up, an acquire after it
// takes it. Calls inside gRPC itself are not wrapped, which is why the TSan run
// leaves out the tests through an in-process gRPC server (scripts/sanitize.sh).
#include <sanitizer/tsan_interface.h>

#include "absl/synchronization/barrier.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

// The symbols are Abseil's, as `nm -D libabsl_synchronization.so` lists
// them (inline namespace "debian3"); each wrapper calls the real one.
// Two steps, so that the argument is expanded before it is pasted.
#define WRAP(symbol) PASTE(__wrap_, symbol)
#define REAL(symbol) PASTE(__real_, symbol)
#define PASTE(prefix, symbol) PASTE_EXPANDED(prefix, symbol)
#define PASTE_EXPANDED(prefix, symbol) prefix##symbol

#define MUTEX_LOCK _ZN4absl7debian35Mutex4LockEv
#define MUTEX_UNLOCK _ZN4absl7debian35Mutex6UnlockEv
#define MUTEX_READER_LOCK _ZN4absl7debian35Mutex10ReaderLockEv
#define MUTEX_READER_UNLOCK _ZN4absl7debian35Mutex12ReaderUnlockEv
#define MUTEX_TRY_LOCK _ZN4absl7debian35Mutex7TryLockEv
#define MUTEX_AWAIT _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE
#define MUTEX_AWAIT_TIMEOUT \
  _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE
#define MUTEX_AWAIT_DEADLINE \
  _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE
#define MUTEX_LOCK_WHEN _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE
#define MUTEX_LOCK_WHEN_TIMEOUT \
  _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE
#define MUTEX_LOCK_WHEN_DEADLINE \
  _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE
#define CONDVAR_WAIT _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE
#define CONDVAR_WAIT_TIMEOUT \
  _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE
#define CONDVAR_WAIT_DEADLINE \
  _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE
#define NOTIFICATION_NOTIFY _ZN4absl7debian312Notification6NotifyEv
#define NOTIFICATION_WAIT _ZNK4absl7debian312Notification19WaitForNotificationEv
#define NOTIFICATION_WAIT_TIMEOUT \
  _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE
#define NOTIFICATION_WAIT_DEADLINE \
  _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE
#define BARRIER_BLOCK _ZN4absl7debian37Barrier5BlockEv

namespace {

using absl::Condition;
using absl::Duration;
using absl::Time;

void Acquire(const void* address) {
  __tsan_acquire(const_cast<void*>(address));
}
void Release(const void* address) {
  __tsan_release(const_cast<void*>(address));
}

// HasBeenNotified is inline: an acquire load of the notification's flag,
// which the uninstrumented Notify stores. Releasing on the flag's address
// pairs with that load. The flag follows the notification's mutex
// (absl/synchronization/notification.h).
const void* NotifiedFlag(const absl::Notification* notification) {
  static_assert(
      sizeof(absl::Notification) == sizeof(absl::Mutex) + alignof(absl::Mutex),
      "absl::Notification is no longer a Mutex and a flag");
  return reinterpret_cast<const char*>(notification) + sizeof(absl::Mutex);
}

// Await and LockWhen evaluate their condition while the calling thread
// holds the lock, inside the uninstrumented call: the condition is wrapped
// so that its evaluation, on whichever thread, is inside an acquire and a
// release of the mutex.
struct GuardedCondition {
  absl::Mutex* mu;
  const Condition* condition;
};

bool EvalGuarded(void* arg) {
  const auto* guarded = static_cast<const GuardedCondition*>(arg);
  Acquire(guarded->mu);
  const bool holds = guarded->condition->Eval();
  Release(guarded->mu);
  return holds;
}

}  // namespace

extern "C" {

void REAL(MUTEX_LOCK)(absl::Mutex* mu);
void REAL(MUTEX_UNLOCK)(absl::Mutex* mu);
void REAL(MUTEX_READER_LOCK)(absl::Mutex* mu);
void REAL(MUTEX_READER_UNLOCK)(absl::Mutex* mu);
bool REAL(MUTEX_TRY_LOCK)(absl::Mutex* mu);
void REAL(MUTEX_AWAIT)(absl::Mutex* mu, const Condition& cond);
bool REAL(MUTEX_AWAIT_TIMEOUT)(absl::Mutex* mu, const Condition& cond,
                               Duration timeout);
bool REAL(MUTEX_AWAIT_DEADLINE)(absl::Mutex* mu, const Condition& cond,
                                Time deadline);
void REAL(MUTEX_LOCK_WHEN)(absl::Mutex* mu, const Condition& cond);
bool REAL(MUTEX_LOCK_WHEN_TIMEOUT)(absl::Mutex* mu, const Condition& cond,
                                   Duration timeout);
bool REAL(MUTEX_LOCK_WHEN_DEADLINE)(absl::Mutex* mu, const Condition& cond,
                                    Time deadline);
void REAL(CONDVAR_WAIT)(absl::CondVar* cv, absl::Mutex* mu);
bool REAL(CONDVAR_WAIT_TIMEOUT)(absl::CondVar* cv, absl::Mutex* mu,
                                Duration timeout);
bool REAL(CONDVAR_WAIT_DEADLINE)(absl::CondVar* cv, absl::Mutex* mu,
                                 Time deadline);
void REAL(NOTIFICATION_NOTIFY)(absl::Notification* n);
void REAL(NOTIFICATION_WAIT)(const absl::Notification* n);
bool REAL(NOTIFICATION_WAIT_TIMEOUT)(const absl::Notification* n,
                                     Duration timeout);
bool REAL(NOTIFICATION_WAIT_DEADLINE)(const absl::Notification* n,
                                      Time deadline);
bool REAL(BARRIER_BLOCK)(absl::Barrier* barrier);

void WRAP(MUTEX_LOCK)(absl::Mutex* mu) {
  REAL(MUTEX_LOCK)(mu);
  Acquire(mu);
}
void WRAP(MUTEX_UNLOCK)(absl::Mutex* mu) {
  Release(mu);
  REAL(MUTEX_UNLOCK)(mu);
}
void WRAP(MUTEX_READER_LOCK)(absl::Mutex* mu) {
  REAL(MUTEX_READER_LOCK)(mu);
  Acquire(mu);
}
void WRAP(MUTEX_READER_UNLOCK)(absl::Mutex* mu) {
  Release(mu);
  REAL(MUTEX_READER_UNLOCK)(mu);
}
bool WRAP(MUTEX_TRY_LOCK)(absl::Mutex* mu) {
  const bool locked = REAL(MUTEX_TRY_LOCK)(mu);
  if (locked) Acquire(mu);
  return locked;
}
// Await and CondVar::Wait give the lock up while they wait and hold it
// again when they return, whatever they return.
void WRAP(MUTEX_AWAIT)(absl::Mutex* mu, const Condition& cond) {
  Release(mu);
  GuardedCondition guarded{mu, &cond};
  REAL(MUTEX_AWAIT)(mu, Condition(&EvalGuarded, &guarded));
  Acquire(mu);
}
bool WRAP(MUTEX_AWAIT_TIMEOUT)(absl::Mutex* mu, const Condition& cond,
                               Duration timeout) {
  Release(mu);
  GuardedCondition guarded{mu, &cond};
  const bool met =
      REAL(MUTEX_AWAIT_TIMEOUT)(mu, Condition(&EvalGuarded, &guarded), timeout);
  Acquire(mu);
  return met;
}
bool WRAP(MUTEX_AWAIT_DEADLINE)(absl::Mutex* mu, const Condition& cond,
                                Time deadline) {
  Release(mu);
  GuardedCondition guarded{mu, &cond};
  const bool met = REAL(MUTEX_AWAIT_DEADLINE)(
      mu, Condition(&EvalGuarded, &guarded), deadline);
  Acquire(mu);
  return met;
}
void WRAP(MUTEX_LOCK_WHEN)(absl::Mutex* mu, const Condition& cond) {
  GuardedCondition guarded{mu, &cond};
  REAL(MUTEX_LOCK_WHEN)(mu, Condition(&EvalGuarded, &guarded));
  Acquire(mu);
}
bool WRAP(MUTEX_LOCK_WHEN_TIMEOUT)(absl::Mutex* mu, const Condition& cond,
                                   Duration timeout) {
  GuardedCondition guarded{mu, &cond};
  const bool met = REAL(MUTEX_LOCK_WHEN_TIMEOUT)(
      mu, Condition(&EvalGuarded, &guarded), timeout);
  Acquire(mu);
  return met;
}
bool WRAP(MUTEX_LOCK_WHEN_DEADLINE)(absl::Mutex* mu, const Condition& cond,
                                    Time deadline) {
  GuardedCondition guarded{mu, &cond};
  const bool met = REAL(MUTEX_LOCK_WHEN_DEADLINE)(
      mu, Condition(&EvalGuarded, &guarded), deadline);
  Acquire(mu);
  return met;
}
void WRAP(CONDVAR_WAIT)(absl::CondVar* cv, absl::Mutex* mu) {
  Release(mu);
  REAL(CONDVAR_WAIT)(cv, mu);
  Acquire(mu);
}
bool WRAP(CONDVAR_WAIT_TIMEOUT)(absl::CondVar* cv, absl::Mutex* mu,
                                Duration timeout) {
  Release(mu);
  const bool timed_out = REAL(CONDVAR_WAIT_TIMEOUT)(cv, mu, timeout);
  Acquire(mu);
  return timed_out;
}
bool WRAP(CONDVAR_WAIT_DEADLINE)(absl::CondVar* cv, absl::Mutex* mu,
                                 Time deadline) {
  Release(mu);
  const bool timed_out = REAL(CONDVAR_WAIT_DEADLINE)(cv, mu, deadline);
  Acquire(mu);
  return timed_out;
}
void WRAP(NOTIFICATION_NOTIFY)(absl::Notification* n) {
  Release(n);
  Release(NotifiedFlag(n));
  REAL(NOTIFICATION_NOTIFY)(n);
}
void WRAP(NOTIFICATION_WAIT)(const absl::Notification* n) {
  REAL(NOTIFICATION_WAIT)(n);
  Acquire(n);
}
bool WRAP(NOTIFICATION_WAIT_TIMEOUT)(const absl::Notification* n,
                                     Duration timeout) {
  const bool notified = REAL(NOTIFICATION_WAIT_TIMEOUT)(n, timeout);
  if (notified) Acquire(n);
  return notified;
}
bool WRAP(NOTIFICATION_WAIT_DEADLINE)(const absl::Notification* n,
                                      Time deadline) {
  const bool notified = REAL(NOTIFICATION_WAIT_DEADLINE)(n, deadline);
  if (notified) Acquire(n);
  return notified;
}
// Every thread's work before the barrier happens before every thread's
// work after it.
bool WRAP(BARRIER_BLOCK)(absl::Barrier* barrier) {
  Release(barrier);
  const bool last = REAL(BARRIER_BLOCK)(barrier);
  Acquire(barrier);
  return last;
}

}  // extern "C"
