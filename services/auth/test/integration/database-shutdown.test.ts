/**
 * PostgreSQL itself going away under load (pg_ctl stop -m fast, then -m immediate) of a cluster
 * this test starts: every failed call is UNAVAILABLE (never INTERNAL), the gateway answers 503
 * (never 500), grpc.health and the gateway's /readyz report the outage and the recovery, and
 * no write that was reported as successful is lost or doubled.
 */
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../../../gen/health/v1/health_pb.js";
import { startGateway, type Gateway } from "../../../gateway/src/server.js";
import { loadGatewayConfig } from "../../../gateway/src/config.js";
import { migrate } from "../../src/db/migrate.js";
import { startApp, type App } from "../../src/server/app.js";
import { GOOD_PASSWORD, memoryLogger, testConfig, uniqueEmail } from "../harness.js";
import { startPgCluster, type PgCluster } from "../pg-cluster.js";
import { pino } from "pino";

const PROBE_INTERVAL_MS = 200;

/** Calls made by the load, and what each answered. */
interface Outcomes {
  /** Emails whose Register reported success (directly or through the gateway). */
  registered: string[];
  /** Codes of failed RPCs made directly to the auth service. */
  rpcFailures: { code: Code; reason?: string; message: string }[];
  /** HTTP statuses the gateway answered. */
  gatewayStatuses: number[];
}

