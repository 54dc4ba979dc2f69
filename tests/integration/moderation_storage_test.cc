// The moderation storage against a real PostgreSQL, connected as the
// service role: transitions and their audit rows, batches, the append-only
// trail, erasure, moderator accounts, and the queue notifications every
// replica listens to.
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/nontransaction"
#include "service/common/uuid.h"
#include "service/storage/connection_pool.h"
#include "service/storage/db_errors.h"
#include "service/storage/migrations.h"
#include "service/storage/pg_comment_repository.h"
#include "service/storage/pg_moderation_repository.h"
#include "service/storage/pg_moderator_repository.h"
#include "service/storage/queue_listener.h"
#include "tests/support/postgres_suite.h"

namespace comments::storage {
namespace {

using domain::CommentState;
using domain::ModerationAction;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// One database for the suite (creating one per test would cost more than
// the tests): each test works in threads, moderator names and email hashes
// of its own, and scopes its checks to them.
class ModerationStorageTest : public comments::testing::PostgresSuite {
 protected:
  static void SetUpTestSuite() {
    PostgresSuite::SetUpTestSuite();
    // The superuser owns the schema; the repositories connect as the
    // service role, as the server does.
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kDatabase));
    PoolOptions options;
    options.connection_string = conninfo();
    options.size = 4;
    pool_ = new ConnectionPool(std::move(options));
    comments_ = new PgCommentRepository(pool_);
    moderation_ = new PgModerationRepository(pool_);
    moderators_ = new PgModeratorRepository(pool_);
  }
  static void TearDownTestSuite() {
    delete moderators_;
    delete moderation_;
    delete comments_;
    delete pool_;
    PostgresSuite::TearDownTestSuite();
  }

  static std::string conninfo() {
    return postgres_->ConnectionString(kDatabase, kDefaultServiceRole);
  }

  static std::string Query(const std::string& sql) {
    auto result = postgres_->Query(kDatabase, sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : "";
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  // Runs `sql` in a transaction that rolls back.
  static void RollBack(const std::string& sql) {
    absl::Status status =
        pool_->InTransaction(Deadline(), [&sql](pqxx::work& txn) {
          txn.exec(sql);
          return absl::AbortedError("on purpose");
        });
    ASSERT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  }

  // Inserts a comment the way CreateComment does (no admission checks).
  NewComment Insert(const std::string& thread,
                    CommentState state = CommentState::kPending,
                    std::string email_hash = "", std::string id = "") {
    NewComment comment;
    comment.id = id.empty() ? NewUuid() : id;
    comment.thread = thread;
    comment.author_name = "Reader";
    comment.author_url = "https://reader.example.org/";
    comment.body = "A comment body.";
    comment.state = state;
    comment.email_ciphertext = "k1:ciphertext";
    // Unless the test shares one, every comment has an author of its own.
    comment.email_hash = email_hash.empty() ? NewUuid() : email_hash;
    comment.client_ip = "192.0.2.7";
    comment.user_agent = "Mozilla/5.0";
    comment.flags = {"links"};
    auto created = comments_->Create(comment, Deadline());
    EXPECT_TRUE(created.ok()) << created.status();
    return comment;
  }

  Transition Decide(const NewComment& comment, ModerationAction action,
                    const std::string& moderator = "ann") {
    Transition transition;
    transition.comment_id = comment.id;
    transition.thread = comment.thread;
    transition.action = action;
    transition.moderator = moderator;
    return transition;
  }

  static constexpr char kDatabase[] = "moderation";
  static ConnectionPool* pool_;
  static PgCommentRepository* comments_;
  static PgModerationRepository* moderation_;
  static PgModeratorRepository* moderators_;
};

ConnectionPool* ModerationStorageTest::pool_ = nullptr;
PgCommentRepository* ModerationStorageTest::comments_ = nullptr;
PgModerationRepository* ModerationStorageTest::moderation_ = nullptr;
PgModeratorRepository* ModerationStorageTest::moderators_ = nullptr;

std::string Where(const std::string& id) {
  return absl::StrCat(" WHERE comment_id = '", id, "'");
}

TEST_F(ModerationStorageTest, TransitionWritesStateVersionAndOneAuditRow) {
  const NewComment comment = Insert("article");
  Transition reject = Decide(comment, ModerationAction::kReject);
  reject.reason = "Off topic.";
  reject.expected_version = 1;
  auto rejected = moderation_->Apply(reject, Deadline());
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->comment.state, CommentState::kRejected);
  EXPECT_EQ(rejected->comment.version, 2);
  ASSERT_EQ(rejected->history.size(), 1u);
  const ModerationEventRecord& event = rejected->history[0];
  EXPECT_EQ(event.comment_id, comment.id);
  EXPECT_EQ(event.thread, "article");
  EXPECT_EQ(event.moderator, "ann");
  EXPECT_EQ(event.action, ModerationAction::kReject);
  EXPECT_EQ(event.from_state, CommentState::kPending);
  EXPECT_EQ(event.to_state, CommentState::kRejected);
  EXPECT_EQ(event.reason, "Off topic.");

  auto approved = moderation_->Apply(
      Decide(comment, ModerationAction::kApprove, "bob"), Deadline());
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->comment.version, 3);
  ASSERT_EQ(approved->history.size(), 2u);
  EXPECT_EQ(approved->history[1].moderator, "bob");
  EXPECT_EQ(approved->history[1].from_state, CommentState::kRejected);
  EXPECT_EQ(
      Query(absl::StrCat("SELECT state, version FROM comments WHERE id = '",
                         comment.id, "'")),
      "APPROVED|3");
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events" + Where(comment.id)),
            "2");
}

