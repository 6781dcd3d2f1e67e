/**
 * Email change: UserService.RequestEmailChange mails a link to the new address (or, when it
 * belongs to another account, a notice instead, with the same answer), and
 * AuthService.ConfirmEmailChange spends the link's token, moves the account and tells the old
 * address. Mail is read from the development mailbox, as a person would; every refusal is
 * checked by reading the rows back.
 */
import { Code, createClient, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Components } from "../../src/server/app.js";
import { GOOD_PASSWORD, inProcess, uniqueEmail } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { INVALID_TOKEN, deliveredMail, mailedLinkToken } from "./mailed-links.js";

const WEB_URL = "https://web.tessera.test/app";
const WRONG = "not the password at all";

let components: Components;
let auth: Client<typeof AuthService>;
let users: Client<typeof UserService>;
beforeAll(async () => {
  const app = await inProcess({ TESSERA_WEB_URL: WEB_URL });
  components = app.components;
  auth = createClient(AuthService, app.transport);
  users = createClient(UserService, app.transport);
});
afterAll(() => components?.close());

const db = () => components.db;
const mailbox = (to: string) => deliveredMail(components, to);
const changeToken = (to: string) => mailedLinkToken(components, to, "confirm-email-change");

async function signUp(tag = "change") {
  const email = uniqueEmail(tag);
  const res = await auth.register({ email, password: GOOD_PASSWORD });
  const headers = { authorization: `Bearer ${res.tokens!.accessToken}` };
  return {
    email,
    userId: res.user!.id,
    /** UserService calls as this user. */
    requestEmailChange: (newEmail: string, password = GOOD_PASSWORD) => users.requestEmailChange({ newEmail, password }, { headers }),
    getMe: () => users.getMe({}, { headers }),
  };
}

/** What an email change must leave alone when it fails: the user row, its tokens, its audit trail. */
async function accountState(userId: string) {
  return {
    user: await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true } }),
    tokens: await db().oneTimeToken.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    events: (await db().auditEvent.findMany({ where: { userId }, select: { type: true } })).map((e) => e.type).sort(),
  };
}

describe("RequestEmailChange then ConfirmEmailChange", () => {
  it("mails a link to the new address; following it moves the account, verifies it, tells the old address and keeps the session", async () => {
    const me = await signUp();
    const newEmail = uniqueEmail("moved");
    expect(await me.requestEmailChange(`  ${newEmail.toUpperCase()} `)).toBeDefined();

    // Nothing moved yet; the token is bound to the new address and purpose, for 24 hours.
    expect((await me.getMe()).user?.email).toBe(me.email);
    const [row] = await db().oneTimeToken.findMany({ where: { userId: me.userId, purpose: "EMAIL_CHANGE" } });
    expect(row).toMatchObject({ email: newEmail, usedAt: null, invalidatedAt: null });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(await db().auditEvent.count({ where: { userId: me.userId, type: "EMAIL_CHANGE_REQUESTED" } })).toBe(1);
    const token = await changeToken(newEmail);
    const [linkMail] = await mailbox(newEmail);
    expect(linkMail!.text).toContain(`${WEB_URL}/confirm-email-change?token=${token}`);
    // The old address got only its registration mail so far.
    expect(await mailbox(me.email)).toHaveLength(1);

    const res = await auth.confirmEmailChange({ token });
    expect(res.user).toMatchObject({ id: me.userId, email: newEmail });
    expect(res.user!.emailVerifiedTime).toBeDefined();

    const after = await db().user.findUniqueOrThrow({ where: { id: me.userId } });
    expect(after.email).toBe(newEmail);
    expect(after.emailVerified).toBeInstanceOf(Date);
    // The session stays signed in and sees the new address.
    expect((await me.getMe()).user?.email).toBe(newEmail);
    const oldMail = (await mailbox(me.email)).at(-1)!;
    expect(oldMail.subject).toMatch(/email address of your Tessera account was changed/);
    expect(oldMail.text).toContain(newEmail);
    expect(await db().auditEvent.count({ where: { userId: me.userId, type: "EMAIL_CHANGED" } })).toBe(1);
    // Sign-in follows the address.
    expect((await auth.login({ email: newEmail, password: GOOD_PASSWORD })).user?.id).toBe(me.userId);
    expect(await failureDetail(auth.login({ email: me.email, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.Unauthenticated });
  });

  it("answers the same for an address another account has, tells that address instead, and changes nothing", async () => {
    const me = await signUp();
    const other = await signUp("taken");
    const before = await accountState(me.userId);
    expect(await me.requestEmailChange(other.email)).toEqual(await me.requestEmailChange(uniqueEmail("free")));
    const notice = (await mailbox(other.email)).at(-1)!;
    expect(notice.subject).toMatch(/tried to use this address for another Tessera account/);
    expect(notice.text).not.toMatch(/confirm-email-change/);
    expect(await db().oneTimeToken.count({ where: { email: other.email, purpose: "EMAIL_CHANGE" } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: me.userId } })).email).toBe(before.user.email);
    expect((await db().user.findUniqueOrThrow({ where: { id: other.userId } })).email).toBe(other.email);
  });

  it("refuses the address taken between the request and the confirmation, changing nothing and keeping the token", async () => {
    const me = await signUp();
    const newEmail = uniqueEmail("raced");
    await me.requestEmailChange(newEmail);
    const token = await changeToken(newEmail);
    await auth.register({ email: newEmail, password: GOOD_PASSWORD });
    const before = await accountState(me.userId);
    const oldMail = (await mailbox(me.email)).length;

    expect(await failureDetail(auth.confirmEmailChange({ token }))).toEqual({ code: Code.AlreadyExists, reason: "user.already_exists", field: "" });
    expect(await accountState(me.userId)).toEqual(before);
    expect(await mailbox(me.email)).toHaveLength(oldMail);
  });
});

