/**
 * What a client sees for bad requests, and what never leaks: malformed bodies, oversized fields
 * and requests, internal RPCs without their credential, a bare INTERNAL, and x-request-id on
 * every response.
 */
import http2 from "node:http2";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { startApp } from "../../src/server/app.js";
import { GOOD_PASSWORD, memoryLogger, startTestServer, testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { scratchDatabase } from "../scratch-db.js";
import { connectErrorOf } from "../rpc-failure.js";

const RPC = "/tessera.auth.v1.AuthService";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let db: pg.Client;
beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: inject("databaseUrl") });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await server?.stop();
});

/** Users whose (normalised) email starts with `prefix`; other test files share the database. */
async function usersLike(prefix: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE starts_with(email, $1)`, [prefix]);
  return rows[0]!.n;
}

/** A raw HTTP/1.1 request; returns what a client on the wire would see. */
async function send(path: string, init: { body?: string | Uint8Array; type?: string; headers?: Record<string, string> } = {}) {
  const method = init.body === undefined ? "GET" : "POST";
  const headers = { ...(init.type ? { "content-type": init.type } : {}), ...init.headers };
  const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body: init.body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** No stack frames, source paths or database internals in text sent to a client. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\bat \S+ \(|\bat (file|node):|node:internal/);
  expect(text).not.toMatch(/\.(ts|js|mjs|cjs):\d+|\/services\/|node_modules/);
  expect(text).not.toMatch(/prisma|postgres|sqlstate|relation|ECONN/i);
}

describe("undecodable request bodies", () => {
  it.each([
    ["a Connect JSON body that is not JSON", "{not json"],
    ["a JSON field of the wrong type", JSON.stringify({ email: 5, password: "long enough password" })],
  ])("%s is INVALID_ARGUMENT (400)", async (_name, body) => {
    const res = await send(`${RPC}/Login`, { body, type: "application/json" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ code: "invalid_argument" });
    expectNoInternals(res.text);
  });

  // Connect-ES 2.1 maps binary decode failures to INTERNAL; patches/@connectrpc+connect+*.patch
  // (applied by patch-package at install) makes them INVALID_ARGUMENT, as connect-go does.
  it("a binary body that is not protobuf is INVALID_ARGUMENT (400)", async () => {
    const truncated = Uint8Array.from([0x0a, 0x50, 0x41]); // field 1, length 80, one byte present
    const res = await send(`${RPC}/Login`, { body: truncated, type: "application/proto" });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ code: "invalid_argument", message: "parse binary: premature EOF" });
  });

  it("an undecodable gRPC message is INVALID_ARGUMENT (grpc-status 3)", async () => {
    const truncated = Uint8Array.from([0x0a, 0x50, 0x41]);
    const frame = Buffer.alloc(5 + truncated.length);
    frame.writeUInt32BE(truncated.length, 1); // byte 0: not compressed
    frame.set(truncated, 5);
    const session = http2.connect(server.baseUrl);
    try {
      const status = await new Promise<string | undefined>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": `${RPC}/Login`, "content-type": "application/grpc", te: "trailers" });
        let grpcStatus: string | undefined;
        const take = (h: http2.IncomingHttpHeaders) => (grpcStatus ??= h["grpc-status"] as string | undefined);
        stream.on("response", take); // trailers-only responses carry the status in the headers
        stream.on("trailers", take);
        stream.on("error", reject);
        stream.on("close", () => resolve(grpcStatus));
        stream.resume();
        stream.end(frame);
      });
      expect(status).toBe(String(Code.InvalidArgument));
    } finally {
      session.close();
    }
  });
});

describe("oversized and unstorable fields are INVALID_ARGUMENT naming the field; nothing is created", () => {
  it.each<[string, string, "register" | "login", (email: string) => { email: string; password: string; name?: string }]>([
    ["Register", "email", "register", (email) => ({ email: `${email}${"a".repeat(10_000)}@example.com`, password: GOOD_PASSWORD })],
    ["Register", "password", "register", (email) => ({ email, password: "p".repeat(2_000) })],
    ["Register", "name", "register", (email) => ({ email, password: GOOD_PASSWORD, name: "n".repeat(500) })],
    ["Register", "name", "register", (email) => ({ email, password: GOOD_PASSWORD, name: "nul\0byte" })],
    ["Login", "email", "login", (email) => ({ email: `${email}${"a".repeat(10_000)}@example.com`, password: GOOD_PASSWORD })],
    ["Login", "password", "login", (email) => ({ email, password: "p".repeat(2_000) })],
  ])("%s with a bad %s", async (_rpc, field, method, request) => {
    const email = uniqueEmail("oversized");
    const tag = email.split("@")[0]!;
    expect(await usersLike(tag)).toBe(0);
    const err = await connectErrorOf(server.connect(AuthService)[method](request(email)));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: "request.invalid_argument", field });
    expect(err.rawMessage.length).toBeLessThan(200); // the value is not echoed back
    expect(await usersLike(tag)).toBe(0);
  });
});

describe("request size limit (64 KiB)", () => {
  it.each(["connect", "grpc"] as const)("a larger request is RESOURCE_EXHAUSTED over %s and creates nothing", async (protocol) => {
    const email = uniqueEmail("toolarge");
    const err = await connectErrorOf(server[protocol](AuthService).register({ email, password: GOOD_PASSWORD, name: "n".repeat(70_000) }));
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(await usersLike(email)).toBe(0);
  });

  // The server refuses after 64 KiB without reading the rest; HTTP/2 flow control would then
  // stall the client with its stream open for good (and graceful shutdown waiting on it).
  it.each([
    ["Connect", "application/json", Buffer.from(JSON.stringify({ email: "x".repeat(300_000) }))],
    ["gRPC", "application/grpc", Buffer.concat([Buffer.from([0, 0, 0x04, 0x93, 0xe0]), Buffer.alloc(300_000, 0x61)])],
  ])("over HTTP/2 (%s), the refused request's stream is then ended with NO_ERROR", async (_name, type, body) => {
    const session = http2.connect(server.baseUrl);
    try {
      const stream = session.request({ ":method": "POST", ":path": `${RPC}/Login`, "content-type": type, te: "trailers" });
      let text = "";
      const meta: Record<string, unknown> = {};
      stream.on("response", (h) => Object.assign(meta, h)).on("trailers", (t) => Object.assign(meta, t));
      stream.setEncoding("utf8").on("data", (d: string) => (text += d));
      stream.on("error", () => {});
      const closed = new Promise<void>((resolve) => stream.once("close", resolve));
      stream.end(body);
      await closed;
      expect(stream.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
      if (type === "application/grpc") expect(meta["grpc-status"]).toBe(String(Code.ResourceExhausted));
      else expect({ status: meta[":status"], code: JSON.parse(text).code }).toEqual({ status: 429, code: "resource_exhausted" });
    } finally {
      session.close();
    }
  });

  it("a request just under the limit is read, and refused for its content instead", async () => {
    const email = uniqueEmail("underlimit");
    const err = await connectErrorOf(server.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "n".repeat(60_000) }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.findDetails(ErrorDetailSchema)[0]?.field).toBe("name");
  });
});

describe("internal RPCs called without the service credential", () => {
  it.each(["connect", "grpc"] as const)("answer UNAUTHENTICATED over %s", async (protocol) => {
    const adapter = await connectErrorOf(server[protocol](AdapterService).getUser({ id: "00000000-0000-0000-0000-000000000000" }));
    expect(adapter.code).toBe(Code.Unauthenticated);
    expect(adapter.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: "service.invalid_credential" });
    const byEmail = await connectErrorOf(server[protocol](AdapterService).getUserByEmail({ email: uniqueEmail() }));
    expect(byEmail.code).toBe(Code.Unauthenticated);
    expect(byEmail.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: "service.invalid_credential" });
  });
});

describe("an unexpected server-side failure", () => {
  it("is a bare INTERNAL for the client, with the cause logged for the operator", async () => {
    // Schema drift: a table the service needs is gone. Done on a scratch database of our own.
    const scratch = await scratchDatabase();
    const { logger, lines } = memoryLogger();
    try {
      const app = await startApp(testConfig(), scratch.url, logger);
      try {
        const admin = new pg.Client({ connectionString: scratch.url });
        await admin.connect();
        await admin.query(`DROP TABLE "AuditEvent"`);
        await admin.end();

        const res = await fetch(`http://127.0.0.1:${app.port}${RPC}/Login`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": "internal-probe-1" },
          body: JSON.stringify({ email: uniqueEmail("internal"), password: GOOD_PASSWORD }),
        });
        const text = await res.text();
        expect(res.status).toBe(500);
        expect(res.headers.get("x-request-id")).toBe("internal-probe-1");
        expect(JSON.parse(text)).toMatchObject({ code: "internal", message: "internal error" });
        expectNoInternals(text);

        const logged = lines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.requestId === "internal-probe-1");
        expect(logged).toMatchObject({ level: 50, code: "Internal", reason: "server.internal", msg: "rpc failed" });
        expect(JSON.stringify(logged?.err)).toContain("AuditEvent");
      } finally {
        await app.stop();
      }
    } finally {
      await scratch.drop();
    }
  });
});

