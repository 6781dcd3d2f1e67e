// Names the browser and the server share for the second step of sign-in and for step-up.
// Nothing secret: the challenge itself never leaves the server in readable form.

/** What the Credentials sign-in throws when the password was right and a second step is due. */
export const SECOND_FACTOR_DUE = "SecondFactorDue";
/** The challenge is gone (expired, used, spent by wrong codes, or the cookie is missing). */
export const SECOND_FACTOR_EXPIRED = "SecondFactorExpired";
/** The next-auth provider that completes the second step. */
export const SECOND_FACTOR_PROVIDER = "second-factor";
/** The input of the step-up field in sensitive forms (ChangePassword, RequestEmailChange, DeleteAccount, …). */
export const SECOND_FACTOR_INPUT = "secondFactorCode";
/** The path of the second step of sign-in. */
export const SECOND_FACTOR_PATH = "/signin/second-factor";

/** A proof the second step accepts; the names are CompleteSignIn's proof kinds (the passkey one is added by the passkey UI). */
export type SecondFactorMethod = "totp" | "recovery_code" | "passkey";
