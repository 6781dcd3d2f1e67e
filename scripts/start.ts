// `npm start`: the auth service (with an embedded PostgreSQL when DATABASE_URL is unset), the
// REST gateway and the web app, as child processes sharing this terminal. The web app is built
// first when its build is missing or older than its sources. Ctrl-C or SIGTERM stops them all.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const webDir = path.join(root, "web");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const production = process.env.NODE_ENV === "production";
const webPort = process.env.TESSERA_WEB_PORT ?? "3000";
const webUrl = process.env.TESSERA_WEB_URL ?? `http://localhost:${webPort}`;

const env: NodeJS.ProcessEnv = {
  ...process.env,
  TESSERA_WEB_URL: webUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? webUrl,
  NEXT_TELEMETRY_DISABLED: "1",
  // `next start` always runs with NODE_ENV=production; this tells the web app it is a local
  // development deployment (development secrets allowed, mailbox page on).
  ...(production ? {} : { TESSERA_APP_ENV: "development" }),
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
function start(name: string, args: string[], cwd = root, task = false): ChildProcess {
  const child = spawn(process.execPath, args, { cwd, stdio: "inherit", env });
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

/** Newest modification time under the web app's sources and the generated clients. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!e.startsWith(".") && e !== "node_modules" && e !== "test") walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "components", "lib", "types", "proxy.ts", "next.config.ts"]) walk(path.join(webDir, p));
  walk(path.join(root, "gen"));
  return newest;
}

function webBuildIsCurrent(): boolean {
  const buildId = path.join(webDir, ".next", "BUILD_ID");
  return existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource();
}

process.on("SIGINT", () => stopAll("SIGTERM"));
process.on("SIGTERM", () => stopAll("SIGTERM"));

process.stdout.write(
  "tessera: starting the auth service on http://127.0.0.1:50051 (Connect, gRPC, gRPC-Web) and the REST gateway on http://127.0.0.1:8080\n",
);
start("auth", ["--import", "tsx", "services/auth/src/main.ts"]);
start("gateway", ["--import", "tsx", "services/gateway/src/main.ts"]);

if (!webBuildIsCurrent()) {
  process.stdout.write("tessera: building the web app (about a minute the first time)…\n");
  const build = start("web build", [nextBin, "build", "--webpack"], webDir, true);
  await new Promise<void>((resolve) => build.once("exit", () => resolve()));
}
if (!stopping) {
  start("web", [nextBin, "start", "--port", webPort], webDir);
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