TEST_F(ModerationStorageTest, RefusedTransitionsWriteNothing) {
  const NewComment comment = Insert("article");
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(comment, ModerationAction::kApprove), Deadline())
          .ok());

  auto again = moderation_->Apply(Decide(comment, ModerationAction::kApprove),
                                  Deadline());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("APPROVED"));

  Transition stale = Decide(comment, ModerationAction::kReject);
  stale.expected_version = 1;
  EXPECT_EQ(moderation_->Apply(stale, Deadline()).status().code(),
            absl::StatusCode::kAborted);

  Transition wrong_thread = Decide(comment, ModerationAction::kReject);
  wrong_thread.thread = "another-article";
  EXPECT_EQ(moderation_->Apply(wrong_thread, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  Transition unknown = Decide(comment, ModerationAction::kReject);
  unknown.comment_id = NewUuid();
  EXPECT_EQ(moderation_->Apply(unknown, Deadline()).status().code(),
            absl::StatusCode::kNotFound);

  EXPECT_EQ(
      Query(absl::StrCat("SELECT state, version FROM comments WHERE id = '",
                         comment.id, "'")),
      "APPROVED|2");
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events" + Where(comment.id)),
            "1");
}

TEST_F(ModerationStorageTest, BatchAppliesInOrderAndFailsOnlyItsOwnItems) {
  const NewComment first = Insert("batch");
  const NewComment second = Insert("batch");
  const NewComment approved = Insert("batch", CommentState::kApproved);
  Transition wrong_thread = Decide(first, ModerationAction::kReject);
  wrong_thread.thread = "another-batch";
  Transition stale = Decide(second, ModerationAction::kReject);
  stale.expected_version = 7;
  Transition rejected = Decide(second, ModerationAction::kReject);
  rejected.reason = "Off topic.";
  auto results = moderation_->ApplyBatch(
      {Decide(approved, ModerationAction::kApprove), wrong_thread, stale,
       rejected, Decide(first, ModerationAction::kReject),
       Decide(second, ModerationAction::kApprove, "bob")},
      Deadline());
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 6u);
  EXPECT_EQ((*results)[0].status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*results)[1].status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*results)[2].status().code(), absl::StatusCode::kAborted);
  ASSERT_TRUE((*results)[3].ok()) << (*results)[3].status();
  EXPECT_EQ((*results)[3]->comment.state, CommentState::kRejected);
  EXPECT_EQ((*results)[3]->comment.version, 2);
  ASSERT_TRUE((*results)[4].ok()) << (*results)[4].status();
  EXPECT_EQ((*results)[4]->comment.id, first.id);
  ASSERT_EQ((*results)[4]->history.size(), 1u);
  EXPECT_EQ((*results)[4]->history[0].to_state, CommentState::kRejected);
  // A later item on the same comment sees the earlier one's result.
  ASSERT_TRUE((*results)[5].ok()) << (*results)[5].status();
  EXPECT_EQ((*results)[5]->comment.state, CommentState::kApproved);
  EXPECT_EQ((*results)[5]->comment.version, 3);
  ASSERT_EQ((*results)[5]->history.size(), 2u);
  EXPECT_EQ((*results)[5]->history[0].reason, "Off topic.");
  EXPECT_EQ((*results)[5]->history[1].moderator, "bob");
  EXPECT_EQ((*results)[5]->history[1].from_state, CommentState::kRejected);

  EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM moderation_events WHERE "
                               "comment_id IN ('",
                               first.id, "', '", second.id, "', '", approved.id,
                               "')")),
            "3");
  EXPECT_EQ(
      Query(absl::StrCat("SELECT state, version FROM comments WHERE id = '",
                         approved.id, "'")),
      "APPROVED|1");
}

