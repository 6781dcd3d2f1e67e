import { Prisma } from "../db/generated/client.js";

const DAY_MS = 86_400_000;

/** How long each kind of row is kept; see RETENTION_RULES. */
export interface RetentionPeriods {
  /** Sessions (Tessera's and next-auth's) are kept this long after they expired or were revoked. */
  sessionDays: number;
  /** Settled outbox mail (SENT, EXPIRED, FAILED) is kept this long after it was queued. */
  sentMailDays: number;
  /** Audit events are kept this long. */
  auditDays: number;
}

/** SESSION_RETENTION_DAYS, SENT_MAIL_RETENTION_DAYS and AUDIT_RETENTION_DAYS when unset. */
export const DEFAULT_RETENTION: RetentionPeriods = { sessionDays: 30, sentMailDays: 30, auditDays: 730 };

/**
 * Single-use rows (one-time tokens, challenges, step-up grants) stay a day past their expiry, so
 * an operator can still see what happened to a link or a sign-in that failed yesterday. Nothing
 * accepts them by then: every lookup requires an unexpired row.
 */
export const SPENT_GRACE_DAYS = 1;

/** The development mailbox keeps a week: long enough to read a mail, short enough not to grow. */
export const DEV_MAIL_DAYS = 7;

/** What a rule sees: the sweep's clock and the periods. */
export interface RuleContext extends RetentionPeriods {
  now: Date;
}

/** One kind of row the sweeper deletes. */
export interface RetentionRule {
  kind: RetentionKind;
  /** The table rows are deleted from (a constant, quoted; never input). */
  table: string;
  /** Its unique column that `select` returns. */
  key: string;
  /**
   * Up to `limit` keys of deletable rows, locked FOR UPDATE SKIP LOCKED: a row that a request is
   * writing right now is left for the next batch instead of making the sweep (or the request) wait.
   */
  select(ctx: RuleContext, limit: number): Prisma.Sql;
}

export type RetentionKind =
  | "refreshTokens"
  | "sessions"
  | "oneTimeTokens"
  | "verificationTokens"
  | "signInChallenges"
  | "webAuthnChallenges"
  | "stepUpGrants"
  | "sentMail"
  | "devMail"
  | "throttleWindows"
  | "auditEvents";

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** A row of `table` is deletable once `column` is before `cutoff(ctx)`; the column is indexed. */
function olderThan(kind: RetentionKind, table: string, key: string, column: string, cutoff: (ctx: RuleContext) => Date): RetentionRule {
  return {
    kind,
    table,
    key,
    select: (ctx, limit) =>
      Prisma.sql`SELECT ${Prisma.raw(`"${key}"`)} FROM ${Prisma.raw(`"${table}"`)}
        WHERE ${Prisma.raw(`"${column}"`)} < ${cutoff(ctx)} LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`,
  };
}

const spent = (ctx: RuleContext) => daysBefore(ctx.now, SPENT_GRACE_DAYS);

/** A session is gone for good once it expired, or was revoked, more than sessionDays ago. */
const deadSession = (ctx: RuleContext) => {
  const cutoff = daysBefore(ctx.now, ctx.sessionDays);
  return Prisma.sql`(s."expires" < ${cutoff} OR s."revokedAt" < ${cutoff})`;
};

/**
 * In order: a session's refresh tokens go before the session, in batches of their own, so that
 * deleting a session never cascades to thousands of rotated tokens in one statement. Refresh
 * tokens of live sessions are all kept, used ones too: presenting a used one is how reuse is
 * detected. next-auth's database sessions live in the same table and follow the same rule.
 */
export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    kind: "refreshTokens",
    table: "RefreshToken",
    key: "id",
    select: (ctx, limit) => Prisma.sql`SELECT r."id" FROM "RefreshToken" r JOIN "Session" s ON s."id" = r."sessionId"
      WHERE ${deadSession(ctx)} LIMIT ${limit}::int FOR UPDATE OF r SKIP LOCKED`,
  },
  {
    kind: "sessions",
    table: "Session",
    key: "id",
    select: (ctx, limit) => Prisma.sql`SELECT s."id" FROM "Session" s WHERE ${deadSession(ctx)} LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`,
  },
  // Used and invalidated tokens are refused already; they go with the expired ones (their TTL is
  // at most 24 hours), which keeps each of these rules on one indexed column.
  olderThan("oneTimeTokens", "OneTimeToken", "id", "expiresAt", spent),
  olderThan("verificationTokens", "VerificationToken", "token", "expires", spent),
  olderThan("signInChallenges", "SignInChallenge", "id", "expiresAt", spent),
  olderThan("webAuthnChallenges", "WebAuthnChallenge", "id", "expiresAt", spent),
  olderThan("stepUpGrants", "StepUpGrant", "id", "expiresAt", spent),
  {
    // QUEUED mail is never deleted, however old: it is still to be sent.
    kind: "sentMail",
    table: "OutboxMail",
    key: "id",
    select: (ctx, limit) => Prisma.sql`SELECT "id" FROM "OutboxMail"
      WHERE "queuedAt" < ${daysBefore(ctx.now, ctx.sentMailDays)} AND "status" IN ('SENT', 'EXPIRED', 'FAILED')
      LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`,
  },
  olderThan("devMail", "DevMail", "id", "createdAt", (ctx) => daysBefore(ctx.now, DEV_MAIL_DAYS)),
  {
    // Windows are timed by the database clock (throttle/rate-limit-store.ts): a window counts as
    // ended only when both clocks agree, so a replica whose clock runs ahead never resets a
    // throttle that is still counting.
    kind: "throttleWindows",
    table: "RateLimitBucket",
    key: "key",
    select: (ctx, limit) => Prisma.sql`SELECT "key" FROM "RateLimitBucket"
      WHERE "windowEnd" < LEAST(now(), ${ctx.now}) LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`,
  },
  olderThan("auditEvents", "AuditEvent", "id", "createdAt", (ctx) => daysBefore(ctx.now, ctx.auditDays)),
];

/**
 * The batched DELETE of one rule: at most `limit` rows, one short statement. `= ANY(ARRAY(...))`
 * rather than `IN (...)`: the keys are collected once, then deleted by primary-key lookups,
 * whatever the planner guesses about the subquery (an IN may become a join over the whole table).
 */
export function deleteStatement(rule: RetentionRule, ctx: RuleContext, limit: number): Prisma.Sql {
  return Prisma.sql`DELETE FROM ${Prisma.raw(`"${rule.table}"`)} WHERE ${Prisma.raw(`"${rule.key}"`)} = ANY(ARRAY(${rule.select(ctx, limit)}))`;
}
