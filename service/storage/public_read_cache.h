// Recent public pages (ListApproved results) and APPROVED counts, in
// memory, bounded by bytes and evicted least recently used first.
//
// Correct across replicas because every change to what the public sees of
// a thread is notified on comment_public (migration 0008) and drops that
// thread's entries here (Invalidate). The bound: a change is served by this
// replica once its commit's notification has reached it. Nothing is served
// or stored while the notifications are not being received (SetListening
// false: start-up, a lost connection), and everything is dropped when they
// come back, since some were missed.
//
// A read that misses takes a Ticket before going to the database and
// stores its result with it: the result is stored only if no invalidation
// of its thread was processed in between, so a read that raced a change
// cannot leave the old page behind the change's notification.
#ifndef COMMENTS_SERVICE_STORAGE_PUBLIC_READ_CACHE_H_
#define COMMENTS_SERVICE_STORAGE_PUBLIC_READ_CACHE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "service/storage/comment_record.h"
#include "service/storage/comment_repository.h"

namespace comments::storage {

// Reports what the cache does; called outside the cache's lock, from any
// thread, so two threads' sizes may arrive in either order (the next change
// reports the current one).
class PublicCacheObserver {
 public:
  enum class Kind { kPage, kCount };
  enum class Drop {
    kChange,    // a thread's notification
    kListening  // notifications stopped or resumed: everything
  };
  virtual ~PublicCacheObserver() = default;
  virtual void OnLookups(Kind kind, int hits, int misses) = 0;
  virtual void OnDropped(Drop cause) = 0;
  virtual void OnSize(int64_t entries, int64_t bytes) = 0;
};

struct PublicReadCacheOptions {
  // 0 turns the cache off: every lookup misses and nothing is stored.
  size_t max_bytes = size_t{32} << 20;
  PublicCacheObserver* observer = nullptr;  // not owned; optional
};

class PublicReadCache {
 public:
  // A page is shared by every reader it is served to, and never changes.
  using Page = SharedRecords;

  // Where the cache stood when a read began; see the file comment.
  struct Ticket {
    bool storable = false;
    uint64_t epoch = 0;
    uint64_t generation = 0;
  };

  explicit PublicReadCache(PublicReadCacheOptions options);

  PublicReadCache(const PublicReadCache&) = delete;
  PublicReadCache& operator=(const PublicReadCache&) = delete;

  // The page of `thread` after `after_seq` of at most `limit` comments, or
  // nullptr with `ticket` set for StorePage.
  Page FindPage(std::string_view thread, int64_t after_seq, int limit,
                Ticket* ticket);
  void StorePage(const Ticket& ticket, std::string_view thread,
                 int64_t after_seq, int limit, Page page);

  // One count per thread: the cached one, or nullopt with its ticket.
  void FindCounts(const std::vector<std::string>& threads,
                  std::vector<std::optional<int64_t>>* counts,
                  std::vector<Ticket>* tickets);
  // Stores counts[i] for every i with a ticket that is storable.
  void StoreCounts(const std::vector<std::string>& threads,
                   const std::vector<int64_t>& counts,
                   const std::vector<Ticket>& tickets);

  // `thread`'s public view changed: its pages and count are dropped, and
  // reads of it already under way will not store.
  void Invalidate(std::string_view thread);
  // Every thread's public view may have changed (an erasure made here):
  // everything is dropped and no read under way will store.
  void DropAll();
  // Whether the change notifications are being received. Either way every
  // entry is dropped and no read under way will store.
  void SetListening(bool listening);

  int64_t entries() const;
  int64_t bytes() const;

 private:
  // A count is stored under limit kCountLimit.
  static constexpr int kCountLimit = -1;
  // Invalidations are counted per stripe of threads (by hash) rather than
  // per thread, so that the record of a change outlives evicted entries
  // and takes no memory per thread. A collision only costs a store.
  static constexpr size_t kStripes = 1024;

  struct Key {
    std::string thread;
    int64_t after_seq;
    int limit;
  };
  struct KeyView {
    std::string_view thread;
    int64_t after_seq;
    int limit;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(const KeyView& key) const;
    size_t operator()(const Key& key) const {
      return (*this)(KeyView{key.thread, key.after_seq, key.limit});
    }
  };
  struct KeyEq {
    using is_transparent = void;
    static KeyView View(const Key& key) {
      return {key.thread, key.after_seq, key.limit};
    }
    static KeyView View(const KeyView& key) { return key; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const KeyView x = View(a), y = View(b);
      return x.thread == y.thread && x.after_seq == y.after_seq &&
             x.limit == y.limit;
    }
  };
  struct Entry {
    Key key;
    Page page;      // for a page
    int64_t count;  // for a count
    size_t bytes;
  };
  using Lru = std::list<Entry>;  // most recently used first

  Ticket TicketFor(std::string_view thread) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  bool Storable(const Ticket& ticket, std::string_view thread) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Marks `it` most recently used.
  void Touch(Lru::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Insert(Entry entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Erase(Lru::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EraseThread(std::string_view thread) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Clear() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  struct Size {
    int64_t entries;
    int64_t bytes;
  };
  Size SizeLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void Report(const Size& size) const;
  static size_t Stripe(std::string_view thread);

  const PublicReadCacheOptions options_;
  mutable absl::Mutex mu_;
  bool listening_ ABSL_GUARDED_BY(mu_) = false;
  // Bumped by SetListening: no ticket from before stores.
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  std::array<uint64_t, kStripes> generations_ ABSL_GUARDED_BY(mu_) = {};
  Lru lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Key, Lru::iterator, KeyHash, KeyEq> index_
      ABSL_GUARDED_BY(mu_);
  // Each thread's entries, as (after_seq, limit), for Invalidate.
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::pair<int64_t, int>>>
      by_thread_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_PUBLIC_READ_CACHE_H_
