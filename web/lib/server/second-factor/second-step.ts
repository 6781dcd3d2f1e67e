// The second step of sign-in on the next-auth side. The first step (Credentials' Login, or
// AdapterService.IssueTokens after OAuth) hands its challenge to holdChallenge, which seals it
// for the route handler to store in an httpOnly cookie; the second-step page then signs in
// through the "second-factor" Credentials provider below, which opens that cookie on the
// server and calls AuthService.CompleteSignIn. The browser holds the challenge only sealed.
import "server-only";
import { cookies } from "next/headers";
import { getTranslations } from "next-intl/server";
import CredentialsProvider from "next-auth/providers/credentials";
import type { SecondFactorChallenge } from "../../../../gen/tessera/auth/v1/second_factor_challenge_pb.js";
import type { Tokens } from "../../../../gen/tessera/auth/v1/tokens_pb.js";
import type { User } from "../../../../gen/tessera/user/v1/user_pb.js";
import { encodeCredentialsError } from "../../credentials-error";
import { SECOND_FACTOR_EXPIRED, SECOND_FACTOR_PROVIDER } from "../../second-factor";
import { relayHeaders } from "../client-info";
import { errorDetail, userError } from "../errors";
import { tessera } from "../rpc";
import { backendTokens } from "../tokens";
import { authRouteState } from "./auth-route-state";
import { challengeCookieName, openChallenge, sealChallenge, type PendingSignIn } from "./challenge-cookie";

/** Keeps a challenge from the first step for the route handler to store, sealed. */
export async function holdChallenge(c: SecondFactorChallenge): Promise<void> {
  authRouteState().challenge = await sealChallenge(c);
}

/** The pending sign-in of this request's browser, if its cookie is there and still good. */
export async function pendingSignIn(): Promise<PendingSignIn | undefined> {
  return openChallenge((await cookies()).get(challengeCookieName())?.value);
}

/** next-auth's user for an account the auth service just signed in, with its tokens. */
export async function signedInUser(u: User | undefined, t: Tokens | undefined) {
  try {
    return { id: u!.id, email: u!.email, name: u!.name || null, image: u!.image || null, tessera: backendTokens(t) };
  } catch (err) {
    throw new Error(encodeCredentialsError(await userError(err)));
  }
}

type Proof = { case: "totpCode" | "recoveryCode" | "passkeyResponseJson"; value: string } | undefined;

function proof(method: string | undefined, code: string, passkeyResponse: string): Proof {
  if (method === "recovery_code") return { case: "recoveryCode", value: code };
  if (method === "passkey") return { case: "passkeyResponseJson", value: passkeyResponse };
  return { case: "totpCode", value: code };
}

/** The challenge is over: the browser starts again at /signin, told why. */
function expired(): never {
  authRouteState().clearChallenge = true;
  throw new Error(SECOND_FACTOR_EXPIRED);
}

export function secondFactorProvider() {
  return CredentialsProvider({
    id: SECOND_FACTOR_PROVIDER,
    name: "Second factor",
    credentials: {
      // "totp", "recovery_code" or "passkey" (CompleteSignIn's proof kinds).
      method: { label: "Method", type: "text" },
      code: { label: "Code", type: "text" },
      // AuthenticationResponseJSON, for method "passkey".
      passkeyResponse: { label: "Passkey", type: "text" },
    },
    // A refusal the person can correct (a wrong code) names the input "code" and the page
    // stays; a challenge that is gone clears its cookie and sends the page back to /signin.
    async authorize(credentials, req) {
      const pending = await pendingSignIn();
      if (!pending) expired();
      try {
        const res = await tessera().auth.completeSignIn(
          { challengeToken: pending.token, proof: proof(credentials?.method, credentials?.code ?? "", credentials?.passkeyResponse ?? "") },
          { headers: relayHeaders(req.headers ?? {}) },
        );
        authRouteState().clearChallenge = true;
        return signedInUser(res.user, res.tokens);
      } catch (err) {
        if (err instanceof Error && err.message === SECOND_FACTOR_EXPIRED) throw err;
        if (errorDetail(err)?.reason === "auth.invalid_challenge") expired();
        // A passkey that does not verify is no wrong code: say so, under no input.
        if (credentials?.method === "passkey" && errorDetail(err)?.reason === "auth.invalid_second_factor") {
          throw new Error(encodeCredentialsError({ error: (await getTranslations("errors"))("invalidPasskey") }));
        }
        const e = await userError(err);
        // The step-up input's name elsewhere; here the one input is "code".
        throw new Error(encodeCredentialsError(e.field ? { ...e, field: "code" } : e));
      }
    },
  });
}
