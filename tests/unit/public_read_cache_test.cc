// The public read cache in front of an in-memory repository: repeated reads
// stay in memory, a thread's notification (or this server's own
// moderation) drops its pages and count, a read that raced a change is not
// kept, nothing is served while the notifications are not received, and
// the memory bound holds.
#include "service/storage/public_read_cache.h"

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/common/uuid.h"
#include "service/storage/cache_dropping_moderation_repository.h"
#include "service/storage/caching_comment_repository.h"
#include "tests/support/fake_comment_repository.h"
#include "tests/support/fake_moderation_repository.h"

namespace comments::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The fake, counting the reads that reach it, with a hook run after a read
// has its answer and before the answer returns (where a change's
// notification can overtake it), and the threads each CountApproved asked
// for. Writes go to the fake directly.
class HookedRepository final : public CommentRepository {
 public:
  explicit HookedRepository(CommentRepository* inner) : inner_(inner) {}

  absl::StatusOr<CreateResult> Create(const NewComment& comment,
                                      absl::Time deadline) override {
    return inner_->Create(comment, deadline);
  }
  absl::StatusOr<CommentRecord> Get(std::string_view id,
                                    absl::Time deadline) override {
    return inner_->Get(id, deadline);
  }
  absl::StatusOr<std::vector<CommentRecord>> ListApproved(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) override {
    Count();
    auto records = inner_->ListApproved(thread, after_seq, limit, deadline);
    RunHook();
    return records;
  }
  absl::StatusOr<std::vector<int64_t>> CountApproved(
      const std::vector<std::string>& threads, absl::Time deadline) override {
    Count(&threads);
    auto counts = inner_->CountApproved(threads, deadline);
    RunHook();
    return counts;
  }
  absl::StatusOr<bool> IsApprovedInThread(std::string_view id,
                                          std::string_view thread,
                                          absl::Time deadline) override {
    return inner_->IsApprovedInThread(id, thread, deadline);
  }

  // Runs once, on the next read.
  void OnNextRead(std::function<void()> hook) {
    absl::MutexLock lock(&mu_);
    hook_ = std::move(hook);
  }
  int reads() const {
    absl::MutexLock lock(&mu_);
    return reads_;
  }
  std::vector<std::vector<std::string>> counted() const {
    absl::MutexLock lock(&mu_);
    return counted_;
  }

 private:
  void Count(const std::vector<std::string>* threads = nullptr) {
    absl::MutexLock lock(&mu_);
    ++reads_;
    if (threads != nullptr) counted_.push_back(*threads);
  }
  void RunHook() {
    std::function<void()> hook;
    {
      absl::MutexLock lock(&mu_);
      hook = std::move(hook_);
      hook_ = nullptr;
    }
    if (hook) hook();
  }

  CommentRepository* const inner_;
  mutable absl::Mutex mu_;
  std::function<void()> hook_ ABSL_GUARDED_BY(mu_);
  int reads_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::vector<std::string>> counted_ ABSL_GUARDED_BY(mu_);
};

class RecordingObserver final : public PublicCacheObserver {
 public:
  void OnLookups(Kind kind, int hits, int misses) override {
    (kind == Kind::kPage ? page_hits : count_hits) += hits;
    (kind == Kind::kPage ? page_misses : count_misses) += misses;
  }
  void OnDropped(Drop cause) override {
    ++(cause == Drop::kChange ? changes : listening_drops);
  }
  void OnSize(int64_t reported_entries, int64_t reported_bytes) override {
    entries = reported_entries;
    bytes = reported_bytes;
  }

  // Atomic: the cache reports from every reader's thread.
  std::atomic<int> page_hits{0}, page_misses{0}, count_hits{0}, count_misses{0};
  std::atomic<int> changes{0}, listening_drops{0};
  std::atomic<int64_t> entries{-1}, bytes{-1};
};

class PublicReadCacheTest : public ::testing::Test {
 protected:
  explicit PublicReadCacheTest(size_t max_bytes = size_t{1} << 20)
      : cache_({max_bytes, &observer_}), cached_(&hooked_, &cache_) {
    cache_.SetListening(true);
  }

  std::string Add(const std::string& thread, domain::CommentState state,
                  std::string body = "text") {
    NewComment comment;
    comment.id = NewUuid();
    comment.thread = thread;
    comment.author_name = "Ann";
    comment.body = std::move(body);
    comment.state = state;
    EXPECT_TRUE(fake_.Create(comment, deadline_).ok());
    return comment.id;
  }

