// A test's transaction holding the comments table in ACCESS EXCLUSIVE mode:
// every statement of the server that reads or writes comments waits inside
// PostgreSQL until the lock is released, and the test asks PostgreSQL how
// many wait rather than guessing by waiting a while.
#ifndef COMMENTS_TESTS_SUPPORT_COMMENTS_TABLE_LOCK_H_
#define COMMENTS_TESTS_SUPPORT_COMMENTS_TABLE_LOCK_H_

#include <string>

#include "absl/time/time.h"
#include "pqxx/pqxx"

namespace comments::testing {

class CommentsTableLock {
 public:
  // Connects to `conninfo` twice, to hold the lock and to ask about it, and
  // takes the lock; throws what libpqxx throws.
  explicit CommentsTableLock(const std::string& conninfo);

  CommentsTableLock(const CommentsTableLock&) = delete;
  CommentsTableLock& operator=(const CommentsTableLock&) = delete;

  // Statements waiting for the lock now.
  int Waiting();
  // Polls until at least `count` statements wait, for at most `timeout`;
  // returns the last count.
  int AwaitWaiting(int count, absl::Duration timeout = absl::Seconds(20));
  // Ends the transaction, so the waiting statements go on.
  void Release();

 private:
  pqxx::connection holder_;
  pqxx::work transaction_;
  pqxx::connection monitor_;
  pqxx::nontransaction ask_;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_COMMENTS_TABLE_LOCK_H_
