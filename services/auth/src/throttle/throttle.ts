import type { RateLimits } from "../config/config.js";
import { throttled } from "../kernel/errors.js";
import { addressSubject } from "./client-address.js";
import type { RateLimitStore, SqlRunner } from "./rate-limit-store.js";
import { PASSWORD_CHECK_FAILURES, RULES, SIGN_IN_FAILURES, type RuleName } from "./rules.js";
import type { KeyOf } from "./throttle-key.js";

/** A counted hit that may be given back (see Throttle.giveBack). */
export interface ThrottleTicket {
  key: string;
  windowStart: Date;
}

/** Told of every refused call (metrics); must not throw. */
export interface ThrottleObserver {
  refused(rule: RuleName): void;
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
    private readonly observer?: ThrottleObserver,
  ) {}

  /**
   * Counts one hit of `rule` for `subject` (a normalised email, a client IP, a user id) and
   * throws RESOURCE_EXHAUSTED if it is beyond the limit. An "account+client" rule also takes the
   * client's IP address (an unknown address, "", counts as one client of its own). Returns the
   * ticket of the counted hit, or undefined when nothing was counted: the rule is off (limit 0)
   * or the subject is unknown (an in-process caller without a peer address).
   */
  async hit(rule: RuleName, subject: string, clientIp = ""): Promise<ThrottleTicket | undefined> {
    const { limit, windowSeconds } = this.limits[rule];
    const { reason, what } = RULES[rule];
    const key = this.keyFor(rule, subject, clientIp);
    if (limit === 0 || key === undefined) return undefined;
    const counted = await this.store.hit(key, windowSeconds);
    if (counted.count > limit) {
      this.observer?.refused(rule);
      throw throttled(reason, counted.retryAfterSeconds, what);
    }
    return { key, windowStart: counted.windowStart };
  }

  /**
   * Takes back a hit that turned out not to count, e.g. an attempt that failed for another
   * reason than a wrong password (the database was down).
   */
  async giveBack(ticket: ThrottleTicket | undefined): Promise<void> {
    if (ticket) await this.store.giveBack(ticket.key, ticket.windowStart);
  }

  /** Deletes the buckets of counted hits: their counts start again from zero (a success). */
  async clear(...tickets: (ThrottleTicket | undefined)[]): Promise<void> {
    await this.store.clear(tickets.flatMap((t) => (t ? [t.key] : [])));
  }

  /**
   * Forgets every failed password check of one account, from every client: its sign-in failures
   * (by normalised email) and its ChangePassword/DeleteAccount failures (by user id). Called when
   * a password reset proves the owner holds the mailbox, so a lock-out never outlives a reset.
   * Pass the reset's transaction as `tx`: the counts go exactly when the new password commits,
   * and no second pool connection is taken while the transaction holds one.
   */
  async clearPasswordFailures(account: { email: string; userId: string }, tx?: SqlRunner): Promise<void> {
    for (const [rules, subject] of [
      [SIGN_IN_FAILURES, account.email],
      [PASSWORD_CHECK_FAILURES, account.userId],
    ] as const) {
      await this.store.clearPrefix(`${this.keyOf(RULES[rules.perClient].scope, subject)}:`, tx);
      await this.store.clear([this.keyOf(RULES[rules.perAccount].scope, subject)], tx);
    }
  }

  /** The bucket key of `rule` for this subject (and client), or undefined when none is counted. */
  private keyFor(rule: RuleName, subject: string, clientIp: string): string | undefined {
    const { scope, subject: kind } = RULES[rule];
    if (kind === "account+client") return subject === "" ? undefined : this.keyOf(scope, subject, addressSubject(clientIp));
    const value = kind === "ip" ? addressSubject(subject) : subject;
    return value === "" ? undefined : this.keyOf(scope, value);
  }
}
