import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Tokens } from "../../../../gen/tessera/auth/v1/tokens_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import type { Components } from "../../src/server/app.js";
import { GOOD_PASSWORD, inProcess, testConfig, uniqueEmail, failure } from "../harness.js";

/** The code and ErrorDetail of a call that must fail. */

interface Service {
  components: Components;
  auth: Client<typeof AuthService>;
}

async function service(env: Record<string, string>): Promise<Service> {
  const { components, transport } = await inProcess(env);
  return { components, auth: createClient(AuthService, transport) };
}

/** A new account's first session. */
async function signUp({ auth }: Service): Promise<{ userId: string; tokens: Tokens }> {
  const res = await auth.register({ email: uniqueEmail("refresh"), password: GOOD_PASSWORD });
  return { userId: res.user!.id, tokens: res.tokens! };
}

/** Verifies an access token the way a client would: with the published JWKS, pinned. */
async function accessClaims({ auth }: Service, accessToken: string) {
  const { keys } = await auth.getJwks({});
  const { issuer, audience } = testConfig();
  const jwks = createLocalJWKSet({ keys: keys.map(({ kid, kty, crv, x, alg, use }) => ({ kid, kty, crv, x, alg, use })) });
  const { payload } = await jwtVerify(accessToken, jwks, {
    algorithms: ["EdDSA"],
    issuer,
    audience,
    typ: "at+jwt",
  });
  return payload;
}

let noGrace: Service;
let longGrace: Service;
beforeAll(async () => {
  [noGrace, longGrace] = await Promise.all([service({ TESSERA_REFRESH_GRACE: "0" }), service({ TESSERA_REFRESH_GRACE: "120" })]);
});
afterAll(() => Promise.all([noGrace?.components.close(), longGrace?.components.close()]));

describe("rotation", () => {
  it("returns a new refresh token and a working access token for the same session", async () => {
    const { userId, tokens } = await signUp(noGrace);
    const res = await noGrace.auth.refresh({ refreshToken: tokens.refreshToken });
    const next = res.tokens!;
    expect(next.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    expect(next.sessionId).toBe(tokens.sessionId);
    expect(next.tokenType).toBe("Bearer");
    expect(next.refreshTokenExpireTime).toEqual(tokens.refreshTokenExpireTime); // absolute session lifetime
    expect(await accessClaims(noGrace, next.accessToken)).toMatchObject({ sub: userId, sid: tokens.sessionId });

    // The new refresh token is itself usable.
    await expect(noGrace.auth.refresh({ refreshToken: next.refreshToken })).resolves.toBeDefined();
  });

  it("refuses the old token after rotation and treats it as reuse: session revoked, event recorded", async () => {
    const { userId, tokens } = await signUp(noGrace);
    const next = (await noGrace.auth.refresh({ refreshToken: tokens.refreshToken })).tokens!;

    expect(await failure(noGrace.auth.refresh({ refreshToken: tokens.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "auth.refresh_token_reused",
      field: "",
    });
    // The whole session is over: the newest token fails too.
    expect(await failure(noGrace.auth.refresh({ refreshToken: next.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "session.revoked",
    });
    const events = await noGrace.components.db.auditEvent.findMany({ where: { sessionId: tokens.sessionId, type: "REFRESH_TOKEN_REUSED" } });
    expect(events).toMatchObject([{ userId }]);
  });

  it("without a grace window, lets exactly one of two concurrent refreshes of one token succeed", async () => {
    const { tokens } = await signUp(noGrace);
    const results = await Promise.allSettled([
      noGrace.auth.refresh({ refreshToken: tokens.refreshToken }),
      noGrace.auth.refresh({ refreshToken: tokens.refreshToken }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(await failure(Promise.reject(rejected?.reason))).toMatchObject({ reason: "auth.refresh_token_reused" });
  });
});

describe("grace window", () => {
  it("lets two concurrent refreshes of one token both succeed, and both successors work", async () => {
    const { tokens } = await signUp(longGrace);
    const [a, b] = await Promise.all([
      longGrace.auth.refresh({ refreshToken: tokens.refreshToken }),
      longGrace.auth.refresh({ refreshToken: tokens.refreshToken }),
    ]);
    expect(a.tokens!.sessionId).toBe(tokens.sessionId);
    expect(b.tokens!.sessionId).toBe(tokens.sessionId);
    expect(a.tokens!.refreshToken).not.toBe(b.tokens!.refreshToken);

    const [a2, b2] = await Promise.all([
      longGrace.auth.refresh({ refreshToken: a.tokens!.refreshToken }),
      longGrace.auth.refresh({ refreshToken: b.tokens!.refreshToken }),
    ]);
    expect(a2.tokens!.sessionId).toBe(tokens.sessionId);
    expect(b2.tokens!.sessionId).toBe(tokens.sessionId);
  });

  it("accepts a spent token again within the window, for the same session", async () => {
    const { tokens } = await signUp(longGrace);
    await longGrace.auth.refresh({ refreshToken: tokens.refreshToken });
    const again = await longGrace.auth.refresh({ refreshToken: tokens.refreshToken });
    expect(again.tokens!.sessionId).toBe(tokens.sessionId);
  });

  it("does not revive a logged-out session: a spent token inside the window then fails", async () => {
    const { tokens } = await signUp(longGrace);
    const next = (await longGrace.auth.refresh({ refreshToken: tokens.refreshToken })).tokens!;
    await longGrace.auth.logout({ refreshToken: next.refreshToken });
    expect(await failure(longGrace.auth.refresh({ refreshToken: tokens.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "session.revoked",
    });
  });
});

describe("refused tokens", () => {
  it.each([
    ["empty", ""],
    ["too short", "a".repeat(42)],
    ["too long", "a".repeat(44)],
    ["base64 with + and /", `${"a".repeat(41)}+/`],
    ["padded", `${"a".repeat(42)}=`],
    ["surrounded by spaces", ` ${"a".repeat(43)} `],
  ])("refuses a %s refresh token with INVALID_ARGUMENT on field refresh_token", async (_, refreshToken) => {
    expect(await failure(noGrace.auth.refresh({ refreshToken }))).toMatchObject({
      code: Code.InvalidArgument,
      reason: "request.invalid_argument",
      field: "refresh_token",
    });
  });

  it("refuses a well-formed but unknown token", async () => {
    expect(await failure(noGrace.auth.refresh({ refreshToken: "A".repeat(43) }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "auth.invalid_refresh_token",
    });
  });

  it("refuses a token of an expired session with reason session.expired", async () => {
    const { tokens } = await signUp(noGrace);
    await noGrace.components.db.session.update({ where: { id: tokens.sessionId }, data: { expires: new Date(Date.now() - 1000) } });
    expect(await failure(noGrace.auth.refresh({ refreshToken: tokens.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "session.expired",
    });
  });
});
