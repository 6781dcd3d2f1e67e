import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { NewPasswordFields } from "../../components/form-parts";
import { resetPassword } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("resetPassword"))("title") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("resetPassword");
  if (!token) {
    return (
      <div className="narrow">
        <h1>{t("heading")}</h1>
        <p role="alert" className="alert error">
          {t("incomplete")} <Link href="/forgot-password">{t("requestNew")}</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>{t("heading")}</h1>
      <div className="card">
        <ActionForm action={resetPassword} submit={t("submit")} pendingLabel={t("pending")} label={t("formLabel")}>
          <input type="hidden" name="token" value={token} />
          <NewPasswordFields name="password" />
        </ActionForm>
      </div>
      <p className="muted">{t("signsOutEverywhere")}</p>
    </div>
  );
}
