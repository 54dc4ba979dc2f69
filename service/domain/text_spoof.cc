#include "service/domain/text_spoof.h"

#include <climits>
#include <cstdint>

#include "unicode/uspoof.h"
#include "unicode/utypes.h"

namespace comments::domain {
namespace {

constexpr int32_t kChecks =
    USPOOF_RESTRICTION_LEVEL | USPOOF_MIXED_NUMBERS | USPOOF_HIDDEN_OVERLAY;

// Built once and never changed afterwards: ICU documents checks on an
// unchanging checker as safe from any number of threads. Null when ICU
// cannot build one, and then nothing is flagged: the flag only helps
// moderators, it never refuses a comment.
const USpoofChecker* Checker() {
  static const USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* made = uspoof_open(&status);
    uspoof_setChecks(made, kChecks, &status);
    uspoof_setRestrictionLevel(made, USPOOF_MODERATELY_RESTRICTIVE);
    if (U_FAILURE(status)) {
      uspoof_close(made);
      return static_cast<USpoofChecker*>(nullptr);
    }
    return made;
  }();
  return checker;
}

}  // namespace

bool LooksLikeMixedScriptSpoof(std::string_view text) {
  const USpoofChecker* checker = Checker();
  if (checker == nullptr || text.size() > static_cast<size_t>(INT32_MAX)) {
    return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  const int32_t failed =
      uspoof_check2UTF8(checker, text.data(), static_cast<int32_t>(text.size()),
                        /*checkResult=*/nullptr, &status);
  return U_SUCCESS(status) && (failed & kChecks) != 0;
}

}  // namespace comments::domain
