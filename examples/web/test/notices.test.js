import assert from "node:assert/strict";
import { test } from "node:test";
import { createNoticeStore } from "../src/notices.js";

test("a notice is shown once", () => {
  const store = createNoticeStore();
  const id = store.put({ thread: "threads/a" });
  assert.deepEqual(store.take(id), { thread: "threads/a" });
  assert.equal(store.take(id), undefined);
});

test("notices expire, and the store stays bounded", () => {
  let now = 0;
  const store = createNoticeStore({ ttlMs: 1000, maxEntries: 2, now: () => now });
  const old = store.put("old");
  now = 1000;
  assert.equal(store.take(old), undefined);
  const first = store.put("first");
  store.put("second");
  store.put("third");
  assert.equal(store.take(first), undefined, "the oldest was not evicted");
});
