// Accessibility in headless Chromium: axe-core finds no violation on any page, signed out and
// signed in, in English and French, light and dark, and at a 360 px wide phone screen nothing
// overflows sideways. The language switcher works by keyboard and without JavaScript, and a
// failed submit ties its error to the field and moves focus there. Builds into its own dist
// dir, so it can run beside the other browser suites.
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, uniqueEmail } from "../../../services/auth/test/harness.js";
import { axeViolations, expectNoAxeViolations } from "./axe.js";
import { signInWithPassword } from "./sign-in.js";
import { browserSkipReason, randomStackSecrets, startBrowserStack, stopBrowserStack, type BrowserStack } from "./stack.js";

if (browserSkipReason) console.warn(`[skipped] accessibility browser tests: ${browserSkipReason}`);

const DIST_DIR = ".next-test-a11y";
let stack: BrowserStack;

/** Signed-out pages: path, and what the page must show once rendered (so axe sees the real page). */
const SIGNED_OUT = [
  { path: "/", ready: "form" },
  { path: "/signin", ready: "form" },
  { path: "/signup", ready: "form" },
  { path: "/forgot-password", ready: "form" },
  { path: "/reset-password?token=abc", ready: "form" },
  { path: "/reset-password", ready: "[role=alert]" },
  { path: "/verify-email?token=abc", ready: "form" },
  { path: "/verify-email", ready: "[role=alert]" },
  { path: "/no-such-page", ready: "h1" },
  { path: "/dev/mailbox", ready: "h1" },
];
const SIGNED_IN = [
  { path: "/account", ready: "[data-session-id]" },
  { path: "/account/security", ready: "#authenticator form" },
  { path: "/", ready: "[data-session-id]" },
  { path: "/check-email", ready: "form" },
];

