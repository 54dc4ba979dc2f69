// Reads the google.rpc error details the comment service attaches to a
// failed call (trailer grpc-status-details-bin) into a plain object:
// {code, message, reason, fieldViolations: [{field, description}],
//  retryDelaySeconds}.

import path from "node:path";
import protobuf from "protobufjs";

const DETAILS_KEY = "grpc-status-details-bin";

export function loadErrorDetailTypes(protoDir) {
  const root = new protobuf.Root();
  // google/protobuf/*.proto are bundled with protobufjs; the rest is ours.
  root.resolvePath = (origin, target) =>
    target.startsWith("google/protobuf/") ? target : path.join(protoDir, target);
  root.loadSync(["google/rpc/status.proto", "google/rpc/error_details.proto"]);
  return {
    status: root.lookupType("google.rpc.Status"),
    byTypeUrl: new Map(
      ["BadRequest", "ErrorInfo", "RetryInfo", "QuotaFailure"].map((name) => [
        `type.googleapis.com/google.rpc.${name}`,
        root.lookupType(`google.rpc.${name}`),
      ]),
    ),
  };
}

export function readErrorDetails(types, error) {
  const result = {
    code: error.code,
    message: error.details ?? "",
    reason: "",
    fieldViolations: [],
    retryDelaySeconds: undefined,
  };
  const encoded = error.metadata?.get(DETAILS_KEY)?.[0];
  if (!encoded) return result;
  let status;
  try {
    status = types.status.decode(encoded);
  } catch {
    return result;
  }
  for (const any of status.details ?? []) {
    // protobufjs's bundled Any keeps the .proto field name.
    const type = types.byTypeUrl.get(any.type_url ?? any.typeUrl);
    if (!type) continue;
    const detail = type.decode(any.value);
    switch (type.name) {
      case "BadRequest":
        for (const { field, description } of detail.fieldViolations) {
          result.fieldViolations.push({ field, description });
        }
        break;
      case "ErrorInfo":
        result.reason = detail.reason;
        break;
      case "RetryInfo":
        result.retryDelaySeconds =
          Number(detail.retryDelay?.seconds ?? 0) + Number(detail.retryDelay?.nanos ?? 0) / 1e9;
        break;
      default:
        break;
    }
  }
  return result;
}
