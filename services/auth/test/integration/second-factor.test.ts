/**
 * TOTP and recovery codes end to end (UserService enrolment, the two-step Login and
 * CompleteSignIn, step-up, admin removal), with codes computed in the test from the secret the
 * service handed out, against a real server and database.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { totpCode } from "../../src/second-factor/totp.js";
import { GOOD_PASSWORD, serviceCredentialHeader, startTestServer, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { signUp, signUpAdmin, type SignedIn } from "./user-fixtures.js";

const STEP_MS = 30_000;
const err = (code: Code, reason: string) => ({ code, reason, field: "" });
const REQUIRED = err(Code.FailedPrecondition, "auth.second_factor_required");
const WRONG_CODE = err(Code.Unauthenticated, "auth.invalid_second_factor");
const BAD_CHALLENGE = err(Code.Unauthenticated, "auth.invalid_challenge");

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const auth = (s = server) => s.connect(AuthService);

/**
 * The code for `offset` steps from now. Waits out the last 1.5 s of a step first, so the
 * server checks it in the step the test meant.
 */
async function code(secret: string, offset = 0): Promise<string> {
  const into = Date.now() % STEP_MS;
  if (into > STEP_MS - 1500) await new Promise((r) => setTimeout(r, STEP_MS - into + 50));
  return totpCode(secret, Date.now() + offset * STEP_MS);
}

interface Enrolled extends SignedIn {
  secret: string;
  recoveryCodes: string[];
}

/** A new account with a confirmed authenticator; the confirming code was the previous step's. */
async function enrolled(s = server, tag = "2fa"): Promise<Enrolled> {
  const me = await signUp(s, { tag });
  const { secret, otpauthUri } = await me.users.beginTotpEnrollment({ password: GOOD_PASSWORD });
  expect(otpauthUri).toContain(`secret=${secret}`);
  const { recoveryCodes } = await me.users.confirmTotpEnrollment({ code: await code(secret, -1) });
  return { ...me, secret, recoveryCodes };
}

/** Login by a client that handles second factors: the challenge token. */
async function challenge(email: string, s = server): Promise<string> {
  const res = await auth(s).login({ email, password: GOOD_PASSWORD, secondFactorCapable: true });
  expect(res.user).toBeUndefined();
  expect(res.tokens).toBeUndefined();
  expect(res.secondFactorChallenge?.methods).toEqual(["totp", "recovery_code"]);
  return res.secondFactorChallenge!.token;
}

const sessionsOf = (userId: string) => server.app.db.session.count({ where: { userId } });

