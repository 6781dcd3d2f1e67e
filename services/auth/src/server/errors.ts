import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";

/** Builds a ConnectError carrying a tessera.errors.v1.ErrorDetail with a stable reason. */
export function rpcError(code: Code, reason: string, message: string, field = "", cause?: unknown) {
  return new ConnectError(message, code, undefined, [{ desc: ErrorDetailSchema, value: { reason, field } }], cause);
}

/** INVALID_ARGUMENT naming the request field at fault (proto spelling). */
export function invalidArgument(field: string, message: string): ConnectError {
  return rpcError(Code.InvalidArgument, "request.invalid_argument", `${field}: ${message}`, field);
}

/** UNAUTHENTICATED with a stable reason such as "auth.invalid_credentials". */
export function unauthenticated(reason: string, message: string): ConnectError {
  return rpcError(Code.Unauthenticated, reason, message);
}

/** ALREADY_EXISTS with a stable reason. */
export function alreadyExists(reason: string, message: string): ConnectError {
  return rpcError(Code.AlreadyExists, reason, message);
}

/** The response header (Connect) or trailer (gRPC, gRPC-Web) with a throttled call's retry delay, in seconds. */
export const RETRY_AFTER = "retry-after";

/**
 * RESOURCE_EXHAUSTED for a throttled call: a stable reason (e.g. "auth.too_many_attempts"), a
 * message naming the delay, and that delay in whole seconds (at least 1) as `retry-after`
 * metadata, which the REST gateway turns into HTTP 429 with Retry-After.
 */
export function resourceExhausted(reason: string, retryAfterSeconds: number, what = "attempts"): ConnectError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ConnectError(
    `too many ${what}; retry in ${seconds} second${seconds === 1 ? "" : "s"}`,
    Code.ResourceExhausted,
    { [RETRY_AFTER]: String(seconds) },
    [{ desc: ErrorDetailSchema, value: { reason, field: "" } }],
  );
}

/** UNAVAILABLE: the database cannot be reached; safe to retry. The cause is kept for logs only. */
export function databaseUnavailable(cause: unknown): ConnectError {
  return rpcError(Code.Unavailable, "server.database_unavailable", "service temporarily unavailable, retry later", "", cause);
}

/** INTERNAL without any detail of what went wrong; the cause is logged, never sent. */
export function internalError(cause: unknown): ConnectError {
  return rpcError(Code.Internal, "server.internal", "internal error", "", cause);
}

/** Checks a string field: present (unless optional) and within a length in code points. */
export function requireString(value: string, field: string, max: number, opts: { optional?: boolean } = {}): string {
  if (!opts.optional && value.length === 0) throw invalidArgument(field, "is required");
  if (value.length > max && [...value].length > max) throw invalidArgument(field, `must be at most ${max} characters`);
  return value;
}
