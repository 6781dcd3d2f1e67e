import type { Caller } from "../kernel/caller.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError, invalidArgument } from "../kernel/errors.js";
import { normalizeEmail } from "../identity/email.js";
import type { UserRecord } from "../identity/user.js";
import type { Mailer } from "../mail/outbox.js";
import { emailChangeConfirmMail, emailTakenMail, type MailSite } from "../mail/templates/mails.js";
import { isOpaqueTokenShape } from "../session/refresh-token.js";
import type { Throttle } from "../throttle/throttle.js";
import type { Accounts } from "./accounts.js";
import type { EmailChangeMails, EmailChangeStore } from "./email-change-store.js";

/**
 * Moving an account to a new address (UserService.RequestEmailChange, AuthService.ConfirmEmailChange):
 * the new address gets a one-time link and changes only when it is followed; the old address
 * is then told. The answer to a request never says whether the new address has an account.
 */
export class EmailChange {
  private readonly mails: EmailChangeMails;

  constructor(
    private readonly store: EmailChangeStore,
    private readonly accounts: Pick<Accounts, "me" | "confirmIdentity">,
    private readonly opts: { site: MailSite; mailer: Mailer; throttle: Throttle },
  ) {
    this.mails = {
      link: (tx, to, issued) => opts.mailer.enqueue(tx, emailChangeConfirmMail(opts.site, to, issued)),
      taken: (tx, to) => opts.mailer.enqueue(tx, emailTakenMail(opts.site, to)),
    };
  }

  /**
   * Checks the caller as DeleteAccount does (password, or a recent sign-in, and a second factor when enrolled), then counts a mail
   * against the user's verification-mail limit and queues the link (or the notice to a taken
   * address) with its token.
   */
  async request(caller: Caller, rawNewEmail: string, password: string, secondFactorCode: string, client: ClientInfo): Promise<void> {
    const newEmail = normalizeEmail(rawNewEmail);
    if (!newEmail) throw invalidArgument("new_email", "must be a valid email address");
    if ((await this.accounts.me(caller)).email === newEmail) throw invalidArgument("new_email", "is already your address");
    await this.accounts.confirmIdentity(caller, password, client, "sign in again, then change the address within 5 minutes", secondFactorCode);
    // Counted after the identity check, so wrong passwords do not use up the owner's mails.
    await this.opts.throttle.hit("verifyUser", caller.userId);
    const outcome = await this.store.request({ userId: caller.userId, newEmail, client }, this.mails);
    if (outcome === "gone") throw new DomainError("session.revoked");
    if (outcome === "same") throw invalidArgument("new_email", "is already your address");
    this.opts.mailer.nudge();
  }

  /** Spends the token from the link and moves the account to the address it was mailed to. */
  async confirm(token: string, client: ClientInfo): Promise<UserRecord> {
    if (!isOpaqueTokenShape(token)) throw invalidArgument("token", "must be the 43-character code from the email-change link");
    const user = await this.store.confirm(token, client);
    this.opts.mailer.nudge();
    return user;
  }
}
