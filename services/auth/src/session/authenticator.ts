import type { Caller } from "../kernel/caller.js";
import { DomainError } from "../kernel/errors.js";
import type { AccessTokens } from "../token/access-token.js";
import type { SessionStore } from "./session-store.js";

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Authenticates calls that act for a user. Unlike stateless verifiers (which trust a token
 * until exp), it also checks the token's session, so logout and revocation take effect at once.
 */
export class Authenticator {
  constructor(private readonly tokens: AccessTokens, private readonly sessions: SessionStore) {}

  /** The caller presenting `authorization` (an `Authorization` header value), or UNAUTHENTICATED. */
  async caller(authorization: string | null): Promise<Caller> {
    if (!authorization) throw new DomainError("auth.missing_token");
    const match = BEARER.exec(authorization);
    const claims = match ? await this.tokens.verify(match[1]!) : null;
    if (!claims) throw new DomainError("auth.invalid_token");
    const live = await this.sessions.findLive(claims.sessionId);
    if (!live || live.userId !== claims.userId) throw new DomainError("session.revoked");
    return { userId: claims.userId, sessionId: claims.sessionId, role: live.role };
  }
}
