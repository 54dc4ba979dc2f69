// The moderation rules: the transition table, etags, names and reasons.
#include "service/domain/moderation.h"

#include <string>
#include <tuple>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/api/status_mapping.h"

namespace comments::domain {
namespace {

using api::GetBadRequest;
using api::GetErrorInfo;

using ::testing::HasSubstr;

constexpr CommentState kStates[] = {
    CommentState::kPending, CommentState::kApproved, CommentState::kRejected,
    CommentState::kSpam};

// The table from moderation.h, spelled out once more: every (state, action)
// pair and whether it is legal.
bool Legal(CommentState from, ModerationAction action) {
  using S = CommentState;
  using A = ModerationAction;
  switch (action) {
    case A::kApprove:
      return from == S::kPending || from == S::kRejected || from == S::kSpam;
    case A::kReject:
      return from == S::kPending || from == S::kApproved;
    case A::kMarkSpam:
      return from == S::kPending || from == S::kApproved ||
             from == S::kRejected;
    case A::kErase:
      return false;
  }
  return false;
}

TEST(ModerationTest, TransitionTableIsExactlyTheDocumentedOne) {
  for (ModerationAction action :
       {ModerationAction::kApprove, ModerationAction::kReject,
        ModerationAction::kMarkSpam}) {
    for (CommentState from : kStates) {
      const absl::Status status = CheckTransition(from, action);
      SCOPED_TRACE(std::string(ActionName(action)) + " from " +
                   std::string(StateName(from)));
      if (Legal(from, action)) {
        EXPECT_TRUE(status.ok()) << status;
      } else {
        EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
        // The message names the state the comment is in.
        EXPECT_THAT(std::string(status.message()),
                    HasSubstr(std::string(StateName(from))));
        ASSERT_TRUE(GetErrorInfo(status).has_value());
        EXPECT_EQ(GetErrorInfo(status)->reason(), "INVALID_TRANSITION");
      }
    }
  }
}

TEST(ModerationTest, SameStateIsAlreadyThere) {
  const absl::Status status =
      CheckTransition(CommentState::kApproved, ModerationAction::kApprove);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "comment is already APPROVED");
  EXPECT_EQ(
      CheckTransition(CommentState::kSpam, ModerationAction::kReject).message(),
      "cannot REJECT a comment that is SPAM");
}

TEST(ModerationTest, TargetStates) {
  EXPECT_EQ(TargetState(ModerationAction::kApprove), CommentState::kApproved);
  EXPECT_EQ(TargetState(ModerationAction::kReject), CommentState::kRejected);
  EXPECT_EQ(TargetState(ModerationAction::kMarkSpam), CommentState::kSpam);
  EXPECT_EQ(TargetState(ModerationAction::kErase), std::nullopt);
}

TEST(ModerationTest, ActionNamesRoundTrip) {
  for (ModerationAction action :
       {ModerationAction::kApprove, ModerationAction::kReject,
        ModerationAction::kMarkSpam, ModerationAction::kErase}) {
    EXPECT_EQ(ParseActionName(ActionName(action)), action);
  }
  EXPECT_EQ(ParseActionName("approve"), std::nullopt);
  EXPECT_EQ(ParseActionName(""), std::nullopt);
}

TEST(ModerationTest, EtagsRoundTripAndRejectForgeries) {
  auto parsed = ParseEtag(FormatEtag(42), "etag");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, 42);
  auto empty = ParseEtag("", "etag");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, std::nullopt);
  for (const char* bad :
       {"abc", "-1", "0", " 1", "1 ", "+1", "99999999999999999999", "1.0"}) {
    auto result = ParseEtag(bad, "etag");
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    auto bad_request = GetBadRequest(result.status());
    ASSERT_TRUE(bad_request.has_value());
    ASSERT_EQ(bad_request->field_violations_size(), 1);
    EXPECT_EQ(bad_request->field_violations(0).field(), "etag");
  }
}

TEST(ModerationTest, StaleEtagIsAbortedBeforeTheTransitionIsJudged) {
  EXPECT_TRUE(CheckModeration(CommentState::kPending, 3,
                              ModerationAction::kApprove, std::nullopt)
                  .ok());
  EXPECT_TRUE(
      CheckModeration(CommentState::kPending, 3, ModerationAction::kApprove, 3)
          .ok());
  const absl::Status stale =
      CheckModeration(CommentState::kPending, 4, ModerationAction::kApprove, 3);
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(GetErrorInfo(stale)->reason(), "STALE_ETAG");
  // A racing moderator who lost to the same decision learns that the view
  // is stale, not that the comment is already approved.
  EXPECT_EQ(
      CheckModeration(CommentState::kApproved, 4, ModerationAction::kApprove, 3)
          .code(),
      absl::StatusCode::kAborted);
  EXPECT_EQ(CheckModeration(CommentState::kApproved, 4,
                            ModerationAction::kApprove, std::nullopt)
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ModerationTest, ModeratorNames) {
  for (const std::string& good :
       {std::string("ann"), std::string("Ann.Lee"), std::string("ann_lee-2"),
        std::string("ann@example.org"), std::string(64, 'a')}) {
    EXPECT_TRUE(IsValidModeratorName(good)) << good;
  }
  for (const std::string& bad :
       {std::string(""), std::string(65, 'a'), std::string("auto"),
        std::string("ann lee"), std::string("ann\n"), std::string("änn"),
        std::string("ann/lee"), std::string("ann\0x", 5)}) {
    EXPECT_FALSE(IsValidModeratorName(bad)) << bad;
  }
}

TEST(ModerationTest, Reasons) {
  EXPECT_EQ(ReasonProblem(""), std::nullopt);
  EXPECT_EQ(ReasonProblem("Off topic.\nSee the rules:\thttps://x"),
            std::nullopt);
  EXPECT_EQ(ReasonProblem(std::string(1000, 'x')), std::nullopt);
  // Characters, not bytes: 1000 two-byte characters are fine.
  std::string umlauts;
  for (int i = 0; i < 1000; ++i) umlauts += "\xc3\xa4";
  EXPECT_EQ(ReasonProblem(umlauts), std::nullopt);
  EXPECT_THAT(ReasonProblem(std::string(1001, 'x')).value_or(""),
              HasSubstr("at most 1000"));
  EXPECT_THAT(ReasonProblem(std::string("a\0b", 3)).value_or(""),
              HasSubstr("control"));
  EXPECT_THAT(ReasonProblem("\xff").value_or(""), HasSubstr("UTF-8"));
}

}  // namespace
}  // namespace comments::domain
