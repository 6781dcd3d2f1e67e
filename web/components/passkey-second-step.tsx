"use client";
// "Use a passkey" on the second step of sign-in: a placeholder that renders nothing until the
// passkey UI replaces it. The second-step form renders it when the challenge accepts a passkey.
import type { SecondStepProof } from "../app/signin/second-factor/complete";

export interface PasskeySecondStepProps {
  /** SecondFactorChallenge.passkey_options_json (PublicKeyCredentialRequestOptionsJSON). */
  optionsJson: string;
  /** Sends the assertion (AuthenticationResponseJSON) to CompleteSignIn; the form shows the outcome. */
  complete: (proof: Extract<SecondStepProof, { method: "passkey" }>) => Promise<void>;
}

export function PasskeySecondStep(_: PasskeySecondStepProps) {
  return null;
}
