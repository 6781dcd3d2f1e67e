/**
 * Security notification mails: a sign-in from a new device (password or OAuth), a password
 * changed or reset, every session ended. Each is queued in the transaction of its action, so
 * right after the call the outbox holds exactly what was announced; delivery is the worker's,
 * and an SMTP outage leaves the action working and the mail queued.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { DEVICE_MEMORY_DAYS } from "../../src/notify/new-device.js";
import { GOOD_PASSWORD, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { scratchDatabase } from "../scratch-db.js";
import type { ScratchDatabase } from "../global-setup.js";
import { deliveredMail, mailedLinkToken } from "./mailed-links.js";
import { signIn, signUp } from "./user-fixtures.js";

const WEB_URL = "https://web.tessera.test";
const NEW_PASSWORD = "another perfectly fine passphrase";
const VERIFY = "Confirm your email address";
const NEW_SIGN_IN = "New sign-in to your Tessera account";
const PASSWORD_CHANGED = "Your Tessera password was changed";
const SIGNED_OUT = "You were signed out everywhere on Tessera";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TESSERA_WEB_URL: WEB_URL });
});
afterAll(() => server?.stop());

/** Subjects of the mail queued for `to`, oldest first: committed with their action, so no waiting. */
async function queued(s: TestServer, to: string): Promise<string[]> {
  const rows = await s.app.db.outboxMail.findMany({ where: { to }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { subject: true } });
  return rows.map((r) => r.subject);
}

/** The one delivered mail to `to` with `subject`. */
async function delivered(to: string, subject: string) {
  const mails = (await deliveredMail(server.app, to)).filter((m) => m.subject === subject);
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

/** The reset page link every notice offers, in text and in HTML. */
function expectResetLink(mail: { text: string; html: string }) {
  expect(mail.text).toContain(`${WEB_URL}/forgot-password`);
  expect(mail.html).toContain(`href="${WEB_URL}/forgot-password"`);
  expect(mail.text).not.toContain("token=");
}

describe("a sign-in from a new device", () => {
  it("mails the owner once, with device, address and time; the same device again does not; Register does not", async () => {
    const me = await signUp(server, { tag: "newdevice", userAgent: "Laptop/1.0" });
    expect(await queued(server, me.email)).toEqual([VERIFY]);

    await signIn(server, me.email, { userAgent: "Laptop/1.0" });
    expect(await queued(server, me.email)).toEqual([VERIFY]);

    const phoneAgent = "Phone/2.0 <b>bold</b>";
    const phone = await signIn(server, me.email, { userAgent: phoneAgent });
    await signIn(server, me.email, { userAgent: phoneAgent });
    expect(await queued(server, me.email)).toEqual([VERIFY, NEW_SIGN_IN]);

    const mail = await delivered(me.email, NEW_SIGN_IN);
    expect(mail.text).toContain(`Device: ${phoneAgent}`);
    expect(mail.text).toContain("IP address: 127.0.0.1");
    expect(mail.text).toMatch(/Time: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT/);
    expect(mail.html).toContain("Phone/2.0 &#60;b&#62;bold&#60;/b&#62;");
    expect(mail.html).not.toContain("<b>");
    expectResetLink(mail);
    for (const secret of [phone.accessToken, phone.refreshToken, GOOD_PASSWORD]) {
      expect(mail.text).not.toContain(secret);
      expect(mail.html).not.toContain(secret);
    }
  });

  it(`counts a device unused for ${DEVICE_MEMORY_DAYS} days as new again`, async () => {
    const me = await signUp(server, { tag: "newdevice", userAgent: "Laptop/1.0" });
    const old = new Date(Date.now() - (DEVICE_MEMORY_DAYS + 1) * 86_400_000);
    await server.app.db.session.updateMany({ where: { userId: me.userId }, data: { createdAt: old, lastUsedAt: old } });

    await signIn(server, me.email, { userAgent: "Laptop/1.0" });
    expect(await queued(server, me.email)).toEqual([VERIFY, NEW_SIGN_IN]);
  });

  it("is told apart the same way for OAuth sign-ins (IssueTokens); the account's first session mails nothing", async () => {
    const adapter = server.connect(AdapterService, serviceCredentialHeader());
    const email = uniqueEmail("oauth-device");
    const { user } = await adapter.createUser({ email, emailVerified: { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 } });
    const issue = (clientUserAgent: string) => adapter.issueTokens({ userId: user!.id, clientUserAgent, clientIpAddress: "198.51.100.7" });

    await issue("Firefox/140");
    await issue("Firefox/140");
    expect(await queued(server, email)).toEqual([]);
    await issue("Safari/18");
    expect(await queued(server, email)).toEqual([NEW_SIGN_IN]);

    const mail = await delivered(email, NEW_SIGN_IN);
    expect(mail.text).toContain("Device: Safari/18");
    expect(mail.text).toContain("IP address: 198.51.100.7");
  });
});

describe("password changed", () => {
  it("ChangePassword mails it once (its ended sessions get no mail of their own), without the password", async () => {
    const me = await signUp(server, { tag: "pwmail" });
    await signIn(server, me.email);
    const fromLaptop = server.connect(UserService, { authorization: `Bearer ${me.accessToken}`, "user-agent": "Laptop/1.0" });

    await fromLaptop.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });
    expect(await queued(server, me.email)).toEqual([VERIFY, PASSWORD_CHANGED]);

    const mail = await delivered(me.email, PASSWORD_CHANGED);
    expect(mail.text).toContain("Device: Laptop/1.0");
    expectResetLink(mail);
    expect(mail.text).not.toContain(NEW_PASSWORD);
    expect(mail.html).not.toContain(NEW_PASSWORD);
  });

  it("a refused ChangePassword mails nothing", async () => {
    const me = await signUp(server, { tag: "pwmail" });
    await expect(me.users.changePassword({ currentPassword: "not the password at all", newPassword: NEW_PASSWORD })).rejects.toThrow();
    expect(await queued(server, me.email)).toEqual([VERIFY]);
  });

  it("ResetPassword mails it once", async () => {
    const me = await signUp(server, { tag: "pwmail" });
    const auth = server.connect(AuthService);
    await auth.requestPasswordReset({ email: me.email });
    const token = await mailedLinkToken(server.app, me.email, "reset-password");

    await auth.resetPassword({ token, newPassword: NEW_PASSWORD });
    expect(await queued(server, me.email)).toEqual([VERIFY, "Reset your Tessera password", PASSWORD_CHANGED]);
    expect((await delivered(me.email, PASSWORD_CHANGED)).text).not.toContain(token);
  });
});

