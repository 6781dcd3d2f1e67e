// Passkeys in headless Chromium with its virtual authenticator (Chrome DevTools Protocol
// WebAuthn domain, through playwright-core's CDP session): one person registers a passkey on
// the security page, signs in with it without a password (by the button, and by the email
// field's autofill), uses it as the second step of a password sign-in, renames it, confirms an
// email change with it instead of a code, and deletes it with a passkey step-up; axe checks the
// security page with the passkey listed (English and French) and the second step offering it;
// a browser without WebAuthn is told so. The web app is served on http://localhost:<port>, so
// the relying party id is "localhost" (the auth service's default: the host of
// TESSERA_WEB_URL, and its origin for WEBAUTHN_ORIGINS). Builds into its own dist dir.
import type { BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, uniqueEmail } from "../../../services/auth/test/harness.js";
import { expectNoAxeViolations } from "./axe.js";
import { signInWithPassword } from "./sign-in.js";
import { browserSkipReason, randomStackSecrets, startBrowserStack, stopBrowserStack, type BrowserStack } from "./stack.js";

if (browserSkipReason) console.warn(`[skipped] passkey browser tests: ${browserSkipReason}`);

const DIST_DIR = ".next-test-passkeys";
vi.setConfig({ testTimeout: 90_000 });
// A ceremony plus two calls to the auth service can take a few seconds on a loaded machine.
const SLOW = { timeout: 15_000 };
let stack: BrowserStack;

/**
 * Chromium's virtual authenticator answers a conditional (autofill) request at once, as if the
 * person had picked the passkey, so every visit to /signin would sign in by itself. The test
 * turns that offer off unless it is what a step checks: the page then sees a browser without
 * conditional mediation (as Firefox before 119), and only the button starts a ceremony.
 */
function autofillSwitch(context: BrowserContext) {
  return context.addInitScript(() => {
    if (localStorage.getItem("test:passkey-autofill") !== "on") {
      Object.defineProperty(PublicKeyCredential, "isConditionalMediationAvailable", { value: async () => false });
    }
  });
}
const setAutofill = (page: Page, on: boolean) => page.evaluate((v) => localStorage.setItem("test:passkey-autofill", v), on ? "on" : "off");

