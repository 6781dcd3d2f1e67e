/**
 * Passkeys through the gateway, against a real auth service, with a software authenticator
 * answering the options the routes return: add, list and rename a passkey, sign in with it alone
 * and as the second step of a password sign-in, prove it for a step-up token that deletes it,
 * and answers to oversized or malformed WebAuthn bodies that are coded 4xx, never 500.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../auth/src/second-factor/totp.js";
import type { TestServer } from "../../auth/test/harness.js";
import { SoftAuthenticator } from "../../auth/test/webauthn-authenticator.js";
import { openApiDocument } from "../src/openapi.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { PASSKEY_RESPONSE_MAX_BYTES } from "../../shared/contract-limits.js";
import { responseJson } from "../src/webauthn-json.js";
import { GOOD_PASSWORD, bearer, call, register, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway;
beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

/** The authenticator's answers are JSON text; REST clients send them as objects. */
const object = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** A new account with one passkey added through REST, and the authenticator holding it. */
async function withPasskey(name = "Laptop") {
  const me = await register(gw);
  const authenticator = new SoftAuthenticator();
  const begun = await call(gw, "POST", "/users/me/passkeys/registration-options", { headers: bearer(me.accessToken), json: { password: GOOD_PASSWORD } });
  expect(begun.status).toBe(200);
  const { options } = s.PasskeyCreationOptions.parse(begun.body);
  const response = object(authenticator.register(options));
  const added = await call(gw, "POST", "/users/me/passkeys", { headers: bearer(me.accessToken), json: { response, name } });
  expect(added.status).toBe(201);
  const { passkey, recoveryCodes } = s.PasskeyRegistration.parse(added.body);
  return { ...me, authenticator, passkey, recoveryCodes, registration: response };
}

describe("adding and managing passkeys over REST", () => {
  it("adds a passkey from the options the route returned, with recovery codes, then lists and renames it", async () => {
    const me = await withPasskey();
    expect(me.passkey).toMatchObject({ name: "Laptop", backedUp: true });
    expect(me.recoveryCodes).toHaveLength(10);

    const status = await call(gw, "GET", "/users/me/second-factors", { headers: bearer(me.accessToken) });
    expect(s.SecondFactorStatus.parse(status.body)).toMatchObject({ passkeyCount: 1, recoveryCodesRemaining: 10 });

    // The answer spent its challenge: sent again, nothing is pending.
    const again = await call(gw, "POST", "/users/me/passkeys", { headers: bearer(me.accessToken), json: { response: me.registration } });
    expect(again).toMatchObject({ status: 409, body: { reason: "passkey.registration_failed" } });

    // A second registration excludes the first passkey.
    const second = await call(gw, "POST", "/users/me/passkeys/registration-options", { headers: bearer(me.accessToken), json: { password: GOOD_PASSWORD } });
    const excluded = (second.body.options.excludeCredentials as { id: string }[]).map((c) => c.id);
    expect(excluded).toEqual([me.authenticator.credentials[0]!.id]);

    const renamed = await call(gw, "PATCH", `/users/me/passkeys/${me.passkey.id}`, { headers: bearer(me.accessToken), json: { name: "Phone" } });
    expect(s.PasskeyOnly.parse(renamed.body).passkey).toMatchObject({ id: me.passkey.id, name: "Phone" });
    const list = await call(gw, "GET", "/users/me/passkeys", { headers: bearer(me.accessToken) });
    expect(s.PasskeyList.parse(list.body).passkeys.map((p) => [p.id, p.name])).toEqual([[me.passkey.id, "Phone"]]);

    expect(await call(gw, "PATCH", `/users/me/passkeys/${me.passkey.id}`, { headers: bearer(me.accessToken), json: { name: "" } })).toMatchObject({
      status: 400,
      body: { reason: "request.invalid_argument", field: "name" },
    });
    expect(await call(gw, "PATCH", "/users/me/passkeys/no-such-passkey", { headers: bearer(me.accessToken), json: { name: "x" } })).toMatchObject({
      status: 404,
      body: { reason: "passkey.not_found" },
    });
    // Another account cannot see it.
    const other = await register(gw);
    expect((await call(gw, "PATCH", `/users/me/passkeys/${me.passkey.id}`, { headers: bearer(other.accessToken), json: { name: "mine" } })).status).toBe(404);
  });

  it("refuses to begin without the right password", async () => {
    const me = await register(gw);
    const wrong = await call(gw, "POST", "/users/me/passkeys/registration-options", { headers: bearer(me.accessToken), json: { password: "not the password" } });
    expect(wrong).toMatchObject({ status: 401, body: { reason: "auth.invalid_credentials" } });
  });
});

