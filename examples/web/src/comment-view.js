// A public Comment (as grpc-js returns it) as the templates show it.

import { commentIdOf, paragraphsOf, safeUrl, timeOf } from "./shared/comment-text.js";

function dateOf(timestamp) {
  if (!timestamp) return undefined;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6));
}

export function commentView(comment) {
  return {
    id: commentIdOf(comment.name),
    name: comment.name,
    authorName: comment.author_name,
    authorUrl: safeUrl(comment.author_url),
    paragraphs: paragraphsOf(comment.body),
    time: timeOf(dateOf(comment.create_time)),
  };
}

// Turns a tree of {comment} nodes into one of {view} nodes.
export function threadView(nodes) {
  return nodes.map((node) => ({
    view: commentView(node.comment),
    held: Boolean(node.held),
    depth: node.depth,
    children: threadView(node.children),
  }));
}
