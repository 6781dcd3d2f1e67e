// Keeps the backend tokens in the session cookie fresh. The auth service rotates refresh tokens
// and ends a session whose spent refresh token is presented again (after a short grace), so
// concurrent requests carrying the same cookie must not each refresh: they share one exchange.
import "server-only";
import type { JWT } from "next-auth/jwt";
import { isUnauthenticated } from "./errors";
import { relayHeaders } from "./client-info";
import { tessera } from "./rpc";
import { backendTokens, type BackendTokens } from "./tokens";

/** Refresh when the access token has less than this left. */
export const REFRESH_MARGIN_MS = 60_000;
/**
 * How long a finished exchange is remembered. A response that started before the refresh may
 * still set the old cookie after it (next-auth's session endpoint re-sets the cookie it read),
 * and the browser then presents the spent refresh token again; answering it from here with the
 * tokens it was already exchanged for keeps the auth service from seeing a reuse and ending
 * the session. Shorter than the access token's 15 minutes, so the memory stays small.
 */
const REUSE_RESULT_MS = 10 * 60_000;

/** The session can no longer be refreshed (revoked, expired, reused): sign the user out. */
export class SessionEndedError extends Error {
  constructor(cause: unknown) {
    super("the Tessera session has ended", { cause });
    this.name = "SessionEndedError";
  }
}

interface Exchange {
  promise: Promise<BackendTokens>;
  settledAt?: number;
}

// One map per process, on globalThis: Next.js bundles the proxy and the route handlers
// separately, and each bundle would otherwise get its own copy of this module.
const registry = globalThis as typeof globalThis & { __tesseraRefreshExchanges?: Map<string, Exchange> };
const exchanges = (registry.__tesseraRefreshExchanges ??= new Map<string, Exchange>());

export function needsRefresh(token: JWT, now = Date.now()): boolean {
  return !!token.refreshToken && (token.accessExpires ?? 0) - now < REFRESH_MARGIN_MS;
}

function exchange(refreshToken: string, headers: Record<string, string>): Promise<BackendTokens> {
  // Entries are kept in insertion order, which is roughly settling order: drop the old front.
  const now = Date.now();
  for (const [key, e] of exchanges) {
    if (!e.settledAt || now - e.settledAt <= REUSE_RESULT_MS) break;
    exchanges.delete(key);
  }
  const existing = exchanges.get(refreshToken);
  if (existing) return existing.promise;
  const entry: Exchange = {
    promise: tessera()
      .auth.refresh({ refreshToken }, { headers })
      .then((r) => backendTokens(r.tokens))
      .finally(() => {
        entry.settledAt = Date.now();
      }),
  };
  exchanges.set(refreshToken, entry);
  // A failed exchange is not reused: the next request may try again (unless it was final).
  entry.promise.catch(() => exchanges.delete(refreshToken));
  return entry.promise;
}

/**
 * The token with fresh backend tokens when the access token is about to expire, unchanged
 * otherwise. Throws SessionEndedError when the auth service refuses the refresh token; keeps the
 * token as it is when the service is unreachable (the next request tries again).
 */
export async function refreshIfNeeded(token: JWT, requestHeaders: Headers | Record<string, string> = {}): Promise<JWT> {
  if (!needsRefresh(token)) return token;
  try {
    const t = await exchange(token.refreshToken!, relayHeaders(requestHeaders));
    return { ...token, ...t };
  } catch (err) {
    if (isUnauthenticated(err)) throw new SessionEndedError(err);
    console.error("tessera web: refreshing the session failed; keeping the current tokens", err);
    return token;
  }
}
