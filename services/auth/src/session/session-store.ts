import type pg from "pg";
import { Prisma, type PrismaClient } from "../db/generated/client.js";
import { isUniqueViolation } from "../db/database-errors.js";
import { uuidv7 } from "../db/uuid-v7.js";
import { auditRow, type AuditEventInput } from "../audit/audit-event.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import type { Locale } from "../kernel/locale.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import type { TokenHash } from "./refresh-token.js";
import { rotateInOneStatement } from "./rotate-statement.js";

/** Why sessions were ended: stored in Session.revokeReason and in each SESSION_REVOKED event's data. */
export type RevokeReason =
  /** AuthService.Logout with the session's refresh token. */
  | "logout"
  /** A spent refresh token was exchanged again (SessionStore.rotate). */
  | "refresh_token_reused"
  /** UserService.RevokeSession. */
  | "revoked_by_user"
  /** UserService.RevokeAllSessions. */
  | "revoke_all"
  /** UserService.RevokeAllSessions by an admin for another user (the events name the admin as actor). */
  | "revoked_by_admin"
  /** UserService.ChangePassword ends every other session. */
  | "password_changed"
  /** AuthService.ResetPassword ends every session. */
  | "password_reset"
  /** The account is being deleted (UserService.DeleteAccount, AdapterService.DeleteUser). */
  | "account_deleted";

/**
 * Which sessions to end: the given ids (only those of `userId`, when it is given), or every
 * session of a user except `except`.
 */
export type RevokeTarget = { sessionIds: readonly string[]; userId?: string } | { userId: string; except?: string | null };

/** Whose session to start: an existing user's, or a new account's (Register). */
export type SessionOwner = { id: string } | { newUser: { email: string; passwordHash: string; name: string | null; locale: Locale } };

/** Outcome of exchanging a refresh token. */
export type RotateOutcome =
  | { kind: "rotated"; sessionId: string; userId: string; expires: Date; grace: boolean }
  | { kind: "unknown" }
  | { kind: "revoked" }
  | { kind: "expired" }
  | { kind: "reused"; sessionId: string; userId: string };

