/**
 * TesseraAdapter (web/lib/server/adapter.ts) against next-auth v4's adapter contract, over a
 * real auth service: the cases of `runBasicTests` (next-auth v4's packages/adapter-test, which
 * was never published to npm, so its cases are written out here) in their order and with its
 * shared fixture values unchanged (user, session, account with expires_at = ONE_MONTH, the
 * verification token's identifier, hashToken's secret, the expiry constants), where the "db"
 * checks are the adapter's own lookups; then the exact shapes next-auth receives (plain objects, null for
 * absent fields, Dates, numbers) and the service's edge cases (missing records, expired
 * tokens, errors that must propagate).
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Adapter, AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from "next-auth/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Provides the type of inject("databaseUrl"), which the harness uses.
import type {} from "../../services/auth/test/global-setup.js";
import { serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../../services/auth/test/harness.js";
import { TesseraAdapter } from "../lib/server/adapter.js";
import { SERVICE_CREDENTIAL_HEADER, createTesseraClients } from "../lib/server/rpc.js";

/** The adapter with every method, as runBasicTests uses it. */
type FullAdapter = Required<Adapter>;

let server: TestServer;
let adapter: FullAdapter;
/** An adapter built like the app builds it, but for `serviceCredential`. */
const adapterWith = (baseUrl: string, serviceCredential: string) =>
  TesseraAdapter(createTesseraClients({ baseUrl, serviceCredential }).adapter) as FullAdapter;

beforeAll(async () => {
  server = await startTestServer();
  const credential = serviceCredentialHeader()[SERVICE_CREDENTIAL_HEADER];
  if (!credential) throw new Error(`the harness has no ${SERVICE_CREDENTIAL_HEADER} header`);
  adapter = adapterWith(server.baseUrl, credential);
});
afterAll(async () => {
  await server?.stop();
});

// The service keeps milliseconds, like Date.
const fromNow = (ms: number) => new Date(Date.now() + ms);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** next-auth hashes email sign-in tokens with its secret before they reach the adapter (upstream fixture: secret "anything"). */
const hashToken = (token: string) => createHash("sha256").update(`${token}anything`).digest("hex");
// adapter-test's shared constants, with their values. ONE_MONTH is in milliseconds but the
// fixture uses it as account.expires_at (seconds): 2,592,000,000, past 2^31-1, which is
// exactly the value a 32-bit expires_at column refused.
const ONE_WEEK_FROM_NOW = fromNow(7 * DAY);
const FIFTEEN_MINUTES_FROM_NOW = fromNow(15 * MINUTE);
const ONE_MONTH = 1000 * 60 * 60 * 24 * 30;
const ONE_MONTH_FROM_NOW = fromNow(ONE_MONTH);

