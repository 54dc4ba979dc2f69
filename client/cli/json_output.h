// Protobuf messages as JSON for --json output: the proto3 JSON mapping with
// the .proto field names (author_email, not authorEmail) and every field
// present, so scripts can rely on the keys. As the mapping says, enums are
// names ("PENDING"), timestamps RFC 3339, and 64-bit integers strings.
#ifndef COMMENTS_CLIENT_CLI_JSON_OUTPUT_H_
#define COMMENTS_CLIENT_CLI_JSON_OUTPUT_H_

#include "google/protobuf/message.h"
#include "nlohmann/json.hpp"

namespace comments::cli {

nlohmann::json ToJson(const google::protobuf::Message& message);

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_JSON_OUTPUT_H_
