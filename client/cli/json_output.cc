#include "client/cli/json_output.h"

#include <string>

#include "google/protobuf/util/json_util.h"

namespace comments::cli {

nlohmann::json ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string text;
  // Printing fails only for an Any of a type this binary does not link; an
  // empty object then stands in for the message.
  if (!google::protobuf::util::MessageToJsonString(message, &text, options)
           .ok()) {
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace comments::cli
