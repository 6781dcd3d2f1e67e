/**
 * Every way a session ends goes through SessionStore.revoke: each ended session gets exactly
 * one SESSION_REVOKED event carrying the reason, also on the paths that end sessions as a side
 * effect (reset, reuse detection, account deletion); a session already revoked or expired gets
 * none, and the events of a deleted account stay.
 */
import { createClient, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Tokens } from "../../../../gen/tessera/auth/v1/tokens_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Components } from "../../src/server/app.js";
import { GOOD_PASSWORD, inProcess, serviceCredentialHeader, uniqueEmail } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { mailedLinkToken } from "./mailed-links.js";

let components: Components;
let auth: Client<typeof AuthService>;
let users: Client<typeof UserService>;
let adapter: Client<typeof AdapterService>;
beforeAll(async () => {
  // No grace window: a spent refresh token exchanged again is reuse at once.
  const app = await inProcess({ TESSERA_REFRESH_GRACE: "0" });
  components = app.components;
  auth = createClient(AuthService, app.transport);
  users = createClient(UserService, app.transport);
  adapter = createClient(AdapterService, app.transport);
});
afterAll(() => components?.close());

const bearer = (t: Tokens) => ({ headers: { authorization: `Bearer ${t.accessToken}` } });

/**
 * An account with four sessions: two live, one expired, and one ended by logout before the
 * test acts (so it already has its one SESSION_REVOKED).
 */
async function accountWithSessions() {
  const email = uniqueEmail("revocation");
  const { user, tokens } = await auth.register({ email, password: GOOD_PASSWORD });
  const signIn = async () => (await auth.login({ email, password: GOOD_PASSWORD })).tokens!;
  const [live2, expired, loggedOut] = [await signIn(), await signIn(), await signIn()];
  await components.db.session.update({ where: { id: expired.sessionId }, data: { expires: new Date(Date.now() - 1000) } });
  await auth.logout({ refreshToken: loggedOut.refreshToken });
  return { email, userId: user!.id, live: [tokens!, live2], expired, loggedOut };
}

