import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "../db/generated/client.js";

/**
 * The longest second-factor code a request may carry: a recovery code with spaces to spare, or
 * a 43-character passkey step-up token (FinishPasskeyStepUp).
 */
export const SECOND_FACTOR_CODE_MAX_LENGTH = 64;

/** How many recovery codes a set holds. */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** One new code: 10 base32 characters (50 random bits), shown as "xxxxx-xxxxx". */
export function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** A code as stored: SHA-256 of its 10 characters, ignoring case, spaces and dashes. */
export function hashRecoveryCode(code: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(normalizeRecoveryCode(code)).digest());
}

/** True when `code` has the shape of a recovery code (rather than an authenticator code). */
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z2-7]{10}$/.test(normalizeRecoveryCode(code));
}

function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

/** Replaces the user's recovery codes with RECOVERY_CODE_COUNT new ones; returns them (shown once). */
export async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/**
 * Serialises changes to one user's second factors inside `tx` (a row lock on the user), so two
 * concurrent enrolments cannot both believe they are the first factor, nor a deletion race an
 * addition into leaving recovery codes without a factor.
 */
export async function lockSecondFactors(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
}

/** True when the user has a confirmed authenticator or a passkey (read inside `tx`). */
export async function hasSecondFactor(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
  const [totp, passkeys] = await Promise.all([
    tx.totpFactor.count({ where: { userId, confirmedAt: { not: null } } }),
    tx.passkey.count({ where: { userId } }),
  ]);
  return totp + passkeys > 0;
}
