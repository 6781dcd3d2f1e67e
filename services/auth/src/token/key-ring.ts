import { randomUUID } from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from "jose";
import { openPrivateKey, sealPrivateKey } from "./key-encryption.js";
import type { SigningKeyStore, StoredSigningKey } from "./signing-key-store.js";

/** The only signing algorithm; verifiers pin it. */
export const ACCESS_TOKEN_ALG = "EdDSA";

export interface KeyRingOptions {
  /** Key-encryption key (32 bytes) sealing private keys at rest. */
  kek: Buffer;
  /** How long a key signs before its successor takes over. */
  rotationSeconds: number;
  /** Lifetime of the tokens it signs: a retired key stays published this long (plus skew). */
  accessTokenTtlSeconds: number;
  /** How long cached keys are trusted before re-reading the database. */
  cacheSeconds?: number;
  now?: () => number;
}

interface LoadedKey {
  kid: string;
  activatesAt: number;
  publicJwk: JWK;
  privateKey?: CryptoKey;
}

const CLOCK_SKEW_SECONDS = 60;

/**
 * The access-token signing keys, shared by every replica through the database. Each key is
 * published `lead` seconds before it starts signing (so verifiers with a cached JWKS already
 * know it), and stays published until every token it signed has expired.
 */
export class KeyRing {
  private keys: LoadedKey[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly store: SigningKeyStore, private readonly opts: KeyRingOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Seconds a new key is published before it signs: an hour, or half the rotation period. */
  get leadSeconds(): number {
    return Math.min(3600, Math.floor(this.opts.rotationSeconds / 2));
  }

  /** Creates the first key or the next one when rotation is due, then prunes and reloads. */
  async rotate(): Promise<void> {
    const nowMs = this.now();
    await this.store.addIfNeeded(async (keys) => {
      const active = keys.find((k) => k.activatesAt.getTime() <= nowMs);
      const upcoming = keys.some((k) => k.activatesAt.getTime() > nowMs);
      if (!active) return upcoming ? null : this.generate(new Date(nowMs));
      const due = active.activatesAt.getTime() + (this.opts.rotationSeconds - this.leadSeconds) * 1000;
      return !upcoming && nowMs >= due ? this.generate(new Date(nowMs + this.leadSeconds * 1000)) : null;
    });
    // A load already in flight may have read the table before the insert above: wait for it,
    // then read again.
    await this.loading?.catch(() => undefined);
    await this.load();
    const expired = this.unpublished(await this.store.list());
    await this.store.delete(expired);
  }

  /** The key that signs now, with its private half. */
  async signingKey(): Promise<{ kid: string; privateKey: CryptoKey }> {
    await this.fresh();
    const nowMs = this.now();
    let active = this.keys.find((k) => k.activatesAt <= nowMs);
    if (!active) {
      // A first boot racing another replica, or a clock behind the database: re-read once.
      await this.load();
      active = this.keys.find((k) => k.activatesAt <= nowMs);
      if (!active) throw new Error("no active signing key; KeyRing.rotate() has not run");
    }
    active.privateKey ??= await this.decrypt(active.kid);
    return { kid: active.kid, privateKey: active.privateKey };
  }

  /**
   * When the signing key took over and when the newest published key starts signing (ms since
   * the epoch); the latter is in the past when no successor is published yet. Read from the
   * cache (re-read at most every cacheSeconds), so metrics scrapes cost no query of their own.
   */
  async schedule(): Promise<{ activeSince: number | undefined; newestActivatesAt: number | undefined }> {
    await this.fresh();
    const nowMs = this.now();
    return { activeSince: this.keys.find((k) => k.activatesAt <= nowMs)?.activatesAt, newestActivatesAt: this.keys[0]?.activatesAt };
  }

  /** The public keys verifiers must know now: upcoming, active, and recently retired. */
  async publicJwks(): Promise<JWK[]> {
    await this.fresh();
    const horizon = this.retirementHorizon();
    return this.keys.filter((_, i) => i === 0 || this.keys[i - 1]!.activatesAt > horizon).map((k) => k.publicJwk);
  }

  /** A key retired before this instant (its successor signing since) signed no live token. */
  private retirementHorizon(): number {
    return this.now() - (this.opts.accessTokenTtlSeconds + CLOCK_SKEW_SECONDS) * 1000;
  }

  // keys are newest first; key i retired when key i-1 started signing.
  private unpublished(keys: StoredSigningKey[]): string[] {
    const horizon = this.retirementHorizon();
    return keys.filter((_, i) => i > 0 && keys[i - 1]!.activatesAt.getTime() <= horizon).map((k) => k.kid);
  }

  private async fresh(): Promise<void> {
    const maxAge = (this.opts.cacheSeconds ?? 60) * 1000;
    if (this.now() - this.loadedAt > maxAge) await this.load();
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.store.list();
        const previous = new Map(this.keys.map((k) => [k.kid, k.privateKey]));
        this.keys = rows.map((r) => ({
          kid: r.kid,
          activatesAt: r.activatesAt.getTime(),
          publicJwk: r.publicJwk as JWK,
          privateKey: previous.get(r.kid),
        }));
        this.loadedAt = this.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async decrypt(kid: string): Promise<CryptoKey> {
    const row = (await this.store.list()).find((k) => k.kid === kid);
    if (!row) throw new Error(`signing key ${kid} disappeared`);
    const pem = openPrivateKey(row.privateKeyEnc, this.opts.kek, kid).toString("utf8");
    return importPKCS8(pem, ACCESS_TOKEN_ALG);
  }

  private async generate(activatesAt: Date): Promise<StoredSigningKey> {
    const kid = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { crv: "Ed25519", extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALG, use: "sig" };
    const pem = await exportPKCS8(privateKey);
    return { kid, alg: ACCESS_TOKEN_ALG, publicJwk: jwk, privateKeyEnc: sealPrivateKey(Buffer.from(pem), this.opts.kek, kid), activatesAt };
  }
}
