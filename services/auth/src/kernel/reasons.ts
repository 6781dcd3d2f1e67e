/**
 * Every reason an RPC can give in tessera.errors.v1.ErrorDetail.reason, with the status code it
 * goes with, what it means, and the message sent when the code throwing it gives none. This is
 * the one list: DomainError takes only these names, the proto documents them (error_detail.proto
 * for the whole list, each RPC's comment and `(tessera.errors.v1.reasons)` option for its own),
 * and a test checks that the three agree.
 */

/**
 * The domain of every Tessera reason in google.rpc.ErrorInfo.domain, which scopes the reason
 * (ErrorInfo.reason is ErrorDetail.reason) among those of other services.
 */
export const ERROR_DOMAIN = "tessera.dev";

/** The status a reason is answered with, as the snake_case name of its gRPC/Connect code. */
export type ErrorKind =
  | "invalid_argument"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
  | "resource_exhausted"
  | "unavailable"
  | "internal";

export interface ReasonEntry {
  kind: ErrorKind;
  /** One line for the contract's documentation: when a client gets it and what to do. */
  meaning: string;
  /** The message when the thrower gives none. */
  message: string;
}

export const REASONS = {
  "request.invalid_argument": {
    kind: "invalid_argument",
    meaning: "a request field is missing, malformed or out of range; `field` names it (empty when the database refused a value and cannot say which)",
    message: "a value in the request is out of range or not valid text",
  },
  "auth.missing_token": {
    kind: "unauthenticated",
    meaning: "no access token: send `Authorization: Bearer <access_token>`",
    message: "missing access token: send Authorization: Bearer <access_token>",
  },
  "auth.invalid_token": {
    kind: "unauthenticated",
    meaning: "the access token is malformed, forged, expired or for another audience; refresh it or sign in",
    message: "access token is invalid or expired",
  },
  "session.revoked": {
    kind: "unauthenticated",
    meaning: "the session was ended (logout, revocation, password change or reset, account deleted); sign in again",
    message: "session has ended; sign in again",
  },
  "session.expired": {
    kind: "unauthenticated",
    meaning: "the session reached its absolute lifetime; sign in again",
    message: "session has expired; sign in again",
  },
  "auth.invalid_credentials": {
    kind: "unauthenticated",
    meaning: "the password is wrong, or for Login the email is unknown (Login never tells the two apart)",
    message: "email or password is incorrect",
  },
  "auth.invalid_refresh_token": {
    kind: "unauthenticated",
    meaning: "the refresh token is unknown; sign in again",
    message: "refresh token is not valid; sign in again",
  },
  "auth.refresh_token_reused": {
    kind: "unauthenticated",
    meaning: "a spent refresh token was presented after its grace window; the whole session has been ended",
    message: "refresh token was already used; the session has been ended for safety",
  },
  "auth.recent_sign_in_required": {
    kind: "unauthenticated",
    meaning: "the action needs a sign-in less than 5 minutes old (accounts without a password); sign in again and retry",
    message: "sign in again, then delete the account within 5 minutes",
  },
  "auth.invalid_challenge": {
    kind: "unauthenticated",
    meaning: "the sign-in challenge is unknown, already used, expired (5 minutes) or spent by 5 wrong proofs; sign in again",
    message: "this sign-in has expired; sign in again",
  },
  "auth.invalid_second_factor": {
    kind: "unauthenticated",
    meaning: "the authenticator code or recovery code is wrong, already used, or outside the accepted window",
    message: "the code is incorrect",
  },
  "auth.invalid_passkey": {
    kind: "unauthenticated",
    meaning: "the passkey assertion does not verify: unknown credential, challenge unknown, used or expired, wrong origin or relying party, user not verified, bad signature, or a counter that went backwards",
    message: "the passkey could not be verified",
  },
  "token.invalid": {
    kind: "unauthenticated",
    meaning: "the emailed link's token is unknown, used, expired or for another address; request a new link",
    message: "this link is invalid or has expired; request a new one",
  },
  "service.invalid_credential": {
    kind: "unauthenticated",
    meaning: "the `tessera-service-credential` header is missing or wrong (AdapterService is for the web server only)",
    message: "a valid tessera-service-credential header is required",
  },
  "auth.permission_denied": {
    kind: "permission_denied",
    meaning: "the caller is signed in but lacks the role the call needs (admin), or asked for another user's data",
    message: "this needs the admin role",
  },
  "user.not_found": {
    kind: "not_found",
    meaning: "no user has this id",
    message: "no user has this id",
  },
  "session.not_found": {
    kind: "not_found",
    meaning: "the caller has no live session with this id (whether it belongs to someone else is not said)",
    message: "you have no live session with this id",
  },
  "account.link_not_found": {
    kind: "not_found",
    meaning: "the caller has no linked sign-in method with this id",
    message: "you have no linked sign-in method with this id",
  },
  "passkey.not_found": {
    kind: "not_found",
    meaning: "the caller has no passkey with this id (or none at all, for a passkey step-up)",
    message: "you have no passkey with this id",
  },
  "user.already_exists": {
    kind: "already_exists",
    meaning: "an account already uses this email address",
    message: "an account already uses this email",
  },
  "session.already_exists": {
    kind: "already_exists",
    meaning: "a session with this session token already exists",
    message: "a session with this token already exists",
  },
  "verification_token.already_exists": {
    kind: "already_exists",
    meaning: "this verification token is already stored",
    message: "this token is already stored",
  },
  "account.already_linked": {
    kind: "already_exists",
    meaning: "this provider account is already linked to a user",
    message: "this provider account is already linked",
  },
  "passkey.already_registered": {
    kind: "already_exists",
    meaning: "this passkey (WebAuthn credential) is already registered",
    message: "this passkey is already registered",
  },
  "email.already_verified": {
    kind: "failed_precondition",
    meaning: "the email address is already verified; nothing was sent",
    message: "the email address is already verified",
  },
  "account.last_sign_in_method": {
    kind: "failed_precondition",
    meaning: "removing this would leave the account with no way to sign in; set a password or link another provider first",
    message: "this is the only way to sign in to the account; set a password or link another provider first",
  },
  "user.last_admin": {
    kind: "failed_precondition",
    meaning: "the role change would leave no admin; make another user an admin first",
    message: "this would leave no admin; make another user an admin first",
  },
  "auth.second_factor_required": {
    kind: "failed_precondition",
    meaning: "the account has a second factor: Login needs `second_factor_capable` (upgrade the client), a sensitive change needs `second_factor_code`",
    message: "this account has a second factor; a code from the authenticator app or a recovery code is needed",
  },
  "second_factor.not_enrolled": {
    kind: "failed_precondition",
    meaning: "no authenticator of the needed state: none pending (ConfirmTotpEnrollment) or none active (DisableTotp, RegenerateRecoveryCodes)",
    message: "no authenticator app is set up for this account",
  },
  "second_factor.already_enabled": {
    kind: "failed_precondition",
    meaning: "an authenticator is already active; disable it before enrolling another",
    message: "an authenticator app is already set up; disable it first",
  },
  "passkey.registration_failed": {
    kind: "failed_precondition",
    meaning: "no passkey registration is pending for this session (none begun, expired or finished), or the authenticator's answer does not verify; begin again",
    message: "the passkey could not be registered; start again",
  },
  "passkey.limit_reached": {
    kind: "failed_precondition",
    meaning: "the account has the most passkeys allowed (20); delete one first",
    message: "this account has the most passkeys allowed; delete one first",
  },
  "auth.too_many_attempts": {
    kind: "resource_exhausted",
    meaning: "too many sign-in or password attempts; retry after the `retry-after` delay (seconds)",
    message: "too many attempts",
  },
  "auth.too_many_registrations": {
    kind: "resource_exhausted",
    meaning: "too many sign-ups from this address; retry after the `retry-after` delay (seconds)",
    message: "too many sign-ups",
  },
  "auth.too_many_reset_requests": {
    kind: "resource_exhausted",
    meaning: "too many password reset requests; retry after the `retry-after` delay (seconds)",
    message: "too many password reset requests",
  },
  "auth.too_many_verification_requests": {
    kind: "resource_exhausted",
    meaning: "too many verification emails requested; retry after the `retry-after` delay (seconds)",
    message: "too many verification emails",
  },
  "server.database_unavailable": {
    kind: "unavailable",
    meaning: "the database cannot be reached right now; nothing was changed, retry with backoff",
    message: "service temporarily unavailable, retry later",
  },
  "server.internal": {
    kind: "internal",
    meaning: "an unexpected error; its details are logged under the request id, never sent",
    message: "internal error",
  },
} as const satisfies Record<string, ReasonEntry>;

/** The name of a documented reason. */
export type Reason = keyof typeof REASONS;

/** Reasons any RPC can give, whatever it does: documented once for every RPC. */
export const ANY_RPC_REASONS: readonly Reason[] = ["server.database_unavailable", "server.internal"];

/** True when `value` names a reason of the registry. */
export function isReason(value: string): value is Reason {
  return Object.hasOwn(REASONS, value);
}
