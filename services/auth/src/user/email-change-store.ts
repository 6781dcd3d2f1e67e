import { auditRow } from "../audit/audit-event.js";
import { isUniqueViolation } from "../db/database-errors.js";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import { storedLocale } from "../kernel/locale.js";
import type { IssuedToken, Recipient } from "../mail/templates/mails.js";
import { consumeOneTimeToken, invalidateOneTimeTokens, issueOneTimeToken } from "../onetime/one-time-tokens.js";
import type { SecurityNotices } from "../notify/security-notices.js";

/** Queues, in `tx`, the mail to the new address: its link when it is free, a notice when another account has it. */
export interface EmailChangeMails {
  link(tx: Prisma.TransactionClient, to: Recipient, issued: IssuedToken): Promise<unknown>;
  taken(tx: Prisma.TransactionClient, to: Recipient): Promise<unknown>;
}

/** Nothing tells an unknown, used, expired, voided or wrong-purpose token apart. */
const TOKEN_INVALID = () => new DomainError("token.invalid");

/**
 * Email change in PostgreSQL: the EMAIL_CHANGE one-time token (its `email` is the new
 * address), the user row it moves and the audit events, each step in one transaction with the
 * mail it sends.
 */
export class EmailChangeStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly notices: Pick<SecurityNotices, "emailChanged">,
  ) {}

  /**
   * With the user row locked: voids the user's older EMAIL_CHANGE tokens, then issues a token
   * for `newEmail` with its link mail, or, when another account has that address, queues the
   * notice to it instead; records EMAIL_CHANGE_REQUESTED. "gone" (writing nothing) when the
   * user no longer exists, "same" when newEmail is already the user's address.
   */
  async request(input: { userId: string; newEmail: string; client: ClientInfo }, mails: EmailChangeMails): Promise<"queued" | "gone" | "same"> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ email: string; locale: string; name: string | null }[]>`SELECT email, locale, name FROM "User" WHERE id = ${input.userId} FOR UPDATE`;
      const user = rows[0];
      if (!user) return "gone";
      if (user.email === input.newEmail) return "same";
      const now = new Date();
      const owner = await tx.user.findUnique({ where: { email: input.newEmail }, select: { id: true, locale: true, name: true } });
      // Voided either way, so the requester cannot tell a taken address by an older link dying or not.
      await invalidateOneTimeTokens(tx, input.userId, "EMAIL_CHANGE", now);
      if (owner) {
        // Told in the language of the account that owns the address.
        await mails.taken(tx, { email: input.newEmail, locale: storedLocale(owner.locale), name: owner.name });
      } else {
        const issued = await issueOneTimeToken(tx, { purpose: "EMAIL_CHANGE", userId: input.userId, email: input.newEmail, now });
        await mails.link(tx, { email: input.newEmail, locale: storedLocale(user.locale), name: user.name }, issued);
      }
      await tx.auditEvent.create({
        data: auditRow({ type: "EMAIL_CHANGE_REQUESTED", userId: input.userId, client: input.client, data: { newAddressTaken: owner !== null } }),
      });
      return "queued";
    });
  }

  /**
   * In one transaction: spends the token, moves the account to the address it was mailed to
   * and marks it verified, voids the other EMAIL_CHANGE tokens and the verification and reset
   * tokens mailed to the old address, records EMAIL_CHANGED and queues the notice to the old
   * address. token.invalid when the token is not spendable; user.already_exists (nothing
   * changed, the token not spent) when another account took the address meanwhile.
   */
  async confirm(token: string, client: ClientInfo): Promise<UserRecord> {
    return this.db.$transaction(async (tx) => {
      const now = new Date();
      const consumed = await consumeOneTimeToken(tx, token, "EMAIL_CHANGE", now);
      if (!consumed) throw TOKEN_INVALID();
      const rows = await tx.$queryRaw<{ email: string }[]>`SELECT email FROM "User" WHERE id = ${consumed.userId} FOR UPDATE`;
      const oldAddress = rows[0]?.email;
      if (oldAddress === undefined || oldAddress === consumed.email) throw TOKEN_INVALID();
      const taken = await tx.user.findUnique({ where: { email: consumed.email }, select: { id: true } });
      if (taken) throw new DomainError("user.already_exists");
      let row;
      try {
        row = await tx.user.update({ where: { id: consumed.userId }, data: { email: consumed.email, emailVerified: now }, select: USER_FIELDS });
      } catch (err) {
        // Registered between the check and the update: the transaction is aborted and rolls back.
        if (isUniqueViolation(err)) throw new DomainError("user.already_exists");
        throw err;
      }
      await invalidateOneTimeTokens(tx, consumed.userId, "EMAIL_CHANGE", now);
      // Links mailed to the old address must not act on the account any more.
      await tx.oneTimeToken.updateMany({
        where: { userId: consumed.userId, email: oldAddress, purpose: { in: ["EMAIL_VERIFICATION", "PASSWORD_RESET"] }, usedAt: null, invalidatedAt: null },
        data: { invalidatedAt: now },
      });
      await tx.auditEvent.create({ data: auditRow({ type: "EMAIL_CHANGED", userId: consumed.userId, client }) });
      await this.notices.emailChanged(tx, { oldAddress, newAddress: consumed.email, locale: storedLocale(row.locale), name: row.name }, client);
      return toUserRecord(row);
    });
  }
}
