// The gateway in-process, in front of a stand-in comment service (Connect's
// gRPC server on HTTP/2) that records what reaches it.

import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import http2 from "node:http2";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import {
  connectNodeAdapter,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { CommentService } from "../src/gen/comments/v1/comments_pb.js";
import { ErrorReason, ErrorReasonSchema } from "../src/gen/comments/v1/error_reason_pb.js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "../src/gen/google/rpc/error_details_pb.js";
import { createLogger } from "../src/log.js";
import { createGatewayHandler } from "../src/server.js";

const SITE = "http://site.example";
const MAX_CALL_TIMEOUT_MS = 2000;
// The reason the stand-in's GetComment fails with, by its name in the
// contract (a TypeError here if the contract has no such value).
const GET_REASON = ErrorReasonSchema.value[ErrorReason.INVALID_NAME].name;

// The stand-in service: what each call carried, and every path requested.
const calls = [];
const paths = [];
let upstream;
// The gateway keeps its HTTP/2 connection to the service open: closed at
// the end so the test process can exit.
const sessions = new Set();
let gatewayUrl;
let gateway;

async function listen(server) {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${server.address().port}`;
}

// What the gateway under test logged.
const logLines = [];

function startGateway(upstreamUrl, log = createLogger("error")) {
  const handler = createGatewayHandler({
    transport: createGrpcTransport({ baseUrl: upstreamUrl }),
    allowedOrigins: [SITE],
    maxCallTimeoutMs: MAX_CALL_TIMEOUT_MS,
    maxBodyBytes: 65536,
    log,
  });
  return createServer(handler);
}

before(async () => {
  const service = connectNodeAdapter({
    routes: (router) =>
      router.service(CommentService, {
        listComments(request, context) {
          calls.push({ headers: context.requestHeader, timeoutMs: context.timeoutMs(), request });
          return { comments: [{ name: `${request.parent}/comments/1`, body: "Hello" }] };
        },
        getComment() {
          throw new ConnectError("invalid name", Code.InvalidArgument, undefined, [
            { desc: ErrorInfoSchema, value: { reason: GET_REASON, domain: "comments.v1" } },
          ]);
        },
        createComment() {
          throw new ConnectError("invalid request: comment.body is required", Code.InvalidArgument, undefined, [
            { desc: BadRequestSchema, value: { fieldViolations: [{ field: "comment.body", description: "is required" }] } },
            { desc: RetryInfoSchema, value: { retryDelay: { seconds: 3n } } },
          ]);
        },
      }),
  });
  upstream = http2.createServer((req, res) => {
    paths.push(req.url);
    service(req, res);
  });
  upstream.on("session", (session) => sessions.add(session));
  gateway = startGateway(
    await listen(upstream),
    createLogger("info", (line) => logLines.push(JSON.parse(line))),
  );
  gatewayUrl = await listen(gateway);
});

after(() => {
  gateway.closeAllConnections();
  gateway.close();
  for (const session of sessions) session.destroy();
  upstream.close();
});

const grpcWebClient = (headers = {}) =>
  createClient(
    CommentService,
    createGrpcWebTransport({
      baseUrl: gatewayUrl,
      httpVersion: "1.1",
      interceptors: [
        (next) => (request) => {
          for (const [key, value] of Object.entries(headers)) request.header.set(key, value);
          return next(request);
        },
      ],
    }),
  );

describe("forwarding", () => {
  test("names the reader by address and user agent, and passes nothing else on", async () => {
    calls.length = 0;
    const response = await grpcWebClient({
      "x-forwarded-for": "198.51.100.7",
      "user-agent": "ReaderBrowser/1.0",
      "x-reader-user-agent": "forged by the page",
      authorization: "Bearer not-for-the-service",
      cookie: "session=secret",
    }).listComments({ parent: "threads/a" });
    assert.equal(response.comments[0].body, "Hello");
    const [{ headers, request }] = calls;
    assert.equal(request.parent, "threads/a");
    // The peer is appended; the service reads from the right.
    assert.equal(headers.get("x-forwarded-for"), "198.51.100.7, 127.0.0.1");
    assert.equal(headers.get("x-reader-user-agent"), "ReaderBrowser/1.0");
    assert.equal(headers.get("authorization"), null);
    assert.equal(headers.get("cookie"), null);
  });

  test("logs each call by procedure and code, without the reader", async () => {
    logLines.length = 0;
    await grpcWebClient({ "x-forwarded-for": "198.51.100.8", "user-agent": "ReaderBrowser/2.0" })
      .listComments({ parent: "threads/a" });
    await grpcWebClient().createComment({ parent: "threads/a" }).catch(() => {});
    assert.deepEqual(
      logLines.map(({ msg, procedure, code }) => ({ msg, procedure, code })),
      [
        { msg: "call", procedure: "/comments.v1.CommentService/ListComments", code: "OK" },
        { msg: "call", procedure: "/comments.v1.CommentService/CreateComment", code: "INVALID_ARGUMENT" },
      ],
    );
    const logged = JSON.stringify(logLines);
    assert.ok(!logged.includes("198.51.100.8") && !logged.includes("ReaderBrowser"), logged);
  });

  test("without x-forwarded-for the reader is the peer", async () => {
    calls.length = 0;
    await grpcWebClient().listComments({ parent: "threads/a" });
    assert.equal(calls[0].headers.get("x-forwarded-for"), "127.0.0.1");
  });

  test("caps every call's deadline", async () => {
    calls.length = 0;
    const client = grpcWebClient();
    await client.listComments({ parent: "threads/a" }, { timeoutMs: 600000 });
    await client.listComments({ parent: "threads/a" });
    assert.equal(calls.length, 2);
    for (const call of calls) {
      assert.ok(call.timeoutMs > 0 && call.timeoutMs <= MAX_CALL_TIMEOUT_MS, `timeout ${call.timeoutMs}`);
    }
  });
});

describe("errors", () => {
  test("the service's code, message and details reach gRPC-Web callers", async () => {
    const error = await grpcWebClient()
      .createComment({ parent: "threads/a" })
      .then(() => assert.fail("no error"), (reason) => ConnectError.from(reason));
    assert.equal(error.code, Code.InvalidArgument);
    assert.equal(error.rawMessage, "invalid request: comment.body is required");
    assert.deepEqual(
      error.findDetails(BadRequestSchema)[0].fieldViolations.map(({ field, description }) => ({ field, description })),
      [{ field: "comment.body", description: "is required" }],
    );
    assert.equal(error.findDetails(RetryInfoSchema)[0].retryDelay.seconds, 3n);
  });

  test("JSON callers get the details decoded", async () => {
    const response = await fetch(`${gatewayUrl}/comments.v1.CommentService/CreateComment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parent: "threads/a" }),
    });
    assert.equal(response.status, 400);
    const error = await response.json();
    assert.equal(error.code, "invalid_argument");
    assert.deepEqual(
      error.details.map((detail) => [detail.type, detail.debug]),
      [
        ["google.rpc.BadRequest", { fieldViolations: [{ field: "comment.body", description: "is required" }] }],
        ["google.rpc.RetryInfo", { retryDelay: "3s" }],
      ],
    );
  });

  test("the ErrorInfo reason reaches gRPC-Web and JSON callers as the service named it", async () => {
    const error = await grpcWebClient()
      .getComment({ name: "threads/a/comments/x" })
      .then(() => assert.fail("no error"), (reason) => ConnectError.from(reason));
    const [info] = error.findDetails(ErrorInfoSchema);
    assert.deepEqual({ reason: info.reason, domain: info.domain }, { reason: GET_REASON, domain: "comments.v1" });

    const response = await fetch(`${gatewayUrl}/comments.v1.CommentService/GetComment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "threads/a/comments/x" }),
    });
    assert.equal(response.status, 400);
    const { details } = await response.json();
    assert.deepEqual(
      details.map((detail) => [detail.type, detail.debug]),
      [["google.rpc.ErrorInfo", { reason: GET_REASON, domain: "comments.v1" }]],
    );
  });

  test("a service that cannot be reached is UNAVAILABLE, without its address", async () => {
    const closed = http2.createServer();
    const closedUrl = await listen(closed);
    closed.close();
    const lonely = startGateway(closedUrl);
    const lonelyUrl = await listen(lonely);
    try {
      const response = await fetch(`${lonelyUrl}/comments.v1.CommentService/ListComments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(response.status, 503);
      const error = await response.json();
      assert.deepEqual(error, { code: "unavailable", message: "the comment service is unavailable" });
    } finally {
      lonely.closeAllConnections();
      lonely.close();
    }
  });
});

