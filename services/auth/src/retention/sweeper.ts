import type { PrismaClient } from "../db/client.js";
import { DEFAULT_RETENTION, RETENTION_RULES, deleteStatement, type RetentionKind, type RetentionPeriods } from "./retention-rules.js";
import { trySweepLock } from "./sweep-lock.js";

/** RETENTION_BATCH when unset: rows per DELETE statement. */
export const DEFAULT_SWEEP_BATCH = 1000;

export interface SweepOptions extends Partial<RetentionPeriods> {
  /** The database the sweep lock is taken on, over a connection of its own (see sweep-lock.ts). */
  databaseUrl: string;
  /** Rows per DELETE statement (each statement is its own short transaction). */
  batchSize?: number;
  /** The sweep's clock; now unless a test says otherwise. */
  now?: Date;
  /** Stops the sweep between two statements (shutdown); what was deleted so far is reported. */
  signal?: AbortSignal;
}

export type SweepCounts = Record<RetentionKind, number>;

/** What one sweep did: the rows deleted per kind, or that another sweeper held the lock. */
export type SweepResult =
  | { ran: true; counts: SweepCounts; statements: number; aborted: boolean }
  | { ran: false; reason: "another sweep is running" };

/**
 * Deletes what the retention rules allow, kind by kind, in DELETE statements of at most
 * `batchSize` rows until a statement deletes fewer (the rest, if any, is left to the next sweep:
 * rows locked by requests are skipped). One sweeper at a time across every replica; a sweep
 * that finds the lock taken does nothing and says so.
 */
export async function runSweepOnce(db: PrismaClient, options: SweepOptions): Promise<SweepResult> {
  const batch = options.batchSize ?? DEFAULT_SWEEP_BATCH;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError("batchSize must be a positive integer");
  const release = await trySweepLock(options.databaseUrl);
  if (!release) return { ran: false, reason: "another sweep is running" };
  try {
    const ctx = {
      now: options.now ?? new Date(),
      sessionDays: options.sessionDays ?? DEFAULT_RETENTION.sessionDays,
      sentMailDays: options.sentMailDays ?? DEFAULT_RETENTION.sentMailDays,
      auditDays: options.auditDays ?? DEFAULT_RETENTION.auditDays,
    };
    const counts = Object.fromEntries(RETENTION_RULES.map((r) => [r.kind, 0])) as SweepCounts;
    let statements = 0;
    for (const rule of RETENTION_RULES) {
      for (;;) {
        if (options.signal?.aborted) return { ran: true, counts, statements, aborted: true };
        const deleted = await db.$executeRaw(deleteStatement(rule, ctx, batch));
        statements++;
        counts[rule.kind] += deleted;
        if (deleted < batch) break;
      }
    }
    return { ran: true, counts, statements, aborted: false };
  } finally {
    await release();
  }
}
