/**
 * The email change through the gateway, against a real auth service: the link mailed to the
 * new address, the account moved when it is followed, and the refusals a client branches on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../auth/test/harness.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { GOOD_PASSWORD, bearer, call, mailedToken, register, uniqueEmail, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway;
beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

describe("POST /users/me/email-change and POST /auth/confirm-email-change", () => {
  it("mails a link to the new address; confirming it moves the account and this session sees it", async () => {
    const me = await register(gw);
    const newEmail = uniqueEmail("gw-moved");
    const asked = await call(gw, "POST", "/users/me/email-change", { headers: bearer(me.accessToken), json: { newEmail, password: GOOD_PASSWORD } });
    expect(asked.status).toBe(204);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(me.accessToken) })).body.user.email).toBe(me.email);

    const token = await mailedToken(auth, newEmail, "/confirm-email-change");
    const confirmed = await call(gw, "POST", "/auth/confirm-email-change", { json: { token } });
    expect(confirmed.status).toBe(200);
    expect(s.UserOnly.parse(confirmed.body).user).toMatchObject({ id: me.userId, email: newEmail });
    expect(confirmed.body.user.emailVerifiedTime).toEqual(expect.any(String));
    expect((await call(gw, "GET", "/users/me", { headers: bearer(me.accessToken) })).body.user.email).toBe(newEmail);

    const again = await call(gw, "POST", "/auth/confirm-email-change", { json: { token } });
    expect(again).toMatchObject({ status: 401, body: { code: "unauthenticated", reason: "token.invalid" } });
  });

  it("answers 204 for an address another account has too, and refuses a wrong password, a bad address and a taken-meanwhile address", async () => {
    const me = await register(gw);
    const other = await register(gw);
    expect((await call(gw, "POST", "/users/me/email-change", { headers: bearer(me.accessToken), json: { newEmail: other.email, password: GOOD_PASSWORD } })).status).toBe(204);

    const wrong = await call(gw, "POST", "/users/me/email-change", { headers: bearer(me.accessToken), json: { newEmail: uniqueEmail("gw"), password: "not my password at all" } });
    expect(wrong).toMatchObject({ status: 401, body: { reason: "auth.invalid_credentials" } });
    const bad = await call(gw, "POST", "/users/me/email-change", { headers: bearer(me.accessToken), json: { newEmail: "nope", password: GOOD_PASSWORD } });
    expect(bad).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "newEmail" } });
    const anonymous = await call(gw, "POST", "/users/me/email-change", { json: { newEmail: uniqueEmail("gw"), password: GOOD_PASSWORD } });
    expect(anonymous.status).toBe(401);

    const newEmail = uniqueEmail("gw-raced");
    await call(gw, "POST", "/users/me/email-change", { headers: bearer(me.accessToken), json: { newEmail, password: GOOD_PASSWORD } });
    const token = await mailedToken(auth, newEmail, "/confirm-email-change");
    await register(gw, newEmail);
    const taken = await call(gw, "POST", "/auth/confirm-email-change", { json: { token } });
    expect(taken).toMatchObject({ status: 409, body: { code: "already_exists", reason: "user.already_exists" } });
    expect((await call(gw, "GET", "/users/me", { headers: bearer(me.accessToken) })).body.user.email).toBe(me.email);

    const malformed = await call(gw, "POST", "/auth/confirm-email-change", { json: { token: "short" } });
    expect(malformed).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "token" } });
  });
});
