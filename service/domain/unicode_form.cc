#include "service/domain/unicode_form.h"

#include <cstddef>
#include <cstdint>

#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/stringpiece.h"
#include "unicode/utypes.h"

namespace comments::domain {
namespace {

const icu::Normalizer2* Normalizer(UnicodeForm form, UErrorCode& status) {
  switch (form) {
    case UnicodeForm::kNfc:
      return icu::Normalizer2::getNFCInstance(status);
    case UnicodeForm::kNfkcCasefold:
      return icu::Normalizer2::getNFKCCasefoldInstance(status);
  }
  return nullptr;
}

}  // namespace

std::string ToUnicodeForm(std::string_view text, UnicodeForm form) {
  // ICU lengths are int32_t.
  if (text.size() > static_cast<size_t>(INT32_MAX)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = Normalizer(form, status);
  if (normalizer == nullptr || U_FAILURE(status)) return std::string(text);
  std::string result;
  icu::StringByteSink<std::string> sink(&result);
  normalizer->normalizeUTF8(
      0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
      nullptr, status);
  if (U_FAILURE(status)) return std::string(text);
  return result;
}

}  // namespace comments::domain
