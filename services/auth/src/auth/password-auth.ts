import type { Prisma } from "../db/generated/client.js";
import { normalizeEmail } from "../identity/email.js";
import type { UserRecord } from "../identity/user.js";
import type { UserStore } from "../identity/user-store.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { PasswordHasher } from "../password/hasher.js";
import { checkPasswordPolicy, PASSWORD_PROBLEM_MESSAGES } from "../password/policy.js";
import { DomainError, invalidArgument } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { parseLocale } from "../kernel/locale.js";
import type { IssuedTokens, SessionService } from "../session/session-service.js";
import type { IssuedChallenge, SecondFactorProof, SignInChallenges } from "../second-factor/sign-in-challenges.js";
import { PasswordFailures } from "../throttle/password-failures.js";
import { SIGN_IN_FAILURES } from "../throttle/rules.js";
import type { Throttle } from "../throttle/throttle.js";

/** Extra work of Register: `inTransaction` runs in the transaction that creates the user, `afterCommit` after it. */
export interface RegistrationHook {
  inTransaction(tx: Prisma.TransactionClient, user: UserRecord): Promise<void>;
  afterCommit(): void;
}

/** Same message for unknown email and wrong password: nothing tells them apart. */
const INVALID_CREDENTIALS = "email or password is incorrect";

/** Password registration and sign-in. */
export class PasswordAuth {
  private readonly failures: PasswordFailures;

  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly audit: AuditLog,
    private readonly throttle: Throttle,
    private readonly challenges: Pick<SignInChallenges, "gate" | "complete">,
    private readonly onRegister?: RegistrationHook,
  ) {
    this.failures = new PasswordFailures(throttle, SIGN_IN_FAILURES);
  }

  /**
   * Creates an account and its first session, in `input.locale` ("" means "en"). Throttled per
   * client IP (every valid request counts).
   */
  async register(input: { email: string; password: string; name: string; locale: string }, client: ClientInfo) {
    const email = normalizeEmail(input.email);
    if (!email) throw invalidArgument("email", "must be a valid email address");
    const locale = parseLocale(input.locale, "locale");
    const problem = checkPasswordPolicy(input.password);
    if (problem) throw invalidArgument("password", PASSWORD_PROBLEM_MESSAGES[problem]);
    // Before the argon2 hash; counts attempts on taken addresses too, which slows enumeration.
    await this.throttle.hit("registerIp", client.ipAddress);
    const passwordHash = await this.hasher.hash(input.password);
    // A taken address fails here with user.already_exists (SessionStore.create).
    const started = await this.sessions.start(
      { newUser: { email, passwordHash, name: input.name || null, locale } },
      client,
      [{ type: "USER_REGISTERED" }, { type: "SIGN_IN_SUCCEEDED", data: { method: "password" } }],
      { afterCreate: this.onRegister && ((tx, user) => this.onRegister!.inTransaction(tx, user)) },
    );
    this.onRegister?.afterCommit();
    return started;
  }

  /**
   * Verifies a password and opens a session. Throttled per client IP (every attempt), and, for
   * failed attempts, per normalised email and client IP and per normalised email (see
   * PasswordFailures), whether or not an account uses the email. A throttled call stops before
   * any lookup or argon2 work, with the same answer for every email. A success clears the
   * email's failures, account-wide and from this client.
   *
   * An account with a second factor gets no session here: a `secondFactorCapable` client gets
   * a challenge for completeSignIn, any other FAILED_PRECONDITION auth.second_factor_required.
   */
  async login(
    input: { email: string; password: string; secondFactorCapable?: boolean },
    client: ClientInfo,
  ): Promise<{ user: UserRecord; tokens: IssuedTokens } | { challenge: IssuedChallenge }> {
    const email = normalizeEmail(input.email);
    if (!email) throw invalidArgument("email", "must be a valid email address");
    await this.throttle.hit("loginIp", client.ipAddress);
    // Counted as a failure up front (so concurrent guesses cannot all slip under the limit) and
    // cleared below if the password is right.
    const attempt = await this.failures.begin(email, client.ipAddress);
    let found: Awaited<ReturnType<UserStore["findCredentials"]>>;
    let ok: boolean;
    try {
      found = await this.users.findCredentials(email);
      // Runs a full argon2 verification even when the account does not exist.
      ok = await this.hasher.verify(found?.passwordHash, input.password);
    } catch (err) {
      // Not a wrong password: the attempt does not count against the account.
      await attempt.notCounted().catch(() => undefined);
      throw err;
    }
    if (!found || !ok) {
      // Recorded for unknown emails too, so both paths do the same work. The attempt stays counted.
      await this.audit.record({ type: "SIGN_IN_FAILED", userId: found?.user.id ?? null, client });
      throw new DomainError("auth.invalid_credentials", INVALID_CREDENTIALS);
    }
    await attempt.succeeded();
    if (this.hasher.needsRehash(found.passwordHash!)) {
      await this.users.updatePasswordHash(found.user.id, await this.hasher.hash(input.password));
    }
    const challenge = await this.challenges.gate(found.user.id, "password", !!input.secondFactorCapable);
    if (challenge) return { challenge };
    return this.sessions.start({ id: found.user.id }, client, [{ type: "SIGN_IN_SUCCEEDED", data: { method: "password" } }]);
  }

  /** The second step of a sign-in that login() answered with a challenge: opens the session. */
  async completeSignIn(challengeToken: string, proof: SecondFactorProof, client: ClientInfo): Promise<{ user: UserRecord; tokens: IssuedTokens }> {
    const done = await this.challenges.complete(challengeToken, proof, client);
    return this.sessions.start({ id: done.userId }, client, [
      { type: "SIGN_IN_SUCCEEDED", data: { method: done.firstFactor, secondFactor: done.factor } },
    ]);
  }
}
