#include "service/security/key_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::security {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// Bytes 0..31 and 100..131, and the same pattern one byte short and long.
constexpr char kKeyA[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr char kKeyB[] = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
constexpr char kKey31[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==";
constexpr char kKey33[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g";

std::string Range(int first, int count) {
  std::string bytes;
  for (int i = 0; i < count; ++i) bytes.push_back(static_cast<char>(first + i));
  return bytes;
}

// The status message of a rejected file, checked to not leak the key text:
// neither the whole base64 nor a long piece of it.
std::string RejectedMessage(std::string_view contents,
                            std::string_view key_text) {
  absl::StatusOr<std::vector<Key>> keys = ParseKeyFile(contents);
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument);
  std::string message(keys.status().message());
  if (key_text.size() >= 8) {
    EXPECT_THAT(message, Not(HasSubstr(key_text.substr(0, 8))));
    EXPECT_THAT(message, Not(HasSubstr(key_text.substr(key_text.size() - 8))));
  }
  return message;
}

TEST(KeyFileTest, ParsesKeysInOrderSkippingCommentsAndBlankLines) {
  const std::string contents = absl::StrCat(  //
      "# Keys for the comments service.\n",   //
      "\n",                                   //
      "k1 ", kKeyA, "\n",                     //
      "   # indented comment\n",              //
      "  \t \n",                              //
      "  key2026\t  ", kKeyB, "  \r\n");
  absl::StatusOr<std::vector<Key>> keys = ParseKeyFile(contents);
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_THAT(*keys, SizeIs(2));
  EXPECT_EQ((*keys)[0].id, "k1");
  EXPECT_EQ((*keys)[0].bytes, Range(0, 32));
  EXPECT_EQ((*keys)[1].id, "key2026");
  EXPECT_EQ((*keys)[1].bytes, Range(100, 32));
}

TEST(KeyFileTest, AcceptsLastLineWithoutNewlineAndLongestId) {
  absl::StatusOr<std::vector<Key>> keys =
      ParseKeyFile(absl::StrCat("abcdefghij012345 ", kKeyA));
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_THAT(*keys, SizeIs(1));
  EXPECT_EQ((*keys)[0].id, "abcdefghij012345");
}

TEST(KeyFileTest, RejectsBadBase64) {
  const std::string bad = "AAECAwQFBgcICQoLDA0ODxAR!hMUFRYXGBkaGxwdHh8=";
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", bad, "\n"), bad),
            "line 1: key must be 32 bytes of base64");
}

TEST(KeyFileTest, RejectsUrlSafeAlphabetAndMissingPadding) {
  const std::string url_safe = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM=";
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", url_safe), url_safe),
            "line 1: key must be 32 bytes of base64");
  const std::string unpadded = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", unpadded), unpadded),
            "line 1: key must be 32 bytes of base64");
}

TEST(KeyFileTest, RejectsKeysOfWrongLength) {
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", kKeyA, "\nk2 ", kKey31, "\n"),
                            kKey31),
            "line 2: key must be 32 bytes of base64");
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", kKeyA, "\nk2 ", kKey33, "\n"),
                            kKey33),
            "line 2: key must be 32 bytes of base64");
}

TEST(KeyFileTest, RejectsBadKeyIds) {
  for (const char* id : {"K1", "k-1", "k_1", "k1:", "abcdefghij0123456"}) {
    EXPECT_EQ(RejectedMessage(absl::StrCat("# c\n", id, " ", kKeyA), kKeyA),
              "line 2: key id must be 1-16 characters of [a-z0-9]")
        << id;
  }
}

TEST(KeyFileTest, RejectsLinesWithoutExactlyTwoFields) {
  // A key pasted without its id must not be echoed back.
  EXPECT_EQ(RejectedMessage(kKeyA, kKeyA),
            "line 1: expected \"<key-id> <base64 key>\"");
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", kKeyA, " extra"), kKeyA),
            "line 1: expected \"<key-id> <base64 key>\"");
  EXPECT_EQ(RejectedMessage(absl::StrCat("k1 ", kKeyA, "\nk2\n"), kKeyA),
            "line 2: expected \"<key-id> <base64 key>\"");
}

TEST(KeyFileTest, RejectsDuplicateKeyId) {
  EXPECT_EQ(
      RejectedMessage(
          absl::StrCat("k1 ", kKeyA, "\nk2 ", kKeyB, "\nk1 ", kKeyB), kKeyB),
      "line 3: duplicate key id \"k1\"");
}

TEST(KeyFileTest, RejectsFileWithoutKeys) {
  EXPECT_EQ(RejectedMessage("", ""), "no keys");
  EXPECT_EQ(RejectedMessage("\n# only a comment\n\n", ""), "no keys");
}

TEST(KeyFileTest, ValidateKeysAcceptsParsedKeys) {
  absl::StatusOr<std::vector<Key>> keys =
      ParseKeyFile(absl::StrCat("k1 ", kKeyA, "\nk2 ", kKeyB));
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE(ValidateKeys(*keys).ok());
}

