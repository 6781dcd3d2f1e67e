/**
 * Provider links (next-auth Accounts) against account takeover, through a
 * real auth service over HTTP: a link made while the user's email was unverified (a
 * squatter's, possibly) is removed when the mailbox is proven (ResetPassword, VerifyEmail)
 * and each removal is audited; the owner's own sign-in methods can be listed and unlinked,
 * never the last way in.
 */
import { randomBytes } from "node:crypto";
import { Code, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";

const NEW_PASSWORD = "the owner's brand new passphrase";

let server: TestServer;
let auth: Client<typeof AuthService>;
let adapter: Client<typeof AdapterService>;
beforeAll(async () => {
  server = await startTestServer();
  auth = server.connect(AuthService);
  adapter = server.connect(AdapterService, serviceCredentialHeader());
});
afterAll(() => server?.stop());

const bearer = (accessToken: string) => ({ headers: { authorization: `Bearer ${accessToken}` } });
const userApi = (accessToken: string) => server.connect(UserService, bearer(accessToken).headers);

/** The token of the newest `page` link the service mailed to `to` (waits for delivery). */
async function mailedToken(to: string, page: "reset-password" | "verify-email"): Promise<string> {
  let token: string | undefined;
  await expect
    .poll(
      async () => {
        const mails = await server.app.db.devMail.findMany({ where: { to }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
        token = mails.map((m) => new RegExp(`/${page}\\?token=([A-Za-z0-9_-]{43})\\b`).exec(m.text)?.[1]).find(Boolean);
        return token;
      },
      { timeout: 15_000, interval: 50 },
    )
    .toBeDefined();
  return token!;
}

/** A provider account linked to `userId` through the adapter, as next-auth links it. */
async function link(userId: string, provider = "oidc") {
  const account = { userId, type: "oauth", provider, providerAccountId: `squat-${randomBytes(8).toString("hex")}`, accessToken: "at" };
  await adapter.linkAccount({ account });
  return account;
}

const linkedUser = async (a: { provider: string; providerAccountId: string }) =>
  (await adapter.getUserByAccount({ provider: a.provider, providerAccountId: a.providerAccountId })).user;

const unlinkEvents = (userId: string) =>
  server.app.db.auditEvent.findMany({ where: { userId, type: "ACCOUNT_UNLINKED" }, orderBy: { createdAt: "asc" } });

describe("proving the mailbox removes links made while the email was unverified", () => {
  it("password reset: the squatter's link is gone and audited; the owner's account works with the new password", async () => {
    // The owner registered with a password and has not verified yet; someone who claimed the
    // address at a provider got a link to the account meanwhile (as the old rules allowed).
    const email = uniqueEmail("owner");
    const { user } = await auth.register({ email, password: GOOD_PASSWORD });
    const squat = await link(user!.id);
    expect((await linkedUser(squat))?.id).toBe(user!.id);

    await auth.requestPasswordReset({ email });
    await auth.resetPassword({ token: await mailedToken(email, "reset-password"), newPassword: NEW_PASSWORD });

    expect(await linkedUser(squat)).toBeUndefined();
    expect(await server.app.db.account.count({ where: { userId: user!.id } })).toBe(0);
    const events = await unlinkEvents(user!.id);
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ provider: "oidc", reason: "mailbox_proven" })]);
    // The reset proved the address, and the owner signs in with the new password.
    expect((await auth.login({ email, password: NEW_PASSWORD })).user?.emailVerifiedTime).toBeDefined();
  });

  it("an account a squatter created with only a provider link is the owner's after a reset", async () => {
    const email = uniqueEmail("squatted");
    const { user } = await adapter.createUser({ email }); // unverified: the provider did not vouch
    const squat = await link(user!.id);
    // The owner cannot register (the address is taken), but can reset.
    expect((await failure(auth.register({ email, password: GOOD_PASSWORD }))).code).toBe(Code.AlreadyExists);
    await auth.requestPasswordReset({ email });
    await auth.resetPassword({ token: await mailedToken(email, "reset-password"), newPassword: NEW_PASSWORD });
    expect(await linkedUser(squat)).toBeUndefined();
    expect((await auth.login({ email, password: NEW_PASSWORD })).user?.id).toBe(user!.id);
    expect(await unlinkEvents(user!.id)).toHaveLength(1);
  });

  it("email verification removes them too; links made once verified stay", async () => {
    const email = uniqueEmail("verifier");
    const { user, tokens } = await auth.register({ email, password: GOOD_PASSWORD });
    const before = await link(user!.id, "google");
    await auth.verifyEmail({ token: await mailedToken(email, "verify-email") }, bearer(tokens!.accessToken));
    expect(await linkedUser(before)).toBeUndefined();
    expect((await unlinkEvents(user!.id)).map((e) => e.data)).toEqual([expect.objectContaining({ provider: "google", reason: "mailbox_proven" })]);

    // Linked after verification: a later reset keeps it.
    const after = await link(user!.id, "google");
    await auth.requestPasswordReset({ email });
    await auth.resetPassword({ token: await mailedToken(email, "reset-password"), newPassword: NEW_PASSWORD });
    expect((await linkedUser(after))?.id).toBe(user!.id);
  });
});

