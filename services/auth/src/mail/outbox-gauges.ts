import type { PrismaClient } from "../db/client.js";

/** What /metrics shows of the outbox. */
export interface OutboxGauges {
  /** Mail waiting to be sent (QUEUED, due or backing off). */
  queued: number;
  /** Seconds the longest-waiting QUEUED mail has waited; 0 when none is queued. */
  oldestQueuedSeconds: number;
  /** Mail given up on (FAILED), still kept until the retention purge. */
  failed: number;
}

/**
 * The outbox gauges in one statement. It reads only QUEUED and FAILED rows through the
 * (status, nextAttemptAt) index, never the SENT history, so its cost follows the backlog.
 */
export async function outboxGauges(db: PrismaClient): Promise<OutboxGauges> {
  // queuedAt is a UTC timestamp without zone, so now() is taken in UTC whatever the session zone.
  const [row] = await db.$queryRaw<{ queued: number; failed: number; oldest_seconds: number | null }[]>`
    SELECT count(*) FILTER (WHERE status = 'QUEUED')::int AS queued,
           count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
           extract(epoch FROM (now() AT TIME ZONE 'UTC') - min("queuedAt") FILTER (WHERE status = 'QUEUED'))::float8 AS oldest_seconds
    FROM "OutboxMail" WHERE status IN ('QUEUED', 'FAILED')`;
  return { queued: row?.queued ?? 0, failed: row?.failed ?? 0, oldestQueuedSeconds: Math.max(0, row?.oldest_seconds ?? 0) };
}
