// The keyed email hash: one function, used by every lookup of an address.
#include "service/security/lookup_keys.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::security {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// "h1" an older key still loaded, "h2" the current one.
KeyedHasher RotatedHasher() {
  return *KeyedHasher::Create({{"h1", std::string(kKeyBytes, '1')},
                               {"h2", std::string(kKeyBytes, '2')}});
}

TEST(LookupKeysTest, EmailHashIsOfTheNormalisedAddressUnderEveryKey) {
  const KeyedHasher hasher = RotatedHasher();
  const KeyedHashes typed =
      KeyedEmailHash(hasher, EmailLookup::kAuthor, "Ada@Example.ORG");
  const KeyedHashes normalised =
      KeyedEmailHash(hasher, EmailLookup::kAuthor, "ada@example.org");
  EXPECT_EQ(typed.current, normalised.current);
  EXPECT_EQ(typed.older, normalised.older);
  ASSERT_EQ(typed.older.size(), 1u);
  EXPECT_NE(typed.current, typed.older[0]);
  EXPECT_THAT(typed.All(), ElementsAre(typed.current, typed.older[0]));
  EXPECT_EQ(AuthorHash(hasher, "Ada@Example.ORG"), typed.current);
  EXPECT_EQ(AuthorHashes(hasher, "Ada@Example.ORG"), typed.All());
}

TEST(LookupKeysTest, MailboxLimitFoldsTagsAndCannotBeJoinedToComments) {
  const KeyedHasher hasher = RotatedHasher();
  const storage::LimitKey tagged = MailboxLimit(hasher, "Ada+News@example.org");
  const storage::LimitKey plain = MailboxLimit(hasher, "ada@example.org");
  EXPECT_EQ(tagged.key, plain.key);
  EXPECT_EQ(tagged.older_keys, plain.older_keys);
  // Its own purpose: no limit row has the hash a comment row stores.
  EXPECT_NE(plain.key, AuthorHash(hasher, "ada@example.org"));
  // The author hash keeps the tag: a tag is part of the address.
  EXPECT_NE(AuthorHash(hasher, "ada+news@example.org"),
            AuthorHash(hasher, "ada@example.org"));
}

TEST(LookupKeysTest, ErasureFindsTheAddressAndItsMailboxUnderEveryKey) {
  const KeyedHasher hasher = RotatedHasher();
  const storage::Erasure erasure = AuthorErasure(hasher, "ADA@example.org");
  EXPECT_EQ(erasure.email_hashes, AuthorHashes(hasher, "ada@example.org"));
  const KeyedHashes mailbox =
      KeyedEmailHash(hasher, EmailLookup::kMailboxLimit, "ada@example.org");
  EXPECT_THAT(erasure.limit_keys,
              UnorderedElementsAre(mailbox.current, mailbox.older[0]));
}

}  // namespace
}  // namespace comments::security