// Many moderators acting at once on overlapping comments, each naming them
// in another order: rows locked in request order would have two batches
// each hold a row the other waits for, a deadlock (40P01, ABORTED). Every
// batch must instead complete, and every change be recorded exactly once.
TEST_F(ModerationStorageTest,
       ConcurrentBatchesOverOverlappingCommentsNeverDeadlock) {
  constexpr int kComments = 12;
  constexpr int kModerators = 6;
  constexpr int kRounds = 8;
  std::vector<NewComment> comments;
  for (int i = 0; i < kComments; ++i) comments.push_back(Insert("contended"));

  PoolOptions options;
  options.connection_string = conninfo();
  options.size = kModerators;
  ConnectionPool pool(std::move(options));
  PgModerationRepository repository(&pool);

  absl::Mutex mu;
  std::vector<absl::Status> batch_errors;
  std::vector<absl::Status> item_errors;
  std::vector<int> changes(kComments, 0);
  std::vector<std::thread> moderators;
  for (int m = 0; m < kModerators; ++m) {
    moderators.emplace_back([&, m] {
      for (int round = 0; round < kRounds; ++round) {
        // Two thirds of the comments, starting at a different one for each
        // moderator and round, half of them walking backwards.
        std::vector<Transition> batch;
        std::vector<int> named;
        const bool backwards = (m + round) % 2 == 1;
        for (int k = 0; k < kComments * 2 / 3; ++k) {
          const int step = backwards ? -k : k;
          const int i =
              ((m * 5 + round * 7 + step) % kComments + kComments) % kComments;
          batch.push_back(
              Decide(comments[i],
                     (m + round) % 3 == 0   ? ModerationAction::kApprove
                     : (m + round) % 3 == 1 ? ModerationAction::kReject
                                            : ModerationAction::kMarkSpam,
                     absl::StrCat("moderator-", m)));
          named.push_back(i);
        }
        auto results =
            repository.ApplyBatch(batch, absl::Now() + absl::Seconds(60));
        absl::MutexLock lock(&mu);
        if (!results.ok()) {
          batch_errors.push_back(results.status());
          continue;
        }
        for (size_t j = 0; j < results->size(); ++j) {
          if ((*results)[j].ok()) {
            ++changes[named[j]];
          } else if ((*results)[j].status().code() !=
                     absl::StatusCode::kFailedPrecondition) {
            item_errors.push_back((*results)[j].status());
          }
        }
      }
    });
  }
  for (std::thread& moderator : moderators) moderator.join();

  EXPECT_THAT(batch_errors, IsEmpty());
  EXPECT_THAT(item_errors, IsEmpty());
  int total = 0;
  for (int i = 0; i < kComments; ++i) {
    total += changes[i];
    // Each change bumped the version once and wrote one audit row.
    EXPECT_EQ(
        Query(absl::StrCat("SELECT version - 1 FROM comments WHERE id = '",
                           comments[i].id, "'")),
        absl::StrCat(changes[i]));
    EXPECT_EQ(
        Query("SELECT count(*) FROM moderation_events" + Where(comments[i].id)),
        absl::StrCat(changes[i]));
  }
  EXPECT_GT(total, kComments);  // the batches did contend and change things
}

// Should a deadlock happen anyway (two sessions locking two rows in
// opposite orders), the loser is told to retry, not that the server broke.
TEST_F(ModerationStorageTest, DeadlockIsAbortedNotInternal) {
  const NewComment first = Insert("deadlock");
  const NewComment second = Insert("deadlock");
  const std::string lock = "SELECT 1 FROM comments WHERE id = '";
  pqxx::connection a_connection(conninfo());
  pqxx::connection b_connection(conninfo());
  pqxx::work a(a_connection);
  pqxx::work b(b_connection);
  a.exec(lock + first.id + "' FOR UPDATE");
  b.exec(lock + second.id + "' FOR UPDATE");
  // Whichever asks second closes the cycle; PostgreSQL aborts one of them.
  std::vector<absl::Status> outcomes(2);
  auto take = [&lock](pqxx::work& txn, const std::string& id,
                      absl::Status& outcome) {
    try {
      txn.exec(lock + id + "' FOR UPDATE");
      txn.commit();
    } catch (const std::exception& error) {
      outcome = StatusFromDbException(error);
    }
  };
  std::thread a_thread([&] { take(a, second.id, outcomes[0]); });
  take(b, first.id, outcomes[1]);
  a_thread.join();
  EXPECT_EQ(outcomes[0].ok() + outcomes[1].ok(), 1);
  for (const absl::Status& outcome : outcomes) {
    if (!outcome.ok()) {
      EXPECT_EQ(outcome.code(), absl::StatusCode::kAborted);
    }
  }
}

