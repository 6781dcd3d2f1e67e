/**
 * Helpers for tests that run real processes: the service's entry point and the buf CLI.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the repository (cwd for `node --import tsx services/auth/src/main.ts`). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const MAIN = join(REPO_ROOT, "services/auth/src/main.ts");
export const BUF = join(REPO_ROOT, "node_modules/.bin/buf");

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running child whose output is collected as it arrives. */
export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<Finished>;
}

export function start(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Running {
  const child = spawn(command, args, { cwd: opts.cwd ?? REPO_ROOT, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<Finished>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs a command to completion; kills it after `timeoutMs` (a hang fails the test, not the run). */
export async function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Finished> {
  const p = start(command, args, opts);
  const timer = setTimeout(() => p.child.kill("SIGKILL"), opts.timeoutMs ?? 25_000);
  const done = await p.exited;
  clearTimeout(timer);
  return done;
}

/**
 * `node --import tsx services/auth/src/main.ts` with exactly the given environment (plus PATH,
 * and /metrics on a free port unless METRICS_ADDRESS is given: parallel tests share the host).
 */
export function startMain(env: Record<string, string>): Running {
  return start(process.execPath, ["--import", "tsx", MAIN], { env: { PATH: process.env.PATH ?? "", METRICS_ADDRESS: "127.0.0.1:0", ...env } });
}

/** Resolves with the first JSON log line matching `pred`; rejects if the process exits first. */
export function waitForLogLine(p: Running, pred: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const check = () => {
      for (const line of jsonLines(p.stdout())) {
        if (pred(line)) {
          p.child.stdout!.off("data", check);
          resolve(line);
          return;
        }
      }
    };
    p.child.stdout!.on("data", check);
    void p.exited.then((f) => reject(new Error(`exited (${f.code ?? f.signal}) before the log line:\n${f.stdout}\n${f.stderr}`)));
    check();
  });
}

/** Every complete line of `text` that is a JSON object (pino's output format). */
export function jsonLines(text: string): Record<string, unknown>[] {
  const lines = text.split("\n");
  lines.pop(); // incomplete (or empty) last line
  return lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** `buf` in an empty temp folder with its own cache, so it can't fall back to the repo's protos. */
export async function bufSandbox(): Promise<{ buf(...args: string[]): Promise<Finished>; dispose(): Promise<void> }> {
  const cwd = await mkdtemp(join(tmpdir(), "tessera-buf-"));
  const env = { ...process.env, BUF_CACHE_DIR: join(cwd, ".cache") };
  return {
    buf: (...args) => run(BUF, args, { cwd, env }),
    dispose: () => rm(cwd, { recursive: true, force: true }),
  };
}
