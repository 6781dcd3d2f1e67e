import { getOption, type DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { reasons } from "../../../../gen/tessera/errors/v1/reasons_pb.js";
import { databaseErrorToDomain } from "../db/database-errors.js";
import { DomainError } from "../kernel/errors.js";
import { ANY_RPC_REASONS, type ErrorKind } from "../kernel/reasons.js";
import { errorDetails } from "./error-details.js";

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
 * tessera.errors.v1.ErrorDetail and the standard google.rpc details (errorDetails), a retry
 * delay also as `retry-after` metadata (which the REST gateway turns into HTTP 429 with
 * Retry-After). The cause stays on the server, for logs.
 */
export function toConnectError(err: DomainError): ConnectError {
  const metadata = err.retryAfterSeconds === undefined ? undefined : { [RETRY_AFTER]: String(err.retryAfterSeconds) };
  return new ConnectError(err.message, CODE_OF[err.kind], metadata, errorDetails(err), err.cause);
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

const declared = new WeakMap<DescMethod, ReadonlySet<string>>();

/**
 * The ErrorDetail reasons `method` may answer with: those of its `(tessera.errors.v1.reasons)`
 * option and those any RPC can give. Undefined for methods outside Tessera's contract (gRPC
 * health and reflection), which declare none and are not checked. Read once per method.
 */
export function declaredReasons(method: DescMethod): ReadonlySet<string> | undefined {
  if (!method.parent.typeName.startsWith("tessera.")) return undefined;
  let found = declared.get(method);
  if (!found) {
    found = new Set([...ANY_RPC_REASONS, ...getOption(method, reasons)]);
    declared.set(method, found);
  }
  return found;
}

/**
 * The ErrorDetail reason of `error` when the contract of `method` does not declare it: a bug
 * in the contract or in the code, never the client's doing. Undefined when it is declared, or
 * when the error has no reason (Connect's own errors).
 */
export function undeclaredReason(method: DescMethod, error: ConnectError): string | undefined {
  const reason = error.findDetails(ErrorDetailSchema)[0]?.reason;
  const allowed = declaredReasons(method);
  return reason !== undefined && allowed !== undefined && !allowed.has(reason) ? reason : undefined;
}

/** The INTERNAL answered instead of an undeclared reason in test mode; its message says what to fix. */
export function undeclaredReasonError(method: DescMethod, reason: string, cause: unknown): ConnectError {
  const rpc = `${method.parent.typeName}/${method.name}`;
  const fix = `add it to the rpc's (tessera.errors.v1.reasons) option and "Errors:" comment`;
  return toConnectError(new DomainError("server.internal", `${rpc} answered reason ${reason}, which its contract does not declare: ${fix}`, { cause }));
}
