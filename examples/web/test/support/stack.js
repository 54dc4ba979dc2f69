// The whole path from a browser to PostgreSQL, started for the browser
// tests: a throwaway PostgreSQL, comments_server with fresh keys and the
// example's rules file, a moderator, the gateway and the example site, each
// on a free port of 127.0.0.1. stop() ends them by pid, newest first.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "./postgres.js";
import { freePort } from "./ports.js";
import { listeningAddress, run, startProcess, stopProcess } from "./processes.js";

export const webDir = fileURLToPath(new URL("../..", import.meta.url));
export const repoRoot = path.resolve(webDir, "../..");
export const artefactDir = process.env.WEB_TEST_ARTEFACTS ?? path.join(webDir, "test-results");
const serverBin = process.env.COMMENTS_SERVER_BIN ?? path.join(repoRoot, "build/service/comments_server");
const commentctlBin = process.env.COMMENTCTL_BIN ?? path.join(repoRoot, "build/client/cli/commentctl");

async function generateKeyLine(dir, keyId) {
  const result = await run(serverBin, [`--generate_key_line=${keyId}`]);
  if (result.code !== 0) throw new Error(`${serverBin} --generate_key_line failed: ${result.stderr}`);
  const file = path.join(dir, `${keyId}.key`);
  writeFileSync(file, result.stdout, { mode: 0o600 });
  return file;
}

export async function startStack() {
  const logDir = path.join(artefactDir, "logs");
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), "comments-web-test-"));
  const stops = [];
  const stack = {
    logDir,
    async stop() {
      for (const stop of stops.reverse()) await stop();
      stops.length = 0;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const postgres = await startPostgres(dir, path.join(logDir, "postgres.log"));
    stops.push(postgres.stop);
    stack.databaseUrl = postgres.url;

    const server = await startProcess({
      name: "comments_server",
      command: serverBin,
      args: [
        "--listen=127.0.0.1:0",
        `--database_url=${postgres.url}`,
        `--email_key_file=${await generateKeyLine(dir, "k1")}`,
        `--email_hash_key_file=${await generateKeyLine(dir, "h1")}`,
        `--rules_file=${path.join(repoRoot, "examples/rules.yaml")}`,
      ],
      logFile: path.join(logDir, "comments_server.log"),
      ready: listeningAddress,
    });
    stops.push(() => stopProcess(server.child));
    stack.serverAddress = server.value;

    const moderator = await run(serverBin, [
      "moderators",
      "add",
      "browser-tests",
      `--database_url=${postgres.url}`,
    ]);
    if (moderator.code !== 0) throw new Error(`moderators add failed: ${moderator.stderr}`);
    stack.moderatorToken = moderator.stdout.trim();

    // The site's port is chosen first: the gateway allows its origin.
    const sitePort = await freePort();
    stack.siteUrl = `http://127.0.0.1:${sitePort}`;
    const gateway = await startProcess({
      name: "gateway",
      command: process.execPath,
      args: [path.join(repoRoot, "gateway/src/main.js")],
      env: {
        GATEWAY_LISTEN: "127.0.0.1:0",
        GATEWAY_UPSTREAM: `http://${stack.serverAddress}`,
        GATEWAY_ALLOWED_ORIGINS: stack.siteUrl,
      },
      logFile: path.join(logDir, "gateway.log"),
      ready: listeningAddress,
    });
    stops.push(() => stopProcess(gateway.child));
    stack.gatewayUrl = `http://${gateway.value}`;

    const site = await startProcess({
      name: "site",
      command: process.execPath,
      args: [path.join(webDir, "src/main.js")],
      env: {
        WEB_LISTEN: `127.0.0.1:${sitePort}`,
        COMMENTS_SERVER: stack.serverAddress,
        COMMENTS_GATEWAY_URL: stack.gatewayUrl,
        // The tests name each reader in X-Forwarded-For, as a load balancer
        // in front of the site would.
        WEB_TRUST_PROXY: "loopback",
      },
      logFile: path.join(logDir, "site.log"),
      ready: listeningAddress,
    });
    stops.push(() => stopProcess(site.child));
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

// commentctl against the stack's server as the tests' moderator; --json
// output parsed.
export async function commentctl(stack, ...args) {
  const result = await run(commentctlBin, ["--server", stack.serverAddress, "--json", ...args], {
    env: { COMMENTS_TOKEN: stack.moderatorToken },
  });
  if (result.code !== 0) {
    throw new Error(`commentctl ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}
