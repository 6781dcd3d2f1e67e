/**
 * What one client can hold on the gateway's port: it speaks HTTP/1.1 only (an HTTP/2 preface is
 * answered and closed, never kept), a request body must arrive within GATEWAY_REQUEST_TIMEOUT,
 * connections per address are capped, and a stop drains (/readyz 503 while still serving).
 */
import http from "node:http";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rawH2 } from "../../auth/test/h2-frames.js";
import { startTestServer, type TestServer } from "../../auth/test/harness.js";
import type { Gateway } from "../src/server.js";
import { startTestGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway | undefined;
const cleanup: (() => void)[] = [];
beforeAll(async () => {
  auth = await startTestServer();
});
afterEach(async () => {
  for (const f of cleanup.splice(0)) f();
  await gw?.stop();
  gw = undefined;
});
afterAll(async () => {
  await auth?.stop();
});

async function gateway(env: Record<string, string>): Promise<Gateway> {
  gw = await startTestGateway(auth, env);
  return gw;
}

/** A raw TCP connection to the gateway; `received` collects what it answers, `closed` resolves on hang-up. */
async function socketTo(g: Gateway) {
  const socket = net.connect(g.port, "127.0.0.1");
  cleanup.push(() => socket.destroy());
  socket.on("error", () => {});
  let received = "";
  socket.setEncoding("latin1").on("data", (d: string) => (received += d));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  return { socket, received: () => received, closed };
}

/** GET `path` over `agent`: status and body text. */
function get(g: Gateway, path: string, agent: http.Agent): Promise<{ status: number; body: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: g.port, path, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.once("end", () => resolve({ status: res.statusCode!, body, socket: req.socket! }));
    });
    req.once("error", reject);
  });
}

describe("gateway connection bounds", () => {
  it("does not hold an HTTP/2 (h2c) connection: it is answered as a bad HTTP/1.1 request and closed", async () => {
    const g = await gateway({});
    const raw = await rawH2(g.port);
    cleanup.push(() => raw.socket.destroy());
    await raw.closed;
  });

  it("cuts a request that announces a large JSON body and stalls (408, connection closed)", async () => {
    const g = await gateway({ GATEWAY_REQUEST_TIMEOUT: "1" });
    const c = await socketTo(g);
    c.socket.write("POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{\"email\":");
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("closes connections beyond GATEWAY_MAX_CONNECTIONS_PER_IP at once, and admits again once one closes", async () => {
    const g = await gateway({ GATEWAY_MAX_CONNECTIONS_PER_IP: "2" });
    const agents = [new http.Agent({ keepAlive: true, maxSockets: 1 }), new http.Agent({ keepAlive: true, maxSockets: 1 })];
    cleanup.push(() => agents.forEach((a) => a.destroy()));
    for (const agent of agents) expect((await get(g, "/healthz", agent)).status).toBe(200); // two held keep-alive connections

    const third = await socketTo(g);
    third.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await third.closed;
    expect(third.received()).toBe("");

    agents[0]!.destroy();
    await expect.poll(() => get(g, "/healthz", new http.Agent()).then((r) => r.status, () => 0), { timeout: 10_000 }).toBe(200);
  });
});

describe("gateway connection bounds behind a trusted proxy", () => {
  it("does not count the connections of a peer in GATEWAY_TRUSTED_PROXIES (it carries every client)", async () => {
    const g = await gateway({ GATEWAY_MAX_CONNECTIONS_PER_IP: "2", GATEWAY_TRUSTED_PROXIES: "127.0.0.1" });
    const agents = Array.from({ length: 4 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    cleanup.push(() => agents.forEach((a) => a.destroy()));
    for (const agent of agents) expect((await get(g, "/healthz", agent)).status).toBe(200);
  });
});

describe("gateway stop() with a drain window", () => {
  it("answers /readyz 503 at once while still serving requests on open connections, then closes them", async () => {
    const g = await gateway({ GATEWAY_DRAIN_SECONDS: "5" });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanup.push(() => agent.destroy());
    expect((await get(g, "/readyz", agent)).status).toBe(200);
    const first = await get(g, "/healthz", agent);

    const stopped = g.stop();
    gw = undefined;
    const ready = await get(g, "/readyz", agent);
    expect(ready.status).toBe(503);
    const jwks = await get(g, "/.well-known/jwks.json", agent);
    expect(jwks.status).toBe(200);
    expect(JSON.parse(jwks.body).keys.length).toBeGreaterThan(0);
    expect(jwks.socket).toBe(first.socket); // the same keep-alive connection, served during the drain

    await stopped;
    await new Promise<void>((resolve) => (first.socket.destroyed ? resolve() : first.socket.once("close", () => resolve())));
    await expect(get(g, "/healthz", new http.Agent())).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
