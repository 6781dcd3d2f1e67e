"use client";
// The step-up input of a sensitive form (password change, email change, account deletion,
// turning a factor off): a code from the authenticator app or a recovery code, sent as
// "secondFactorCode". Shown only when the account has a second factor; the auth service's
// auth.second_factor_required / auth.invalid_second_factor land under it (error-keys.ts).
// `children` is where another way to produce the code goes (a passkey step-up button that fills
// the input with its token).
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { SECOND_FACTOR_INPUT } from "../lib/second-factor";
import { Field } from "./form-parts";

export function SecondFactorField({ children }: { children?: ReactNode }) {
  const t = useTranslations("secondFactorField");
  return (
    <div className="second-factor-field">
      <Field
        name={SECOND_FACTOR_INPUT}
        label={t("label")}
        hint={t("hint")}
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={64}
        required
      />
      {children}
    </div>
  );
}