/** A platform authenticator (a phone's or laptop's) that verifies the user and holds discoverable credentials. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

describe.skipIf(!!browserSkipReason)(`passkeys in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`, () => {
  let context: BrowserContext;
  let page: Page;
  let authenticator: { cdp: CDPSession; authenticatorId: string };
  let email: string;
  let userId: string;

  beforeAll(async () => {
    stack = await startBrowserStack(randomStackSecrets(), DIST_DIR);
    email = uniqueEmail("passkey");
    const auth = stack.auth.connect(AuthService);
    const { user, tokens } = await auth.register({ email, password: GOOD_PASSWORD, name: "Ada Lovelace" });
    await auth.logout({ refreshToken: tokens!.refreshToken });
    userId = user!.id;
    // bypassCSP lets axe's script tag in; the app's CSP is checked by browser.test.ts.
    context = await stack.browser.newContext({ baseURL: stack.web.url, bypassCSP: true, viewport: { width: 1000, height: 800 } });
    await context.addCookies([{ name: "locale", value: "en", url: stack.web.url }]);
    context.setDefaultTimeout(20_000);
    await autofillSwitch(context);
    page = await context.newPage();
    authenticator = await virtualAuthenticator(page);
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    await stopBrowserStack(stack ?? {});
  });

  const db = () => stack.auth.app.db;
  const passkeys = () => page.getByRole("region", { name: "Passkeys" });
  const rows = () => passkeys().locator("[data-passkey-id]");

  async function signOut() {
    await page.goto("/account");
    // The sign-out buttons' own region (the sessions list has a "Sign out" for this device too).
    await page.getByRole("region", { name: "Sign out" }).getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL("**/signin**");
  }

  it("registers a passkey on the security page (after the password), names it, and lists it after a reload", async () => {
    await signInWithPassword(page, email, GOOD_PASSWORD);
    await page.waitForURL("**/account");
    await page.goto("/account/security");
    const add = passkeys().getByRole("form", { name: "Add a passkey" });
    // A wrong password: said under the field, and no ceremony starts.
    await add.getByLabel("Current password").fill("not my password");
    await add.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => add.getByLabel("Current password").getAttribute("aria-invalid"), SLOW).toBe("true");
    expect((await authenticator.cdp.send("WebAuthn.getCredentials", { authenticatorId: authenticator.authenticatorId })).credentials).toHaveLength(0);

    const held = async () => (await authenticator.cdp.send("WebAuthn.getCredentials", { authenticatorId: authenticator.authenticatorId })).credentials;
    // Created, then discarded at the naming step: nothing is stored, and the browser is told
    // (WebAuthn Signal API) to forget the passkey it made, which the virtual authenticator does.
    await add.getByLabel("Current password").fill(GOOD_PASSWORD);
    await add.getByRole("button", { name: "Add a passkey" }).click();
    const naming = passkeys().getByRole("form", { name: "Name the new passkey" });
    await naming.getByRole("button", { name: "Discard" }).click();
    await expect.poll(async () => (await held()).length, SLOW).toBe(0);
    expect(await db().passkey.count({ where: { userId } })).toBe(0);
    await expect.poll(() => add.getByLabel("Current password").evaluate((el) => el === document.activeElement), SLOW).toBe(true);

    await add.getByLabel("Current password").fill(GOOD_PASSWORD);
    await add.getByRole("button", { name: "Add a passkey" }).click();
    const name = naming.getByLabel("Name", { exact: true });
    // Focus goes to the name once the browser's ceremony is over.
    await expect.poll(() => name.evaluate((el) => el === document.activeElement), SLOW).toBe(true);
    await name.fill("Laptop");
    await naming.getByRole("button", { name: "Save the passkey" }).click();
    await expect.poll(() => add.getByRole("status").innerText(), SLOW).toBe("Passkey “Laptop” added.");
    // The account's first second factor: its recovery codes are shown this once.
    expect(await passkeys().locator("[data-recovery-codes] li").count()).toBe(10);
    expect(await db().recoveryCode.count({ where: { userId, usedAt: null } })).toBe(10);

    // The list shows it at once, and after a reload.
    await expect.poll(() => rows().count(), SLOW).toBe(1);
    await page.reload();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().innerText()).toMatch(/Laptop[\s\S]*Added (now|\d+ seconds? ago)[\s\S]*never used/);
    const stored = await db().passkey.findMany({ where: { userId } });
    expect(stored.map((p) => p.name)).toEqual(["Laptop"]);
    const credentials = await held();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
  });

  it("signs in with the passkey alone, by the button on the sign-in page", async () => {
    await signOut();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL("**/account");
    // The session is real: a reload on the server side still knows who this is.
    await page.reload();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Your account");
    expect(await page.locator("main").innerText()).toContain(email);
    await page.goto("/account/security");
    expect(await rows().first().innerText()).toMatch(/last used (now|\d+ seconds? ago)/);
  });

  it("signs in through the email field's autofill (conditional UI) when the browser offers it", async () => {
    await signOut();
    expect(await page.getByLabel("Email", { exact: true }).getAttribute("autocomplete")).toBe("username webauthn");
    await setAutofill(page, true);
    try {
      // The virtual authenticator picks the passkey as soon as the page asks: no click.
      await page.goto("/signin");
      await page.waitForURL("**/account");
      await page.reload();
      expect(await page.locator("main").innerText()).toContain(email);
    } finally {
      await setAutofill(page, false);
    }
  });

  it("takes the passkey as the second step of a password sign-in", async () => {
    await signOut();
    await signInWithPassword(page, email, GOOD_PASSWORD);
    await page.waitForURL("**/signin/second-factor**");
    await page.getByRole("button", { name: "Use a passkey" }).waitFor();
    await expectNoAxeViolations(page, "the second step offering a passkey (en)");
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL("**/account");
    await page.reload();
    expect(await page.locator("main").innerText()).toContain(email);
  });

  it("renames the passkey", async () => {
    await page.goto("/account/security");
    await rows().first().getByRole("button", { name: "Rename" }).click();
    const dialog = page.getByRole("dialog", { name: "Rename the passkey “Laptop”" });
    await dialog.getByLabel("New name").fill("Work laptop");
    await dialog.getByRole("button", { name: "Save the name" }).click();
    await expect.poll(() => dialog.isVisible(), SLOW).toBe(false);
    await page.reload();
    expect(await rows().first().locator("strong").innerText()).toBe("Work laptop");
    expect((await db().passkey.findFirstOrThrow({ where: { userId } })).name).toBe("Work laptop");
  });

  it("confirms a sensitive change on the account page (a new email address) with the passkey instead of a code", async () => {
    await page.goto("/account");
    const section = page.getByRole("region", { name: "Email address" });
    const newEmail = uniqueEmail("passkey-moved");
    await section.getByLabel("New email address").fill(newEmail);
    await section.getByLabel("Current password").fill(GOOD_PASSWORD);
    await section.getByRole("button", { name: "Use a passkey" }).click();
    await expect.poll(async () => (await section.getByRole("status").allInnerTexts()).join(" "), SLOW).toContain(newEmail);
    expect(await db().outboxMail.count({ where: { to: newEmail } })).toBe(1);
    // The token worked once: the code field is back for the next change.
    await section.getByLabel("Code from your authenticator app or a recovery code").waitFor();
  });

  it("passes axe with a passkey listed, in English and French", async () => {
    await page.goto("/account/security");
    await rows().first().waitFor();
    await expectNoAxeViolations(page, "the security page with a passkey (en)");
    await context.addCookies([{ name: "locale", value: "fr", url: stack.web.url }]);
    try {
      await page.reload();
      await page.getByRole("region", { name: "Clés d’accès" }).locator("[data-passkey-id]").first().waitFor();
      await expectNoAxeViolations(page, "the security page with a passkey (fr)");
    } finally {
      await context.addCookies([{ name: "locale", value: "en", url: stack.web.url }]);
    }
  });

  it("deletes the passkey with the password and a passkey step-up", async () => {
    await page.goto("/account/security");
    await rows().first().getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete the passkey “Work laptop”?" });
    expect(await dialog.innerText()).toContain("your last second factor");
    // The passkey button waits for the password first: the browser says it is missing.
    await dialog.getByRole("button", { name: "Use a passkey" }).click();
    expect(await dialog.getByLabel("Current password").evaluate((el: HTMLInputElement) => el.validity.valueMissing)).toBe(true);
    expect(await db().passkey.count({ where: { userId } })).toBe(1);

    await dialog.getByLabel("Current password").fill(GOOD_PASSWORD);
    await dialog.getByRole("button", { name: "Use a passkey" }).click();
    await expect.poll(() => dialog.isVisible(), SLOW).toBe(false);
    await expect.poll(() => passkeys().getByRole("status").first().innerText(), SLOW).toBe("Passkey deleted.");
    // Focus is on that status, not lost with the row.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Passkey deleted.");
    await page.reload();
    expect(await rows().count()).toBe(0);
    expect(await passkeys().innerText()).toContain("You have no passkey yet.");
    expect(await db().passkey.count({ where: { userId } })).toBe(0);
    // The last second factor went, and its recovery codes with it.
    expect(await db().recoveryCode.count({ where: { userId } })).toBe(0);
  });

  it("says so, instead of offering buttons that cannot work, in a browser without WebAuthn", async () => {
    const bare = await stack.browser.newContext({ baseURL: stack.web.url, viewport: { width: 1000, height: 800 } });
    try {
      await bare.addCookies([{ name: "locale", value: "en", url: stack.web.url }]);
      bare.setDefaultTimeout(20_000);
      await bare.addInitScript(() => {
        delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
      });
      const p = await bare.newPage();
      await p.goto("/signin");
      await p.getByText("This browser cannot sign in with a passkey.").waitFor();
      expect(await p.getByRole("button", { name: "Sign in with a passkey" }).count()).toBe(0);
      // The passkey is gone: a password alone signs in again.
      await signInWithPassword(p, email, GOOD_PASSWORD);
      await p.waitForURL("**/account");
      await p.goto("/account/security");
      const region = p.getByRole("region", { name: "Passkeys" });
      await region.getByText("This browser cannot use passkeys.", { exact: false }).waitFor();
      expect(await region.getByRole("button", { name: "Add a passkey" }).count()).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