describe("routes", () => {
  test("only CommentService is served: other services are 404 and never reach the service", async () => {
    paths.length = 0;
    for (const path of [
      "/comments.v1.ModerationService/ListQueue",
      "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      "/grpc.health.v1.Health/Check",
      "/",
    ]) {
      const response = await fetch(`${gatewayUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
        body: new Uint8Array(5),
      });
      assert.equal(response.status, 404, path);
    }
    assert.deepEqual(paths, []);
  });

  test("/healthz answers without calling the service", async () => {
    paths.length = 0;
    const response = await fetch(`${gatewayUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(paths, []);
  });
});

describe("origins", () => {
  const preflight = (origin) =>
    fetch(`${gatewayUrl}/comments.v1.CommentService/CreateComment`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web,x-user-agent,grpc-timeout",
      },
    });

  test("a configured origin may call, and read the gRPC-Web trailers", async () => {
    const response = await preflight(SITE);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), SITE);
    assert.match(response.headers.get("access-control-allow-headers"), /x-grpc-web/i);
    const call = await fetch(`${gatewayUrl}/comments.v1.CommentService/ListComments`, {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(call.status, 200);
    assert.equal(call.headers.get("access-control-allow-origin"), SITE);
    assert.match(call.headers.get("access-control-expose-headers"), /grpc-status-details-bin/i);
  });

  test("any other origin is refused before the service is called", async () => {
    assert.equal((await preflight("http://elsewhere.example")).status, 403);
    paths.length = 0;
    const call = await fetch(`${gatewayUrl}/comments.v1.CommentService/ListComments`, {
      method: "POST",
      headers: { origin: "http://elsewhere.example", "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(call.status, 403);
    assert.equal(call.headers.get("access-control-allow-origin"), null);
    assert.deepEqual(paths, []);
  });
});