describe("signed out everywhere", () => {
  it("RevokeAllSessions mails once with the number of sessions it ended", async () => {
    const me = await signUp(server, { tag: "outmail" });
    await signIn(server, me.email);
    await signIn(server, me.email);

    const { revokedCount } = await me.users.revokeAllSessions({ keepCurrent: true });
    expect(revokedCount).toBe(2);
    expect(await queued(server, me.email)).toEqual([VERIFY, SIGNED_OUT]);
    const mail = await delivered(me.email, SIGNED_OUT);
    expect(mail.text).toContain("2 sessions ended");
    expectResetLink(mail);

    // Nothing left to end: nothing happened, nothing to tell.
    expect((await me.users.revokeAllSessions({ keepCurrent: true })).revokedCount).toBe(0);
    expect(await queued(server, me.email)).toEqual([VERIFY, SIGNED_OUT]);
  });
});

describe("with SMTP down", () => {
  let scratch: ScratchDatabase;
  let down: TestServer;
  beforeAll(async () => {
    // A database of its own: this server's worker sends over SMTP and must not claim other tests' mail.
    scratch = await scratchDatabase();
    down = await startTestServer({ SMTP_URL: "smtp://127.0.0.1:9", TESSERA_WEB_URL: WEB_URL }, scratch.url);
  });
  afterAll(async () => {
    await down?.stop();
    await scratch?.drop();
  });

  it("every action still succeeds and its mail stays queued for retry", async () => {
    const me = await signUp(down, { tag: "smtpdown", userAgent: "Laptop/1.0" });
    const phone = await signIn(down, me.email, { userAgent: "Phone/2.0" });
    await phone.users.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });
    await signIn(down, me.email, { password: NEW_PASSWORD, userAgent: "Phone/2.0" });
    expect((await phone.users.revokeAllSessions({ keepCurrent: false })).revokedCount).toBe(2);

    expect(await queued(down, me.email)).toEqual([VERIFY, NEW_SIGN_IN, PASSWORD_CHANGED, SIGNED_OUT]);
    // The worker has tried each one and failed: still QUEUED, not sent, to be retried.
    const rows = () => down.app.db.outboxMail.findMany({ where: { to: me.email } });
    await expect.poll(async () => (await rows()).every((r) => r.lastError !== null), { timeout: 10_000, interval: 50 }).toBe(true);
    for (const row of await rows()) expect(row).toMatchObject({ status: "QUEUED", sentAt: null });
  });
});