describe("ConfirmEmailChange refuses every token it must not spend, and changes nothing", () => {
  it("a spent token", async () => {
    const me = await signUp();
    const newEmail = uniqueEmail("twice");
    await me.requestEmailChange(newEmail);
    const token = await changeToken(newEmail);
    await auth.confirmEmailChange({ token });
    const before = await accountState(me.userId);
    expect(await failureDetail(auth.confirmEmailChange({ token }))).toEqual(INVALID_TOKEN);
    expect(await accountState(me.userId)).toEqual(before);
  });

  it("an expired token", async () => {
    const me = await signUp();
    const newEmail = uniqueEmail("expired");
    await me.requestEmailChange(newEmail);
    const token = await changeToken(newEmail);
    await db().oneTimeToken.updateMany({ where: { userId: me.userId, purpose: "EMAIL_CHANGE" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await accountState(me.userId);
    expect(await failureDetail(auth.confirmEmailChange({ token }))).toEqual(INVALID_TOKEN);
    expect(await accountState(me.userId)).toEqual(before);
  });

  it("a token voided by a newer request, while the newer one works", async () => {
    const me = await signUp();
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await me.requestEmailChange(first);
    const old = await changeToken(first);
    await me.requestEmailChange(second);
    const before = await accountState(me.userId);
    expect(await failureDetail(auth.confirmEmailChange({ token: old }))).toEqual(INVALID_TOKEN);
    expect(await accountState(me.userId)).toEqual(before);
    expect((await auth.confirmEmailChange({ token: await changeToken(second) })).user?.email).toBe(second);
  });

  it("tokens of the other purposes, both ways", async () => {
    const me = await signUp();
    const verification = await mailedLinkToken(components, me.email, "verify-email");
    const before = await accountState(me.userId);
    expect(await failureDetail(auth.confirmEmailChange({ token: verification }))).toEqual(INVALID_TOKEN);
    expect(await accountState(me.userId)).toEqual(before);

    const newEmail = uniqueEmail("purpose");
    await me.requestEmailChange(newEmail);
    const change = await changeToken(newEmail);
    const pending = await accountState(me.userId);
    expect(await failureDetail(auth.verifyEmail({ token: change }))).toEqual(INVALID_TOKEN);
    expect(await failureDetail(auth.resetPassword({ token: change, newPassword: "a brand new passphrase" }))).toEqual(INVALID_TOKEN);
    expect(await accountState(me.userId)).toEqual(pending);
  });

  it("a malformed token, with its field", async () => {
    expect(await failureDetail(auth.confirmEmailChange({ token: "short" }))).toEqual({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "token" });
  });
});

describe("the change voids links mailed to the old address", () => {
  it("a reset link and a verification link sent before the change stop working", async () => {
    const me = await signUp();
    await auth.requestPasswordReset({ email: me.email });
    const reset = await mailedLinkToken(components, me.email, "reset-password");
    const verification = await mailedLinkToken(components, me.email, "verify-email");
    const newEmail = uniqueEmail("voids");
    await me.requestEmailChange(newEmail);
    await auth.confirmEmailChange({ token: await changeToken(newEmail) });

    const oldTokens = await db().oneTimeToken.findMany({ where: { userId: me.userId, email: me.email } });
    expect(oldTokens.every((t) => t.invalidatedAt !== null || t.usedAt !== null)).toBe(true);
    expect(await failureDetail(auth.resetPassword({ token: reset, newPassword: "a brand new passphrase" }))).toEqual(INVALID_TOKEN);
    expect(await failureDetail(auth.verifyEmail({ token: verification }))).toEqual(INVALID_TOKEN);
    expect((await auth.login({ email: newEmail, password: GOOD_PASSWORD })).user?.id).toBe(me.userId);
  });
});

describe("RequestEmailChange refuses, and changes nothing", () => {
  it("a wrong password: no token, no mail, no event", async () => {
    const me = await signUp();
    const newEmail = uniqueEmail("wrong");
    const before = await accountState(me.userId);
    expect(await failureDetail(me.requestEmailChange(newEmail, WRONG))).toEqual({ code: Code.Unauthenticated, reason: "auth.invalid_credentials", field: "" });
    expect(await failureDetail(me.requestEmailChange(newEmail, ""))).toMatchObject({ code: Code.Unauthenticated, reason: "auth.invalid_credentials" });
    expect(await accountState(me.userId)).toEqual(before);
    expect(await db().outboxMail.count({ where: { to: newEmail } })).toBe(0);
  });

  it("for an account without a password, a sign-in 5 minutes old or more; a fresh one may", async () => {
    const me = await signUp("change-oauth");
    // As an OAuth-only account: no password hash, signed in 10 minutes ago.
    await db().user.update({ where: { id: me.userId }, data: { passwordHash: null } });
    const [session] = await db().session.findMany({ where: { userId: me.userId } });
    await db().session.update({ where: { id: session!.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    const newEmail = uniqueEmail("change-oauth-new");
    const before = await accountState(me.userId);
    expect(await failureDetail(me.requestEmailChange(newEmail, ""))).toEqual({ code: Code.Unauthenticated, reason: "auth.recent_sign_in_required", field: "" });
    expect(await accountState(me.userId)).toEqual(before);
    expect(await db().outboxMail.count({ where: { to: newEmail } })).toBe(0);

    await db().session.update({ where: { id: session!.id }, data: { createdAt: new Date() } });
    await me.requestEmailChange(newEmail, "");
    expect((await auth.confirmEmailChange({ token: await changeToken(newEmail) })).user?.email).toBe(newEmail);
  });

  it.each([
    ["not an email", "not an email"],
    ["empty", ""],
  ])("a new_email that is %s", async (_label, newEmail) => {
    const me = await signUp();
    const before = await accountState(me.userId);
    expect(await failureDetail(me.requestEmailChange(newEmail))).toEqual({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "new_email" });
    expect(await accountState(me.userId)).toEqual(before);
  });

  it("the caller's own address, however it is written", async () => {
    const me = await signUp();
    const before = await accountState(me.userId);
    expect(await failureDetail(me.requestEmailChange(` ${me.email.toUpperCase()}`))).toEqual({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "new_email" });
    expect(await accountState(me.userId)).toEqual(before);
  });

  it("without an access token", async () => {
    expect(await failureDetail(users.requestEmailChange({ newEmail: uniqueEmail("anon"), password: GOOD_PASSWORD }))).toMatchObject({ code: Code.Unauthenticated, reason: "auth.missing_token" });
  });
});