// An erasure takes its comments' rows in id order, as batches do. Here a
// batch holds the lower id and goes on to the higher one while the erasure
// waits: had the erasure taken the rows in storage order (higher first, as
// stored), each would hold a row the other waits for and PostgreSQL would
// abort one of them.
TEST_F(ModerationStorageTest, ErasureLocksRowsInTheOrderBatchesDo) {
  const std::string hash(32, 'o');
  std::string low = NewUuid();
  std::string high = NewUuid();
  if (high < low) std::swap(low, high);
  Insert("erase-order", CommentState::kPending, hash, high);
  Insert("erase-order", CommentState::kPending, hash, low);

  const std::string lock = "SELECT 1 FROM comments WHERE id = '";
  pqxx::connection batch_connection(conninfo());
  pqxx::work batch(batch_connection);
  batch.exec(lock + low + "' FOR UPDATE");

  absl::StatusOr<int64_t> erased = absl::UnknownError("not run");
  std::thread eraser([&] {
    erased = moderation_->Erase({{hash}, {}, false, "ann-erases"}, Deadline());
  });
  // The erasure waits for the batch's row (checked by asking PostgreSQL).
  pqxx::connection monitor_connection(conninfo());
  pqxx::nontransaction monitor(monitor_connection);
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  int waiting = 0;
  while (waiting == 0 && absl::Now() < give_up) {
    waiting = monitor
                  .exec(
                      "SELECT count(*) FROM pg_locks WHERE NOT granted"
                      " AND pid <> pg_backend_pid()")[0][0]
                  .as<int>();
  }
  ASSERT_EQ(waiting, 1);

  absl::Status batch_outcome;
  try {
    batch.exec(lock + high + "' FOR UPDATE");
    batch.commit();
  } catch (const std::exception& error) {
    batch_outcome = StatusFromDbException(error);
  }
  eraser.join();
  EXPECT_TRUE(batch_outcome.ok()) << batch_outcome;
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(*erased, 2);
}

TEST_F(ModerationStorageTest, AuditRowsCannotBeChangedOrRemoved) {
  const NewComment comment = Insert("article");
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(comment, ModerationAction::kApprove), Deadline())
          .ok());
  // Through the service's own connections...
  for (const char* sql :
       {"UPDATE moderation_events SET moderator = 'mallory'",
        "DELETE FROM moderation_events", "TRUNCATE moderation_events"}) {
    absl::Status status =
        pool_->InTransaction(Deadline(), [sql](pqxx::work& txn) {
          txn.exec(sql);
          return absl::OkStatus();
        });
    EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << sql;
  }
  // ...and as the superuser, whom GRANTs do not bind.
  auto as_superuser = postgres_->Query(
      kDatabase, "UPDATE moderation_events SET reason = 'rewritten'");
  EXPECT_FALSE(as_superuser.ok());
  EXPECT_THAT(std::string(as_superuser.status().message()),
              HasSubstr("append-only"));
  EXPECT_EQ(Query("SELECT moderator, reason FROM moderation_events" +
                  Where(comment.id)),
            "ann|");
}

TEST_F(ModerationStorageTest, QueueListsOldestFirstWithHistoryAndTotal) {
  std::vector<std::string> pending;
  for (int i = 0; i < 5; ++i) pending.push_back(Insert("queue").id);
  Insert("other");
  Insert("queue", CommentState::kApproved);
  // A comment that went APPROVED -> REJECTED is in the REJECTED queue with
  // both events.
  const NewComment moved = Insert("queue");
  ASSERT_TRUE(
      moderation_->Apply(Decide(moved, ModerationAction::kApprove), Deadline())
          .ok());
  ASSERT_TRUE(
      moderation_->Apply(Decide(moved, ModerationAction::kReject), Deadline())
          .ok());

  std::vector<std::string> walked;
  QueueQuery query;
  query.thread = "queue";
  query.limit = 2;
  while (true) {
    auto page = moderation_->ListQueue(query, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size, 5);
    if (page->comments.empty()) break;
    for (const ModeratedRecord& record : page->comments) {
      walked.push_back(record.comment.id);
      EXPECT_TRUE(record.history.empty());
    }
    query.after_seq = page->comments.back().comment.seq;
  }
  EXPECT_EQ(walked, pending);

  // Without a thread, the queue spans every thread.
  QueueQuery everywhere;
  everywhere.limit = 1000;
  auto all = moderation_->ListQueue(everywhere, Deadline());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total_size, static_cast<int64_t>(all->comments.size()));
  std::set<std::string> threads;
  for (const ModeratedRecord& record : all->comments) {
    threads.insert(record.comment.thread);
  }
  EXPECT_TRUE(threads.count("queue") == 1 && threads.count("other") == 1);

  QueueQuery rejected;
  rejected.state = CommentState::kRejected;
  rejected.thread = "queue";
  auto page = moderation_->ListQueue(rejected, Deadline());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->comments.size(), 1u);
  EXPECT_EQ(page->comments[0].comment.id, moved.id);
  ASSERT_EQ(page->comments[0].history.size(), 2u);
  EXPECT_EQ(page->comments[0].history[0].action, ModerationAction::kApprove);
  EXPECT_EQ(page->comments[0].history[1].action, ModerationAction::kReject);
}

