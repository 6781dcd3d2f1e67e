import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { Field } from "../../components/form-parts";
import { requestPasswordReset } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("forgotPassword"))("title") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("forgotPassword");
  const tf = await getTranslations("forms");
  return (
    <div className="narrow">
      <h1>{t("heading")}</h1>
      <p>{t("intro")}</p>
      <div className="card">
        <ActionForm action={requestPasswordReset} submit={t("submit")} pendingLabel={t("pending")} label={t("formLabel")}>
          <Field name="email" label={tf("email")} type="email" autoComplete="email" required />
        </ActionForm>
      </div>
      <p>
        <Link href="/signin">{t("backToSignIn")}</Link>
      </p>
    </div>
  );
}
