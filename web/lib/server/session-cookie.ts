// The next-auth session cookie, as next-auth v4 names and sizes it; shared by the auth options
// and the proxy (which rewrites the cookie after a refresh).

/** Session cookie lifetime; the Tessera session's own expiry ends it sooner when refresh fails. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** next-auth uses __Secure- cookies exactly when NEXTAUTH_URL is https. */
export function sessionCookie(): { name: string; secure: boolean } {
  const secure = (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
  return { name: `${secure ? "__Secure-" : ""}next-auth.session-token`, secure };
}
