/**
 * Passkeys end to end against a real server and database, answered by a software
 * authenticator (../webauthn-authenticator.ts): registration, list/rename/delete with step-up,
 * passwordless sign-in, the passkey proof of a two-step sign-in, and the forgeries a relying
 * party must refuse.
 */
import { randomBytes } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, startTestServer, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { SoftAuthenticator } from "../webauthn-authenticator.js";
import { signUp, signUpAdmin, type SignedIn } from "./user-fixtures.js";

const err = (code: Code, reason: string, field = "") => ({ code, reason, field });
const INVALID_PASSKEY = err(Code.Unauthenticated, "auth.invalid_passkey");
const WRONG_FACTOR = err(Code.Unauthenticated, "auth.invalid_second_factor");
const REG_FAILED = err(Code.FailedPrecondition, "passkey.registration_failed");

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const auth = () => server.connect(AuthService);
const db = () => server.app.db;

interface WithPasskey extends SignedIn {
  authr: SoftAuthenticator;
  passkeyId: string;
  recoveryCodes: string[];
}

/** A new account with one passkey registered from its first session. */
async function withPasskey(tag = "pk"): Promise<WithPasskey> {
  const me = await signUp(server, { tag });
  const authr = new SoftAuthenticator();
  const { optionsJson } = await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD });
  const { passkey, recoveryCodes } = await me.users.finishPasskeyRegistration({ responseJson: authr.register(optionsJson), name: "Laptop" });
  return { ...me, authr, passkeyId: passkey!.id, recoveryCodes };
}

/** A step-up token proven by `authr` for `me`'s session. */
async function stepUp(me: SignedIn, authr: SoftAuthenticator): Promise<string> {
  const { optionsJson } = await me.users.beginPasskeyStepUp({});
  const { stepUpToken } = await me.users.finishPasskeyStepUp({ responseJson: authr.assert(optionsJson) });
  expect(stepUpToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return stepUpToken;
}

/** Signs in without a password; returns a client of the new session. */
async function passwordless(authr: SoftAuthenticator, opts = {}) {
  const { optionsJson } = await auth().beginPasskeySignIn({});
  const res = await auth().finishPasskeySignIn({ responseJson: authr.assert(optionsJson, opts) });
  return { res, users: server.connect(UserService, { authorization: `Bearer ${res.tokens!.accessToken}` }) };
}

const auditTypes = async (userId: string) => (await db().auditEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((e) => e.type);
const mailsTo = (email: string, subject: string) => db().outboxMail.count({ where: { to: email, subject: { contains: subject } } });

describe("registration", () => {
  it("asks for a discoverable credential, excludes the account's passkeys, and gives recovery codes with the first only", async () => {
    const me = await signUp(server, { tag: "pkreg" });
    const authr = new SoftAuthenticator();
    const first = JSON.parse((await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson);
    expect(first).toMatchObject({
      rp: { id: "localhost", name: "Tessera" },
      user: { name: me.email, id: Buffer.from(me.userId).toString("base64url") },
      attestation: "none",
      excludeCredentials: [],
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    });
    const one = await me.users.finishPasskeyRegistration({ responseJson: authr.register(first), name: "" });
    expect(one.passkey).toMatchObject({ name: "Passkey", backedUp: true, transports: ["hybrid", "internal"] });
    expect(one.recoveryCodes).toHaveLength(10);

    const second = JSON.parse((await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson);
    expect(second.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([authr.credentials[0]!.id]);
    const two = await me.users.finishPasskeyRegistration({ responseJson: authr.register(second), name: "Phone" });
    expect(two.recoveryCodes).toEqual([]);

    const status = await me.users.getSecondFactors({});
    expect(status).toMatchObject({ totpEnabled: false, passkeyCount: 2, recoveryCodesRemaining: 10 });
    expect(await db().passkey.count({ where: { userId: me.userId } })).toBe(2);
    expect((await auditTypes(me.userId)).filter((t) => t === "PASSKEY_ADDED")).toHaveLength(2);
    expect(await mailsTo(me.email, "A passkey was added")).toBe(2);
  });

  it("refuses a wrong password, a replayed answer, another session's challenge, a wrong origin or RP ID", async () => {
    const me = await signUp(server, { tag: "pkbad" });
    const authr = new SoftAuthenticator();
    expect(await failureDetail(me.users.beginPasskeyRegistration({ password: "not the password" }))).toEqual(err(Code.Unauthenticated, "auth.invalid_credentials"));

    const options = (await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson;
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: authr.register(options, { origin: "https://evil.example" }) }))).toEqual(REG_FAILED);
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: authr.register(options, { rpId: "evil.example" }) }))).toEqual(REG_FAILED);
    const good = authr.register(options);
    // Another session of the same account cannot finish this session's registration.
    const other = await server.connect(AuthService).login({ email: me.email, password: GOOD_PASSWORD });
    const otherUsers = server.connect(UserService, { authorization: `Bearer ${other.tokens!.accessToken}` });
    expect(await failureDetail(otherUsers.finishPasskeyRegistration({ responseJson: good }))).toEqual(REG_FAILED);
    await me.users.finishPasskeyRegistration({ responseJson: good });
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: good }))).toEqual(REG_FAILED);
    // A new Begin voids the older pending one.
    const older = (await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson;
    await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD });
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: authr.register(older) }))).toEqual(REG_FAILED);
    expect(await db().passkey.count({ where: { userId: me.userId } })).toBe(1);
  });

  it("stops at 20 passkeys", async () => {
    const me = await signUp(server, { tag: "pklimit" });
    await db().passkey.createMany({
      data: Array.from({ length: 19 }, (_, i) => ({
        userId: me.userId,
        credentialId: new Uint8Array(randomBytes(32)),
        publicKey: new Uint8Array(randomBytes(77)),
        deviceType: "singleDevice",
        name: `Key ${i}`,
      })),
    });
    const authr = new SoftAuthenticator();
    const options = (await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson;
    expect(JSON.parse(options).excludeCredentials).toHaveLength(19);
    await me.users.finishPasskeyRegistration({ responseJson: authr.register(options) });
    expect(await failureDetail(me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD }))).toEqual(err(Code.FailedPrecondition, "passkey.limit_reached"));
    expect((await me.users.listPasskeys({})).passkeys).toHaveLength(20);
  });
});

