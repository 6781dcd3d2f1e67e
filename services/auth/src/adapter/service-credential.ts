import { createHash, timingSafeEqual } from "node:crypto";
import type { DescService } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { unauthenticated } from "../server/errors.js";

/** The request header carrying the service credential (AdapterService). */
export const SERVICE_CREDENTIAL_HEADER = "tessera-service-credential";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Checks a presented credential against the configured one in constant time. Both are hashed
 * first, so the comparison always runs over 32 bytes and neither the length nor a common
 * prefix of the secret leaks through timing.
 */
export function serviceCredentialCheck(expected: string): (presented: string | null) => boolean {
  if (expected.length === 0) throw new Error("the service credential must not be empty");
  const want = digest(expected);
  return (presented) => {
    // An absent header is hashed too, so every refusal costs the same.
    const ok = timingSafeEqual(digest(presented ?? ""), want);
    return ok && presented !== null;
  };
}

type UnaryHandler = (req: unknown, ctx: HandlerContext) => Promise<unknown>;

/**
 * Wraps every method of `service` so that it first requires the service credential, then
 * calls the handler from `impl`. The methods are taken from the service descriptor, not from
 * `impl`, so no RPC of the service can be served without the check; and `impl` must be the
 * full ServiceImpl, so a new RPC in the proto fails the type check until it is implemented.
 * Without the right credential the call is UNAUTHENTICATED ("service.invalid_credential")
 * before the handler runs, so nothing is read or written.
 */
export function requireServiceCredential<S extends DescService>(service: S, impl: ServiceImpl<S>, credential: string): ServiceImpl<S> {
  const matches = serviceCredentialCheck(credential);
  const guarded: Record<string, UnaryHandler> = {};
  for (const method of service.methods) {
    if (method.methodKind !== "unary") throw new Error(`${service.typeName}.${method.name}: only unary RPCs can be guarded`);
    const handler = (impl as unknown as Record<string, UnaryHandler | undefined>)[method.localName];
    if (typeof handler !== "function") throw new Error(`${service.typeName}.${method.name} has no handler`);
    guarded[method.localName] = async (req, ctx) => {
      if (!matches(ctx.requestHeader.get(SERVICE_CREDENTIAL_HEADER))) {
        throw unauthenticated("service.invalid_credential", `a valid ${SERVICE_CREDENTIAL_HEADER} header is required`);
      }
      return handler(req, ctx);
    };
  }
  return guarded as unknown as ServiceImpl<S>;
}
