#include "service/api/request_decoding.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "service/domain/error.h"

namespace comments::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Deeper than any request of this API; bounds the walk through recursive
// message types.
constexpr int kMaxDepth = 8;

// Depth-first through the message fields of `message`; `visiting` keeps a
// recursive type from being entered again inside itself.
std::optional<std::string> FindPath(const Descriptor* message,
                                    std::string_view full_name, int depth,
                                    std::set<const Descriptor*>* visiting) {
  if (depth > kMaxDepth || !visiting->insert(message).second) {
    return std::nullopt;
  }
  std::optional<std::string> found;
  for (int i = 0; i < message->field_count() && !found.has_value(); ++i) {
    const FieldDescriptor* field = message->field(i);
    if (field->full_name() == full_name) {
      found = field->name();
    } else if (field->message_type() != nullptr) {
      if (std::optional<std::string> inner =
              FindPath(field->message_type(), full_name, depth + 1, visiting)) {
        found = absl::StrCat(field->name(), ".", *inner);
      }
    }
  }
  visiting->erase(message);
  return found;
}

}  // namespace

std::optional<std::string> RequestFieldPath(std::string_view method,
                                            std::string_view full_name) {
  // "/pkg.Service/Method" names the method "pkg.Service.Method".
  if (method.empty() || method[0] != '/') return std::nullopt;
  std::string name(method.substr(1));
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return std::nullopt;
  name[slash] = '.';
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          name);
  if (descriptor == nullptr) return std::nullopt;
  std::set<const Descriptor*> visiting;
  return FindPath(descriptor->input_type(), full_name, 0, &visiting);
}

absl::Status UndecodableRequestError(
    std::string_view method,
    const std::optional<std::string>& invalid_utf8_field) {
  if (!invalid_utf8_field.has_value()) {
    return domain::WithReason(
        absl::InvalidArgumentError("the request message cannot be decoded"),
        domain::ErrorReason::kMalformedRequest);
  }
  constexpr char kDescription[] = "must be valid UTF-8";
  if (std::optional<std::string> path =
          RequestFieldPath(method, *invalid_utf8_field)) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidUtf8,
                                        {{*path, kDescription}});
  }
  return domain::WithReason(
      absl::InvalidArgumentError(
          "a string field of the request is not valid UTF-8"),
      domain::ErrorReason::kInvalidUtf8);
}

}  // namespace comments::api
