// End to end in headless Chromium against a real (local) OpenID provider, against account takeover:
// an unverified provider email cannot create an account; a squatter's provider link made while
// the owner's email was unverified stops working once the owner proves the mailbox with a
// password reset; and the account page lists sign-in methods and unlinks them, never the
// last way in. Builds into its own dist dir, so it can run beside browser.test.ts.
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, uniqueEmail, type TestServer } from "../../../services/auth/test/harness.js";
import { signInWithIdp, signInWithPassword } from "./sign-in.js";
import { browserSkipReason, startBrowserStack, stopBrowserStack, type OpenIdProvider, type WebServer } from "./stack.js";

if (browserSkipReason) console.warn(`[skipped] OAuth identity browser tests: ${browserSkipReason}`);

const DIST_DIR = ".next-test-oauth";
const SERVICE_CREDENTIAL = `svc-${randomBytes(24).toString("hex")}`;
const NEXTAUTH_SECRET = `nas-${randomBytes(24).toString("hex")}`;
const NEW_PASSWORD = "the owner's own new passphrase 9";

let auth: TestServer;
let idp: OpenIdProvider;
let web: WebServer;
let browser: Browser;

describe.skipIf(!!browserSkipReason)(`OAuth identities in Chromium${browserSkipReason ? ` (skipped: ${browserSkipReason})` : ""}`, () => {
  beforeAll(async () => {
    ({ auth, idp, web, browser } = await startBrowserStack({ TESSERA_SERVICE_CREDENTIAL: SERVICE_CREDENTIAL, NEXTAUTH_SECRET }, DIST_DIR));
  }, 300_000);
  afterAll(() => stopBrowserStack({ auth, idp, web, browser }));

  const adapter = () => auth.connect(AdapterService, { "tessera-service-credential": SERVICE_CREDENTIAL });
  const linkedUserId = async (login: string) => (await adapter().getUserByAccount({ provider: "oidc", providerAccountId: login })).user?.id;
  /** Who the browser is signed in as, from next-auth's session endpoint ({} when nobody). */
  const sessionOf = async (page: Page) => (await (await page.request.get("/api/auth/session")).json()) as { user?: { id?: string; email?: string } };

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: web.url });
    return { context, page: await context.newPage() };
  }

  it("refuses to create an account from a provider identity whose email the provider has not verified", async () => {
    const email = uniqueEmail("oidc-unverified");
    idp.accounts.set("unverified-newcomer", { email, emailVerified: false, name: "Mallory" });
    const { page, context } = await newPage();
    await signInWithIdp(page, "unverified-newcomer");
    await page.waitForURL("**/signin?error=EmailNotVerified");
    expect(await page.locator("main").getByRole("alert").innerText()).toContain("has not verified this email address");
    expect(await sessionOf(page)).toEqual({});
    // Nothing was written: no user with the address, no link, so the owner can still register.
    expect((await adapter().getUserByEmail({ email })).user).toBeUndefined();
    expect(await linkedUserId("unverified-newcomer")).toBeUndefined();
    expect(await auth.app.db.account.count({ where: { providerAccountId: "unverified-newcomer" } })).toBe(0);
    await auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "" });
    await context.close();
  });

  it("a squatter's link made while the owner's email was unverified stops working once the owner resets the password", async () => {
    // The owner signed up with a password and has not opened the verification mail yet. A
    // squatter who claimed the same address at the provider (unverified there) got a link to
    // the account, as the old rules allowed through the adapter.
    const email = uniqueEmail("owner");
    const { user } = await auth.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "Owner" });
    const ownerId = user!.id;
    idp.accounts.set("squatter", { email, emailVerified: false, name: "Squatter" });
    await adapter().linkAccount({ account: { userId: ownerId, type: "oauth", provider: "oidc", providerAccountId: "squatter" } });

    // Before the reset the link works: the squatter is in the owner's account.
    const squatter = await newPage();
    await signInWithIdp(squatter.page, "squatter");
    await squatter.page.waitForURL("**/account");
    expect((await sessionOf(squatter.page)).user?.id).toBe(ownerId);
    await squatter.context.close();

    // The owner resets the password through the mailed link.
    const owner = await newPage();
    await owner.page.goto("/forgot-password");
    await owner.page.getByLabel("Email", { exact: true }).fill(email);
    await owner.page.getByRole("button", { name: "Send the reset link" }).click();
    await expect.poll(() => owner.page.locator("main").getByRole("status").innerText()).toContain("If an account uses this email");
    // The outbox delivers after the request has answered: look until the mail is there.
    const mail = owner.page.getByRole("article", { name: /reset your/i }).first();
    await expect
      .poll(async () => {
        await owner.page.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
        return mail.count();
      }, { timeout: 20_000 })
      .toBeGreaterThan(0);
    await mail.getByRole("link").first().click();
    await owner.page.waitForURL("**/reset-password?token=*");
    await owner.page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await owner.page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await owner.page.getByRole("button", { name: "Change password" }).click();
    await owner.page.waitForURL("**/signin?reset=1");

    // The link is gone, with an audit row saying why.
    expect(await linkedUserId("squatter")).toBeUndefined();
    expect(await auth.app.db.account.count({ where: { provider: "oidc", providerAccountId: "squatter" } })).toBe(0);
    const unlinked = await auth.app.db.auditEvent.findMany({ where: { userId: ownerId, type: "ACCOUNT_UNLINKED" } });
    expect(unlinked.map((e) => e.data)).toEqual([expect.objectContaining({ provider: "oidc", reason: "mailbox_proven" })]);

    // The squatter's next provider sign-in does not reach the owner's account.
    const again = await newPage();
    await signInWithIdp(again.page, "squatter");
    await again.page.waitForURL("**/signin?error=LinkRefused");
    const session = await sessionOf(again.page);
    expect(session.user?.id).toBeUndefined();
    expect(session).toEqual({});
    expect(await linkedUserId("squatter")).toBeUndefined();
    await again.context.close();

    // The owner is in, with the new password.
    await signInWithPassword(owner.page, email, NEW_PASSWORD);
    await owner.page.waitForURL("**/account");
    expect((await sessionOf(owner.page)).user?.id).toBe(ownerId);
    await owner.context.close();
  });

  it("unlinks a provider from the account page, and never offers to unlink the last way in", async () => {
    // A password account, verified, that linked the provider (both sides verified the email).
    const email = uniqueEmail("unlinker");
    const client = auth.connect(AuthService);
    const { user, tokens } = await client.register({ email, password: GOOD_PASSWORD, name: "" });
    await auth.app.db.user.update({ where: { id: user!.id }, data: { emailVerified: new Date() } });
    await client.logout({ refreshToken: tokens!.refreshToken });
    idp.accounts.set("unlinker", { email, emailVerified: true });
    const a = await newPage();
    await signInWithIdp(a.page, "unlinker");
    await a.page.waitForURL("**/account");
    expect(await linkedUserId("unlinker")).toBe(user!.id);

    const methods = a.page.getByRole("region", { name: "Sign-in methods" });
    await expect.poll(() => methods.innerText()).toContain("Test IdP");
    expect(await methods.innerText()).toContain("Password: set");
    await methods.getByRole("button", { name: "Unlink Test IdP" }).click();
    // It asks first, saying what unlinking means.
    const dialog = a.page.getByRole("dialog", { name: "Unlink Test IdP?" });
    expect(await dialog.innerText()).toContain("no longer be able to sign in with Test IdP");
    await dialog.getByRole("button", { name: "Unlink Test IdP" }).click();
    // The page is re-rendered without the link.
    await expect.poll(() => methods.innerText()).not.toContain("Test IdP");
    expect(await linkedUserId("unlinker")).toBeUndefined();
    await a.page.reload();
    expect(await methods.innerText()).not.toContain("Test IdP");
    const events = await auth.app.db.auditEvent.findMany({ where: { userId: user!.id, type: "ACCOUNT_UNLINKED" } });
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ provider: "oidc", reason: "user_request" })]);
    await a.context.close();

    // An account made by the provider sign-in alone: its link is the only way in.
    const only = uniqueEmail("provider-only");
    idp.accounts.set("provider-only", { email: only, emailVerified: true });
    const b = await newPage();
    await signInWithIdp(b.page, "provider-only");
    await b.page.waitForURL("**/account");
    const onlyMethods = b.page.getByRole("region", { name: "Sign-in methods" });
    await expect.poll(() => onlyMethods.innerText()).toContain("Test IdP");
    expect(await onlyMethods.innerText()).toContain("Password: not set");
    expect(await onlyMethods.innerText()).toMatch(/your only way to sign in/i);
    expect(await onlyMethods.getByRole("button").count()).toBe(0);
    const providerOnlyId = await linkedUserId("provider-only");
    expect(providerOnlyId).toEqual(expect.any(String));
    // Created verified (the provider vouched), so the link is not one a reset would remove.
    expect(await auth.app.db.account.findFirst({ where: { providerAccountId: "provider-only" }, select: { linkedWhileUnverified: true } })).toEqual({
      linkedWhileUnverified: false,
    });
    await b.context.close();
  });
});