describe("enrolment and the two-step sign-in", () => {
  it("makes Login two-step: an old client is told to upgrade and gets no session, a capable one completes with a code", async () => {
    const me = await enrolled();
    expect((await me.users.getSecondFactors({})).totpEnabled).toBe(true);
    const status = await me.users.getSecondFactors({});
    expect(status.recoveryCodesRemaining).toBe(10);
    expect(Math.abs(Number(status.totpEnabledTime!.seconds) * 1000 - Date.now())).toBeLessThan(60_000);
    expect(me.recoveryCodes).toHaveLength(10);
    expect(new Set(me.recoveryCodes).size).toBe(10);

    const before = await sessionsOf(me.userId);
    const old = await auth().login({ email: me.email, password: GOOD_PASSWORD }).catch((e: unknown) => e);
    expect(await failureDetail(Promise.reject(old))).toEqual(REQUIRED);
    expect(String((old as Error).message)).toContain("upgrade the client");
    const token = await challenge(me.email);
    expect(await sessionsOf(me.userId)).toBe(before);

    const done = await auth().completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: await code(me.secret) } });
    expect(done.user?.id).toBe(me.userId);
    expect(await sessionsOf(me.userId)).toBe(before + 1);
    const fresh = server.connect(AuthService);
    await expect(fresh.refresh({ refreshToken: done.tokens!.refreshToken })).resolves.toBeDefined();
    const events = await server.app.db.auditEvent.findMany({ where: { userId: me.userId, type: { in: ["SECOND_FACTOR_ENABLED", "SIGN_IN_SUCCEEDED"] } }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["SIGN_IN_SUCCEEDED", "SECOND_FACTOR_ENABLED", "SIGN_IN_SUCCEEDED"]);
    expect(events[2]?.data).toEqual({ method: "password", secondFactor: "totp" });
  });

  it("keeps a wrong password saying nothing about second factors", async () => {
    const me = await enrolled();
    expect(await failureDetail(auth().login({ email: me.email, password: "not the password at all", secondFactorCapable: true }))).toEqual(
      err(Code.Unauthenticated, "auth.invalid_credentials"),
    );
  });

  it("stores the secret sealed: the row holds neither the base32 secret nor its bytes", async () => {
    const me = await enrolled();
    const row = await server.app.db.totpFactor.findUniqueOrThrow({ where: { userId: me.userId } });
    const stored = Buffer.from(row.sealedSecret);
    expect(stored.toString("latin1")).not.toContain(me.secret);
    expect(stored.includes(Buffer.from(me.secret))).toBe(false);
    const codes = await server.app.db.recoveryCode.findMany({ where: { userId: me.userId } });
    for (const c of codes) expect(Buffer.from(c.codeHash).toString("latin1")).not.toContain(me.recoveryCodes[0]!.slice(0, 5));
  });

  it("refuses a second enrolment while one is active, and a confirmation with nothing pending", async () => {
    const me = await enrolled();
    expect(await failureDetail(me.users.beginTotpEnrollment({ password: GOOD_PASSWORD }))).toEqual(err(Code.FailedPrecondition, "second_factor.already_enabled"));
    expect(await failureDetail(me.users.confirmTotpEnrollment({ code: "123456" }))).toEqual(err(Code.FailedPrecondition, "second_factor.not_enrolled"));
  });
});

describe("the OAuth sign-in (AdapterService.IssueTokens)", () => {
  it("needs the second step too: a web server that predates it is told to upgrade, a capable one gets a challenge", async () => {
    const me = await enrolled();
    const adapter = server.connect(AdapterService, serviceCredentialHeader());
    const before = await sessionsOf(me.userId);
    expect(await failureDetail(adapter.issueTokens({ userId: me.userId }))).toEqual(REQUIRED);
    const res = await adapter.issueTokens({ userId: me.userId, secondFactorCapable: true });
    expect(res.tokens).toBeUndefined();
    expect(await sessionsOf(me.userId)).toBe(before);
    const done = await auth().completeSignIn({ challengeToken: res.secondFactorChallenge!.token, proof: { case: "totpCode", value: await code(me.secret) } });
    expect(done.tokens?.accessToken).toBeTruthy();
    const signIn = await server.app.db.auditEvent.findFirst({ where: { userId: me.userId, type: "SIGN_IN_SUCCEEDED", sessionId: done.tokens!.sessionId } });
    expect(signIn?.data).toEqual({ method: "oauth", secondFactor: "totp" });
  });
});

describe("TOTP codes at sign-in", () => {
  it("accepts one step of skew, refuses two", async () => {
    const me = await enrolled();
    const token = await challenge(me.email);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: await code(me.secret, 2) } }))).toEqual(WRONG_CODE);
    // Forget the accepted steps, so only the skew can refuse the next one.
    await server.app.db.totpFactor.update({ where: { userId: me.userId }, data: { lastUsedStep: 0n } });
    expect(await failureDetail(auth().completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: await code(me.secret, -2) } }))).toEqual(WRONG_CODE);
    await expect(auth().completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: await code(me.secret, 1) } })).resolves.toBeDefined();
  });

  it("accepts a code once: the same code for a second sign-in is refused", async () => {
    const me = await enrolled();
    const now = await code(me.secret);
    await auth().completeSignIn({ challengeToken: await challenge(me.email), proof: { case: "totpCode", value: now } });
    expect(await failureDetail(auth().completeSignIn({ challengeToken: await challenge(me.email), proof: { case: "totpCode", value: now } }))).toEqual(WRONG_CODE);
  });

  it("counts wrong codes: after five the challenge is spent, even for the right code", async () => {
    const me = await enrolled();
    const token = await challenge(me.email);
    const right = await code(me.secret);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      expect(await failureDetail(auth().completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: wrong } }))).toEqual(WRONG_CODE);
    }
    expect(await failureDetail(auth().completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: right } }))).toEqual(BAD_CHALLENGE);
    expect(await sessionsOf(me.userId)).toBe(1);
    const failed = await server.app.db.auditEvent.findMany({ where: { userId: me.userId, type: "SIGN_IN_FAILED" } });
    expect(failed.map((e) => e.data)).toEqual(Array(5).fill({ step: "second_factor", proof: "totp" }));
  });

  it("refuses an expired, a used and an unknown challenge", async () => {
    const me = await enrolled();
    const expired = await challenge(me.email);
    await server.app.db.signInChallenge.updateMany({ where: { userId: me.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await failureDetail(auth().completeSignIn({ challengeToken: expired, proof: { case: "totpCode", value: await code(me.secret) } }))).toEqual(BAD_CHALLENGE);

    const token = await challenge(me.email);
    await auth().completeSignIn({ challengeToken: token, proof: { case: "recoveryCode", value: me.recoveryCodes[0]! } });
    expect(await failureDetail(auth().completeSignIn({ challengeToken: token, proof: { case: "recoveryCode", value: me.recoveryCodes[1]! } }))).toEqual(BAD_CHALLENGE);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: "A".repeat(43), proof: { case: "totpCode", value: "123456" } }))).toEqual(BAD_CHALLENGE);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: token }))).toEqual({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "proof" });
  });
});