TEST_F(ModerationStorageTest, EventsListByCommentAndPage) {
  const NewComment first = Insert("events");
  const NewComment second = Insert("events");
  ASSERT_TRUE(
      moderation_->Apply(Decide(first, ModerationAction::kApprove), Deadline())
          .ok());
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(second, ModerationAction::kMarkSpam), Deadline())
          .ok());
  ASSERT_TRUE(
      moderation_->Apply(Decide(first, ModerationAction::kReject), Deadline())
          .ok());

  // Every comment's events, oldest first: this test's are the last three.
  auto all = moderation_->ListEvents("", "", 0, 1000, Deadline());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_GE(all->size(), 3u);
  EXPECT_EQ((*all)[all->size() - 3].comment_id, first.id);
  EXPECT_EQ((*all)[all->size() - 2].comment_id, second.id);
  EXPECT_EQ((*all)[all->size() - 1].comment_id, first.id);
  auto of_first =
      moderation_->ListEvents(first.id, "events", 0, 10, Deadline());
  ASSERT_TRUE(of_first.ok());
  ASSERT_EQ(of_first->size(), 2u);
  EXPECT_EQ((*of_first)[0].action, ModerationAction::kApprove);
  EXPECT_EQ((*of_first)[1].action, ModerationAction::kReject);
  auto next = moderation_->ListEvents(first.id, "events", (*of_first)[0].id, 10,
                                      Deadline());
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].action, ModerationAction::kReject);
  // The name must match as a whole: the right id in the wrong thread is not
  // that comment.
  EXPECT_TRUE(moderation_->ListEvents(first.id, "elsewhere", 0, 10, Deadline())
                  ->empty());
}

TEST_F(ModerationStorageTest, AnonymisingIsIdempotentAndAudited) {
  const std::string hash(32, 'e');
  const NewComment first = Insert("erase", CommentState::kApproved, hash);
  const NewComment second = Insert("erase", CommentState::kPending, hash);
  const NewComment other = Insert("erase", CommentState::kPending);

  Erasure erasure{{hash}, {}, /*delete_comments=*/false, "ann-anonymises"};
  auto affected = moderation_->Erase(erasure, Deadline());
  ASSERT_TRUE(affected.ok()) << affected.status();
  EXPECT_EQ(*affected, 2);
  auto again = moderation_->Erase(erasure, Deadline());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);

  auto erased = moderation_->Get(first.id, "erase", Deadline());
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(erased->comment.author_name, "Anonymous");
  EXPECT_EQ(erased->comment.author_url, "");
  EXPECT_EQ(erased->comment.email_ciphertext, "");
  EXPECT_EQ(erased->comment.client_ip, "");
  EXPECT_EQ(erased->comment.user_agent, "");
  EXPECT_EQ(erased->comment.body, "A comment body.");
  EXPECT_EQ(erased->comment.state, CommentState::kApproved);
  EXPECT_EQ(Query(absl::StrCat("SELECT email_hash IS NULL, state FROM "
                               "comments WHERE id = '",
                               second.id, "'")),
            "t|PENDING");
  auto untouched = moderation_->Get(other.id, "erase", Deadline());
  ASSERT_TRUE(untouched.ok());
  EXPECT_EQ(untouched->comment.author_name, "Reader");
  EXPECT_EQ(untouched->comment.client_ip, "192.0.2.7");

  EXPECT_EQ(Query("SELECT action, coalesce(comment_id::text, '-'), reason"
                  " FROM moderation_events WHERE moderator = 'ann-anonymises'"
                  " ORDER BY id"),
            "ERASE|-|anonymised 2 comments\n"
            "ERASE|-|anonymised 0 comments");
}

