import { Code } from "@connectrpc/connect";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** How a bearer token check ended (AccessTokenGuard.check). */
export type VerificationOutcome = "valid" | "missing" | "invalid" | "expired" | "keys_unavailable";
const OUTCOMES: VerificationOutcome[] = ["valid", "missing", "invalid", "expired", "keys_unavailable"];

/** Methods counted by name; anything else (unroutable anyway) is "other", so labels stay bounded. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Latency buckets, seconds: JWKS-verified reads take ~1-5 ms, sign-ins ~50-150 ms (argon2 upstream). */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The instruments of one route template and method, bound once. */
export interface RouteInstruments {
  /** Counts one finished request with its status and latency (seconds). */
  done(status: number, seconds: number): void;
}

/**
 * The gateway's metrics in a registry of its own (not prom-client's global one). Route
 * instruments are bound once per route, and per status code at its first use.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"route" | "method" | "status">;
  private readonly seconds: Histogram<"route" | "method">;
  private readonly verifications: Record<VerificationOutcome, Counter.Internal>;
  private readonly upstream: Counter<"code">;
  private readonly upstreamByCode: Counter.Internal[] = [];
  private readonly unmatched = new Map<string, RouteInstruments>();

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: "tessera_gateway_http_requests_total",
      help: "HTTP requests answered, by route template (unmatched: no route), method and status.",
      labelNames: ["route", "method", "status"],
      registers,
    });
    this.seconds = new Histogram({
      name: "tessera_gateway_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by route template and method.",
      labelNames: ["route", "method"],
      buckets: HTTP_BUCKETS,
      registers,
    });
    const verifications = new Counter({
      name: "tessera_gateway_token_verifications_total",
      help: "Bearer access-token checks, by outcome (valid, missing, invalid, expired, keys_unavailable).",
      labelNames: ["outcome"],
      registers,
    });
    this.verifications = Object.fromEntries(OUTCOMES.map((o) => [o, zeroed(verifications.labels(o))])) as GatewayMetrics["verifications"];
    this.upstream = new Counter({
      name: "tessera_gateway_upstream_errors_total",
      help: "Auth service RPCs that failed, by Connect code (unavailable, internal, deadline_exceeded: the service; others: the caller's request).",
      labelNames: ["code"],
      registers,
    });
  }

  /** Binds the instruments of a route template and method (call once per route). */
  route(path: string, method: string): RouteInstruments {
    const byStatus: Counter.Internal[] = [];
    const seconds = this.seconds.labels(path, method);
    return {
      done: (status, s) => {
        (byStatus[status] ??= this.requests.labels(path, method, String(status))).inc();
        seconds.observe(s);
      },
    };
  }

  /** The instruments of requests that matched no route (or no method of one). */
  unmatchedRoute(method: string | undefined): RouteInstruments {
    const m = method !== undefined && METHODS.has(method) ? method : "other";
    let found = this.unmatched.get(m);
    if (found === undefined) this.unmatched.set(m, (found = this.route("unmatched", m)));
    return found;
  }

  verification(outcome: VerificationOutcome): void {
    this.verifications[outcome].inc();
  }

  /** Counts one failed RPC to the auth service. */
  upstreamError(code: Code): void {
    (this.upstreamByCode[code] ??= this.upstream.labels(codeName(code))).inc();
  }
}

/** Connect's snake_case name of a code ("invalid_argument"). */
function codeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** A child exposed as 0 from the start: rate() and increase() need a sample before the first event. */
function zeroed(child: Counter.Internal): Counter.Internal {
  child.inc(0);
  return child;
}
