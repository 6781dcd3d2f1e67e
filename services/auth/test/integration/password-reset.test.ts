/**
 * Password reset: RequestPasswordReset mails a one-time link (same answer for
 * unknown addresses), ResetPassword spends it, sets the password and ends every session.
 * Mail is read from the development mailbox (after the outbox worker drained) or the outbox.
 */
import { createHash } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { GOOD_PASSWORD, uniqueEmail } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { INVALID_TOKEN, mailingService } from "./mailed-links.js";

const WEB_URL = "https://web.tessera.test";
const NEW_PASSWORD = "a brand new passphrase for tessera";

const app = mailingService(WEB_URL);
const { mailbox } = app;
/** The token in the newest reset link mailed to `to`. */
const resetToken = (to: string) => app.linkToken(to, "reset-password");

async function signUp() {
  const email = uniqueEmail("reset");
  const res = await app.auth.register({ email, password: GOOD_PASSWORD });
  return { email, userId: res.user!.id, tokens: res.tokens! };
}

async function canLogin(email: string, password: string): Promise<boolean> {
  return app.auth.login({ email, password }).then(
    () => true,
    (e: unknown) => {
      expect(ConnectError.from(e).code).toBe(Code.Unauthenticated);
      return false;
    },
  );
}

describe("RequestPasswordReset", () => {
  it("mails a link to the web app, built from configuration and not from request headers", async () => {
    const { email, userId } = await signUp();
    const res = await app.auth.requestPasswordReset(
      { email: `  ${email.toUpperCase()} ` },
      { headers: { "x-forwarded-host": "evil.example", origin: "https://evil.example", forwarded: "host=evil.example" } },
    );
    expect(res).toEqual(expect.objectContaining({}));
    const mails = (await mailbox(email)).filter((m) => m.text.includes("/reset-password?"));
    expect(mails).toHaveLength(1);
    const token = await resetToken(email);
    const link = `${WEB_URL}/reset-password?token=${token}`;
    expect(mails[0]!.text).toContain(link);
    expect(mails[0]!.html).toContain(`href="${link}"`);
    expect(mails[0]!.text.split(token)).toHaveLength(2);
    expect(JSON.stringify(mails[0])).not.toContain("evil.example");

    const row = await app.db.oneTimeToken.findFirstOrThrow({ where: { userId, purpose: "PASSWORD_RESET" } });
    expect(Buffer.from(row.tokenHash).equals(createHash("sha256").update(token).digest())).toBe(true);
    const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(ttl).toBeGreaterThan(3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(3600_000 + 60_000);
    expect(await app.db.auditEvent.count({ where: { userId, type: "PASSWORD_RESET_REQUESTED" } })).toBe(1);
  });

  it("answers an unknown address exactly like a known one, and sends nothing", async () => {
    const { email } = await signUp();
    const unknown = uniqueEmail("nobody");
    const known = await app.auth.requestPasswordReset({ email });
    const none = await app.auth.requestPasswordReset({ email: unknown });
    expect(none).toEqual(known);
    expect(await mailbox(unknown)).toHaveLength(0);
    expect(await app.db.outboxMail.count({ where: { to: unknown } })).toBe(0);
  });

  it.each([["not-an-address"], [""], ["a@b"]])("refuses the malformed address %j with INVALID_ARGUMENT on field email", async (email) => {
    expect(await failure(app.auth.requestPasswordReset({ email }))).toMatchObject({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "email" });
  });

  it("a newer request voids the older link", async () => {
    const { email } = await signUp();
    await app.auth.requestPasswordReset({ email });
    const first = await resetToken(email);
    await app.auth.requestPasswordReset({ email });
    const second = await resetToken(email);
    expect(second).not.toBe(first);
    expect(await failure(app.auth.resetPassword({ token: first, newPassword: NEW_PASSWORD }))).toMatchObject(INVALID_TOKEN);
    await expect(app.auth.resetPassword({ token: second, newPassword: NEW_PASSWORD })).resolves.toBeDefined();
  });
});

describe("ResetPassword", () => {
  it("sets the password, ends every session, records the events, and the link then stops working", async () => {
    const { email, userId, tokens: first } = await signUp();
    const second = (await app.auth.login({ email, password: GOOD_PASSWORD })).tokens!;
    await app.auth.requestPasswordReset({ email });
    const token = await resetToken(email);

    expect(await app.auth.resetPassword({ token, newPassword: NEW_PASSWORD })).toBeDefined();

    expect(await canLogin(email, GOOD_PASSWORD)).toBe(false);
    expect(await canLogin(email, NEW_PASSWORD)).toBe(true);
    for (const session of [first, second]) {
      expect(await failure(app.auth.refresh({ refreshToken: session.refreshToken }))).toMatchObject({
        code: Code.Unauthenticated,
        reason: "session.revoked",
      });
      const row = await app.db.session.findUniqueOrThrow({ where: { id: session.sessionId } });
      expect(row.revokeReason).toBe("password_reset");
    }
    expect(await app.db.auditEvent.count({ where: { userId, type: "PASSWORD_RESET" } })).toBe(1);

    expect(await failure(app.auth.resetPassword({ token, newPassword: `${NEW_PASSWORD}!` }))).toMatchObject(INVALID_TOKEN);
    expect(await canLogin(email, NEW_PASSWORD)).toBe(true);
  });

  it("lets exactly one of two concurrent resets with one token succeed", async () => {
    const { email } = await signUp();
    await app.auth.requestPasswordReset({ email });
    const token = await resetToken(email);
    const results = await Promise.allSettled([
      app.auth.resetPassword({ token, newPassword: `${NEW_PASSWORD} one` }),
      app.auth.resetPassword({ token, newPassword: `${NEW_PASSWORD} two` }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(await failure(Promise.reject(rejected?.reason))).toMatchObject(INVALID_TOKEN);
    const winner = results[0]!.status === "fulfilled" ? `${NEW_PASSWORD} one` : `${NEW_PASSWORD} two`;
    expect(await canLogin(email, winner)).toBe(true);
  });

  it.each([
    ["too common", "password1234"],
    ["too short", "short"],
  ])("refuses a %s new password with INVALID_ARGUMENT on new_password, changing nothing", async (_, newPassword) => {
    const { email, tokens } = await signUp();
    await app.auth.requestPasswordReset({ email });
    const token = await resetToken(email);
    expect(await failure(app.auth.resetPassword({ token, newPassword }))).toMatchObject({
      code: Code.InvalidArgument,
      reason: "request.invalid_argument",
      field: "new_password",
    });
    expect(await canLogin(email, GOOD_PASSWORD)).toBe(true);
    await expect(app.auth.refresh({ refreshToken: tokens.refreshToken })).resolves.toBeDefined();
    // The token was not spent.
    await expect(app.auth.resetPassword({ token, newPassword: NEW_PASSWORD })).resolves.toBeDefined();
  });

  it("refuses a verification token, a tampered token and an expired token alike", async () => {
    const { email, userId } = await signUp();
    const verification = /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec((await mailbox(email))[0]!.text)![1]!;
    expect(await failure(app.auth.resetPassword({ token: verification, newPassword: NEW_PASSWORD }))).toMatchObject(INVALID_TOKEN);

    await app.auth.requestPasswordReset({ email });
    const token = await resetToken(email);
    const tampered = token.slice(0, 42) + (token[42] === "A" ? "B" : "A");
    expect(await failure(app.auth.resetPassword({ token: tampered, newPassword: NEW_PASSWORD }))).toMatchObject(INVALID_TOKEN);

    await app.db.oneTimeToken.updateMany({ where: { userId, purpose: "PASSWORD_RESET" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await failure(app.auth.resetPassword({ token, newPassword: NEW_PASSWORD }))).toMatchObject(INVALID_TOKEN);
    expect(await canLogin(email, GOOD_PASSWORD)).toBe(true);
    // The verification token was not spent by the wrong-purpose attempt.
    await expect(app.auth.verifyEmail({ token: verification })).resolves.toBeDefined();
  });

  it("refuses the link once the account's address has changed", async () => {
    const { email, userId } = await signUp();
    await app.auth.requestPasswordReset({ email });
    const token = await resetToken(email);
    await app.db.user.update({ where: { id: userId }, data: { email: uniqueEmail("moved") } });
    expect(await failure(app.auth.resetPassword({ token, newPassword: NEW_PASSWORD }))).toMatchObject(INVALID_TOKEN);
  });

  it.each([
    ["empty", ""],
    ["padded", `${"a".repeat(42)}=`],
    ["too long", "a".repeat(44)],
  ])("refuses a malformed (%s) token with INVALID_ARGUMENT on field token", async (_, token) => {
    expect(await failure(app.auth.resetPassword({ token, newPassword: NEW_PASSWORD }))).toMatchObject({
      code: Code.InvalidArgument,
      reason: "request.invalid_argument",
      field: "token",
    });
  });
});
