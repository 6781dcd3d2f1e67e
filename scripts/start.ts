// `npm start`: the auth service (with an embedded PostgreSQL when DATABASE_URL is unset), the
// REST gateway and the web app, as child processes sharing this terminal. The web app is built
// first (always as production) unless a finished build of the same sources exists (see
// web-build.ts). Ctrl-C or SIGTERM stops them all.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildEnv, clearBuildStamp, markBuildComplete, webBuildIsCurrent, webSourceHash } from "./web-build.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(root, "web");
const distDir = path.join(webDir, process.env.TESSERA_WEB_DIST_DIR || ".next");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const webPort = process.env.TESSERA_WEB_PORT ?? "3000";
const webUrl = process.env.TESSERA_WEB_URL ?? `http://localhost:${webPort}`;

const env: NodeJS.ProcessEnv = {
  ...process.env,
  // Every service runs as production unless told otherwise; `npm start` is the local
  // development command, so it asks for development (development secrets, the mailbox)
  // unless the user chose a mode.
  TESSERA_ENV: process.env.TESSERA_ENV || "development",
  TESSERA_WEB_PORT: webPort,
  TESSERA_WEB_URL: webUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? webUrl,
  NEXT_TELEMETRY_DISABLED: "1",
};

const children: { name: string; child: ChildProcess }[] = [];
let exitCode = 0;
let stopping = false;

function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill(signal);
  if (children.every(({ child }) => child.exitCode !== null)) process.exit(exitCode);
}

/** Starts a part; `task` parts (the web build) may end with code 0 without stopping the rest. */
function start(name: string, args: string[], cwd = root, task = false, childEnv = env): ChildProcess {
  const child = spawn(process.execPath, args, { cwd, stdio: "inherit", env: childEnv });
  children.push({ name, child });
  child.on("exit", (code, signal) => {
    if (task && code === 0) {
      children.splice(children.findIndex((c) => c.child === child), 1);
      return;
    }
    if (!stopping) {
      // One part died on its own: say which, and take the others down with it.
      process.stderr.write(`tessera: ${name} exited (${signal ?? `code ${code}`}); stopping\n`);
      exitCode = code || 1;
      stopAll("SIGTERM");
    }
    if (children.every((c) => c.child.exitCode !== null || c.child.signalCode !== null)) process.exit(exitCode);
  });
  return child;
}

process.on("SIGINT", () => stopAll("SIGTERM"));
process.on("SIGTERM", () => stopAll("SIGTERM"));

process.stdout.write(
  "tessera: starting the auth service on http://127.0.0.1:50051 (Connect, gRPC, gRPC-Web) and the REST gateway on http://127.0.0.1:8080\n",
);
start("auth", ["--import", "tsx", "services/auth/src/main.ts"]);
start("gateway", ["--import", "tsx", "services/gateway/src/main.ts"]);

const sourceHash = webSourceHash(root);
if (!webBuildIsCurrent(distDir, sourceHash)) {
  process.stdout.write("tessera: building the web app (about a minute the first time)…\n");
  clearBuildStamp(distDir);
  const build = start("web build", [nextBin, "build", "--webpack"], webDir, true, buildEnv(env));
  const code = await new Promise<number | null>((resolve) => build.once("exit", (c) => resolve(c)));
  if (code === 0) markBuildComplete(distDir, sourceHash);
}
if (!stopping) {
  // web/server.ts, not `next start`: it takes the client address from the socket.
  // Run from web/: Next.js compiles next.config.ts and resolves its imports from the cwd.
  start("web", ["--import", "tsx", path.join(webDir, "server.ts")], webDir);
  // Say where to go once the app answers.
  for (let i = 0; i < 300 && !stopping; i++) {
    try {
      await fetch(`${webUrl}/api/auth/providers`);
      process.stdout.write(`\ntessera: ready. Open ${webUrl} to sign up; development mail is at ${webUrl}/dev/mailbox\n\n`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
