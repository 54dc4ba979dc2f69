#include "service/api/lookup_keys.h"

#include <optional>
#include <utility>

#include "service/domain/ip_network.h"
#include "service/domain/mailbox.h"
#include "service/domain/text_fold.h"

namespace comments::api {
namespace {

// Keyed-hash purposes. The flood keys differ from the "email" purpose of
// comments.email_hash, so the limits table cannot be joined to comments.
constexpr char kEmailPurpose[] = "email";
constexpr char kBodyPurpose[] = "body";
constexpr char kRequestPurpose[] = "request";
constexpr char kMailboxLimitPurpose[] = "flood-email";
constexpr char kNetworkLimitPurpose[] = "flood-ip";

// Splits HashUnderEveryKey's answer: the current key's hash is written,
// the older ones are only matched.
std::string TakeCurrent(std::vector<std::string>& hashes) {
  std::string current = std::move(hashes.front());
  hashes.erase(hashes.begin());
  return current;
}

storage::LimitKey LimitOf(std::vector<std::string> hashes) {
  storage::LimitKey key;
  key.key = TakeCurrent(hashes);
  key.older_keys = std::move(hashes);
  return key;
}

}  // namespace

std::string AuthorHash(const security::KeyedHasher& hasher,
                       std::string_view normalized_email) {
  return hasher.Hash(kEmailPurpose, {normalized_email});
}

std::vector<std::string> AuthorHashes(const security::KeyedHasher& hasher,
                                      std::string_view normalized_email) {
  return hasher.HashUnderEveryKey(kEmailPurpose, {normalized_email});
}

std::string BodyHash(const security::KeyedHasher& hasher,
                     std::string_view body) {
  return hasher.Hash(kBodyPurpose, {domain::DuplicateForm(body)});
}

std::vector<std::string> BodyHashes(const security::KeyedHasher& hasher,
                                    std::string_view body) {
  return hasher.HashUnderEveryKey(kBodyPurpose, {domain::DuplicateForm(body)});
}

storage::LimitKey MailboxLimit(const security::KeyedHasher& hasher,
                               std::string_view normalized_email) {
  return LimitOf(hasher.HashUnderEveryKey(
      kMailboxLimitPurpose, {domain::MailboxAddress(normalized_email)}));
}

std::optional<storage::LimitKey> NetworkLimit(
    const security::KeyedHasher& hasher, std::string_view client_ip,
    const domain::FloodPolicy& policy) {
  std::optional<std::string> network = domain::NetworkPrefix(
      client_ip, policy.ipv4_prefix_length, policy.ipv6_prefix_length);
  if (!network.has_value()) return std::nullopt;
  return LimitOf(hasher.HashUnderEveryKey(kNetworkLimitPurpose, {*network}));
}

RequestFingerprint Fingerprint(const security::KeyedHasher& hasher,
                               const domain::ValidComment& valid) {
  std::vector<std::string> hashes = hasher.HashUnderEveryKey(
      kRequestPurpose, {valid.thread, valid.author_name, valid.author_url,
                        valid.body, valid.reply_to_id});
  RequestFingerprint fingerprint;
  fingerprint.current = TakeCurrent(hashes);
  fingerprint.older = std::move(hashes);
  return fingerprint;
}

storage::Erasure AuthorErasure(const security::KeyedHasher& hasher,
                               std::string_view email) {
  const std::string normalized = domain::NormalizeEmail(email);
  storage::Erasure erasure;
  erasure.email_hashes = AuthorHashes(hasher, normalized);
  storage::LimitKey mailbox = MailboxLimit(hasher, normalized);
  erasure.limit_keys = std::move(mailbox.older_keys);
  erasure.limit_keys.push_back(std::move(mailbox.key));
  return erasure;
}

}  // namespace comments::api