TEST(KeyFileTest, ValidateKeysRejectsWhatAFileCouldNotHold) {
  const std::string good(kKeyBytes, 'x');
  EXPECT_EQ(ValidateKeys({}), absl::InvalidArgumentError("no keys"));
  EXPECT_EQ(ValidateKeys({{"k1", good}, {"", good}}),
            absl::InvalidArgumentError(
                "key 2: key id must be 1-16 characters of [a-z0-9]"));
  EXPECT_EQ(ValidateKeys({{"k1", good}, {"k1", good}}),
            absl::InvalidArgumentError("key 2: duplicate key id \"k1\""));
  EXPECT_EQ(ValidateKeys({{"k1", std::string(kKeyBytes - 1, 'x')}}),
            absl::InvalidArgumentError("key 1: key must be 32 bytes"));
}

TEST(KeyFileTest, NewKeyFileLineParsesBackToAFreshKey) {
  const std::string line = NewKeyFileLine("k7");
  // "k7 " + 44 characters of padded base64 + newline.
  ASSERT_THAT(line, SizeIs(3 + 44 + 1));
  EXPECT_EQ(line.substr(0, 3), "k7 ");
  EXPECT_EQ(line.back(), '\n');

  absl::StatusOr<std::vector<Key>> keys = ParseKeyFile(line);
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_THAT(*keys, SizeIs(1));
  EXPECT_EQ((*keys)[0].id, "k7");
  EXPECT_THAT((*keys)[0].bytes, SizeIs(kKeyBytes));

  const std::string other = NewKeyFileLine("k7");
  EXPECT_NE(line, other);
  // Appending a line is how keys are rotated.
  absl::StatusOr<std::vector<Key>> rotated =
      ParseKeyFile(absl::StrCat(line, NewKeyFileLine("k8")));
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ(rotated->back().id, "k8");
}

class KeyFileOnDiskTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& path : paths_) std::remove(path.c_str());
  }

  std::string PathFor(const std::string& name) {
    std::string path = absl::StrCat(
        ::testing::TempDir(), "key_file_test_", getpid(), "_",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
        name);
    paths_.push_back(path);
    return path;
  }

  std::string WriteFile(const std::string& name, std::string_view contents) {
    std::string path = PathFor(name);
    std::ofstream out(path, std::ios::binary);
    out << contents;
    EXPECT_TRUE(out.good());
    return path;
  }

 private:
  std::vector<std::string> paths_;
};

TEST_F(KeyFileOnDiskTest, ReadsValidFile) {
  const std::string path =
      WriteFile("keys", absl::StrCat("# rotated\nk1 ", kKeyA, "\nk2 ", kKeyB));
  absl::StatusOr<std::vector<Key>> keys = ReadKeyFile(path);
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_THAT(*keys, SizeIs(2));
  EXPECT_EQ((*keys)[1].id, "k2");
  EXPECT_EQ((*keys)[1].bytes, Range(100, 32));
}

TEST_F(KeyFileOnDiskTest, MissingFileIsNotFoundNamingThePath) {
  const std::string path = PathFor("missing");
  absl::StatusOr<std::vector<Key>> keys = ReadKeyFile(path);
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(keys.status().message(), HasSubstr(path));
}

TEST_F(KeyFileOnDiskTest, EmptyFileNamesThePathAndTheProblem) {
  const std::string path = WriteFile("empty", "");
  absl::StatusOr<std::vector<Key>> keys = ReadKeyFile(path);
  EXPECT_EQ(keys.status(), absl::InvalidArgumentError(
                               absl::StrCat("key file ", path, ": no keys")));
}

TEST_F(KeyFileOnDiskTest, MalformedFileNamesPathAndLineButNotTheKey) {
  const std::string path =
      WriteFile("malformed", absl::StrCat("k1 ", kKeyA, "\nk2 ", kKey33, "\n"));
  absl::StatusOr<std::vector<Key>> keys = ReadKeyFile(path);
  EXPECT_EQ(keys.status(), absl::InvalidArgumentError(absl::StrCat(
                               "key file ", path,
                               ": line 2: key must be 32 bytes of base64")));
  EXPECT_THAT(keys.status().message(),
              AllOf(Not(HasSubstr("AAECAwQF")), Not(HasSubstr("Hh8g"))));
}

TEST_F(KeyFileOnDiskTest, DirectoryIsAnErrorNamingThePath) {
  const std::string path = ::testing::TempDir();
  absl::StatusOr<std::vector<Key>> keys = ReadKeyFile(path);
  EXPECT_EQ(keys.status().code(), absl::ErrnoToStatusCode(EISDIR));
  EXPECT_THAT(keys.status().message(), HasSubstr(path));
}

TEST_F(KeyFileOnDiskTest, DirectoryInsteadOfFileIsAnErrorNamingThePath) {
  const std::string path = WriteFile("as-dir-parent", "");
  std::filesystem::remove(path);
  std::filesystem::create_directory(path);
  absl::StatusOr<std::vector<Key>> keys = ReadKeyFile(path);
  EXPECT_FALSE(keys.ok());
  EXPECT_THAT(keys.status().message(), HasSubstr(path));
}

}  // namespace
}  // namespace comments::security
