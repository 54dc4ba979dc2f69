// The example site and the gateway in headless Chromium, against the real
// comment service and a throwaway PostgreSQL: every behaviour once with
// JavaScript off (form POST, Post/Redirect/Get) and once on (gRPC-Web
// through the gateway).

import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchChromium, newReader } from "./support/browser.js";
import {
  ARTICLE,
  THREAD,
  approveByBody,
  approvedComment,
  commentId,
  fillForm,
  openArticle,
  queued,
  send,
  text,
} from "./support/comment-page.js";
import { artefactDir, commentctl, startStack } from "./support/stack.js";

let stack;
let browser;
const emailsUsed = [];

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function reader(javaScript) {
  const r = await newReader(browser, javaScript, [stack.siteUrl, stack.gatewayUrl]);
  emailsUsed.push(r.email);
  return r;
}

for (const javaScript of [false, true]) {
  describe(`with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const mode = javaScript ? "js" : "nojs";

    test("missing and bad fields are named by their field, with the input kept", async () => {
      const { page, context } = await reader(javaScript);
      await openArticle(page, stack);
      const requestId = await page.inputValue("#request_id");
      await fillForm(page, { email: "not-an-address", url: "https://example.org/me", body: "ok" });
      if (javaScript) await page.evaluate(() => (window.notReloaded = true));
      await send(page, javaScript);

      assert.equal(await text(page, "#author_name-error"), "Name is required.");
      assert.equal(await text(page, "#author_email-error"), "Email must be a valid email address.");
      assert.equal(await text(page, "#author_url-error"), "");
      assert.match(await text(page, "#body-error"), /^Comment must be at least 3 characters/);
      assert.match(await text(page, "#form-message"), /please correct the fields marked below/);
      assert.equal(await page.getAttribute("#author_name", "aria-invalid"), "true");
      assert.equal(await page.getAttribute("#author_url", "aria-invalid"), null);
      // What the reader typed is still there, and so is the form's request_id.
      assert.equal(await page.inputValue("#author_email"), "not-an-address");
      assert.equal(await page.inputValue("#author_url"), "https://example.org/me");
      assert.equal(await page.inputValue("#body"), "ok");
      assert.equal(await page.inputValue("#request_id"), requestId);
      if (javaScript) {
        assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was reloaded");
      } else {
        assert.equal(new URL(page.url()).pathname, `/articles/${ARTICLE}/comments`);
      }
      await context.close();
    });

    test("a valid comment is held with a notice, then appears once approved", async () => {
      const r = await reader(javaScript);
      const { page } = r;
      const body = `A held comment (${mode}) that a moderator approves.`;
      await openArticle(page, stack);
      const userAgent = await page.evaluate(() => navigator.userAgent).catch(() => undefined);
      await fillForm(page, { name: r.name, email: r.email, body });
      await send(page, javaScript);

      assert.equal(await text(page, "#comment-notice"), "Thank you. Your comment is awaiting moderation.");
      const held = page.locator(".comment-held");
      assert.equal(await held.count(), 1);
      assert.equal(await held.locator(".comment-content").innerText(), body);
      assert.equal(await held.locator(".comment-author").innerText(), r.name);
      assert.equal(await held.locator(".comment-awaiting-moderation").innerText(), "Your comment is awaiting moderation.");
      assert.ok(!(await page.content()).includes(r.email), "the email is in the page");
      if (!javaScript) assert.match(page.url(), /\?notice=[0-9a-f-]{36}#comment-[0-9a-f-]{36}$/);

      // Shown to its author in that answer only: not on reload, not to others.
      await page.reload();
      assert.equal(await page.locator(".comment-held").count(), 0);
      assert.equal(await page.getByText(body).count(), 0);

      const [entry] = await queued(stack, body);
      assert.ok(entry, "the comment is not in the moderation queue");
      // The reader's address and browser reached the service.
      assert.equal(entry.client_ip, r.ip);
      if (userAgent) assert.equal(entry.user_agent, userAgent);
      else assert.match(entry.user_agent, /Chrome\//);
      await approveByBody(stack, body);

      await page.reload();
      const shown = page.locator(`#comment-${commentId(entry.comment.name)}`);
      assert.equal(await shown.locator(".comment-content").innerText(), body);
      assert.equal(await shown.locator(".comment-awaiting-moderation").count(), 0);
      assert.match(await text(page, "#comments-title"), /^\d+ Comments?$/);
      assert.ok(!(await page.content()).includes(r.email), "the email is in the page");
      await r.context.close();
    });

    test("a reply is threaded under its parent", async () => {
      const parentAuthor = await reader(javaScript);
      const parent = await approvedComment(stack, {
        ip: parentAuthor.ip,
        name: parentAuthor.name,
        email: parentAuthor.email,
        body: `The parent comment (${mode}).`,
      });
      await parentAuthor.context.close();

      const r = await reader(javaScript);
      const { page } = r;
      const body = `A reply to the parent (${mode}).`;
      await openArticle(page, stack);
      const parentItem = page.locator(`#comment-${commentId(parent.name)}`);
      if (javaScript) {
        await parentItem.locator(".comment-reply-link").first().click();
      } else {
        await Promise.all([page.waitForNavigation(), parentItem.locator(".comment-reply-link").first().click()]);
      }
      assert.equal(await text(page, "#reply-title"), `Reply to ${parentAuthor.name} Cancel reply`);
      await fillForm(page, { name: r.name, email: r.email, body });
      await send(page, javaScript);

      // Held, and already shown where it will stay.
      const heldReply = parentItem.locator(":scope > ol.children > li.comment-held");
      assert.equal(await heldReply.locator(".comment-content").innerText(), body);

      const [entry] = await queued(stack, body);
      assert.equal(entry.comment.reply_to, parent.name);
      await approveByBody(stack, body);
      await page.reload();
      const reply = parentItem.locator(`:scope > ol.children > #comment-${commentId(entry.comment.name)}`);
      assert.equal(await reply.locator(".comment-content").innerText(), body);
      assert.match(await reply.getAttribute("class"), /\bdepth-2\b/);
      await r.context.close();
    });

    test("markup in a comment renders as text", async () => {
      const r = await reader(javaScript);
      const { page } = r;
      const body = `<script>window.injected = "${mode}"</script><img src="x" onerror="window.injected = 'img'"> <b>not bold</b>`;
      const name = `<i>${r.name}</i>`;
      await openArticle(page, stack);
      await fillForm(page, { name, email: r.email, body });
      await send(page, javaScript);
      assert.equal(await page.locator(".comment-held .comment-content").innerText(), body);
      assert.equal(await page.locator(".comment-held .comment-author").innerText(), name);

      const entry = await approveByBody(stack, body);
      await page.reload();
      const shown = page.locator(`#comment-${commentId(entry.comment.name)}`);
      assert.equal(await shown.locator(".comment-content").innerText(), body);
      assert.equal(await shown.locator(".comment-author").innerText(), name);
      assert.equal(await shown.locator(".comment-content *:not(p, br), .comment-author *").count(), 0);
      if (javaScript) assert.equal(await page.evaluate(() => window.injected), undefined);
      const csp = (await page.request.get(page.url())).headers()["content-security-policy"];
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      await r.context.close();
    });

    test("flood control is explained in plain words, with the input kept", async () => {
      const first = await reader(javaScript);
      await openArticle(first.page, stack);
      await fillForm(first.page, { name: first.name, email: first.email, body: `First of two (${mode}).` });
      await send(first.page, javaScript);
      assert.match(await text(first.page, "#comment-notice"), /awaiting moderation/);

      // The same reader's address again, within the 15 s interval.
      const secondEmail = `second-${first.email}`;
      emailsUsed.push(secondEmail);
      const body = `Second of two (${mode}).`;
      await openArticle(first.page, stack);
      await fillForm(first.page, { name: first.name, email: secondEmail, body });
      await send(first.page, javaScript);
      assert.match(
        await text(first.page, "#form-message"),
        /^You are commenting too quickly\. Please wait \d+ seconds?, then send your comment again\.$/,
      );
      assert.equal(await first.page.inputValue("#body"), body);
      assert.equal((await queued(stack, body)).length, 0);
      await first.context.close();
    });

    test("a form sent again after its answer was lost stores one comment", async () => {
      const r = await reader(javaScript);
      const { page } = r;
      const body = `Sent twice, stored once (${mode}).`;
      await openArticle(page, stack);
      await fillForm(page, { name: r.name, email: r.email, body });
      if (javaScript) {
        // The first answer is lost on the way back: the comment is stored,
        // the page says the connection failed, and the reader sends again.
        let lost = false;
        await page.route("**/comments.v1.CommentService/CreateComment", async (route) => {
          if (lost || route.request().method() !== "POST") return route.fallback();
          lost = true;
          await route.fetch({ headers: r.withAddress(route) });
          await route.abort("connectionreset");
        });
        await page.click("#submit");
        await page.waitForFunction(() => document.getElementById("form-message").textContent !== "");
        assert.match(await text(page, "#form-message"), /the connection failed/);
        assert.equal((await queued(stack, body)).length, 1, "the first attempt was not stored");
        await send(page, javaScript);
      } else {
        // The first answer is lost on the way back: the comment is stored,
        // the browser shows its connection error page, and the reader
        // reloads it, which sends the same form (and request_id) again.
        let sent = 0;
        await page.route(`**/articles/${ARTICLE}/comments`, async (route) => {
          sent += 1;
          if (sent > 1) return route.fallback();
          await route.fetch({ headers: r.withAddress(route) });
          await route.abort("connectionreset");
        });
        // Reloading before the browser has put up its error page would race
        // that navigation: wait for both the failure and the error page.
        const failed = page.waitForEvent("requestfailed");
        const errorPage = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
        await page.click("#submit");
        await failed;
        await errorPage;
        assert.equal((await queued(stack, body)).length, 1, "the first attempt was not stored");
        await page.reload();
        assert.equal(sent, 2, "the reload did not send the form again");
      }
      assert.equal(await text(page, "#comment-notice"), "Thank you. Your comment is awaiting moderation.");
      assert.equal((await queued(stack, body)).length, 1);
      await r.context.close();
    });
  });
}

