// The mailbox an email address delivers to, as flood control sees it.
#ifndef COMMENTS_SERVICE_DOMAIN_MAILBOX_H_
#define COMMENTS_SERVICE_DOMAIN_MAILBOX_H_

#include <string>
#include <string_view>

namespace comments::domain {

// `email` (trimmed, valid) with the whole address lower-cased and a "+tag"
// removed from the local part: "Ada+News@Example.ORG" -> "ada@example.org".
// Most mail providers deliver every tag of a local part, and every case of
// it, to one mailbox, so a limit keyed on the address as typed would give a
// sender a fresh limit per variant for free. Dots are kept: only some
// providers ignore them. A local part that starts with "+" is kept whole,
// so that the result is still an address.
std::string MailboxAddress(std::string_view email);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_MAILBOX_H_
