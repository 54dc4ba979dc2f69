import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorReason, reasonName } from "../src/shared/error-reasons.js";
import { Code, describeAccepted, describeRefusal } from "../src/shared/outcome.js";

test("field violations are put by their fields, in words", () => {
  const outcome = describeRefusal({
    code: Code.InvalidArgument,
    reason: reasonName(ErrorReason.INVALID_COMMENT),
    fieldViolations: [
      { field: "comment.author_name", description: "is required" },
      { field: "comment.author_email", description: "must be a valid email address" },
      { field: "comment.reply_to", description: "must name an APPROVED comment" },
    ],
  });
  assert.deepEqual(outcome.fieldErrors, {
    author_name: "Name is required.",
    author_email: "Email must be a valid email address.",
  });
  assert.equal(
    outcome.message,
    "Your comment was not sent: please correct the fields marked below. The comment you are replying to is not available any more.",
  );
  assert.equal(outcome.httpStatus, 400);
  assert.equal(outcome.freshRequestId, false);
});

test("flood control says how long to wait", () => {
  const outcome = describeRefusal({ code: Code.ResourceExhausted, reason: reasonName(ErrorReason.RATE_LIMITED), retryDelaySeconds: 11.2 });
  assert.equal(outcome.message, "You are commenting too quickly. Please wait 12 seconds, then send your comment again.");
  assert.equal(outcome.retryAfterSeconds, 12);
  assert.equal(outcome.httpStatus, 429);
});

test("a message too large for the service is not called flooding", () => {
  assert.equal(describeRefusal({ code: Code.ResourceExhausted }).message, "Your comment is too long to send.");
});

test("a duplicate, a reused request_id, an outage", () => {
  assert.equal(
    describeRefusal({ code: Code.AlreadyExists, reason: "DUPLICATE_COMMENT" }).message,
    "You have already posted this comment.",
  );
  const reused = describeRefusal({ code: Code.AlreadyExists, reason: reasonName(ErrorReason.REQUEST_ID_REUSED) });
  assert.equal(reused.freshRequestId, true);
  for (const code of [Code.Unavailable, Code.DeadlineExceeded]) {
    const outcome = describeRefusal({ code });
    assert.equal(outcome.httpStatus, 503);
    assert.equal(outcome.freshRequestId, false, "a retry must be able to reuse the request_id");
    assert.match(outcome.message, /what you wrote is kept below/);
  }
});

test("accepted comments", () => {
  assert.equal(describeAccepted(false), "Thank you. Your comment is awaiting moderation.");
  assert.equal(describeAccepted(true), "Thank you. Your comment is published.");
});
