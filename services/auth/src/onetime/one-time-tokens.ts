import type { Prisma } from "../db/generated/client.js";
import type { TokenPurpose } from "../db/generated/enums.js";
import { hashOpaqueToken, newOpaqueToken } from "../session/refresh-token.js";

export type { TokenPurpose };

/** How long a mailed token is accepted: reset 1 hour, verification and email change 24 hours. */
export const ONE_TIME_TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  PASSWORD_RESET: 60 * 60 * 1000,
  EMAIL_VERIFICATION: 24 * 60 * 60 * 1000,
  EMAIL_CHANGE: 24 * 60 * 60 * 1000,
};

/** What a consumed token proves: this user received mail at this address. */
export interface ConsumedToken {
  id: string;
  userId: string;
  email: string;
}

/**
 * Issues a one-time token in the caller's transaction (the same one that queues the mail
 * carrying it). Older unused tokens of the same purpose for the user stop working. Returns the
 * secret, which is never stored: only its SHA-256 is.
 */
export async function issueOneTimeToken(
  tx: Prisma.TransactionClient,
  input: { purpose: TokenPurpose; userId: string; email: string; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  await invalidateOneTimeTokens(tx, input.userId, input.purpose, now);
  const token = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + ONE_TIME_TOKEN_TTL_MS[input.purpose]);
  await tx.oneTimeToken.create({
    data: { tokenHash: hashOpaqueToken(token), purpose: input.purpose, userId: input.userId, email: input.email, expiresAt },
  });
  return { token, expiresAt };
}

/**
 * Marks every outstanding token of `purpose` for the user unusable (a newer request, or a
 * password change/reset for PASSWORD_RESET). Returns how many were outstanding.
 */
export async function invalidateOneTimeTokens(
  tx: Prisma.TransactionClient,
  userId: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): Promise<number> {
  const { count } = await tx.oneTimeToken.updateMany({
    where: { userId, purpose, usedAt: null, invalidatedAt: null },
    data: { invalidatedAt: now },
  });
  return count;
}

/**
 * Spends a token of `purpose` in the caller's transaction: one conditional UPDATE, so of two
 * concurrent consumers exactly one gets the row (the other waits on its lock, then finds it
 * used). Null when the token is unknown, used, invalidated, expired or for another purpose;
 * callers answer all of these alike. The caller must still check that the user's address is
 * the token's `email`, and roll back if not.
 */
export async function consumeOneTimeToken(
  tx: Prisma.TransactionClient,
  token: string,
  purpose: TokenPurpose,
  now: Date = new Date(),
): Promise<ConsumedToken | null> {
  const rows = await tx.$queryRaw<ConsumedToken[]>`
    UPDATE "OneTimeToken" SET "usedAt" = ${now}
    WHERE "tokenHash" = ${hashOpaqueToken(token)}
      AND purpose = ${purpose}::"TokenPurpose"
      AND "usedAt" IS NULL
      AND "invalidatedAt" IS NULL
      AND "expiresAt" > ${now}
    RETURNING id, "userId", email`;
  return rows[0] ?? null;
}
