import { auditRow } from "../audit/audit-event.js";
import type { Logger } from "../config/logger.js";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { normalizeEmail } from "../identity/email.js";
import type { UserRecord } from "../identity/user.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { Mailer } from "../mail/outbox.js";
import { passwordResetMail, verificationMail } from "../onetime/mail-templates.js";
import { consumeOneTimeToken, invalidateOneTimeTokens, issueOneTimeToken } from "../onetime/one-time-tokens.js";
import type { PasswordHasher } from "../password/hasher.js";
import { checkPasswordPolicy, PASSWORD_PROBLEM_MESSAGES } from "../password/policy.js";
import { DomainError, invalidArgument } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { isOpaqueTokenShape } from "../session/refresh-token.js";
import type { Throttle } from "../throttle/throttle.js";
import { removeLinksMadeUnverified } from "../user/provider-links.js";

/** Queues sealed mail in a transaction, and tells the outbox worker it was committed. */
export type MailNudger = Mailer;

/** Nothing tells an unknown, used, expired, tampered or wrong-purpose token apart. */
const TOKEN_INVALID = () => new DomainError("token.invalid");

/** Matches no user: lets the unknown-email path of a reset request run the same queries. */
const NO_USER = "00000000-0000-0000-0000-000000000000";

/** Thrown inside a transaction to roll it back and answer the client. */
class Refused extends Error {
  constructor(readonly answer: Error) {
    super(answer.message);
  }
}

/**
 * Email verification and password reset: one-time tokens mailed through the outbox, each
 * written in the same transaction as the mail that carries it.
 */
export class AccountRecovery {
  constructor(
    private readonly db: PrismaClient,
    private readonly hasher: PasswordHasher,
    private readonly opts: { webUrl: string; logger: Logger; mailer: MailNudger; throttle: Throttle },
  ) {}

  /**
   * Issues a verification token and queues its mail in `tx` (Register's transaction, or
   * RequestEmailVerification's). Call `nudge()` after the transaction commits.
   */
  async queueVerification(tx: Prisma.TransactionClient, user: { id: string; email: string }): Promise<void> {
    const issued = await issueOneTimeToken(tx, { purpose: "EMAIL_VERIFICATION", userId: user.id, email: user.email });
    await this.opts.mailer.enqueue(tx, verificationMail(this.opts.webUrl, user.email, issued));
  }

  /** Tells the outbox worker that committed mail is waiting. */
  nudge(): void {
    this.opts.mailer.nudge();
  }

  /** AuthService.RequestEmailVerification for an authenticated user; throttled per user. */
  async requestEmailVerification(userId: string): Promise<void> {
    // Counted outside the transaction: a refused or rolled-back request still counts.
    await this.opts.throttle.hit("verifyUser", userId);
    await this.transaction(async (tx) => {
      const user = await this.lockUser(tx, userId);
      if (!user) throw new Refused(new DomainError("session.revoked"));
      if (user.emailVerified) throw new Refused(new DomainError("email.already_verified"));
      await this.queueVerification(tx, user);
    });
    this.nudge();
  }

