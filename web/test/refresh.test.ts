// The session cookie's backend tokens are refreshed before they expire, once per refresh token
// however many requests ask at the same moment, and a refused refresh ends the web session.
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, startTestServer, testConfig, uniqueEmail, type TestServer } from "../../services/auth/test/harness.js";
import { needsRefresh, REFRESH_MARGIN_MS, refreshIfNeeded, SessionEndedError } from "../lib/server/refresh.js";
import { backendTokens } from "../lib/server/tokens.js";

let server: TestServer;

beforeAll(async () => {
  // No grace: presenting a spent refresh token to the service ends the session at once, so
  // every test below would notice a second exchange of the same token.
  server = await startTestServer({ TESSERA_REFRESH_GRACE: "0" });
  // The web server's clients (lib/server/rpc.ts) read these on first use. The web app runs as
  // production unless told otherwise (and would then refuse the development NEXTAUTH_SECRET).
  process.env.TESSERA_ENV = "test";
  process.env.TESSERA_AUTH_URL = server.baseUrl;
  process.env.TESSERA_SERVICE_CREDENTIAL = testConfig().serviceCredential;
});
afterAll(() => server.stop());

/** A signed-in user's session cookie contents, its access token `msLeft` from expiry. */
async function signedInToken(msLeft: number): Promise<JWT> {
  const email = uniqueEmail("refresh");
  const { user, tokens } = await server.connect(AuthService).register({ email, password: GOOD_PASSWORD, name: "" });
  return { sub: user!.id, email, ...backendTokens(tokens), accessExpires: Date.now() + msLeft };
}

describe("refreshIfNeeded", () => {
  it("leaves a token with time to spare alone", async () => {
    const token = await signedInToken(10 * 60_000);
    expect(needsRefresh(token)).toBe(false);
    expect(await refreshIfNeeded(token)).toBe(token);
  });

  it("exchanges a token about to expire for working ones", async () => {
    const token = await signedInToken(REFRESH_MARGIN_MS / 2);
    const fresh = await refreshIfNeeded(token);
    expect(fresh.refreshToken).not.toBe(token.refreshToken);
    expect(fresh.accessToken).not.toBe(token.accessToken);
    expect(fresh.accessExpires! - Date.now()).toBeGreaterThan(REFRESH_MARGIN_MS);
    expect(fresh.sub).toBe(token.sub);
    const me = await server.connect(UserService, { authorization: `Bearer ${fresh.accessToken}` }).getMe({});
    expect(me.user?.email).toBe(token.email);
  });

  it("makes one exchange for many concurrent requests carrying the same cookie", async () => {
    const token = await signedInToken(REFRESH_MARGIN_MS / 2);
    const results = await Promise.all(Array.from({ length: 8 }, () => refreshIfNeeded(token)));
    // Separate exchanges would each get their own access and refresh token.
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    // A request arriving just after, still with the old cookie, gets the same tokens too.
    expect((await refreshIfNeeded(token)).refreshToken).toBe(results[0]!.refreshToken);
    // And the session is still alive: the new refresh token works.
    const again = await server.connect(AuthService).refresh({ refreshToken: results[0]!.refreshToken! });
    expect(again.tokens?.accessToken).toBeTruthy();
  });

  it("answers a spent refresh token presented again (a stale cookie) without ending the session", async () => {
    const token = await signedInToken(REFRESH_MARGIN_MS / 2);
    const fresh = await refreshIfNeeded(token);
    await new Promise((r) => setTimeout(r, 50));
    const again = await refreshIfNeeded(token);
    expect(again.refreshToken).toBe(fresh.refreshToken);
    const me = await server.connect(UserService, { authorization: `Bearer ${again.accessToken}` }).getMe({});
    expect(me.user?.email).toBe(token.email);
  });

  it("ends the web session when the auth service refuses the refresh token", async () => {
    const token = await signedInToken(REFRESH_MARGIN_MS / 2);
    await server.connect(AuthService).logout({ refreshToken: token.refreshToken! });
    await expect(refreshIfNeeded(token)).rejects.toBeInstanceOf(SessionEndedError);
  });

  it("keeps the current tokens when the auth service is unreachable, to try again later", async () => {
    const token = await signedInToken(REFRESH_MARGIN_MS / 2);
    await server.stop();
    expect(await refreshIfNeeded(token)).toBe(token);
  });
});
