"use client";
// "Use a passkey" on the second step of sign-in. The options come from the challenge (the
// server page opened its sealed cookie): their allowCredentials are the account's passkeys, and
// their WebAuthn challenge was issued with this sign-in challenge. The assertion goes to
// CompleteSignIn through the form's `complete`, which shows the outcome or signs in.
import { startAuthentication } from "@simplewebauthn/browser";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { SecondStepProof } from "../app/signin/second-factor/complete";
import { ceremonyFailure, useWebAuthnSupport } from "../lib/client/webauthn";

export interface PasskeySecondStepProps {
  /** SecondFactorChallenge.passkey_options_json (PublicKeyCredentialRequestOptionsJSON). */
  optionsJson: string;
  /** Sends the assertion (AuthenticationResponseJSON) to CompleteSignIn; the form shows the outcome. */
  complete: (proof: Extract<SecondStepProof, { method: "passkey" }>) => Promise<void>;
}

export function PasskeySecondStep({ optionsJson, complete }: PasskeySecondStepProps) {
  const t = useTranslations("passkeys");
  const supported = useWebAuthnSupport();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  if (supported === undefined || !optionsJson) return null;
  if (!supported) return <p className="muted">{t("unsupported")}</p>;

  async function prove() {
    if (pending) return;
    setPending(true);
    setError(undefined);
    try {
      let response;
      try {
        response = await startAuthentication({ optionsJSON: JSON.parse(optionsJson) });
      } catch (err) {
        return setError(t(ceremonyFailure(err) === "cancelled" ? "cancelled" : "ceremonyFailed"));
      }
      await complete({ method: "passkey", passkeyResponse: JSON.stringify(response) });
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="passkey-second-step">
      <p>{t("secondFactor.intro")}</p>
      <button type="button" className="button secondary" onClick={() => void prove()} aria-disabled={pending || undefined}>
        {pending ? t("secondFactor.waiting") : t("secondFactor.use")}
      </button>
      {error ? (
        <p role="alert" className="field-error" tabIndex={-1}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
