// The text a caller reads for an error. The layers below the API word their
// own errors, except storage, which reports some refusals by their facts
// alone (domain/error.h): those are worded here, in one place.
#ifndef COMMENTS_SERVICE_API_ERROR_TEXT_H_
#define COMMENTS_SERVICE_API_ERROR_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "service/domain/error.h"

namespace comments::api {

// `status`'s message; when it has none, the wording of its facts.
std::string CallerMessage(const absl::Status& status);

// The limits of a quota violation for google.rpc.QuotaFailure, e.g. "at
// most one comment every 15s; at most 5 comments in a burst, then 1 per
// minute".
std::string DescribeQuota(const domain::QuotaViolation& quota);

// google.rpc.QuotaFailure.subject of a quota: "client_ip".
std::string QuotaSubjectName(domain::QuotaSubject subject);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_ERROR_TEXT_H_
