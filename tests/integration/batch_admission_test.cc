// The set-based write of a batch (PgCommentRepository::
// InsertTogetherInTransaction, batch_admission.h) against the one-by-one
// write it replaces, on a real PostgreSQL: the same submissions, sent to
// two empty databases, one as a batch and one comment after the other, must
// get the same answers and leave the same rows, limits included. The
// submissions share few senders, bodies and request_ids, so that every rule
// meets its own earlier decisions inside one batch.
#include "service/storage/batch_admission.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "service/api/status_mapping.h"
#include "service/common/uuid.h"
#include "service/storage/connection_pool.h"
#include "service/storage/pg_comment_repository.h"
#include "tests/support/fake_clock.h"
#include "tests/support/postgres_suite.h"

namespace comments::storage {
namespace {

constexpr char kTogether[] = "batch_together";
constexpr char kOneByOne[] = "batch_one_by_one";

class BatchAdmissionTest : public comments::testing::PostgresSuite {
 protected:
  static void SetUpTestSuite() {
    PostgresSuite::SetUpTestSuite();
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kTogether));
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kOneByOne));
  }

  void SetUp() override {
    for (const char* database : {kTogether, kOneByOne}) {
      ASSERT_TRUE(
          postgres_->Query(database, "TRUNCATE comments, submission_limits")
              .ok());
    }
    policy_.min_interval = absl::Seconds(15);
    policy_.bucket_burst = 3;
    policy_.bucket_refill_per_minute = 2;
  }

  std::unique_ptr<ConnectionPool> Pool(const char* database) {
    PoolOptions options;
    options.connection_string = postgres_->ConnectionString(database);
    options.size = 1;
    return std::make_unique<ConnectionPool>(std::move(options));
  }

  // Submission `i` at its own moment, `step` after the one before, from a
  // few senders; `older_keys` adds hash keys of a past rotation.
  NewComment Submission(int i, std::mt19937& random, absl::Duration step,
                        bool older_keys = false) {
    auto pick = [&](int n) { return static_cast<int>(random() % n); };
    const std::string email = absl::StrCat("reader", pick(4));
    const std::string ip = absl::StrCat("192.0.2.", pick(4));
    const std::string body = absl::StrCat("body ", pick(5));
    NewComment comment;
    comment.id = NewUuid();
    comment.thread = absl::StrCat("article-", pick(2));
    comment.author_name = "Reader";
    comment.body = body;
    comment.email_ciphertext = "sealed";
    comment.email_hash = absl::StrCat("email-hash:", email);
    comment.client_ip = ip;
    comment.body_hash = absl::StrCat("body-hash:", body);
    comment.flags = {"links"};
    if (pick(3) == 0) {
      comment.request_id = request_ids_[pick(request_ids_.size())];
      comment.request_fingerprint = absl::StrCat("fingerprint:", pick(2));
    }
    clocks_.push_back(std::make_unique<comments::testing::FakeClock>(
        absl::FromUnixSeconds(1700000000) + step * i));
    AdmissionCheck check;
    check.clock = clocks_.back().get();
    check.policy = policy_;
    check.mailbox = LimitKey{absl::StrCat("limit-email:", email), {}};
    check.network = LimitKey{absl::StrCat("limit-ip:", ip), {}};
    check.body_hashes = {comment.body_hash};
    if (older_keys) {
      check.mailbox->older_keys = {absl::StrCat("old-email:", email)};
      check.network->older_keys = {absl::StrCat("old-ip:", ip)};
      check.body_hashes.push_back(absl::StrCat("old-body:", body));
    }
    comment.admission = check;
    return comment;
  }

  // An answer as text: what the caller would see, without the generated
  // parts that differ between the databases.
  static std::string Answer(const absl::StatusOr<CreateResult>& result) {
    if (!result.ok()) {
      auto retry = api::GetRetryInfo(result.status());
      return absl::StrCat(
          absl::StatusCodeToString(result.status().code()), " retry ",
          retry.has_value() ? retry->retry_delay().seconds() : -1);
    }
    return absl::StrCat(result->created ? "created " : "returned ",
                        result->comment.id, " ",
                        std::string(domain::StateName(result->comment.state)),
                        " ", absl::StrJoin(result->comment.flags, ","));
  }

  std::vector<std::string> WriteTogether(const std::vector<NewComment>& batch) {
    std::vector<const NewComment*> pointers;
    for (const NewComment& comment : batch) pointers.push_back(&comment);
    std::vector<std::string> answers(batch.size());
    auto pool = Pool(kTogether);
    absl::Status status = pool->InTransaction(
        absl::Now() + absl::Seconds(20), [&](pqxx::work& txn) {
          auto results =
              PgCommentRepository::InsertTogetherInTransaction(txn, pointers);
          for (size_t i = 0; i < batch.size(); ++i) {
            if (results[i].has_value()) answers[i] = Answer(*results[i]);
          }
          // What the batcher writes alone, after the others.
          for (size_t i = 0; i < batch.size(); ++i) {
            if (results[i].has_value()) continue;
            answers[i] =
                Answer(PgCommentRepository::InsertInTransaction(txn, batch[i]));
          }
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return answers;
  }

  std::vector<std::string> WriteOneByOne(const std::vector<NewComment>& batch,
                                         const char* database = kOneByOne) {
    std::vector<std::string> answers;
    auto pool = Pool(database);
    absl::Status status = pool->InTransaction(
        absl::Now() + absl::Seconds(20), [&](pqxx::work& txn) {
          for (const NewComment& comment : batch) {
            answers.push_back(
                Answer(PgCommentRepository::InsertInTransaction(txn, comment)));
          }
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return answers;
  }

  // Every row of both tables that the decisions leave, in a fixed order.
  std::string Tables(const char* database) {
    auto rows = postgres_->Query(
        database,
        "SELECT string_agg(id::text || ' ' || state || ' ' ||"
        " array_to_string(flags, ','), E'\\n' ORDER BY id) FROM comments;"
        "SELECT string_agg(encode(key, 'escape') || ' ' ||"
        " coalesce(last_accepted::text, '-') || ' ' || tokens, E'\\n'"
        " ORDER BY key) FROM submission_limits");
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : "";
  }

  // Seeds both databases with the same earlier comments, so that stored
  // request_ids and bodies are met too.
  void StoreEarlier(std::mt19937& random, absl::Duration step) {
    std::vector<NewComment> earlier;
    for (int i = 0; i < 4; ++i) {
      NewComment comment = Submission(i, random, step);
      comment.request_id = request_ids_[i];
      comment.request_fingerprint = "fingerprint:0";
      earlier.push_back(std::move(comment));
    }
    EXPECT_EQ(WriteOneByOne(earlier, kTogether), WriteOneByOne(earlier));
  }

  void ExpectSameOutcome(std::mt19937& random, absl::Duration step,
                         bool older_keys) {
    StoreEarlier(random, step);
    std::vector<NewComment> batch;
    for (int i = 10; i < 74; ++i) {
      batch.push_back(Submission(i, random, step, older_keys));
    }
    const std::vector<std::string> together = WriteTogether(batch);
    const std::vector<std::string> one_by_one = WriteOneByOne(batch);
    ASSERT_EQ(together.size(), one_by_one.size());
    for (size_t i = 0; i < together.size(); ++i) {
      EXPECT_EQ(together[i], one_by_one[i]) << "submission " << i;
    }
    EXPECT_EQ(Tables(kTogether), Tables(kOneByOne));
    // The mix met every kind of decision, or it proves little.
    const std::string all = absl::StrJoin(together, "\n");
    for (const char* kind : {"created", "returned", "RESOURCE_EXHAUSTED",
                             "ALREADY_EXISTS", "duplicate", "mailbox_flood"}) {
      EXPECT_THAT(all, ::testing::HasSubstr(kind));
    }
  }

  domain::FloodPolicy policy_;
  std::vector<std::unique_ptr<comments::testing::FakeClock>> clocks_;
  std::vector<std::string> request_ids_ = {NewUuid(), NewUuid(), NewUuid(),
                                           NewUuid(), NewUuid(), NewUuid()};
};

TEST_F(BatchAdmissionTest, ABatchDecidesAsCommentsWrittenOneByOne) {
  std::mt19937 random(7);
  ExpectSameOutcome(random, absl::Seconds(4), /*older_keys=*/false);
}

TEST_F(BatchAdmissionTest, ABatchDecidesAsOneByOneUnderOlderHashKeys) {
  std::mt19937 random(11);
  ExpectSameOutcome(random, absl::Seconds(3), /*older_keys=*/true);
}

}  // namespace
}  // namespace comments::storage
