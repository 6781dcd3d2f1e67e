import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import type { Caller } from "../kernel/caller.js";
import { DomainError } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import { hasSecondFactor, lockSecondFactors, replaceRecoveryCodes } from "./recovery-codes.js";
import type { SecondFactorCheck } from "./second-factor-check.js";
import { matchTotpStep, newTotpSecret, totpUri } from "./totp.js";
import { openTotpSecret, sealTotpSecret } from "./totp-secret-seal.js";

/** What GetSecondFactors reports. */
export interface SecondFactorStatus {
  totpEnabledAt: Date | null;
  recoveryCodesRemaining: number;
  passkeyCount: number;
}

/** Re-checking who the caller is (Accounts, in user/, which itself depends on this folder's SecondFactorCheck). */
export interface IdentityConfirmation {
  /** The password, or for accounts without one a recent sign-in (see Accounts.confirmIdentity). */
  confirmIdentity(caller: Caller, password: string, client: ClientInfo, retryHint: string): Promise<unknown>;
  me(caller: Caller): Promise<{ id: string; email: string }>;
}

export interface SecondFactorsOptions {
  kek: Buffer;
  /** The issuer shown by authenticator apps (PRODUCT_NAME). */
  issuer: string;
  notices: Pick<SecurityNotices, "secondFactorsRemoved" | "authenticatorEnabled" | "authenticatorDisabled" | "nudge">;
  now?: () => number;
}

const NOT_ENROLLED = () => new DomainError("second_factor.not_enrolled");

/**
 * A user's authenticator app and recovery codes: enrol, confirm, disable, regenerate, and an
 * admin's removal. Sensitive steps re-check who the caller is (Accounts.confirmIdentity) and,
 * where an active factor exists, a current code (SecondFactorCheck).
 */
export class SecondFactors {
  private readonly now: () => number;

