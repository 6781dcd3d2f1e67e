import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import type { Logger } from "pino";

/** How long a fetched key set is served and used before it is refetched. */
export const JWKS_TTL_MS = 5 * 60_000;
/** Least time between two fetches caused by an unknown kid. */
export const JWKS_UNKNOWN_KID_INTERVAL_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

export interface JwksCacheOptions {
  url: string;
  logger: Logger;
  ttlMs?: number;
  unknownKidIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  fetch?: typeof fetch;
}

interface Snapshot {
  jwks: JSONWebKeySet;
  getKey: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

/**
 * The auth service's JWKS, fetched over HTTP and kept for JWKS_TTL_MS. Concurrent callers share
 * one in-flight fetch. A refetch for an unknown kid happens at most once per
 * JWKS_UNKNOWN_KID_INTERVAL_MS (counted from the last fetch attempt, successful or not), so a
 * storm of tokens with random kids cannot make the gateway hammer the service. A stale set is
 * kept when a refetch fails.
 */
export class JwksCache {
  #snapshot: Snapshot | undefined;
  #inflight: Promise<Snapshot> | undefined;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  /** Number of fetches made (for tests and metrics). */
  fetchCount = 0;
  readonly #ttl: number;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;

  constructor(private readonly opts: JwksCacheOptions) {
    this.#ttl = opts.ttlMs ?? JWKS_TTL_MS;
    this.#interval = opts.unknownKidIntervalMs ?? JWKS_UNKNOWN_KID_INTERVAL_MS;
    this.#now = opts.now ?? Date.now;
    this.#fetch = opts.fetch ?? fetch;
  }

  /** The current key set, fetched when missing or older than the TTL. Throws when none can be had. */
  async current(): Promise<Snapshot> {
    const snap = this.#snapshot;
    if (snap && this.#now() - snap.fetchedAt < this.#ttl) return snap;
    if (snap && this.#now() - this.#lastAttempt < this.#interval) return snap; // stale, but a fetch just failed
    try {
      return await this.#refetch();
    } catch (err) {
      if (snap) {
        this.opts.logger.warn({ err: String(err) }, "jwks refetch failed; using the stale key set");
        return snap;
      }
      throw err;
    }
  }

  /**
   * Called on a token whose kid is not in the set: refetches unless a fetch was attempted less
   * than the interval ago. Returns the new snapshot, or undefined when no refetch was allowed.
   */
  async refreshForUnknownKid(): Promise<Snapshot | undefined> {
    if (this.#inflight) return this.#inflight;
    if (this.#now() - this.#lastAttempt < this.#interval) return undefined;
    return this.#refetch();
  }

  #refetch(): Promise<Snapshot> {
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #load(): Promise<Snapshot> {
    this.#lastAttempt = this.#now();
    this.fetchCount++;
    const res = await this.#fetch(this.opts.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`GET ${this.opts.url}: HTTP ${res.status}`);
    const body = (await res.json()) as unknown;
    if (!body || typeof body !== "object" || !Array.isArray((body as { keys?: unknown }).keys)) throw new Error(`GET ${this.opts.url}: not a JWKS`);
    const jwks = body as JSONWebKeySet;
    const snap: Snapshot = { jwks, getKey: createLocalJWKSet(jwks), fetchedAt: this.#now() };
    this.#snapshot = snap;
    this.opts.logger.debug({ kids: jwks.keys.map((k) => k.kid) }, "jwks fetched");
    return snap;
  }
}
