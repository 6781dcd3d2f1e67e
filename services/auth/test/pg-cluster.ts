/**
 * A throw-away PostgreSQL 15 cluster of the test's own, for fault tests that stop and start the
 * server (never the machine's shared one on 5432). As root it runs as the `postgres` user
 * (PostgreSQL refuses to run as root) in a temporary folder that user owns.
 */
import { freePort } from "./free-port.js";
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
/** PG_BIN_DIR, else the newest Debian-packaged PostgreSQL (15 on this project's machines). */
const BIN =
  process.env.PG_BIN_DIR ??
  (() => {
    const root = "/usr/lib/postgresql";
    const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
    return path.join(root, versions[0] ?? "15", "bin");
  })();
const RUN_AS = "postgres";

/** A running cluster; `url` points at its `postgres` database (trust auth). */
export interface PgCluster {
  url: string;
  port: number;
  /** pg_ctl stop -m <mode>; waits until the server is down. */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** pg_ctl start on the same port; waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its folder. */
  destroy(): Promise<void>;
}

async function asOwner(dir: string, command: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ["runuser", ["-u", RUN_AS, "--", path.join(BIN, command), ...args]] : [path.join(BIN, command), args];
  const { stdout } = await run(file, argv, { cwd: dir, timeout: 120_000 });
  return stdout;
}

/** initdb + pg_ctl start on a free port of 127.0.0.1. */
export async function startPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-pg-"));
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", RUN_AS]);
    const { stdout: gid } = await run("id", ["-g", RUN_AS]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, "data");
  await asOwner(dir, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const ctl = (...args: string[]) => asOwner(dir, "pg_ctl", ["-D", data, "-w", "-t", "60", ...args]);
  let running = false;
  const start = async () => {
    await ctl("-o", options, "-l", path.join(dir, "log"), "start");
    running = true;
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    async stop(mode) {
      await ctl("-m", mode, "stop");
      running = false;
    },
    async destroy() {
      if (running) await ctl("-m", "immediate", "stop").catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