/** Register and read calls in a loop from a few concurrent clients, until stopped. */
function startLoad(clients: Client<typeof AuthService>[], gatewayUrl: string, accessToken: string, out: Outcomes) {
  let running = true;
  const pace = () => new Promise((resolve) => setTimeout(resolve, 10));
  const direct = async (client: Client<typeof AuthService>) => {
    while (running) {
      const email = uniqueEmail("pgstop");
      try {
        await client.register({ email, password: GOOD_PASSWORD });
        out.registered.push(email);
      } catch (e) {
        const err = ConnectError.from(e);
        out.rpcFailures.push({ code: err.code, reason: err.findDetails(ErrorDetailSchema)[0]?.reason, message: err.rawMessage });
        await pace(); // a refused call returns at once; do not spin
      }
    }
  };
  const viaGateway = async () => {
    for (let i = 0; running; i++) {
      const email = uniqueEmail("pgstop-gw");
      const res =
        i % 2 === 0
          ? await fetch(`${gatewayUrl}/auth/register`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ email, password: GOOD_PASSWORD }),
            })
          : await fetch(`${gatewayUrl}/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      await res.arrayBuffer();
      out.gatewayStatuses.push(res.status);
      if (res.status === 201) out.registered.push(email);
      if (res.status >= 400) await pace();
    }
  };
  const workers = [...clients.map(direct), viaGateway(), viaGateway()];
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe("PostgreSQL stopped under load", () => {
  const { logger, lines } = memoryLogger();
  let cluster: PgCluster;
  let app: App;
  let gateway: Gateway;
  let connect: Client<typeof AuthService>;
  let grpc: Client<typeof AuthService>;
  let health: Client<typeof Health>;
  let accessToken: string;
  const out: Outcomes = { registered: [], rpcFailures: [], gatewayStatuses: [] };

  const status = () => health.check({ service: "" }).then((r) => r.status);
  const readyz = () => fetch(`${gateway.url}/readyz`).then(async (r) => (await r.arrayBuffer(), r.status));

  beforeAll(async () => {
    cluster = await startPgCluster();
    await migrate(cluster.url);
    app = await startApp(
      testConfig({ TESSERA_DB_PROBE_INTERVAL_MS: String(PROBE_INTERVAL_MS), TESSERA_DB_PROBE_TIMEOUT_MS: "500" }),
      cluster.url,
      logger,
    );
    const baseUrl = `http://127.0.0.1:${app.port}`;
    connect = createClient(AuthService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
    grpc = createClient(AuthService, createGrpcTransport({ baseUrl }));
    health = createClient(Health, createGrpcTransport({ baseUrl }));
    gateway = await startGateway(
      loadGatewayConfig({ TESSERA_ENV: "test", GATEWAY_PORT: "0", METRICS_ADDRESS: "off", TESSERA_AUTH_URL: baseUrl, LOG_LEVEL: "silent" }),
      pino({ level: "silent" }),
    );
    const reg = await connect.register({ email: uniqueEmail("pgstop-reader"), password: GOOD_PASSWORD });
    accessToken = reg.tokens!.accessToken;
  });
  afterAll(async () => {
    await gateway?.stop();
    await app?.stop();
    await cluster?.destroy();
  });

  it("a pool saturated by slow queries is load, not an outage: health stays SERVING", { timeout: 60_000 }, async () => {
    const watcher = new pg.Client({ connectionString: cluster.url });
    await watcher.connect();
    // Every connection of the service's pool (10) busy for far longer than the probe's timeout.
    const slow = Array.from({ length: 12 }, () => app.db.$queryRaw`SELECT pg_sleep(30)`.catch(() => undefined));
    try {
      const active = async () =>
        Number((await watcher.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'`)).rows[0].n);
      await expect.poll(active, { timeout: 20_000, interval: 50 }).toBe(10);
      const { rows } = await watcher.query(`SELECT clock_timestamp() AS t0`);
      // Wait until a probe started well after the pool filled up (longer than its timeout later).
      const probeStartedAfter = async () =>
        (
          await watcher.query(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'tessera-health-probe' AND query_start > $1::timestamptz + interval '1 second'`,
            [rows[0].t0],
          )
        ).rows[0].n;
      await expect.poll(probeStartedAfter, { timeout: 20_000, interval: 50 }).toBe("1");
      expect(await active()).toBe(10);
      expect(await status()).toBe(ServingStatus.SERVING);
      expect(await readyz()).toBe(200);
    } finally {
      // Queued ones start as the first are cancelled: cancel until every one has ended.
      let ended = false;
      void Promise.all(slow).then(() => (ended = true));
      const cancel = () => watcher.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()`);
      await expect.poll(async () => (await cancel(), ended), { timeout: 20_000, interval: 50 }).toBe(true);
      await watcher.end();
    }
  });

  for (const mode of ["fast", "immediate"] as const) {
    it(`pg_ctl stop -m ${mode}: UNAVAILABLE / 503 and NOT_SERVING during the outage, SERVING after`, { timeout: 180_000 }, async () => {
      expect(await status()).toBe(ServingStatus.SERVING);
      expect(await readyz()).toBe(200);

      const before = { registered: out.registered.length, failures: out.rpcFailures.length };
      const load = startLoad([connect, connect, grpc], gateway.url, accessToken, out);
      try {
        // Calls are in flight and succeeding when the database goes away.
        await expect.poll(() => out.registered.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(before.registered + 5);
        await cluster.stop(mode);

        await expect.poll(status, { timeout: 30_000, interval: 50 }).toBe(ServingStatus.NOT_SERVING);
        await expect.poll(readyz, { timeout: 30_000, interval: 50 }).toBe(503);
        await expect.poll(() => out.rpcFailures.length, { timeout: 30_000, interval: 20 }).toBeGreaterThan(before.failures);
        // One call of our own, to read the whole answer.
        const err = await connect.register({ email: uniqueEmail("pgstop-down"), password: GOOD_PASSWORD }).then(
          () => expect.unreachable("Register succeeded with the database stopped"),
          (e: unknown) => ConnectError.from(e),
        );
        expect(err.code).toBe(Code.Unavailable);
        expect(err.findDetails(ErrorDetailSchema)[0]?.reason).toBe("server.database_unavailable");
        const down = await fetch(`${gateway.url}/auth/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: uniqueEmail("pgstop-gw-down"), password: GOOD_PASSWORD }),
        });
        expect(down.status).toBe(503);
        expect(await status()).toBe(ServingStatus.NOT_SERVING);

        await cluster.start();
        await expect.poll(status, { timeout: 30_000, interval: 50 }).toBe(ServingStatus.SERVING);
        await expect.poll(readyz, { timeout: 30_000, interval: 50 }).toBe(200);
        const afterRestart = out.registered.length;
        await expect.poll(() => out.registered.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(afterRestart + 5);
      } finally {
        await load.stop();
      }

      const codes = new Set(out.rpcFailures.map((f) => Code[f.code]));
      expect([...codes], JSON.stringify(out.rpcFailures.filter((f) => f.code !== Code.Unavailable).slice(0, 3))).toEqual(["Unavailable"]);
      expect(out.rpcFailures.every((f) => f.reason === "server.database_unavailable")).toBe(true);
      expect(new Set(out.gatewayStatuses.filter((s) => s >= 400))).toEqual(new Set([503]));
      expect(lines.filter((l) => l.includes('"code":"Internal"'))).toEqual([]);
    });
  }

  it("loses and doubles no write that was reported as successful", async () => {
    expect(out.registered.length).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ email: string; n: string }>(
        `SELECT email, count(*) AS n FROM "User" WHERE email = ANY($1::text[]) GROUP BY email`,
        [out.registered],
      );
      const counts = new Map(rows.map((r) => [r.email, Number(r.n)]));
      const lost = out.registered.filter((e) => !counts.has(e));
      const doubled = rows.filter((r) => Number(r.n) !== 1);
      expect({ lost, doubled }).toEqual({ lost: [], doubled: [] });
      expect(new Set(out.registered).size).toBe(out.registered.length);
    } finally {
      await client.end();
    }
  });
});
