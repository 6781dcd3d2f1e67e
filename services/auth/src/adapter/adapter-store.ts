import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import { isMissingReference, isUniqueViolation } from "../db/database-errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import type { SessionStore } from "../session/session-store.js";
import { openProviderToken, sealProviderToken, type TokenSlot } from "./provider-token-seal.js";

/** The columns next-auth sees of a user. */
const ADAPTER_USER_FIELDS = { id: true, email: true, emailVerified: true, name: true, image: true } as const;

export interface AdapterUserRow {
  id: string;
  email: string;
  emailVerified: Date | null;
  name: string | null;
  image: string | null;
}

/** next-auth's Account, as stored (column names are next-auth's). */
export interface AccountRow {
  userId: string;
  type: string;
  provider: string;
  providerAccountId: string;
  refresh_token: string | null;
  access_token: string | null;
  expires_at: bigint | null;
  token_type: string | null;
  scope: string | null;
  id_token: string | null;
  session_state: string | null;
}

const ACCOUNT_FIELDS = {
  userId: true,
  type: true,
  provider: true,
  providerAccountId: true,
  refresh_token: true,
  access_token: true,
  expires_at: true,
  token_type: true,
  scope: true,
  id_token: true,
  session_state: true,
} as const;

/** A change to a user: undefined leaves a column alone, null clears it. */
export interface AdapterUserPatch {
  email?: string;
  emailVerified?: Date;
  name?: string | null;
  image?: string | null;
}

/**
 * SHA-256 hex of a NextAuth secret (session cookie value, email sign-in token): what is
 * stored and looked up, so a copy of the database holds no usable secret.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * next-auth's adapter model in PostgreSQL: users, provider accounts, database sessions and
 * verification tokens. Emails arrive normalised; secrets arrive hashed (hashSecret).
 */
export class AdapterStore {
  /** `kek` is the deployment's key-encryption key: it seals provider tokens at rest. */
  constructor(
    private readonly db: PrismaClient,
    private readonly kek: Buffer,
    private readonly sessions: SessionStore,
  ) {}

  /** A stored link with its provider tokens opened; null when there is none. */
  async findAccount(provider: string, providerAccountId: string): Promise<AccountRow | null> {
    const row = await this.db.account.findUnique({ where: { provider_providerAccountId: { provider, providerAccountId } }, select: ACCOUNT_FIELDS });
    if (!row) return null;
    const slot = (column: TokenSlot["column"]): TokenSlot => ({ provider, providerAccountId, column });
    return {
      ...row,
      refresh_token: openProviderToken(row.refresh_token, this.kek, slot("refresh_token")),
      access_token: openProviderToken(row.access_token, this.kek, slot("access_token")),
      id_token: openProviderToken(row.id_token, this.kek, slot("id_token")),
    };
  }

