/**
 * UserService.ListSessions, RevokeSession and RevokeAllSessions: a user sees and ends their
 * own sign-ins; ending one stops its access and refresh tokens at once.
 */
import { randomBytes } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { startTestServer, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { signIn, signUp, type SignedIn } from "./user-fixtures.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const REVOKED = { code: Code.Unauthenticated, reason: "session.revoked", field: "" };

/** True when the session's tokens are still accepted (the access token by UserService). */
async function works(s: SignedIn): Promise<boolean> {
  return s.users.getMe({}).then(
    () => true,
    () => false,
  );
}

async function refreshFails(s: SignedIn) {
  return failureDetail(server.connect(AuthService).refresh({ refreshToken: s.refreshToken }));
}

describe("ListSessions", () => {
  it("lists the caller's live sessions newest first, with device and the current one marked", async () => {
    const laptop = await signUp(server, { tag: "sessions", userAgent: "Laptop/1.0" });
    const phone = await signIn(server, laptop.email, { userAgent: "Phone/2.0" });

    const { sessions } = await laptop.users.listSessions({});
    expect(sessions.map((s) => [s.id, s.userAgent, s.current])).toEqual([
      [phone.sessionId, "Phone/2.0", false],
      [laptop.sessionId, "Laptop/1.0", true],
    ]);
    for (const s of sessions) {
      expect(s.ipAddress).toBe("127.0.0.1");
      expect(s.createTime).toBeDefined();
      expect(s.lastUsedTime).toBeDefined();
      expect(Number(s.expireTime!.seconds)).toBeGreaterThan(Date.now() / 1000);
    }
    // Seen from the other device, the other one is current.
    const fromPhone = await phone.users.listSessions({});
    expect(fromPhone.sessions.find((s) => s.current)?.id).toBe(phone.sessionId);
  });

  it("leaves out ended, expired and NextAuth database sessions", async () => {
    const me = await signUp(server, { tag: "sessions" });
    const loggedOut = await signIn(server, me.email);
    const expired = await signIn(server, me.email);
    await server.connect(AuthService).logout({ refreshToken: loggedOut.refreshToken });
    await server.app.db.session.update({ where: { id: expired.sessionId }, data: { expires: new Date(Date.now() - 1000) } });
    await server.app.db.session.create({
      data: { userId: me.userId, sessionToken: randomBytes(32).toString("hex"), expires: new Date(Date.now() + 3600_000) },
    });
    const { sessions } = await me.users.listSessions({});
    expect(sessions.map((s) => s.id)).toEqual([me.sessionId]);
  });
});

describe("RevokeSession", () => {
  it("ends one of the caller's other sessions at once, and records it", async () => {
    const me = await signUp(server, { tag: "revoke" });
    const other = await signIn(server, me.email);
    await me.users.revokeSession({ sessionId: other.sessionId });

    expect(await failureDetail(other.users.getMe({}))).toEqual(REVOKED);
    expect(await refreshFails(other)).toEqual(REVOKED);
    expect(await works(me)).toBe(true);
    expect((await me.users.listSessions({})).sessions.map((s) => s.id)).toEqual([me.sessionId]);
    const events = await server.app.db.auditEvent.findMany({ where: { type: "SESSION_REVOKED", sessionId: other.sessionId } });
    expect(events).toHaveLength(1);
    expect(events[0]?.userId).toBe(me.userId);
  });

  it("answers NOT_FOUND for an ended session, an unknown id, and INVALID_ARGUMENT for an empty one", async () => {
    const me = await signUp(server, { tag: "revoke" });
    const other = await signIn(server, me.email);
    await me.users.revokeSession({ sessionId: other.sessionId });
    const notFound = { code: Code.NotFound, reason: "session.not_found", field: "" };
    expect(await failureDetail(me.users.revokeSession({ sessionId: other.sessionId }))).toEqual(notFound);
    expect(await failureDetail(me.users.revokeSession({ sessionId: "0190f5a0-0000-7000-8000-000000000000" }))).toEqual(notFound);
    expect(await failureDetail(me.users.revokeSession({ sessionId: "" }))).toMatchObject({ code: Code.InvalidArgument, field: "session_id" });
  });

  it("can end the caller's own current session", async () => {
    const me = await signUp(server, { tag: "revoke" });
    await me.users.revokeSession({ sessionId: me.sessionId });
    expect(await failureDetail(me.users.getMe({}))).toEqual(REVOKED);
  });
});

describe("RevokeAllSessions", () => {
  it("with keep_current ends every other session and reports how many", async () => {
    const me = await signUp(server, { tag: "revokeall" });
    const others = [await signIn(server, me.email), await signIn(server, me.email)];
    const res = await me.users.revokeAllSessions({ keepCurrent: true });
    expect(res.revokedCount).toBe(2);
    expect(await works(me)).toBe(true);
    await expect(server.connect(AuthService).refresh({ refreshToken: me.refreshToken })).resolves.toBeDefined();
    for (const o of others) {
      expect(await failureDetail(o.users.getMe({}))).toEqual(REVOKED);
      expect(await refreshFails(o)).toEqual(REVOKED);
    }
    expect((await me.users.revokeAllSessions({ keepCurrent: true })).revokedCount).toBe(0);
  });

  it("without keep_current ends the current session too", async () => {
    const me = await signUp(server, { tag: "revokeall" });
    const other = await signIn(server, me.email);
    const res = await me.users.revokeAllSessions({ keepCurrent: false });
    expect(res.revokedCount).toBe(2);
    expect(await failureDetail(me.users.getMe({}))).toEqual(REVOKED);
    expect(await refreshFails(me)).toEqual(REVOKED);
    expect(await refreshFails(other)).toEqual(REVOKED);
  });

  it("never touches another user's sessions", async () => {
    const a = await signUp(server, { tag: "revokeall-a" });
    const b = await signUp(server, { tag: "revokeall-b" });
    await a.users.revokeAllSessions({ keepCurrent: false });
    expect(await works(b)).toBe(true);
  });
});
