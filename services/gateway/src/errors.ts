import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../gen/tessera/errors/v1/error_detail_pb.js";

/** The body of every error response. `code` is a Connect code name in snake_case. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

/** An error with its HTTP status, safe to send as is (no stack, no cause). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  body(): ErrorBody {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

/** Connect code → HTTP status. FAILED_PRECONDITION is 409: the resource's state conflicts (e.g. already verified). */
export const STATUS_BY_CODE: Partial<Record<Code, number>> = {
  [Code.InvalidArgument]: 400,
  [Code.Unauthenticated]: 401,
  [Code.PermissionDenied]: 403,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.FailedPrecondition]: 409,
  [Code.ResourceExhausted]: 429,
  [Code.Unimplemented]: 501,
  [Code.Unavailable]: 503,
};

const GENERIC_5XX: Record<number, string> = {
  501: "not implemented",
  503: "the auth service is unavailable, retry later",
};

/** Retry-After when the service gives none (seconds). */
export const DEFAULT_RETRY_AFTER = "1";

/** "InvalidArgument" → "invalid_argument". */
export function codeName(code: Code): string {
  return (Code[code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** ErrorDetail.field is proto spelling (profile.company_name); REST bodies are camelCase (profile.companyName). */
export function restFieldName(protoField: string): string {
  return protoField.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Maps an error from an RPC (or anything else) to an HttpError. Unknown errors become a bare
 * 500 "internal error"; their details go to the log only.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const ce = err instanceof ConnectError ? err : ConnectError.from(err);
  // ConnectError.from wraps anything that is not a ConnectError as UNKNOWN: never echo its message.
  if (!(err instanceof ConnectError)) return new HttpError(500, "internal", "internal error");
  const status = STATUS_BY_CODE[ce.code] ?? 500;
  const headers: Record<string, string> = {};
  if (ce.code === Code.ResourceExhausted) {
    const ra = ce.metadata.get("retry-after");
    headers["retry-after"] = ra && /^\d{1,6}$/.test(ra.trim()) ? ra.trim() : DEFAULT_RETRY_AFTER;
  }
  let field: string | undefined;
  // 4xx messages are the service's own, written for clients; 5xx get a fixed one.
  // UNAVAILABLE may come from the client transport itself ("connect ECONNREFUSED <address>"): never echo it.
  let message = status < 500 ? ce.rawMessage : (GENERIC_5XX[status] ?? "internal error");
  if (ce.code === Code.InvalidArgument) {
    const [detail] = ce.findDetails(ErrorDetailSchema);
    if (detail?.field) {
      field = restFieldName(detail.field);
      if (message.startsWith(`${detail.field}:`)) message = `${field}:${message.slice(detail.field.length + 1)}`;
    }
  }
  return new HttpError(status, codeName(ce.code), message, field, headers);
}
