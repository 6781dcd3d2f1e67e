// `npm start`: the auth service (with an embedded PostgreSQL when DATABASE_URL is unset) and
// the REST gateway, as two processes sharing this terminal. Ctrl-C or SIGTERM stops both.
import { spawn, type ChildProcess } from "node:child_process";

const services: [string, string][] = [
  ["auth", "services/auth/src/main.ts"],
  ["gateway", "services/gateway/src/main.ts"],
];

const children: ChildProcess[] = services.map(([, entry]) =>
  spawn(process.execPath, ["--import", "tsx", entry], { stdio: "inherit", env: process.env }),
);

let exitCode = 0;
let stopping = false;
function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}

children.forEach((child, i) => {
  child.on("exit", (code, signal) => {
    if (!stopping) {
      // One service died on its own: say which, and take the other one down with it.
      process.stderr.write(`tessera: ${services[i]![0]} exited (${signal ?? `code ${code}`}); stopping\n`);
      exitCode = code || 1;
      stopAll("SIGTERM");
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
  });
});
process.on("SIGINT", () => stopAll("SIGTERM"));
process.on("SIGTERM", () => stopAll("SIGTERM"));

process.stdout.write(
  "tessera: starting the auth service on http://127.0.0.1:50051 (Connect, gRPC, gRPC-Web) and the REST gateway on http://127.0.0.1:8080\n",
);
