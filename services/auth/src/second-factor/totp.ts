import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Steps either side of the current one that are still accepted (clock skew). */
const SKEW_STEPS = 1;

/** A new secret: 20 random bytes (RFC 4226's recommended length for SHA-1), as base32. */
export function newTotpSecret(): string {
  return new Secret({ buffer: new Uint8Array(randomBytes(20)).buffer }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app reads from a QR code. */
export function totpUri(secretBase32: string, issuer: string, label: string): string {
  return totp(secretBase32, issuer, label).toString();
}

/** The code for `atMs` (tests and tools; the service only verifies). */
export function totpCode(secretBase32: string, atMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretBase32), digits: DIGITS, period: TOTP_PERIOD_SECONDS, timestamp: atMs });
}

/**
 * The time step (Unix seconds / 30) whose code `code` is, among the current step at `nowMs`
 * and one either side, or null when it matches none. Callers refuse a step they already
 * accepted (replay).
 */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secretBase32),
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    timestamp: nowMs,
    window: SKEW_STEPS,
  });
  return delta === null ? null : Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

function totp(secretBase32: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secretBase32), algorithm: "SHA1", digits: DIGITS, period: TOTP_PERIOD_SECONDS });
}
