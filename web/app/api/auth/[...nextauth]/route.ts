import NextAuth from "next-auth";
import { authOptions } from "../../../../lib/server/auth-options";
import { webConfig } from "../../../../lib/server/config";
import { returnPath } from "../../../../lib/server/return-path";
import { challengeCookieAttributes, challengeCookieName } from "../../../../lib/server/second-factor/challenge-cookie";
import { withAuthRouteState } from "../../../../lib/server/second-factor/auth-route-state";
import { sessionCookie } from "../../../../lib/server/session-cookie";
import { SECOND_FACTOR_PATH } from "../../../../lib/second-factor";

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const nextAuth: Handler = (req, ctx) => (NextAuth as unknown as (...a: unknown[]) => Promise<Response>)(req, ctx, authOptions());

/**
 * next-auth's handler, plus the second step of sign-in (see auth-route-state.ts): a challenge
 * the callbacks received goes into its sealed cookie, and an OAuth sign-in that needs a second
 * step is sent to it (with no session cookie) instead of to its callbackUrl.
 */
const handler: Handler = async (req, ctx) => {
  const { response, state } = await withAuthRouteState(() => nextAuth(req, ctx));
  if (!state.challenge && !state.clearChallenge) return response;
  const headers = new Headers(response.headers);
  const name = challengeCookieName();
  if (state.challenge) headers.append("set-cookie", `${name}=${state.challenge.value}; ${challengeCookieAttributes(state.challenge.maxAge)}`);
  else headers.append("set-cookie", `${name}=; ${challengeCookieAttributes(0)}`);
  const location = headers.get("location");
  if (state.challenge && location) {
    // An OAuth callback (a redirect, not the JSON a Credentials sign-in gets): no session yet.
    const session = sessionCookie().name;
    const kept = headers.getSetCookie().filter((c) => !c.startsWith(`${session}=`) && !c.startsWith(`${session}.`));
    headers.delete("set-cookie");
    for (const c of kept) headers.append("set-cookie", c);
    const origin = webConfig().appOrigin ?? new URL(req.url).origin;
    const back = returnPath(location, origin) ?? "/account";
    headers.set("location", `${origin}${SECOND_FACTOR_PATH}?callbackUrl=${encodeURIComponent(back)}`);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

export { handler as GET, handler as POST };
