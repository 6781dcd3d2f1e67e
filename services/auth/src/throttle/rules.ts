import type { RateLimits } from "../config/config.js";
import type { Reason } from "../kernel/reasons.js";

/**
 * What a rule counts against: a normalised email, a client address, a user id, or an account
 * (email or user id) together with the client address it is tried from.
 */
export type SubjectKind = "email" | "ip" | "user" | "account+client";

/** A throttling rule's fixed part; its limit and window come from configuration. */
export interface Rule {
  /** Prefix of its bucket keys; also mixed into the HMAC. Never change it for a live rule. */
  scope: string;
  subject: SubjectKind;
  /** ErrorDetail.reason of its RESOURCE_EXHAUSTED answer. */
  reason: Reason;
  /** Fills "too many <what>; retry in N seconds". */
  what: string;
}

export type RuleName = keyof RateLimits;

/** Every throttling rule, by the name of its limit in Config.rateLimits. */
export const RULES: Record<RuleName, Rule> = {
  loginAccount: { scope: "login.account-client", subject: "account+client", reason: "auth.too_many_attempts", what: "sign-in attempts" },
  loginAccountTotal: { scope: "login.account", subject: "email", reason: "auth.too_many_attempts", what: "sign-in attempts" },
  loginIp: { scope: "login.ip", subject: "ip", reason: "auth.too_many_attempts", what: "sign-in attempts" },
  passwordCheck: { scope: "password-check.user-client", subject: "account+client", reason: "auth.too_many_attempts", what: "password attempts" },
  passwordCheckTotal: { scope: "password-check.user", subject: "user", reason: "auth.too_many_attempts", what: "password attempts" },
  passkeyOptionsIp: { scope: "passkey-options.ip", subject: "ip", reason: "auth.too_many_attempts", what: "passkey sign-in starts" },
  registerIp: { scope: "register.ip", subject: "ip", reason: "auth.too_many_registrations", what: "sign-ups" },
  resetEmail: { scope: "reset.email", subject: "email", reason: "auth.too_many_reset_requests", what: "password reset requests" },
  resetIp: { scope: "reset.ip", subject: "ip", reason: "auth.too_many_reset_requests", what: "password reset requests" },
  verifyUser: { scope: "verify.user", subject: "user", reason: "auth.too_many_verification_requests", what: "verification emails" },
};

/** The pair of rules that count failed password checks: per account and client, and per account. */
export interface FailureRules {
  perClient: RuleName;
  perAccount: RuleName;
}

/** Login: keyed by the normalised email (known or not). */
export const SIGN_IN_FAILURES: FailureRules = { perClient: "loginAccount", perAccount: "loginAccountTotal" };

/** The current-password check of ChangePassword and DeleteAccount: keyed by the user id. */
export const PASSWORD_CHECK_FAILURES: FailureRules = { perClient: "passwordCheck", perAccount: "passwordCheckTotal" };
