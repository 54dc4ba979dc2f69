// The reasons of the service's errors, as it sends them in
// google.rpc.ErrorInfo.reason: the names of the values of the contract's
// enum comments.v1.ErrorReason, which protoc-gen-es generates into gen/
// (npm run generate). The site names a reason only as ErrorReason.<name>,
// so a reason renamed or removed in the contract makes reasonName throw
// when the module naming it loads: the site's tests and its start fail
// instead of a comparison that silently never matches again.

import { ErrorReason, ErrorReasonSchema } from "../../gen/comments/v1/error_reason_pb.js";

export { ErrorReason };

// reasonName(ErrorReason.RATE_LIMITED) is the name RATE_LIMITED. The
// argument is undefined when the enum has no value of the name after the
// dot.
export function reasonName(value) {
  const known = ErrorReasonSchema.value[value];
  if (known === undefined || value === ErrorReason.ERROR_REASON_UNSPECIFIED) {
    throw new Error(`not a value of comments.v1.ErrorReason that the service sends: ${value}`);
  }
  return known.name;
}
