// Reading the bearer token out of the authorization metadata.
#include "service/api/moderator_auth.h"

#include "gtest/gtest.h"

namespace comments::api {
namespace {

TEST(BearerTokenTest, TakesTheTokenOfABearerValue) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer abc"), "abc");
  EXPECT_EQ(BearerToken("BEARER   abc  "), "abc");
}

TEST(BearerTokenTest, AnythingElseHasNoToken) {
  EXPECT_EQ(BearerToken(""), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l"), "");
  EXPECT_EQ(BearerToken("Bearerabc"), "");
  EXPECT_EQ(BearerToken("abc"), "");
}

}  // namespace
}  // namespace comments::api
