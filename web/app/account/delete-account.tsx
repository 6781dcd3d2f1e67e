"use client";
// Deleting the account: what goes is said first, the dialog asks for the password (or relies
// on a recent sign-in for accounts without one), and once the auth service has deleted the
// account the browser's session cookie is cleared.
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { ConfirmAction } from "../../components/confirm-action";
import { Field } from "../../components/form-parts";
import { SecondFactorField } from "../../components/second-factor-field";
import { deleteAccount } from "./account-actions";

export function DeleteAccount({ hasPassword, stepUp, passkeys }: { hasPassword: boolean; stepUp: boolean; passkeys: boolean }) {
  const t = useTranslations("deleteAccount");
  return (
    <section aria-labelledby="delete-heading" className="card danger-zone">
      <h2 id="delete-heading">{t("heading")}</h2>
      <p>{t("what")}</p>
      <ConfirmAction
        action={async (state, form) => {
          const res = await deleteAccount(state, form);
          if (res?.ok) await signOut({ callbackUrl: "/signin?deleted=1" });
          return res;
        }}
        trigger={t("trigger")}
        title={t("title")}
        confirm={t("confirm")}
        pendingLabel={t("deleting")}
        cancel={t("cancel")}
        danger
      >
        <p>{t("irreversible")}</p>
        {hasPassword ? (
          <Field name="password" label={t("password")} type="password" autoComplete="current-password" required />
        ) : (
          <p className="muted">{t("noPasswordHint")}</p>
        )}
        {stepUp ? <SecondFactorField passkeys={passkeys} /> : null}
      </ConfirmAction>
    </section>
  );
}
