#include "service/domain/text_spoof.h"

#include <string>

#include "gtest/gtest.h"

namespace comments::domain {
namespace {

TEST(TextSpoofTest, SingleScriptNamesPass) {
  for (const char* name : {
           "Ada Lovelace", "Jos\u00e9 Mar\u00eda",
           "\u0418\u0432\u0430\u043d",         // Иван, Cyrillic only
           "\u039d\u03af\u03ba\u03bf\u03c2",   // Νίκος, Greek only
           "\u674e\u5c0f\u9f8d",               // 李小龍
           "\u5c71\u7530\u305f\u308d\u3046",   // Han with Hiragana
           "\u0645\u062d\u0645\u062f",         // محمد
           "Ada \U0001F600 (moderator) 2024",  // Common characters
       }) {
    EXPECT_FALSE(LooksLikeMixedScriptSpoof(name)) << name;
  }
}

TEST(TextSpoofTest, LatinWithAnUnconfusableScriptPasses) {
  // Moderately restrictive: Latin plus one script whose letters do not copy
  // Latin ones.
  EXPECT_FALSE(LooksLikeMixedScriptSpoof("Ahmed \u0645\u062d\u0645\u062f"));
  EXPECT_FALSE(LooksLikeMixedScriptSpoof("Li \u674e"));
}

TEST(TextSpoofTest, LatinMixedWithLookAlikeScriptsIsFlagged) {
  for (const char* name : {
           "P\u0430ypal",        // Cyrillic а inside a Latin word
           "\u0391dmin",         // Greek Alpha
           "Ada Lovel\u0430ce",  // one Cyrillic letter
           "\u13aaDA",           // Cherokee
       }) {
    EXPECT_TRUE(LooksLikeMixedScriptSpoof(name)) << name;
  }
}

TEST(TextSpoofTest, MixedDigitSystemsAreFlagged) {
  EXPECT_TRUE(
      LooksLikeMixedScriptSpoof("Ada 1\u0662"));  // 1 and Arabic-Indic 2
  EXPECT_FALSE(LooksLikeMixedScriptSpoof("Ada 12"));
}

TEST(TextSpoofTest, EmptyTextPasses) {
  EXPECT_FALSE(LooksLikeMixedScriptSpoof(""));
}

}  // namespace
}  // namespace comments::domain
