// Progressive enhancement of the comment form: with JavaScript, the form is
// sent through the gRPC-Web gateway (CommentService.CreateComment) without
// a page load; field errors, refusals and the held comment are shown in
// place, in the same words and markup as the server-rendered answers.
// Without JavaScript, or without a gateway, the form posts to the site.

import { ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { CommentService, CommentState } from "../gen/comments/v1/comments_pb.js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "../gen/google/rpc/error_details_pb.js";
import { commentIdOf, paragraphsOf, timeOf } from "../src/shared/comment-text.js";
import {
  describeAccepted,
  describeRefusal,
  formFields,
  networkFailureMessage,
} from "../src/shared/outcome.js";

const CALL_TIMEOUT_MS = 10000;
// As deep as the server nests replies (MAX_DEPTH in src/article-page.js).
const MAX_DEPTH = 4;
const INPUTS = Object.values(formFields).map((field) => field.input);

// crypto.randomUUID exists only on https and localhost pages.
function newRequestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function setText(container, text) {
  container.replaceChildren();
  if (!text) return;
  const paragraph = document.createElement("p");
  paragraph.textContent = text;
  container.append(paragraph);
}

// A ConnectError as describeRefusal reads it; undefined when the gateway
// gave no gRPC answer at all (the connection failed).
function refusalOf(error) {
  if (!(error instanceof ConnectError) || !error.metadata.has("grpc-status")) return undefined;
  const retry = error.findDetails(RetryInfoSchema)[0]?.retryDelay;
  return {
    code: error.code,
    reason: error.findDetails(ErrorInfoSchema)[0]?.reason ?? "",
    fieldViolations: error.findDetails(BadRequestSchema).flatMap((detail) => detail.fieldViolations),
    retryDelaySeconds: retry ? Number(retry.seconds) + retry.nanos / 1e9 : undefined,
  };
}

function enhance(form) {
  const client = createClient(
    CommentService,
    createGrpcWebTransport({ baseUrl: form.dataset.gateway }),
  );
  const thread = form.dataset.thread;
  const message = document.getElementById("form-message");
  const notice = document.getElementById("comment-notice");
  const title = document.getElementById("reply-title");
  const defaultTitle = "Submit a Comment";
  const submit = form.querySelector("button[type=submit]");

  const showFieldErrors = (fieldErrors) => {
    for (const name of INPUTS) {
      const input = form.elements.namedItem(name);
      const error = document.getElementById(`${name}-error`);
      error.textContent = fieldErrors[name] ?? "";
      if (fieldErrors[name]) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    const first = INPUTS.find((name) => fieldErrors[name]);
    if (first) form.elements.namedItem(first).focus();
  };

  const setReplyTo = (id, author) => {
    form.elements.namedItem("reply_to").value = id;
    title.replaceChildren();
    if (!id) {
      title.textContent = defaultTitle;
      return;
    }
    const cancel = document.createElement("a");
    cancel.id = "cancel-comment-reply-link";
    cancel.href = "#respond";
    cancel.textContent = "Cancel reply";
    cancel.addEventListener("click", (event) => {
      event.preventDefault();
      setReplyTo("", "");
    });
    const who = document.createElement("span");
    who.className = "reply-author";
    who.textContent = author;
    title.append("Reply to ", who, " ", cancel);
  };

  // The reader's comment, where it will stay once approved.
  const showComment = (comment, published) => {
    const template = document.getElementById("held-comment-template");
    const item = template.content.firstElementChild.cloneNode(true);
    item.id = `comment-${commentIdOf(comment.name)}`;
    item.querySelector(".comment-author").textContent = comment.authorName;
    const time = timeOf(comment.createTime ? new Date(Number(comment.createTime.seconds) * 1000) : new Date());
    const timeElement = item.querySelector(".comment-time");
    timeElement.dateTime = time.iso;
    timeElement.textContent = time.text;
    const content = item.querySelector(".comment-content");
    for (const lines of paragraphsOf(comment.body)) {
      const paragraph = document.createElement("p");
      lines.forEach((line, index) => {
        if (index > 0) paragraph.append(document.createElement("br"));
        paragraph.append(line);
      });
      content.append(paragraph);
    }
    if (published) {
      item.classList.remove("comment-held");
      item.querySelector(".comment-awaiting-moderation")?.remove();
    }
    const parent = comment.replyTo
      ? document.getElementById(`comment-${commentIdOf(comment.replyTo)}`)
      : null;
    if (parent) {
      const depth = Number(/depth-(\d+)/.exec(parent.className)?.[1] ?? 1);
      const host = depth >= MAX_DEPTH ? parent.parentElement : parent;
      item.classList.replace("depth-1", `depth-${Math.min(depth + 1, MAX_DEPTH)}`);
      let children = host.tagName === "OL" ? host : host.querySelector(":scope > ol.children");
      if (!children) {
        children = document.createElement("ol");
        children.className = "children";
        host.append(children);
      }
      children.append(item);
    } else {
      document.getElementById("comment-list").append(item);
    }
    return item;
  };

  document.addEventListener("click", (event) => {
    const link = event.target.closest?.(".comment-reply-link");
    if (!link) return;
    event.preventDefault();
    setReplyTo(link.dataset.replyTo, link.dataset.author);
    form.elements.namedItem("author_name").focus();
  });
  document.getElementById("cancel-comment-reply-link")?.addEventListener("click", (event) => {
    event.preventDefault();
    setReplyTo("", "");
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (name) => form.elements.namedItem(name).value;
    const replyTo = value("reply_to");
    submit.disabled = true;
    setText(notice, "");
    try {
      const created = await client.createComment(
        {
          parent: thread,
          comment: {
            authorName: value("author_name"),
            authorEmail: value("author_email"),
            authorUrl: value("author_url"),
            body: value("body"),
            replyTo: replyTo ? `${thread}/comments/${replyTo}` : "",
          },
          requestId: value("request_id"),
        },
        { timeoutMs: CALL_TIMEOUT_MS },
      );
      const published = created.state === CommentState.APPROVED;
      showFieldErrors({});
      setText(message, "");
      setText(notice, describeAccepted(published));
      showComment(created, published).scrollIntoView({ block: "center" });
      // The next comment from this page is a new one.
      form.elements.namedItem("request_id").value = newRequestId();
      form.elements.namedItem("body").value = "";
      setReplyTo("", "");
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) {
        // The request_id stays: sending again cannot store a second comment.
        showFieldErrors({});
        setText(message, networkFailureMessage);
        return;
      }
      const outcome = describeRefusal(refusal);
      showFieldErrors(outcome.fieldErrors);
      setText(message, outcome.message);
      if (outcome.freshRequestId) form.elements.namedItem("request_id").value = newRequestId();
    } finally {
      submit.disabled = false;
    }
  });
}

const form = document.getElementById("commentform");
if (form?.dataset.gateway) enhance(form);
