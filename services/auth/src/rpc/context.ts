import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { Caller } from "../kernel/caller.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { ServerSpan } from "../../../shared/server-span.js";

/** The calling client, set per request by the server (see server/request-context.ts). */
export const kClientInfo = createContextKey<ClientInfo>({ ipAddress: "", userAgent: "" }, { description: "client info" });

/** The request's trace (W3C trace context) and server span; unset for in-process calls (tests). */
export const kTrace = createContextKey<ServerSpan | undefined>(undefined, { description: "trace" });

/** The authenticated caller, set by requireCaller (rpc/guard.ts) before a guarded handler runs. */
export const kCaller = createContextKey<Caller | undefined>(undefined, { description: "caller" });

/** The calling client's IP address and user agent. */
export function clientInfo(ctx: HandlerContext): ClientInfo {
  return ctx.values.get(kClientInfo);
}

/**
 * The caller of a handler behind requireCaller. Its absence is a wiring bug (the handler was
 * registered without the guard), never a client's mistake, so it is not an UNAUTHENTICATED.
 */
export function callerOf(ctx: HandlerContext): Caller {
  const caller = ctx.values.get(kCaller);
  if (!caller) throw new Error("handler needs requireCaller: no authenticated caller in its context");
  return caller;
}