describe("the gateway", () => {
  const grpcWeb = { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" };

  test("serves nothing but CommentService: moderation, reflection and health are 404", async () => {
    for (const procedure of [
      "comments.v1.ModerationService/ListQueue",
      "comments.v1.ModerationService/ApproveComment",
      "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      "grpc.health.v1.Health/Check",
    ]) {
      for (const headers of [grpcWeb, { "content-type": "application/json" }]) {
        const response = await fetch(`${stack.gatewayUrl}/${procedure}`, {
          method: "POST",
          headers,
          body: headers === grpcWeb ? new Uint8Array(5) : "{}",
        });
        assert.equal(response.status, 404, `${procedure} (${headers["content-type"]})`);
      }
    }
    // From the example page too, as a script there would try it.
    const r = await reader(true);
    await openArticle(r.page, stack);
    const status = await r.page.evaluate(async (url) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
        body: new Uint8Array(5),
      });
      return response.status;
    }, `${stack.gatewayUrl}/comments.v1.ModerationService/ListQueue`);
    assert.equal(status, 404);
    await r.context.close();
  });

  test("answers JSON over HTTP (Connect's protocol), as curl would post it", async () => {
    const response = await fetch(`${stack.gatewayUrl}/comments.v1.CommentService/ListComments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parent: THREAD, pageSize: 100 }),
    });
    assert.equal(response.status, 200);
    const listed = await response.json();
    assert.ok(listed.comments.length >= 1);
    assert.ok(listed.comments.every((comment) => comment.state === "APPROVED"));
    assert.ok(listed.comments.every((comment) => !("authorEmail" in comment)));

    const refused = await fetch(`${stack.gatewayUrl}/comments.v1.CommentService/CreateComment`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.1" },
      body: JSON.stringify({ parent: THREAD, comment: { authorName: "Ann" } }),
    });
    assert.equal(refused.status, 400);
    const error = await refused.json();
    assert.equal(error.code, "invalid_argument");
    const badRequest = error.details.find((detail) => detail.type === "google.rpc.BadRequest");
    assert.deepEqual(
      badRequest.debug.fieldViolations.map((violation) => violation.field),
      ["comment.author_email", "comment.body"],
    );
  });

  test("refuses browsers on origins it was not told to allow", async () => {
    const preflight = await fetch(`${stack.gatewayUrl}/comments.v1.CommentService/CreateComment`, {
      method: "OPTIONS",
      headers: {
        origin: "http://attacker.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web",
      },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get("access-control-allow-origin"), null);

    const allowed = await fetch(`${stack.gatewayUrl}/comments.v1.CommentService/CreateComment`, {
      method: "OPTIONS",
      headers: {
        origin: stack.siteUrl,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web",
      },
    });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get("access-control-allow-origin"), stack.siteUrl);
  });
});

describe("the whole stack", () => {
  test("a screenshot of the article page is saved", async () => {
    const r = await reader(true);
    await r.page.setViewportSize({ width: 900, height: 900 });
    await openArticle(r.page, stack);
    assert.ok((await r.page.locator(".comment-list .comment").count()) >= 2);
    mkdirSync(artefactDir, { recursive: true });
    const file = path.join(artefactDir, "article-page.png");
    await r.page.screenshot({ path: file, fullPage: true });
    assert.ok(readFileSync(file).length > 10000);
    await r.context.close();
  });

  test("no email address reaches any log", async () => {
    const logs = readdirSync(stack.logDir).map((name) =>
      readFileSync(path.join(stack.logDir, name), "utf8"),
    );
    assert.ok(logs.length >= 4);
    for (const email of emailsUsed) {
      for (const log of logs) assert.ok(!log.includes(email), `${email} is in a log`);
    }
  });
});
