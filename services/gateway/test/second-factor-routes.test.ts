/**
 * Second factors through the gateway, against a real auth service: enrol an authenticator with
 * a code computed from the secret the route returned, then the two-step sign-in over REST, the
 * step-up on the password route, and the admin's removal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setRole } from "../../auth/src/admin/roles.js";
import { totpCode } from "../../auth/src/second-factor/totp.js";
import type { TestServer } from "../../auth/test/harness.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { GOOD_PASSWORD, bearer, call, register, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway;
beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

/** The code `offset` steps from now, out of the last 1.5 s of a step so the server checks it in the step meant. */
async function code(secret: string, offset = 0): Promise<string> {
  const into = Date.now() % 30_000;
  if (into > 28_500) await new Promise((r) => setTimeout(r, 30_000 - into + 50));
  return totpCode(secret, Date.now() + offset * 30_000);
}

async function enrolled() {
  const me = await register(gw);
  const begun = await call(gw, "POST", "/users/me/second-factors/totp", { headers: bearer(me.accessToken), json: { password: GOOD_PASSWORD } });
  expect(begun.status).toBe(200);
  s.TotpEnrollment.parse(begun.body);
  const confirmed = await call(gw, "POST", "/users/me/second-factors/totp/confirm", { headers: bearer(me.accessToken), json: { code: await code(begun.body.secret, -1) } });
  expect(confirmed.status).toBe(200);
  const { recoveryCodes } = s.RecoveryCodes.parse(confirmed.body);
  return { ...me, secret: begun.body.secret as string, recoveryCodes };
}

describe("the two-step sign-in over REST", () => {
  it("refuses an old client with 409, gives a capable one a challenge, and completes it with a code", async () => {
    const me = await enrolled();
    const status = await call(gw, "GET", "/users/me/second-factors", { headers: bearer(me.accessToken) });
    expect(s.SecondFactorStatus.parse(status.body)).toMatchObject({ totpEnabled: true, recoveryCodesRemaining: 10 });

    const old = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD } });
    expect(old).toMatchObject({ status: 409, body: { reason: "auth.second_factor_required" } });

    const first = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true } });
    expect(first.status).toBe(200);
    const { secondFactorChallenge } = s.ChallengeOnly.parse(first.body);
    expect(first.body.tokens).toBeUndefined();

    const both = await call(gw, "POST", "/auth/complete-sign-in", { json: { challengeToken: secondFactorChallenge.token, totpCode: "1", recoveryCode: "2" } });
    expect(both).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "proof" } });
    const wrong = await call(gw, "POST", "/auth/complete-sign-in", { json: { challengeToken: secondFactorChallenge.token, totpCode: "000000" } });
    expect(wrong).toMatchObject({ status: 401, body: { reason: "auth.invalid_second_factor" } });
    const done = await call(gw, "POST", "/auth/complete-sign-in", { json: { challengeToken: secondFactorChallenge.token, totpCode: await code(me.secret) } });
    expect(done.status).toBe(200);
    const { tokens } = s.UserAndTokens.parse(done.body);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(tokens.accessToken) })).body.user.email).toBe(me.email);
  });

  it("asks the password route for a second factor, regenerates codes, and lets an admin remove the factors", async () => {
    const me = await enrolled();
    const change = { currentPassword: GOOD_PASSWORD, newPassword: "an entirely new passphrase" };
    expect(await call(gw, "POST", "/users/me/password", { headers: bearer(me.accessToken), json: change })).toMatchObject({
      status: 409,
      body: { reason: "auth.second_factor_required" },
    });
    const fresh = await call(gw, "POST", "/users/me/second-factors/recovery-codes", {
      headers: bearer(me.accessToken),
      json: { password: GOOD_PASSWORD, secondFactorCode: me.recoveryCodes[0] },
    });
    const { recoveryCodes } = s.RecoveryCodes.parse(fresh.body);
    expect(recoveryCodes).not.toContain(me.recoveryCodes[1]);
    expect((await call(gw, "POST", "/users/me/password", { headers: bearer(me.accessToken), json: { ...change, secondFactorCode: recoveryCodes[0] } })).status).toBe(204);

    const admin = await register(gw);
    await setRole(auth.app.db, { email: admin.email }, "ADMIN", { client: { ipAddress: "", userAgent: "test" }, via: "test" });
    expect((await call(gw, "DELETE", `/users/${me.userId}/second-factors`, { headers: bearer(admin.accessToken) })).status).toBe(204);
    const login = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: change.newPassword } });
    expect(s.UserAndTokens.parse(login.body).user.id).toBe(me.userId);
  });
});
