// The admission checks of admission.h for a whole group-commit batch
// (insert_batcher.h) in a few set-based statements instead of several per
// comment. The decisions are those of Admit, made in batch order as if each
// comment were written after the ones before it:
//   1. every limit row of the batch is locked in one statement, in key
//      order, the order Admit locks in too (no deadlocks with either path);
//      the rows under older hash keys are read in one more;
//   2. one statement asks, per comment, whether its request_id is stored and
//      whether its body already is on its thread;
//   3. the limits are decided in memory, each comment seeing the state the
//      ones before it left; a body sent earlier in the batch is a duplicate
//      as a stored one is;
//   4. the new limit states are written in one statement.
// A comment whose request_id is stored, or sent earlier in the batch, is
// left to Admit and the single insert, which return the stored comment.
#ifndef COMMENTS_SERVICE_STORAGE_BATCH_ADMISSION_H_
#define COMMENTS_SERVICE_STORAGE_BATCH_ADMISSION_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "pqxx/transaction_base"
#include "service/domain/admission_findings.h"
#include "service/storage/comment_record.h"

namespace comments::storage {

struct BatchVerdict {
  // The request_id is stored or repeated in the batch: write this comment
  // alone (Admit, then the single insert), after the others.
  bool write_alone = false;
  // Otherwise: the findings to apply and insert with, or a refusal.
  absl::StatusOr<domain::AdmissionFindings> findings =
      domain::AdmissionFindings{};
};

// One verdict per comment, in order. Comments without an admission check
// get empty findings (or write_alone for a repeated request_id). Statement
// errors are thrown, as in Admit.
std::vector<BatchVerdict> AdmitTogether(
    pqxx::transaction_base& txn, const std::vector<const NewComment*>& batch);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_BATCH_ADMISSION_H_
