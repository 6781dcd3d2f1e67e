/**
 * The access-token guard: local verification against the auth service's JWKS (alg, typ,
 * issuer, audience, exp pinned), the verified-token cache, and the unknown-kid refetch limit.
 */
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessTokens } from "../../auth/src/token/access-token.js";
import type { TestServer } from "../../auth/test/harness.js";
import { AccessTokenGuard } from "../src/guard.js";
import { JwksCache } from "../src/jwks.js";
import type { Gateway } from "../src/server.js";
import { bearer, call, register, startTestGateway, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

const ISSUER = "http://localhost:50051";
const AUDIENCE = "tessera";

let auth: TestServer;
let gw: Gateway;

beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** A well-formed token signed by a key the auth service never published. */
async function foreignToken(kid: string, sub = "someone"): Promise<string> {
  const { privateKey } = await generateKeyPair("EdDSA");
  return new SignJWT({ sid: "s1" })
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(privateKey);
}

describe("guard", () => {
  it("accepts a valid token and rejects missing, malformed, tampered, alg none, wrong audience, expired and unknown-kid tokens", async () => {
    const a = await register(gw);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(200);

    const [h, p, sig] = a.accessToken.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${h}.${b64({ ...payload, sub: "someone-else" })}.${sig}`;
    const algNone = `${b64({ alg: "none", typ: "at+jwt", kid: JSON.parse(Buffer.from(h, "base64url").toString()).kid })}.${b64(payload)}.`;
    const reSigned = await new AccessTokens(auth.app.keys, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 900 }).sign(a.userId, a.sessionId);
    const { kid, privateKey } = await auth.app.keys.signingKey();
    const wrongTyp = await new SignJWT({ sid: a.sessionId })
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(a.userId)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    const wrongAudience = await new AccessTokens(auth.app.keys, { issuer: ISSUER, audience: "someone-else", ttlSeconds: 900 }).sign(a.userId, a.sessionId);
    const wrongIssuer = await new AccessTokens(auth.app.keys, { issuer: "https://evil.example.com", audience: AUDIENCE, ttlSeconds: 900 }).sign(a.userId, a.sessionId);
    const expired = await new AccessTokens(auth.app.keys, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: -120 }).sign(a.userId, a.sessionId);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(reSigned.token) })).status).toBe(200); // same key, same claims: valid

    const cases: Record<string, Record<string, string>> = {
      missing: {},
      "not bearer": { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
      garbage: bearer("not.a.jwt"),
      tampered: bearer(tampered),
      "alg none": bearer(algNone),
      "typ JWT": bearer(wrongTyp),
      "wrong audience": bearer(wrongAudience.token),
      "wrong issuer": bearer(wrongIssuer.token),
      expired: bearer(expired.token),
      "unknown kid": bearer(await foreignToken("no-such-kid", a.userId)),
    };
    for (const [name, headers] of Object.entries(cases)) {
      const r = await call(gw, "GET", "/users/me", { headers });
      expect(r.status, name).toBe(401);
      expect(r.body, name).toMatchObject({ code: "unauthenticated" });
      expect(r.headers.get("www-authenticate"), name).toMatch(/^Bearer/);
    }
  });

  it("remembers verified tokens until exp, within a bounded cache", async () => {
    const a = await register(gw);
    const before = gw.guard.cachedCount;
    await call(gw, "GET", "/users/me", { headers: bearer(a.accessToken) });
    await call(gw, "GET", "/users/me", { headers: bearer(a.accessToken) });
    expect(gw.guard.cachedCount).toBe(before + 1);
  });

  it("makes at most one JWKS fetch per interval for a storm of unknown kids", async () => {
    let offset = 0;
    const fresh = await startTestGateway(auth, {}, { now: () => Date.now() + offset });
    try {
      const storm = async () => {
        const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => foreignToken(`random-${Math.random()}-${i}`)));
        const results = await Promise.all(tokens.map((t) => call(fresh, "GET", "/users/me", { headers: bearer(t) })));
        for (const r of results) expect(r.status).toBe(401);
      };
      await storm();
      expect(fresh.jwks.fetchCount).toBe(1); // the first fetch; no refetch within the interval
      await storm();
      expect(fresh.jwks.fetchCount).toBe(1);
      offset = 31_000; // past the 30 s interval: one more fetch for the whole storm
      await storm();
      expect(fresh.jwks.fetchCount).toBe(2);
      // A real token still works without another fetch.
      const a = await register(fresh);
      expect((await call(fresh, "GET", "/users/me", { headers: bearer(a.accessToken) })).status).toBe(200);
      expect(fresh.jwks.fetchCount).toBe(2);
    } finally {
      await fresh.stop();
    }
  });

  it("accepts a kid published after the last fetch once the interval allows a refetch", async () => {
    // Unit level: the guard and cache against a served key set we control.
    let offset = 0;
    const now = () => Date.now() + offset;
    const keys: Record<string, unknown>[] = [];
    const publish = async (kid: string) => {
      const { privateKey, publicKey } = await generateKeyPair("EdDSA", { extractable: true });
      keys.push({ ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" });
      return privateKey;
    };
    const sign = (key: Parameters<SignJWT["sign"]>[0], kid: string) =>
      new SignJWT({ sid: "s1" })
        .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject("u1")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(key);
    const fakeFetch = (async () => Response.json({ keys: [...keys] })) as typeof fetch;
    const jwks = new JwksCache({ url: "http://auth.invalid/.well-known/jwks.json", logger: pino({ level: "silent" }), now, fetch: fakeFetch });
    const guard = new AccessTokenGuard({ jwks, issuer: ISSUER, audience: AUDIENCE, now });

    const k1 = await publish("k1");
    expect(await guard.verify(await sign(k1, "k1"))).toMatchObject({ userId: "u1", sessionId: "s1" });
    expect(jwks.fetchCount).toBe(1);

    const k2 = await publish("k2");
    const t2 = await sign(k2, "k2");
    await expect(guard.verify(t2)).rejects.toMatchObject({ status: 401 }); // within the interval: no refetch
    expect(jwks.fetchCount).toBe(1);
    offset = 31_000;
    expect(await guard.verify(t2)).toMatchObject({ userId: "u1" });
    expect(jwks.fetchCount).toBe(2);
  });
});
