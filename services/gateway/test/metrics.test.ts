/**
 * GET /metrics of the gateway under real traffic through a real auth service: requests by route
 * template, method and status, token verifications by outcome, upstream RPC errors. Its own
 * listener (METRICS_ADDRESS), never the public port; METRICS_TOKEN guards it; "off" serves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrape, type Scrape } from "../../auth/test/prometheus-text.js";
import type { TestServer } from "../../auth/test/harness.js";
import { startTestServer } from "../../auth/test/harness.js";
import type { Gateway } from "../src/server.js";
import { bearer, call, register, startTestGateway, uniqueEmail } from "./helpers.js";

const TOKEN = "gateway-scrape-token-0123456789";
const HOUR = 3600_000;

let auth: TestServer;
let gw: Gateway;
let clockOffset = 0;

beforeAll(async () => {
  auth = await startTestServer();
  gw = await startTestGateway(auth, { METRICS_TOKEN: TOKEN }, { now: () => Date.now() + clockOffset });
});
afterAll(async () => {
  await gw?.stop();
  await auth?.stop();
});

describe("GET /metrics of the gateway", () => {
  let m: Scrape;

  beforeAll(async () => {
    const a = await register(gw);
    const b = await register(gw);
    expect((await call(gw, "POST", "/auth/login", { json: { email: a.email, password: "not the password at all" } })).status).toBe(401);
    expect((await call(gw, "POST", "/auth/login", { json: { email: uniqueEmail("nobody"), password: "not the password at all" } })).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await call(gw, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(200);
    expect((await call(gw, "GET", `/users/${b.userId}`, { headers: bearer(a.accessToken) })).status).toBe(403); // someone else's account
    expect((await call(gw, "GET", "/users/me")).status).toBe(401);
    expect((await call(gw, "GET", "/users/me", { headers: bearer("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln") })).status).toBe(401);
    clockOffset = 2 * HOUR; // the access token (15 min) has expired for the gateway
    expect((await call(gw, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(401);
    clockOffset = 0;
    expect((await call(gw, "GET", "/no/such/route")).status).toBe(404);
    m = await scrape(gw.metricsPort!, TOKEN);
  });

  it("counts requests by route template, method and status, with a latency histogram", () => {
    expect(m.value("tessera_gateway_http_requests_total", { route: "/auth/register", method: "POST", status: "201" })).toBe(2);
    expect(m.value("tessera_gateway_http_requests_total", { route: "/auth/login", method: "POST", status: "401" })).toBe(2);
    expect(m.value("tessera_gateway_http_requests_total", { route: "/users/me", method: "GET", status: "200" })).toBe(3);
    expect(m.value("tessera_gateway_http_requests_total", { route: "/users/me", method: "GET", status: "401" })).toBe(3);
    // The template, never the id: one series for every user.
    expect(m.value("tessera_gateway_http_requests_total", { route: "/users/{id}", method: "GET", status: "403" })).toBe(1);
    expect(m.samples.filter((s) => s.name === "tessera_gateway_http_requests_total" && !s.labels.route!.startsWith("/") && s.labels.route !== "unmatched")).toEqual([]);
    expect(m.value("tessera_gateway_http_requests_total", { route: "unmatched", method: "GET", status: "404" })).toBe(1);
    expect(m.value("tessera_gateway_http_request_duration_seconds_count", { route: "/auth/login", method: "POST" })).toBe(2);
    expect(m.value("tessera_gateway_http_request_duration_seconds_sum", { route: "/auth/login", method: "POST" })).toBeGreaterThan(0.001);
  });

  it("counts token verifications by outcome", () => {
    expect(m.value("tessera_gateway_token_verifications_total", { outcome: "valid" })).toBe(4);
    expect(m.value("tessera_gateway_token_verifications_total", { outcome: "missing" })).toBe(1);
    expect(m.value("tessera_gateway_token_verifications_total", { outcome: "invalid" })).toBe(1);
    expect(m.value("tessera_gateway_token_verifications_total", { outcome: "expired" })).toBe(1);
    expect(m.value("tessera_gateway_token_verifications_total", { outcome: "keys_unavailable" })).toBe(0);
  });

  it("counts failed RPCs to the auth service by code", () => {
    expect(m.value("tessera_gateway_upstream_errors_total", { code: "unauthenticated" })).toBe(2);
    expect(m.value("tessera_gateway_upstream_errors_total", { code: "permission_denied" })).toBe(1);
    expect(m.value("tessera_gateway_upstream_errors_total", { code: "unavailable" })).toBeUndefined();
  });

  it("includes Node's process metrics", () => {
    expect(m.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(m.value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("counts UNAVAILABLE when the auth service is gone", async () => {
    const lone = await startTestServer();
    const front = await startTestGateway(lone);
    try {
      const a = await register(front);
      // Keys fetched (and this token verified) while the service is up; then it goes away.
      expect((await call(front, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(200);
      await lone.stop();
      expect((await call(front, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(503);
      const s = await scrape(front.metricsPort!);
      expect(s.value("tessera_gateway_token_verifications_total", { outcome: "valid" })).toBe(2);
      expect(s.value("tessera_gateway_upstream_errors_total", { code: "unavailable" })).toBe(1);
      expect(s.value("tessera_gateway_http_requests_total", { route: "/users/me", method: "GET", status: "503" })).toBe(1);
    } finally {
      await front.stop();
    }
  });
});

describe("the gateway's /metrics listener", () => {
  it("is not served on the public port", async () => {
    const res = await call(gw, "GET", "/metrics");
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain("tessera_gateway");
  });

  it("refuses a missing or wrong METRICS_TOKEN with 401 and accepts the right one", async () => {
    const url = `http://127.0.0.1:${gw.metricsPort}/metrics`;
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer not-the-gateway-token-0123" }, { authorization: TOKEN }]) {
      const res = await fetch(url, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(await res.text()).not.toContain("tessera_");
    }
    const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("# TYPE tessera_gateway_http_requests_total counter");
  });

  it("with METRICS_ADDRESS=off has no listener; each gateway keeps its own counts", async () => {
    const off = await startTestGateway(auth, { METRICS_ADDRESS: "off" });
    const other = await startTestGateway(auth);
    try {
      expect(off.metricsPort).toBeUndefined();
      expect((await call(off, "GET", "/metrics")).status).toBe(404);
      const fresh = await scrape(other.metricsPort!);
      expect(fresh.value("tessera_gateway_http_requests_total", { route: "/auth/register" })).toBeUndefined();
    } finally {
      await Promise.all([off.stop(), other.stop()]);
    }
  });
});
