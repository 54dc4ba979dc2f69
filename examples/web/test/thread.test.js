import assert from "node:assert/strict";
import { test } from "node:test";
import { buildThread, placeHeldComment } from "../src/thread.js";

const comment = (id, replyTo = "") => ({
  name: `threads/t/comments/${id}`,
  reply_to: replyTo ? `threads/t/comments/${replyTo}` : "",
});
const shape = (nodes) => nodes.map((node) => [node.comment.name.split("/").pop(), node.depth, shape(node.children)]);

test("replies nest under their parents, oldest first", () => {
  const roots = buildThread([comment("a"), comment("b"), comment("c", "a"), comment("d", "c"), comment("e", "a")], 4);
  assert.deepEqual(shape(roots), [
    ["a", 1, [["c", 2, [["d", 3, []]]], ["e", 2, []]]],
    ["b", 1, []],
  ]);
});

test("replies deeper than the limit join the deepest level", () => {
  const roots = buildThread([comment("a"), comment("b", "a"), comment("c", "b"), comment("d", "c")], 2);
  assert.deepEqual(shape(roots), [["a", 1, [["b", 2, []], ["c", 2, []], ["d", 2, []]]]]);
});

test("a reply whose parent is not listed starts a branch", () => {
  assert.deepEqual(shape(buildThread([comment("a", "gone")], 4)), [["a", 1, []]]);
});

test("the reader's held comment goes where it will stay", () => {
  const roots = buildThread([comment("a"), comment("b")], 4);
  placeHeldComment(roots, comment("r", "a"), 4);
  placeHeldComment(roots, comment("s"), 4);
  assert.deepEqual(shape(roots), [["a", 1, [["r", 2, []]]], ["b", 1, []], ["s", 1, []]]);
  assert.equal(roots[0].children[0].held, true);
});