/** How a call failed: its ConnectError code. Fails if the call succeeds or rejects with something else. */
async function connectCode(call: unknown): Promise<Code> {
  const err = await Promise.resolve(call).then(
    () => expect.unreachable("the call succeeded"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  return (err as ConnectError).code;
}

/** Exactly next-auth's keys: nothing of the protobuf message (e.g. $typeName) leaks. */
const USER_KEYS = ["email", "emailVerified", "id", "image", "name"];
const ACCOUNT_KEYS = [
  "access_token",
  "expires_at",
  "id_token",
  "provider",
  "providerAccountId",
  "refresh_token",
  "scope",
  "session_state",
  "token_type",
  "type",
  "userId",
];
const keys = (o: object) => Object.keys(o).sort();

describe("runBasicTests (next-auth v4 adapter contract)", () => {
  // Shared across the cases below, in order, as in runBasicTests.
  // Each run has a fresh database (global-setup), so the fixture's fixed address is free.
  let user: AdapterUser | Omit<AdapterUser, "id"> = {
    email: "fill@murray.com",
    image: "https://www.fillmurray.com/460/300",
    name: "Fill Murray",
    emailVerified: new Date(),
  };
  const session: { sessionToken: string; expires: Date; userId?: string } = {
    sessionToken: randomUUID(),
    expires: ONE_WEEK_FROM_NOW,
  };
  const account = {
    provider: "github",
    providerAccountId: randomUUID(),
    type: "oauth",
    access_token: randomUUID(),
    expires_at: ONE_MONTH,
    id_token: randomUUID(),
    refresh_token: randomUUID(),
    token_type: "bearer",
    scope: "user",
    session_state: randomUUID(),
  } as AdapterAccount;
  const userId = () => (user as AdapterUser).id;

  it("has the required (user, account, session) methods and the email and future ones", () => {
    for (const method of [
      "createUser",
      "getUser",
      "getUserByEmail",
      "getUserByAccount",
      "updateUser",
      "linkAccount",
      "createSession",
      "getSessionAndUser",
      "updateSession",
      "deleteSession",
      "createVerificationToken",
      "useVerificationToken",
      "deleteUser",
      "unlinkAccount",
    ] as const) {
      expect(adapter[method], method).toBeTypeOf("function");
    }
  });

  it("createUser", async () => {
    const created: AdapterUser = await adapter.createUser(user);
    expect(created).toStrictEqual({ ...user, id: expect.any(String) });
    expect(created.emailVerified).toBeInstanceOf(Date);
    user = created;
    session.userId = created.id;
    account.userId = created.id;
  });

  it("getUser", async () => {
    expect(await adapter.getUser(randomUUID())).toBeNull();
    expect(await adapter.getUser(userId())).toStrictEqual(user);
  });

  it("getUserByEmail", async () => {
    expect(await adapter.getUserByEmail("non-existent-email")).toBeNull();
    expect(await adapter.getUserByEmail(uniqueEmail("nobody"))).toBeNull();
    expect(await adapter.getUserByEmail(user.email)).toStrictEqual(user);
  });

  it("createSession", async () => {
    const created = await adapter.createSession({ sessionToken: session.sessionToken, userId: userId(), expires: session.expires });
    expect(created).toStrictEqual({ sessionToken: session.sessionToken, userId: userId(), expires: session.expires });
    expect(created.expires).toBeInstanceOf(Date);
  });

  it("getSessionAndUser", async () => {
    expect(await adapter.getSessionAndUser("invalid-token")).toBeNull();
    const found = await adapter.getSessionAndUser(session.sessionToken);
    expect(found).toStrictEqual({ session: { ...session, userId: userId() }, user });
  });

  it("updateUser", async () => {
    const newName = "Updated Name";
    const returned = await adapter.updateUser({ id: userId(), name: newName });
    expect(returned).toStrictEqual({ ...user, name: newName });
    expect((await adapter.getUser(userId()))?.name).toBe(newName);
    user = returned;
  });

  it("updateSession", async () => {
    const before = await adapter.getSessionAndUser(session.sessionToken);
    const oneMonth = ONE_MONTH_FROM_NOW;
    expect(before?.session.expires.valueOf()).not.toBe(oneMonth.valueOf());
    const updated = await adapter.updateSession({ sessionToken: session.sessionToken, expires: oneMonth });
    expect(updated).toStrictEqual({ sessionToken: session.sessionToken, userId: userId(), expires: oneMonth });
    const after = await adapter.getSessionAndUser(session.sessionToken);
    expect(after?.session.expires.valueOf()).toBe(oneMonth.valueOf());
    session.expires = oneMonth;
  });

  it("linkAccount", async () => {
    const linked = await adapter.linkAccount(account);
    expect(linked).toStrictEqual(account);
    expect(typeof linked?.expires_at).toBe("number");
  });

  it("getUserByAccount", async () => {
    expect(await adapter.getUserByAccount({ provider: "invalid-provider", providerAccountId: "invalid-provider-account-id" })).toBeNull();
    expect(await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })).toStrictEqual(user);
  });

  it("deleteSession", async () => {
    await adapter.deleteSession(session.sessionToken);
    expect(await adapter.getSessionAndUser(session.sessionToken)).toBeNull();
    // Signing out of an already ended session is not an error.
    await expect(adapter.deleteSession(session.sessionToken)).resolves.toBeUndefined();
  });

  it("createVerificationToken", async () => {
    const verificationToken = { identifier: "info@example.com", token: hashToken(randomUUID()), expires: FIFTEEN_MINUTES_FROM_NOW };
    expect(await adapter.createVerificationToken(verificationToken)).toStrictEqual(verificationToken);
  });

  it("useVerificationToken (single use)", async () => {
    const verificationToken = { identifier: "info@example.com", token: hashToken(randomUUID()), expires: FIFTEEN_MINUTES_FROM_NOW };
    await adapter.createVerificationToken(verificationToken);
    const used = await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: verificationToken.token });
    expect(used).toStrictEqual(verificationToken);
    expect(used?.expires).toBeInstanceOf(Date);
    expect(await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: verificationToken.token })).toBeNull();
  });

  it("unlinkAccount", async () => {
    const other = { ...account, provider: "gitlab", providerAccountId: randomUUID() };
    await adapter.linkAccount(other);
    expect(await adapter.getUserByAccount(other)).toStrictEqual(user);
    await expect(adapter.unlinkAccount({ provider: other.provider, providerAccountId: other.providerAccountId })).resolves.toBeUndefined();
    expect(await adapter.getUserByAccount(other)).toBeNull();
    // The user and their other account are untouched; unlinking again is not an error.
    expect(await adapter.getUserByAccount(account)).toStrictEqual(user);
    await expect(adapter.unlinkAccount({ provider: other.provider, providerAccountId: other.providerAccountId })).resolves.toBeUndefined();
  });

  it("deleteUser removes the user with their accounts and sessions", async () => {
    expect(await adapter.getUser(userId())).toStrictEqual(user);
    // Re-populate with a session (the account is still linked).
    const sessionToken = randomUUID();
    await adapter.createSession({ sessionToken, userId: userId(), expires: fromNow(DAY) });
    expect(await adapter.getSessionAndUser(sessionToken)).not.toBeNull();
    expect(await adapter.getUserByAccount(account)).not.toBeNull();

    await expect(adapter.deleteUser(userId())).resolves.toBeUndefined();
    expect(await adapter.getUser(userId())).toBeNull();
    expect(await adapter.getUserByEmail(user.email)).toBeNull();
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect(await adapter.getUserByAccount(account)).toBeNull();
    // Deleting a missing user is not an error.
    await expect(adapter.deleteUser(userId())).resolves.toBeUndefined();
  });
});

