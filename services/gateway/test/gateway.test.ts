/**
 * The REST gateway against a real auth service and PostgreSQL: every route's success path and
 * the error mapping, through fetch.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setRole } from "../../auth/src/admin/roles.js";
import type { TestServer } from "../../auth/test/harness.js";
import { ROUTES } from "../src/routes.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { GOOD_PASSWORD, bearer, call, claims, mailedToken, register, startTestGateway, uniqueEmail, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

let auth: TestServer;
let gw: Gateway;

beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway({}, { GATEWAY_CORS_ORIGINS: "https://app.example.com" }));
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

describe("account flow through the gateway", () => {
  it("registers, signs in, reads and patches the profile, refreshes, lists and revokes sessions", async () => {
    const email = uniqueEmail("flow");
    const reg = await call(gw, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD, name: "Ada" } });
    expect(reg.status).toBe(201);
    s.UserAndTokens.parse(reg.body);
    expect(reg.body.user).toMatchObject({ email, name: "Ada", role: "ROLE_USER" });
    expect(reg.headers.get("cache-control")).toBe("no-store");

    const login = await call(gw, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD }, headers: { "user-agent": "curl/8.0 test" } });
    expect(login.status).toBe(200);
    s.UserAndTokens.parse(login.body);
    expect(login.headers.get("cache-control")).toBe("no-store");
    const { accessToken, refreshToken, sessionId } = login.body.tokens;

    const me = await call(gw, "GET", "/users/me", { headers: bearer(accessToken) });
    expect(me.status).toBe(200);
    s.UserOnly.parse(me.body);
    expect(me.body.user.email).toBe(email);

    const patched = await call(gw, "PATCH", "/users/me", {
      headers: bearer(accessToken),
      json: { name: "Ada Lovelace", profile: { companyName: "Analytical Engines", foundedYear: 1843 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.user).toMatchObject({ name: "Ada Lovelace", profile: { companyName: "Analytical Engines", foundedYear: 1843, country: "" } });
    // Only the keys present change.
    const patched2 = await call(gw, "PATCH", "/users/me", { headers: bearer(accessToken), json: { profile: { country: "GB" } } });
    expect(patched2.body.user).toMatchObject({ name: "Ada Lovelace", profile: { companyName: "Analytical Engines", country: "GB" } });

    // Another account whose id a forged body names.
    const other = await register(gw);
    const refreshed = await call(gw, "POST", "/auth/refresh", {
      headers: { authorization: `Refresh ${refreshToken}` },
      json: { refreshToken: other.refreshToken, userId: other.userId, sub: other.userId },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get("cache-control")).toBe("no-store");
    s.TokensOnly.parse(refreshed.body);
    expect(claims(refreshed.body.tokens.accessToken)).toMatchObject({ sub: login.body.user.id, sid: sessionId });
    expect(refreshed.body.tokens.refreshToken).not.toBe(refreshToken);
    // The other account's refresh token was not spent: its body was ignored.
    const otherRefresh = await call(gw, "POST", "/auth/refresh", { headers: { authorization: `Refresh ${other.refreshToken}` } });
    expect(otherRefresh.status).toBe(200);
    expect(claims(otherRefresh.body.tokens.accessToken).sub).toBe(other.userId);

    const access2 = refreshed.body.tokens.accessToken as string;
    const sessions = await call(gw, "GET", "/users/me/sessions", { headers: bearer(access2) });
    expect(sessions.status).toBe(200);
    s.SessionList.parse(sessions.body);
    expect(sessions.body.sessions).toHaveLength(2);
    expect(sessions.body.sessions.find((x: { current: boolean }) => x.current).id).toBe(sessionId);
    expect(sessions.body.sessions.find((x: { current: boolean }) => x.current).userAgent).toBe("curl/8.0 test");

    const registration = sessions.body.sessions.find((x: { current: boolean }) => !x.current);
    const revoked = await call(gw, "DELETE", `/users/me/sessions/${registration.id}`, { headers: bearer(access2) });
    expect(revoked.status).toBe(204);
    // The registration session's access token is refused by the auth service at once.
    expect((await call(gw, "GET", "/users/me", { headers: bearer(reg.body.tokens.accessToken) })).status).toBe(401);
    expect((await call(gw, "DELETE", `/users/me/sessions/${registration.id}`, { headers: bearer(access2) })).status).toBe(404);

    const own = await call(gw, "GET", `/users/${login.body.user.id}`, { headers: bearer(access2) });
    expect(own.status).toBe(200);

    const logout = await call(gw, "POST", "/auth/logout", { headers: { authorization: `Refresh ${refreshed.body.tokens.refreshToken}` } });
    expect(logout.status).toBe(204);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(access2) })).status).toBe(401);
  });

  it("revokes all sessions, keeping the current one on request", async () => {
    const a = await register(gw);
    const b = await call(gw, "POST", "/auth/login", { json: { email: a.email, password: GOOD_PASSWORD } });
    const r = await call(gw, "POST", "/users/me/sessions/revoke-all", { headers: bearer(b.body.tokens.accessToken), json: { keepCurrent: true } });
    expect(r).toMatchObject({ status: 200, body: { revokedCount: 1 } });
    expect((await call(gw, "GET", "/users/me", { headers: bearer(b.body.tokens.accessToken) })).status).toBe(200);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(401);
  });

  it("verifies the email and resets the password with mailed tokens", async () => {
    const a = await register(gw);
    const verifyToken = await mailedToken(auth, a.email, "/verify-email");
    const verified = await call(gw, "POST", "/auth/verify-email", { json: { token: verifyToken } });
    expect(verified.status).toBe(200);
    expect(verified.body.user.emailVerifiedTime).toBeTruthy();
    const again = await call(gw, "POST", "/auth/request-email-verification", { headers: bearer(a.accessToken) });
    expect(again).toMatchObject({ status: 409, body: { code: "failed_precondition" } });

    const b = await register(gw);
    expect((await call(gw, "POST", "/auth/request-email-verification", { headers: bearer(b.accessToken) })).status).toBe(204);

    expect((await call(gw, "POST", "/auth/forgot-password", { json: { email: a.email } })).status).toBe(204);
    expect((await call(gw, "POST", "/auth/forgot-password", { json: { email: uniqueEmail("nobody") } })).status).toBe(204);
    const resetToken = await mailedToken(auth, a.email, "/reset-password");
    const weak = await call(gw, "POST", "/auth/reset-password", { json: { token: resetToken, newPassword: "short" } });
    expect(weak).toMatchObject({ status: 400, body: { code: "invalid_argument", field: "newPassword" } });
    expect(weak.body.message).toMatch(/^newPassword:/);
    const NEW = "a brand new passphrase";
    expect((await call(gw, "POST", "/auth/reset-password", { json: { token: resetToken, newPassword: NEW } })).status).toBe(204);
    expect((await call(gw, "POST", "/auth/reset-password", { json: { token: resetToken, newPassword: NEW } })).status).toBe(401);
    expect((await call(gw, "POST", "/auth/login", { json: { email: a.email, password: NEW } })).status).toBe(200);
  });

  it("uploads an avatar as multipart/form-data", async () => {
    const a = await register(gw);
    const form = new FormData();
    form.append("image", new Blob([PNG], { type: "image/png" }), "me.png");
    const up = await call(gw, "PUT", "/users/me/image", { headers: bearer(a.accessToken), body: form });
    expect(up.status).toBe(200);
    expect(up.body.user.image).toMatch(/^http/);

    const notImage = new FormData();
    notImage.append("image", new Blob([Buffer.from("hello")], { type: "text/plain" }), "x.txt");
    expect(await call(gw, "PUT", "/users/me/image", { headers: bearer(a.accessToken), body: notImage })).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", field: "image" },
    });
    const missing = new FormData();
    missing.append("picture", new Blob([PNG]), "me.png");
    expect((await call(gw, "PUT", "/users/me/image", { headers: bearer(a.accessToken), body: missing })).body).toMatchObject({ field: "image" });
    const big = new FormData();
    big.append("image", new Blob([Buffer.alloc(3 * 1024 * 1024)]), "big.png");
    expect((await call(gw, "PUT", "/users/me/image", { headers: bearer(a.accessToken), body: big })).status).toBe(413);
    expect((await call(gw, "PUT", "/users/me/image", { headers: bearer(a.accessToken), json: { image: "x" } })).status).toBe(415);
  });

  it("lets only admins list users", async () => {
    const user = await register(gw);
    const denied = await call(gw, "GET", "/users", { headers: bearer(user.accessToken) });
    expect(denied).toMatchObject({ status: 403, body: { code: "permission_denied" } });
    expect((await call(gw, "GET", "/users/some-other-id", { headers: bearer(user.accessToken) })).status).toBe(403);

    const admin = await register(gw, uniqueEmail("admin"));
    await setRole(auth.app.db, { email: admin.email }, "ADMIN", { client: { ipAddress: "", userAgent: "test" }, via: "test" });
    const page = await call(gw, "GET", `/users?pageSize=1&emailPrefix=${encodeURIComponent(user.email)}`, { headers: bearer(admin.accessToken) });
    expect(page.status).toBe(200);
    s.UserPage.parse(page.body);
    expect(page.body.users.map((u: { email: string }) => u.email)).toEqual([user.email]);
    expect((await call(gw, "GET", `/users/${user.userId}`, { headers: bearer(admin.accessToken) })).body.user.email).toBe(user.email);
    expect((await call(gw, "GET", "/users/no-such-user", { headers: bearer(admin.accessToken) })).status).toBe(404);
    expect(await call(gw, "GET", "/users?pageSize=500", { headers: bearer(admin.accessToken) })).toMatchObject({
      status: 400,
      body: { field: "pageSize" },
    });
  });
});

describe("errors", () => {
  it("maps Connect codes to HTTP problem details with {code, reason, message, field?} and no stack", async () => {
    const a = await register(gw);
    const dup = await call(gw, "POST", "/auth/register", { json: { email: a.email, password: GOOD_PASSWORD } });
    expect(dup).toMatchObject({ status: 409, body: { code: "already_exists" } });
    expect(Object.keys(dup.body).sort()).toEqual(["code", "detail", "message", "reason", "status", "title", "type"]);
    expect(dup.body).toMatchObject({ type: "about:blank", title: "Conflict", status: 409, reason: "user.already_exists", detail: dup.body.message });
    expect(dup.headers.get("content-type")).toBe("application/problem+json");

    const bad = await call(gw, "POST", "/auth/register", { json: { email: "not-an-email", password: GOOD_PASSWORD } });
    expect(bad).toMatchObject({ status: 400, body: { code: "invalid_argument", reason: "request.invalid_argument", field: "email" } });

    const wrong = await call(gw, "POST", "/auth/login", { json: { email: a.email, password: "wrong password here" } });
    expect(wrong).toMatchObject({ status: 401, body: { code: "unauthenticated", reason: "auth.invalid_credentials" } });
    const noToken = await call(gw, "GET", "/users/me");
    expect(noToken).toMatchObject({ status: 401, body: { code: "unauthenticated", reason: "auth.missing_token" } });
    const unsupported = await call(gw, "POST", "/auth/login", { headers: { "content-type": "text/plain" }, body: "x" });
    expect(unsupported).toMatchObject({ status: 415, body: { reason: "request.unsupported_media_type" } });

    const patchBad = await call(gw, "PATCH", "/users/me", { headers: bearer(a.accessToken), json: { profile: { website: "javascript:alert(1)" } } });
    expect(patchBad).toMatchObject({ status: 400, body: { field: "profile.website" } });
    const unknownKey = await call(gw, "PATCH", "/users/me", { headers: bearer(a.accessToken), json: { role: "ROLE_ADMIN" } });
    expect(unknownKey).toMatchObject({ status: 400, body: { code: "invalid_argument" } });
    const wrongType = await call(gw, "POST", "/auth/login", { json: { email: 42, password: "x" } });
    expect(wrongType).toMatchObject({ status: 400, body: { field: "email", reason: "request.invalid_argument" } });
    const empty = await call(gw, "PATCH", "/users/me", { headers: bearer(a.accessToken), json: {} });
    expect(empty.status).toBe(400);

    const notJson = await call(gw, "POST", "/auth/login", { headers: { "content-type": "application/json" }, body: "{nope" });
    expect(notJson).toMatchObject({ status: 400, body: { code: "invalid_argument" } });
    const tooBig = await call(gw, "POST", "/auth/login", { json: { email: "x".repeat(70 * 1024), password: "x" } });
    expect(tooBig).toMatchObject({ status: 413, body: { code: "resource_exhausted", reason: "request.too_large" } });

    expect((await call(gw, "POST", "/auth/refresh")).status).toBe(401);
    expect((await call(gw, "POST", "/auth/refresh", { headers: { authorization: `Refresh ${"A".repeat(43)}` } })).status).toBe(401);
    expect(await call(gw, "GET", "/nowhere")).toMatchObject({ status: 404, body: { code: "not_found", reason: "route.not_found" } });
    const wrongMethod = await call(gw, "PUT", "/users/me");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, PATCH, DELETE");
    expect(wrongMethod.body).toMatchObject({ status: 405, code: "method_not_allowed", reason: "route.method_not_allowed" });
    for (const r of [dup, bad, wrong, patchBad, notJson, tooBig]) expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("sets security headers, a request id and CORS only for listed origins", async () => {
    const r = await call(gw, "GET", "/healthz", { headers: { origin: "https://app.example.com", "x-request-id": "abc-123" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(r.headers.get("x-request-id")).toBe("abc-123");
    expect(r.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const evil = await call(gw, "GET", "/healthz", { headers: { origin: "https://evil.example.com" } });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    expect((await call(gw, "GET", "/nowhere")).headers.get("x-content-type-options")).toBe("nosniff");

    const pre = await fetch(`${gw.url}/users/me`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "PATCH" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET, PATCH, DELETE");
    const preEvil = await fetch(`${gw.url}/users/me`, { method: "OPTIONS", headers: { origin: "https://evil.example.com" } });
    expect(preEvil.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("meta routes", () => {
  it("serves health, readiness and the JWKS", async () => {
    expect(await call(gw, "GET", "/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await call(gw, "GET", "/readyz")).toMatchObject({ status: 200, body: { status: "ready" } });
    const jwks = await call(gw, "GET", "/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(jwks.headers.get("cache-control")).toContain("max-age=300");
    const direct = await (await fetch(`${auth.baseUrl}/.well-known/jwks.json`)).json();
    expect(jwks.body).toEqual(direct);
  });

  it("answers 503 with a generic message when the auth service is down", async () => {
    const down = await startTestGateway(auth, { TESSERA_AUTH_URL: "http://127.0.0.1:1" });
    try {
      expect(await call(down, "GET", "/healthz")).toMatchObject({ status: 200 });
      expect(await call(down, "GET", "/readyz")).toMatchObject({ status: 503, body: { code: "unavailable" } });
      const login = await call(down, "POST", "/auth/login", { json: { email: "a@example.com", password: "x" } });
      expect(login).toMatchObject({ status: 503, body: { code: "unavailable", reason: "server.unavailable", message: "the auth service is unavailable, retry later" } });
      expect((await call(down, "GET", "/users/me", { headers: bearer("a.b.c") })).status).toBe(503); // no keys to verify with
      expect((await call(down, "GET", "/.well-known/jwks.json")).status).toBe(503);
    } finally {
      await down.stop();
    }
  });

  it("describes every route in an OpenAPI 3.1 document", async () => {
    const r = await call(gw, "GET", "/openapi.json");
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "http://127.0.0.1:8080" }]);
    const validation = await new Validator().validate(doc);
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op.operationId).toBe(route.operationId);
    }
    // Every $ref resolves inside the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
    expect(doc.paths["/users/me"].patch.requestBody.content["application/json"].schema.properties.profile).toBeDefined();
    expect(doc.paths["/users/me/image"].put.requestBody.content["multipart/form-data"]).toBeDefined();
    expect(doc.paths["/users"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["pageSize", "pageToken", "emailPrefix"]);
  });

  it("states a profile string's limit as the auth service enforces it, in code points", async () => {
    const doc = (await call(gw, "GET", "/openapi.json")).body;
    const max: number = doc.paths["/users/me"].patch.requestBody.content["application/json"].schema.properties.profile.properties.companyName.maxLength;
    const user = await register(gw);
    const patch = (companyName: string) => call(gw, "PATCH", "/users/me", { headers: bearer(user.accessToken), json: { profile: { companyName } } });
    const longest = "😀".repeat(max); // two UTF-16 units each, one code point
    expect(await patch(longest)).toMatchObject({ status: 200, body: { user: { profile: { companyName: longest } } } });
    expect(await patch("a".repeat(max + 1))).toMatchObject({ status: 400, body: { code: "invalid_argument", field: "profile.companyName" } });
  });
});
