import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import { DomainError } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import { PasswordFailures } from "../throttle/password-failures.js";
import { PASSWORD_CHECK_FAILURES } from "../throttle/rules.js";
import type { Throttle } from "../throttle/throttle.js";
import { hashRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes.js";
import { matchTotpStep } from "./totp.js";
import { openTotpSecret } from "./totp-secret-seal.js";

/** Which factor a code proved. */
export type ProvenFactor = "totp" | "recovery_code";

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
  ) {
    this.failures = new PasswordFailures(throttle, PASSWORD_CHECK_FAILURES);
  }

  /** True when the user has a confirmed authenticator, so sign-in and sensitive changes need a second factor. */
  async enrolled(userId: string): Promise<boolean> {
    const row = await this.db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
    return !!row?.confirmedAt;
  }

  /**
   * Step-up for a sensitive change: nothing when the user has no second factor; otherwise
   * FAILED_PRECONDITION auth.second_factor_required for an empty code and UNAUTHENTICATED
   * auth.invalid_second_factor for a wrong or used one.
   */
  async requireForChange(userId: string, code: string, client: ClientInfo): Promise<void> {
    if (!(await this.enrolled(userId))) return;
    if (code.trim() === "") throw new DomainError("auth.second_factor_required", "this account has a second factor: send second_factor_code");
    if (!(await this.verify(userId, code, client, "step_up"))) throw new DomainError("auth.invalid_second_factor");
  }

  /**
   * Checks `code` (a TOTP code, or a recovery code when it has that shape) against the user's
   * confirmed factor and spends it; returns which factor it was, or null when it is wrong,
   * used, or the user has no confirmed factor.
   */
  async verify(userId: string, code: string, client: ClientInfo, purpose: CodePurpose): Promise<ProvenFactor | null> {
    const attempt = await this.failures.begin(userId, client.ipAddress);
    let proven: ProvenFactor | null;
    try {
      proven = looksLikeRecoveryCode(code) ? await this.spendRecoveryCode(userId, code, client, purpose) : await this.spendTotp(userId, code);
    } catch (err) {
      await attempt.notCounted().catch(() => undefined);
      throw err;
    }
    if (proven) await attempt.succeeded();
    return proven;
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
