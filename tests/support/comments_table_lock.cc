#include "tests/support/comments_table_lock.h"

#include "absl/time/clock.h"

namespace comments::testing {

CommentsTableLock::CommentsTableLock(const std::string& conninfo)
    : holder_(conninfo),
      transaction_(holder_),
      monitor_(conninfo),
      ask_(monitor_) {
  transaction_.exec("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE");
}

int CommentsTableLock::Waiting() {
  return ask_
      .exec(
          "SELECT count(*) FROM pg_locks WHERE relation ="
          " 'comments'::regclass AND NOT granted")[0][0]
      .as<int>();
}

int CommentsTableLock::AwaitWaiting(int count, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  int waiting = Waiting();
  while (waiting < count && absl::Now() < give_up) waiting = Waiting();
  return waiting;
}

void CommentsTableLock::Release() { transaction_.abort(); }

}  // namespace comments::testing
