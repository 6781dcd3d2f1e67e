// Moving the account to a new address: the new address gets a link, and nothing changes until
// it is opened. Accounts without a password need a recent sign-in instead.
import { getTranslations } from "next-intl/server";
import { ActionForm } from "../../components/action-form";
import { requestEmailChange } from "./account-actions";

export async function EmailChange({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  const t = await getTranslations("email");
  return (
    <section aria-labelledby="email-heading" className="card">
      <h2 id="email-heading">{t("heading")}</h2>
      <p>{t("current", { email })}</p>
      <ActionForm action={requestEmailChange} submit={t("submit")} pendingLabel={t("sending")} label={t("heading")}>
        <label>
          {t("newEmail")}
          <input name="newEmail" type="email" autoComplete="email" required maxLength={254} />
        </label>
        {hasPassword ? (
          <label>
            {t("password")}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
        ) : (
          <p className="muted">{t("noPasswordHint")}</p>
        )}
      </ActionForm>
    </section>
  );
}
