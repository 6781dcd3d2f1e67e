import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import { invalidateOneTimeTokens } from "../onetime/one-time-tokens.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import type { SessionStore } from "../session/session-store.js";
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

/**
 * A user's own account in PostgreSQL: profile, password, sessions, deletion. Every method is
 * scoped to one user id, so a caller can only ever touch their own rows. A password change and
 * ending every session queue their security notice in the same transaction.
 */
export class AccountStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly sessions: SessionStore,
    private readonly notices: Pick<SecurityNotices, "passwordChanged" | "signedOutEverywhere" | "nudge">,
  ) {}

  /** Applies a validated patch; profile keys are merged into the stored JSON. Null if the user is gone. */
  async updateProfile(userId: string, patch: ProfilePatch): Promise<UserRecord | null> {
    return this.db.$transaction(async (tx) => {
      // Locked so concurrent partial updates of the profile JSON do not lose each other's keys.
      const rows = await tx.$queryRaw<{ profile: unknown }[]>`SELECT profile FROM "User" WHERE id = ${userId} FOR UPDATE`;
      if (rows.length === 0) return null;
      const data: Prisma.UserUpdateInput = {};
      if (patch.name !== undefined) data.name = patch.name;
      if (patch.image !== undefined) data.image = patch.image;
      if (patch.locale !== undefined) data.locale = patch.locale;
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
   * reset tokens, records PASSWORD_CHANGED and queues the "password changed" notice. False
   * when the hash changed meanwhile.
   */
  async changePassword(input: {
    userId: string;
    currentSessionId: string;
    expectedHash: string;
    newHash: string;
    client: ClientInfo;
  }): Promise<boolean> {
    const changed = await this.db.$transaction(async (tx) => {
      const { count } = await tx.user.updateMany({
        where: { id: input.userId, passwordHash: input.expectedHash },
        data: { passwordHash: input.newHash },
      });
      if (count !== 1) return false;
      const target = { userId: input.userId, except: input.currentSessionId };
      const revoked = (await this.sessions.revoke(target, "password_changed", input.client, { tx })).length;
      const resetTokens = await invalidateOneTimeTokens(tx, input.userId, "PASSWORD_RESET");
      await tx.auditEvent.create({
        data: auditRow({
          type: "PASSWORD_CHANGED",
          userId: input.userId,
          sessionId: input.currentSessionId,
          client: input.client,
          data: { sessionsRevoked: revoked, resetTokensInvalidated: resetTokens },
        }),
      });
      // The ended sessions are part of this change and of its mail: no "signed out everywhere" too.
      await this.notices.passwordChanged(tx, input.userId, input.client);
      return true;
    });
    if (changed) this.notices.nudge();
    return changed;
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
    return (await this.sessions.revoke({ sessionIds: [sessionId], userId }, "revoked_by_user", client)).length === 1;
  }

  /**
   * Ends every live session of the user except `keepSessionId` (if given) and, when any ended,
   * queues the "signed out everywhere" notice in the same transaction; returns how many ended.
   */
  async revokeSessions(userId: string, keepSessionId: string | null, client: ClientInfo): Promise<number> {
    const ended = await this.db.$transaction(async (tx) => {
      const ids = await this.sessions.revoke({ userId, except: keepSessionId }, "revoke_all", client, { tx });
      if (ids.length > 0) await this.notices.signedOutEverywhere(tx, userId, ids.length, client);
      return ids.length;
    });
    if (ended > 0) this.notices.nudge();
    return ended;
  }

  /**
   * An admin ends every live session of another user: each SESSION_REVOKED event names the
   * admin as actor. No mail: the "signed out everywhere" notice would describe the admin's
   * device to the user. Returns how many ended.
   */
  async revokeSessionsByAdmin(userId: string, adminId: string, client: ClientInfo): Promise<number> {
    return (await this.sessions.revoke({ userId }, "revoked_by_admin", client, { actorUserId: adminId })).length;
  }

  /**
   * Deletes the account (accounts, sessions, refresh and one-time tokens cascade) if its
   * password hash is still `expectedHash`: its live sessions are first revoked with
   * SESSION_REVOKED each, then ACCOUNT_DELETED is recorded under its id (audit rows outlive
   * the account). False when the account is gone or its password changed meanwhile.
   */
  async deleteUser(input: { userId: string; expectedHash: string | null; sessionId: string; client: ClientInfo }): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      // Locked, so no password change and no new session can slip in before the delete.
      const found = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "User" WHERE id = ${input.userId} AND "passwordHash" IS NOT DISTINCT FROM ${input.expectedHash} FOR UPDATE`;
      if (found.length !== 1) return false;
      await this.sessions.revoke({ userId: input.userId }, "account_deleted", input.client, { tx });
      await tx.user.delete({ where: { id: input.userId } });
      // No email or name: the audit row outlives the account and must not keep personal data.
      await tx.auditEvent.create({
        data: auditRow({ type: "ACCOUNT_DELETED", userId: input.userId, sessionId: input.sessionId, client: input.client }),
      });
      return true;
    });
  }
}
