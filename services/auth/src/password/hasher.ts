import { randomBytes } from "node:crypto";
import argon2 from "argon2";

/** OWASP's argon2id minimum: 19 MiB memory, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes and verifies passwords with argon2id. argon2's native binding runs on libuv's
 * thread pool, so hashing never blocks the event loop.
 */
export class PasswordHasher {
  // A real hash of a random password: verifying against it costs exactly what verifying a
  // real account costs, so an unknown email cannot be told apart by timing.
  private readonly dummy: Promise<string>;
  private running = 0;

  constructor() {
    this.dummy = argon2.hash(randomBytes(32).toString("base64url"), ARGON2_OPTIONS);
  }

  /**
   * Hashes and verifies started and not yet finished. libuv runs 4 at a time by default
   * (UV_THREADPOOL_SIZE); more means calls are queueing for a thread.
   */
  get inFlight(): number {
    return this.running;
  }

  /** Returns an argon2id PHC string. */
  async hash(password: string): Promise<string> {
    this.running++;
    try {
      return await argon2.hash(password, ARGON2_OPTIONS);
    } finally {
      this.running--;
    }
  }

  /**
   * Verifies a password against a stored hash; with no hash (unknown user, OAuth-only
   * account) it does the same work against a dummy and returns false.
   */
  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    this.running++;
    try {
      return await this.verifyOrDummy(hash, password);
    } finally {
      this.running--;
    }
  }

  private async verifyOrDummy(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      await argon2.verify(await this.dummy, password).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** True when a stored hash uses weaker parameters than today's and should be replaced. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  }
}