describe("signing in with a passkey over REST", () => {
  it("signs in with the passkey alone, and the token reads /users/me", async () => {
    const me = await withPasskey();
    const begun = await call(gw, "POST", "/auth/passkey-sign-in/options");
    expect(begun.status).toBe(200);
    const { options } = s.PasskeyRequestOptions.parse(begun.body);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe("required");

    const response = object(me.authenticator.assert(options));
    const done = await call(gw, "POST", "/auth/passkey-sign-in", { json: { response } });
    expect(done.status).toBe(200);
    const { user, tokens } = s.UserAndTokens.parse(done.body);
    expect(user.id).toBe(me.userId);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(tokens.accessToken) })).body.user.email).toBe(me.email);

    // The challenge was spent: the same assertion does not sign in twice.
    expect(await call(gw, "POST", "/auth/passkey-sign-in", { json: { response } })).toMatchObject({ status: 401, body: { reason: "auth.invalid_passkey" } });
    const list = await call(gw, "GET", "/users/me/passkeys", { headers: bearer(tokens.accessToken) });
    expect(s.PasskeyList.parse(list.body).passkeys[0]!.lastUsedTime).toBeDefined();
  });

  it("gives a password sign-in a challenge with passkey options, and completes it with an assertion", async () => {
    const me = await withPasskey();
    const old = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD } });
    expect(old).toMatchObject({ status: 409, body: { reason: "auth.second_factor_required" } });

    const first = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true } });
    expect(first.status).toBe(200);
    const { secondFactorChallenge } = s.ChallengeOnly.parse(first.body);
    expect(secondFactorChallenge.methods).toContain("passkey");
    expect(first.body.secondFactorChallenge.passkeyOptionsJson).toBeUndefined(); // REST gives the object only
    const options = secondFactorChallenge.passkeyOptions!;
    expect((options.allowCredentials as { id: string }[]).map((c) => c.id)).toEqual([me.authenticator.credentials[0]!.id]);

    const passkeyResponse = object(me.authenticator.assert(options));
    const both = await call(gw, "POST", "/auth/complete-sign-in", { json: { challengeToken: secondFactorChallenge.token, totpCode: "123456", passkeyResponse } });
    expect(both).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "proof" } });
    const done = await call(gw, "POST", "/auth/complete-sign-in", { json: { challengeToken: secondFactorChallenge.token, passkeyResponse } });
    expect(done.status).toBe(200);
    const { tokens } = s.UserAndTokens.parse(done.body);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(tokens.accessToken) })).body.user.id).toBe(me.userId);
  });

  it("an account with only an authenticator app gets a challenge without passkey options", async () => {
    const me = await register(gw);
    const begun = await call(gw, "POST", "/users/me/second-factors/totp", { headers: bearer(me.accessToken), json: { password: GOOD_PASSWORD } });
    const confirmed = await call(gw, "POST", "/users/me/second-factors/totp/confirm", {
      headers: bearer(me.accessToken),
      json: { code: totpCode(begun.body.secret, Date.now() - 30_000) }, // the previous step: accepted, and never the one about to start
    });
    expect(confirmed.status).toBe(200);
    const login = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true } });
    const { secondFactorChallenge } = s.ChallengeOnly.parse(login.body);
    expect(secondFactorChallenge.methods).not.toContain("passkey");
    expect(Object.keys(login.body.secondFactorChallenge).sort()).toEqual(["expireTime", "methods", "token"]);
  });
});

