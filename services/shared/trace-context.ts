// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` and `tracestate`
// headers, and the trace a request is being handled under.
//
// A traceparent that comes from outside is a correlation id and nothing more: it names the trace
// this request's log lines and spans join, and never changes what the request may do or whether
// it is recorded (the SDK samples every request whatever the caller's sampled flag says, see
// tracing-sdk.ts). tracestate is vendor data we never read: it is only checked for form and
// bounded (32 members, 512 characters, by @opentelemetry/api's parser) and passed on.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { createTraceState, type TraceState } from "@opentelemetry/api";

/** A parsed, valid traceparent. */
export interface TraceParent {
  traceId: string;
  /** The caller's span id: the parent of the span that handles this request. */
  parentId: string;
  /** The trace-flags byte (bit 0: the caller sampled). */
  flags: number;
}

/** The trace a request is handled under: what its log lines carry and what it forwards. */
export interface TraceIds {
  traceId: string;
  /** This process's span for the request; the parent of every call it makes. */
  spanId: string;
  /** Whether this process records the span (the sampled flag it sends on). */
  sampled: boolean;
  /** The caller's tracestate, well-formed members only; never interpreted. */
  traceState?: TraceState;
}

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
// version "-" trace-id "-" parent-id "-" trace-flags, lowercase hex only.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses a traceparent header; undefined when absent or invalid (the caller then starts a new
 * trace). Version 00 must be exactly 55 characters; a later version may carry more fields after
 * a "-", which are ignored (§4.3 "Versioning of traceparent"); version ff is invalid. An all-zero
 * trace id or parent id is invalid. A repeated header (joined with ", " by Node) is invalid.
 */
export function parseTraceparent(header: string | string[] | null | undefined): TraceParent | undefined {
  if (typeof header !== "string") return undefined;
  const value = header.trim();
  const m = TRACEPARENT.exec(value);
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff") return undefined;
  if (version === "00" && rest !== undefined) return undefined;
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_SPAN_ID) return undefined;
  return { traceId, parentId, flags: parseInt(flags, 16) };
}

/**
 * The well-formed members of a tracestate header, or undefined. Read only next to a valid
 * traceparent (§3.3.1: without one, tracestate is discarded).
 */
export function parseTracestate(header: string | string[] | null | undefined): TraceState | undefined {
  const raw = Array.isArray(header) ? header.join(",") : header;
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const state = createTraceState(raw);
  return state.serialize() === "" ? undefined : state;
}

/** A traceparent header naming `spanId` as the parent of the callee's span. */
export function formatTraceparent(ids: Pick<TraceIds, "traceId" | "spanId" | "sampled">): string {
  return `00-${ids.traceId}-${ids.spanId}-${ids.sampled ? "01" : "00"}`;
}

/** Headers for a call made while handling `ids`: the callee's span becomes a child of ours. */
export function traceHeaders(ids: TraceIds): Record<string, string> {
  const headers: Record<string, string> = { traceparent: formatTraceparent(ids) };
  const state = ids.traceState?.serialize();
  if (state) headers.tracestate = state;
  return headers;
}

/** A random trace id (16 bytes, hex), never all zero. */
export function newTraceId(): string {
  return randomHex(16, ZERO_TRACE_ID);
}

/** A random span id (8 bytes, hex), never all zero. */
export function newSpanId(): string {
  return randomHex(8, ZERO_SPAN_ID);
}

function randomHex(bytes: number, zero: string): string {
  for (;;) {
    const hex = randomBytes(bytes).toString("hex");
    if (hex !== zero) return hex;
  }
}

/**
 * Trace ids for a request handled without an SDK: the incoming trace (or a new one) and a new
 * span id for this process.
 */
export function traceIdsFor(headers: Readonly<Record<string, string | string[] | undefined>>): TraceIds {
  const parent = parseTraceparent(headers["traceparent"]);
  return {
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    sampled: false,
    traceState: parent ? parseTracestate(headers["tracestate"]) : undefined,
  };
}

// One store per process, also when this module is loaded twice (web/server.ts runs it through
// tsx while Next.js bundles its own copy for the app's server code).
const STORE_KEY = Symbol.for("tessera.trace-context");
const store = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new AsyncLocalStorage<TraceIds>()) as AsyncLocalStorage<TraceIds>;

/** Runs `fn` (and everything it starts) under `ids`: its log lines and outgoing calls carry them. */
export function runWithTrace<T>(ids: TraceIds, fn: () => T): T {
  return store.run(ids, fn);
}

/**
 * Runs `fn` outside any request's trace: for background work a request merely wakes up, whose
 * later timers and log lines must not carry that request's ids forever.
 */
export function untraced<T>(fn: () => T): T {
  return store.exit(fn);
}

/** The trace of the request being handled, if any. */
export function currentTrace(): TraceIds | undefined {
  return store.getStore();
}

/**
 * pino `mixin`: `trace_id` and `span_id` on every line logged while a request is handled, by
 * whichever logger logs it.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const ids = store.getStore();
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}