  // The ids of thread's first page, through the cache.
  std::vector<std::string> Ids(const std::string& thread, int limit = 10) {
    absl::StatusOr<std::vector<CommentRecord>> page =
        cached_.ListApproved(thread, 0, limit, deadline_);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const CommentRecord& record : *page) ids.push_back(record.id);
    }
    return ids;
  }

  std::vector<int64_t> Counts(const std::vector<std::string>& threads) {
    absl::StatusOr<std::vector<int64_t>> counts =
        cached_.CountApproved(threads, deadline_);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? *counts : std::vector<int64_t>{};
  }

  const absl::Time deadline_ = absl::InfiniteFuture();
  testing::FakeCommentRepository fake_;
  HookedRepository hooked_{&fake_};
  RecordingObserver observer_;
  PublicReadCache cache_;
  CachingCommentRepository cached_;
};

TEST_F(PublicReadCacheTest, RepeatedPageIsReadOnceAndShared) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_EQ(hooked_.reads(), 1);
  // Another position or size is another page.
  EXPECT_THAT(Ids("a", 5), ElementsAre(first));
  EXPECT_EQ(hooked_.reads(), 2);

  PublicReadCache::Ticket unused;
  const PublicReadCache::Page one = cache_.FindPage("a", 0, 10, &unused);
  const PublicReadCache::Page two = cache_.FindPage("a", 0, 10, &unused);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one.get(), two.get());
  EXPECT_EQ(observer_.page_hits.load(), 3);
  EXPECT_EQ(observer_.page_misses.load(), 2);
  EXPECT_EQ(observer_.entries.load(), 2);
  EXPECT_GT(observer_.bytes.load(), 0);
}

TEST_F(PublicReadCacheTest, NotificationDropsOnlyThatThread) {
  const std::string a1 = Add("a", domain::CommentState::kApproved);
  const std::string a2 = Add("a", domain::CommentState::kPending);
  const std::string b1 = Add("b", domain::CommentState::kApproved);
  EXPECT_THAT(Ids("a"), ElementsAre(a1));
  EXPECT_THAT(Ids("b"), ElementsAre(b1));
  EXPECT_THAT(Counts({"a", "b"}), ElementsAre(1, 1));
  const int reads = hooked_.reads();

  ASSERT_TRUE(fake_.SetState(a2, domain::CommentState::kApproved));
  // Not notified yet: the replica still serves what it has.
  EXPECT_THAT(Ids("a"), ElementsAre(a1));
  cache_.Invalidate("a");
  EXPECT_THAT(Ids("a"), ElementsAre(a1, a2));
  EXPECT_THAT(Counts({"a", "b"}), ElementsAre(2, 1));
  EXPECT_THAT(Ids("b"), ElementsAre(b1));
  // One page and one count read again, for "a" only.
  EXPECT_EQ(hooked_.reads(), reads + 2);
  EXPECT_THAT(hooked_.counted().back(), ElementsAre("a"));
  EXPECT_EQ(observer_.changes.load(), 1);
}

TEST_F(PublicReadCacheTest, PageReadBeforeAProcessedChangeIsNotKept) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  const std::string second = Add("a", domain::CommentState::kPending);
  // The read has its (old) answer; then the approval commits and its
  // notification is processed before the read stores.
  hooked_.OnNextRead([&] {
    ASSERT_TRUE(fake_.SetState(second, domain::CommentState::kApproved));
    cache_.Invalidate("a");
  });
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_EQ(cache_.entries(), 0);
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
  EXPECT_EQ(hooked_.reads(), 2);
}

TEST_F(PublicReadCacheTest, CountReadBeforeAProcessedChangeIsNotKept) {
  const std::string pending = Add("a", domain::CommentState::kPending);
  Add("b", domain::CommentState::kApproved);
  hooked_.OnNextRead([&] {
    ASSERT_TRUE(fake_.SetState(pending, domain::CommentState::kApproved));
    cache_.Invalidate("a");
  });
  EXPECT_THAT(Counts({"a", "b"}), ElementsAre(0, 1));
  // "b" was not changed and is kept; "a" is read again.
  EXPECT_THAT(Counts({"a", "b"}), ElementsAre(1, 1));
  EXPECT_THAT(hooked_.counted(),
              ElementsAre(ElementsAre("a", "b"), ElementsAre("a")));
}

