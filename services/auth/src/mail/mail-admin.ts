import type { PrismaClient } from "../db/client.js";

/** What `npm run mail -- status` shows: counts and errors, never bodies. */
export interface OutboxStatus {
  counts: Record<"QUEUED" | "SENT" | "FAILED" | "EXPIRED", number>;
  /** When the longest-waiting QUEUED mail was queued; null when none is queued. */
  oldestQueuedAt: Date | null;
  /** The newest mail with an error, QUEUED or FAILED (recipient, attempts, error). */
  recentErrors: { id: string; to: string; status: string; attempts: number; lastError: string; queuedAt: Date }[];
}

/** Counts by status, the oldest queued mail and the last errors. */
export async function outboxStatus(db: PrismaClient, errors = 10): Promise<OutboxStatus> {
  const groups = await db.outboxMail.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = { QUEUED: 0, SENT: 0, FAILED: 0, EXPIRED: 0 };
  for (const g of groups) counts[g.status] = g._count._all;
  const oldest = await db.outboxMail.findFirst({ where: { status: "QUEUED" }, orderBy: { queuedAt: "asc" }, select: { queuedAt: true } });
  const rows = await db.outboxMail.findMany({
    where: { status: { in: ["QUEUED", "FAILED"] }, lastError: { not: null } },
    orderBy: { nextAttemptAt: "desc" },
    take: errors,
    select: { id: true, to: true, status: true, attempts: true, lastError: true, queuedAt: true },
  });
  return { counts, oldestQueuedAt: oldest?.queuedAt ?? null, recentErrors: rows.map((r) => ({ ...r, lastError: r.lastError ?? "" })) };
}

/** The outcome of requeueing one mail. */
export type RequeueOutcome =
  | { kind: "requeued"; id: string; to: string }
  | { kind: "refused"; id: string; reason: string };

/**
 * Puts a FAILED mail back in the queue: QUEUED, attempts 0, due now, and a fresh
 * retry window. Refused when the mail is not there, was sent or is queued already, is EXPIRED
 * or carries a token that has expired, or has no body left: sending a dead link only
 * confuses the user, who must ask for a new mail.
 */
export async function requeueMail(db: PrismaClient, id: string, now = new Date()): Promise<RequeueOutcome> {
  const row = await db.outboxMail.findUnique({ where: { id }, select: { id: true, to: true, status: true, expiresAt: true, bodyEnc: true } });
  if (!row) return { kind: "refused", id, reason: "no such mail" };
  if (row.status === "SENT" || row.status === "QUEUED") return { kind: "refused", id, reason: `it is ${row.status} already` };
  // EXPIRED is only ever set once the worker saw the token's expiry pass (and the body is erased).
  if (row.status === "EXPIRED" || (row.expiresAt && row.expiresAt <= now))
    return { kind: "refused", id, reason: `its link expired${row.expiresAt ? ` at ${row.expiresAt.toISOString()}` : ""}; the user must request a new mail` };
  if (!row.bodyEnc) return { kind: "refused", id, reason: "its body is gone (erased or dropped by an upgrade); the user must request a new mail" };
  // Fenced on the status read above, so a concurrent requeue or purge cannot be overwritten.
  const { count } = await db.outboxMail.updateMany({
    where: { id, status: row.status },
    data: { status: "QUEUED", attempts: 0, nextAttemptAt: now, queuedAt: now, lastError: null },
  });
  return count === 1 ? { kind: "requeued", id, to: row.to } : { kind: "refused", id, reason: "it changed meanwhile; look again" };
}

/** Requeues every FAILED mail that can be; returns each outcome. */
export async function requeueFailed(db: PrismaClient, now = new Date()): Promise<RequeueOutcome[]> {
  const failed = await db.outboxMail.findMany({ where: { status: "FAILED" }, select: { id: true }, orderBy: { queuedAt: "asc" } });
  const out: RequeueOutcome[] = [];
  for (const { id } of failed) out.push(await requeueMail(db, id, now));
  return out;
}
