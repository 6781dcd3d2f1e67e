/**
 * Values PostgreSQL cannot take, sent by an outsider to every RPC: NUL and unpaired surrogates in
 * each string field (found by reflection, nested ones included) are refused with INVALID_ARGUMENT
 * naming the field, never INTERNAL; a timestamp that rounds past year 9999 cannot poison a user;
 * and values that still reach PostgreSQL and are refused there answer INVALID_ARGUMENT.
 */
import { ScalarType, type DescField, type DescMessage, type DescMethod, type DescService, type Message } from "@bufbuild/protobuf";
import { toJsonString } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { adapterLookupExempt } from "../../src/server/request-text.js";
import { publicError } from "../../src/server/error-boundary.js";
import { serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { signUpAdmin, type SignedIn } from "./user-fixtures.js";

const SERVICES: DescService[] = [AuthService, UserService, AdapterService];
const NUL = "a\u0000b";

/** Every chain of fields from `desc` down to a string field (or repeated/map of strings). */
function* stringFieldChains(desc: DescMessage, prefix: DescField[] = []): Generator<DescField[]> {
  for (const field of desc.fields) {
    const chain = [...prefix, field];
    const isString =
      (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING) ||
      (field.fieldKind === "list" && field.listKind === "scalar" && field.scalar === ScalarType.STRING) ||
      (field.fieldKind === "map" && field.mapKind === "scalar" && field.scalar === ScalarType.STRING);
    if (isString) yield chain;
    const nested = field.fieldKind === "message" || (field.fieldKind !== "scalar" && field.fieldKind !== "enum" && field.message);
    if (nested && field.message && prefix.length < 4 && !prefix.some((f) => f.message === field.message)) {
      yield* stringFieldChains(field.message, chain);
    }
  }
}

/** A request of `desc` whose field at the end of `chain` holds `bad`, and that field's proto path. */
function requestWith(desc: DescMessage, chain: DescField[], bad: string): { message: Message; path: string } {
  const root = reflect(desc, undefined, false); // unchecked: it must hold invalid text
  let current: ReflectMessage = root;
  let path = "";
  for (const field of chain) {
    switch (field.fieldKind) {
      case "scalar":
        current.set(field, bad);
        path += field.name;
        break;
      case "message": {
        const sub = reflect(field.message, undefined, false);
        current.set(field, sub);
        current = sub;
        path += `${field.name}.`;
        break;
      }
      case "list":
        if (field.listKind === "message") {
          const sub = reflect(field.message, undefined, false);
          current.get(field).add(sub);
          current = sub;
          path += `${field.name}[0].`;
        } else {
          current.get(field).add(bad);
          path += `${field.name}[0]`;
        }
        break;
      case "map":
        if (field.mapKind === "message") {
          const sub = reflect(field.message, undefined, false);
          current.get(field).set("k", sub);
          current = sub;
          path += `${field.name}["k"].`;
        } else {
          current.get(field).set("k", bad);
          path += `${field.name}["k"]`;
        }
        break;
      default:
        throw new Error(`cannot put text into ${field.toString()}`);
    }
  }
  return { message: root.message, path };
}

/** Every (method, request, field path) with `bad` in one string field. */
function* badRequests(bad: string): Generator<{ service: DescService; method: DescMethod; message: Message; path: string }> {
  for (const service of SERVICES) {
    for (const method of service.methods) {
      for (const chain of stringFieldChains(method.input)) yield { service, method, ...requestWith(method.input, chain, bad) };
    }
  }
}

// One client per protocol and service: a client per call would open a connection per call,
// and the service closes connections past TESSERA_MAX_CONNECTIONS_PER_IP from one address.
const clients = new Map<string, Record<string, (m: Message) => Promise<unknown>>>();

async function outcome(server: TestServer, protocol: "connect" | "grpc", service: DescService, method: DescMethod, message: Message, headers: Record<string, string>) {
  const key = `${protocol} ${service.typeName}`;
  if (!clients.has(key)) clients.set(key, server[protocol](service, headers) as unknown as Record<string, (m: Message) => Promise<unknown>>);
  const client = clients.get(key)!;
  try {
    await client[method.localName]!(message);
    return { code: undefined, field: undefined, message: "" };
  } catch (e) {
    const err = ConnectError.from(e);
    return { code: err.code, field: err.findDetails(ErrorDetailSchema)[0]?.field, message: err.rawMessage };
  }
}

describe("malformed text in every string field of every RPC", () => {
  let server: TestServer;
  let admin: SignedIn;
  let headers: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signUpAdmin(server);
    // An admin's access token and the service credential, so every check behind them is reached.
    headers = { authorization: `Bearer ${admin.accessToken}`, ...serviceCredentialHeader() };
  });
  afterAll(() => server?.stop());

  for (const protocol of ["grpc", "connect"] as const) {
    it(`NUL over ${protocol === "grpc" ? "gRPC (binary)" : "Connect (JSON)"}: INVALID_ARGUMENT naming the field, never INTERNAL`, { timeout: 120_000 }, async () => {
      const seen: string[] = [];
      for (const { service, method, message, path } of badRequests(NUL)) {
        const rpc = `${service.typeName}/${method.name} ${path}`;
        seen.push(rpc);
        const got = await outcome(server, protocol, service, method, message, headers);
        expect(got.code, `${rpc}: ${got.message}`).not.toBe(Code.Internal);
        expect(got.code, `${rpc}: ${got.message}`).not.toBe(Code.Unknown);
        // next-auth's lookups answer a miss (null) rather than an error; the rest name the field.
        if (!adapterLookupExempt(service.typeName, method.name)) expect({ rpc, code: got.code, field: got.field }).toEqual({ rpc, code: Code.InvalidArgument, field: path });
      }
      // The reflection really reached the id, prefix and free-text fields, nested ones included.
      for (const expected of [
        "tessera.user.v1.UserService/RevokeSession session_id",
        "tessera.user.v1.UserService/GetUser user_id",
        "tessera.user.v1.UserService/ListUsers email_prefix",
        "tessera.user.v1.UserService/ListAuditEvents user_id",
        "tessera.user.v1.UserService/UpdateProfile profile.company_name",
        "tessera.adapter.v1.AdapterService/LinkAccount account.provider",
      ])
        expect(seen).toContain(expected);
    });
  }

  // Binary protobuf cannot carry an unpaired surrogate (UTF-8 has no encoding for one; the
  // decoder turns invalid bytes into U+FFFD), and the Connect client replaces it too, so the
  // JSON is written by hand, as an attacker would.
  it("an unpaired surrogate in Connect JSON: INVALID_ARGUMENT naming the field, never INTERNAL", { timeout: 120_000 }, async () => {
    const PLACEHOLDER = "zzplaceholderzz";
    let count = 0;
    for (const { service, method, message, path } of badRequests(PLACEHOLDER)) {
      const json = toJsonString(method.input, message).replace(PLACEHOLDER, "x\\ud800y");
      const res = await fetch(`${server.baseUrl}/${service.typeName}/${method.name}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: json,
      });
      const body = (await res.json()) as { code?: string; message?: string };
      const rpc = `${service.typeName}/${method.name} ${path}`;
      expect(res.status, `${rpc}: ${body.message}`).toBeLessThan(500);
      if (!adapterLookupExempt(service.typeName, method.name)) {
        expect({ rpc, code: body.code }).toEqual({ rpc, code: "invalid_argument" });
        const name = path.replace(/\[.*?\]/g, "").split(".").at(-1)!;
        expect(body.message, rpc).toContain(name);
      }
      count++;
    }
    expect(count).toBeGreaterThan(30);
  });

  it("the admin listings still work after all that (nothing poisoned)", async () => {
    const page = await admin.users.listUsers({ pageSize: 100, emailPrefix: admin.email });
    expect(page.users.map((u) => u.email)).toEqual([admin.email]);
    await admin.users.listAuditEvents({ pageSize: 10 });
  });
});

describe("timestamps at the end of year 9999", () => {
  let server: TestServer;
  let admin: SignedIn;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await signUpAdmin(server);
  });
  afterAll(() => server?.stop());

  it("a time that rounds past 9999-12-31T23:59:59.999Z is truncated, so the user stays readable", async () => {
    const adapter = server.connect(AdapterService, serviceCredentialHeader());
    const email = uniqueEmail("y9999");
    // 9999-12-31T23:59:59.999999999Z: within the range, but rounding it to milliseconds gives year 10000.
    const lastNanosecond = { seconds: 253402300799n, nanos: 999_999_999 };
    const created = await adapter.createUser({ email, emailVerified: lastNanosecond });
    const read = await adapter.getUser({ id: created.user!.id });
    expect(read.user?.emailVerified).toMatchObject({ seconds: 253402300799n, nanos: 999_000_000 });
    // Every page that lists this user still works.
    const page = await admin.users.listUsers({ pageSize: 10, emailPrefix: email });
    expect(page.users.map((u) => u.email)).toEqual([email]);
    expect((await adapter.getUserByEmail({ email })).user?.id).toBe(created.user!.id);
  });
});

describe("timestamps at the start of year 1", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it("the years 1 to 9999 the contract names are accepted and read back; year 0 is refused", async () => {
    const adapter = server.connect(AdapterService, serviceCredentialHeader());
    const YEAR_1 = -62135596800n; // 0001-01-01T00:00:00Z
    for (const seconds of [YEAR_1, -3786825600n /* 1850-01-01 */]) {
      const created = await adapter.createUser({ email: uniqueEmail("y1"), emailVerified: { seconds, nanos: 0 } });
      expect((await adapter.getUser({ id: created.user!.id })).user?.emailVerified?.seconds).toBe(seconds);
    }
    const err = await adapter.createUser({ email: uniqueEmail("y0"), emailVerified: { seconds: YEAR_1 - 1n, nanos: 0 } }).then(
      () => expect.unreachable("year 0 was accepted"),
      (e: unknown) => ConnectError.from(e),
    );
    expect({ code: err.code, field: err.findDetails(ErrorDetailSchema)[0]?.field }).toEqual({ code: Code.InvalidArgument, field: "email_verified" });
  });
});

describe("values PostgreSQL refuses are the client's mistake (last line)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  const refusedBy = (query: () => Promise<unknown>) =>
    query().then(
      () => expect.unreachable("PostgreSQL accepted the value"),
      (e: unknown) => e,
    );

  it("SQLSTATE 22021, 22008 and 22003 from Prisma map to INVALID_ARGUMENT; other failures stay INTERNAL", async () => {
    const db = server.app.db;
    const refused = {
      "22021 NUL in a model query": await refusedBy(() => db.user.findUnique({ where: { id: NUL } })),
      "22021 NUL in a raw query": await refusedBy(() => db.$queryRaw`SELECT ${NUL}::text`),
      "22008 datetime overflow": await refusedBy(() => db.$queryRaw`SELECT make_date(2020, 13, 1)`),
      "22003 numeric out of range": await refusedBy(() => db.$queryRaw`SELECT 2147483647::int4 + ${1}::int4`),
    };
    for (const [what, err] of Object.entries(refused)) {
      const pub = publicError(err);
      expect({ what, code: Code[pub.code], reason: pub.findDetails(ErrorDetailSchema)[0]?.reason }).toEqual({
        what,
        code: "InvalidArgument",
        reason: "request.invalid_argument",
      });
    }
    const bug = await refusedBy(() => db.$queryRaw`SELECT * FROM no_such_table`);
    expect(Code[publicError(bug).code]).toBe("Internal");
  });
});
