import { startPeriodic } from "../kernel/periodic.js";
import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";

/** How often each replica purges old mail. Concurrent purges by several replicas are harmless. */
export const MAIL_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Rows deleted per statement, so a first purge of a large table never holds long locks. */
const PURGE_BATCH = 1000;

/**
 * Deletes settled outbox mail (SENT, EXPIRED, FAILED) queued more than `retentionMs` before
 * `now`, and development-mailbox messages older than that. Mail still QUEUED is never deleted.
 *
 * The development mailbox keeps plaintext on purpose: it is the inbox that people and tests
 * read outside production, like a real mailbox would. Its links stop working with their
 * tokens; it is purged after the same retention so it does not grow forever.
 */
export async function purgeOldMail(db: PrismaClient, now: Date, retentionMs: number): Promise<{ outbox: number; devMail: number }> {
  const cutoff = new Date(now.getTime() - retentionMs);
  let outbox = 0;
  for (;;) {
    const n = await db.$executeRaw`
      DELETE FROM "OutboxMail" WHERE id IN (
        SELECT id FROM "OutboxMail"
        WHERE status IN ('SENT', 'EXPIRED', 'FAILED') AND "queuedAt" < ${cutoff}
        LIMIT ${PURGE_BATCH})`;
    outbox += n;
    if (n < PURGE_BATCH) break;
  }
  let devMail = 0;
  for (;;) {
    const n = await db.$executeRaw`
      DELETE FROM "DevMail" WHERE id IN (SELECT id FROM "DevMail" WHERE "createdAt" < ${cutoff} LIMIT ${PURGE_BATCH})`;
    devMail += n;
    if (n < PURGE_BATCH) break;
  }
  return { outbox, devMail };
}

/**
 * Runs purgeOldMail now and then every `intervalMs`. Returns the stopper, which waits for a
 * purge in flight (so no query runs after the pool closes).
 */
export function startMailPurger(
  db: PrismaClient,
  logger: Logger,
  retentionMs: number,
  intervalMs = MAIL_PURGE_INTERVAL_MS,
): () => Promise<void> {
  return startPeriodic(
    () =>
      purgeOldMail(db, new Date(), retentionMs)
        .then((n) => (n.outbox > 0 || n.devMail > 0) && logger.info(n, "purged old mail"))
        .catch((err) => logger.warn({ err: String(err) }, "mail purge failed")),
    intervalMs,
  );
}
