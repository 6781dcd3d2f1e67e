import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { verifyEmail } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("verifyEmail"))("title") };
}

// The link only opens this page; verifying takes a click (a POST), so mail scanners that
// prefetch links cannot spend the token.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("verifyEmail");
  return (
    <div className="narrow">
      <h1>{t("heading")}</h1>
      {token ? (
        <ActionForm action={verifyEmail} submit={t("submit")} pendingLabel={t("pending")} label={t("formLabel")}>
          <input type="hidden" name="token" value={token} />
        </ActionForm>
      ) : (
        <p role="alert" className="alert error">
          {t("incomplete")}
        </p>
      )}
      <p>
        <Link href="/account">{t("toAccount")}</Link>
      </p>
    </div>
  );
}
