import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import { invalidateOneTimeTokens } from "../onetime/one-time-tokens.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { ProfilePatch } from "./profile-update.js";

/** A live session as its owner sees it. */
export interface SessionRecord {
  id: string;
  userAgent: string;
  ipAddress: string;
  createdAt: Date;
  lastUsedAt: Date;
  expires: Date;
}

/** Why sessions were ended, stored in Session.revokeReason and the audit event. */
export type RevokeReason = "revoked_by_user" | "revoke_all" | "password_changed";

/**
 * A user's own account in PostgreSQL: profile, password, sessions, deletion. Every method is
 * scoped to one user id, so a caller can only ever touch their own rows.
 */
export class AccountStore {
  constructor(private readonly db: PrismaClient) {}

  /** Applies a validated patch; profile keys are merged into the stored JSON. Null if the user is gone. */
  async updateProfile(userId: string, patch: ProfilePatch): Promise<UserRecord | null> {
    return this.db.$transaction(async (tx) => {
      // Locked so concurrent partial updates of the profile JSON do not lose each other's keys.
      const rows = await tx.$queryRaw<{ profile: unknown }[]>`SELECT profile FROM "User" WHERE id = ${userId} FOR UPDATE`;
      if (rows.length === 0) return null;
      const data: Prisma.UserUpdateInput = {};
      if (patch.name !== undefined) data.name = patch.name;
      if (patch.image !== undefined) data.image = patch.image;
      if (patch.profile) {
        const current = rows[0]!.profile;
        const profile: Record<string, unknown> = current && typeof current === "object" && !Array.isArray(current) ? { ...current } : {};
        for (const [key, value] of Object.entries(patch.profile)) {
          if (value === null) delete profile[key];
          else profile[key] = value;
        }
        data.profile = profile as Prisma.InputJsonObject;
      }
      return toUserRecord(await tx.user.update({ where: { id: userId }, data, select: USER_FIELDS }));
    });
  }

  /** The stored password hash (null for accounts without a password); undefined if the user is gone. */
  async passwordHashOf(userId: string): Promise<string | null | undefined> {
    const row = await this.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
    return row ? row.passwordHash : undefined;
  }

  /**
   * In one transaction: replaces the password hash (only if it is still `expectedHash`, so a
   * concurrent change or reset wins cleanly), ends every other live session, voids outstanding
   * reset tokens and records PASSWORD_CHANGED. False when the hash changed meanwhile.
   */
  async changePassword(input: {
    userId: string;
    currentSessionId: string;
    expectedHash: string;
    newHash: string;
    client: ClientInfo;
  }): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const now = new Date();
      const { count } = await tx.user.updateMany({
        where: { id: input.userId, passwordHash: input.expectedHash },
        data: { passwordHash: input.newHash },
      });
      if (count !== 1) return false;
      const revoked = await this.revokeIn(tx, input.userId, input.currentSessionId, "password_changed", input.client, now);
      const resetTokens = await invalidateOneTimeTokens(tx, input.userId, "PASSWORD_RESET", now);
      await tx.auditEvent.create({
        data: auditRow({
          type: "PASSWORD_CHANGED",
          userId: input.userId,
          sessionId: input.currentSessionId,
          client: input.client,
          data: { sessionsRevoked: revoked, resetTokensInvalidated: resetTokens },
        }),
      });
      return true;
    });
  }

  /**
   * The user's live sign-in sessions (not revoked, not expired, carrying refresh tokens: the
   * NextAuth adapter's database sessions are not listed), newest first.
   */
  async listSessions(userId: string): Promise<SessionRecord[]> {
    return this.db.session.findMany({
      where: { userId, revokedAt: null, expires: { gt: new Date() }, sessionToken: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, userAgent: true, ipAddress: true, createdAt: true, lastUsedAt: true, expires: true },
    });
  }

  /** When a session began; null if it no longer exists. */
  async sessionStartedAt(sessionId: string): Promise<Date | null> {
    const row = await this.db.session.findUnique({ where: { id: sessionId }, select: { createdAt: true } });
    return row?.createdAt ?? null;
  }

  /** Ends one live session of the user and records SESSION_REVOKED; false when the user has no such session. */
  async revokeSession(userId: string, sessionId: string, client: ClientInfo): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const now = new Date();
      const reason: RevokeReason = "revoked_by_user";
      const { count } = await tx.session.updateMany({
        where: { id: sessionId, userId, revokedAt: null, expires: { gt: now } },
        data: { revokedAt: now, revokeReason: reason },
      });
      if (count !== 1) return false;
      await tx.auditEvent.create({ data: auditRow({ type: "SESSION_REVOKED", userId, sessionId, client, data: { reason } }) });
      return true;
    });
  }

  /** Ends every live session of the user except `keepSessionId` (if given); returns how many ended. */
  async revokeSessions(userId: string, keepSessionId: string | null, client: ClientInfo): Promise<number> {
    return this.db.$transaction((tx) => this.revokeIn(tx, userId, keepSessionId, "revoke_all", client, new Date()));
  }

  /**
   * Deletes the account (accounts, sessions, refresh and one-time tokens cascade) if its
   * password hash is still `expectedHash`, and records ACCOUNT_DELETED under its id. False when
   * the account is gone or its password changed meanwhile.
   */
  async deleteUser(input: { userId: string; expectedHash: string | null; sessionId: string; client: ClientInfo }): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.user.deleteMany({ where: { id: input.userId, passwordHash: input.expectedHash } });
      if (count !== 1) return false;
      // No email or name: the audit row outlives the account and must not keep personal data.
      await tx.auditEvent.create({
        data: auditRow({ type: "ACCOUNT_DELETED", userId: input.userId, sessionId: input.sessionId, client: input.client }),
      });
      return true;
    });
  }

  /** Ends live sessions of `userId` in `tx` (all, or all but one) with one SESSION_REVOKED each. */
  private async revokeIn(
    tx: Prisma.TransactionClient,
    userId: string,
    keepSessionId: string | null,
    reason: RevokeReason,
    client: ClientInfo,
    now: Date,
  ): Promise<number> {
    // One statement, so the count is exactly the sessions this call ended.
    const ended = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Session" SET "revokedAt" = ${now}, "revokeReason" = ${reason}
      WHERE "userId" = ${userId} AND "revokedAt" IS NULL AND expires > ${now}
        AND (${keepSessionId}::text IS NULL OR id <> ${keepSessionId}::text)
      RETURNING id`;
    if (ended.length > 0) {
      await tx.auditEvent.createMany({
        data: ended.map((s) => auditRow({ type: "SESSION_REVOKED", userId, sessionId: s.id, client, data: { reason } })),
      });
    }
    return ended.length;
  }
}
