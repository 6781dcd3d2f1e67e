import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { RULES, type RuleName } from "../throttle/rules.js";
import type { ThrottleObserver } from "../throttle/throttle.js";

/** How a sign-in was attempted: the RPC that does it. */
export const SIGN_IN_METHODS = ["password", "oauth", "passkey", "second_step"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** What a sign-in attempt came to. */
export const SIGN_IN_OUTCOMES = ["success", "failure", "throttled", "second_factor_challenge"] as const;
export type SignInOutcome = (typeof SIGN_IN_OUTCOMES)[number];

/** The instruments of one RPC method; the caller keeps them (one binding per method and code). */
export interface RpcInstruments {
  /** The call counter of one code name (Connect's snake_case names, or "ok"). */
  calls(code: string): Counter.Internal;
  seconds: Histogram.Internal<"service" | "method">;
}

/** RPC latency buckets, seconds: argon2 sign-ins sit near 50-100 ms, plain reads near 1-5 ms. */
const RPC_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The auth service's own metrics in a registry of this process (never prom-client's global one,
 * so two services in one test process do not share counts). Hot paths get label children bound
 * once: an RPC's instruments are bound at its first call, sign-in and throttle children at start.
 */
export class AuthMetrics {
  readonly registry = new Registry();
  private readonly rpcCalls: Counter<"service" | "method" | "code">;
  private readonly rpcSeconds: Histogram<"service" | "method">;
  private readonly signIns: Record<SignInMethod, Record<SignInOutcome, Counter.Internal>>;
  /** Refresh tokens presented again after they were spent: the session was revoked. */
  readonly refreshReuse: Counter;
  /** Outbox send attempts that failed (each retry counts). */
  readonly outboxSendErrors: Counter;
  /** For Throttle: counts a refused call under its rule. */
  readonly throttle: ThrottleObserver;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.rpcCalls = new Counter({
      name: "tessera_rpc_calls_total",
      help: "RPC calls handled, by service, method and status code (ok or a Connect code name).",
      labelNames: ["service", "method", "code"],
      registers,
    });
    this.rpcSeconds = new Histogram({
      name: "tessera_rpc_duration_seconds",
      help: "Time from a call's arrival at the interceptors to its answer, by service and method.",
      labelNames: ["service", "method"],
      buckets: RPC_BUCKETS,
      registers,
    });
    const signIns = new Counter({
      name: "tessera_sign_ins_total",
      help: "Sign-in attempts by method (password, oauth, passkey, second_step) and outcome (success, failure, throttled, second_factor_challenge).",
      labelNames: ["method", "outcome"],
      registers,
    });
    this.signIns = Object.fromEntries(
      SIGN_IN_METHODS.map((m) => [m, Object.fromEntries(SIGN_IN_OUTCOMES.map((o) => [o, zeroed(signIns.labels(m, o))]))]),
    ) as AuthMetrics["signIns"];
    this.refreshReuse = new Counter({
      name: "tessera_refresh_token_reuse_total",
      help: "Spent refresh tokens presented again (outside the grace period); each revoked its session.",
      registers,
    });
    const throttled = new Counter({
      name: "tessera_throttled_total",
      help: "Calls refused with RESOURCE_EXHAUSTED by a throttling rule, by rule.",
      labelNames: ["rule"],
      registers,
    });
    const byRule = Object.fromEntries(Object.keys(RULES).map((rule) => [rule, zeroed(throttled.labels(rule))])) as Record<RuleName, Counter.Internal>;
    this.throttle = { refused: (rule) => byRule[rule].inc() };
    this.outboxSendErrors = new Counter({
      name: "tessera_outbox_send_errors_total",
      help: "Mail send attempts that failed (SMTP refused, timed out, unreachable); each retry counts.",
      registers,
    });
  }

  /** Binds the instruments of one RPC method (call it once per method, not per call). */
  rpc(service: string, method: string): RpcInstruments {
    return { calls: (code) => this.rpcCalls.labels(service, method, code), seconds: this.rpcSeconds.labels(service, method) };
  }

  /** Counts one sign-in attempt. */
  signIn(method: SignInMethod, outcome: SignInOutcome): void {
    this.signIns[method][outcome].inc();
  }
}

/** A child exposed as 0 from the start: rate() and increase() need a sample before the first event. */
function zeroed(child: Counter.Internal): Counter.Internal {
  child.inc(0);
  return child;
}
