import type { Prisma } from "../db/generated/client.js";
import { normalizeEmail } from "../identity/email.js";
import type { UserRecord } from "../identity/user.js";
import type { Mailer } from "../mail/outbox.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import { passwordResetMail, verificationMail, type MailSite } from "../mail/templates/mails.js";
import type { PasswordHasher } from "../password/hasher.js";
import { checkPasswordPolicy, PASSWORD_PROBLEM_MESSAGES } from "../password/policy.js";
import { DomainError, invalidArgument } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { isOpaqueTokenShape } from "../session/refresh-token.js";
import type { Throttle } from "../throttle/throttle.js";
import type { RecoveryStore, SendToken } from "./recovery-store.js";

/** Queues sealed mail in a transaction, and tells the outbox worker it was committed. */
export type MailNudger = Mailer;

/**
 * Email verification and password reset: one-time tokens mailed through the outbox, each
 * written in the same transaction as the mail that carries it.
 */
export class AccountRecovery {
  private readonly sendVerification: SendToken;
  private readonly sendReset: SendToken;

  constructor(
    private readonly store: RecoveryStore,
    private readonly hasher: PasswordHasher,
    private readonly opts: { site: MailSite; mailer: MailNudger; throttle: Throttle; notices: Pick<SecurityNotices, "passwordChanged"> },
  ) {
    this.sendVerification = (tx, to, issued) => opts.mailer.enqueue(tx, verificationMail(opts.site, to, issued));
    this.sendReset = (tx, to, issued) => opts.mailer.enqueue(tx, passwordResetMail(opts.site, to, issued));
  }

  /**
   * Issues a verification token and queues its mail in `tx` (Register's transaction). Call
   * `nudge()` after the transaction commits.
   */
  async queueVerification(tx: Prisma.TransactionClient, user: { id: string; email: string; locale: string; name: string | null }): Promise<void> {
    await this.store.issue(tx, "EMAIL_VERIFICATION", user, this.sendVerification);
  }

  /** Tells the outbox worker that committed mail is waiting. */
  nudge(): void {
    this.opts.mailer.nudge();
  }

  /** AuthService.RequestEmailVerification for an authenticated user; throttled per user. */
  async requestEmailVerification(userId: string): Promise<void> {
    // Counted before the store is asked: a refused request still counts.
    await this.opts.throttle.hit("verifyUser", userId);
    const outcome = await this.store.requestVerification(userId, this.sendVerification);
    if (outcome === "gone") throw new DomainError("session.revoked");
    if (outcome === "verified") throw new DomainError("email.already_verified");
    this.nudge();
  }

  /** AuthService.VerifyEmail: consumes the token and marks the address verified. */
  async verifyEmail(token: string, client: ClientInfo): Promise<UserRecord> {
    if (!isOpaqueTokenShape(token)) throw invalidArgument("token", "must be the 43-character code from the verification link");
    return this.store.verifyEmail(token, client);
  }

  /**
   * AuthService.RequestPasswordReset. Known and unknown addresses take the same path (the
   * store runs the same queries); only a real account gets a token and a mail. The answer is
   * the same either way, also when throttled (per client IP, then per normalised email): a
   * throttled request queues nothing.
   */
  async requestPasswordReset(rawEmail: string, client: ClientInfo): Promise<void> {
    const email = normalizeEmail(rawEmail);
    if (!email) throw invalidArgument("email", "must be a valid email address");
    await this.opts.throttle.hit("resetIp", client.ipAddress);
    await this.opts.throttle.hit("resetEmail", email);
    await this.store.requestPasswordReset(email, client, this.sendReset);
    this.nudge();
  }

  /**
   * AuthService.ResetPassword: checks and hashes the new password first (off any
   * transaction), then the store spends the token, sets the password and revokes every session
   * in one transaction, in which the account's sign-in failures are cleared too (the owner
   * proved the mailbox, so no lock-out outlives a reset) and the "password changed" notice is
   * queued.
   */
  async resetPassword(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    if (!isOpaqueTokenShape(token)) throw invalidArgument("token", "must be the 43-character code from the reset link");
    const problem = checkPasswordPolicy(newPassword);
    if (problem) throw invalidArgument("new_password", PASSWORD_PROBLEM_MESSAGES[problem]);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.store.resetPassword({ token, passwordHash, client }, async (tx, account) => {
      await this.opts.throttle.clearPasswordFailures(account, tx);
      await this.opts.notices.passwordChanged(tx, account.userId, client);
    });
    this.nudge();
  }
}
