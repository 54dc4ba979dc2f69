// An in-memory ModerationRepository for unit tests of the moderation use
// case: comments and their audit trail in maps, transitions checked against
// the table of domain/moderation.h (domain::CheckModeration, as
// PostgreSQL's implementation does), and a status every call fails with
// when set. It remembers what it was asked, so tests can check what the use
// case sent (moderator, deadline, erasure keys).
#ifndef COMMENTS_TESTS_SUPPORT_FAKE_MODERATION_REPOSITORY_H_
#define COMMENTS_TESTS_SUPPORT_FAKE_MODERATION_REPOSITORY_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/domain/moderation.h"
#include "service/storage/moderation_record.h"
#include "service/storage/moderation_repository.h"

namespace comments::testing {

class FakeModerationRepository final : public storage::ModerationRepository {
 public:
  // Stores `comment` (its seq and version as given, or the next seq when 0)
  // with the email hash erasure looks for.
  void AddComment(storage::CommentRecord comment, std::string email_hash = "") {
    if (comment.seq == 0) comment.seq = ++last_seq_;
    last_seq_ = std::max(last_seq_, comment.seq);
    Stored& stored = comments_[comment.id];
    stored.comment = std::move(comment);
    stored.email_hash = std::move(email_hash);
  }

  // A flood-control row of submission_limits, which erasure forgets.
  void AddLimitRow(std::string key) { limit_rows_.insert(std::move(key)); }

  // Every later call fails with `status`, writing nothing; OkStatus clears.
  void FailWith(absl::Status status) { failure_ = std::move(status); }

  std::optional<storage::CommentRecord> Find(std::string_view id) const {
    auto it = comments_.find(std::string(id));
    if (it == comments_.end()) return std::nullopt;
    return it->second.comment;
  }
  const std::vector<storage::ModerationEventRecord>& events() const {
    return events_;
  }
  const std::set<std::string>& limit_rows() const { return limit_rows_; }
  const std::vector<storage::Transition>& transitions() const {
    return transitions_;
  }
  const std::vector<storage::Erasure>& erasures() const { return erasures_; }
  const std::vector<storage::QueueQuery>& queue_queries() const {
    return queue_queries_;
  }
  int batches() const { return batches_; }
  absl::Time last_deadline() const { return last_deadline_; }

  absl::StatusOr<storage::QueuePage> ListQueue(const storage::QueueQuery& query,
                                               absl::Time deadline) override {
    last_deadline_ = deadline;
    queue_queries_.push_back(query);
    if (!failure_.ok()) return failure_;
    std::vector<const Stored*> matching;
    for (const auto& [id, stored] : comments_) {
      if (stored.comment.state != query.state) continue;
      if (!query.thread.empty() && stored.comment.thread != query.thread) {
        continue;
      }
      matching.push_back(&stored);
    }
    std::sort(matching.begin(), matching.end(),
              [](const Stored* a, const Stored* b) {
                return a->comment.seq < b->comment.seq;
              });
    storage::QueuePage page;
    page.total_size = static_cast<int64_t>(matching.size());
    for (const Stored* stored : matching) {
      if (stored->comment.seq <= query.after_seq) continue;
      if (static_cast<int>(page.comments.size()) == query.limit) break;
      page.comments.push_back(Moderated(stored->comment));
    }
    return page;
  }

  absl::StatusOr<storage::ModeratedRecord> Get(std::string_view id,
                                               std::string_view thread,
                                               absl::Time deadline) override {
    last_deadline_ = deadline;
    if (!failure_.ok()) return failure_;
    const Stored* stored = Lookup(id, thread);
    if (stored == nullptr) return absl::NotFoundError("comment not found");
    return Moderated(stored->comment);
  }

  absl::StatusOr<storage::ModeratedRecord> Apply(
      const storage::Transition& transition, absl::Time deadline) override {
    last_deadline_ = deadline;
    transitions_.push_back(transition);
    if (!failure_.ok()) return failure_;
    absl::StatusOr<storage::CommentRecord> applied = ApplyOne(transition);
    if (!applied.ok()) return applied.status();
    return Moderated(*applied);
  }

  absl::StatusOr<std::vector<absl::StatusOr<storage::ModeratedRecord>>>
  ApplyBatch(const std::vector<storage::Transition>& transitions,
             absl::Time deadline) override {
    last_deadline_ = deadline;
    ++batches_;
    transitions_.insert(transitions_.end(), transitions.begin(),
                        transitions.end());
    if (!failure_.ok()) return failure_;
    std::vector<absl::StatusOr<storage::CommentRecord>> applied;
    for (const storage::Transition& transition : transitions) {
      applied.push_back(ApplyOne(transition));
    }
    // As in one transaction: every result carries the history as of its
    // end.
    std::vector<absl::StatusOr<storage::ModeratedRecord>> results;
    for (absl::StatusOr<storage::CommentRecord>& record : applied) {
      if (!record.ok()) {
        results.push_back(record.status());
      } else {
        results.push_back(Moderated(*record));
      }
    }
    return results;
  }