describe("the passkey step-up", () => {
  it("deletes a passkey with a step-up token proven with that very passkey, and then sign-in takes one step", async () => {
    const me = await withPasskey();
    const remove = (secondFactorCode?: string) =>
      call(gw, "DELETE", `/users/me/passkeys/${me.passkey.id}`, { headers: bearer(me.accessToken), json: { password: GOOD_PASSWORD, secondFactorCode } });
    expect(await remove()).toMatchObject({ status: 409, body: { reason: "auth.second_factor_required" } });

    const begun = await call(gw, "POST", "/users/me/passkeys/step-up-options", { headers: bearer(me.accessToken) });
    const { options } = s.PasskeyRequestOptions.parse(begun.body);
    const proven = await call(gw, "POST", "/users/me/passkeys/step-up", { headers: bearer(me.accessToken), json: { response: object(me.authenticator.assert(options)) } });
    expect(proven.status).toBe(200);
    const { stepUpToken } = s.StepUpToken.parse(proven.body);
    expect(stepUpToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await remove(stepUpToken)).status).toBe(204);
    expect(s.PasskeyList.parse((await call(gw, "GET", "/users/me/passkeys", { headers: bearer(me.accessToken) })).body).passkeys).toEqual([]);
    const status = await call(gw, "GET", "/users/me/second-factors", { headers: bearer(me.accessToken) });
    expect(s.SecondFactorStatus.parse(status.body)).toMatchObject({ passkeyCount: 0, recoveryCodesRemaining: 0 });
    expect(await call(gw, "POST", "/users/me/passkeys/step-up-options", { headers: bearer(me.accessToken) })).toMatchObject({
      status: 404,
      body: { reason: "passkey.not_found" },
    });
    const login = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD } });
    expect(s.UserAndTokens.parse(login.body).user.id).toBe(me.userId);
  });

  it("refuses an assertion for another session's challenge", async () => {
    const me = await withPasskey();
    const begun = await call(gw, "POST", "/users/me/passkeys/step-up-options", { headers: bearer(me.accessToken) });
    const other = await call(gw, "POST", "/auth/login", { json: { email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true } });
    const done = await call(gw, "POST", "/auth/complete-sign-in", {
      json: { challengeToken: other.body.secondFactorChallenge.token, recoveryCode: me.recoveryCodes[0] },
    });
    const response = object(me.authenticator.assert(begun.body.options));
    const wrongSession = await call(gw, "POST", "/users/me/passkeys/step-up", { headers: bearer(done.body.tokens.accessToken), json: { response } });
    expect(wrongSession).toMatchObject({ status: 401, body: { reason: "auth.invalid_passkey" } });
  });
});

describe("oversized and malformed WebAuthn bodies", () => {
  it("answer coded 4xx naming the field, never 500", async () => {
    const me = await register(gw);
    const mine = bearer(me.accessToken);
    await call(gw, "POST", "/users/me/passkeys/registration-options", { headers: mine, json: { password: GOOD_PASSWORD } });

    // Over the contract's 16 KiB but within the gateway's 64 KiB body: the auth service refuses
    // it, naming the REST field. Over 64 KiB: the gateway refuses the body itself.
    const big = { id: "x", padding: "a".repeat(PASSKEY_RESPONSE_MAX_BYTES) };
    expect(await call(gw, "POST", "/users/me/passkeys", { headers: mine, json: { response: big } })).toMatchObject({
      status: 400,
      body: { code: "invalid_argument", reason: "request.invalid_argument", field: "response" },
    });
    expect(await call(gw, "POST", "/auth/passkey-sign-in", { json: { response: big } })).toMatchObject({ status: 400, body: { field: "response" } });
    const huge = { id: "x", padding: "a".repeat(64 * 1024) };
    expect(await call(gw, "POST", "/users/me/passkeys", { headers: mine, json: { response: huge } })).toMatchObject({
      status: 413,
      body: { code: "resource_exhausted", reason: "request.too_large" },
    });
    expect(await call(gw, "POST", "/auth/passkey-sign-in", { json: { response: huge } })).toMatchObject({ status: 413, body: { reason: "request.too_large" } });

    // Not an object where one is expected: refused by the gateway, naming the field.
    const notObjects: [string, string, unknown, Record<string, string>][] = [
      ["/users/me/passkeys", "response", { response: "{}" }, mine],
      ["/users/me/passkeys", "response", { response: [1, 2] }, mine],
      ["/auth/passkey-sign-in", "response", { response: null }, {}],
      ["/auth/passkey-sign-in", "response", {}, {}],
      ["/users/me/passkeys/step-up", "response", { response: 7 }, mine],
      ["/auth/complete-sign-in", "passkeyResponse", { challengeToken: "x", passkeyResponse: "x" }, {}],
      ["/users/me/passkeys", "name", { response: {}, name: "a\u0000b" }, mine],
    ];
    for (const [path, field, json, headers] of notObjects) {
      const res = await call(gw, "POST", path, { headers, json });
      expect({ path, json, status: res.status, reason: res.body?.reason, field: res.body?.field }).toEqual({ path, json, status: 400, reason: "request.invalid_argument", field });
    }

    // Objects that are not WebAuthn answers: 400 naming the body's field (the contract's response_json).
    const notAnswers: Record<string, unknown>[] = [
      {},
      { id: "x", rawId: "x", type: "public-key", response: {} },
      { id: "x", rawId: "x", type: "public-key", response: { clientDataJSON: "!!!", attestationObject: "AAAA", authenticatorData: "", signature: "" } },
    ];
    // Answers shaped right whose contents are garbage (a challenge never issued, CBOR cut short): refused as not verifying.
    const forged = {
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      clientExtensionResults: {},
      response: {
        clientDataJSON: Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: "AAAA", origin: "http://localhost:3000" })).toString("base64url"),
        attestationObject: "omNmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVgl",
        authenticatorData: "AAAA",
        signature: "AAAA",
      },
    };
    const routes = [
      ["/users/me/passkeys", mine, "passkey.registration_failed", 409],
      ["/users/me/passkeys/step-up", mine, "auth.invalid_passkey", 401],
      ["/auth/passkey-sign-in", {}, "auth.invalid_passkey", 401],
    ] as const;
    for (const [path, headers, refusal, status] of routes) {
      for (const response of notAnswers) {
        const res = await call(gw, "POST", path, { headers, json: { response } });
        expect({ path, response, status: res.status, reason: res.body?.reason, field: res.body?.field }).toEqual({ path, response, status: 400, reason: "request.invalid_argument", field: "response" });
      }
      const res = await call(gw, "POST", path, { headers, json: { response: forged } });
      expect({ path, status: res.status, reason: res.body?.reason }).toEqual({ path, status, reason: refusal });
    }
    // The second step names its own field.
    const other = await withPasskey();
    const login = await call(gw, "POST", "/auth/login", { json: { email: other.email, password: GOOD_PASSWORD, secondFactorCapable: true } });
    const complete = await call(gw, "POST", "/auth/complete-sign-in", { json: { challengeToken: login.body.secondFactorChallenge.token, passkeyResponse: {} } });
    expect(complete).toMatchObject({ status: 400, body: { reason: "request.invalid_argument", field: "passkeyResponse" } });
    expect(complete.body.message).toMatch(/^passkeyResponse/);

    // Nothing was added.
    const list = await call(gw, "GET", "/users/me/passkeys", { headers: mine });
    expect(s.PasskeyList.parse(list.body).passkeys).toEqual([]);
  });

  it("escapes a lone surrogate in the serialised answer, so protobuf can carry it", () => {
    expect(responseJson({ id: "é\ud800" })).toBe('{"id":"é\\ud800"}');
  });
});

