import type { Prisma } from "../db/generated/client.js";
import type { UserRecord } from "../identity/user.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DEFAULT_LOCALE, storedLocale, type Locale } from "../kernel/locale.js";
import type { Mailer } from "../mail/outbox.js";
import {
  authenticatorDisabledMail,
  authenticatorEnabledMail,
  emailChangedMail,
  newSignInMail,
  passkeyAddedMail,
  passkeyRemovedMail,
  passwordChangedMail,
  recoveryCodeUsedMail,
  secondFactorsRemovedMail,
  signedOutEverywhereMail,
  type MailSite,
  type Recipient,
} from "../mail/templates/mails.js";
import { isNewDevice } from "./new-device.js";

/**
 * Security notification mails: a sign-in from a new device, a password change or reset,
 * every session ended, an email change. Each method queues its mail in the transaction of the
 * action it tells about (the action's store calls it), so a committed action always has its
 * mail and a rolled-back one never does. Delivery is the outbox worker's: the action never
 * waits on SMTP and succeeds whether or not SMTP is up. Call nudge() after the commit. Every
 * mail is in the user's language (User.locale).
 */
export class SecurityNotices {
  constructor(
    private readonly mailer: Mailer,
    private readonly site: MailSite,
  ) {}

  /** A session of an existing user was just created in `tx`: mails the user if it is from a new device (new-device.ts). */
  async signedIn(tx: Prisma.TransactionClient, user: UserRecord, session: { id: string; client: ClientInfo }): Promise<void> {
    const at = new Date();
    if (!(await isNewDevice(tx, { userId: user.id, sessionId: session.id, userAgent: session.client.userAgent, now: at }))) return;
    await this.mailer.enqueue(tx, newSignInMail(this.site, { email: user.email, locale: user.locale, name: user.name }, { client: session.client, at }));
  }

  /** The user's password was changed or reset in `tx`. */
  async passwordChanged(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<void> {
    const to = await recipientOf(tx, userId);
    if (to) await this.mailer.enqueue(tx, passwordChangedMail(this.site, to, { client, at: new Date() }));
  }

  /** UserService.RevokeAllSessions ended `count` (at least one) of the user's sessions in `tx`. */
  async signedOutEverywhere(tx: Prisma.TransactionClient, userId: string, count: number, client: ClientInfo): Promise<void> {
    const to = await recipientOf(tx, userId);
    if (to) await this.mailer.enqueue(tx, signedOutEverywhereMail(this.site, to, { client, count, at: new Date() }));
  }

  /**
   * The account's address changed from `oldAddress` to `newAddress` in `tx`: tells the old
   * address, in the account's `locale` ("en" when not given), greeting them by `name`. For the email-change flow, which
   * calls it in the transaction that applies the verified new address.
   */
  async emailChanged(
    tx: Prisma.TransactionClient,
    change: { oldAddress: string; newAddress: string; locale?: Locale; name?: string | null },
    client: ClientInfo,
  ): Promise<void> {
    const to = { email: change.oldAddress, locale: change.locale ?? DEFAULT_LOCALE, name: change.name ?? null };
    await this.mailer.enqueue(tx, emailChangedMail(this.site, to, { client, newAddress: change.newAddress, at: new Date() }));
  }

  /** One of the user's recovery codes was spent in `tx`; `remaining` unused ones are left. */
  async recoveryCodeUsed(tx: Prisma.TransactionClient, userId: string, remaining: number, client: ClientInfo): Promise<void> {
    const to = await recipientOf(tx, userId);
    if (to) await this.mailer.enqueue(tx, recoveryCodeUsedMail(this.site, to, { client, remaining, at: new Date() }));
  }

  /** An admin removed the user's second factors in `tx`. */
  async secondFactorsRemoved(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<void> {
    const to = await recipientOf(tx, userId);
    if (to) await this.mailer.enqueue(tx, secondFactorsRemovedMail(this.site, to, { client, at: new Date() }));
  }

  /** The user confirmed an authenticator app in `tx`. */
  async authenticatorEnabled(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<void> {
    await this.notice(tx, userId, client, authenticatorEnabledMail);
  }

  /** The user turned their authenticator app off in `tx`. */
  async authenticatorDisabled(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<void> {
    await this.notice(tx, userId, client, authenticatorDisabledMail);
  }

  /** A passkey was registered to the user in `tx`. */
  async passkeyAdded(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<void> {
    await this.notice(tx, userId, client, passkeyAddedMail);
  }

  /** The user deleted one of their passkeys in `tx`. */
  async passkeyRemoved(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<void> {
    await this.notice(tx, userId, client, passkeyRemovedMail);
  }

  private async notice(
    tx: Prisma.TransactionClient,
    userId: string,
    client: ClientInfo,
    mail: (site: MailSite, to: Recipient, event: { client: ClientInfo; at: Date }) => ReturnType<typeof passkeyAddedMail>,
  ): Promise<void> {
    const to = await recipientOf(tx, userId);
    if (to) await this.mailer.enqueue(tx, mail(this.site, to, { client, at: new Date() }));
  }

  /** Tells the outbox worker that committed mail is waiting; never throws. */
  nudge(): void {
    this.mailer.nudge();
  }
}

async function recipientOf(tx: Prisma.TransactionClient, userId: string): Promise<Recipient | null> {
  const row = await tx.user.findUnique({ where: { id: userId }, select: { email: true, locale: true, name: true } });
  return row && { email: row.email, locale: storedLocale(row.locale), name: row.name };
}
