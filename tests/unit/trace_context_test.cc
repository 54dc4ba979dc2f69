// The caller's correlation ids reach the logs only once checked: a
// traceparent must be well formed, an x-request-id is bounded and reduced
// to safe characters.
#include "service/api/trace_context.h"

#include <string>

#include "gtest/gtest.h"

namespace comments::api {
namespace {

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";

TEST(TraceparentTest, TakesTheTraceIdOfAWellFormedHeader) {
  EXPECT_EQ(TraceIdFromTraceparent(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            kTraceId);
}

TEST(TraceparentTest, AcceptsMoreFieldsFromALaterVersion) {
  EXPECT_EQ(
      TraceIdFromTraceparent(
          "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"),
      kTraceId);
}

TEST(TraceparentTest, IgnoresMalformedHeaders) {
  for (const std::string header : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
           // Upper case, a non-hex digit, all-zero ids.
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01",
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
           // The forbidden version, and version 00 with trailing data.
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
           // Separators in the wrong place, personal data in the header.
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
           "00-ada@example.org.............000-00f067aa0ba902b7-01",
       }) {
    EXPECT_EQ(TraceIdFromTraceparent(header), std::nullopt) << header;
  }
}

TEST(RequestIdTest, KeepsAPlainId) {
  EXPECT_EQ(LoggableRequestId("req-42_a.b:c/d+e="), "req-42_a.b:c/d+e=");
}

TEST(RequestIdTest, ReplacesEveryOtherCharacter) {
  EXPECT_EQ(LoggableRequestId("a b\"c\n\x01\xc3\xa9"), "a_b_c____");
}

TEST(RequestIdTest, CutsALongIdShort) {
  const std::string id(1000, 'x');
  EXPECT_EQ(LoggableRequestId(id), std::string(kMaxRequestIdLength, 'x'));
}

TEST(RequestIdTest, DropsEmptyIdsAndEmailAddresses) {
  EXPECT_EQ(LoggableRequestId(""), std::nullopt);
  EXPECT_EQ(LoggableRequestId("ada@example.org"), std::nullopt);
}

}  // namespace
}  // namespace comments::api
