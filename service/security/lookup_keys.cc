#include "service/security/lookup_keys.h"

#include <optional>
#include <utility>

#include "service/domain/ip_network.h"
#include "service/domain/mailbox.h"
#include "service/domain/text_fold.h"

namespace comments::security {
namespace {

// Keyed-hash purposes. The flood keys differ from the "email" purpose of
// comments.email_hash, so the limits table cannot be joined to comments.
constexpr char kEmailPurpose[] = "email";
constexpr char kBodyPurpose[] = "body";
constexpr char kRequestPurpose[] = "request";
constexpr char kMailboxLimitPurpose[] = "flood-email";
constexpr char kNetworkLimitPurpose[] = "flood-ip";

// Splits HashUnderEveryKey's answer, whose first hash is the current key's.
KeyedHashes Split(std::vector<std::string> hashes) {
  KeyedHashes split;
  split.current = std::move(hashes.front());
  hashes.erase(hashes.begin());
  split.older = std::move(hashes);
  return split;
}

storage::LimitKey LimitOf(KeyedHashes hashes) {
  storage::LimitKey key;
  key.key = std::move(hashes.current);
  key.older_keys = std::move(hashes.older);
  return key;
}

}  // namespace

std::vector<std::string> KeyedHashes::All() const {
  std::vector<std::string> all;
  all.reserve(older.size() + 1);
  all.push_back(current);
  all.insert(all.end(), older.begin(), older.end());
  return all;
}

KeyedHashes KeyedEmailHash(const KeyedHasher& hasher, EmailLookup lookup,
                           std::string_view email) {
  const std::string normalized = domain::NormalizeEmail(email);
  switch (lookup) {
    case EmailLookup::kAuthor:
      return Split(hasher.HashUnderEveryKey(kEmailPurpose, {normalized}));
    case EmailLookup::kMailboxLimit:
      return Split(hasher.HashUnderEveryKey(
          kMailboxLimitPurpose, {domain::MailboxAddress(normalized)}));
  }
  return {};
}

std::string AuthorHash(const KeyedHasher& hasher, std::string_view email) {
  return KeyedEmailHash(hasher, EmailLookup::kAuthor, email).current;
}

std::vector<std::string> AuthorHashes(const KeyedHasher& hasher,
                                      std::string_view email) {
  return KeyedEmailHash(hasher, EmailLookup::kAuthor, email).All();
}

std::string BodyHash(const KeyedHasher& hasher, std::string_view body) {
  return hasher.Hash(kBodyPurpose, {domain::DuplicateForm(body)});
}

std::vector<std::string> BodyHashes(const KeyedHasher& hasher,
                                    std::string_view body) {
  return hasher.HashUnderEveryKey(kBodyPurpose, {domain::DuplicateForm(body)});
}

storage::LimitKey MailboxLimit(const KeyedHasher& hasher,
                               std::string_view email) {
  return LimitOf(KeyedEmailHash(hasher, EmailLookup::kMailboxLimit, email));
}

std::optional<storage::LimitKey> NetworkLimit(
    const KeyedHasher& hasher, std::string_view client_ip,
    const domain::FloodPolicy& policy) {
  std::optional<std::string> network = domain::NetworkPrefix(
      client_ip, policy.ipv4_prefix_length, policy.ipv6_prefix_length);
  if (!network.has_value()) return std::nullopt;
  return LimitOf(
      Split(hasher.HashUnderEveryKey(kNetworkLimitPurpose, {*network})));
}

KeyedHashes Fingerprint(const KeyedHasher& hasher,
                        const domain::ValidComment& valid) {
  return Split(hasher.HashUnderEveryKey(
      kRequestPurpose, {valid.thread, valid.author_name, valid.author_url,
                        valid.body, valid.reply_to_id}));
}

storage::Erasure AuthorErasure(const KeyedHasher& hasher,
                               std::string_view email) {
  storage::Erasure erasure;
  erasure.email_hashes = AuthorHashes(hasher, email);
  storage::LimitKey mailbox = MailboxLimit(hasher, email);
  erasure.limit_keys = std::move(mailbox.older_keys);
  erasure.limit_keys.push_back(std::move(mailbox.key));
  return erasure;
}

}  // namespace comments::security
