// Runs before every page and server action. It gives each response a nonce-based
// Content-Security-Policy, and refreshes the backend tokens before the page renders, storing
// them in the session cookie: server components can read cookies but not set them, so without
// this a refresh done while rendering would be lost and the spent refresh token presented again.
import { encode, getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { CURRENT_PATH_HEADER } from "./lib/current-path";
import { webConfig } from "./lib/server/config";
import { contentSecurityPolicy, newNonce } from "./lib/server/csp";
import { needsRefresh, refreshIfNeeded, SessionEndedError } from "./lib/server/refresh";
import { SESSION_MAX_AGE_SECONDS, sessionCookie } from "./lib/server/session-cookie";

export async function proxy(req: NextRequest) {
  const cfg = webConfig();
  const { name: cookieName, secure } = sessionCookie();
  /** The new session cookie: a value, "" to delete it, undefined to leave it alone. */
  let cookie: string | undefined;
  const token = await getToken({ req, secret: cfg.nextAuthSecret, secureCookie: secure });
  if (token && needsRefresh(token)) {
    try {
      const fresh = await refreshIfNeeded(token, req.headers);
      if (fresh !== token) {
        cookie = await encode({ token: fresh, secret: cfg.nextAuthSecret, maxAge: SESSION_MAX_AGE_SECONDS });
        req.cookies.set(cookieName, cookie); // the page renders with the new tokens
      }
    } catch (err) {
      if (!(err instanceof SessionEndedError)) throw err;
      cookie = "";
      req.cookies.delete(cookieName); // signed out from here on
    }
  }

  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, new URL(cfg.publicAuthUrl).origin, process.env.NODE_ENV === "development");
  const headers = new Headers(req.headers); // after the cookie changes above
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  headers.set(CURRENT_PATH_HEADER, req.nextUrl.pathname + req.nextUrl.search);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  if (cookie) {
    res.cookies.set(cookieName, cookie, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: SESSION_MAX_AGE_SECONDS });
  } else if (cookie === "") {
    res.cookies.delete(cookieName);
  }
  return res;
}

export const config = {
  // Pages and server actions; next-auth's own routes refresh through its jwt callback (their
  // headers come from next.config.ts).
  matcher: ["/((?!api/auth|_next/static|_next/image|favicon.ico).*)"],
};
