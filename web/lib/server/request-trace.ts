// The W3C trace context of the request the web server is handling, for the calls it makes to
// the auth service (rpc.ts). web/server.ts runs every request under it; the store is shared
// through globalThis (services/shared/trace-context.ts) because Next.js bundles its own copy of
// this module. No server-only guard: web/server.ts runs outside the React server build.
//
// An incoming traceparent is a correlation id only: it names the trace the auth service's log
// lines join and never changes what a request may do. The web server records no spans; it
// gives each request a span id of its own, the parent of the auth service's spans.
import type { IncomingHttpHeaders } from "node:http";
import { currentTrace, newSpanId, newTraceId, runWithTrace, traceHeaders, traceIdsFor } from "../../../services/shared/trace-context";

/** Runs `fn` (the request's handling) under the incoming trace, or a new one. */
export function withRequestTrace<T>(headers: IncomingHttpHeaders, fn: () => T): T {
  return runWithTrace(traceIdsFor(headers), fn);
}

/**
 * `traceparent` (and the caller's `tracestate`) for a call to the auth service: a child of the
 * request being handled; outside any request (`next dev`, start-up), the root of a new trace.
 */
export function outgoingTraceHeaders(): Record<string, string> {
  return traceHeaders(currentTrace() ?? { traceId: newTraceId(), spanId: newSpanId(), sampled: false });
}