TEST_F(PublicReadCacheTest, ChangeOfAnotherThreadDoesNotStopAStore) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  hooked_.OnNextRead([&] { cache_.Invalidate("b"); });
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_EQ(hooked_.reads(), 1);
}

TEST_F(PublicReadCacheTest, CountsAskOnlyForThoseMissing) {
  Add("a", domain::CommentState::kApproved);
  Add("c", domain::CommentState::kApproved);
  Add("c", domain::CommentState::kApproved);
  EXPECT_THAT(Counts({"a"}), ElementsAre(1));
  EXPECT_THAT(Counts({"b", "a", "c"}), ElementsAre(0, 1, 2));
  EXPECT_THAT(Counts({"c", "b", "a"}), ElementsAre(2, 0, 1));
  EXPECT_THAT(hooked_.counted(),
              ElementsAre(ElementsAre("a"), ElementsAre("b", "c")));
  EXPECT_EQ(observer_.count_hits.load(), 4);
  EXPECT_EQ(observer_.count_misses.load(), 3);
}

TEST_F(PublicReadCacheTest, NothingIsServedOrStoredWhileNotListening) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Counts({"a"}), ElementsAre(1));
  ASSERT_EQ(cache_.entries(), 2);

  cache_.SetListening(false);
  EXPECT_EQ(cache_.entries(), 0);
  const std::string second = Add("a", domain::CommentState::kApproved);
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
  EXPECT_THAT(Counts({"a"}), ElementsAre(2));
  EXPECT_THAT(Counts({"a"}), ElementsAre(2));
  EXPECT_EQ(cache_.entries(), 0);
  EXPECT_EQ(hooked_.reads(), 6);

  cache_.SetListening(true);
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
  EXPECT_EQ(hooked_.reads(), 7);
  EXPECT_EQ(observer_.listening_drops.load(), 3);
}

TEST_F(PublicReadCacheTest, ReadUnderWayWhenListeningResumesIsNotKept) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  const std::string second = Add("a", domain::CommentState::kPending);
  // The connection drops and comes back while the read is out: the change
  // made meanwhile was never notified.
  hooked_.OnNextRead([&] {
    cache_.SetListening(false);
    ASSERT_TRUE(fake_.SetState(second, domain::CommentState::kApproved));
    cache_.SetListening(true);
  });
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Ids("a"), ElementsAre(first, second));
}

TEST_F(PublicReadCacheTest, ErrorsAreNotKept) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  fake_.FailWith(absl::UnavailableError("database down"));
  EXPECT_EQ(cached_.ListApproved("a", 0, 10, deadline_).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(cached_.CountApproved({"a"}, deadline_).status().code(),
            absl::StatusCode::kUnavailable);
  fake_.Recover();
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Counts({"a"}), ElementsAre(1));
}

class SmallPublicReadCacheTest : public PublicReadCacheTest {
 protected:
  static constexpr size_t kBudget = 16 * 1024;
  SmallPublicReadCacheTest() : PublicReadCacheTest(kBudget) {}
};

TEST_F(SmallPublicReadCacheTest, LeastRecentlyUsedGoFirstWithinTheBound) {
  // Pages of about 1 KiB each: a few fit in the bound, not all.
  for (int i = 0; i < 40; ++i) {
    Add(absl::StrCat("t", i), domain::CommentState::kApproved,
        std::string(1000, 'x'));
  }
  Ids("t0");
  for (int i = 1; i < 40; ++i) {
    Ids(absl::StrCat("t", i));
    Ids("t0");  // kept in use
    EXPECT_LE(cache_.bytes(), static_cast<int64_t>(kBudget));
  }
  EXPECT_GT(cache_.entries(), 3);
  EXPECT_LT(cache_.entries(), 40);
  const int reads = hooked_.reads();
  Ids("t0");
  Ids("t39");
  EXPECT_EQ(hooked_.reads(), reads);
  Ids("t1");  // long evicted
  EXPECT_EQ(hooked_.reads(), reads + 1);
}

TEST_F(SmallPublicReadCacheTest, PageLargerThanTheBoundIsNotKept) {
  Add("big", domain::CommentState::kApproved, std::string(kBudget, 'x'));
  Add("small", domain::CommentState::kApproved);
  Ids("small");
  Ids("big");
  Ids("big");
  EXPECT_EQ(hooked_.reads(), 3);
  // Nothing was evicted for it.
  Ids("small");
  EXPECT_EQ(hooked_.reads(), 3);
}

