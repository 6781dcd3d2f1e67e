// The page the email-change link opens. As for verification, confirming takes a click (a POST),
// so a mail scanner that fetches the link cannot spend the token.
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ActionForm } from "../../components/action-form";
import { confirmEmailChange } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("confirmEmail"))("title") };
}

export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("confirmEmail");
  return (
    <>
      <h1>{t("title")}</h1>
      {token ? (
        <ActionForm action={confirmEmailChange} submit={t("submit")} pendingLabel={t("pending")} label={t("title")}>
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
    </>
  );
}
