// Signing in to the web app with plain HTTP requests, as a script (not a browser) would: the
// next-auth CSRF token, then the Credentials callback. Lets a test send any header it likes.

/** Cookies from Set-Cookie headers, as name → value. */
function cookiesOf(res: Response, into: Map<string, string>): Map<string, string> {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const i = pair!.indexOf("=");
    into.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  return into;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

export interface HttpSignIn {
  /** Where next-auth would send the browser (carries `error=` when sign-in failed). */
  url: string;
  /** The error message shown to the person, when sign-in failed. */
  error?: string;
  /** The session cookie jar on success. */
  cookies: Map<string, string>;
}

/** POSTs email and password to next-auth's Credentials callback with `headers` on every request. */
export async function httpSignIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
  callbackUrl = `${baseUrl}/account`,
): Promise<HttpSignIn> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  cookiesOf(csrfRes, jar);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl, json: "true" }),
  });
  cookiesOf(res, jar);
  const url = ((await res.json()) as { url: string }).url;
  const error = new URL(url, baseUrl).searchParams.get("error") ?? undefined;
  return { url, error, cookies: jar };
}

/** The next-auth session (access token, session id) for a cookie jar from httpSignIn. */
export async function httpSession(baseUrl: string, cookies: Map<string, string>): Promise<{ accessToken?: string; sessionId?: string }> {
  const res = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: cookieHeader(cookies) } });
  return (await res.json()) as { accessToken?: string; sessionId?: string };
}
