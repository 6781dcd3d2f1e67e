import type { PrismaClient } from "../db/generated/client.js";
import type { Caller } from "../kernel/caller.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import type { StepUpTokens } from "../second-factor/second-factor-check.js";
import { hashOpaqueToken, isOpaqueTokenShape, newOpaqueToken } from "../session/refresh-token.js";
import { PasswordFailures } from "../throttle/password-failures.js";
import { PASSWORD_CHECK_FAILURES } from "../throttle/rules.js";
import type { Throttle } from "../throttle/throttle.js";
import type { PasskeyAssertions } from "./passkey-assertions.js";
import { WEBAUTHN_TTL_MS } from "./webauthn-config.js";

/**
 * Passkey step-up: an assertion by one of the caller's passkeys, answering a challenge bound to
 * the caller's session, earns a single-use token (only its SHA-256 stored) that the same
 * session sends as second_factor_code within WEBAUTHN_TTL_MS. Wrong assertions are counted with
 * wrong second-factor codes and current passwords (PASSWORD_CHECK_FAILURES, per user).
 */
export class StepUpGrants implements StepUpTokens {
  private readonly failures: PasswordFailures;

  constructor(
    private readonly db: PrismaClient,
    private readonly assertions: PasskeyAssertions,
    throttle: Throttle,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = new PasswordFailures(throttle, PASSWORD_CHECK_FAILURES);
  }

  /** Request options listing the caller's passkeys; NOT_FOUND passkey.not_found when there is none. */
  async begin(caller: Caller): Promise<string> {
    const passkeys = await this.db.passkey.findMany({ where: { userId: caller.userId }, select: { credentialId: true, transports: true }, orderBy: { createdAt: "asc" } });
    if (passkeys.length === 0) throw new DomainError("passkey.not_found", "you have no passkey");
    return this.assertions.options("step_up", { userId: caller.userId, sessionId: caller.sessionId }, passkeys, "preferred");
  }

  /** Verifies the assertion and returns a step-up token for this session. */
  async finish(caller: Caller, json: string, client: ClientInfo): Promise<{ token: string; expiresAt: Date }> {
    const attempt = await this.failures.begin(caller.userId, client.ipAddress);
    let outcome;
    try {
      const token = newOpaqueToken();
      const expiresAt = new Date(this.now() + WEBAUTHN_TTL_MS);
      outcome = await this.assertions.verify(
        json,
        "response_json",
        "step_up",
        { userId: caller.userId, sessionId: caller.sessionId },
        { requireUserVerification: false },
        async (tx) => {
          await tx.stepUpGrant.create({ data: { tokenHash: hashOpaqueToken(token), userId: caller.userId, sessionId: caller.sessionId, expiresAt } });
          return { token, expiresAt };
        },
      );
    } catch (err) {
      await attempt.notCounted().catch(() => undefined);
      throw err;
    }
    if (!outcome.ok) throw new DomainError("auth.invalid_passkey");
    await attempt.succeeded();
    return outcome.result;
  }

  async spend(userId: string, sessionId: string, token: string): Promise<boolean> {
    if (!isOpaqueTokenShape(token)) return false;
    const { count } = await this.db.stepUpGrant.updateMany({
      where: { tokenHash: hashOpaqueToken(token), userId, sessionId, usedAt: null, expiresAt: { gt: new Date(this.now()) } },
      data: { usedAt: new Date(this.now()) },
    });
    return count === 1;
  }
}
