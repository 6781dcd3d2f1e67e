import type { PrismaClient } from "../db/generated/client.js";
import { storedLocale } from "../kernel/locale.js";
import type { UserRecord } from "./user.js";

/** The columns of a UserRecord (never the password hash). */
export const USER_FIELDS = {
  id: true,
  email: true,
  emailVerified: true,
  name: true,
  image: true,
  role: true,
  profile: true,
  locale: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Maps a selected row to a UserRecord. */
export function toUserRecord(row: Omit<UserRecord, "profile" | "locale"> & { profile: unknown; locale: string }): UserRecord {
  return { ...row, profile: (row.profile ?? {}) as Record<string, unknown>, locale: storedLocale(row.locale) };
}

/** Users in PostgreSQL. Emails arrive normalised. */
export class UserStore {
  constructor(private readonly db: PrismaClient) {}

  /** The account and its password hash, for sign-in. */
  async findCredentials(email: string): Promise<{ user: UserRecord; passwordHash: string | null } | null> {
    const row = await this.db.user.findUnique({ where: { email }, select: { ...USER_FIELDS, passwordHash: true } });
    if (!row) return null;
    const { passwordHash, ...user } = row;
    return { user: toUserRecord(user), passwordHash };
  }

  /** Replaces a hash made with weaker parameters (transparent upgrade at sign-in). */
  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { passwordHash } });
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.db.user.findUnique({ where: { id }, select: USER_FIELDS });
    return row ? toUserRecord(row) : null;
  }
}
