import type { PrismaClient } from "../db/client.js";

/** One hit on a bucket, as counted by the database. */
export interface BucketHit {
  /** Hits in the current window, this one included (refused ones count too). */
  count: number;
  /** Start of the current window; names it for giveBack. */
  windowStart: Date;
  /** Whole seconds until the window ends, at least 1. */
  retryAfterSeconds: number;
}

/** What runs the statements: the client, or a transaction a caller wants a change to be part of. */
export type SqlRunner = Pick<PrismaClient, "$executeRaw">;

/** Largest count stored; keeps `count + 1` inside PostgreSQL's integer under any flood. */
const COUNT_CAP = 2_147_483_646;

/**
 * Fixed-window counters in the RateLimitBucket table, shared by every replica. Each hit is one
 * atomic statement (an upsert), so concurrent hits on one key, from any process, are counted
 * exactly once each. Times come from the database clock, never a replica's.
 */
export class RateLimitStore {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Counts one hit on `key`. A missing bucket, or one whose window has ended, starts a new
   * window of `windowSeconds` at count 1; otherwise the count goes up by one. Times are
   * truncated to the column's milliseconds (never rounded up), so the retry delay is never
   * longer than the window.
   */
  async hit(key: string, windowSeconds: number): Promise<BucketHit> {
    const rows = await this.db.$queryRaw<{ count: number; windowStart: Date; retryAfter: number }[]>`
      INSERT INTO "RateLimitBucket" AS b ("key", "windowStart", "windowEnd", "count")
      VALUES (${key}, date_trunc('milliseconds', now()),
              date_trunc('milliseconds', now()) + ${windowSeconds}::int * interval '1 second', 1)
      ON CONFLICT ("key") DO UPDATE SET
        "windowStart" = CASE WHEN b."windowEnd" <= now() THEN EXCLUDED."windowStart" ELSE b."windowStart" END,
        "windowEnd"   = CASE WHEN b."windowEnd" <= now() THEN EXCLUDED."windowEnd" ELSE b."windowEnd" END,
        "count"       = CASE WHEN b."windowEnd" <= now() THEN 1 ELSE LEAST(b."count", ${COUNT_CAP}::int) + 1 END
      RETURNING b."count", b."windowStart",
        GREATEST(1, CEIL(EXTRACT(EPOCH FROM (b."windowEnd" - now()))))::int AS "retryAfter"`;
    const row = rows[0]!;
    return { count: row.count, windowStart: row.windowStart, retryAfterSeconds: row.retryAfter };
  }

  /**
   * Takes one hit back from `key`, only while the window it was counted in is still current
   * (a hit never reduces a later window's count).
   */
  async giveBack(key: string, windowStart: Date): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "RateLimitBucket" SET "count" = "count" - 1
      WHERE "key" = ${key} AND "windowStart" = ${windowStart.toISOString()}::timestamptz AND "count" > 0`;
  }

  /** Deletes the buckets `keys` (their counts start again from zero), in `tx` if given. */
  async clear(keys: string[], tx: SqlRunner = this.db): Promise<void> {
    if (keys.length > 0) await tx.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ANY(${keys}::text[])`;
  }

  /**
   * Deletes every bucket whose key starts with `prefix` (e.g. every client's bucket of one
   * account). starts_with, not LIKE: base64url keys hold '_', a LIKE wildcard. The table holds
   * only current windows, so the scan this needs stays small. Runs in `tx` if given.
   */
  async clearPrefix(prefix: string, tx: SqlRunner = this.db): Promise<void> {
    await tx.$executeRaw`DELETE FROM "RateLimitBucket" WHERE starts_with("key", ${prefix})`;
  }
}