describe("the OpenAPI document", () => {
  it("describes every passkey route with its WebAuthn shapes, and validates", async () => {
    const doc = openApiDocument(undefined, "http://127.0.0.1:8080") as any;
    const validation = await new Validator().validate(doc);
    expect(validation.errors ?? []).toEqual([]);
    const ops: [string, string, string][] = [
      ["post", "/users/me/passkeys/registration-options", "beginPasskeyRegistration"],
      ["post", "/users/me/passkeys", "finishPasskeyRegistration"],
      ["get", "/users/me/passkeys", "listPasskeys"],
      ["patch", "/users/me/passkeys/{id}", "renamePasskey"],
      ["delete", "/users/me/passkeys/{id}", "deletePasskey"],
      ["post", "/users/me/passkeys/step-up-options", "beginPasskeyStepUp"],
      ["post", "/users/me/passkeys/step-up", "finishPasskeyStepUp"],
      ["post", "/auth/passkey-sign-in/options", "beginPasskeySignIn"],
      ["post", "/auth/passkey-sign-in", "finishPasskeySignIn"],
    ];
    for (const [method, path, operationId] of ops) expect(doc.paths[path]?.[method]?.operationId, `${method} ${path}`).toBe(operationId);
    const body = (method: string, path: string) => doc.paths[path][method].requestBody.content["application/json"].schema;
    expect(body("post", "/users/me/passkeys").properties.response).toEqual({ $ref: "#/components/schemas/WebAuthnRegistrationResponse" });
    expect(body("post", "/auth/passkey-sign-in").properties.response).toEqual({ $ref: "#/components/schemas/WebAuthnAuthenticationResponse" });
    expect(body("post", "/auth/complete-sign-in").properties.passkeyResponse).toMatchObject({ $ref: "#/components/schemas/WebAuthnAuthenticationResponse" });
    expect(doc.components.schemas.SecondFactorChallenge.properties.passkeyOptions).toMatchObject({ $ref: "#/components/schemas/WebAuthnRequestOptions" });
    for (const id of ["WebAuthnCreationOptions", "WebAuthnRequestOptions", "WebAuthnRegistrationResponse", "WebAuthnAuthenticationResponse"])
      expect(doc.components.schemas[id]).toMatchObject({ type: "object", additionalProperties: {} });
    expect(Object.keys(doc.components.schemas.Passkey.properties)).toEqual(["id", "name", "createTime", "lastUsedTime", "backedUp", "transports"]);
  });
});
