/**
 * User.locale ("en" | "fr"): set by Register, changed by UpdateProfile's "locale" mask, read
 * back by GetMe, "en" for adapter-created (OAuth) accounts.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
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