describe("the shapes next-auth receives", () => {
  it("a user without name, image or verification has them null, and nothing else", async () => {
    const email = uniqueEmail("bare");
    // next-auth's OAuth sign-up: the provider profile minus its id, with emailVerified null.
    const user = await adapter.createUser({ email, emailVerified: null, name: null, image: null });
    expect(user).toStrictEqual({ id: expect.any(String), email, name: null, image: null, emailVerified: null });
    expect(keys(user)).toEqual(USER_KEYS);
    expect(await adapter.getUser(user.id)).toStrictEqual(user);
    expect(await adapter.getUserByEmail(email)).toStrictEqual(user);
  });

  it("profile fields the service does not keep are ignored, and absent ones are null", async () => {
    const email = uniqueEmail("profile");
    const profile = { email, emailVerified: null, name: "Ada", image: undefined, locale: "en-GB" } as Omit<AdapterUser, "id">;
    const user = await adapter.createUser(profile);
    expect(user).toStrictEqual({ id: expect.any(String), email, name: "Ada", image: null, emailVerified: null });
  });

  it("emailVerified is a Date with the millisecond it was given", async () => {
    const when = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    const user = await adapter.createUser({ email: uniqueEmail("verified"), emailVerified: when });
    expect(user.emailVerified).toBeInstanceOf(Date);
    expect(user.emailVerified?.toISOString()).toBe(when.toISOString());
    expect((await adapter.getUser(user.id))?.emailVerified).toStrictEqual(when);
  });

  it("updateUser: null clears name and image; undefined leaves a field alone", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("clear"), emailVerified: null, name: "Ada", image: "https://example.com/a.png" });
    const cleared = await adapter.updateUser({ id: user.id, name: null, image: null });
    expect(cleared).toStrictEqual({ ...user, name: null, image: null });
    const renamed = await adapter.updateUser({ id: user.id, name: "Countess" });
    expect(renamed).toStrictEqual({ ...user, name: "Countess", image: null });
  });

  it("updateUser: emailVerified as next-auth's email sign-in sets it; a new email without it clears it", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("reverify"), emailVerified: null });
    const now = new Date();
    const verified = await adapter.updateUser({ id: user.id, emailVerified: now });
    expect(verified).toStrictEqual({ ...user, emailVerified: now });

    const moved = uniqueEmail("moved");
    expect(await adapter.updateUser({ id: user.id, email: moved })).toStrictEqual({ ...user, email: moved, emailVerified: null });
  });

  it("an account without tokens has every token field null; expires_at is a number of seconds", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("account"), emailVerified: null });
    const bare = await adapter.linkAccount({ userId: user.id, type: "email", provider: "email", providerAccountId: user.email });
    expect(bare).toStrictEqual({
      userId: user.id,
      type: "email",
      provider: "email",
      providerAccountId: user.email,
      refresh_token: null,
      access_token: null,
      expires_at: null,
      token_type: null,
      scope: null,
      id_token: null,
      session_state: null,
    });
    expect(keys(bare!)).toEqual(ACCOUNT_KEYS);

    // next-auth spreads the provider's whole token set into the account; members the proto
    // does not carry (expires_in, ...) are not stored or returned.
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const tokens = { access_token: "at", expires_at: expiresAt, expires_in: 3600, token_type: "bearer", scope: "openid email" };
    const oauth = await adapter.linkAccount({ userId: user.id, type: "oauth", provider: "google", providerAccountId: randomUUID(), ...tokens });
    expect(keys(oauth!)).toEqual(ACCOUNT_KEYS);
    expect(oauth).toMatchObject({ access_token: "at", expires_at: expiresAt, token_type: "bearer", scope: "openid email", refresh_token: null });
    expect(typeof oauth?.expires_at).toBe("number");
  });

  it("a session and its user are plain objects with Dates", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("session"), emailVerified: null });
    const sessionToken = randomUUID();
    const expires = fromNow(DAY);
    await adapter.createSession({ sessionToken, userId: user.id, expires });
    const found = await adapter.getSessionAndUser(sessionToken);
    expect(found).toStrictEqual({ session: { sessionToken, userId: user.id, expires }, user });
    expect(keys(found!.session)).toEqual(["expires", "sessionToken", "userId"]);
    expect(found!.session.expires).toBeInstanceOf(Date);
  });
});

