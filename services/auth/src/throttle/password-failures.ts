import type { FailureRules } from "./rules.js";
import type { Throttle, ThrottleTicket } from "./throttle.js";

/** One password check in flight, counted as a failure until told otherwise. */
export interface PasswordAttempt {
  /** The password was right: the account's failures, account-wide and from this client, start again from zero. */
  succeeded(): Promise<void>;
  /** The check never happened (e.g. the database failed): the attempt is taken back. */
  notCounted(): Promise<void>;
}

/**
 * Counts failed password checks of one account twice: per account and client address (a small
 * limit: one client's guessing locks out that client only) and per account (a much higher cap,
 * NIST SP 800-63B 5.2.2: at most 100 consecutive failures). An attacker who does not know the
 * password therefore cannot keep the owner out from the owner's own address unless they guess
 * from more addresses than the cap allows; a successful check, or a password reset
 * (Throttle.clearPasswordFailures), clears the counts. Keycloak's brute-force detector and
 * Auth0's "brute-force protection" (which blocks an account per IP and unblocks it on reset) do
 * the same.
 */
export class PasswordFailures {
  constructor(
    private readonly throttle: Throttle,
    private readonly rules: FailureRules,
  ) {}

  /**
   * Counts an attempt on `account` (a normalised email, or a user id) from `clientIp` as a
   * failure before the password is checked, so concurrent guesses cannot overshoot a limit, and
   * throws RESOURCE_EXHAUSTED when either count is beyond its limit: call it before any argon2
   * work. The per-client count is checked first, and a call it refuses is never counted
   * account-wide: one address alone cannot reach the account-wide cap.
   */
  async begin(account: string, clientIp: string): Promise<PasswordAttempt> {
    const perClient = await this.throttle.hit(this.rules.perClient, account, clientIp);
    let perAccount: ThrottleTicket | undefined;
    try {
      perAccount = await this.throttle.hit(this.rules.perAccount, account);
    } catch (err) {
      // Refused account-wide: not a guess at the password, so not this client's failure either.
      await this.throttle.giveBack(perClient).catch(() => undefined);
      throw err;
    }
    return {
      succeeded: () => this.throttle.clear(perClient, perAccount),
      notCounted: async () => {
        await this.throttle.giveBack(perClient);
        await this.throttle.giveBack(perAccount);
      },
    };
  }
}
