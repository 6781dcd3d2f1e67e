import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { databaseErrorToDomain } from "../db/database-errors.js";
import { DomainError } from "../kernel/errors.js";
import type { ErrorKind } from "../kernel/reasons.js";

/** The response header (Connect) or trailer (gRPC, gRPC-Web) with a throttled call's retry delay, in seconds. */
export const RETRY_AFTER = "retry-after";

const CODE_OF: Record<ErrorKind, Code> = {
  invalid_argument: Code.InvalidArgument,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  internal: Code.Internal,
};

/**
 * A domain error as the client sees it: its kind as the status code, its reason and field in a
 * tessera.errors.v1.ErrorDetail, a retry delay as `retry-after` metadata (which the REST
 * gateway turns into HTTP 429 with Retry-After). The cause stays on the server, for logs.
 */
export function toConnectError(err: DomainError): ConnectError {
  const metadata = err.retryAfterSeconds === undefined ? undefined : { [RETRY_AFTER]: String(err.retryAfterSeconds) };
  return new ConnectError(err.message, CODE_OF[err.kind], metadata, [{ desc: ErrorDetailSchema, value: { reason: err.reason, field: err.field } }], err.cause);
}

/**
 * The error a client sees for anything a handler threw: Connect's own errors (bad payload,
 * cancelled, deadline) pass through; a domain error becomes its status; a database error
 * becomes the domain error persistence maps it to (unreachable: UNAVAILABLE; a value PostgreSQL
 * refused: INVALID_ARGUMENT); anything else a bare INTERNAL, its cause logged and never sent.
 */
export function publicError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof DomainError) return toConnectError(err);
  return toConnectError(databaseErrorToDomain(err) ?? new DomainError("server.internal", undefined, { cause: err }));
}
