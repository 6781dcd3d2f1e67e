import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient, createRouterTransport, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as v1 from "../../../../gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { HealthStatus, registerHealth } from "./health.js";
import { registerReflection } from "./reflection.js";

type Request = MessageInitShape<typeof v1.ServerReflectionRequestSchema>;

const routes = (router: ConnectRouter) => {
  registerHealth(router, new HealthStatus());
  registerReflection(router, [AuthService, UserService]);
};

/** Send all requests on one stream and collect the answers. */
async function ask(requests: Request[], version: typeof v1 | typeof v1alpha = v1) {
  // v1alpha messages differ from v1 only in type names, so reading them as v1 is fine here.
  const client = createClient(version.ServerReflection as typeof v1.ServerReflection, createRouterTransport(routes));
  const out: v1.ServerReflectionResponse[] = [];
  for await (const res of client.serverReflectionInfo((async function* () { yield* requests; })())) out.push(res);
  return out;
}

function fileNames(res: v1.ServerReflectionResponse | undefined): string[] {
  if (res?.messageResponse.case !== "fileDescriptorResponse") throw new Error(`unexpected ${res?.messageResponse.case}`);
  return res.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name);
}

function errorCode(res: v1.ServerReflectionResponse | undefined): number | undefined {
  return res?.messageResponse.case === "errorResponse" ? res.messageResponse.value.errorCode : undefined;
}

const symbol = (value: string): Request => ({ messageRequest: { case: "fileContainingSymbol", value } });

describe("ServerReflectionInfo handler", () => {
  it("lists the given services plus health and reflection", async () => {
    const [res] = await ask([{ host: "h", messageRequest: { case: "listServices", value: "" } }]);
    expect(res?.validHost).toBe("h");
    expect(res?.originalRequest?.messageRequest.case).toBe("listServices");
    const names = res?.messageResponse.case === "listServicesResponse" ? res.messageResponse.value.service : [];
    expect(names.map((s) => s.name).sort()).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "tessera.auth.v1.AuthService",
      "tessera.user.v1.UserService",
    ]);
  });

  it("returns a file with its transitive imports, once per stream", async () => {
    const [first, second, third] = await ask([
      symbol("tessera.auth.v1.AuthService"),
      { messageRequest: { case: "fileByFilename", value: "tessera/user/v1/user.proto" } },
      symbol("tessera.user.v1.UserService"),
    ]);
    expect(fileNames(first)).toEqual([
      "tessera/auth/v1/auth_service.proto",
      "tessera/auth/v1/jwk.proto",
      "tessera/auth/v1/second_factor_challenge.proto",
      "tessera/auth/v1/tokens.proto",
      "tessera/errors/v1/reasons.proto",
      "tessera/user/v1/user.proto",
      "google/protobuf/timestamp.proto",
      "google/protobuf/descriptor.proto",
    ]);
    // Asked-for files are always returned; already-sent imports are not.
    expect(fileNames(second)).toEqual(["tessera/user/v1/user.proto"]);
    expect(fileNames(third)).toEqual([
      "tessera/user/v1/user_service.proto",
      "google/protobuf/field_mask.proto",
      "tessera/user/v1/audit_event.proto",
      "tessera/user/v1/passkey.proto",
      "tessera/user/v1/session.proto",
      "tessera/user/v1/sign_in_method.proto",
    ]);
  });

  it.each([
    ["method", "tessera.auth.v1.AuthService.Login", "tessera/auth/v1/auth_service.proto"],
    ["message", "tessera.auth.v1.Tokens", "tessera/auth/v1/tokens.proto"],
    ["field", "tessera.auth.v1.LoginRequest.email", "tessera/auth/v1/auth_service.proto"],
    ["enum", "tessera.user.v1.Role", "tessera/user/v1/user.proto"],
    ["enum value", "tessera.user.v1.ROLE_ADMIN", "tessera/user/v1/user.proto"],
    ["nested enum", "grpc.health.v1.HealthCheckResponse.ServingStatus", "health/v1/health.proto"],
    ["nested enum value", "grpc.health.v1.HealthCheckResponse.SERVING", "health/v1/health.proto"],
    ["map entry", "grpc.health.v1.HealthListResponse.StatusesEntry", "health/v1/health.proto"],
    ["oneof", "grpc.reflection.v1.ServerReflectionRequest.message_request", "grpc/reflection/v1/reflection.proto"],
    ["well-known type", "google.protobuf.Timestamp", "google/protobuf/timestamp.proto"],
  ])("file_containing_symbol finds a %s", async (_kind, name, file) => {
    const [res] = await ask([symbol(name)]);
    expect(fileNames(res)[0]).toBe(file);
  });

  it("answers NOT_FOUND in error_response and keeps the stream open", async () => {
    const responses = await ask([
      symbol("tessera.auth.v1.Nope"),
      { messageRequest: { case: "fileByFilename", value: "nope.proto" } },
      {
        messageRequest: {
          case: "fileContainingExtension",
          value: { containingType: "tessera.auth.v1.Tokens", extensionNumber: 100 },
        },
      },
      { messageRequest: { case: "allExtensionNumbersOfType", value: "tessera.auth.v1.Nope" } },
      { messageRequest: { case: "allExtensionNumbersOfType", value: "tessera.auth.v1.Tokens" } },
      {},
    ]);
    expect(responses.slice(0, 4).map(errorCode)).toEqual([5, 5, 5, 5]);
    expect(responses[4]?.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "tessera.auth.v1.Tokens", extensionNumber: [] },
    });
    expect(errorCode(responses[5])).toBe(3);
  });

  it("serves v1alpha too", async () => {
    const [res] = await ask([symbol("tessera.auth.v1.AuthService")], v1alpha);
    expect(fileNames(res)[0]).toBe("tessera/auth/v1/auth_service.proto");
  });
});

describe("buf curl against a real HTTP/2 server", () => {
  const buf = fileURLToPath(new URL("../../../../node_modules/.bin/buf", import.meta.url));
  let server: http2.Http2Server;
  let base: string;
  let cwd: string;

  beforeAll(async () => {
    server = http2.createServer(connectNodeAdapter({ routes }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // An empty cwd, so buf can't fall back to the repo's buf.yaml and protos.
    cwd = await mkdtemp(join(tmpdir(), "tessera-reflection-"));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(cwd, { recursive: true, force: true });
  });

  function curl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, BUF_CACHE_DIR: join(cwd, ".cache") };
    const flags = ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args];
    return new Promise((resolve) =>
      execFile(buf, flags, { cwd, env, timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
  }

  it.each(["grpc-v1", "grpc-v1alpha"])("lists methods via %s reflection", async (protocol) => {
    const { code, stdout, stderr } = await curl("--reflect-protocol", protocol, "--list-methods", base);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.split("\n")).toContain("tessera.auth.v1.AuthService/Login");
    expect(stdout.split("\n")).toContain("grpc.health.v1.Health/Check");
  }, 30_000);

  it("resolves the request type, getting as far as the (unimplemented) handler", async () => {
    const { code, stderr } = await curl("--data", "{}", `${base}/tessera.auth.v1.AuthService/GetJwks`);
    expect(code).not.toBe(0);
    expect(stderr).toContain('"code": "unimplemented"');
  }, 30_000);

  it("rejects unknown methods from the reflected schema alone", async () => {
    const { code, stderr } = await curl("--data", "{}", `${base}/tessera.auth.v1.AuthService/Nope`);
    expect(code).not.toBe(0);
    expect(stderr).toContain('service "tessera.auth.v1.AuthService" contains no such method');
  }, 30_000);
});
