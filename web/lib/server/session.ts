// Server-side access to the signed-in user, for pages and server actions.
import "server-only";
import { getServerSession, type Session } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "./auth-options";
import { isUnauthenticated } from "./errors";

export async function currentSession(): Promise<Session | null> {
  const session = await getServerSession(authOptions());
  return session?.accessToken ? session : null;
}

/** The session, or a redirect to the sign-in page that brings the user back to `returnTo`. */
export async function requireSession(returnTo: string): Promise<Session & { accessToken: string }> {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session as Session & { accessToken: string };
}

/** Call options acting as the signed-in user. */
export function asUser(session: { accessToken: string }) {
  return { headers: { authorization: `Bearer ${session.accessToken}` } };
}

/**
 * Runs a call as the user; when the auth service says the session has ended (revoked from
 * another device, signed out everywhere), sends the browser to sign in again.
 */
export async function orSignIn<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (isUnauthenticated(err)) redirect("/signin?error=SessionEnded");
    throw err;
  }
}