describe("list, rename, delete", () => {
  it("lists oldest first, renames, and deletes with a step-up token; the last factor takes the recovery codes with it", async () => {
    const me = await withPasskey("pklist");
    expect(me.recoveryCodes).toHaveLength(10);
    const listed = (await me.users.listPasskeys({})).passkeys;
    expect(listed.map((p) => [p.id, p.name])).toEqual([[me.passkeyId, "Laptop"]]);
    expect(listed[0]!.lastUsedTime).toBeUndefined();

    expect((await me.users.renamePasskey({ passkeyId: me.passkeyId, name: "Work laptop" })).passkey?.name).toBe("Work laptop");
    expect(await failureDetail(me.users.renamePasskey({ passkeyId: me.passkeyId, name: "a\u0000b" }))).toEqual(err(Code.InvalidArgument, "request.invalid_argument", "name"));
    expect(await failureDetail(me.users.renamePasskey({ passkeyId: me.passkeyId, name: "x".repeat(65) }))).toEqual(err(Code.InvalidArgument, "request.invalid_argument", "name"));
    expect(await failureDetail(me.users.renamePasskey({ passkeyId: "nope", name: "x" }))).toEqual(err(Code.NotFound, "passkey.not_found"));
    // Someone else's passkey is as unknown as a made-up id.
    const other = await withPasskey("pkother");
    expect(await failureDetail(other.users.renamePasskey({ passkeyId: me.passkeyId, name: "mine" }))).toEqual(err(Code.NotFound, "passkey.not_found"));

    expect(await failureDetail(me.users.deletePasskey({ passkeyId: me.passkeyId, password: GOOD_PASSWORD }))).toEqual(err(Code.FailedPrecondition, "auth.second_factor_required"));
    const token = await stepUp(me, me.authr);
    expect((await me.users.listPasskeys({})).passkeys[0]!.lastUsedTime).toBeDefined();
    await me.users.deletePasskey({ passkeyId: me.passkeyId, password: GOOD_PASSWORD, secondFactorCode: token });

    expect((await me.users.listPasskeys({})).passkeys).toEqual([]);
    expect(await me.users.getSecondFactors({})).toMatchObject({ passkeyCount: 0, recoveryCodesRemaining: 0 });
    expect(await db().recoveryCode.count({ where: { userId: me.userId } })).toBe(0);
    expect(await auditTypes(me.userId)).toContain("PASSKEY_REMOVED");
    expect(await mailsTo(me.email, "A passkey was removed")).toBe(1);
    // One step again.
    expect((await auth().login({ email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true })).tokens).toBeDefined();
  });

  it("keeps the recovery codes while another factor is left, and an admin's removal takes every passkey", async () => {
    const me = await withPasskey("pkkeep");
    const options = (await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson;
    await me.users.finishPasskeyRegistration({ responseJson: me.authr.register(options) });
    await me.users.deletePasskey({ passkeyId: me.passkeyId, password: GOOD_PASSWORD, secondFactorCode: me.recoveryCodes[0]! });
    expect(await me.users.getSecondFactors({})).toMatchObject({ passkeyCount: 1, recoveryCodesRemaining: 9 });

    const admin = await signUpAdmin(server);
    await admin.users.removeSecondFactors({ userId: me.userId });
    expect(await db().passkey.count({ where: { userId: me.userId } })).toBe(0);
    expect(await db().recoveryCode.count({ where: { userId: me.userId } })).toBe(0);
    expect(await me.users.getSecondFactors({})).toMatchObject({ passkeyCount: 0, recoveryCodesRemaining: 0 });
  });
});

describe("step-up tokens", () => {
  it("work once, only from the session that earned them, and only with the caller's own passkey", async () => {
    const me = await withPasskey("pkstep");
    const token = await stepUp(me, me.authr);
    // Another session of the same account cannot spend it.
    const { users: second } = await passwordless(me.authr);
    expect(await failureDetail(second.regenerateRecoveryCodes({ password: GOOD_PASSWORD, secondFactorCode: token }))).toEqual(WRONG_FACTOR);
    const { recoveryCodes } = await me.users.regenerateRecoveryCodes({ password: GOOD_PASSWORD, secondFactorCode: token });
    expect(recoveryCodes).toHaveLength(10);
    expect(await failureDetail(me.users.regenerateRecoveryCodes({ password: GOOD_PASSWORD, secondFactorCode: token }))).toEqual(WRONG_FACTOR);

    const stranger = await withPasskey("pkstranger");
    const { optionsJson } = await me.users.beginPasskeyStepUp({});
    const forged = stranger.authr.assert(optionsJson, { credential: stranger.authr.credentials[0] });
    expect(await failureDetail(me.users.finishPasskeyStepUp({ responseJson: forged }))).toEqual(INVALID_PASSKEY);
    // A challenge is single use.
    const answer = me.authr.assert(optionsJson);
    await me.users.finishPasskeyStepUp({ responseJson: answer });
    expect(await failureDetail(me.users.finishPasskeyStepUp({ responseJson: answer }))).toEqual(INVALID_PASSKEY);

    const none = await signUp(server, { tag: "pknone" });
    expect(await failureDetail(none.users.beginPasskeyStepUp({}))).toEqual(err(Code.NotFound, "passkey.not_found"));
  });
});

describe("passwordless sign-in", () => {
  it("opens a session GetMe accepts, with no second step, audited with method passkey", async () => {
    const me = await withPasskey("pkless");
    const options = JSON.parse((await auth().beginPasskeySignIn({})).optionsJson);
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.rpId).toBe("localhost");
    const { res, users } = await passwordless(me.authr);
    expect(res.user?.id).toBe(me.userId);
    expect((await users.getMe({})).user?.email).toBe(me.email);
    const row = await db().auditEvent.findFirst({ where: { userId: me.userId, type: "SIGN_IN_SUCCEEDED", sessionId: res.tokens!.sessionId } });
    expect(row?.data).toMatchObject({ method: "passkey" });
  });

  it("refuses a wrong origin, a wrong RP ID, a replay, a counter that goes backwards and a missing user verification", async () => {
    const me = await withPasskey("pkforge");
    const attempt = async (opts: Parameters<SoftAuthenticator["assert"]>[1]) => {
      const { optionsJson } = await auth().beginPasskeySignIn({});
      return failureDetail(auth().finishPasskeySignIn({ responseJson: me.authr.assert(optionsJson, opts) }));
    };
    const failedBefore = (await auditTypes(me.userId)).filter((t) => t === "SIGN_IN_FAILED").length;
    expect(await attempt({ origin: "https://evil.example" })).toEqual(INVALID_PASSKEY);
    expect(await attempt({ rpId: "evil.example" })).toEqual(INVALID_PASSKEY);
    expect(await attempt({ userVerified: false })).toEqual(INVALID_PASSKEY);
    expect((await auditTypes(me.userId)).filter((t) => t === "SIGN_IN_FAILED").length).toBe(failedBefore + 3);

    const { optionsJson } = await auth().beginPasskeySignIn({});
    const answer = me.authr.assert(optionsJson, { counter: 10 });
    await auth().finishPasskeySignIn({ responseJson: answer });
    expect(await failureDetail(auth().finishPasskeySignIn({ responseJson: answer }))).toEqual(INVALID_PASSKEY);
    expect(await attempt({ counter: 7 })).toEqual(INVALID_PASSKEY);
    expect(await attempt({ counter: 10 })).toEqual(INVALID_PASSKEY);
    expect((await db().passkey.findUniqueOrThrow({ where: { id: me.passkeyId } })).counter).toBe(10n);
    await expect(passwordless(me.authr, { counter: 11 })).resolves.toBeDefined();
  });

  it("answers garbage with INVALID_ARGUMENT or a coded refusal, never INTERNAL", async () => {
    const me = await withPasskey("pkjunk");
    const bad = err(Code.InvalidArgument, "request.invalid_argument", "response_json");
    const { optionsJson } = await auth().beginPasskeySignIn({});
    const good = JSON.parse(me.authr.assert(optionsJson));
    for (const junk of [
      "",
      "not json",
      "[]",
      "null",
      "{}",
      JSON.stringify({ ...good, id: 42 }),
      JSON.stringify({ ...good, type: "password" }),
      JSON.stringify({ ...good, response: "x" }),
      JSON.stringify({ ...good, response: { ...good.response, signature: { a: 1 } } }),
    ]) {
      expect(await failureDetail(auth().finishPasskeySignIn({ responseJson: junk })), junk.slice(0, 40)).toEqual(bad);
    }
    // Past 64 KiB the whole request is over the service's message limit: refused before any handler.
    expect((await failureDetail(auth().finishPasskeySignIn({ responseJson: "x".repeat(64 * 1024 + 1) }))).code).toBe(Code.ResourceExhausted);
    for (const wrong of [
      { ...good, response: { ...good.response, authenticatorData: "AAAA" } },
      { ...good, response: { ...good.response, clientDataJSON: "bm90IGpzb24" } },
      { ...good, response: { ...good.response, signature: "" } },
      { ...good, id: "AAAA", rawId: "AAAA" },
    ]) {
      expect(await failureDetail(auth().finishPasskeySignIn({ responseJson: JSON.stringify(wrong) }))).toEqual(INVALID_PASSKEY);
    }

    const reg = JSON.parse((await me.users.beginPasskeyRegistration({ password: GOOD_PASSWORD })).optionsJson);
    const answer = JSON.parse(me.authr.register(reg));
    const truncated = { ...answer, response: { ...answer.response, attestationObject: answer.response.attestationObject.slice(0, 40) } };
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: JSON.stringify(truncated) }))).toEqual(REG_FAILED);
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: "{" }))).toEqual(bad);
    expect(await failureDetail(me.users.finishPasskeyRegistration({ responseJson: JSON.stringify(answer), name: "bad\u0000name" }))).toEqual(
      err(Code.InvalidArgument, "request.invalid_argument", "name"),
    );
    expect(await failureDetail(me.users.finishPasskeyStepUp({ responseJson: "garbage" }))).toEqual(bad);
  });
});

