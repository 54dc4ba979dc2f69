// Approved comments (oldest first) as a tree by reply_to. Replies nest up to
// maxDepth levels; deeper replies join the deepest level, after their
// parent, as most comment systems show them. A reply whose parent is not
// listed (no longer approved, or beyond the page limit) starts a new branch.

export function buildThread(comments, maxDepth) {
  const roots = [];
  const byName = new Map();
  for (const comment of comments) {
    const node = { comment, depth: 1, parent: undefined, children: [] };
    let host = byName.get(comment.reply_to);
    while (host && host.depth >= maxDepth) host = host.parent;
    if (host) {
      node.depth = host.depth + 1;
      node.parent = host;
      host.children.push(node);
    } else {
      roots.push(node);
    }
    byName.set(comment.name, node);
  }
  return roots;
}

// Adds the reader's own held comment where it will appear once approved.
export function placeHeldComment(roots, comment, maxDepth) {
  const find = (nodes) => {
    for (const node of nodes) {
      if (node.comment.name === comment.reply_to) return node;
      const found = find(node.children);
      if (found) return found;
    }
    return undefined;
  };
  let host = comment.reply_to ? find(roots) : undefined;
  while (host && host.depth >= maxDepth) host = host.parent;
  const node = { comment, held: true, depth: host ? host.depth + 1 : 1, parent: host, children: [] };
  (host ? host.children : roots).push(node);
  return roots;
}