describe.skipIf(!!browserSkipReason)(`accessibility in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`, () => {
  beforeAll(async () => {
    stack = await startBrowserStack(randomStackSecrets(), DIST_DIR);
  }, 300_000);
  afterAll(() => stopBrowserStack(stack ?? {}));

  /** A page whose language is chosen by the `locale` cookie, as the switcher would leave it. */
  async function newPage(locale: "en" | "fr", options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
    // bypassCSP lets axe's script tag in; the app's CSP is checked by browser.test.ts.
    const context = await stack.browser.newContext({ baseURL: stack.web.url, bypassCSP: true, ...options });
    await context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
    return { context, page: await context.newPage() };
  }

  async function signedIn(locale: "en" | "fr", options: BrowserContextOptions = {}) {
    const email = uniqueEmail("a11y");
    await stack.auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "Ada Lovelace" });
    const p = await newPage("en", options);
    await signInWithPassword(p.page, email, GOOD_PASSWORD);
    await p.page.waitForURL("**/account");
    await p.context.addCookies([{ name: "locale", value: locale, url: stack.web.url }]);
    return p;
  }

  async function check(page: Page, path: string, ready: string, label: string) {
    await page.goto(path);
    await page.locator(ready).first().waitFor();
    await expectNoAxeViolations(page, label);
  }

  it("finds violations where there are some (so zero elsewhere means something)", async () => {
    const page = await stack.browser.newPage();
    await page.setContent('<html><body><main><h1>x</h1><img src="data:,"><p style="color:#999;background:#aaa">faint</p></main></body></html>');
    expect((await axeViolations(page)).map((v) => v.id)).toEqual(expect.arrayContaining(["html-has-lang", "image-alt", "color-contrast"]));
    await page.close();
  });

  for (const locale of ["en", "fr"] as const) {
    for (const colorScheme of locale === "en" ? (["light", "dark"] as const) : (["light"] as const)) {
      it(`finds no violation on the signed-out pages (${locale}, ${colorScheme})`, async () => {
        const { context, page } = await newPage(locale, { colorScheme });
        for (const { path, ready } of SIGNED_OUT) {
          await check(page, path, ready, `${path} signed out (${locale}, ${colorScheme})`);
          expect(await page.locator("html").getAttribute("lang")).toBe(locale);
        }
        await context.close();
      });

      it(`finds no violation on the signed-in pages (${locale}, ${colorScheme})`, async () => {
        const { context, page } = await signedIn(locale, { colorScheme });
        for (const { path, ready } of SIGNED_IN) await check(page, path, ready, `${path} signed in (${locale}, ${colorScheme})`);
        await context.close();
      });
    }

    it(`finds no violation where forms show errors (${locale})`, async () => {
      const { context, page } = await newPage(locale);
      await page.goto("/signin");
      await page.locator("input[name=email]").fill(uniqueEmail("nobody"));
      await page.locator("input[name=password]").fill("not the password");
      await page.locator("main form button[type=submit]").click();
      await page.locator("main").getByRole("alert").waitFor();
      await expectNoAxeViolations(page, `failed sign-in (${locale})`);
      await page.goto("/signup");
      await page.locator("input[name=email]").fill(uniqueEmail("x"));
      await page.locator("input[name=password]").fill(GOOD_PASSWORD);
      await page.locator("input[name=confirm]").fill(`${GOOD_PASSWORD}!`);
      await page.locator("main form button[type=submit]").click();
      await page.locator(".field-error").waitFor();
      await expectNoAxeViolations(page, `sign-up with a field error (${locale})`);
      await context.close();
    });
  }

  it("fits a 360 px wide screen: nothing scrolls sideways, signed out or in", async () => {
    const viewport = { width: 360, height: 740 };
    // The elements that stick out on the right, so a failure says what to fix.
    const overflow = (page: Page) =>
      page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        return [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 0.5)
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).replace(/ /g, ".")}` : ""}: ${Math.round(e.getBoundingClientRect().right)}px`);
      });
    const out = await newPage("fr", { viewport });
    for (const { path, ready } of SIGNED_OUT) {
      await out.page.goto(path);
      await out.page.locator(ready).first().waitFor();
      expect(await overflow(out.page), path).toEqual([]);
    }
    const inside = await signedIn("fr", { viewport });
    await inside.page.goto("/account");
    await inside.page.locator("[data-session-id]").first().waitFor();
    expect(await overflow(inside.page), "/account").toEqual([]);
    await expectNoAxeViolations(inside.page, "/account at 360 px");
    await out.context.close();
    await inside.context.close();
  });

  it("speaks the browser's language when no choice was made, English otherwise", async () => {
    const fr = await stack.browser.newContext({ baseURL: stack.web.url, locale: "fr-FR" });
    const page = await fr.newPage();
    await page.goto("/signin");
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Se connecter");
    expect(await page.title()).toBe("Connexion · Tessera");
    await fr.close();
    const de = await stack.browser.newContext({ baseURL: stack.web.url, locale: "de-DE" });
    const dePage = await de.newPage();
    await dePage.goto("/signin");
    expect(await dePage.locator("html").getAttribute("lang")).toBe("en");
    expect(await dePage.getByRole("heading", { level: 1 }).innerText()).toBe("Sign in");
    await de.close();
  });

  it("switches language from the header by keyboard, stays on the page, and remembers the choice", async () => {
    const context = await stack.browser.newContext({ baseURL: stack.web.url, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto("/forgot-password");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    // Tab from the top of the page to the switcher's "Français" and press Enter.
    for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.textContent)) !== "Français"; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("lang"))).toBe("fr");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("fr");
    expect(new URL(page.url()).pathname).toBe("/forgot-password");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).innerText()).toBe("Mot de passe oublié ?");
    expect(await page.getByRole("button", { name: "Français" }).getAttribute("aria-pressed")).toBe("true");
    await page.goto("/signin");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Se connecter");
    await context.close();
  });

  it("switches language without JavaScript, back to the same page and query", async () => {
    const context = await stack.browser.newContext({ baseURL: stack.web.url, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/reset-password?token=abc");
    await page.getByRole("button", { name: "Français" }).click();
    await page.waitForURL("**/reset-password?token=abc");
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Choisir un nouveau mot de passe");
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL("**/reset-password?token=abc");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await context.close();
  });

  it("puts focus on a failed sign-in's error and marks the fields invalid", async () => {
    const { context, page } = await newPage("en");
    await page.goto("/signin");
    await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("nobody"));
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const alert = page.locator("main").getByRole("alert");
    await expect.poll(() => alert.innerText()).toContain("Wrong email or password");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("alert");
    const password = page.getByLabel("Password", { exact: true });
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    expect((await password.getAttribute("aria-describedby"))?.split(" ")).toContain(await alert.getAttribute("id"));
    await context.close();
  });

  it("shows a server action's field error under that field, tied to it, with the focus on it", async () => {
    const { context, page } = await newPage("fr");
    await page.goto("/reset-password?token=abc");
    await page.getByLabel("Nouveau mot de passe", { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmer le nouveau mot de passe").fill(`${GOOD_PASSWORD}?`);
    await page.getByRole("button", { name: "Changer le mot de passe" }).click();
    const confirm = page.getByLabel("Confirmer le nouveau mot de passe");
    await expect.poll(() => confirm.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("confirm");
    const described = (await confirm.getAttribute("aria-describedby"))!.split(" ");
    const texts = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).innerText()));
    expect(texts).toContain("Les deux mots de passe sont différents.");
    // The summary is not repeated: the field says it.
    expect(await page.locator("main").getByRole("alert").count()).toBe(0);
    await context.close();
  });

  it("puts the auth service's refusal of a sign-up under the email field, in the person's language", async () => {
    const email = uniqueEmail("taken");
    await stack.auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "" });
    const { context, page } = await newPage("fr");
    await page.goto("/signup");
    await page.getByLabel("E-mail", { exact: true }).fill(email);
    await page.getByLabel("Mot de passe", { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirmer le mot de passe").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Créer le compte" }).click();
    const field = page.getByLabel("E-mail", { exact: true });
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("email");
    const errorId = (await field.getAttribute("aria-describedby"))!.split(" ")[0]!;
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toContain("Un compte utilise déjà cet e-mail");
    await context.close();
  });
});
