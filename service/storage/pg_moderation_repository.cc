#include "service/storage/pg_moderation_repository.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "service/storage/comment_rows.h"
#include "service/storage/keyed_lookup.h"
#include "service/storage/moderation_rows.h"
#include "service/storage/moderation_sql.h"

namespace comments::storage {
namespace {

std::string StateText(std::optional<domain::CommentState> state) {
  return state.has_value() ? std::string(domain::StateName(*state)) : "";
}

std::vector<ModerationEventRecord> History(pqxx::work& txn,
                                           const std::string& id) {
  std::vector<ModerationEventRecord> history;
  for (const pqxx::row& row :
       txn.exec_prepared(Prepared(txn, sql::kHistory), id)) {
    history.push_back(ReadModerationEvent(row));
  }
  return history;
}

// A comment's row as locked for a transition.
struct LockedRow {
  std::string thread;
  std::string state;
  int64_t version = 0;
};

// The part of a transition after its row is locked: checks it against the
// row, then writes the change and its audit row, and keeps `row` current.
// `actor` is the moderator the notify trigger was last told of in this
// transaction, so a batch tells it once.
absl::StatusOr<CommentRecord> ApplyLocked(pqxx::work& txn,
                                          const Transition& transition,
                                          domain::CommentState target,
                                          LockedRow& row, std::string& actor) {
  const std::optional<domain::CommentState> current =
      domain::ParseStateName(row.state);
  if (!current.has_value()) return absl::InternalError("unknown state");
  if (absl::Status allowed =
          domain::CheckModeration(*current, row.version, transition.action,
                                  transition.expected_version);
      !allowed.ok()) {
    return allowed;  // nothing written for this transition
  }
  if (actor != transition.moderator) {
    txn.exec_prepared(Prepared(txn, sql::kSetActor), transition.moderator);
    actor = transition.moderator;
  }
  pqxx::result updated = txn.exec_prepared(
      Prepared(txn, sql::kApplyTransition), transition.comment_id,
      std::string(domain::StateName(target)));
  CommentRecord record = ReadCommentRecord(updated[0]);
  txn.exec_prepared(Prepared(txn, sql::kInsertEvent), transition.comment_id,
                    transition.thread, transition.moderator,
                    std::string(domain::ActionName(transition.action)),
                    StateText(current), StateText(target), transition.reason);
  row.state = std::string(domain::StateName(target));
  row.version = record.version;
  return record;
}

}  // namespace

absl::StatusOr<QueuePage> PgModerationRepository::ListQueue(
    const QueueQuery& query, absl::Time deadline) {
  QueuePage page;
  const std::string state(domain::StateName(query.state));
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    std::vector<std::string> ids;
    std::map<std::string, size_t> index;
    for (const pqxx::row& row :
         txn.exec_prepared(Prepared(txn, sql::kListQueue), state, query.thread,
                           query.after_seq, query.limit)) {
      ModeratedRecord record;
      record.comment = ReadCommentRecord(row);
      ids.push_back(record.comment.id);
      index[record.comment.id] = page.comments.size();
      page.comments.push_back(std::move(record));
    }
    if (!ids.empty()) {
      for (const pqxx::row& row : txn.exec_prepared(
               Prepared(txn, sql::kHistories), ToJsonArray(ids))) {
        ModerationEventRecord event = ReadModerationEvent(row);
        auto it = index.find(event.comment_id);
        if (it != index.end()) {
          page.comments[it->second].history.push_back(std::move(event));
        }
      }
    }
    page.total_size = txn.exec_prepared(Prepared(txn, sql::kCountQueue), state,
                                        query.thread)[0][0]
                          .as<int64_t>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<ModeratedRecord> PgModerationRepository::Get(
    std::string_view id, std::string_view thread, absl::Time deadline) {
  ModeratedRecord record;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(Prepared(txn, sql::kSelectModerated),
                                          std::string(id), std::string(thread));
    if (rows.empty()) return absl::NotFoundError("comment not found");
    record.comment = ReadCommentRecord(rows[0]);
    record.history = History(txn, record.comment.id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<ModeratedRecord> PgModerationRepository::Apply(
    const Transition& transition, absl::Time deadline) {
  const std::optional<domain::CommentState> target =
      domain::TargetState(transition.action);
  if (!target.has_value()) {
    return absl::InvalidArgumentError("the action changes no state");
  }
  ModeratedRecord record;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    pqxx::result locked =
        txn.exec_prepared(Prepared(txn, sql::kLockForTransition),
                          transition.comment_id, transition.thread);
    if (locked.empty()) return absl::NotFoundError("comment not found");
    LockedRow row{transition.thread, locked[0][0].as<std::string>(),
                  locked[0][1].as<int64_t>()};
    std::string actor;
    absl::StatusOr<CommentRecord> applied =
        ApplyLocked(txn, transition, *target, row, actor);
    if (!applied.ok()) return applied.status();
    record.comment = *std::move(applied);
    record.history = History(txn, transition.comment_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<std::vector<absl::StatusOr<ModeratedRecord>>>
PgModerationRepository::ApplyBatch(const std::vector<Transition>& transitions,
                                   absl::Time deadline) {
  std::vector<absl::StatusOr<ModeratedRecord>> results;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    results.clear();
    std::vector<std::string> ids;
    ids.reserve(transitions.size());
    for (const Transition& transition : transitions) {
      ids.push_back(transition.comment_id);
    }
    std::map<std::string, LockedRow> rows;
    for (const pqxx::row& row :
         txn.exec_prepared(Prepared(txn, sql::kLockBatch), ToJsonArray(ids))) {
      rows[row[0].as<std::string>()] = {row[1].as<std::string>(),
                                        row[2].as<std::string>(),
                                        row[3].as<int64_t>()};
    }
    std::string actor;
    std::map<std::string, std::vector<size_t>> changed;  // id -> results
    for (const Transition& transition : transitions) {
      const std::optional<domain::CommentState> target =
          domain::TargetState(transition.action);
      auto row = rows.find(transition.comment_id);
      if (!target.has_value()) {
        results.push_back(
            absl::InvalidArgumentError("the action changes no state"));
      } else if (row == rows.end() || row->second.thread != transition.thread) {
        results.push_back(absl::NotFoundError("comment not found"));
      } else if (absl::StatusOr<CommentRecord> applied =
                     ApplyLocked(txn, transition, *target, row->second, actor);
                 !applied.ok()) {
        results.push_back(applied.status());
      } else {
        changed[transition.comment_id].push_back(results.size());
        results.push_back(ModeratedRecord{*std::move(applied), {}});
      }
    }
    if (changed.empty()) return absl::OkStatus();
    std::vector<std::string> changed_ids;
    for (const auto& [id, unused] : changed) changed_ids.push_back(id);
    for (const pqxx::row& row : txn.exec_prepared(
             Prepared(txn, sql::kHistories), ToJsonArray(changed_ids))) {
      const ModerationEventRecord event = ReadModerationEvent(row);
      for (size_t index : changed[event.comment_id]) {
        results[index]->history.push_back(event);
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return results;
}

absl::StatusOr<std::vector<ModerationEventRecord>>
PgModerationRepository::ListEvents(std::string_view comment_id,
                                   std::string_view thread, int64_t after_id,
                                   int limit, absl::Time deadline) {
  std::vector<ModerationEventRecord> events;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    for (const pqxx::row& row : txn.exec_prepared(
             Prepared(txn, sql::kListEvents), std::string(comment_id),
             std::string(thread), after_id, limit)) {
      events.push_back(ReadModerationEvent(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return events;
}

absl::StatusOr<int64_t> PgModerationRepository::Erase(const Erasure& erasure,
                                                      absl::Time deadline) {
  int64_t affected = 0;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    // Deleted PENDING comments leave the watchers' queue in this name.
    txn.exec_prepared(Prepared(txn, sql::kSetActor), erasure.moderator);
    const std::string hashes = HashListParameter(erasure.email_hashes);
    txn.exec_prepared(Prepared(txn, sql::kLockAuthorComments), hashes);
    pqxx::result result = txn.exec_prepared(
        Prepared(txn, erasure.delete_comments ? sql::kDeleteAuthorComments
                                              : sql::kAnonymiseAuthor),
        hashes);
    affected = result.affected_rows();
    txn.exec_prepared0(Prepared(txn, sql::kForgetAuthorLimits),
                       HashListParameter(erasure.limit_keys));
    // Every request is recorded, even one that matched nothing: the trail
    // shows who asked, when and what it did, never whose data it was.
    txn.exec_prepared(
        Prepared(txn, sql::kInsertEvent), "", "", erasure.moderator,
        std::string(domain::ActionName(domain::ModerationAction::kErase)), "",
        "",
        absl::StrCat(erasure.delete_comments ? "deleted " : "anonymised ",
                     affected, affected == 1 ? " comment" : " comments"));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return affected;
}

}  // namespace comments::storage
