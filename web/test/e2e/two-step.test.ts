// Two-step sign-in in headless Chromium, with authenticator codes the test computes from the key
// the security page shows as text: setting up the app (recovery codes shown once), signing in
// with the password and then a code (a wrong one first) or a recovery code, an OAuth sign-in
// that takes the same second step, a challenge that is gone, the step-up code on a password
// change, turning the app off; axe on the security and second-step pages in English and
// French. Builds into its own dist dir.
import type { BrowserContext, Page } from "playwright-core";
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, uniqueEmail } from "../../../services/auth/test/harness.js";
import { expectNoAxeViolations } from "./axe.js";
import { signInWithIdp, signInWithPassword } from "./sign-in.js";
import { browserSkipReason, randomStackSecrets, startBrowserStack, stopBrowserStack, type BrowserStack } from "./stack.js";

if (browserSkipReason) console.warn(`[skipped] two-step sign-in browser tests: ${browserSkipReason}`);

const DIST_DIR = ".next-test-two-step";
// One account goes through many pages, and waits for the authenticator's next 30-second step
// where a code must not be reused.
vi.setConfig({ testTimeout: 240_000 });
const CHALLENGE_COOKIE = "tessera.sign-in-challenge";
const NEW_PASSWORD = `${GOOD_PASSWORD}-2`;
let stack: BrowserStack;

/**
 * An authenticator app: the code of the current 30-second step, or of the next one when the
 * current one was used (the auth service accepts one step of skew and refuses a step already
 * used), waiting for time to move on when both were.
 */
class Authenticator {
  private lastStep = -1;
  private readonly totp: OTPAuth.TOTP;
  constructor(key: string) {
    this.totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key.replace(/\s+/g, "")), algorithm: "SHA1", digits: 6, period: 30 });
  }
  private static step = (ms = Date.now()) => Math.floor(ms / 30_000);
  async code(): Promise<string> {
    while (this.lastStep + 1 > Authenticator.step() + 1) await new Promise((r) => setTimeout(r, 1000));
    const step = Math.max(Authenticator.step(), this.lastStep + 1);
    this.lastStep = step;
    return this.totp.generate({ timestamp: step * 30_000 + 1000 });
  }
  /** A code the app does not show now or next (off by a few steps). */
  wrong(): string {
    return this.totp.generate({ timestamp: Date.now() - 10 * 60_000 });
  }
}

