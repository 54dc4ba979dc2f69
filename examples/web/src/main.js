// The example site's process: configuration, wiring, listening, shutdown.

import { createServer } from "node:http";
import { createApp } from "./app.js";
import { createCommentsClient } from "./comments-client.js";
import { configVariables, loadConfig } from "./config.js";
import { createNoticeStore } from "./notices.js";

// JSON lines on standard error: paths, statuses and codes, never a reader's
// address, email or comment.
const log = Object.fromEntries(
  ["info", "warning", "error"].map((level) => [
    level,
    (msg, fields = {}) =>
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`),
  ]),
);

const loaded = loadConfig(process.env);
if (loaded.errors) {
  log.error("bad configuration", { errors: loaded.errors, variables: configVariables });
  process.exit(2);
}
const { config } = loaded;

const comments = createCommentsClient({
  address: config.commentsServer,
  protoDir: config.protoDir,
  callTimeoutMs: config.callTimeoutMs,
});
const app = createApp({
  comments,
  notices: createNoticeStore(),
  trustProxy: config.trustProxy,
  gatewayUrl: config.gatewayUrl,
  maxComments: config.maxComments,
  log,
});

const server = createServer(app);
server.on("error", (error) => {
  log.error("cannot listen", { error: error.message });
  process.exit(1);
});
server.listen(config.listen.port, config.listen.host, () => {
  const { address, port } = server.address();
  const host = address.includes(":") ? `[${address}]` : address;
  log.info("listening", {
    address: `${host}:${port}`,
    comments_server: config.commentsServer,
    gateway: config.gatewayUrl || "none (form POST only)",
  });
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  server.close(() => {
    comments.close();
    log.info("stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 4000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
