// The gateway's HTTP handler: origin policy, then Connect's adapter serving
// CommentService over gRPC-Web and Connect (binary and JSON). Nothing else
// is routed: every other path, ModerationService's included, is 404.

import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { CommentService } from "./gen/comments/v1/comments_pb.js";
import { commentServiceProxy, peerAddressKey } from "./comment-proxy.js";
import { originPolicy } from "./origins.js";

// The gateway's own liveness, for container health checks. It does not call
// the comment service.
const HEALTH_PATH = "/healthz";

// Connect's code as gRPC names it (InvalidArgument -> INVALID_ARGUMENT),
// like the comment service's own logs.
function codeName(code) {
  return (Code[code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

// One log line per call: the procedure, the code and the time taken.
function callLogger(log) {
  return (next) => async (request) => {
    const started = performance.now();
    let code = "OK";
    try {
      return await next(request);
    } catch (error) {
      code = codeName(ConnectError.from(error).code);
      throw error;
    } finally {
      log.info("call", {
        procedure: request.url.replace(/^[a-z]+:\/\/[^/]+/i, ""),
        protocol: request.header.get("content-type")?.split(";")[0] ?? "",
        code,
        duration_ms: Math.round(performance.now() - started),
      });
    }
  };
}

export function createGatewayHandler({
  transport,
  allowedOrigins,
  maxCallTimeoutMs,
  maxBodyBytes,
  shutdownSignal,
  log,
}) {
  const adapter = connectNodeAdapter({
    // Plain gRPC needs HTTP/2, which browsers cannot speak to a proxy
    // without TLS; gRPC clients call the service directly.
    grpc: false,
    grpcWeb: true,
    connect: true,
    readMaxBytes: maxBodyBytes,
    shutdownSignal,
    interceptors: [callLogger(log)],
    contextValues: (req) =>
      createContextValues().set(peerAddressKey, req.socket.remoteAddress ?? ""),
    routes: (router) =>
      router.service(
        CommentService,
        commentServiceProxy(transport, { maxCallTimeoutMs, log }),
      ),
    fallback: (req, res) => {
      log.info("not found", { path: (req.url ?? "").split("?")[0].slice(0, 200) });
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
    },
  });
  const policy = originPolicy(allowedOrigins);
  return (req, res) => {
    if (req.method === "GET" && req.url === HEALTH_PATH) {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end("ok\n");
      return;
    }
    policy(req, res, () => adapter(req, res));
  };
}
