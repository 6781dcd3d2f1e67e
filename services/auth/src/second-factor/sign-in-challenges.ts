import type { PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import { DomainError } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { hashOpaqueToken, isOpaqueTokenShape, newOpaqueToken } from "../session/refresh-token.js";
import type { ProvenFactor, SecondFactorCheck } from "./second-factor-check.js";
import { looksLikeRecoveryCode } from "./recovery-codes.js";

/** How long the second step of a sign-in may wait. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Wrong proofs a challenge takes; the next attempt finds it spent. */
export const CHALLENGE_MAX_FAILURES = 5;

/** The first factor a challenge was issued after: Login's password, or an OAuth sign-in (AdapterService.IssueTokens). */
export type FirstFactor = "password" | "oauth";

/** A pending second step, as Login hands it to the client. */
export interface IssuedChallenge {
  token: string;
  expiresAt: Date;
  /** The proofs CompleteSignIn accepts: "totp", "passkey", "recovery_code". */
  methods: string[];
  /** PublicKeyCredentialRequestOptionsJSON for the "passkey" method; "" when the account has no passkey. */
  passkeyOptionsJson: string;
}

/** A proof for the second step. */
export type SecondFactorProof = { kind: "totp"; code: string } | { kind: "recovery_code"; code: string } | { kind: "passkey"; responseJson: string };

/**
 * The passkey method of the second step (implemented in passkey/, declared here so this folder
 * does not depend on it).
 */
export interface PasskeyProofs {
  /** Request options listing the user's passkeys, bound to the sign-in challenge; null when the user has none. */
  options(userId: string, signInChallengeId: string, expiresAt: Date): Promise<string | null>;
  /** True when `json` is an assertion by one of the user's passkeys answering those options (spent then); INVALID_ARGUMENT when it is not an AuthenticationResponseJSON. */
  verify(userId: string, signInChallengeId: string, json: string): Promise<boolean>;
}

/** For clients that predate second factors: they cannot finish such a sign-in. */
const SECOND_FACTOR_UPGRADE =
  "this account has a second factor, which this client does not support; upgrade the client (set second_factor_capable and call AuthService.CompleteSignIn)";

const INVALID = () => new DomainError("auth.invalid_challenge");

/**
 * The second step of a sign-in: an opaque random token (only its SHA-256 stored), single use,
 * expiring after CHALLENGE_TTL_MS, bound to the user and the first factor, spent by a success
 * or by CHALLENGE_MAX_FAILURES wrong proofs. A wrong proof is recorded as SIGN_IN_FAILED
 * (data {step: "second_factor"}), so admins see guessing at the second step too.
 */
export class SignInChallenges {
  constructor(
    private readonly db: PrismaClient,
    private readonly check: SecondFactorCheck,
    private readonly now: () => number = Date.now,
    private readonly passkeys?: PasskeyProofs,
  ) {}

  /** True when signing in as `userId` needs a second step. */
  required(userId: string): Promise<boolean> {
    return this.check.enrolled(userId);
  }

  /**
   * Once the first factor is proven: null when the account has no second factor (open the
   * session), a challenge for a `capable` client, and for any other FAILED_PRECONDITION
   * auth.second_factor_required (a client that predates second factors must be upgraded).
   */
  async gate(userId: string, firstFactor: FirstFactor, capable: boolean): Promise<IssuedChallenge | null> {
    if (!(await this.required(userId))) return null;
    if (!capable) throw new DomainError("auth.second_factor_required", SECOND_FACTOR_UPGRADE);
    return this.issue(userId, firstFactor);
  }

  async issue(userId: string, firstFactor: FirstFactor): Promise<IssuedChallenge> {
    const token = newOpaqueToken();
    const expiresAt = new Date(this.now() + CHALLENGE_TTL_MS);
    const row = await this.db.signInChallenge.create({ data: { tokenHash: hashOpaqueToken(token), userId, firstFactor, expiresAt }, select: { id: true } });
    const factors = await this.check.factors(userId);
    const passkeyOptionsJson = factors.passkeys > 0 && this.passkeys ? ((await this.passkeys.options(userId, row.id, expiresAt)) ?? "") : "";
    const methods = [...(factors.totp ? ["totp"] : []), ...(passkeyOptionsJson ? ["passkey"] : []), "recovery_code"];
    return { token, expiresAt, methods, passkeyOptionsJson };
  }

  /**
   * Proves the second factor of a challenge and spends it; returns the user and first factor
   * to open the session for. UNAUTHENTICATED auth.invalid_challenge for an unknown, used,
   * expired or exhausted challenge, auth.invalid_second_factor for a wrong proof (counted).
   */
  async complete(token: string, proof: SecondFactorProof, client: ClientInfo): Promise<{ userId: string; firstFactor: string; factor: string }> {
    if (!isOpaqueTokenShape(token)) throw INVALID();
    const tokenHash = hashOpaqueToken(token);
    const live = { tokenHash, usedAt: null, expiresAt: { gt: new Date(this.now()) }, failures: { lt: CHALLENGE_MAX_FAILURES } };
    const challenge = await this.db.signInChallenge.findFirst({ where: live });
    if (!challenge) throw INVALID();
    const factor = await this.prove(challenge, proof, client);
    if (!factor) {
      await this.db.$transaction([
        this.db.signInChallenge.updateMany({ where: { id: challenge.id, usedAt: null }, data: { failures: { increment: 1 } } }),
        this.db.auditEvent.create({ data: auditRow({ type: "SIGN_IN_FAILED", userId: challenge.userId, client, data: { step: "second_factor", proof: proof.kind } }) }),
      ]);
      throw new DomainError("auth.invalid_second_factor");
    }
    const { count } = await this.db.signInChallenge.updateMany({ where: { id: challenge.id, ...live }, data: { usedAt: new Date(this.now()) } });
    if (count !== 1) throw INVALID();
    return { userId: challenge.userId, firstFactor: challenge.firstFactor, factor };
  }

  /** Checks one proof (counted like a wrong code when it fails); the factor it proved, or null. */
  private async prove(challenge: { id: string; userId: string }, proof: SecondFactorProof, client: ClientInfo): Promise<ProvenFactor | null> {
    if (proof.kind === "passkey") {
      const passkeys = this.passkeys;
      if (!passkeys) return null;
      return this.check.counted(challenge.userId, client, async () => ((await passkeys.verify(challenge.userId, challenge.id, proof.responseJson)) ? "passkey" : null));
    }
    // A TOTP-shaped code sent as a recovery code (or the reverse) is simply wrong.
    if ((proof.kind === "recovery_code") !== looksLikeRecoveryCode(proof.code)) return null;
    return this.check.verify(challenge.userId, proof.code, client, "sign_in");
  }
}
