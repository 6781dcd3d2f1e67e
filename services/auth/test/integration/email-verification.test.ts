/**
 * Email verification: Register mails a link, VerifyEmail spends its one-time token,
 * RequestEmailVerification mails a new one. Mail is read the way a person would: from the
 * development mailbox (after the outbox worker drained) or, without a worker, the outbox.
 */
import { createHash } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, uniqueEmail } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { INVALID_TOKEN, mailingService } from "./mailed-links.js";

const WEB_URL = "https://web.tessera.test/app";

const app = mailingService(WEB_URL);
const { mailbox } = app;
/** The token in the newest verification link mailed to `to`. */
const verificationToken = (to: string) => app.linkToken(to, "verify-email");

async function signUp(tag = "verify") {
  const email = uniqueEmail(tag);
  const res = await app.auth.register({ email, password: GOOD_PASSWORD });
  return { email, userId: res.user!.id, accessToken: res.tokens!.accessToken };
}

/** One character of a token changed (staying in the base64url alphabet). */
function tamper(token: string): string {
  const i = 10;
  return token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
}

describe("registration mail", () => {
  it("Register queues one verification mail whose link points at the web app, with the token in the link only", async () => {
    const { email, userId } = await signUp();
    const mails = await mailbox(email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    const token = await verificationToken(email);
    const link = `${WEB_URL}/verify-email?token=${token}`;
    expect(mail!.text).toContain(link);
    expect(mail!.html).toContain(`href="${link}"`);
    expect(mail!.text.split(token)).toHaveLength(2); // once, in the link
    // In HTML only in the link: the button's target, and the same link spelled out under it.
    expect(mail!.html.split(token)).toHaveLength(4);
    expect(mail!.html.split(`href="${link}"`)).toHaveLength(3);
    expect(mail!.html).toContain(`>${link}</a>`);
    expect(mail!.subject).not.toContain(token);

    // Stored only as SHA-256, bound to the purpose, user and address, for 24 hours.
    const rows = await app.db.oneTimeToken.findMany({ where: { userId } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Buffer.from(row.tokenHash).equals(createHash("sha256").update(token).digest())).toBe(true);
    expect(row).toMatchObject({ purpose: "EMAIL_VERIFICATION", email, usedAt: null, invalidatedAt: null });
    const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(ttl).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
  });

  it("a registration that fails leaves no mail behind", async () => {
    const { email } = await signUp("dup");
    await expect(app.auth.register({ email, password: GOOD_PASSWORD })).rejects.toThrow();
    expect(await mailbox(email)).toHaveLength(1);
  });
});

describe("VerifyEmail", () => {
  it("marks the address verified, returns the user and records EMAIL_VERIFIED", async () => {
    const { email, userId } = await signUp();
    const before = await app.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(before.emailVerified).toBeNull();

    const res = await app.auth.verifyEmail({ token: await verificationToken(email) });
    expect(res.user).toMatchObject({ id: userId, email });
    expect(res.user!.emailVerifiedTime).toBeDefined();

    const after = await app.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(after.emailVerified).toBeInstanceOf(Date);
    expect(await app.db.auditEvent.count({ where: { userId, type: "EMAIL_VERIFIED" } })).toBe(1);
  });

  it("refuses the same token a second time", async () => {
    const { email } = await signUp();
    const token = await verificationToken(email);
    await app.auth.verifyEmail({ token });
    expect(await failure(app.auth.verifyEmail({ token }))).toMatchObject(INVALID_TOKEN);
  });

  it("refuses a tampered token, and the real one still works", async () => {
    const { email } = await signUp();
    const token = await verificationToken(email);
    expect(await failure(app.auth.verifyEmail({ token: tamper(token) }))).toMatchObject(INVALID_TOKEN);
    await expect(app.auth.verifyEmail({ token })).resolves.toBeDefined();
  });

  it("refuses an expired token", async () => {
    const { email, userId } = await signUp();
    const token = await verificationToken(email);
    await app.db.oneTimeToken.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await failure(app.auth.verifyEmail({ token }))).toMatchObject(INVALID_TOKEN);
    expect((await app.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeNull();
  });

  it("refuses a password-reset token, without spending it", async () => {
    const { email, userId } = await signUp();
    await app.auth.requestPasswordReset({ email });
    const mail = (await mailbox(email)).at(-1)!;
    const resetToken = /\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    expect(await failure(app.auth.verifyEmail({ token: resetToken }))).toMatchObject(INVALID_TOKEN);
    expect((await app.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeNull();
    await expect(app.auth.resetPassword({ token: resetToken, newPassword: `${GOOD_PASSWORD} 2` })).resolves.toBeDefined();
  });

  it("refuses the token once the account's address has changed", async () => {
    const { email, userId } = await signUp();
    const token = await verificationToken(email);
    await app.db.user.update({ where: { id: userId }, data: { email: uniqueEmail("changed") } });
    expect(await failure(app.auth.verifyEmail({ token }))).toMatchObject(INVALID_TOKEN);
    expect((await app.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["too short", "a".repeat(42)],
    ["not base64url", `${"a".repeat(42)}+`],
  ])("refuses a malformed (%s) token with INVALID_ARGUMENT on field token", async (_, token) => {
    expect(await failure(app.auth.verifyEmail({ token }))).toMatchObject({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "token" });
  });

  it("refuses an unknown well-formed token", async () => {
    expect(await failure(app.auth.verifyEmail({ token: "A".repeat(43) }))).toMatchObject(INVALID_TOKEN);
  });
});

describe("RequestEmailVerification", () => {
  it("mails a new link; the newer token works and the older one no longer does", async () => {
    const { email, accessToken } = await signUp();
    const first = await verificationToken(email);
    await app.auth.requestEmailVerification({}, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await mailbox(email)).toHaveLength(2);
    const second = await verificationToken(email);
    expect(second).not.toBe(first);

    expect(await failure(app.auth.verifyEmail({ token: first }))).toMatchObject(INVALID_TOKEN);
    await expect(app.auth.verifyEmail({ token: second })).resolves.toBeDefined();
  });

  it("without an access token is UNAUTHENTICATED and mails nothing", async () => {
    const { email } = await signUp();
    expect(await failure(app.auth.requestEmailVerification({}))).toMatchObject({ code: Code.Unauthenticated });
    expect(await mailbox(email)).toHaveLength(1);
  });

  it("for a revoked session is UNAUTHENTICATED", async () => {
    const email = uniqueEmail("verify");
    const { tokens } = await app.auth.register({ email, password: GOOD_PASSWORD });
    await app.auth.logout({ refreshToken: tokens!.refreshToken });
    expect(await failure(app.auth.requestEmailVerification({}, { headers: { authorization: `Bearer ${tokens!.accessToken}` } }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "session.revoked",
    });
  });

  it("once verified is FAILED_PRECONDITION and mails nothing", async () => {
    const { email, accessToken } = await signUp();
    await app.auth.verifyEmail({ token: await verificationToken(email) });
    expect(await failure(app.auth.requestEmailVerification({}, { headers: { authorization: `Bearer ${accessToken}` } }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "email.already_verified",
      field: "",
    });
    expect(await mailbox(email)).toHaveLength(1);
  });
});
