// The gateway process: configuration, wiring, listening, graceful shutdown.

import { createServer } from "node:http";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { configVariables, loadConfig } from "./config.js";
import { createLogger } from "./log.js";
import { createGatewayHandler } from "./server.js";

const loaded = loadConfig(process.env);
if (loaded.errors) {
  createLogger().error("bad configuration", {
    errors: loaded.errors,
    variables: configVariables,
  });
  process.exit(2);
}
const { config } = loaded;
const log = createLogger(config.logLevel);

// HTTP/2 to the comment service; the transport reconnects by itself when
// the service restarts.
const transport = createGrpcTransport({
  baseUrl: config.upstream,
  readMaxBytes: config.maxBodyBytes * 4,
});

const shutdown = new AbortController();
const server = createServer(
  createGatewayHandler({
    transport,
    allowedOrigins: config.allowedOrigins,
    maxCallTimeoutMs: config.maxCallTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    shutdownSignal: shutdown.signal,
    log,
  }),
);

server.on("error", (error) => {
  log.error("cannot listen", { error: error.message });
  process.exit(1);
});

server.listen(config.listen.port, config.listen.host, () => {
  const { address, port } = server.address();
  const host = address.includes(":") ? `[${address}]` : address;
  if (config.allowedOrigins.length === 0) {
    log.warning("no GATEWAY_ALLOWED_ORIGINS: browsers on other origins are refused");
  }
  log.info("listening", {
    address: `${host}:${port}`,
    upstream: config.upstream,
    allowed_origins: config.allowedOrigins,
  });
});

// SIGTERM (docker stop) and SIGINT: stop accepting, let calls in flight
// finish within the grace period, then close what is left.
let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  server.close(() => {
    log.info("stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    shutdown.abort();
    server.closeAllConnections();
  }, config.shutdownGraceMs).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
