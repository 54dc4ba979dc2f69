// The site in-process with a stand-in for the comment service: the paths
// the browser tests cannot provoke on a healthy service.

import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, test } from "node:test";
import { createApp } from "../src/app.js";
import { CommentServiceError } from "../src/comments-client.js";
import { createNoticeStore } from "../src/notices.js";
import { Code } from "../src/shared/outcome.js";

const unavailable = () => new CommentServiceError({ code: Code.Unavailable, message: "down", fieldViolations: [] });
const service = { down: false, created: [] };
const comments = {
  async listComments() {
    if (service.down) throw unavailable();
    return [];
  },
  async countComments(parents) {
    if (service.down) throw unavailable();
    return new Map(parents.map((parent) => [parent, 0]));
  },
  async createComment(request) {
    service.created.push(request);
    if (service.down) throw unavailable();
    throw new Error("not expected");
  },
};

let server;
let site;
before(async () => {
  const app = createApp({
    comments,
    notices: createNoticeStore(),
    trustProxy: false,
    gatewayUrl: "http://127.0.0.1:9",
    maxComments: 100,
    log: { error() {}, info() {}, warning() {} },
  });
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  site = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

test("pages carry the CSP, and the article is never cached by others", async () => {
  const response = await fetch(`${site}/articles/harbour-ferry-returns`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("cache-control"), "private, no-store");
  assert.equal(
    response.headers.get("content-security-policy"),
    "default-src 'none';script-src 'self';style-src 'self';img-src 'self';" +
      "connect-src 'self' http://127.0.0.1:9;form-action 'self';base-uri 'none';frame-ancestors 'none'",
  );
  assert.equal(response.headers.get("referrer-policy"), "no-referrer");
});

test("with the service down the article still renders, and says so", async () => {
  service.down = true;
  try {
    const page = await (await fetch(`${site}/articles/harbour-ferry-returns`)).text();
    assert.match(page, /Harbour ferry returns/);
    assert.match(page, /Comments cannot be shown just now/);
    assert.match(page, />Submit a Comment</);
  } finally {
    service.down = false;
  }
});

test("a POST the service cannot take is 503, with the input and request_id kept", async () => {
  service.down = true;
  service.created.length = 0;
  const requestId = "0b8e3f8e-3c1a-4d5e-9f00-1a2b3c4d5e6f";
  try {
    const response = await fetch(`${site}/articles/harbour-ferry-returns/comments`, {
      method: "POST",
      body: new URLSearchParams({
        author_name: "Ada",
        author_email: "ada@example.org",
        body: "Kept <b>as typed</b>",
        request_id: requestId,
      }),
    });
    assert.equal(response.status, 503);
    const page = await response.text();
    assert.match(page, /Comments cannot be saved just now/);
    assert.match(page, /Kept &lt;b&gt;as typed&lt;\/b&gt;<\/textarea>/);
    assert.match(page, new RegExp(`name="request_id" id="request_id" value="${requestId}"`));
    assert.equal(service.created[0].request_id, requestId);
    assert.equal(service.created[0].parent, "threads/harbour-ferry-returns");
  } finally {
    service.down = false;
  }
});

test("a form without a valid request_id gets one; a field sent twice counts as empty", async () => {
  service.down = true;
  service.created.length = 0;
  try {
    const body = new URLSearchParams([
      ["author_name", "Ada"],
      ["author_name", "Eve"],
      ["request_id", "not-a-uuid"],
    ]);
    await fetch(`${site}/articles/harbour-ferry-returns/comments`, { method: "POST", body });
    const [request] = service.created;
    assert.match(request.request_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(request.comment.author_name, "");
  } finally {
    service.down = false;
  }
});

test("the form's address opened by hand leads back to the form; unknown pages are 404", async () => {
  const back = await fetch(`${site}/articles/harbour-ferry-returns/comments`, { redirect: "manual" });
  assert.equal(back.status, 303);
  assert.equal(back.headers.get("location"), "/articles/harbour-ferry-returns#respond");
  for (const path of ["/articles/no-such-article", "/articles/no-such-article/comments", "/nothing"]) {
    assert.equal((await fetch(`${site}${path}`, { redirect: "manual" })).status, 404, path);
  }
});

test("the index lists every article with its count", async () => {
  const page = await (await fetch(`${site}/`)).text();
  assert.match(page, /Harbour ferry returns after a three-year pause/);
  assert.equal(page.match(/0 Comments/g).length, 2);
});
