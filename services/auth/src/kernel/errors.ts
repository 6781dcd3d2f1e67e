import { REASONS, type ErrorKind, type Reason } from "./reasons.js";

/**
 * What domain code throws when a request cannot be done: a reason of the registry (which fixes
 * its kind), a message for the client, the request field at fault for INVALID_ARGUMENT, and for
 * RESOURCE_EXHAUSTED the delay before a retry. The RPC boundary turns it into a status; nothing
 * below it knows about transports.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly kind: ErrorKind;
  /** The request field at fault (proto spelling, e.g. `profile.website`), or "". */
  readonly field: string;
  /** Whole seconds before a retry can succeed (RESOURCE_EXHAUSTED only). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly reason: Reason,
    message?: string,
    opts: { field?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message ?? REASONS[reason].message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.kind = REASONS[reason].kind;
    this.field = opts.field ?? "";
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** INVALID_ARGUMENT naming the request field at fault (proto spelling). */
export function invalidArgument(field: string, message: string): DomainError {
  return new DomainError("request.invalid_argument", `${field}: ${message}`, { field });
}

/**
 * RESOURCE_EXHAUSTED for a throttled call: a message naming the delay, and the delay in whole
 * seconds (at least 1), which the boundary sends as `retry-after`.
 */
export function throttled(reason: Reason, retryAfterSeconds: number, what = "attempts"): DomainError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new DomainError(reason, `too many ${what}; retry in ${seconds} second${seconds === 1 ? "" : "s"}`, { retryAfterSeconds: seconds });
}
