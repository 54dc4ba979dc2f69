// One way into ICU's normalisers for the forms the domain compares and
// stores text in, so that each form differs from another by its name alone.
#ifndef COMMENTS_SERVICE_DOMAIN_UNICODE_FORM_H_
#define COMMENTS_SERVICE_DOMAIN_UNICODE_FORM_H_

#include <string>
#include <string_view>

namespace comments::domain {

enum class UnicodeForm {
  kNfc,           // canonical composition: how names are stored
  kNfkcCasefold,  // compatibility, case-folded: how text is compared
};

// `text` in `form`. Requires valid UTF-8. Text longer than ICU can index
// (2 GiB), or that ICU fails on, comes back unchanged: far beyond every
// limit the callers enforce, and never truncated.
std::string ToUnicodeForm(std::string_view text, UnicodeForm form);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_UNICODE_FORM_H_
