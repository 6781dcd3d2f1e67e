"use server";
// The options for a passwordless passkey sign-in (AuthService.BeginPasskeySignIn). The browser's
// answer goes to next-auth's "passkey" provider, which finishes the sign-in and sets the cookie.
import { headers } from "next/headers";
import { relayHeaders } from "../../lib/server/client-info";
import { userError } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";

export type SignInStart = { optionsJson: string; error?: undefined } | { optionsJson?: undefined; error: string };

export async function beginPasskeySignIn(): Promise<SignInStart> {
  try {
    // The browser's address goes along: the auth service throttles these per client IP.
    const res = await tessera().auth.beginPasskeySignIn({}, { headers: relayHeaders(await headers()) });
    return { optionsJson: res.optionsJson };
  } catch (err) {
    return { error: (await userError(err)).error };
  }
}
