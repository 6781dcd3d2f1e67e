import "server-only";

/** Base for resolving return paths when the app's own origin (NEXTAUTH_URL) is not configured. */
const PLACEHOLDER_ORIGIN = "http://tessera.invalid";

// C0 and C1 controls (browsers silently drop tab and newline: "/\t/evil.example" becomes
// "//evil.example") and backslashes (which browsers read as "/": "/\evil.example").
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * A path on this site to return to, or undefined when `value` is not one. The value is resolved
 * as a URL against the app's origin, as the browser will, and accepted only if it stays on that
 * origin; the parsed pathname + search is returned, never the raw text, so what is checked is
 * what is followed. Controls and backslashes are refused anywhere (also once percent-decoded, in
 * case a later step decodes), and so is a path that starts with "//" (protocol-relative).
 * Like Auth0's and Keycloak's redirect checks: an exact origin match, no string prefix tests.
 */
export function returnPath(value: string | null | undefined, appOrigin: string | undefined): string | undefined {
  if (!value || value.length > 2048) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (FORBIDDEN.test(value) || FORBIDDEN.test(decoded)) return undefined;
  let origin: string;
  let url: URL;
  try {
    origin = new URL(appOrigin ?? PLACEHOLDER_ORIGIN).origin;
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin) return undefined;
  const path = url.pathname + url.search;
  if (!path.startsWith("/") || path.startsWith("//") || decodeSafe(path).startsWith("//")) return undefined;
  return path;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Where the sign-in page sends a person afterwards: `value` if it is a path on this site
 * (returnPath) other than the sign-in page itself, else `fallback`.
 */
export function safeReturnPath(value: string | undefined, fallback: string, appOrigin: string | undefined): string {
  const path = returnPath(value, appOrigin);
  if (!path || path === "/signin" || path.startsWith("/signin?") || path.startsWith("/signin/")) return fallback;
  return path;
}