TEST_F(ModerationStorageTest, DeletingKeepsTheTrailOfTheDeletedComments) {
  const std::string hash(32, 'd');
  const NewComment gone = Insert("erase", CommentState::kPending, hash);
  ASSERT_TRUE(
      moderation_->Apply(Decide(gone, ModerationAction::kApprove), Deadline())
          .ok());
  Erasure erasure{{hash}, {}, /*delete_comments=*/true, "ann-deletes"};
  EXPECT_EQ(*moderation_->Erase(erasure, Deadline()), 1);
  EXPECT_EQ(*moderation_->Erase(erasure, Deadline()), 0);
  EXPECT_EQ(moderation_->Get(gone.id, "erase", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  auto trail = moderation_->ListEvents(gone.id, "erase", 0, 10, Deadline());
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->size(), 1u);
  EXPECT_EQ((*trail)[0].action, ModerationAction::kApprove);
  EXPECT_EQ(Query("SELECT reason FROM moderation_events WHERE moderator = "
                  "'ann-deletes' ORDER BY id"),
            "deleted 1 comment\ndeleted 0 comments");
}

// A hash key rotation leaves the address's older rows under the old key:
// erasure is given the address's hashes under every key and finds them
// all, and forgets its flood-control rows in the same transaction.
TEST_F(ModerationStorageTest, ErasureFindsEveryKeysRowsAndForgetsTheLimits) {
  const std::string old_key_hash(32, 'o');
  const std::string new_key_hash(32, 'n');
  const NewComment before =
      Insert("rotated", CommentState::kApproved, old_key_hash);
  const NewComment after =
      Insert("rotated", CommentState::kPending, new_key_hash);
  const NewComment other = Insert("rotated", CommentState::kPending);
  ASSERT_EQ(Query("INSERT INTO submission_limits (key, last_accepted) VALUES"
                  " ('limit-old', now()), ('limit-new', now()),"
                  " ('limit-other', now()) RETURNING 1"),
            "1\n1\n1");

  Erasure erasure{{new_key_hash, old_key_hash},
                  {"limit-new", "limit-old"},
                  /*delete_comments=*/false,
                  "ann-rotated"};
  auto affected = moderation_->Erase(erasure, Deadline());
  ASSERT_TRUE(affected.ok()) << affected.status();
  EXPECT_EQ(*affected, 2);
  EXPECT_EQ(Query("SELECT count(*) FROM comments WHERE thread = 'rotated'"
                  " AND author_name = 'Anonymous' AND email_hash IS NULL"
                  " AND email_ciphertext IS NULL AND client_ip IS NULL"),
            "2");
  EXPECT_EQ(Query(absl::StrCat("SELECT author_name, email_hash IS NULL"
                               " FROM comments WHERE id IN ('",
                               before.id, "', '", after.id, "', '", other.id,
                               "') ORDER BY seq")),
            "Anonymous|t\nAnonymous|t\nReader|f");
  EXPECT_EQ(Query("SELECT convert_from(key, 'UTF8') FROM submission_limits"
                  " ORDER BY 1"),
            "limit-other");
}

TEST_F(ModerationStorageTest, ModeratorAccounts) {
  // The listing shows every account, so this test keeps its accounts in a
  // database of its own: other tests' accounts are not in it, whatever ran
  // first.
  constexpr char kAccounts[] = "moderator_accounts";
  ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kAccounts));
  PoolOptions options;
  options.connection_string =
      postgres_->ConnectionString(kAccounts, kDefaultServiceRole);
  options.size = 1;
  ConnectionPool pool(std::move(options));
  PgModeratorRepository moderators(&pool);

  const std::string ann_hash(32, 'a');
  auto added = moderators.Add("ann", ann_hash, Deadline());
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->name, "ann");
  EXPECT_FALSE(added->revoke_time.has_value());
  ASSERT_TRUE(moderators.Add("bob", std::string(32, 'b'), Deadline()).ok());

  auto taken = moderators.Add("ann", std::string(32, 'c'), Deadline());
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);

  EXPECT_EQ(*moderators.FindActive(ann_hash, Deadline()), "ann");
  EXPECT_EQ(*moderators.FindActive(std::string(32, 'z'), Deadline()),
            std::nullopt);

  auto revoked = moderators.Revoke("ann", Deadline());
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  ASSERT_TRUE(revoked->revoke_time.has_value());
  EXPECT_EQ(*moderators.FindActive(ann_hash, Deadline()), std::nullopt);
  auto again = moderators.Revoke("ann", Deadline());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoke_time, revoked->revoke_time);
  EXPECT_EQ(moderators.Revoke("carol", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  // A revoked name stays taken, so the audit trail means one account.
  EXPECT_EQ(
      moderators.Add("ann", std::string(32, 'd'), Deadline()).status().code(),
      absl::StatusCode::kAlreadyExists);

  auto listed = moderators.List(Deadline());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "ann");
  EXPECT_TRUE((*listed)[0].revoke_time.has_value());
  EXPECT_EQ((*listed)[1].name, "bob");
  EXPECT_FALSE((*listed)[1].revoke_time.has_value());
  // Only the hash is stored.
  auto length = postgres_->Query(
      kAccounts,
      "SELECT length(token_hash) FROM moderators WHERE name = 'bob'");
  ASSERT_TRUE(length.ok()) << length.status();
  EXPECT_EQ(*length, "32");
}

// Collects what a QueueListener hears.
class Heard {
 public:
  // Changes of other tests' threads are not this test's business.
  explicit Heard(std::string thread) : thread_(std::move(thread)) {}

  QueueListener::Callbacks Callbacks() {
    return {[this](const QueueChange& change) {
              absl::MutexLock lock(&mu_);
              if (change.thread == thread_) changes_.push_back(change);
            },
            [this](bool listening) {
              absl::MutexLock lock(&mu_);
              transitions_.push_back(listening);
            },
            [this](const std::string& moderator) {
              absl::MutexLock lock(&mu_);
              revoked_.push_back(moderator);
            },
            [this](const std::string& thread) {
              absl::MutexLock lock(&mu_);
              if (absl::StartsWith(thread, thread_)) {
                public_changes_.push_back(thread);
              }
            }};
  }

