import { dictionary } from "@zxcvbn-ts/language-common";

/** Password length bounds, in Unicode code points. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

// ~49k passwords seen most often in breaches (zxcvbn's list). Shorter ones are already
// refused by the length rule, so only those that could pass it are kept.
const COMMON = new Set(
  (dictionary["passwords-common"] as string[]).filter((p) => p.length >= PASSWORD_MIN_LENGTH),
);

/** Why a password is refused, or null when it is acceptable. */
export type PasswordProblem = "too_short" | "too_long" | "too_common";

/**
 * Checks a new password exactly as received: no trimming, no normalisation, no truncation,
 * no composition rules (NIST SP 800-63B).
 */
export function checkPasswordPolicy(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  if (COMMON.has(password.toLowerCase())) return "too_common";
  return null;
}

/** A message a person can act on, for each policy problem. */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  too_common: "password is too common; choose one that is not on lists of breached passwords",
};
