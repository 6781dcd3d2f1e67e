// Moving the account to a new address: the new address gets a link, and nothing changes until
// it is opened. Accounts without a password need a recent sign-in instead; accounts with a
// second factor a code as well.
import { getTranslations } from "next-intl/server";
import { EMAIL_MAX_LENGTH } from "../../../services/shared/contract-limits";
import { ActionForm } from "../../components/action-form";
import { Field } from "../../components/form-parts";
import { SecondFactorField } from "../../components/second-factor-field";
import { requestEmailChange } from "./account-actions";

export async function EmailChange({ email, hasPassword, stepUp, passkeys }: { email: string; hasPassword: boolean; stepUp: boolean; passkeys: boolean }) {
  const t = await getTranslations("email");
  return (
    <section aria-labelledby="email-heading" className="card">
      <h2 id="email-heading">{t("heading")}</h2>
      <p>{t("current", { email })}</p>
      <ActionForm action={requestEmailChange} submit={t("submit")} pendingLabel={t("sending")} label={t("heading")} keepOnError>
        <Field name="newEmail" label={t("newEmail")} type="email" autoComplete="email" required maxLength={EMAIL_MAX_LENGTH} />
        {hasPassword ? (
          <Field name="password" label={t("password")} type="password" autoComplete="current-password" required />
        ) : (
          <p className="muted">{t("noPasswordHint")}</p>
        )}
        {stepUp ? <SecondFactorField passkeys={passkeys} /> : null}
      </ActionForm>
    </section>
  );
}