describe.skipIf(!!browserSkipReason)(`two-step sign-in in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`, () => {
  beforeAll(async () => {
    stack = await startBrowserStack(randomStackSecrets(), DIST_DIR);
  }, 300_000);
  afterAll(() => stopBrowserStack(stack ?? {}));

  const db = () => stack.auth.app.db;

  async function newPage(locale: "en" | "fr" = "en"): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP lets axe's script tag in; the app's CSP is checked by browser.test.ts.
    const context = await stack.browser.newContext({ baseURL: stack.web.url, bypassCSP: true, viewport: { width: 1000, height: 800 } });
    await context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
    context.setDefaultTimeout(20_000);
    return { context, page: await context.newPage() };
  }

  async function registered(tag: string) {
    const email = uniqueEmail(tag);
    const auth = stack.auth.connect(AuthService);
    const { tokens } = await auth.register({ email, password: GOOD_PASSWORD, name: "Ada Lovelace" });
    await auth.logout({ refreshToken: tokens!.refreshToken });
    return email;
  }

  /** Sets up the authenticator on /account/security; returns the app and the recovery codes shown. */
  async function enrol(page: Page, password?: string): Promise<{ app: Authenticator; codes: string[] }> {
    await page.goto("/account/security");
    const section = page.getByRole("region", { name: "Authenticator app" });
    expect(await section.innerText()).toContain("Off");
    const setUp = section.getByRole("form", { name: "Set up an authenticator app" });
    if (password !== undefined) await setUp.getByLabel("Current password").fill(password);
    await setUp.getByRole("button", { name: "Set up the app" }).click();
    const img = section.getByRole("img", { name: /QR code/ });
    await img.waitFor();
    expect(await img.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    const shown = await section.locator("[data-totp-key]").innerText();
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/); // grouped for typing
    const app = new Authenticator(shown);
    const confirm = section.getByRole("form", { name: "Confirm the authenticator app" });
    await confirm.getByLabel("Code from your authenticator app").fill(await app.code());
    await confirm.getByRole("button", { name: "Turn on" }).click();
    const list = page.getByRole("list", { name: "Recovery codes" });
    await list.waitFor();
    const codes = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    await expect.poll(() => section.innerText()).toContain("On since");
    return { app, codes };
  }

  async function passwordStep(page: Page, email: string, password: string) {
    await signInWithPassword(page, email, password);
    await page.waitForURL("**/signin/second-factor?callbackUrl=*");
    try {
      await page.locator("main form").waitFor();
    } catch (err) {
      throw new Error(`the second step did not show at ${page.url()}: ${await page.locator("body").innerText()}`, { cause: err });
    }
  }

  it("sets up the app, shows the codes once, and signs in with a code (after a wrong one) or a recovery code", async () => {
    const email = await registered("two-step");
    const { context, page } = await newPage();
    await signInWithPassword(page, email, GOOD_PASSWORD);
    await page.waitForURL("**/account");
    await page.getByRole("link", { name: /two-step sign-in/ }).click();
    await page.waitForURL("**/account/security");
    const { app, codes } = await enrol(page, GOOD_PASSWORD);
    // Download gives the same codes as a text file.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download (.txt)" }).click()]);
    expect(download.suggestedFilename()).toMatch(/recovery-codes\.txt$/);
    const file = await download.createReadStream().then(async (s) => {
      let text = "";
      for await (const chunk of s) text += chunk;
      return text;
    });
    for (const c of codes) expect(file).toContain(c);
    // Shown once: a reload shows how many are left, never the codes.
    await page.reload();
    expect(await page.getByRole("list", { name: "Recovery codes" }).count()).toBe(0);
    expect(await page.content()).not.toContain(codes[0]);
    expect(await page.getByRole("region", { name: "Recovery codes", exact: true }).innerText()).toContain("10 recovery codes left");
    const row = await db().user.findUniqueOrThrow({ where: { email } });

    // Sign out; the password alone is now only the first step.
    await page.goto("/account");
    await page.getByRole("region", { name: "Sign out", exact: true }).getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL("**/signin");
    await passwordStep(page, email, GOOD_PASSWORD);
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/account");
    // The challenge waits in a sealed, httpOnly cookie; no session exists yet.
    const cookie = (await context.cookies()).find((c) => c.name === CHALLENGE_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie!.value.split(".")).toHaveLength(5); // a JWE, not the 43-character token
    expect(await db().session.count({ where: { userId: row.id, revokedAt: null } })).toBe(0);

    const form = page.getByRole("form", { name: "Second step of sign-in" });
    const code = form.getByLabel("Code from your authenticator app");
    await code.fill(app.wrong());
    await form.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => code.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("code");
    const describedBy = (await code.getAttribute("aria-describedby"))!.split(" ")[0]!;
    expect(await page.locator(`[id="${describedBy}"]`).innerText()).toContain("wrong");
    expect(new URL(page.url()).pathname).toBe("/signin/second-factor");

    await code.fill(await app.code());
    await form.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL("**/account");
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).not.toBe("");
    expect((await context.cookies()).some((c) => c.name === CHALLENGE_COOKIE)).toBe(false);

    // A recovery code instead of the app.
    await context.clearCookies();
    await passwordStep(page, email, GOOD_PASSWORD);
    await page.getByRole("region", { name: "Other ways to confirm" }).getByRole("button", { name: "Use a recovery code instead" }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("code");
    await form.getByLabel("Recovery code").fill(codes[3]!.toUpperCase());
    await form.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL("**/account");
    await page.goto("/account/security");
    expect(await page.getByRole("region", { name: "Recovery codes", exact: true }).innerText()).toContain("9 recovery codes left");

    // Step-up: changing the password needs a code, and a wrong one is said under its field.
    await page.goto("/account");
    const pw = page.getByRole("form", { name: "Change password" });
    const fill = async (stepUp: string) => {
      await pw.getByLabel("Current password").fill(GOOD_PASSWORD);
      await pw.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await pw.getByLabel("Confirm new password").fill(NEW_PASSWORD);
      await pw.getByLabel("Code from your authenticator app or a recovery code").fill(stepUp);
      await pw.getByRole("button", { name: "Change password" }).click();
    };
    await fill(app.wrong());
    const stepUpField = pw.getByLabel("Code from your authenticator app or a recovery code");
    await expect.poll(() => stepUpField.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("secondFactorCode");
    await fill(await app.code());
    await expect.poll(() => pw.getByRole("status").innerText()).toContain("Password changed");

    // New recovery codes (password + code) void the old ones.
    await page.goto("/account/security");
    const recovery = page.getByRole("region", { name: "Recovery codes", exact: true });
    await recovery.getByRole("button", { name: "Get new codes…" }).click();
    const renew = page.getByRole("dialog", { name: "Replace your recovery codes?" });
    await renew.getByLabel("Current password").fill(NEW_PASSWORD);
    await renew.getByLabel("Code from your authenticator app or a recovery code").fill(await app.code());
    await renew.getByRole("button", { name: "Get new codes", exact: true }).click();
    const freshList = recovery.getByRole("list", { name: "Recovery codes" });
    await freshList.waitFor();
    const fresh = (await freshList.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[5]);
    await page.reload();
    expect(await recovery.innerText()).toContain("10 recovery codes left");

    // Turning the app off takes the password and a code (here a recovery code): an old one is refused.
    const section = page.getByRole("region", { name: "Authenticator app" });
    await section.getByRole("button", { name: "Turn off…" }).click();
    const dialog = page.getByRole("dialog", { name: "Turn off the authenticator app?" });
    const turnOffCode = dialog.getByLabel("Code from your authenticator app or a recovery code");
    await dialog.getByLabel("Current password").fill(NEW_PASSWORD);
    await turnOffCode.fill(codes[5]!);
    await dialog.getByRole("button", { name: "Turn off", exact: true }).click();
    await expect.poll(() => turnOffCode.getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.innerText()).toContain("wrong or was already used");
    await dialog.getByLabel("Current password").fill(NEW_PASSWORD);
    await turnOffCode.fill(fresh[0]!);
    await dialog.getByRole("button", { name: "Turn off", exact: true }).click();
    await expect.poll(() => section.getByRole("status").innerText()).toContain("off");
    await page.reload();
    expect(await page.getByRole("region", { name: "Authenticator app" }).innerText()).not.toContain("On since");
    expect(await page.getByRole("region", { name: "Recovery codes", exact: true }).innerText()).not.toContain("left");
    // One step again.
    await context.clearCookies();
    await signInWithPassword(page, email, NEW_PASSWORD);
    await page.waitForURL("**/account");
    await context.close();
  });

  it("sends a second step whose challenge is gone back to the sign-in page, saying why", async () => {
    const email = await registered("two-step-gone");
    const { context, page } = await newPage();
    await signInWithPassword(page, email, GOOD_PASSWORD);
    await page.waitForURL("**/account");
    const { app } = await enrol(page, GOOD_PASSWORD);
    await context.clearCookies();
    await passwordStep(page, email, GOOD_PASSWORD);
    // A cookie the server did not seal is no challenge.
    const cookie = (await context.cookies()).find((c) => c.name === CHALLENGE_COOKIE)!;
    await context.addCookies([{ ...cookie, value: `${cookie.value.slice(0, -4)}AAAA` }]);
    const form = page.getByRole("form", { name: "Second step of sign-in" });
    await form.getByLabel("Code from your authenticator app").fill(await app.code());
    await form.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL("**/signin?error=SecondFactorExpired*");
    expect(await page.getByRole("alert").filter({ hasText: "Sign in again" }).count()).toBe(1);
    // And the page itself, opened without a pending sign-in.
    await page.goto("/signin/second-factor");
    await page.waitForURL("**/signin?error=SecondFactorExpired*");
    await context.close();
  });

  it("asks an OAuth sign-in of an account with an authenticator for the same second step", async () => {
    const email = uniqueEmail("two-step-idp");
    stack.idp.accounts.set("two-step-idp", { email, emailVerified: true, name: "Idp Person" });
    const first = await newPage();
    await signInWithIdp(first.page, "two-step-idp");
    await first.page.waitForURL("**/account");
    // No password: the fresh sign-in confirms who it is.
    const { app } = await enrol(first.page);
    await first.context.close();
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    const sessions = () => db().session.count({ where: { userId: user.id, revokedAt: null } });
    const before = await sessions();

    const again = await newPage();
    await signInWithIdp(again.page, "two-step-idp");
    await again.page.waitForURL("**/signin/second-factor?callbackUrl=*");
    // The provider was only the first step: no new session, no session cookie.
    expect(await sessions()).toBe(before);
    expect((await again.context.cookies()).some((c) => c.name.includes("next-auth.session-token"))).toBe(false);
    const form = again.page.getByRole("form", { name: "Second step of sign-in" });
    await form.getByLabel("Code from your authenticator app").fill(await app.code());
    await form.getByRole("button", { name: "Verify" }).click();
    await again.page.waitForURL("**/account");
    expect(await sessions()).toBe(before + 1);
    await again.page.reload();
    expect(new URL(again.page.url()).pathname).toBe("/account");
    await again.context.close();
  });

  for (const locale of ["en", "fr"] as const) {
    it(`passes axe on the security page and the second step (${locale})`, async () => {
      const email = await registered(`two-step-axe-${locale}`);
      const { context, page } = await newPage("en");
      await signInWithPassword(page, email, GOOD_PASSWORD);
      await page.waitForURL("**/account");
      await page.goto("/account/security");
      await context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
      await page.reload();
      await expectNoAxeViolations(page, `the security page, off (${locale})`);
      await context.addCookies([{ name: "locale", value: "en", url: stack.web.url }]);
      await page.reload();
      await enrol(page, GOOD_PASSWORD);
      if (locale === "en") await expectNoAxeViolations(page, "the security page showing recovery codes");
      await context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
      await page.reload();
      expect(await page.locator("html").getAttribute("lang")).toBe(locale);
      await expectNoAxeViolations(page, `the security page, on (${locale})`);
      await context.clearCookies();
      await context.addCookies([{ name: "locale", value: "en", url: stack.web.url }]);
      await passwordStep(page, email, GOOD_PASSWORD);
      await context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
      await page.reload();
      await expectNoAxeViolations(page, `the second step (${locale})`);
      await page.locator("[data-switch-method]").click();
      await expectNoAxeViolations(page, `the second step with a recovery code (${locale})`);
      await context.close();
    });
  }
});
