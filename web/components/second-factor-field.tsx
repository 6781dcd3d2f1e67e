"use client";
// The step-up input of a sensitive form (password change, email change, account deletion,
// turning a factor off, deleting a passkey): a code from the authenticator app or a recovery
// code, sent as "secondFactorCode". Shown only when the account has a second factor; the auth
// service's auth.second_factor_required / auth.invalid_second_factor land under it
// (error-keys.ts). When the account has passkeys, "Use a passkey" (PasskeyStepUp) proves one
// instead: its single-use step-up token replaces the typed code, and the form is sent.
// `children` is where another way to produce the code goes.
import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { SECOND_FACTOR_INPUT } from "../lib/second-factor";
import { Field } from "./form-parts";
import { PasskeyStepUp } from "./passkey-step-up";

export function SecondFactorField({ passkeys = false, children }: { passkeys?: boolean; children?: ReactNode }) {
  const t = useTranslations("secondFactorField");
  // A passkey answered: the token travels in PasskeyStepUp's hidden input instead.
  const [proven, setProven] = useState(false);
  return (
    <div className="second-factor-field">
      {proven ? null : (
        <Field
          name={SECOND_FACTOR_INPUT}
          label={t("label")}
          hint={passkeys ? t("hintPasskey") : t("hint")}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
        />
      )}
      {passkeys ? <PasskeyStepUp name={SECOND_FACTOR_INPUT} onProven={setProven} /> : null}
      {children}
    </div>
  );
}
