import type { PasskeyProofs } from "../second-factor/sign-in-challenges.js";
import type { PrismaClient } from "../db/generated/client.js";
import type { PasskeyAssertions } from "./passkey-assertions.js";

/**
 * The passkey method of a sign-in's second step (SignInChallenges): options listing the
 * account's passkeys, whose challenge belongs to the sign-in challenge and expires with it,
 * and the check of an assertion answering them.
 */
export class SignInPasskeys implements PasskeyProofs {
  constructor(
    private readonly db: PrismaClient,
    private readonly assertions: PasskeyAssertions,
  ) {}

  async options(userId: string, signInChallengeId: string, expiresAt: Date): Promise<string | null> {
    const passkeys = await this.db.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true }, orderBy: { createdAt: "asc" } });
    if (passkeys.length === 0) return null;
    return this.assertions.options("second_factor", { userId, signInChallengeId }, passkeys, "preferred", expiresAt);
  }

  async verify(userId: string, signInChallengeId: string, json: string): Promise<boolean> {
    const outcome = await this.assertions.verify(
      json,
      "passkey_response_json",
      "second_factor",
      { userId, signInChallengeId },
      { requireUserVerification: false },
      async () => undefined,
    );
    return outcome.ok;
  }
}
