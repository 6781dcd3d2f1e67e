import type { DescService } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { SERVICE_CREDENTIAL_HEADER, serviceCredentialCheck } from "../adapter/service-credential.js";
import { DomainError } from "../kernel/errors.js";
import type { Authenticator } from "../session/authenticator.js";
import { kCaller } from "./context.js";

type UnaryHandler = (req: unknown, ctx: HandlerContext) => Promise<unknown>;
type MethodName<S extends DescService> = keyof ServiceImpl<S> & string;

/**
 * Wraps the methods of `service` (all of them, or those in `only`) so that `check` runs before
 * the handler from `impl`. The methods are taken from the service descriptor, not from `impl`,
 * so no guarded RPC can be served without the check; and `impl` must be the full ServiceImpl,
 * so a new RPC in the proto fails the type check until it is implemented. A refused check
 * throws before the handler runs, so nothing is read or written.
 */
function guard<S extends DescService>(
  service: S,
  impl: ServiceImpl<S>,
  check: (ctx: HandlerContext) => Promise<void>,
  only?: readonly MethodName<S>[],
): ServiceImpl<S> {
  const guarded: Record<string, UnaryHandler> = {};
  for (const method of service.methods) {
    const handler = (impl as unknown as Record<string, UnaryHandler | undefined>)[method.localName];
    if (typeof handler !== "function") throw new Error(`${service.typeName}.${method.name} has no handler`);
    if (only && !only.includes(method.localName as MethodName<S>)) {
      guarded[method.localName] = handler;
      continue;
    }
    if (method.methodKind !== "unary") throw new Error(`${service.typeName}.${method.name}: only unary RPCs can be guarded`);
    guarded[method.localName] = async (req, ctx) => {
      await check(ctx);
      return handler(req, ctx);
    };
  }
  return guarded as unknown as ServiceImpl<S>;
}

/**
 * Every method of `service` requires the service credential (AdapterService): without the right
 * `tessera-service-credential` header the call is UNAUTHENTICATED "service.invalid_credential".
 */
export function requireServiceCredential<S extends DescService>(service: S, impl: ServiceImpl<S>, credential: string): ServiceImpl<S> {
  const matches = serviceCredentialCheck(credential);
  return guard(service, impl, async (ctx) => {
    if (!matches(ctx.requestHeader.get(SERVICE_CREDENTIAL_HEADER))) throw new DomainError("service.invalid_credential");
  });
}

/**
 * The methods of `service` (all, or those in `only`) act for a signed-in user: the access token
 * in `Authorization` is verified and its session checked live before the handler runs, which
 * reads the caller with callerOf(ctx). Otherwise UNAUTHENTICATED (auth.missing_token,
 * auth.invalid_token, session.revoked).
 */
export function requireCaller<S extends DescService>(
  service: S,
  impl: ServiceImpl<S>,
  authn: Authenticator,
  only?: readonly MethodName<S>[],
): ServiceImpl<S> {
  return guard(
    service,
    impl,
    async (ctx) => {
      ctx.values.set(kCaller, await authn.caller(ctx.requestHeader.get("authorization")));
    },
    only,
  );
}
