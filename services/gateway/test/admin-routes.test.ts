/**
 * Admin routes through the gateway, against a real auth service: another user's sessions
 * (listed, with browser and system, and ended) and their role; 403 for non-admins.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setRole } from "../../auth/src/admin/roles.js";
import type { TestServer } from "../../auth/test/harness.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { bearer, call, register, uniqueEmail, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let auth: TestServer;
let gw: Gateway;
let admin: Awaited<ReturnType<typeof register>>;
beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
  admin = await register(gw, uniqueEmail("gw-admin"));
  await setRole(auth.app.db, { email: admin.email }, "ADMIN", { client: { ipAddress: "", userAgent: "test" }, via: "test" });
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

const asUser = async (userAgent: string) => {
  const email = uniqueEmail("gw-ua");
  const r = await call(gw, "POST", "/auth/register", { headers: { "user-agent": userAgent }, json: { email, password: "correct horse battery staple" } });
  expect(r.status).toBe(201);
  return { userId: r.body.user.id as string, accessToken: r.body.tokens.accessToken as string, sessionId: r.body.tokens.sessionId as string };
};

describe("GET /users/me/sessions", () => {
  it("shows the browser and operating system of each session", async () => {
    const me = await asUser(CHROME_WINDOWS);
    const res = await call(gw, "GET", "/users/me/sessions", { headers: bearer(me.accessToken) });
    expect(res.status).toBe(200);
    expect(s.SessionList.parse(res.body).sessions).toEqual([expect.objectContaining({ id: me.sessionId, browser: "Chrome 131", operatingSystem: "Windows 10", current: true })]);
  });
});

describe("a non-admin", () => {
  it("gets 403 on another user's sessions and role, real or not, and nothing changes", async () => {
    const a = await register(gw);
    const b = await register(gw);
    for (const id of [b.userId, "0190f5a0-0000-7000-8000-000000000000"]) {
      expect(await call(gw, "GET", `/users/${id}/sessions`, { headers: bearer(a.accessToken) })).toMatchObject({ status: 403, body: { reason: "auth.permission_denied" } });
      expect(await call(gw, "DELETE", `/users/${id}/sessions`, { headers: bearer(a.accessToken) })).toMatchObject({ status: 403, body: { reason: "auth.permission_denied" } });
      expect(await call(gw, "PUT", `/users/${id}/role`, { headers: bearer(a.accessToken), json: { role: "ROLE_ADMIN" } })).toMatchObject({
        status: 403,
        body: { reason: "auth.permission_denied" },
      });
    }
    expect((await call(gw, "GET", "/users/me", { headers: bearer(b.accessToken) })).status).toBe(200);
    // Their own id (or "me") is their own sessions.
    expect((await call(gw, "GET", `/users/me/sessions`, { headers: bearer(a.accessToken) })).body.sessions).toHaveLength(1);
    expect((await call(gw, "GET", `/users/${a.userId}/sessions`, { headers: bearer(a.accessToken) })).body.sessions).toHaveLength(1);
  });
});

describe("an admin", () => {
  it("lists and ends another user's sessions; the user's next request is 401 and the audit names the admin", async () => {
    const user = await asUser(CHROME_WINDOWS);
    const listed = await call(gw, "GET", `/users/${user.userId}/sessions`, { headers: bearer(admin.accessToken) });
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toEqual([expect.objectContaining({ id: user.sessionId, browser: "Chrome 131", current: false })]);

    const ended = await call(gw, "DELETE", `/users/${user.userId}/sessions`, { headers: bearer(admin.accessToken) });
    expect(ended).toMatchObject({ status: 200, body: { revokedCount: 1 } });
    expect(await call(gw, "GET", "/users/me", { headers: bearer(user.accessToken) })).toMatchObject({ status: 401, body: { reason: "session.revoked" } });

    const events = await call(gw, "GET", `/audit-events?userId=${user.userId}&type=AUDIT_EVENT_TYPE_SESSION_REVOKED`, { headers: bearer(admin.accessToken) });
    expect(s.AuditEventPage.parse(events.body).events).toEqual([expect.objectContaining({ sessionId: user.sessionId, actorUserId: admin.userId })]);

    expect(await call(gw, "GET", "/users/0190f5a0-0000-7000-8000-000000000000/sessions", { headers: bearer(admin.accessToken) })).toMatchObject({
      status: 404,
      body: { reason: "user.not_found" },
    });
  });

  it("grants and removes the admin role; refuses an unknown role with its field", async () => {
    const user = await register(gw);
    const granted = await call(gw, "PUT", `/users/${user.userId}/role`, { headers: bearer(admin.accessToken), json: { role: "ROLE_ADMIN" } });
    expect(granted.status).toBe(200);
    expect(s.UserOnly.parse(granted.body).user.role).toBe("ROLE_ADMIN");
    expect((await call(gw, "GET", "/users?pageSize=1", { headers: bearer(user.accessToken) })).status).toBe(200);

    const removed = await call(gw, "PUT", `/users/${user.userId}/role`, { headers: bearer(admin.accessToken), json: { role: "ROLE_USER" } });
    expect(removed.body.user.role).toBe("ROLE_USER");
    expect((await call(gw, "GET", "/users?pageSize=1", { headers: bearer(user.accessToken) })).status).toBe(403);

    const bad = await call(gw, "PUT", `/users/${user.userId}/role`, { headers: bearer(admin.accessToken), json: { role: "ROLE_UNSPECIFIED" } });
    expect(bad).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "role" } });
  });
});
