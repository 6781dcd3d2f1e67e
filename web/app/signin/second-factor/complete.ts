"use client";
// Finishing the second step from the browser: next-auth's "second-factor" Credentials
// provider reads the sealed challenge cookie on the server and calls CompleteSignIn with the
// proof given here. Any way of proving (a code typed in, a passkey) goes through this.
import { signIn } from "next-auth/react";
import { decodeCredentialsError } from "../../../lib/credentials-error";
import { SECOND_FACTOR_EXPIRED, SECOND_FACTOR_PROVIDER, type SecondFactorMethod } from "../../../lib/second-factor";

export type SecondStepProof = { method: "totp" | "recovery_code"; code: string } | { method: Extract<SecondFactorMethod, "passkey">; passkeyResponse: string };

/** "ok" (signed in), "expired" (start again at /signin), or the refusal to show. */
export type SecondStepOutcome = { kind: "ok" } | { kind: "expired" } | { kind: "refused"; error?: string; field?: string };

export async function completeSecondStep(proof: SecondStepProof, callbackUrl: string): Promise<SecondStepOutcome> {
  const res = await signIn(SECOND_FACTOR_PROVIDER, { redirect: false, callbackUrl, ...proof });
  if (res && !res.error) return { kind: "ok" };
  if (res?.error === SECOND_FACTOR_EXPIRED) return { kind: "expired" };
  // "CredentialsSignin" carries no message of ours: the caller says it generically.
  return res?.error && res.error !== "CredentialsSignin" ? { kind: "refused", ...decodeCredentialsError(res.error) } : { kind: "refused" };
}
