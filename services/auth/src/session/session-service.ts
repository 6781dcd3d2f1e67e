import type { AuditEventInput } from "../audit/audit-event.js";
import type { UserRecord } from "../identity/user.js";
import { DomainError } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import type { SecurityNotices } from "../notify/security-notices.js";
import type { AccessTokens } from "../token/access-token.js";
import { hashOpaqueToken, newOpaqueToken, refreshSuccessorKey, successorOf, type SuccessorKey } from "./refresh-token.js";
import type { SessionOwner, SessionStore } from "./session-store.js";

/** Tokens handed to a client after sign-in or refresh. */
export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface SessionServiceOptions {
  sessionTtlSeconds: number;
  refreshGraceSeconds: number;
  /** The deployment's key-encryption key; refresh-token successors are derived from it. */
  keyEncryptionKey: Buffer;
  /** Mails the user about a sign-in from a new device, in the transaction that starts the session. */
  notices: Pick<SecurityNotices, "signedIn" | "nudge">;
}

/** Starts sessions, rotates their refresh tokens and ends them. */
export class SessionService {
  private readonly successorKey: SuccessorKey;

  constructor(
    private readonly store: SessionStore,
    private readonly accessTokens: AccessTokens,
    private readonly opts: SessionServiceOptions,
  ) {
    this.successorKey = refreshSuccessorKey(opts.keyEncryptionKey);
  }

  /**
   * Opens a session for an existing user (a sign-in: the user is told of a new device, see
   * SecurityNotices.signedIn), or for a new one created in the same transaction (Register: no
   * notice, the account's first session is its first device).
   */
  async start(
    user: SessionOwner,
    client: ClientInfo,
    events: Omit<AuditEventInput, "sessionId" | "userId" | "client">[],
    hooks: Pick<Parameters<SessionStore["create"]>[0], "afterCreate"> = {},
  ): Promise<{ user: UserRecord; tokens: IssuedTokens }> {
    const refreshToken = newOpaqueToken();
    const expires = new Date(Date.now() + this.opts.sessionTtlSeconds * 1000);
    const signIn = "id" in user;
    const created = await this.store.create({
      user,
      expires,
      client,
      tokenHash: hashOpaqueToken(refreshToken),
      events: events.map((e) => ({ ...e, client })),
      afterCreate: async (tx, owner, sessionId) => {
        await hooks.afterCreate?.(tx, owner, sessionId);
        if (signIn) await this.opts.notices.signedIn(tx, owner, { id: sessionId, client });
      },
    });
    if (signIn) this.opts.notices.nudge();
    const access = await this.accessTokens.sign(created.user.id, created.sessionId);
    return {
      user: created.user,
      tokens: {
        sessionId: created.sessionId,
        accessToken: access.token,
        accessTokenExpiresAt: access.expiresAt,
        refreshToken,
        refreshTokenExpiresAt: expires,
      },
    };
  }

  /**
   * Exchanges a refresh token for new tokens; see AuthService.Refresh for the rules. The new
   * refresh token is derived from the old one (successorOf), so every exchange of one token
   * inside the grace window gets the same successor (SessionStore.rotate).
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const next = successorOf(this.successorKey, refreshToken);
    const outcome = await this.store.rotate({
      tokenHash: hashOpaqueToken(refreshToken),
      nextHash: hashOpaqueToken(next),
      graceMs: this.opts.refreshGraceSeconds * 1000,
      client,
    });
    switch (outcome.kind) {
      case "unknown":
        throw new DomainError("auth.invalid_refresh_token");
      case "revoked":
        throw new DomainError("session.revoked");
      case "expired":
        throw new DomainError("session.expired");
      case "reused":
        throw new DomainError("auth.refresh_token_reused");
      case "rotated": {
        const access = await this.accessTokens.sign(outcome.userId, outcome.sessionId);
        return {
          sessionId: outcome.sessionId,
          accessToken: access.token,
          accessTokenExpiresAt: access.expiresAt,
          refreshToken: next,
          refreshTokenExpiresAt: outcome.expires,
        };
      }
    }
  }

  /** Ends the session of a refresh token; unknown or already ended sessions are fine. */
  async logout(refreshToken: string, client: ClientInfo): Promise<void> {
    await this.store.revokeByToken(hashOpaqueToken(refreshToken), client);
  }
}
