import "server-only";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../gen/tessera/errors/v1/error_detail_pb.js";

/** The auth service's machine-readable reason and field (tessera.errors.v1.ErrorDetail), if any. */
export function errorDetail(err: unknown): { reason: string; field: string } | undefined {
  if (!(err instanceof ConnectError)) return undefined;
  const [d] = err.findDetails(ErrorDetailSchema);
  return d ? { reason: d.reason, field: d.field } : undefined;
}

/**
 * A message a person can act on, for an error from the auth service. Validation messages are
 * written for users by the service; anything unexpected is logged and shown generically, so no
 * internal detail reaches the page.
 */
export function userMessage(err: unknown): string {
  if (err instanceof ConnectError) {
    switch (err.code) {
      case Code.InvalidArgument: {
        // "new_password: password must be…" → "New password: password must be…"
        const m = err.rawMessage.replace(/^([a-z_.]+): /, (_, f: string) => `${f.replace(/[_.]/g, " ")}: `);
        return m.charAt(0).toUpperCase() + m.slice(1);
      }
      case Code.AlreadyExists:
        return "An account already uses this email. Sign in, or reset your password.";
      case Code.Unauthenticated: {
        const reason = errorDetail(err)?.reason;
        if (reason === "auth.invalid_credentials") return "Wrong email or password.";
        if (reason === "token.invalid") return "This link is invalid or has expired. Request a new one.";
        return "Your session has ended. Sign in again.";
      }
      case Code.ResourceExhausted: {
        // The auth service says how long to wait in `retry-after` (seconds).
        const wait = Number(err.metadata.get("retry-after"));
        if (!Number.isInteger(wait) || wait <= 0) return "Too many attempts. Wait a moment and try again.";
        return wait < 90 ? `Too many attempts. Try again in ${wait} seconds.` : `Too many attempts. Try again in ${Math.ceil(wait / 60)} minutes.`;
      }
      case Code.FailedPrecondition:
      case Code.NotFound: {
        const m = err.rawMessage;
        return `${m.charAt(0).toUpperCase()}${m.slice(1)}.`;
      }
      case Code.Unavailable:
        return "The sign-in service is unavailable. Try again in a moment.";
    }
  }
  console.error("tessera web: unexpected error from the auth service", err);
  return "Something went wrong. Try again.";
}

export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ConnectError && err.code === Code.Unauthenticated;
}
