import "server-only";
import { Code, ConnectError } from "@connectrpc/connect";
import { getTranslations } from "next-intl/server";
import { ErrorDetailSchema } from "../../../gen/tessera/errors/v1/error_detail_pb.js";
import { describeError, translateError, type ErrorTranslator } from "./error-keys";

export { describeError, type UserError } from "./error-keys";

/** The auth service's machine-readable reason and field (tessera.errors.v1.ErrorDetail), if any. */
export function errorDetail(err: unknown): { reason: string; field: string } | undefined {
  if (!(err instanceof ConnectError)) return undefined;
  const [d] = err.findDetails(ErrorDetailSchema);
  return d ? { reason: d.reason, field: d.field } : undefined;
}

/**
 * What a form shows for an error from the auth service, in the request's language: the message,
 * and the form input it concerns when the service named one. Anything unexpected is logged and
 * shown generically, so no internal detail reaches the page.
 */
export async function userError(err: unknown): Promise<{ error: string; field?: string }> {
  const e = describeError(err);
  if (e.key === "generic") console.error("tessera web: unexpected error from the auth service", err);
  const t = await getTranslations("errors");
  return { error: translateError(e, t as ErrorTranslator), ...(e.field ? { field: e.field } : {}) };
}

/** userError's message alone. */
export async function userMessage(err: unknown): Promise<string> {
  return (await userError(err)).error;
}

export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ConnectError && err.code === Code.Unauthenticated;
}
