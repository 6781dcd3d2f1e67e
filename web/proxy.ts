// Refreshes the backend tokens before a page or server action runs, and stores them in the
// session cookie. Server components can read cookies but not set them, so without this a
// refresh done while rendering would be lost and the spent refresh token presented again.
import { encode, getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { webConfig } from "./lib/server/config";
import { needsRefresh, refreshIfNeeded, SessionEndedError } from "./lib/server/refresh";
import { SESSION_MAX_AGE_SECONDS, sessionCookie } from "./lib/server/session-cookie";

export async function proxy(req: NextRequest) {
  const secret = webConfig().nextAuthSecret;
  const { name: cookieName, secure } = sessionCookie();
  const token = await getToken({ req, secret, secureCookie: secure });
  if (!token || !needsRefresh(token)) return NextResponse.next();

  let value = "";
  try {
    const fresh = await refreshIfNeeded(token, req.headers);
    if (fresh === token) return NextResponse.next();
    value = await encode({ token: fresh, secret, maxAge: SESSION_MAX_AGE_SECONDS });
    req.cookies.set(cookieName, value);
  } catch (err) {
    if (!(err instanceof SessionEndedError)) throw err;
    req.cookies.delete(cookieName); // signed out from here on
  }
  const res = NextResponse.next({ request: { headers: req.headers } });
  if (value) {
    res.cookies.set(cookieName, value, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: SESSION_MAX_AGE_SECONDS });
  } else {
    res.cookies.delete(cookieName);
  }
  return res;
}

export const config = {
  // Pages and server actions; next-auth's own routes refresh through its jwt callback.
  matcher: ["/((?!api/auth|_next/static|_next/image|favicon.ico).*)"],
};
