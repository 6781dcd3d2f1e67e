import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { hashOpaqueToken } from "../session/refresh-token.js";
import { WEBAUTHN_TTL_MS } from "./webauthn-config.js";

/** What a challenge was issued for (WebAuthnChallenge.purpose). */
export type ChallengePurpose = "registration" | "sign_in" | "second_factor" | "step_up";

/** Whom a challenge is bound to; an answer must come from the same binding. */
export interface ChallengeBinding {
  userId?: string | null;
  sessionId?: string | null;
  signInChallengeId?: string | null;
}

/** A live challenge row, as found from an answer. */
export interface LiveChallenge {
  id: string;
  userId: string | null;
}

/**
 * WebAuthn challenges: 32 random bytes, handed out base64url-encoded in the options, stored
 * only as the SHA-256 of that string. An answer's clientDataJSON names its challenge, which
 * finds the row; spend() marks it used conditionally (unused and unexpired), so of two uses
 * only one can pass.
 */
export class WebAuthnChallenges {
  constructor(
    private readonly db: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new challenge for `purpose`, expiring at `expiresAt` (default WEBAUTHN_TTL_MS from now). */
  async issue(purpose: ChallengePurpose, binding: ChallengeBinding, expiresAt = new Date(this.now() + WEBAUTHN_TTL_MS)): Promise<{ challenge: Uint8Array<ArrayBuffer>; expiresAt: Date }> {
    const challenge = new Uint8Array(randomBytes(32));
    await this.db.webAuthnChallenge.create({
      data: {
        challengeHash: hashOpaqueToken(Buffer.from(challenge).toString("base64url")),
        purpose,
        userId: binding.userId ?? null,
        sessionId: binding.sessionId ?? null,
        signInChallengeId: binding.signInChallengeId ?? null,
        expiresAt,
      },
    });
    return { challenge, expiresAt };
  }

  /** Voids the unused challenges of `purpose` issued to a session (a new registration replaces the older one). */
  async voidPending(purpose: ChallengePurpose, sessionId: string): Promise<void> {
    await this.db.webAuthnChallenge.deleteMany({ where: { purpose, sessionId, usedAt: null } });
  }

  /**
   * The live (unused, unexpired) challenge of `purpose` named by an answer, when every field of
   * `binding` that is set matches the row; null otherwise.
   */
  async findLive(challenge: string | null, purpose: ChallengePurpose, binding: ChallengeBinding): Promise<LiveChallenge | null> {
    if (!challenge) return null;
    const row = await this.db.webAuthnChallenge.findFirst({
      where: { challengeHash: hashOpaqueToken(challenge), purpose, usedAt: null, expiresAt: { gt: new Date(this.now()) } },
      select: { id: true, userId: true, sessionId: true, signInChallengeId: true },
    });
    if (!row) return null;
    if (binding.userId !== undefined && row.userId !== binding.userId) return null;
    if (binding.sessionId !== undefined && row.sessionId !== binding.sessionId) return null;
    if (binding.signInChallengeId !== undefined && row.signInChallengeId !== binding.signInChallengeId) return null;
    return { id: row.id, userId: row.userId };
  }

  /** Marks a challenge used inside `tx`; false when it was already used or has expired (a replay). */
  async spend(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
    const { count } = await tx.webAuthnChallenge.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: new Date(this.now()) } },
      data: { usedAt: new Date(this.now()) },
    });
    return count === 1;
  }
}
