import { errors as joseErrors, jwtVerify, type createLocalJWKSet } from "jose";
import type { JwksCache } from "./jwks.js";
import { HttpError } from "./errors.js";
import type { VerificationOutcome } from "./metrics.js";

/** What a verified access token says. */
export interface Caller {
  userId: string;
  sessionId: string;
  /** exp, in milliseconds since the epoch. */
  expiresAt: number;
}

export interface AccessTokenGuardOptions {
  jwks: JwksCache;
  issuer: string;
  audience: string;
  /** Most verified tokens remembered. */
  cacheSize?: number;
  now?: () => number;
  /** Told how each check ended (metrics); must not throw. */
  onOutcome?: (outcome: VerificationOutcome) => void;
}

export const VERIFIED_CACHE_SIZE = 10_000;

/** Rejections for an expired token: same answer as any invalid token, counted apart. */
const EXPIRED = new WeakSet<HttpError>();

function unauthenticated(message: string, reason = "auth.invalid_token"): HttpError {
  return new HttpError(401, "unauthenticated", reason, message, undefined, { "www-authenticate": 'Bearer realm="tessera"' });
}

/**
 * Verifies access tokens locally against the auth service's JWKS: algorithm EdDSA only, typ
 * at+jwt, issuer, audience, exp, and the sub/sid claims. Verified tokens are remembered (LRU,
 * bounded) until their exp so repeat requests skip the signature check. The auth service still
 * checks that the session is live when the request is forwarded.
 */
export class AccessTokenGuard {
  readonly #verified = new Map<string, Caller>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(private readonly opts: AccessTokenGuardOptions) {
    this.#max = opts.cacheSize ?? VERIFIED_CACHE_SIZE;
    this.#now = opts.now ?? Date.now;
  }

  /** Extracts and verifies `Authorization: Bearer <token>`; throws a 401 HttpError otherwise. */
  async check(authorization: string | undefined): Promise<{ caller: Caller; token: string }> {
    const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? "");
    if (!m) {
      this.opts.onOutcome?.("missing");
      throw unauthenticated("an access token is required: Authorization: Bearer <accessToken>", "auth.missing_token");
    }
    const token = m[1]!;
    try {
      const caller = await this.verify(token);
      this.opts.onOutcome?.("valid");
      return { caller, token };
    } catch (err) {
      const unavailable = err instanceof HttpError && err.status === 503;
      this.opts.onOutcome?.(unavailable ? "keys_unavailable" : err instanceof HttpError && EXPIRED.has(err) ? "expired" : "invalid");
      throw err;
    }
  }

  async verify(token: string): Promise<Caller> {
    const hit = this.#verified.get(token);
    if (hit) {
      if (hit.expiresAt > this.#now()) {
        this.#verified.delete(token); // most recently used goes last
        this.#verified.set(token, hit);
        return hit;
      }
      this.#verified.delete(token);
    }
    const caller = await this.#verifySignature(token);
    this.#remember(token, caller);
    return caller;
  }

  async #verifySignature(token: string): Promise<Caller> {
    let snap;
    try {
      snap = await this.opts.jwks.current();
    } catch {
      throw new HttpError(503, "unavailable", "server.unavailable", "cannot verify access tokens right now, retry later");
    }
    try {
      return await this.#verifyWith(token, snap.getKey);
    } catch (err) {
      if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw this.#reject(err);
    }
    // Unknown kid: maybe a key published since the last fetch. Refetch, rate limited.
    const fresh = await this.opts.jwks.refreshForUnknownKid().catch(() => undefined);
    if (!fresh) throw unauthenticated("invalid access token");
    try {
      return await this.#verifyWith(token, fresh.getKey);
    } catch (err) {
      throw this.#reject(err);
    }
  }

  async #verifyWith(token: string, getKey: ReturnType<typeof createLocalJWKSet>): Promise<Caller> {
    const { payload } = await jwtVerify(token, getKey, {
      algorithms: ["EdDSA"],
      issuer: this.opts.issuer,
      audience: this.opts.audience,
      typ: "at+jwt",
      requiredClaims: ["sub", "sid", "exp", "iat"],
      currentDate: new Date(this.#now()),
    });
    if (typeof payload.sid !== "string" || typeof payload.sub !== "string") throw unauthenticated("invalid access token");
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp! * 1000 };
  }

  #reject(err: unknown): HttpError {
    if (err instanceof HttpError) return err;
    if (err instanceof joseErrors.JWTExpired) {
      const expired = unauthenticated("access token expired");
      EXPIRED.add(expired);
      return expired;
    }
    return unauthenticated("invalid access token");
  }

  #remember(token: string, caller: Caller) {
    if (this.#verified.size >= this.#max) {
      const oldest = this.#verified.keys().next();
      if (!oldest.done) this.#verified.delete(oldest.value);
    }
    this.#verified.set(token, caller);
  }

  /** Number of remembered tokens (tests). */
  get cachedCount(): number {
    return this.#verified.size;
  }
}
