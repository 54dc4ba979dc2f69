#include "service/storage/batch_admission.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "nlohmann/json.hpp"
#include "pqxx/pqxx"
#include "service/domain/flood_control.h"
#include "service/storage/admission.h"
#include "service/storage/keyed_lookup.h"
#include "service/storage/submission_sql.h"

namespace comments::storage {
namespace {

// A limit row of the batch, by its key in hex.
struct KeyState {
  domain::LimitState current;
  // The stricter state of the same sender under older hash keys.
  domain::LimitState older;
  bool changed = false;
};

using KeyStates = std::map<std::string, KeyState>;

void AddKeys(const LimitKey& key, std::set<std::string>* current,
             std::set<std::string>* older) {
  current->insert(absl::BytesToHexString(key.key));
  for (const std::string& old : key.older_keys) {
    older->insert(absl::BytesToHexString(old));
  }
}

// Steps 1: locks every current key of the batch and reads the older ones.
KeyStates LockLimits(pqxx::transaction_base& txn,
                     const std::vector<const NewComment*>& batch) {
  std::set<std::string> current;
  std::set<std::string> older;
  for (const NewComment* comment : batch) {
    if (!comment->admission.has_value()) continue;
    const AdmissionCheck& check = *comment->admission;
    if (check.network.has_value()) AddKeys(*check.network, &current, &older);
    if (check.mailbox.has_value()) AddKeys(*check.mailbox, &current, &older);
  }
  KeyStates states;
  if (current.empty()) return states;
  for (const pqxx::row& row :
       txn.exec_prepared(Prepared(txn, sql::kLockSubmissionLimits),
                         nlohmann::json(current).dump())) {
    states[row[0].as<std::string>()].current = ReadLimitState(row, 1);
  }
  if (older.empty()) return states;
  std::map<std::string, domain::LimitState> older_rows;
  for (const pqxx::row& row :
       txn.exec_prepared(Prepared(txn, sql::kReadOlderLimits),
                         nlohmann::json(older).dump())) {
    older_rows[row[0].as<std::string>()] = ReadLimitState(row, 1);
  }
  // As kLockSubmissionLimit: the latest acceptance and the fewest tokens
  // of the sender's older rows.
  auto fold_older = [&](const LimitKey& key) {
    domain::LimitState folded;
    for (const std::string& old : key.older_keys) {
      auto row = older_rows.find(absl::BytesToHexString(old));
      if (row == older_rows.end()) continue;
      const domain::LimitState& state = row->second;
      if (!folded.last_accepted.has_value()) {
        folded = state;
        continue;
      }
      folded.last_accepted =
          std::max(*folded.last_accepted, *state.last_accepted);
      folded.tokens = std::min(folded.tokens, state.tokens);
    }
    states[absl::BytesToHexString(key.key)].older = folded;
  };
  for (const NewComment* comment : batch) {
    if (!comment->admission.has_value()) continue;
    const AdmissionCheck& check = *comment->admission;
    if (check.network.has_value()) fold_older(*check.network);
    if (check.mailbox.has_value()) fold_older(*check.mailbox);
  }
  return states;
}

struct StoredFacts {
  bool request_stored = false;
  bool body_stored = false;
};

// Step 2, for every comment at once.
std::vector<StoredFacts> ReadStoredFacts(
    pqxx::transaction_base& txn, const std::vector<const NewComment*>& batch) {
  nlohmann::json checks = nlohmann::json::array();
  for (const NewComment* comment : batch) {
    std::vector<std::string> hex;
    if (comment->admission.has_value()) {
      for (const std::string& hash : comment->admission->body_hashes) {
        hex.push_back(absl::BytesToHexString(hash));
      }
    }
    checks.push_back({{"request_id", comment->request_id},
                      {"thread", comment->thread},
                      {"body_hashes", hex}});
  }
  std::vector<StoredFacts> facts;
  facts.reserve(batch.size());
  for (const pqxx::row& row : txn.exec_prepared(
           Prepared(txn, sql::kStoredRequestsAndDuplicates), checks.dump())) {
    facts.push_back({row[0].as<bool>(), row[1].as<bool>()});
  }
  return facts;
}

// Step 3 for one comment, as Admit decides it, against the states the
// comments before it left.
absl::StatusOr<domain::AdmissionFindings> Decide(const AdmissionCheck& check,
                                                 bool body_stored,
                                                 KeyStates& states) {
  const absl::Time now =
      (check.clock != nullptr ? *check.clock : SystemClock()).Now();
  struct Checked {
    KeyState* state;
    domain::LimitVerdict verdict;
  };
  std::optional<Checked> network;
  std::optional<Checked> mailbox;
  auto check_key = [&](const LimitKey& key, bool with_bucket) {
    KeyState& state = states[absl::BytesToHexString(key.key)];
    return Checked{
        &state, domain::CheckLimit(check.policy,
                                   domain::Stricter(state.current, state.older),
                                   with_bucket, now)};
  };
  if (check.network.has_value()) {
    network = check_key(*check.network, /*with_bucket=*/true);
    if (!network->verdict.allowed) {
      return NetworkRefusal(check.policy, network->verdict.retry_after);
    }
  }
  if (check.mailbox.has_value()) {
    mailbox = check_key(*check.mailbox, /*with_bucket=*/false);
  }
  domain::AdmissionFindings findings;
  findings.duplicate_body = body_stored;
  findings.mailbox_over_limit =
      mailbox.has_value() && !mailbox->verdict.allowed;
  // A mailbox over its limit keeps its state, as in Admit.
  for (std::optional<Checked>* checked : {&network, &mailbox}) {
    if (!checked->has_value() || !(*checked)->verdict.allowed) continue;
    (*checked)->state->current = (*checked)->verdict.next;
    (*checked)->state->changed = true;
  }
  return findings;
}

// Step 4.
void SaveLimits(pqxx::transaction_base& txn, const KeyStates& states) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [key, state] : states) {
    if (!state.changed) continue;
    rows.push_back(
        {{"key", key},
         {"last_us", absl::ToUnixMicros(*state.current.last_accepted)},
         {"tokens", state.current.tokens}});
  }
  if (rows.empty()) return;
  txn.exec_prepared0(Prepared(txn, sql::kSaveSubmissionLimits), rows.dump());
}

}  // namespace

