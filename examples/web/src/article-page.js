// Everything the article template needs: the article, its approved comments
// as a thread with their count, and the comment form's state.

import { randomUUID } from "node:crypto";
import { threadOf } from "./articles.js";
import { threadView } from "./comment-view.js";
import { buildThread, placeHeldComment } from "./thread.js";
import { commentIdOf } from "./shared/comment-text.js";
import { describeAccepted, heldLabel } from "./shared/outcome.js";

// Replies nest this deep; deeper ones join the deepest level.
export const MAX_DEPTH = 4;

export const emptyForm = () => ({
  values: { author_name: "", author_email: "", author_url: "", body: "" },
  fieldErrors: {},
  message: "",
  requestId: randomUUID(),
  replyTo: undefined,
});

// The markup the page's script fills in for a comment it has just sent.
const heldPlaceholder = {
  view: { id: "", authorName: "", authorUrl: "", paragraphs: [], time: { iso: "", text: "" } },
  held: true,
  depth: 1,
  children: [],
};

// Loads the thread; a service that cannot be reached leaves the comments
// out (the article is still shown) and says so.
export async function loadArticlePage(comments, article, { maxComments, held, replyToId, form }) {
  const thread = threadOf(article);
  let listed = [];
  let count = 0;
  let unavailable = false;
  try {
    const [list, counts] = await Promise.all([
      comments.listComments(thread, maxComments),
      comments.countComments([thread]),
    ]);
    listed = list;
    count = counts.get(thread) ?? list.length;
  } catch {
    unavailable = true;
  }
  const roots = buildThread(listed, MAX_DEPTH);
  if (held) placeHeldComment(roots, held, MAX_DEPTH);
  const replyTarget = replyToId
    ? listed.find((comment) => commentIdOf(comment.name) === replyToId)
    : undefined;
  return {
    article,
    thread,
    count,
    unavailable,
    comments: threadView(roots),
    held: held
      ? { id: commentIdOf(held.name), notice: describeAccepted(held.state === "APPROVED") }
      : undefined,
    heldLabel,
    heldPlaceholder,
    form: {
      ...form,
      replyTo: replyTarget
        ? { id: replyToId, authorName: replyTarget.author_name }
        : form.replyTo,
    },
  };
}
