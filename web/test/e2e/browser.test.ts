// End to end in headless Chromium: a person signs up, verifies through the mailbox page,
// signs out and in, edits their profile and picture, revokes a session from another browser,
// resets a forgotten password, and signs in through a real (local) OpenID provider. Every page
// runs under the app's Content-Security-Policy with no violation; return paths and forwarded
// addresses are attacked through the real server.
import { networkInterfaces } from "node:os";
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { decode, encode, type JWT } from "next-auth/jwt";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../../../services/auth/test/harness.js";
import {
  browserSkipReason,
  DIST_DIR,
  freePort,
  startBrowserStack,
  startWeb,
  startWebExpectingRefusal,
  stopBrowserStack,
  WEB_DIR,
  type OpenIdProvider,
  type WebServer,
} from "./stack.js";
import { httpSession, httpSignIn } from "./http-signin.js";
import { signInWithIdp, signInWithPassword } from "./sign-in.js";

if (browserSkipReason) console.warn(`[skipped] web browser tests: ${browserSkipReason}`);

const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
// Secrets as a real deployment would have them: the build sees them too.
const SERVICE_CREDENTIAL = `svc-${randomBytes(24).toString("hex")}`;
const NEXTAUTH_SECRET = `nas-${randomBytes(24).toString("hex")}`;

let auth: TestServer;
let idp: OpenIdProvider;
let web: WebServer;
let browser: Browser;
/** Every CSP violation any page of the app reported in any test (must stay empty). */
const cspViolations: string[] = [];