/** Sessions and their refresh tokens in PostgreSQL. Token values arrive already hashed. */
export class SessionStore {
  /** `pool` is the node-postgres pool under `db`, for the statements sent without Prisma. */
  constructor(
    private readonly db: PrismaClient,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * Creates a session with its first refresh token and records the events, atomically. With
   * `newUser`, the account is created in the same transaction (Register): a failure leaves
   * neither behind. Throws DomainError user.already_exists when the email is in use, and
   * user.not_found when an existing user's id matches no row.
   */
  async create(input: {
    user: SessionOwner;
    expires: Date;
    client: ClientInfo;
    tokenHash: TokenHash;
    events: Omit<AuditEventInput, "sessionId" | "userId">[];
    /**
     * Runs in the same transaction once the user and the session exist (Register queues its
     * verification mail, a sign-in its new-device notice).
     */
    afterCreate?: (tx: Prisma.TransactionClient, user: UserRecord, sessionId: string) => Promise<void>;
  }): Promise<{ sessionId: string; user: UserRecord }> {
    return this.db.$transaction(async (tx) => {
      const user = await this.userFor(tx, input.user);
      const sessionId = uuidv7();
      const now = new Date();
      const events = input.events.map((e) => ({ id: uuidv7(), ...auditRow({ ...e, userId: user.id, sessionId }) }));
      // Session, first refresh token and events in one statement instead of four (Prisma's
      // nested create reads the session back); the foreign key is checked at its end.
      await tx.$executeRaw`
        WITH s AS (
          INSERT INTO "Session" (id, "userId", expires, "userAgent", "ipAddress", "createdAt", "lastUsedAt")
          VALUES (${sessionId}, ${user.id}, ${input.expires}, ${input.client.userAgent}, ${input.client.ipAddress}, ${now}, ${now})
          RETURNING id
        ), t AS (
          INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "createdAt")
          SELECT ${uuidv7()}, ${input.tokenHash}, id, ${now} FROM s
        )
        INSERT INTO "AuditEvent" (id, type, "userId", "sessionId", "actorUserId", "ipAddress", "userAgent", data, "createdAt")
        SELECT e.id, e.type, e."userId", e."sessionId", e."actorUserId", e."ipAddress", e."userAgent", e.data, ${now}
        FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
          AS e(id text, type text, "userId" text, "sessionId" text, "actorUserId" text, "ipAddress" text, "userAgent" text, data jsonb)`;
      await input.afterCreate?.(tx, user, sessionId);
      return { sessionId, user };
    });
  }

  /** The session's user: created in `tx` (Register), or looked up. */
  private async userFor(tx: Prisma.TransactionClient, user: SessionOwner): Promise<UserRecord> {
    if ("newUser" in user) {
      try {
        return toUserRecord(await tx.user.create({ data: user.newUser, select: USER_FIELDS }));
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError("user.already_exists");
        throw err;
      }
    }
    const row = await tx.user.findUnique({ where: { id: user.id }, select: USER_FIELDS });
    if (!row) throw new DomainError("user.not_found");
    return toUserRecord(row);
  }

  /**
   * Spends a refresh token and stores its successor. The token and session rows are locked
   * so concurrent exchanges of one token serialise.
   *
   * `nextHash` is the hash of the token's derived successor (successorOf): the same for every
   * exchange of one token. The first exchange stores it; an exchange of the spent token less
   * than `graceMs` later (a second tab, a retried request) gets that same successor again, as
   * long as the successor itself is unspent. Anything else — the window has passed, or the
   * successor has already been rotated (its holder moved on, so this is not a concurrent
   * request) — is reuse: REFRESH_TOKEN_REUSED is recorded and the session revoked. So a session
   * never has two live branches: at any time at most one unspent refresh token is valid, and a
   * replay can only ever yield the token the legitimate holder also has. Auth0 ("reuse interval")
   * and Okta ("grace period for token rotation") likewise accept the previous token for a short
   * leeway; deriving the successor makes the leeway hand out the one successor instead of new ones.
   * Reuse revokes the session as `revoke` does (reason refresh_token_reused, one SESSION_REVOKED).
   */
  async rotate(input: { tokenHash: TokenHash; nextHash: TokenHash; graceMs: number; client: ClientInfo }): Promise<RotateOutcome> {
    // One round trip instead of an interactive transaction: rotation is the hottest write.
    return rotateInOneStatement(this.pool, input);
  }

  /** Ends the live session a refresh token (spent or not) belongs to (Logout); false when there is none. */
  async revokeByToken(tokenHash: TokenHash, client: ClientInfo): Promise<boolean> {
    const token = await this.db.refreshToken.findUnique({ where: { tokenHash }, select: { sessionId: true } });
    if (!token) return false;
    return (await this.revoke({ sessionIds: [token.sessionId] }, "logout", client)).length === 1;
  }

  /**
   * Ends the live (neither revoked nor expired) sessions of `target` and records one
   * SESSION_REVOKED per ended session, with data { reason }. Returns the ids it ended. Runs in
   * `opts.tx` when given, so a revocation that is part of a bigger write (a password change, a
   * reset, a deletion) commits or rolls back with it; otherwise in a transaction of its own.
   * `opts.actorUserId` is the admin ending another user's sessions, recorded on each event.
   */
  async revoke(
    target: RevokeTarget,
    reason: RevokeReason,
    client: ClientInfo,
    opts: { tx?: Prisma.TransactionClient; actorUserId?: string } = {},
  ): Promise<string[]> {
    if ("sessionIds" in target && target.sessionIds.length === 0) return [];
    const run = async (tx: Prisma.TransactionClient) => {
      const now = new Date();
      // One statement, so what it returns is exactly what this call ended, also under concurrency.
      const ended = await tx.$queryRaw<{ id: string; userId: string }[]>`
        UPDATE "Session" SET "revokedAt" = ${now}, "revokeReason" = ${reason}
        WHERE "revokedAt" IS NULL AND expires > ${now} AND ${targetCondition(target)}
        RETURNING id, "userId"`;
      if (ended.length > 0) {
        await tx.auditEvent.createMany({
          data: ended.map((s) => auditRow({ type: "SESSION_REVOKED", userId: s.userId, sessionId: s.id, actorUserId: opts.actorUserId, client, data: { reason } })),
        });
      }
      return ended.map((s) => s.id);
    };
    return opts.tx ? run(opts.tx) : this.db.$transaction(run);
  }

  /** The owner of a session that is neither revoked nor expired, with their role; else null. */
  async findLive(sessionId: string): Promise<{ userId: string; role: "USER" | "ADMIN" } | null> {
    const s = await this.db.session.findUnique({
      where: { id: sessionId },
      select: { revokedAt: true, expires: true, userId: true, user: { select: { role: true } } },
    });
    if (!s || s.revokedAt || s.expires <= new Date()) return null;
    return { userId: s.userId, role: s.user.role };
  }
}

/** The SQL condition selecting the sessions of `target` (live or not). */
function targetCondition(target: RevokeTarget): Prisma.Sql {
  if ("sessionIds" in target) {
    const ids = Prisma.sql`id IN (${Prisma.join(target.sessionIds)})`;
    return target.userId === undefined ? ids : Prisma.sql`${ids} AND "userId" = ${target.userId}`;
  }
  const user = Prisma.sql`"userId" = ${target.userId}`;
  return target.except === undefined || target.except === null ? user : Prisma.sql`${user} AND id <> ${target.except}`;
}
