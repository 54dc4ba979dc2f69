#include "service/storage/pg_comment_repository.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "nlohmann/json.hpp"
#include "pqxx/binarystring"
#include "pqxx/pqxx"
#include "service/domain/error.h"
#include "service/storage/admission.h"
#include "service/storage/batch_admission.h"
#include "service/storage/comment_rows.h"
#include "service/storage/comment_sql.h"

namespace comments::storage {
namespace {

// A retry made after a hash key rotation fingerprints under the new key;
// the stored fingerprint may be under any older one.
bool IsSameRequest(const std::string& stored, const NewComment& comment) {
  if (stored == comment.request_fingerprint) return true;
  const std::vector<std::string>& older = comment.older_request_fingerprints;
  return std::find(older.begin(), older.end(), stored) != older.end();
}

// One element of kInsertComments' parameter.
nlohmann::json InsertRow(const NewComment& comment) {
  return {
      {"id", comment.id},
      {"thread", comment.thread},
      {"author_name", comment.author_name},
      {"author_url", comment.author_url},
      {"body", comment.body},
      {"reply_to", comment.reply_to_id},
      {"state", std::string(domain::StateName(comment.state))},
      {"email_ciphertext", absl::BytesToHexString(comment.email_ciphertext)},
      {"email_hash", absl::BytesToHexString(comment.email_hash)},
      {"client_ip", comment.client_ip},
      {"user_agent", comment.user_agent},
      {"flags", comment.flags},
      {"request_id", comment.request_id},
      {"request_fingerprint",
       absl::BytesToHexString(comment.request_fingerprint)},
      {"body_hash", absl::BytesToHexString(comment.body_hash)}};
}

}  // namespace

std::vector<std::optional<absl::StatusOr<CreateResult>>>
PgCommentRepository::InsertTogetherInTransaction(
    pqxx::transaction_base& txn, const std::vector<const NewComment*>& batch) {
  const std::vector<BatchVerdict> verdicts = AdmitTogether(txn, batch);
  std::vector<std::optional<absl::StatusOr<CreateResult>>> results(
      batch.size());
  nlohmann::json rows = nlohmann::json::array();
  // Position in the batch by comment id, as PostgreSQL spells a uuid.
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < batch.size(); ++i) {
    const BatchVerdict& verdict = verdicts[i];
    if (verdict.write_alone) continue;
    if (!verdict.findings.ok()) {
      results[i] = verdict.findings.status();
      continue;
    }
    if (verdict.findings->any()) {
      NewComment admitted = *batch[i];
      domain::ApplyAdmissionFindings(*verdict.findings, &admitted.state,
                                     &admitted.flags);
      rows.push_back(InsertRow(admitted));
    } else {
      rows.push_back(InsertRow(*batch[i]));
    }
    position[absl::AsciiStrToLower(batch[i]->id)] = i;
  }
  if (rows.empty()) return results;
  for (const pqxx::row& row :
       txn.exec_prepared(Prepared(txn, sql::kInsertComments), rows.dump())) {
    CommentRecord record = ReadCommentRecord(row);
    const size_t at = position.at(record.id);
    results[at] = CreateResult{std::move(record), true};
  }
  // A row skipped for its request_id (taken since the admission looked)
  // stays without a result: written alone, it returns the stored comment.
  return results;
}

absl::StatusOr<CreateResult> PgCommentRepository::InsertInTransaction(
    pqxx::transaction_base& txn, const NewComment& submitted) {
  const NewComment* comment = &submitted;
  NewComment admitted;
  if (submitted.admission.has_value()) {
    absl::StatusOr<domain::AdmissionFindings> findings = Admit(txn, submitted);
    if (!findings.ok()) return findings.status();
    if (findings->any()) {
      admitted = submitted;
      domain::ApplyAdmissionFindings(*findings, &admitted.state,
                                     &admitted.flags);
      comment = &admitted;
    }
  }
  pqxx::result inserted = txn.exec_prepared(
      Prepared(txn, sql::kInsertComment), comment->id, comment->thread,
      comment->author_name, comment->author_url, comment->body,
      comment->reply_to_id, std::string(domain::StateName(comment->state)),
      Bytes(comment->email_ciphertext), Bytes(comment->email_hash),
      comment->client_ip, comment->user_agent, ToJsonArray(comment->flags),
      comment->request_id, Bytes(comment->request_fingerprint),
      Bytes(comment->body_hash));
  if (!inserted.empty())
    return CreateResult{ReadCommentRecord(inserted[0]), true};
  // Only a request_id conflict makes the insert do nothing: this is a
  // retry, or a reused id.
  pqxx::result existing = txn.exec_prepared(
      Prepared(txn, sql::kSelectByRequestId), comment->request_id);
  if (existing.empty()) {
    // The conflicting row was deleted (author erasure) in between.
    return absl::AbortedError("request_id conflict; retry");
  }
  if (!IsSameRequest(pqxx::binarystring(existing[0][0]).str(), *comment)) {
    return domain::WithReason(
        absl::Status(absl::StatusCode::kAlreadyExists, ""),
        domain::ErrorReason::kRequestIdReused);
  }
  return CreateResult{ReadCommentRecord(existing[0], 1), false};
}

PgCommentRepository::PgCommentRepository(ConnectionPool* pool,
                                         InsertBatcherOptions batching)
    : pool_(pool),
      inserts_(pool, InsertInTransaction, InsertTogetherInTransaction,
               batching) {}

absl::StatusOr<CreateResult> PgCommentRepository::Create(
    const NewComment& comment, absl::Time deadline) {
  return inserts_.Insert(comment, deadline);
}

absl::StatusOr<CommentRecord> PgCommentRepository::Get(std::string_view id,
                                                       absl::Time deadline) {
  CommentRecord record;
  absl::Status status = pool_->Read(deadline, [&](pqxx::transaction_base& txn) {
    pqxx::result rows =
        txn.exec_prepared(Prepared(txn, sql::kSelectComment), std::string(id));
    if (rows.empty()) return absl::NotFoundError("comment not found");
    record = ReadCommentRecord(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<std::vector<CommentRecord>> PgCommentRepository::ListApproved(
    std::string_view thread, int64_t after_seq, int limit,
    absl::Time deadline) {
  std::vector<CommentRecord> records;
  absl::Status status = pool_->Read(deadline, [&](pqxx::transaction_base& txn) {
    for (const pqxx::row& row :
         txn.exec_prepared(Prepared(txn, sql::kListApproved),
                           std::string(thread), after_seq, limit)) {
      records.push_back(ReadPublicCommentRecord(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return records;
}

absl::StatusOr<std::vector<int64_t>> PgCommentRepository::CountApproved(
    const std::vector<std::string>& threads, absl::Time deadline) {
  std::vector<int64_t> counts;
  absl::Status status = pool_->Read(deadline, [&](pqxx::transaction_base& txn) {
    for (const pqxx::row& row : txn.exec_prepared(
             Prepared(txn, sql::kCountApproved), ToJsonArray(threads))) {
      counts.push_back(row[1].as<int64_t>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

absl::StatusOr<bool> PgCommentRepository::IsApprovedInThread(
    std::string_view id, std::string_view thread, absl::Time deadline) {
  bool approved = false;
  absl::Status status = pool_->Read(deadline, [&](pqxx::transaction_base& txn) {
    approved = txn.exec_prepared(Prepared(txn, sql::kIsApprovedInThread),
                                 std::string(id), std::string(thread))[0][0]
                   .as<bool>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return approved;
}

}  // namespace comments::storage
