// The web frontends name the service's error reasons only through the enum
// generated from the contract (comments.v1.ErrorReason). This reads the
// sources of both, the gateway's and the site's, tests included, so that a
// reason renamed or removed in proto/comments/v1/error_reason.proto fails
// here by its name, even where no other test runs the code that names it.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ErrorReason, ErrorReasonSchema } from "../gen/comments/v1/error_reason_pb.js";
import { reasonName } from "../src/shared/error-reasons.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const SOURCE_DIRS = [
  "gateway/src",
  "gateway/test",
  "examples/web/src",
  "examples/web/browser",
  "examples/web/test",
];
// Generated code and installed packages are not the frontends' own words.
const SKIPPED_DIRS = new Set(["gen", "node_modules"]);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(full);
    return /\.(js|njk)$/.test(entry.name) ? [full] : [];
  });
}

const sources = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).map((file) => ({
  file: path.relative(ROOT, file),
  text: readFileSync(file, "utf8"),
}));

const contractNames = new Set(ErrorReasonSchema.values.map((value) => value.name));

test("every ErrorReason the web frontends name is a value of the contract's enum", () => {
  const named = sources.flatMap(({ file, text }) =>
    [...text.matchAll(/\bErrorReason\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => ({
      file,
      name: match[1],
    })),
  );
  // The scan reads the code that acts on reasons (a scan of nothing would
  // pass whatever the contract says).
  assert.ok(
    named.some(({ file }) => file === path.join("examples", "web", "src", "shared", "outcome.js")),
    `no ErrorReason named in outcome.js; found ${JSON.stringify(named)}`,
  );
  const unknown = named.filter(({ name }) => !contractNames.has(name));
  assert.deepEqual(unknown, [], "names that comments.v1.ErrorReason does not have");
});

test("no source spells a reason of the contract as a string literal", () => {
  const spelled = sources.flatMap(({ file, text }) =>
    [...contractNames]
      .filter((name) => new RegExp(`["'\`]${name}["'\`]`).test(text))
      .map((name) => ({ file, name })),
  );
  assert.deepEqual(spelled, [], "write reasonName(ErrorReason.<name>) (src/shared/error-reasons.js) instead");
});

test("reasonName gives each reason's name as ErrorInfo carries it", () => {
  for (const value of ErrorReasonSchema.values) {
    if (value.number === ErrorReason.ERROR_REASON_UNSPECIFIED) continue;
    assert.equal(reasonName(value.number), value.name);
  }
});

test("reasonName refuses what the service never sends", () => {
  const highest = Math.max(...ErrorReasonSchema.values.map((value) => value.number));
  // undefined is what ErrorReason.<name> gives for a name the enum lacks.
  for (const value of [undefined, ErrorReason.ERROR_REASON_UNSPECIFIED, highest + 1]) {
    assert.throws(() => reasonName(value), /not a value of comments\.v1\.ErrorReason/, String(value));
  }
});
