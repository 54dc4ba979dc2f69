#include "service/storage/public_read_cache.h"

#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace comments::storage {
namespace {

// What an entry costs beyond its records: the list node, the index slot,
// the thread's set slot and the shared vector's control block, roughly.
constexpr size_t kEntryOverhead = 192;

size_t StringBytes(const std::string& text) {
  // Short strings live inside the record.
  return text.capacity() > 15 ? text.capacity() + 1 : 0;
}

size_t RecordBytes(const CommentRecord& record) {
  return sizeof(CommentRecord) + StringBytes(record.id) +
         StringBytes(record.thread) + StringBytes(record.author_name) +
         StringBytes(record.author_url) + StringBytes(record.body) +
         StringBytes(record.reply_to_id);
}

}  // namespace

size_t PublicReadCache::KeyHash::operator()(const KeyView& key) const {
  return absl::HashOf(key.thread, key.after_seq, key.limit);
}

size_t PublicReadCache::Stripe(std::string_view thread) {
  return absl::HashOf(thread) % kStripes;
}

PublicReadCache::PublicReadCache(PublicReadCacheOptions options)
    : options_(std::move(options)) {}

PublicReadCache::Ticket PublicReadCache::TicketFor(
    std::string_view thread) const {
  return {listening_ && options_.max_bytes > 0, epoch_,
          generations_[Stripe(thread)]};
}

bool PublicReadCache::Storable(const Ticket& ticket,
                               std::string_view thread) const {
  return ticket.storable && listening_ && ticket.epoch == epoch_ &&
         ticket.generation == generations_[Stripe(thread)];
}

void PublicReadCache::Touch(Lru::iterator it) {
  lru_.splice(lru_.begin(), lru_, it);
}

void PublicReadCache::Erase(Lru::iterator it) {
  const Key& key = it->key;
  auto thread = by_thread_.find(key.thread);
  if (thread != by_thread_.end()) {
    thread->second.erase({key.after_seq, key.limit});
    if (thread->second.empty()) by_thread_.erase(thread);
  }
  index_.erase(key);
  bytes_ -= it->bytes;
  lru_.erase(it);
}

void PublicReadCache::Insert(Entry entry) {
  if (entry.bytes > options_.max_bytes) return;
  // Two reads that missed together store the same result: keep the later.
  if (auto found = index_.find(entry.key); found != index_.end()) {
    Erase(found->second);
  }
  while (bytes_ + entry.bytes > options_.max_bytes && !lru_.empty()) {
    Erase(std::prev(lru_.end()));
  }
  bytes_ += entry.bytes;
  by_thread_[entry.key.thread].insert({entry.key.after_seq, entry.key.limit});
  lru_.push_front(std::move(entry));
  index_.emplace(lru_.front().key, lru_.begin());
}

void PublicReadCache::EraseThread(std::string_view thread) {
  // This Abseil's string_view is not std::string_view.
  auto found = by_thread_.find(absl::string_view(thread.data(), thread.size()));
  if (found == by_thread_.end()) return;
  // Erase edits the set: take it out first.
  const absl::flat_hash_set<std::pair<int64_t, int>> positions =
      std::move(found->second);
  by_thread_.erase(found);
  for (const auto& [after_seq, limit] : positions) {
    auto entry = index_.find(KeyView{thread, after_seq, limit});
    if (entry != index_.end()) Erase(entry->second);
  }
}

void PublicReadCache::Clear() {
  lru_.clear();
  index_.clear();
  by_thread_.clear();
  bytes_ = 0;
}

PublicReadCache::Size PublicReadCache::SizeLocked() const {
  return {static_cast<int64_t>(lru_.size()), static_cast<int64_t>(bytes_)};
}

void PublicReadCache::Report(const Size& size) const {
  if (options_.observer != nullptr) {
    options_.observer->OnSize(size.entries, size.bytes);
  }
}

PublicReadCache::Page PublicReadCache::FindPage(std::string_view thread,
                                                int64_t after_seq, int limit,
                                                Ticket* ticket) {
  Page page;
  {
    absl::MutexLock lock(&mu_);
    auto found = index_.find(KeyView{thread, after_seq, limit});
    if (found != index_.end()) {
      Touch(found->second);
      page = found->second->page;
    } else {
      *ticket = TicketFor(thread);
    }
  }
  if (options_.observer != nullptr) {
    options_.observer->OnLookups(PublicCacheObserver::Kind::kPage,
                                 page != nullptr, page == nullptr);
  }
  return page;
}

void PublicReadCache::StorePage(const Ticket& ticket, std::string_view thread,
                                int64_t after_seq, int limit, Page page) {
  if (page == nullptr) return;
  size_t bytes = kEntryOverhead + thread.size();
  for (const CommentRecord& record : *page) bytes += RecordBytes(record);
  Size size;
  {
    absl::MutexLock lock(&mu_);
    if (!Storable(ticket, thread)) return;
    Insert(
        {{std::string(thread), after_seq, limit}, std::move(page), 0, bytes});
    size = SizeLocked();
  }
  Report(size);
}

void PublicReadCache::FindCounts(const std::vector<std::string>& threads,
                                 std::vector<std::optional<int64_t>>* counts,
                                 std::vector<Ticket>* tickets) {
  counts->assign(threads.size(), std::nullopt);
  tickets->assign(threads.size(), Ticket{});
  int hits = 0;
  {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < threads.size(); ++i) {
      auto found = index_.find(KeyView{threads[i], 0, kCountLimit});
      if (found != index_.end()) {
        Touch(found->second);
        (*counts)[i] = found->second->count;
        ++hits;
      } else {
        (*tickets)[i] = TicketFor(threads[i]);
      }
    }
  }
  if (options_.observer != nullptr) {
    options_.observer->OnLookups(PublicCacheObserver::Kind::kCount, hits,
                                 static_cast<int>(threads.size()) - hits);
  }
}

void PublicReadCache::StoreCounts(const std::vector<std::string>& threads,
                                  const std::vector<int64_t>& counts,
                                  const std::vector<Ticket>& tickets) {
  Size size;
  {
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < threads.size() && i < counts.size(); ++i) {
      if (!Storable(tickets[i], threads[i])) continue;
      Insert({{threads[i], 0, kCountLimit},
              nullptr,
              counts[i],
              kEntryOverhead + threads[i].size()});
    }
    size = SizeLocked();
  }
  Report(size);
}

void PublicReadCache::Invalidate(std::string_view thread) {
  Size size;
  {
    absl::MutexLock lock(&mu_);
    ++generations_[Stripe(thread)];
    EraseThread(thread);
    size = SizeLocked();
  }
  if (options_.observer != nullptr) {
    options_.observer->OnDropped(PublicCacheObserver::Drop::kChange);
  }
  Report(size);
}

void PublicReadCache::DropAll() {
  {
    absl::MutexLock lock(&mu_);
    ++epoch_;
    Clear();
  }
  if (options_.observer != nullptr) {
    options_.observer->OnDropped(PublicCacheObserver::Drop::kChange);
  }
  Report({0, 0});
}

void PublicReadCache::SetListening(bool listening) {
  {
    absl::MutexLock lock(&mu_);
    listening_ = listening;
    ++epoch_;
    Clear();
  }
  if (options_.observer != nullptr) {
    options_.observer->OnDropped(PublicCacheObserver::Drop::kListening);
  }
  Report({0, 0});
}

int64_t PublicReadCache::entries() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(lru_.size());
}

int64_t PublicReadCache::bytes() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(bytes_);
}

}  // namespace comments::storage