class DisabledPublicReadCacheTest : public PublicReadCacheTest {
 protected:
  DisabledPublicReadCacheTest() : PublicReadCacheTest(0) {}
};

TEST_F(DisabledPublicReadCacheTest, ZeroBytesReadsEverythingFromTheDatabase) {
  const std::string first = Add("a", domain::CommentState::kApproved);
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Ids("a"), ElementsAre(first));
  EXPECT_THAT(Counts({"a"}), ElementsAre(1));
  EXPECT_THAT(Counts({"a"}), ElementsAre(1));
  EXPECT_EQ(hooked_.reads(), 4);
  EXPECT_EQ(cache_.entries(), 0);
}

// Readers racing approvals and their notifications: a read that starts
// after a change's notification was processed sees the change, whatever
// reads were under way when it came.
TEST_F(PublicReadCacheTest, ReadsAfterANotificationSeeItsChange) {
  constexpr int kApprovals = 60;
  constexpr int kReaders = 8;
  std::atomic<int> notified{0};
  std::atomic<int> stale{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      while (notified.load() < kApprovals) {
        const int before = notified.load();
        auto page = cached_.ListApproved("a", 0, 1000, deadline_);
        auto counts = cached_.CountApproved({"a", "b"}, deadline_);
        if (!page.ok() || !counts.ok() ||
            static_cast<int>(page->size()) < before || (*counts)[0] < before) {
          ++stale;
        }
      }
    });
  }
  for (int i = 0; i < kApprovals; ++i) {
    Add("a", domain::CommentState::kApproved);
    cache_.Invalidate("a");  // as the listener does after the commit
    notified.store(i + 1);
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(stale.load(), 0);
  EXPECT_EQ(Ids("a", 1000).size(), static_cast<size_t>(kApprovals));
  EXPECT_THAT(Counts({"a", "b"}), ElementsAre(kApprovals, 0));
}

TEST_F(PublicReadCacheTest, OtherCallsGoStraightThrough) {
  const std::string pending = Add("a", domain::CommentState::kPending);
  EXPECT_EQ(cached_.Get(pending, deadline_)->id, pending);
  EXPECT_FALSE(*cached_.IsApprovedInThread(pending, "a", deadline_));
  ASSERT_TRUE(fake_.SetState(pending, domain::CommentState::kApproved));
  EXPECT_TRUE(*cached_.IsApprovedInThread(pending, "a", deadline_));
  EXPECT_THAT(Ids("none"), IsEmpty());
}

// This server's own moderation drops the pages it changed as soon as it
// has committed, before any notification.
TEST_F(PublicReadCacheTest, OwnModerationDropsItsThreadsAtOnce) {
  testing::FakeModerationRepository moderation;
  CacheDroppingModerationRepository dropping(&moderation, &cache_);
  CommentRecord comment;
  comment.id = NewUuid();
  comment.thread = "a";
  comment.state = domain::CommentState::kPending;
  moderation.AddComment(comment, "hash");
  Add("b", domain::CommentState::kApproved);
  Ids("a");
  Ids("b");
  ASSERT_EQ(cache_.entries(), 2);

  Transition refused;
  refused.comment_id = comment.id;
  refused.thread = "a";
  refused.action = domain::ModerationAction::kApprove;
  refused.expected_version = 99;  // stale: nothing changes
  EXPECT_FALSE(dropping.Apply(refused, deadline_).ok());
  EXPECT_EQ(cache_.entries(), 2);
  Transition approve = refused;
  approve.expected_version.reset();
  ASSERT_TRUE(dropping.Apply(approve, deadline_).ok());
  EXPECT_EQ(cache_.entries(), 1);  // "b" stays

  ASSERT_TRUE(dropping.ApplyBatch({approve}, deadline_).ok());
  Ids("a");
  ASSERT_TRUE(dropping.ApplyBatch({refused}, deadline_).ok());
  EXPECT_EQ(cache_.entries(), 2);

  // An erasure's threads are not known: everything goes, once it erased.
  ASSERT_EQ(*dropping.Erase({{"other"}, {}, false, "ann"}, deadline_), 0);
  EXPECT_EQ(cache_.entries(), 2);
  ASSERT_EQ(*dropping.Erase({{"hash"}, {}, false, "ann"}, deadline_), 1);
  EXPECT_EQ(cache_.entries(), 0);
}

}  // namespace
}  // namespace comments::storage
