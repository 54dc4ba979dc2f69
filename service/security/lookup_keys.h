// Every keyed hash (keyed_hash.h) that the service stores about an author
// and later looks up, in one place, so that what CreateComment writes and
// what duplicates, limits, trusted authors, retries and erasure look for
// cannot drift apart. Writers use the current hash key; lookups use every
// key still in the hash key file, so a key rotation hides no row.
//
// The values are the storage interface's (storage/admission_check.h,
// storage/moderation_record.h): these functions are how the service fills
// them, and the only code that chooses a hash purpose.
#ifndef COMMENTS_SERVICE_SECURITY_LOOKUP_KEYS_H_
#define COMMENTS_SERVICE_SECURITY_LOOKUP_KEYS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/domain/flood_control.h"
#include "service/domain/validation.h"
#include "service/security/keyed_hash.h"
#include "service/storage/admission_check.h"
#include "service/storage/moderation_record.h"

namespace comments::security {

// One value hashed under every key of the hash key file.
struct KeyedHashes {
  // Under the current key: what is written.
  std::string current;
  // Under the older keys: only matched, never written.
  std::vector<std::string> older;

  // current first, then older.
  std::vector<std::string> All() const;
};

// What an address is looked up for. Each has its own hash purpose, so that
// the flood-control table cannot be joined to the comments table.
enum class EmailLookup {
  // comments.email_hash: the address as a whole (trusted authors, erasure).
  kAuthor,
  // submission_limits: the author's mailbox (domain/mailbox.h), "+tags"
  // folded, so tags cannot dodge the flood interval.
  kMailboxLimit,
};

// The keyed email hash: `email` (trimmed, valid; as typed or already
// normalised) is normalised (domain::NormalizeEmail) and hashed for
// `lookup` under every key. CreateComment, the flood limits, trusted
// authors and erasure all reach the address through this function alone.
KeyedHashes KeyedEmailHash(const KeyedHasher& hasher, EmailLookup lookup,
                           std::string_view email);

// comments.email_hash as written: KeyedEmailHash(kAuthor).current.
std::string AuthorHash(const KeyedHasher& hasher, std::string_view email);
// ... and as looked up: KeyedEmailHash(kAuthor).All().
std::vector<std::string> AuthorHashes(const KeyedHasher& hasher,
                                      std::string_view email);

// comments.body_hash: the body's duplicate form (domain/text_fold.h).
std::string BodyHash(const KeyedHasher& hasher, std::string_view body);
std::vector<std::string> BodyHashes(const KeyedHasher& hasher,
                                    std::string_view body);

// The flood-control row of the author's mailbox: KeyedEmailHash
// (kMailboxLimit).
storage::LimitKey MailboxLimit(const KeyedHasher& hasher,
                               std::string_view email);

// The flood-control row of the client network of `client_ip`
// (domain::NetworkPrefix with the policy's prefix lengths); unset when
// `client_ip` is not an address.
std::optional<storage::LimitKey> NetworkLimit(
    const KeyedHasher& hasher, std::string_view client_ip,
    const domain::FloodPolicy& policy);

// comments.request_fingerprint: what makes a retry "the same request". It
// covers the fields the public sees and not the address, so that whoever
// holds a request_id learns nothing about the address from the answer.
KeyedHashes Fingerprint(const KeyedHasher& hasher,
                        const domain::ValidComment& valid);

// What erasing `email` (trimmed, valid) must find: its comments and its
// flood-control rows, under every hash key.
storage::Erasure AuthorErasure(const KeyedHasher& hasher,
                               std::string_view email);

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_LOOKUP_KEYS_H_
