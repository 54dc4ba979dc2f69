// Child processes of the browser tests: started with their output in a log
// file, awaited by the line that says they are ready (never by a fixed
// wait), and stopped by their own pid.

import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import readline from "node:readline";

const running = new Set();

// A test run that dies must not leave servers behind.
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

// Starts `command` and resolves once a line of its standard error (or
// output) satisfies `ready`, with what `ready` returned; rejects with the
// log's tail if it exits or `timeoutMs` passes first.
export async function startProcess({ name, command, args, env, logFile, ready, timeoutMs = 30000, spawnOptions = {} }) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...spawnOptions,
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const log = createWriteStream(logFile, { flags: "a" });
  const lines = [];
  let resolveReady;
  let rejectReady;
  const readiness = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (line) => {
      log.write(`${line}\n`);
      lines.push(line);
      if (lines.length > 40) lines.shift();
      const value = ready(line);
      if (value !== undefined) resolveReady(value);
    });
  }
  const timer = setTimeout(
    () => rejectReady(new Error(`${name} not ready within ${timeoutMs} ms:\n${lines.join("\n")}`)),
    timeoutMs,
  );
  child.once("error", (error) => rejectReady(new Error(`${name} did not start: ${error.message}`)));
  child.once("exit", (code, signal) =>
    rejectReady(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${lines.join("\n")}`)),
  );
  try {
    const value = await readiness;
    return { child, value, lines };
  } catch (error) {
    await stopProcess(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

// Sends `signal` to the child's pid and waits for it to exit; SIGKILL after
// `graceMs`.
export async function stopProcess(child, signal = "SIGTERM", graceMs = 10000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  try {
    process.kill(child.pid, signal);
  } catch {
    // It exited meanwhile; "exit" is on its way.
  }
  const timer = setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

// The address in a {"msg":"listening","address":...} log line, which the
// comment service, the gateway and the site all write.
export function listeningAddress(line) {
  try {
    const entry = JSON.parse(line);
    return entry?.msg === "listening" && typeof entry.address === "string" ? entry.address : undefined;
  } catch {
    return undefined;
  }
}

// Runs a command to completion: {code, stdout, stderr}.
export async function run(command, args, { env, input, spawnOptions = {} } = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
    ...spawnOptions,
  });
  const stdout = [];
  const stderr = [];
  child.stdout.on("data", (chunk) => stdout.push(chunk));
  child.stderr.on("data", (chunk) => stderr.push(chunk));
  child.stdin.end(input ?? "");
  const [code] = await once(child, "close");
  return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}
