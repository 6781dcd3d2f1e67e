import type { RateLimits } from "../config/config.js";
import { resourceExhausted } from "../server/errors.js";
import { addressSubject } from "./client-address.js";
import type { RateLimitStore } from "./rate-limit-store.js";
import { RULES, type RuleName } from "./rules.js";
import type { KeyOf } from "./throttle-key.js";

/** A counted hit that may be given back (see Throttle.giveBack). */
export interface ThrottleTicket {
  key: string;
  windowStart: Date;
}

/**
 * Applies the throttling rules: each call counts one hit in the shared buckets and is refused
 * with RESOURCE_EXHAUSTED (retry delay in `retry-after`) once the window's count passes the
 * limit. A refused call has changed nothing but the count.
 */
export class Throttle {
  constructor(
    private readonly store: RateLimitStore,
    private readonly limits: RateLimits,
    private readonly keyOf: KeyOf,
  ) {}

  /**
   * Counts one hit of `rule` for `subject` (a normalised email, a client IP, a user id) and
   * throws RESOURCE_EXHAUSTED if it is beyond the limit. Returns the ticket of the counted hit,
   * or undefined when nothing was counted: the rule is off (limit 0) or the subject is unknown
   * (an in-process caller without a peer address).
   */
  async hit(rule: RuleName, subject: string): Promise<ThrottleTicket | undefined> {
    const { limit, windowSeconds } = this.limits[rule];
    const { scope, reason, what, subject: kind } = RULES[rule];
    const value = kind === "ip" ? addressSubject(subject) : subject;
    if (limit === 0 || value === "") return undefined;
    const key = this.keyOf(scope, value);
    const counted = await this.store.hit(key, windowSeconds);
    if (counted.count > limit) throw resourceExhausted(reason, counted.retryAfterSeconds, what);
    return { key, windowStart: counted.windowStart };
  }

  /**
   * Takes back a hit that turned out not to count, e.g. a sign-in attempt that succeeded
   * (Login's per-account rule counts failures only: the attempt is counted before the password
   * is checked, so concurrent guesses cannot overshoot the limit, and given back on success).
   */
  async giveBack(ticket: ThrottleTicket | undefined): Promise<void> {
    if (ticket) await this.store.giveBack(ticket.key, ticket.windowStart);
  }
}
