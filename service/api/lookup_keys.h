// Every keyed hash (security/keyed_hash.h) that the service stores about an
// author and later looks up, in one place, so that what CreateComment writes
// and what duplicates, limits, trusted authors, retries and erasure look for
// cannot drift apart. Writers use the current hash key; lookups use every
// key still in the hash key file, so a key rotation hides no row.
#ifndef COMMENTS_SERVICE_API_LOOKUP_KEYS_H_
#define COMMENTS_SERVICE_API_LOOKUP_KEYS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/domain/flood_control.h"
#include "service/domain/validation.h"
#include "service/security/keyed_hash.h"
#include "service/storage/admission_check.h"
#include "service/storage/moderation_record.h"

namespace comments::api {

// comments.email_hash: the address trimmed and lower-cased
// (domain::NormalizeEmail), as stored, and as looked up.
std::string AuthorHash(const security::KeyedHasher& hasher,
                       std::string_view normalized_email);
std::vector<std::string> AuthorHashes(const security::KeyedHasher& hasher,
                                      std::string_view normalized_email);

// comments.body_hash: the body's duplicate form (domain/text_fold.h).
std::string BodyHash(const security::KeyedHasher& hasher,
                     std::string_view body);
std::vector<std::string> BodyHashes(const security::KeyedHasher& hasher,
                                    std::string_view body);

// The flood-control row of the author's mailbox (domain/mailbox.h).
storage::LimitKey MailboxLimit(const security::KeyedHasher& hasher,
                               std::string_view normalized_email);

// The flood-control row of the client network of `client_ip`
// (domain::NetworkPrefix with the policy's prefix lengths); unset when
// `client_ip` is not an address.
std::optional<storage::LimitKey> NetworkLimit(
    const security::KeyedHasher& hasher, std::string_view client_ip,
    const domain::FloodPolicy& policy);

// comments.request_fingerprint: what makes a retry "the same request". It
// covers the fields the public sees and not the address, so that whoever
// holds a request_id learns nothing about the address from the answer.
struct RequestFingerprint {
  std::string current;
  std::vector<std::string> older;
};
RequestFingerprint Fingerprint(const security::KeyedHasher& hasher,
                               const domain::ValidComment& valid);

// What erasing `email` (trimmed, valid) must find: its comments and its
// flood-control rows, under every hash key.
storage::Erasure AuthorErasure(const security::KeyedHasher& hasher,
                               std::string_view email);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_LOOKUP_KEYS_H_