describe("recovery codes", () => {
  it("work once; each use is audited and mailed to the user", async () => {
    const me = await enrolled();
    const [first] = me.recoveryCodes;
    const done = await auth().completeSignIn({ challengeToken: await challenge(me.email), proof: { case: "recoveryCode", value: first!.toUpperCase() } });
    expect(done.user?.id).toBe(me.userId);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: await challenge(me.email), proof: { case: "recoveryCode", value: first! } }))).toEqual(WRONG_CODE);

    const used = await server.app.db.auditEvent.findMany({ where: { userId: me.userId, type: "RECOVERY_CODE_USED" } });
    expect(used.map((e) => e.data)).toEqual([{ remaining: 9, purpose: "sign_in" }]);
    const mail = await server.app.db.outboxMail.findMany({ where: { to: me.email, subject: { contains: "recovery code was used" } } });
    expect(mail).toHaveLength(1);
    expect((await me.users.getSecondFactors({})).recoveryCodesRemaining).toBe(9);
  });

  it("regenerating needs password and a code, and voids the old set", async () => {
    const me = await enrolled();
    expect(await failureDetail(me.users.regenerateRecoveryCodes({ password: GOOD_PASSWORD }))).toEqual(REQUIRED);
    const { recoveryCodes } = await me.users.regenerateRecoveryCodes({ password: GOOD_PASSWORD, secondFactorCode: await code(me.secret) });
    expect(recoveryCodes).toHaveLength(10);
    expect(await failureDetail(auth().completeSignIn({ challengeToken: await challenge(me.email), proof: { case: "recoveryCode", value: me.recoveryCodes[3]! } }))).toEqual(WRONG_CODE);
    await expect(auth().completeSignIn({ challengeToken: await challenge(me.email), proof: { case: "recoveryCode", value: recoveryCodes[3]! } })).resolves.toBeDefined();
    expect(await server.app.db.auditEvent.count({ where: { userId: me.userId, type: "RECOVERY_CODES_REGENERATED" } })).toBe(1);
  });
});