describe("UserService.ListSignInMethods and UnlinkSignInMethod", () => {
  /** A user with no password and one provider link, signed in through it. */
  async function providerOnlyUser() {
    const { user } = await adapter.createUser({ email: uniqueEmail("oauth-only"), emailVerified: { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 } });
    const first = await link(user!.id);
    const { tokens } = await adapter.issueTokens({ userId: user!.id });
    return { userId: user!.id, first, api: userApi(tokens!.accessToken) };
  }

  it("refuses to remove the last way in, and allows it once there is another", async () => {
    const { userId, first, api } = await providerOnlyUser();
    let methods = await api.listSignInMethods({});
    expect(methods.hasPassword).toBe(false);
    expect(methods.linkedAccounts.map((l) => [l.provider, l.removable])).toEqual([["oidc", false]]);
    const onlyId = methods.linkedAccounts[0]!.id;
    expect(await failure(api.unlinkSignInMethod({ linkedAccountId: onlyId }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "account.last_sign_in_method",
    });
    expect((await linkedUser(first))?.id).toBe(userId);

    const second = await link(userId, "google");
    methods = await api.listSignInMethods({});
    expect(methods.linkedAccounts.map((l) => [l.provider, l.removable])).toEqual([
      ["oidc", true],
      ["google", true],
    ]);
    await api.unlinkSignInMethod({ linkedAccountId: onlyId });
    expect(await linkedUser(first)).toBeUndefined();
    expect((await linkedUser(second))?.id).toBe(userId);
    expect((await unlinkEvents(userId)).map((e) => e.data)).toEqual([expect.objectContaining({ provider: "oidc", reason: "user_request" })]);
    // Now google is the last way in.
    const [last] = (await api.listSignInMethods({})).linkedAccounts;
    expect(last!.removable).toBe(false);
    expect((await failure(api.unlinkSignInMethod({ linkedAccountId: last!.id }))).code).toBe(Code.FailedPrecondition);
  });

  it("a user with a password may remove every link; another user's link is NOT_FOUND", async () => {
    const email = uniqueEmail("with-password");
    const { user, tokens } = await auth.register({ email, password: GOOD_PASSWORD });
    const mine = await link(user!.id);
    const api = userApi(tokens!.accessToken);
    const methods = await api.listSignInMethods({});
    expect(methods.hasPassword).toBe(true);
    expect(methods.linkedAccounts[0]!.removable).toBe(true);

    const other = await providerOnlyUser();
    const [theirs] = (await other.api.listSignInMethods({})).linkedAccounts;
    expect(await failure(api.unlinkSignInMethod({ linkedAccountId: theirs!.id }))).toMatchObject({ code: Code.NotFound, reason: "account.link_not_found" });
    expect((await linkedUser(other.first))?.id).toBe(other.userId);

    await api.unlinkSignInMethod({ linkedAccountId: methods.linkedAccounts[0]!.id });
    expect(await linkedUser(mine)).toBeUndefined();
    expect((await api.listSignInMethods({})).linkedAccounts).toEqual([]);
    expect(await failure(api.unlinkSignInMethod({ linkedAccountId: "" }))).toMatchObject({ code: Code.InvalidArgument, field: "linked_account_id" });
  });
});