  absl::StatusOr<std::vector<storage::ModerationEventRecord>> ListEvents(
      std::string_view comment_id, std::string_view thread, int64_t after_id,
      int limit, absl::Time deadline) override {
    last_deadline_ = deadline;
    if (!failure_.ok()) return failure_;
    std::vector<storage::ModerationEventRecord> out;
    for (const storage::ModerationEventRecord& event : events_) {
      if (event.id <= after_id) continue;
      if (!comment_id.empty() &&
          (event.comment_id != comment_id || event.thread != thread)) {
        continue;
      }
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back(event);
    }
    return out;
  }

  absl::StatusOr<int64_t> Erase(const storage::Erasure& erasure,
                                absl::Time deadline) override {
    last_deadline_ = deadline;
    erasures_.push_back(erasure);
    if (!failure_.ok()) return failure_;
    const std::set<std::string> hashes(erasure.email_hashes.begin(),
                                       erasure.email_hashes.end());
    int64_t affected = 0;
    for (auto it = comments_.begin(); it != comments_.end();) {
      if (it->second.email_hash.empty() ||
          hashes.count(it->second.email_hash) == 0) {
        ++it;
        continue;
      }
      ++affected;
      if (erasure.delete_comments) {
        it = comments_.erase(it);
        continue;
      }
      storage::CommentRecord& comment = it->second.comment;
      comment.author_name = "Anonymous";
      comment.author_url.clear();
      comment.email_ciphertext.clear();
      comment.client_ip.clear();
      comment.user_agent.clear();
      ++comment.version;
      it->second.email_hash.clear();
      ++it;
    }
    for (const std::string& key : erasure.limit_keys) limit_rows_.erase(key);
    storage::ModerationEventRecord& event = events_.emplace_back();
    event.id = static_cast<int64_t>(events_.size());
    event.moderator = erasure.moderator;
    event.action = domain::ModerationAction::kErase;
    event.reason =
        absl::StrCat(erasure.delete_comments ? "deleted " : "anonymised ",
                     affected, affected == 1 ? " comment" : " comments");
    return affected;
  }

 private:
  struct Stored {
    storage::CommentRecord comment;
    std::string email_hash;
  };

  const Stored* Lookup(std::string_view id, std::string_view thread) const {
    auto it = comments_.find(std::string(id));
    if (it == comments_.end() || it->second.comment.thread != thread) {
      return nullptr;
    }
    return &it->second;
  }

  storage::ModeratedRecord Moderated(
      const storage::CommentRecord& comment) const {
    storage::ModeratedRecord record{comment, {}};
    for (const storage::ModerationEventRecord& event : events_) {
      if (event.comment_id == comment.id) record.history.push_back(event);
    }
    return record;
  }

  absl::StatusOr<storage::CommentRecord> ApplyOne(
      const storage::Transition& transition) {
    const std::optional<domain::CommentState> target =
        domain::TargetState(transition.action);
    if (!target.has_value()) {
      return absl::InvalidArgumentError("the action changes no state");
    }
    if (Lookup(transition.comment_id, transition.thread) == nullptr) {
      return absl::NotFoundError("comment not found");
    }
    storage::CommentRecord& comment = comments_[transition.comment_id].comment;
    if (absl::Status allowed = domain::CheckModeration(
            comment.state, comment.version, transition.action,
            transition.expected_version);
        !allowed.ok()) {
      return allowed;
    }
    storage::ModerationEventRecord& event = events_.emplace_back();
    event.id = static_cast<int64_t>(events_.size());
    event.comment_id = comment.id;
    event.thread = comment.thread;
    event.moderator = transition.moderator;
    event.action = transition.action;
    event.from_state = comment.state;
    event.to_state = *target;
    event.reason = transition.reason;
    comment.state = *target;
    ++comment.version;
    return comment;
  }

  std::map<std::string, Stored> comments_;
  std::vector<storage::ModerationEventRecord> events_;
  std::set<std::string> limit_rows_;
  int64_t last_seq_ = 0;
  absl::Status failure_;
  std::vector<storage::Transition> transitions_;
  std::vector<storage::Erasure> erasures_;
  std::vector<storage::QueueQuery> queue_queries_;
  int batches_ = 0;
  absl::Time last_deadline_;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_FAKE_MODERATION_REPOSITORY_H_