describe("a passkey as the second step of a password sign-in", () => {
  it("offers the passkey in the challenge and completes with an assertion; another account's passkey is a wrong proof", async () => {
    const me = await withPasskey("pk2nd");
    const stranger = await withPasskey("pk2ndx");
    const login = await auth().login({ email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true });
    const challenge = login.secondFactorChallenge!;
    expect(login.tokens).toBeUndefined();
    expect(challenge.methods).toEqual(["passkey", "recovery_code"]);
    const options = JSON.parse(challenge.passkeyOptionsJson);
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([me.authr.credentials[0]!.id]);
    expect(options.userVerification).toBe("preferred");

    const forged = stranger.authr.assert(options, { credential: stranger.authr.credentials[0] });
    expect(await failureDetail(auth().completeSignIn({ challengeToken: challenge.token, proof: { case: "passkeyResponseJson", value: forged } }))).toEqual(WRONG_FACTOR);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: challenge.token, proof: { case: "passkeyResponseJson", value: "junk" } }))).toEqual(
      err(Code.InvalidArgument, "request.invalid_argument", "passkey_response_json"),
    );
    // A passwordless challenge does not answer the second step.
    const { optionsJson: otherChallenge } = await auth().beginPasskeySignIn({});
    const misrouted = me.authr.assert(otherChallenge);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: challenge.token, proof: { case: "passkeyResponseJson", value: misrouted } }))).toEqual(WRONG_FACTOR);

    const done = await auth().completeSignIn({ challengeToken: challenge.token, proof: { case: "passkeyResponseJson", value: me.authr.assert(options) } });
    expect(done.user?.id).toBe(me.userId);
    const users = server.connect(UserService, { authorization: `Bearer ${done.tokens!.accessToken}` });
    expect((await users.getMe({})).user?.id).toBe(me.userId);
    const row = await db().auditEvent.findFirst({ where: { userId: me.userId, type: "SIGN_IN_SUCCEEDED", sessionId: done.tokens!.sessionId } });
    expect(row?.data).toMatchObject({ method: "password", secondFactor: "passkey" });
  });
});
