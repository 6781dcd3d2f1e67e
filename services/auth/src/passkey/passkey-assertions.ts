import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticatorTransportFuture } from "@simplewebauthn/server";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { DomainError } from "../kernel/errors.js";
import type { ChallengeBinding, ChallengePurpose, WebAuthnChallenges } from "./webauthn-challenges.js";
import { WEBAUTHN_TIMEOUT_MS, type WebAuthnSettings } from "./webauthn-config.js";
import { parseAuthenticationResponse } from "./webauthn-response.js";

/** A stored passkey, as the domain hands it around. */
export type PasskeyRow = Prisma.PasskeyGetPayload<object>;

/** The outcome of checking an assertion: the passkey and what `then` returned, or a refusal naming the credential's owner when the credential is known. */
export type AssertionOutcome<T> = { ok: true; passkey: PasskeyRow; result: T } | { ok: false; ownerId: string | null };

/** The user handle Tessera gives a credential at registration: the bytes of the user's id. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, "utf8"));
}

/** Sentinel that rolls back the spending transaction when a concurrent use won. */
const LOST_RACE = () => new DomainError("auth.invalid_passkey");

/**
 * Request options and assertion checks shared by passwordless sign-in, the second step of a
 * sign-in and step-up. An assertion passes when its challenge is live, of the right purpose
 * and bound as expected; its credential is registered (to the expected user, if any); the
 * signature, origin, RP ID, user presence (and verification when required) verify; and the
 * signature counter rose (unless both are 0). Then, in one transaction, the challenge is spent
 * and the new counter stored, both conditionally, so a replay or a concurrent use fails.
 */
export class PasskeyAssertions {
  constructor(
    private readonly db: PrismaClient,
    private readonly settings: WebAuthnSettings,
    private readonly challenges: WebAuthnChallenges,
    private readonly now: () => number = Date.now,
  ) {}

  /** PublicKeyCredentialRequestOptionsJSON (as a string) for a fresh challenge; `allow` empty means discoverable credentials. */
  async options(
    purpose: ChallengePurpose,
    binding: ChallengeBinding,
    allow: Pick<PasskeyRow, "credentialId" | "transports">[],
    userVerification: "required" | "preferred",
    expiresAt?: Date,
  ): Promise<string> {
    const { challenge } = await this.challenges.issue(purpose, binding, expiresAt);
    const options = await generateAuthenticationOptions({
      rpID: this.settings.rpId,
      challenge,
      timeout: WEBAUTHN_TIMEOUT_MS,
      userVerification,
      allowCredentials: allow.map((p) => ({ id: Buffer.from(p.credentialId).toString("base64url"), transports: p.transports as AuthenticatorTransportFuture[] })),
    });
    return JSON.stringify(options);
  }

  /**
   * Checks the AuthenticationResponseJSON `json` (INVALID_ARGUMENT naming `field` when it is
   * not one) against a challenge of `purpose` bound to `binding`; with `binding.userId`, the
   * credential must be that user's. On success `then` runs in the spending transaction.
   */
  async verify<T>(
    json: string,
    field: string,
    purpose: ChallengePurpose,
    binding: ChallengeBinding,
    opts: { requireUserVerification: boolean },
    then: (tx: Prisma.TransactionClient, passkey: PasskeyRow) => Promise<T>,
  ): Promise<AssertionOutcome<T>> {
    const parsed = parseAuthenticationResponse(json, field);
    const credentialId = new Uint8Array(Buffer.from(parsed.credentialId, "base64url"));
    const passkey = credentialId.length > 0 && credentialId.length <= 1023 ? await this.db.passkey.findUnique({ where: { credentialId } }) : null;
    const refused = { ok: false as const, ownerId: passkey?.userId ?? null };
    if (!passkey) return refused;
    if (binding.userId !== undefined && passkey.userId !== binding.userId) return { ok: false, ownerId: binding.userId };
    const challenge = await this.challenges.findLive(parsed.challenge, purpose, binding);
    if (!challenge || (challenge.userId !== null && challenge.userId !== passkey.userId)) return refused;
    // A discoverable credential names its account; it must be the one the passkey belongs to.
    const handle = parsed.response.response.userHandle;
    if (handle && handle !== Buffer.from(userHandleOf(passkey.userId)).toString("base64url")) return refused;

    let newCounter: number;
    try {
      const verified = await verifyAuthenticationResponse({
        response: parsed.response,
        expectedChallenge: parsed.challenge!,
        expectedOrigin: this.settings.origins,
        expectedRPID: this.settings.rpId,
        requireUserVerification: opts.requireUserVerification,
        credential: {
          id: parsed.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: Number(passkey.counter),
          transports: passkey.transports as AuthenticatorTransportFuture[],
        },
      });
      if (!verified.verified) return refused;
      newCounter = verified.authenticationInfo.newCounter;
    } catch {
      // The library throws for every malformed or non-verifying answer; none of it is ours to report.
      return refused;
    }

    try {
      const done = await this.db.$transaction(async (tx) => {
        if (!(await this.challenges.spend(tx, challenge.id))) throw LOST_RACE();
        const used = { counter: BigInt(newCounter), lastUsedAt: new Date(this.now()) };
        const stored = await tx.passkey.updateMany({ where: { id: passkey.id, counter: passkey.counter }, data: used });
        if (stored.count !== 1) throw LOST_RACE();
        const fresh = { ...passkey, ...used };
        return { passkey: fresh, result: await then(tx, fresh) };
      });
      return { ok: true, ...done };
    } catch (err) {
      if (err instanceof DomainError && err.reason === "auth.invalid_passkey") return refused;
      throw err;
    }
  }
}
