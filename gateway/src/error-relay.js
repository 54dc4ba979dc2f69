// Errors of the comment service, passed on to the browser as the service
// sent them: code, message and google.rpc error details (BadRequest,
// RetryInfo, ...). Errors of the gateway's own connection to the service
// are passed on by code only, so no internal address reaches a browser.

import { Code, ConnectError } from "@connectrpc/connect";
import { createRegistry, fromBinary } from "@bufbuild/protobuf";
import { file_google_rpc_error_details } from "./gen/google/rpc/error_details_pb.js";

const detailTypes = createRegistry(file_google_rpc_error_details);

const ownMessages = {
  [Code.Unavailable]: "the comment service is unavailable",
  [Code.DeadlineExceeded]: "the comment service did not answer in time",
  [Code.Canceled]: "the call was cancelled",
};

// Known detail types are decoded, so that Connect's JSON errors show them
// readably (the "debug" field) as well as in binary.
function relayDetail(detail) {
  const desc = detailTypes.getMessage(detail.type);
  if (!desc) return detail;
  try {
    return { desc, value: fromBinary(desc, detail.value) };
  } catch {
    return detail;
  }
}

// The service's answer carries grpc-status; a failure to reach it does not.
export function relayError(reason) {
  const error = ConnectError.from(reason);
  if (!error.metadata.has("grpc-status")) {
    return {
      error: new ConnectError(ownMessages[error.code] ?? "the call failed", error.code),
      fromUpstream: false,
    };
  }
  const relayed = new ConnectError(error.rawMessage, error.code);
  relayed.details = error.details.map(relayDetail);
  return { error: relayed, fromUpstream: true };
}
