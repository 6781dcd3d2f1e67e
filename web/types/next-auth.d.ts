// What Tessera keeps in next-auth's encrypted session cookie and what it shows the browser.
import "next-auth";
import "next-auth/jwt";
import type { BackendTokens } from "../lib/server/tokens";

declare module "next-auth/jwt" {
  interface JWT {
    /** The backend access token (short-lived); also shown to the browser through the session. */
    accessToken?: string;
    /** Unix milliseconds when accessToken expires. */
    accessExpires?: number;
    /** The backend refresh token: stays inside the encrypted cookie, never in the session. */
    refreshToken?: string;
    /** The Tessera session id (the access token's sid). */
    sessionId?: string;
  }
}

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
    accessToken?: string;
    accessExpires?: number;
    sessionId?: string;
  }
  interface User {
    /** Set by the Credentials provider: the tokens Login/Register returned. */
    tessera?: BackendTokens;
    /** Set by OAuth profiles: the provider vouches for the email (email_verified). */
    providerEmailVerified?: boolean;
  }
}
