#include "tests/support/answer_scan.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tests/support/secret_scan.h"

namespace comments::testing {
namespace {

// Naming every detail type of proto/google/rpc/error_details.proto keeps its
// generated code, and so its descriptor, in a binary that uses none itself.
void LinkDetailTypes() {
  static const google::protobuf::Descriptor* const kLinked[] = {
      google::rpc::ErrorInfo::descriptor(),
      google::rpc::RetryInfo::descriptor(),
      google::rpc::QuotaFailure::descriptor(),
      google::rpc::BadRequest::descriptor(),
  };
  (void)kLinked;
}

// The detail as a person would read it decoded; its bytes when its type is
// not linked into this binary or the bytes do not decode as it.
std::string DetailText(const google::protobuf::Any& detail,
                       std::string* type_name) {
  LinkDetailTypes();
  const absl::string_view url = detail.type_url();
  const size_t slash = url.rfind('/');
  *type_name = std::string(
      slash == absl::string_view::npos ? url : url.substr(slash + 1));
  const google::protobuf::Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          *type_name);
  if (descriptor == nullptr) return detail.value();
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(descriptor)
          ->New());
  std::string text;
  if (!message->ParseFromString(detail.value()) ||
      !google::protobuf::TextFormat::PrintToString(*message, &text)) {
    return detail.value();
  }
  return text;
}

}  // namespace

std::vector<AnswerFinding> FindSecretsInAnswer(
    const grpc::Status& status,
    const std::vector<std::pair<std::string, std::string>>& trailing_metadata,
    const std::vector<std::string>& known_secrets) {
  std::vector<std::string> parts;
  std::vector<std::string> texts;
  parts.push_back("status message");
  texts.push_back(status.error_message());
  if (!status.error_details().empty()) {
    google::rpc::Status details;
    if (details.ParseFromString(status.error_details())) {
      // The message repeated inside the details counts as a detail too.
      parts.push_back("details' status message");
      texts.push_back(details.message());
      for (const google::protobuf::Any& detail : details.details()) {
        std::string type_name;
        texts.push_back(DetailText(detail, &type_name));
        parts.push_back(absl::StrCat("detail ", type_name));
      }
    } else {
      parts.push_back("undecodable error details");
      texts.push_back(status.error_details());
    }
  }
  for (const auto& [key, value] : trailing_metadata) {
    // Scanned above, decoded.
    if (key == "grpc-status-details-bin") continue;
    parts.push_back(absl::StrCat("trailing metadata ", key));
    texts.push_back(value);
  }
  std::vector<AnswerFinding> findings;
  for (const SecretFinding& finding : FindSecrets(texts, known_secrets)) {
    findings.push_back({parts[finding.line], finding.kind});
  }
  return findings;
}

}  // namespace comments::testing
