/**
 * One port, every protocol: Connect (HTTP/1.1 and h2c), gRPC, gRPC-Web, a stock grpc-js client,
 * plain HTTP for the JWKS, and buf curl working from server reflection alone.
 */
import http from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { Code, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Jwk } from "../../../../gen/tessera/auth/v1/jwk_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { bufSandbox } from "../child.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { connectErrorOf } from "../rpc-failure.js";

const PROTO_DIR = fileURLToPath(new URL("../../../../proto", import.meta.url));
const HEALTH_PROTO = fileURLToPath(new URL("../../../../node_modules/grpc-health-check/proto/health/v1/health.proto", import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe.each<[string, (baseUrl: string) => Transport]>([
  ["Connect over HTTP/1.1", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" })],
  ["Connect over HTTP/2", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" })],
  ["gRPC", (baseUrl) => createGrpcTransport({ baseUrl })],
  ["gRPC-Web over HTTP/1.1", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })],
  ["gRPC-Web over HTTP/2", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "2" })],
])("%s", (_name, transport) => {
  it("registers, logs in and gets a typed error with its detail", async () => {
    const client = createClient(AuthService, transport(server.baseUrl));
    const email = uniqueEmail("proto");
    const reg = await client.register({ email, password: GOOD_PASSWORD, name: "Ada" });
    expect(reg.user).toMatchObject({ email, name: "Ada" });
    const login = await client.login({ email, password: GOOD_PASSWORD });
    expect(login.user?.id).toBe(reg.user?.id);
    expect(login.tokens?.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const err = await connectErrorOf(client.login({ email, password: "wrong password, surely" }));
    expect(err.code).toBe(Code.Unauthenticated);
    expect(err.findDetails(ErrorDetailSchema)[0]?.reason).toBe("auth.invalid_credentials");
  });
});

describe("a stock @grpc/grpc-js client", () => {
  type Callback<T> = (err: grpc.ServiceError | null, res: T) => void;
  type Unary = (req: object, cb: Callback<Record<string, any>>) => void;
  let auth: grpc.Client & { register: Unary; login: Unary };
  let health: grpc.Client & { check: Unary };

  beforeAll(async () => {
    const options: protoLoader.Options = { includeDirs: [PROTO_DIR], keepCase: true, enums: String, defaults: true };
    // google/protobuf/timestamp.proto is bundled with protobufjs, so only our own folder is needed.
    const authDef = grpc.loadPackageDefinition(await protoLoader.load("tessera/auth/v1/auth_service.proto", options)) as any;
    const healthDef = grpc.loadPackageDefinition(await protoLoader.load(HEALTH_PROTO, options)) as any;
    const target = `127.0.0.1:${server.app.port}`;
    auth = new authDef.tessera.auth.v1.AuthService(target, grpc.credentials.createInsecure());
    health = new healthDef.grpc.health.v1.Health(target, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    auth?.close();
    health?.close();
  });

  const call = (c: grpc.Client, method: Unary, req: object) => promisify(method.bind(c))(req) as Promise<Record<string, any>>;

  it("registers and logs in", async () => {
    const email = uniqueEmail("grpcjs");
    const reg = await call(auth, auth.register, { email, password: GOOD_PASSWORD });
    expect(reg.user.email).toBe(email);
    const login = await call(auth, auth.login, { email, password: GOOD_PASSWORD });
    expect(login.user.email).toBe(email);
    expect(login.user.id).toBe(reg.user.id);
    expect(login.tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("gets status 16 UNAUTHENTICATED with the same message a Connect client sees", async () => {
    const creds = { email: uniqueEmail("nobody"), password: GOOD_PASSWORD };
    const err = (await call(auth, auth.login, creds).catch((e: unknown) => e)) as grpc.ServiceError;
    const viaConnect = await connectErrorOf(server.connect(AuthService).login(creds));
    expect(err.code).toBe(16);
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(err.details).toBe(viaConnect.rawMessage);
    expect(err.details).toBe("email or password is incorrect");
  });

  it("health Check reports SERVING", async () => {
    expect(await call(health, health.check, { service: "" })).toEqual({ status: "SERVING" });
  });
});

describe("plain HTTP/1.1", () => {
  function get(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; httpVersion: string }> {
    return new Promise((resolve, reject) => {
      http
        .get(`${server.baseUrl}${path}`, { agent: false }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (d: string) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body, httpVersion: res.httpVersion }));
        })
        .on("error", reject);
    });
  }

  it("GET /.well-known/jwks.json returns the keys GetJwks returns, as JSON", async () => {
    const res = await get("/.well-known/jwks.json");
    expect(res.httpVersion).toBe("1.1");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json\b/);
    const { keys } = await server.connect(AuthService).getJwks({});
    expect(keys.length).toBeGreaterThan(0);
    const fields = (k: Jwk) => ({ kid: k.kid, kty: k.kty, crv: k.crv, x: k.x, alg: k.alg, use: k.use });
    expect(JSON.parse(res.body)).toEqual({ keys: keys.map(fields) });
  });

  it.each(["/", "/nope", "/.well-known/openid-configuration", "/tessera.auth.v1.AuthService/Nope"])(
    "GET %s is a JSON 404",
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/json\b/);
      expect(JSON.parse(res.body)).toMatchObject({ code: "not_found" });
    },
  );
});

