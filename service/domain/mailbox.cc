#include "service/domain/mailbox.h"

#include "absl/strings/ascii.h"

namespace comments::domain {

std::string MailboxAddress(std::string_view email) {
  std::string mailbox(email);
  // The syntax the form accepts is ASCII only, so ASCII lower-casing covers
  // the whole address.
  absl::AsciiStrToLower(&mailbox);
  const size_t at = mailbox.rfind('@');
  if (at == std::string::npos) return mailbox;
  const size_t plus = mailbox.find('+');
  if (plus != std::string::npos && plus > 0 && plus < at) {
    mailbox.erase(plus, at - plus);
  }
  return mailbox;
}

}  // namespace comments::domain
