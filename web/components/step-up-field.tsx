"use client";
// The second factor a sensitive change asks for: a code (authenticator app or recovery code)
// typed in, or a passkey touched instead (PasskeyStepUp), whose token replaces the code.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Field } from "./form-parts";
import { PasskeyStepUp } from "./passkey-step-up";

export function StepUpField({ name = "secondFactorCode", passkeys }: { name?: string; passkeys: boolean }) {
  const t = useTranslations("passkeys");
  const [proven, setProven] = useState(false);
  return (
    <div className="step-up-field">
      {proven ? null : (
        <Field
          name={name}
          label={t("stepUp.code")}
          hint={passkeys ? t("stepUp.codeHint") : undefined}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
        />
      )}
      {passkeys ? <PasskeyStepUp name={name} onProven={setProven} /> : null}
    </div>
  );
}