  constructor(
    private readonly db: PrismaClient,
    private readonly accounts: IdentityConfirmation,
    private readonly check: SecondFactorCheck,
    private readonly opts: SecondFactorsOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** A new unconfirmed secret, replacing any earlier unconfirmed one. */
  async beginTotp(caller: Caller, password: string, client: ClientInfo): Promise<{ secret: string; uri: string }> {
    await this.accounts.confirmIdentity(caller, password, client, "sign in again, then set up the authenticator within 5 minutes");
    const user = await this.accounts.me(caller);
    const secret = newTotpSecret();
    const sealedSecret = sealTotpSecret(secret, this.opts.kek, user.id);
    // Only an unconfirmed row may be replaced: the upsert's update is conditional below.
    const replaced = await this.db.$transaction(async (tx) => {
      const existing = await tx.totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
      if (existing?.confirmedAt) return false;
      await tx.totpFactor.upsert({
        where: { userId: user.id },
        create: { userId: user.id, sealedSecret },
        update: { sealedSecret, lastUsedStep: 0n, createdAt: new Date(this.now()) },
      });
      return true;
    });
    if (!replaced) throw new DomainError("second_factor.already_enabled");
    return { secret, uri: totpUri(secret, this.opts.issuer, user.email) };
  }

  /** Activates the pending secret with a code it produced; returns the new recovery codes. */
  async confirmTotp(caller: Caller, code: string, client: ClientInfo): Promise<string[]> {
    const factor = await this.db.totpFactor.findUnique({ where: { userId: caller.userId } });
    if (!factor || factor.confirmedAt) throw NOT_ENROLLED();
    const step = matchTotpStep(openTotpSecret(factor.sealedSecret, this.opts.kek, caller.userId), code, this.now());
    if (step === null) throw new DomainError("auth.invalid_second_factor");
    const codes = await this.db.$transaction(async (tx) => {
      await lockSecondFactors(tx, caller.userId);
      const { count } = await tx.totpFactor.updateMany({
        where: { userId: caller.userId, confirmedAt: null, sealedSecret: factor.sealedSecret },
        data: { confirmedAt: new Date(this.now()), lastUsedStep: BigInt(step) },
      });
      if (count !== 1) throw NOT_ENROLLED();
      await tx.auditEvent.create({ data: auditRow({ type: "SECOND_FACTOR_ENABLED", userId: caller.userId, sessionId: caller.sessionId, client, data: { method: "totp" } }) });
      await this.opts.notices.authenticatorEnabled(tx, caller.userId, client);
      return replaceRecoveryCodes(tx, caller.userId);
    });
    this.opts.notices.nudge();
    return codes;
  }

  /**
   * Removes the authenticator: needs the password (or a recent sign-in) and a current code. The
   * recovery codes go with it unless a passkey is left (they exist while any second factor does).
   */
  async disableTotp(caller: Caller, password: string, code: string, client: ClientInfo): Promise<void> {
    if (!(await this.check.factors(caller.userId)).totp) throw NOT_ENROLLED();
    await this.stepUp(caller, password, code, client, "sign in again, then turn off the authenticator within 5 minutes");
    const removed = await this.db.$transaction(async (tx) => {
      await lockSecondFactors(tx, caller.userId);
      const { count } = await tx.totpFactor.deleteMany({ where: { userId: caller.userId } });
      if (count === 0) return false;
      if (!(await hasSecondFactor(tx, caller.userId))) await tx.recoveryCode.deleteMany({ where: { userId: caller.userId } });
      await tx.auditEvent.create({ data: auditRow({ type: "SECOND_FACTOR_DISABLED", userId: caller.userId, sessionId: caller.sessionId, client, data: { method: "totp" } }) });
      await this.opts.notices.authenticatorDisabled(tx, caller.userId, client);
      return true;
    });
    if (removed) this.opts.notices.nudge();
  }

  /** A new set of recovery codes, voiding the old one. */
  async regenerateRecoveryCodes(caller: Caller, password: string, code: string, client: ClientInfo): Promise<string[]> {
    await this.stepUp(caller, password, code, client, "sign in again, then renew the codes within 5 minutes");
    return this.db.$transaction(async (tx) => {
      const codes = await replaceRecoveryCodes(tx, caller.userId);
      await tx.auditEvent.create({ data: auditRow({ type: "RECOVERY_CODES_REGENERATED", userId: caller.userId, sessionId: caller.sessionId, client }) });
      return codes;
    });
  }

  async status(caller: Caller): Promise<SecondFactorStatus> {
    const [factor, passkeyCount] = await Promise.all([
      this.db.totpFactor.findUnique({ where: { userId: caller.userId }, select: { confirmedAt: true } }),
      this.db.passkey.count({ where: { userId: caller.userId } }),
    ]);
    const enrolled = !!factor?.confirmedAt || passkeyCount > 0;
    const recoveryCodesRemaining = enrolled ? await this.db.recoveryCode.count({ where: { userId: caller.userId, usedAt: null } }) : 0;
    return { totpEnabledAt: factor?.confirmedAt ?? null, recoveryCodesRemaining, passkeyCount };
  }

  /** An admin removes a user's second factors, passkeys included (account recovery): audited with the admin as actor, mailed to the user. */
  async removeByAdmin(caller: Caller, userId: string, client: ClientInfo): Promise<void> {
    if (caller.role !== "ADMIN") throw new DomainError("auth.permission_denied");
    const exists = await this.db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!exists) throw new DomainError("user.not_found");
    const removed = await this.db.$transaction(async (tx) => {
      if (!(await removeFactors(tx, userId))) return false;
      await tx.auditEvent.create({ data: auditRow({ type: "SECOND_FACTOR_DISABLED", userId, actorUserId: caller.userId, client }) });
      await this.opts.notices.secondFactorsRemoved(tx, userId, client);
      return true;
    });
    if (removed) this.opts.notices.nudge();
  }

  private async stepUp(caller: Caller, password: string, code: string, client: ClientInfo, hint: string): Promise<void> {
    if (!(await this.check.enrolled(caller.userId))) throw NOT_ENROLLED();
    await this.accounts.confirmIdentity(caller, password, client, hint);
    await this.check.requireForChange(caller, code, client);
  }
}

/** Deletes the user's authenticator, passkeys and recovery codes (an admin's removal); true when there was any. */
async function removeFactors(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
  await lockSecondFactors(tx, userId);
  const { count } = await tx.totpFactor.deleteMany({ where: { userId } });
  const passkeys = await tx.passkey.deleteMany({ where: { userId } });
  await tx.webAuthnChallenge.deleteMany({ where: { userId } });
  await tx.stepUpGrant.deleteMany({ where: { userId } });
  const codes = await tx.recoveryCode.deleteMany({ where: { userId } });
  return count + passkeys.count + codes.count > 0;
}
