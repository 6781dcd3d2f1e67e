import { createHash, randomBytes } from "node:crypto";

/** The longest second-factor code a request may carry (a recovery code with spaces to spare). */
export const SECOND_FACTOR_CODE_MAX_LENGTH = 32;

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