describe("turning it off and step-up", () => {
  it("DisableTotp needs the password and a current second factor; then sign-in is one step again", async () => {
    const me = await enrolled();
    expect(await failureDetail(me.users.disableTotp({ password: GOOD_PASSWORD }))).toEqual(REQUIRED);
    expect(await failureDetail(me.users.disableTotp({ password: "not the password at all", secondFactorCode: me.recoveryCodes[0]! }))).toEqual(
      err(Code.Unauthenticated, "auth.invalid_credentials"),
    );
    expect(await failureDetail(me.users.disableTotp({ password: GOOD_PASSWORD, secondFactorCode: "zzzzz-zzzzz" }))).toEqual(WRONG_CODE);
    await me.users.disableTotp({ password: GOOD_PASSWORD, secondFactorCode: me.recoveryCodes[0]! });
    expect(await me.users.getSecondFactors({})).toMatchObject({ totpEnabled: false, recoveryCodesRemaining: 0 });
    const res = await auth().login({ email: me.email, password: GOOD_PASSWORD });
    expect(res.tokens?.accessToken).toBeTruthy();
    expect(await server.app.db.auditEvent.count({ where: { userId: me.userId, type: "SECOND_FACTOR_DISABLED" } })).toBe(1);
    // Turning it on and off were each mailed, queued with the change.
    const mailed = (subject: string) => server.app.db.outboxMail.count({ where: { to: me.email, subject: { contains: subject } } });
    expect(await mailed("An authenticator app was turned on")).toBe(1);
    expect(await mailed("The authenticator app was turned off")).toBe(1);
  });

  it("ChangePassword, RequestEmailChange and DeleteAccount need a second factor when one is enrolled", async () => {
    const me = await enrolled();
    const next = "another perfectly fine passphrase";
    expect(await failureDetail(me.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: next }))).toEqual(REQUIRED);
    expect(await failureDetail(me.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: next, secondFactorCode: "000000" }))).toEqual(WRONG_CODE);
    await me.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: next, secondFactorCode: me.recoveryCodes[0]! });
    expect(await failureDetail(auth().login({ email: me.email, password: GOOD_PASSWORD, secondFactorCapable: true }))).toEqual(
      err(Code.Unauthenticated, "auth.invalid_credentials"),
    );

    const move = { newEmail: `moved-${me.email}`, password: next };
    expect(await failureDetail(me.users.requestEmailChange(move))).toEqual(REQUIRED);
    await me.users.requestEmailChange({ ...move, secondFactorCode: me.recoveryCodes[1]! });
    expect(await server.app.db.outboxMail.count({ where: { to: move.newEmail } })).toBe(1);

    expect(await failureDetail(me.users.deleteAccount({ password: next }))).toEqual(REQUIRED);
    expect(await failureDetail(me.users.deleteAccount({ password: next, secondFactorCode: me.recoveryCodes[0]! }))).toEqual(WRONG_CODE);
    await me.users.deleteAccount({ password: next, secondFactorCode: await code(me.secret) });
    expect(await server.app.db.user.count({ where: { id: me.userId } })).toBe(0);
  });

  it("an admin can remove a user's second factors: audited with the admin as actor, mailed to the user", async () => {
    const me = await enrolled();
    const other = await signUp(server, { tag: "2fa-other" });
    expect(await failureDetail(other.users.removeSecondFactors({ userId: me.userId }))).toEqual(err(Code.PermissionDenied, "auth.permission_denied"));
    const admin = await signUpAdmin(server);
    await admin.users.removeSecondFactors({ userId: me.userId });
    const events = await server.app.db.auditEvent.findMany({ where: { userId: me.userId, type: "SECOND_FACTOR_DISABLED" } });
    expect(events.map((e) => e.actorUserId)).toEqual([admin.userId]);
    expect(await server.app.db.outboxMail.count({ where: { to: me.email, subject: { contains: "Two-step sign-in was turned off" } } })).toBe(1);
    expect((await auth().login({ email: me.email, password: GOOD_PASSWORD })).tokens?.accessToken).toBeTruthy();
  });
});

describe("throttling", () => {
  it("counts wrong second-factor codes per account and client like wrong passwords", async () => {
    const low = await startTestServer({ TESSERA_LIMIT_LOGIN_ACCOUNT: "3" });
    try {
      const me = await enrolled(low, "2fa-throttle");
      const wrong = async (token: string) => failureDetail(auth(low).completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: "000000" } }));
      const token = await challenge(me.email, low);
      for (let i = 0; i < 3; i++) expect((await wrong(token)).reason).toMatch(/invalid_second_factor/);
      expect(await wrong(token)).toEqual(err(Code.ResourceExhausted, "auth.too_many_attempts"));
      // Refused before any check: the right code is refused too.
      expect((await failureDetail(auth(low).completeSignIn({ challengeToken: token, proof: { case: "totpCode", value: await code(me.secret) } }))).reason).toBe("auth.too_many_attempts");
    } finally {
      await low.stop();
    }
  });
});
