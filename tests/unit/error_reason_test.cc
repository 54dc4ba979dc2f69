// The C++ reasons generated at build time are the contract's enum
// comments.v1.ErrorReason, value for value and name for name.
#include "service/domain/error_reason.h"

#include <set>
#include <string>

#include "comments/v1/error_reason.pb.h"
#include "gtest/gtest.h"

namespace comments::domain {
namespace {

TEST(ErrorReasonTest, GeneratedNamesAreTheDescriptorsNames) {
  const google::protobuf::EnumDescriptor* descriptor =
      v1::ErrorReason_descriptor();
  ASSERT_EQ(std::size(kAllErrorReasons),
            static_cast<size_t>(descriptor->value_count()));
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    EXPECT_EQ(static_cast<int>(kAllErrorReasons[i]), value->number());
    EXPECT_EQ(ErrorReasonName(static_cast<ErrorReason>(value->number())),
              value->name());
  }
}

TEST(ErrorReasonTest, EveryGeneratedValueIsDeclaredOnce) {
  std::set<std::string> names;
  for (ErrorReason reason : kAllErrorReasons) {
    const std::string name(ErrorReasonName(reason));
    EXPECT_TRUE(v1::ErrorReason_IsValid(static_cast<int>(reason))) << name;
    EXPECT_EQ(v1::ErrorReason_Name(static_cast<v1::ErrorReason>(reason)), name);
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(ErrorReasonName(ErrorReason::kUnspecified),
            "ERROR_REASON_UNSPECIFIED");
  EXPECT_EQ(ErrorReasonName(static_cast<ErrorReason>(9999)), "");
}

}  // namespace
}  // namespace comments::domain
