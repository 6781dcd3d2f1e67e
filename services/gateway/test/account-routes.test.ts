/**
 * Changing the password, deleting the account and the admins' audit trail through the gateway,
 * against a real auth service: what the person (or the admin) notices afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setRole } from "../../auth/src/admin/roles.js";
import type { TestServer } from "../../auth/test/harness.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { GOOD_PASSWORD, bearer, call, register, uniqueEmail, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

const NEW_PASSWORD = "an entirely new passphrase";

let auth: TestServer;
let gw: Gateway;
beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

const login = (email: string, password: string) => call(gw, "POST", "/auth/login", { json: { email, password } });

describe("POST /users/me/password", () => {
  it("swaps the password: the old one fails, the new one works, other sessions end", async () => {
    const me = await register(gw);
    const other = await login(me.email, GOOD_PASSWORD);
    const wrong = await call(gw, "POST", "/users/me/password", {
      headers: bearer(me.accessToken),
      json: { currentPassword: "not my password at all", newPassword: NEW_PASSWORD },
    });
    expect(wrong).toMatchObject({ status: 401, body: { reason: "auth.invalid_credentials" } });
    const weak = await call(gw, "POST", "/users/me/password", { headers: bearer(me.accessToken), json: { currentPassword: GOOD_PASSWORD, newPassword: "short" } });
    expect(weak).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "newPassword" } });

    const changed = await call(gw, "POST", "/users/me/password", {
      headers: bearer(me.accessToken),
      json: { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(204);
    expect(await login(me.email, GOOD_PASSWORD)).toMatchObject({ status: 401, body: { reason: "auth.invalid_credentials" } });
    expect((await login(me.email, NEW_PASSWORD)).status).toBe(200);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(me.accessToken) })).status).toBe(200);
    expect(await call(gw, "GET", "/users/me", { headers: bearer(other.body.tokens.accessToken) })).toMatchObject({
      status: 401,
      body: { reason: "session.revoked" },
    });
  });
});

describe("the account's language (locale)", () => {
  it("is chosen at registration, changed by PATCH /users/me, and read back by GET /users/me", async () => {
    const email = uniqueEmail("locale");
    const reg = await call(gw, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD, locale: "fr" } });
    expect(reg.status).toBe(201);
    expect(s.UserAndTokens.parse(reg.body).user.locale).toBe("fr");
    const headers = bearer(reg.body.tokens.accessToken);
    expect((await call(gw, "GET", "/users/me", { headers })).body.user.locale).toBe("fr");

    const patched = await call(gw, "PATCH", "/users/me", { headers, json: { locale: "en" } });
    expect(patched.status).toBe(200);
    expect(s.UserOnly.parse(patched.body).user.locale).toBe("en");
    expect((await call(gw, "GET", "/users/me", { headers })).body.user.locale).toBe("en");

    // Without a locale, an account reads "en"; an unknown one is refused on its field, and nothing is created.
    const plain = await register(gw);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(plain.accessToken) })).body.user.locale).toBe("en");
    const other = uniqueEmail("badlocale");
    expect(await call(gw, "POST", "/auth/register", { json: { email: other, password: GOOD_PASSWORD, locale: "de" } })).toMatchObject({
      status: 400,
      body: { reason: "request.invalid_argument", field: "locale" },
    });
    expect(await login(other, GOOD_PASSWORD)).toMatchObject({ status: 401 });
    expect(await call(gw, "PATCH", "/users/me", { headers, json: { locale: "EN" } })).toMatchObject({ status: 400, body: { field: "locale" } });
    expect((await call(gw, "GET", "/users/me", { headers })).body.user.locale).toBe("en");
  });
});

describe("DELETE /users/me", () => {
  it("needs the password, then the account is gone", async () => {
    const me = await register(gw);
    const refused = await call(gw, "DELETE", "/users/me", { headers: bearer(me.accessToken), json: { password: "not my password at all" } });
    expect(refused).toMatchObject({ status: 401, body: { reason: "auth.invalid_credentials" } });
    expect((await call(gw, "GET", "/users/me", { headers: bearer(me.accessToken) })).status).toBe(200);

    expect((await call(gw, "DELETE", "/users/me", { headers: bearer(me.accessToken), json: { password: GOOD_PASSWORD } })).status).toBe(204);
    expect(await login(me.email, GOOD_PASSWORD)).toMatchObject({ status: 401, body: { reason: "auth.invalid_credentials" } });
    expect((await call(gw, "GET", "/users/me", { headers: bearer(me.accessToken) })).status).toBe(401);
    // The address is free again.
    expect((await call(gw, "POST", "/auth/register", { json: { email: me.email, password: GOOD_PASSWORD } })).status).toBe(201);
  });
});

describe("GET /audit-events", () => {
  it("shows an admin the events, filtered by user and type; a non-admin gets 403", async () => {
    const user = await register(gw);
    expect((await login(user.email, "wrong password here")).status).toBe(401);
    const denied = await call(gw, "GET", "/audit-events", { headers: bearer(user.accessToken) });
    expect(denied).toMatchObject({ status: 403, body: { code: "permission_denied", reason: "auth.permission_denied" } });

    const admin = await register(gw, uniqueEmail("audit-admin"));
    await setRole(auth.app.db, { email: admin.email }, "ADMIN", { client: { ipAddress: "", userAgent: "test" }, via: "test" });
    const all = await call(gw, "GET", `/audit-events?userId=${user.userId}`, { headers: bearer(admin.accessToken) });
    expect(all.status).toBe(200);
    s.AuditEventPage.parse(all.body);
    const types = all.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(["AUDIT_EVENT_TYPE_USER_REGISTERED", "AUDIT_EVENT_TYPE_SIGN_IN_FAILED"]));
    expect(all.body.events.every((e: { userId: string }) => e.userId === user.userId)).toBe(true);

    const failed = await call(gw, "GET", `/audit-events?userId=${user.userId}&type=AUDIT_EVENT_TYPE_SIGN_IN_FAILED&pageSize=1`, { headers: bearer(admin.accessToken) });
    expect(failed.status).toBe(200);
    expect(failed.body.events).toHaveLength(1);
    expect(failed.body.events[0]).toMatchObject({ type: "AUDIT_EVENT_TYPE_SIGN_IN_FAILED", userId: user.userId });

    const badType = await call(gw, "GET", "/audit-events?type=NOPE", { headers: bearer(admin.accessToken) });
    expect(badType).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "type" } });
  });
});
