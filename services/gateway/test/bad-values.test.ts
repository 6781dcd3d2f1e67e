/**
 * Values PostgreSQL or protobuf cannot take, sent to the REST gateway: NUL in path parameters,
 * query strings and bodies, unpaired surrogates in JSON, and numbers beyond int32 answer 400
 * naming the field, never 500; and nothing was stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setRole } from "../../auth/src/admin/roles.js";
import type { TestServer } from "../../auth/test/harness.js";
import type { Gateway } from "../src/server.js";
import { bearer, call, register, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway;
let admin: Awaited<ReturnType<typeof register>>;

beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
  admin = await register(gw);
  await setRole(auth.app.db, { email: admin.email }, "ADMIN", { client: { ipAddress: "", userAgent: "test" }, via: "test" });
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

/** A raw JSON body, so it can hold what JSON.stringify would never write. */
const rawJson = (body: string) => ({ body, headers: { "content-type": "application/json" } });

describe("NUL and unpaired surrogates", () => {
  it("in path parameters and query strings: 400, not 500", async () => {
    const user = await register(gw);
    const cases: [string, string][] = [
      ["DELETE", "/users/me/sessions/%00"],
      ["DELETE", "/users/me/sessions/a%00b"],
      ["GET", "/users/%00"],
      ["GET", "/users?emailPrefix=%00"],
      ["GET", "/users?emailPrefix=a%00"],
      ["GET", "/users?pageToken=%00"],
      ["DELETE", "/users/me/sessions/%ED%A0%80"], // an encoded lone surrogate is not UTF-8
    ];
    for (const [method, path] of cases) {
      const token = path.startsWith("/users/me") ? user.accessToken : admin.accessToken;
      const res = await call(gw, method, path, { headers: bearer(token) });
      expect({ method, path, status: res.status, code: res.body?.code }).toEqual({ method, path, status: 400, code: "invalid_argument" });
    }
    // NUL in a session id or an email prefix is refused as bad input, naming the field.
    const revoke = await call(gw, "DELETE", "/users/me/sessions/%00", { headers: bearer(user.accessToken) });
    expect(revoke).toMatchObject({ status: 400, body: { code: "invalid_argument", field: "sessionId" } });
    const list = await call(gw, "GET", "/users?emailPrefix=%00", { headers: bearer(admin.accessToken) });
    expect(list).toMatchObject({ status: 400, body: { code: "invalid_argument", field: "emailPrefix" } });
    // The user's sessions are intact.
    const sessions = await call(gw, "GET", "/users/me/sessions", { headers: bearer(user.accessToken) });
    expect(sessions.body.sessions.map((s: { id: string }) => s.id)).toContain(user.sessionId);
  });

  it("in JSON bodies: 400 naming the field, and nothing is stored", async () => {
    const user = await register(gw);
    const bodies: [string, string, string, string][] = [
      ["POST", "/auth/login", '{"email":"a\\u0000@example.com","password":"x"}', "email"],
      ["POST", "/auth/register", '{"email":"nul\\u0000@example.com","password":"correct horse battery staple"}', "email"],
      ["POST", "/auth/register", '{"email":"s@example.com","password":"correct horse battery staple","name":"x\\ud800y"}', "name"],
      ["PATCH", "/users/me", '{"name":"a\\u0000b"}', "name"],
      ["PATCH", "/users/me", '{"profile":{"companyName":"x\\udc00"}}', "profile.companyName"],
      ["POST", "/auth/reset-password", '{"token":"\\u0000","newPassword":"correct horse battery staple"}', "token"],
    ];
    for (const [method, path, body, field] of bodies) {
      const res = await call(gw, method, path, { ...rawJson(body), headers: { ...rawJson(body).headers, ...bearer(user.accessToken) } });
      expect({ path, body, status: res.status, code: res.body?.code, field: res.body?.field }).toEqual({ path, body, status: 400, code: "invalid_argument", field });
    }
    const me = await call(gw, "GET", "/users/me", { headers: bearer(user.accessToken) });
    expect(me.body.user).toMatchObject({ name: "Ada", profile: { companyName: "" } });
  });
});

describe("numbers beyond the contract", () => {
  it("an int32 overflow in PATCH /users/me is 400 naming the field, not 500", async () => {
    const user = await register(gw);
    const cases: [unknown, string][] = [
      [{ profile: { foundedYear: 2_147_483_648 } }, "profile.foundedYear"],
      [{ profile: { foundedYear: -2_147_483_649 } }, "profile.foundedYear"],
      [{ profile: { employeesNumber: 1e12 } }, "profile.employeesNumber"],
      [{ profile: { employeesNumber: 10_000_001 } }, "profile.employeesNumber"],
      [{ profile: { foundedYear: 1e308 } }, "profile.foundedYear"],
    ];
    for (const [json, field] of cases) {
      const res = await call(gw, "PATCH", "/users/me", { json, headers: bearer(user.accessToken) });
      expect({ json, status: res.status, code: res.body?.code, field: res.body?.field }).toEqual({ json, status: 400, code: "invalid_argument", field });
    }
    const me = await call(gw, "GET", "/users/me", { headers: bearer(user.accessToken) });
    expect(me.body.user.profile).toMatchObject({ foundedYear: 0, employeesNumber: 0 });
    // In range still works.
    const ok = await call(gw, "PATCH", "/users/me", { json: { profile: { employeesNumber: 10_000_000 } }, headers: bearer(user.accessToken) });
    expect(ok.status).toBe(200);
    expect(ok.body.user.profile.employeesNumber).toBe(10_000_000);
  });
});
