import { Code } from "@connectrpc/connect";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tokens } from "../../../../gen/tessera/auth/v1/tokens_pb.js";
import { GOOD_PASSWORD, inProcessAuth, testConfig, uniqueEmail, type InProcessAuth } from "../harness.js";
import { failure } from "../rpc-failure.js";

/** A new account's first session. */
async function signUp({ auth }: InProcessAuth): Promise<{ userId: string; tokens: Tokens }> {
  const res = await auth.register({ email: uniqueEmail("refresh"), password: GOOD_PASSWORD });
  return { userId: res.user!.id, tokens: res.tokens! };
}

/** Verifies an access token the way a client would: with the published JWKS, pinned. */
async function accessClaims({ auth }: InProcessAuth, accessToken: string) {
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

let noGrace: InProcessAuth;
let longGrace: InProcessAuth;
beforeAll(async () => {
  [noGrace, longGrace] = await Promise.all([inProcessAuth({ TESSERA_REFRESH_GRACE: "0" }), inProcessAuth({ TESSERA_REFRESH_GRACE: "120" })]);
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
  /** The session's unspent refresh tokens: its live branches. */
  const liveTokens = (sessionId: string) => longGrace.components.db.refreshToken.count({ where: { sessionId, usedAt: null } });

  it("gives 8 concurrent exchanges of one token the same successor, and each a working access token", async () => {
    const { userId, tokens } = await signUp(longGrace);
    const results = await Promise.all(Array.from({ length: 8 }, () => longGrace.auth.refresh({ refreshToken: tokens.refreshToken })));
    expect(new Set(results.map((r) => r.tokens!.refreshToken)).size).toBe(1);
    for (const r of results) {
      expect(r.tokens!.sessionId).toBe(tokens.sessionId);
      expect(await accessClaims(longGrace, r.tokens!.accessToken)).toMatchObject({ sub: userId, sid: tokens.sessionId });
    }
    expect(await liveTokens(tokens.sessionId)).toBe(1);
    // The one successor rotates on as usual, also when exchanged twice at once.
    const next = await Promise.all([0, 1].map(() => longGrace.auth.refresh({ refreshToken: results[0]!.tokens!.refreshToken })));
    expect(next[0]!.tokens!.refreshToken).toBe(next[1]!.tokens!.refreshToken);
    expect(next[0]!.tokens!.refreshToken).not.toBe(results[0]!.tokens!.refreshToken);
    expect(await liveTokens(tokens.sessionId)).toBe(1);
  });

  it("accepts a spent token again within the window, answering with the same successor", async () => {
    const { tokens } = await signUp(longGrace);
    const first = await longGrace.auth.refresh({ refreshToken: tokens.refreshToken });
    const again = await longGrace.auth.refresh({ refreshToken: tokens.refreshToken });
    expect(again.tokens!.sessionId).toBe(tokens.sessionId);
    expect(again.tokens!.refreshToken).toBe(first.tokens!.refreshToken);
  });

  it("never lets a session have two live branches: a replay after the holder rotated on is reuse, even inside the window", async () => {
    const { tokens } = await signUp(longGrace);
    const stolen = tokens.refreshToken;
    // The attacker's replay before the owner moves on yields only the owner's own next token.
    const owner1 = (await longGrace.auth.refresh({ refreshToken: stolen })).tokens!;
    const attacker1 = (await longGrace.auth.refresh({ refreshToken: stolen })).tokens!;
    expect(attacker1.refreshToken).toBe(owner1.refreshToken);
    expect(await liveTokens(tokens.sessionId)).toBe(1);
    // The owner rotates on; the old token, replayed inside its window, now ends the session.
    const owner2 = (await longGrace.auth.refresh({ refreshToken: owner1.refreshToken })).tokens!;
    expect(await liveTokens(tokens.sessionId)).toBe(1);
    expect(await failure(longGrace.auth.refresh({ refreshToken: stolen }))).toMatchObject({
      code: Code.Unauthenticated,
      reason: "auth.refresh_token_reused",
    });
    for (const t of [owner2.refreshToken, owner1.refreshToken, stolen]) {
      expect((await failure(longGrace.auth.refresh({ refreshToken: t }))).reason).toBe("session.revoked");
    }
    const session = await longGrace.components.db.session.findUniqueOrThrow({ where: { id: tokens.sessionId } });
    expect(session.revokeReason).toBe("refresh_token_reused");
    expect(await longGrace.components.db.auditEvent.count({ where: { sessionId: tokens.sessionId, type: "REFRESH_TOKEN_REUSED" } })).toBe(1);
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
