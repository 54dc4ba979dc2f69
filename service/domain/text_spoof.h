// Names built to pass for another (ICU's spoof checker, UTS #39): what makes
// "Pаypal" with a Cyrillic "а" stand out from "Paypal".
#ifndef COMMENTS_SERVICE_DOMAIN_TEXT_SPOOF_H_
#define COMMENTS_SERVICE_DOMAIN_TEXT_SPOOF_H_

#include <string_view>

namespace comments::domain {

// True when `text` mixes scripts the way look-alikes do, by UTS #39's
// "moderately restrictive" level: Latin may join one other script, but not
// Cyrillic, Greek or Cherokee, whose letters copy Latin ones (Chinese,
// Japanese and Korean combinations pass); or mixes digits of different
// numbering systems; or hides a dot over a dotted letter ("i" + U+0307).
// Single-script text, in any script, passes. Requires valid UTF-8.
bool LooksLikeMixedScriptSpoof(std::string_view text);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_TEXT_SPOOF_H_