describe.skipIf(!!browserSkipReason)(`web app in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`, () => {
  beforeAll(async () => {
    ({ auth, idp, web, browser } = await startBrowserStack({ TESSERA_SERVICE_CREDENTIAL: SERVICE_CREDENTIAL, NEXTAUTH_SECRET }));
  }, 300_000);
  afterAll(() => stopBrowserStack({ auth, idp, web, browser }));

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: web.url });
    // Chromium reports a blocked script, style, image or fetch as a securitypolicyviolation
    // event and a console error; both are collected for the app's own pages.
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
      );
    });
    context.on("console", (msg) => {
      const url = msg.page()?.url() ?? "";
      if (url.startsWith(web.url) && /Content Security Policy|CSP violation/i.test(msg.text())) cspViolations.push(`${url}: ${msg.text()}`);
    });
    return { context, page: await context.newPage() };
  }

  /** A password account at Tessera with no session left open. */
  async function passwordAccount(tag: string): Promise<string> {
    const email = uniqueEmail(tag);
    const { tokens } = await auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "" });
    await auth.connect(AuthService).logout({ refreshToken: tokens!.refreshToken });
    return email;
  }

  /** The address the auth service recorded on the session a cookie jar from httpSignIn holds. */
  async function recordedIp(server: TestServer, baseUrl: string, cookies: Map<string, string>): Promise<string> {
    const { accessToken, sessionId } = await httpSession(baseUrl, cookies);
    expect(accessToken).toEqual(expect.any(String));
    const { sessions } = await server.connect(UserService, { authorization: `Bearer ${accessToken}` }).listSessions({});
    const mine = sessions.find((x) => x.id === sessionId);
    expect(mine).toBeDefined();
    return mine!.ipAddress;
  }

  /** Opens the newest mail to `to` with `subject` in the mailbox page and follows its link. */
  async function followMailedLink(page: Page, to: string, subject: RegExp) {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
    const mail = page.getByRole("article", { name: subject }).first();
    await mail.getByRole("link").first().click();
  }

  describe("a person with a password", () => {
    const email = uniqueEmail("web");
    const newPassword = "a brand new passphrase 42";
    let a: { context: BrowserContext; page: Page };

    it("signs up and lands on the check-your-email page", async () => {
      a = await newPage();
      const { page } = a;
      await page.goto("/signup");
      await page.getByLabel("Name").fill("Ada");
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(GOOD_PASSWORD);
      await page.getByLabel("Confirm password").fill(GOOD_PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL("**/check-email");
      await expect(page.getByText(email)).toBeDefined();
      expect(await page.locator("main").innerText()).toContain(email);
    });

    it("verifies the email through the link in the development mailbox", async () => {
      const { page } = a;
      await followMailedLink(page, email, /confirm your email/i);
      await page.waitForURL("**/verify-email?token=*");
      await page.getByRole("button", { name: "Verify my email" }).click();
      await expect.poll(() => page.locator("main").getByRole("status").innerText()).toContain("Your email is verified");
      await page.goto("/account");
      expect(await page.locator("main").innerText()).toMatch(/verified/);
      expect(await page.locator(".badge").innerText()).toBe("verified");
    });

    it("never hands the browser the refresh token or a readable session cookie", async () => {
      const { page, context } = a;
      const session = (await (await page.request.get("/api/auth/session")).json()) as Record<string, unknown>;
      expect(session.accessToken).toEqual(expect.any(String));
      expect(JSON.stringify(session)).not.toMatch(/refresh/i);
      const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token");
      expect(cookie?.httpOnly).toBe(true);
      expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");
    });

    it("signs out, then signs in again with the password", async () => {
      const { page } = a;
      await page.goto("/account");
      await page.getByRole("region", { name: "Sign out" }).getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL("**/signin");
      await page.goto("/account");
      await page.waitForURL("**/signin?callbackUrl=*");
      await signInWithPassword(page, email, "not the password at all");
      await expect.poll(() => page.locator("main").getByRole("alert").innerText()).toContain("Wrong email or password");
      await signInWithPassword(page, email, GOOD_PASSWORD);
      await page.waitForURL("**/account");
    });

    it("updates the profile and the picture", async () => {
      const { page } = a;
      await page.getByLabel("Name").fill("Ada Lovelace");
      await page.getByLabel("Company").fill("Analytical Engines");
      await page.getByRole("button", { name: "Save profile" }).click();
      await expect.poll(() => page.getByRole("form", { name: "Profile", exact: true }).getByRole("status").innerText()).toContain("Profile saved");
      // Without a reload, the page shows what was saved.
      expect(await page.getByLabel("Name").inputValue()).toBe("Ada Lovelace");
      expect(await page.getByLabel("Company").inputValue()).toBe("Analytical Engines");
      await expect.poll(() => page.getByRole("heading", { level: 2 }).first().innerText()).toBe("Ada Lovelace");
      await page.getByLabel(/^Image/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: PNG_1X1 });
      await page.getByRole("button", { name: "Upload picture" }).click();
      await expect.poll(() => page.getByRole("form", { name: "Profile picture" }).getByRole("status").innerText()).toContain("Picture updated");
      // The new picture shows at once, without a reload.
      await expect.poll(() => page.getByRole("img", { name: "Your profile picture" }).getAttribute("src")).toContain(`${auth.baseUrl}/avatars/`);
      await page.reload();
      expect(await page.getByRole("heading", { level: 2 }).first().innerText()).toBe("Ada Lovelace");
      expect(await page.getByLabel("Company").inputValue()).toBe("Analytical Engines");
      const img = page.getByRole("img", { name: "Your profile picture" });
      expect(await img.getAttribute("src")).toContain(`${auth.baseUrl}/avatars/`);
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
    });

    /** The auth service's UserService, called with the browser's own access token. */
    async function asBrowserUser(page: Page) {
      const { accessToken } = (await (await page.request.get("/api/auth/session")).json()) as { accessToken: string };
      return auth.connect(UserService, { authorization: `Bearer ${accessToken}` });
    }

    /** The account as the auth service stores it. */
    async function storedAccount(page: Page) {
      return (await (await asBrowserUser(page)).getMe({})).user!;
    }

    /** Clicks "Save profile" and waits until the page has taken in the answer (the button is back). */
    async function saveProfile(page: Page, message: string) {
      const profile = page.getByRole("form", { name: "Profile", exact: true });
      const answered = page.waitForResponse((r) => r.request().method() === "POST" && !!r.request().headers()["next-action"]);
      await profile.getByRole("button", { name: "Save profile" }).click();
      await answered;
      await profile.getByRole("button", { name: "Save profile", disabled: false }).waitFor();
      expect(await profile.getByRole("status").innerText()).toContain(message);
    }

    it("saves twice in a row: each save shows what is stored, and the second does not write the first's old values back", async () => {
      const { page } = a;
      const profile = page.getByRole("form", { name: "Profile", exact: true });
      await profile.getByLabel("Company").fill("Difference Engines");
      await saveProfile(page, "Profile saved");
      expect(await profile.getByLabel("Company").inputValue()).toBe("Difference Engines");

      await profile.getByLabel("Website").fill("https://engines.example");
      await saveProfile(page, "Profile saved");
      expect(await profile.getByLabel("Company").inputValue()).toBe("Difference Engines");
      expect(await profile.getByLabel("Website").inputValue()).toBe("https://engines.example");
      const stored = await storedAccount(page);
      expect(stored.profile).toMatchObject({ companyName: "Difference Engines", website: "https://engines.example" });
      expect(stored.name).toBe("Ada Lovelace");

      await page.reload();
      expect(await profile.getByLabel("Name").inputValue()).toBe("Ada Lovelace");
      expect(await profile.getByLabel("Company").inputValue()).toBe("Difference Engines");
      expect(await profile.getByLabel("Website").inputValue()).toBe("https://engines.example");

      await saveProfile(page, "Nothing to save");
      expect((await storedAccount(page)).profile).toMatchObject({ companyName: "Difference Engines", website: "https://engines.example" });
    });

    it("writes only the fields the person changed, so a change made elsewhere since the page loaded stays", async () => {
      const { page } = a;
      const profile = page.getByRole("form", { name: "Profile", exact: true });
      // Another tab (here, the API) renames the company after this page showed the old name.
      await (await asBrowserUser(page)).updateProfile({ profile: { companyName: "Babbage & Co" }, updateMask: { paths: ["profile.company_name"] } });
      expect(await profile.getByLabel("Company").inputValue()).toBe("Difference Engines");

      await profile.getByLabel("Country").fill("United Kingdom");
      await saveProfile(page, "Profile saved");
      expect(await profile.getByLabel("Country").inputValue()).toBe("United Kingdom");
      expect(await profile.getByLabel("Company").inputValue()).toBe("Babbage & Co");
      expect((await storedAccount(page)).profile).toMatchObject({ companyName: "Babbage & Co", country: "United Kingdom", website: "https://engines.example" });
    });

    it("shows a newly uploaded picture at once and after a reload", async () => {
      const { page } = a;
      const img = page.getByRole("img", { name: "Your profile picture" });
      const before = await img.getAttribute("src");
      await page.getByLabel(/^Image/).setInputFiles({ name: "again.png", mimeType: "image/png", buffer: PNG_1X1 });
      await page.getByRole("button", { name: "Upload picture" }).click();
      await expect.poll(() => img.getAttribute("src")).not.toBe(before);
      const shown = await img.getAttribute("src");
      expect(shown).toBe((await storedAccount(page)).image);
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
      await page.reload();
      expect(await img.getAttribute("src")).toBe(shown);
    });

    it("sees the session listed, and a second browser revokes it", async () => {
      const { page } = a;
      const rows = page.locator("[data-session-id]");
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().getAttribute("data-current")).toBe("true");

      const b = await newPage();
      await signInWithPassword(b.page, email, GOOD_PASSWORD);
      await b.page.waitForURL("**/account");
      const other = b.page.locator('[data-current="false"]');
      await expect.poll(() => other.count()).toBe(1);
      await other.getByRole("button", { name: "Revoke" }).click();
      await b.page.getByRole("dialog", { name: "Revoke this session?" }).getByRole("button", { name: "Revoke" }).click();
      await expect.poll(() => b.page.getByRole("region", { name: /where you are signed in/i }).getByRole("status").innerText()).toContain(
        "Session revoked",
      );
      await expect.poll(() => b.page.locator("[data-session-id]").count()).toBe(1);

      // The first browser is signed out at its next page.
      await page.goto("/account");
      await page.waitForURL("**/signin?error=SessionEnded");
      expect(await page.locator("main").getByRole("alert").first().innerText()).toContain("Your session has ended");
      await b.context.close();
    });

    it("resets a forgotten password from the mailed link", async () => {
      const { page } = a;
      await page.goto("/forgot-password");
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByRole("button", { name: "Send the reset link" }).click();
      await expect.poll(() => page.locator("main").getByRole("status").innerText()).toContain("If an account uses this email");
      await followMailedLink(page, email, /reset your/i);
      await page.waitForURL("**/reset-password?token=*");
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByLabel("Confirm new password").fill(newPassword);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.waitForURL("**/signin?reset=1");
      await signInWithPassword(page, email, GOOD_PASSWORD);
      // The reset ended this browser's session too, so the page may also say so in an alert of
      // its own; the old password's refusal is the one this test is about.
      await page.locator("main").getByRole("alert").filter({ hasText: "Wrong email or password" }).waitFor();
      await signInWithPassword(page, email, newPassword);
      await page.waitForURL("**/account");
      await a.context.close();
    });
  });

  describe("changing the password from the account page", () => {
    it("refuses a wrong current password, then changes it and ends the other sessions", async () => {
      const email = uniqueEmail("change-pw");
      const { tokens } = await auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "" });
      await auth.connect(AuthService).logout({ refreshToken: tokens!.refreshToken });
      const [a, b] = [await newPage(), await newPage()];
      for (const { page } of [a, b]) {
        await signInWithPassword(page, email, GOOD_PASSWORD);
        await page.waitForURL("**/account");
      }
      const form = a.page.getByRole("form", { name: "Change password" });
      const fill = async (current: string, next: string) => {
        await form.getByLabel("Current password").fill(current);
        await form.getByLabel("New password", { exact: true }).fill(next);
        await form.getByLabel("Confirm new password").fill(next);
        await form.getByRole("button", { name: "Change password" }).click();
      };
      await fill("not my password at all", "another fine passphrase 7");
      // The error names the current password: shown under that field, tied to it, focused.
      const current = form.getByLabel("Current password");
      await expect.poll(() => current.getAttribute("aria-invalid")).toBe("true");
      expect(await form.locator(`[id="${(await current.getAttribute("aria-describedby"))!.split(" ")[0]}"]`).innerText()).toBe("The current password is wrong.");
      expect(await a.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("currentPassword");
      await fill(GOOD_PASSWORD, "another fine passphrase 7");
      await expect.poll(() => form.getByRole("status").innerText()).toContain("Password changed");

      await b.page.goto("/account");
      await b.page.waitForURL("**/signin?error=SessionEnded");
      await a.page.goto("/account");
      expect(new URL(a.page.url()).pathname).toBe("/account");
      await signInWithPassword(b.page, email, "another fine passphrase 7");
      await b.page.waitForURL("**/account");
      await a.context.close();
      await b.context.close();
    });
  });

  describe("a signed-in person whose access token is about to expire", () => {
    const COOKIE = "next-auth.session-token";

    /** Rewrites the browser's session cookie so its access token expires in `ms` (the test knows NEXTAUTH_SECRET). */
    async function expireSoon(context: BrowserContext, ms: number): Promise<JWT> {
      const cookie = (await context.cookies()).find((c) => c.name === COOKIE)!;
      const token = (await decode({ token: cookie.value, secret: NEXTAUTH_SECRET }))!;
      const soon = { ...token, accessExpires: Date.now() + ms };
      await context.addCookies([{ ...cookie, value: await encode({ token: soon, secret: NEXTAUTH_SECRET }) }]);
      return soon;
    }

    async function signedIn() {
      const email = uniqueEmail("refresh-web");
      const { tokens } = await auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "" });
      await auth.connect(AuthService).logout({ refreshToken: tokens!.refreshToken }); // only the browser's session stays
      const p = await newPage();
      await signInWithPassword(p.page, email, GOOD_PASSWORD);
      await p.page.waitForURL("**/account");
      // The session list has fetched /api/auth/session, whose answer re-sets the cookie: only
      // then may the test rewrite the cookie without that answer overwriting it.
      await expect.poll(() => p.page.locator("[data-session-id]").count()).toBe(1);
      return p;
    }

    it("stays signed in when many tabs refresh at once, and the cookie gets the new tokens", async () => {
      const { context, page } = await signedIn();
      const before = await expireSoon(context, 5_000);
      const tabs = await Promise.all(Array.from({ length: 4 }, () => context.newPage()));
      await Promise.all(tabs.map((t) => t.goto("/account")));
      for (const t of tabs) expect(new URL(t.url()).pathname).toBe("/account");
      for (const t of tabs) await expect.poll(() => t.locator("[data-session-id]").count()).toBe(1);
      const after = (await decode({ token: (await context.cookies()).find((c) => c.name === COOKIE)!.value, secret: NEXTAUTH_SECRET }))!;
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(after.accessExpires! - Date.now()).toBeGreaterThan(5 * 60_000);
      // Still one live session: no refresh token was presented twice (which would end it).
      await page.goto("/account");
      await expect.poll(() => page.locator("[data-session-id]").count()).toBe(1);
      await context.close();
    });

    it("is sent to sign in, not shown an error, when a save finds the session ended elsewhere", async () => {
      const { context, page } = await signedIn();
      const { accessToken } = (await (await page.request.get("/api/auth/session")).json()) as { accessToken: string };
      await auth.connect(UserService, { authorization: `Bearer ${accessToken}` }).revokeAllSessions({ keepCurrent: false });
      await page.getByLabel("Company").fill("Ended Ltd");
      const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/account");
      await page.getByRole("button", { name: "Save profile" }).click();
      // The save itself sends the browser to sign in (not an error message it swallowed).
      expect((await answer).headers()["x-action-redirect"]).toMatch(/^\/signin\?error=SessionEnded/);
      await page.waitForURL("**/signin?error=SessionEnded");
      expect(await page.locator("main").getByRole("alert").first().innerText()).toContain("Your session has ended");
      await context.close();
    });

    it("is signed out cleanly when the refresh is refused", async () => {
      const { context, page } = await signedIn();
      const token = await expireSoon(context, 5_000);
      await auth.connect(AuthService).logout({ refreshToken: token.refreshToken! });
      await page.goto("/account");
      await page.waitForURL("**/signin?callbackUrl=*");
      expect((await context.cookies()).find((c) => c.name === COOKIE)).toBeUndefined();
      await context.close();
    });
  });

  describe("a person signing in with an OpenID provider", () => {

    /** A password account at Tessera, its email verified through the mailed link or not. */
    async function passwordUser(email: string, verified: boolean): Promise<string> {
      const client = auth.connect(AuthService);
      const { user } = await client.register({ email, password: GOOD_PASSWORD, name: "" });
      if (verified) {
        await expect.poll(async () => ((await (await fetch(`${auth.baseUrl}/dev/mail?to=${encodeURIComponent(email)}`)).json()) as { messages: unknown[] }).messages.length).toBe(1);
        const { messages } = (await (await fetch(`${auth.baseUrl}/dev/mail?to=${encodeURIComponent(email)}`)).json()) as { messages: { text: string }[] };
        const token = /verify-email\?token=([A-Za-z0-9_-]{43})/.exec(messages[0]!.text)![1]!;
        await client.verifyEmail({ token });
      }
      return user!.id;
    }

    const linkedUserId = async (login: string) =>
      (await auth.connect(AdapterService, { "tessera-service-credential": SERVICE_CREDENTIAL }).getUserByAccount({ provider: "oidc", providerAccountId: login })).user?.id;

    it("signs up a new person whose provider verified the email", async () => {
      const email = uniqueEmail("oidc-new");
      idp.accounts.set("new-person", { email, emailVerified: true, name: "Grace" });
      const { page, context } = await newPage();
      await signInWithIdp(page, "new-person");
      await page.waitForURL("**/account");
      expect(await page.locator("main").innerText()).toContain(email);
      expect(await page.locator(".badge").innerText()).toBe("verified");
      await expect.poll(() => page.locator('[data-current="true"]').count()).toBe(1);
      expect(await linkedUserId("new-person")).toEqual(expect.any(String));
      await context.close();
    });

    it("links to an existing account when both sides verified the email", async () => {
      const email = uniqueEmail("oidc-link");
      const userId = await passwordUser(email, true);
      idp.accounts.set("linker", { email, emailVerified: true });
      const { page, context } = await newPage();
      await signInWithIdp(page, "linker");
      await page.waitForURL("**/account");
      expect(await page.locator("main").innerText()).toContain(email);
      expect(await linkedUserId("linker")).toBe(userId);
      await context.close();
    });

    for (const [label, tesseraVerified, providerVerified] of [
      ["the provider has not verified the email", true, false],
      ["Tessera has not verified the email", false, true],
    ] as const) {
      it(`refuses to link when ${label}`, async () => {
        const email = uniqueEmail("oidc-refused");
        await passwordUser(email, tesseraVerified);
        const login = `refused-${tesseraVerified}-${providerVerified}`;
        idp.accounts.set(login, { email, emailVerified: providerVerified });
        const { page, context } = await newPage();
        await signInWithIdp(page, login);
        await page.waitForURL("**/signin?error=LinkRefused");
        expect(await page.locator("main").getByRole("alert").innerText()).toContain("were not linked");
        expect(await linkedUserId(login)).toBeUndefined();
        expect((await (await page.request.get("/api/auth/session")).json()) as object).toEqual({});
        await context.close();
      });
    }
  });

  describe("a return path after sign-in", () => {
    // Each of these was once (or would be, to a naive check) turned by the browser into
    // another origin or a script; the person must end up on the app's own pages.
    const EVIL = ["/\\evil.example", "/%5Cevil.example", "/\t/evil.example", "//evil.example", "https:evil.example", "java\nscript:alert(1)", "https://evil.example/account"];
    let email: string;
    beforeAll(async () => {
      email = await passwordAccount("return-path");
    });

    for (const evil of EVIL) {
      it(`keeps the person on the app for callbackUrl=${JSON.stringify(evil)}`, async () => {
        const origin = new URL(web.url).origin;
        const { page, context } = await newPage();
        const target = `/signin?callbackUrl=${encodeURIComponent(evil)}`;
        await page.goto(target);
        await page.getByLabel("Email", { exact: true }).fill(email);
        await page.getByLabel("Password", { exact: true }).fill(GOOD_PASSWORD);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.waitForURL((u) => u.pathname !== "/signin");
        expect(new URL(page.url()).origin).toBe(origin);
        expect(new URL(page.url()).pathname).toBe("/account");
        // Signed in already: the sign-in page redirects on the server.
        await page.goto(target);
        await page.waitForURL((u) => u.pathname !== "/signin");
        expect(new URL(page.url()).origin).toBe(origin);
        await context.close();
        // next-auth's own redirect (used by the provider buttons and sign-out).
        const viaNextAuth = await httpSignIn(web.url, email, GOOD_PASSWORD, {}, evil);
        expect(viaNextAuth.error).toBeUndefined();
        expect(new URL(viaNextAuth.url).origin).toBe(origin);
      });
    }
  });

  describe("the client address", () => {
    const SPOOFED = { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9", forwarded: "for=203.0.113.9" };
    const direct = () => web.url.replace("localhost", "127.0.0.1");

    it("is the socket's for a direct client, whatever X-Forwarded-For it sends", async () => {
      const email = await passwordAccount("spoof-ip");
      const signedIn = await httpSignIn(direct(), email, GOOD_PASSWORD, SPOOFED);
      expect(signedIn.error).toBeUndefined();
      expect(await recordedIp(auth, direct(), signedIn.cookies)).toBe("127.0.0.1");
    });

    it("keeps the per-address sign-in throttle whatever X-Forwarded-For a client sends", async () => {
      // An auth service of its own with a low per-address sign-in limit (the shared one serves
      // the other tests from 127.0.0.1), and a web server in front of it.
      const LIMIT = 3;
      const [authPort, webPort] = [await freePort(), await freePort()];
      const throttled = await startTestServer({
        TESSERA_AUTH_PORT: String(authPort),
        TESSERA_SERVICE_CREDENTIAL: SERVICE_CREDENTIAL,
        TESSERA_LIMIT_LOGIN_IP: String(LIMIT),
      });
      const front = await startWeb(webPort, { TESSERA_ENV: "development", TESSERA_SERVICE_CREDENTIAL: SERVICE_CREDENTIAL, NEXTAUTH_SECRET, TESSERA_AUTH_URL: throttled.baseUrl });
      try {
        const base = front.url.replace("localhost", "127.0.0.1");
        // A new unknown email and a new spoofed address every time, so only the per-address
        // rule can refuse. The bucket of 127.0.0.1 is shared with other suites and its window
        // may restart once mid-way: twice the limit and more is enough either way.
        const errors: (string | undefined)[] = [];
        for (let i = 0; i < 2 * (LIMIT + 1) + 1; i++) {
          const r = await httpSignIn(base, uniqueEmail("throttle-spoof"), "not the password", { "x-forwarded-for": `198.51.100.${i + 1}` });
          errors.push(r.error);
          if (r.error?.startsWith("Too many attempts")) break;
        }
        expect(errors.at(-1)).toMatch(/^Too many attempts/);
        expect(errors.slice(0, -1).every((e) => e === "Wrong email or password.")).toBe(true);
      } finally {
        await front.stop();
        await throttled.stop();
      }
    });

    it("is the forwarded one when the peer is a configured proxy, and then the mailbox is closed to it", async () => {
      const port = await freePort();
      const behindProxy = await startWeb(port, {
        TESSERA_ENV: "development",
        TESSERA_WEB_TRUSTED_PROXIES: "127.0.0.1/32",
        TESSERA_SERVICE_CREDENTIAL: SERVICE_CREDENTIAL,
        NEXTAUTH_SECRET,
        TESSERA_AUTH_URL: auth.baseUrl,
      });
      try {
        const base = behindProxy.url.replace("localhost", "127.0.0.1");
        const email = await passwordAccount("proxied-ip");
        // The client's own claim is left of what the proxy appended: rightmost untrusted wins.
        const signedIn = await httpSignIn(base, email, GOOD_PASSWORD, { "x-forwarded-for": "6.6.6.6, 203.0.113.77" });
        expect(signedIn.error).toBeUndefined();
        expect(await recordedIp(auth, base, signedIn.cookies)).toBe("203.0.113.77");
        expect(behindProxy.logs()).toContain("trusted proxies: 127.0.0.1/32");
        // A remote client behind the proxy does not get the development mailbox...
        expect((await fetch(`${base}/dev/mailbox`, { headers: { "x-forwarded-for": "203.0.113.77" } })).status).toBe(404);
        // ...the machine itself does.
        expect((await fetch(`${base}/dev/mailbox`)).status).toBe(200);
      } finally {
        await behindProxy.stop();
      }
    });

    it("listens on loopback only unless told otherwise, and says in which mode it runs", async () => {
      expect(web.logs()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ in development mode/);
      const external = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
      if (external) {
        const port = new URL(web.url).port;
        await expect(fetch(`http://${external}:${port}/signin`)).rejects.toThrow();
      }
      // From this machine, the development mailbox answers (a spoofed header changes nothing).
      expect((await fetch(`${direct()}/dev/mailbox`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(200);
    });
  });

  describe("the pages' Content-Security-Policy", () => {
    it("is nonce-based, fresh for every page, and forbids framing, plugins and <base>", async () => {
      const policies: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${web.url}/signin`);
        const csp = res.headers.get("content-security-policy") ?? "";
        policies.push(csp);
        const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
        expect(nonce).toBeDefined();
        expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
        for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) expect(csp).toContain(d);
        const html = await res.text();
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
        // Plain http in development: no HSTS.
        expect(res.headers.get("strict-transport-security")).toBeNull();
      }
      expect(policies[0]).not.toBe(policies[1]);
    });

    it("blocks a script injected into a page, and Chromium reports it", async () => {
      // An HTML injection as an XSS bug would cause: the real page, with the real policy,
      // plus a script tag without the nonce.
      const { page, context } = await newPage();
      await page.route("**/signin", async (route) => {
        // Only the page itself: /signin also answers server actions (the passkey autofill asks
        // for options as the page loads), which may still be in flight when the test ends.
        if (route.request().method() !== "GET") return route.continue();
        const res = await route.fetch();
        const html = (await res.text()).replace("</body>", "<script>window.__injected = true</script></body>");
        await route.fulfill({ response: res, body: html });
      });
      const before = cspViolations.length;
      await page.goto("/signin");
      await expect.poll(() => cspViolations.length).toBeGreaterThan(before);
      expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
      cspViolations.splice(before); // the detector works; this one was the test's own doing
      await page.unrouteAll({ behavior: "ignoreErrors" });
      await context.close();
    });
  });

  describe("in production", () => {
    it("is what the web server runs as when TESSERA_ENV is not set, refusing the development secrets", async () => {
      const { code, output } = await startWebExpectingRefusal(await freePort(), {});
      expect(code).not.toBe(0);
      expect(output).toContain("refusing to run in production with development secrets: set TESSERA_SERVICE_CREDENTIAL, NEXTAUTH_SECRET");
    });

    it("`next start` refuses to serve: it would believe a client's X-Forwarded-For", async () => {
      const { code, output } = await startWebExpectingRefusal(await freePort(), { TESSERA_ENV: "development" }, "next start");
      expect(code).not.toBe(0);
      expect(output).toContain("serve the web app with web/server.ts");
    });

    it("has no development mailbox, says so at start, and sends HSTS over https", async () => {
      const port = await freePort();
      const prod = await startWeb(port, {
        TESSERA_SERVICE_CREDENTIAL: SERVICE_CREDENTIAL,
        NEXTAUTH_SECRET,
        TESSERA_AUTH_URL: auth.baseUrl,
        // Behind a TLS-terminating proxy: the public URL is https.
        NEXTAUTH_URL: `https://localhost:${port}`,
      });
      try {
        expect(prod.logs()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ in production mode;/);
        expect((await fetch(`${prod.url}/dev/mailbox`)).status).toBe(404);
        const page = await fetch(`${prod.url}/signin`);
        expect(page.status).toBe(200);
        expect(page.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
        expect(page.headers.get("content-security-policy")).toContain("'strict-dynamic'");
      } finally {
        await prod.stop();
      }
    });
  });

  describe("every page of every flow above", () => {
    it("ran with no Content-Security-Policy violation", () => {
      expect(cspViolations).toEqual([]);
    });
  });

  describe("the browser bundle", () => {
    it("holds neither the service credential nor the adapter", async () => {
      const dir = path.join(WEB_DIR, DIST_DIR, "static");
      const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".js"));
      expect(files.length).toBeGreaterThan(5);
      for (const f of files) {
        const js = await readFile(path.join(dir, f), "utf8");
        expect(js, f).not.toContain(SERVICE_CREDENTIAL);
        expect(js, f).not.toContain(NEXTAUTH_SECRET);
        expect(js, f).not.toContain("development-service-credential");
        expect(js, f).not.toContain("tessera.adapter.v1");
        expect(js, f).not.toContain("tessera-service-credential");
      }
    });
  });
});
