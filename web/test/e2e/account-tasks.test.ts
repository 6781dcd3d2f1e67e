// Every account task and the admin console in headless Chromium, checked by what a person sees
// afterwards (a reload, the other browser, the database): all profile fields, moving to a new
// email through the mailed link, deleting the account, naming and revoking sessions with a
// confirmation, and an admin who searches, opens an account, ends its sessions and changes its
// role. axe runs on each of these pages in English and French. With TESSERA_SCREENSHOTS=<dir>
// the suite also writes the README's screenshots there. Builds into its own dist dir.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { deliveredMail } from "../../../services/auth/test/integration/mailed-links.js";
import { GOOD_PASSWORD, uniqueEmail } from "../../../services/auth/test/harness.js";
import { expectNoAxeViolations } from "./axe.js";
import { signInWithPassword } from "./sign-in.js";
import { browserSkipReason, randomStackSecrets, startBrowserStack, stopBrowserStack, type BrowserStack } from "./stack.js";

if (browserSkipReason) console.warn(`[skipped] account-task browser tests: ${browserSkipReason}`);

const DIST_DIR = ".next-test-tasks";
// Each test drives one or two browsers through several pages; under CI load that is more than
// the default 30 s.
vi.setConfig({ testTimeout: 90_000 });
/** Where screenshots go: the README's folder when asked for, else a scratch folder (they are taken either way). */
const SCREENSHOTS = process.env.TESSERA_SCREENSHOTS ?? path.join(process.env.TMPDIR ?? "/tmp", "tessera-screenshots");
let stack: BrowserStack;

