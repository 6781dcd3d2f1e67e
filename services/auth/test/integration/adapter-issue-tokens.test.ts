/**
 * AdapterService.IssueTokens: after NextAuth signs a user in through an OAuth provider, the
 * Next.js server exchanges the user id (holding the service credential) for Tessera tokens.
 */
import { Code, type Client } from "@connectrpc/connect";
import { createLocalJWKSet, jwtVerify } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { startAdapterSuite, stopAdapterSuite } from "./adapter-fixtures.js";

let server: TestServer;
let adapter: Client<typeof AdapterService>;
let db: pg.Client;
beforeAll(async () => {
  ({ server, adapter, db } = await startAdapterSuite());
});
afterAll(() => stopAdapterSuite({ server, db }));

async function oauthUser(): Promise<{ id: string; email: string }> {
  const email = uniqueEmail("oauth");
  const { user } = await adapter.createUser({ email, emailVerified: { seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 } });
  await adapter.linkAccount({ account: { userId: user!.id, type: "oauth", provider: "google", providerAccountId: `g-${user!.id}` } });
  return { id: user!.id, email };
}

/** Verifies an access token as any relying service would: the published JWKS, pinned claims. */
async function verify(accessToken: string) {
  const { keys } = await server.connect(AuthService).getJwks({});
  const { issuer, audience } = testConfig();
  const jwks = createLocalJWKSet({ keys: keys.map(({ kid, kty, crv, x, alg, use }) => ({ kid, kty, crv, x, alg, use })) });
  const { payload } = await jwtVerify(accessToken, jwks, { algorithms: ["EdDSA"], issuer, audience, typ: "at+jwt" });
  return payload;
}

describe("IssueTokens", () => {
  it("returns an access token that verifies with the JWKS, for a new session of the user", async () => {
    const user = await oauthUser();
    const { tokens } = await adapter.issueTokens({ userId: user.id, clientUserAgent: "Firefox/140", clientIpAddress: "198.51.100.7" });
    expect(tokens).toMatchObject({ tokenType: "Bearer" });
    const claims = await verify(tokens!.accessToken);
    expect(claims).toMatchObject({ sub: user.id, sid: tokens!.sessionId });
    expect(Number(tokens!.accessTokenExpireTime!.seconds)).toBe(claims.exp);

    // The access token is accepted by UserService like any other.
    const me = await server.connect(UserService, { authorization: `Bearer ${tokens!.accessToken}` }).getMe({});
    expect(me.user).toMatchObject({ id: user.id, email: user.email });
  });

  it("returns a refresh token that AuthService.Refresh accepts (and rotates)", async () => {
    const user = await oauthUser();
    const { tokens } = await adapter.issueTokens({ userId: user.id, clientUserAgent: "Firefox/140", clientIpAddress: "198.51.100.7" });
    const refreshed = await server.connect(AuthService).refresh({ refreshToken: tokens!.refreshToken });
    expect(refreshed.tokens).toMatchObject({ sessionId: tokens!.sessionId });
    expect(refreshed.tokens!.refreshToken).not.toBe(tokens!.refreshToken);
    expect((await verify(refreshed.tokens!.accessToken)).sub).toBe(user.id);
  });

  it("records the browser's device from the request fields, and SIGN_IN_SUCCEEDED with method oauth", async () => {
    const user = await oauthUser();
    const { tokens } = await adapter.issueTokens({ userId: user.id, clientUserAgent: "Safari/18", clientIpAddress: "::ffff:192.0.2.44" });
    const { rows: sessions } = await db.query(`SELECT "userAgent", "ipAddress", "sessionToken" FROM "Session" WHERE id = $1`, [tokens!.sessionId]);
    expect(sessions).toEqual([{ userAgent: "Safari/18", ipAddress: "192.0.2.44", sessionToken: null }]);
    const { rows: events } = await db.query(`SELECT type, "sessionId", "userAgent", "ipAddress", data FROM "AuditEvent" WHERE "userId" = $1 AND type = 'SIGN_IN_SUCCEEDED'`, [
      user.id,
    ]);
    expect(events).toEqual([{ type: "SIGN_IN_SUCCEEDED", sessionId: tokens!.sessionId, userAgent: "Safari/18", ipAddress: "192.0.2.44", data: { method: "oauth" } }]);

    // The session is the user's to see and end.
    const users = server.connect(UserService, { authorization: `Bearer ${tokens!.accessToken}` });
    const { sessions: listed } = await users.listSessions({});
    expect(listed.map((s) => [s.id, s.userAgent, s.ipAddress, s.current])).toEqual([[tokens!.sessionId, "Safari/18", "192.0.2.44", true]]);
  });

  it("accepts IPv6 and unknown (empty) device info", async () => {
    const user = await oauthUser();
    const { tokens } = await adapter.issueTokens({ userId: user.id, clientIpAddress: "2001:db8::1" });
    const { rows } = await db.query(`SELECT "userAgent", "ipAddress" FROM "Session" WHERE id = $1`, [tokens!.sessionId]);
    expect(rows).toEqual([{ userAgent: "", ipAddress: "2001:db8::1" }]);
    await adapter.issueTokens({ userId: user.id });
  });

  it("is NOT_FOUND for an unknown user, and starts no session", async () => {
    const missing = "00000000-0000-0000-0000-000000000000";
    expect(await failure(adapter.issueTokens({ userId: missing, clientIpAddress: "192.0.2.1" }))).toMatchObject({ code: Code.NotFound, reason: "user.not_found" });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1`, [missing]);
    expect(rows[0].n).toBe(0);
  });

  it.each([
    ["user_id", { userId: "" }],
    ["user_id", { userId: "x".repeat(65) }],
    ["client_user_agent", { clientUserAgent: "u".repeat(513) }],
    ["client_user_agent", { clientUserAgent: "nul\0" }],
    ["client_ip_address", { clientIpAddress: "not-an-ip" }],
    ["client_ip_address", { clientIpAddress: "192.0.2.1, 10.0.0.1" }],
  ])("is INVALID_ARGUMENT for a bad %s, and starts no session", async (field, change) => {
    const user = await oauthUser();
    const call = adapter.issueTokens({ userId: user.id, clientUserAgent: "Firefox/140", clientIpAddress: "192.0.2.1", ...change });
    expect(await failure(call)).toMatchObject({ code: Code.InvalidArgument, reason: "request.invalid_argument", field });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1`, [user.id]);
    expect(rows[0].n).toBe(0);
  });

  it("a user agent of 512 characters is accepted", async () => {
    const user = await oauthUser();
    const { tokens } = await adapter.issueTokens({ userId: user.id, clientUserAgent: "u".repeat(512) });
    const { rows } = await db.query(`SELECT length("userAgent") AS n FROM "Session" WHERE id = $1`, [tokens!.sessionId]);
    expect(rows[0].n).toBe(512);
  });

  it("issues nothing for a password sign-in: an OAuth-only user still has no password", async () => {
    const user = await oauthUser();
    expect(await failure(server.connect(AuthService).login({ email: user.email, password: GOOD_PASSWORD }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "auth.invalid_credentials",
    });
  });
});
