// The gateway as a process: a bad configuration stops it with every bad
// variable named; SIGTERM ends it cleanly.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));

function start(env) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines = readline.createInterface({ input: child.stderr });
  return { child, lines };
}

test("a bad configuration exits 2 naming each bad variable", async () => {
  const { child, lines } = start({ GATEWAY_LISTEN: "nowhere", GATEWAY_LOG_LEVEL: "loud" });
  const logged = [];
  lines.on("line", (line) => logged.push(JSON.parse(line)));
  const [code] = await once(child, "exit");
  assert.equal(code, 2);
  const entry = logged.find((line) => line.msg === "bad configuration");
  assert.deepEqual(
    entry.errors.map((error) => error.split(":")[0]),
    ["GATEWAY_LISTEN", "GATEWAY_LOG_LEVEL"],
  );
});

test("it says where it listens, and exits 0 on SIGTERM", async () => {
  const { child, lines } = start({
    GATEWAY_LISTEN: "127.0.0.1:0",
    GATEWAY_ALLOWED_ORIGINS: "http://127.0.0.1:3000",
  });
  const exited = once(child, "exit");
  let address;
  for await (const line of lines) {
    const entry = JSON.parse(line);
    if (entry.msg === "listening") {
      address = entry.address;
      break;
    }
  }
  assert.match(address, /^127\.0\.0\.1:\d+$/);
  const health = await fetch(`http://${address}/healthz`);
  assert.equal(health.status, 200);
  child.kill("SIGTERM");
  const [code] = await exited;
  assert.equal(code, 0);
});
