// A throwaway PostgreSQL for one test run: initdb into a temporary folder,
// a free port on 127.0.0.1, stopped by its pid and deleted afterwards. As
// root, the server runs as the "postgres" system user (PostgreSQL refuses
// root), like the C++ tests' harness.

import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync } from "node:fs";
import path from "node:path";
import { run, startProcess, stopProcess } from "./processes.js";
import { freePort } from "./ports.js";

const BIN_DIR = process.env.PG_BINDIR ?? "/usr/lib/postgresql/15/bin";
const SUPERUSER = "postgres";

function systemUser(name) {
  const uid = Number(execFileSync("id", ["-u", name]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", name]).toString().trim());
  return { uid, gid };
}

export async function startPostgres(dir, logFile) {
  const owner = process.getuid() === 0 ? systemUser(SUPERUSER) : undefined;
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "run");
  mkdirSync(socketDir, { recursive: true });
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid, cwd: "/" } : {};
  const initdb = await run(
    path.join(BIN_DIR, "initdb"),
    ["-D", dataDir, "--auth=trust", "-U", SUPERUSER, "--no-sync", "--encoding=UTF8", "--locale=C"],
    { spawnOptions: asOwner },
  );
  if (initdb.code !== 0) throw new Error(`initdb failed:\n${initdb.stderr}`);

  const port = await freePort();
  const { child } = await startProcess({
    name: "postgres",
    command: path.join(BIN_DIR, "postgres"),
    args: [
      "-D", dataDir,
      "-p", String(port),
      "-k", socketDir,
      "-c", "listen_addresses=127.0.0.1",
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
    ],
    logFile,
    spawnOptions: asOwner,
    ready: (line) => (line.includes("database system is ready to accept connections") ? true : undefined),
  });
  const psql = await run(path.join(BIN_DIR, "psql"), [
    "-h", "127.0.0.1", "-p", String(port), "-U", SUPERUSER, "-X", "-q", "-d", "postgres",
    "-c", "CREATE DATABASE comments",
  ]);
  if (psql.code !== 0) {
    await stopProcess(child, "SIGQUIT");
    throw new Error(`CREATE DATABASE failed:\n${psql.stderr}`);
  }
  return {
    url: `postgresql://${SUPERUSER}@127.0.0.1:${port}/comments`,
    // Immediate shutdown: the data is thrown away.
    stop: () => stopProcess(child, "SIGQUIT"),
  };
}
