import assert from "node:assert/strict";
import { test } from "node:test";
import { paragraphsOf, safeUrl, timeOf } from "../src/shared/comment-text.js";

test("paragraphs at blank lines, line breaks kept", () => {
  assert.deepEqual(paragraphsOf("  One\r\ntwo\n\n \nThree  "), [["One", "two"], ["Three"]]);
});

test("only http and https websites become links", () => {
  assert.equal(safeUrl("https://example.org/a b"), "https://example.org/a%20b");
  for (const url of ["javascript:alert(1)", "data:text/html,x", "//example.org", ""]) {
    assert.equal(safeUrl(url), "", url);
  }
});

test("times are shown in UTC", () => {
  assert.deepEqual(timeOf(new Date(Date.UTC(2026, 5, 16, 7, 5))), {
    iso: "2026-06-16T07:05:00.000Z",
    text: "16 June 2026 at 07:05 UTC",
  });
});
