// What the two sealed formats (stored emails, page tokens) share of
// libsodium's XChaCha20-Poly1305 (IETF): the sizes they lay out, and the
// unsigned byte view its C API takes.
#ifndef COMMENTS_SERVICE_SECURITY_XCHACHA20_POLY1305_H_
#define COMMENTS_SERVICE_SECURITY_XCHACHA20_POLY1305_H_

#include <sodium.h>

#include <cstddef>
#include <string_view>

namespace comments::security {

inline constexpr size_t kNonceBytes =
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
inline constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

inline const unsigned char* SodiumBytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_XCHACHA20_POLY1305_H_
