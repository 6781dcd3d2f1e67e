/**
 * AdapterService against next-auth v4's adapter contract: the cases of `runBasicTests` in
 * @auth/adapter-test, written out over RPC, plus what Tessera adds (secrets hashed at rest,
 * no default email verification, normalised email, field limits).
 */
import { createHash, randomBytes } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Code, type Client } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterAccountSchema, type AdapterAccount } from "../../../../gen/tessera/adapter/v1/adapter_account_pb.js";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { AdapterUser } from "../../../../gen/tessera/adapter/v1/adapter_user_pb.js";
import { AdapterStore } from "../../src/adapter/adapter-store.js";
import { SessionStore } from "../../src/session/session-store.js";
import { testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { startAdapterSuite, stopAdapterSuite } from "./adapter-fixtures.js";

let server: TestServer;
let adapter: Client<typeof AdapterService>;
let db: pg.Client;
beforeAll(async () => {
  ({ server, adapter, db } = await startAdapterSuite());
});
afterAll(() => stopAdapterSuite({ server, db }));

const sha256hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
/** A NextAuth-style secret (next-auth uses random hex strings). */
const secret = () => randomBytes(32).toString("hex");
/** A time in the future, whole milliseconds (what the database keeps). */
const inHours = (h: number) => timestampFromDate(new Date(Math.floor(Date.now() / 1000) * 1000 + h * 3600_000));
const ms = (t: Timestamp | undefined) => (t ? timestampDate(t).getTime() : undefined);

async function newUser(opts: { email?: string; verified?: boolean } = {}): Promise<AdapterUser> {
  const { user } = await adapter.createUser({
    email: opts.email ?? uniqueEmail("adapter"),
    emailVerified: opts.verified ? timestampFromDate(new Date()) : undefined,
    name: "Ada Lovelace",
    image: "https://example.com/ada.png",
  });
  return user!;
}

function oauthAccount(userId: string, overrides: Partial<AdapterAccount> = {}): AdapterAccount {
  return create(AdapterAccountSchema, {
    userId,
    type: "oauth",
    provider: "github",
    providerAccountId: `gh-${randomBytes(8).toString("hex")}`,
    refreshToken: "provider-refresh",
    accessToken: "provider-access",
    expiresAt: 1_900_000_000n,
    tokenType: "bearer",
    scope: "read:user user:email",
    idToken: "header.payload.signature",
    sessionState: "state-1",
    ...overrides,
  });
}

/** A GetSessionAndUser answer with neither session nor user. */
function expectNoSession(res: { session?: unknown; user?: unknown }) {
  expect([res.session, res.user]).toEqual([undefined, undefined]);
}

async function rowCount(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`, params);
  return rows[0]!.n;
}

describe("users", () => {
  it("createUser returns the user, and getUser finds it", async () => {
    const email = uniqueEmail("create");
    const verified = timestampFromDate(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)));
    const { user } = await adapter.createUser({ email, emailVerified: verified, name: "Ada", image: "https://example.com/a.png" });
    expect(user).toMatchObject({ email, name: "Ada", image: "https://example.com/a.png" });
    expect(ms(user!.emailVerified)).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    expect(user!.id).toMatch(/^[0-9a-f-]{36}$/);

    const found = await adapter.getUser({ id: user!.id });
    expect(found.user).toEqual(user);
  });

  it("createUser without email_verified leaves it unset (never verified by default)", async () => {
    const { user } = await adapter.createUser({ email: uniqueEmail("unverified") });
    expect(user!.emailVerified).toBeUndefined();
    expect(user!.name).toBeUndefined();
    expect(user!.image).toBeUndefined();
    const { rows } = await db.query(`SELECT "emailVerified", name, image, "passwordHash" FROM "User" WHERE id = $1`, [user!.id]);
    expect(rows[0]).toEqual({ emailVerified: null, name: null, image: null, passwordHash: null });
  });

  it("createUser normalises the email, and a taken email is ALREADY_EXISTS", async () => {
    const email = uniqueEmail("normal");
    const { user } = await adapter.createUser({ email: `  ${email.toUpperCase()} ` });
    expect(user!.email).toBe(email);
    expect(await failure(adapter.createUser({ email: email.toUpperCase() }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "user.already_exists",
    });
  });

  it("getUserByEmail finds a user by any spelling of the address; a miss is empty", async () => {
    const user = await newUser();
    expect((await adapter.getUserByEmail({ email: ` ${user.email.toUpperCase()}` })).user).toEqual(user);
    expect((await adapter.getUserByEmail({ email: uniqueEmail("nobody") })).user).toBeUndefined();
    expect((await adapter.getUserByEmail({ email: "not an address" })).user).toBeUndefined();
  });

  it("getUser of a missing id is empty, not an error", async () => {
    expect((await adapter.getUser({ id: "00000000-0000-0000-0000-000000000000" })).user).toBeUndefined();
    expect((await adapter.getUser({ id: "not-a-uuid" })).user).toBeUndefined();
  });

  it("updateUser changes only the fields that are set", async () => {
    const user = await newUser({ verified: true });
    const { user: renamed } = await adapter.updateUser({ id: user.id, name: "Countess" });
    expect(renamed).toEqual({ ...user, name: "Countess" });

    const when = timestampFromDate(new Date(Date.UTC(2026, 5, 1)));
    const { user: reverified } = await adapter.updateUser({ id: user.id, emailVerified: when, image: "https://example.com/new.png" });
    expect(reverified).toMatchObject({ id: user.id, email: user.email, name: "Countess", image: "https://example.com/new.png" });
    expect(ms(reverified!.emailVerified)).toBe(Date.UTC(2026, 5, 1));
    expect((await adapter.getUser({ id: user.id })).user).toEqual(reverified);
  });

  it("updateUser with an empty name or image clears it", async () => {
    const user = await newUser();
    const { user: cleared } = await adapter.updateUser({ id: user.id, name: "", image: "" });
    expect(cleared!.name).toBeUndefined();
    expect(cleared!.image).toBeUndefined();
  });

  it("updateUser with a new email normalises it and clears email_verified unless given", async () => {
    const user = await newUser({ verified: true });
    expect(user.emailVerified).toBeDefined();

    // The same address (differently spelt) keeps the verification.
    const { user: same } = await adapter.updateUser({ id: user.id, email: user.email.toUpperCase() });
    expect(same!.emailVerified).toEqual(user.emailVerified);

    const moved = uniqueEmail("moved");
    const { user: changed } = await adapter.updateUser({ id: user.id, email: ` ${moved.toUpperCase()}` });
    expect(changed!.email).toBe(moved);
    expect(changed!.emailVerified).toBeUndefined();

    const again = uniqueEmail("moved");
    const when = timestampFromDate(new Date(Date.UTC(2026, 0, 1)));
    const { user: vouched } = await adapter.updateUser({ id: user.id, email: again, emailVerified: when });
    expect(vouched).toMatchObject({ email: again });
    expect(ms(vouched!.emailVerified)).toBe(Date.UTC(2026, 0, 1));
  });

  it("updateUser of an unknown id is NOT_FOUND; to a taken email is ALREADY_EXISTS", async () => {
    expect(await failure(adapter.updateUser({ id: "00000000-0000-0000-0000-000000000000", name: "x" }))).toMatchObject({
      code: Code.NotFound,
      reason: "user.not_found",
    });
    const [a, b] = [await newUser(), await newUser()];
    expect(await failure(adapter.updateUser({ id: a.id, email: b.email }))).toMatchObject({ code: Code.AlreadyExists, reason: "user.already_exists" });
    expect((await adapter.getUser({ id: a.id })).user).toEqual(a);
  });

  it("deleteUser removes the user with their accounts and sessions; a missing user is fine", async () => {
    const user = await newUser();
    const account = oauthAccount(user.id);
    await adapter.linkAccount({ account });
    const sessionToken = secret();
    await adapter.createSession({ session: { sessionToken, userId: user.id, expires: inHours(1) } });
    // A Tessera session (with a refresh token) goes too.
    await adapter.issueTokens({ userId: user.id, clientUserAgent: "Browser/1", clientIpAddress: "192.0.2.1" });
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "userId" = $1`, [user.id])).toBe(2);

    await adapter.deleteUser({ id: user.id });
    expect((await adapter.getUser({ id: user.id })).user).toBeUndefined();
    expect((await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })).user).toBeUndefined();
    expectNoSession(await adapter.getSessionAndUser({ sessionToken }));
    expect(await rowCount(`SELECT 1 FROM "Account" WHERE "userId" = $1`, [user.id])).toBe(0);
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "userId" = $1`, [user.id])).toBe(0);
    expect(await rowCount(`SELECT 1 FROM "AuditEvent" WHERE "userId" = $1 AND type = 'ACCOUNT_DELETED'`, [user.id])).toBe(1);

    await adapter.deleteUser({ id: user.id });
    await adapter.deleteUser({ id: "00000000-0000-0000-0000-000000000000" });
  });
});

describe("accounts", () => {
  it("linkAccount stores every field as given, and getUserByAccount finds the user", async () => {
    const user = await newUser();
    const account = oauthAccount(user.id);
    const { account: linked } = await adapter.linkAccount({ account });
    expect(linked).toEqual(account);

    const { rows } = await db.query(`SELECT * FROM "Account" WHERE provider = $1 AND "providerAccountId" = $2`, [account.provider, account.providerAccountId]);
    expect(rows[0]).toMatchObject({
      userId: user.id,
      type: "oauth",
      // pg returns a BIGINT column as a string (it may exceed a double's safe range).
      expires_at: "1900000000",
      token_type: "bearer",
      scope: "read:user user:email",
      session_state: "state-1",
      // The user's email was not verified: proving the mailbox will remove this link.
      linkedWhileUnverified: true,
    });

    const found = await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId });
    expect(found.user).toEqual(user);
  });

  it("provider tokens are sealed at rest: the row holds none of their text, the adapter still answers them", async () => {
    const user = await newUser({ verified: true });
    const tokens = { accessToken: `access-${secret()}`, refreshToken: `refresh-${secret()}`, idToken: `id-${secret()}` };
    const account = oauthAccount(user.id, tokens);
    await adapter.linkAccount({ account });
    const { rows } = await db.query(`SELECT * FROM "Account" WHERE "userId" = $1`, [user.id]);
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows[0]);
    for (const t of Object.values(tokens)) expect(raw).not.toContain(t);
    for (const column of ["access_token", "refresh_token", "id_token"]) expect(rows[0][column]).toMatch(/^v1\./);
    expect(rows[0].linkedWhileUnverified).toBe(false);

    // Read back through the store (next-auth v4 has no account lookup on the wire), it opens.
    const store = new AdapterStore(server.app.db, testConfig().keyEncryptionKey, new SessionStore(server.app.db, server.app.pool));
    expect(await store.findAccount(account.provider, account.providerAccountId)).toMatchObject({
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      id_token: tokens.idToken,
      expires_at: 1_900_000_000n,
    });
    // A sealed value moved into another column does not open there: it is bound to its slot.
    await db.query(`UPDATE "Account" SET id_token = access_token WHERE "userId" = $1`, [user.id]);
    await expect(store.findAccount(account.provider, account.providerAccountId)).rejects.toThrow();
  });

  it("linkAccount without the optional fields leaves them unset", async () => {
    const user = await newUser();
    const account = create(AdapterAccountSchema, { userId: user.id, type: "oidc", provider: "google", providerAccountId: `g-${secret()}` });
    const { account: linked } = await adapter.linkAccount({ account });
    expect(linked).toEqual(account);
    for (const k of ["refreshToken", "accessToken", "expiresAt", "tokenType", "scope", "idToken", "sessionState"] as const) {
      expect(linked![k]).toBeUndefined();
    }
  });

  it("linkAccount of an already linked provider account is ALREADY_EXISTS; of an unknown user NOT_FOUND", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const account = oauthAccount(a.id);
    await adapter.linkAccount({ account });
    expect(await failure(adapter.linkAccount({ account: { ...account, userId: b.id } }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "account.already_linked",
    });
    expect((await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })).user?.id).toBe(a.id);

    const orphan = oauthAccount("00000000-0000-0000-0000-000000000000");
    expect(await failure(adapter.linkAccount({ account: orphan }))).toMatchObject({ code: Code.NotFound, reason: "user.not_found" });
  });

  it("getUserByAccount of an unlinked account is empty", async () => {
    expect((await adapter.getUserByAccount({ provider: "github", providerAccountId: `gh-${secret()}` })).user).toBeUndefined();
  });

  it("unlinkAccount removes the link; a missing link is fine", async () => {
    const user = await newUser();
    const account = oauthAccount(user.id);
    await adapter.linkAccount({ account });
    await adapter.unlinkAccount({ provider: account.provider, providerAccountId: account.providerAccountId });
    expect((await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })).user).toBeUndefined();
    expect((await adapter.getUser({ id: user.id })).user).toEqual(user);
    await adapter.unlinkAccount({ provider: account.provider, providerAccountId: account.providerAccountId });
  });
});

describe("database sessions", () => {
  it("createSession stores the session, and getSessionAndUser returns it with its user", async () => {
    const user = await newUser();
    const session = { sessionToken: secret(), userId: user.id, expires: inHours(24) };
    const created = await adapter.createSession({ session });
    expect(created.session).toMatchObject(session);

    const found = await adapter.getSessionAndUser({ sessionToken: session.sessionToken });
    expect(found.session).toMatchObject(session);
    expect(found.user).toEqual(user);
  });

  it("the session token is stored only as its SHA-256 hex, without device info", async () => {
    const user = await newUser();
    const sessionToken = secret();
    await adapter.createSession({ session: { sessionToken, userId: user.id, expires: inHours(1) } });
    const { rows } = await db.query(`SELECT "sessionToken", "userAgent", "ipAddress" FROM "Session" WHERE "userId" = $1`, [user.id]);
    expect(rows).toEqual([{ sessionToken: sha256hex(sessionToken), userAgent: "", ipAddress: "" }]);
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "sessionToken" = $1`, [sessionToken])).toBe(0);
    // Looking up by the stored hash finds nothing: the hash is not a usable token.
    expect((await adapter.getSessionAndUser({ sessionToken: sha256hex(sessionToken) })).session).toBeUndefined();
  });

  it("getSessionAndUser returns nothing for an unknown, expired or revoked session, and deletes the expired one", async () => {
    const user = await newUser();
    expectNoSession(await adapter.getSessionAndUser({ sessionToken: secret() }));

    const expired = secret();
    await adapter.createSession({ session: { sessionToken: expired, userId: user.id, expires: inHours(-1) } });
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "sessionToken" = $1`, [sha256hex(expired)])).toBe(1);
    expectNoSession(await adapter.getSessionAndUser({ sessionToken: expired }));
    // next-auth's core deletes an expired session it is given; Tessera deletes it itself.
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "sessionToken" = $1`, [sha256hex(expired)])).toBe(0);

    const revoked = secret();
    await adapter.createSession({ session: { sessionToken: revoked, userId: user.id, expires: inHours(1) } });
    await db.query(`UPDATE "Session" SET "revokedAt" = now() WHERE "sessionToken" = $1`, [sha256hex(revoked)]);
    expectNoSession(await adapter.getSessionAndUser({ sessionToken: revoked }));
  });

  it("createSession for an unknown user is NOT_FOUND", async () => {
    const session = { sessionToken: secret(), userId: "00000000-0000-0000-0000-000000000000", expires: inHours(1) };
    expect(await failure(adapter.createSession({ session }))).toMatchObject({ code: Code.NotFound, reason: "user.not_found" });
  });

  it("updateSession moves the expiry; unknown sessions give nothing", async () => {
    const user = await newUser();
    const sessionToken = secret();
    await adapter.createSession({ session: { sessionToken, userId: user.id, expires: inHours(1) } });
    const later = inHours(48);
    const { session } = await adapter.updateSession({ sessionToken, expires: later });
    expect(session).toMatchObject({ sessionToken, userId: user.id });
    expect(ms(session!.expires)).toBe(ms(later));
    expect(ms((await adapter.getSessionAndUser({ sessionToken })).session?.expires)).toBe(ms(later));

    // Without expires it is left alone.
    expect(ms((await adapter.updateSession({ sessionToken })).session?.expires)).toBe(ms(later));
    expect((await adapter.updateSession({ sessionToken: secret(), expires: later })).session).toBeUndefined();
  });

  it("deleteSession removes the session; a missing one is fine", async () => {
    const user = await newUser();
    const sessionToken = secret();
    await adapter.createSession({ session: { sessionToken, userId: user.id, expires: inHours(1) } });
    await adapter.deleteSession({ sessionToken });
    expect((await adapter.getSessionAndUser({ sessionToken })).session).toBeUndefined();
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "sessionToken" = $1`, [sha256hex(sessionToken)])).toBe(0);
    await adapter.deleteSession({ sessionToken });
  });
});

describe("verification tokens", () => {
  it("createVerificationToken returns the plain token and stores only its SHA-256 hex", async () => {
    const verificationToken = { identifier: uniqueEmail("vt"), token: secret(), expires: inHours(24) };
    const created = await adapter.createVerificationToken({ verificationToken });
    expect(created.verificationToken).toMatchObject(verificationToken);
    const { rows } = await db.query(`SELECT token FROM "VerificationToken" WHERE identifier = $1`, [verificationToken.identifier]);
    expect(rows).toEqual([{ token: sha256hex(verificationToken.token) }]);
  });

  it("useVerificationToken returns the token once; the second use gets nothing", async () => {
    const verificationToken = { identifier: uniqueEmail("vt"), token: secret(), expires: inHours(24) };
    await adapter.createVerificationToken({ verificationToken });
    const used = await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: verificationToken.token });
    expect(used.verificationToken).toMatchObject(verificationToken);
    expect(ms(used.verificationToken!.expires)).toBe(ms(verificationToken.expires));
    expect((await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: verificationToken.token })).verificationToken).toBeUndefined();
    expect(await rowCount(`SELECT 1 FROM "VerificationToken" WHERE identifier = $1`, [verificationToken.identifier])).toBe(0);
  });

  it("useVerificationToken with the right token but another identifier gets nothing and spends nothing", async () => {
    const verificationToken = { identifier: uniqueEmail("vt"), token: secret(), expires: inHours(24) };
    await adapter.createVerificationToken({ verificationToken });
    expect((await adapter.useVerificationToken({ identifier: uniqueEmail("other"), token: verificationToken.token })).verificationToken).toBeUndefined();
    expect((await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: secret() })).verificationToken).toBeUndefined();
    // The stored hash is not the token.
    expect((await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: sha256hex(verificationToken.token) })).verificationToken).toBeUndefined();
    expect((await adapter.useVerificationToken(verificationToken)).verificationToken?.token).toBe(verificationToken.token);
  });

  it("concurrent uses of one token: exactly one gets it", async () => {
    const verificationToken = { identifier: uniqueEmail("vt"), token: secret(), expires: inHours(24) };
    await adapter.createVerificationToken({ verificationToken });
    const results = await Promise.all(Array.from({ length: 8 }, () => adapter.useVerificationToken(verificationToken)));
    expect(results.filter((r) => r.verificationToken).length).toBe(1);
  });

  it("an expired token is still returned (next-auth checks expires) and consumed", async () => {
    const verificationToken = { identifier: uniqueEmail("vt"), token: secret(), expires: inHours(-1) };
    await adapter.createVerificationToken({ verificationToken });
    const used = await adapter.useVerificationToken(verificationToken);
    expect(ms(used.verificationToken?.expires)).toBe(ms(verificationToken.expires));
    expect((await adapter.useVerificationToken(verificationToken)).verificationToken).toBeUndefined();
  });
});

describe("field limits are INVALID_ARGUMENT naming the field; nothing is written", () => {
  const long = (n: number) => "x".repeat(n);
  const invalid = (field: string) => ({ code: Code.InvalidArgument, reason: "request.invalid_argument", field });

  it.each<[string, (email: string) => Parameters<Client<typeof AdapterService>["createUser"]>[0]]>([
    ["email", () => ({ email: `${long(250)}@example.com` })],
    ["email", () => ({ email: "not an address" })],
    ["email", () => ({ email: "" })],
    ["name", (email) => ({ email, name: long(101) })],
    ["name", (email) => ({ email, name: "nul\0byte" })],
    ["image", (email) => ({ email, image: `https://example.com/${long(2048)}` })],
    ["image", (email) => ({ email, image: "javascript:alert(1)" })],
    ["email_verified", (email) => ({ email, emailVerified: { seconds: 300_000_000_000n, nanos: 0 } })],
  ])("CreateUser with a bad %s", async (field, request) => {
    const email = uniqueEmail("limits");
    expect(await failure(adapter.createUser(request(email)))).toMatchObject(invalid(field));
    expect(await rowCount(`SELECT 1 FROM "User" WHERE email = $1`, [email])).toBe(0);
  });

  it("the longest accepted values pass", async () => {
    const { user } = await adapter.createUser({ email: uniqueEmail("limits"), name: "é".repeat(100), image: `https://e.com/${long(2048 - 14)}` });
    expect(user!.name).toHaveLength(100);
    const account = oauthAccount(user!.id, { provider: long(64), providerAccountId: secret().padEnd(255, "x"), expiresAt: BigInt(Number.MAX_SAFE_INTEGER) });
    expect((await adapter.linkAccount({ account })).account).toEqual(account);
    // Past January 2038 (a 32-bit column refused these): any safe integer is stored and read back.
    for (const expiresAt of [2n ** 31n, -BigInt(Number.MAX_SAFE_INTEGER), 2_592_000_000n]) {
      const a = oauthAccount(user!.id, { expiresAt });
      expect((await adapter.linkAccount({ account: a })).account?.expiresAt).toBe(expiresAt);
    }
    const sessionToken = secret().padEnd(255, "x");
    expect((await adapter.createSession({ session: { sessionToken, userId: user!.id, expires: inHours(1) } })).session?.sessionToken).toBe(sessionToken);
    await adapter.deleteSession({ sessionToken });
  });

  it.each<[string, (userId: string) => Partial<AdapterAccount> | null]>([
    ["account", () => null],
    ["account.user_id", () => ({ userId: "" })],
    ["account.user_id", () => ({ userId: long(65) })],
    ["account.type", () => ({ type: "password" })],
    ["account.provider", () => ({ provider: long(65) })],
    ["account.provider", () => ({ provider: "" })],
    ["account.provider_account_id", () => ({ providerAccountId: long(256) })],
    ["account.expires_at", () => ({ expiresAt: 2n ** 53n })],
    ["account.expires_at", () => ({ expiresAt: -(2n ** 53n) })],
    ["account.access_token", () => ({ accessToken: "nul\0" })],
  ])("LinkAccount with a bad %s", async (field, change) => {
    const user = await newUser();
    const patch = change(user.id);
    const call = patch === null ? adapter.linkAccount({}) : adapter.linkAccount({ account: oauthAccount(user.id, patch) });
    expect(await failure(call)).toMatchObject(invalid(field));
    expect(await rowCount(`SELECT 1 FROM "Account" WHERE "userId" = $1`, [user.id])).toBe(0);
  });

  it("sessions, verification tokens and lookups", async () => {
    const user = await newUser();
    const s = (over: object) => ({ session: { sessionToken: secret(), userId: user.id, expires: inHours(1), ...over } });
    expect(await failure(adapter.createSession({}))).toMatchObject(invalid("session"));
    expect(await failure(adapter.createSession(s({ sessionToken: "" })))).toMatchObject(invalid("session.session_token"));
    expect(await failure(adapter.createSession(s({ sessionToken: long(256) })))).toMatchObject(invalid("session.session_token"));
    expect(await failure(adapter.createSession(s({ expires: undefined })))).toMatchObject(invalid("session.expires"));
    expect(await failure(adapter.createSession(s({ userId: "" })))).toMatchObject(invalid("session.user_id"));
    expect(await rowCount(`SELECT 1 FROM "Session" WHERE "userId" = $1`, [user.id])).toBe(0);

    expect(await failure(adapter.updateSession({ sessionToken: "" }))).toMatchObject(invalid("session_token"));
    expect(await failure(adapter.deleteSession({ sessionToken: long(256) }))).toMatchObject(invalid("session_token"));

    const identifier = uniqueEmail("vt-limits");
    const v = (over: object) => ({ verificationToken: { identifier, token: secret(), expires: inHours(1), ...over } });
    expect(await failure(adapter.createVerificationToken({}))).toMatchObject(invalid("verification_token"));
    expect(await failure(adapter.createVerificationToken(v({ identifier: long(255) })))).toMatchObject(invalid("verification_token.identifier"));
    expect(await failure(adapter.createVerificationToken(v({ token: long(256) })))).toMatchObject(invalid("verification_token.token"));
    expect(await failure(adapter.createVerificationToken(v({ token: "" })))).toMatchObject(invalid("verification_token.token"));
    expect(await failure(adapter.createVerificationToken(v({ expires: undefined })))).toMatchObject(invalid("verification_token.expires"));
    expect(await rowCount(`SELECT 1 FROM "VerificationToken" WHERE identifier = $1`, [identifier])).toBe(0);
    expect(await failure(adapter.unlinkAccount({ provider: "github", providerAccountId: long(256) }))).toMatchObject(invalid("provider_account_id"));
    expect(await failure(adapter.updateUser({ id: user.id, email: "nope" }))).toMatchObject(invalid("email"));
    expect(await failure(adapter.updateUser({ id: user.id, name: long(101) }))).toMatchObject(invalid("name"));
    expect((await adapter.getUser({ id: user.id })).user).toEqual(user);
    expect(await failure(adapter.deleteUser({ id: "" }))).toMatchObject(invalid("id"));
  });
});