describe.skipIf(!!browserSkipReason)(`account tasks and the admin console in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`, () => {
  beforeAll(async () => {
    stack = await startBrowserStack(randomStackSecrets(), DIST_DIR);
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 300_000);
  afterAll(() => stopBrowserStack(stack ?? {}));

  const db = () => stack.auth.app.db;

  async function newPage(locale: "en" | "fr" = "en", options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP lets axe's script tag in; the app's CSP is checked by browser.test.ts.
    const context = await stack.browser.newContext({ baseURL: stack.web.url, bypassCSP: true, viewport: { width: 1000, height: 800 }, ...options });
    await context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
    // A step that cannot happen fails naming its locator, well before the test's own timeout.
    // 20 s leaves room for a loaded CI machine running the other suites beside this one.
    context.setDefaultTimeout(20_000);
    return { context, page: await context.newPage() };
  }

  /** A password account signed in on a new page (English unless told). */
  async function signedIn(tag: string, locale: "en" | "fr" = "en", options: BrowserContextOptions = {}) {
    const email = uniqueEmail(tag);
    const auth = stack.auth.connect(AuthService);
    const { user, tokens } = await auth.register({ email, password: GOOD_PASSWORD, name: "Ada Lovelace" });
    await auth.logout({ refreshToken: tokens!.refreshToken }); // the browser's sign-in is the account's only session
    const p = await newPage("en", options);
    await signInWithPassword(p.page, email, GOOD_PASSWORD);
    await p.page.waitForURL("**/account");
    if (locale !== "en") await p.context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
    return { ...p, email, userId: user!.id };
  }

  async function makeAdmin(userId: string) {
    await db().user.update({ where: { id: userId }, data: { role: "ADMIN" } });
  }

  const shot = (page: Page, name: string, part?: Locator) => (part ?? page).screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

  describe("the profile", () => {
    const values = {
      Name: "Grace Hopper",
      Company: "Compilers Inc.",
      About: "We write compilers.",
      Country: "United States",
      Website: "https://example.com/grace",
      Region: "East Coast",
      Industry: "Software",
      "Year founded": "1952",
      Headquarters: "Philadelphia",
      "Number of employees": "42",
      "Annual operating budget": "1.5 M$",
      Background: "A-0, then FLOW-MATIC.",
    };

    it("edits every field of the contract, and a reload shows what was saved", async () => {
      const { context, page, email } = await signedIn("profile-all");
      const form = page.getByRole("form", { name: "Profile" });
      for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
      await form.getByRole("button", { name: "Save profile" }).click();
      await expect.poll(() => form.getByRole("status").innerText()).toBe("Profile saved.");
      await page.reload();
      for (const [label, value] of Object.entries(values)) expect(await form.getByLabel(label, { exact: true }).inputValue(), label).toBe(value);
      const row = await db().user.findUniqueOrThrow({ where: { email } });
      expect(row.name).toBe("Grace Hopper");
      expect(row.profile).toMatchObject({ foundedYear: 1952, employeesNumber: 42, background: "A-0, then FLOW-MATIC." });
      // Emptying a number field stores "not set", and the page shows it empty.
      await form.getByLabel("Number of employees", { exact: true }).fill("");
      await form.getByRole("button", { name: "Save profile" }).click();
      await expect.poll(() => form.getByRole("status").innerText()).toBe("Profile saved.");
      await page.reload();
      expect(await form.getByLabel("Number of employees", { exact: true }).inputValue()).toBe("");
      expect(await form.getByLabel("Year founded", { exact: true }).inputValue()).toBe("1952");
      await context.close();
    });

    it("puts a refused value's error under its field, focused, and keeps what was typed", async () => {
      const { context, page, email } = await signedIn("profile-bad");
      const form = page.getByRole("form", { name: "Profile" });
      const website = form.getByLabel("Website", { exact: true });
      // A URL the browser accepts and the auth service refuses (only http(s) pages).
      await website.fill("ftp://example.com/x");
      await form.getByLabel("Company", { exact: true }).fill("Kept Ltd");
      await form.getByRole("button", { name: "Save profile" }).click();
      await expect.poll(() => website.getAttribute("aria-invalid")).toBe("true");
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("website");
      const describedBy = (await website.getAttribute("aria-describedby"))!.split(" ")[0]!;
      expect(await page.locator(`[id="${describedBy}"]`).innerText()).not.toBe("");
      expect(await form.getByLabel("Company", { exact: true }).inputValue()).toBe("Kept Ltd");
      expect((await db().user.findUniqueOrThrow({ where: { email } })).profile).not.toMatchObject({ companyName: "Kept Ltd" });
      await context.close();
    });
  });

  it("moves the account to a new email through the mailed link, and tells the old address", async () => {
    const { context, page, email } = await signedIn("mover");
    const newEmail = uniqueEmail("moved");
    const section = page.getByRole("region", { name: "Email address" });
    await section.getByLabel("New email address").fill(newEmail);
    // A wrong password is the form's error (under the field), not an ended session; nothing is mailed.
    await section.getByLabel("Current password").fill("not my password");
    await section.getByRole("button", { name: "Send a confirmation link" }).click();
    await expect.poll(() => section.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await db().outboxMail.count({ where: { to: newEmail } })).toBe(0);
    // What was typed is still there to correct.
    expect(await section.getByLabel("New email address").inputValue()).toBe(newEmail);
    await section.getByLabel("Current password").fill(GOOD_PASSWORD);
    await section.getByRole("button", { name: "Send a confirmation link" }).click();
    await expect.poll(() => section.getByRole("status").innerText()).toContain(newEmail);
    // Nothing changes until the link is opened.
    expect((await db().user.findFirst({ where: { email } }))?.email).toBe(email);

    await page.goto(`/dev/mailbox?to=${encodeURIComponent(newEmail)}`);
    await page.getByRole("article").first().getByRole("link", { name: /confirm-email-change/ }).click();
    await page.waitForURL("**/confirm-email-change?token=*");
    await page.getByRole("button", { name: "Use this address" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain(newEmail);

    await page.goto("/account");
    expect(await page.getByRole("region", { name: "Email address" }).innerText()).toContain(newEmail);
    expect(await db().user.count({ where: { email } })).toBe(0);
    const told = await deliveredMail({ db: db() }, email);
    expect(told.at(-1)?.text).toContain(newEmail);
    // The old address no longer signs in; the new one does.
    await context.clearCookies();
    await signInWithPassword(page, newEmail, GOOD_PASSWORD);
    await page.waitForURL("**/account");
    await context.close();
  });

  it("deletes the account only with the right password, says what goes first, and signs the browser out", async () => {
    const { context, page, email } = await signedIn("leaver");
    const section = page.getByRole("region", { name: "Delete account" });
    expect(await section.innerText()).toContain("profile, picture, linked sign-in methods and every session");
    await section.getByRole("button", { name: "Delete my account…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account for good?" });
    await dialog.getByLabel("Current password").fill("not my password");
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    const password = dialog.getByLabel("Current password");
    await expect.poll(() => password.getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.innerText()).toContain("Nothing was deleted");
    expect(await db().user.count({ where: { email } })).toBe(1);
    // Escape cancels, as any dialog.
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await db().user.count({ where: { email } })).toBe(1);

    await section.getByRole("button", { name: "Delete my account…" }).click();
    await dialog.getByLabel("Current password").fill(GOOD_PASSWORD);
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL("**/signin?deleted=1");
    expect(await page.getByRole("status").innerText()).toContain("deleted");
    expect(await db().user.count({ where: { email } })).toBe(0);
    await page.goto("/account");
    await page.waitForURL("**/signin**");
    await context.close();
  });

  it("names each session's device, marks this one, and asks before revoking another", async () => {
    const a = await signedIn("devices");
    const b = await newPage();
    await signInWithPassword(b.page, a.email, GOOD_PASSWORD);
    await b.page.waitForURL("**/account");
    await a.page.reload();
    const list = a.page.getByRole("region", { name: "Where you are signed in" });
    await expect.poll(() => list.locator("[data-session-id]").count()).toBe(2);
    const current = list.locator('[data-current="true"]');
    const other = list.locator('[data-current="false"]');
    expect(await current.innerText()).toContain("this device");
    // Headless Chromium on Linux, named from its User-Agent, not the raw string.
    expect(await other.locator("strong").innerText()).toMatch(/Chrom\w* [\d.]+ on Linux/);
    expect(await other.innerText()).not.toContain("Mozilla/5.0");
    expect(await other.innerText()).toMatch(/signed in (now|\d+ seconds? ago|\d+ minutes? ago)/);
    await shot(a.page, "account-sessions", list);

    // Cancel changes nothing; confirming ends B's session, and B is sent to sign in.
    await other.getByRole("button", { name: "Revoke" }).click();
    const dialog = a.page.getByRole("dialog", { name: "Revoke this session?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await list.locator("[data-session-id]").count()).toBe(2);
    await other.getByRole("button", { name: "Revoke" }).click();
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => list.locator("[data-session-id]").count()).toBe(1);
    expect(await list.getByRole("status").first().innerText()).toBe("Session revoked.");
    await b.page.reload();
    await b.page.waitForURL("**/signin**");
    await a.context.close();
    await b.context.close();
  });

  describe("the admin console", () => {
    it("is a 404 for anyone who is not an admin", async () => {
      const { context, page, userId } = await signedIn("not-admin");
      for (const p of ["/admin", `/admin/users/${userId}`]) {
        const res = await page.goto(p);
        expect(res?.status(), p).toBe(404);
        expect(await page.getByRole("heading", { level: 1 }).innerText()).not.toContain("Users");
      }
      await context.close();
      const anonymous = await newPage();
      await anonymous.page.goto("/admin");
      await anonymous.page.waitForURL("**/signin**");
      await anonymous.page.locator("main form").waitFor();
      await shot(anonymous.page, "signin");
      await anonymous.context.close();
    });

    it("finds an account, ends its sessions and changes its role; each action is audited with the admin as actor", async () => {
      const admin = await signedIn("console-admin");
      await makeAdmin(admin.userId);
      const target = await signedIn("console-target");

      await admin.page.goto(`/admin?q=${encodeURIComponent(target.email.slice(0, target.email.indexOf("@")))}`);
      const row = admin.page.locator(`[data-user-id="${target.userId}"]`);
      await row.waitFor();
      expect(await admin.page.locator("[data-user-id]").count()).toBe(1);
      await shot(admin.page, "admin-users");
      await row.getByRole("link", { name: target.email }).click();
      await admin.page.waitForURL(`**/admin/users/${target.userId}`);
      const sessions = admin.page.getByRole("region", { name: "Live sessions" });
      expect(await sessions.locator("[data-session-id]").count()).toBe(1);
      expect(await admin.page.getByRole("region", { name: "Recent security events" }).innerText()).toContain("Signed in");
      await shot(admin.page, "admin-user");

      await sessions.getByRole("button", { name: "End every session" }).click();
      await admin.page.getByRole("dialog").getByRole("button", { name: "End every session" }).click();
      await expect.poll(() => sessions.getByRole("status").innerText()).toBe("1 session ended.");
      expect(await sessions.locator("[data-session-id]").count()).toBe(0);
      await target.page.reload();
      await target.page.waitForURL("**/signin**");
      // The browser's session, ended by the admin (the set-up's own logout has no actor).
      const revoked = await db().auditEvent.findMany({ where: { userId: target.userId, type: "SESSION_REVOKED", actorUserId: { not: null } } });
      expect(revoked.map((e) => e.actorUserId)).toEqual([admin.userId]);

      const role = admin.page.getByTestId("role");
      await admin.page.getByRole("button", { name: "Make admin" }).click();
      await admin.page.getByRole("dialog").getByRole("button", { name: "Make admin" }).click();
      await expect.poll(() => role.innerText()).toBe("admin");
      await admin.page.reload();
      expect(await role.innerText()).toBe("admin");
      expect((await db().user.findUniqueOrThrow({ where: { id: target.userId } })).role).toBe("ADMIN");
      await admin.page.getByRole("button", { name: "Remove admin role" }).click();
      await admin.page.getByRole("dialog").getByRole("button", { name: "Remove admin role" }).click();
      await expect.poll(() => role.innerText()).toBe("user");
      const changes = await db().auditEvent.findMany({ where: { userId: target.userId, type: "ROLE_CHANGED" }, orderBy: { createdAt: "asc" } });
      expect(changes.map((e) => e.actorUserId)).toEqual([admin.userId, admin.userId]);
      await admin.context.close();
      await target.context.close();
    });

    it("starts over at page one for a page link that no longer fits, and says when nothing matches", async () => {
      const admin = await signedIn("console-pages");
      await makeAdmin(admin.userId);
      const res = await admin.page.goto("/admin?page=not-a-token");
      expect(res?.status()).toBe(200);
      await admin.page.locator("[data-user-id]").first().waitFor();
      await admin.page.goto("/admin?q=zz-nobody-has-this-prefix");
      expect(await admin.page.locator(".empty-state").innerText()).toContain("zz-nobody-has-this-prefix");
      await admin.context.close();
    });
  });

  for (const locale of ["en", "fr"] as const) {
    it(`finds no accessibility violation on the account tasks and the admin console (${locale})`, async () => {
      const admin = await signedIn("a11y-admin", locale);
      await makeAdmin(admin.userId);
      const { page } = admin;
      await page.goto("/account");
      await page.locator("[data-session-id]").first().waitFor();
      await expectNoAxeViolations(page, `/account (${locale})`);
      if (locale === "fr") expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Votre compte");
      await shot(page, `account-${locale}`);
      // A confirmation dialog, open.
      await page.getByRole("region", { name: locale === "en" ? "Delete account" : "Supprimer le compte" }).getByRole("button").click();
      await page.getByRole("dialog").waitFor();
      await expectNoAxeViolations(page, `/account delete dialog (${locale})`);
      await page.keyboard.press("Escape");
      await page.goto("/admin");
      await page.locator("[data-user-id]").first().waitFor();
      await expectNoAxeViolations(page, `/admin (${locale})`);
      await page.goto(`/admin/users/${admin.userId}`);
      await page.locator("[data-event-type]").first().waitFor();
      await expectNoAxeViolations(page, `/admin/users/:id (${locale})`);
      await page.goto("/confirm-email-change?token=abc");
      await page.locator("main form").waitFor();
      await expectNoAxeViolations(page, `/confirm-email-change (${locale})`);
      await admin.context.close();
    });
  }

  it("fits a 360 px phone: the admin pages do not scroll sideways", async () => {
    const admin = await signedIn("narrow-admin", "fr", { viewport: { width: 360, height: 740 } });
    await makeAdmin(admin.userId);
    for (const p of ["/admin", `/admin/users/${admin.userId}`]) {
      await admin.page.goto(p);
      await admin.page.locator("h1").waitFor();
      const scroll = await admin.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(scroll, p).toBeLessThanOrEqual(0);
    }
    await admin.context.close();
  });
});
