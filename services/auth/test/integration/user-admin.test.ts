/**
 * Admins acting on other accounts: ListSessions and RevokeAllSessions with a user_id, and
 * SetUserRole. Non-admins are refused alike whether or not the user exists; what an admin does
 * is recorded with the admin as actor; no role change can leave the deployment without an
 * admin, also when two admins demote each other at the same moment.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditEventType } from "../../../../gen/tessera/user/v1/audit_event_pb.js";
import { Role } from "../../../../gen/tessera/user/v1/user_pb.js";
import type { ScratchDatabase } from "../global-setup.js";
import { startTestServer, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { scratchDatabase } from "../scratch-db.js";
import { signIn, signUp, signUpAdmin, type SignedIn } from "./user-fixtures.js";

const DENIED = { code: Code.PermissionDenied, reason: "auth.permission_denied", field: "" };
const NOT_FOUND = { code: Code.NotFound, reason: "user.not_found", field: "" };
const NO_SUCH_USER = "0190f5a0-0000-7000-8000-000000000000";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";

let server: TestServer;
let admin: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signUpAdmin(server);
});
afterAll(() => server?.stop());

const db = () => server.app.db;
const liveSessions = (userId: string) => db().session.count({ where: { userId, revokedAt: null } });
const roleOf = async (userId: string) => (await db().user.findUniqueOrThrow({ where: { id: userId } })).role;

describe("a non-admin naming another user", () => {
  it("is refused ListSessions, RevokeAllSessions and SetUserRole alike for a real and an unknown id, and nothing changes", async () => {
    const a = await signUp(server, { tag: "admin-a" });
    const b = await signUp(server, { tag: "admin-b" });
    const eventsBefore = await db().auditEvent.count({ where: { userId: b.userId } });
    for (const userId of [b.userId, NO_SUCH_USER, admin.userId]) {
      expect(await failureDetail(a.users.listSessions({ userId }))).toEqual(DENIED);
      expect(await failureDetail(a.users.revokeAllSessions({ userId }))).toEqual(DENIED);
      expect(await failureDetail(a.users.setUserRole({ userId, role: Role.ADMIN }))).toEqual(DENIED);
    }
    // Not even for themself: granting a role is for admins.
    expect(await failureDetail(a.users.setUserRole({ userId: a.userId, role: Role.ADMIN }))).toEqual(DENIED);
    expect(await liveSessions(b.userId)).toBe(1);
    expect((await b.users.getMe({})).user?.id).toBe(b.userId);
    expect(await roleOf(a.userId)).toBe("USER");
    expect(await roleOf(admin.userId)).toBe("ADMIN");
    expect(await db().auditEvent.count({ where: { userId: b.userId } })).toBe(eventsBefore);
  });

  it("still reaches their own sessions with their own id", async () => {
    const a = await signUp(server, { tag: "admin-self" });
    expect((await a.users.listSessions({ userId: a.userId })).sessions.map((s) => s.id)).toEqual([a.sessionId]);
  });
});

describe("an admin", () => {
  it("lists another user's sessions, with browser and operating system read from the user agent", async () => {
    const user = await signUp(server, { tag: "listed", userAgent: FIREFOX_LINUX });
    const { sessions } = await admin.users.listSessions({ userId: user.userId });
    expect(sessions.map((s) => ({ id: s.id, browser: s.browser, os: s.operatingSystem, current: s.current }))).toEqual([
      { id: user.sessionId, browser: "Firefox 132", os: "Linux", current: false },
    ]);
  });

  it("gets NOT_FOUND for an unknown user, and INVALID_ARGUMENT for an over-long id", async () => {
    expect(await failureDetail(admin.users.listSessions({ userId: NO_SUCH_USER }))).toEqual(NOT_FOUND);
    expect(await failureDetail(admin.users.revokeAllSessions({ userId: NO_SUCH_USER }))).toEqual(NOT_FOUND);
    expect(await failureDetail(admin.users.setUserRole({ userId: NO_SUCH_USER, role: Role.ADMIN }))).toEqual(NOT_FOUND);
    const long = "x".repeat(65);
    const invalid = { code: Code.InvalidArgument, reason: "request.invalid_argument", field: "user_id" };
    expect(await failureDetail(admin.users.listSessions({ userId: long }))).toEqual(invalid);
    expect(await failureDetail(admin.users.revokeAllSessions({ userId: long }))).toEqual(invalid);
    expect(await failureDetail(admin.users.setUserRole({ userId: long, role: Role.ADMIN }))).toEqual(invalid);
    expect(await failureDetail(admin.users.setUserRole({ userId: "", role: Role.ADMIN }))).toEqual(invalid);
  });

  it("ends every session of another user (keep_current ignored): their next call is UNAUTHENTICATED, and each event names the admin", async () => {
    const user = await signUp(server, { tag: "revoked" });
    const second = await signIn(server, user.email);
    const res = await admin.users.revokeAllSessions({ userId: user.userId, keepCurrent: true });
    expect(res.revokedCount).toBe(2);
    for (const s of [user, second]) {
      expect(await failureDetail(s.users.getMe({}))).toEqual({ code: Code.Unauthenticated, reason: "session.revoked", field: "" });
    }
    expect(await liveSessions(user.userId)).toBe(0);
    // The admin's own session is untouched.
    expect((await admin.users.getMe({})).user?.id).toBe(admin.userId);

    const { events } = await admin.users.listAuditEvents({ userId: user.userId, type: AuditEventType.SESSION_REVOKED });
    expect(events.map((e) => ({ session: e.sessionId, actor: e.actorUserId })).sort((x, y) => x.session.localeCompare(y.session))).toEqual(
      [user.sessionId, second.sessionId].sort().map((session) => ({ session, actor: admin.userId })),
    );
    const rows = await db().session.findMany({ where: { userId: user.userId }, select: { revokeReason: true } });
    expect(rows.map((r) => r.revokeReason)).toEqual(["revoked_by_admin", "revoked_by_admin"]);
  });

  it("keeps a user's own revocations actor-less", async () => {
    const user = await signUp(server, { tag: "self-revoke" });
    await signIn(server, user.email);
    expect((await user.users.revokeAllSessions({ keepCurrent: true })).revokedCount).toBe(1);
    const { events } = await admin.users.listAuditEvents({ userId: user.userId, type: AuditEventType.SESSION_REVOKED });
    expect(events.map((e) => e.actorUserId)).toEqual([""]);
  });

  it("grants and removes the admin role: the user's next request has it, each change is one ROLE_CHANGED naming the admin", async () => {
    const user = await signUp(server, { tag: "promoted" });
    expect(await failureDetail(user.users.listUsers({ pageSize: 1 }))).toEqual(DENIED);

    const granted = await admin.users.setUserRole({ userId: user.userId, role: Role.ADMIN });
    expect(granted.user).toMatchObject({ id: user.userId, role: Role.ADMIN });
    expect(await roleOf(user.userId)).toBe("ADMIN");
    expect((await user.users.listUsers({ pageSize: 1 })).users).toHaveLength(1);

    // The same role again writes nothing and records nothing.
    const updatedAt = (await db().user.findUniqueOrThrow({ where: { id: user.userId } })).updatedAt;
    expect((await admin.users.setUserRole({ userId: user.userId, role: Role.ADMIN })).user?.role).toBe(Role.ADMIN);
    expect((await db().user.findUniqueOrThrow({ where: { id: user.userId } })).updatedAt).toEqual(updatedAt);

    expect((await admin.users.setUserRole({ userId: user.userId, role: Role.USER })).user?.role).toBe(Role.USER);
    expect(await failureDetail(user.users.listUsers({ pageSize: 1 }))).toEqual(DENIED);

    const { events } = await admin.users.listAuditEvents({ userId: user.userId, type: AuditEventType.ROLE_CHANGED });
    expect(events.map((e) => e.actorUserId)).toEqual([admin.userId, admin.userId]);
    const data = await db().auditEvent.findMany({ where: { userId: user.userId, type: "ROLE_CHANGED" }, orderBy: { id: "asc" }, select: { data: true } });
    expect(data.map((d) => d.data)).toEqual([
      { from: "USER", to: "ADMIN", via: "SetUserRole" },
      { from: "ADMIN", to: "USER", via: "SetUserRole" },
    ]);
  });

  it("refuses ROLE_UNSPECIFIED and unknown roles, with the field", async () => {
    const user = await signUp(server, { tag: "bad-role" });
    for (const role of [Role.UNSPECIFIED, 7 as Role]) {
      expect(await failureDetail(admin.users.setUserRole({ userId: user.userId, role }))).toEqual({
        code: Code.InvalidArgument,
        reason: "request.invalid_argument",
        field: "role",
      });
    }
    expect(await roleOf(user.userId)).toBe("USER");
  });

  it("lists email change events under their proto types", async () => {
    const user = await signUp(server, { tag: "email-events" });
    await user.users.requestEmailChange({ newEmail: `moved.${user.email}`, password: "correct horse battery staple" });
    const { events } = await admin.users.listAuditEvents({ userId: user.userId, type: AuditEventType.EMAIL_CHANGE_REQUESTED });
    expect(events).toHaveLength(1);
    expect(events[0]!.actorUserId).toBe("");
  });
});

describe("the last admin", () => {
  // A database of its own: the count of admins is the whole deployment's.
  let scratch: ScratchDatabase;
  let own: TestServer;
  beforeAll(async () => {
    scratch = await scratchDatabase();
    own = await startTestServer({}, scratch.url);
  });
  afterAll(async () => {
    await own?.stop();
    await scratch?.drop();
  });

  it("cannot remove their own role while alone; with a second admin they can", async () => {
    const only = await signUpAdmin(own);
    expect(await failureDetail(only.users.setUserRole({ userId: only.userId, role: Role.USER }))).toEqual({
      code: Code.FailedPrecondition,
      reason: "user.last_admin",
      field: "",
    });
    expect(await own.app.db.user.count({ where: { role: "ADMIN" } })).toBe(1);
    expect(await own.app.db.auditEvent.count({ where: { userId: only.userId, type: "ROLE_CHANGED", actorUserId: { not: null } } })).toBe(0);

    const other = await signUp(own, { tag: "second-admin" });
    await only.users.setUserRole({ userId: other.userId, role: Role.ADMIN });
    expect((await only.users.setUserRole({ userId: only.userId, role: Role.USER })).user?.role).toBe(Role.USER);
    expect(await own.app.db.user.count({ where: { role: "ADMIN" } })).toBe(1);
    // Put back for the next test: the remaining admin restores the deployment to one admin, `other`.
    await own.app.db.user.update({ where: { id: other.userId }, data: { role: "USER" } });
    await own.app.db.user.update({ where: { id: only.userId }, data: { role: "USER" } });
  });

  it("two admins demoting each other at the same moment leave exactly one admin, round after round", async () => {
    await own.app.db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
    let [x, y] = [await signUpAdmin(own), await signUpAdmin(own)];
    for (let round = 0; round < 6; round++) {
      const results = await Promise.allSettled([
        x.users.setUserRole({ userId: y.userId, role: Role.USER }),
        y.users.setUserRole({ userId: x.userId, role: Role.USER }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = await failureDetail(Promise.reject((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason));
      // The loser either saw one admin left, or found itself demoted already.
      expect([DENIED, { code: Code.FailedPrecondition, reason: "user.last_admin", field: "" }]).toContainEqual(refused);
      const admins = await own.app.db.user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
      expect(admins).toHaveLength(1);
      const survivor = admins[0]!.id === x.userId ? x : y;
      const loser = survivor === x ? y : x;
      const demotion = await own.app.db.auditEvent.findFirst({ where: { type: "ROLE_CHANGED", userId: loser.userId }, orderBy: { id: "desc" } });
      expect(demotion).toMatchObject({ actorUserId: survivor.userId, data: { from: "ADMIN", to: "USER" } });
      // The survivor makes a new second admin for the next round.
      const next = await signUp(own, { tag: `round-${round}` });
      await survivor.users.setUserRole({ userId: next.userId, role: Role.ADMIN });
      [x, y] = [survivor, next];
    }
  });
});