  // Each waits (bounded) until `count` of its kind arrived (changes,
  // changes of the listening state, revocations) and returns them all.
  std::vector<QueueChange> WaitFor(size_t count) {
    return WaitForSize(changes_, count, absl::Seconds(20));
  }
  std::vector<bool> WaitForTransitions(size_t count) {
    return WaitForSize(transitions_, count, absl::Seconds(30));
  }
  std::vector<std::string> WaitForRevoked(size_t count) {
    return WaitForSize(revoked_, count, absl::Seconds(20));
  }
  // Threads whose public view changed, of those starting with the thread
  // given.
  std::vector<std::string> WaitForPublicChanges(size_t count) {
    return WaitForSize(public_changes_, count, absl::Seconds(20));
  }

 private:
  const std::string thread_;
  absl::Mutex mu_;
  std::vector<QueueChange> changes_ ABSL_GUARDED_BY(mu_);
  std::vector<bool> transitions_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> revoked_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> public_changes_ ABSL_GUARDED_BY(mu_);

  template <typename T>
  std::vector<T> WaitForSize(const std::vector<T>& heard, size_t count,
                             absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [&heard, count]() { return heard.size() >= count; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
    return heard;
  }
};

TEST_F(ModerationStorageTest, QueueChangesAreNotifiedOnCommit) {
  Heard heard("watch");
  QueueListener listener({conninfo()}, heard.Callbacks());
  listener.Start();
  ASSERT_TRUE(listener.WaitUntilListening(absl::Seconds(10)));

  const NewComment entered = Insert("watch");
  Insert("watch", CommentState::kApproved);  // never in the queue: silent
  ASSERT_TRUE(moderation_
                  ->Apply(Decide(entered, ModerationAction::kApprove, "ann"),
                          Deadline())
                  .ok());
  // APPROVED -> REJECTED does not touch the queue: silent.
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(entered, ModerationAction::kReject, "ann"), Deadline())
          .ok());
  const std::string hash(32, 'w');
  const NewComment erased = Insert("watch", CommentState::kPending, hash);
  // Anonymising leaves the comment in the queue: silent.
  ASSERT_TRUE(moderation_->Erase({{hash}, {}, false, "bob"}, Deadline()).ok());
  const NewComment deleted = Insert("watch", CommentState::kPending, hash);
  // A transaction that rolls back notifies nobody.
  RollBack(
      "INSERT INTO comments (id, thread, author_name, body, state)"
      " VALUES (gen_random_uuid(), 'watch', 'x', 'never', 'PENDING')");
  Erasure delete_them{{hash}, {}, true, "carol"};
  ASSERT_EQ(*moderation_->Erase(delete_them, Deadline()), 1);

  std::vector<QueueChange> changes = heard.WaitFor(5);
  ASSERT_EQ(changes.size(), 5u);
  using Kind = QueueChange::Kind;
  EXPECT_EQ(changes[0].kind, Kind::kEntered);
  EXPECT_EQ(changes[0].comment_id, entered.id);
  EXPECT_EQ(changes[0].thread, "watch");
  EXPECT_EQ(changes[0].state, CommentState::kPending);
  EXPECT_EQ(changes[0].actor, "auto");
  EXPECT_EQ(changes[1].kind, Kind::kLeft);
  EXPECT_EQ(changes[1].comment_id, entered.id);
  EXPECT_EQ(changes[1].state, CommentState::kApproved);
  EXPECT_EQ(changes[1].actor, "ann");
  EXPECT_EQ(changes[2].kind, Kind::kEntered);
  EXPECT_EQ(changes[2].comment_id, erased.id);
  EXPECT_EQ(changes[3].kind, Kind::kEntered);
  EXPECT_EQ(changes[3].comment_id, deleted.id);
  EXPECT_EQ(changes[4].kind, Kind::kLeft);
  EXPECT_EQ(changes[4].comment_id, deleted.id);
  EXPECT_EQ(changes[4].state, std::nullopt);
  EXPECT_EQ(changes[4].actor, "carol");
  // Moderators' names do not leak into later transactions of a pooled
  // connection: set_config(..., true) is transaction-local.
  const NewComment later = Insert("watch");
  changes = heard.WaitFor(6);
  ASSERT_EQ(changes.size(), 6u);
  EXPECT_EQ(changes[5].comment_id, later.id);
  EXPECT_EQ(changes[5].actor, "auto");
}

