/**
 * UserService.ChangePassword and DeleteAccount: both re-check who the caller is before acting.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, startTestServer, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { signIn, signUp } from "./user-fixtures.js";

const NEW_PASSWORD = "another perfectly fine passphrase";
const INVALID_CREDENTIALS = { code: Code.Unauthenticated, reason: "auth.invalid_credentials", field: "" };
const REVOKED = { code: Code.Unauthenticated, reason: "session.revoked", field: "" };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const auth = () => server.connect(AuthService);

describe("ChangePassword", () => {
  it("sets the new password, ends every other session and keeps the current one", async () => {
    const me = await signUp(server, { tag: "chpw" });
    const others = [await signIn(server, me.email), await signIn(server, me.email)];

    await me.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });

    for (const o of others) {
      expect(await failureDetail(auth().refresh({ refreshToken: o.refreshToken }))).toEqual(REVOKED);
      expect(await failureDetail(o.users.getMe({}))).toEqual(REVOKED);
    }
    expect((await me.users.getMe({})).user?.id).toBe(me.userId);
    await expect(auth().refresh({ refreshToken: me.refreshToken })).resolves.toBeDefined();
    expect(await failureDetail(auth().login({ email: me.email, password: GOOD_PASSWORD }))).toEqual(INVALID_CREDENTIALS);
    await expect(auth().login({ email: me.email, password: NEW_PASSWORD })).resolves.toBeDefined();

    const events = await server.app.db.auditEvent.findMany({ where: { userId: me.userId, type: "PASSWORD_CHANGED" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.sessionId).toBe(me.sessionId);
    expect(JSON.stringify(events[0]?.data)).not.toContain(NEW_PASSWORD);
  });

  it("voids outstanding password-reset links", async () => {
    const me = await signUp(server, { tag: "chpw" });
    await auth().requestPasswordReset({ email: me.email });
    const outstanding = { userId: me.userId, purpose: "PASSWORD_RESET" as const, usedAt: null, invalidatedAt: null };
    expect(await server.app.db.oneTimeToken.count({ where: outstanding })).toBe(1);
    await me.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(await server.app.db.oneTimeToken.count({ where: outstanding })).toBe(0);
  });

  it("refuses a wrong current password with auth.invalid_credentials and changes nothing", async () => {
    const me = await signUp(server, { tag: "chpw" });
    const other = await signIn(server, me.email);
    expect(await failureDetail(me.users.changePassword({ currentPassword: "not my password at all", newPassword: NEW_PASSWORD }))).toEqual(
      INVALID_CREDENTIALS,
    );
    expect((await other.users.getMe({})).user?.id).toBe(me.userId);
    await expect(auth().login({ email: me.email, password: GOOD_PASSWORD })).resolves.toBeDefined();
    expect(await failureDetail(auth().login({ email: me.email, password: NEW_PASSWORD }))).toEqual(INVALID_CREDENTIALS);
  });

  it.each([
    ["too short", "short"],
    ["too common", "password123"],
  ])("refuses a new password that is %s with INVALID_ARGUMENT on new_password", async (_, newPassword) => {
    const me = await signUp(server, { tag: "chpw" });
    const other = await signIn(server, me.email);
    expect(await failureDetail(me.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword }))).toEqual({
      code: Code.InvalidArgument,
      reason: "request.invalid_argument",
      field: "new_password",
    });
    expect(await other.users.getMe({})).toBeDefined();
    await expect(auth().login({ email: me.email, password: GOOD_PASSWORD })).resolves.toBeDefined();
  });
});

describe("DeleteAccount", () => {
  it("refuses a wrong or missing password and keeps the account", async () => {
    const me = await signUp(server, { tag: "delete" });
    expect(await failureDetail(me.users.deleteAccount({ password: "definitely wrong" }))).toEqual(INVALID_CREDENTIALS);
    expect(await failureDetail(me.users.deleteAccount({}))).toEqual(INVALID_CREDENTIALS);
    expect((await me.users.getMe({})).user?.id).toBe(me.userId);
  });

  it("with the right password removes the account and ends every session", async () => {
    const me = await signUp(server, { tag: "delete" });
    const other = await signIn(server, me.email);
    await me.users.deleteAccount({ password: GOOD_PASSWORD });

    // Sign-in answers exactly as for an address that never existed.
    expect(await failureDetail(auth().login({ email: me.email, password: GOOD_PASSWORD }))).toEqual(INVALID_CREDENTIALS);
    for (const s of [me, other]) {
      expect((await failureDetail(s.users.getMe({}))).code).toBe(Code.Unauthenticated);
      expect((await failureDetail(auth().refresh({ refreshToken: s.refreshToken }))).code).toBe(Code.Unauthenticated);
    }
    expect(await server.app.db.user.findUnique({ where: { id: me.userId } })).toBeNull();
    expect(await server.app.db.session.count({ where: { userId: me.userId } })).toBe(0);

    const [event] = await server.app.db.auditEvent.findMany({ where: { userId: me.userId, type: "ACCOUNT_DELETED" } });
    expect(event?.sessionId).toBe(me.sessionId);
    expect(JSON.stringify(event)).not.toContain(me.email);
    // The address is free again.
    await expect(auth().register({ email: me.email, password: GOOD_PASSWORD })).resolves.toBeDefined();
  });

  it("for an account without a password, needs a sign-in less than 5 minutes old", async () => {
    const me = await signUp(server, { tag: "delete-oauth" });
    // As an OAuth-only account: no password hash.
    await server.app.db.user.update({ where: { id: me.userId }, data: { passwordHash: null } });
    await server.app.db.session.update({ where: { id: me.sessionId }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await failureDetail(me.users.deleteAccount({}))).toEqual({ code: Code.Unauthenticated, reason: "auth.recent_sign_in_required", field: "" });
    expect((await me.users.getMe({})).user?.id).toBe(me.userId);

    await server.app.db.session.update({ where: { id: me.sessionId }, data: { createdAt: new Date() } });
    await me.users.deleteAccount({});
    expect(await server.app.db.user.findUnique({ where: { id: me.userId } })).toBeNull();
  });
});
