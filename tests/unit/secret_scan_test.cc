// The scan every test server's log goes through (tests/support): it must
// find each kind of secret, and stay quiet on what the logs legitimately
// hold, or it would prove nothing.
#include "tests/support/secret_scan.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Made up for this test: the shape of a real one.
constexpr char kToken[] = "Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MGE";
constexpr char kKey[] = "q83v/jRWeJq8+vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

TEST(SecretScanTest, FindsAnEmailAddress) {
  EXPECT_THAT(
      FindSecrets(
          {R"({"msg":"call"})",
           R"({"msg":"rejected","who":"ada.lovelace+x@mail.example.org"})"},
          {}),
      ElementsAre(SecretFinding{1, "email address"}));
}

TEST(SecretScanTest, FindsATokenShapedRun) {
  EXPECT_THAT(FindSecrets({std::string("authorization: Bearer ") + kToken}, {}),
              ElementsAre(SecretFinding{0, "moderator token"}));
}

TEST(SecretScanTest, FindsKnownSecretsAnywhereInALine) {
  EXPECT_THAT(FindSecrets({"ok", std::string("key=") + kKey + "tail"}, {kKey}),
              ElementsAre(SecretFinding{1, "known secret"}));
}

TEST(SecretScanTest, QuietOnWhatLogsHold) {
  const std::vector<std::string> lines = {
      R"({"ts":"2026-12-02T06:41:16.123Z","level":"info","msg":"call",)"
      R"("method":"/comments.v1.ModerationService/ApproveComment",)"
      R"("code":"OK","duration_ms":3.2,)"
      R"("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",)"
      R"("request_id":"7c9e6679-7425-40de-944b-e07cc4f1b8a2",)"
      R"("moderator":"alice","address":"127.0.0.1:50051"})",
      // 42 and 44 characters: not the shape of a token.
      "x Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MG y",
      "x Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MGFi y", "user @ host, a@b"};
  EXPECT_THAT(FindSecrets(lines, {"", kKey}), IsEmpty());
}

TEST(SecretScanTest, ReadsKeyMaterialFromTheKeyFilesInTheArguments) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("secret-scan-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream email(dir / "email.key");
    email << "# rotated keys\n\nk1 " << kKey << "\r\n k2  second== \n";
    std::ofstream hash(dir / "hash.key");
    hash << "h1 third=\n";
  }
  EXPECT_THAT(
      KeyMaterialOf({"--listen=127.0.0.1:0",
                     "--email_key_file=" + (dir / "email.key").string(),
                     "--email_hash_key_file=" + (dir / "hash.key").string(),
                     "--rules_file=" + (dir / "email.key").string()}),
      ElementsAre(kKey, "second==", "third="));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace comments::testing
