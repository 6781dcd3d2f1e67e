import { randomUUID } from "node:crypto";
import { SignJWT, createLocalJWKSet, jwtVerify, errors as joseErrors } from "jose";
import { ACCESS_TOKEN_ALG, type KeyRing } from "./key-ring.js";

/** The JOSE header typ of Tessera access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYP = "at+jwt";

/** What an access token asserts. */
export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
  jti: string;
}

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Signs and verifies access tokens with the key ring's active key. */
export class AccessTokens {
  // createLocalJWKSet imports each key once and caches it; rebuilding it on every verification
  // (every authenticated RPC) would re-import the keys each time. Rebuilt when the kids change.
  private cached: { kids: string; jwks: ReturnType<typeof createLocalJWKSet> } | undefined;

  constructor(private readonly keys: KeyRing, private readonly opts: AccessTokenOptions) {}

  private async keySet(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const published = await this.keys.publicJwks();
    const kids = published.map((k) => k.kid).join(",");
    if (this.cached?.kids !== kids) this.cached = { kids, jwks: createLocalJWKSet({ keys: published }) };
    return this.cached.jwks;
  }

  /** Signs a token for a user's session. */
  async sign(userId: string, sessionId: string): Promise<{ token: string; expiresAt: Date }> {
    const { kid, privateKey } = await this.keys.signingKey();
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.opts.ttlSeconds;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(this.opts.issuer)
      .setAudience(this.opts.audience)
      .setSubject(userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Verifies signature, algorithm (EdDSA only), typ, issuer, audience and expiry. Returns
   * null for any token that fails, never throwing on attacker-controlled input.
   */
  async verify(token: string): Promise<AccessTokenClaims | null> {
    const jwks = await this.keySet();
    try {
      const { payload } = await jwtVerify(token, jwks, {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        typ: ACCESS_TOKEN_TYP,
        requiredClaims: ["sub", "sid", "jti", "iat", "exp"],
      });
      if (typeof payload.sid !== "string") return null;
      return { userId: payload.sub!, sessionId: payload.sid, expiresAt: new Date(payload.exp! * 1000), jti: payload.jti! };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}
