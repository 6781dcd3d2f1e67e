import { generateRegistrationOptions, verifyRegistrationResponse, type AuthenticatorTransportFuture } from "@simplewebauthn/server";
import type { PrismaClient } from "../db/generated/client.js";
import { isUniqueViolation } from "../db/database-errors.js";
import { auditRow } from "../audit/audit-event.js";
import type { Caller } from "../kernel/caller.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import { hasSecondFactor, lockSecondFactors, replaceRecoveryCodes } from "../second-factor/recovery-codes.js";
import type { SecondFactorCheck } from "../second-factor/second-factor-check.js";
import { userHandleOf, type PasskeyRow } from "./passkey-assertions.js";
import type { WebAuthnChallenges } from "./webauthn-challenges.js";
import { DEFAULT_PASSKEY_NAME, PASSKEY_LIMIT, WEBAUTHN_TIMEOUT_MS, type WebAuthnSettings } from "./webauthn-config.js";
import { parseRegistrationResponse } from "./webauthn-response.js";

/** Re-checking who the caller is, and their account (Accounts, in user/). */
export interface PasskeyOwner {
  /** The password, or for accounts without one a recent sign-in (see Accounts.confirmIdentity). */
  confirmIdentity(caller: Caller, password: string, client: ClientInfo, retryHint: string): Promise<unknown>;
  me(caller: Caller): Promise<{ id: string; email: string; name: string | null }>;
}

const FAILED = () => new DomainError("passkey.registration_failed");
const NOT_FOUND = () => new DomainError("passkey.not_found");
const LIMIT = () => new DomainError("passkey.limit_reached");

/**
 * The caller's passkeys: registration (bound to the session that began it), listing, renaming
 * and deletion. A passkey is a second factor: the first one of an account brings recovery
 * codes, and deleting the last factor takes them away.
 */
export class Passkeys {
  constructor(
    private readonly db: PrismaClient,
    private readonly settings: WebAuthnSettings,
    private readonly challenges: WebAuthnChallenges,
    private readonly accounts: PasskeyOwner,
    private readonly check: Pick<SecondFactorCheck, "requireForChange">,
    private readonly notices: Pick<SecurityNotices, "passkeyAdded" | "passkeyRemoved" | "nudge">,
    private readonly now: () => number = Date.now,
  ) {}

  /** PublicKeyCredentialCreationOptionsJSON (as a string) after the caller proved who they are; replaces this session's pending registration. */
  async beginRegistration(caller: Caller, password: string, client: ClientInfo): Promise<string> {
    await this.accounts.confirmIdentity(caller, password, client, "sign in again, then add the passkey within 5 minutes");
    const user = await this.accounts.me(caller);
    const existing = await this.list(caller);
    if (existing.length >= PASSKEY_LIMIT) throw LIMIT();
    await this.challenges.voidPending("registration", caller.sessionId);
    const { challenge } = await this.challenges.issue("registration", { userId: user.id, sessionId: caller.sessionId });
    const options = await generateRegistrationOptions({
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: user.email,
      userDisplayName: user.name || user.email,
      userID: userHandleOf(user.id),
      challenge,
      timeout: WEBAUTHN_TIMEOUT_MS,
      attestationType: "none",
      excludeCredentials: existing.map((p) => ({ id: Buffer.from(p.credentialId).toString("base64url"), transports: p.transports as AuthenticatorTransportFuture[] })),
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
    });
    return JSON.stringify(options);
  }

