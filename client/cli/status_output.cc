#include "client/cli/status_output.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/cli/display_text.h"
#include "client/cli/exit_codes.h"
#include "client/lib/error_details.h"

namespace comments::cli {

std::string CodeName(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  // Codes outside the canonical set have no name.
  return name.empty() ? absl::StrCat("CODE_", static_cast<int>(code)) : name;
}

nlohmann::json StatusJson(const absl::Status& status) {
  nlohmann::json out = {
      {"code", CodeName(status.code())},
      {"exit_code", static_cast<int>(ExitCodeFor(status.code()))},
      {"message", std::string(status.message())}};
  const client::ErrorDetails details = client::GetErrorDetails(status);
  if (!details.reason.empty()) out["reason"] = details.reason;
  if (!details.field_violations.empty()) {
    nlohmann::json violations = nlohmann::json::array();
    for (const client::FieldViolation& violation : details.field_violations) {
      violations.push_back(
          {{"field", violation.field}, {"description", violation.description}});
    }
    out["field_violations"] = std::move(violations);
  }
  if (details.retry_delay.has_value()) {
    out["retry_delay_seconds"] = absl::ToDoubleSeconds(*details.retry_delay);
  }
  return out;
}

void PrintError(std::ostream& err, const absl::Status& status, bool json,
                std::string_view subject) {
  if (json) {
    nlohmann::json line = {{"error", StatusJson(status)}};
    if (!subject.empty()) line["subject"] = std::string(subject);
    err << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
        << '\n';
    return;
  }
  // The server's text is shown as data: it may quote what was sent.
  err << "commentctl: error: ";
  if (!subject.empty()) err << Printable(subject) << ": ";
  err << CodeName(status.code()) << ": "
      << Printable(std::string(status.message())) << '\n';
  const client::ErrorDetails details = client::GetErrorDetails(status);
  for (const client::FieldViolation& violation : details.field_violations) {
    err << "  " << Printable(violation.field) << ": "
        << Printable(violation.description) << '\n';
  }
  if (!details.reason.empty()) {
    err << "  reason: " << Printable(details.reason) << '\n';
  }
  if (details.retry_delay.has_value()) {
    // Rounded up to a tenth of a second: enough precision for a person.
    err << "  retry after: "
        << absl::FormatDuration(
               absl::Ceil(*details.retry_delay, absl::Milliseconds(100)))
        << '\n';
  }
  err.flush();
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status out;
  out.set_code(static_cast<int>(status.code()));
  out.set_message(std::string(status.message()));
  status.ForEachPayload(
      [&out](absl::string_view type_url, const absl::Cord& payload) {
        google::protobuf::Any* any = out.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(payload));
      });
  return out;
}

}  // namespace comments::cli