TEST_F(ModerationStorageTest, PublicChangesAreNotifiedOncePerThreadOnCommit) {
  Heard heard("pub-");
  QueueListener listener({conninfo()}, heard.Callbacks());
  listener.Start();
  ASSERT_TRUE(listener.WaitUntilListening(absl::Seconds(10)));

  // The common submission never reaches the public: silent.
  const NewComment pending = Insert("pub-pending");
  Insert("pub-inserted", CommentState::kApproved);
  const NewComment approved = Insert("pub-approved");
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(approved, ModerationAction::kApprove), Deadline())
          .ok());
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(approved, ModerationAction::kReject), Deadline())
          .ok());
  // PENDING -> SPAM, and moderator-only columns of an APPROVED row: silent.
  ASSERT_TRUE(
      moderation_
          ->Apply(Decide(pending, ModerationAction::kMarkSpam), Deadline())
          .ok());
  const std::string hash(32, 'p');
  const NewComment erased = Insert("pub-erased", CommentState::kApproved, hash);
  Query(
      absl::StrCat("UPDATE comments SET user_agent = 'x', flags = '{}',"
                   " version = version + 1, update_time = now()"
                   " WHERE id = '",
                   erased.id, "'"));
  // Anonymising renames the author of an APPROVED comment.
  ASSERT_TRUE(moderation_->Erase({{hash}, {}, false, "bob"}, Deadline()).ok());
  // One statement, three rows of one thread: one notification; their
  // deletion, another.
  Query(
      "INSERT INTO comments (id, thread, author_name, body, state)"
      " SELECT gen_random_uuid(), 'pub-batch', 'x', 'y', 'APPROVED'"
      " FROM generate_series(1, 3)");
  Query("DELETE FROM comments WHERE thread = 'pub-batch'");
  // Deleted while not APPROVED: silent.
  Query(absl::StrCat("DELETE FROM comments WHERE id = '", approved.id, "'"));
  RollBack(
      "INSERT INTO comments (id, thread, author_name, body, state)"
      " VALUES (gen_random_uuid(), 'pub-rolled-back', 'x', 'y', 'APPROVED')");
  // Marks the end: everything before it has arrived once it has.
  Insert("pub-marker", CommentState::kApproved);

  EXPECT_THAT(
      heard.WaitForPublicChanges(8),
      ElementsAre("pub-inserted", "pub-approved", "pub-approved", "pub-erased",
                  "pub-erased", "pub-batch", "pub-batch", "pub-marker"));
}

TEST_F(ModerationStorageTest, AccountsThatStopBeingValidAreNotifiedOnCommit) {
  Heard heard("no-thread");
  QueueListener listener({conninfo()}, heard.Callbacks());
  listener.Start();
  ASSERT_TRUE(listener.WaitUntilListening(absl::Seconds(10)));
  for (const char* name : {"gone-1", "gone-2", "gone-3", "stays"}) {
    ASSERT_TRUE(
        moderators_->Add(name, std::string(32, name[5]), Deadline()).ok());
  }
  ASSERT_TRUE(moderators_->Revoke("gone-1", Deadline()).ok());
  // Revoking again changes nothing: silent.
  ASSERT_TRUE(moderators_->Revoke("gone-1", Deadline()).ok());
  // By hand: a deleted account, and a token replaced in place.
  Query("DELETE FROM moderators WHERE name = 'gone-2'");
  Query(
      "UPDATE moderators SET token_hash = decode(repeat('ab', 32), 'hex')"
      " WHERE name = 'gone-3'");
  // A revocation that rolls back notifies nobody.
  RollBack("UPDATE moderators SET revoke_time = now() WHERE name = 'stays'");
  ASSERT_TRUE(moderators_->Revoke("gone-1", Deadline()).ok());
  // A last marker, so that anything sent before it has arrived.
  ASSERT_TRUE(
      moderators_->Add("marker", std::string(32, 'm'), Deadline()).ok());
  ASSERT_TRUE(moderators_->Revoke("marker", Deadline()).ok());
  EXPECT_THAT(heard.WaitForRevoked(4),
              ElementsAre("gone-1", "gone-2", "gone-3", "marker"));
}

TEST_F(ModerationStorageTest, ListenerReconnectsAfterTheDatabaseRestarts) {
  Heard heard("after-restart");
  QueueListenerOptions options{conninfo()};
  options.max_backoff = absl::Milliseconds(200);
  QueueListener listener(options, heard.Callbacks());
  listener.Start();
  ASSERT_TRUE(listener.WaitUntilListening(absl::Seconds(10)));
  ASSERT_TRUE(postgres_->Pause().ok());
  EXPECT_THAT(heard.WaitForTransitions(2), ElementsAre(true, false));
  ASSERT_TRUE(postgres_->Resume().ok());
  EXPECT_THAT(heard.WaitForTransitions(3), ElementsAre(true, false, true));

  // The pool drops its dead connections on first use; retry until it has.
  NewComment comment;
  comment.thread = "after-restart";
  comment.author_name = "Reader";
  comment.body = "Written after the restart.";
  absl::Status created = absl::UnknownError("not tried");
  for (int attempt = 0; attempt < 5 && !created.ok(); ++attempt) {
    comment.id = NewUuid();
    created = comments_->Create(comment, Deadline()).status();
  }
  ASSERT_TRUE(created.ok()) << created;
  std::vector<QueueChange> changes = heard.WaitFor(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].comment_id, comment.id);
}

}  // namespace
}  // namespace comments::storage
