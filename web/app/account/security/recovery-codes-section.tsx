"use client";
// How many recovery codes are left, and a new set on request (shown once, like the first).
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmAction } from "../../../components/confirm-action";
import { Field } from "../../../components/form-parts";
import { RecoveryCodes } from "../../../components/recovery-codes";
import { SecondFactorField } from "../../../components/second-factor-field";
import { regenerateRecoveryCodes } from "./security-actions";

export function RecoveryCodesSection(props: { hasSecondFactor: boolean; remaining: number; hasPassword: boolean; product: string; passkeys: boolean }) {
  const t = useTranslations("security");
  const [codes, setCodes] = useState<string[]>();
  return (
    <section aria-labelledby="recovery-heading" className="card" id="recovery-codes">
      <h2 id="recovery-heading">{t("recoveryHeading")}</h2>
      {props.hasSecondFactor ? (
        <>
          <p data-recovery-remaining={props.remaining}>{t("recoveryLeft", { count: props.remaining })}</p>
          <p className="muted">{t("recoveryWhat")}</p>
          <ConfirmAction
            action={async (state, form) => {
              const res = await regenerateRecoveryCodes(state, form);
              if (res?.codes?.length) setCodes(res.codes);
              return res;
            }}
            trigger={t("regenerate")}
            title={t("regenerateTitle")}
            confirm={t("regenerateConfirm")}
            pendingLabel={t("regenerating")}
            cancel={t("cancel")}
          >
            <p>{t("regenerateBody")}</p>
            {props.hasPassword ? (
              <Field name="password" label={t("password")} type="password" autoComplete="current-password" required />
            ) : (
              <p className="muted">{t("noPasswordHint")}</p>
            )}
            <SecondFactorField passkeys={props.passkeys} />
          </ConfirmAction>
          {/* After the dialog, so taking the focus here wins over the dialog handing it back. */}
          {codes ? <RecoveryCodes codes={codes} product={props.product} /> : null}
        </>
      ) : (
        <p className="muted">{t("recoveryNone")}</p>
      )}
    </section>
  );
}