describe("buf curl with server reflection only", () => {
  let sandbox: Awaited<ReturnType<typeof bufSandbox>>;
  beforeAll(async () => {
    sandbox = await bufSandbox();
  });
  afterAll(() => sandbox?.dispose());

  /** Runs `buf curl <args>` and returns its JSON output, failing on any error. */
  async function bufCurl(...args: string[]): Promise<Record<string, any>> {
    const res = await sandbox.buf("curl", ...args);
    expect(res.stderr, args.join(" ")).toBe("");
    expect(res.code, args.join(" ")).toBe(0);
    return JSON.parse(res.stdout);
  }
  const rpc = (method: string) => `${server.baseUrl}/tessera.auth.v1.AuthService/${method}`;

  it("follows the README recipe as written: list, Register, Login, Refresh, Logout, health", async () => {
    const list = await sandbox.buf("curl", "--list-methods", server.baseUrl);
    expect(list.stderr).toBe("");
    expect(list.stdout.split("\n")).toEqual(expect.arrayContaining(["tessera.auth.v1.AuthService/Login", "grpc.health.v1.Health/Check"]));

    const email = uniqueEmail("readme");
    const reg = await bufCurl("-d", JSON.stringify({ email, password: GOOD_PASSWORD, name: "Ada" }), rpc("Register"));
    expect(reg.user).toMatchObject({ email, name: "Ada" });
    const login = await bufCurl("-d", JSON.stringify({ email, password: GOOD_PASSWORD }), rpc("Login"));
    expect(login.user.email).toBe(email);
    const refreshed = await bufCurl("-d", JSON.stringify({ refreshToken: login.tokens.refreshToken }), rpc("Refresh"));
    expect(refreshed.tokens.refreshToken).not.toBe(login.tokens.refreshToken);
    expect(await bufCurl("-d", JSON.stringify({ refreshToken: refreshed.tokens.refreshToken }), rpc("Logout"))).toEqual({});
    const health = await bufCurl("--protocol", "grpc", "-d", '{"service":""}', `${server.baseUrl}/grpc.health.v1.Health/Check`);
    expect(health).toEqual({ status: "SERVING" });
  });

  describe.each([[[]], [["--protocol", "grpc"]], [["--protocol", "grpcweb"]]])("with --http2-prior-knowledge %j", (protocol: string[]) => {
    const flags = [...protocol, "--http2-prior-knowledge"];

    it("lists AuthService methods", async () => {
      const res = await sandbox.buf("curl", ...flags, "--list-methods", server.baseUrl);
      expect(res.stderr).toBe("");
      expect(res.code).toBe(0);
      expect(res.stdout.split("\n")).toContain("tessera.auth.v1.AuthService/Login");
    });

    it("calls Register then Login with JSON", async () => {
      const body = JSON.stringify({ email: uniqueEmail("bufcurl"), password: GOOD_PASSWORD });
      for (const method of ["Register", "Login"]) {
        const out = await bufCurl(...flags, "-d", body, rpc(method));
        expect(out.user.email, method).toBe(JSON.parse(body).email);
        expect(out.tokens.refreshToken, method).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }
    });
  });
});
