// How the tests use the article page and the moderator's CLI.

import { commentctl } from "./stack.js";

export const ARTICLE = "harbour-ferry-returns";
export const THREAD = `threads/${ARTICLE}`;

export async function openArticle(page, stack, query = "") {
  await page.goto(`${stack.siteUrl}/articles/${ARTICLE}${query}`);
}

export async function fillForm(page, { name = "", email = "", url = "", body = "" }) {
  await page.fill("#author_name", name);
  await page.fill("#author_email", email);
  await page.fill("#author_url", url);
  await page.fill("#body", body);
}

// Sends the form and waits for its answer: with JavaScript, the gateway's
// reply handled by the page's script; without, the next page load.
export async function send(page, javaScript) {
  if (!javaScript) {
    await Promise.all([page.waitForNavigation(), page.click("#submit")]);
    return;
  }
  const answered = page.waitForResponse((response) =>
    response.url().endsWith("/comments.v1.CommentService/CreateComment"),
  );
  await page.click("#submit");
  await answered;
  await page.waitForFunction(() => !document.getElementById("submit").disabled);
}

export const text = (page, selector) => page.locator(selector).innerText();

// The queued comments (any state) whose body is `body`.
export async function queued(stack, body, state = "pending") {
  const queue = await commentctl(stack, "queue", "--thread", ARTICLE, "--state", state, "--limit", "0");
  return (queue.comments ?? []).filter((entry) => entry.comment.body === body);
}

export async function approveByBody(stack, body) {
  const [entry] = await queued(stack, body);
  if (!entry) throw new Error(`no pending comment with body ${JSON.stringify(body)}`);
  await commentctl(stack, "approve", entry.comment.name);
  return entry;
}

// A comment posted through the gateway's JSON protocol, as curl would, on
// behalf of a reader at `ip`; then approved.
export async function approvedComment(stack, { ip, name, email, body }) {
  const response = await fetch(`${stack.gatewayUrl}/comments.v1.CommentService/CreateComment`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({
      parent: THREAD,
      comment: { authorName: name, authorEmail: email, body },
    }),
  });
  const created = await response.json();
  if (!response.ok) throw new Error(`CreateComment through the gateway: ${JSON.stringify(created)}`);
  await commentctl(stack, "approve", created.name);
  return created;
}

export const commentId = (name) => name.slice(name.lastIndexOf("/") + 1);
