// What next-auth's callbacks decide about the second step during one request to
// /api/auth/*, for the route handler to apply to the response next-auth builds: next-auth v4
// lets a callback neither set a cookie nor choose where the browser goes after an OAuth
// sign-in, so the callbacks record it here and app/api/auth/[...nextauth]/route.ts acts on it.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

export interface AuthRouteState {
  /** A sealed challenge to store: the first factor was right, a second step is due. */
  challenge?: { value: string; maxAge: number };
  /** The pending challenge is finished (used or gone): delete its cookie. */
  clearChallenge?: boolean;
}

const storage = new AsyncLocalStorage<AuthRouteState>();

/** Runs next-auth's handler with a fresh state; returns what it answered and the state. */
export async function withAuthRouteState(run: () => Promise<Response>): Promise<{ response: Response; state: AuthRouteState }> {
  const state: AuthRouteState = {};
  const response = await storage.run(state, run);
  return { response, state };
}

/** The state of the current /api/auth request. Throws outside one: a callback must not lose a challenge silently. */
export function authRouteState(): AuthRouteState {
  const s = storage.getStore();
  if (!s) throw new Error("next-auth callback ran outside the /api/auth route handler");
  return s;
}
