import type pg from "pg";
import { uuidv7 } from "../db/uuid-v7.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { RotateOutcome } from "./session-store.js";
import type { TokenHash } from "./refresh-token.js";

/**
 * The whole refresh-token exchange as one statement (one round trip, prepared once per
 * connection); SessionStore.rotate states the rules. How it stays right under concurrency, in
 * READ COMMITTED:
 *
 * - `locked` takes the session row, then the token row (FOR UPDATE OF lists them in that
 *   order, as every rotation does), so all rotations of a session queue on the session row. A
 *   statement that waited re-reads both rows at their newest version (EvalPlanQual): the
 *   loser of a race sees the winner's usedAt, or the session it revoked, and decides on that.
 * - Everything else reads the snapshot taken when the statement began, which may predate the
 *   winner's commit. So the successor is never looked up, it is upserted: INSERT ... ON
 *   CONFLICT finds a conflicting row at its newest committed version even when the snapshot
 *   cannot see it, and DO UPDATE's WHERE tests that version under a row lock. The successor
 *   counts as live only when the upsert returns an unspent row: a fresh insert (first
 *   exchange), or the existing unspent successor (grace). When a grace exchange finds no
 *   successor (the token was spent before successors were derived, or under another key) the
 *   row it inserts is already spent: it is never handed out, and the exchange is reuse.
 * - The session row is changed by one UPDATE (last use, or revocation): PostgreSQL does not
 *   define which of two updates of one row in one statement wins.
 *
 * Timestamps travel as ISO strings into `timestamp(3)` columns, which drop the zone, so they
 * are stored as UTC the way Prisma stores them; `expires` comes back as timestamptz.
 */
const ROTATE_SQL = `
WITH locked AS (
  SELECT rt.id, rt."usedAt", rt."sessionId", s."userId", s.expires, s."revokedAt"
  FROM "RefreshToken" rt JOIN "Session" s ON s.id = rt."sessionId"
  WHERE rt."tokenHash" = $1::bytea
  FOR UPDATE OF s, rt
), asked AS (
  SELECT locked.*, CASE
    WHEN "revokedAt" IS NOT NULL THEN 'revoked'
    WHEN expires <= $3::timestamp(3) THEN 'expired'
    WHEN "usedAt" IS NULL THEN 'fresh'
    WHEN "usedAt" > $4::timestamp(3) THEN 'grace'
    ELSE 'reused' END AS verdict
  FROM locked
), spent AS (
  UPDATE "RefreshToken" rt SET "usedAt" = $3 FROM asked
  WHERE rt.id = asked.id AND asked.verdict = 'fresh'
), successor AS (
  INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "createdAt", "usedAt")
  SELECT $5::text, $2::bytea, "sessionId", $3, CASE verdict WHEN 'fresh' THEN NULL ELSE $3 END
  FROM asked WHERE verdict IN ('fresh', 'grace')
  ON CONFLICT ("tokenHash") DO UPDATE SET "usedAt" = "RefreshToken"."usedAt"
  WHERE "RefreshToken"."usedAt" IS NULL AND "RefreshToken"."sessionId" = EXCLUDED."sessionId"
  RETURNING "usedAt" IS NULL AS live
), outcome AS (
  SELECT asked.*, CASE
    WHEN verdict IN ('fresh', 'grace') AND EXISTS (SELECT 1 FROM successor WHERE live) THEN 'rotated'
    WHEN verdict IN ('fresh', 'grace', 'reused') THEN 'reused'
    ELSE verdict END AS kind
  FROM asked
), touched AS (
  UPDATE "Session" s SET
    "lastUsedAt" = CASE o.kind WHEN 'rotated' THEN $3 ELSE s."lastUsedAt" END,
    "revokedAt" = CASE o.kind WHEN 'reused' THEN $3 ELSE s."revokedAt" END,
    "revokeReason" = CASE o.kind WHEN 'reused' THEN 'refresh_token_reused' ELSE s."revokeReason" END
  FROM outcome o WHERE s.id = o."sessionId" AND o.kind IN ('rotated', 'reused')
), recorded AS (
  INSERT INTO "AuditEvent" (id, type, "userId", "sessionId", "actorUserId", "ipAddress", "userAgent", data, "createdAt")
  SELECT e.id, e.type, o."userId", o."sessionId", NULL, $8::text, $9::text, e.data, $3
  FROM outcome o CROSS JOIN (VALUES
    ($6::text, 'REFRESH_TOKEN_REUSED', '{}'::jsonb),
    ($7::text, 'SESSION_REVOKED', '{"reason":"refresh_token_reused"}'::jsonb)
  ) AS e(id, type, data)
  WHERE o.kind = 'reused'
)
SELECT kind, "sessionId", "userId", expires AT TIME ZONE 'UTC' AS expires, verdict = 'grace' AS grace FROM outcome`;

interface OutcomeRow {
  kind: "rotated" | "reused" | "revoked" | "expired";
  sessionId: string;
  userId: string;
  expires: Date;
  grace: boolean;
}

/** Runs the exchange of SessionStore.rotate as one prepared statement. */
export async function rotateInOneStatement(
  pool: pg.Pool,
  input: { tokenHash: TokenHash; nextHash: TokenHash; graceMs: number; client: ClientInfo },
): Promise<RotateOutcome> {
  const now = Date.now();
  // No window at all when graceMs is 0: a concurrent loser may carry an earlier `now` than
  // the winner's usedAt, and must not count as inside a zero-length window.
  const graceFloor = input.graceMs > 0 ? new Date(now - input.graceMs).toISOString() : null;
  const { rows } = await pool.query<OutcomeRow>({
    name: "session_rotate_v1",
    text: ROTATE_SQL,
    values: [
      bytea(input.tokenHash),
      bytea(input.nextHash),
      new Date(now).toISOString(),
      graceFloor,
      uuidv7(),
      // REFRESH_TOKEN_REUSED before SESSION_REVOKED, as the events are listed by id.
      uuidv7(),
      uuidv7(),
      input.client.ipAddress,
      input.client.userAgent,
    ],
  });
  const row = rows[0];
  if (!row) return { kind: "unknown" };
  switch (row.kind) {
    case "rotated":
      return { kind: "rotated", sessionId: row.sessionId, userId: row.userId, expires: row.expires, grace: row.grace };
    case "reused":
      return { kind: "reused", sessionId: row.sessionId, userId: row.userId };
    default:
      return { kind: row.kind };
  }
}

function bytea(hash: TokenHash): Buffer {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength);
}
