import { auditRow } from "../audit/audit-event.js";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { DomainError } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";

/** One provider link (next-auth Account) as its owner sees it. */
export interface LinkedAccount {
  id: string;
  provider: string;
  createdAt: Date;
}

/** The ways into one account: its provider links, and whether it has a password. */
export interface SignInMethods {
  hasPassword: boolean;
  links: LinkedAccount[];
}

/**
 * Removes every provider link of `userId` made while the user's email was not verified, and
 * records ACCOUNT_UNLINKED for each; call it in the transaction that proves the mailbox
 * (VerifyEmail, ResetPassword). Until then anyone could have claimed the address at a
 * provider and linked it, so only the mailbox's owner keeps the account: Keycloak and Auth0
 * likewise only trust a link to an address both sides have verified. Returns the count.
 */
export async function removeLinksMadeUnverified(tx: Prisma.TransactionClient, userId: string, client: ClientInfo): Promise<number> {
  const removed = await tx.$queryRaw<{ id: string; provider: string }[]>`
    DELETE FROM "Account" WHERE "userId" = ${userId} AND "linkedWhileUnverified" RETURNING id, provider`;
  for (const link of removed) {
    await tx.auditEvent.create({
      data: auditRow({ type: "ACCOUNT_UNLINKED", userId, client, data: { provider: link.provider, linkId: link.id, reason: "mailbox_proven" } }),
    });
  }
  return removed.length;
}

const LAST_WAY_IN = () =>
  new DomainError("account.last_sign_in_method");

/** The caller's sign-in methods: listing them and removing a provider link (UserService). */
export class SignInMethodStore {
  constructor(private readonly db: PrismaClient) {}

  /** The user's links, oldest first, and whether a password is set; null when the user is gone. */
  async list(userId: string): Promise<SignInMethods | null> {
    const user = await this.db.user.findUnique({
      where: { id: userId },
      select: { passwordHash: true, accounts: { select: { id: true, provider: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
    });
    if (!user) return null;
    return { hasPassword: user.passwordHash !== null, links: user.accounts };
  }

  /**
   * Removes one of the user's provider links and records ACCOUNT_UNLINKED. Refuses, with
   * FAILED_PRECONDITION "account.last_sign_in_method", to remove the last way in (no password
   * and no other link). "missing" when the user has no link with this id. The user row is
   * locked, so two concurrent unlinks cannot each leave the other as the last way in.
   */
  async unlink(userId: string, linkId: string, client: ClientInfo): Promise<"unlinked" | "missing"> {
    return this.db.$transaction(async (tx) => {
      const users = await tx.$queryRaw<{ hasPassword: boolean }[]>`
        SELECT "passwordHash" IS NOT NULL AS "hasPassword" FROM "User" WHERE id = ${userId} FOR UPDATE`;
      if (users.length === 0) return "missing";
      const links = await tx.account.findMany({ where: { userId }, select: { id: true, provider: true } });
      const link = links.find((l) => l.id === linkId);
      if (!link) return "missing";
      if (!users[0]!.hasPassword && links.length === 1) throw LAST_WAY_IN();
      await tx.account.delete({ where: { id: link.id } });
      await tx.auditEvent.create({
        data: auditRow({ type: "ACCOUNT_UNLINKED", userId, client, data: { provider: link.provider, linkId: link.id, reason: "user_request" } }),
      });
      return "unlinked";
    });
  }
}
