import { Code, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Components } from "../../src/server/app.js";
import { GOOD_PASSWORD, inProcessAuth, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";

let components: Components;
let auth: Client<typeof AuthService>;
beforeAll(async () => {
  ({ components, auth } = await inProcessAuth());
});
afterAll(() => components?.close());

/** Asserts the tokens belong to the user's session: the access token verifies, the refresh token refreshes. */
async function expectWorkingTokens(userId: string, tokens: { accessToken: string; refreshToken: string; sessionId: string } | undefined) {
  expect(tokens).toBeDefined();
  const claims = await components.accessTokens.verify(tokens!.accessToken);
  expect(claims).toMatchObject({ userId, sessionId: tokens!.sessionId });
  const refreshed = await auth.refresh({ refreshToken: tokens!.refreshToken });
  expect(refreshed.tokens?.sessionId).toBe(tokens!.sessionId);
}

describe("register and login (in-process)", () => {
  it("register then login returns the same user and working tokens", async () => {
    const email = uniqueEmail("reg");
    const reg = await auth.register({ email, password: GOOD_PASSWORD, name: "Ada" });
    expect(reg.user).toMatchObject({ email, name: "Ada" });
    await expectWorkingTokens(reg.user!.id, reg.tokens);

    const login = await auth.login({ email, password: GOOD_PASSWORD });
    expect(login.user?.id).toBe(reg.user!.id);
    expect(login.user?.email).toBe(email);
    expect(login.tokens?.sessionId).not.toBe(reg.tokens?.sessionId);
    await expectWorkingTokens(reg.user!.id, login.tokens);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const email = uniqueEmail("cred");
    await auth.register({ email, password: GOOD_PASSWORD });
    const wrongPassword = await failure(auth.login({ email, password: `${GOOD_PASSWORD}!` }));
    const unknownEmail = await failure(auth.login({ email: uniqueEmail("nobody"), password: GOOD_PASSWORD }));
    expect(wrongPassword).toEqual({ code: Code.Unauthenticated, message: expect.any(String), reason: "auth.invalid_credentials", field: "" });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it.each([
    ["upper case", "jos\u00e9", (e: string) => e.toUpperCase()],
    // U+1E96 has no upper-case form of its own: it upper-cases to "H" + U+0331, which must lower-case back to it.
    ["upper case that decomposes", "\u1e96", (e: string) => e.toUpperCase()],
    ["surrounding spaces", "jos\u00e9", (e: string) => `  ${e}\t `],
    ["NFD instead of NFC", "jos\u00e9", (e: string) => e.normalize("NFD")],
  ])("refuses a duplicate email in %s and leaves the first account unchanged", async (_, tag, variant) => {
    const email = uniqueEmail(tag); // NFC, so the NFD variant differs
    const first = await auth.register({ email, password: GOOD_PASSWORD, name: "First" });
    const duplicate = variant(email);
    expect(duplicate).not.toBe(email);

    expect(await failure(auth.register({ email: duplicate, password: "another fine passphrase", name: "Second" }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "user.already_exists",
    });

    const login = await auth.login({ email: duplicate, password: GOOD_PASSWORD });
    expect(login.user).toMatchObject({ id: first.user!.id, email, name: "First" });
    expect((await failure(auth.login({ email, password: "another fine passphrase" }))).code).toBe(Code.Unauthenticated);
    expect(await components.db.user.count({ where: { email } })).toBe(1);
  });

  it("lets exactly one of two concurrent registrations of one email succeed", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.allSettled([
      auth.register({ email, password: GOOD_PASSWORD }),
      auth.register({ email: email.toUpperCase(), password: GOOD_PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(await failure(Promise.reject(rejected?.reason))).toMatchObject({ code: Code.AlreadyExists, reason: "user.already_exists" });
  });

  it.each([
    ["a common password", "password"],
    ["a common password in other case", "PassWord1"],
    ["7 characters", "7chars!"],
    ["7 code points that are 14 UTF-16 units", "\u{1F511}".repeat(7)],
    ["empty", ""],
  ])("refuses %s with INVALID_ARGUMENT on field password, creating nothing", async (_, password) => {
    const email = uniqueEmail("weak");
    expect(await failure(auth.register({ email, password }))).toMatchObject({
      code: Code.InvalidArgument,
      field: "password",
    });
    // Nothing was created: the address is still free.
    await expect(auth.register({ email, password: GOOD_PASSWORD })).resolves.toBeDefined();
  });

  it.each([
    ["a quoted local part", '"john"@example.com'],
    ["a quoted local part with a space", '"john doe"@example.com'],
    ["a full-width @", "john\uFF20example.com"],
    ["a full-width @ next to a real one", "john\uFF20evil.com@example.com"],
    ["an IP-literal domain", "john@[127.0.0.1]"],
    ["no @ at all", "john.example.com"],
  ])("refuses an email with %s with INVALID_ARGUMENT on field email", async (_, email) => {
    expect(await failure(auth.register({ email, password: GOOD_PASSWORD }))).toMatchObject({
      code: Code.InvalidArgument,
      field: "email",
    });
  });

  it("uses a long Unicode password exactly, without truncation", async () => {
    const email = uniqueEmail("long");
    const password = "p\u00e4ssw\u00f6rd-\u{1F511}-\u6f22\u5b57-".repeat(12); // 180 code points, > 128 and > 72 bytes
    expect([...password].length).toBeGreaterThan(129);
    const reg = await auth.register({ email, password });
    expect((await auth.login({ email, password })).user?.id).toBe(reg.user!.id);

    const withoutLast = [...password].slice(0, -1).join("");
    expect((await failure(auth.login({ email, password: withoutLast }))).reason).toBe("auth.invalid_credentials");
    expect((await failure(auth.login({ email, password: password.slice(0, 128) }))).reason).toBe("auth.invalid_credentials");
  });

  it("records a failed sign-in for a known user in the audit log, without the password", async () => {
    const email = uniqueEmail("audit");
    const { user } = await auth.register({ email, password: GOOD_PASSWORD });
    const attempted = "wrong-but-secret-passphrase-3141";
    await failure(auth.login({ email, password: attempted }));

    const events = await components.db.auditEvent.findMany({ where: { userId: user!.id, type: "SIGN_IN_FAILED" } });
    expect(events).toHaveLength(1);
    const everything = JSON.stringify(await components.db.auditEvent.findMany({ where: { userId: user!.id } }));
    expect(everything).not.toContain(attempted);
    expect(everything).not.toContain(GOOD_PASSWORD);
  });
});

describe("register and login (real server)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it.each(["connect", "grpc"] as const)("registers and logs in over %s with working tokens", async (protocol) => {
    const client = server[protocol](AuthService);
    const email = uniqueEmail(protocol);
    const reg = await client.register({ email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD });
    expect(reg.user?.email).toBe(email);
    const login = await client.login({ email, password: GOOD_PASSWORD });
    expect(login.user?.id).toBe(reg.user!.id);
    expect(await server.app.accessTokens.verify(login.tokens!.accessToken)).toMatchObject({ userId: reg.user!.id });
    expect((await client.refresh({ refreshToken: login.tokens!.refreshToken })).tokens?.sessionId).toBe(login.tokens!.sessionId);

    const wrong = await failure(client.login({ email, password: "not the password at all" }));
    const unknown = await failure(client.login({ email: uniqueEmail("ghost"), password: "not the password at all" }));
    expect(wrong).toMatchObject({ code: Code.Unauthenticated, reason: "auth.invalid_credentials" });
    expect(unknown).toEqual(wrong);
  });

  it("answers every token response over Connect JSON with Cache-Control: no-store", async () => {
    const post = async (method: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.baseUrl}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, cacheControl: res.headers.get("cache-control"), body: (await res.json()) as any };
    };
    const email = uniqueEmail("no-store");
    const reg = await post("tessera.auth.v1.AuthService/Register", { email, password: GOOD_PASSWORD });
    const login = await post("tessera.auth.v1.AuthService/Login", { email, password: GOOD_PASSWORD });
    const refresh = await post("tessera.auth.v1.AuthService/Refresh", { refreshToken: login.body.tokens.refreshToken });
    const issued = await post("tessera.adapter.v1.AdapterService/IssueTokens", { userId: reg.body.user.id }, serviceCredentialHeader());
    for (const [name, r] of Object.entries({ reg, login, refresh, issued })) {
      expect(r.body.tokens?.accessToken, name).toBeTruthy();
      expect(r.cacheControl, name).toBe("no-store");
    }
  });

  it("records a failed sign-in for an unknown email in the audit log, without the password", async () => {
    const userAgent = `audit-probe/${uniqueEmail("ua")}`;
    const attempted = "unknown-user-secret-passphrase-2718";
    await failure(server.connect(AuthService, { "user-agent": userAgent }).login({ email: uniqueEmail("ghost"), password: attempted }));

    const events = await server.app.db.auditEvent.findMany({ where: { userAgent } });
    expect(events).toMatchObject([{ type: "SIGN_IN_FAILED", userId: null }]);
    expect(JSON.stringify(events)).not.toContain(attempted);
  });
});