  /** AuthService.VerifyEmail: consumes the token and marks the address verified. */
  async verifyEmail(token: string, client: ClientInfo): Promise<UserRecord> {
    if (!isOpaqueTokenShape(token)) throw invalidArgument("token", "must be the 43-character code from the verification link");
    return this.transaction(async (tx) => {
      const now = new Date();
      const consumed = await consumeOneTimeToken(tx, token, "EMAIL_VERIFICATION", now);
      if (!consumed) throw new Refused(TOKEN_INVALID());
      // Only the address the mail went to is proven; if the account's email changed since, refuse.
      const current = await this.lockUser(tx, consumed.userId);
      if (!current || current.email !== consumed.email) throw new Refused(TOKEN_INVALID());
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
   * AuthService.RequestPasswordReset. Known and unknown addresses take the same path: one
   * transaction with the same lookup, the same invalidation update and an audit insert; only
   * a real account gets a token and a mail. The answer is the same either way, also when
   * throttled (per client IP, then per normalised email): a throttled request queues nothing.
   */
  async requestPasswordReset(rawEmail: string, client: ClientInfo): Promise<void> {
    const email = normalizeEmail(rawEmail);
    if (!email) throw invalidArgument("email", "must be a valid email address");
    await this.opts.throttle.hit("resetIp", client.ipAddress);
    await this.opts.throttle.hit("resetEmail", email);
    await this.transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { email }, select: { id: true, email: true } });
      if (user) {
        const issued = await issueOneTimeToken(tx, { purpose: "PASSWORD_RESET", userId: user.id, email: user.email });
        await this.opts.mailer.enqueue(tx, passwordResetMail(this.opts.webUrl, user.email, issued));
      } else {
        // Mirrors issueOneTimeToken's invalidation and the two inserts with cheap round trips.
        await invalidateOneTimeTokens(tx, NO_USER, "PASSWORD_RESET");
        await tx.$queryRaw`SELECT 1`;
        await tx.$queryRaw`SELECT 1`;
      }
      // Recorded for unknown addresses too (without the address), like a failed sign-in.
      await tx.auditEvent.create({ data: auditRow({ type: "PASSWORD_RESET_REQUESTED", userId: user?.id ?? null, client }) });
    });
    this.nudge();
  }

  /**
   * AuthService.ResetPassword: checks and hashes the new password first (off any
   * transaction), then in one transaction consumes the token, sets the password, voids other
   * reset tokens, revokes every session and records the event.
   */
  async resetPassword(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    if (!isOpaqueTokenShape(token)) throw invalidArgument("token", "must be the 43-character code from the reset link");
    const problem = checkPasswordPolicy(newPassword);
    if (problem) throw invalidArgument("new_password", PASSWORD_PROBLEM_MESSAGES[problem]);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.transaction(async (tx) => {
      const now = new Date();
      const consumed = await consumeOneTimeToken(tx, token, "PASSWORD_RESET", now);
      if (!consumed) throw new Refused(TOKEN_INVALID());
      // The mail went to consumed.email: if the account's address changed since, the link is void.
      const { count } = await tx.user.updateMany({ where: { id: consumed.userId, email: consumed.email }, data: { passwordHash } });
      if (count !== 1) throw new Refused(TOKEN_INVALID());
      await invalidateOneTimeTokens(tx, consumed.userId, "PASSWORD_RESET", now);
      // Following the reset link proves the mailbox, as a verification link does (Keycloak
      // marks the email verified after a reset by mail too); a squatter's provider link made
      // before then goes, so only the mailbox's owner keeps the account.
      await tx.user.updateMany({ where: { id: consumed.userId, emailVerified: null }, data: { emailVerified: now } });
      await removeLinksMadeUnverified(tx, consumed.userId, client);
      const revoked = await tx.session.updateMany({
        where: { userId: consumed.userId, revokedAt: null },
        data: { revokedAt: now, revokeReason: "password_reset" },
      });
      await tx.auditEvent.create({
        data: auditRow({ type: "PASSWORD_RESET", userId: consumed.userId, client, data: { sessionsRevoked: revoked.count } }),
      });
      await this.opts.throttle.clearPasswordFailures(consumed, tx); // the owner proved the mailbox: no lock-out outlives a reset
    });
  }

  /** The user's address and verification, row-locked so an email change cannot interleave. */
  private async lockUser(tx: Prisma.TransactionClient, userId: string) {
    const rows = await tx.$queryRaw<{ id: string; email: string; emailVerified: Date | null }[]>`
      SELECT id, email, "emailVerified" FROM "User" WHERE id = ${userId} FOR UPDATE`;
    return rows[0] ?? null;
  }

  /** Runs `fn` in a transaction; a Refused rolls it back and becomes the RPC's answer. */
  private async transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    try {
      return await this.db.$transaction(fn);
    } catch (err) {
      if (err instanceof Refused) throw err.answer;
      throw err;
    }
  }
}