std::vector<BatchVerdict> AdmitTogether(
    pqxx::transaction_base& txn, const std::vector<const NewComment*>& batch) {
  KeyStates states = LockLimits(txn, batch);
  const std::vector<StoredFacts> stored = ReadStoredFacts(txn, batch);

  std::vector<BatchVerdict> verdicts(batch.size());
  // What the comments admitted before store: their request_ids, and their
  // (thread, body hash).
  std::set<std::string> request_ids;
  std::set<std::pair<std::string, std::string>> bodies;
  for (size_t i = 0; i < batch.size(); ++i) {
    const NewComment& comment = *batch[i];
    BatchVerdict& verdict = verdicts[i];
    // A retry touches no limit: where it is written does not matter.
    if (!comment.request_id.empty() &&
        (stored[i].request_stored || request_ids.count(comment.request_id))) {
      verdict.write_alone = true;
      continue;
    }
    if (comment.admission.has_value()) {
      bool body_seen = stored[i].body_stored;
      for (const std::string& hash : comment.admission->body_hashes) {
        body_seen = body_seen || bodies.count({comment.thread, hash}) > 0;
      }
      verdict.findings = Decide(*comment.admission, body_seen, states);
    }
    if (!verdict.findings.ok()) continue;
    if (!comment.request_id.empty()) request_ids.insert(comment.request_id);
    if (!comment.body_hash.empty()) {
      bodies.insert({comment.thread, comment.body_hash});
    }
  }
  SaveLimits(txn, states);
  return verdicts;
}

}  // namespace comments::storage
