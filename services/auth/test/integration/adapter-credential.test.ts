/**
 * AdapterService's service credential: every RPC without the
 * `tessera-service-credential` header, or with a wrong one, is UNAUTHENTICATED and neither
 * reads nor writes anything.
 */
import { randomBytes } from "node:crypto";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, type Client, type ServiceImpl } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { serviceCredentialCheck } from "../../src/adapter/service-credential.js";
import { requireServiceCredential } from "../../src/rpc/guard.js";
import { testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { startAdapterSuite, stopAdapterSuite } from "./adapter-fixtures.js";

const CREDENTIAL = testConfig().serviceCredential;
const HEADER = "tessera-service-credential";

let server: TestServer;
let adapter: Client<typeof AdapterService>;
let db: pg.Client;
beforeAll(async () => {
  ({ server, adapter, db } = await startAdapterSuite());
});
afterAll(() => stopAdapterSuite({ server, db }));

const secret = () => randomBytes(32).toString("hex");
const inHours = (h: number) => timestampFromDate(new Date(Date.now() + h * 3600_000));

/** Existing records for the calls to aim at, so a call that got through would change something. */
interface Fixture {
  tag: string;
  userId: string;
  email: string;
  provider: string;
  providerAccountId: string;
  sessionToken: string;
  identifier: string;
  token: string;
}

async function fixture(): Promise<Fixture> {
  const email = uniqueEmail("cred");
  const tag = email.split("@")[0]!;
  const { user } = await adapter.createUser({ email, name: "Guarded" });
  const providerAccountId = `gh-${secret()}`;
  await adapter.linkAccount({ account: { userId: user!.id, type: "oauth", provider: "github", providerAccountId } });
  const sessionToken = secret();
  await adapter.createSession({ session: { sessionToken, userId: user!.id, expires: inHours(1) } });
  const token = secret();
  await adapter.createVerificationToken({ verificationToken: { identifier: email, token, expires: inHours(1) } });
  return { tag, userId: user!.id, email, provider: "github", providerAccountId, sessionToken, identifier: email, token };
}

type Method = keyof ServiceImpl<typeof AdapterService>;

/** One call per RPC, aimed at the fixture; `satisfies` makes a new RPC fail to compile until it is listed. */
const CALLS = {
  createUser: (c, f) => c.createUser({ email: `${f.tag}.new@example.com` }),
  getUser: (c, f) => c.getUser({ id: f.userId }),
  getUserByEmail: (c, f) => c.getUserByEmail({ email: f.email }),
  getUserByAccount: (c, f) => c.getUserByAccount({ provider: f.provider, providerAccountId: f.providerAccountId }),
  updateUser: (c, f) => c.updateUser({ id: f.userId, name: "Hijacked", email: `${f.tag}.moved@example.com` }),
  deleteUser: (c, f) => c.deleteUser({ id: f.userId }),
  linkAccount: (c, f) => c.linkAccount({ account: { userId: f.userId, type: "oauth", provider: "google", providerAccountId: f.tag } }),
  unlinkAccount: (c, f) => c.unlinkAccount({ provider: f.provider, providerAccountId: f.providerAccountId }),
  createSession: (c, f) => c.createSession({ session: { sessionToken: secret(), userId: f.userId, expires: inHours(1) } }),
  getSessionAndUser: (c, f) => c.getSessionAndUser({ sessionToken: f.sessionToken }),
  updateSession: (c, f) => c.updateSession({ sessionToken: f.sessionToken, expires: inHours(1000) }),
  deleteSession: (c, f) => c.deleteSession({ sessionToken: f.sessionToken }),
  createVerificationToken: (c, f) => c.createVerificationToken({ verificationToken: { identifier: f.identifier, token: secret(), expires: inHours(1) } }),
  useVerificationToken: (c, f) => c.useVerificationToken({ identifier: f.identifier, token: f.token }),
  issueTokens: (c, f) => c.issueTokens({ userId: f.userId, clientUserAgent: "Attacker/1.0", clientIpAddress: "203.0.113.9" }),
} satisfies Record<Method, (c: Client<typeof AdapterService>, f: Fixture) => Promise<unknown>>;

/** Every row the calls could touch: the fixture's user, accounts, sessions, tokens, audit events and new users. */
async function snapshot(f: Fixture) {
  const q = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows;
  return {
    users: await q(`SELECT * FROM "User" WHERE id = $1 OR starts_with(email, $2) ORDER BY id`, [f.userId, f.tag]),
    accounts: await q(`SELECT * FROM "Account" WHERE "userId" = $1 OR "providerAccountId" = $2 ORDER BY id`, [f.userId, f.tag]),
    sessions: await q(`SELECT * FROM "Session" WHERE "userId" = $1 ORDER BY id`, [f.userId]),
    verificationTokens: await q(`SELECT * FROM "VerificationToken" WHERE identifier = $1 ORDER BY token`, [f.identifier]),
    audit: await q(`SELECT * FROM "AuditEvent" WHERE "userId" = $1 ORDER BY id`, [f.userId]),
  };
}

async function usersLike(prefix: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "User" WHERE starts_with(email, $1)`, [prefix]);
  return rows[0]!.n;
}

const REFUSED = { code: Code.Unauthenticated, reason: "service.invalid_credential", field: "" };
const methods = AdapterService.methods.map((m) => m.localName as Method);

it("the calls cover every RPC of AdapterService", () => {
  expect(Object.keys(CALLS).sort()).toEqual([...methods].sort());
});

describe.each<[string, "connect" | "grpc", Record<string, string>]>([
  ["no credential", "connect", {}],
  ["no credential", "grpc", {}],
  ["an empty credential", "connect", { [HEADER]: "" }],
  ["a wrong credential of the same length", "connect", { [HEADER]: "x".repeat(CREDENTIAL.length) }],
  ["a wrong credential of the same length", "grpc", { [HEADER]: "x".repeat(CREDENTIAL.length) }],
  ["a wrong credential of another length", "connect", { [HEADER]: "wrong" }],
  ["the credential with one character more", "connect", { [HEADER]: `${CREDENTIAL}x` }],
  ["the credential less its last character", "connect", { [HEADER]: CREDENTIAL.slice(0, -1) }],
  ["the credential in upper case", "connect", { [HEADER]: CREDENTIAL.toUpperCase() }],
  ["the credential as a bearer token", "connect", { authorization: `Bearer ${CREDENTIAL}` }],
  ["the credential under another header", "connect", { "x-auth-secret": CREDENTIAL }],
])("with %s over %s", (_name, protocol, headers) => {
  it.each(methods)("%s is UNAUTHENTICATED and changes nothing", async (method) => {
    const f = await fixture();
    const before = await snapshot(f);
    const users = await usersLike(f.tag);
    const client = server[protocol](AdapterService, headers);
    expect(await failure(CALLS[method](client, f))).toMatchObject(REFUSED);
    expect(await usersLike(f.tag)).toBe(users);
    expect(await snapshot(f)).toEqual(before);
  });
});

describe("with the credential", () => {
  it.each(["connect", "grpc"] as const)("calls go through over %s", async (protocol) => {
    const f = await fixture();
    const client = server[protocol](AdapterService, { [HEADER]: CREDENTIAL });
    expect((await client.getUser({ id: f.userId })).user?.email).toBe(f.email);
  });

  it("a refused call is logged with its reason, without the presented value", async () => {
    const presented = `probe-${secret()}`;
    await failure(server.connect(AdapterService, { [HEADER]: presented, "x-request-id": "adapter-cred-probe" }).getUser({ id: "x" }));
    const line = server.logs.find((l) => l.includes("adapter-cred-probe"));
    expect(JSON.parse(line!)).toMatchObject({ rpc: "tessera.adapter.v1.AdapterService/GetUser", code: "Unauthenticated", reason: "service.invalid_credential" });
    expect(server.logs.join("\n")).not.toContain(presented);
  });
});

describe("the guard itself", () => {
  it("compares by digest: only the exact credential matches", () => {
    const check = serviceCredentialCheck(CREDENTIAL);
    expect(check(CREDENTIAL)).toBe(true);
    for (const wrong of [null, "", CREDENTIAL.slice(1), `${CREDENTIAL} `, CREDENTIAL.toUpperCase()]) expect(check(wrong)).toBe(false);
    expect(() => serviceCredentialCheck("")).toThrow();
  });

  it("refuses to build a service with a missing handler, so none can go unguarded", () => {
    const partial = { getUser: async () => ({}) } as unknown as ServiceImpl<typeof AdapterService>;
    expect(() => requireServiceCredential(AdapterService, partial, CREDENTIAL)).toThrow(/has no handler/);
  });
});
