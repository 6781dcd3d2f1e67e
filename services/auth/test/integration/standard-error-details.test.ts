/**
 * The standard error details of AIP-193 that follow ErrorDetail, so a client without Tessera's
 * protos reads the reason, the field at fault and the retry delay: google.rpc.ErrorInfo on every
 * error, BadRequest on INVALID_ARGUMENT naming a field, RetryInfo on RESOURCE_EXHAUSTED. Over
 * gRPC (h2c) and Connect, decoded with the generated google.rpc types, and once from the raw
 * `grpc-status-details-bin` trailer a stock @grpc/grpc-js client receives.
 */
import * as grpc from "@grpc/grpc-js";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { create, createRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, type Client, type ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "../../../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../../../gen/google/rpc/status_pb.js";
import { AuthService, LoginRequestSchema, LoginResponseSchema, type LoginRequest } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { connectErrorOf } from "../rpc-failure.js";

const WRONG = "not the password at all";

/** One failed sign-in per account and client is allowed: the second is throttled. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TESSERA_LIMIT_LOGIN_ACCOUNT: "1" });
});
afterAll(() => server?.stop());

const PROTOCOLS = [
  ["gRPC", (s: TestServer) => s.grpc(AuthService)],
  ["Connect", (s: TestServer) => s.connect(AuthService)],
] as const satisfies readonly (readonly [string, (s: TestServer) => Client<typeof AuthService>])[];

/** The type names of an error's details, in the order they were sent. */
const detailTypes = (err: ConnectError) => err.details.map((d) => ("desc" in d ? d.desc.typeName : d.type));

/** A registered account's email. */
async function account(auth: Client<typeof AuthService>): Promise<string> {
  const email = uniqueEmail("details");
  await auth.register({ email, password: GOOD_PASSWORD });
  return email;
}

describe.each(PROTOCOLS)("over %s", (_name, client) => {
  it("a wrong password carries ErrorInfo with the reason of ErrorDetail and the domain tessera.dev", async () => {
    const auth = client(server);
    const err = await connectErrorOf(auth.login({ email: await account(auth), password: WRONG }));
    expect(err.code).toBe(Code.Unauthenticated);
    expect(detailTypes(err)).toEqual(["tessera.errors.v1.ErrorDetail", "google.rpc.ErrorInfo"]);
    expect(err.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: "auth.invalid_credentials", field: "" });
    expect(err.findDetails(ErrorInfoSchema)).toMatchObject([{ reason: "auth.invalid_credentials", domain: "tessera.dev", metadata: {} }]);
  });

  it("a malformed email carries BadRequest naming the field, and the field in ErrorInfo", async () => {
    const err = await connectErrorOf(client(server).register({ email: "not an email", password: GOOD_PASSWORD }));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(detailTypes(err)).toEqual(["tessera.errors.v1.ErrorDetail", "google.rpc.ErrorInfo", "google.rpc.BadRequest"]);
    expect(err.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: "request.invalid_argument", field: "email" });
    expect(err.findDetails(ErrorInfoSchema)).toMatchObject([{ reason: "request.invalid_argument", domain: "tessera.dev", metadata: { field: "email" } }]);
    expect(err.findDetails(BadRequestSchema)).toMatchObject([{ fieldViolations: [{ field: "email", description: err.rawMessage }] }]);
    expect(err.rawMessage).toBe("email: must be a valid email address");
  });

  it("a throttled call carries RetryInfo with the delay of the retry-after metadata", async () => {
    const auth = client(server);
    const email = await account(auth);
    expect((await connectErrorOf(auth.login({ email, password: WRONG }))).code).toBe(Code.Unauthenticated);
    const err = await connectErrorOf(auth.login({ email, password: GOOD_PASSWORD }));
    expect(err.code).toBe(Code.ResourceExhausted);
    const seconds = err.metadata.get("retry-after");
    expect(seconds).toMatch(/^[1-9]\d*$/);
    expect(detailTypes(err)).toEqual(["tessera.errors.v1.ErrorDetail", "google.rpc.ErrorInfo", "google.rpc.RetryInfo"]);
    expect(err.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason: "auth.too_many_attempts", field: "" });
    expect(err.findDetails(ErrorInfoSchema)).toMatchObject([{ reason: "auth.too_many_attempts", domain: "tessera.dev", metadata: { retry_after_seconds: seconds } }]);
    expect(err.findDetails(RetryInfoSchema)).toMatchObject([{ retryDelay: { seconds: BigInt(seconds!), nanos: 0 } }]);
  });
});

describe("on the wire", () => {
  const registry = createRegistry(ErrorDetailSchema, ErrorInfoSchema, BadRequestSchema, RetryInfoSchema);

  it("a stock @grpc/grpc-js client gets them in grpc-status-details-bin, a google.rpc.Status", async () => {
    const email = await account(server.connect(AuthService));
    const grpcJs = new grpc.Client(`127.0.0.1:${server.app.port}`, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError>((resolve, reject) =>
        grpcJs.makeUnaryRequest(
          "/tessera.auth.v1.AuthService/Login",
          (req: LoginRequest) => Buffer.from(toBinary(LoginRequestSchema, req)),
          (bytes: Buffer) => fromBinary(LoginResponseSchema, bytes),
          create(LoginRequestSchema, { email, password: WRONG }),
          (e) => (e ? resolve(e) : reject(new Error("the call succeeded"))),
        ),
      );
      expect(err.code, err.details).toBe(grpc.status.UNAUTHENTICATED);

      const [raw] = err.metadata.get("grpc-status-details-bin");
      expect(raw).toBeInstanceOf(Buffer);
      const status = fromBinary(StatusSchema, raw as Buffer);
      expect(status.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(status.message).toBe(err.details);
      expect(status.details.map((d) => d.typeUrl)).toEqual(["type.googleapis.com/tessera.errors.v1.ErrorDetail", "type.googleapis.com/google.rpc.ErrorInfo"]);
      expect(anyUnpack(status.details[1]!, registry)).toMatchObject({ $typeName: "google.rpc.ErrorInfo", reason: "auth.invalid_credentials", domain: "tessera.dev" });
    } finally {
      grpcJs.close();
    }
  });

  it("a Connect client gets them in the JSON error body's details", async () => {
    const res = await fetch(`${server.baseUrl}/tessera.auth.v1.AuthService/Register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not an email", password: GOOD_PASSWORD }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: { type: string; value: string }[] };
    expect(body.code).toBe("invalid_argument");
    expect(body.details.map((d) => d.type)).toEqual(["tessera.errors.v1.ErrorDetail", "google.rpc.ErrorInfo", "google.rpc.BadRequest"]);
    const badRequest = fromBinary(BadRequestSchema, Buffer.from(body.details[2]!.value, "base64"));
    expect(badRequest.fieldViolations).toMatchObject([{ field: "email", description: "email: must be a valid email address" }]);
  });
});