describe("x-request-id", () => {
  const json = "application/json";
  const requests: [string, string, Parameters<typeof send>[1]][] = [
    ["a successful call", `${RPC}/GetJwks`, { body: "{}", type: json }],
    ["a handler error", `${RPC}/Login`, { body: "{}", type: json }],
    ["an undecodable body", `${RPC}/Login`, { body: "{not json", type: json }],
    ["a request over 64 KiB", `${RPC}/Login`, { body: JSON.stringify({ email: "x".repeat(70_000) }), type: json }],
    ["an RPC refused for its missing credential", "/tessera.adapter.v1.AdapterService/GetUser", { body: "{}", type: json }],
    ["GET /.well-known/jwks.json", "/.well-known/jwks.json", {}],
    ["an unknown path", "/nope", {}],
  ];

  it.each(requests)("is set on %s, and a well-formed incoming one is echoed", async (_name, path, init) => {
    const fresh = await send(path, init);
    expect(fresh.headers.get("x-request-id")).toMatch(UUID);
    const echoed = await send(path, { ...init, headers: { "x-request-id": "client-req.42_A" } });
    expect(echoed.headers.get("x-request-id")).toBe("client-req.42_A");
  });

  it.each([["spaces in it"], ["x".repeat(65)], ["semi;colon"]])("replaces a malformed incoming id (%s)", async (bad) => {
    const res = await send(`${RPC}/GetJwks`, { body: "{}", type: json, headers: { "x-request-id": bad } });
    expect(res.headers.get("x-request-id")).toMatch(UUID);
  });

  it("is echoed once over gRPC, on success and on error, and names the log line", async () => {
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: server.baseUrl }));
    let header: string | null = null;
    await client.getJwks({}, { headers: { "x-request-id": "grpc-ok-1" }, onHeader: (h) => (header = h.get("x-request-id")) });
    expect(header).toBe("grpc-ok-1");

    const err = await connectErrorOf(client.login({ email: "", password: "" }, { headers: { "x-request-id": "grpc-err-1" } }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.metadata.get("x-request-id")).toBe("grpc-err-1");
    const line = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === "grpc-err-1");
    expect(line).toMatchObject({ rpc: "tessera.auth.v1.AuthService/Login", code: "InvalidArgument" });
  });
});
