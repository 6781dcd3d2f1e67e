import { createHmac, createPublicKey } from "node:crypto";
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Tokens } from "../../../../gen/tessera/auth/v1/tokens_pb.js";
import type { Components } from "../../src/server/app.js";
import { AccessTokens } from "../../src/token/access-token.js";
import { GOOD_PASSWORD, inProcess, startTestServer, testConfig, uniqueEmail, type TestServer } from "../harness.js";

// A non-default lifetime, so exp - iat proves the configured TTL is used.
const ENV = { TESSERA_ACCESS_TOKEN_TTL: "600" };
const config = testConfig(ENV);
const PINS = { algorithms: ["EdDSA"], issuer: config.issuer, audience: config.audience, typ: "at+jwt" };

const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** A tessera.auth.v1.Jwk as a plain JWK. */
const toJwk = ({ kid, kty, crv, x, alg, use }: { kid: string; kty: string; crv: string; x: string; alg: string; use: string }): JWK => ({ kid, kty, crv, x, alg, use });
const decodePart = (part: string | undefined) => JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;

/** An HS256 token over the given header and claims, with `secret` as the HMAC key. */
function hs256(header: Record<string, unknown>, claims: Record<string, unknown>, secret: Buffer | string): string {
  const input = `${b64json({ ...header, alg: "HS256" })}.${b64json(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

let server: TestServer;
let components: Components;
let userId: string;
let tokens: Tokens;
let publicJwk: JWK;
/** Forged tokens by name; each must be refused by every verifier. */
const forgeries: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer(ENV);
  components = (await inProcess(ENV)).components;
  const reg = await server.connect(AuthService).register({ email: uniqueEmail("jwt"), password: GOOD_PASSWORD });
  userId = reg.user!.id;
  tokens = reg.tokens!;

  const [h, p, signature] = tokens.accessToken.split(".");
  const header = decodePart(h);
  const claims = decodePart(p);
  const { keys } = await server.connect(AuthService).getJwks({});
  publicJwk = toJwk(keys.find((k) => k.kid === header.kid)!);
  const publicKey = createPublicKey({ key: publicJwk, format: "jwk" });

  forgeries["alg none"] = `${b64json({ ...header, alg: "none" })}.${p}.`;
  forgeries["HS256 keyed with the JWK x bytes"] = hs256(header, claims, Buffer.from(publicJwk.x!, "base64url"));
  forgeries["HS256 keyed with the public key PEM"] = hs256(header, claims, publicKey.export({ type: "spki", format: "pem" }));
  forgeries["HS256 keyed with the public key SPKI DER"] = hs256(header, claims, publicKey.export({ type: "spki", format: "der" }));
  forgeries["tampered payload"] = `${h}.${b64json({ ...claims, sub: "00000000-0000-7000-8000-000000000000" })}.${signature}`;

  const other = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  forgeries["other Ed25519 key with the same kid"] = await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(other.privateKey);

  // Genuinely signed by the service's key, but for someone else or of another kind.
  const signer = (opts: { issuer?: string; audience?: string }) =>
    new AccessTokens(components.keys, { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds, ...opts });
  forgeries["wrong audience"] = (await signer({ audience: "another-api" }).sign(userId, tokens.sessionId)).token;
  forgeries["wrong issuer"] = (await signer({ issuer: "https://evil.example" }).sign(userId, tokens.sessionId)).token;
  const { kid, privateKey } = await components.keys.signingKey();
  forgeries["typ JWT instead of at+jwt"] = await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", kid, typ: "JWT" }).sign(privateKey);
});
afterAll(() => Promise.all([server?.stop(), components?.close()]));

/** Why jose refuses each forgery: the error code proves the right check caught it. */
const EXPECTED_JOSE_ERROR: Record<string, string> = {
  "alg none": "ERR_JOSE_ALG_NOT_ALLOWED",
  "HS256 keyed with the JWK x bytes": "ERR_JOSE_ALG_NOT_ALLOWED",
  "HS256 keyed with the public key PEM": "ERR_JOSE_ALG_NOT_ALLOWED",
  "HS256 keyed with the public key SPKI DER": "ERR_JOSE_ALG_NOT_ALLOWED",
  "tampered payload": "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "other Ed25519 key with the same kid": "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "wrong audience": "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "wrong issuer": "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "typ JWT instead of at+jwt": "ERR_JWT_CLAIM_VALIDATION_FAILED",
};
const FORGERY_NAMES = Object.keys(EXPECTED_JOSE_ERROR);

const verifiers: [string, () => Promise<JWTVerifyGetKey>][] = [
  ["remote JWKS at /.well-known/jwks.json", async () => createRemoteJWKSet(new URL(`${server.baseUrl}/.well-known/jwks.json`))],
  [
    "local JWKS from GetJwks over gRPC",
    async () => {
      const { keys } = await server.grpc(AuthService).getJwks({});
      return createLocalJWKSet({ keys: keys.map(toJwk) });
    },
  ],
];

describe.each(verifiers)("jose with the %s", (_, jwks) => {
  it("verifies the access token, pinning EdDSA, issuer, audience and typ", async () => {
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, await jwks(), PINS);
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", typ: "at+jwt", kid: publicJwk.kid });
    for (const claim of ["iss", "aud", "sub", "sid", "iat", "exp", "jti"]) expect(payload).toHaveProperty(claim);
    expect(payload).toMatchObject({ iss: config.issuer, aud: config.audience, sub: userId, sid: tokens.sessionId });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(BigInt(payload.exp!)).toBe(tokens.accessTokenExpireTime!.seconds);
  });

  it("refuses the real token when a different audience or issuer is expected", async () => {
    const keys = await jwks();
    const claimFailure = (claim: string) => ({ code: "ERR_JWT_CLAIM_VALIDATION_FAILED", claim });
    await expect(jwtVerify(tokens.accessToken, keys, { ...PINS, audience: "another-api" })).rejects.toMatchObject(claimFailure("aud"));
    await expect(jwtVerify(tokens.accessToken, keys, { ...PINS, issuer: "https://evil.example" })).rejects.toMatchObject(claimFailure("iss"));
  });

  it.each(FORGERY_NAMES)("refuses a forgery: %s", async (name) => {
    await expect(jwtVerify(forgeries[name]!, await jwks(), PINS)).rejects.toMatchObject({ code: EXPECTED_JOSE_ERROR[name] });
  });
});

describe("the forgeries are well-built (so their refusal means something)", () => {
  it("the HS256 tokens verify as HS256 with the public key material as secret", async () => {
    const publicKey = createPublicKey({ key: publicJwk, format: "jwk" });
    const asHs256 = { ...PINS, algorithms: ["HS256"] };
    const secrets: Record<string, Buffer> = {
      "HS256 keyed with the JWK x bytes": Buffer.from(publicJwk.x!, "base64url"),
      "HS256 keyed with the public key PEM": Buffer.from(publicKey.export({ type: "spki", format: "pem" })),
      "HS256 keyed with the public key SPKI DER": publicKey.export({ type: "spki", format: "der" }),
    };
    for (const [name, secret] of Object.entries(secrets)) await expect(jwtVerify(forgeries[name]!, secret, asHs256)).resolves.toBeDefined();
  });

  it("they carry the real token's kid and the claims of a valid token", () => {
    for (const name of ["alg none", "HS256 keyed with the JWK x bytes", "other Ed25519 key with the same kid"]) {
      expect(decodeProtectedHeader(forgeries[name]!).kid).toBe(publicJwk.kid);
      expect(decodePart(forgeries[name]!.split(".")[1])).toEqual(decodePart(tokens.accessToken.split(".")[1]));
    }
  });
});

describe("the service's own verifier", () => {
  it("accepts the real token", async () => {
    const claims = await components.accessTokens.verify(tokens.accessToken);
    expect(claims).toMatchObject({ userId, sessionId: tokens.sessionId, jti: expect.any(String) });
  });

  it.each(FORGERY_NAMES)("refuses a forgery: %s", async (name) => {
    expect(await components.accessTokens.verify(forgeries[name]!)).toBeNull();
  });

  it.each([["garbage", "not-a-jwt"], ["empty", ""], ["two parts", "a.b"]])("refuses %s without throwing", async (_, token) => {
    expect(await components.accessTokens.verify(token)).toBeNull();
  });
});
