import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../src/config.js";
import { upstreamHeaders } from "../src/forwarding.js";

test("defaults: loopback, the service on 50051, no browser origin", () => {
  assert.deepEqual(loadConfig({}).config, {
    listen: { host: "127.0.0.1", port: 8080 },
    upstream: "http://127.0.0.1:50051",
    allowedOrigins: [],
    maxCallTimeoutMs: 10000,
    maxBodyBytes: 65536,
    shutdownGraceMs: 4000,
    logLevel: "info",
  });
});

test("values are parsed: IPv6 listen address, bare upstream, several origins", () => {
  const { config } = loadConfig({
    GATEWAY_LISTEN: "[::]:0",
    GATEWAY_UPSTREAM: "comments:50051",
    GATEWAY_ALLOWED_ORIGINS: " https://news.example.org, http://127.0.0.1:3000 ",
  });
  assert.deepEqual(config.listen, { host: "::", port: 0 });
  assert.equal(config.upstream, "http://comments:50051");
  assert.deepEqual(config.allowedOrigins, ["https://news.example.org", "http://127.0.0.1:3000"]);
});

test("every bad variable is named at once", () => {
  const { errors } = loadConfig({
    GATEWAY_LISTEN: "8080",
    GATEWAY_UPSTREAM: "ftp://comments:50051",
    GATEWAY_ALLOWED_ORIGINS: "https://news.example.org/comments",
    GATEWAY_MAX_CALL_TIMEOUT_MS: "-5",
    GATEWAY_MAX_BODY_BYTES: "lots",
    GATEWAY_SHUTDOWN_GRACE_MS: "99999999",
    GATEWAY_LOG_LEVEL: "chatty",
  });
  assert.deepEqual(
    errors.map((error) => error.split(":")[0]),
    [
      "GATEWAY_LISTEN",
      "GATEWAY_UPSTREAM",
      "GATEWAY_ALLOWED_ORIGINS",
      "GATEWAY_MAX_CALL_TIMEOUT_MS",
      "GATEWAY_MAX_BODY_BYTES",
      "GATEWAY_SHUTDOWN_GRACE_MS",
      "GATEWAY_LOG_LEVEL",
    ],
  );
  assert.match(errors[2], /write it as https:\/\/news\.example\.org$/);
});

test("a wildcard origin is refused: origins are listed one by one", () => {
  assert.match(loadConfig({ GATEWAY_ALLOWED_ORIGINS: "*" }).errors[0], /^GATEWAY_ALLOWED_ORIGINS: /);
});

test("an IPv4 peer of a dual-stack socket is forwarded as plain IPv4", () => {
  const headers = upstreamHeaders(new Headers(), "::ffff:192.0.2.4");
  assert.equal(headers.get("x-forwarded-for"), "192.0.2.4");
  assert.equal(headers.get("x-reader-user-agent"), null);
});
