// Which message (a key of the "errors" namespace in web/messages/*.json) a person sees for an
// error from the auth service, chosen by status code, reason and field, never by the service's
// English text except to tell the password policy's three problems apart.
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../gen/tessera/errors/v1/error_detail_pb.js";
import type en from "../../messages/en.json";
import { SECOND_FACTOR_INPUT } from "../second-factor";

export type ErrorKey = keyof (typeof en)["errors"];
export type ErrorTranslator = (key: ErrorKey, values?: Record<string, number>) => string;

export interface UserError {
  key: ErrorKey;
  values?: Record<string, number>;
  /** The form input the error is about ("newPassword" for the service's "new_password"). */
  field?: string;
}

/** "profile.company_name" → "companyName": the service's proto field as the forms name their inputs. */
export function inputName(protoField: string): string {
  const last = protoField.split(".").pop() ?? "";
  return last.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function invalidArgument(field: string, message: string): UserError {
  const at = (re: RegExp) => Number(re.exec(message)?.[1]);
  const f = field ? { field: inputName(field) } : {};
  const last = field.split(".").pop();
  if (last === "password" || last === "new_password") {
    if (/too common/.test(message)) return { key: "passwordTooCommon", ...f };
    if (/at least \d+/.test(message)) return { key: "passwordTooShort", values: { min: at(/at least (\d+)/) }, ...f };
    if (/at most \d+/.test(message)) return { key: "passwordTooLong", values: { max: at(/at most (\d+)/) }, ...f };
  }
  if (last === "email") return { key: "emailInvalid", ...f };
  if (last === "new_email") return { key: /already your address/.test(message) ? "emailSame" : "emailInvalid", ...f };
  if (last === "image") return { key: "imageInvalid", ...f };
  if (last === "token") return { key: "linkInvalid", ...f };
  if (/URL/.test(message)) return { key: "urlInvalid", ...f };
  if (/at most \d+ characters/.test(message)) return { key: "tooLong", values: { max: at(/at most (\d+)/) }, ...f };
  if (/NUL|surrogate/.test(message)) return { key: "badText", ...f };
  return { key: "invalidValue", ...f };
}

function throttled(retryAfter: string | null): UserError {
  // The auth service says how long to wait in `retry-after` (seconds).
  const wait = Number(retryAfter);
  if (!Number.isInteger(wait) || wait <= 0) return { key: "tooManyWait" };
  return wait < 90 ? { key: "tooManySeconds", values: { seconds: wait } } : { key: "tooManyMinutes", values: { minutes: Math.ceil(wait / 60) } };
}

/** The message for an error, as a key and its arguments; "generic" for anything unexpected. */
export function describeError(err: unknown): UserError {
  if (!(err instanceof ConnectError)) return { key: "generic" };
  const [detail] = err.findDetails(ErrorDetailSchema);
  const reason = detail?.reason ?? "";
  switch (err.code) {
    case Code.InvalidArgument:
      return invalidArgument(detail?.field ?? "", err.rawMessage);
    case Code.AlreadyExists:
      if (reason === "user.already_exists") return { key: "alreadyExists", field: "email" };
      if (reason === "passkey.already_registered") return { key: "passkeyAlreadyRegistered" };
      return { key: "generic" };
    case Code.Unauthenticated:
      if (reason === "auth.invalid_credentials") return { key: "invalidCredentials" };
      if (reason === "token.invalid") return { key: "tokenInvalid" };
      if (reason === "auth.recent_sign_in_required") return { key: "recentSignInRequired" };
      // A step-up code (authenticator, recovery code) for a sensitive change: the form's step-up field.
      if (reason === "auth.invalid_second_factor") return { key: "invalidSecondFactor", field: SECOND_FACTOR_INPUT };
      if (reason === "auth.invalid_passkey") return { key: "invalidPasskey" };
      return { key: "sessionEnded" };
    case Code.PermissionDenied:
      return { key: "permissionDenied" };
    case Code.ResourceExhausted:
      return throttled(err.metadata.get("retry-after"));
    case Code.FailedPrecondition:
      if (reason === "email.already_verified") return { key: "emailAlreadyVerified" };
      if (reason === "account.last_sign_in_method") return { key: "lastSignInMethod" };
      if (reason === "auth.second_factor_required") return { key: "secondFactorRequired", field: SECOND_FACTOR_INPUT };
      if (reason === "second_factor.already_enabled") return { key: "secondFactorAlreadyOn" };
      if (reason === "second_factor.not_enrolled") return { key: "secondFactorNotEnrolled" };
      if (reason === "passkey.registration_failed") return { key: "passkeyRegistrationFailed" };
      if (reason === "passkey.limit_reached") return { key: "passkeyLimitReached" };
      return { key: "generic" };
    case Code.NotFound:
      return { key: "notFound" };
    case Code.Unavailable:
      return { key: "unavailable" };
  }
  return { key: "generic" };
}

export function translateError(e: UserError, t: ErrorTranslator): string {
  return t(e.key, e.values);
}
