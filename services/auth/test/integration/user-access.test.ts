/**
 * Who may see and touch whose account: users only their own (no reading or changing another
 * account by guessing its id), admins may read any account and list users and audit events.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { AuditEventType } from "../../../../gen/tessera/user/v1/audit_event_pb.js";
import { Role } from "../../../../gen/tessera/user/v1/user_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { signIn, signUp, signUpAdmin, type SignedIn } from "./user-fixtures.js";

let server: TestServer;
let admin: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signUpAdmin(server);
});
afterAll(() => server?.stop());

const DENIED = { code: Code.PermissionDenied, reason: "auth.permission_denied", field: "" };

describe("a user acting on another user", () => {
  it("cannot GetUser them: PERMISSION_DENIED, the same for an id that does not exist", async () => {
    const a = await signUp(server, { tag: "idor-a" });
    const b = await signUp(server, { tag: "idor-b" });
    expect(await failureDetail(a.users.getUser({ userId: b.userId }))).toEqual(DENIED);
    expect(await failureDetail(a.users.getUser({ userId: "0190f5a0-0000-7000-8000-000000000000" }))).toEqual(DENIED);
    expect(await failureDetail(a.users.getUser({ userId: admin.userId }))).toEqual(DENIED);
  });

  it("cannot RevokeSession their session: NOT_FOUND, and that session keeps working", async () => {
    const a = await signUp(server, { tag: "idor-a" });
    const b = await signUp(server, { tag: "idor-b" });
    expect(await failureDetail(a.users.revokeSession({ sessionId: b.sessionId }))).toEqual({
      code: Code.NotFound,
      reason: "session.not_found",
      field: "",
    });
    // B's access token and refresh token both still work.
    expect((await b.users.getMe({})).user?.id).toBe(b.userId);
    const refreshed = await server.connect(AuthService).refresh({ refreshToken: b.refreshToken });
    expect(refreshed.tokens?.sessionId).toBe(b.sessionId);
    // A's own sessions list never shows B's.
    const { sessions } = await a.users.listSessions({});
    expect(sessions.map((s) => s.id)).toEqual([a.sessionId]);
  });

  it("is refused ListUsers and ListAuditEvents with PERMISSION_DENIED", async () => {
    const a = await signUp(server, { tag: "idor-a" });
    expect(await failureDetail(a.users.listUsers({}))).toEqual(DENIED);
    expect(await failureDetail(a.users.listUsers({ emailPrefix: a.email }))).toEqual(DENIED);
    expect(await failureDetail(a.users.listAuditEvents({}))).toEqual(DENIED);
    expect(await failureDetail(a.users.listAuditEvents({ userId: a.userId }))).toEqual(DENIED);
  });

  it("cannot reach another account through UpdateProfile: it has no user id and changes only the caller", async () => {
    const a = await signUp(server, { tag: "idor-a" });
    const b = await signUp(server, { tag: "idor-b" });
    await a.users.updateProfile({ name: "A", updateMask: { paths: ["name"] } });
    expect((await admin.users.getUser({ userId: b.userId })).user?.name).toBe("");
  });
});

describe("an admin", () => {
  it("reads any account with GetUser, and gets NOT_FOUND for an unknown id", async () => {
    const b = await signUp(server, { tag: "admin-reads" });
    const { user } = await admin.users.getUser({ userId: b.userId });
    expect(user).toMatchObject({ id: b.userId, email: b.email, role: Role.USER });
    expect((await admin.users.getMe({})).user?.role).toBe(Role.ADMIN);
    expect(await failureDetail(admin.users.getUser({ userId: "0190f5a0-0000-7000-8000-000000000000" }))).toEqual({
      code: Code.NotFound,
      reason: "user.not_found",
      field: "",
    });
  });

  it("loses admin rights on the very next call when demoted", async () => {
    const other = await signUpAdmin(server);
    await other.users.listUsers({ pageSize: 1 });
    await server.app.db.user.update({ where: { id: other.userId }, data: { role: "USER" } });
    expect(await failureDetail(other.users.listUsers({ pageSize: 1 }))).toEqual(DENIED);
  });

  it("pages through ListUsers, oldest first, with no overlap", async () => {
    const prefix = `page.${process.pid}.${Date.now()}.`;
    const made: SignedIn[] = [];
    for (let i = 0; i < 3; i++) made.push(await signUp(server, { email: `${prefix}${i}@example.com` }));

    const first = await admin.users.listUsers({ pageSize: 2, emailPrefix: prefix });
    expect(first.users.map((u) => u.email)).toEqual([made[0]!.email, made[1]!.email]);
    expect(first.nextPageToken).not.toBe("");
    const second = await admin.users.listUsers({ pageSize: 2, emailPrefix: prefix, pageToken: first.nextPageToken });
    expect(second.users.map((u) => u.email)).toEqual([made[2]!.email]);
    expect(second.nextPageToken).toBe("");

    // Without a filter too: consecutive pages never overlap and stay in id order.
    const p1 = await admin.users.listUsers({ pageSize: 2 });
    const p2 = await admin.users.listUsers({ pageSize: 2, pageToken: p1.nextPageToken });
    expect(p1.users).toHaveLength(2);
    expect(p2.users.length).toBeGreaterThan(0);
    const ids = [...p1.users, ...p2.users].map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("filters ListUsers by a normalised email prefix, taking _ and % literally", async () => {
    const tag = `pfx${process.pid}x${Date.now()}`;
    const underscore = await signUp(server, { email: `${tag}_a@example.com` });
    await signUp(server, { email: `${tag}za@example.com` });
    const res = await admin.users.listUsers({ emailPrefix: `  ${tag.toUpperCase()}_` });
    expect(res.users.map((u) => u.email)).toEqual([underscore.email]);
    expect((await admin.users.listUsers({ emailPrefix: `${tag}%` })).users).toEqual([]);
    expect((await admin.users.listUsers({ emailPrefix: tag })).users).toHaveLength(2);
  });

  it.each([
    ["a page_token that is not ours", { pageToken: "garbage!" }, "page_token"],
    ["a page_token that decodes to no id", { pageToken: Buffer.from("not-an-id").toString("base64url") }, "page_token"],
    ["a page_size over 100", { pageSize: 101 }, "page_size"],
    ["a negative page_size", { pageSize: -1 }, "page_size"],
  ])("refuses %s with INVALID_ARGUMENT in both lists", async (_, req, field) => {
    const invalid = { code: Code.InvalidArgument, reason: "request.invalid_argument", field };
    expect(await failureDetail(admin.users.listUsers(req))).toEqual(invalid);
    expect(await failureDetail(admin.users.listAuditEvents(req))).toEqual(invalid);
  });

  it("refuses an email_prefix over 254 characters and a user_id over 64", async () => {
    expect((await failureDetail(admin.users.listUsers({ emailPrefix: "a".repeat(255) }))).field).toBe("email_prefix");
    expect((await failureDetail(admin.users.listAuditEvents({ userId: "u".repeat(65) }))).field).toBe("user_id");
  });

  it("lists a user's audit events of one type, newest first, by pages", async () => {
    const b = await signUp(server, { tag: "audited" });
    await signIn(server, b.email, { userAgent: "second" });
    await signIn(server, b.email, { userAgent: "third" });
    await failureDetail(server.connect(AuthService).login({ email: b.email, password: `${GOOD_PASSWORD}!` }));

    const all = await admin.users.listAuditEvents({ userId: b.userId, pageSize: 100 });
    expect(all.events.every((e) => e.userId === b.userId)).toBe(true);
    expect(all.events.map((e) => e.type).sort()).toEqual(
      [AuditEventType.USER_REGISTERED, AuditEventType.SIGN_IN_SUCCEEDED, AuditEventType.SIGN_IN_SUCCEEDED, AuditEventType.SIGN_IN_SUCCEEDED, AuditEventType.SIGN_IN_FAILED].sort(),
    );
    expect(all.events[0]?.type).toBe(AuditEventType.SIGN_IN_FAILED);

    const first = await admin.users.listAuditEvents({ userId: b.userId, type: AuditEventType.SIGN_IN_SUCCEEDED, pageSize: 2 });
    const second = await admin.users.listAuditEvents({ userId: b.userId, type: AuditEventType.SIGN_IN_SUCCEEDED, pageSize: 2, pageToken: first.nextPageToken });
    const events = [...first.events, ...second.events];
    expect(events).toHaveLength(3);
    expect(second.nextPageToken).toBe("");
    expect(events.every((e) => e.type === AuditEventType.SIGN_IN_SUCCEEDED && e.userId === b.userId)).toBe(true);
    // Newest first: the last sign-in ("third") comes first, the registration's last.
    expect(events.map((e) => e.userAgent)).toEqual(["third", "second", expect.any(String)]);
    const times = events.map((e) => Number(e.createTime!.seconds) * 1e9 + e.createTime!.nanos);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(events[0]?.sessionId).not.toBe("");
  });

  it("lists events of one type across users, and refuses an unknown type", async () => {
    const res = await admin.users.listAuditEvents({ type: AuditEventType.ROLE_CHANGED, pageSize: 100 });
    expect(res.events.some((e) => e.userId === admin.userId)).toBe(true);
    expect(res.events.every((e) => e.type === AuditEventType.ROLE_CHANGED)).toBe(true);
    expect(await failureDetail(admin.users.listAuditEvents({ type: 99 as AuditEventType }))).toMatchObject({ code: Code.InvalidArgument, field: "type" });
  });

  it("never sees secrets or emails in ListUsers' users or in audit events", async () => {
    const b = await signUp(server, { email: uniqueEmail("secret") });
    const { users } = await admin.users.listUsers({ emailPrefix: b.email });
    expect(JSON.stringify(users[0], (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/argon2|passwordHash/i);
  });
});
