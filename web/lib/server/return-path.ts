import "server-only";

/**
 * A path on this site to return to after sign-in. Absolute URLs (next-auth sends its own
 * origin) keep only their path, so a crafted link can never send the user to another host.
 */
export function safeReturnPath(value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  let path = value;
  if (!value.startsWith("/")) {
    try {
      const u = new URL(value);
      path = u.pathname + u.search;
    } catch {
      return fallback;
    }
  }
  if (path.startsWith("//") || path.startsWith("/\\") || path.startsWith("/signin")) return fallback;
  return path;
}
