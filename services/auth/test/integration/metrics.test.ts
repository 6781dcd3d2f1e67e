/**
 * GET /metrics of the auth service under real traffic: sign-ups, wrong passwords until the
 * throttle refuses, a refresh-token reuse and mail that SMTP refuses, on a database of this
 * file's own (so the outbox gauges count only this file's mail). The listener is its own port
 * (METRICS_ADDRESS), never the public one; METRICS_TOKEN guards it; "off" serves nothing.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { scrape, type Scrape } from "../prometheus-text.js";
import { scratchDatabase } from "../scratch-db.js";
import type { ScratchDatabase } from "../global-setup.js";
import { startSmtp, type TestSmtp } from "../smtp.js";

const AUTH = "tessera.auth.v1.AuthService";
const TOKEN = "scrape-token-for-the-metrics-test";
const LOGIN_LIMIT = 3;

let scratch: ScratchDatabase;
let smtp: TestSmtp;
let server: TestServer;

beforeAll(async () => {
  scratch = await scratchDatabase();
  smtp = await startSmtp();
  smtp.refusing = true; // every mail stays QUEUED and each attempt is a send error
  server = await startTestServer(
    {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      TESSERA_LIMIT_LOGIN_ACCOUNT: String(LOGIN_LIMIT),
      TESSERA_REFRESH_GRACE: "0",
      METRICS_TOKEN: TOKEN,
    },
    scratch.url,
  );
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  await scratch?.drop();
});

async function codeOf(p: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

async function queryOne<T>(sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

describe("GET /metrics of the auth service", () => {
  let m: Scrape;
  let failures = 0;
  let throttled = 0;
  const signUps = 3;

  beforeAll(async () => {
    const auth = server.connect(AuthService);
    const accounts = [];
    for (let i = 0; i < signUps; i++) {
      const email = uniqueEmail("metrics");
      accounts.push({ email, tokens: (await auth.register({ email, password: GOOD_PASSWORD })).tokens! });
    }
    expect(await codeOf(auth.login({ email: accounts[0]!.email, password: GOOD_PASSWORD }))).toBe("ok");
    // Wrong passwords for one account until the per-account-and-client rule refuses.
    for (let i = 0; i < LOGIN_LIMIT + 2; i++) {
      const code = await codeOf(auth.login({ email: accounts[1]!.email, password: "not the password at all" }));
      if (code === Code.Unauthenticated) failures++;
      else if (code === Code.ResourceExhausted) throttled++;
      else expect.fail(`unexpected ${code}`);
    }
    // A refresh token spent twice: the second use is reuse.
    const spent = accounts[2]!.tokens.refreshToken;
    expect(await codeOf(auth.refresh({ refreshToken: spent }))).toBe("ok");
    expect(await codeOf(auth.refresh({ refreshToken: spent }))).toBe(Code.Unauthenticated);
    // The worker has tried the queued mail at least once (SMTP refuses), so send errors are counted.
    for (let i = 0; i < 100 && smtp.refused === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(smtp.refused).toBeGreaterThanOrEqual(1);
    m = await scrape(server.app.metricsPort!, TOKEN);
  });

  it("counts RPC calls by service, method and code, with a latency histogram", () => {
    expect(m.value("tessera_rpc_calls_total", { service: AUTH, method: "Register", code: "ok" })).toBe(signUps);
    expect(m.value("tessera_rpc_calls_total", { service: AUTH, method: "Login", code: "ok" })).toBe(1);
    expect(m.value("tessera_rpc_calls_total", { service: AUTH, method: "Login", code: "unauthenticated" })).toBe(failures);
    expect(m.value("tessera_rpc_calls_total", { service: AUTH, method: "Login", code: "resource_exhausted" })).toBe(throttled);
    expect(m.value("tessera_rpc_calls_total", { service: AUTH, method: "Refresh", code: "unauthenticated" })).toBe(1);
    expect(m.value("tessera_rpc_duration_seconds_count", { service: AUTH, method: "Login" })).toBe(1 + failures + throttled);
    // argon2 makes a sign-in take milliseconds, never zero.
    expect(m.value("tessera_rpc_duration_seconds_sum", { service: AUTH, method: "Login" })).toBeGreaterThan(0.001);
    expect(m.value("tessera_rpc_duration_seconds_bucket", { service: AUTH, method: "Login", le: "+Inf" })).toBe(1 + failures + throttled);
  });

  it("counts sign-ins by method and outcome, and throttled calls by rule", () => {
    expect(failures).toBe(LOGIN_LIMIT);
    expect(throttled).toBe(2);
    expect(m.value("tessera_sign_ins_total", { method: "password", outcome: "success" })).toBe(1);
    expect(m.value("tessera_sign_ins_total", { method: "password", outcome: "failure" })).toBe(failures);
    expect(m.value("tessera_sign_ins_total", { method: "password", outcome: "throttled" })).toBe(throttled);
    // Every method and outcome is exposed from the start, so rate() has a series to work on.
    for (const method of ["oauth", "passkey", "second_step"]) for (const outcome of ["success", "failure", "throttled", "second_factor_challenge"])
      expect(m.value("tessera_sign_ins_total", { method, outcome }), `${method}/${outcome}`).toBe(0);
    expect(m.value("tessera_throttled_total", { rule: "loginAccount" })).toBe(throttled);
    expect(m.value("tessera_throttled_total", { rule: "registerIp" })).toBe(0);
  });

  it("counts refresh-token reuse", () => {
    expect(m.value("tessera_refresh_token_reuse_total")).toBe(1);
  });

  it("shows the outbox as the database holds it: queued count, oldest age, failures, send errors", async () => {
    const db = await queryOne<{ queued: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'QUEUED')::int AS queued, count(*) FILTER (WHERE status = 'FAILED')::int AS failed FROM "OutboxMail"`,
    );
    expect(db.queued).toBeGreaterThanOrEqual(signUps); // a verification mail per sign-up, perhaps security notices
    expect(m.value("tessera_outbox_queued")).toBe(db.queued);
    expect(m.value("tessera_outbox_failed")).toBe(db.failed);
    const age = m.value("tessera_outbox_oldest_queued_age_seconds")!;
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(120);
    // Counted by this process at each refused attempt; the SMTP server saw at least as many.
    expect(m.value("tessera_outbox_send_errors_total")).toBeGreaterThanOrEqual(1);
    expect(m.value("tessera_outbox_send_errors_total")).toBeLessThanOrEqual(smtp.refused);
  });

  it("reads the outbox at most once per few seconds, however often it is scraped", async () => {
    const before = m.value("tessera_outbox_queued")!;
    await server.connect(AuthService).register({ email: uniqueEmail("metrics-cache"), password: GOOD_PASSWORD });
    const again = await scrape(server.app.metricsPort!, TOKEN);
    expect(again.value("tessera_outbox_queued")).toBe(before);
    await new Promise((r) => setTimeout(r, 5_100));
    expect((await scrape(server.app.metricsPort!, TOKEN)).value("tessera_outbox_queued")).toBe(before + 1);
  });

  it("shows the database pool, the argon2 queue, the signing key and readiness", () => {
    expect(m.value("tessera_db_pool_max")).toBe(10);
    expect(m.value("tessera_db_pool_waiting")).toBe(0);
    expect(m.value("tessera_db_pool_in_use")).toBeGreaterThanOrEqual(0);
    expect(m.value("tessera_db_pool_idle")).toBeGreaterThanOrEqual(1); // the pool has served this traffic
    expect(m.value("tessera_argon2_in_flight")).toBe(0); // nothing signing in while scraping
    const age = m.value("tessera_signing_key_age_seconds")!;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(300); // a key of this new database
    expect(m.value("tessera_signing_key_next_activation_seconds")).toBeLessThanOrEqual(0); // no successor yet
    expect(m.value("tessera_signing_key_rotation_seconds")).toBe(30 * 86400);
    expect(m.value("tessera_serving")).toBe(1);
  });

  it("includes Node's process metrics", () => {
    expect(m.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(m.value("nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(m.value("process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts argon2 work in flight while sign-ins run", async () => {
    const auth = server.connect(AuthService);
    const email = uniqueEmail("metrics-argon2");
    await auth.register({ email, password: GOOD_PASSWORD });
    const logins = Array.from({ length: 8 }, () => codeOf(auth.login({ email, password: GOOD_PASSWORD })));
    let peak = 0;
    const watching = (async () => {
      for (let i = 0; i < 40 && peak === 0; i++) peak = Math.max(peak, (await scrape(server.app.metricsPort!, TOKEN)).value("tessera_argon2_in_flight")!);
    })();
    await Promise.all(logins);
    await watching;
    expect(peak).toBeGreaterThanOrEqual(1);
  });
});

describe("the /metrics listener", () => {
  it("is not served on the public port", async () => {
    const res = await fetch(`${server.baseUrl}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("tessera_rpc_calls_total");
  });

  it("refuses a missing or wrong METRICS_TOKEN with 401 and accepts the right one", async () => {
    const url = `http://127.0.0.1:${server.app.metricsPort}/metrics`;
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-token-of-the-same-len" }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      const res = await fetch(url, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain("tessera_");
    }
    const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await ok.text()).toContain("# TYPE tessera_rpc_calls_total counter");
    expect((await fetch(`http://127.0.0.1:${server.app.metricsPort}/other`)).status).toBe(404);
  });

  it("without a token answers anyone who reaches it; with METRICS_ADDRESS=off there is no listener at all", async () => {
    const open = await startTestServer({ METRICS_ADDRESS: "127.0.0.1:0" });
    const off = await startTestServer({ METRICS_ADDRESS: "off" });
    try {
      expect((await scrape(open.app.metricsPort!)).value("tessera_serving")).toBe(1);
      expect(off.app.metricsPort).toBeUndefined();
      expect((await fetch(`${off.baseUrl}/metrics`)).status).toBe(404);
    } finally {
      await Promise.all([open.stop(), off.stop()]);
    }
  });

  it("keeps the counts of each service instance apart (a registry per process, not a global one)", async () => {
    const other = await startTestServer({ METRICS_ADDRESS: "127.0.0.1:0" });
    try {
      const fresh = await scrape(other.app.metricsPort!);
      expect(fresh.value("tessera_rpc_calls_total", { method: "Register" })).toBeUndefined();
      expect(fresh.value("tessera_refresh_token_reuse_total")).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
