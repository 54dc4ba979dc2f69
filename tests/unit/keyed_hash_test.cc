#include "service/security/keyed_hash.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/security/key_file.h"

namespace comments::security {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

Key Key1() { return {"h1", std::string(kKeyBytes, '\x07')}; }
Key Key2() { return {"h2", std::string(kKeyBytes, '\x08')}; }

KeyedHasher MakeHasher(const std::vector<Key>& keys) {
  absl::StatusOr<KeyedHasher> hasher = KeyedHasher::Create(keys);
  EXPECT_TRUE(hasher.ok()) << hasher.status();
  return *std::move(hasher);
}

TEST(KeyedHashTest, IsThirtyTwoRawBytes) {
  const KeyedHasher hasher = MakeHasher({Key1()});
  EXPECT_THAT(hasher.Hash("email", {"alice@example.com"}), SizeIs(32));
  EXPECT_THAT(hasher.Hash("email", {}), SizeIs(kKeyedHashBytes));
}

TEST(KeyedHashTest, MatchesBlake2bOfLengthPrefixedFields) {
  // Hashes are stored, so the encoding must never change: keyed BLAKE2b-256
  // over (8-byte little-endian length, bytes) for the purpose and each part.
  // Expected value computed independently with Python's hashlib.blake2b.
  EXPECT_EQ(absl::BytesToHexString(
                MakeHasher({Key1()}).Hash("email", {"alice@example.com"})),
            "8c8d8b7c9840c1a143c3045563fff0ac"
            "52e2dcb1e887034564cd30f3ee182626");
}

TEST(KeyedHashTest, IsDeterministic) {
  const KeyedHasher hasher = MakeHasher({Key1()});
  EXPECT_EQ(hasher.Hash("email", {"alice@example.com"}),
            hasher.Hash("email", {"alice@example.com"}));
  EXPECT_EQ(hasher.Hash("email", {"alice@example.com"}),
            MakeHasher({Key1()}).Hash("email", {"alice@example.com"}));
}

TEST(KeyedHashTest, DiffersByKey) {
  EXPECT_NE(MakeHasher({Key1()}).Hash("email", {"alice@example.com"}),
            MakeHasher({Key2()}).Hash("email", {"alice@example.com"}));
}

TEST(KeyedHashTest, UsesTheLastKey) {
  EXPECT_EQ(MakeHasher({Key1(), Key2()}).Hash("email", {"alice@example.com"}),
            MakeHasher({Key2()}).Hash("email", {"alice@example.com"}));
}

// A rotation appends a key: lookups must still find what the older keys
// hashed, and the current key comes first because it writes.
TEST(KeyedHashTest, HashUnderEveryKeyCoversEveryKeyCurrentFirst) {
  const KeyedHasher rotated = MakeHasher({Key1(), Key2()});
  EXPECT_THAT(
      rotated.HashUnderEveryKey("email", {"alice@example.com"}),
      ElementsAre(rotated.Hash("email", {"alice@example.com"}),
                  MakeHasher({Key1()}).Hash("email", {"alice@example.com"})));
  EXPECT_THAT(MakeHasher({Key1()}).HashUnderEveryKey("email", {"a", "b"}),
              ElementsAre(MakeHasher({Key1()}).Hash("email", {"a", "b"})));
}

TEST(KeyedHashTest, DiffersByPurpose) {
  const KeyedHasher hasher = MakeHasher({Key1()});
  EXPECT_NE(hasher.Hash("email", {"alice@example.com"}),
            hasher.Hash("request", {"alice@example.com"}));
}

TEST(KeyedHashTest, PartBoundariesMatter) {
  const KeyedHasher hasher = MakeHasher({Key1()});
  EXPECT_NE(hasher.Hash("p", {"ab", "c"}), hasher.Hash("p", {"a", "bc"}));
  EXPECT_NE(hasher.Hash("p", {"abc"}), hasher.Hash("p", {"ab", "c"}));
  EXPECT_NE(hasher.Hash("p", {"a"}), hasher.Hash("p", {"a", ""}));
  EXPECT_NE(hasher.Hash("p", {}), hasher.Hash("p", {""}));
  // The purpose is a field like the parts.
  EXPECT_NE(hasher.Hash("ab", {"c"}), hasher.Hash("a", {"bc"}));
  EXPECT_NE(hasher.Hash("email", {"x"}), hasher.Hash("", {"email", "x"}));
}

TEST(KeyedHashTest, CreateRejectsInvalidKeys) {
  EXPECT_EQ(KeyedHasher::Create({}).status(),
            absl::InvalidArgumentError("no keys"));
  absl::Status status =
      KeyedHasher::Create({{"h1", std::string(16, 'S')}}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), Not(HasSubstr("SSSS")));
}

}  // namespace
}  // namespace comments::security
