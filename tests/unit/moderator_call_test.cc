// The one way into a ModerationService handler: authenticated once, the
// handler given the moderator, never run for a refused token.
#include "service/api/moderator_call.h"

#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/api/status_mapping.h"
#include "service/security/moderator_token.h"
#include "tests/support/fake_moderator_repository.h"

namespace comments::api {
namespace {

class ModeratorCallTest : public ::testing::Test {
 protected:
  ModeratorCallTest() : authenticator_(&moderators_) {
    issued_ = security::NewModeratorToken();
    EXPECT_TRUE(moderators_.Add("ada", issued_.hash, deadline_).ok());
  }

  // Runs a handler that records what it was given.
  absl::Status Run(std::string_view authorization) {
    return RunAsModerator(authenticator_, authorization, deadline_,
                          [this](const ModeratorCall& call) {
                            seen_ = call;
                            return absl::OkStatus();
                          });
  }

  static void ExpectRefused(const absl::Status& status) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
    std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->reason(), "INVALID_MODERATOR_TOKEN");
  }

  testing::FakeModeratorRepository moderators_;
  ModeratorAuthenticator authenticator_;
  security::IssuedToken issued_;
  const absl::Time deadline_ = absl::Now() + absl::Seconds(5);
  std::optional<ModeratorCall> seen_;
};

TEST_F(ModeratorCallTest, HandsTheModeratorAndDeadlineToTheHandler) {
  EXPECT_TRUE(Run("Bearer " + issued_.token).ok());
  ASSERT_TRUE(seen_.has_value());
  EXPECT_EQ(seen_->moderator.name, "ada");
  EXPECT_EQ(seen_->deadline, deadline_);
  // The lookup is bounded by the same deadline, and made once.
  EXPECT_EQ(moderators_.lookups(), 1);
  EXPECT_EQ(moderators_.last_deadline(), deadline_);
}

TEST_F(ModeratorCallTest, ReturnsTheHandlersOwnOutcome) {
  const absl::Status status =
      RunAsModerator(authenticator_, "Bearer " + issued_.token, deadline_,
                     [](const ModeratorCall&) {
                       return absl::FailedPreconditionError("already spam");
                     });
  EXPECT_EQ(status, absl::FailedPreconditionError("already spam"));
}

TEST_F(ModeratorCallTest, MissingOrMalformedTokenNeverReachesTheHandler) {
  ExpectRefused(Run(""));
  ExpectRefused(Run("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
  ExpectRefused(Run("Bearer not-a-token"));
  EXPECT_FALSE(seen_.has_value());
  // A token that cannot be one this service issued costs no lookup.
  EXPECT_EQ(moderators_.lookups(), 0);
}

TEST_F(ModeratorCallTest, UnknownTokenNeverReachesTheHandler) {
  ExpectRefused(Run("Bearer " + security::NewModeratorToken().token));
  EXPECT_FALSE(seen_.has_value());
}

TEST_F(ModeratorCallTest, RevokedTokenNeverReachesTheHandler) {
  ASSERT_TRUE(moderators_.Revoke("ada", deadline_).ok());
  ExpectRefused(Run("Bearer " + issued_.token));
  EXPECT_FALSE(seen_.has_value());
}

TEST_F(ModeratorCallTest, LookupFailureIsReturnedAsItIs) {
  moderators_.FailWith(absl::UnavailableError("database down"));
  EXPECT_EQ(Run("Bearer " + issued_.token),
            absl::UnavailableError("database down"));
  EXPECT_FALSE(seen_.has_value());
}

}  // namespace
}  // namespace comments::api
