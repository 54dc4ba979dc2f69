// CommentService, served to browsers by calling the comment service. Every
// method of the service is passed through as it is; ModerationService,
// reflection and health are not served at all, so their paths are 404.

import { createClient, createContextKey } from "@connectrpc/connect";
import { CommentService } from "./gen/comments/v1/comments_pb.js";
import { relayError } from "./error-relay.js";
import { upstreamHeaders } from "./forwarding.js";

// The browser's address, set from the HTTP request for every call.
export const peerAddressKey = createContextKey("", { description: "peer address" });

export function commentServiceProxy(transport, { maxCallTimeoutMs, log }) {
  const client = createClient(CommentService, transport);
  const impl = {};
  for (const method of CommentService.methods) {
    impl[method.localName] = async (request, context) => {
      const requested = context.timeoutMs();
      const timeoutMs =
        requested === undefined ? maxCallTimeoutMs : Math.min(requested, maxCallTimeoutMs);
      try {
        return await client[method.localName](request, {
          headers: upstreamHeaders(context.requestHeader, context.values.get(peerAddressKey)),
          signal: context.signal,
          timeoutMs,
        });
      } catch (reason) {
        const { error, fromUpstream } = relayError(reason);
        if (!fromUpstream) {
          // The cause names the service's address, which is for operators.
          log.warning("upstream call failed", {
            method: method.name,
            cause: reason instanceof Error ? reason.message : String(reason),
          });
        }
        throw error;
      }
    };
  }
  return impl;
}
