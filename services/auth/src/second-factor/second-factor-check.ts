import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import { DomainError } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import { PasswordFailures } from "../throttle/password-failures.js";
import { PASSWORD_CHECK_FAILURES } from "../throttle/rules.js";
import type { Throttle } from "../throttle/throttle.js";
import { isOpaqueTokenShape } from "../session/refresh-token.js";
import { hashRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes.js";
import { matchTotpStep } from "./totp.js";
import { openTotpSecret } from "./totp-secret-seal.js";

/** Which factor a code (or assertion) proved. */
export type ProvenFactor = "totp" | "recovery_code" | "passkey" | "step_up";

/**
 * Single-use proofs that a session passed a passkey step-up (passkey/step-up-grants.ts), spent
 * here as a second_factor_code. Declared here, implemented in passkey/, so this folder does
 * not depend on the passkey domain.
 */
export interface StepUpTokens {
  /** Spends `token` if it is live and was issued to this user and session; true when it was. */
  spend(userId: string, sessionId: string, token: string): Promise<boolean>;
}

/** Where a recovery code was spent, for its audit event. */
export type CodePurpose = "sign_in" | "step_up";

/**
 * Checks second-factor codes of an account with a confirmed authenticator: a TOTP code (once
 * per time step: the accepted step is stored and any step at or below it is a replay) or a
 * recovery code (single use; spending one is audited and mailed in the same transaction).
 * Wrong codes are counted like wrong current passwords (per user and client, and per user),
 * and refused with RESOURCE_EXHAUSTED before any check past the limit.
 */
export class SecondFactorCheck {
  private readonly failures: PasswordFailures;

  constructor(
    private readonly db: PrismaClient,
    private readonly kek: Buffer,
    throttle: Throttle,
    private readonly notices: Pick<SecurityNotices, "recoveryCodeUsed" | "nudge">,
    private readonly now: () => number = Date.now,
    private readonly stepUpTokens?: StepUpTokens,
  ) {
    this.failures = new PasswordFailures(throttle, PASSWORD_CHECK_FAILURES);
  }

  /**
   * True when the user has a second factor (a confirmed authenticator or at least one passkey),
   * so sign-in and sensitive changes need one.
   */
  async enrolled(userId: string): Promise<boolean> {
    const { totp, passkeys } = await this.factors(userId);
    return totp || passkeys > 0;
  }

  /** Which second factors the user has: a confirmed authenticator, and how many passkeys. */
  async factors(userId: string): Promise<{ totp: boolean; passkeys: number }> {
    const [row, passkeys] = await Promise.all([
      this.db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
      this.db.passkey.count({ where: { userId } }),
    ]);
    return { totp: !!row?.confirmedAt, passkeys };
  }

  /**
   * Step-up for a sensitive change: nothing when the user has no second factor; otherwise
   * FAILED_PRECONDITION auth.second_factor_required for an empty code and UNAUTHENTICATED
   * auth.invalid_second_factor for a wrong or used one. Besides TOTP and recovery codes, a
   * passkey step-up token counts when it was issued to the caller's own session.
   */
  async requireForChange(caller: { userId: string; sessionId: string }, code: string, client: ClientInfo): Promise<void> {
    const { userId, sessionId } = caller;
    if (!(await this.enrolled(userId))) return;
    const trimmed = code.trim();
    if (trimmed === "") throw new DomainError("auth.second_factor_required", "this account has a second factor: send second_factor_code");
    const tokens = this.stepUpTokens;
    const proven =
      tokens && isOpaqueTokenShape(trimmed)
        ? await this.counted(userId, client, async () => ((await tokens.spend(userId, sessionId, trimmed)) ? "step_up" : null))
        : await this.verify(userId, code, client, "step_up");
    if (!proven) throw new DomainError("auth.invalid_second_factor");
  }

  /**
   * Runs one second-factor check counted like a wrong current password: RESOURCE_EXHAUSTED
   * before `check` runs when the user is over the limit, a failure counted when it returns
   * null, the count cleared when it proves a factor. Passkey assertions go through it too.
   */
  async counted(userId: string, client: ClientInfo, check: () => Promise<ProvenFactor | null>): Promise<ProvenFactor | null> {
    const attempt = await this.failures.begin(userId, client.ipAddress);
    let proven: ProvenFactor | null;
    try {
      proven = await check();
    } catch (err) {
      await attempt.notCounted().catch(() => undefined);
      throw err;
    }
    if (proven) await attempt.succeeded();
    return proven;
  }

  /**
   * Checks `code` (a TOTP code, or a recovery code when it has that shape) against the user's
   * confirmed factor and spends it; returns which factor it was, or null when it is wrong,
   * used, or the user has no confirmed factor.
   */
  async verify(userId: string, code: string, client: ClientInfo, purpose: CodePurpose): Promise<ProvenFactor | null> {
    return this.counted(userId, client, () =>
      looksLikeRecoveryCode(code) ? this.spendRecoveryCode(userId, code, client, purpose) : this.spendTotp(userId, code),
    );
  }

  /** Accepts a TOTP code of a confirmed factor once: its step must be above the last accepted one. */
  private async spendTotp(userId: string, code: string): Promise<ProvenFactor | null> {
    const factor = await this.db.totpFactor.findUnique({ where: { userId } });
    if (!factor?.confirmedAt) return null;
    const step = matchTotpStep(openTotpSecret(factor.sealedSecret, this.kek, userId), code, this.now());
    if (step === null) return null;
    // Conditional on the stored step, so two concurrent uses of one code cannot both pass.
    const { count } = await this.db.totpFactor.updateMany({
      where: { userId, confirmedAt: { not: null }, lastUsedStep: { lt: BigInt(step) } },
      data: { lastUsedStep: BigInt(step) },
    });
    return count === 1 ? "totp" : null;
  }

  private async spendRecoveryCode(userId: string, code: string, client: ClientInfo, purpose: CodePurpose): Promise<ProvenFactor | null> {
    if (!(await this.enrolled(userId))) return null;
    const spent = await this.db.$transaction(async (tx) => {
      const { count } = await tx.recoveryCode.updateMany({
        where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
        data: { usedAt: new Date(this.now()) },
      });
      if (count !== 1) return false;
      await this.recordRecoveryUse(tx, userId, client, purpose);
      return true;
    });
    if (spent) this.notices.nudge();
    return spent ? "recovery_code" : null;
  }

  private async recordRecoveryUse(tx: Prisma.TransactionClient, userId: string, client: ClientInfo, purpose: CodePurpose): Promise<void> {
    const remaining = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
    await tx.auditEvent.create({ data: auditRow({ type: "RECOVERY_CODE_USED", userId, client, data: { remaining, purpose } }) });
    await this.notices.recoveryCodeUsed(tx, userId, remaining, client);
  }
}
