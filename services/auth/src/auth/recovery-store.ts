import { auditRow } from "../audit/audit-event.js";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import type { UserRecord } from "../identity/user.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { storedLocale } from "../kernel/locale.js";
import type { IssuedToken, Recipient } from "../mail/templates/mails.js";
import { DomainError } from "../kernel/errors.js";
import { consumeOneTimeToken, invalidateOneTimeTokens, issueOneTimeToken, type ConsumedToken, type TokenPurpose } from "../onetime/one-time-tokens.js";
import type { SessionStore } from "../session/session-store.js";
import { removeLinksMadeUnverified } from "../user/provider-links.js";

/** Queues the mail carrying a token just issued to `to` (in their language), in the transaction that issued it. */
export type SendToken = (tx: Prisma.TransactionClient, to: Recipient, issued: IssuedToken) => Promise<unknown>;

/** Nothing tells an unknown, used, expired, tampered or wrong-purpose token apart. */
const TOKEN_INVALID = () => new DomainError("token.invalid");

/** Matches no user: lets the unknown-email path of a reset request run the same queries. */
const NO_USER = "00000000-0000-0000-0000-000000000000";

/**
 * Email verification and password reset in PostgreSQL: one-time tokens, the user rows they
 * change and their audit events, each step in one transaction with the mail that carries a
 * token. A token refused after it was spent throws DomainError token.invalid inside the
 * transaction, which rolls the spending back.
 */
export class RecoveryStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly sessions: SessionStore,
  ) {}

  /** Issues a token of `purpose` for the user's address in `tx` (older ones stop working) and has `send` queue its mail. */
  async issue(tx: Prisma.TransactionClient, purpose: TokenPurpose, user: { id: string; email: string; locale: string; name: string | null }, send: SendToken): Promise<void> {
    const issued = await issueOneTimeToken(tx, { purpose, userId: user.id, email: user.email });
    await send(tx, { email: user.email, locale: storedLocale(user.locale), name: user.name }, issued);
  }

  /**
   * With the user row locked, issues a verification token and queues its mail: "queued". Writes
   * nothing when the user is gone ("gone") or the address is verified already ("verified").
   */
  async requestVerification(userId: string, send: SendToken): Promise<"queued" | "gone" | "verified"> {
    return this.db.$transaction(async (tx) => {
      const user = await lockUser(tx, userId);
      if (!user) return "gone";
      if (user.emailVerified) return "verified";
      await this.issue(tx, "EMAIL_VERIFICATION", user, send);
      return "queued";
    });
  }

  /**
   * Spends a verification token and marks the address it was mailed to verified, records
   * EMAIL_VERIFIED and removes provider links made while it was not. Throws token.invalid when
   * the token is not spendable or the account's address is no longer the one the mail went to.
   */
  async verifyEmail(token: string, client: ClientInfo): Promise<UserRecord> {
    return this.db.$transaction(async (tx) => {
      const now = new Date();
      const consumed = await consumeOneTimeToken(tx, token, "EMAIL_VERIFICATION", now);
      if (!consumed) throw TOKEN_INVALID();
      // Only the address the mail went to is proven; if the account's email changed since, refuse.
      const current = await lockUser(tx, consumed.userId);
      if (!current || current.email !== consumed.email) throw TOKEN_INVALID();
      const row = await tx.user.update({
        where: { id: consumed.userId },
        data: { emailVerified: current.emailVerified ?? now },
        select: USER_FIELDS,
      });
      await tx.auditEvent.create({ data: auditRow({ type: "EMAIL_VERIFIED", userId: consumed.userId, client }) });
      // The mailbox is proven: provider links made while it was not may be a squatter's.
      await removeLinksMadeUnverified(tx, consumed.userId, client);
      return toUserRecord(row);
    });
  }

  /**
   * Issues a reset token for the account with this (normalised) address and has `send` queue
   * its mail, recording PASSWORD_RESET_REQUESTED. An unknown address takes the same path: one
   * transaction with the same lookup, the same invalidation update, two cheap round trips in
   * place of the token and mail inserts, and the audit insert (without the address).
   */
  async requestPasswordReset(email: string, client: ClientInfo, send: SendToken): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { email }, select: { id: true, email: true, locale: true, name: true } });
      if (user) {
        await this.issue(tx, "PASSWORD_RESET", user, send);
      } else {
        await invalidateOneTimeTokens(tx, NO_USER, "PASSWORD_RESET");
        await tx.$queryRaw`SELECT 1`;
        await tx.$queryRaw`SELECT 1`;
      }
      await tx.auditEvent.create({ data: auditRow({ type: "PASSWORD_RESET_REQUESTED", userId: user?.id ?? null, client }) });
    });
  }

  /**
   * In one transaction: spends the reset token, sets the password hash, voids the user's other
   * reset tokens, marks the address verified and removes provider links made while it was
   * not, revokes every live session, records
   * PASSWORD_RESET, then runs `inTransaction`. Throws token.invalid when the token is not
   * spendable or the account's address is no longer the one the mail went to.
   */
  async resetPassword(
    input: { token: string; passwordHash: string; client: ClientInfo },
    inTransaction: (tx: Prisma.TransactionClient, account: ConsumedToken) => Promise<void>,
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const now = new Date();
      const consumed = await consumeOneTimeToken(tx, input.token, "PASSWORD_RESET", now);
      if (!consumed) throw TOKEN_INVALID();
      // The mail went to consumed.email: if the account's address changed since, the link is void.
      const { count } = await tx.user.updateMany({
        where: { id: consumed.userId, email: consumed.email },
        data: { passwordHash: input.passwordHash },
      });
      if (count !== 1) throw TOKEN_INVALID();
      await invalidateOneTimeTokens(tx, consumed.userId, "PASSWORD_RESET", now);
      // Following the reset link proves the mailbox, as a verification link does (Keycloak
      // marks the email verified after a reset by mail too); a squatter's provider link made
      // before then goes, so only the mailbox's owner keeps the account.
      await tx.user.updateMany({ where: { id: consumed.userId, emailVerified: null }, data: { emailVerified: now } });
      await removeLinksMadeUnverified(tx, consumed.userId, input.client);
      const revoked = await this.sessions.revoke({ userId: consumed.userId }, "password_reset", input.client, { tx });
      await tx.auditEvent.create({
        data: auditRow({ type: "PASSWORD_RESET", userId: consumed.userId, client: input.client, data: { sessionsRevoked: revoked.length } }),
      });
      await inTransaction(tx, consumed);
    });
  }
}

/** The user's address, language and verification, row-locked so an email change cannot interleave. */
async function lockUser(tx: Prisma.TransactionClient, userId: string) {
  const rows = await tx.$queryRaw<{ id: string; email: string; locale: string; name: string | null; emailVerified: Date | null }[]>`
    SELECT id, email, locale, name, "emailVerified" FROM "User" WHERE id = ${userId} FOR UPDATE`;
  return rows[0] ?? null;
}
