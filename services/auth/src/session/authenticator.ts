import type { HandlerContext } from "@connectrpc/connect";
import type { SessionStore } from "./session-store.js";
import type { AccessTokens } from "../token/access-token.js";
import { unauthenticated } from "../server/errors.js";

/** Who is calling, from a verified access token whose session is still live. */
export interface Caller {
  userId: string;
  sessionId: string;
  role: "USER" | "ADMIN";
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Authenticates RPCs that act for a user. Unlike stateless verifiers (which trust a token
 * until exp), it also checks the token's session, so logout and revocation take effect at once.
 */
export class Authenticator {
  constructor(private readonly tokens: AccessTokens, private readonly sessions: SessionStore) {}

  /** The caller of `ctx`, or UNAUTHENTICATED. */
  async caller(ctx: HandlerContext): Promise<Caller> {
    const header = ctx.requestHeader.get("authorization");
    if (!header) throw unauthenticated("auth.missing_token", "missing access token: send Authorization: Bearer <access_token>");
    const match = BEARER.exec(header);
    const claims = match ? await this.tokens.verify(match[1]!) : null;
    if (!claims) throw unauthenticated("auth.invalid_token", "access token is invalid or expired");
    const live = await this.sessions.findLive(claims.sessionId);
    if (!live || live.userId !== claims.userId) throw unauthenticated("session.revoked", "session has ended; sign in again");
    return { userId: claims.userId, sessionId: claims.sessionId, role: live.role };
  }
}
