// `npm run bench`: throughput and latency of the credential RPCs against a real server and a
// real PostgreSQL (BENCH_DATABASE_URL/TEST_DATABASE_URL server, else an embedded one). Each
// scenario is bounded in calls and time, and stops by itself.
import path from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { loadConfig } from "../src/config/config.js";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { migrate } from "../src/db/migrate.js";
import { startApp } from "../src/server/app.js";
import { createScratchDatabase } from "../test/global-setup.js";

const PASSWORD = "correct horse battery staple";

async function scenario(name: string, calls: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + 30_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls && performance.now() < deadline) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(
    `${name.padEnd(28)} ${String(latencies.length).padStart(5)} calls  c=${String(concurrency).padStart(2)}  ` +
      `${(latencies.length / seconds).toFixed(0).padStart(5)}/s  p50 ${pct(0.5).padStart(6)} ms  p95 ${pct(0.95).padStart(6)} ms`,
  );
}

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const embedded = serverUrl ? undefined : await startEmbeddedPostgres({ dataDir: path.resolve(".data/bench-postgres"), port: 54331 });
  const db = await createScratchDatabase(serverUrl ?? embedded!.url, "tessera_bench");
  await migrate(db.url);
  // Every call comes from 127.0.0.1 and the failed-login scenario repeats emails: limits far
  // above the bench's calls, still counted, so the throttling queries are part of the figures.
  const limits = Object.fromEntries(
    ["LOGIN_ACCOUNT", "LOGIN_ACCOUNT_TOTAL", "LOGIN_IP", "REGISTER_IP", "RESET_EMAIL", "RESET_IP", "VERIFY_USER"].map((rule) => [`TESSERA_LIMIT_${rule}`, "1000000"]),
  );
  const app = await startApp(loadConfig({ TESSERA_ENV: "test", TESSERA_AUTH_PORT: "0", TESSERA_DRAIN_SECONDS: "0", ...limits }), db.url, pino({ level: "silent" }));
  const client: Client<typeof AuthService> = createClient(AuthService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${app.port}` }));
  console.log(`node ${process.version}, gRPC over h2c, one connection, database ${serverUrl ? "from env" : "embedded"}`);

  try {
    const emails: string[] = [];
    await scenario("Register (argon2id hash)", 40, 4, async (i) => {
      emails[i] = `bench${i}@example.com`;
      await client.register({ email: emails[i]!, password: PASSWORD });
    });
    await scenario("Login (argon2id verify)", 80, 4, (i) => client.login({ email: emails[i % emails.length]!, password: PASSWORD }));
    // Interleaved one at a time, so both kinds see the same machine state: an existing email
    // must not be told apart from an unknown one by response time.
    const failed: Record<"wrong password" | "unknown email", number[]> = { "wrong password": [], "unknown email": [] };
    for (let i = 0; i < 160; i++) {
      const kind = i % 2 ? "wrong password" : "unknown email";
      const email = kind === "wrong password" ? emails[i % emails.length]! : `nobody${i}@example.com`;
      const t = performance.now();
      await client.login({ email, password: "not the password" }).catch(() => {});
      if (i >= 20) failed[kind].push(performance.now() - t);
    }
    for (const [kind, ms] of Object.entries(failed)) {
      ms.sort((a, b) => a - b);
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
      console.log(`Login failed, ${kind}`.padEnd(28) + ` ${String(ms.length).padStart(5)} calls  c= 1  mean ${mean.toFixed(1)} ms  p50 ${ms[ms.length >> 1]!.toFixed(1)} ms`);
    }
    const tokens = await Promise.all(emails.slice(0, 16).map((email) => client.login({ email, password: PASSWORD })));
    const current = tokens.map((t) => t.tokens!.refreshToken);
    await scenario("Refresh (rotate)", 2000, 16, async (i) => {
      const slot = i % current.length;
      const res = await client.refresh({ refreshToken: current[slot]! });
      current[slot] = res.tokens!.refreshToken;
    });
    await scenario("GetJwks", 5000, 16, () => client.getJwks({}));
  } finally {
    await app.stop();
    await db.drop();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