describe("lookups answer a key no record can have with nothing (next-auth: a miss is null), never an error", () => {
  const long = (n: number) => "x".repeat(n);
  const bad = ["", long(65), long(256), long(300), "nul\0byte", "lone\uD800surrogate", "\uDC00"];

  it.each(bad.map((v) => [JSON.stringify(v).slice(0, 20), v]))("key %s", async (_, key) => {
    expect((await adapter.getUser({ id: key })).user).toBeUndefined();
    expect((await adapter.getUserByEmail({ email: key })).user).toBeUndefined();
    expect((await adapter.getUserByEmail({ email: `${key}@example.com` })).user).toBeUndefined();
    expect((await adapter.getUserByAccount({ provider: key, providerAccountId: "1" })).user).toBeUndefined();
    expect((await adapter.getUserByAccount({ provider: "github", providerAccountId: key })).user).toBeUndefined();
    expectNoSession(await adapter.getSessionAndUser({ sessionToken: key }));
    expect((await adapter.useVerificationToken({ identifier: key, token: secret() })).verificationToken).toBeUndefined();
    expect((await adapter.useVerificationToken({ identifier: uniqueEmail("vt"), token: key })).verificationToken).toBeUndefined();
  });

  it("a stored token is still found and used after misses around it", async () => {
    const identifier = uniqueEmail("vt-miss");
    const token = secret();
    await adapter.createVerificationToken({ verificationToken: { identifier, token, expires: inHours(1) } });
    expect((await adapter.useVerificationToken({ identifier, token: `${token}\0` })).verificationToken).toBeUndefined();
    expect((await adapter.useVerificationToken({ identifier, token })).verificationToken?.token).toBe(token);
  });
});