describe("missing records and the service's rules", () => {
  it("lookups of missing records are null", async () => {
    expect(await adapter.getUser("00000000-0000-0000-0000-000000000000")).toBeNull();
    expect(await adapter.getUser("not-a-uuid")).toBeNull();
    expect(await adapter.getUserByEmail(uniqueEmail("missing"))).toBeNull();
    expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: randomUUID() })).toBeNull();
    expect(await adapter.getSessionAndUser(randomUUID())).toBeNull();
    expect(await adapter.updateSession({ sessionToken: randomUUID(), expires: fromNow(DAY) })).toBeNull();
    expect(await adapter.useVerificationToken({ identifier: uniqueEmail("missing"), token: hashToken(randomUUID()) })).toBeNull();
  });

  it("deleting missing records is not an error", async () => {
    await expect(adapter.deleteSession(randomUUID())).resolves.toBeUndefined();
    await expect(adapter.unlinkAccount({ provider: "github", providerAccountId: randomUUID() })).resolves.toBeUndefined();
    await expect(adapter.deleteUser("00000000-0000-0000-0000-000000000000")).resolves.toBeUndefined();
  });

  it("lookups with keys no record can have (over-long, NUL, lone surrogate) are null, not errors", async () => {
    for (const key of ["x".repeat(300), "nul\0", "\uD800"]) {
      expect(await adapter.getUser(key)).toBeNull();
      expect(await adapter.getUserByEmail(key)).toBeNull();
      expect(await adapter.getUserByAccount({ provider: key, providerAccountId: key })).toBeNull();
      expect(await adapter.getSessionAndUser(key)).toBeNull();
      expect(await adapter.useVerificationToken({ identifier: key, token: key })).toBeNull();
    }
  });

  it("an expired session is not found, and cannot be extended", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("expired"), emailVerified: null });
    const sessionToken = randomUUID();
    await adapter.createSession({ sessionToken, userId: user.id, expires: fromNow(-MINUTE) });
    expect(await adapter.getSessionAndUser(sessionToken)).toBeNull();
    expect(await adapter.updateSession({ sessionToken, expires: fromNow(DAY) })).toBeNull();
  });

  it("updateSession without expires leaves the session as it is", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("keep"), emailVerified: null });
    const sessionToken = randomUUID();
    const expires = fromNow(DAY);
    await adapter.createSession({ sessionToken, userId: user.id, expires });
    expect(await adapter.updateSession({ sessionToken })).toStrictEqual({ sessionToken, userId: user.id, expires });
  });

  it("useVerificationToken must match identifier AND token", async () => {
    const verificationToken = { identifier: uniqueEmail("vt"), token: hashToken(randomUUID()), expires: fromNow(15 * MINUTE) };
    await adapter.createVerificationToken(verificationToken);
    expect(await adapter.useVerificationToken({ identifier: uniqueEmail("other"), token: verificationToken.token })).toBeNull();
    expect(await adapter.useVerificationToken({ identifier: verificationToken.identifier, token: hashToken(randomUUID()) })).toBeNull();
    // A link without its email parameter: next-auth passes identifier undefined.
    expect(await adapter.useVerificationToken({ identifier: undefined as unknown as string, token: verificationToken.token })).toBeNull();
    // None of those spent it.
    expect(await adapter.useVerificationToken(verificationToken)).toStrictEqual(verificationToken);
  });

  it("an expired verification token is returned with its past expires (next-auth refuses it) and consumed", async () => {
    const verificationToken = { identifier: uniqueEmail("vt-expired"), token: hashToken(randomUUID()), expires: fromNow(-MINUTE) };
    await adapter.createVerificationToken(verificationToken);
    const used = await adapter.useVerificationToken(verificationToken);
    expect(used).toStrictEqual(verificationToken);
    // next-auth's check: `invite.expires.valueOf() < Date.now()` means the link is invalid.
    expect(used!.expires.valueOf()).toBeLessThan(Date.now());
    expect(await adapter.useVerificationToken(verificationToken)).toBeNull();
  });
});