  /**
   * Verifies the answer to this session's pending registration and stores the passkey; returns
   * it with 10 new recovery codes when it is the account's first second factor (else none).
   */
  async finishRegistration(caller: Caller, json: string, name: string, client: ClientInfo): Promise<{ passkey: PasskeyRow; recoveryCodes: string[] }> {
    const parsed = parseRegistrationResponse(json, "response_json");
    const challenge = await this.challenges.findLive(parsed.challenge, "registration", { userId: caller.userId, sessionId: caller.sessionId });
    if (!challenge) throw FAILED();
    let info;
    try {
      const verified = await verifyRegistrationResponse({
        response: parsed.response,
        expectedChallenge: parsed.challenge!,
        expectedOrigin: this.settings.origins,
        expectedRPID: this.settings.rpId,
        requireUserVerification: false,
      });
      if (!verified.verified) throw FAILED();
      info = verified.registrationInfo;
    } catch (err) {
      if (err instanceof DomainError) throw err;
      // The library throws for every malformed or non-verifying answer: the client's problem.
      throw new DomainError("passkey.registration_failed", undefined, { cause: err });
    }
    const credentialId = new Uint8Array(Buffer.from(info.credential.id, "base64url"));
    try {
      const created = await this.db.$transaction(async (tx) => {
        await lockSecondFactors(tx, caller.userId);
        if (!(await this.challenges.spend(tx, challenge.id))) throw FAILED();
        if ((await tx.passkey.count({ where: { userId: caller.userId } })) >= PASSKEY_LIMIT) throw LIMIT();
        if (await tx.passkey.findUnique({ where: { credentialId }, select: { id: true } })) throw new DomainError("passkey.already_registered");
        const first = !(await hasSecondFactor(tx, caller.userId));
        const passkey = await tx.passkey.create({
          data: {
            userId: caller.userId,
            credentialId,
            publicKey: new Uint8Array(info.credential.publicKey),
            counter: BigInt(info.credential.counter),
            transports: (info.credential.transports ?? []).filter((t) => typeof t === "string").slice(0, 8),
            deviceType: info.credentialDeviceType,
            backedUp: info.credentialBackedUp,
            name: name.trim() || DEFAULT_PASSKEY_NAME,
            createdAt: new Date(this.now()),
          },
        });
        await tx.auditEvent.create({ data: auditRow({ type: "PASSKEY_ADDED", userId: caller.userId, sessionId: caller.sessionId, client, data: { passkeyId: passkey.id } }) });
        await this.notices.passkeyAdded(tx, caller.userId, client);
        return { passkey, recoveryCodes: first ? await replaceRecoveryCodes(tx, caller.userId) : [] };
      });
      this.notices.nudge();
      return created;
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError("passkey.already_registered");
      throw err;
    }
  }

  /** The caller's passkeys, oldest first. */
  list(caller: Pick<Caller, "userId">): Promise<PasskeyRow[]> {
    return this.db.passkey.findMany({ where: { userId: caller.userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  /** Relabels one of the caller's passkeys. */
  async rename(caller: Caller, passkeyId: string, name: string): Promise<PasskeyRow> {
    const { count } = await this.db.passkey.updateMany({ where: { id: passkeyId, userId: caller.userId }, data: { name: name.trim() || DEFAULT_PASSKEY_NAME } });
    if (count !== 1) throw NOT_FOUND();
    const row = await this.db.passkey.findUnique({ where: { id: passkeyId } });
    if (!row) throw NOT_FOUND();
    return row;
  }

  /**
   * Deletes one of the caller's passkeys after the password (or a recent sign-in) and a current
   * second factor; the recovery codes go too when no factor is left.
   */
  async remove(caller: Caller, passkeyId: string, password: string, code: string, client: ClientInfo): Promise<void> {
    // Checked first, so a mistyped id does not spend a recovery code or step-up token.
    const owned = await this.db.passkey.findFirst({ where: { id: passkeyId, userId: caller.userId }, select: { id: true } });
    if (!owned) throw NOT_FOUND();
    await this.accounts.confirmIdentity(caller, password, client, "sign in again, then delete the passkey within 5 minutes");
    await this.check.requireForChange(caller, code, client);
    await this.db.$transaction(async (tx) => {
      await lockSecondFactors(tx, caller.userId);
      const { count } = await tx.passkey.deleteMany({ where: { id: passkeyId, userId: caller.userId } });
      if (count !== 1) throw NOT_FOUND();
      if (!(await hasSecondFactor(tx, caller.userId))) await tx.recoveryCode.deleteMany({ where: { userId: caller.userId } });
      await tx.auditEvent.create({ data: auditRow({ type: "PASSKEY_REMOVED", userId: caller.userId, sessionId: caller.sessionId, client, data: { passkeyId } }) });
      await this.notices.passkeyRemoved(tx, caller.userId, client);
    });
    this.notices.nudge();
  }
}
