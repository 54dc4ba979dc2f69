// Page tokens (security/page_token_cipher.h, domain/page_token.h): the
// input is a page_token as a caller would send it, opened under a fixed key
// file of two keys. The seed corpus holds real tokens of kQuery, sealed
// under those keys (tests/fuzz/corpus/page_token), so mutations start from
// the real format.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "service/domain/page_token.h"
#include "service/security/page_token_cipher.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr char kQuery[] = "comments:threads/fuzz";
constexpr char kOtherQuery[] = "comments:threads/other";

// The fixed keys: an older one (0x01...) and the current one (0x02...).
const comments::security::PageTokenCipher& Cipher() {
  static const auto* const cipher = [] {
    std::vector<comments::security::Key> keys = {
        {"old", std::string(comments::security::kKeyBytes, '\x01')},
        {"current", std::string(comments::security::kKeyBytes, '\x02')}};
    absl::StatusOr<comments::security::PageTokenCipher> made =
        comments::security::PageTokenCipher::Create(keys);
    FUZZ_CHECK(made.ok());
    return new comments::security::PageTokenCipher(*std::move(made));
  }();
  return *cipher;
}

// A token the fuzzer cannot have forged: it came from the seed corpus (or
// a mutation that kept it intact), so it must behave like one Seal made.
void CheckOpened(const std::string& token, int64_t position) {
  const auto& cipher = Cipher();
  // Only the exact text Seal writes opens: the canonical base64 of the
  // token's bytes.
  std::string bytes;
  FUZZ_CHECK(absl::WebSafeBase64Unescape(token, &bytes));
  FUZZ_CHECK(absl::WebSafeBase64Escape(bytes) == token);
  // Bound to its query.
  FUZZ_CHECK(!cipher.Open(token, kOtherQuery).has_value());
  // Sealing its position again gives another token for the same position.
  const std::string resealed = cipher.Seal(kQuery, position);
  FUZZ_CHECK(resealed != token);
  FUZZ_CHECK(cipher.Open(resealed, kQuery) == position);
  // And the listing reads it as the position to start after, or refuses it
  // when negative (Seal never makes those for a real listing).
  const comments::domain::PageRequest request{10, token};
  absl::StatusOr<comments::domain::Page> page = comments::domain::ResolvePage(
      request, kQuery, comments::domain::PageLimits(), cipher);
  if (position >= 0) {
    FUZZ_CHECK(page.ok() && page->after == position && page->size == 10);
  } else {
    FUZZ_CHECK(page.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string token(reinterpret_cast<const char*>(data), size);
  const auto& cipher = Cipher();
  const std::optional<int64_t> position = cipher.Open(token, kQuery);
  if (position.has_value()) {
    CheckOpened(token, *position);
  } else {
    // A refused token is one INVALID_ARGUMENT naming page_token.
    const comments::domain::PageRequest request{0, token};
    absl::StatusOr<comments::domain::Page> page = comments::domain::ResolvePage(
        request, kQuery, comments::domain::PageLimits(), cipher);
    FUZZ_CHECK(token.empty() == page.ok());
    if (!page.ok()) {
      FUZZ_CHECK(page.status().code() == absl::StatusCode::kInvalidArgument);
    }
  }
  // Any position the input spells seals and opens again, for this query
  // only, and a token changed in one character no longer opens.
  if (size >= sizeof(int64_t)) {
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof(int64_t); ++i) bits = (bits << 8) | data[i];
    const int64_t chosen = static_cast<int64_t>(bits);
    std::string sealed = cipher.Seal(kQuery, chosen);
    FUZZ_CHECK(cipher.Open(sealed, kQuery) == chosen);
    FUZZ_CHECK(!cipher.Open(sealed, kOtherQuery).has_value());
    const size_t at = data[0] % sealed.size();
    sealed[at] = sealed[at] == 'A' ? 'B' : 'A';
    FUZZ_CHECK(!cipher.Open(sealed, kQuery).has_value());
  }
  return 0;
}