describe("errors propagate as ConnectErrors", () => {
  it("a wrong service credential is UNAUTHENTICATED, also for calls whose miss is not an error", async () => {
    const impostor = adapterWith(server.baseUrl, "not-the-service-credential-0123456789abcdef");
    expect(await connectCode(impostor.getUser("00000000-0000-0000-0000-000000000000"))).toBe(Code.Unauthenticated);
    expect(await connectCode(impostor.deleteSession(randomUUID()))).toBe(Code.Unauthenticated);
    expect(await connectCode(impostor.useVerificationToken({ identifier: uniqueEmail("x"), token: "t" }))).toBe(Code.Unauthenticated);
  });

  it("an unreachable service is UNAVAILABLE", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close((err) => (err ? reject(err) : resolve(port)));
      });
    });
    const offline = adapterWith(`http://127.0.0.1:${port}`, "whatever-credential-0123456789abcdefgh");
    expect(await connectCode(offline.getUser(randomUUID()))).toBe(Code.Unavailable);
    expect(await connectCode(offline.deleteSession(randomUUID()))).toBe(Code.Unavailable);
  });

  it("a taken email, an already linked account, and unknown users are the service's errors", async () => {
    const user = await adapter.createUser({ email: uniqueEmail("taken"), emailVerified: null });
    expect(await connectCode(adapter.createUser({ email: user.email, emailVerified: null }))).toBe(Code.AlreadyExists);
    const account = { userId: user.id, type: "oauth", provider: "github", providerAccountId: randomUUID() } as AdapterAccount;
    await adapter.linkAccount(account);
    expect(await connectCode(adapter.linkAccount(account))).toBe(Code.AlreadyExists);
    expect(await connectCode(adapter.updateUser({ id: "00000000-0000-0000-0000-000000000000", name: "x" }))).toBe(Code.NotFound);
    const session: AdapterSession = { sessionToken: randomUUID(), userId: "00000000-0000-0000-0000-000000000000", expires: fromNow(DAY) };
    expect(await connectCode(adapter.createSession(session))).toBe(Code.NotFound);
    const token: VerificationToken = { identifier: uniqueEmail("dup"), token: hashToken(randomUUID()), expires: fromNow(MINUTE) };
    await adapter.createVerificationToken(token);
    expect(await connectCode(adapter.createVerificationToken(token))).toBe(Code.AlreadyExists);
  });
});