/** The reasons of the SESSION_REVOKED events of one session, oldest first. */
async function revocations(sessionId: string): Promise<string[]> {
  const events = await components.db.auditEvent.findMany({ where: { type: "SESSION_REVOKED", sessionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return events.map((e) => (e.data as { reason: string }).reason);
}

/** The live sessions got one event with `reason`; the expired one none; the logged-out one only its logout. */
async function expectRevokedOnce(account: Awaited<ReturnType<typeof accountWithSessions>>, reason: string) {
  for (const t of account.live) expect(await revocations(t.sessionId)).toEqual([reason]);
  expect(await revocations(account.expired.sessionId)).toEqual([]);
  expect(await revocations(account.loggedOut.sessionId)).toEqual(["logout"]);
  const events = await components.db.auditEvent.findMany({ where: { type: "SESSION_REVOKED", userId: account.userId } });
  expect(events).toHaveLength(3);
}

describe("SESSION_REVOKED", () => {
  it("ResetPassword writes one per live session with reason password_reset", async () => {
    const account = await accountWithSessions();
    await auth.requestPasswordReset({ email: account.email });
    const token = await mailedLinkToken(components, account.email, "reset-password");
    await auth.resetPassword({ token, newPassword: "a brand new passphrase for tessera" });

    await expectRevokedOnce(account, "password_reset");
    const reset = await components.db.auditEvent.findFirstOrThrow({ where: { userId: account.userId, type: "PASSWORD_RESET" } });
    expect(reset.data).toEqual({ sessionsRevoked: 2 });
    // The expired session is left as it was; the logged-out one keeps its reason.
    expect((await components.db.session.findUniqueOrThrow({ where: { id: account.expired.sessionId } })).revokedAt).toBeNull();
    expect((await components.db.session.findUniqueOrThrow({ where: { id: account.loggedOut.sessionId } })).revokeReason).toBe("logout");
  });

  it("reuse detection writes one for the reused session, besides REFRESH_TOKEN_REUSED, and none when replayed again", async () => {
    const account = await accountWithSessions();
    const [victim, bystander] = account.live;
    await auth.refresh({ refreshToken: victim!.refreshToken });
    expect((await failure(auth.refresh({ refreshToken: victim!.refreshToken }))).reason).toBe("auth.refresh_token_reused");
    // The session is revoked now: another replay is answered as such and writes nothing.
    expect((await failure(auth.refresh({ refreshToken: victim!.refreshToken }))).reason).toBe("session.revoked");

    expect(await revocations(victim!.sessionId)).toEqual(["refresh_token_reused"]);
    expect(await components.db.auditEvent.count({ where: { type: "REFRESH_TOKEN_REUSED", sessionId: victim!.sessionId } })).toBe(1);
    expect(await revocations(bystander!.sessionId)).toEqual([]);
  });

  it("reuse of a spent token of an expired session writes none", async () => {
    const email = uniqueEmail("revocation");
    const { tokens } = await auth.register({ email, password: GOOD_PASSWORD });
    await auth.refresh({ refreshToken: tokens!.refreshToken });
    await components.db.session.update({ where: { id: tokens!.sessionId }, data: { expires: new Date(Date.now() - 1000) } });
    expect((await failure(auth.refresh({ refreshToken: tokens!.refreshToken }))).reason).toBe("session.expired");
    expect(await revocations(tokens!.sessionId)).toEqual([]);
  });

  it("DeleteAccount writes one per live session with reason account_deleted, and they outlive the account", async () => {
    const account = await accountWithSessions();
    await users.deleteAccount({ password: GOOD_PASSWORD }, bearer(account.live[0]!));

    expect(await components.db.user.findUnique({ where: { id: account.userId } })).toBeNull();
    expect(await components.db.session.count({ where: { userId: account.userId } })).toBe(0);
    await expectRevokedOnce(account, "account_deleted");
    expect(await components.db.auditEvent.count({ where: { userId: account.userId, type: "ACCOUNT_DELETED" } })).toBe(1);
  });

  it("AdapterService.DeleteUser writes one per live session with reason account_deleted", async () => {
    const account = await accountWithSessions();
    await adapter.deleteUser({ id: account.userId }, { headers: serviceCredentialHeader() });

    expect(await components.db.user.findUnique({ where: { id: account.userId } })).toBeNull();
    await expectRevokedOnce(account, "account_deleted");
  });

  it.each([
    ["RevokeAllSessions", "revoke_all", (t: Tokens) => users.revokeAllSessions({ keepCurrent: false }, bearer(t))],
    ["ChangePassword", "password_changed", (t: Tokens) => users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: "another perfectly fine passphrase" }, bearer(t))],
  ])("%s writes one per live session with reason %s", async (_, reason, act) => {
    const account = await accountWithSessions();
    const [current, other] = account.live;
    await act(current!);
    // ChangePassword keeps the caller's session.
    const ended = reason === "password_changed" ? [other!] : [current!, other!];
    for (const t of account.live) expect(await revocations(t.sessionId)).toEqual(ended.includes(t) ? [reason] : []);
    expect(await revocations(account.expired.sessionId)).toEqual([]);
    expect(await revocations(account.loggedOut.sessionId)).toEqual(["logout"]);
  });

  it("RevokeSession and Logout write one with their reasons, and none for a session already ended", async () => {
    const account = await accountWithSessions();
    const [current, other] = account.live;
    await users.revokeSession({ sessionId: other!.sessionId }, bearer(current!));
    await auth.logout({ refreshToken: current!.refreshToken });
    await auth.logout({ refreshToken: current!.refreshToken });
    await auth.logout({ refreshToken: account.expired.refreshToken });
    expect(await revocations(other!.sessionId)).toEqual(["revoked_by_user"]);
    expect(await revocations(current!.sessionId)).toEqual(["logout"]);
    expect(await revocations(account.expired.sessionId)).toEqual([]);
  });
});
