/**
 * User.locale ("en" | "fr"): set by Register, changed by UpdateProfile's "locale" mask, read
 * back by GetMe, "en" for adapter-created (OAuth) accounts, and the language of the mail the
 * account receives, through the real outbox and development mailbox.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { deliveredMail, mailedLinkToken } from "./mailed-links.js";
import { signUp } from "./user-fixtures.js";

const WEB_URL = "https://web.locale.test";
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TESSERA_WEB_URL: WEB_URL, PRODUCT_NAME: "Acme ID" });
});
afterAll(() => server?.stop());

const INVALID_LOCALE = { code: Code.InvalidArgument, reason: "request.invalid_argument", field: "locale" };

/** Registers with `locale` and returns a UserService client of the new session. */
async function register(locale: string | undefined, name = "") {
  const email = uniqueEmail("locale");
  const { user, tokens } = await server.connect(AuthService).register({ email, password: GOOD_PASSWORD, name, ...(locale === undefined ? {} : { locale }) });
  return { email, user: user!, users: server.connect(UserService, { authorization: `Bearer ${tokens!.accessToken}` }) };
}

describe("Register", () => {
  it.each([
    ["fr", "fr"],
    ["en", "en"],
    ["", "en"],
    [undefined, "en"],
  ])("with locale %j makes an account that reads %j, in its answer and in GetMe", async (given, stored) => {
    const { user, users } = await register(given);
    expect(user.locale).toBe(stored);
    expect((await users.getMe({})).user?.locale).toBe(stored);
  });

  it.each(["de", "FR", "en-GB", " fr", "x".repeat(1000)])("refuses locale %j with INVALID_ARGUMENT on field locale, and writes nothing", async (locale) => {
    const email = uniqueEmail("badlocale");
    expect(await failureDetail(server.connect(AuthService).register({ email, password: GOOD_PASSWORD, locale }))).toEqual(INVALID_LOCALE);
    expect(await server.app.db.user.count({ where: { email } })).toBe(0);
    expect(await server.app.db.outboxMail.count({ where: { to: email } })).toBe(0);
    // The address is still free: the refused call left nothing behind.
    expect((await server.connect(AuthService).register({ email, password: GOOD_PASSWORD })).user?.email).toBe(email);
  });
});

describe("UpdateProfile with update_mask locale", () => {
  it("changes the language, and GetMe reads it back; other fields stay", async () => {
    const { users } = await register(undefined, "Ada");
    const { user } = await users.updateProfile({ locale: "fr", updateMask: { paths: ["locale"] } });
    expect(user).toMatchObject({ locale: "fr", name: "Ada" });
    expect((await users.getMe({})).user).toMatchObject({ locale: "fr", name: "Ada" });
    // Without "locale" in the mask, the field is ignored.
    await users.updateProfile({ name: "Ada L.", locale: "en", updateMask: { paths: ["name"] } });
    expect((await users.getMe({})).user).toMatchObject({ locale: "fr", name: "Ada L." });
    // Named but empty means the default, as in Register.
    await users.updateProfile({ updateMask: { paths: ["locale"] } });
    expect((await users.getMe({})).user?.locale).toBe("en");
  });

  it("refuses an unknown locale on field locale and changes nothing, name included", async () => {
    const { users } = await register("fr", "Ada");
    expect(await failureDetail(users.updateProfile({ name: "Eve", locale: "es", updateMask: { paths: ["name", "locale"] } }))).toEqual(INVALID_LOCALE);
    expect((await users.getMe({})).user).toMatchObject({ locale: "fr", name: "Ada" });
  });
});

describe("accounts made by the NextAuth adapter", () => {
  it("read en", async () => {
    const adapter = server.connect(AdapterService, serviceCredentialHeader());
    const { user } = await adapter.createUser({ email: uniqueEmail("oauthlocale"), emailVerified: { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 } });
    const { tokens } = await adapter.issueTokens({ userId: user!.id, clientIpAddress: "192.0.2.1" });
    const me = await server.connect(UserService, { authorization: `Bearer ${tokens!.accessToken}` }).getMe({});
    expect(me.user?.locale).toBe("en");
  });
});

describe("mail in the account's language", () => {
  it("a French account's reset mail arrives in French through the outbox, with a working link", async () => {
    const { email } = await register("fr", "Amélie");
    await server.connect(AuthService).requestPasswordReset({ email });
    const reset = (await deliveredMail(server.app, email)).filter((m) => m.text.includes("/reset-password?"));
    expect(reset).toHaveLength(1);
    const [mail] = reset;
    expect(mail!.subject).toBe("Réinitialisez votre mot de passe Acme ID");
    expect(mail!.text).toContain("Bonjour Amélie,");
    expect(mail!.text).toContain("Choisir un nouveau mot de passe");
    expect(mail!.html).toContain('<html lang="fr"');
    expect(`${mail!.subject}${mail!.text}${mail!.html}`).not.toMatch(/tessera/i);
    // The link works: the new password signs in.
    const token = await mailedLinkToken(server.app, email, "reset-password");
    await server.connect(AuthService).resetPassword({ token, newPassword: "une phrase de passe toute neuve" });
    expect((await server.connect(AuthService).login({ email, password: "une phrase de passe toute neuve" })).user?.locale).toBe("fr");
  });

  it("follows a change of language: verification mail after switching to French is French", async () => {
    const me = await signUp(server, { tag: "switch" });
    expect((await deliveredMail(server.app, me.email))[0]!.subject).toBe("Confirm your email address");
    await me.users.updateProfile({ locale: "fr", updateMask: { paths: ["locale"] } });
    await server.connect(AuthService, { authorization: `Bearer ${me.accessToken}` }).requestEmailVerification({});
    const mails = await deliveredMail(server.app, me.email);
    expect(mails.map((m) => m.subject)).toEqual(["Confirm your email address", "Confirmez votre adresse e-mail"]);
    expect(mails[1]!.text).toContain(`${WEB_URL}/verify-email?token=`);
  });
});
