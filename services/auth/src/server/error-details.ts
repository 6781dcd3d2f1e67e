import type { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "../../../../gen/google/rpc/error_details_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import type { DomainError } from "../kernel/errors.js";
import { ERROR_DOMAIN } from "../kernel/reasons.js";

/** The details a ConnectError is built with. */
type Details = NonNullable<ConstructorParameters<typeof ConnectError>[3]>;

/**
 * The error details a domain error is answered with: tessera.errors.v1.ErrorDetail first (what
 * Tessera's own clients read), then the standard ones of AIP-193, which any gRPC or Connect
 * library decodes without Tessera's protos: google.rpc.ErrorInfo always (the same reason, the
 * domain ERROR_DOMAIN, the field or the retry delay as metadata), google.rpc.BadRequest when a
 * request field is at fault, google.rpc.RetryInfo when the call may be retried after a delay.
 * Nothing secret goes in: only what the status message already says.
 */
export function errorDetails(err: DomainError): Details {
  const metadata: Record<string, string> = {};
  if (err.field) metadata.field = err.field;
  if (err.retryAfterSeconds !== undefined) metadata.retry_after_seconds = String(err.retryAfterSeconds);
  const details: Details = [
    { desc: ErrorDetailSchema, value: { reason: err.reason, field: err.field } },
    { desc: ErrorInfoSchema, value: { reason: err.reason, domain: ERROR_DOMAIN, metadata } },
  ];
  if (err.kind === "invalid_argument" && err.field) {
    details.push({ desc: BadRequestSchema, value: { fieldViolations: [{ field: err.field, description: err.message }] } });
  }
  if (err.retryAfterSeconds !== undefined) {
    details.push({ desc: RetryInfoSchema, value: { retryDelay: { seconds: BigInt(err.retryAfterSeconds) } } });
  }
  return details;
}
