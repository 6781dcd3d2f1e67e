/**
 * What one client can hold on the auth service's port (HTTP/1.1 and h2c): bounded streams per
 * HTTP/2 session, a deadline for every request body, idle sessions closed, and a cap on
 * connections per address. Each test attacks as an outsider would, with raw frames or raw
 * node:http2 / node:net clients, and checks what the server did to the connection.
 */
import http2 from "node:http2";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ERROR, FRAME, errorCode, maxConcurrentStreams, rawH2, stalledCallHeaders } from "../h2-frames.js";
import { startTestServer, type TestServer } from "../harness.js";

const REGISTER = "/tessera.auth.v1.AuthService/Register";

let server: TestServer | undefined;
const cleanup: (() => void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) f();
  await server?.stop();
  server = undefined;
});

async function serve(env: Record<string, string>): Promise<TestServer> {
  server = await startTestServer(env);
  return server;
}

/** An h2c session that is destroyed after the test. */
function session(s: TestServer): http2.ClientHttp2Session {
  const h2 = http2.connect(s.baseUrl);
  h2.on("error", () => {});
  cleanup.push(() => h2.destroy());
  return h2;
}

/** GET /.well-known/jwks.json on `h2`: its status (0: the stream ended with no response), or the error that ended it. */
function jwks(h2: http2.ClientHttp2Session): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = h2.request({ ":path": "/.well-known/jwks.json" });
    let status = 0;
    req.once("response", (h) => (status = Number(h[":status"])));
    req.resume().once("end", () => resolve(status)).once("error", reject);
  });
}

/** The RST_STREAM code a client stream was closed with (resolves on close). */
function resetCode(stream: http2.ClientHttp2Stream): Promise<number> {
  stream.on("error", () => {});
  return new Promise((resolve) => stream.once("close", () => resolve(stream.rstCode ?? -1)));
}

describe("HTTP/2 stream bounds", () => {
  it("advertises at most 100 concurrent streams and refuses streams beyond them, then resets the stalled ones", async () => {
    const s = await serve({ TESSERA_REQUEST_TIMEOUT: "1" });
    const raw = await rawH2(s.app.port);
    cleanup.push(() => raw.socket.destroy());
    const settings = await raw.waitFor((f) => f.type === FRAME.SETTINGS && (f.flags & 1) === 0);
    const advertised = maxConcurrentStreams(settings);
    expect(advertised).toBeDefined();
    expect(advertised!).toBeLessThanOrEqual(100);

    // 150 calls that announce a body and never send it: the attack that grew memory unbounded.
    const ids = Array.from({ length: 150 }, (_, i) => 2 * i + 1);
    for (const id of ids) raw.headers(id, stalledCallHeaders(REGISTER, "application/json", 1000));
    const resets = () => raw.frames.filter((f) => f.type === FRAME.RST_STREAM);
    const beyond = ids.slice(advertised!);
    await expect.poll(() => resets().filter((f) => errorCode(f) === ERROR.REFUSED_STREAM).map((f) => f.streamId).sort((a, b) => a - b), { timeout: 10_000 }).toEqual(beyond);

    // The ones admitted are not held forever either: each is reset once its body is overdue.
    const admitted = ids.slice(0, advertised!);
    await expect.poll(() => resets().filter((f) => errorCode(f) === ERROR.CANCEL).map((f) => f.streamId).sort((a, b) => a - b), { timeout: 15_000 }).toEqual(admitted);
  });

  it("resets a stream whose announced body stalls, and keeps serving the session", async () => {
    const s = await serve({ TESSERA_REQUEST_TIMEOUT: "1" });
    const h2 = session(s);
    const stalled = h2.request({ ":method": "POST", ":path": REGISTER, "content-type": "application/json", "content-length": "1000" });
    stalled.write("{");
    expect(await resetCode(stalled)).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(await jwks(h2)).toBe(200);
  });

  it("cuts a gRPC-Web call over HTTP/2 that announces a large body and stalls", async () => {
    const s = await serve({ TESSERA_REQUEST_TIMEOUT: "1" });
    const h2 = session(s);
    const stalled = h2.request({ ":method": "POST", ":path": REGISTER, "content-type": "application/grpc-web+proto", "content-length": "60000", "x-grpc-web": "1" });
    stalled.write(Buffer.from([0, 0, 0, 0xea, 0x5b]));
    expect(await resetCode(stalled)).toBe(http2.constants.NGHTTP2_CANCEL);
  });
});

describe("HTTP/1.1 on the same port", () => {
  it("cuts a gRPC-Web call that announces a large body and stalls (408, connection closed)", async () => {
    const s = await serve({ TESSERA_REQUEST_TIMEOUT: "1" });
    const socket = net.connect(s.app.port, "127.0.0.1");
    cleanup.push(() => socket.destroy());
    socket.on("error", () => {});
    let received = "";
    socket.setEncoding("latin1").on("data", (d: string) => (received += d));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(`POST ${REGISTER} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/grpc-web+proto\r\nX-Grpc-Web: 1\r\nContent-Length: 60000\r\n\r\n`);
    socket.write(Buffer.from([0, 0, 0, 0xea, 0x5b]));
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe("HTTP/2 sessions", () => {
  it("closes a connection that sends only the preface (GOAWAY, then hang-up)", async () => {
    const s = await serve({ TESSERA_IDLE_TIMEOUT: "1" });
    const raw = await rawH2(s.app.port);
    cleanup.push(() => raw.socket.destroy());
    await raw.closed;
    const goaway = raw.frames.find((f) => f.type === FRAME.GOAWAY);
    expect(goaway && errorCode(goaway)).toBe(ERROR.NO_ERROR);
  });

  it("sends GOAWAY to a session that stays idle after its calls, which the client sees as a clean close", async () => {
    const s = await serve({ TESSERA_IDLE_TIMEOUT: "1" });
    const h2 = session(s);
    expect(await jwks(h2)).toBe(200);
    const code = await new Promise<number>((resolve) => h2.once("goaway", (c: number) => resolve(c)));
    expect(code).toBe(http2.constants.NGHTTP2_NO_ERROR);
    await new Promise<void>((resolve) => (h2.closed ? resolve() : h2.once("close", () => resolve())));
    expect(await jwks(session(s))).toBe(200); // a new session is served as usual
  });
});

describe("connections per client address", () => {
  it("closes connections beyond TESSERA_MAX_CONNECTIONS_PER_IP at once, and admits again once one closes", async () => {
    const s = await serve({ TESSERA_MAX_CONNECTIONS_PER_IP: "3" });
    const held = [session(s), session(s), session(s)];
    for (const h2 of held) expect(await jwks(h2)).toBe(200);

    // The fourth, over HTTP/2 or HTTP/1.1, is hung up on before anything is read.
    const fourth = session(s);
    expect(await jwks(fourth).catch(() => 0)).toBe(0);
    await new Promise<void>((resolve) => (fourth.closed ? resolve() : fourth.once("close", () => resolve())));
    await expect(fetch(`${s.baseUrl}/.well-known/jwks.json`)).rejects.toThrow();

    held[0]!.close();
    await expect.poll(() => jwks(session(s)).catch(() => 0), { timeout: 10_000 }).toBe(200);
  });
});
