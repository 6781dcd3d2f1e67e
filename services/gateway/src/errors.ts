import { STATUS_CODES } from "node:http";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "../../../gen/tessera/errors/v1/error_detail_pb.js";

/**
 * Reasons the gateway gives errors of its own making. Every other reason is the auth service's
 * (tessera.errors.v1.ErrorDetail.reason), passed through unchanged.
 */
export const GATEWAY_REASONS = {
  "request.invalid_argument": "the request is malformed: not JSON, a wrong type, an unknown key or a bad path segment; `field` names it when it can",
  "request.too_large": "the request body is larger than the gateway reads (64 KiB JSON, 2 MiB image)",
  "request.unsupported_media_type": "the request body's Content-Type is not the one the route reads",
  "route.not_found": "no route has this path",
  "route.method_not_allowed": "the path exists but not with this method; `Allow` lists the methods",
  "server.unavailable": "the auth service cannot be reached, or the keys to verify tokens cannot be fetched; retry later",
  "server.internal": "an unexpected error; its details are logged, never sent",
} as const;

export type GatewayReason = keyof typeof GATEWAY_REASONS;

/**
 * The body of every error response: RFC 9457 problem details (`application/problem+json`) with
 * `type` "about:blank" (the status says what kind of problem it is; `reason` says which one),
 * `title` the HTTP status text and `detail` the message. Extension members: `code` (a Connect
 * code name in snake_case, or "method_not_allowed"), `reason` (stable, to branch on), `message`
 * (same as `detail`, kept for existing clients) and `field` (the request field at fault).
 */
export interface ErrorBody {
  type: "about:blank";
  title: string;
  status: number;
  detail: string;
  code: string;
  reason: string;
  message: string;
  field?: string;
}

export const PROBLEM_JSON = "application/problem+json";

/** An error with its HTTP status, safe to send as is (no stack, no cause). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  body(): ErrorBody {
    const { status, code, reason, message, field } = this;
    const problem: ErrorBody = { type: "about:blank", title: STATUS_CODES[status] ?? "Error", status, detail: message, code, reason, message };
    return field ? { ...problem, field } : problem;
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

const FALLBACK_REASON: Partial<Record<Code, GatewayReason>> = {
  [Code.InvalidArgument]: "request.invalid_argument",
  [Code.Unavailable]: "server.unavailable",
  [Code.DeadlineExceeded]: "server.unavailable",
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
  if (!(err instanceof ConnectError)) return new HttpError(500, "internal", "server.internal", "internal error");
  const status = STATUS_BY_CODE[ce.code] ?? 500;
  const headers: Record<string, string> = {};
  if (ce.code === Code.ResourceExhausted) {
    const ra = ce.metadata.get("retry-after");
    headers["retry-after"] = ra && /^\d{1,6}$/.test(ra.trim()) ? ra.trim() : DEFAULT_RETRY_AFTER;
  }
  const [detail] = ce.findDetails(ErrorDetailSchema);
  // Errors of the protocol itself (or of the transport: the service unreachable) carry no ErrorDetail.
  const reason = detail?.reason || FALLBACK_REASON[ce.code] || "server.internal";
  let field: string | undefined;
  // 4xx messages are the service's own, written for clients; 5xx get a fixed one.
  // UNAVAILABLE may come from the client transport itself ("connect ECONNREFUSED <address>"): never echo it.
  let message = status < 500 ? ce.rawMessage : (GENERIC_5XX[status] ?? "internal error");
  if (ce.code === Code.InvalidArgument) {
    if (detail?.field) {
      field = restFieldName(detail.field);
      if (message.startsWith(`${detail.field}:`)) message = `${field}:${message.slice(detail.field.length + 1)}`;
    }
  }
  return new HttpError(status, codeName(ce.code), reason, message, field, headers);
}