  /** Creates a user without a password and records USER_REGISTERED. Throws DomainError user.already_exists. */
  async createUser(data: { email: string; emailVerified: Date | null; name: string | null; image: string | null }, client: ClientInfo): Promise<AdapterUserRow> {
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({ data, select: ADAPTER_USER_FIELDS });
        await tx.auditEvent.create({ data: auditRow({ type: "USER_REGISTERED", userId: user.id, client, data: { via: "adapter" } }) });
        return user;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError("user.already_exists");
      throw err;
    }
  }

  findUser(id: string): Promise<AdapterUserRow | null> {
    return this.db.user.findUnique({ where: { id }, select: ADAPTER_USER_FIELDS });
  }

  findUserByEmail(email: string): Promise<AdapterUserRow | null> {
    return this.db.user.findUnique({ where: { email }, select: ADAPTER_USER_FIELDS });
  }

  async findUserByAccount(provider: string, providerAccountId: string): Promise<AdapterUserRow | null> {
    const account = await this.db.account.findUnique({
      where: { provider_providerAccountId: { provider, providerAccountId } },
      select: { user: { select: ADAPTER_USER_FIELDS } },
    });
    return account?.user ?? null;
  }

  /**
   * Applies a patch; null when no user has this id. A new email without a new emailVerified
   * clears emailVerified: the old address's verification says nothing about the new one.
   * Throws DomainError user.already_exists when another user has the email.
   */
  async updateUser(id: string, patch: AdapterUserPatch): Promise<AdapterUserRow | null> {
    try {
      return await this.db.$transaction(async (tx) => {
        // Locked so the "did the email change" decision holds until the update.
        const rows = await tx.$queryRaw<{ email: string }[]>`SELECT email FROM "User" WHERE id = ${id} FOR UPDATE`;
        if (rows.length === 0) return null;
        const data: Prisma.UserUpdateInput = {};
        if (patch.email !== undefined) {
          data.email = patch.email;
          if (patch.email !== rows[0]!.email && patch.emailVerified === undefined) data.emailVerified = null;
        }
        if (patch.emailVerified !== undefined) data.emailVerified = patch.emailVerified;
        if (patch.name !== undefined) data.name = patch.name;
        if (patch.image !== undefined) data.image = patch.image;
        return tx.user.update({ where: { id }, data, select: ADAPTER_USER_FIELDS });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError("user.already_exists");
      throw err;
    }
  }

  /**
   * Deletes a user; accounts, sessions (with their refresh tokens) and one-time tokens go with
   * it (ON DELETE CASCADE). Its live sessions are first revoked with SESSION_REVOKED each, then
   * ACCOUNT_DELETED is recorded. Returns the user's image URL, or undefined when there was no
   * such user.
   */
  async deleteUser(id: string, client: ClientInfo): Promise<{ image: string | null } | undefined> {
    return this.db.$transaction(async (tx) => {
      // Locked, so no session can be started between the revocation and the delete.
      const found = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE id = ${id} FOR UPDATE`;
      if (found.length === 0) return undefined;
      await this.sessions.revoke({ userId: id }, "account_deleted", client, { tx });
      const deleted = await tx.$queryRaw<{ image: string | null }[]>`DELETE FROM "User" WHERE id = ${id} RETURNING image`;
      // No email or name: the audit row outlives the account and must not keep personal data.
      await tx.auditEvent.create({ data: auditRow({ type: "ACCOUNT_DELETED", userId: id, client, data: { via: "adapter" } }) });
      return deleted[0];
    });
  }

  /**
   * Links a provider account to a user, with its provider tokens sealed, and records whether
   * the user's email was verified at that moment: a link made while it was not may be a
   * squatter's, and proving the mailbox removes it (user/provider-links.ts). The user row is
   * locked so the verification cannot change between that read and the insert. Throws
   * DomainError user.not_found when the user is gone, account.already_linked when the
   * provider account is linked already.
   */
  async linkAccount(account: AccountRow): Promise<AccountRow> {
    try {
      return await this.db.$transaction(async (tx) => {
        const users = await tx.$queryRaw<{ emailVerified: Date | null }[]>`
          SELECT "emailVerified" FROM "User" WHERE id = ${account.userId} FOR UPDATE`;
        if (users.length === 0) throw new DomainError("user.not_found");
        const slot = (column: TokenSlot["column"]): TokenSlot => ({ provider: account.provider, providerAccountId: account.providerAccountId, column });
        await tx.account.create({
          data: {
            ...account,
            refresh_token: sealProviderToken(account.refresh_token, this.kek, slot("refresh_token")),
            access_token: sealProviderToken(account.access_token, this.kek, slot("access_token")),
            id_token: sealProviderToken(account.id_token, this.kek, slot("id_token")),
            linkedWhileUnverified: users[0]!.emailVerified === null,
          },
        });
        // What was stored, as next-auth reads it back: the tokens opened again.
        return account;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError("account.already_linked");
      if (isMissingReference(err)) throw new DomainError("user.not_found");
      throw err;
    }
  }

  /** Removes a provider account link, if there is one. */
  async unlinkAccount(provider: string, providerAccountId: string): Promise<void> {
    await this.db.account.deleteMany({ where: { provider, providerAccountId } });
  }

  /**
   * Stores a NextAuth database session (no device info, no refresh tokens). Throws DomainError
   * session.already_exists when the token's hash is stored already, user.not_found when the
   * user is gone.
   */
  async createSession(input: { tokenHash: string; userId: string; expires: Date }): Promise<{ userId: string; expires: Date }> {
    try {
      return await this.db.session.create({
        data: { sessionToken: input.tokenHash, userId: input.userId, expires: input.expires },
        select: { userId: true, expires: true },
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError("session.already_exists");
      if (isMissingReference(err)) throw new DomainError("user.not_found");
      throw err;
    }
  }

  /**
   * A NextAuth session that is neither expired nor revoked, with its user; else null. An
   * expired one is deleted on the way: next-auth's core would delete it if the adapter
   * returned it, and hiding it without deleting left it in the table for ever.
   */
  async findLiveSession(tokenHash: string): Promise<{ session: { userId: string; expires: Date }; user: AdapterUserRow } | null> {
    const row = await this.db.session.findFirst({
      where: { sessionToken: tokenHash, revokedAt: null },
      select: { userId: true, expires: true, user: { select: ADAPTER_USER_FIELDS } },
    });
    if (!row) return null;
    const now = new Date();
    if (row.expires <= now) {
      // Conditioned on the expiry, so a concurrent updateSession that extended it wins.
      await this.db.session.deleteMany({ where: { sessionToken: tokenHash, revokedAt: null, expires: { lte: now } } });
      return null;
    }
    const { user, ...session } = row;
    return { session, user };
  }

  /** Moves a live NextAuth session's expiry (if given); null when there is no live session. */
  async updateSession(tokenHash: string, expires: Date | undefined): Promise<{ userId: string; expires: Date } | null> {
    const live = { sessionToken: tokenHash, revokedAt: null, expires: { gt: new Date() } };
    if (expires) {
      const { count } = await this.db.session.updateMany({ where: live, data: { expires } });
      if (count === 0) return null;
      return this.db.session.findUnique({ where: { sessionToken: tokenHash }, select: { userId: true, expires: true } });
    }
    return this.db.session.findFirst({ where: live, select: { userId: true, expires: true } });
  }

  /** Deletes a NextAuth session, if there is one. */
  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.session.deleteMany({ where: { sessionToken: tokenHash } });
  }

  /** Stores a verification token; throws DomainError verification_token.already_exists when its hash is stored already. */
  async createVerificationToken(input: { identifier: string; tokenHash: string; expires: Date }): Promise<void> {
    try {
      await this.db.verificationToken.create({ data: { identifier: input.identifier, token: input.tokenHash, expires: input.expires } });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError("verification_token.already_exists");
      throw err;
    }
  }

  /**
   * Consumes the token matching both identifier and hash in one statement, so of concurrent
   * uses exactly one gets it. Expired tokens are consumed and returned too: next-auth checks
   * the expiry itself. Null when nothing matched.
   */
  async useVerificationToken(identifier: string, tokenHash: string): Promise<{ identifier: string; expires: Date } | null> {
    const rows = await this.db.$queryRaw<{ identifier: string; expires: Date }[]>`
      DELETE FROM "VerificationToken" WHERE identifier = ${identifier} AND token = ${tokenHash}
      RETURNING identifier, expires`;
    return rows[0] ?? null;
  }
}
