// What a server must never tell a client, found in the answer a call got:
// an email address, a run shaped like a moderator token, or a known secret
// (secret_scan.h) in the status message, in the text form of any
// google.rpc detail carried in "grpc-status-details-bin", or in any trailing
// metadata value. A finding names the part of the answer and the kind of
// secret, never the secret itself.
#ifndef COMMENTS_TESTS_SUPPORT_ANSWER_SCAN_H_
#define COMMENTS_TESTS_SUPPORT_ANSWER_SCAN_H_

#include <string>
#include <utility>
#include <vector>

#include "grpcpp/support/status.h"

namespace comments::testing {

struct AnswerFinding {
  // "status message", "detail google.rpc.BadRequest", "trailing metadata
  // x-name".
  std::string part;
  std::string kind;  // as SecretFinding::kind

  bool operator==(const AnswerFinding& other) const {
    return part == other.part && kind == other.kind;
  }
};

// Every part of the answer `status` plus `trailing_metadata` (key, value)
// that holds a secret, once per kind, message first, then details and
// metadata in order. Details of a type this binary does not know are
// scanned as their bytes; so are error details that do not decode.
std::vector<AnswerFinding> FindSecretsInAnswer(
    const grpc::Status& status,
    const std::vector<std::pair<std::string, std::string>>& trailing_metadata,
    const std::vector<std::string>& known_secrets);

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_ANSWER_SCAN_H_
