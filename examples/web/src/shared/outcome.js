// What a reader is told after sending the comment form: the same words
// whether the page was answered by the site's server (form POST) or by its
// script (through the gateway). Codes are gRPC's numbers, which grpc-js and
// Connect share.

import { ErrorReason, reasonName } from "./error-reasons.js";

export const Code = {
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  AlreadyExists: 6,
  ResourceExhausted: 8,
  Unavailable: 14,
};

// The form's inputs, by the API field they fill.
export const formFields = {
  "comment.author_name": { input: "author_name", label: "Name" },
  "comment.author_email": { input: "author_email", label: "Email" },
  "comment.author_url": { input: "author_url", label: "Website" },
  "comment.body": { input: "body", label: "Comment" },
};

// The reasons the form acts on; any other is answered by its code alone.
const RATE_LIMITED = reasonName(ErrorReason.RATE_LIMITED);
const REQUEST_ID_REUSED = reasonName(ErrorReason.REQUEST_ID_REUSED);

const TRY_LATER =
  "Comments cannot be saved just now. Please try again in a minute; what you wrote is kept below.";

function waitWords(seconds) {
  if (seconds === undefined) return "a moment";
  const whole = Math.max(1, Math.ceil(seconds));
  return whole === 1 ? "1 second" : `${whole} seconds`;
}

// {fieldErrors: {input: text}, message: text, freshRequestId: boolean,
//  httpStatus, retryAfterSeconds}. freshRequestId says the form's
// request_id must be replaced before the next attempt: only when the
// service will never accept it again.
export function describeRefusal({ code, reason = "", fieldViolations = [], retryDelaySeconds }) {
  const outcome = {
    fieldErrors: {},
    message: "",
    freshRequestId: false,
    httpStatus: 500,
    retryAfterSeconds: undefined,
  };
  switch (code) {
    case Code.InvalidArgument: {
      outcome.httpStatus = 400;
      const others = [];
      for (const { field, description } of fieldViolations) {
        const known = formFields[field];
        if (known) {
          outcome.fieldErrors[known.input] ??= `${known.label} ${description}.`;
        } else if (field === "comment.reply_to") {
          others.push("The comment you are replying to is not available any more.");
        } else if (field === "request_id") {
          outcome.freshRequestId = true;
          others.push("This form has expired. Please send your comment again.");
        } else {
          others.push("Comments cannot be posted on this page.");
        }
      }
      const fixFields =
        Object.keys(outcome.fieldErrors).length > 0
          ? ["Your comment was not sent: please correct the fields marked below."]
          : [];
      outcome.message = [...fixFields, ...others].join(" ") || "Your comment was not accepted.";
      break;
    }
    case Code.ResourceExhausted:
      outcome.httpStatus = 429;
      if (reason === RATE_LIMITED || retryDelaySeconds !== undefined) {
        outcome.retryAfterSeconds =
          retryDelaySeconds === undefined ? undefined : Math.max(1, Math.ceil(retryDelaySeconds));
        outcome.message = `You are commenting too quickly. Please wait ${waitWords(retryDelaySeconds)}, then send your comment again.`;
      } else {
        outcome.message = "Your comment is too long to send.";
      }
      break;
    case Code.AlreadyExists:
      outcome.httpStatus = 409;
      if (reason === REQUEST_ID_REUSED) {
        outcome.freshRequestId = true;
        outcome.message = "This form was already used for another comment. Please send it again.";
      } else {
        outcome.message = "You have already posted this comment.";
      }
      break;
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Canceled:
      outcome.httpStatus = 503;
      outcome.message = TRY_LATER;
      break;
    default:
      outcome.message = "Your comment could not be saved. Please try again later.";
      break;
  }
  return outcome;
}

// The browser could not reach the gateway at all.
export const networkFailureMessage =
  "Your comment could not be sent: the connection failed. Check your connection and send it again.";

export function describeAccepted(published) {
  return published
    ? "Thank you. Your comment is published."
    : "Thank you. Your comment is awaiting moderation.";
}

export const heldLabel = "Your comment is awaiting moderation.";
